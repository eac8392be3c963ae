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

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{BufRead, Write};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use mend_core::StoreError;
use serde::{Deserialize, Serialize};
use sqlx::{Connection, Row};

use crate::db::{db_err, Backend, Db, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// What the first line of a backup says it is.
pub const FORMAT: &str = "mend-backup";
/// The version of the file format this binary writes and reads.
pub const FORMAT_VERSION: u32 = 1;

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
         with `createdb` for PostgreSQL"
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
    #[error("this database has not been set up by Mend (it has no migrations)")]
    NotMend,
}

fn damaged(line: usize, reason: impl Into<String>) -> BackupError {
    BackupError::Damaged {
        line,
        reason: reason.into(),
    }
}

const NOTE: &str = "Mend backup. The server key is not in this file: keep the key file \
                    separately. Without it, nothing written in Mend can be read.";

/// The newest schema migration this binary has (the same number on both backends).
pub fn known_schema_version() -> i64 {
    SQLITE_MIGRATIONS
        .iter()
        .map(|m| m.version)
        .chain(POSTGRES_MIGRATIONS.iter().map(|m| m.version))
        .max()
        .unwrap_or(0)
}

/// The type of a column as the backend stores it; decides how its values are read and bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Native {
    Integer,
    SmallInteger,
    Text,
    Bytes,
    Uuid,
}

impl Native {
    fn kind(self) -> Kind {
        match self {
            Native::Integer | Native::SmallInteger => Kind::Integer,
            Native::Text => Kind::Text,
            Native::Bytes | Native::Uuid => Kind::Bytes,
        }
    }
}

/// A table of the live schema: its columns and what its foreign keys point at.
#[derive(Debug, Clone)]
struct SchemaTable {
    name: String,
    columns: Vec<(String, Native)>,
    /// (column, parent table, parent column).
    foreign_keys: Vec<(String, String, String)>,
}

/// Tables that are the migration tool's or the engine's, not Mend's.
fn is_internal(table: &str) -> bool {
    table == "_sqlx_migrations" || table.starts_with("sqlite_")
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn sqlite_native(declared: &str, table: &str, column: &str) -> Result<Native, BackupError> {
    match declared.to_ascii_uppercase().as_str() {
        "INTEGER" | "BIGINT" => Ok(Native::Integer),
        "TEXT" => Ok(Native::Text),
        "BLOB" => Ok(Native::Bytes),
        other => Err(BackupError::SchemaMismatch(format!(
            "the column {table}.{column} has the type {other}, which backups do not know yet"
        ))),
    }
}

fn postgres_native(data_type: &str, table: &str, column: &str) -> Result<Native, BackupError> {
    match data_type {
        "bigint" => Ok(Native::Integer),
        "integer" => Ok(Native::SmallInteger),
        "text" => Ok(Native::Text),
        "bytea" => Ok(Native::Bytes),
        "uuid" => Ok(Native::Uuid),
        other => Err(BackupError::SchemaMismatch(format!(
            "the column {table}.{column} has the type {other}, which backups do not know yet"
        ))),
    }
}

/// Orders tables so that each comes after every table its foreign keys point at (a table's
/// references to itself aside); ties go by name, so the order is the same on both backends.
fn parents_first(tables: &[SchemaTable]) -> Result<Vec<String>, BackupError> {
    let names: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let mut waiting: BTreeMap<&str, BTreeSet<&str>> = tables
        .iter()
        .map(|t| {
            let parents = t
                .foreign_keys
                .iter()
                .map(|(_, parent, _)| parent.as_str())
                .filter(|p| *p != t.name && names.contains(p))
                .collect();
            (t.name.as_str(), parents)
        })
        .collect();
    let mut order = Vec::with_capacity(tables.len());
    while !waiting.is_empty() {
        let ready: Vec<&str> = waiting
            .iter()
            .filter(|(_, parents)| parents.is_empty())
            .map(|(name, _)| *name)
            .collect();
        if ready.is_empty() {
            return Err(BackupError::SchemaMismatch(format!(
                "the foreign keys of {} form a cycle",
                waiting.keys().copied().collect::<Vec<_>>().join(", ")
            )));
        }
        for name in ready {
            waiting.remove(name);
            for parents in waiting.values_mut() {
                parents.remove(name);
            }
            order.push(name.to_owned());
        }
    }
    Ok(order)
}

/// The live schema's tables, parents first.
async fn sqlite_schema(
    conn: &mut sqlx::SqliteConnection,
) -> Result<Vec<SchemaTable>, BackupError> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
    let mut tables = Vec::new();
    for name in names.into_iter().filter(|n| !is_internal(n)) {
        let columns: Vec<(String, String)> =
            sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                .bind(&name)
                .fetch_all(&mut *conn)
                .await
                .map_err(db_err)?;
        let columns = columns
            .into_iter()
            .map(|(column, declared)| {
                let native = sqlite_native(&declared, &name, &column)?;
                Ok((column, native))
            })
            .collect::<Result<Vec<_>, BackupError>>()?;
        let foreign_keys: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(&name)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
        tables.push(SchemaTable {
            name,
            columns,
            foreign_keys,
        });
    }
    sort_parents_first(tables)
}

