//! The facts of what waits for whom ([`mend_core::waiting`]): one query that counts, per
//! ongoing journey of the person's space, the open items and the items newer than the
//! person's last visit to the page where they are read, each with the time of its newest
//! item. It returns a row per fact that is not zero, never a row per item, and reads no text.

use async_trait::async_trait;
use mend_core::store::{Fact, SpaceVersion, WaitingFact, WaitingStore};
use mend_core::waiting::New;
use mend_core::{
    BreachId, EntryKind, PersonId, Rhythm, Role, SpaceId, StatementResponse, StoreError, Timestamp,
};
use std::sync::LazyLock;
use uuid::Uuid;

use crate::db::Db;
use crate::kept::Kept;

/// Not seen by the person (`$1`) since `at`: no visit to `section` of `breach` at or after it.
/// Sections are named as the pages mark them (`EntryKind::as_str` for written entries).
fn unseen(section: &str, breach: &str, at: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM seen s WHERE s.person_id = $1 AND s.breach_id = {breach} \
         AND s.section = {section} AND s.seen_at >= {at})"
    )
}

/// When the person (`$1`) last opened `section` of `breach`, or -1 if never: items after it
/// are new. Written as a bound on the item's time, so an index on (journey, time) reads only
/// the items after the last visit, however long the history before it.
fn last_seen(section: &str, breach: &str) -> String {
    format!(
        "COALESCE((SELECT s.seen_at FROM seen s WHERE s.person_id = $1 AND s.breach_id = {breach} \
         AND s.section = {section}), -1)"
    )
}

