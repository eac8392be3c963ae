//! Check-ins on trust.

use async_trait::async_trait;
use mend_core::store::{CheckInRecord, CheckInStore};
use mend_core::{
    BreachId, CheckInId, Cursor, PersonId, SpaceId, StoreError, Timestamp, Trust, Window, WindowAsk,
};
use mend_crypto::Sealed;
use uuid::Uuid;

use crate::db::Db;
use crate::journeys::BREACHES_OF_SPACE;

#[derive(sqlx::FromRow)]
struct CheckInRow {
    id: Uuid,
    breach_id: Uuid,
    person_id: Uuid,
    trust: i64,
    note_sealed: Option<Vec<u8>>,
    created_at: i64,
}

impl TryFrom<CheckInRow> for CheckInRecord {
    type Error = StoreError;
    fn try_from(r: CheckInRow) -> Result<Self, StoreError> {
        Ok(CheckInRecord {
            id: CheckInId(r.id),
            breach: BreachId(r.breach_id),
            person: PersonId(r.person_id),
            trust: trust_of(r.trust)?,
            note: r.note_sealed.map(Sealed::from_stored),
            created_at: Timestamp(r.created_at),
        })
    }
}

pub(crate) fn trust_of(stored: i64) -> Result<Trust, StoreError> {
    Trust::from_stored(stored).ok_or_else(|| StoreError::Corrupt(format!("trust {stored}")))
}

const CHECK_IN_COLUMNS: &str = "id, breach_id, person_id, trust, note_sealed, created_at";

#[async_trait]
impl CheckInStore for Db {
    async fn create_check_in(&self, c: CheckInRecord) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO check_ins (id, breach_id, person_id, trust, note_sealed, created_at) \
             SELECT $1, $2, $3, $4, $5, $6 WHERE {}",
            self.ongoing("$2")
        );
        let stored = execute!(
            self,
            &sql,
            c.id.0,
            c.breach.0,
            c.person.0,
            i64::from(c.trust.value()),
            c.note.as_ref().map(|n| n.as_bytes()),
            c.created_at.0,
        )?;
        if stored == 0 {
            return Err(self.not_stored(c.breach.0).await);
        }
        Ok(())
    }

    async fn check_ins(&self, breach: BreachId) -> Result<Vec<CheckInRecord>, StoreError> {
        let sql = format!(
            "SELECT {CHECK_IN_COLUMNS} FROM check_ins WHERE breach_id = $1 ORDER BY created_at, id"
        );
        let rows: Vec<CheckInRow> = fetch_all!(self, &sql, breach.0)?;
        rows.into_iter().map(CheckInRecord::try_from).collect()
    }

    async fn check_ins_in_space(&self, space: SpaceId) -> Result<Vec<CheckInRecord>, StoreError> {
        let sql = format!(
            "SELECT {CHECK_IN_COLUMNS} FROM check_ins WHERE breach_id IN ({BREACHES_OF_SPACE}) \
             ORDER BY created_at, id"
        );
        let rows: Vec<CheckInRow> = fetch_all!(self, &sql, space.0)?;
        rows.into_iter().map(CheckInRecord::try_from).collect()
    }

    async fn latest_trust(
        &self,
        breach: BreachId,
        count: usize,
    ) -> Result<Vec<(Timestamp, Trust)>, StoreError> {
        let limit = i64::try_from(count).unwrap_or(i64::MAX);
        let rows: Vec<(i64, i64)> = fetch_all!(
            self,
            "SELECT created_at, trust FROM check_ins WHERE breach_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2",
            breach.0,
            limit
        )?;
        rows.into_iter()
            .rev()
            .map(|(at, trust)| Ok((Timestamp(at), trust_of(trust)?)))
            .collect()
    }

    async fn check_in_window(
        &self,
        breach: BreachId,
        ask: WindowAsk,
    ) -> Result<Window<CheckInRecord>, StoreError> {
        let sql = format!(
            "SELECT {CHECK_IN_COLUMNS} FROM check_ins WHERE breach_id = $1 \
             AND (created_at, id) < ($2, $3) ORDER BY created_at DESC, id DESC LIMIT $4"
        );
        let rows: Vec<CheckInRow> = fetch_all!(
            self,
            &sql,
            breach.0,
            ask.before.at.0,
            ask.before.id,
            ask.rows_to_fetch()
        )?;
        let rows = rows
            .into_iter()
            .map(CheckInRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Window::of(rows, ask, |c| Cursor::new(c.created_at, c.id.0)))
    }

    async fn check_in(
        &self,
        breach: BreachId,
        id: CheckInId,
    ) -> Result<Option<CheckInRecord>, StoreError> {
        let sql =
            format!("SELECT {CHECK_IN_COLUMNS} FROM check_ins WHERE id = $1 AND breach_id = $2");
        let row: Option<CheckInRow> = fetch_optional!(self, &sql, id.0, breach.0)?;
        row.map(CheckInRecord::try_from).transpose()
    }
}
