//! A counsellor's grants, the partners' share choices, and the counsellor's scoped reads.

use async_trait::async_trait;
use mend_core::counsellor::{Consent, Grant, GrantEnd, ShareArea, ShareChoices};
use mend_core::store::{
    AnswerRecord, AreaRecord, BreachRecord, CheckInRecord, CounsellorCopy, CounsellorGrantRecord,
    CounsellorNoteRecord, CounsellorStore, EntryRecord, FeelingRecord, JourneyCounts, LookupHash,
    NewCounsellorGrant, QuestionRecord, ReflectionRecord, ShareChange, TransparencyRecord,
    TriggerRecord, COUNSELLOR_WINDOW,
};
use mend_core::{
    BreachId, CheckInId, CounsellorGrantId, CounsellorNoteId, EvidenceId, JournalEntryId, PersonId,
    Seat, SpaceId, StoreError, Timestamp, Trust, COUNSELLOR_INVITE_LIFETIME,
};
use mend_crypto::Sealed;
use uuid::Uuid;

use crate::check_ins::trust_of;
use crate::db::Db;
use crate::entries::EntryRow;
use crate::feelings::{FeelingRow, ReflectionRow, FEELING_COLUMNS, REFLECTION_COLUMNS};
use crate::journeys::{area_records, BreachRow, BREACH_COLUMNS};
use crate::questions::{AnswerRow, QuestionRow, ANSWER_COLUMNS, QUESTION_COLUMNS};
use crate::transparency::{TransparencyRow, TRANSPARENCY_COLUMNS};
use crate::triggers::TriggerRow;

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
    last_seen_at: Option<i64>,
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
            last_seen_at: r.last_seen_at.map(Timestamp),
        })
    }
}

const GRANT_COLUMNS: &str = "id, space_id, proposed_seat, code_sealed, proposed_at, agreed_at, \
     accepted_at, counsellor_id, ended_at, ended_why, last_seen_at";

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: Uuid,
    grant_id: Uuid,
    breach_id: Uuid,
    body_sealed: Vec<u8>,
    created_at: i64,
}

impl From<NoteRow> for CounsellorNoteRecord {
    fn from(r: NoteRow) -> Self {
        CounsellorNoteRecord {
            id: CounsellorNoteId(r.id),
            grant: CounsellorGrantId(r.grant_id),
            breach: BreachId(r.breach_id),
            body: Sealed::from_stored(r.body_sealed),
            created_at: Timestamp(r.created_at),
        }
    }
}

const NOTE_COLUMNS: &str = "n.id, n.grant_id, n.breach_id, n.body_sealed, n.created_at";

/// A check-in's score without its note, which a counsellor never reads.
#[derive(sqlx::FromRow)]
struct ScoreRow {
    id: Uuid,
    breach_id: Uuid,
    person_id: Uuid,
    trust: i64,
    created_at: i64,
}

/// The window's rows came newest first; pages show them in the order they happened.
fn oldest_first<R, T: TryFrom<R, Error = StoreError>>(rows: Vec<R>) -> Result<Vec<T>, StoreError> {
    let mut records = rows
        .into_iter()
        .map(T::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    records.reverse();
    Ok(records)
}

/// A condition that holds while `counsellor` (a parameter) reads the space `space` (a column)
/// through an accepted grant that has not ended: every counsellor read carries it.
fn reads_space(counsellor: &str, space: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM counsellor_grants g WHERE g.space_id = {space} \
         AND g.counsellor_id = {counsellor} AND g.accepted_at IS NOT NULL \
         AND g.ended_at IS NULL)"
    )
}

/// A condition that holds while `counsellor` reads the space of the journey `breach` (both
/// parameters) through an accepted grant that has not ended.
fn reads_breach(counsellor: &str, breach: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM breaches rb JOIN counsellor_grants g ON g.space_id = rb.space_id \
         WHERE rb.id = {breach} AND g.counsellor_id = {counsellor} \
         AND g.accepted_at IS NOT NULL AND g.ended_at IS NULL)"
    )
}

