//! Notes private to their author until shared — the evidence log and the journal — checked,
//! opened, shared and taken back in one place; each route keeps its own store calls and page.
//!
//! A private note is sealed with its author's own key, which only their session holds, so not
//! even the partner's key opens it. Sharing replaces its text with a copy sealed with the
//! author's key for the space, which both partners' requests open; taking it back seals it
//! with the author's own key again, so the shared copy is gone and the partner can no longer
//! read it.

use std::future::Future;

use mend_core::private_note::{check_text, may_delete, may_share, may_unshare, NoteRefusal};
use mend_core::store::{EvidenceRecord, JournalEntryRecord};
use mend_core::{PersonId, StoreError, Timestamp, MAX_JOURNAL_CHARS};
use mend_crypto::{Sealed, SpaceKeys};
use uuid::Uuid;

use crate::error::WebError;
use crate::fields;
use crate::key;
use crate::session::Viewer;

/// What differs between the kinds of private note: the record the store keeps, the field its
/// text is sealed under, how long it may be, and what the form and the refusals say.
pub trait PrivateNote {
    /// The longest note, in characters.
    const MAX_CHARS: usize;
    /// The form's words for a note without words, and for one that is too long.
    const ERROR_EMPTY: &'static str;
    const ERROR_LONG: &'static str;

    /// The field its text is sealed under.
    const FIELD: &'static str;
    /// The field its counsellor's copy is sealed under (issue 14).
    const COUNSELLOR_FIELD: &'static str;

    fn author(&self) -> PersonId;
    fn shared_at(&self) -> Option<Timestamp>;
    /// The row its text is sealed for.
    fn row(&self) -> Uuid;
    fn text(&self) -> &Sealed;
    /// The answer to someone who may read a note, but did not write it, asking to change it.
    fn not_the_author() -> WebError;
}

impl PrivateNote for EvidenceRecord {
    const MAX_CHARS: usize = mend_core::evidence::MAX_EVIDENCE_CHARS;
    const ERROR_EMPTY: &'static str = key!("evidence.error_empty");
    const ERROR_LONG: &'static str = key!("evidence.error_long");
    const FIELD: &'static str = fields::EVIDENCE_TEXT;
    const COUNSELLOR_FIELD: &'static str = fields::EVIDENCE_COUNSELLOR_COPY;

    fn author(&self) -> PersonId {
        self.author
    }

    fn shared_at(&self) -> Option<Timestamp> {
        self.shared_at
    }

    fn row(&self) -> Uuid {
        self.id.0
    }

    fn text(&self) -> &Sealed {
        &self.text
    }

    /// Only the keeper writes in their log, so another's entry is treated as one that does
    /// not exist.
    fn not_the_author() -> WebError {
        WebError::NotFound
    }
}

impl PrivateNote for JournalEntryRecord {
    const MAX_CHARS: usize = MAX_JOURNAL_CHARS;
    const ERROR_EMPTY: &'static str = key!("journal.error_empty");
    const ERROR_LONG: &'static str = key!("journal.error_long");
    const FIELD: &'static str = fields::JOURNAL_TEXT;
    const COUNSELLOR_FIELD: &'static str = fields::JOURNAL_COUNSELLOR_COPY;

    fn author(&self) -> PersonId {
        self.author
    }

    fn shared_at(&self) -> Option<Timestamp> {
        self.shared_at
    }

    fn row(&self) -> Uuid {
        self.id.0
    }

    fn text(&self) -> &Sealed {
        &self.text
    }

    /// The partner can read a shared entry, so they are told it is not theirs to change.
    fn not_the_author() -> WebError {
        WebError::Refused {
            status: axum::http::StatusCode::FORBIDDEN,
            title: key!("journal.title"),
            body: key!("journal.not_yours"),
        }
    }
}

/// A new note's words, trimmed, if they may be kept; else the form's words for the problem.
pub fn words<N: PrivateNote>(raw: &str) -> Result<&str, &'static str> {
    let text = raw.trim();
    match check_text(text, N::MAX_CHARS) {
        Ok(()) => Ok(text),
        Err(NoteRefusal::TooLong) => Err(N::ERROR_LONG),
        Err(_) => Err(N::ERROR_EMPTY),
    }
}

