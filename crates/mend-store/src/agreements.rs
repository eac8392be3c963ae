//! The agreements of a space.

use async_trait::async_trait;
use mend_core::store::{AgreementRecord, AgreementStore};
use mend_core::{AgreementId, AgreementState, PersonId, SpaceId, StoreError, Timestamp};
use mend_crypto::Sealed;
use uuid::Uuid;

use crate::db::Db;

#[derive(sqlx::FromRow)]
struct AgreementRow {
    id: Uuid,
    space_id: Uuid,
    proposed_by: Uuid,
    text_sealed: Vec<u8>,
    state: String,
    revises: Option<Uuid>,
    created_at: i64,
    decided_at: Option<i64>,
}

impl TryFrom<AgreementRow> for AgreementRecord {
    type Error = StoreError;
    fn try_from(r: AgreementRow) -> Result<Self, StoreError> {
        Ok(AgreementRecord {
            id: AgreementId(r.id),
            space: SpaceId(r.space_id),
            proposed_by: PersonId(r.proposed_by),
            text: Sealed::from_stored(r.text_sealed),
            state: AgreementState::parse(&r.state)
                .ok_or_else(|| StoreError::Corrupt(format!("agreement state {}", r.state)))?,
            revises: r.revises.map(AgreementId),
            created_at: Timestamp(r.created_at),
            decided_at: r.decided_at.map(Timestamp),
        })
    }
}

#[async_trait]
impl AgreementStore for Db {
    async fn create_agreement(&self, a: AgreementRecord) -> Result<(), StoreError> {
        // Only while the one who proposes is in the space (see `Db::for_share`).
        let sql = format!(
            "INSERT INTO agreements (id, space_id, proposed_by, text_sealed, state, revises, \
             created_at) SELECT $1, $2, $3, $4, $5, $6, $7 WHERE {}",
            self.seated("$3", "$2")
        );
        let stored = execute!(
            self,
            &sql,
            a.id.0,
            a.space.0,
            a.proposed_by.0,
            a.text.as_bytes(),
            a.state.as_str(),
            a.revises.map(|r| r.0),
            a.created_at.0,
        )?;
        if stored == 0 {
            return Err(StoreError::NotSeated);
        }
        Ok(())
    }

    async fn agreements(&self, space: SpaceId) -> Result<Vec<AgreementRecord>, StoreError> {
        let rows: Vec<AgreementRow> = fetch_all!(self,
            "SELECT id, space_id, proposed_by, text_sealed, state, revises, created_at, decided_at \
             FROM agreements WHERE space_id = $1 ORDER BY created_at, id",
            space.0)?;
        rows.into_iter().map(AgreementRecord::try_from).collect()
    }

    async fn decide_agreement(
        &self,
        space: SpaceId,
        id: AgreementId,
        to: AgreementState,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        // Only while both the one who decides and the one who proposed are in the space: a
        // decision on the proposal of a partner who is leaving waits for them to be gone, and
        // then finds nothing to decide.
        let sql = format!(
            "UPDATE agreements SET state = $1, decided_at = $2, decided_by = $3 \
             WHERE id = $4 AND space_id = $5 AND state = 'proposed' AND {} AND {} \
             RETURNING revises",
            self.seated("$3", "$5"),
            self.seated("agreements.proposed_by", "$5")
        );
        transaction!(self, tx => {
            let revises: Option<Option<Uuid>> = fetch_optional!(scalar on &mut *tx,
                &sql, to.as_str(), at.0, by.0, id.0, space.0)?;
            if let (AgreementState::Accepted, Some(Some(old))) = (to, revises) {
                execute!(on &mut *tx,
                    "UPDATE agreements SET state = 'superseded', decided_at = $1, decided_by = $2 \
                     WHERE id = $3 AND space_id = $4 AND state = 'accepted'",
                    at.0, by.0, old, space.0)?;
            }
            revises.is_some()
        })
    }
}
