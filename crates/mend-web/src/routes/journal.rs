//! Each partner's private journal. Entries are sealed with the author's own key and listed only
//! for them; sharing one seals it with the space key for the partner, and taking it back seals
//! it with the author's key again. The sealing is [`crate::private_notes`]'s, shared with the
//! evidence log.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::store::JournalEntryRecord;
use mend_core::{JournalEntryId, WindowAsk};
use serde::Deserialize;

use crate::access::SpaceAccess;
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::{Form, Path, Query};
use crate::fields;
use crate::once::{store_once, FormId, Kept};
use crate::paging::{Pager, WindowQuery};
use crate::private_notes::{typed_again, words, NoteKeys};
use crate::session::now;
use crate::state::AppState;
use crate::unread::is_new;
use crate::views::{render, render_with, JournalEntryView, JournalPage};
use crate::when::LocalClock;

fn page_path(space: &SpaceAccess) -> String {
    format!("{}/journal", space.href())
}

/// `/journal/{entry}/…`
#[derive(Deserialize)]
pub struct EntryPath {
    entry: JournalEntryId,
}

fn keys(space: &SpaceAccess) -> NoteKeys<'_> {
    NoteKeys::new(&space.viewer, &space.key)
}

/// How many entries, the viewer's and their partner's together, the page shows at a time.
const WINDOW: usize = 20;

