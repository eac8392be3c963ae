//! The space and what is shared across it: the start page, the dashboard, invitations, agreements, journals.

use crate::when::When;
use askama::Template;

use crate::chrome::Chrome;
use crate::paging::Pager;

#[derive(Template)]
#[template(path = "start.html")]
pub struct StartPage {
    pub chrome: Chrome,
    pub name: String,
}

pub struct InviteView {
    pub id: String,
    pub link: String,
    pub expires: When,
}

#[derive(Template)]
#[template(path = "space.html")]
pub struct SpacePage {
    pub chrome: Chrome,
    /// The id the invitation form stores its invitation under (see `once.rs`).
    pub form_id: String,
    pub space_id: String,
    pub partner: Option<String>,
    /// A partner left this space (issue 11): it takes no new one.
    pub partner_left: bool,
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

/// A breach as listed on the space page.
pub struct BreachLink {
    pub href: String,
    pub kind: &'static str,
    pub role: &'static str,
    pub opened: When,
}

pub struct AgreementView {
    pub id: String,
    pub text: String,
    pub is_revision: bool,
    pub since: When,
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

pub struct JournalEntryView {
    pub id: String,
    pub text: String,
    pub written_on: When,
    pub shared_on: Option<When>,
    /// Shared by the partner since the viewer last opened their journal.
    pub new: bool,
    /// The viewer's own entry, shared with the counsellor (issue 14).
    pub with_counsellor: bool,
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
    /// A counsellor reads the space: the viewer may share entries with them one by one.
    pub counsellor: bool,
    /// What the partner shared from their journal, newest first.
    pub partners: Vec<JournalEntryView>,
    /// The links to the other windows of both lists, which are read as one.
    pub pager: Pager,
    pub typed: String,
    pub errors: Vec<&'static str>,
}
