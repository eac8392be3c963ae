//! Triggers and their replies.

use async_trait::async_trait;
use mend_core::store::{TriggerRecord, TriggerStore};
use mend_core::{BreachId, PersonId, SpaceId, StoreError, Timestamp, TriggerId};
use mend_crypto::Sealed;
use uuid::Uuid;

use crate::db::Db;
use crate::journeys::BREACHES_OF_SPACE;

#[derive(sqlx::FromRow)]
pub(crate) struct TriggerRow {
    id: Uuid,
    breach_id: Uuid,
    person_id: Uuid,
    note_sealed: Option<Vec<u8>>,
    created_at: i64,
    reply_sealed: Option<Vec<u8>>,
    replied_at: Option<i64>,
}

impl From<TriggerRow> for TriggerRecord {
    fn from(r: TriggerRow) -> Self {
        TriggerRecord {
            id: TriggerId(r.id),
            breach: BreachId(r.breach_id),
            person: PersonId(r.person_id),
            note: r.note_sealed.map(Sealed::from_stored),
            created_at: Timestamp(r.created_at),
            reply: r.reply_sealed.map(Sealed::from_stored),
            replied_at: r.replied_at.map(Timestamp),
        }
    }
}

const TRIGGER_COLUMNS: &str =
    "id, breach_id, person_id, note_sealed, created_at, reply_sealed, replied_at";

#[async_trait]
impl TriggerStore for Db {
    async fn create_trigger(&self, t: TriggerRecord) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO triggers (id, breach_id, person_id, note_sealed, created_at) \
             SELECT $1, $2, $3, $4, $5 WHERE {}",
            self.ongoing("$2")
        );
        let stored = execute!(
            self,
            &sql,
            t.id.0,
            t.breach.0,
            t.person.0,
            t.note.as_ref().map(|n| n.as_bytes()),
            t.created_at.0,
        )?;
        if stored == 0 {
            return Err(self.not_stored(t.breach.0).await);
        }
        Ok(())
    }

    async fn triggers(&self, breach: BreachId) -> Result<Vec<TriggerRecord>, StoreError> {
        let sql = format!(
            "SELECT {TRIGGER_COLUMNS} FROM triggers WHERE breach_id = $1 \
             ORDER BY created_at DESC, id DESC"
        );
        let rows: Vec<TriggerRow> = fetch_all!(self, &sql, breach.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn triggers_in_space(&self, space: SpaceId) -> Result<Vec<TriggerRecord>, StoreError> {
        let sql = format!(
            "SELECT {TRIGGER_COLUMNS} FROM triggers WHERE breach_id IN ({BREACHES_OF_SPACE}) \
             ORDER BY created_at DESC, id DESC"
        );
        let rows: Vec<TriggerRow> = fetch_all!(self, &sql, space.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn reply_to_trigger(
        &self,
        breach: BreachId,
        trigger: TriggerId,
        reply: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE triggers SET reply_sealed = $1, replied_at = $2 WHERE id = $3 \
             AND breach_id = $4 AND replied_at IS NULL AND {}",
            self.ongoing("$4")
        );
        let changed = execute!(self, &sql, reply.as_bytes(), at.0, trigger.0, breach.0)?;
        self.changed_in(changed, breach.0).await
    }
}
