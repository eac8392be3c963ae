//! Written entries of a journey — the acknowledgement, the honesty pledge, further
//! disclosures, the accountability statement, the intention and its recommitments,
//! reassurance notes, "my side" and the context conversation. The writer drafts privately
//! (saved as they type, with the coach's notes), sends, may follow up or withdraw; the reader
//! sees what was sent, marks the acknowledgement received and responds to the accountability
//! statement. One module serves every kind through [`Section`]: the page in [`page`], the
//! writer's routes in [`writing`], the reader's in [`reading`].

mod page;
mod reading;
mod writing;

use axum::http::StatusCode;
use mend_core::store::EntryRecord;
use mend_core::{EntryId, EntryRefusal, Gate};
use mend_crypto::SpaceKeys;
use serde::Deserialize;

pub use page::page;
pub use reading::{received, respond};
pub use writing::{draft, send, withdraw};

use crate::access::JourneyAccess;
use crate::error::WebError;
use crate::fields;
use crate::key;
use crate::sections::Section;
use crate::state::AppState;

/// `/…/{section}` and `/…/{section}/draft`, `/send`.
#[derive(Deserialize)]
pub struct SectionPath {
    section: &'static Section,
}

/// `/…/{section}/{entry}/…`
#[derive(Deserialize)]
pub struct EntryPath {
    section: &'static Section,
    entry: EntryId,
}

/// A journey and the section of it a request is about.
struct Place {
    journey: JourneyAccess,
    section: &'static Section,
}

impl Place {
    /// The section of the journey, unless it is closed: "my side" and the context
    /// conversation stay closed, for reading and writing alike, until the hurt partner opens
    /// them.
    fn open(journey: JourneyAccess, section: &'static Section) -> Result<Self, WebError> {
        let opened = &journey.breach.state;
        let closed = match section.kind.gate() {
            Gate::Always => None,
            Gate::MySide => opened
                .my_side_opened_at
                .is_none()
                .then_some(key!("my_side.closed")),
            Gate::Context => opened
                .context_opened_at
                .is_none()
                .then_some(key!("context.closed")),
        };
        if let Some(body) = closed {
            return Err(WebError::Refused {
                status: StatusCode::FORBIDDEN,
                title: section.text.title,
                body,
            });
        }
        Ok(Place { journey, section })
    }

    /// The section's page.
    fn href(&self) -> String {
        format!("{}/{}", self.journey.href(), self.section.path)
    }

    fn key(&self) -> &SpaceKeys {
        &self.journey.key
    }

    /// The entries of the section the viewer may see, their own drafts included: for the
    /// statements read whole (`EntryKind::is_read_whole`).
    async fn entries(&self, state: &AppState) -> Result<Vec<EntryRecord>, WebError> {
        Ok(state
            .store
            .entries_for(
                self.journey.id(),
                self.section.kind,
                self.journey.viewer_id(),
            )
            .await?)
    }

    /// The entry named in the path, among those of the section the viewer may see.
    async fn entry(&self, state: &AppState, id: EntryId) -> Result<EntryRecord, WebError> {
        self.lookup(state, id).await?.ok_or(WebError::NotFound)
    }

    /// The entry `id` of the section, if the viewer may see it.
    async fn lookup(&self, state: &AppState, id: EntryId) -> Result<Option<EntryRecord>, WebError> {
        Ok(state
            .store
            .entry_for(
                self.journey.id(),
                self.section.kind,
                self.journey.viewer_id(),
                id,
            )
            .await?)
    }

    /// A refusal on the section's page: the status and words `From<EntryRefusal>` gives it,
    /// under the section's own title.
    fn refused(&self, refusal: EntryRefusal) -> WebError {
        match WebError::from(refusal) {
            WebError::Refused { status, body, .. } => WebError::Refused {
                status,
                title: self.section.text.title,
                body,
            },
            other => other,
        }
    }
}

fn open_body(key: &SpaceKeys, entry: &EntryRecord) -> Result<String, WebError> {
    match &entry.body {
        Some(sealed) => Ok(key.open(entry.id.0, fields::ENTRY_BODY, sealed)?),
        None => Ok(String::new()),
    }
}
