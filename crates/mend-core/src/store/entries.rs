//! Written entries of every kind: drafts, sending, withdrawing, and the response to an
//! accountability statement.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::StoreError;
use crate::entry::{EntryKind, EntryState, StatementResponse};
use crate::ids::{BreachId, EntryId, PersonId, SpaceId};
use crate::paging::{Window, WindowAsk};
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct EntryRecord {
    pub id: EntryId,
    pub breach: BreachId,
    pub kind: EntryKind,
    pub author: PersonId,
    /// Sealed with the space key; gone once withdrawn.
    pub body: Option<Sealed>,
    pub state: EntryState,
    /// The earlier entry this one follows: what a correction corrects, or the
    /// acknowledgement a further disclosure adds to.
    pub follows: Option<EntryId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub received_at: Option<Timestamp>,
    pub withdrawn_at: Option<Timestamp>,
    /// The hurt partner's response to an accountability statement.
    pub response: Option<StatementResponse>,
    /// What they felt was missing, sealed with the space key.
    pub response_note: Option<Sealed>,
    pub responded_at: Option<Timestamp>,
}

#[async_trait]
pub trait EntryStore: Send + Sync {
    /// Entries of one kind in a journey that `viewer` may see: everything sent or withdrawn,
    /// and their own draft, oldest first. Nobody else's draft is ever returned.
    async fn entries_for(
        &self,
        breach: BreachId,
        kind: EntryKind,
        viewer: PersonId,
    ) -> Result<Vec<EntryRecord>, StoreError>;
    /// The entry `id` of one kind in a journey, if `viewer` may see it (as
    /// [`Self::entries_for`]).
    async fn entry_for(
        &self,
        breach: BreachId,
        kind: EntryKind,
        viewer: PersonId,
        id: EntryId,
    ) -> Result<Option<EntryRecord>, StoreError>;
    /// One window of the entries of one kind sent (or withdrawn since) in a journey, newest
    /// first; never a draft.
    async fn entry_window(
        &self,
        breach: BreachId,
        kind: EntryKind,
        ask: WindowAsk,
    ) -> Result<Window<EntryRecord>, StoreError>;
    /// The author's draft of one kind in a journey, if they keep one.
    async fn draft_of(
        &self,
        breach: BreachId,
        kind: EntryKind,
        author: PersonId,
    ) -> Result<Option<EntryRecord>, StoreError>;
    /// Who has sent an entry of one kind in a journey (still sent, not withdrawn): at most
    /// the two partners.
    async fn senders(&self, breach: BreachId, kind: EntryKind)
        -> Result<Vec<PersonId>, StoreError>;
    /// When an entry of one kind was last sent in a journey by `author`, if ever (withdrawn
    /// since included, as a rhythm counts what was done).
    async fn last_sent(
        &self,
        breach: BreachId,
        kind: EntryKind,
        author: PersonId,
    ) -> Result<Option<Timestamp>, StoreError>;
    /// Entries of one kind sent (or withdrawn since) in every journey of a space, oldest
    /// first; never a draft.
    async fn sent_in_space(
        &self,
        space: SpaceId,
        kind: EntryKind,
    ) -> Result<Vec<EntryRecord>, StoreError>;
    /// Starts a draft; refused (Conflict) when the author already has one of this kind here.
    async fn create_draft(&self, entry: EntryRecord) -> Result<(), StoreError>;
    /// Replaces the text of the author's draft; false when it is no longer a draft.
    async fn update_draft(
        &self,
        id: EntryId,
        author: PersonId,
        body: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Stores `entry` sent at its `updated_at`, in one guarded statement: the author's draft
    /// under its id, in its journey and section, takes its text and is sent, or a new entry
    /// is stored sent. Conflict, changing nothing, when the id is taken by anything else (an
    /// entry sent already, someone else's, another section's).
    async fn send_entry(&self, entry: EntryRecord) -> Result<(), StoreError>;
    /// Withdraws a sent entry and forgets its text; false when not sent or not the author's.
    async fn withdraw_entry(
        &self,
        id: EntryId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Marks a sent entry of this journey received, once.
    async fn mark_received(
        &self,
        breach: BreachId,
        id: EntryId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Records (or changes) the response to a sent accountability statement of this journey;
    /// false when there is no such statement.
    async fn respond_to_statement(
        &self,
        breach: BreachId,
        entry: EntryId,
        response: StatementResponse,
        note: Option<Sealed>,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
}
