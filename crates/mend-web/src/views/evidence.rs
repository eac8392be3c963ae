//! The evidence log.

use crate::when::When;
use askama::Template;

use crate::chrome::Chrome;
use crate::paging::Pager;

pub struct EvidenceView {
    pub id: String,
    pub moment: &'static str,
    pub text: String,
    pub noted_on: When,
    pub shared_on: Option<When>,
    pub can_share: bool,
    pub can_unshare: bool,
    /// The viewer's own entry, shared with the counsellor (issue 14).
    pub with_counsellor: bool,
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
    /// One window of the entries, newest first, with links to the others.
    pub entries: Vec<EvidenceView>,
    /// A counsellor reads the space: the keeper may share entries with them one by one.
    pub counsellor: bool,
    pub pager: Pager,
    pub typed: String,
    pub errors: Vec<&'static str>,
}