async fn postgres_schema(conn: &mut sqlx::PgConnection) -> Result<Vec<SchemaTable>, BackupError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    let mut tables = Vec::new();
    for name in names.into_iter().filter(|n| !is_internal(n)) {
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind(&name)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
        let columns = columns
            .into_iter()
            .map(|(column, data_type)| {
                let native = postgres_native(&data_type, &name, &column)?;
                Ok((column, native))
            })
            .collect::<Result<Vec<_>, BackupError>>()?;
        let foreign_keys: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT a.attname::text, parent.relname::text, pa.attname::text \
             FROM pg_constraint c \
             JOIN pg_class child ON child.oid = c.conrelid \
             JOIN pg_namespace n ON n.oid = child.relnamespace \
             JOIN pg_class parent ON parent.oid = c.confrelid \
             CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(child_col, parent_col) \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.child_col \
             JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent_col \
             WHERE c.contype = 'f' AND n.nspname = current_schema() AND child.relname = $1 \
             ORDER BY c.conname, a.attname",
        )
        .bind(&name)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
        tables.push(SchemaTable {
            name,
            columns,
            foreign_keys,
        });
    }
    sort_parents_first(tables)
}

fn sort_parents_first(tables: Vec<SchemaTable>) -> Result<Vec<SchemaTable>, BackupError> {
    let order = parents_first(&tables)?;
    let mut by_name: HashMap<String, SchemaTable> =
        tables.into_iter().map(|t| (t.name.clone(), t)).collect();
    Ok(order
        .iter()
        .filter_map(|name| by_name.remove(name))
        .collect())
}

fn select_all(table: &SchemaTable) -> String {
    let columns: Vec<String> = table.columns.iter().map(|(c, _)| quoted(c)).collect();
    let order: Vec<String> = (1..=table.columns.len()).map(|i| i.to_string()).collect();
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        quoted(&table.name),
        order.join(", ")
    )
}

fn sqlite_value(
    row: &sqlx::sqlite::SqliteRow,
    i: usize,
    native: Native,
) -> Result<Value, sqlx::Error> {
    Ok(match native {
        Native::Integer | Native::SmallInteger => {
            row.try_get::<Option<i64>, _>(i)?.map(Value::Integer)
        }
        Native::Text => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
        Native::Bytes | Native::Uuid => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
    }
    .unwrap_or(Value::Null))
}

fn postgres_value(
    row: &sqlx::postgres::PgRow,
    i: usize,
    native: Native,
) -> Result<Value, sqlx::Error> {
    Ok(match native {
        Native::Integer => row.try_get::<Option<i64>, _>(i)?.map(Value::Integer),
        Native::SmallInteger => row
            .try_get::<Option<i32>, _>(i)?
            .map(|v| Value::Integer(v.into())),
        Native::Text => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
        Native::Bytes => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
        Native::Uuid => row
            .try_get::<Option<uuid::Uuid>, _>(i)?
            .map(|u| Value::Bytes(u.as_bytes().to_vec())),
    }
    .unwrap_or(Value::Null))
}

fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(n) => serde_json::Value::from(*n),
        Value::Text(s) => serde_json::Value::from(s.as_str()),
        Value::Bytes(b) => serde_json::Value::from(BASE64.encode(b)),
    }
}

fn from_json(value: &serde_json::Value, kind: Kind, line: usize) -> Result<Value, BackupError> {
    match (value, kind) {
        (serde_json::Value::Null, _) => Ok(Value::Null),
        (serde_json::Value::Number(n), Kind::Integer) => n
            .as_i64()
            .map(Value::Integer)
            .ok_or_else(|| damaged(line, "a number that is not a whole number")),
        (serde_json::Value::String(s), Kind::Text) => Ok(Value::Text(s.clone())),
        (serde_json::Value::String(s), Kind::Bytes) => BASE64
            .decode(s)
            .map(Value::Bytes)
            .map_err(|_| damaged(line, "bytes that are not base64")),
        _ => Err(damaged(line, "a value of the wrong type for its column")),
    }
}

/// Writes one line of JSON.
fn write_line(out: &mut dyn Write, value: &impl Serialize) -> Result<(), BackupError> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The last migration applied, read on `$exec` (a connection or a transaction).
macro_rules! schema_version_on {
    ($exec:expr) => {{
        let version: Result<Option<i64>, sqlx::Error> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one($exec)
                .await;
        match version {
            Ok(Some(version)) => Ok(version),
            _ => Err(BackupError::NotMend),
        }
    }};
}

/// Writes a table's opening line and its rows.
fn write_table(
    out: &mut dyn Write,
    table: &SchemaTable,
    rows: &[Vec<Value>],
) -> Result<(), BackupError> {
    let columns: Vec<Column> = table
        .columns
        .iter()
        .map(|(name, native)| Column {
            name: name.clone(),
            kind: native.kind(),
        })
        .collect();
    #[derive(Serialize)]
    struct Opening<'a> {
        table: &'a str,
        columns: Vec<Column>,
    }
    write_line(
        out,
        &Opening {
            table: &table.name,
            columns,
        },
    )?;
    for row in rows {
        write_line(
            out,
            &serde_json::Value::Array(row.iter().map(to_json).collect()),
        )?;
    }
    Ok(())
}

