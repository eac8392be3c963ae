//! Questions and their answers.

use async_trait::async_trait;
use mend_core::store::{AnswerRecord, QuestionRecord, QuestionStore};
use mend_core::{
    AnswerId, BreachId, Cursor, PersonId, QuestionId, QuestionKind, Response, SpaceId, StoreError,
    Timestamp, Window, WindowAsk,
};
use mend_crypto::Sealed;
use uuid::Uuid;

use crate::db::{placeholders, Db};
use crate::journeys::BREACHES_OF_SPACE;

#[derive(sqlx::FromRow)]
pub(crate) struct QuestionRow {
    id: Uuid,
    breach_id: Uuid,
    asked_by: Uuid,
    text_sealed: Option<Vec<u8>>,
    kind: Option<String>,
    asked_again_of: Option<Uuid>,
    created_at: i64,
    in_person_at: Option<i64>,
    withdrawn_at: Option<i64>,
    settled_at: Option<i64>,
}

impl From<QuestionRow> for QuestionRecord {
    fn from(r: QuestionRow) -> Self {
        QuestionRecord {
            id: QuestionId(r.id),
            breach: BreachId(r.breach_id),
            asked_by: PersonId(r.asked_by),
            text: r.text_sealed.map(Sealed::from_stored),
            kind: r.kind.as_deref().and_then(QuestionKind::parse),
            asked_again_of: r.asked_again_of.map(QuestionId),
            created_at: Timestamp(r.created_at),
            in_person_at: r.in_person_at.map(Timestamp),
            withdrawn_at: r.withdrawn_at.map(Timestamp),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AnswerRow {
    id: Uuid,
    question_id: Uuid,
    author: Uuid,
    body_sealed: Option<Vec<u8>>,
    created_at: i64,
    withdrawn_at: Option<i64>,
    response: Option<String>,
    responded_at: Option<i64>,
}

impl From<AnswerRow> for AnswerRecord {
    fn from(r: AnswerRow) -> Self {
        AnswerRecord {
            id: AnswerId(r.id),
            question: QuestionId(r.question_id),
            author: PersonId(r.author),
            body: r.body_sealed.map(Sealed::from_stored),
            created_at: Timestamp(r.created_at),
            withdrawn_at: r.withdrawn_at.map(Timestamp),
            response: r.response.as_deref().and_then(Response::parse),
            responded_at: r.responded_at.map(Timestamp),
        }
    }
}

pub(crate) const QUESTION_COLUMNS: &str =
    "id, breach_id, asked_by, text_sealed, kind, asked_again_of, created_at, in_person_at, \
     withdrawn_at, settled_at";

/// Sets `settled_at` again for the question `$1` (or, with [`SETTLE_OF_ANSWER`], the question
/// of the answer `$1`) after a write to it: its withdrawal time, else the time of its latest
/// live answer that was not asked to be fuller, else NULL (it waits for an answer).
const SETTLE: &str = "UPDATE questions SET settled_at = CASE \
     WHEN withdrawn_at IS NOT NULL THEN withdrawn_at \
     ELSE (SELECT MAX(a.created_at) FROM answers a WHERE a.question_id = questions.id \
           AND a.withdrawn_at IS NULL AND (a.response IS NULL OR a.response <> 'need_more')) \
     END WHERE id = $1";

const SETTLE_OF_ANSWER: &str = "UPDATE questions SET settled_at = CASE \
     WHEN withdrawn_at IS NOT NULL THEN withdrawn_at \
     ELSE (SELECT MAX(a.created_at) FROM answers a WHERE a.question_id = questions.id \
           AND a.withdrawn_at IS NULL AND (a.response IS NULL OR a.response <> 'need_more')) \
     END WHERE id = (SELECT question_id FROM answers WHERE id = $1)";

pub(crate) const ANSWER_COLUMNS: &str =
    "a.id, a.question_id, a.author, a.body_sealed, a.created_at, a.withdrawn_at, a.response, \
     a.responded_at";

#[async_trait]
impl QuestionStore for Db {
    async fn create_question(&self, q: QuestionRecord) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO questions (id, breach_id, asked_by, text_sealed, kind, asked_again_of, \
             created_at) SELECT $1, $2, $3, $4, $5, $6, $7 WHERE {}",
            self.ongoing("$2")
        );
        let stored = execute!(
            self,
            &sql,
            q.id.0,
            q.breach.0,
            q.asked_by.0,
            q.text.as_ref().map(|t| t.as_bytes()),
            q.kind.map(QuestionKind::as_str),
            q.asked_again_of.map(|a| a.0),
            q.created_at.0,
        )?;
        if stored == 0 {
            return Err(self.not_stored(q.breach.0).await);
        }
        Ok(())
    }

    async fn questions(&self, breach: BreachId) -> Result<Vec<QuestionRecord>, StoreError> {
        let sql = format!(
            "SELECT {QUESTION_COLUMNS} FROM questions WHERE breach_id = $1 ORDER BY created_at, id"
        );
        let rows: Vec<QuestionRow> = fetch_all!(self, &sql, breach.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn waiting_questions(
        &self,
        breach: BreachId,
        most: usize,
    ) -> Result<Vec<QuestionRecord>, StoreError> {
        let sql = format!(
            "SELECT {QUESTION_COLUMNS} FROM questions WHERE breach_id = $1 \
             AND settled_at IS NULL ORDER BY created_at, id LIMIT $2"
        );
        let most = i64::try_from(most).unwrap_or(i64::MAX);
        let rows: Vec<QuestionRow> = fetch_all!(self, &sql, breach.0, most)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn settled_questions(
        &self,
        breach: BreachId,
        ask: WindowAsk,
    ) -> Result<Window<QuestionRecord>, StoreError> {
        let sql = format!(
            "SELECT {QUESTION_COLUMNS} FROM questions WHERE breach_id = $1 \
             AND settled_at IS NOT NULL AND (settled_at, id) < ($2, $3) \
             ORDER BY settled_at DESC, id DESC LIMIT $4"
        );
        let rows: Vec<QuestionRow> = fetch_all!(
            self,
            &sql,
            breach.0,
            ask.before.at.0,
            ask.before.id,
            ask.rows_to_fetch()
        )?;
        let window = Window::of(rows, ask, |r| {
            Cursor::new(Timestamp(r.settled_at.unwrap_or_default()), r.id)
        });
        Ok(window.map(Into::into))
    }

    async fn question(
        &self,
        breach: BreachId,
        question: QuestionId,
    ) -> Result<Option<QuestionRecord>, StoreError> {
        let sql =
            format!("SELECT {QUESTION_COLUMNS} FROM questions WHERE id = $1 AND breach_id = $2");
        let row: Option<QuestionRow> = fetch_optional!(self, &sql, question.0, breach.0)?;
        Ok(row.map(Into::into))
    }

    async fn questions_in_space(&self, space: SpaceId) -> Result<Vec<QuestionRecord>, StoreError> {
        let sql = format!(
            "SELECT {QUESTION_COLUMNS} FROM questions WHERE breach_id IN ({BREACHES_OF_SPACE}) \
             ORDER BY created_at, id"
        );
        let rows: Vec<QuestionRow> = fetch_all!(self, &sql, space.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn answer_in_person(
        &self,
        breach: BreachId,
        question: QuestionId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE questions SET in_person_at = $1 WHERE id = $2 AND breach_id = $3 \
             AND in_person_at IS NULL AND {}",
            self.ongoing("$3")
        );
        let changed = execute!(self, &sql, at.0, question.0, breach.0)?;
        self.changed_in(changed, breach.0).await
    }

    async fn withdraw_question(
        &self,
        breach: BreachId,
        question: QuestionId,
        asker: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE questions SET text_sealed = NULL, withdrawn_at = $1 WHERE id = $2 \
             AND breach_id = $3 AND asked_by = $4 AND withdrawn_at IS NULL AND {}",
            self.ongoing("$3")
        );
        let changed = transaction!(self, tx => {
            let changed = execute!(on &mut *tx, &sql, at.0, question.0, breach.0, asker.0)?;
            execute!(on &mut *tx, SETTLE, question.0)?;
            changed
        })?;
        self.changed_in(changed, breach.0).await
    }

    async fn create_answer(&self, breach: BreachId, a: AnswerRecord) -> Result<bool, StoreError> {
        // Inserted only when the question belongs to this journey, and while it goes on.
        let sql = format!(
            "INSERT INTO answers (id, question_id, breach_id, author, body_sealed, created_at) \
             SELECT $1, id, breach_id, $2, $3, $4 FROM questions WHERE id = $5 AND breach_id = $6 \
             AND withdrawn_at IS NULL AND {}",
            self.ongoing("$6")
        );
        let changed = transaction!(self, tx => {
            let changed = execute!(
                on &mut *tx,
                &sql,
                a.id.0,
                a.author.0,
                a.body.as_ref().map(|b| b.as_bytes()),
                a.created_at.0,
                a.question.0,
                breach.0,
            )?;
            execute!(on &mut *tx, SETTLE, a.question.0)?;
            changed
        })?;
        self.changed_in(changed, breach.0).await
    }

    async fn answers(&self, breach: BreachId) -> Result<Vec<AnswerRecord>, StoreError> {
        let sql = format!(
            "SELECT {ANSWER_COLUMNS} FROM answers a \
             WHERE a.breach_id = $1 ORDER BY a.created_at, a.id"
        );
        let rows: Vec<AnswerRow> = fetch_all!(self, &sql, breach.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn answers_to(
        &self,
        breach: BreachId,
        questions: &[QuestionId],
    ) -> Result<Vec<AnswerRecord>, StoreError> {
        if questions.is_empty() {
            return Ok(Vec::new());
        }
        // One parameter per question shown: a page shows a few dozen at most.
        let sql = format!(
            "SELECT {ANSWER_COLUMNS} FROM answers a \
             WHERE a.breach_id = $1 AND a.question_id IN ({}) ORDER BY a.created_at, a.id",
            placeholders(2, questions.len())
        );
        let rows: Vec<AnswerRow> =
            fetch_all_listed!(self, &sql, [breach.0], questions.iter().map(|q| q.0))?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn answer(
        &self,
        breach: BreachId,
        answer: AnswerId,
    ) -> Result<Option<AnswerRecord>, StoreError> {
        let sql = format!(
            "SELECT {ANSWER_COLUMNS} FROM answers a \
             WHERE a.id = $1 AND a.breach_id = $2"
        );
        let row: Option<AnswerRow> = fetch_optional!(self, &sql, answer.0, breach.0)?;
        Ok(row.map(Into::into))
    }

    async fn answers_in_space(&self, space: SpaceId) -> Result<Vec<AnswerRecord>, StoreError> {
        let sql = format!(
            "SELECT {ANSWER_COLUMNS} FROM answers a \
             WHERE a.breach_id IN ({BREACHES_OF_SPACE}) ORDER BY a.created_at, a.id"
        );
        let rows: Vec<AnswerRow> = fetch_all!(self, &sql, space.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn respond(
        &self,
        breach: BreachId,
        answer: AnswerId,
        response: Response,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE answers SET response = $1, responded_at = $2 WHERE id = $3 \
             AND withdrawn_at IS NULL AND question_id IN \
             (SELECT id FROM questions WHERE breach_id = $4) AND {}",
            self.ongoing("$4")
        );
        let changed = transaction!(self, tx => {
            let changed =
                execute!(on &mut *tx, &sql, response.as_str(), at.0, answer.0, breach.0)?;
            execute!(on &mut *tx, SETTLE_OF_ANSWER, answer.0)?;
            changed
        })?;
        self.changed_in(changed, breach.0).await
    }

    async fn withdraw_answer(
        &self,
        breach: BreachId,
        answer: AnswerId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE answers SET body_sealed = NULL, withdrawn_at = $1 WHERE id = $2 AND author = $3 \
             AND withdrawn_at IS NULL AND question_id IN \
             (SELECT id FROM questions WHERE breach_id = $4) AND {}",
            self.ongoing("$4")
        );
        let changed = transaction!(self, tx => {
            let changed = execute!(on &mut *tx, &sql, at.0, answer.0, author.0, breach.0)?;
            execute!(on &mut *tx, SETTLE_OF_ANSWER, answer.0)?;
            changed
        })?;
        self.changed_in(changed, breach.0).await
    }
}
