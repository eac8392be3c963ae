//! Questions and answers.

use crate::when::When;
use askama::Template;

use super::Choice;
use super::CoachResults;
use crate::chrome::Chrome;
use crate::paging::Pager;

pub struct AnswerView {
    pub id: String,
    /// Written by the partner since the viewer's last visit.
    pub new: bool,
    pub text: String,
    pub answered_on: When,
    /// When its author withdrew it; its text is gone.
    pub withdrawn_on: Option<When>,
    pub can_withdraw: bool,
    pub response: Option<&'static str>,
    /// The partner said "I need more" to it: shown prominently.
    pub need_more: bool,
}

pub struct QuestionView {
    pub id: String,
    /// Asked by the partner since the viewer's last visit.
    pub new: bool,
    pub text: String,
    pub kind: Option<&'static str>,
    pub asked_again: bool,
    pub asked_on: When,
    /// How long it has waited, while it has no answer.
    pub waiting: Option<String>,
    /// The answerer asked to answer it in person: what the reader reads about it.
    pub in_person: Option<&'static str>,
    /// The answer field is open: nothing answers it yet, or more was asked for.
    pub answer_needed: bool,
    /// One of its answers is the viewer's and may be withdrawn.
    pub withdrawable: bool,
    /// When the asker withdrew it; its text is gone and it waits for nothing.
    pub withdrawn_on: Option<When>,
    /// Its asker left the space: its words were removed, and the answers to it stay.
    pub removed: bool,
    pub answers: Vec<AnswerView>,
    /// What is in this question's answer box (when checked with the coach without JavaScript).
    pub answer: String,
    /// The coach's results for the answer box; refreshed live while typing.
    pub coach: CoachResults,
    /// The ids the answer form and the ask-again form store under (see `once.rs`).
    pub answer_form_id: String,
    pub again_form_id: String,
}

#[derive(Template)]
#[template(path = "questions.html")]
pub struct QuestionsPage {
    pub chrome: Chrome,
    /// False once the journey has ended: it is shown to read, without forms.
    pub ongoing: bool,
    pub action: String,
    pub journey: String,
    pub is_asker: bool,
    pub is_answerer: bool,
    /// The questions that wait for an answer, oldest first (on the newest window only).
    pub waiting: Vec<QuestionView>,
    /// More questions wait than the page shows.
    pub more_waiting: bool,
    /// A window of the answered or withdrawn questions, the most recently settled first.
    pub settled: Vec<QuestionView>,
    pub pager: Pager,
    pub kinds: Vec<Choice>,
    /// The id the ask form stores its question under (see `once.rs`).
    pub form_id: String,
    pub typed: String,
    pub again_of: String,
    /// Show the gentle note before a graphic-detail question is asked.
    pub pause: bool,
    pub errors: Vec<&'static str>,
}

impl QuestionsPage {
    /// Something on the page is marked new: a visit now changes what the next one marks.
    pub fn shows_new(&self) -> bool {
        self.waiting
            .iter()
            .chain(&self.settled)
            .any(|q| q.new || q.answers.iter().any(|a| a.new))
    }
}
