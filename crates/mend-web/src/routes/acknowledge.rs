//! The Acknowledge area: the repairing partner drafts privately (saved as they type, with the
//! coach's notes), sends, may add corrections or withdraw; the hurt partner marks it received.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use mend_coach::Mode;
use mend_core::entry::{check_text, may_mark_received, may_withdraw, may_write};
use mend_core::store::{BreachRecord, EntryRecord};
use mend_core::{EntryId, EntryKind, EntryRefusal, EntryState, Role};
use mend_crypto::DataKey;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Form;
use crate::fields;
use crate::key;
use crate::routes::coach::results_for;
use crate::routes::journeys::{open_details, own_breach, role_of};
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::views::{render, render_with, AckPage, EntryView, SavedFragment};

const KIND: EntryKind = EntryKind::Acknowledgement;

fn page_path(breach: &BreachRecord) -> String {
    format!(
        "/spaces/{}/breaches/{}/acknowledge",
        breach.space, breach.id
    )
}

fn refused(body: &'static str, status: StatusCode) -> WebError {
    WebError::Refused {
        status,
        title: key!("ack.title"),
        body,
    }
}

fn writer_only(role: Role) -> Result<(), WebError> {
    may_write(KIND, role).map_err(|_| refused(key!("ack.not_yours"), StatusCode::FORBIDDEN))
}

/// The viewer's own draft, if they have one.
fn own_draft(entries: &[EntryRecord], viewer: &Viewer) -> Option<EntryRecord> {
    entries
        .iter()
        .find(|e| e.state == EntryState::Draft && e.author == viewer.id())
        .cloned()
}

fn open_body(key: &DataKey, entry: &EntryRecord) -> Result<String, WebError> {
    match &entry.body {
        Some(sealed) => Ok(key.open(entry.id.0, fields::ENTRY_BODY, sealed)?),
        None => Ok(String::new()),
    }
}

async fn render_page(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    breach: &BreachRecord,
    key: &DataKey,
    typed: Option<String>,
    errors: Vec<&'static str>,
) -> Result<AckPage, WebError> {
    let role = role_of(breach, viewer.id());
    let entries = state
        .store
        .entries_for(breach.id, KIND, viewer.id())
        .await?;
    let mut shown = Vec::new();
    for entry in entries.iter().filter(|e| e.state != EntryState::Draft) {
        shown.push(EntryView {
            id: entry.id.to_string(),
            text: open_body(key, entry)?,
            withdrawn: entry.state == EntryState::Withdrawn,
            corrects: entry.corrects.is_some(),
            sent_at: entry.sent_at.map(|t| t.utc_minute()).unwrap_or_default(),
            received_at: entry.received_at.map(|t| t.utc_minute()),
            withdrawn_at: entry.withdrawn_at.map(|t| t.utc_minute()),
            can_mark_received: may_mark_received(role, entry.state, entry.received_at.is_some())
                .is_ok(),
            can_withdraw: may_withdraw(entry.author == viewer.id(), entry.state).is_ok(),
        });
    }
    let is_writer = may_write(KIND, role).is_ok();
    let existing = own_draft(&entries, viewer);
    let entry_id = existing.as_ref().map(|d| d.id).unwrap_or_default();
    let draft = match (typed, &existing) {
        (Some(text), _) => text,
        (None, Some(d)) => open_body(key, d)?,
        (None, None) => String::new(),
    };
    let details = open_details(key, breach)?;
    let has_sent = entries.iter().any(|e| e.state == EntryState::Sent);
    Ok(AckPage {
        action_base: page_path(breach),
        entry_id: entry_id.to_string(),
        journey: format!("/spaces/{}/breaches/{}", breach.space, breach.id),
        is_writer,
        found_out: is_writer && details.came_to_light.found_out_first(),
        correcting: has_sent,
        coach: results_for(&draft, Mode::Acknowledgement),
        draft,
        entries: shown,
        errors,
        chrome: chrome.signed_in(),
    })
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (breach, key) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    Ok(render(
        &render_page(&state, &viewer, chrome, &breach, &key, None, Vec::new()).await?,
    ))
}

/// What saving a draft came to.
enum Saved {
    Draft(EntryId),
    /// The entry the form was written for has been sent already: this is a resubmission.
    AlreadySent,
}

/// Saves the viewer's draft under the entry id the page gave its form, creating it on first
/// save. A new draft after something was sent is a correction of the latest sent entry.
async fn save_draft(
    state: &AppState,
    viewer: &Viewer,
    breach: &BreachRecord,
    key: &DataKey,
    text: &str,
    requested: EntryId,
) -> Result<Saved, WebError> {
    let entries = state
        .store
        .entries_for(breach.id, KIND, viewer.id())
        .await?;
    let at = now();
    let target = match entries.iter().find(|e| e.id == requested) {
        Some(entry) if entry.author != viewer.id() => return Err(WebError::NotFound),
        Some(entry) if entry.state != EntryState::Draft => return Ok(Saved::AlreadySent),
        Some(entry) => Some(entry.clone()),
        // The same draft open in two places: both write to the one draft.
        None => own_draft(&entries, viewer),
    };
    if let Some(draft) = target {
        let sealed = key.seal(draft.id.0, fields::ENTRY_BODY, text);
        if state
            .store
            .update_draft(draft.id, viewer.id(), sealed, at)
            .await?
        {
            return Ok(Saved::Draft(draft.id));
        }
        return Ok(Saved::AlreadySent);
    }
    let corrects = entries
        .iter()
        .rev()
        .find(|e| e.state == EntryState::Sent)
        .map(|e| e.id);
    state
        .store
        .create_draft(EntryRecord {
            id: requested,
            breach: breach.id,
            kind: KIND,
            author: viewer.id(),
            body: Some(key.seal(requested.0, fields::ENTRY_BODY, text)),
            state: EntryState::Draft,
            corrects,
            created_at: at,
            updated_at: at,
            sent_at: None,
            received_at: None,
            withdrawn_at: None,
        })
        .await?;
    Ok(Saved::Draft(requested))
}

