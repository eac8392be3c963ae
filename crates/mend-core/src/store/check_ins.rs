//! The hurt partner's check-ins on how much they trust.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::StoreError;
use crate::check_in::Trust;
use crate::ids::{BreachId, CheckInId, PersonId, SpaceId};
use crate::paging::{Window, WindowAsk};
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
    /// The check-ins of a journey, oldest first: for the export, which holds them all.
    async fn check_ins(&self, breach: BreachId) -> Result<Vec<CheckInRecord>, StoreError>;
    /// The latest `count` trust scores of a journey, oldest first, with their times: what the
    /// chart draws. No note is read.
    async fn latest_trust(
        &self,
        breach: BreachId,
        count: usize,
    ) -> Result<Vec<(Timestamp, Trust)>, StoreError>;
    /// One window of a journey's check-ins, newest first.
    async fn check_in_window(
        &self,
        breach: BreachId,
        ask: WindowAsk,
    ) -> Result<Window<CheckInRecord>, StoreError>;
    /// The check-in `id` of this journey, if there is one.
    async fn check_in(
        &self,
        breach: BreachId,
        id: CheckInId,
    ) -> Result<Option<CheckInRecord>, StoreError>;
    /// The check-ins of every journey in a space, oldest first.
    async fn check_ins_in_space(&self, space: SpaceId) -> Result<Vec<CheckInRecord>, StoreError>;
}
