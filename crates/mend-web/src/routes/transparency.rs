//! Transparency agreements: the repairing partner offers to tell something for a chosen
//! period; the hurt partner accepts or declines; an accepted agreement runs until its end date
//! and can be renewed. Mend keeps only the words: it never reads, tracks or monitors anything.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::store::TransparencyRecord;
use mend_core::transparency::{
    check_text, ends_on, may_decide, may_offer, may_renew, may_withdraw, phase, starts_at, Phase,
};
use mend_core::{
    Area, Period, TransparencyId, TransparencyRefusal, TransparencyState, MAX_TRANSPARENCY_CHARS,
};
use mend_crypto::SpaceKeys;
use serde::Deserialize;

use crate::access::{JourneyAccess, Ongoing};
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::{Form, Path};
use crate::fields;
use crate::key;
use crate::once::{store_once, FormId, Kept};
use crate::session::now;
use crate::state::AppState;
use crate::views::{render, render_with, PeriodChoice, TransparencyPage, TransparencyView};
use crate::when::LocalClock;

/// `/transparency/{agreement}/…`
#[derive(Deserialize)]
pub struct AgreementPath {
    agreement: TransparencyId,
}

/// Whether a renewal of `id` is offered or agreed: only one at a time.
fn is_renewed(all: &[TransparencyRecord], id: TransparencyId) -> bool {
    all.iter().any(|t| {
        t.renews == Some(id)
            && matches!(
                t.state,
                TransparencyState::Offered | TransparencyState::Accepted
            )
    })
}

fn open_text(key: &SpaceKeys, t: &TransparencyRecord) -> Result<String, WebError> {
    Ok(key.open(t.id.0, fields::TRANSPARENCY_TEXT, &t.text)?)
}

fn start_of(t: &TransparencyRecord) -> Result<mend_core::Timestamp, WebError> {
    t.starts_at
        .ok_or_else(|| WebError::internal("an accepted transparency agreement has no start"))
}

/// An offer or renewal shown again after a problem: what it renews, what was typed.
struct FormAgain {
    renewing: Option<TransparencyId>,
    typed: String,
    period: Option<Period>,
    errors: Vec<&'static str>,
}

impl FormAgain {
    fn none() -> Self {
        Self {
            renewing: None,
            typed: String::new(),
            period: None,
            errors: Vec::new(),
        }
    }
}

async fn render_page(
    state: &AppState,
    journey: &JourneyAccess,
    chrome: Chrome,
    again: FormAgain,
) -> Result<TransparencyPage, WebError> {
    let (role, key) = (journey.role, &journey.key);
    let all = state.store.transparency_agreements(journey.id()).await?;
    let at = now();
    let clock = LocalClock::new(state.strings, at, journey.viewer.zone());
    let mut page = TransparencyPage {
        form_id: TransparencyId::new().to_string(),
        ongoing: !journey.breach.state.is_ended(),
        chrome: chrome.signed_in(),
        action: journey.page("transparency"),
        journey: journey.href(),
        is_hurt: journey.is_hurt(),
        offers: Vec::new(),
        running: Vec::new(),
        upcoming: Vec::new(),
        ended: Vec::new(),
        closed: Vec::new(),
        periods: Period::ALL
            .into_iter()
            .map(|p| PeriodChoice {
                days: p.days(),
                name: crate::names::period_name(p),
            })
            .collect(),
        typed: String::new(),
        typed_days: again.period.unwrap_or(Period::ThreeMonths).days(),
        errors: again.errors,
    };
    for t in &all {
        let text = open_text(key, t)?;
        let renewing_this = again.renewing == Some(t.id);
        let mut view = TransparencyView {
            id: t.id.to_string(),
            period: crate::names::period_name(t.period),
            is_renewal: t.renews.is_some(),
            from: clock.at(t.created_at),
            until: clock.at(t.created_at),
            closed_how: "",
            can_renew: may_renew(role, t.state, is_renewed(&all, t.id)).is_ok(),
            renewal_waiting: all
                .iter()
                .any(|r| r.renews == Some(t.id) && r.state == TransparencyState::Offered),
            renew_text: if renewing_this {
                again.typed.clone()
            } else {
                text.clone()
            },
            renew_days: match again.period {
                Some(p) if renewing_this => p.days(),
                _ => t.period.days(),
            },
            renew_open: renewing_this,
            text,
        };
        match t.state {
            TransparencyState::Offered => page.offers.push(view),
            TransparencyState::Accepted => {
                let starts = start_of(t)?;
                view.from = clock.at(starts);
                view.until = clock.at(ends_on(starts, t.period));
                match phase(starts, t.period, at) {
                    Phase::NotYetBegun => page.upcoming.push(view),
                    Phase::Running => page.running.push(view),
                    Phase::Ended => page.ended.push(view),
                }
            }
            TransparencyState::Declined | TransparencyState::Withdrawn => {
                view.from = clock.at(t.decided_at.unwrap_or(t.created_at));
                view.closed_how = if t.state == TransparencyState::Declined {
                    key!("transparency.declined_on")
                } else {
                    key!("transparency.withdrawn_on")
                };
                page.closed.push(view);
            }
        }
    }
    // A new offer's words, unless they belonged to a renewal form above.
    if again.renewing.is_none() {
        page.typed = again.typed;
    }
    Ok(page)
}

