//! A counsellor's grants, the partners' share choices, and the counsellor's scoped reads.

use async_trait::async_trait;
use mend_core::counsellor::{Consent, Grant, GrantEnd, ShareArea, ShareChoices};
use mend_core::store::{
    CounsellorGrantRecord, CounsellorStore, EntryRecord, LookupHash, NewCounsellorGrant,
};
use mend_core::{
    BreachId, CounsellorGrantId, PersonId, Seat, SpaceId, StoreError, Timestamp,
    COUNSELLOR_INVITE_LIFETIME,
};
use mend_crypto::Sealed;
use uuid::Uuid;

use crate::db::Db;
use crate::entries::EntryRow;

#[derive(sqlx::FromRow)]
struct GrantRow {
    id: Uuid,
    space_id: Uuid,
    proposed_seat: i64,
    code_sealed: Vec<u8>,
    proposed_at: i64,
    agreed_at: Option<i64>,
    accepted_at: Option<i64>,
    counsellor_id: Option<Uuid>,
    ended_at: Option<i64>,
    ended_why: Option<String>,
}

impl TryFrom<GrantRow> for CounsellorGrantRecord {
    type Error = StoreError;
    fn try_from(r: GrantRow) -> Result<Self, StoreError> {
        let proposed_by = Seat::from_number(r.proposed_seat)
            .ok_or_else(|| StoreError::Corrupt(format!("seat {} in a grant", r.proposed_seat)))?;
        let ended_why = r
            .ended_why
            .map(|w| {
                GrantEnd::from_slug(&w)
                    .ok_or_else(|| StoreError::Corrupt(format!("grant ended as {w}")))
            })
            .transpose()?;
        Ok(CounsellorGrantRecord {
            id: CounsellorGrantId(r.id),
            space: SpaceId(r.space_id),
            code: Sealed::from_stored(r.code_sealed),
            grant: Grant {
                proposed_by,
                proposed_at: Timestamp(r.proposed_at),
                agreed_at: r.agreed_at.map(Timestamp),
                accepted_at: r.accepted_at.map(Timestamp),
                ended_at: r.ended_at.map(Timestamp),
            },
            counsellor: r.counsellor_id.map(PersonId),
            ended_why,
        })
    }
}

const GRANT_COLUMNS: &str = "id, space_id, proposed_seat, code_sealed, proposed_at, agreed_at, \
     accepted_at, counsellor_id, ended_at, ended_why";

/// A condition that holds while `counsellor` (a parameter) reads the space `space` (a column)
/// through an accepted grant that has not ended: every counsellor read carries it.
fn reads_space(counsellor: &str, space: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM counsellor_grants g WHERE g.space_id = {space} \
         AND g.counsellor_id = {counsellor} AND g.accepted_at IS NOT NULL \
         AND g.ended_at IS NULL)"
    )
}

/// A condition that holds while `person` (a column) allows `area` in the journey `breach`.
fn allows(breach: &str, person: &str, area: ShareArea) -> String {
    format!(
        "EXISTS (SELECT 1 FROM counsellor_shares s WHERE s.breach_id = {breach} \
         AND s.person_id = {person} AND s.area = '{}')",
        area.slug()
    )
}

/// A condition that holds while both partners of the journey's space allow `area` in it.
fn both_allow(breach: &str, space: &str, area: ShareArea) -> String {
    format!(
        "(SELECT COUNT(*) FROM memberships m WHERE m.space_id = {space} AND {}) = 2",
        allows(breach, "m.person_id", area)
    )
}

