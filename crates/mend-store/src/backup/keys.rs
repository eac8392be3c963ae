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
use crate::db::Db;

/// What the first line of a keys file says it is.
pub const KEYS_FORMAT: &str = "mend-backup-keys";

pub(super) const KEYS_NOTE: &str = "Mend keys file: the wrapped data keys of a Mend backup. It \
    opens data files taken at the same time or earlier, and only with the server key. Keep \
    keys files for a short time only: a person's deleted words stay readable in older data \
    files for as long as a keys file from before their deletion exists.";

/// Whose keys a key table holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyOwner {
    Person,
    Space,
    /// A partner's author key for a space: named by the space and the person.
    Author,
}

/// A table that holds wrapped keys: whose, its name, the columns that name a row, and its key
/// column.
pub(super) struct KeyTable {
    pub(super) owner: KeyOwner,
    pub(super) name: &'static str,
    pub(super) ids: &'static [&'static str],
    pub(super) key: &'static str,
}

pub(super) const KEY_TABLES: [KeyTable; 3] = [
    KeyTable {
        owner: KeyOwner::Person,
        name: "people",
        ids: &["id"],
        key: "wrapped_key",
    },
    KeyTable {
        owner: KeyOwner::Space,
        name: "spaces",
        ids: &["id"],
        key: "wrapped_key",
    },
    KeyTable {
        owner: KeyOwner::Author,
        name: "author_keys",
        ids: &["space_id", "person_id"],
        key: "wrapped_key",
    },
];

/// The key rows of one key table, taken out of the data file's rows.
pub(super) struct TakenKeys {
    table: &'static KeyTable,
    rows: Vec<Vec<Value>>,
}

/// When `table` is one that holds keys, empties its key column in `rows` and gives what was
/// there (without the empty keys of emptied accounts), with the ids that name each row.
pub(super) fn take_keys(
    table: &str,
    columns: &[String],
    rows: &mut [Vec<Value>],
) -> Option<TakenKeys> {
    let keys = KEY_TABLES.iter().find(|k| k.name == table)?;
    let key_at = columns.iter().position(|c| c == keys.key)?;
    let id_at: Vec<usize> = keys
        .ids
        .iter()
        .map(|id| columns.iter().position(|c| c == id))
        .collect::<Option<_>>()?;
    let mut taken = Vec::new();
    for row in rows {
        let key = std::mem::replace(&mut row[key_at], Value::Bytes(Vec::new()));
        if matches!(&key, Value::Bytes(b) if !b.is_empty()) {
            let mut kept: Vec<Value> = id_at.iter().map(|i| row[*i].clone()).collect();
            kept.push(key);
            taken.push(kept);
        }
    }
    Some(TakenKeys {
        table: keys,
        rows: taken,
    })
}

/// Writes the keys file: the keys taken from the data file's rows, read in its snapshot.
pub(super) fn write_keys(
    out: &mut dyn Write,
    schema_version: i64,
    backend: &str,
    taken_at: i64,
    taken: &[TakenKeys],
) -> Result<usize, BackupError> {
    write_line(
        out,
        &Header {
            format: KEYS_FORMAT.into(),
            version: FORMAT_VERSION,
            schema_version,
            backend: backend.into(),
            taken_at,
            note: KEYS_NOTE.into(),
        },
    )?;
    let mut rows = 0;
    for keys in taken {
        let columns: Vec<Column> = keys
            .table
            .ids
            .iter()
            .chain(std::iter::once(&keys.table.key))
            .map(|c| Column {
                name: (*c).to_owned(),
                kind: Kind::Bytes,
            })
            .collect();
        write_table_columns(out, keys.table.name, &columns, &keys.rows)?;
        rows += keys.rows.len();
    }
    write_line(
        out,
        &serde_json::json!({ "end": { "tables": taken.len(), "rows": rows } }),
    )?;
    out.flush()?;
    Ok(rows)
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
        if keys.header.taken_at > self.header.taken_at && self.has_unmoved_spaces()? {
            return Err(BackupError::KeysAfterMove);
        }
        let mut departed = Departed::default();
        let mut gone_spaces = Vec::new();
        let mut people_with_keys = 0;
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
            let mut keyless = Vec::new();
            for (index, row) in table.rows.iter_mut().enumerate() {
                let id: Vec<Value> = ids.iter().map(|i| row[*i].clone()).collect();
                match found.get(&id) {
                    Some(key) => {
                        row[key_at] = key.clone();
                        if key_table.owner == KeyOwner::Person {
                            people_with_keys += 1;
                        }
                    }
                    None => {
                        let first = id.first().and_then(id_of);
                        match key_table.owner {
                            // An account emptied already has no key and nothing to delete.
                            KeyOwner::Person => {
                                let emptied = password_at
                                    .is_some_and(|at| row[at] == Value::Text(String::new()));
                                if let (false, Some(person)) = (emptied, first) {
                                    departed.people.push(PersonId(person));
                                }
                            }
                            KeyOwner::Space => gone_spaces.extend(first),
                            KeyOwner::Author => {
                                if let Some(person) = id.get(1).and_then(id_of) {
                                    departed.leavers.push(PersonId(person));
                                }
                                // Not restored at all: an author key row without its key
                                // would make the whole space unreadable until the
                                // departure is made again.
                                keyless.push(index);
                            }
                        }
                    }
                }
            }
            for index in keyless.into_iter().rev() {
                table.rows.remove(index);
            }
        }
        // A keys file of another Mend matches no one: refused, rather than taken to mean
        // that everyone was deleted.
        let kept_people = keys
            .tables
            .iter()
            .find(|t| t.name == "people")
            .map_or(0, |t| t.rows.len());
        if kept_people > 0 && people_with_keys == 0 && !departed.people.is_empty() {
            return Err(BackupError::KeysOfAnotherMend);
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

impl Backup {
    /// Whether a space in this data file still has texts sealed with its space key (it was
    /// taken before `mend serve` moved them): a later keys file holds the space's new key,
    /// which does not open them.
    fn has_unmoved_spaces(&self) -> Result<bool, BackupError> {
        let Some(spaces) = self.tables.iter().find(|t| t.name == "spaces") else {
            return Ok(false);
        };
        let Ok(at) = column_at(&spaces.columns, "authors_sealed_at") else {
            return Ok(false);
        };
        Ok(spaces.rows.iter().any(|r| r[at] == Value::Null))
    }
}

impl Db {
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
