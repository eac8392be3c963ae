//! Taking a backup and restoring one, on either backend.

use std::collections::{BTreeSet, HashSet};
use std::io::Write;

use mend_core::StoreError;
use sqlx::Connection;

use super::file::{write_header, write_line, write_table};
use super::keys::blank_keys;
use super::schema::{
    postgres_schema, postgres_value, quoted, select_all, sqlite_schema, sqlite_value, Native,
    SchemaTable,
};
use super::{known_schema_version, Backup, BackupError, Summary, Value};
use crate::db::{db_err, Backend, Db, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// The last migration applied, read on `$exec` (a connection or a transaction).
macro_rules! schema_version_on {
    ($exec:expr) => {{
        let version: Result<Option<i64>, sqlx::Error> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one($exec)
                .await;
        match version {
            Ok(Some(version)) => Ok(version),
            Ok(None) => Err(BackupError::NotMend),
            // No migrations table: a database Mend never set up (the other errors are errors).
            Err(sqlx::Error::Database(e)) if e.message().contains("_sqlx_migrations") => {
                Err(BackupError::NotMend)
            }
            Err(e) => Err(BackupError::Store(db_err(e))),
        }
    }};
}

impl Db {
    /// Writes every Mend table, read in one snapshot, to `out` in the backup format. Changes
    /// nothing in the database (it does not even migrate it); the server key is not included, and
    /// the wrapped data keys are left empty (they go to [`Db::backup_keys`]'s file).
    pub async fn backup(
        &self,
        out: &mut (dyn Write + Send),
        taken_at: i64,
    ) -> Result<Summary, BackupError> {
        let mut tables_written = 0;
        let mut rows_written = 0;
        // Every table, read in the transaction `$tx` (one snapshot), written to `out`.
        macro_rules! dump_tables {
            ($tx:ident, $backend:literal, $schema:ident, $value:ident) => {{
                let version = schema_version_on!(&mut *$tx)?;
                write_header(out, version, $backend, taken_at)?;
                for table in $schema(&mut $tx).await? {
                    let rows = sqlx::query(&select_all(&table))
                        .fetch_all(&mut *$tx)
                        .await
                        .map_err(db_err)?;
                    let rows = rows
                        .iter()
                        .map(|row| {
                            table
                                .columns
                                .iter()
                                .enumerate()
                                .map(|(i, (_, native))| $value(row, i, *native))
                                .collect::<Result<Vec<_>, _>>()
                        })
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(db_err)?;
                    let mut rows = rows;
                    let names: Vec<String> = table.columns.iter().map(|(n, _)| n.clone()).collect();
                    blank_keys(&table.name, &names, &mut rows);
                    write_table(out, &table, &rows)?;
                    tables_written += 1;
                    rows_written += rows.len();
                }
                $tx.commit().await.map_err(db_err)?;
                version
            }};
        }
        let schema_version = match &self.backend {
            Backend::Sqlite(pool) => {
                let mut conn = pool.acquire().await.map_err(db_err)?;
                // One read transaction: its first read fixes the snapshot every later read in it
                // sees, whatever the server writes meanwhile (the database is in WAL mode).
                let mut tx = conn.begin().await.map_err(db_err)?;
                dump_tables!(tx, "sqlite", sqlite_schema, sqlite_value)
            }
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await.map_err(db_err)?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                dump_tables!(tx, "postgres", postgres_schema, postgres_value)
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

    /// Applies the migrations up to and including `version`, and no later ones: a restore's
    /// first step (and a test's way to make a database of an older Mend).
    pub async fn migrate_to(&self, version: i64) -> Result<(), BackupError> {
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
        self.restore_into(backup, false).await
    }

    /// [`Db::restore`] into a database that may already hold Mend rows: every row of every
    /// table is deleted first, in the same transaction as the inserts, so the database ends
    /// up holding the backup and nothing else, or, on any failure, what it held before. The
    /// operator asks for this by name (`mend restore --replace`).
    pub async fn restore_replacing(&self, backup: &Backup) -> Result<Summary, BackupError> {
        self.restore_into(backup, true).await
    }

    async fn restore_into(&self, backup: &Backup, replace: bool) -> Result<Summary, BackupError> {
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
                    if !replace {
                        return Err(BackupError::NotEmpty { table });
                    }
                }
                return Err(BackupError::SchemaAhead {
                    database: current,
                    backup: wanted,
                });
            }
        }
        self.migrate_to(wanted).await?;
        if !replace {
            if let Some(table) = self.first_table_with_rows().await? {
                return Err(BackupError::NotEmpty { table });
            }
        }
        let schema = self.schema().await?;
        let plan = plan_restore(&schema, backup)?;
        let rows = plan.iter().map(|(_, _, rows)| rows.len()).sum();
        // Children before the tables they point at, the reverse of the inserts' order.
        let clearing: Vec<String> = plan
            .iter()
            .rev()
            .map(|(table, _, _)| format!("DELETE FROM {}", quoted(table)))
            .collect();
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut tx = pool.begin().await.map_err(db_err)?;
                if replace {
                    for sql in &clearing {
                        sqlx::query(sql).execute(&mut *tx).await.map_err(db_err)?;
                    }
                }
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
                if replace {
                    for sql in &clearing {
                        sqlx::query(sql).execute(&mut *tx).await.map_err(db_err)?;
                    }
                }
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

/// A PostgreSQL statement being bound.
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
        (Native::Integer32, Value::Null) => query.bind(None::<i32>),
        (Native::Integer32, Value::Integer(n)) => {
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

/// A table to restore: its name, its live columns, and the rows in insertion order.
type Planned<'a> = (&'a str, &'a [(String, Native)], Vec<Vec<Value>>);

/// For each table of the live schema, parents first: its columns and the backup's rows with
/// their values in those columns' order, and rows that point at another row of their own
/// table after that row.
fn plan_restore<'a>(
    schema: &'a [SchemaTable],
    backup: &'a Backup,
) -> Result<Vec<Planned<'a>>, BackupError> {
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
        .filter_map(|(column, _, parent_column)| {
            Some((position(column)?, position(parent_column)?))
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_that_point_at_their_own_table_come_after_the_rows_they_point_at() {
        let table = SchemaTable {
            name: "entries".into(),
            columns: vec![
                ("id".into(), Native::Integer),
                ("follows".into(), Native::Integer),
            ],
            foreign_keys: vec![("follows".into(), "entries".into(), "id".into())],
        };
        let row = |id: i64, follows: Option<i64>| {
            vec![
                Value::Integer(id),
                follows.map(Value::Integer).unwrap_or(Value::Null),
            ]
        };
        // 1 follows 3, which follows 2; 4 points at a row the backup does not hold.
        let rows = vec![
            row(1, Some(3)),
            row(3, Some(2)),
            row(2, None),
            row(4, Some(9)),
        ];
        let ordered = self_parents_first(&table, rows);
        let ids: Vec<_> = ordered.iter().map(|r| r[0].clone()).collect();
        assert_eq!(
            ids,
            [2, 4, 3, 1].map(Value::Integer),
            "parents first, the rest in their order"
        );
    }
}
