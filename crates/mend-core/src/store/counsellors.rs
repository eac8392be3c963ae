//! A counsellor's place in a space, the partners' share choices, and what the counsellor reads.
//! Every read for a counsellor takes the counsellor's id and is answered only through an active
//! grant of theirs and the share choices, in the query itself.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::{EntryRecord, LookupHash, StoreError};
use crate::counsellor::{Consent, Grant, GrantEnd, ShareChoices};
use crate::ids::{BreachId, CounsellorGrantId, PersonId, SpaceId};
use crate::space::Seat;
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct NewCounsellorGrant {
    pub id: CounsellorGrantId,
    pub space: SpaceId,
    pub proposed_by: Seat,
    pub code_lookup: LookupHash,
    /// The link's code, sealed with the space key, so the partners can copy the link again.
    pub code: Sealed,
    pub proposed_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct CounsellorGrantRecord {
    pub id: CounsellorGrantId,
    pub space: SpaceId,
    pub code: Sealed,
    pub grant: Grant,
    pub counsellor: Option<PersonId>,
    pub ended_why: Option<GrantEnd>,
}

#[async_trait]
pub trait CounsellorStore: Send + Sync {
    /// Stores a proposal, only in a space no partner has left and with no other open grant
    /// (`StoreError::Conflict` otherwise).
    async fn propose_counsellor(&self, grant: NewCounsellorGrant) -> Result<(), StoreError>;
    /// The space's open grant (proposed, agreed or accepted, not ended), if any.
    async fn open_counsellor_grant(
        &self,
        space: SpaceId,
    ) -> Result<Option<CounsellorGrantRecord>, StoreError>;
    async fn counsellor_grant_by_code(
        &self,
        code: &LookupHash,
    ) -> Result<Option<CounsellorGrantRecord>, StoreError>;
    /// The other partner's agreement; false when `by` proposed it or nothing waits for it.
    async fn agree_counsellor(
        &self,
        space: SpaceId,
        grant: CounsellorGrantId,
        by: Seat,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Uses the link: only once, only agreed, before [`crate::COUNSELLOR_INVITE_LIFETIME`] has
    /// passed since the agreement, never by a partner of the space; false otherwise.
    async fn accept_counsellor(
        &self,
        grant: CounsellorGrantId,
        counsellor: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Ends the space's open grant at once; false when there is none.
    async fn end_counsellor(
        &self,
        space: SpaceId,
        why: GrantEnd,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// The grants through which `counsellor` reads now, oldest first.
    async fn counsellor_grants(
        &self,
        counsellor: PersonId,
    ) -> Result<Vec<CounsellorGrantRecord>, StoreError>;

    /// Replaces `person`'s choices for a journey of their own space.
    async fn choose_shares(
        &self,
        breach: BreachId,
        person: PersonId,
        choices: &ShareChoices,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Both partners' choices for a journey.
    async fn consent(&self, breach: BreachId) -> Result<Consent, StoreError>;

    /// The sent entries `counsellor` may read in a journey, oldest first: none without an
    /// active grant of theirs over its space; an entry when its author allowed entries (their
    /// own words); the response to it only when both partners did. Withdrawn and draft entries
    /// never.
    async fn counsellor_entries(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<EntryRecord>, StoreError>;
}
