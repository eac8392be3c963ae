//! The export as plain data: what `mend-export.json` holds, version 1 (schema in
//! `docs/export.md`). Nothing here is sealed; everything is what the person may read today.

use serde::{Deserialize, Serialize};

/// The value of `format`, so a file says what it is.
pub const FORMAT: &str = "mend-export";
/// The version of the schema; a change that is not an addition of an optional field raises it.
pub const VERSION: u32 = 1;

/// Who wrote an item, as the person exporting sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Me,
    Partner,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    pub format: String,
    pub version: u32,
    /// When the export was made: the one field that differs between two exports of the same
    /// data (leave it out when comparing).
    pub exported_at: String,
    pub account: Account,
    /// The person's space, if they are in one.
    pub space: Option<Space>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub name: String,
    pub email: String,
    pub created_at: String,
    /// When they chose to go on after the safety check.
    pub safety_cleared_at: Option<String>,
    /// Their own answers to the safety check, if they gave them.
    pub safety_answers: Vec<SafetyAnswer>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyAnswer {
    pub question: String,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Space {
    pub id: String,
    pub created_at: String,
    pub joined_at: String,
    /// Whether a partner has joined.
    pub has_partner: bool,
    pub agreements: Vec<Agreement>,
    pub journal: Vec<JournalEntry>,
    pub journeys: Vec<Journey>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: String,
    pub by: By,
    /// None once withdrawn: its words are gone from the person's view.
    pub text: Option<String>,
    /// proposed, accepted, declined, withdrawn or superseded.
    pub state: String,
    pub revises: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub id: String,
    pub by: By,
    pub text: String,
    /// When it was shared with the partner; none while private.
    pub shared_at: Option<String>,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journey {
    pub id: String,
    pub created_at: String,
    /// hurt_partner or repairing_partner: the person's own role.
    pub my_role: String,
    pub opened_by: By,
    pub details: Details,
    pub areas: Vec<AreaStatus>,
    pub ended_at: Option<String>,
    pub ended_how: Option<String>,
    pub entries: Vec<Entry>,
    pub questions: Vec<Question>,
    pub answers: Vec<Answer>,
    pub feelings: Vec<Feeling>,
    pub reflections: Vec<Reflection>,
    pub check_ins: Vec<CheckIn>,
    pub triggers: Vec<Trigger>,
    pub evidence: Vec<Evidence>,
    pub transparency: Vec<Transparency>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub kind: String,
    pub agreement: String,
    /// `YYYY-MM`
    pub began: String,
    pub ended: Option<String>,
    pub came_to_light_on: String,
    pub came_to_light: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaStatus {
    pub area: String,
    pub status: String,
    pub changed_at: String,
}

/// A written entry of any kind (acknowledgement, pledge, disclosure, …, context).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub kind: String,
    pub by: By,
    /// draft (only ever the person's own), sent or withdrawn.
    pub state: String,
    /// None once withdrawn: the words are gone.
    pub text: Option<String>,
    /// The earlier entry this one corrects or adds to.
    pub follows: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub sent_at: Option<String>,
    pub received_at: Option<String>,
    pub withdrawn_at: Option<String>,
    /// The hurt partner's response to an accountability statement.
    pub response: Option<StatementResponse>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementResponse {
    pub by: By,
    /// feels_genuine or something_missing.
    pub response: String,
    pub note: Option<String>,
    pub at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub by: By,
    pub text: Option<String>,
    pub kind: Option<String>,
    /// The earlier ask this one asks again.
    pub asked_again_of: Option<String>,
    pub created_at: String,
    pub in_person_at: Option<String>,
    pub withdrawn_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub id: String,
    pub question: String,
    pub by: By,
    pub text: Option<String>,
    pub created_at: String,
    pub withdrawn_at: Option<String>,
    pub response: Option<AnswerResponse>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerResponse {
    pub by: By,
    pub response: String,
    pub at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feeling {
    pub id: String,
    pub by: By,
    /// None once withdrawn, with `intensity` and `text`.
    pub words: Option<Vec<String>>,
    pub intensity: Option<u8>,
    pub text: Option<String>,
    pub created_at: String,
    pub withdrawn_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reflection {
    pub id: String,
    pub feeling: String,
    pub by: By,
    pub text: Option<String>,
    pub created_at: String,
    pub withdrawn_at: Option<String>,
    pub verdict: Option<Verdict>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub by: By,
    /// heard or not_yet.
    pub verdict: String,
    /// What was missed, with a "not yet".
    pub missed: Option<String>,
    pub at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: String,
    pub by: By,
    pub trust: u8,
    /// The note is private to its writer: only ever the person's own.
    pub note: Option<String>,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub id: String,
    pub by: By,
    pub note: Option<String>,
    pub created_at: String,
    pub reply: Option<TriggerReply>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerReply {
    pub by: By,
    pub text: String,
    pub at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: String,
    pub by: By,
    /// built or shook.
    pub moment: String,
    pub text: String,
    pub shared_at: Option<String>,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transparency {
    pub id: String,
    pub by: By,
    /// None once withdrawn.
    pub text: Option<String>,
    pub period_days: i64,
    /// offered, accepted, declined, withdrawn or superseded.
    pub state: String,
    pub renews: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
    pub starts_at: Option<String>,
}
