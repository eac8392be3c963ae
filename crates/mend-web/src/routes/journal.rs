//! Each partner's private journal. Entries are sealed with the author's own key and listed only
//! for them; sharing one seals it with the space key for the partner, and taking it back seals
//! it with the author's key again.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::journal::{check_text, may_delete, may_share, may_unshare};
use mend_core::store::JournalEntryRecord;
use mend_core::{JournalEntryId, JournalRefusal, SpaceId, MAX_JOURNAL_CHARS};
use mend_crypto::DataKey;

use crate::access::own_space;
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Form;
use crate::fields;
use crate::key;
use crate::once::{form_id, store_once, Kept};
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::unread::is_new;
use crate::views::{render, render_with, JournalEntryView, JournalPage};

fn page_path(space: SpaceId) -> String {
    format!("/spaces/{space}/journal")
}

fn not_yours() -> WebError {
    WebError::Refused {
        status: StatusCode::FORBIDDEN,
        title: key!("journal.title"),
        body: key!("journal.not_yours"),
    }
}

/// Opens an entry with whichever key sealed it: the space key while shared, else the author's.
fn open(viewer: &Viewer, space_key: &DataKey, e: &JournalEntryRecord) -> Result<String, WebError> {
    let key = if e.shared_at.is_some() {
        space_key
    } else {
        &viewer.key
    };
    Ok(key.open(e.id.0, fields::JOURNAL_TEXT, &e.text)?)
}

async fn render_page(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    space: SpaceId,
    space_key: &DataKey,
    typed: String,
    errors: Vec<&'static str>,
) -> Result<JournalPage, WebError> {
    let last_seen = state.store.journal_last_seen(viewer.id(), space).await?;
    let mut yours = Vec::new();
    let mut partners = Vec::new();
    for e in state.store.journal_for(space, viewer.id()).await? {
        let mine = e.author == viewer.id();
        let view = JournalEntryView {
            id: e.id.to_string(),
            text: open(viewer, space_key, &e)?,
            written_on: e.created_at.utc_minute(),
            shared_on: e.shared_at.map(|t| t.utc_minute()),
            new: !mine && e.shared_at.is_some_and(|at| is_new(at, last_seen)),
        };
        if mine {
            yours.push(view);
        } else {
            partners.push(view);
        }
    }
    Ok(JournalPage {
        chrome: chrome.signed_in(),
        action: page_path(space),
        space: format!("/spaces/{space}"),
        next_entry: JournalEntryId::new().to_string(),
        yours,
        has_partner: state.store.members(space).await?.len() >= 2,
        partners,
        typed,
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let (space, key) = own_space(&state, &viewer, &raw).await?;
    let page = render_page(
        &state,
        &viewer,
        chrome,
        space,
        &key,
        String::new(),
        Vec::new(),
    )
    .await?;
    state
        .store
        .mark_journal_seen(viewer.id(), space, now())
        .await?;
    Ok(render(&page))
}

pub async fn write(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path(raw): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (space, key) = own_space(&state, &viewer, &raw).await?;
    let text = form.get("text").map(|t| t.trim()).unwrap_or("");
    let problem = match check_text(text) {
        Ok(()) => None,
        Err(JournalRefusal::TooLong) => Some(key!("journal.error_long")),
        Err(_) => Some(key!("journal.error_empty")),
    };
    if let Some(problem) = problem {
        let typed = text.chars().take(MAX_JOURNAL_CHARS).collect();
        let page = render_page(&state, &viewer, chrome, space, &key, typed, vec![problem]).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let requested: JournalEntryId = form_id(&form, "entry")?;
    let (state, viewer, key) = (&state, &viewer, &key);
    let write = |id: JournalEntryId| {
        state.store.create_journal_entry(JournalEntryRecord {
            id,
            space,
            author: viewer.id(),
            text: viewer.key.seal(id.0, fields::JOURNAL_TEXT, text),
            created_at: now(),
            shared_at: None,
        })
    };
    let kept = |id: JournalEntryId| async move {
        let entries = state.store.journal_for(space, viewer.id()).await?;
        Ok(match entries.iter().find(|e| e.id == id) {
            Some(e) if e.author == viewer.id() && open(viewer, key, e)? == text => Kept::Same,
            _ => Kept::Other,
        })
    };
    if store_once(requested, write, kept).await?.is_new() {
        tracing::info!(%space, "journal entry written");
    }
    Ok(Redirect::to(&page_path(space)).into_response())
}

/// The entry `raw` names among those the viewer may read. Anything else is not found, so the
/// partner's private entry cannot be told apart from one that never existed.
async fn readable_entry(
    state: &AppState,
    viewer: &Viewer,
    space: SpaceId,
    raw: &str,
) -> Result<JournalEntryRecord, WebError> {
    let id: JournalEntryId = raw.parse().map_err(|_| WebError::NotFound)?;
    state
        .store
        .journal_for(space, viewer.id())
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(WebError::NotFound)
}

pub async fn share(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_entry)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (space, space_key) = own_space(&state, &viewer, &raw_space).await?;
    let entry = readable_entry(&state, &viewer, space, &raw_entry).await?;
    match may_share(entry.author, viewer.id(), entry.shared_at.is_some()) {
        Ok(()) => {
            let text = viewer
                .key
                .open(entry.id.0, fields::JOURNAL_TEXT, &entry.text)?;
            let shared = space_key.seal(entry.id.0, fields::JOURNAL_TEXT, &text);
            if state
                .store
                .share_journal_entry(space, entry.id, viewer.id(), shared, now())
                .await?
            {
                tracing::info!(%space, "journal entry shared");
            }
        }
        // Shared already: a double submit changes nothing.
        Err(JournalRefusal::AlreadyShared) => {}
        Err(_) => return Err(not_yours()),
    }
    Ok(Redirect::to(&page_path(space)).into_response())
}

pub async fn unshare(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_entry)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (space, space_key) = own_space(&state, &viewer, &raw_space).await?;
    let entry = readable_entry(&state, &viewer, space, &raw_entry).await?;
    match may_unshare(entry.author, viewer.id(), entry.shared_at.is_some()) {
        Ok(()) => {
            let text = space_key.open(entry.id.0, fields::JOURNAL_TEXT, &entry.text)?;
            let private = viewer.key.seal(entry.id.0, fields::JOURNAL_TEXT, &text);
            if state
                .store
                .unshare_journal_entry(space, entry.id, viewer.id(), private)
                .await?
            {
                tracing::info!(%space, "journal entry taken back");
            }
        }
        // Private already: a double submit changes nothing.
        Err(JournalRefusal::NotShared) => {}
        Err(_) => return Err(not_yours()),
    }
    Ok(Redirect::to(&page_path(space)).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_entry)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (space, _) = own_space(&state, &viewer, &raw_space).await?;
    let entry = readable_entry(&state, &viewer, space, &raw_entry).await?;
    may_delete(entry.author, viewer.id()).map_err(|_| not_yours())?;
    if state
        .store
        .delete_journal_entry(space, entry.id, viewer.id())
        .await?
    {
        tracing::info!(%space, "journal entry deleted");
    }
    Ok(Redirect::to(&page_path(space)).into_response())
}