/// What a form shows again of refused words: as much as a note may hold.
pub fn typed_again<N: PrivateNote>(raw: &str) -> String {
    raw.trim().chars().take(N::MAX_CHARS).collect()
}

/// The keys the viewer's notes are sealed with: their own, and the space's keys.
pub struct NoteKeys<'a> {
    viewer: &'a Viewer,
    space: &'a SpaceKeys,
}

impl<'a> NoteKeys<'a> {
    pub fn new(viewer: &'a Viewer, space: &'a SpaceKeys) -> Self {
        Self { viewer, space }
    }

    /// Opens `note`: a shared one with the space's keys (it may be the partner's), a private
    /// one with the viewer's own key (only the author's private notes ever reach them).
    pub fn open<N: PrivateNote>(&self, note: &N) -> Result<String, WebError> {
        Ok(if note.shared_at().is_some() {
            self.space.open(note.row(), N::FIELD, note.text())?
        } else {
            self.viewer.key.open(note.row(), N::FIELD, note.text())?
        })
    }

    /// Whether `note` is the viewer's own, with these words: the same form, sent again.
    pub fn is_same<N: PrivateNote>(&self, note: &N, text: &str) -> Result<bool, WebError> {
        Ok(note.author() == self.viewer.id() && self.open(note)? == text)
    }

    /// Shares the viewer's private `note`: `store` keeps its copy sealed with their author key and
    /// says whether it changed anything. A note shared already is a double submit: nothing
    /// changes.
    pub async fn share<N, F, Fut>(&self, note: &N, store: F) -> Result<bool, WebError>
    where
        N: PrivateNote,
        F: FnOnce(Sealed) -> Fut,
        Fut: Future<Output = Result<bool, StoreError>>,
    {
        match may_share(note.author(), self.viewer.id(), note.shared_at().is_some()) {
            Ok(()) => {
                let text = self.viewer.key.open(note.row(), N::FIELD, note.text())?;
                Ok(store(self.space.seal(note.row(), N::FIELD, &text)).await?)
            }
            Err(NoteRefusal::AlreadyShared) => Ok(false),
            Err(_) => Err(N::not_the_author()),
        }
    }

    /// Takes back the viewer's shared `note`: `store` keeps its copy sealed with their own key
    /// again and says whether it changed anything. A private note is a double submit: nothing
    /// changes.
    pub async fn unshare<N, F, Fut>(&self, note: &N, store: F) -> Result<bool, WebError>
    where
        N: PrivateNote,
        F: FnOnce(Sealed) -> Fut,
        Fut: Future<Output = Result<bool, StoreError>>,
    {
        match may_unshare(note.author(), self.viewer.id(), note.shared_at().is_some()) {
            Ok(()) => {
                let text = self.space.open(note.row(), N::FIELD, note.text())?;
                Ok(store(self.viewer.key.seal(note.row(), N::FIELD, &text)).await?)
            }
            Err(NoteRefusal::NotShared) => Ok(false),
            Err(_) => Err(N::not_the_author()),
        }
    }

    /// The copy of the viewer's own `note` its counsellor reads (issue 14): sealed with their
    /// author key for the space under its own field, apart from the text the partner may read.
    pub fn copy_for_counsellor<N: PrivateNote>(
        &self,
        note: &N,
        counsellor_reads: bool,
    ) -> Result<Sealed, WebError> {
        mend_core::may_share_with_counsellor(note.author(), self.viewer.id(), counsellor_reads)?;
        let text = self.open(note)?;
        Ok(self.space.seal(note.row(), N::COUNSELLOR_FIELD, &text))
    }

    /// Whether the viewer may delete `note`: only its author, shared or not.
    pub fn may_delete<N: PrivateNote>(&self, note: &N) -> Result<(), WebError> {
        may_delete(note.author(), self.viewer.id()).map_err(|_| N::not_the_author())
    }
}
