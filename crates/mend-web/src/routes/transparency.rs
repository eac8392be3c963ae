//! Transparency agreements: the repairing partner offers to tell something for a chosen
//! period; the hurt partner accepts or declines; an accepted agreement runs until its end date
//! and can be renewed. Mend keeps only the words: it never reads, tracks or monitors anything.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::store::{BreachRecord, TransparencyRecord};
use mend_core::transparency::{
    check_text, ends_on, may_decide, may_offer, may_renew, may_withdraw, phase, starts_at, Phase,
};
use mend_core::{
    Area, Period, Role, TransparencyId, TransparencyRefusal, TransparencyState,
    MAX_TRANSPARENCY_CHARS,
};
use mend_crypto::DataKey;

use crate::access::{area_begins, ongoing_breach, own_breach, role_of};
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Form;
use crate::fields;
use crate::key;
use crate::once::{form_id, store_once, Kept, FORM_ID};
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::views::{render, render_with, PeriodChoice, TransparencyPage, TransparencyView};

fn page_path(breach: &BreachRecord) -> String {
    format!(
        "/spaces/{}/breaches/{}/transparency",
        breach.space, breach.id
    )
}

fn refused() -> WebError {
    WebError::Refused {
        status: StatusCode::FORBIDDEN,
        title: key!("transparency.title"),
        body: key!("transparency.not_yours"),
    }
}

/// Already answered, withdrawn or renewed: a double submit or an old page.
fn changed() -> WebError {
    WebError::Refused {
        status: StatusCode::CONFLICT,
        title: key!("transparency.title"),
        body: key!("transparency.changed"),
    }
}

fn refusal(r: TransparencyRefusal) -> WebError {
    match r {
        TransparencyRefusal::NotOpen | TransparencyRefusal::AlreadyRenewed => changed(),
        _ => refused(),
    }
}

fn period_name(period: Period) -> &'static str {
    match period {
        Period::OneMonth => key!("transparency.period_1"),
        Period::ThreeMonths => key!("transparency.period_3"),
        Period::SixMonths => key!("transparency.period_6"),
        Period::TwelveMonths => key!("transparency.period_12"),
    }
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

