//! Reads kept between requests (issue 13), each under the version of the space it was read at:
//! a page reads the version with its session, and what is kept is used only while the version
//! has not moved. Another instance's writes move it too, so every instance stays right.

use std::hash::Hash;
use std::sync::{Mutex, PoisonError};

use hashlink::LruCache;
use mend_core::SpaceId;

/// A space and one of its counters (`SpaceVersion::version` or `SpaceVersion::state`).
pub(crate) type At = (SpaceId, i64);

pub(crate) struct Kept<K: Hash + Eq, V: Clone>(Mutex<LruCache<K, (At, V)>>);

impl<K: Hash + Eq, V: Clone> Kept<K, V> {
    /// Keeps the `capacity` most recently used values.
    pub(crate) fn new(capacity: usize) -> Self {
        Self(Mutex::new(LruCache::new(capacity)))
    }

    /// The value kept for `key`, if it was read at exactly `at`.
    pub(crate) fn get(&self, key: &K, at: At) -> Option<V> {
        // A panic elsewhere cannot leave a half-written entry: each is replaced whole.
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.get(key)
            .filter(|(version, _)| *version == at)
            .map(|(_, value)| value.clone())
    }

    /// Keeps `value`, read after the space's version was `at`, so never older than it.
    pub(crate) fn keep(&self, key: K, at: At, value: V) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.insert(key, (at, value));
    }
}

#[cfg(test)]
mod tests {
    use crate::scratch::{backends, ScratchDatabase};
    use crate::Db;

    /// The changes that must raise a space's version, as `(table, event, state)`: every
    /// insert, update and delete of a table the facts are read from (by its name in
    /// `FACTS_SQL`) or the space's state is read from (`state`: these raise its state's
    /// counter too), except a space's own row and a person's, which are only updated while
    /// anything is kept for them (a new space has no counter yet, a deleted one none any
    /// more; a new person has no seat yet, and an account is emptied, never deleted).
    fn versioned(tables: &[String]) -> Vec<(String, &'static str, bool)> {
        let sql = crate::waiting::FACTS_SQL.as_str();
        let read: Vec<&String> = tables
            .iter()
            .filter(|t| {
                sql.contains(&format!("FROM {t} "))
                    || sql.contains(&format!("JOIN {t} "))
                    || crate::space_state::TABLES_READ.contains(&t.as_str())
            })
            .collect();
        assert!(read.len() >= 18, "the facts and the state read {read:?}");
        read.into_iter()
            .flat_map(|t| ["INSERT", "UPDATE", "DELETE"].map(|e| (t.clone(), e)))
            .filter(|(t, event)| !["spaces", "people"].contains(&t.as_str()) || *event == "UPDATE")
            .map(|(t, event)| {
                let state = crate::space_state::TABLES_READ.contains(&t.as_str());
                (t, event, state)
            })
            .collect()
    }

    /// Kept facts and states are right only if every change to what they are read from
    /// raises the space's counters: a trigger for each change of [`versioned`] (on PostgreSQL
    /// deferred to the commit, so it cannot deadlock).
    #[tokio::test]
    async fn every_table_the_kept_reads_come_from_raises_its_space_version() {
        for backend in backends() {
            let scratch = ScratchDatabase::new(backend).await.unwrap();
            let db = Db::connect(&scratch.url).await.unwrap();
            db.migrate().await.unwrap();
            let missing: Vec<String> = match &db.backend {
                crate::db::Backend::Sqlite(pool) => {
                    let tables: Vec<String> =
                        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
                            .fetch_all(pool)
                            .await
                            .unwrap();
                    let triggers: Vec<(String, String)> = sqlx::query_as(
                        "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'",
                    )
                    .fetch_all(pool)
                    .await
                    .unwrap();
                    versioned(&tables)
                        .into_iter()
                        .filter(|(t, event, state)| {
                            !triggers.iter().any(|(on, sql)| {
                                on == t
                                    && sql.contains(&format!("AFTER {event} ON {t} "))
                                    && sql.contains("INSERT INTO space_changes")
                                    && sql.contains("state_version = state_version + 1") == *state
                            })
                        })
                        .map(|(t, event, _)| format!("{event} on {t}"))
                        .collect()
                }
                crate::db::Backend::Postgres(pool) => {
                    let tables: Vec<String> = sqlx::query_scalar(
                        "SELECT table_name::text FROM information_schema.tables \
                         WHERE table_schema = current_schema()",
                    )
                    .fetch_all(pool)
                    .await
                    .unwrap();
                    // tgtype: 1 for each row, 2 before (not after), 4 insert, 8 delete, 16 update.
                    let triggers: Vec<(String, i16, String, bool, bool, String)> = sqlx::query_as(
                        "SELECT c.relname::text, t.tgtype, p.proname::text, t.tgdeferrable, \
                         t.tginitdeferred, pg_get_triggerdef(t.oid) FROM pg_trigger t \
                         JOIN pg_class c ON c.oid = t.tgrelid \
                         JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal",
                    )
                    .fetch_all(pool)
                    .await
                    .unwrap();
                    let bit = |event: &str| match event {
                        "INSERT" => 4,
                        "DELETE" => 8,
                        _ => 16,
                    };
                    versioned(&tables)
                        .into_iter()
                        .filter(|(t, event, state)| {
                            !triggers.iter().any(
                                |(on, kind, function, deferrable, deferred, definition)| {
                                    on == t
                                        && kind & 1 == 1
                                        && kind & 2 == 0
                                        && kind & bit(event) != 0
                                        && function == "space_changed"
                                        && definition.contains("space_changed('state')") == *state
                                        && *deferrable
                                        && *deferred
                                },
                            )
                        })
                        .map(|(t, event, _)| format!("{event} on {t}"))
                        .collect()
                }
            };
            assert!(
                missing.is_empty(),
                "{backend:?}: no version raised for {missing:?}"
            );
        }
    }
}
