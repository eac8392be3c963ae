//! Check-ins with the trust chart, and triggers.

use crate::when::When;
use askama::Template;

use super::CoachResults;
use super::RhythmChoice;
use crate::chrome::Chrome;
use crate::paging::Pager;

/// The trust chart, already placed in SVG coordinates.
pub struct Chart {
    /// The polyline's points, "x,y x,y ...".
    pub line: String,
    pub dots: Vec<(String, String)>,
    pub first: When,
    pub last: When,
    pub count: String,
    /// Earlier check-ins exist that the chart leaves out: it says it shows the latest only.
    pub latest_only: bool,
}

pub struct CheckInView {
    /// The check-in's id, for a row that links to it; none for a chart's bare scores.
    pub id: Option<String>,
    pub when: When,
    pub trust: u8,
    /// The hurt partner's own note, shown only to them.
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "patience.html")]
pub struct PatiencePage {
    pub chrome: Chrome,
    /// The id a form creating something here stores it under (see `once.rs`).
    pub form_id: String,
    pub action: String,
    pub journey: String,
    pub is_hurt: bool,
    /// Whether the table shows the hurt partner's own notes.
    pub show_notes: bool,
    pub can_check_in: bool,
    /// False once the journey has ended: it is shown to read.
    pub ongoing: bool,
    /// The hurt partner's choice of check-in rhythm (empty for the repairing partner).
    pub rhythms: Vec<RhythmChoice>,
    pub next_check_in: Option<When>,
    pub chart: Option<Chart>,
    /// One window of the check-ins, newest first, with links to the others.
    pub rows: Vec<CheckInView>,
    pub pager: Pager,
    pub errors: Vec<&'static str>,
}

pub struct TriggerView {
    pub id: String,
    pub note: Option<String>,
    pub signalled_on: When,
    pub reply: Option<String>,
    pub replied_on: Option<When>,
    /// A reply being checked with the coach, and the coach's notes on it.
    pub draft: String,
    pub coach: CoachResults,
}

#[derive(Template)]
#[template(path = "triggers.html")]
pub struct TriggersPage {
    pub chrome: Chrome,
    /// The id a form creating something here stores it under (see `once.rs`).
    pub form_id: String,
    /// False once the journey has ended: it is shown to read, without forms.
    pub ongoing: bool,
    pub action: String,
    pub journey: String,
    pub is_hurt: bool,
    pub triggers: Vec<TriggerView>,
    pub errors: Vec<&'static str>,
}