/// The entry id the form was rendered for.
fn requested_entry(form: &HashMap<String, String>) -> Result<EntryId, WebError> {
    form.get("entry")
        .and_then(|v| v.parse().ok())
        .ok_or(WebError::BadRequest)
}

fn text_problem(refusal: EntryRefusal) -> &'static str {
    match refusal {
        EntryRefusal::TooLong => key!("ack.error_long"),
        _ => key!("ack.error_empty"),
    }
}

pub async fn draft(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    headers: HeaderMap,
    Path((raw_space, raw_breach)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, key) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    writer_only(role_of(&breach, viewer.id()))?;
    let text = form.get("text").map(String::as_str).unwrap_or("");
    let live = headers.contains_key("hx-request");
    if let Err(EntryRefusal::TooLong) = check_text(text) {
        if live {
            return Ok(render(&SavedFragment {
                chrome,
                message: key!("ack.error_long"),
            }));
        }
        let page = render_page(
            &state,
            &viewer,
            chrome,
            &breach,
            &key,
            Some(text.to_owned()),
            vec![key!("ack.error_long")],
        )
        .await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let saved = save_draft(
        &state,
        &viewer,
        &breach,
        &key,
        text,
        requested_entry(&form)?,
    )
    .await?;
    if live {
        let message = match saved {
            Saved::Draft(_) => key!("ack.saved"),
            Saved::AlreadySent => key!("ack.gone"),
        };
        return Ok(render(&SavedFragment { chrome, message }));
    }
    Ok(Redirect::to(&page_path(&breach)).into_response())
}

pub async fn send(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, key) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    writer_only(role_of(&breach, viewer.id()))?;
    let text = form.get("text").map(String::as_str).unwrap_or("");
    if let Err(refusal) = check_text(text) {
        let page = render_page(
            &state,
            &viewer,
            chrome,
            &breach,
            &key,
            Some(text.to_owned()),
            vec![text_problem(refusal)],
        )
        .await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    // A resubmitted form, or one sent a moment ago from elsewhere, changes nothing.
    if let Saved::Draft(id) = save_draft(
        &state,
        &viewer,
        &breach,
        &key,
        text,
        requested_entry(&form)?,
    )
    .await?
    {
        if state.store.send_draft(id, viewer.id(), now()).await? {
            tracing::info!(breach = %breach.id, "acknowledgement sent");
        }
    }
    Ok(Redirect::to(&page_path(&breach)).into_response())
}

fn entry_id(raw: &str) -> Result<EntryId, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

pub async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_entry)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (breach, _) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let id = entry_id(&raw_entry)?;
    let entry = state
        .store
        .entries_for(breach.id, KIND, viewer.id())
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(WebError::NotFound)?;
    match may_withdraw(entry.author == viewer.id(), entry.state) {
        Ok(()) => {}
        Err(EntryRefusal::NotTheAuthor) => {
            return Err(refused(key!("ack.not_yours"), StatusCode::FORBIDDEN))
        }
        Err(_) => return Err(refused(key!("ack.gone"), StatusCode::CONFLICT)),
    }
    if !state.store.withdraw_entry(id, viewer.id(), now()).await? {
        return Err(refused(key!("ack.gone"), StatusCode::CONFLICT));
    }
    tracing::info!(breach = %breach.id, "acknowledgement withdrawn");
    Ok(Redirect::to(&page_path(&breach)).into_response())
}

pub async fn received(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_entry)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (breach, _) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let id = entry_id(&raw_entry)?;
    let entry = state
        .store
        .entries_for(breach.id, KIND, viewer.id())
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(WebError::NotFound)?;
    match may_mark_received(
        role_of(&breach, viewer.id()),
        entry.state,
        entry.received_at.is_some(),
    ) {
        Ok(()) => {}
        Err(EntryRefusal::NotTheReader) => {
            return Err(WebError::Refused {
                status: StatusCode::FORBIDDEN,
                title: key!("ack.title"),
                body: key!("journey.not_yours"),
            })
        }
        // Already received, or withdrawn meanwhile: a double submit changes nothing.
        Err(_) => return Ok(Redirect::to(&page_path(&breach)).into_response()),
    }
    state.store.mark_received(breach.id, id, now()).await?;
    tracing::info!(breach = %breach.id, "acknowledgement received");
    Ok(Redirect::to(&page_path(&breach)).into_response())
}
