//! The keys file (issue 11): the wrapped data keys, kept out of the data file.
//!
//! A data file holds every row, but each wrapped key in it (a person's, a space's, an
//! author's) is left empty; the keys go to a separate keys file, in the same line format with
//! the header format `mend-backup-keys`. A data file opens only with a keys file taken at the
//! same time or later. A person deleted, or a partner who left, after the data file was taken
//! has no key in a later keys file: their words in the data file can no longer be opened, and
//! a restore deletes them again ([`Departed`]). So once every keys file taken before a
//! deletion is gone, that person's words are unreadable in every data file too
//! (docs/operations.md says how long to keep keys files).

use std::collections::HashMap;
use std::io::Write;

use mend_core::store::DepartureStore;
use mend_core::{PersonId, StoreError, Timestamp};
use uuid::Uuid;

use super::file::{write_line, write_table_columns};
use super::{Backup, BackupError, Column, Header, Kind, Value, FORMAT_VERSION};
use crate::db::{db_err, Backend, Db};

/// What the first line of a keys file says it is.
pub const KEYS_FORMAT: &str = "mend-backup-keys";

pub(super) const KEYS_NOTE: &str = "Mend keys file: the wrapped data keys of a Mend backup. It \
    opens data files taken at the same time or earlier, and only with the server key. Keep \
    keys files for a short time only: a person's deleted words stay readable in older data \
    files for as long as a keys file from before their deletion exists.";

/// A table that holds wrapped keys: its name, the columns that name a row, and its key column.
pub(super) struct KeyTable {
    pub(super) name: &'static str,
    pub(super) ids: &'static [&'static str],
    pub(super) key: &'static str,
}

pub(super) const KEY_TABLES: [KeyTable; 3] = [
    KeyTable {
        name: "people",
        ids: &["id"],
        key: "wrapped_key",
    },
    KeyTable {
        name: "spaces",
        ids: &["id"],
        key: "wrapped_key",
    },
    KeyTable {
        name: "author_keys",
        ids: &["space_id", "person_id"],
        key: "wrapped_key",
    },
];

/// Empties the key column of `rows` when `table` is one that holds keys.
pub(super) fn blank_keys(table: &str, columns: &[String], rows: &mut [Vec<Value>]) {
    let Some(keys) = KEY_TABLES.iter().find(|k| k.name == table) else {
        return;
    };
    let Some(at) = columns.iter().position(|c| c == keys.key) else {
        return;
    };
    for row in rows {
        row[at] = Value::Bytes(Vec::new());
    }
}

/// Who, in a data file, has no key in the keys file it was joined with: they were deleted, or
/// left their space, after the data file was taken. A restore deletes them again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Departed {
    /// Accounts deleted since.
    pub people: Vec<PersonId>,
    /// Partners who left their space since (or whose space is gone).
    pub leavers: Vec<PersonId>,
}

impl Departed {
    pub fn is_empty(&self) -> bool {
        self.people.is_empty() && self.leavers.is_empty()
    }
}

fn column_at(columns: &[Column], name: &str) -> Result<usize, BackupError> {
    columns
        .iter()
        .position(|c| c.name == name)
        .ok_or_else(|| BackupError::SchemaMismatch(format!("no column {name}")))
}

fn id_of(value: &Value) -> Option<Uuid> {
    match value {
        Value::Bytes(b) => Uuid::from_slice(b).ok(),
        _ => None,
    }
}

impl Backup {
    /// Whether this data file's keys are in a keys file (format 2 on), rather than in itself.
    pub fn keys_apart(&self) -> bool {
        self.header.version >= 2
    }

