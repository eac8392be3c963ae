//! Breaches and their journeys: the areas, the partners' choices, and the last visits.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::StoreError;
use crate::ids::{BreachId, PersonId, SpaceId};
use crate::journey::{Area, AreaStatus};
use crate::journey_state::{JourneyChange, JourneyState};
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct BreachRecord {
    pub id: BreachId,
    pub space: SpaceId,
    pub hurt: PersonId,
    pub repairing: PersonId,
    pub opened_by: PersonId,
    /// `BreachDetails` as JSON, sealed with the space key.
    pub details: Sealed,
    pub created_at: Timestamp,
    /// What the partners have chosen since, and how the journey ended.
    pub state: JourneyState,
}

impl BreachRecord {
    /// The role `person` has in this journey; the caller has checked they belong to it.
    pub fn role_of(&self, person: PersonId) -> crate::Role {
        if self.hurt == person {
            crate::Role::HurtPartner
        } else {
            crate::Role::RepairingPartner
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaRecord {
    pub area: Area,
    pub status: AreaStatus,
    pub changed_at: Timestamp,
}

#[async_trait]
pub trait JourneyStore: Send + Sync {
    /// Records a breach and starts its journey with every area at `initial`, together.
    async fn create_breach(
        &self,
        breach: BreachRecord,
        initial: &[(Area, AreaStatus)],
    ) -> Result<(), StoreError>;
    /// The breaches of a space, oldest first.
    async fn breaches(&self, space: SpaceId) -> Result<Vec<BreachRecord>, StoreError>;
    /// One breach, only if it belongs to `space`.
    async fn breach(
        &self,
        space: SpaceId,
        id: BreachId,
    ) -> Result<Option<BreachRecord>, StoreError>;
    /// The areas of a journey, in the method's order.
    async fn areas(&self, breach: BreachId) -> Result<Vec<AreaRecord>, StoreError>;
    /// Moves an area from `from` to `to`; false when it was no longer at `from` (a double
    /// submit, or the other partner's browser acting on an old page), and nothing changes.
    async fn change_area(
        &self,
        breach: BreachId,
        area: Area,
        from: AreaStatus,
        to: AreaStatus,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Makes one change to a journey's state; false when it was already so or the journey
    /// has ended (a double submit), and nothing changes. The caller checks who may.
    async fn change_journey(
        &self,
        breach: BreachId,
        change: JourneyChange,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// When `person` last opened `section` of a journey.
    async fn last_seen(
        &self,
        person: PersonId,
        breach: BreachId,
        section: &str,
    ) -> Result<Option<Timestamp>, StoreError>;
    /// Records that `person` opened `section` of a journey at `at`.
    async fn mark_seen(
        &self,
        person: PersonId,
        breach: BreachId,
        section: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;
}