/// The whole query: one branch per fact, each grouped by journey.
pub(crate) static FACTS_SQL: LazyLock<String> = LazyLock::new(|| {
    const NONE: &str = "CAST(NULL AS BIGINT)";
    let mine = "IN (SELECT id FROM mine)";
    // Every kind of written entry, as a table to join: `SELECT 'pledge' AS kind UNION ALL …`.
    let kinds = EntryKind::ALL
        .iter()
        .map(|k| format!("SELECT '{}' AS kind", k.as_str()))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let entries = |fact: &str, kind: &str, more: &str| {
        format!(
            "SELECT e.breach_id, '{fact}', COUNT(*), MAX(e.sent_at) FROM entries e \
             WHERE e.breach_id {mine} AND e.kind = '{kind}' AND e.state = 'sent' {more} \
             GROUP BY e.breach_id"
        )
    };
    // The time of the newest item of a kind in each journey, read as one index lookup (the
    // count of such items is not a fact anyone reads).
    let newest = |fact: &str, at: &str| {
        format!(
            "SELECT id, '{fact}', CAST(1 AS BIGINT), at FROM (SELECT b.id, ({at}) AS at \
             FROM mine b) n WHERE at IS NOT NULL"
        )
    };
    // A feeling still being listened to: not withdrawn and not heard (`feelings_unheard`).
    let unheard = "f.withdrawn_at IS NULL AND f.heard_at IS NULL";
    let opened = |fact: &str, column: &str, section: &str| {
        format!(
            "SELECT b.id, '{fact}', COUNT(*), MAX(b.{column}) FROM breaches b \
             WHERE b.id {mine} AND b.{column} IS NOT NULL AND {} GROUP BY b.id",
            unseen(&format!("'{section}'"), "b.id", &format!("b.{column}"))
        )
    };
    let branches = [
        // Each ongoing journey, the person's role in it, and the choices the rules read.
        format!(
            "SELECT b.id, CASE WHEN b.hurt_person = $1 THEN 'journey:hurt' \
             ELSE 'journey:repairing' END, CAST(1 AS BIGINT), b.created_at FROM breaches b \
             WHERE b.id {mine}"
        ),
        format!(
            "SELECT b.id, 'check_in_rhythm:' || b.check_in_rhythm, CAST(1 AS BIGINT), {NONE} \
             FROM breaches b WHERE b.id {mine} AND b.check_in_rhythm IS NOT NULL"
        ),
        format!(
            "SELECT b.id, 'recommit_rhythm:' || b.recommit_rhythm, CAST(1 AS BIGINT), {NONE} \
             FROM breaches b WHERE b.id {mine}"
        ),
        format!(
            "SELECT b.id, 'closing_proposed', CAST(1 AS BIGINT), b.closing_proposed_at \
             FROM breaches b WHERE b.id {mine} AND b.closing_proposed_at IS NOT NULL"
        ),
        entries("acks_sent", "acknowledgement", ""),
        entries(
            "acks_unread",
            "acknowledgement",
            "AND e.received_at IS NULL",
        ),
        entries(
            "statements_unanswered",
            "accountability",
            "AND e.response IS NULL",
        ),
        format!(
            "SELECT e.breach_id, 'latest_statement:' || COALESCE(e.response, ''), COUNT(*), \
             MAX(e.responded_at) FROM entries e WHERE e.breach_id {mine} AND e.kind = 'accountability' \
             AND e.state = 'sent' AND NOT EXISTS (SELECT 1 FROM entries l \
             WHERE l.breach_id = e.breach_id AND l.kind = 'accountability' AND l.state = 'sent' \
             AND (l.sent_at > e.sent_at OR (l.sent_at = e.sent_at AND l.id > e.id))) \
             GROUP BY e.breach_id, e.response"
        ),
        newest(
            "first_intention",
            "SELECT MIN(e.sent_at) FROM entries e WHERE e.breach_id = b.id \
             AND e.kind = 'intention' AND e.sent_at IS NOT NULL",
        ),
        newest(
            "last_recommitment",
            "SELECT MAX(e.sent_at) FROM entries e WHERE e.breach_id = b.id \
             AND e.kind = 'recommitment' AND e.sent_at IS NOT NULL",
        ),
        // What the partner sent, by kind, since the person last opened that kind's page.
        // (`entries_sent_by_kind` makes this a range of the entries after the last visit.)
        format!(
            "SELECT e.breach_id, 'new_entry:' || e.kind, COUNT(*), MAX(e.sent_at) \
             FROM mine b CROSS JOIN ({kinds}) k CROSS JOIN entries e WHERE e.breach_id = b.id \
             AND e.kind = k.kind AND e.sent_at > {} \
             AND e.state = 'sent' AND e.author <> $1 GROUP BY e.breach_id, e.kind",
            last_seen("k.kind", "b.id")
        ),
        format!(
            "SELECT e.breach_id, 'new_received', COUNT(*), MAX(e.received_at) FROM entries e \
             WHERE e.breach_id {mine} AND e.kind = 'acknowledgement' AND e.state = 'sent' \
             AND e.author = $1 AND e.received_at IS NOT NULL AND {} GROUP BY e.breach_id",
            unseen("'acknowledgement'", "e.breach_id", "e.received_at")
        ),
        format!(
            "SELECT e.breach_id, 'new_statement_response', COUNT(*), MAX(e.responded_at) \
             FROM entries e WHERE e.breach_id {mine} AND e.kind = 'accountability' \
             AND e.state = 'sent' AND e.author = $1 AND e.responded_at IS NOT NULL AND {} \
             GROUP BY e.breach_id",
            unseen("'accountability'", "e.breach_id", "e.responded_at")
        ),
        // A feeling being listened to waits for a reflection unless one waits for a verdict
        // (at most one does).
        format!(
            "SELECT f.breach_id, 'feelings_awaiting_reflection', COUNT(*), MAX(f.created_at) \
             FROM feelings f WHERE f.breach_id {mine} AND {unheard} AND NOT EXISTS \
             (SELECT 1 FROM reflections r WHERE r.feeling_id = f.id \
             AND r.withdrawn_at IS NULL AND r.verdict IS NULL) GROUP BY f.breach_id"
        ),
        // A standing reflection per feeling at most, so the count is of feelings; the time
        // is the reflection's.
        format!(
            "SELECT f.breach_id, 'reflections_awaiting_verdict', COUNT(*), MAX(r.created_at) \
             FROM feelings f JOIN reflections r ON r.feeling_id = f.id \
             AND r.withdrawn_at IS NULL AND r.verdict IS NULL \
             WHERE f.breach_id {mine} AND {unheard} GROUP BY f.breach_id"
        ),
        // A verdict after the last visit is on a feeling still being listened to or heard
        // since (a feeling's "heard" is its latest verdict), so only those are read.
        format!(
            "SELECT v.breach_id, 'new_verdicts', COUNT(*), MAX(v.verdict_at) FROM \
             (SELECT f.breach_id, r.verdict_at FROM feelings f JOIN reflections r \
             ON r.feeling_id = f.id WHERE f.breach_id {mine} AND {unheard} \
             AND r.author = $1 AND r.withdrawn_at IS NULL AND r.verdict_at > {unheard_seen} \
             UNION ALL SELECT b.id, r.verdict_at FROM mine b CROSS JOIN feelings f \
             CROSS JOIN reflections r WHERE f.breach_id = b.id AND f.heard_at > {seen} \
             AND r.feeling_id = f.id AND r.author = $1 AND r.withdrawn_at IS NULL \
             AND r.verdict_at > {seen}) v GROUP BY v.breach_id",
            unheard_seen = last_seen("'feelings'", "f.breach_id"),
            seen = last_seen("'feelings'", "b.id")
        ),
        newest(
            "last_check_in",
            "SELECT MAX(c.created_at) FROM check_ins c WHERE c.breach_id = b.id",
        ),
        format!(
            "SELECT t.breach_id, 'unanswered_triggers', COUNT(*), MAX(t.created_at) \
             FROM triggers t \
             WHERE t.breach_id {mine} AND t.replied_at IS NULL GROUP BY t.breach_id"
        ),
        format!(
            "SELECT t.breach_id, 'new_trigger_replies', COUNT(*), MAX(t.replied_at) \
             FROM mine b CROSS JOIN triggers t WHERE t.breach_id = b.id \
             AND t.replied_at > {} AND t.person_id = $1 GROUP BY t.breach_id",
            last_seen("'triggers'", "b.id")
        ),
        format!(
            "SELECT t.breach_id, 'transparency_offers', COUNT(*), MAX(t.created_at) \
             FROM transparency_agreements t WHERE t.breach_id {mine} AND t.state = 'offered' \
             GROUP BY t.breach_id"
        ),
        format!(
            "SELECT t.breach_id, 'new_decisions', COUNT(*), MAX(t.decided_at) \
             FROM transparency_agreements t WHERE t.breach_id {mine} AND t.offered_by = $1 \
             AND t.state IN ('accepted', 'declined') AND t.decided_at IS NOT NULL AND {} \
             GROUP BY t.breach_id",
            unseen("'transparency'", "t.breach_id", "t.decided_at")
        ),
        // The questions that wait (`questions_waiting`): those with no live answer, and
        // those whose latest answer was asked to be fuller.
        format!(
            "SELECT q.breach_id, 'open_questions', COUNT(*), MAX(q.created_at) FROM questions q \
             WHERE q.breach_id {mine} AND q.settled_at IS NULL AND q.withdrawn_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id \
             AND a.withdrawn_at IS NULL) GROUP BY q.breach_id"
        ),
        format!(
            "SELECT q.breach_id, 'new_in_person', COUNT(*), MAX(q.in_person_at) \
             FROM mine b CROSS JOIN questions q WHERE q.breach_id = b.id \
             AND q.in_person_at > {} AND q.asked_by = $1 AND q.withdrawn_at IS NULL GROUP BY q.breach_id",
            last_seen("'questions'", "b.id")
        ),
        format!(
            "SELECT q.breach_id, 'asked_for_more', COUNT(*), MAX(a.responded_at) FROM questions q \
             JOIN answers a ON a.question_id = q.id AND a.response = 'need_more' \
             WHERE q.breach_id {mine} AND q.settled_at IS NULL AND q.withdrawn_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM answers n WHERE n.question_id = a.question_id \
             AND n.created_at > a.created_at) GROUP BY q.breach_id"
        ),
        format!(
            "SELECT a.breach_id, 'answers_unresponded', COUNT(*), MAX(a.created_at) \
             FROM answers a WHERE a.breach_id {mine} AND a.response IS NULL \
             AND a.withdrawn_at IS NULL GROUP BY a.breach_id"
        ),
        format!(
            "SELECT a.breach_id, 'new_answer_responses', COUNT(*), MAX(a.responded_at) \
             FROM mine b CROSS JOIN answers a WHERE a.breach_id = b.id \
             AND a.responded_at > {} AND a.author = $1 AND a.withdrawn_at IS NULL \
             GROUP BY a.breach_id",
            last_seen("'questions'", "b.id")
        ),
        format!(
            "SELECT v.breach_id, 'new_evidence', COUNT(*), MAX(v.shared_at) FROM mine b \
             CROSS JOIN evidence v WHERE v.breach_id = b.id AND v.shared_at > {} \
             AND v.author <> $1 GROUP BY v.breach_id",
            last_seen("'evidence'", "b.id")
        ),
        opened(
            "my_side_opened",
            "my_side_opened_at",
            EntryKind::MySide.as_str(),
        ),
        opened(
            "context_opened",
            "context_opened_at",
            EntryKind::Context.as_str(),
        ),
        // The journal is the space's: shared entries newer than the last visit to it.
        "SELECT NULL, 'new_journal', COUNT(*), MAX(j.shared_at) FROM memberships m \
         CROSS JOIN journal_entries j WHERE j.space_id = m.space_id AND j.shared_at > \
         COALESCE((SELECT s.seen_at FROM journal_seen s WHERE s.person_id = $1 \
         AND s.space_id = m.space_id), -1) \
         AND m.person_id = $1 AND j.author <> $1 HAVING COUNT(*) > 0"
            .to_owned(),
    ];
    format!(
        "WITH mine AS (SELECT b.id FROM breaches b JOIN memberships m ON m.space_id = b.space_id \
         WHERE m.person_id = $1 AND b.ended_at IS NULL) {}",
        branches.join(" UNION ALL ")
    )
});

