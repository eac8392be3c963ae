//! A section's page, as read and as shown again when a form comes back.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use mend_core::entry::{may_mark_received, may_respond, may_withdraw, may_write};
use mend_core::store::EntryRecord;
use mend_core::{EntryKind, EntryState, Role, WindowAsk};

use super::{open_body, Place, SectionPath};
use crate::access::JourneyAccess;
use crate::chrome::Chrome;
use crate::coaching::results_for;
use crate::due::recommitment_due;
use crate::error::WebError;
use crate::extract::{Path, Query};
use crate::fields;
use crate::key;
use crate::names::{response_name, rhythm_choices};
use crate::paging::{Pager, WindowQuery};
use crate::state::AppState;
use crate::unread::is_new;
use crate::views::{render, render_with, EntryPage, EntryView, RhythmForm};
use crate::when::LocalClock;

/// How many entries of a kind that grows (`EntryKind::is_read_whole` is false) the page shows
/// at a time.
const WINDOW: usize = 20;

pub async fn page(
    State(state): State<AppState>,
    journey: JourneyAccess,
    chrome: Chrome,
    Path(SectionPath { section }): Path<SectionPath>,
    Query(window): Query<WindowQuery>,
) -> Result<Response, WebError> {
    let at = Place::open(journey, section)?;
    let ask = window.ask(WINDOW);
    let mut page = render_page(&state, chrome, &at, ask, None, Vec::new()).await?;
    // Opened under the kind's own name, which the store's counts of what waits match.
    let (kind, shows_new) = (section.kind.as_str(), page.shows_new());
    crate::waiting_view::opened(&state, &at.journey, kind, shows_new, &mut page.chrome).await?;
    Ok(render(&page))
}

/// The section's page again with the words the person sent still in the box, saying why they
/// were not taken as they were.
pub(super) async fn shown_again(
    state: &AppState,
    chrome: Chrome,
    at: &Place,
    text: &str,
    status: StatusCode,
    problems: Vec<&'static str>,
) -> Result<Response, WebError> {
    let ask = WindowAsk::newest(WINDOW);
    let page = render_page(state, chrome, at, ask, Some(text.to_owned()), problems).await?;
    Ok(render_with(status, &page))
}

/// What a section's page lists, and what it needs to know of the rest.
struct Listed {
    /// The entries shown, never a draft: a statement whole and oldest first, the others a
    /// window, newest first.
    shown: Vec<EntryRecord>,
    /// The viewer's own draft, if they keep one.
    draft: Option<EntryRecord>,
    /// Whether anything was sent here, and whether the partner sent something.
    has_sent: bool,
    partner_sent: bool,
    pager: Pager,
}

impl Listed {
    async fn of(state: &AppState, at: &Place, ask: WindowAsk) -> Result<Listed, WebError> {
        let viewer = at.journey.viewer_id();
        let kind = at.section.kind;
        if kind.is_read_whole() {
            let entries = at.entries(state).await?;
            let (draft, shown): (Vec<_>, Vec<_>) = entries
                .into_iter()
                .partition(|e| e.state == EntryState::Draft && e.author == viewer);
            let sent = |e: &&EntryRecord| e.state == EntryState::Sent;
            return Ok(Listed {
                has_sent: shown.iter().any(|e| sent(&e)),
                partner_sent: shown.iter().filter(sent).any(|e| e.author != viewer),
                draft: draft.into_iter().next(),
                shown,
                pager: Pager::default(),
            });
        }
        let breach = at.journey.id();
        let window = state.store.entry_window(breach, kind, ask).await?;
        let senders = state.store.senders(breach, kind).await?;
        Ok(Listed {
            has_sent: !senders.is_empty(),
            partner_sent: senders.iter().any(|p| *p != viewer),
            draft: state.store.draft_of(breach, kind, viewer).await?,
            pager: Pager::of(&at.href(), ask, &window),
            shown: window.items,
        })
    }
}

