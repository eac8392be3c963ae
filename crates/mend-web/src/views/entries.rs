//! Written entries of a journey and their rhythms.

use crate::when::When;
use askama::Template;

use super::CoachResults;
use crate::chrome::Chrome;
use crate::paging::Pager;

/// A sent or withdrawn entry as its reader or author sees it.
pub struct EntryView {
    pub id: String,
    pub text: String,
    pub withdrawn: bool,
    /// Sent or withdrawn by the partner since the viewer's last visit.
    pub new: bool,
    pub follows: bool,
    pub sent_at: When,
    /// Whether entries of this kind are marked received at all.
    pub received: bool,
    pub received_at: Option<When>,
    pub withdrawn_at: Option<When>,
    pub can_mark_received: bool,
    pub can_withdraw: bool,
    /// Who wrote it, where both partners write.
    pub author: Option<&'static str>,
    /// The hurt partner's response to an accountability statement.
    pub response: Option<&'static str>,
    pub response_note: Option<String>,
    pub responded_at: Option<When>,
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
    pub next_due: Option<When>,
}

/// Catalogue keys of one kind of entry's page.
pub struct SectionText {
    pub title: &'static str,
    pub intro_writer: &'static str,
    pub intro_reader: &'static str,
    /// The reader's intro once something was sent.
    pub intro_reader_sent: &'static str,
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
    /// What the page says first, from the viewer's side: how to write, what arrived or
    /// what will arrive; none for the writer of an ended journey (the notice says it).
    pub intro: Option<&'static str>,
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
    /// Links to the other windows of a kind that grows; none for a statement read whole.
    pub pager: Pager,
    pub errors: Vec<&'static str>,
}

impl EntryPage {
    /// Something on the page is marked new: a visit now changes what the next one marks.
    pub fn shows_new(&self) -> bool {
        self.entries.iter().any(|e| e.new)
    }
}

#[derive(Template)]
#[template(source = "{{ chrome.s.t(message) }}", ext = "html")]
pub struct SavedFragment {
    pub chrome: Chrome,
    pub message: &'static str,
}