fn fact(name: &str) -> Option<Fact> {
    if let Some(kind) = name.strip_prefix("new_entry:") {
        return EntryKind::parse(kind).map(|k| Fact::New(New::Entry(k)));
    }
    if let Some(response) = name.strip_prefix("latest_statement:") {
        return match response {
            "" => Some(Fact::LatestStatement(None)),
            r => StatementResponse::parse(r).map(|r| Fact::LatestStatement(Some(r))),
        };
    }
    if let Some(r) = name.strip_prefix("check_in_rhythm:") {
        return Rhythm::parse(r).map(Fact::CheckInRhythm);
    }
    if let Some(r) = name.strip_prefix("recommit_rhythm:") {
        return Rhythm::parse(r).map(Fact::RecommitRhythm);
    }
    Some(match name {
        "journey:hurt" => Fact::Journey(Role::HurtPartner),
        "journey:repairing" => Fact::Journey(Role::RepairingPartner),
        "closing_proposed" => Fact::ClosingProposed,
        "acks_sent" => Fact::AcknowledgementsSent,
        "acks_unread" => Fact::AcknowledgementsUnread,
        "statements_unanswered" => Fact::StatementsUnanswered,
        "first_intention" => Fact::FirstIntention,
        "last_recommitment" => Fact::LastRecommitment,
        "last_check_in" => Fact::LastCheckIn,
        "feelings_awaiting_reflection" => Fact::FeelingsAwaitingReflection,
        "reflections_awaiting_verdict" => Fact::ReflectionsAwaitingVerdict,
        "unanswered_triggers" => Fact::UnansweredTriggers,
        "transparency_offers" => Fact::TransparencyOffers,
        "open_questions" => Fact::OpenQuestions,
        "asked_for_more" => Fact::AskedForMore,
        "answers_unresponded" => Fact::AnswersUnresponded,
        "new_received" => Fact::New(New::Received),
        "new_statement_response" => Fact::New(New::StatementResponse),
        "new_verdicts" => Fact::New(New::Verdicts),
        "new_trigger_replies" => Fact::New(New::TriggerReplies),
        "new_decisions" => Fact::New(New::Decisions),
        "new_answer_responses" => Fact::New(New::AnswerResponses),
        "new_in_person" => Fact::New(New::InPerson),
        "new_evidence" => Fact::New(New::Evidence),
        "my_side_opened" => Fact::New(New::MySideOpened),
        "context_opened" => Fact::New(New::ContextOpened),
        "new_journal" => Fact::New(New::Journal),
        _ => return None,
    })
}

