//! The writer's routes: a draft saved as they type, sending it once, withdrawing it.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::entry::{check_text, may_withdraw, may_write};
use mend_core::store::EntryRecord;
use mend_core::{EntryId, EntryKind, EntryRefusal, EntryState, FollowUp, StoreError};
use serde::Deserialize;

use super::page::shown_again;
use super::{open_body, EntryPath, Place, SectionPath};
use crate::access::{JourneyAccess, Ongoing};
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::{Form, Path};
use crate::fields;
use crate::key;
use crate::once::{store_once, Kept, Stored};
use crate::sections::Section;
use crate::session::now;
use crate::state::AppState;
use crate::views::{render, SavedFragment};

/// The writer's words, as saved or sent.
#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    text: String,
    /// The entry the page gave its form; a form without one is refused after its words are
    /// checked, and one with a malformed id is refused as a whole, as a malformed form.
    entry: Option<EntryId>,
}

impl TextForm {
    /// The entry id the form was rendered for.
    fn entry(&self) -> Result<EntryId, WebError> {
        self.entry.ok_or(WebError::BadRequest)
    }
}

/// The section of an ongoing journey, for its writer only.
fn writers_place(journey: JourneyAccess, section: &'static Section) -> Result<Place, WebError> {
    let at = Place::open(journey, section)?;
    may_write(section.kind, at.journey.role).map_err(|r| at.refused(r))?;
    Ok(at)
}

/// What saving a draft came to.
enum Saved {
    Draft,
    /// The entry the form was written for has been sent already: this is a resubmission.
    AlreadySent,
    /// The writer keeps another draft of this section, from another tab or window: the
    /// form's words were not saved, so as not to write over that one.
    Elsewhere,
}

/// The earlier entry a new one of this section follows, if any.
async fn follows(state: &AppState, at: &Place) -> Result<Option<EntryId>, WebError> {
    let latest_sent = |list: &[EntryRecord]| {
        list.iter()
            .rev()
            .find(|e| e.state == EntryState::Sent)
            .map(|e| e.id)
    };
    Ok(match at.section.kind.follow_up() {
        FollowUp::Correction => latest_sent(&at.entries(state).await?),
        FollowUp::AddsToAcknowledgement => {
            let acks = state
                .store
                .entries_for(
                    at.journey.id(),
                    EntryKind::Acknowledgement,
                    at.journey.viewer_id(),
                )
                .await?;
            latest_sent(&acks)
        }
        FollowUp::Standalone => None,
    })
}

/// Saves the viewer's draft under the entry id the page gave its form, creating it on first
/// save. Only that entry is ever written: a form whose id is unknown starts its own draft.
async fn save_draft(
    state: &AppState,
    at: &Place,
    text: &str,
    requested: EntryId,
) -> Result<Saved, WebError> {
    let viewer = at.journey.viewer_id();
    let now = now();
    let update = || async {
        let sealed = at.key().seal(requested.0, fields::ENTRY_BODY, text);
        Ok::<_, WebError>(
            if state
                .store
                .update_draft(requested, viewer, sealed, now)
                .await?
            {
                Saved::Draft
            } else {
                Saved::AlreadySent
            },
        )
    };
    match at.lookup(state, requested).await? {
        Some(entry) if entry.author != viewer => return Err(WebError::NotFound),
        Some(entry) if entry.state != EntryState::Draft => return Ok(Saved::AlreadySent),
        Some(_) => return update().await,
        None => {}
    }
    let created = state
        .store
        .create_draft(EntryRecord {
            id: requested,
            breach: at.journey.id(),
            kind: at.section.kind,
            author: viewer,
            body: Some(at.key().seal(requested.0, fields::ENTRY_BODY, text)),
            state: EntryState::Draft,
            follows: follows(state, at).await?,
            created_at: now,
            updated_at: now,
            sent_at: None,
            received_at: None,
            withdrawn_at: None,
            response: None,
            response_note: None,
            responded_at: None,
        })
        .await;
    match created {
        Ok(()) => Ok(Saved::Draft),
        // Either this form was saved a moment ago (two saves at once), or the writer keeps
        // another draft here.
        Err(StoreError::Conflict(_)) => match at.lookup(state, requested).await? {
            Some(e) if e.author == viewer && e.state == EntryState::Draft => update().await,
            Some(e) if e.author == viewer => Ok(Saved::AlreadySent),
            _ => Ok(Saved::Elsewhere),
        },
        Err(e) => Err(e.into()),
    }
}

