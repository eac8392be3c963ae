//! A journey as a whole: recording a breach, the journey page, guidance, endings, the timeline and summary.

use crate::when::When;
use askama::Template;

use super::Chart;
use super::CheckInView;
use super::Labelled;
use crate::chrome::Chrome;
use crate::paging::Pager;

pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// What a person typed into the breach form, kept when it is shown again with errors.
pub struct BreachForm {
    pub who_me: bool,
    pub who_partner: bool,
    pub kinds: Vec<Choice>,
    pub lights: Vec<Choice>,
    pub agreement: String,
    pub began: String,
    pub ended: String,
    pub came_to_light_on: String,
}

/// A written agreement offered in the breach form.
pub struct AgreementChoice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "breach_new.html")]
pub struct NewBreachPage {
    pub chrome: Chrome,
    /// The id a form creating something here stores it under (see `once.rs`).
    pub form_id: String,
    pub agreements: Vec<AgreementChoice>,
    pub space_id: String,
    pub form: BreachForm,
    pub errors: Vec<&'static str>,
}

pub struct AreaView {
    pub id: &'static str,
    pub name: &'static str,
    pub status: &'static str,
    pub status_value: &'static str,
    pub can_mark_done: bool,
    pub can_reopen: bool,
    /// What waits for the viewer in this area (issue 12).
    pub waiting: Vec<super::WaitingItem>,
}

#[derive(Template)]
#[template(path = "journey.html")]
pub struct JourneyPage {
    pub chrome: Chrome,
    pub action_base: String,
    pub kind: &'static str,
    pub agreement: String,
    pub began: String,
    pub ended: Option<String>,
    pub came_to_light_on: String,
    pub came_to_light: &'static str,
    pub secret_note: String,
    pub role: &'static str,
    pub is_hurt: bool,
    pub found_out_note: Option<&'static str>,
    pub opened_note: Option<&'static str>,
    /// What to do first, for the viewer's role, until the acknowledgement is sent.
    pub first_steps: Option<&'static str>,
    pub areas: Vec<AreaView>,
    /// How and when the journey ended.
    pub journey_ended: Option<(&'static str, When)>,
    pub closing_proposed: bool,
    pub my_side_open: bool,
    pub context_open: bool,
}

#[derive(Template)]
#[template(path = "guide.html")]
pub struct GuidePage {
    pub chrome: Chrome,
    pub title: String,
    pub what: &'static str,
    pub why: &'static str,
    pub avoid: &'static str,
}

#[derive(Template)]
#[template(path = "endings.html")]
pub struct EndingsPage {
    pub chrome: Chrome,
    pub journey: String,
    pub is_hurt: bool,
    pub ended: Option<(&'static str, When)>,
    pub proposed_on: Option<When>,
    pub can_propose: bool,
    pub can_withdraw: bool,
    pub can_agree: bool,
    pub can_part: bool,
}

/// One event of the timeline, in words.
pub struct EventView {
    pub when: When,
    pub area: Option<&'static str>,
    pub text: String,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "timeline.html")]
pub struct TimelinePage {
    pub chrome: Chrome,
    pub journey: String,
    pub areas: Vec<Labelled>,
    /// The area shown, or "all".
    pub only: &'static str,
    /// A window of the events, in the order they happened.
    pub events: Vec<EventView>,
    pub pager: Pager,
    pub chart: Option<Chart>,
    pub rows: Vec<CheckInView>,
    pub show_notes: bool,
}

pub struct Count {
    pub label: &'static str,
    pub value: usize,
}

/// A statement of one kind for the summary, whole: what was sent and what was added since.
pub struct StatementView {
    pub title: &'static str,
    pub parts: Vec<StatementPart>,
}

/// One sent part of a statement.
pub struct StatementPart {
    pub text: String,
    pub sent_on: When,
    /// A correction of or addition to what came before it.
    pub addition: bool,
}

#[derive(Template)]
#[template(path = "summary.html")]
pub struct SummaryPage {
    pub chrome: Chrome,
    pub journey: String,
    pub kind: &'static str,
    pub agreement: String,
    pub began: When,
    pub ended: Option<(&'static str, When)>,
    pub printed_on: When,
    /// Which zone the printed times are in.
    pub zone_note: String,
    pub areas: Vec<(&'static str, &'static str)>,
    pub counts: Vec<Count>,
    pub statements: Vec<StatementView>,
    pub events: Vec<EventView>,
    pub chart: Option<Chart>,
    pub rows: Vec<CheckInView>,
    pub show_notes: bool,
}
