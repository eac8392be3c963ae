//! A counsellor (issue 14): the partners' counsellor pages, the invitation, and the
//! counsellor's own read-only pages.

use askama::Template;

use crate::chrome::Chrome;
use crate::views::{Chart, CheckInView, CoachResults, EventView};
use crate::when::When;

/// Where the space's counsellor stands, as the partners' counsellor page shows it.
pub enum CounsellorState {
    /// No counsellor and no proposal.
    None,
    ProposedByViewer,
    /// The partner proposed; `name` is theirs.
    ProposedByPartner {
        name: String,
    },
    /// Both agreed; the link works until `expires` (or has expired).
    Agreed {
        link: String,
        expires: When,
        expired: bool,
    },
    Active {
        name: String,
        last_look: Option<When>,
    },
}

/// A journey as listed on the partners' counsellor page.
pub struct SharingLink {
    pub href: String,
    pub kind: &'static str,
    pub begun: When,
}

#[derive(Template)]
#[template(path = "counsellor.html")]
pub struct CounsellorPage {
    pub chrome: Chrome,
    pub space_id: String,
    pub partner_joined: bool,
    pub counsellor: CounsellorState,
    pub journeys: Vec<SharingLink>,
}

/// One area on the sharing form.
pub struct AreaChoice {
    pub slug: &'static str,
    pub name: &'static str,
    pub chosen: bool,
}

/// One line of "what was shared when".
pub struct ShareChangeLine {
    pub who: String,
    pub area: &'static str,
    pub allowed: bool,
    pub when: When,
}

/// A counsellor's note, as both partners and the counsellor read it.
pub struct NoteView {
    pub by: String,
    pub text: String,
    pub when: When,
}

#[derive(Template)]
#[template(path = "counsellor_journey.html")]
pub struct CounsellorJourneyPage {
    pub chrome: Chrome,
    pub action: String,
    pub space_href: String,
    pub kind: &'static str,
    pub has_counsellor: bool,
    pub saved: bool,
    pub mine: Vec<AreaChoice>,
    pub partner_name: String,
    pub partners: Vec<&'static str>,
    pub history: Vec<ShareChangeLine>,
    pub notes: Vec<NoteView>,
}

#[derive(Template)]
#[template(path = "counsellor_invite.html")]
pub struct CounsellorInvitePage {
    pub chrome: Chrome,
    pub code: String,
}

#[derive(Template)]
#[template(path = "counsellor_accept.html")]
pub struct CounsellorAcceptPage {
    pub chrome: Chrome,
    pub code: String,
    pub names: String,
}

/// A couple on the counsellor's home.
pub struct CoupleLink {
    pub href: String,
    pub names: String,
    pub new_since: usize,
}

#[derive(Template)]
#[template(path = "counsel_home.html")]
pub struct CounselHomePage {
    pub chrome: Chrome,
    pub couples: Vec<CoupleLink>,
}

/// A journey as the counsellor's couple page lists it.
pub struct CounselJourneyLink {
    pub href: String,
    pub begun: When,
}

#[derive(Template)]
#[template(path = "counsel_couple.html")]
pub struct CounselCouplePage {
    pub chrome: Chrome,
    pub names: String,
    pub journeys: Vec<CounselJourneyLink>,
    /// Journal entries their authors shared with the counsellor, one by one.
    pub journal: Vec<SharedText>,
}

/// A shared piece of words with who wrote it and when.
pub struct SharedText {
    pub by: String,
    pub text: String,
    pub when: When,
}

/// A question with the answers the counsellor may read.
pub struct SharedQuestion {
    pub question: SharedText,
    pub answers: Vec<SharedText>,
}

/// A feeling with the reflections the counsellor may read.
pub struct SharedFeeling {
    pub feeling: SharedText,
    pub words: Vec<&'static str>,
    pub reflections: Vec<SharedText>,
}

/// A check-in score.
pub struct SharedScore {
    pub by: String,
    pub score: String,
    pub when: When,
}

/// An area of the method and where it stands, for the summary.
pub struct SharedArea {
    pub area: &'static str,
    pub status: &'static str,
}

/// The summary both partners shared: the areas, the counts and the trust chart.
pub struct SharedSummary {
    pub areas: Vec<SharedArea>,
    pub counts: Vec<(&'static str, String)>,
    pub chart: Option<Chart>,
    pub rows: Vec<CheckInView>,
}

/// A trigger, with the reply when both partners shared triggers.
pub struct SharedTrigger {
    pub trigger: SharedText,
    pub reply: Option<SharedText>,
}

/// A transparency agreement.
pub struct SharedAgreement {
    pub agreement: SharedText,
    pub period: &'static str,
    pub state: &'static str,
}

#[derive(Template)]
#[template(path = "counsel_journey.html")]
pub struct CounselJourneyPage {
    pub chrome: Chrome,
    pub action: String,
    pub couple_href: String,
    pub names: String,
    pub ongoing: bool,
    pub summary: Option<SharedSummary>,
    /// The latest events, when both partners shared the timeline; `None` otherwise.
    pub timeline: Option<Vec<EventView>>,
    pub triggers: Vec<SharedTrigger>,
    pub agreements: Vec<SharedAgreement>,
    pub entries: Vec<SharedText>,
    pub questions: Vec<SharedQuestion>,
    pub feelings: Vec<SharedFeeling>,
    pub scores: Vec<SharedScore>,
    /// Evidence entries their keeper shared with the counsellor, one by one.
    pub evidence: Vec<SharedText>,
    pub notes: Vec<NoteView>,
    pub form_id: String,
    pub draft: String,
    pub errors: Vec<&'static str>,
    pub coach: CoachResults,
}
