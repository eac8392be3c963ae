//! Feelings the hurt partner shares, and the repairing partner's reflections until heard.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::StoreError;
use crate::feeling::Verdict;
use crate::ids::{BreachId, FeelingId, PersonId, ReflectionId, SpaceId};
use crate::paging::{Cursor, Window, WindowAsk};
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct FeelingRecord {
    pub id: FeelingId,
    pub breach: BreachId,
    pub person: PersonId,
    /// The `Feeling` (words, intensity, text) as JSON, sealed with the space key; gone once
    /// withdrawn.
    pub feeling: Option<Sealed>,
    pub created_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct ReflectionRecord {
    pub id: ReflectionId,
    pub feeling: FeelingId,
    pub author: PersonId,
    /// Sealed with the space key; gone once withdrawn.
    pub body: Option<Sealed>,
    pub created_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
    pub verdict: Option<Verdict>,
    /// What the hurt partner felt was missed, with a "not yet".
    pub missed: Option<Sealed>,
    pub verdict_at: Option<Timestamp>,
}

#[async_trait]
pub trait FeelingStore: Send + Sync {
    async fn create_feeling(&self, feeling: FeelingRecord) -> Result<(), StoreError>;
    /// The feelings of a journey, oldest first.
    async fn feelings(&self, breach: BreachId) -> Result<Vec<FeelingRecord>, StoreError>;
    /// The feeling `id` of this journey, if there is one.
    async fn feeling(
        &self,
        breach: BreachId,
        id: FeelingId,
    ) -> Result<Option<FeelingRecord>, StoreError>;
    /// The latest `count` feelings of a journey still being listened to (not withdrawn, not
    /// heard yet), newest first.
    async fn open_feelings(
        &self,
        breach: BreachId,
        count: usize,
    ) -> Result<Vec<FeelingRecord>, StoreError>;
    /// One window of a journey's feelings, newest first, without the open ones (not withdrawn,
    /// not heard yet) from `open_from` on, which the page shows before the window.
    async fn feeling_window(
        &self,
        breach: BreachId,
        ask: WindowAsk,
        open_from: Cursor,
    ) -> Result<Window<FeelingRecord>, StoreError>;
    /// The feelings of every journey in a space, oldest first.
    async fn feelings_in_space(&self, space: SpaceId) -> Result<Vec<FeelingRecord>, StoreError>;
    /// Withdraws the author's feeling and forgets its words; false when not theirs, not in
    /// this journey, or withdrawn already.
    async fn withdraw_feeling(
        &self,
        breach: BreachId,
        feeling: FeelingId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Adds a reflection to a feeling of this journey, only while the feeling waits for one
    /// (not withdrawn, no reflection waiting for an answer, not heard yet); false otherwise.
    async fn create_reflection(
        &self,
        breach: BreachId,
        reflection: ReflectionRecord,
    ) -> Result<bool, StoreError>;
    /// Withdraws the author's reflection and forgets its words; false when not theirs, not in
    /// this journey, or withdrawn already.
    async fn withdraw_reflection(
        &self,
        breach: BreachId,
        reflection: ReflectionId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Every reflection in a journey, oldest first.
    async fn reflections(&self, breach: BreachId) -> Result<Vec<ReflectionRecord>, StoreError>;
    /// The reflections on `feelings` of this journey, oldest first.
    async fn reflections_on(
        &self,
        breach: BreachId,
        feelings: &[FeelingId],
    ) -> Result<Vec<ReflectionRecord>, StoreError>;
    /// The reflection `id` on a feeling of this journey, if there is one.
    async fn reflection(
        &self,
        breach: BreachId,
        id: ReflectionId,
    ) -> Result<Option<ReflectionRecord>, StoreError>;
    /// The reflections on the feelings of every journey in a space, oldest first.
    async fn reflections_in_space(
        &self,
        space: SpaceId,
    ) -> Result<Vec<ReflectionRecord>, StoreError>;
    /// Records the hurt partner's answer to a reflection of this journey, once, while it is
    /// not withdrawn.
    async fn answer_reflection(
        &self,
        breach: BreachId,
        reflection: ReflectionId,
        verdict: Verdict,
        missed: Option<Sealed>,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
}
