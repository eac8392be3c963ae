//! Triggers the hurt partner signals, and the one reply to each.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::StoreError;
use crate::ids::{BreachId, PersonId, SpaceId, TriggerId};
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct TriggerRecord {
    pub id: TriggerId,
    pub breach: BreachId,
    pub person: PersonId,
    pub note: Option<Sealed>,
    pub created_at: Timestamp,
    pub reply: Option<Sealed>,
    pub replied_at: Option<Timestamp>,
}

#[async_trait]
pub trait TriggerStore: Send + Sync {
    async fn create_trigger(&self, trigger: TriggerRecord) -> Result<(), StoreError>;
    /// The triggers of a journey, newest first.
    async fn triggers(&self, breach: BreachId) -> Result<Vec<TriggerRecord>, StoreError>;
    /// The triggers of every journey in a space, newest first.
    async fn triggers_in_space(&self, space: SpaceId) -> Result<Vec<TriggerRecord>, StoreError>;
    /// Adds the reply to a trigger of this journey; false when it already has one.
    async fn reply_to_trigger(
        &self,
        breach: BreachId,
        trigger: TriggerId,
        reply: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
}