/// The person's space and how many times it has changed (`space_changes`, which the
/// database's own triggers raise on every change to a table [`FACTS_SQL`] reads).
const SPACE_VERSION_SQL: &str =
    "SELECT m.space_id, COALESCE((SELECT c.version FROM space_changes c \
     WHERE c.space_id = m.space_id), 0) FROM memberships m WHERE m.person_id = $1";

/// How many people's facts one instance keeps: a few dozen facts each, so a few MB at most.
const KEPT_PEOPLE: usize = 4096;

/// Each person's facts as last read, under the version of their space they were read at: a
/// page whose space has not changed reads no facts.
pub(crate) type KeptFacts = Kept<PersonId, Vec<WaitingFact>>;

pub(crate) fn kept_facts() -> KeptFacts {
    Kept::new(KEPT_PEOPLE)
}

#[async_trait]
impl WaitingStore for Db {
    async fn waiting_facts(
        &self,
        person: PersonId,
        at: Option<SpaceVersion>,
    ) -> Result<Vec<WaitingFact>, StoreError> {
        // The version is read first, so facts kept under it are never older than it.
        let at = match at {
            Some(at) => Some((at.space, at.version)),
            None => {
                let read: Option<(Uuid, i64)> = fetch_optional!(self, SPACE_VERSION_SQL, person.0)?;
                read.map(|(space, version)| (SpaceId(space), version))
            }
        };
        if let Some(facts) = at.and_then(|at| self.kept_facts.get(&person, at)) {
            return Ok(facts);
        }
        let facts = self.read_facts(person).await?;
        if let Some(at) = at {
            self.kept_facts.keep(person, at, facts.clone());
        }
        Ok(facts)
    }
}

