//! Feelings and the reflections on them.

use async_trait::async_trait;
use mend_core::store::{FeelingRecord, FeelingStore, ReflectionRecord};
use mend_core::{
    BreachId, Cursor, FeelingId, PersonId, ReflectionId, SpaceId, StoreError, Timestamp, Verdict,
    Window, WindowAsk,
};
use mend_crypto::Sealed;
use uuid::Uuid;

use crate::db::{placeholders, Db};
use crate::journeys::BREACHES_OF_SPACE;

#[derive(sqlx::FromRow)]
pub(crate) struct FeelingRow {
    id: Uuid,
    breach_id: Uuid,
    person_id: Uuid,
    feeling_sealed: Option<Vec<u8>>,
    created_at: i64,
    withdrawn_at: Option<i64>,
}

impl From<FeelingRow> for FeelingRecord {
    fn from(r: FeelingRow) -> Self {
        FeelingRecord {
            id: FeelingId(r.id),
            breach: BreachId(r.breach_id),
            person: PersonId(r.person_id),
            feeling: r.feeling_sealed.map(Sealed::from_stored),
            created_at: Timestamp(r.created_at),
            withdrawn_at: r.withdrawn_at.map(Timestamp),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ReflectionRow {
    id: Uuid,
    feeling_id: Uuid,
    author: Uuid,
    body_sealed: Option<Vec<u8>>,
    created_at: i64,
    withdrawn_at: Option<i64>,
    verdict: Option<String>,
    missed_sealed: Option<Vec<u8>>,
    verdict_at: Option<i64>,
}

impl TryFrom<ReflectionRow> for ReflectionRecord {
    type Error = StoreError;
    fn try_from(r: ReflectionRow) -> Result<Self, StoreError> {
        Ok(ReflectionRecord {
            id: ReflectionId(r.id),
            feeling: FeelingId(r.feeling_id),
            author: PersonId(r.author),
            body: r.body_sealed.map(Sealed::from_stored),
            created_at: Timestamp(r.created_at),
            withdrawn_at: r.withdrawn_at.map(Timestamp),
            verdict: r
                .verdict
                .map(|v| {
                    Verdict::parse(&v).ok_or_else(|| StoreError::Corrupt(format!("verdict {v}")))
                })
                .transpose()?,
            missed: r.missed_sealed.map(Sealed::from_stored),
            verdict_at: r.verdict_at.map(Timestamp),
        })
    }
}

pub(crate) const FEELING_COLUMNS: &str =
    "id, breach_id, person_id, feeling_sealed, created_at, withdrawn_at";

/// A feeling `f` still being listened to: not withdrawn, and no reflection on it heard.
const OPEN: &str = "f.withdrawn_at IS NULL AND NOT EXISTS (SELECT 1 FROM reflections r \
     WHERE r.feeling_id = f.id AND r.withdrawn_at IS NULL AND r.verdict = 'heard')";

/// Sets `heard_at` again for the feeling of the reflection `$1` after a verdict on it or its
/// withdrawal: the time of its live "heard" verdict, else NULL (it is still being listened
/// to). What waits reads the feelings being listened to by this column's index.
const HEAR: &str = "UPDATE feelings SET heard_at = (SELECT MAX(r.verdict_at) FROM reflections r \
     WHERE r.feeling_id = feelings.id AND r.withdrawn_at IS NULL AND r.verdict = 'heard') \
     WHERE id = (SELECT feeling_id FROM reflections WHERE id = $1)";

pub(crate) const REFLECTION_COLUMNS: &str =
    "r.id, r.feeling_id, r.author, r.body_sealed, r.created_at, r.withdrawn_at, r.verdict, \
     r.missed_sealed, r.verdict_at";

#[async_trait]
impl FeelingStore for Db {
    async fn create_feeling(&self, f: FeelingRecord) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO feelings (id, breach_id, person_id, feeling_sealed, created_at) \
             SELECT $1, $2, $3, $4, $5 WHERE {}",
            self.ongoing("$2")
        );
        let stored = execute!(
            self,
            &sql,
            f.id.0,
            f.breach.0,
            f.person.0,
            f.feeling.as_ref().map(|b| b.as_bytes()),
            f.created_at.0,
        )?;
        if stored == 0 {
            return Err(self.not_stored(f.breach.0).await);
        }
        Ok(())
    }

    async fn feelings(&self, breach: BreachId) -> Result<Vec<FeelingRecord>, StoreError> {
        let sql = format!(
            "SELECT {FEELING_COLUMNS} FROM feelings WHERE breach_id = $1 ORDER BY created_at, id"
        );
        let rows: Vec<FeelingRow> = fetch_all!(self, &sql, breach.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn feeling(
        &self,
        breach: BreachId,
        id: FeelingId,
    ) -> Result<Option<FeelingRecord>, StoreError> {
        let sql =
            format!("SELECT {FEELING_COLUMNS} FROM feelings WHERE id = $1 AND breach_id = $2");
        let row: Option<FeelingRow> = fetch_optional!(self, &sql, id.0, breach.0)?;
        Ok(row.map(Into::into))
    }

    async fn open_feelings(
        &self,
        breach: BreachId,
        count: usize,
    ) -> Result<Vec<FeelingRecord>, StoreError> {
        let sql = format!(
            "SELECT {FEELING_COLUMNS} FROM feelings f WHERE f.breach_id = $1 AND {OPEN} \
             ORDER BY f.created_at DESC, f.id DESC LIMIT $2"
        );
        let limit = i64::try_from(count).unwrap_or(i64::MAX);
        let rows: Vec<FeelingRow> = fetch_all!(self, &sql, breach.0, limit)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn feeling_window(
        &self,
        breach: BreachId,
        ask: WindowAsk,
        open_from: Cursor,
    ) -> Result<Window<FeelingRecord>, StoreError> {
        let sql = format!(
            "SELECT {FEELING_COLUMNS} FROM feelings f WHERE f.breach_id = $1 \
             AND (f.created_at, f.id) < ($2, $3) \
             AND NOT ({OPEN} AND (f.created_at, f.id) >= ($4, $5)) \
             ORDER BY f.created_at DESC, f.id DESC LIMIT $6"
        );
        let rows: Vec<FeelingRow> = fetch_all!(
            self,
            &sql,
            breach.0,
            ask.before.at.0,
            ask.before.id,
            open_from.at.0,
            open_from.id,
            ask.rows_to_fetch()
        )?;
        let rows = rows.into_iter().map(FeelingRecord::from).collect();
        Ok(Window::of(rows, ask, |f: &FeelingRecord| {
            Cursor::new(f.created_at, f.id.0)
        }))
    }

    async fn feelings_in_space(&self, space: SpaceId) -> Result<Vec<FeelingRecord>, StoreError> {
        let sql = format!(
            "SELECT {FEELING_COLUMNS} FROM feelings WHERE breach_id IN ({BREACHES_OF_SPACE}) \
             ORDER BY created_at, id"
        );
        let rows: Vec<FeelingRow> = fetch_all!(self, &sql, space.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn withdraw_feeling(
        &self,
        breach: BreachId,
        feeling: FeelingId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE feelings SET feeling_sealed = NULL, withdrawn_at = $1 \
             WHERE id = $2 AND breach_id = $3 AND person_id = $4 AND withdrawn_at IS NULL \
             AND {}",
            self.ongoing("$3")
        );
        let changed = execute!(self, &sql, at.0, feeling.0, breach.0, author.0)?;
        self.changed_in(changed, breach.0).await
    }

    async fn create_reflection(
        &self,
        breach: BreachId,
        r: ReflectionRecord,
    ) -> Result<bool, StoreError> {
        // Inserted only while the feeling waits for a reflection, in one statement, so two
        // submits at once cannot both land; and only while the journey goes on.
        let sql = format!(
            "INSERT INTO reflections (id, feeling_id, breach_id, author, body_sealed, created_at) \
             SELECT $1, f.id, f.breach_id, $3, $4, $5 FROM feelings f WHERE f.id = $2 AND f.breach_id = $6 \
             AND f.withdrawn_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM reflections x WHERE x.feeling_id = f.id \
                             AND x.withdrawn_at IS NULL \
                             AND (x.verdict IS NULL OR x.verdict = 'heard')) AND {}",
            self.ongoing("$6")
        );
        let changed = execute!(
            self,
            &sql,
            r.id.0,
            r.feeling.0,
            r.author.0,
            r.body.as_ref().map(|b| b.as_bytes()),
            r.created_at.0,
            breach.0,
        )?;
        self.changed_in(changed, breach.0).await
    }

    async fn withdraw_reflection(
        &self,
        breach: BreachId,
        reflection: ReflectionId,
        author: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE reflections SET body_sealed = NULL, withdrawn_at = $1 \
             WHERE id = $2 AND author = $3 AND withdrawn_at IS NULL \
             AND feeling_id IN (SELECT id FROM feelings WHERE breach_id = $4) AND {}",
            self.ongoing("$4")
        );
        let changed = transaction!(self, tx => {
            let changed = execute!(on &mut *tx, &sql, at.0, reflection.0, author.0, breach.0)?;
            execute!(on &mut *tx, HEAR, reflection.0)?;
            changed
        })?;
        self.changed_in(changed, breach.0).await
    }

    async fn reflections(&self, breach: BreachId) -> Result<Vec<ReflectionRecord>, StoreError> {
        let sql = format!(
            "SELECT {REFLECTION_COLUMNS} FROM reflections r \
             WHERE r.breach_id = $1 ORDER BY r.created_at, r.id"
        );
        let rows: Vec<ReflectionRow> = fetch_all!(self, &sql, breach.0)?;
        rows.into_iter().map(ReflectionRecord::try_from).collect()
    }

    async fn reflections_on(
        &self,
        breach: BreachId,
        feelings: &[FeelingId],
    ) -> Result<Vec<ReflectionRecord>, StoreError> {
        if feelings.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {REFLECTION_COLUMNS} FROM reflections r \
             WHERE r.breach_id = $1 AND r.feeling_id IN ({}) ORDER BY r.created_at, r.id",
            placeholders(2, feelings.len())
        );
        let rows: Vec<ReflectionRow> =
            fetch_all_listed!(self, &sql, [breach.0], feelings.iter().map(|f| f.0))?;
        rows.into_iter().map(ReflectionRecord::try_from).collect()
    }

    async fn reflection(
        &self,
        breach: BreachId,
        id: ReflectionId,
    ) -> Result<Option<ReflectionRecord>, StoreError> {
        let sql = format!(
            "SELECT {REFLECTION_COLUMNS} FROM reflections r \
             WHERE r.id = $1 AND r.breach_id = $2"
        );
        let row: Option<ReflectionRow> = fetch_optional!(self, &sql, id.0, breach.0)?;
        row.map(ReflectionRecord::try_from).transpose()
    }

    async fn reflections_in_space(
        &self,
        space: SpaceId,
    ) -> Result<Vec<ReflectionRecord>, StoreError> {
        let sql = format!(
            "SELECT {REFLECTION_COLUMNS} FROM reflections r \
             WHERE r.breach_id IN ({BREACHES_OF_SPACE}) ORDER BY r.created_at, r.id"
        );
        let rows: Vec<ReflectionRow> = fetch_all!(self, &sql, space.0)?;
        rows.into_iter().map(ReflectionRecord::try_from).collect()
    }

    async fn answer_reflection(
        &self,
        breach: BreachId,
        reflection: ReflectionId,
        verdict: Verdict,
        missed: Option<Sealed>,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE reflections SET verdict = $1, missed_sealed = $2, verdict_at = $3 \
             WHERE id = $4 AND verdict IS NULL AND withdrawn_at IS NULL \
             AND feeling_id IN (SELECT id FROM feelings WHERE breach_id = $5) AND {}",
            self.ongoing("$5")
        );
        let changed = transaction!(self, tx => {
            let changed = execute!(
                on &mut *tx,
                &sql,
                verdict.as_str(),
                missed.as_ref().map(|m| m.as_bytes()),
                at.0,
                reflection.0,
                breach.0
            )?;
            execute!(on &mut *tx, HEAR, reflection.0)?;
            changed
        })?;
        self.changed_in(changed, breach.0).await
    }
}
