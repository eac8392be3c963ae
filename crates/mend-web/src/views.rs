//! Page models: one struct per template, holding exactly what the page shows.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::chrome::Chrome;

/// Renders a page; a template that fails to render is a bug, answered with a 500.
pub fn render<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a template failed to render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Renders a page with a status other than 200, such as a form sent back with errors.
pub fn render_with<T: Template>(status: StatusCode, page: &T) -> Response {
    let mut response = render(page);
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub chrome: Chrome,
    pub title: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "landing.html")]
pub struct LandingPage {
    pub chrome: Chrome,
}

#[derive(Template)]
#[template(path = "signup.html")]
pub struct SignupPage {
    pub chrome: Chrome,
    pub name: String,
    pub email: String,
    pub next: String,
    pub errors: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub email: String,
    pub next: String,
    /// What happens now, after the sign-up form.
    pub notice: Option<&'static str>,
    pub error: Option<&'static str>,
}

pub struct SafetyItem {
    pub id: &'static str,
    pub text: &'static str,
    pub selected: &'static str,
}

#[derive(Template)]
#[template(path = "safety.html")]
pub struct SafetyPage {
    pub chrome: Chrome,
    pub next: String,
    pub items: Vec<SafetyItem>,
    pub error: bool,
}

#[derive(Template)]
#[template(path = "support.html")]
pub struct SupportPage {
    pub chrome: Chrome,
    pub next: String,
}

#[derive(Template)]
#[template(path = "left.html")]
pub struct LeftPage {
    pub chrome: Chrome,
}

#[derive(Template)]
#[template(path = "help.html")]
pub struct HelpPage {
    pub chrome: Chrome,
}

#[derive(Template)]
#[template(path = "start.html")]
pub struct StartPage {
    pub chrome: Chrome,
    pub name: String,
}

pub struct InviteView {
    pub id: String,
    pub link: String,
    pub expires: String,
}

#[derive(Template)]
#[template(path = "space.html")]
pub struct SpacePage {
    pub chrome: Chrome,
    /// The id the invitation form stores its invitation under (see `once.rs`).
    pub form_id: String,
    pub space_id: String,
    pub partner: Option<String>,
    pub invites: Vec<InviteView>,
    pub breaches: Vec<BreachLink>,
    pub waiting: Vec<WaitingItem>,
}

/// Something on the dashboard that waits for the viewer, with where to do it.
pub struct WaitingItem {
    pub href: String,
    pub text: &'static str,
    pub kind: &'static str,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "invite.html")]
pub struct InvitePage {
    pub chrome: Chrome,
    pub next: String,
}

#[derive(Template)]
#[template(path = "join.html")]
pub struct JoinPage {
    pub chrome: Chrome,
    pub code: String,
    pub inviter: String,
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub chrome: Chrome,
    pub errors: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "reset.html")]
