//! `mend backup` and `mend restore`: the whole database as one Mend file, the same format for
//! both backends.
//!
//! The file is JSON lines. The first line is the [`Header`]; then, for each table in an order
//! that satisfies the foreign keys, a line `{"table": NAME, "columns": [{"name", "type"}..]}`
//! followed by one line per row, a JSON array of its values in the columns' order; the last line
//! is `{"end": {"tables": N, "rows": M}}`, so a cut-off file is refused rather than restored in
//! part. A value is `null`, a number (`integer`), a string (`text`) or a base64 string
//! (`bytes`: sealed text, keyed hashes, and ids, which are their 16 bytes on either backend).
//!
//! Tables and columns are read from the schema itself (SQLite's `sqlite_master` and
//! `pragma_table_info`, PostgreSQL's `information_schema`), so a table a later migration adds
//! is in the backup without anyone remembering to list it. The rows are read inside one
//! snapshot: one read transaction on SQLite's WAL database, a `REPEATABLE READ READ ONLY`
//! transaction on PostgreSQL. The server key is not in the file.
//!
//! From format version 2 the wrapped data keys are not in the data file either: their
//! columns are left empty, and [`Db::backup_keys`](crate::Db::backup_keys) writes them to a
//! keys file of their own ([`keys`]), so that deleting an account reaches old data files too.

use mend_core::StoreError;
use serde::{Deserialize, Serialize};

use crate::db::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

mod file;
pub mod keys;
mod restore;
mod schema;

/// What the first line of a backup says it is.
pub const FORMAT: &str = "mend-backup";
/// The version of the file format this binary writes and reads.
pub const FORMAT_VERSION: u32 = 2;

/// The first line of a backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] of the binary that wrote it.
    pub version: u32,
    /// The last schema migration the database had when the backup was taken.
    pub schema_version: i64,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// When the backup was taken, in unix milliseconds.
    pub taken_at: i64,
    /// A reminder for whoever opens the file.
    pub note: String,
}

/// One value of one column, in the backend-independent form the file holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Value {
    Null,
    Integer(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// The kind of a column in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Integer,
    Text,
    Bytes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Kind,
}

/// One table of a backup and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
}

/// A whole backup, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    pub header: Header,
    pub tables: Vec<Table>,
}

/// How much a backup or a restore carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub schema_version: i64,
    pub tables: usize,
    pub rows: usize,
}

/// Why a backup or a restore did not happen. Nothing was written to the database.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("could not write or read the backup file: {0}")]
    Io(#[from] std::io::Error),
    #[error("this is not a Mend backup file ({0})")]
    NotABackup(String),
    #[error(
        "this backup was written in format version {0}, which this Mend does not know; \
         restore it with the Mend version that made it, or a newer one"
    )]
    NewerFormat(u32),
    #[error(
        "this backup was taken at schema version {backup}, newer than this Mend knows \
         ({known}); restore it with the Mend version that made it, or a newer one"
    )]
    NewerSchema { backup: i64, known: i64 },
    #[error("the backup file is damaged at line {line}: {reason}")]
    Damaged { line: usize, reason: String },
    #[error("the backup file ends early: it was cut off before its last line")]
    Truncated,
    #[error(
        "the database already holds Mend data (the table {table} has rows), and a restore \
         only goes into an empty database; point --database-url (or --data-dir) at a new, \
         empty one: a folder that does not exist yet for SQLite, or a new database made \
         with `createdb` for PostgreSQL; or, to replace everything in it with the backup, \
         add --replace"
    )]
    NotEmpty { table: String },
    #[error(
        "the database was set up by a newer schema ({database}) than the backup's \
         ({backup}); restore into a new, empty database instead, and Mend brings it up to \
         date after the restore"
    )]
    SchemaAhead { database: i64, backup: i64 },
    #[error("the backup does not match this database's schema: {0}")]
    SchemaMismatch(String),
    #[error(
        "the keys file was taken before the backup: a backup opens only with the keys file \
         taken with it, or a later one"
    )]
    KeysOlder,
    #[error(
        "this backup keeps its keys in a keys file of its own: give it with --keys (by \
         default the backup's name followed by .keys)"
    )]
    KeysMissing,
    #[error("this database has not been set up by Mend (it has no migrations)")]
    NotMend,
}

pub(crate) fn damaged(line: usize, reason: impl Into<String>) -> BackupError {
    BackupError::Damaged {
        line,
        reason: reason.into(),
    }
}

pub(crate) const NOTE: &str = "Mend backup. Neither the server key nor the data keys are in this \
                    file: it opens only with the keys file taken with it (or a later one) and \
                    the server key, each kept separately.";

/// The newest schema migration this binary has (the same number on both backends).
pub fn known_schema_version() -> i64 {
    SQLITE_MIGRATIONS
        .iter()
        .map(|m| m.version)
        .chain(POSTGRES_MIGRATIONS.iter().map(|m| m.version))
        .max()
        .unwrap_or(0)
}