fn open_text(key: &DataKey, t: &TransparencyRecord) -> Result<String, WebError> {
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
    viewer: &Viewer,
    chrome: Chrome,
    breach: &BreachRecord,
    key: &DataKey,
    again: FormAgain,
) -> Result<TransparencyPage, WebError> {
    let role = role_of(breach, viewer.id());
    let all = state.store.transparency_agreements(breach.id).await?;
    let at = now();
    let mut page = TransparencyPage {
        form_id: TransparencyId::new().to_string(),
        ongoing: !breach.state.is_ended(),
        chrome: chrome.signed_in(),
        action: page_path(breach),
        journey: format!("/spaces/{}/breaches/{}", breach.space, breach.id),
        is_hurt: role == Role::HurtPartner,
        offers: Vec::new(),
        running: Vec::new(),
        upcoming: Vec::new(),
        ended: Vec::new(),
        closed: Vec::new(),
        periods: Period::ALL
            .into_iter()
            .map(|p| PeriodChoice {
                days: p.days(),
                name: period_name(p),
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
            period: period_name(t.period),
            is_renewal: t.renews.is_some(),
            from: String::new(),
            until: String::new(),
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
                view.from = starts.utc_minute();
                view.until = ends_on(starts, t.period).utc_minute();
                match phase(starts, t.period, at) {
                    Phase::NotYetBegun => page.upcoming.push(view),
                    Phase::Running => page.running.push(view),
                    Phase::Ended => page.ended.push(view),
                }
            }
            TransparencyState::Declined | TransparencyState::Withdrawn => {
                view.from = t.decided_at.map(|d| d.utc_minute()).unwrap_or_default();
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
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (breach, key) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let page = render_page(&state, &viewer, chrome, &breach, &key, FormAgain::none()).await?;
    Ok(render(&page))
}

/// Checks and stores an offer, new or renewing `renews`; shows the form again on a problem.
async fn submit(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    breach: &BreachRecord,
    key: &DataKey,
    renews: Option<TransparencyId>,
    form: &HashMap<String, String>,
) -> Result<Response, WebError> {
    let text = form.get("text").map(|t| t.trim()).unwrap_or("");
    let period = form.get("period").and_then(|p| Period::parse(p));
    let mut errors = Vec::new();
    match check_text(text) {
        Ok(()) => {}
        Err(TransparencyRefusal::TooLong) => errors.push(key!("transparency.error_long")),
        Err(_) => errors.push(key!("transparency.error_empty")),
    }
    if period.is_none() {
        errors.push(key!("transparency.error_period"));
    }
    let Some(period) = period.filter(|_| errors.is_empty()) else {
        let again = FormAgain {
            renewing: renews,
            typed: text.chars().take(MAX_TRANSPARENCY_CHARS).collect(),
            period,
            errors,
        };
        let page = render_page(state, viewer, chrome, breach, key, again).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let requested: TransparencyId = form_id(form, FORM_ID)?;
    let offer = |id: TransparencyId| {
        state.store.create_transparency(TransparencyRecord {
            id,
            breach: breach.id,
            offered_by: viewer.id(),
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
        let all = state.store.transparency_agreements(breach.id).await?;
        Ok(match all.iter().find(|t| t.id == id) {
            Some(t)
                if t.offered_by == viewer.id()
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
        Ok(_) => return Ok(Redirect::to(&page_path(breach)).into_response()),
        // Another renewal of the same agreement got there first.
        Err(WebError::Conflict) => return Err(changed()),
        Err(e) => return Err(e),
    }
    tracing::info!(breach = %breach.id, renewal = renews.is_some(), "transparency offered");
    area_begins(state, breach, Area::Honesty, viewer.id()).await?;
    Ok(Redirect::to(&page_path(breach)).into_response())
}

pub async fn offer(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    may_offer(role_of(&breach, viewer.id())).map_err(refusal)?;
    submit(&state, &viewer, chrome, &breach, &key, None, &form).await
}

/// The agreement of this journey an action is about; another journey's is not found.
async fn find(
    state: &AppState,
    breach: &BreachRecord,
    raw_id: &str,
) -> Result<(TransparencyRecord, Vec<TransparencyRecord>), WebError> {
    let id: TransparencyId = raw_id.parse().map_err(|_| WebError::NotFound)?;
    let all = state.store.transparency_agreements(breach.id).await?;
    let found = all
        .iter()
        .find(|t| t.id == id)
        .cloned()
        .ok_or(WebError::NotFound)?;
    Ok((found, all))
}

pub async fn renew(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach, raw_id)): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let (old, all) = find(&state, &breach, &raw_id).await?;
    may_renew(
        role_of(&breach, viewer.id()),
        old.state,
        is_renewed(&all, old.id),
    )
    .map_err(refusal)?;
    submit(&state, &viewer, chrome, &breach, &key, Some(old.id), &form).await
}

/// Accepts or declines an offer, as the hurt partner.
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_id)): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, _) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let (offer, all) = find(&state, &breach, &raw_id).await?;
    let accept = match form.get("decision").map(String::as_str) {
        Some("accept") => true,
        Some("decline") => false,
        _ => return Err(WebError::BadRequest),
    };
    may_decide(role_of(&breach, viewer.id()), offer.state).map_err(refusal)?;
    let at = now();
    let decided = if accept {
        let renewed_ends = match offer.renews.and_then(|r| all.iter().find(|t| t.id == r)) {
            Some(old) => Some(ends_on(start_of(old)?, old.period)),
            None => None,
        };
        state
            .store
            .accept_transparency(breach.id, offer.id, at, starts_at(at, renewed_ends))
            .await?
    } else {
        state
            .store
            .close_transparency_offer(breach.id, offer.id, TransparencyState::Declined, at)
            .await?
    };
    if !decided {
        return Err(changed());
    }
    tracing::info!(breach = %breach.id, accept, "transparency offer decided");
    Ok(Redirect::to(&page_path(&breach)).into_response())
}

pub async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_id)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (breach, _) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let (offer, _) = find(&state, &breach, &raw_id).await?;
    may_withdraw(offer.offered_by, viewer.id(), offer.state).map_err(refusal)?;
    if !state
        .store
        .close_transparency_offer(breach.id, offer.id, TransparencyState::Withdrawn, now())
        .await?
    {
        return Err(changed());
    }
    tracing::info!(breach = %breach.id, "transparency offer withdrawn");
    Ok(Redirect::to(&page_path(&breach)).into_response())
}
