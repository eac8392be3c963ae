//! The hurt partner's check-ins on how much they trust.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::StoreError;
use crate::check_in::Trust;
use crate::ids::{BreachId, CheckInId, PersonId, SpaceId};
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct CheckInRecord {
    pub id: CheckInId,
    pub breach: BreachId,
    pub person: PersonId,
    pub trust: Trust,
    /// An optional note, sealed with the hurt partner's own key.
    pub note: Option<Sealed>,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait CheckInStore: Send + Sync {
    async fn create_check_in(&self, check_in: CheckInRecord) -> Result<(), StoreError>;
    /// The check-ins of a journey, oldest first.
    async fn check_ins(&self, breach: BreachId) -> Result<Vec<CheckInRecord>, StoreError>;
    /// The check-ins of every journey in a space, oldest first.
    async fn check_ins_in_space(&self, space: SpaceId) -> Result<Vec<CheckInRecord>, StoreError>;
}
