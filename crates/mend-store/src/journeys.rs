//! Breaches, the areas of their journeys, the partners' choices, and the last visits.

use async_trait::async_trait;
use mend_core::store::{AreaRecord, BreachRecord, JourneyStore};
use mend_core::{
    Area, AreaStatus, BreachId, Ended, Ending, JourneyChange, JourneyState, PersonId, Rhythm,
    SpaceId, StoreError, Timestamp,
};
use mend_crypto::Sealed;
use uuid::Uuid;

use crate::db::Db;

#[derive(sqlx::FromRow)]
pub(crate) struct BreachRow {
    id: Uuid,
    space_id: Uuid,
    hurt_person: Uuid,
    repairing_person: Uuid,
    opened_by: Uuid,
    details_sealed: Vec<u8>,
    created_at: i64,
    reassurance_muted_at: Option<i64>,
    check_in_rhythm: Option<String>,
    recommit_rhythm: String,
    my_side_opened_at: Option<i64>,
    context_opened_at: Option<i64>,
    closing_proposed_at: Option<i64>,
    ended_how: Option<String>,
    ended_by: Option<Uuid>,
    ended_at: Option<i64>,
    partner_left_at: Option<i64>,
}

fn rhythm(value: &str) -> Result<Rhythm, StoreError> {
    Rhythm::parse(value).ok_or_else(|| StoreError::Corrupt(format!("rhythm {value}")))
}

impl TryFrom<BreachRow> for BreachRecord {
    type Error = StoreError;
    fn try_from(r: BreachRow) -> Result<Self, StoreError> {
        let ended = match (r.ended_how, r.partner_left_at, r.ended_by, r.ended_at) {
            (Some(how), _, Some(by), Some(at)) => Some(Ended {
                how: Ending::parse(&how)
                    .ok_or_else(|| StoreError::Corrupt(format!("ending {how}")))?,
                by: PersonId(by),
                at: Timestamp(at),
            }),
            // See migration 0015: a partner's leaving is stored in a column of its own.
            (None, Some(_), Some(by), Some(at)) => Some(Ended {
                how: Ending::PartnerLeft,
                by: PersonId(by),
                at: Timestamp(at),
            }),
            _ => None,
        };
        Ok(BreachRecord {
            id: BreachId(r.id),
            space: SpaceId(r.space_id),
            hurt: PersonId(r.hurt_person),
            repairing: PersonId(r.repairing_person),
            opened_by: PersonId(r.opened_by),
            details: Sealed::from_stored(r.details_sealed),
            created_at: Timestamp(r.created_at),
            state: JourneyState {
                reassurance_muted_at: r.reassurance_muted_at.map(Timestamp),
                check_in_rhythm: r.check_in_rhythm.as_deref().map(rhythm).transpose()?,
                recommit_rhythm: rhythm(&r.recommit_rhythm)?,
                my_side_opened_at: r.my_side_opened_at.map(Timestamp),
                context_opened_at: r.context_opened_at.map(Timestamp),
                closing_proposed_at: r.closing_proposed_at.map(Timestamp),
                ended,
            },
        })
    }
}

/// The journeys of the space bound as `$1`, for the queries that read a whole space at once:
/// `WHERE breach_id IN ({BREACHES_OF_SPACE})`.
pub(crate) const BREACHES_OF_SPACE: &str = "SELECT id FROM breaches WHERE space_id = $1";

pub(crate) const BREACH_COLUMNS: &str =
    "id, space_id, hurt_person, repairing_person, opened_by, details_sealed, created_at, \
     reassurance_muted_at, check_in_rhythm, recommit_rhythm, my_side_opened_at, \
     context_opened_at, closing_proposed_at, ended_how, ended_by, ended_at, partner_left_at";

#[async_trait]
impl JourneyStore for Db {
    async fn create_breach(
        &self,
        b: BreachRecord,
        initial: &[(Area, AreaStatus)],
    ) -> Result<(), StoreError> {
        // Only in a space no partner has left: a journey needs both.
        let sql = format!(
            "INSERT INTO breaches (id, space_id, hurt_person, repairing_person, opened_by, \
             details_sealed, created_at) SELECT $1, $2, $3, $4, $5, $6, $7 WHERE {}",
            self.space_open("$2")
        );
        transaction!(self, tx => {
            let stored = execute!(on &mut *tx,
                &sql,
                b.id.0,
                b.space.0,
                b.hurt.0,
                b.repairing.0,
                b.opened_by.0,
                b.details.as_bytes(),
                b.created_at.0,
            )?;
            if stored == 0 {
                return Err(StoreError::Conflict("a partner has left the space"));
            }
            for (area, status) in initial {
                execute!(on &mut *tx,
                    "INSERT INTO journey_areas (breach_id, area, status, changed_at) \
                     VALUES ($1, $2, $3, $4)",
                    b.id.0, area.as_str(), status.as_str(), b.created_at.0)?;
            }
        })
    }

    async fn breaches(&self, space: SpaceId) -> Result<Vec<BreachRecord>, StoreError> {
        let sql = format!(
            "SELECT {BREACH_COLUMNS} FROM breaches WHERE space_id = $1 ORDER BY created_at, id"
        );
        let rows: Vec<BreachRow> = fetch_all!(self, &sql, space.0)?;
        rows.into_iter().map(BreachRecord::try_from).collect()
    }

