//! Spaces, their two seats, and the invitations that fill the second.

use async_trait::async_trait;
use mend_crypto::{Sealed, WrappedKey};

use super::{LookupHash, StoreError};
use crate::ids::{InviteId, PersonId, SpaceId};
use crate::space::Seat;
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct SpaceRecord {
    pub id: SpaceId,
    pub wrapped_key: WrappedKey,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Membership {
    pub space: SpaceId,
    pub person: PersonId,
    pub seat: Seat,
    pub joined_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewInvite {
    pub id: InviteId,
    pub space: SpaceId,
    pub created_by: PersonId,
    pub code_lookup: LookupHash,
    /// The code itself, sealed with the space key, so its creator can copy the link again.
    pub code: Sealed,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct InviteRecord {
    pub id: InviteId,
    pub space: SpaceId,
    pub created_by: PersonId,
    pub code: Sealed,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

#[async_trait]
pub trait SpaceStore: Send + Sync {
    /// Creates a space with `creator` in its first seat; refused if they are in a space.
    async fn create_space(&self, space: SpaceRecord, creator: PersonId) -> Result<(), StoreError>;
    async fn space(&self, id: SpaceId) -> Result<Option<SpaceRecord>, StoreError>;
    async fn membership_of(&self, person: PersonId) -> Result<Option<Membership>, StoreError>;
    async fn members(&self, space: SpaceId) -> Result<Vec<Membership>, StoreError>;

    async fn create_invite(&self, invite: NewInvite) -> Result<(), StoreError>;
    async fn invite_by_code(&self, code: &LookupHash) -> Result<Option<InviteRecord>, StoreError>;
    /// Invitations of a space not yet used, revoked or expired.
    async fn open_invites(
        &self,
        space: SpaceId,
        now: Timestamp,
    ) -> Result<Vec<InviteRecord>, StoreError>;
    /// Withdraws an open invitation made by `by` in `space`; false when there is none.
    async fn revoke_invite(
        &self,
        space: SpaceId,
        invite: InviteId,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Uses the invitation and seats `person` in its space, both or neither.
    async fn accept_invite(
        &self,
        invite: InviteId,
        person: PersonId,
        at: Timestamp,
    ) -> Result<(), StoreError>;
}
