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
            from: "answers a",
            breach: "a.breach_id",
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
            from: "reflections r",
            breach: "r.breach_id",
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

/// The query of the timeline's events under `filter`, newest first before a cursor (`$2`,
/// `$3`) in the journey `$1`, at most `$4` rows; none when no source is asked for.
fn events_sql(filter: &EventFilter) -> Option<String> {
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
        return None;
    }
    Some(format!(
        "SELECT at, source, row_id, detail, follows FROM ({}) AS events \
         ORDER BY at DESC, row_id DESC, source DESC LIMIT $4",
        parts.join(" UNION ALL ")
    ))
}

#[async_trait]
impl TimelineStore for Db {
    async fn timeline_events(
        &self,
        breach: BreachId,
        filter: &EventFilter,
        ask: WindowAsk,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let Some(sql) = events_sql(filter) else {
            return Ok(Vec::new());
        };
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

#[cfg(test)]
mod tests {
    use super::events_sql;
    use crate::scratch::{Backend, ScratchDatabase};
    use crate::Db;
    use mend_core::timeline::EventFilter;

    /// Tables a journey keeps only a handful of rows in (its offers, its eight areas), which
    /// a part may read whole and sort.
    const SMALL: [&str; 2] = ["transparency_agreements", "journey_areas"];

    /// Every source of a long journey's timeline is read newest first through an index of
    /// (journey, time, id), so a window stops after its rows: no part sorts every event of
    /// its kind (a temporary B-tree for its ORDER BY), none goes through another table to
    /// find its journey, and no table is scanned.
    #[tokio::test]
    async fn each_source_is_read_newest_first_from_an_index() {
        let scratch = ScratchDatabase::new(Backend::Sqlite).await.unwrap();
        let db = Db::connect(&scratch.url).await.unwrap();
        db.migrate().await.unwrap();
        let crate::db::Backend::Sqlite(pool) = &db.backend else {
            unreachable!("a SQLite scratch database")
        };
        let sql = events_sql(&EventFilter::of(None)).unwrap();
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
                .bind(uuid::Uuid::nil())
                .bind(0_i64)
                .bind(uuid::Uuid::nil())
                .bind(50_i64)
                .fetch_all(pool)
                .await
                .unwrap();
        let plan: Vec<&str> = plan.iter().map(|(_, _, _, d)| d.as_str()).collect();
        let whole = plan.join("\n");
        let steps: Vec<&str> = plan
            .iter()
            .map(|s| s.trim_start_matches(['|', '`', '-', ' ']))
            .collect();
        for (n, step) in steps.iter().enumerate() {
            assert!(!step.contains("AUTOMATIC"), "{step} in the plan:\n{whole}");
            if let Some(table) = step.strip_prefix("SCAN ") {
                assert!(
                    table.starts_with('p') || table == "events",
                    "{step} in the plan:\n{whole}"
                );
            }
            if *step == "USE TEMP B-TREE FOR ORDER BY" && n > 0 {
                let read = steps[n - 1];
                assert!(
                    !read.starts_with("SEARCH ") || SMALL.iter().any(|t| read.contains(t)),
                    "a part sorts what it read ({read}), in the plan:\n{whole}"
                );
            }
        }
        for index in [
            "entries_sent",
            "entries_withdrawn",
            "entries_received",
            "entries_responded",
            "answers_by_breach",
            "reflections_by_breach",
            "reflections_verdicts",
        ] {
            assert!(
                steps
                    .iter()
                    .any(|s| s.contains(&format!("INDEX {index} ("))),
                "{index} in the plan:\n{whole}"
            );
        }
    }
}
