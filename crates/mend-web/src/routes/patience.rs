//! The Patience area: the hurt partner's trust check-ins, and the chart of them drawn on the
//! server as SVG, with the same values as a table.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::check_in::{may_check_in, MAX_NOTE_CHARS};
use mend_core::store::CheckInRecord;
use mend_core::{Area, CheckInId, Trust, WindowAsk};
use serde::Deserialize;

use crate::access::{JourneyAccess, Ongoing};
use crate::chart::TrustScores;
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::{Form, Query};
use crate::fields;
use crate::key;
use crate::names::rhythm_choices;
use crate::once::{store_once, FormId, Kept};
use crate::paging::{Pager, WindowQuery};
use crate::session::now;
use crate::state::AppState;
use crate::views::{render, render_with, CheckInView, PatiencePage};
use crate::when::LocalClock;

/// How many check-ins the table shows at a time.
const WINDOW: usize = 30;

async fn render_page(
    state: &AppState,
    journey: &JourneyAccess,
    chrome: Chrome,
    ask: WindowAsk,
    errors: Vec<&'static str>,
) -> Result<PatiencePage, WebError> {
    let (breach, viewer) = (&journey.breach, &journey.viewer);
    let clock = LocalClock::of(state.strings, viewer);
    let is_hurt = may_check_in(journey.role).is_ok();
    let scores = TrustScores::latest(state, breach).await?;
    let window = state.store.check_in_window(breach.id, ask).await?;
    let mut rows = Vec::new();
    for c in &window.items {
        // Notes are sealed with the hurt partner's own key and shown only to them; only the
        // notes of the rows shown are opened.
        let note = match (&c.note, c.person == viewer.id()) {
            (Some(sealed), true) => Some(viewer.key.open(c.id.0, fields::CHECK_IN_NOTE, sealed)?),
            _ => None,
        };
        rows.push(CheckInView {
            id: Some(c.id.to_string()),
            when: clock.at(c.created_at),
            trust: c.trust.value(),
            note,
        });
    }
    let ongoing = !breach.state.is_ended();
    let rhythm = breach.state.check_in_rhythm;
    let action = journey.page("patience");
    Ok(PatiencePage {
        form_id: CheckInId::new().to_string(),
        show_notes: is_hurt,
        can_check_in: is_hurt && ongoing,
        rhythms: if is_hurt && ongoing {
            rhythm_choices(rhythm, true)
        } else {
            Vec::new()
        },
        ongoing,
        next_check_in: rhythm
            .filter(|_| is_hurt && ongoing)
            .map(|r| clock.at(r.next_due(scores.last_at(), breach.created_at, clock.zone()))),
        chrome: chrome.signed_in(),
        pager: Pager::of(&action, ask, &window),
        action,
        journey: journey.href(),
        is_hurt,
        chart: scores.chart(&clock),
        rows,
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    journey: JourneyAccess,
    chrome: Chrome,
    Query(window): Query<WindowQuery>,
) -> Result<Response, WebError> {
    let page = render_page(&state, &journey, chrome, window.ask(WINDOW), Vec::new()).await?;
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct CheckInForm {
    /// Kept as sent: a missing or odd value is a problem shown on the form.
    #[serde(default)]
    trust: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    form_id: FormId<CheckInId>,
}

/// A check-in that may be stored.
struct CheckIn<'a> {
    trust: Trust,
    note: &'a str,
}

impl CheckInForm {
    /// The check-in, or the problems to show on the form.
    fn parse(&self) -> Result<CheckIn<'_>, Vec<&'static str>> {
        let trust = Trust::parse(&self.trust);
        let note = self.note.trim();
        let mut errors = Vec::new();
        if trust.is_none() {
            errors.push(key!("patience.error_trust"));
        }
        if note.chars().count() > MAX_NOTE_CHARS {
            errors.push(key!("patience.error_note"));
        }
        match trust.filter(|_| errors.is_empty()) {
            Some(trust) => Ok(CheckIn { trust, note }),
            None => Err(errors),
        }
    }
}

pub async fn check_in(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    chrome: Chrome,
    Form(form): Form<CheckInForm>,
) -> Result<Response, WebError> {
    may_check_in(journey.role)?;
    let CheckIn { trust, note } = match form.parse() {
        Ok(check_in) => check_in,
        Err(errors) => {
            let ask = WindowAsk::newest(WINDOW);
            let page = render_page(&state, &journey, chrome, ask, errors).await?;
            return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let (state, journey, viewer) = (&state, &journey, &journey.viewer);
    let note_of = |c: &CheckInRecord| -> Result<String, WebError> {
        match &c.note {
            Some(sealed) => Ok(viewer.key.open(c.id.0, fields::CHECK_IN_NOTE, sealed)?),
            None => Ok(String::new()),
        }
    };
    let check_in = |id: CheckInId| {
        state.store.create_check_in(CheckInRecord {
            id,
            breach: journey.id(),
            person: viewer.id(),
            trust,
            note: (!mend_core::text::is_blank(note))
                .then(|| viewer.key.seal(id.0, fields::CHECK_IN_NOTE, note)),
            created_at: now(),
        })
    };
    let kept = |id: CheckInId| async move {
        Ok(match state.store.check_in(journey.id(), id).await? {
            Some(c) if c.person == viewer.id() && c.trust == trust && note_of(&c)? == note => {
                Kept::Same
            }
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    if store_once(form.form_id.0, check_in, kept).await?.is_new() {
        journey.area_begins(state, Area::Patience).await?;
    }
    Ok(Redirect::to(&journey.page("patience")).into_response())
}
