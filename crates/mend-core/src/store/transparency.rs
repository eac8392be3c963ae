//! Transparency agreements: offered, decided once, and renewed.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::StoreError;
use crate::ids::{BreachId, PersonId, SpaceId, TransparencyId};
use crate::time::Timestamp;
use crate::transparency::{Period, TransparencyState};

#[derive(Debug, Clone)]
pub struct TransparencyRecord {
    pub id: TransparencyId,
    pub breach: BreachId,
    pub offered_by: PersonId,
    /// Sealed with the space key.
    pub text: Sealed,
    pub period: Period,
    pub state: TransparencyState,
    /// The accepted agreement this offer would renew.
    pub renews: Option<TransparencyId>,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
    /// When an accepted agreement starts to run.
    pub starts_at: Option<Timestamp>,
}

#[async_trait]
pub trait TransparencyStore: Send + Sync {
    async fn create_transparency(&self, offer: TransparencyRecord) -> Result<(), StoreError>;
    /// The transparency agreements of a journey, offers included, oldest first.
    async fn transparency_agreements(
        &self,
        breach: BreachId,
    ) -> Result<Vec<TransparencyRecord>, StoreError>;
    /// The transparency agreements of every journey in a space, offers included, oldest
    /// first.
    async fn transparency_in_space(
        &self,
        space: SpaceId,
    ) -> Result<Vec<TransparencyRecord>, StoreError>;
    /// Accepts an offer of this journey, to run from `starts_at`; false when it was no longer
    /// an offer (a double submit), and nothing changes.
    async fn accept_transparency(
        &self,
        breach: BreachId,
        id: TransparencyId,
        at: Timestamp,
        starts_at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Moves an offer of this journey to `to`, declined or withdrawn; false when it was no
    /// longer an offer, and nothing changes.
    async fn close_transparency_offer(
        &self,
        breach: BreachId,
        id: TransparencyId,
        to: TransparencyState,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
}