    async fn breach(
        &self,
        space: SpaceId,
        id: BreachId,
    ) -> Result<Option<BreachRecord>, StoreError> {
        let sql = format!("SELECT {BREACH_COLUMNS} FROM breaches WHERE id = $1 AND space_id = $2");
        let row: Option<BreachRow> = fetch_optional!(self, &sql, id.0, space.0)?;
        row.map(BreachRecord::try_from).transpose()
    }

    async fn areas(&self, breach: BreachId) -> Result<Vec<AreaRecord>, StoreError> {
        let rows: Vec<(String, String, i64)> = fetch_all!(
            self,
            "SELECT area, status, changed_at FROM journey_areas WHERE breach_id = $1",
            breach.0
        )?;
        area_records(rows)
    }

    async fn change_area(
        &self,
        breach: BreachId,
        area: Area,
        from: AreaStatus,
        to: AreaStatus,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE journey_areas SET status = $1, changed_at = $2, changed_by = $3 \
             WHERE breach_id = $4 AND area = $5 AND status = $6 AND {}",
            self.ongoing("$4")
        );
        let changed = execute!(
            self,
            &sql,
            to.as_str(),
            at.0,
            by.0,
            breach.0,
            area.as_str(),
            from.as_str()
        )?;
        self.changed_in(changed, breach.0).await
    }

    async fn change_journey(
        &self,
        breach: BreachId,
        change: JourneyChange,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        // Each change is one guarded UPDATE: it applies only while the journey goes on and
        // only if it is not so already, so a double submit changes nothing.
        let ongoing = "WHERE id = $1 AND ended_at IS NULL";
        let changed = match change {
            JourneyChange::MuteReassurance => execute!(self,
                &format!("UPDATE breaches SET reassurance_muted_at = $2 {ongoing} AND reassurance_muted_at IS NULL"),
                breach.0, at.0),
            JourneyChange::UnmuteReassurance => execute!(self,
                &format!("UPDATE breaches SET reassurance_muted_at = NULL {ongoing} AND reassurance_muted_at IS NOT NULL"),
                breach.0),
            // No rhythm means "whenever I want", stored as NULL.
            JourneyChange::CheckInRhythm(r) => execute!(self,
                &format!("UPDATE breaches SET check_in_rhythm = $2 {ongoing}"),
                breach.0, r.map(Rhythm::as_str)),
            JourneyChange::RecommitRhythm(r) => execute!(self,
                &format!("UPDATE breaches SET recommit_rhythm = $2 {ongoing}"),
                breach.0, r.as_str()),
            JourneyChange::OpenMySide => execute!(self,
                &format!("UPDATE breaches SET my_side_opened_at = $2 {ongoing} AND my_side_opened_at IS NULL"),
                breach.0, at.0),
            JourneyChange::OpenContext => execute!(self,
                &format!("UPDATE breaches SET context_opened_at = $2 {ongoing} AND context_opened_at IS NULL"),
                breach.0, at.0),
            JourneyChange::ProposeClosing => execute!(self,
                &format!("UPDATE breaches SET closing_proposed_at = $2 {ongoing} AND closing_proposed_at IS NULL"),
                breach.0, at.0),
            JourneyChange::WithdrawClosing => execute!(self,
                &format!("UPDATE breaches SET closing_proposed_at = NULL {ongoing} AND closing_proposed_at IS NOT NULL"),
                breach.0),
            JourneyChange::AgreeClosing => execute!(self,
                &format!("UPDATE breaches SET ended_how = 'closed_chapter', ended_by = $2, ended_at = $3 \
                          {ongoing} AND closing_proposed_at IS NOT NULL"),
                breach.0, by.0, at.0),
            JourneyChange::PartWithCare => execute!(self,
                &format!("UPDATE breaches SET ended_how = 'parted_with_care', ended_by = $2, ended_at = $3 {ongoing}"),
                breach.0, by.0, at.0),
        }?;
        Ok(changed == 1)
    }

    async fn last_seen(
        &self,
        person: PersonId,
        breach: BreachId,
        section: &str,
    ) -> Result<Option<Timestamp>, StoreError> {
        let at: Option<i64> = fetch_optional!(scalar self,
            "SELECT seen_at FROM seen WHERE person_id = $1 AND breach_id = $2 AND section = $3",
            person.0, breach.0, section)?;
        Ok(at.map(Timestamp))
    }

    async fn mark_seen(
        &self,
        person: PersonId,
        breach: BreachId,
        section: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        // Kept only for a partner still in the journey's space (an ended journey is still
        // read, and marked); for anyone else nothing is written.
        let sql = format!(
            "INSERT INTO seen (person_id, breach_id, section, seen_at) SELECT $1, $2, $3, $4 \
             WHERE {} \
             ON CONFLICT (person_id, breach_id, section) DO UPDATE SET seen_at = $4",
            self.seated("$1", "(SELECT space_id FROM breaches WHERE id = $2)")
        );
        execute!(self, &sql, person.0, breach.0, section, at.0)?;
        Ok(())
    }
}

/// A journey's area rows (`area, status, changed_at`), in the method's order.
pub(crate) fn area_records(
    rows: Vec<(String, String, i64)>,
) -> Result<Vec<AreaRecord>, StoreError> {
    let mut areas = rows
        .into_iter()
        .map(|(area, status, changed_at)| {
            Ok(AreaRecord {
                area: Area::parse(&area)
                    .ok_or_else(|| StoreError::Corrupt(format!("area {area}")))?,
                status: AreaStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("area status {status}")))?,
                changed_at: Timestamp(changed_at),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    areas.sort_by_key(|a| Area::ALL.iter().position(|x| *x == a.area));
    Ok(areas)
}