impl Db {
    /// The facts themselves, read from every table they come from.
    async fn read_facts(&self, person: PersonId) -> Result<Vec<WaitingFact>, StoreError> {
        let rows: Vec<(Option<Uuid>, String, i64, Option<i64>)> =
            fetch_all!(self, FACTS_SQL.as_str(), person.0)?;
        rows.into_iter()
            .map(|(breach, name, count, at)| {
                let fact = fact(&name)
                    .ok_or_else(|| StoreError::Corrupt(format!("an unknown fact {name:?}")))?;
                Ok(WaitingFact {
                    breach: breach.map(BreachId),
                    fact,
                    count: usize::try_from(count).unwrap_or(0),
                    at: at.map(Timestamp),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::FACTS_SQL;
    use crate::scratch::{Backend, ScratchDatabase};
    use crate::Db;

    /// The counts of what the partner sent since a visit read a range of the items after it
    /// (through an index on the journey and the time), the open items through partial indexes
    /// of the open ones, and no table is scanned: not every item of the history, and never
    /// another couple's rows.
    #[tokio::test]
    async fn new_items_are_read_as_a_range_after_the_last_visit() {
        let scratch = ScratchDatabase::new(Backend::Sqlite).await.unwrap();
        let db = Db::connect(&scratch.url).await.unwrap();
        db.migrate().await.unwrap();
        let crate::db::Backend::Sqlite(pool) = &db.backend else {
            unreachable!("a SQLite scratch database")
        };
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(&format!("EXPLAIN QUERY PLAN {}", FACTS_SQL.as_str()))
                .bind(uuid::Uuid::nil())
                .fetch_all(pool)
                .await
                .unwrap();
        let plan: Vec<&str> = plan
            .iter()
            .map(|(_, _, _, detail)| detail.as_str())
            .collect();
        // Every stored table is searched through an index with its journey (or person) as a
        // key: a scan, or an index built for the query, would read every couple's rows.
        for step in &plan {
            let scanned = step.trim_start_matches(['|', '`', '-', ' ']);
            assert!(
                !step.contains("AUTOMATIC")
                    && (!scanned.starts_with("SCAN ")
                        || [
                            "SCAN mine",
                            "SCAN k",
                            "SCAN n",
                            "SCAN v",
                            "SCAN CONSTANT ROW"
                        ]
                        .contains(&scanned)),
                "{step} in the plan:\n{}",
                plan.join("\n")
            );
        }
        for range in [
            "entries_sent_by_kind (breach_id=? AND kind=? AND sent_at>?)",
            "evidence_shared (breach_id=? AND shared_at>?)",
            "journal_entries_shared (space_id=? AND shared_at>?)",
            "answers_responded (breach_id=? AND responded_at>?)",
            "triggers_replied (breach_id=? AND replied_at>?)",
            "questions_in_person (breach_id=? AND in_person_at>?)",
            "feelings_heard (breach_id=? AND heard_at>?)",
            "feelings_unheard (breach_id=?)",
            "answers_unresponded (breach_id=?)",
            "triggers_unanswered (breach_id=?)",
            "questions_waiting (breach_id=?)",
        ] {
            assert!(
                plan.iter().any(|step| step.ends_with(range)),
                "{range} in the plan:\n{}",
                plan.join("\n")
            );
        }
    }
}
