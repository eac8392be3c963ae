//! The timeline's events: one query over every table that keeps a kind of event, each part
//! reading only its newest rows before the cursor, so a window costs the same after two years.

use async_trait::async_trait;
use mend_core::store::TimelineStore;
use mend_core::timeline::{EventFilter, EventSource, StoredEvent};
use mend_core::{BreachId, StoreError, Timestamp, WindowAsk};
use uuid::Uuid;

use crate::db::Db;

#[derive(sqlx::FromRow)]
struct EventRow {
    at: i64,
    source: i64,
    row_id: Uuid,
    detail: Option<String>,
    follows: i64,
}

/// Where one source's events are: its time column, its row id, the value that names it, the
/// rows it is read from and the column that says which journey they belong to.
struct Part {
    at: &'static str,
    id: &'static str,
    detail: &'static str,
    from: &'static str,
    breach: &'static str,
    /// What else a row must be to count (a sent entry, a heard reflection…).
    when: &'static str,
}

const NO_DETAIL: &str = "CAST(NULL AS TEXT)";

fn part(source: EventSource) -> Part {
    let entries = |at, detail, when| Part {
        at,
        id: "id",
        detail,
        from: "entries",
        breach: "breach_id",
        when,
    };
    let simple = |at, from| Part {
        at,
        id: "id",
        detail: NO_DETAIL,
        from,
        breach: "breach_id",
        when: "",
    };
    match source {
        // Drafts have no events; an entry's events are its sending and what followed it.
        EventSource::EntrySent => entries("sent_at", "kind", "AND state <> 'draft'"),
        EventSource::EntryWithdrawn => entries("withdrawn_at", "kind", "AND state <> 'draft'"),
        EventSource::EntryReceived => entries("received_at", NO_DETAIL, "AND state <> 'draft'"),
        EventSource::StatementAnswered => {
            entries("responded_at", "response", "AND state <> 'draft'")
        }
        EventSource::QuestionAsked => simple("created_at", "questions"),
        EventSource::QuestionAnswered => Part {
            at: "a.created_at",
            id: "a.id",
            detail: NO_DETAIL,
            from: "answers a JOIN questions q ON q.id = a.question_id",
            breach: "q.breach_id",
            when: "",
        },
        EventSource::FeelingShared => simple("created_at", "feelings"),
        EventSource::Reflected | EventSource::FeltHeard => Part {
            at: if source == EventSource::Reflected {
                "r.created_at"
            } else {
                "r.verdict_at"
            },
            id: "r.id",
            detail: NO_DETAIL,
            from: "reflections r JOIN feelings f ON f.id = r.feeling_id",
            breach: "f.breach_id",
            when: if source == EventSource::FeltHeard {
                "AND r.verdict = 'heard'"
            } else {
                ""
            },
        },
        EventSource::CheckedIn => Part {
            detail: "CAST(trust AS TEXT)",
            ..simple("created_at", "check_ins")
        },
        EventSource::Triggered => simple("created_at", "triggers"),
        EventSource::TriggerAnswered => simple("replied_at", "triggers"),
        // Private evidence has no event; shared evidence has one when it was shared.
        EventSource::EvidenceShared => simple("shared_at", "evidence"),
        EventSource::TransparencyOffered => simple("created_at", "transparency_agreements"),
        EventSource::TransparencyAgreed => Part {
            when: "AND state = 'accepted'",
            ..simple("decided_at", "transparency_agreements")
        },
        // An area's row is named by its journey and area; the journey's id stands for its row.
        EventSource::AreaDone => Part {
            at: "changed_at",
            id: "breach_id",
            detail: "area",
            from: "journey_areas",
            breach: "breach_id",
            when: "AND status = 'done'",
        },
    }
}

/// The extra condition of a part under `filter`: only the kinds of entry or the area shown.
/// The values come from our own enums, never from a request.
fn narrowed(source: EventSource, filter: &EventFilter) -> String {
    let quoted = |values: Vec<&str>| {
        values
            .iter()
            .map(|v| format!("'{v}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match source {
        EventSource::EntrySent | EventSource::EntryWithdrawn => format!(
            " AND kind IN ({})",
            quoted(filter.entry_kinds.iter().map(|k| k.as_str()).collect())
        ),
        EventSource::AreaDone => match filter.done_area {
            Some(area) => format!(" AND area = '{}'", area.as_str()),
            None => String::new(),
        },
        _ => String::new(),
    }
}

#[async_trait]
impl TimelineStore for Db {
    async fn timeline_events(
        &self,
        breach: BreachId,
        filter: &EventFilter,
        ask: WindowAsk,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let parts: Vec<String> = filter
            .sources
            .iter()
            .filter(|s| {
                !matches!(s, EventSource::EntrySent | EventSource::EntryWithdrawn)
                    || !filter.entry_kinds.is_empty()
            })
            .enumerate()
            .map(|(n, &source)| {
                let Part {
                    at,
                    id,
                    detail,
                    from,
                    breach,
                    when,
                } = part(source);
                let follows = if source == EventSource::EntrySent {
                    "CASE WHEN follows IS NULL THEN CAST(0 AS BIGINT) ELSE CAST(1 AS BIGINT) END"
                } else {
                    "CAST(0 AS BIGINT)"
                };
                format!(
                    "SELECT * FROM (SELECT {at} AS at, CAST({code} AS BIGINT) AS source, \
                     {id} AS row_id, {detail} AS detail, {follows} AS follows FROM {from} \
                     WHERE {breach} = $1 AND {at} IS NOT NULL {when}{narrow} \
                     AND ({at}, {id}) < ($2, $3) ORDER BY {at} DESC, {id} DESC LIMIT $4) AS p{n}",
                    code = source.code(),
                    narrow = narrowed(source, filter),
                )
            })
            .collect();
        if parts.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT at, source, row_id, detail, follows FROM ({}) AS events \
             ORDER BY at DESC, row_id DESC, source DESC LIMIT $4",
            parts.join(" UNION ALL ")
        );
        let rows: Vec<EventRow> = fetch_all!(
            self,
            &sql,
            breach.0,
            ask.before.at.0,
            ask.before.id,
            ask.rows_to_fetch()
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(StoredEvent {
                    at: Timestamp(r.at),
                    source: EventSource::from_code(r.source)?,
                    row: r.row_id,
                    detail: r.detail,
                    follows: r.follows != 0,
                })
            })
            .collect())
    }
}
