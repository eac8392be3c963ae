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
use mend_core::{PersonId, Timestamp, Zone};
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

/// The export of the person with this id, as of `at`; `None` when there is no such person.
pub async fn gather_for(
    state: &AppState,
    person: PersonId,
    at: Timestamp,
) -> Result<Option<Export>, WebError> {
    match state.store.person(person).await? {
        Some(record) => Ok(Some(gather(state, &record, at).await?)),
        None => Ok(None),
    }
}

/// The export's JSON, pretty-printed, fields in the schema's order.
pub fn json(export: &Export) -> Result<Vec<u8>, WebError> {
    let mut text = serde_json::to_vec_pretty(export)
        .map_err(|e| WebError::internal(format!("the export could not be written: {e}")))?;
    text.push(b'\n');
    Ok(text)
}

/// The export's page, in the catalogue's words.
pub fn html(strings: &'static Strings, export: &Export, zone: &Zone) -> Result<String, WebError> {
    html::render(strings, export, zone)
}

/// The download: both files, deflated. Entries carry the zip format's fixed earliest date, so
/// the archive depends on nothing but the export.
/// The page's times are in the exporter's `zone`; the data file keeps UTC.
pub fn archive(
    strings: &'static Strings,
    export: &Export,
    zone: &Zone,
) -> Result<Vec<u8>, WebError> {
    let failed = |e: &dyn std::fmt::Display| WebError::internal(format!("the export archive: {e}"));
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in [
        (JSON_FILE, json(export)?),
        (HTML_FILE, html(strings, export, zone)?.into_bytes()),
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

#[cfg(test)]
mod tests {
    use super::model::*;
    use super::*;

    fn sample() -> Export {
        let at = "2026-12-01T18:24:45.123Z".to_owned();
        Export {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at: at.clone(),
            account: Account {
                name: "Sam".to_owned(),
                email: "sam@example.org".to_owned(),
                created_at: at.clone(),
                safety_cleared_at: Some(at.clone()),
                safety_answers: vec![SafetyAnswer {
                    question: "afraid".to_owned(),
                    answer: "no".to_owned(),
                }],
            },
            space: Some(Space {
                id: "s".to_owned(),
                created_at: at.clone(),
                joined_at: at.clone(),
                has_partner: true,
                agreements: Vec::new(),
                journal: vec![JournalEntry {
                    id: "j".to_owned(),
                    by: By::Me,
                    // Words that look like markup and links stay words.
                    text: "<script>alert(1)</script> <b>bold</b> see http://example.org".to_owned(),
                    shared_at: None,
                    created_at: at.clone(),
                }],
                journeys: vec![Journey {
                    id: "b".to_owned(),
                    created_at: at.clone(),
                    my_role: "hurt_partner".to_owned(),
                    opened_by: By::Partner,
                    details: Details {
                        kind: "affair".to_owned(),
                        agreement: "We are faithful.".to_owned(),
                        began: "2025-01".to_owned(),
                        ended: None,
                        came_to_light_on: "2025-06".to_owned(),
                        came_to_light: "found_out".to_owned(),
                    },
                    areas: Vec::new(),
                    ended_at: None,
                    ended_how: None,
                    entries: vec![Entry {
                        id: "e".to_owned(),
                        kind: "acknowledgement".to_owned(),
                        by: By::Partner,
                        state: "withdrawn".to_owned(),
                        text: None,
                        follows: None,
                        created_at: at.clone(),
                        updated_at: at.clone(),
                        sent_at: Some(at.clone()),
                        received_at: None,
                        withdrawn_at: Some(at),
                        response: None,
                    }],
                    questions: Vec::new(),
                    answers: Vec::new(),
                    feelings: Vec::new(),
                    reflections: Vec::new(),
                    check_ins: Vec::new(),
                    triggers: Vec::new(),
                    evidence: Vec::new(),
                    transparency: Vec::new(),
                }],
            }),
        }
    }

    #[test]
    fn the_page_has_no_scripts_and_loads_nothing() {
        let page = html(Strings::english(), &sample(), &Zone::utc()).unwrap();
        let lower = page.to_lowercase();
        assert!(
            !lower.contains("<script"),
            "no scripts, even in people's words"
        );
        assert!(!lower.contains("<img") && !lower.contains("<link") && !lower.contains("<iframe"));
        assert!(
            !lower.contains("src=") && !lower.contains("href="),
            "nothing loaded or linked"
        );
        assert!(
            !lower.contains("url(") && !lower.contains("@import"),
            "no style that loads anything"
        );
        assert!(
            !lower.contains("=\"http") && !lower.contains("='http"),
            "no address as an attribute"
        );
        assert!(!lower.contains("<b>"), "people's markup is shown as text");
        // The words are there, escaped, and the links in them are only text.
        assert!(page.contains("&#60;script&#62;") || page.contains("&lt;script&gt;"));
        assert!(lower.contains("@media print"));
        assert!(page.contains(Strings::english().t("export.gone")));
    }

    #[test]
    fn the_archive_is_the_same_for_the_same_export() {
        let s = Strings::english();
        assert_eq!(
            archive(s, &sample(), &Zone::utc()).unwrap(),
            archive(s, &sample(), &Zone::utc()).unwrap()
        );
        let bytes = archive(s, &sample(), &Zone::utc()).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut json = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(JSON_FILE).unwrap(), &mut json).unwrap();
        let parsed: Export = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed, sample());
        assert!(json.starts_with("{\n  \"format\": \"mend-export\",\n  \"version\": 1,"));
    }

    #[test]
    fn moments_are_written_to_the_millisecond_in_utc() {
        assert_eq!(
            instant(Timestamp(1_764_613_485_123)),
            "2025-12-01T18:24:45.123Z"
        );
        assert_eq!(
            file_name(Timestamp(1_764_613_485_123)),
            "mend-export-2025-12-01.zip"
        );
    }
}