#[async_trait]
impl CounsellorStore for Db {
    async fn propose_counsellor(&self, g: NewCounsellorGrant) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO counsellor_grants (id, space_id, proposed_seat, code_lookup, \
             code_sealed, proposed_at) SELECT $1, $2, $3, $4, $5, $6 WHERE {}",
            self.space_open("$2")
        );
        let stored = execute!(
            self,
            &sql,
            g.id.0,
            g.space.0,
            g.proposed_by.number(),
            g.code_lookup.as_slice(),
            g.code.as_bytes(),
            g.proposed_at.0,
        )
        .map_err(|e| match e {
            StoreError::Conflict(_) => StoreError::Conflict("the space already has a counsellor"),
            other => other,
        })?;
        if stored == 0 {
            return Err(StoreError::Conflict("a partner has left the space"));
        }
        Ok(())
    }

    async fn open_counsellor_grant(
        &self,
        space: SpaceId,
    ) -> Result<Option<CounsellorGrantRecord>, StoreError> {
        let sql = format!(
            "SELECT {GRANT_COLUMNS} FROM counsellor_grants WHERE space_id = $1 \
             AND ended_at IS NULL"
        );
        let row: Option<GrantRow> = fetch_optional!(self, &sql, space.0)?;
        row.map(TryInto::try_into).transpose()
    }

    async fn counsellor_grant_by_code(
        &self,
        code: &LookupHash,
    ) -> Result<Option<CounsellorGrantRecord>, StoreError> {
        let sql = format!("SELECT {GRANT_COLUMNS} FROM counsellor_grants WHERE code_lookup = $1");
        let row: Option<GrantRow> = fetch_optional!(self, &sql, code.as_slice())?;
        row.map(TryInto::try_into).transpose()
    }

    async fn agree_counsellor(
        &self,
        space: SpaceId,
        grant: CounsellorGrantId,
        by: Seat,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = execute!(
            self,
            "UPDATE counsellor_grants SET agreed_at = $1 WHERE id = $2 AND space_id = $3 \
             AND proposed_seat <> $4 AND agreed_at IS NULL AND ended_at IS NULL",
            at.0,
            grant.0,
            space.0,
            by.number()
        )?;
        Ok(done == 1)
    }

    async fn accept_counsellor(
        &self,
        grant: CounsellorGrantId,
        counsellor: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = execute!(
            self,
            "UPDATE counsellor_grants SET accepted_at = $1, counsellor_id = $2 WHERE id = $3 \
             AND agreed_at IS NOT NULL AND agreed_at + $4 > $1 AND accepted_at IS NULL \
             AND ended_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = $2 \
                             AND m.space_id = counsellor_grants.space_id) \
             AND space_id IN (SELECT id FROM spaces WHERE departed_at IS NULL)",
            at.0,
            counsellor.0,
            grant.0,
            COUNSELLOR_INVITE_LIFETIME.0
        )?;
        Ok(done == 1)
    }

    async fn end_counsellor(
        &self,
        space: SpaceId,
        why: GrantEnd,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = execute!(
            self,
            "UPDATE counsellor_grants SET ended_at = $1, ended_why = $2 WHERE space_id = $3 \
             AND ended_at IS NULL",
            at.0,
            why.slug(),
            space.0
        )?;
        Ok(done == 1)
    }

    async fn counsellor_grants(
        &self,
        counsellor: PersonId,
    ) -> Result<Vec<CounsellorGrantRecord>, StoreError> {
        let sql = format!(
            "SELECT {GRANT_COLUMNS} FROM counsellor_grants WHERE counsellor_id = $1 \
             AND accepted_at IS NOT NULL AND ended_at IS NULL ORDER BY accepted_at, id"
        );
        let rows: Vec<GrantRow> = fetch_all!(self, &sql, counsellor.0)?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn choose_shares(
        &self,
        breach: BreachId,
        person: PersonId,
        choices: &ShareChoices,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let seated = self.seated("$2", "b.space_id");
        let insert = format!(
            "INSERT INTO counsellor_shares (breach_id, person_id, area, chosen_at) \
             SELECT b.id, $2, $3, $4 FROM breaches b WHERE b.id = $1 AND {seated}"
        );
        transaction!(self, tx => {
            execute!(on &mut *tx,
                "DELETE FROM counsellor_shares WHERE breach_id = $1 AND person_id = $2",
                breach.0, person.0)?;
            for area in choices.areas() {
                let stored = execute!(on &mut *tx, &insert, breach.0, person.0, area.slug(), at.0)?;
                if stored == 0 {
                    return Err(StoreError::NotSeated);
                }
            }
        })
    }

    async fn consent(&self, breach: BreachId) -> Result<Consent, StoreError> {
        let rows: Vec<(i64, String)> = fetch_all!(
            self,
            "SELECT m.seat, s.area FROM counsellor_shares s \
             JOIN breaches b ON b.id = s.breach_id \
             JOIN memberships m ON m.space_id = b.space_id AND m.person_id = s.person_id \
             WHERE s.breach_id = $1",
            breach.0
        )?;
        let mut creator = Vec::new();
        let mut joiner = Vec::new();
        for (seat, slug) in rows {
            let area = ShareArea::from_slug(&slug)
                .ok_or_else(|| StoreError::Corrupt(format!("share area {slug}")))?;
            match Seat::from_number(seat) {
                Some(Seat::Creator) => creator.push(area),
                Some(Seat::Joiner) => joiner.push(area),
                None => return Err(StoreError::Corrupt(format!("seat {seat} in a share"))),
            }
        }
        Ok(Consent {
            creator: ShareChoices::of(creator),
            joiner: ShareChoices::of(joiner),
        })
    }

    async fn counsellor_entries(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        // The entry is its author's own words; the response to it answers them, so it is
        // there only when both allow entries (`mend_core::counsellor::may_read`).
        let both = both_allow("e.breach_id", "b.space_id", ShareArea::Entries);
        let sql = format!(
            "SELECT e.id, e.breach_id, e.kind, e.author, e.body_sealed, e.state, e.follows, \
             e.created_at, e.updated_at, e.sent_at, e.received_at, e.withdrawn_at, \
             CASE WHEN {both} THEN e.response END AS response, \
             CASE WHEN {both} THEN e.response_note_sealed END AS response_note_sealed, \
             CASE WHEN {both} THEN e.responded_at END AS responded_at \
             FROM entries e JOIN breaches b ON b.id = e.breach_id \
             WHERE e.breach_id = $2 AND e.state = 'sent' AND {reads} AND {own} \
             ORDER BY e.sent_at, e.id",
            reads = reads_space("$1", "b.space_id"),
            own = allows("e.breach_id", "e.author", ShareArea::Entries),
        );
        let rows: Vec<EntryRow> = fetch_all!(self, &sql, counsellor.0, breach.0)?;
        rows.into_iter().map(EntryRecord::try_from).collect()
    }
}
