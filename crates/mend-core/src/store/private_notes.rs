//! Private notes: the evidence log of a journey and the journal of a space. Both are written
//! privately, sealed with the author's own key; sharing one re-seals it with the space key,
//! and taking it back re-seals it with the author's key again.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::StoreError;
use crate::evidence::Moment;
use crate::ids::{BreachId, EvidenceId, JournalEntryId, PersonId, SpaceId};
use crate::paging::{Window, WindowAsk};
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct EvidenceRecord {
    pub id: EvidenceId,
    pub breach: BreachId,
    pub author: PersonId,
    pub moment: Moment,
    /// Sealed with the author's own key while private, and with the space key once shared.
    pub text: Sealed,
    pub created_at: Timestamp,
    pub shared_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct JournalEntryRecord {
    pub id: JournalEntryId,
    pub space: SpaceId,
    pub author: PersonId,
    /// Sealed with the author's own key while private, and with the space key while shared.
    pub text: Sealed,
    pub created_at: Timestamp,
    pub shared_at: Option<Timestamp>,
}

#[async_trait]
pub trait PrivateNoteStore: Send + Sync {
    async fn create_evidence(&self, entry: EvidenceRecord) -> Result<(), StoreError>;
    /// The evidence entries of a journey that `viewer` may see: all of their own, and the ones
    /// the other partner shared. Oldest first.
    async fn evidence_for(
        &self,
        breach: BreachId,
        viewer: PersonId,
    ) -> Result<Vec<EvidenceRecord>, StoreError>;
    /// One window of the evidence entries `viewer` may see (as [`Self::evidence_for`]),
    /// newest first.
    async fn evidence_window(
        &self,
        breach: BreachId,
        viewer: PersonId,
        ask: WindowAsk,
    ) -> Result<Window<EvidenceRecord>, StoreError>;
    /// The evidence entry `id` of this journey, if `viewer` may see it.
    async fn evidence_entry(
        &self,
        breach: BreachId,
        viewer: PersonId,
        id: EvidenceId,
    ) -> Result<Option<EvidenceRecord>, StoreError>;
    /// Shares the author's private entry, replacing its text with the copy sealed for the
    /// space; false when it is not theirs or already shared.
    async fn share_evidence(
        &self,
        breach: BreachId,
        id: EvidenceId,
        author: PersonId,
        shared_text: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Takes back the author's shared entry, replacing its text with the copy sealed with
    /// their own key; false when it is not theirs or not shared.
    async fn unshare_evidence(
        &self,
        breach: BreachId,
        id: EvidenceId,
        author: PersonId,
        private_text: Sealed,
    ) -> Result<bool, StoreError>;

    async fn create_journal_entry(&self, entry: JournalEntryRecord) -> Result<(), StoreError>;
    /// The journal entries of a space that `viewer` may read: all of their own, and the ones
    /// the other member shared, newest first. Nobody else's private entry is ever returned.
    async fn journal_for(
        &self,
        space: SpaceId,
        viewer: PersonId,
    ) -> Result<Vec<JournalEntryRecord>, StoreError>;
    /// One window of the journal entries `viewer` may read (as [`Self::journal_for`]), newest
    /// first.
    async fn journal_window(
        &self,
        space: SpaceId,
        viewer: PersonId,
        ask: WindowAsk,
    ) -> Result<Window<JournalEntryRecord>, StoreError>;
    /// The journal entry `id` of this space, if `viewer` may read it.
    async fn journal_entry(
        &self,
        space: SpaceId,
        viewer: PersonId,
        id: JournalEntryId,
    ) -> Result<Option<JournalEntryRecord>, StoreError>;
    /// Shares the author's private entry, replacing its text with the copy sealed for the
    /// space; false when it is not theirs, not in this space, or already shared.
    async fn share_journal_entry(
        &self,
        space: SpaceId,
        id: JournalEntryId,
        author: PersonId,
        shared_text: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Makes the author's shared entry private again, replacing its text with the copy sealed
    /// with their own key; false when it is not theirs, not in this space, or already private.
    async fn unshare_journal_entry(
        &self,
        space: SpaceId,
        id: JournalEntryId,
        author: PersonId,
        private_text: Sealed,
    ) -> Result<bool, StoreError>;
    /// Deletes the author's entry for good; false when it is not theirs or already gone.
    async fn delete_journal_entry(
        &self,
        space: SpaceId,
        id: JournalEntryId,
        author: PersonId,
    ) -> Result<bool, StoreError>;
    /// When `person` last opened their journal in `space`.
    async fn journal_last_seen(
        &self,
        person: PersonId,
        space: SpaceId,
    ) -> Result<Option<Timestamp>, StoreError>;
    /// Records that `person` opened their journal in `space` at `at`.
    async fn mark_journal_seen(
        &self,
        person: PersonId,
        space: SpaceId,
        at: Timestamp,
    ) -> Result<(), StoreError>;
}
