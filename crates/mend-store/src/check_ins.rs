//! Check-ins on trust.

use async_trait::async_trait;
use mend_core::store::{CheckInRecord, CheckInStore};
use mend_core::{BreachId, CheckInId, PersonId, SpaceId, StoreError, Timestamp, Trust};
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
            trust: Trust::from_stored(r.trust)
                .ok_or_else(|| StoreError::Corrupt(format!("trust {}", r.trust)))?,
            note: r.note_sealed.map(Sealed::from_stored),
            created_at: Timestamp(r.created_at),
        })
    }
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
}