pub struct ResetPage {
    pub chrome: Chrome,
    pub token: String,
    pub errors: Vec<&'static str>,
}

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
    pub areas: Vec<AreaView>,
    /// How and when the journey ended.
    pub journey_ended: Option<(&'static str, String)>,
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

/// A breach as listed on the space page.
pub struct BreachLink {
    pub href: String,
    pub kind: &'static str,
    pub role: &'static str,
    pub opened: String,
}

/// A sent or withdrawn entry as its reader or author sees it.
pub struct EntryView {
    pub id: String,
    pub text: String,
    pub withdrawn: bool,
    /// Sent or withdrawn by the partner since the viewer's last visit.
    pub new: bool,
    pub follows: bool,
    pub sent_at: String,
    /// Whether entries of this kind are marked received at all.
    pub received: bool,
    pub received_at: Option<String>,
    pub withdrawn_at: Option<String>,
    pub can_mark_received: bool,
    pub can_withdraw: bool,
    /// Who wrote it, where both partners write.
    pub author: Option<&'static str>,
    /// The hurt partner's response to an accountability statement.
    pub response: Option<&'static str>,
    pub response_note: Option<String>,
    pub responded_at: Option<String>,
    pub can_respond: bool,
}

/// A choice of rhythm, as a radio button.
pub struct RhythmChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

/// The repairing partner's recommitment rhythm and when the next one is due.
pub struct RhythmForm {
    pub choices: Vec<RhythmChoice>,
    /// None until there is an intention to recommit to.
    pub next_due: Option<String>,
}

/// Catalogue keys of one kind of entry's page.
pub struct SectionText {
    pub title: &'static str,
    pub intro_writer: &'static str,
    pub intro_reader: &'static str,
    pub draft_label: &'static str,
    pub follow_up_label: &'static str,
    pub follow_up_intro: &'static str,
    pub follows_note: &'static str,
    pub error_empty: &'static str,
}

#[derive(Template)]
#[template(path = "entries.html")]
pub struct EntryPage {
    pub chrome: Chrome,
    /// A note about the section as it stands (ended journey, muted notes).
    pub notice: Option<&'static str>,
    /// For the hurt partner on the reassurance page: whether notes are muted now.
    pub mute: Option<bool>,
    pub rhythm: Option<RhythmForm>,
    pub action_base: String,
    /// The id the form's draft is saved under, so that a resubmitted form is recognised.
    pub entry_id: String,
    pub journey: String,
    pub text: &'static SectionText,
    /// The coach's mode for live notes.
    pub mode: &'static str,
    pub is_writer: bool,
    /// The viewer is the repairing partner: the coach reads their drafts (never the hurt
    /// partner's), and responses on the page are their partner's.
    pub viewer_repairs: bool,
    pub found_out: bool,
    pub following_up: bool,
    pub draft: String,
    pub coach: CoachResults,
    pub entries: Vec<EntryView>,
    pub errors: Vec<&'static str>,
}

#[derive(Template)]
#[template(source = "{{ chrome.s.t(message) }}", ext = "html")]
pub struct SavedFragment {
    pub chrome: Chrome,
    pub message: &'static str,
}

pub struct AgreementView {
    pub id: String,
    pub text: String,
    pub is_revision: bool,
    pub since: String,
}

#[derive(Template)]
#[template(path = "agreements.html")]
pub struct AgreementsPage {
    pub chrome: Chrome,
    /// The id a form creating something here stores it under (see `once.rs`).
    pub form_id: String,
    pub action: String,
    pub accepted: Vec<AgreementView>,
    pub waiting: Vec<AgreementView>,
    pub yours: Vec<AgreementView>,
    /// What was typed, when the form comes back with a problem.
    pub typed: String,
    /// The accepted agreement a change is being proposed for.
    pub revising: Option<AgreementView>,
    pub errors: Vec<&'static str>,
}

pub struct AnswerView {
    pub id: String,
    /// Written by the partner since the viewer's last visit.
    pub new: bool,
    pub text: String,
    pub answered_on: String,
    /// When its author withdrew it; its text is gone.
    pub withdrawn_on: Option<String>,
    pub can_withdraw: bool,
    pub response: Option<&'static str>,
}

pub struct QuestionView {
    pub id: String,
    /// Asked by the partner since the viewer's last visit.
    pub new: bool,
    pub text: String,
    pub kind: Option<&'static str>,
    pub asked_again: bool,
    pub asked_on: String,
    /// How long it has waited, while it has no answer.
    pub waiting: Option<String>,
    pub in_person: bool,
    /// When the asker withdrew it; its text is gone and it waits for nothing.
    pub withdrawn_on: Option<String>,
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
    pub questions: Vec<QuestionView>,
    pub kinds: Vec<Choice>,
    /// The id the ask form stores its question under (see `once.rs`).
    pub form_id: String,
    pub typed: String,
    pub again_of: String,
    /// Show the gentle note before a graphic-detail question is asked.
    pub pause: bool,
    pub errors: Vec<&'static str>,
}

pub struct EvidenceView {
    pub id: String,
    pub moment: &'static str,
    pub text: String,
    pub noted_on: String,
    pub shared_on: Option<String>,
    pub can_share: bool,
    pub can_unshare: bool,
}

#[derive(Template)]
#[template(path = "evidence.html")]
pub struct EvidencePage {
    pub chrome: Chrome,
    /// The id a form creating something here stores it under (see `once.rs`).
    pub form_id: String,
    /// False once the journey has ended: it is shown to read, without forms.
    pub ongoing: bool,
    pub action: String,
    pub journey: String,
    /// Whether the viewer keeps this log (the hurt partner) or sees only what was shared.
    pub keeper: bool,
    pub entries: Vec<EvidenceView>,
    pub typed: String,
    pub errors: Vec<&'static str>,
}

/// The trust chart, already placed in SVG coordinates.
pub struct Chart {
    /// The polyline's points, "x,y x,y ...".
    pub line: String,
    pub dots: Vec<(String, String)>,
    pub first: String,
    pub last: String,
    pub count: String,
}

pub struct CheckInView {
    pub when: String,
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
    /// The hurt partner's choice of check-in rhythm (empty for the repairing partner).
    pub rhythms: Vec<RhythmChoice>,
    pub next_check_in: Option<String>,
    pub chart: Option<Chart>,
    pub rows: Vec<CheckInView>,
    pub errors: Vec<&'static str>,
}

pub struct TriggerView {
    pub id: String,
    pub note: Option<String>,
    pub signalled_on: String,
    pub reply: Option<String>,
    pub replied_on: Option<String>,
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

/// A value of a form choice and the catalogue key of its label.
pub struct Labelled {
    pub value: &'static str,
    pub label: &'static str,
}

pub struct ReflectionView {
    pub id: String,
    /// None once withdrawn.
    pub text: Option<String>,
    pub withdrawn_on: Option<String>,
    pub can_withdraw: bool,
    pub sent_on: String,
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
    pub withdrawn_on: Option<String>,
    pub can_withdraw: bool,
    pub shared_on: String,
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
    pub words: Vec<Labelled>,
    pub intensities: Vec<(u8, &'static str)>,
    pub feeling_text: String,
    /// The id a new feeling is stored under, so a double submit stores it once.
    pub next_feeling: String,
    pub feelings: Vec<FeelingView>,
    pub my_side_open: bool,
    pub can_open_my_side: bool,
    pub errors: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "endings.html")]
pub struct EndingsPage {
    pub chrome: Chrome,
    pub journey: String,
    pub is_hurt: bool,
    pub ended: Option<(&'static str, String)>,
    pub proposed_on: Option<String>,
    pub can_propose: bool,
    pub can_withdraw: bool,
    pub can_agree: bool,
    pub can_part: bool,
}

/// One event of the timeline, in words.
pub struct EventView {
    pub when: String,
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
    pub events: Vec<EventView>,
    pub chart: Option<Chart>,
    pub rows: Vec<CheckInView>,
    pub show_notes: bool,
}

pub struct Count {
    pub label: &'static str,
    pub value: usize,
}

/// The latest sent statement of one kind, for the summary.
pub struct StatementView {
    pub title: &'static str,
    pub text: String,
    pub sent_on: String,
}

#[derive(Template)]
#[template(path = "summary.html")]
pub struct SummaryPage {
    pub chrome: Chrome,
    pub journey: String,
    pub kind: &'static str,
    pub agreement: String,
    pub began: String,
    pub ended: Option<(&'static str, String)>,
    pub printed_on: String,
    pub areas: Vec<(&'static str, &'static str)>,
    pub counts: Vec<Count>,
    pub statements: Vec<StatementView>,
    pub events: Vec<EventView>,
    pub chart: Option<Chart>,
    pub rows: Vec<CheckInView>,
    pub show_notes: bool,
}

pub struct TransparencyView {
    pub id: String,
    pub text: String,
    /// The catalogue key of the period's name.
    pub period: &'static str,
    pub is_renewal: bool,
    /// When an accepted agreement starts and ends, or when an offer was declined or withdrawn.
    pub from: String,
    pub until: String,
    /// For an offer not taken up: the catalogue key saying how it closed.
    pub closed_how: &'static str,
    pub can_renew: bool,
    pub renewal_waiting: bool,
    /// What the renewal form starts with: the same words and period, or what was typed.
    pub renew_text: String,
    pub renew_days: i64,
    /// The renewal form is shown open again when it had a problem.
    pub renew_open: bool,
}

pub struct PeriodChoice {
    pub days: i64,
    pub name: &'static str,
}

#[derive(Template)]
#[template(path = "transparency.html")]
pub struct TransparencyPage {
    pub chrome: Chrome,
    /// The id a form creating something here stores it under (see `once.rs`).
    pub form_id: String,
    /// False once the journey has ended: it is shown to read, without forms.
    pub ongoing: bool,
    pub action: String,
    pub journey: String,
    pub is_hurt: bool,
    pub offers: Vec<TransparencyView>,
    pub running: Vec<TransparencyView>,
    pub upcoming: Vec<TransparencyView>,
    pub ended: Vec<TransparencyView>,
    pub closed: Vec<TransparencyView>,
    pub periods: Vec<PeriodChoice>,
    pub typed: String,
    pub typed_days: i64,
    pub errors: Vec<&'static str>,
}

pub struct JournalEntryView {
    pub id: String,
    pub text: String,
    pub written_on: String,
    pub shared_on: Option<String>,
    /// Shared by the partner since the viewer last opened their journal.
    pub new: bool,
}

#[derive(Template)]
#[template(path = "journal.html")]
pub struct JournalPage {
    pub chrome: Chrome,
    pub action: String,
    pub space: String,
    /// The id the next entry will have, so that sending the form twice keeps it once.
    pub next_entry: String,
    /// The viewer's own entries, newest first.
    pub yours: Vec<JournalEntryView>,
    pub has_partner: bool,
    /// What the partner shared from their journal, newest first.
    pub partners: Vec<JournalEntryView>,
    pub typed: String,
    pub errors: Vec<&'static str>,
}
