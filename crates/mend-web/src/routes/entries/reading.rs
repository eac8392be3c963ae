//! The reader's routes: marking an entry received, responding to an accountability statement.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::entry::{may_mark_received, may_respond};
use mend_core::{EntryRefusal, StatementResponse};
use serde::Deserialize;

use super::{EntryPath, Place};
use crate::access::{JourneyAccess, Ongoing};
use crate::error::WebError;
use crate::extract::{Form, Path};
use crate::fields;
use crate::session::now;
use crate::state::AppState;

pub async fn received(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(EntryPath { section, entry }): Path<EntryPath>,
) -> Result<Response, WebError> {
    let at = Place::open(journey, section)?;
    let entry = at.entry(&state, entry).await?;
    match may_mark_received(
        section.kind,
        at.journey.role,
        entry.state,
        entry.received_at.is_some(),
    ) {
        Ok(()) => {}
        Err(refusal @ EntryRefusal::NotTheReader) => return Err(at.refused(refusal)),
        // Already received, or withdrawn meanwhile: a double submit changes nothing.
        Err(_) if section.kind.is_marked_received() => {
            return Ok(Redirect::to(&at.href()).into_response())
        }
        Err(_) => return Err(WebError::NotFound),
    }
    state
        .store
        .mark_received(at.journey.id(), entry.id, now())
        .await?;
    tracing::info!(breach = %at.journey.id(), "acknowledgement received");
    Ok(Redirect::to(&at.href()).into_response())
}

/// The hurt partner's response to an accountability statement, and what they feel is missing.
#[derive(Deserialize)]
pub struct RespondForm {
    response: StatementResponse,
    #[serde(default)]
    note: String,
}

impl RespondForm {
    /// The note kept with the response: with "something is missing" only, and if it shows
    /// anything.
    fn note(&self) -> Result<Option<&str>, EntryRefusal> {
        let note = self.note.trim();
        if note.chars().count() > mend_core::MAX_ENTRY_CHARS {
            return Err(EntryRefusal::TooLong);
        }
        Ok((!mend_core::text::is_blank(note)
            && self.response == StatementResponse::SomethingMissing)
            .then_some(note))
    }
}

/// The hurt partner's response to an accountability statement: it feels genuine, or something
/// is missing (and, if they like, what). It may change later.
pub async fn respond(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(EntryPath { section, entry }): Path<EntryPath>,
    Form(form): Form<RespondForm>,
) -> Result<Response, WebError> {
    let at = Place::open(journey, section)?;
    let entry = at.entry(&state, entry).await?;
    match may_respond(section.kind, at.journey.role, entry.state) {
        Ok(()) => {}
        Err(refusal @ EntryRefusal::NotTheResponder) => return Err(at.refused(refusal)),
        Err(_) => return Err(WebError::NotFound),
    }
    let note = form.note().map_err(|r| at.refused(r))?;
    let sealed = note.map(|n| at.key().seal(entry.id.0, fields::ENTRY_RESPONSE_NOTE, n));
    state
        .store
        .respond_to_statement(at.journey.id(), entry.id, form.response, sealed, now())
        .await?;
    tracing::info!(breach = %at.journey.id(), "accountability statement responded to");
    Ok(Redirect::to(&format!("{}#entry-{}", at.href(), entry.id)).into_response())
}
