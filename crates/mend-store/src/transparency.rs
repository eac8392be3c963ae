//! Transparency agreements of a journey.

use async_trait::async_trait;
use mend_core::store::{TransparencyRecord, TransparencyStore};
use mend_core::{
    BreachId, Period, PersonId, SpaceId, StoreError, Timestamp, TransparencyId, TransparencyState,
};
use mend_crypto::Sealed;
use uuid::Uuid;

use crate::db::Db;
use crate::journeys::BREACHES_OF_SPACE;

#[derive(sqlx::FromRow)]
pub(crate) struct TransparencyRow {
    id: Uuid,
    breach_id: Uuid,
    offered_by: Uuid,
    text_sealed: Vec<u8>,
    period_days: i64,
    state: String,
    renews: Option<Uuid>,
    created_at: i64,
    decided_at: Option<i64>,
    starts_at: Option<i64>,
}

impl TryFrom<TransparencyRow> for TransparencyRecord {
    type Error = StoreError;
    fn try_from(r: TransparencyRow) -> Result<Self, StoreError> {
        Ok(TransparencyRecord {
            id: TransparencyId(r.id),
            breach: BreachId(r.breach_id),
            offered_by: PersonId(r.offered_by),
            text: Sealed::from_stored(r.text_sealed),
            period: Period::from_days(r.period_days).ok_or_else(|| {
                StoreError::Corrupt(format!("transparency period {}", r.period_days))
            })?,
            state: TransparencyState::parse(&r.state)
                .ok_or_else(|| StoreError::Corrupt(format!("transparency state {}", r.state)))?,
            renews: r.renews.map(TransparencyId),
            created_at: Timestamp(r.created_at),
            decided_at: r.decided_at.map(Timestamp),
            starts_at: r.starts_at.map(Timestamp),
        })
    }
}

pub(crate) const TRANSPARENCY_COLUMNS: &str =
    "id, breach_id, offered_by, text_sealed, period_days, state, renews, created_at, \
     decided_at, starts_at";

#[async_trait]
impl TransparencyStore for Db {
    async fn create_transparency(&self, t: TransparencyRecord) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO transparency_agreements (id, breach_id, offered_by, text_sealed, \
             period_days, state, renews, created_at, decided_at, starts_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE {}",
            self.ongoing("$2")
        );
        let stored = execute!(
            self,
            &sql,
            t.id.0,
            t.breach.0,
            t.offered_by.0,
            t.text.as_bytes(),
            t.period.days(),
            t.state.as_str(),
            t.renews.map(|r| r.0),
            t.created_at.0,
            t.decided_at.map(|d| d.0),
            t.starts_at.map(|s| s.0),
        )?;
        if stored == 0 {
            return Err(self.not_stored(t.breach.0).await);
        }
        Ok(())
    }

    async fn transparency_agreements(
        &self,
        breach: BreachId,
    ) -> Result<Vec<TransparencyRecord>, StoreError> {
        let sql = format!(
            "SELECT {TRANSPARENCY_COLUMNS} FROM transparency_agreements WHERE breach_id = $1 \
             ORDER BY created_at, id"
        );
        let rows: Vec<TransparencyRow> = fetch_all!(self, &sql, breach.0)?;
        rows.into_iter().map(TransparencyRecord::try_from).collect()
    }

    async fn transparency_in_space(
        &self,
        space: SpaceId,
    ) -> Result<Vec<TransparencyRecord>, StoreError> {
        let sql = format!(
            "SELECT {TRANSPARENCY_COLUMNS} FROM transparency_agreements \
             WHERE breach_id IN ({BREACHES_OF_SPACE}) ORDER BY created_at, id"
        );
        let rows: Vec<TransparencyRow> = fetch_all!(self, &sql, space.0)?;
        rows.into_iter().map(TransparencyRecord::try_from).collect()
    }

    async fn accept_transparency(
        &self,
        breach: BreachId,
        id: TransparencyId,
        at: Timestamp,
        starts_at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE transparency_agreements SET state = 'accepted', decided_at = $1, starts_at = $2 \
             WHERE id = $3 AND breach_id = $4 AND state = 'offered' AND {}",
            self.ongoing("$4")
        );
        let changed = execute!(self, &sql, at.0, starts_at.0, id.0, breach.0)?;
        self.changed_in(changed, breach.0).await
    }

    async fn close_transparency_offer(
        &self,
        breach: BreachId,
        id: TransparencyId,
        to: TransparencyState,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE transparency_agreements SET state = $1, decided_at = $2 \
             WHERE id = $3 AND breach_id = $4 AND state = 'offered' AND {}",
            self.ongoing("$4")
        );
        let changed = execute!(self, &sql, to.as_str(), at.0, id.0, breach.0)?;
        self.changed_in(changed, breach.0).await
    }
}
