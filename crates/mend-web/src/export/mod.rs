//! "Everything that is mine": one person's export, as a `.zip` holding `mend-export.json`
//! (the schema is `docs/export.md`) and `mend-export.html` (the same in words, to read and
//! print).
//!
//! [`gather`] reads what the person may read today and nothing else; [`model`] is the JSON;
//! [`archive`] makes the download. The same data always gives the same archive, except for
//! `exported_at` (and the file name's date).

mod gather;
mod html;
pub mod model;

use std::io::{Cursor, Write};

use mend_core::store::PersonRecord;
use mend_core::Timestamp;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

pub use gather::instant;
pub use model::Export;

use crate::error::WebError;
use crate::state::AppState;
use crate::strings::Strings;

/// The names of the two files inside the archive.
pub const JSON_FILE: &str = "mend-export.json";
pub const HTML_FILE: &str = "mend-export.html";

/// One person's export as of `at`.
pub async fn gather(
    state: &AppState,
    person: &PersonRecord,
    at: Timestamp,
) -> Result<Export, WebError> {
    gather::gather(state, person, at).await
}

/// The export's JSON, pretty-printed, fields in the schema's order.
pub fn json(export: &Export) -> Result<Vec<u8>, WebError> {
    let mut text = serde_json::to_vec_pretty(export)
        .map_err(|e| WebError::internal(format!("the export could not be written: {e}")))?;
    text.push(b'\n');
    Ok(text)
}

/// The export's page, in the catalogue's words.
pub fn html(strings: &'static Strings, export: &Export) -> Result<String, WebError> {
    html::render(strings, export)
}

/// The download: both files, deflated. Entries carry the zip format's fixed earliest date, so
/// the archive depends on nothing but the export.
pub fn archive(strings: &'static Strings, export: &Export) -> Result<Vec<u8>, WebError> {
    let failed = |e: &dyn std::fmt::Display| WebError::internal(format!("the export archive: {e}"));
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in [
        (JSON_FILE, json(export)?),
        (HTML_FILE, html(strings, export)?.into_bytes()),
    ] {
        zip.start_file(name, options).map_err(|e| failed(&e))?;
        zip.write_all(&bytes).map_err(|e| failed(&e))?;
    }
    let cursor = zip.finish().map_err(|e| failed(&e))?;
    Ok(cursor.into_inner())
}

/// `mend-export-YYYY-MM-DD.zip`, dated in UTC.
pub fn file_name(at: Timestamp) -> String {
    let day: String = at.utc_minute().chars().take(10).collect();
    format!("mend-export-{day}.zip")
}
