//! The live schema, read from the database: tables, columns and their types, foreign keys,
//! and the order that puts parents first.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sqlx::Row;

use super::{BackupError, Kind, Value};
use crate::db::db_err;

/// The type of a column as the backend stores it; decides how its values are read and bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Native {
    Integer,
    Integer32,
    Text,
    Bytes,
    Uuid,
}

impl Native {
    pub(super) fn kind(self) -> Kind {
        match self {
            Native::Integer | Native::Integer32 => Kind::Integer,
            Native::Text => Kind::Text,
            Native::Bytes | Native::Uuid => Kind::Bytes,
        }
    }
}

/// A table of the live schema: its columns and what its foreign keys point at.
#[derive(Debug, Clone)]
pub(super) struct SchemaTable {
    pub(super) name: String,
    pub(super) columns: Vec<(String, Native)>,
    /// (column, parent table, parent column).
    pub(super) foreign_keys: Vec<(String, String, String)>,
}

/// Tables that are not data: the migrations' own record, SQLite's, and `space_changes`, a
/// counter the database's triggers keep (a restore's writes raise it again).
pub(super) fn is_internal(table: &str) -> bool {
    table == "_sqlx_migrations" || table == "space_changes" || table.starts_with("sqlite_")
}

pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub(super) fn sqlite_native(
    declared: &str,
    table: &str,
    column: &str,
) -> Result<Native, BackupError> {
    match declared.to_ascii_uppercase().as_str() {
        "INTEGER" | "BIGINT" => Ok(Native::Integer),
        "TEXT" => Ok(Native::Text),
        "BLOB" => Ok(Native::Bytes),
        other => Err(BackupError::SchemaMismatch(format!(
            "the column {table}.{column} has the type {other}, which backups do not know yet"
        ))),
    }
}

pub(super) fn postgres_native(
    data_type: &str,
    table: &str,
    column: &str,
) -> Result<Native, BackupError> {
    match data_type {
        "bigint" => Ok(Native::Integer),
        "integer" => Ok(Native::Integer32),
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
pub(super) fn parents_first(tables: &[SchemaTable]) -> Result<Vec<String>, BackupError> {
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
pub(super) async fn sqlite_schema(
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

pub(super) async fn postgres_schema(
    conn: &mut sqlx::PgConnection,
) -> Result<Vec<SchemaTable>, BackupError> {
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

pub(super) fn sort_parents_first(
    tables: Vec<SchemaTable>,
) -> Result<Vec<SchemaTable>, BackupError> {
    let order = parents_first(&tables)?;
    let mut by_name: HashMap<String, SchemaTable> =
        tables.into_iter().map(|t| (t.name.clone(), t)).collect();
    Ok(order
        .iter()
        .filter_map(|name| by_name.remove(name))
        .collect())
}

pub(super) fn select_all(table: &SchemaTable) -> String {
    let columns: Vec<String> = table.columns.iter().map(|(c, _)| quoted(c)).collect();
    let order: Vec<String> = (1..=table.columns.len()).map(|i| i.to_string()).collect();
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        quoted(&table.name),
        order.join(", ")
    )
}

pub(super) fn sqlite_value(
    row: &sqlx::sqlite::SqliteRow,
    i: usize,
    native: Native,
) -> Result<Value, sqlx::Error> {
    Ok(match native {
        Native::Integer | Native::Integer32 => {
            row.try_get::<Option<i64>, _>(i)?.map(Value::Integer)
        }
        Native::Text => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
        Native::Bytes | Native::Uuid => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
    }
    .unwrap_or(Value::Null))
}

pub(super) fn postgres_value(
    row: &sqlx::postgres::PgRow,
    i: usize,
    native: Native,
) -> Result<Value, sqlx::Error> {
    Ok(match native {
        Native::Integer => row.try_get::<Option<i64>, _>(i)?.map(Value::Integer),
        Native::Integer32 => row
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

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, parents: &[&str]) -> SchemaTable {
        SchemaTable {
            name: name.into(),
            columns: vec![("id".into(), Native::Bytes)],
            foreign_keys: parents
                .iter()
                .map(|p| ("ref".to_owned(), (*p).to_owned(), "id".to_owned()))
                .collect(),
        }
    }

    #[test]
    fn parents_come_first_references_to_oneself_aside_and_ties_by_name() {
        let tables = [
            table("answers", &["questions", "people"]),
            table("questions", &["questions", "people"]),
            table("people", &[]),
            table("audit", &[]),
        ];
        assert_eq!(
            parents_first(&tables).unwrap(),
            ["audit", "people", "questions", "answers"]
        );
    }

    #[test]
    fn a_cycle_between_tables_is_refused_by_name() {
        let tables = [table("a", &["b"]), table("b", &["a"]), table("c", &[])];
        match parents_first(&tables) {
            Err(BackupError::SchemaMismatch(why)) => assert!(why.contains("a, b"), "{why}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}
