//! The agreements of a space: proposed, decided once, and revised.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::StoreError;
use crate::agreement::AgreementState;
use crate::ids::{AgreementId, PersonId, SpaceId};
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct AgreementRecord {
    pub id: AgreementId,
    pub space: SpaceId,
    pub proposed_by: PersonId,
    /// Sealed with the space key.
    pub text: Sealed,
    pub state: AgreementState,
    /// The accepted agreement this proposal would change.
    pub revises: Option<AgreementId>,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
}

#[async_trait]
pub trait AgreementStore: Send + Sync {
    async fn create_agreement(&self, agreement: AgreementRecord) -> Result<(), StoreError>;
    /// The agreements of a space, oldest first.
    async fn agreements(&self, space: SpaceId) -> Result<Vec<AgreementRecord>, StoreError>;
    /// Moves a proposal of `space` to `to` (accepted, declined or withdrawn); accepting a
    /// revision supersedes the agreement it revises, together. False when it was no longer
    /// a proposal (a double submit), and nothing changes.
    async fn decide_agreement(
        &self,
        space: SpaceId,
        id: AgreementId,
        to: AgreementState,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
}
