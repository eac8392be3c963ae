//! The hurt partner's evidence log. Private entries are sealed with the keeper's own key and
//! listed only for them; sharing one seals a copy with the space key for the partner.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::evidence::{check_text, may_keep};
use mend_core::store::{BreachRecord, EvidenceRecord};
use mend_core::{Area, EvidenceId, EvidenceRefusal, Moment};
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
use crate::views::{render, render_with, EvidencePage, EvidenceView};

fn page_path(breach: &BreachRecord) -> String {
    format!("/spaces/{}/breaches/{}/evidence", breach.space, breach.id)
}

fn moment_name(moment: Moment) -> &'static str {
    match moment {
        Moment::Built => key!("evidence.built"),
        Moment::Shook => key!("evidence.shook"),
    }
}

fn not_the_keeper() -> WebError {
    WebError::Refused {
        status: StatusCode::FORBIDDEN,
        title: key!("evidence.title"),
        body: key!("evidence.intro_partner"),
    }
}

/// Opens an entry with whichever key sealed it: the space key once shared, else the author's.
fn open(viewer: &Viewer, space_key: &DataKey, e: &EvidenceRecord) -> Result<String, WebError> {
    let key = if e.shared_at.is_some() {
        space_key
    } else {
        &viewer.key
    };
    Ok(key.open(e.id.0, fields::EVIDENCE_TEXT, &e.text)?)
}

async fn render_page(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    breach: &BreachRecord,
    space_key: &DataKey,
    typed: String,
    errors: Vec<&'static str>,
) -> Result<EvidencePage, WebError> {
    let keeper = may_keep(role_of(breach, viewer.id())).is_ok();
    let mut entries = Vec::new();
    for e in state.store.evidence_for(breach.id, viewer.id()).await? {
        entries.push(EvidenceView {
            id: e.id.to_string(),
            moment: moment_name(e.moment),
            text: open(viewer, space_key, &e)?,
            noted_on: e.created_at.utc_minute(),
            shared_on: e.shared_at.map(|t| t.utc_minute()),
            can_share: e.author == viewer.id() && e.shared_at.is_none(),
            can_unshare: e.author == viewer.id() && e.shared_at.is_some(),
        });
    }
    Ok(EvidencePage {
        form_id: EvidenceId::new().to_string(),
        ongoing: !breach.state.is_ended(),
        chrome: chrome.signed_in(),
        action: page_path(breach),
        journey: format!("/spaces/{}/breaches/{}", breach.space, breach.id),
        keeper,
        entries,
        typed,
        errors,
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
        &render_page(
            &state,
            &viewer,
            chrome,
            &breach,
            &key,
            String::new(),
            Vec::new(),
        )
        .await?,
    ))
}

pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    may_keep(role_of(&breach, viewer.id())).map_err(|_| not_the_keeper())?;
    let text = form.get("text").map(|t| t.trim()).unwrap_or("");
    let moment = form.get("moment").and_then(|m| Moment::parse(m));
    let mut errors = Vec::new();
    match check_text(text) {
        Ok(()) => {}
        Err(EvidenceRefusal::TooLong) => errors.push(key!("evidence.error_long")),
        Err(_) => errors.push(key!("evidence.error_empty")),
    }
    if moment.is_none() {
        errors.push(key!("evidence.error_moment"));
    }
    let Some(moment) = moment.filter(|_| errors.is_empty()) else {
        let typed = text
            .chars()
            .take(mend_core::evidence::MAX_EVIDENCE_CHARS)
            .collect();
        let page = render_page(&state, &viewer, chrome, &breach, &key, typed, errors).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let requested: EvidenceId = form_id(&form, FORM_ID)?;
    let (state, viewer, breach, space_key) = (&state, &viewer, &breach, &key);
    let keep = |id: EvidenceId| {
        state.store.create_evidence(EvidenceRecord {
            id,
            breach: breach.id,
            author: viewer.id(),
            moment,
            text: viewer.key.seal(id.0, fields::EVIDENCE_TEXT, text),
            created_at: now(),
            shared_at: None,
        })
    };
    let kept = |id: EvidenceId| async move {
        let entries = state.store.evidence_for(breach.id, viewer.id()).await?;
        Ok(match entries.iter().find(|e| e.id == id) {
            Some(e) if e.author == viewer.id() && e.moment == moment => {
                // Sealed with the author's key while private, with the space key once shared.
                let sealed_with = if e.shared_at.is_some() {
                    space_key
                } else {
                    &viewer.key
                };
                if sealed_with.open(e.id.0, fields::EVIDENCE_TEXT, &e.text)? == text {
                    Kept::Same
                } else {
                    Kept::Other
                }
            }
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    if store_once(requested, keep, kept).await?.is_new() {
        area_begins(state, breach, Area::Honesty, viewer.id()).await?;
    }
    Ok(Redirect::to(&page_path(breach)).into_response())
}

pub async fn share(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_entry)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (breach, space_key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    may_keep(role_of(&breach, viewer.id())).map_err(|_| not_the_keeper())?;
    let id: EvidenceId = raw_entry.parse().map_err(|_| WebError::NotFound)?;
    let entry = state
        .store
        .evidence_for(breach.id, viewer.id())
        .await?
        .into_iter()
        .find(|e| e.id == id && e.author == viewer.id())
        .ok_or(WebError::NotFound)?;
    // Shared already: a double submit changes nothing.
    if entry.shared_at.is_none() {
        let text = viewer
            .key
            .open(entry.id.0, fields::EVIDENCE_TEXT, &entry.text)?;
        let shared = space_key.seal(entry.id.0, fields::EVIDENCE_TEXT, &text);
        state
            .store
            .share_evidence(breach.id, id, viewer.id(), shared, now())
            .await?;
        tracing::info!(breach = %breach.id, "evidence entry shared");
    }
    Ok(Redirect::to(&page_path(&breach)).into_response())
}

/// Takes a shared entry back: the partner no longer sees it, and its text is sealed with the
/// hurt partner's own key again.
pub async fn unshare(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_entry)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (breach, space_key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    may_keep(role_of(&breach, viewer.id())).map_err(|_| not_the_keeper())?;
    let id: EvidenceId = raw_entry.parse().map_err(|_| WebError::NotFound)?;
    let entry = state
        .store
        .evidence_for(breach.id, viewer.id())
        .await?
        .into_iter()
        .find(|e| e.id == id && e.author == viewer.id())
        .ok_or(WebError::NotFound)?;
    // Private already: a double submit changes nothing.
    if entry.shared_at.is_some() {
        let text = space_key.open(entry.id.0, fields::EVIDENCE_TEXT, &entry.text)?;
        let private = viewer.key.seal(entry.id.0, fields::EVIDENCE_TEXT, &text);
        state
            .store
            .unshare_evidence(breach.id, id, viewer.id(), private)
            .await?;
        tracing::info!(breach = %breach.id, "evidence entry taken back");
    }
    Ok(Redirect::to(&page_path(&breach)).into_response())
}