/// Sends the form's words as the entry it names: its draft if there is one, else a new entry,
/// in one store call. Sent again, the same words are recognised and nothing more is sent; an
/// old form sent with other words becomes an entry of its own.
async fn send_once(
    state: &AppState,
    at: &Place,
    text: &str,
    requested: EntryId,
) -> Result<Stored<EntryId>, WebError> {
    let viewer = at.journey.viewer_id();
    let follows = follows(state, at).await?;
    let now = now();
    let send = |id: EntryId| {
        state.store.send_entry(EntryRecord {
            id,
            breach: at.journey.id(),
            kind: at.section.kind,
            author: viewer,
            body: Some(at.key().seal(id.0, fields::ENTRY_BODY, text)),
            state: EntryState::Sent,
            follows,
            created_at: now,
            updated_at: now,
            sent_at: Some(now),
            received_at: None,
            withdrawn_at: None,
            response: None,
            response_note: None,
            responded_at: None,
        })
    };
    let kept = |id: EntryId| async move {
        Ok(match at.lookup(state, id).await? {
            Some(e) if e.author == viewer && e.state == EntryState::Sent => {
                if open_body(at.key(), &e)? == text {
                    Kept::Same
                } else {
                    Kept::Other
                }
            }
            // Anything else, a withdrawn entry included (its words are gone, so this form's
            // cannot be told from others): the words sent now are stored as their own entry.
            _ => Kept::Other,
        })
    };
    store_once(requested, send, kept).await
}

fn text_problem(section: &Section, refusal: EntryRefusal) -> &'static str {
    match refusal {
        EntryRefusal::TooLong => key!("entry.error_long"),
        _ => section.text.error_empty,
    }
}

pub async fn draft(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    chrome: Chrome,
    headers: HeaderMap,
    Path(SectionPath { section }): Path<SectionPath>,
    Form(form): Form<TextForm>,
) -> Result<Response, WebError> {
    let at = writers_place(journey, section)?;
    let text = form.text.as_str();
    let live = headers.contains_key("hx-request");
    if let Err(EntryRefusal::TooLong) = check_text(text) {
        if live {
            return Ok(render(&SavedFragment {
                chrome,
                message: key!("entry.error_long"),
            }));
        }
        let problems = vec![key!("entry.error_long")];
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return shown_again(&state, chrome, &at, text, status, problems).await;
    }
    let saved = save_draft(&state, &at, text, form.entry()?).await?;
    if live {
        let message = match saved {
            Saved::Draft => key!("entry.saved"),
            Saved::AlreadySent => key!("entry.gone"),
            Saved::Elsewhere => key!("entry.draft_elsewhere"),
        };
        return Ok(render(&SavedFragment { chrome, message }));
    }
    if let Saved::Elsewhere = saved {
        let problems = vec![key!("entry.draft_elsewhere")];
        return shown_again(&state, chrome, &at, text, StatusCode::CONFLICT, problems).await;
    }
    Ok(Redirect::to(&at.href()).into_response())
}

pub async fn send(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    chrome: Chrome,
    Path(SectionPath { section }): Path<SectionPath>,
    Form(form): Form<TextForm>,
) -> Result<Response, WebError> {
    let at = writers_place(journey, section)?;
    let text = form.text.as_str();
    if let Err(refusal) = check_text(text) {
        let problems = vec![text_problem(section, refusal)];
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return shown_again(&state, chrome, &at, text, status, problems).await;
    }
    // While the hurt partner has muted reassurance notes, one can be kept as a draft only.
    if section.kind == EntryKind::Reassurance
        && at.journey.breach.state.reassurance_muted_at.is_some()
    {
        let mut errors = vec![key!("reassurance.muted_writer")];
        if let Saved::Elsewhere = save_draft(&state, &at, text, form.entry()?).await? {
            errors.push(key!("entry.draft_elsewhere"));
        }
        return shown_again(&state, chrome, &at, text, StatusCode::CONFLICT, errors).await;
    }
    // A resubmitted form, or one sent a moment ago from elsewhere, sends nothing twice.
    if send_once(&state, &at, text, form.entry()?).await?.is_new() {
        tracing::info!(breach = %at.journey.id(), kind = section.kind.as_str(), "entry sent");
        at.journey.area_begins(&state, section.kind.area()).await?;
    }
    Ok(Redirect::to(&at.href()).into_response())
}

pub async fn withdraw(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(EntryPath { section, entry }): Path<EntryPath>,
) -> Result<Response, WebError> {
    let at = Place::open(journey, section)?;
    let entry = at.entry(&state, entry).await?;
    let viewer = at.journey.viewer_id();
    may_withdraw(entry.author == viewer, entry.state).map_err(|r| at.refused(r))?;
    if !state.store.withdraw_entry(entry.id, viewer, now()).await? {
        // Changed a moment ago, from elsewhere.
        return Err(at.refused(EntryRefusal::WrongState));
    }
    tracing::info!(breach = %at.journey.id(), kind = section.kind.as_str(), "entry withdrawn");
    Ok(Redirect::to(&at.href()).into_response())
}
