//! The Patience area: the hurt partner's trust check-ins, and the chart of them drawn on the
//! server as SVG, with the same values as a table.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::check_in::may_check_in;
use mend_core::store::{BreachRecord, CheckInRecord};
use mend_core::{Area, CheckInId, Trust};

use crate::access::{area_begins, ongoing_breach, own_breach, role_of};
use crate::chart::chart;
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Form;
use crate::fields;
use crate::key;
use crate::names::rhythm_choices;
use crate::once::{form_id, store_once, Kept, FORM_ID};
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::views::{render, render_with, CheckInView, PatiencePage};

const MAX_NOTE_CHARS: usize = 2_000;

fn page_path(breach: &BreachRecord) -> String {
    format!("/spaces/{}/breaches/{}/patience", breach.space, breach.id)
}

async fn render_page(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    breach: &BreachRecord,
    errors: Vec<&'static str>,
) -> Result<PatiencePage, WebError> {
    let is_hurt = may_check_in(role_of(breach, viewer.id()));
    let check_ins = state.store.check_ins(breach.id).await?;
    let mut rows = Vec::new();
    for c in &check_ins {
        // Notes are sealed with the hurt partner's own key and shown only to them.
        let note = match (&c.note, c.person == viewer.id()) {
            (Some(sealed), true) => Some(viewer.key.open(c.id.0, fields::CHECK_IN_NOTE, sealed)?),
            _ => None,
        };
        rows.push(CheckInView {
            when: c.created_at.utc_minute(),
            trust: c.trust.value(),
            note,
        });
    }
    let ongoing = !breach.state.is_ended();
    let rhythm = breach.state.check_in_rhythm;
    Ok(PatiencePage {
        form_id: CheckInId::new().to_string(),
        show_notes: is_hurt,
        can_check_in: is_hurt && ongoing,
        rhythms: if is_hurt && ongoing {
            rhythm_choices(rhythm, true)
        } else {
            Vec::new()
        },
        next_check_in: rhythm.filter(|_| is_hurt).map(|r| {
            r.next_due(check_ins.last().map(|c| c.created_at), breach.created_at)
                .utc_minute()
        }),
        chrome: chrome.signed_in(),
        action: page_path(breach),
        journey: format!("/spaces/{}/breaches/{}", breach.space, breach.id),
        is_hurt,
        chart: chart(&check_ins),
        rows,
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (breach, _) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    Ok(render(
        &render_page(&state, &viewer, chrome, &breach, Vec::new()).await?,
    ))
}

pub async fn check_in(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, _) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    if !may_check_in(role_of(&breach, viewer.id())) {
        return Err(WebError::Refused {
            status: StatusCode::FORBIDDEN,
            title: key!("patience.title"),
            body: key!("patience.not_yours"),
        });
    }
    let trust = form.get("trust").and_then(|t| Trust::parse(t));
    let note = form.get("note").map(|n| n.trim()).unwrap_or("");
    let mut errors = Vec::new();
    if trust.is_none() {
        errors.push(key!("patience.error_trust"));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        errors.push(key!("patience.error_note"));
    }
    let Some(trust) = trust.filter(|_| errors.is_empty()) else {
        let page = render_page(&state, &viewer, chrome, &breach, errors).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let requested: CheckInId = form_id(&form, FORM_ID)?;
    let (state, viewer, breach) = (&state, &viewer, &breach);
    let note_of = |c: &CheckInRecord| -> Result<String, WebError> {
        match &c.note {
            Some(sealed) => Ok(viewer.key.open(c.id.0, fields::CHECK_IN_NOTE, sealed)?),
            None => Ok(String::new()),
        }
    };
    let check_in = |id: CheckInId| {
        state.store.create_check_in(CheckInRecord {
            id,
            breach: breach.id,
            person: viewer.id(),
            trust,
            note: (!mend_core::text::is_blank(note))
                .then(|| viewer.key.seal(id.0, fields::CHECK_IN_NOTE, note)),
            created_at: now(),
        })
    };
    let kept = |id: CheckInId| async move {
        let check_ins = state.store.check_ins(breach.id).await?;
        Ok(match check_ins.iter().find(|c| c.id == id) {
            Some(c) if c.person == viewer.id() && c.trust == trust && note_of(c)? == note => {
                Kept::Same
            }
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    if store_once(requested, check_in, kept).await?.is_new() {
        area_begins(state, breach, Area::Patience, viewer.id()).await?;
    }
    Ok(Redirect::to(&page_path(breach)).into_response())
}