impl Db {
    /// Writes every Mend table, read in one snapshot, to `out` in the backup format. Changes
    /// nothing in the database (it does not even migrate it); the server key is not included.
    pub async fn backup(
        &self,
        out: &mut (dyn Write + Send),
        taken_at: i64,
    ) -> Result<Summary, BackupError> {
        let mut tables_written = 0;
        let mut rows_written = 0;
        let schema_version = match &self.backend {
            Backend::Sqlite(pool) => {
                let mut conn = pool.acquire().await.map_err(db_err)?;
                // One read transaction: its first read fixes the snapshot every later read in it
                // sees, whatever the server writes meanwhile (the database is in WAL mode).
                let mut tx = conn.begin().await.map_err(db_err)?;
                let version = schema_version_on!(&mut *tx)?;
                write_header(out, version, "sqlite", taken_at)?;
                for table in sqlite_schema(&mut tx).await? {
                    let rows = sqlx::query(&select_all(&table))
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    let rows = rows
                        .iter()
                        .map(|row| {
                            table
                                .columns
                                .iter()
                                .enumerate()
                                .map(|(i, (_, native))| sqlite_value(row, i, *native))
                                .collect::<Result<Vec<_>, _>>()
                        })
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(db_err)?;
                    write_table(out, &table, &rows)?;
                    tables_written += 1;
                    rows_written += rows.len();
                }
                tx.commit().await.map_err(db_err)?;
                version
            }
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await.map_err(db_err)?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                let version = schema_version_on!(&mut *tx)?;
                write_header(out, version, "postgres", taken_at)?;
                for table in postgres_schema(&mut tx).await? {
                    let rows = sqlx::query(&select_all(&table))
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    let rows = rows
                        .iter()
                        .map(|row| {
                            table
                                .columns
                                .iter()
                                .enumerate()
                                .map(|(i, (_, native))| postgres_value(row, i, *native))
                                .collect::<Result<Vec<_>, _>>()
                        })
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(db_err)?;
                    write_table(out, &table, &rows)?;
                    tables_written += 1;
                    rows_written += rows.len();
                }
                tx.commit().await.map_err(db_err)?;
                version
            }
        };
        write_line(
            out,
            &serde_json::json!({ "end": { "tables": tables_written, "rows": rows_written } }),
        )?;
        out.flush()?;
        Ok(Summary {
            schema_version,
            tables: tables_written,
            rows: rows_written,
        })
    }

    /// The Mend tables of this database, each after the tables its foreign keys point at: the
    /// order a restore inserts in.
    pub async fn tables_parents_first(&self) -> Result<Vec<String>, BackupError> {
        let tables = self.schema().await?;
        Ok(tables.into_iter().map(|t| t.name).collect())
    }

    async fn schema(&self) -> Result<Vec<SchemaTable>, BackupError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut conn = pool.acquire().await.map_err(db_err)?;
                sqlite_schema(&mut conn).await
            }
            Backend::Postgres(pool) => {
                let mut conn = pool.acquire().await.map_err(db_err)?;
                postgres_schema(&mut conn).await
            }
        }
    }

    /// The last migration applied to this database, if Mend has set it up.
    pub async fn schema_version(&self) -> Result<Option<i64>, BackupError> {
        let exists = match &self.backend {
            Backend::Sqlite(pool) => sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
            )
            .fetch_one(pool)
            .await
            .map_err(db_err)?,
            Backend::Postgres(pool) => sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'",
            )
            .fetch_one(pool)
            .await
            .map_err(db_err)?,
        };
        if exists == 0 {
            return Ok(None);
        }
        let version: Result<i64, BackupError> = on_pool!(self, pool => schema_version_on!(pool));
        match version {
            Ok(v) => Ok(Some(v)),
            Err(BackupError::NotMend) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The first Mend table that holds a row, if any.
    async fn first_table_with_rows(&self) -> Result<Option<String>, BackupError> {
        for table in self.schema().await? {
            let sql = format!("SELECT 1 FROM {} LIMIT 1", quoted(&table.name));
            let found: Option<i32> = fetch_optional!(scalar self, &sql)?;
            if found.is_some() {
                return Ok(Some(table.name));
            }
        }
        Ok(None)
    }

    /// Applies the migrations up to and including `version`, and no later ones.
    async fn migrate_to(&self, version: i64) -> Result<(), BackupError> {
        fn upto(all: &sqlx::migrate::Migrator, version: i64) -> sqlx::migrate::Migrator {
            sqlx::migrate::Migrator {
                migrations: all
                    .iter()
                    .filter(|m| m.version <= version)
                    .cloned()
                    .collect::<Vec<_>>()
                    .into(),
                ignore_missing: all.ignore_missing,
                locking: all.locking,
                no_tx: all.no_tx,
            }
        }
        let result = match &self.backend {
            Backend::Sqlite(pool) => upto(&SQLITE_MIGRATIONS, version).run(pool).await,
            Backend::Postgres(pool) => upto(&POSTGRES_MIGRATIONS, version).run(pool).await,
        };
        result.map_err(|e| StoreError::Database(format!("migration failed: {e}")))?;
        Ok(())
    }

    /// Restores `backup` into this database, which must hold no Mend rows: migrates it to the
    /// backup's schema version, inserts every row exactly as it was (ids, bytes, times) in one
    /// transaction, then applies the migrations this binary has that are newer than the
    /// backup. On any refusal or failure the database holds no restored row.
    pub async fn restore(&self, backup: &Backup) -> Result<Summary, BackupError> {
        let wanted = backup.header.schema_version;
        let known = known_schema_version();
        if wanted > known {
            return Err(BackupError::NewerSchema {
                backup: wanted,
                known,
            });
        }
        if let Some(current) = self.schema_version().await? {
            if current > wanted {
                if let Some(table) = self.first_table_with_rows().await? {
                    return Err(BackupError::NotEmpty { table });
                }
                return Err(BackupError::SchemaAhead {
                    database: current,
                    backup: wanted,
                });
            }
        }
        self.migrate_to(wanted).await?;
        if let Some(table) = self.first_table_with_rows().await? {
            return Err(BackupError::NotEmpty { table });
        }
        let schema = self.schema().await?;
        let plan = plan_restore(&schema, backup)?;
        let rows = plan.iter().map(|(_, _, rows)| rows.len()).sum();
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut tx = pool.begin().await.map_err(db_err)?;
                for (table, columns, rows) in &plan {
                    let sql = insert_sql(table, columns);
                    for row in rows {
                        let mut query = sqlx::query(&sql);
                        for value in row.iter() {
                            query = match value {
                                Value::Null => query.bind(None::<i64>),
                                Value::Integer(n) => query.bind(*n),
                                Value::Text(s) => query.bind(s.as_str()),
                                Value::Bytes(b) => query.bind(b.as_slice()),
                            };
                        }
                        query.execute(&mut *tx).await.map_err(restore_err)?;
                    }
                }
                tx.commit().await.map_err(db_err)?;
            }
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await.map_err(db_err)?;
                for (table, columns, rows) in &plan {
                    let sql = insert_sql(table, columns);
                    for row in rows {
                        let mut query = sqlx::query(&sql);
                        for (value, (_, native)) in row.iter().zip(columns.iter()) {
                            query = bind_postgres(query, value, *native)?;
                        }
                        query.execute(&mut *tx).await.map_err(restore_err)?;
                    }
                }
                // Counters behind generated ids go on from the restored ids, not from 1.
                for table in &schema {
                    for (column, _) in &table.columns {
                        let sequence: Option<String> =
                            sqlx::query_scalar("SELECT pg_get_serial_sequence($1, $2)")
                                .bind(quoted(&table.name))
                                .bind(column)
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(db_err)?;
                        if let Some(sequence) = sequence {
                            let sql = format!(
                                "SELECT setval($1, COALESCE((SELECT MAX({}) FROM {}), 0) + 1, false)",
                                quoted(column),
                                quoted(&table.name)
                            );
                            sqlx::query(&sql)
                                .bind(sequence)
                                .execute(&mut *tx)
                                .await
                                .map_err(db_err)?;
                        }
                    }
                }
                tx.commit().await.map_err(db_err)?;
            }
        }
        self.migrate().await?;
        Ok(Summary {
            schema_version: wanted,
            tables: plan.len(),
            rows,
        })
    }
}