    /// Puts the keys of `keys` (a keys file) into this data file's rows and says who has no
    /// key any more. Refuses a keys file taken before the data file: the people who signed up
    /// in between would have no key, and would be taken for deleted.
    pub fn with_keys(&mut self, keys: &Backup) -> Result<Departed, BackupError> {
        if keys.header.format != KEYS_FORMAT {
            return Err(BackupError::NotABackup(
                "the keys file is not a Mend keys file".into(),
            ));
        }
        if keys.header.taken_at < self.header.taken_at {
            return Err(BackupError::KeysOlder);
        }
        let mut departed = Departed::default();
        let mut gone_spaces = Vec::new();
        for key_table in &KEY_TABLES {
            let Some(table) = self.tables.iter_mut().find(|t| t.name == key_table.name) else {
                continue;
            };
            let ids: Vec<usize> = key_table
                .ids
                .iter()
                .map(|c| column_at(&table.columns, c))
                .collect::<Result<_, _>>()?;
            let key_at = column_at(&table.columns, key_table.key)?;
            let mut found: HashMap<Vec<Value>, Value> = HashMap::new();
            if let Some(kept) = keys.tables.iter().find(|t| t.name == key_table.name) {
                let kept_ids: Vec<usize> = key_table
                    .ids
                    .iter()
                    .map(|c| column_at(&kept.columns, c))
                    .collect::<Result<_, _>>()?;
                let kept_key = column_at(&kept.columns, key_table.key)?;
                for row in &kept.rows {
                    let id = kept_ids.iter().map(|i| row[*i].clone()).collect();
                    found.insert(id, row[kept_key].clone());
                }
            }
            let password_at = column_at(&table.columns, "password_hash").ok();
            for row in &mut table.rows {
                let id: Vec<Value> = ids.iter().map(|i| row[*i].clone()).collect();
                match found.get(&id) {
                    Some(key) => row[key_at] = key.clone(),
                    None => {
                        let first = id.first().and_then(id_of);
                        match key_table.name {
                            // An account emptied already has no key and nothing to delete.
                            "people" => {
                                let emptied = password_at
                                    .is_some_and(|at| row[at] == Value::Text(String::new()));
                                if let (false, Some(person)) = (emptied, first) {
                                    departed.people.push(PersonId(person));
                                }
                            }
                            "spaces" => gone_spaces.extend(first),
                            _ => {
                                if let Some(person) = id.get(1).and_then(id_of) {
                                    departed.leavers.push(PersonId(person));
                                }
                            }
                        }
                    }
                }
            }
        }
        // Everyone seated in a space whose key is gone left it.
        if let Some(seats) = self.tables.iter().find(|t| t.name == "memberships") {
            let (space_at, person_at) = (
                column_at(&seats.columns, "space_id")?,
                column_at(&seats.columns, "person_id")?,
            );
            for row in &seats.rows {
                let space = id_of(&row[space_at]);
                if space.is_some_and(|s| gone_spaces.contains(&s)) {
                    departed
                        .leavers
                        .extend(id_of(&row[person_at]).map(PersonId));
                }
            }
        }
        departed.leavers.sort_by_key(|p| p.0);
        departed.leavers.dedup();
        Ok(departed)
    }
}

impl Db {
    /// Writes the wrapped keys of every person, space and author to `out` as a keys file.
    pub async fn backup_keys(
        &self,
        out: &mut (dyn Write + Send),
        taken_at: i64,
    ) -> Result<usize, BackupError> {
        let version = self.schema_version().await?.ok_or(BackupError::NotMend)?;
        let backend = match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        };
        write_line(
            out,
            &Header {
                format: KEYS_FORMAT.into(),
                version: FORMAT_VERSION,
                schema_version: version,
                backend: backend.into(),
                taken_at,
                note: KEYS_NOTE.into(),
            },
        )?;
        let mut rows_written = 0;
        for table in &KEY_TABLES {
            let mut columns: Vec<&str> = table.ids.to_vec();
            columns.push(table.key);
            let rows = self.key_rows(table, &columns).await?;
            let kinds: Vec<Column> = columns
                .iter()
                .map(|c| Column {
                    name: (*c).to_owned(),
                    kind: Kind::Bytes,
                })
                .collect();
            write_table_columns(out, table.name, &kinds, &rows)?;
            rows_written += rows.len();
        }
        write_line(
            out,
            &serde_json::json!({ "end": { "tables": KEY_TABLES.len(), "rows": rows_written } }),
        )?;
        out.flush()?;
        Ok(rows_written)
    }

    /// The non-empty keys of one key table, with the ids that name their rows.
    async fn key_rows(
        &self,
        table: &KeyTable,
        columns: &[&str],
    ) -> Result<Vec<Vec<Value>>, BackupError> {
        let sql = format!("SELECT {} FROM {}", columns.join(", "), table.name);
        let rows: Vec<Vec<Vec<u8>>> = match &self.backend {
            Backend::Sqlite(pool) => {
                use sqlx::Row;
                sqlx::query(&sql)
                    .fetch_all(pool)
                    .await
                    .map_err(db_err)?
                    .iter()
                    .map(|r| (0..columns.len()).map(|i| r.try_get(i)).collect())
                    .collect::<Result<_, _>>()
                    .map_err(db_err)?
            }
            Backend::Postgres(pool) => {
                use sqlx::Row;
                let fetched = sqlx::query(&sql).fetch_all(pool).await.map_err(db_err)?;
                let mut rows = Vec::new();
                for r in &fetched {
                    let mut row = Vec::new();
                    for i in 0..columns.len() {
                        // Ids are UUID columns on PostgreSQL, their 16 bytes in the file.
                        let bytes = if i < table.ids.len() {
                            r.try_get::<Uuid, _>(i).map(|u| u.as_bytes().to_vec())
                        } else {
                            r.try_get::<Vec<u8>, _>(i)
                        };
                        row.push(bytes.map_err(db_err)?);
                    }
                    rows.push(row);
                }
                rows
            }
        };
        Ok(rows
            .into_iter()
            .filter(|r| r.last().is_some_and(|k| !k.is_empty()))
            .map(|r| r.into_iter().map(Value::Bytes).collect())
            .collect())
    }

    /// Deletes again, after a restore, whoever was deleted or left since the data file was
    /// taken ([`Backup::with_keys`]): their rows go as they went then.
    pub async fn forget_departed(
        &self,
        departed: &Departed,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        for person in &departed.people {
            self.delete_person(*person, &[], at).await?;
        }
        for person in &departed.leavers {
            self.leave_space(*person, at).await?;
        }
        Ok(())
    }
}
