//! The timeline's events, read a window at a time.

use async_trait::async_trait;

use super::StoreError;
use crate::ids::BreachId;
use crate::paging::WindowAsk;
use crate::timeline::{EventFilter, StoredEvent};

#[async_trait]
pub trait TimelineStore: Send + Sync {
    /// The newest events of a journey before `ask.before` that `filter` keeps, newest first,
    /// up to [`WindowAsk::rows_to_fetch`] of them. Drafts and private notes have no events:
    /// an entry counts once sent, evidence once shared.
    async fn timeline_events(
        &self,
        breach: BreachId,
        filter: &EventFilter,
        ask: WindowAsk,
    ) -> Result<Vec<StoredEvent>, StoreError>;
}