/// A condition that holds while both partners of the journey `breach` (a parameter) allow
/// `area` in it.
fn both_allow_breach(breach: &str, area: ShareArea) -> String {
    format!(
        "(SELECT COUNT(*) FROM memberships m JOIN breaches mb ON mb.space_id = m.space_id \
         WHERE mb.id = {breach} AND {}) = 2",
        allows(breach, "m.person_id", area)
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
             AND space_id IN (SELECT id FROM spaces WHERE departed_at IS NULL) \
             AND EXISTS (SELECT 1 FROM people p WHERE p.id = $2 \
                         AND p.counsellor_since IS NOT NULL)",
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

    async fn counsellor_grant_over(
        &self,
        counsellor: PersonId,
        space: SpaceId,
    ) -> Result<Option<CounsellorGrantRecord>, StoreError> {
        let sql = format!(
            "SELECT {GRANT_COLUMNS} FROM counsellor_grants WHERE space_id = $1 \
             AND counsellor_id = $2 AND accepted_at IS NOT NULL AND ended_at IS NULL"
        );
        let row: Option<GrantRow> = fetch_optional!(self, &sql, space.0, counsellor.0)?;
        row.map(TryInto::try_into).transpose()
    }

    async fn counsellor_grant_ended(
        &self,
        counsellor: PersonId,
        space: SpaceId,
    ) -> Result<bool, StoreError> {
        let found: Option<Uuid> = fetch_optional!(scalar self,
            "SELECT id FROM counsellor_grants WHERE space_id = $1 AND counsellor_id = $2 \
             AND ended_at IS NOT NULL LIMIT 1", space.0, counsellor.0)?;
        Ok(found.is_some())
    }

    async fn counsellor_breaches(
        &self,
        counsellor: PersonId,
        space: SpaceId,
    ) -> Result<Vec<BreachRecord>, StoreError> {
        let sql = format!(
            "SELECT {BREACH_COLUMNS} FROM breaches WHERE space_id = $2 AND {} \
             ORDER BY created_at, id",
            reads_space("$1", "breaches.space_id")
        );
        let rows: Vec<BreachRow> = fetch_all!(self, &sql, counsellor.0, space.0)?;
        rows.into_iter().map(BreachRecord::try_from).collect()
    }

    async fn counsellor_breach(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Option<BreachRecord>, StoreError> {
        let sql = format!(
            "SELECT {BREACH_COLUMNS} FROM breaches WHERE id = $2 AND {}",
            reads_space("$1", "breaches.space_id")
        );
        let row: Option<BreachRow> = fetch_optional!(self, &sql, counsellor.0, breach.0)?;
        row.map(BreachRecord::try_from).transpose()
    }

    async fn counsellor_looked(
        &self,
        counsellor: PersonId,
        grant: CounsellorGrantId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = execute!(
            self,
            "UPDATE counsellor_grants SET last_seen_at = $1 WHERE id = $2 \
             AND counsellor_id = $3 AND accepted_at IS NOT NULL AND ended_at IS NULL",
            at.0,
            grant.0,
            counsellor.0
        )?;
        Ok(done == 1)
    }

    async fn counsellor_new_since(
        &self,
        counsellor: PersonId,
        space: SpaceId,
        since: Option<Timestamp>,
    ) -> Result<usize, StoreError> {
        // Each kind is counted through the same conditions as the reads of the counsellor's
        // pages, at most a window of each, so the home's work stays bounded.
        let reads = reads_space("$1", "b.space_id");
        let kinds = [
            (
                "entries x",
                "x.sent_at",
                "x.author",
                ShareArea::Entries,
                "x.state = 'sent'",
            ),
            (
                "questions x",
                "x.created_at",
                "x.asked_by",
                ShareArea::Questions,
                "x.withdrawn_at IS NULL",
            ),
            (
                "feelings x",
                "x.created_at",
                "x.person_id",
                ShareArea::Feelings,
                "x.withdrawn_at IS NULL",
            ),
            (
                "check_ins x",
                "x.created_at",
                "x.person_id",
                ShareArea::CheckIns,
                "1 = 1",
            ),
        ];
        let parts: Vec<String> = kinds
            .iter()
            .map(|(table, at, author, area, live)| {
                format!(
                    "(SELECT COUNT(*) FROM (SELECT 1 FROM {table} \
                     JOIN breaches b ON b.id = x.breach_id \
                     WHERE b.space_id = $2 AND {at} > $3 AND {live} AND {reads} AND {own} \
                     LIMIT {COUNSELLOR_WINDOW}) c_{slug})",
                    own = allows("x.breach_id", author, *area),
                    slug = area.slug(),
                )
            })
            .collect();
        let notes = format!(
            "(SELECT COUNT(*) FROM (SELECT 1 FROM counsellor_notes n \
             JOIN breaches b ON b.id = n.breach_id \
             WHERE b.space_id = $2 AND n.created_at > $3 AND {reads} \
             LIMIT {COUNSELLOR_WINDOW}) c_notes)"
        );
        let sql = format!("SELECT {} + {notes}", parts.join(" + "));
        let since = since.map_or(-1, |t| t.0);
        let count: i64 = fetch_one!(scalar self, &sql, counsellor.0, space.0, since)?;
        usize::try_from(count).map_err(|_| StoreError::Corrupt(format!("count {count}")))
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
            // The choices before, so that each change is remembered once: both partners see
            // what was shared when.
            let before: Vec<String> = fetch_all!(scalar on &mut *tx,
                "SELECT area FROM counsellor_shares WHERE breach_id = $1 AND person_id = $2",
                breach.0, person.0)?;
            execute!(on &mut *tx,
                "DELETE FROM counsellor_shares WHERE breach_id = $1 AND person_id = $2",
                breach.0, person.0)?;
            for area in choices.areas() {
                let stored = execute!(on &mut *tx, &insert, breach.0, person.0, area.slug(), at.0)?;
                if stored == 0 {
                    return Err(StoreError::NotSeated);
                }
            }
            for area in ShareArea::ALL {
                let was = before.iter().any(|a| a == area.slug());
                let is = choices.allows(area);
                if was != is {
                    execute!(on &mut *tx,
                        "INSERT INTO counsellor_share_changes \
                         (breach_id, person_id, area, allowed, changed_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                        breach.0, person.0, area.slug(), i64::from(is), at.0)?;
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

    async fn counsellor_questions(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<QuestionRecord>, StoreError> {
        let sql = format!(
            "SELECT {QUESTION_COLUMNS} FROM questions WHERE breach_id = $2 \
             AND withdrawn_at IS NULL AND {reads} AND {own} \
             ORDER BY created_at DESC, id DESC LIMIT {COUNSELLOR_WINDOW}",
            reads = reads_breach("$1", "$2"),
            own = allows(
                "questions.breach_id",
                "questions.asked_by",
                ShareArea::Questions
            ),
        );
        let rows: Vec<QuestionRow> = fetch_all!(self, &sql, counsellor.0, breach.0)?;
        let mut questions: Vec<QuestionRecord> = rows.into_iter().map(Into::into).collect();
        questions.reverse();
        Ok(questions)
    }

    async fn counsellor_answers(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<AnswerRecord>, StoreError> {
        // Only the answers to the questions the page shows: the same window as above.
        let sql = format!(
            "SELECT {ANSWER_COLUMNS} FROM answers a WHERE a.withdrawn_at IS NULL \
             AND {reads} AND {both} AND a.question_id IN (SELECT q.id FROM questions q \
             WHERE q.breach_id = $2 AND q.withdrawn_at IS NULL AND {own} \
             ORDER BY q.created_at DESC, q.id DESC LIMIT {COUNSELLOR_WINDOW}) \
             ORDER BY a.created_at, a.id",
            reads = reads_breach("$1", "$2"),
            both = both_allow_breach("$2", ShareArea::Questions),
            own = allows("q.breach_id", "q.asked_by", ShareArea::Questions),
        );
        let rows: Vec<AnswerRow> = fetch_all!(self, &sql, counsellor.0, breach.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn counsellor_feelings(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<FeelingRecord>, StoreError> {
        let sql = format!(
            "SELECT {FEELING_COLUMNS} FROM feelings WHERE breach_id = $2 \
             AND withdrawn_at IS NULL AND {reads} AND {own} \
             ORDER BY created_at DESC, id DESC LIMIT {COUNSELLOR_WINDOW}",
            reads = reads_breach("$1", "$2"),
            own = allows(
                "feelings.breach_id",
                "feelings.person_id",
                ShareArea::Feelings
            ),
        );
        let rows: Vec<FeelingRow> = fetch_all!(self, &sql, counsellor.0, breach.0)?;
        let mut feelings: Vec<FeelingRecord> = rows.into_iter().map(Into::into).collect();
        feelings.reverse();
        Ok(feelings)
    }

    async fn counsellor_reflections(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<ReflectionRecord>, StoreError> {
        let sql = format!(
            "SELECT {REFLECTION_COLUMNS} FROM reflections r WHERE r.withdrawn_at IS NULL \
             AND {reads} AND {both} AND r.feeling_id IN (SELECT f.id FROM feelings f \
             WHERE f.breach_id = $2 AND f.withdrawn_at IS NULL AND {own} \
             ORDER BY f.created_at DESC, f.id DESC LIMIT {COUNSELLOR_WINDOW}) \
             ORDER BY r.created_at, r.id",
            reads = reads_breach("$1", "$2"),
            both = both_allow_breach("$2", ShareArea::Feelings),
            own = allows("f.breach_id", "f.person_id", ShareArea::Feelings),
        );
        let rows: Vec<ReflectionRow> = fetch_all!(self, &sql, counsellor.0, breach.0)?;
        rows.into_iter().map(ReflectionRecord::try_from).collect()
    }

    async fn counsellor_scores(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<CheckInRecord>, StoreError> {
        let sql = format!(
            "SELECT id, breach_id, person_id, trust, created_at FROM check_ins \
             WHERE breach_id = $2 AND {reads} AND {own} \
             ORDER BY created_at DESC, id DESC LIMIT {COUNSELLOR_WINDOW}",
            reads = reads_breach("$1", "$2"),
            own = allows(
                "check_ins.breach_id",
                "check_ins.person_id",
                ShareArea::CheckIns
            ),
        );
        let rows: Vec<ScoreRow> = fetch_all!(self, &sql, counsellor.0, breach.0)?;
        oldest_first(rows)
    }

    async fn counsellor_triggers(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<TriggerRecord>, StoreError> {
        // The trigger is its author's own words; the reply answers them, so both are needed.
        let both = both_allow_breach("$2", ShareArea::Triggers);
        let sql = format!(
            "SELECT id, breach_id, person_id, note_sealed, created_at, \
             CASE WHEN {both} THEN reply_sealed END AS reply_sealed, \
             CASE WHEN {both} THEN replied_at END AS replied_at \
             FROM triggers WHERE breach_id = $2 AND {reads} AND {own} \
             ORDER BY created_at DESC, id DESC LIMIT {COUNSELLOR_WINDOW}",
            reads = reads_breach("$1", "$2"),
            own = allows(
                "triggers.breach_id",
                "triggers.person_id",
                ShareArea::Triggers
            ),
        );
        let rows: Vec<TriggerRow> = fetch_all!(self, &sql, counsellor.0, breach.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn counsellor_agreements(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<TransparencyRecord>, StoreError> {
        let sql = format!(
            "SELECT {TRANSPARENCY_COLUMNS} FROM transparency_agreements WHERE breach_id = $2 \
             AND {reads} AND {both} \
             ORDER BY created_at DESC, id DESC LIMIT {COUNSELLOR_WINDOW}",
            reads = reads_breach("$1", "$2"),
            both = both_allow_breach("$2", ShareArea::Transparency),
        );
        let rows: Vec<TransparencyRow> = fetch_all!(self, &sql, counsellor.0, breach.0)?;
        rows.into_iter().map(TransparencyRecord::try_from).collect()
    }

    async fn counsellor_reads_shared(
        &self,
        counsellor: PersonId,
        breach: BreachId,
        area: ShareArea,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "SELECT id FROM breaches WHERE id = $2 AND {reads} AND {both}",
            reads = reads_breach("$1", "$2"),
            both = both_allow_breach("$2", area),
        );
        let found: Option<Uuid> = fetch_optional!(scalar self, &sql, counsellor.0, breach.0)?;
        Ok(found.is_some())
    }

    async fn counsellor_areas(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<AreaRecord>, StoreError> {
        let sql = format!(
            "SELECT area, status, changed_at FROM journey_areas WHERE breach_id = $2 \
             AND {reads} AND {both}",
            reads = reads_breach("$1", "$2"),
            both = both_allow_breach("$2", ShareArea::Summary),
        );
        let rows: Vec<(String, String, i64)> = fetch_all!(self, &sql, counsellor.0, breach.0)?;
        area_records(rows)
    }

    async fn counsellor_counts(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Option<JourneyCounts>, StoreError> {
        let sql = format!(
            "SELECT \
             (SELECT COUNT(*) FROM entries WHERE breach_id = $2 AND state = 'sent'), \
             (SELECT COUNT(*) FROM questions WHERE breach_id = $2 AND withdrawn_at IS NULL), \
             (SELECT COUNT(*) FROM answers a WHERE a.breach_id = $2 AND a.withdrawn_at IS NULL), \
             (SELECT COUNT(*) FROM feelings WHERE breach_id = $2 AND withdrawn_at IS NULL), \
             (SELECT COUNT(*) FROM check_ins WHERE breach_id = $2), \
             (SELECT COUNT(*) FROM triggers WHERE breach_id = $2) \
             WHERE {reads} AND {both}",
            reads = reads_breach("$1", "$2"),
            both = both_allow_breach("$2", ShareArea::Summary),
        );
        let row: Option<(i64, i64, i64, i64, i64, i64)> =
            fetch_optional!(self, &sql, counsellor.0, breach.0)?;
        let count =
            |n: i64| u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("count {n}")));
        row.map(
            |(entries, questions, answers, feelings, check_ins, triggers)| {
                Ok(JourneyCounts {
                    entries_sent: count(entries)?,
                    questions: count(questions)?,
                    answers: count(answers)?,
                    feelings: count(feelings)?,
                    check_ins: count(check_ins)?,
                    triggers: count(triggers)?,
                })
            },
        )
        .transpose()
    }

    async fn counsellor_trust(
        &self,
        counsellor: PersonId,
        breach: BreachId,
        count: usize,
    ) -> Result<Vec<(Timestamp, Trust)>, StoreError> {
        let limit = i64::try_from(count).unwrap_or(i64::MAX);
        let sql = format!(
            "SELECT created_at, trust FROM check_ins WHERE breach_id = $2 AND {reads} \
             AND {both} ORDER BY created_at DESC, id DESC LIMIT $3",
            reads = reads_breach("$1", "$2"),
            both = both_allow_breach("$2", ShareArea::Summary),
        );
        let rows: Vec<(i64, i64)> = fetch_all!(self, &sql, counsellor.0, breach.0, limit)?;
        rows.into_iter()
            .rev()
            .map(|(at, trust)| Ok((Timestamp(at), trust_of(trust)?)))
            .collect()
    }

    async fn add_counsellor_note(
        &self,
        counsellor: PersonId,
        note: CounsellorNoteRecord,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "INSERT INTO counsellor_notes (id, grant_id, breach_id, body_sealed, created_at) \
             SELECT $1, g.id, b.id, $4, $5 FROM counsellor_grants g \
             JOIN breaches b ON b.space_id = g.space_id \
             WHERE g.id = $2 AND b.id = $3 AND g.counsellor_id = $6 \
             AND g.accepted_at IS NOT NULL AND g.ended_at IS NULL AND {}",
            self.ongoing("$3")
        );
        let stored = execute!(
            self,
            &sql,
            note.id.0,
            note.grant.0,
            note.breach.0,
            note.body.as_bytes(),
            note.created_at.0,
            counsellor.0
        )?;
        Ok(stored == 1)
    }

    async fn counsellor_notes(
        &self,
        breach: BreachId,
    ) -> Result<Vec<CounsellorNoteRecord>, StoreError> {
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM counsellor_notes n WHERE n.breach_id = $1 \
             ORDER BY n.created_at DESC, n.id DESC LIMIT {COUNSELLOR_WINDOW}"
        );
        let rows: Vec<NoteRow> = fetch_all!(self, &sql, breach.0)?;
        let mut notes: Vec<CounsellorNoteRecord> = rows.into_iter().map(Into::into).collect();
        notes.reverse();
        Ok(notes)
    }

    async fn counsellor_notes_for(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<CounsellorNoteRecord>, StoreError> {
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM counsellor_notes n WHERE n.breach_id = $2 AND {} \
             ORDER BY n.created_at DESC, n.id DESC LIMIT {COUNSELLOR_WINDOW}",
            reads_breach("$1", "$2")
        );
        let rows: Vec<NoteRow> = fetch_all!(self, &sql, counsellor.0, breach.0)?;
        let mut notes: Vec<CounsellorNoteRecord> = rows.into_iter().map(Into::into).collect();
        notes.reverse();
        Ok(notes)
    }

    async fn share_changes(&self, breach: BreachId) -> Result<Vec<ShareChange>, StoreError> {
        let sql = format!(
            "SELECT person_id, area, allowed, changed_at FROM counsellor_share_changes \
             WHERE breach_id = $1 ORDER BY changed_at DESC LIMIT {COUNSELLOR_WINDOW}"
        );
        let rows: Vec<(Uuid, String, i64, i64)> = fetch_all!(self, &sql, breach.0)?;
        rows.into_iter()
            .map(|(person, slug, allowed, at)| {
                Ok(ShareChange {
                    person: PersonId(person),
                    area: ShareArea::from_slug(&slug)
                        .ok_or_else(|| StoreError::Corrupt(format!("share area {slug}")))?,
                    allowed: allowed == 1,
                    at: Timestamp(at),
                })
            })
            .collect()
    }

    async fn share_journal_with_counsellor(
        &self,
        space: SpaceId,
        entry: JournalEntryId,
        author: PersonId,
        copy: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        self.share_copy(&JOURNAL, space.0, entry.0, author, copy, at)
            .await
    }

    async fn unshare_journal_from_counsellor(
        &self,
        space: SpaceId,
        entry: JournalEntryId,
        author: PersonId,
    ) -> Result<bool, StoreError> {
        self.unshare_copy(&JOURNAL, space.0, entry.0, author).await
    }

    async fn journal_shared_with_counsellor(
        &self,
        space: SpaceId,
        author: PersonId,
        among: &[JournalEntryId],
    ) -> Result<Vec<JournalEntryId>, StoreError> {
        let ids = among.iter().map(|id| id.0).collect();
        let shared = self.shared_among(&JOURNAL, space.0, author, ids).await?;
        Ok(shared.into_iter().map(JournalEntryId).collect())
    }

    async fn counsellor_journal(
        &self,
        counsellor: PersonId,
        space: SpaceId,
    ) -> Result<Vec<CounsellorCopy<JournalEntryId>>, StoreError> {
        let sql = format!(
            "SELECT j.id, j.author, j.counsellor_copy_sealed, j.created_at, \
             j.counsellor_shared_at FROM journal_entries j WHERE j.space_id = $2 \
             AND j.counsellor_shared_at IS NOT NULL AND {reads} \
             AND EXISTS (SELECT 1 FROM memberships m WHERE m.space_id = j.space_id \
                         AND m.person_id = j.author) \
             ORDER BY j.created_at DESC, j.id DESC LIMIT {COUNSELLOR_WINDOW}",
            reads = reads_space("$1", "j.space_id"),
        );
        let rows: Vec<CopyRow> = fetch_all!(self, &sql, counsellor.0, space.0)?;
        Ok(rows
            .into_iter()
            .map(|r| r.into_copy(JournalEntryId))
            .collect())
    }

    async fn share_evidence_with_counsellor(
        &self,
        breach: BreachId,
        entry: EvidenceId,
        author: PersonId,
        copy: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        self.share_copy(&EVIDENCE, breach.0, entry.0, author, copy, at)
            .await
    }

    async fn unshare_evidence_from_counsellor(
        &self,
        breach: BreachId,
        entry: EvidenceId,
        author: PersonId,
    ) -> Result<bool, StoreError> {
        self.unshare_copy(&EVIDENCE, breach.0, entry.0, author)
            .await
    }

    async fn evidence_shared_with_counsellor(
        &self,
        breach: BreachId,
        author: PersonId,
        among: &[EvidenceId],
    ) -> Result<Vec<EvidenceId>, StoreError> {
        let ids = among.iter().map(|id| id.0).collect();
        let shared = self.shared_among(&EVIDENCE, breach.0, author, ids).await?;
        Ok(shared.into_iter().map(EvidenceId).collect())
    }

    async fn counsellor_evidence(
        &self,
        counsellor: PersonId,
        breach: BreachId,
    ) -> Result<Vec<CounsellorCopy<EvidenceId>>, StoreError> {
        let sql = format!(
            "SELECT e.id, e.author, e.counsellor_copy_sealed, e.created_at, \
             e.counsellor_shared_at FROM evidence e WHERE e.breach_id = $2 \
             AND e.counsellor_shared_at IS NOT NULL AND {reads} \
             AND EXISTS (SELECT 1 FROM memberships m JOIN breaches mb ON mb.space_id = m.space_id \
                         WHERE mb.id = e.breach_id AND m.person_id = e.author) \
             ORDER BY e.created_at DESC, e.id DESC LIMIT {COUNSELLOR_WINDOW}",
            reads = reads_breach("$1", "$2"),
        );
        let rows: Vec<CopyRow> = fetch_all!(self, &sql, counsellor.0, breach.0)?;
        Ok(rows.into_iter().map(|r| r.into_copy(EvidenceId)).collect())
    }
}

impl TryFrom<ScoreRow> for CheckInRecord {
    type Error = StoreError;
    fn try_from(r: ScoreRow) -> Result<Self, StoreError> {
        Ok(CheckInRecord {
            id: CheckInId(r.id),
            breach: BreachId(r.breach_id),
            person: PersonId(r.person_id),
            trust: trust_of(r.trust)?,
            note: None,
            created_at: Timestamp(r.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct CopyRow {
    id: Uuid,
    author: Uuid,
    counsellor_copy_sealed: Vec<u8>,
    created_at: i64,
    counsellor_shared_at: i64,
}

impl CopyRow {
    fn into_copy<I>(self, id: impl FnOnce(Uuid) -> I) -> CounsellorCopy<I> {
        CounsellorCopy {
            id: id(self.id),
            author: PersonId(self.author),
            copy: Sealed::from_stored(self.counsellor_copy_sealed),
            created_at: Timestamp(self.created_at),
            shared_at: Timestamp(self.counsellor_shared_at),
        }
    }
}

/// The two kinds of entry an author shares with the counsellor one at a time: the table and
/// the column that holds what it belongs to (the space for a journal, the journey for evidence).
struct CopyTable {
    table: &'static str,
    owner: &'static str,
}

const JOURNAL: CopyTable = CopyTable {
    table: "journal_entries",
    owner: "space_id",
};
const EVIDENCE: CopyTable = CopyTable {
    table: "evidence",
    owner: "breach_id",
};

impl Db {
    async fn share_copy(
        &self,
        t: &CopyTable,
        owner: Uuid,
        entry: Uuid,
        author: PersonId,
        copy: Sealed,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE {table} SET counsellor_copy_sealed = $1, counsellor_shared_at = $2 \
             WHERE id = $3 AND {owner} = $4 AND author = $5 AND counsellor_shared_at IS NULL",
            table = t.table,
            owner = t.owner
        );
        let done = execute!(self, &sql, copy.as_bytes(), at.0, entry, owner, author.0)?;
        Ok(done == 1)
    }

    async fn unshare_copy(
        &self,
        t: &CopyTable,
        owner: Uuid,
        entry: Uuid,
        author: PersonId,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE {table} SET counsellor_copy_sealed = NULL, counsellor_shared_at = NULL \
             WHERE id = $1 AND {owner} = $2 AND author = $3 AND counsellor_shared_at IS NOT NULL",
            table = t.table,
            owner = t.owner
        );
        let done = execute!(self, &sql, entry, owner, author.0)?;
        Ok(done == 1)
    }

    async fn shared_among(
        &self,
        t: &CopyTable,
        owner: Uuid,
        author: PersonId,
        among: Vec<Uuid>,
    ) -> Result<Vec<Uuid>, StoreError> {
        if among.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id FROM {table} WHERE {owner} = $1 AND author = $2 \
             AND counsellor_shared_at IS NOT NULL AND id IN ({list})",
            table = t.table,
            owner = t.owner,
            list = crate::db::placeholders(3, among.len())
        );
        let rows: Vec<(Uuid,)> = fetch_all_listed!(self, &sql, [owner, author.0], among)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