pub async fn page(
    State(state): State<AppState>,
    journey: JourneyAccess,
    chrome: Chrome,
) -> Result<Response, WebError> {
    let mut page = render_page(&state, &journey, chrome, FormAgain::none()).await?;
    // Decisions the viewer has not seen wait on the dashboard until this page is opened.
    crate::waiting_view::opened(&state, &journey, "transparency", false, &mut page.chrome).await?;
    Ok(render(&page))
}

/// A new offer, or a renewal, as sent.
#[derive(Deserialize)]
pub struct OfferForm {
    #[serde(default)]
    text: String,
    /// Kept as sent: a period that is not one of the choices is a problem shown on the form.
    #[serde(default)]
    period: String,
    #[serde(default)]
    form_id: FormId<TransparencyId>,
}

/// An offer with words and a period that may be stored.
struct Offer {
    id: TransparencyId,
    text: String,
    period: Period,
}

impl OfferForm {
    /// The offer, or the form to show again (renewing `renews`) with what is wrong with it.
    fn parse(self, renews: Option<TransparencyId>) -> Result<Offer, FormAgain> {
        let text = self.text.trim();
        let period = Period::parse(&self.period);
        let mut errors = Vec::new();
        match check_text(text) {
            Ok(()) => {}
            Err(TransparencyRefusal::TooLong) => errors.push(key!("transparency.error_long")),
            Err(_) => errors.push(key!("transparency.error_empty")),
        }
        if period.is_none() {
            errors.push(key!("transparency.error_period"));
        }
        match period.filter(|_| errors.is_empty()) {
            Some(period) => Ok(Offer {
                id: self.form_id.0,
                text: text.to_owned(),
                period,
            }),
            None => Err(FormAgain {
                renewing: renews,
                typed: text.chars().take(MAX_TRANSPARENCY_CHARS).collect(),
                period,
                errors,
            }),
        }
    }
}