async fn render_page(
    state: &AppState,
    chrome: Chrome,
    at: &Place,
    ask: WindowAsk,
    typed: Option<String>,
    errors: Vec<&'static str>,
) -> Result<EntryPage, WebError> {
    let (journey, key, section) = (&at.journey, at.key(), at.section);
    let (breach, role, viewer) = (&journey.breach, journey.role, journey.viewer_id());
    let clock = LocalClock::of(state.strings, &journey.viewer);
    let ongoing = !breach.state.is_ended();
    let listed = Listed::of(state, at, ask).await?;
    let last_seen = state
        .store
        .last_seen(viewer, breach.id, section.kind.as_str())
        .await?;
    let mut shown = Vec::new();
    for entry in &listed.shown {
        shown.push(EntryView {
            id: entry.id.to_string(),
            text: open_body(key, entry)?,
            withdrawn: entry.state == EntryState::Withdrawn,
            // The partner's words, or the hurt partner's response to one's own statement.
            new: if entry.author == viewer {
                entry.responded_at.is_some_and(|at| is_new(at, last_seen))
            } else {
                is_new(entry.updated_at, last_seen)
            },
            follows: entry.follows.is_some(),
            sent_at: clock.at(entry.sent_at.unwrap_or(entry.created_at)),
            received: section.kind.is_marked_received(),
            received_at: entry.received_at.map(|t| clock.at(t)),
            withdrawn_at: entry.withdrawn_at.map(|t| clock.at(t)),
            can_mark_received: ongoing
                && may_mark_received(section.kind, role, entry.state, entry.received_at.is_some())
                    .is_ok(),
            can_withdraw: ongoing && may_withdraw(entry.author == viewer, entry.state).is_ok(),
            author: (section.kind == EntryKind::Context).then_some(if entry.author == viewer {
                key!("context.by_you")
            } else {
                key!("context.by_partner")
            }),
            response: entry.response.map(response_name),
            response_note: match &entry.response_note {
                Some(sealed) => Some(key.open(entry.id.0, fields::ENTRY_RESPONSE_NOTE, sealed)?),
                None => None,
            },
            responded_at: entry.responded_at.map(|t| clock.at(t)),
            can_respond: ongoing && may_respond(section.kind, role, entry.state).is_ok(),
        });
    }
    let is_writer = ongoing && may_write(section.kind, role).is_ok();
    let muted = breach.state.reassurance_muted_at.is_some();
    let notice = match section.kind {
        _ if !ongoing => Some(key!("journey.ended_readable")),
        EntryKind::Reassurance if muted && role == Role::RepairingPartner => {
            Some(key!("reassurance.muted_writer"))
        }
        EntryKind::Reassurance if muted => Some(key!("reassurance.muted_reader")),
        _ => None,
    };
    // The hurt partner's mute switch, on the page where the notes arrive.
    let mute = (ongoing && section.kind == EntryKind::Reassurance && role == Role::HurtPartner)
        .then_some(muted);
    let rhythm = if ongoing && section.kind == EntryKind::Recommitment && is_writer {
        Some(RhythmForm {
            choices: rhythm_choices(Some(breach.state.recommit_rhythm), false),
            next_due: recommitment_due(state, breach, viewer, clock.zone())
                .await?
                .map(|t| clock.at(t)),
        })
    } else {
        None
    };
    let existing = listed.draft;
    let entry_id = existing.as_ref().map(|d| d.id).unwrap_or_default();
    let draft = match (typed, &existing) {
        (Some(text), _) => text,
        (None, Some(d)) => open_body(key, d)?,
        (None, None) => String::new(),
    };
    let details = journey.details()?;
    let (has_sent, partner_sent) = (listed.has_sent, listed.partner_sent);
    let intro = if is_writer {
        Some(section.text.intro_writer)
    } else if may_write(section.kind, role).is_ok() {
        // The writer of an ended journey: nothing is to be written any more.
        None
    } else if partner_sent {
        Some(section.text.intro_reader_sent)
    } else {
        Some(section.text.intro_reader)
    };
    Ok(EntryPage {
        intro,
        notice,
        mute,
        rhythm,
        action_base: at.href(),
        entry_id: entry_id.to_string(),
        journey: journey.href(),
        text: &section.text,
        mode: section.mode.as_str(),
        is_writer,
        found_out: is_writer
            && section.kind == EntryKind::Acknowledgement
            && details.came_to_light.found_out_first(),
        following_up: has_sent,
        // The coach reads the repairing partner's words only: it never corrects the hurt
        // partner, who also writes in the context conversation.
        viewer_repairs: role == Role::RepairingPartner,
        coach: results_for(&draft, section.mode),
        draft,
        entries: shown,
        pager: listed.pager,
        errors,
        chrome: chrome.signed_in(),
    })
}