fn restore_err(e: sqlx::Error) -> BackupError {
    BackupError::SchemaMismatch(format!("a row could not be restored: {}", db_err(e)))
}

fn write_header(
    out: &mut dyn Write,
    schema_version: i64,
    backend: &str,
    taken_at: i64,
) -> Result<(), BackupError> {
    let header = Header {
        format: FORMAT.into(),
        version: FORMAT_VERSION,
        schema_version,
        backend: backend.into(),
        taken_at,
        note: NOTE.into(),
    };
    write_line(out, &header)
}

fn insert_sql(table: &str, columns: &[(String, Native)]) -> String {
    let names: Vec<String> = columns.iter().map(|(c, _)| quoted(c)).collect();
    let params: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quoted(table),
        names.join(", "),
        params.join(", ")
    )
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

fn bind_postgres<'q>(
    query: PgQuery<'q>,
    value: &'q Value,
    native: Native,
) -> Result<PgQuery<'q>, BackupError> {
    let mismatch = || BackupError::SchemaMismatch("a value does not fit its column".into());
    Ok(match (native, value) {
        (Native::Integer, Value::Null) => query.bind(None::<i64>),
        (Native::Integer, Value::Integer(n)) => query.bind(*n),
        (Native::SmallInteger, Value::Null) => query.bind(None::<i32>),
        (Native::SmallInteger, Value::Integer(n)) => {
            query.bind(i32::try_from(*n).map_err(|_| mismatch())?)
        }
        (Native::Text, Value::Null) => query.bind(None::<String>),
        (Native::Text, Value::Text(s)) => query.bind(s.as_str()),
        (Native::Bytes, Value::Null) => query.bind(None::<Vec<u8>>),
        (Native::Bytes, Value::Bytes(b)) => query.bind(b.as_slice()),
        (Native::Uuid, Value::Null) => query.bind(None::<uuid::Uuid>),
        (Native::Uuid, Value::Bytes(b)) => {
            query.bind(uuid::Uuid::from_slice(b).map_err(|_| mismatch())?)
        }
        _ => return Err(mismatch()),
    })
}