async fn render_page(
    state: &AppState,
    space: &SpaceAccess,
    chrome: Chrome,
    ask: WindowAsk,
    typed: String,
    errors: Vec<&'static str>,
) -> Result<JournalPage, WebError> {
    let viewer = space.viewer.id();
    let clock = LocalClock::of(state.strings, &space.viewer);
    let last_seen = state.store.journal_last_seen(viewer, space.space).await?;
    let mut yours = Vec::new();
    let mut partners = Vec::new();
    let window = state.store.journal_window(space.space, viewer, ask).await?;
    let own: Vec<JournalEntryId> = window
        .items
        .iter()
        .filter(|e| e.author == viewer)
        .map(|e| e.id)
        .collect();
    let with_counsellor = state
        .store
        .journal_shared_with_counsellor(space.space, viewer, &own)
        .await?;
    // Only the entries of this window are opened.
    for e in &window.items {
        let mine = e.author == viewer;
        let view = JournalEntryView {
            id: e.id.to_string(),
            text: keys(space).open(e)?,
            written_on: clock.at(e.created_at),
            shared_on: e.shared_at.map(|t| clock.at(t)),
            new: !mine && e.shared_at.is_some_and(|at| is_new(at, last_seen)),
            with_counsellor: mine && with_counsellor.contains(&e.id),
        };
        if mine {
            yours.push(view);
        } else {
            partners.push(view);
        }
    }
    let action = page_path(space);
    Ok(JournalPage {
        chrome: chrome.signed_in(),
        pager: Pager::of(&action, ask, &window),
        action,
        space: space.href(),
        next_entry: JournalEntryId::new().to_string(),
        yours,
        has_partner: space.partner().is_some(),
        counsellor: crate::routes::counsellor::counsellor_reads(state, space.space).await?,
        partners,
        typed,
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    space: SpaceAccess,
    chrome: Chrome,
    Query(window): Query<WindowQuery>,
) -> Result<Response, WebError> {
    let ask = window.ask(WINDOW);
    let mut page = render_page(&state, &space, chrome, ask, String::new(), Vec::new()).await?;
    crate::waiting_view::opened_journal(&state, &space, &mut page.chrome).await?;
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    text: String,
    /// The id the entry is stored under; this form had it before `form_id` was the name.
    #[serde(default)]
    entry: FormId<JournalEntryId>,
}

pub async fn write(
    State(state): State<AppState>,
    space: SpaceAccess,
    chrome: Chrome,
    Form(form): Form<EntryForm>,
) -> Result<Response, WebError> {
    let text = match words::<JournalEntryRecord>(&form.text) {
        Ok(text) => text,
        Err(problem) => {
            let typed = typed_again::<JournalEntryRecord>(&form.text);
            let ask = WindowAsk::newest(WINDOW);
            let page = render_page(&state, &space, chrome, ask, typed, vec![problem]).await?;
            return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let (state, space, viewer) = (&state, &space, &space.viewer);
    let write = |id: JournalEntryId| {
        state.store.create_journal_entry(JournalEntryRecord {
            id,
            space: space.space,
            author: viewer.id(),
            text: viewer.key.seal(id.0, fields::JOURNAL_TEXT, text),
            created_at: now(),
            shared_at: None,
        })
    };
    let kept = |id: JournalEntryId| async move {
        let entry = state
            .store
            .journal_entry(space.space, viewer.id(), id)
            .await?;
        Ok(match entry {
            Some(e) if keys(space).is_same(&e, text)? => Kept::Same,
            _ => Kept::Other,
        })
    };
    if store_once(form.entry.0, write, kept).await?.is_new() {
        tracing::info!(space = %space.space, "journal entry written");
    }
    Ok(Redirect::to(&page_path(space)).into_response())
}

/// The entry `id` among those the viewer may read. Anything else is not found, so the
/// partner's private entry cannot be told apart from one that never existed.
async fn readable_entry(
    state: &AppState,
    space: &SpaceAccess,
    id: JournalEntryId,
) -> Result<JournalEntryRecord, WebError> {
    state
        .store
        .journal_entry(space.space, space.viewer.id(), id)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn share(
    State(state): State<AppState>,
    space: SpaceAccess,
    Path(EntryPath { entry }): Path<EntryPath>,
) -> Result<Response, WebError> {
    let note = readable_entry(&state, &space, entry).await?;
    let (id, author) = (space.space, space.viewer.id());
    let share = |sealed| {
        state
            .store
            .share_journal_entry(id, entry, author, sealed, now())
    };
    if keys(&space).share(&note, share).await? {
        tracing::info!(space = %id, "journal entry shared");
    }
    Ok(Redirect::to(&page_path(&space)).into_response())
}

pub async fn unshare(
    State(state): State<AppState>,
    space: SpaceAccess,
    Path(EntryPath { entry }): Path<EntryPath>,
) -> Result<Response, WebError> {
    let note = readable_entry(&state, &space, entry).await?;
    let (id, author) = (space.space, space.viewer.id());
    let unshare = |sealed| state.store.unshare_journal_entry(id, entry, author, sealed);
    if keys(&space).unshare(&note, unshare).await? {
        tracing::info!(space = %id, "journal entry taken back");
    }
    Ok(Redirect::to(&page_path(&space)).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    space: SpaceAccess,
    Path(EntryPath { entry }): Path<EntryPath>,
) -> Result<Response, WebError> {
    let note = readable_entry(&state, &space, entry).await?;
    keys(&space).may_delete(&note)?;
    if state
        .store
        .delete_journal_entry(space.space, entry, space.viewer.id())
        .await?
    {
        tracing::info!(space = %space.space, "journal entry deleted");
    }
    Ok(Redirect::to(&page_path(&space)).into_response())
}

/// Shares one of the viewer's entries with the counsellor only (issue 14). A second click
/// finds it shared already and changes nothing.
pub async fn share_with_counsellor(
    State(state): State<AppState>,
    space: SpaceAccess,
    Path(EntryPath { entry }): Path<EntryPath>,
) -> Result<Response, WebError> {
    let note = readable_entry(&state, &space, entry).await?;
    let reads = crate::routes::counsellor::counsellor_reads(&state, space.space).await?;
    let copy = keys(&space).copy_for_counsellor(&note, reads)?;
    if state
        .store
        .share_journal_with_counsellor(space.space, entry, space.viewer.id(), copy, now())
        .await?
    {
        tracing::info!(space = %space.space, "journal entry shared with the counsellor");
    }
    Ok(Redirect::to(&page_path(&space)).into_response())
}

/// Takes the counsellor's copy back, whether or not a counsellor still reads the space.
pub async fn unshare_from_counsellor(
    State(state): State<AppState>,
    space: SpaceAccess,
    Path(EntryPath { entry }): Path<EntryPath>,
) -> Result<Response, WebError> {
    let note = readable_entry(&state, &space, entry).await?;
    mend_core::may_share_with_counsellor(note.author, space.viewer.id(), true)?;
    if state
        .store
        .unshare_journal_from_counsellor(space.space, entry, space.viewer.id())
        .await?
    {
        tracing::info!(space = %space.space, "journal entry taken back from the counsellor");
    }
    Ok(Redirect::to(&page_path(&space)).into_response())
}
