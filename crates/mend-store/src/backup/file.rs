//! Reading and writing the file: one JSON value a line.

use std::io::{BufRead, Write};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::Serialize;

use super::keys::KEYS_FORMAT;
use super::schema::SchemaTable;
use super::{
    damaged, Backup, BackupError, Column, Header, Kind, Table, Value, FORMAT, FORMAT_VERSION, NOTE,
};

pub(super) fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(n) => serde_json::Value::from(*n),
        Value::Text(s) => serde_json::Value::from(s.as_str()),
        Value::Bytes(b) => serde_json::Value::from(BASE64.encode(b)),
    }
}

pub(super) fn from_json(
    value: &serde_json::Value,
    kind: Kind,
    line: usize,
) -> Result<Value, BackupError> {
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
pub(super) fn write_line(out: &mut dyn Write, value: &impl Serialize) -> Result<(), BackupError> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes a table's opening line and its rows.
pub(super) fn write_table(
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
    write_table_columns(out, &table.name, &columns, rows)
}

/// Writes the opening line of the table `name` with `columns`, and its rows.
pub(super) fn write_table_columns(
    out: &mut dyn Write,
    name: &str,
    columns: &[Column],
    rows: &[Vec<Value>],
) -> Result<(), BackupError> {
    #[derive(Serialize)]
    struct Opening<'a> {
        table: &'a str,
        columns: &'a [Column],
    }
    write_line(
        out,
        &Opening {
            table: name,
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

pub(super) fn write_header(
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
        Self::read_as(input, FORMAT)
    }

    /// Reads and checks a whole keys file (see [`super::keys`]), as [`Backup::read`] does.
    pub fn read_keys(input: &mut dyn BufRead) -> Result<Self, BackupError> {
        Self::read_as(input, KEYS_FORMAT)
    }

    fn read_as(input: &mut dyn BufRead, format: &str) -> Result<Self, BackupError> {
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
        if value.get("format").and_then(|f| f.as_str()) != Some(format) {
            return Err(BackupError::NotABackup(format!(
                "its first line does not say \"format\": \"{format}\""
            )));
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