/// For each table of the live schema, parents first: its columns and the backup's rows with
/// their values in those columns' order, and rows that point at another row of their own
/// table after that row.
fn plan_restore<'a>(
    schema: &'a [SchemaTable],
    backup: &'a Backup,
) -> Result<Vec<(&'a str, &'a [(String, Native)], Vec<Vec<Value>>)>, BackupError> {
    let live: HashSet<&str> = schema.iter().map(|t| t.name.as_str()).collect();
    if let Some(extra) = backup
        .tables
        .iter()
        .find(|t| !live.contains(t.name.as_str()))
    {
        return Err(BackupError::SchemaMismatch(format!(
            "the backup has a table {} that this database does not",
            extra.name
        )));
    }
    let mut plan = Vec::new();
    for table in schema {
        let Some(saved) = backup.tables.iter().find(|t| t.name == table.name) else {
            return Err(BackupError::SchemaMismatch(format!(
                "the backup has no table {}",
                table.name
            )));
        };
        let saved_names: BTreeSet<&str> = saved.columns.iter().map(|c| c.name.as_str()).collect();
        let live_names: BTreeSet<&str> = table.columns.iter().map(|(c, _)| c.as_str()).collect();
        if saved_names != live_names {
            return Err(BackupError::SchemaMismatch(format!(
                "the columns of {} differ",
                table.name
            )));
        }
        let mut positions = Vec::with_capacity(table.columns.len());
        for (column, native) in &table.columns {
            let at = saved
                .columns
                .iter()
                .position(|c| &c.name == column)
                .ok_or_else(|| BackupError::SchemaMismatch(format!("no column {column}")))?;
            if saved.columns[at].kind != native.kind() {
                return Err(BackupError::SchemaMismatch(format!(
                    "the column {}.{column} has another type",
                    table.name
                )));
            }
            positions.push(at);
        }
        let rows: Vec<Vec<Value>> = saved
            .rows
            .iter()
            .map(|row| positions.iter().map(|&at| row[at].clone()).collect())
            .collect();
        let rows = self_parents_first(table, rows);
        plan.push((table.name.as_str(), table.columns.as_slice(), rows));
    }
    Ok(plan)
}

/// Orders the rows of a table that refers to itself (an entry following an earlier one, an
/// agreement revising another) so that every row comes after the row it points at.
fn self_parents_first(table: &SchemaTable, rows: Vec<Vec<Value>>) -> Vec<Vec<Value>> {
    let position = |name: &str| table.columns.iter().position(|(c, _)| c == name);
    let links: Vec<(usize, usize)> = table
        .foreign_keys
        .iter()
        .filter(|(_, parent, _)| *parent == table.name)
        .filter_map(|(column, _, parent_column)| Some((position(column)?, position(parent_column)?)))
        .collect();
    if links.is_empty() {
        return rows;
    }
    let mut placed: HashSet<(usize, Value)> = HashSet::new();
    let present: HashSet<(usize, Value)> = rows
        .iter()
        .flat_map(|row| links.iter().map(move |&(_, key)| (key, row[key].clone())))
        .collect();
    let mut pending = rows;
    let mut ordered = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let (ready, waiting): (Vec<_>, Vec<_>) = pending.into_iter().partition(|row| {
            links.iter().all(|&(link, key)| {
                let target = (key, row[link].clone());
                row[link] == Value::Null || placed.contains(&target) || !present.contains(&target)
            })
        });
        if ready.is_empty() {
            // A cycle: insert the rest as they are, and let the database say what is wrong.
            ordered.extend(waiting);
            break;
        }
        for row in &ready {
            for &(_, key) in &links {
                placed.insert((key, row[key].clone()));
            }
        }
        ordered.extend(ready);
        pending = waiting;
    }
    ordered
}

