//! Questions the hurt partner asks, and the answers to them.

use async_trait::async_trait;
use mend_crypto::Sealed;

use super::StoreError;
use crate::ids::{AnswerId, BreachId, PersonId, QuestionId, SpaceId};
use crate::paging::{Window, WindowAsk};
use crate::question::{QuestionKind, Response};
use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct QuestionRecord {
    pub id: QuestionId,
    pub breach: BreachId,
    pub asked_by: PersonId,
    /// Sealed with the space key; gone once withdrawn.
    pub text: Option<Sealed>,
    pub kind: Option<QuestionKind>,
    /// The earlier ask this one repeats.
    pub asked_again_of: Option<QuestionId>,
    pub created_at: Timestamp,
    /// When the repairing partner asked to answer it in person or with a counsellor.
    pub in_person_at: Option<Timestamp>,
    /// When the asker withdrew it.
    pub withdrawn_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct AnswerRecord {
    pub id: AnswerId,
    pub question: QuestionId,
    pub author: PersonId,
    /// Sealed with the space key; gone once withdrawn.
    pub body: Option<Sealed>,
    pub created_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
    pub response: Option<Response>,
    pub responded_at: Option<Timestamp>,
}

#[async_trait]
pub trait QuestionStore: Send + Sync {
    async fn create_question(&self, question: QuestionRecord) -> Result<(), StoreError>;
    /// The questions of a journey, oldest first.
    async fn questions(&self, breach: BreachId) -> Result<Vec<QuestionRecord>, StoreError>;
    /// Up to `most` questions of a journey that wait for an answer (none yet, or the latest
    /// asked to be fuller), oldest first: they have waited longest.
    async fn waiting_questions(
        &self,
        breach: BreachId,
        most: usize,
    ) -> Result<Vec<QuestionRecord>, StoreError>;
    /// A window of the questions that no longer wait (answered or withdrawn), the most
    /// recently settled first.
    async fn settled_questions(
        &self,
        breach: BreachId,
        ask: WindowAsk,
    ) -> Result<Window<QuestionRecord>, StoreError>;
    /// One question of this journey.
    async fn question(
        &self,
        breach: BreachId,
        question: QuestionId,
    ) -> Result<Option<QuestionRecord>, StoreError>;
    /// The questions of every journey in a space, oldest first.
    async fn questions_in_space(&self, space: SpaceId) -> Result<Vec<QuestionRecord>, StoreError>;
    /// Notes that the answer will be given in person; false when already noted.
    async fn answer_in_person(
        &self,
        breach: BreachId,
        question: QuestionId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Withdraws the asker's question and forgets its text; false when not theirs, not in
    /// this journey, or already withdrawn.
    async fn withdraw_question(
        &self,
        breach: BreachId,
        question: QuestionId,
        asker: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Adds an answer, only to a question of this journey.
    async fn create_answer(
        &self,
        breach: BreachId,
        answer: AnswerRecord,
    ) -> Result<bool, StoreError>;
    /// Every answer in a journey, oldest first.
    async fn answers(&self, breach: BreachId) -> Result<Vec<AnswerRecord>, StoreError>;
    /// The answers to these questions of this journey, oldest first.
    async fn answers_to(
        &self,
        breach: BreachId,
        questions: &[QuestionId],
    ) -> Result<Vec<AnswerRecord>, StoreError>;
    /// One answer to a question of this journey.
    async fn answer(
        &self,
        breach: BreachId,
        answer: AnswerId,
    ) -> Result<Option<AnswerRecord>, StoreError>;
    /// The answers to the questions of every journey in a space, oldest first.
    async fn answers_in_space(&self, space: SpaceId) -> Result<Vec<AnswerRecord>, StoreError>;
    /// Records the asker's response to an answer of this journey (it may change later).
    async fn respond(
        &self,
        breach: BreachId,
        answer: AnswerId,
        response: Response,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Withdraws the author's answer and forgets its text; false when not theirs, not in this
    /// journey, or already withdrawn.
    async fn withdraw_answer(
        &self,
        breach: BreachId,
        answer: AnswerId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
}
