//! The language coach's results and its page.

use askama::Template;

use crate::chrome::Chrome;

pub struct ModeOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// A piece of the reviewed draft; `mark` numbers the finding it shows, if any.
pub struct CoachSegment {
    pub text: String,
    pub mark: Option<usize>,
}

pub struct CoachMark {
    pub number: usize,
    pub category: &'static str,
    pub severity: &'static str,
    pub text: String,
    pub message: String,
    pub suggestion: String,
}

/// What the coach found in a draft, or why it did not look.
pub struct CoachResults {
    pub problem: Option<&'static str>,
    pub segments: Vec<CoachSegment>,
    pub marks: Vec<CoachMark>,
}

impl CoachResults {
    pub fn refused(problem: &'static str) -> Self {
        Self {
            problem: Some(problem),
            segments: Vec::new(),
            marks: Vec::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "coach.html")]
pub struct CoachPage {
    pub chrome: Chrome,
    pub text: String,
    pub modes: Vec<ModeOption>,
    pub results: CoachResults,
}

#[derive(Template)]
#[template(path = "coach_fragment.html")]
pub struct CoachFragment {
    pub chrome: Chrome,
    pub results: CoachResults,
}