impl std::hash::Hash for Value {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Value::Null => {}
            Value::Integer(n) => n.hash(state),
            Value::Text(s) => s.hash(state),
            Value::Bytes(b) => b.hash(state),
        }
    }
}

impl Backup {
    /// Reads and checks a whole backup file: its format and version first, then every line,
    /// and its last line, so that a damaged or cut-off file is refused before anything is
    /// restored from it.
    pub fn read(input: &mut dyn BufRead) -> Result<Self, BackupError> {
        let mut lines = input.lines();
        let first = match lines.next() {
            Some(line) => line.map_err(|e| {
                if e.kind() == std::io::ErrorKind::InvalidData {
                    BackupError::NotABackup("it is not text".into())
                } else {
                    BackupError::Io(e)
                }
            })?,
            None => return Err(BackupError::NotABackup("it is empty".into())),
        };
        let value: serde_json::Value = serde_json::from_str(&first)
            .map_err(|_| BackupError::NotABackup("its first line is not a Mend header".into()))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(BackupError::NotABackup(
                "its first line does not say \"format\": \"mend-backup\"".into(),
            ));
        }
        if let Some(version) = value.get("version").and_then(|v| v.as_u64()) {
            if version > u64::from(FORMAT_VERSION) {
                return Err(BackupError::NewerFormat(
                    u32::try_from(version).unwrap_or(u32::MAX),
                ));
            }
        }
        let header: Header = serde_json::from_value(value)
            .map_err(|e| damaged(1, format!("the header is not complete: {e}")))?;
        let mut tables: Vec<Table> = Vec::new();
        let mut end = None;
        for (index, line) in lines.enumerate() {
            let number = index + 2;
            let line = line.map_err(|_| damaged(number, "it cannot be read as text"))?;
            if end.is_some() {
                return Err(damaged(number, "there is more after the last line"));
            }
            let value: serde_json::Value =
                serde_json::from_str(&line).map_err(|_| damaged(number, "it is not JSON"))?;
            match value {
                serde_json::Value::Array(values) => {
                    let Some(table) = tables.last_mut() else {
                        return Err(damaged(number, "a row before any table"));
                    };
                    if values.len() != table.columns.len() {
                        return Err(damaged(number, "a row with the wrong number of values"));
                    }
                    let row = values
                        .iter()
                        .zip(&table.columns)
                        .map(|(v, c)| from_json(v, c.kind, number))
                        .collect::<Result<Vec<_>, _>>()?;
                    table.rows.push(row);
                }
                serde_json::Value::Object(ref object) if object.contains_key("table") => {
                    let name = object
                        .get("table")
                        .and_then(|t| t.as_str())
                        .ok_or_else(|| damaged(number, "a table without a name"))?;
                    let columns: Vec<Column> = object
                        .get("columns")
                        .cloned()
                        .map(serde_json::from_value)
                        .transpose()
                        .map_err(|_| damaged(number, "a table's columns are not readable"))?
                        .ok_or_else(|| damaged(number, "a table without columns"))?;
                    if tables.iter().any(|t| t.name == name) {
                        return Err(damaged(number, "a table that appears twice"));
                    }
                    tables.push(Table {
                        name: name.to_owned(),
                        columns,
                        rows: Vec::new(),
                    });
                }
                serde_json::Value::Object(ref object) if object.contains_key("end") => {
                    let counts = &object["end"];
                    let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
                    if counts.get("tables").and_then(|n| n.as_u64()) != Some(tables.len() as u64)
                        || counts.get("rows").and_then(|n| n.as_u64()) != Some(rows as u64)
                    {
                        return Err(damaged(number, "the counts on the last line do not match"));
                    }
                    end = Some(());
                }
                _ => return Err(damaged(number, "a line that is neither a table nor a row")),
            }
        }
        if end.is_none() {
            return Err(BackupError::Truncated);
        }
        Ok(Self { header, tables })
    }

    /// The number of rows over all tables.
    pub fn rows(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }
}