/// Checks and stores an offer, new or renewing `renews`; shows the form again on a problem.
async fn submit(
    state: &AppState,
    journey: &JourneyAccess,
    chrome: Chrome,
    renews: Option<TransparencyId>,
    form: OfferForm,
) -> Result<Response, WebError> {
    let Offer {
        id: requested,
        text,
        period,
    } = match form.parse(renews) {
        Ok(offer) => offer,
        Err(again) => {
            let page = render_page(state, journey, chrome, again).await?;
            return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let (text, key, breach) = (text.as_str(), &journey.key, journey.id());
    let offer = |id: TransparencyId| {
        state.store.create_transparency(TransparencyRecord {
            id,
            breach,
            offered_by: journey.viewer_id(),
            text: key.seal(id.0, fields::TRANSPARENCY_TEXT, text),
            period,
            state: TransparencyState::Offered,
            renews,
            created_at: now(),
            decided_at: None,
            starts_at: None,
        })
    };
    let kept = |id: TransparencyId| async move {
        let all = state.store.transparency_agreements(breach).await?;
        Ok(match all.iter().find(|t| t.id == id) {
            Some(t)
                if t.offered_by == journey.viewer_id()
                    && t.renews == renews
                    && t.period == period
                    && open_text(key, t)? == text =>
            {
                Kept::Same
            }
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    match store_once(requested, offer, kept).await {
        Ok(stored) if stored.is_new() => {}
        Ok(_) => return Ok(Redirect::to(&journey.page("transparency")).into_response()),
        // Another renewal of the same agreement got there first.
        Err(WebError::Conflict) => return Err(TransparencyRefusal::AlreadyRenewed.into()),
        Err(e) => return Err(e),
    }
    tracing::info!(%breach, renewal = renews.is_some(), "transparency offered");
    journey.area_begins(state, Area::Honesty).await?;
    Ok(Redirect::to(&journey.page("transparency")).into_response())
}

pub async fn offer(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    chrome: Chrome,
    Form(form): Form<OfferForm>,
) -> Result<Response, WebError> {
    may_offer(journey.role)?;
    submit(&state, &journey, chrome, None, form).await
}

/// The agreement of this journey an action is about, with all of the journey's; another
/// journey's is not found.
async fn find(
    state: &AppState,
    journey: &JourneyAccess,
    id: TransparencyId,
) -> Result<(TransparencyRecord, Vec<TransparencyRecord>), WebError> {
    let all = state.store.transparency_agreements(journey.id()).await?;
    let found = all
        .iter()
        .find(|t| t.id == id)
        .cloned()
        .ok_or(WebError::NotFound)?;
    Ok((found, all))
}

pub async fn renew(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(AgreementPath { agreement }): Path<AgreementPath>,
    chrome: Chrome,
    Form(form): Form<OfferForm>,
) -> Result<Response, WebError> {
    let (old, all) = find(&state, &journey, agreement).await?;
    may_renew(journey.role, old.state, is_renewed(&all, old.id))?;
    submit(&state, &journey, chrome, Some(old.id), form).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    /// Read only once the offer is found, so a foreign offer is "not found" whatever was sent.
    #[serde(default)]
    decision: String,
}

impl DecisionForm {
    /// Whether the offer is accepted; anything but the two buttons is a malformed request.
    fn accepts(&self) -> Result<bool, WebError> {
        match self.decision.as_str() {
            "accept" => Ok(true),
            "decline" => Ok(false),
            _ => Err(WebError::BadRequest),
        }
    }
}

/// Accepts or declines an offer, as the hurt partner.
pub async fn decide(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(AgreementPath { agreement }): Path<AgreementPath>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    let (offer, all) = find(&state, &journey, agreement).await?;
    let accept = form.accepts()?;
    may_decide(journey.role, offer.state)?;
    let (breach, at) = (journey.id(), now());
    let decided = if accept {
        let renewed_ends = match offer.renews.and_then(|r| all.iter().find(|t| t.id == r)) {
            Some(old) => Some(ends_on(start_of(old)?, old.period)),
            None => None,
        };
        state
            .store
            .accept_transparency(breach, offer.id, at, starts_at(at, renewed_ends))
            .await?
    } else {
        state
            .store
            .close_transparency_offer(breach, offer.id, TransparencyState::Declined, at)
            .await?
    };
    if !decided {
        // Answered or withdrawn in the meantime: a double submit or an old page.
        return Err(TransparencyRefusal::NotOpen.into());
    }
    tracing::info!(%breach, accept, "transparency offer decided");
    Ok(Redirect::to(&journey.page("transparency")).into_response())
}

pub async fn withdraw(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(AgreementPath { agreement }): Path<AgreementPath>,
) -> Result<Response, WebError> {
    let (offer, _) = find(&state, &journey, agreement).await?;
    may_withdraw(offer.offered_by, journey.viewer_id(), offer.state)?;
    let breach = journey.id();
    if !state
        .store
        .close_transparency_offer(breach, offer.id, TransparencyState::Withdrawn, now())
        .await?
    {
        return Err(TransparencyRefusal::NotOpen.into());
    }
    tracing::info!(%breach, "transparency offer withdrawn");
    Ok(Redirect::to(&journey.page("transparency")).into_response())
}
