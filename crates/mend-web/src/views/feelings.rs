//! Feelings and reflections.

use crate::when::When;
use askama::Template;

use super::CoachResults;
use crate::chrome::Chrome;
use crate::paging::Pager;

/// A value of a form choice and the catalogue key of its label.
pub struct Labelled {
    pub value: &'static str,
    pub label: &'static str,
}

pub struct ReflectionView {
    pub id: String,
    /// None once withdrawn.
    pub text: Option<String>,
    pub withdrawn_on: Option<When>,
    pub can_withdraw: bool,
    pub sent_on: When,
    pub verdict: Option<&'static str>,
    pub missed: Option<String>,
    pub new: bool,
}

pub struct FeelingView {
    pub id: String,
    /// Empty, with no intensity or text, once withdrawn.
    pub words: Vec<&'static str>,
    pub intensity: Option<&'static str>,
    pub text: String,
    pub withdrawn_on: Option<When>,
    /// Its partner left the space: its words were removed, and the reflections on it stay.
    pub removed: bool,
    pub can_withdraw: bool,
    pub shared_on: When,
    pub new: bool,
    pub status: &'static str,
    pub reflections: Vec<ReflectionView>,
    pub can_reflect: bool,
    /// The reflection the viewer (the hurt partner) can answer now.
    pub answer_to: Option<String>,
    /// A reflection being checked with the coach, and the coach's notes on it.
    pub draft: String,
    pub coach: CoachResults,
}

#[derive(Template)]
#[template(path = "feelings.html")]
pub struct FeelingsPage {
    pub chrome: Chrome,
    /// The id a form creating something here stores it under (see `once.rs`).
    pub form_id: String,
    pub action: String,
    pub journey: String,
    pub is_hurt: bool,
    pub can_share: bool,
    /// False once the journey has ended: it is shown to read.
    pub ongoing: bool,
    pub words: Vec<Labelled>,
    pub intensities: Vec<(u8, &'static str)>,
    pub feeling_text: String,
    /// The id a new feeling is stored under, so a double submit stores it once.
    pub next_feeling: String,
    /// The latest feelings still waiting for a reflection or a verdict, shown first.
    pub listening_now: Vec<FeelingView>,
    /// More feelings still wait than are shown first: the older ones are in the list below.
    pub more_open: bool,
    /// One window of the other feelings, newest first, with links to the rest.
    pub feelings: Vec<FeelingView>,
    pub pager: Pager,
    pub my_side_open: bool,
    pub can_open_my_side: bool,
    pub errors: Vec<&'static str>,
}

impl FeelingsPage {
    /// Something on the page is marked new: a visit now changes what the next one marks.
    pub fn shows_new(&self) -> bool {
        self.listening_now
            .iter()
            .chain(&self.feelings)
            .any(|f| f.new || f.reflections.iter().any(|r| r.new))
    }
}
