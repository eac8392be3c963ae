//! Written entries of a journey — the acknowledgement, the honesty pledge, further
//! disclosures, the accountability statement, the intention and its recommitments,
//! reassurance notes, "my side" and the context conversation. The writer drafts privately
//! (saved as they type, with the coach's notes), sends, may follow up or withdraw; the reader
//! sees what was sent, marks the acknowledgement received and responds to the accountability
//! statement. One module serves every kind through [`Section`].

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::entry::{check_text, may_mark_received, may_respond, may_withdraw, may_write};
use mend_core::store::{BreachRecord, EntryRecord};
use mend_core::{
    EntryId, EntryKind, EntryRefusal, EntryState, FollowUp, Gate, Role, StatementResponse,
    StoreError,
};
use mend_crypto::DataKey;

use crate::access::{area_begins, ongoing_breach, own_breach, role_of};
use crate::chrome::Chrome;
use crate::coaching::results_for;
use crate::due::recommitment_due;
use crate::error::WebError;
use crate::extract::Form;
use crate::fields;
use crate::key;
use crate::names::response_name;
use crate::names::rhythm_choices;
use crate::once::{store_once, Kept, Stored};
use crate::opened::breach_details as open_details;
use crate::sections::section;
use crate::sections::Section;
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::unread::is_new;
use crate::views::{render, render_with, EntryPage, EntryView, RhythmForm, SavedFragment};

fn page_path(breach: &BreachRecord, section: &Section) -> String {
    format!(
        "/spaces/{}/breaches/{}/{}",
        breach.space, breach.id, section.path
    )
}

fn refused(section: &Section, body: &'static str, status: StatusCode) -> WebError {
    WebError::Refused {
        status,
        title: section.text.title,
        body,
    }
}

fn writer_only(section: &Section, role: Role) -> Result<(), WebError> {
    may_write(section.kind, role)
        .map_err(|_| refused(section, key!("entry.not_yours"), StatusCode::FORBIDDEN))
}

/// The viewer's own draft, if they have one.
fn own_draft(entries: &[EntryRecord], viewer: &Viewer) -> Option<EntryRecord> {
    entries
        .iter()
        .find(|e| e.state == EntryState::Draft && e.author == viewer.id())
        .cloned()
}

fn open_body(key: &DataKey, entry: &EntryRecord) -> Result<String, WebError> {
    match &entry.body {
        Some(sealed) => Ok(key.open(entry.id.0, fields::ENTRY_BODY, sealed)?),
        None => Ok(String::new()),
    }
}

/// A journey and the section of it a request is about.
struct Place {
    breach: BreachRecord,
    key: DataKey,
    section: &'static Section,
}

/// Whether a request reads a section or changes something in it.
#[derive(PartialEq)]
enum Purpose {
    Read,
    Change,
}

async fn place(
    state: &AppState,
    viewer: &Viewer,
    raw: &(String, String, String),
    purpose: Purpose,
) -> Result<Place, WebError> {
    let section = section(&raw.2)?;
    let (breach, key) = match purpose {
        Purpose::Read => own_breach(state, viewer, &raw.0, &raw.1).await?,
        Purpose::Change => ongoing_breach(state, viewer, &raw.0, &raw.1).await?,
    };
    // "My side" and the context conversation stay closed, for reading and writing alike,
    // until the hurt partner opens them.
    let closed = match section.kind.gate() {
        Gate::Always => None,
        Gate::MySide => breach
            .state
            .my_side_opened_at
            .is_none()
            .then_some(key!("my_side.closed")),
        Gate::Context => breach
            .state
            .context_opened_at
            .is_none()
            .then_some(key!("context.closed")),
    };
    if let Some(body) = closed {
        return Err(refused(section, body, StatusCode::FORBIDDEN));
    }
    Ok(Place {
        breach,
        key,
        section,
    })
}

async fn render_page(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    at: &Place,
    typed: Option<String>,
    errors: Vec<&'static str>,
) -> Result<EntryPage, WebError> {
    let (breach, key, section) = (&at.breach, &at.key, at.section);
    let role = role_of(breach, viewer.id());
    let ongoing = !breach.state.is_ended();
    let entries = state
        .store
        .entries_for(breach.id, section.kind, viewer.id())
        .await?;
    let last_seen = state
        .store
        .last_seen(viewer.id(), breach.id, section.path)
        .await?;
    let mut shown = Vec::new();
    for entry in entries.iter().filter(|e| e.state != EntryState::Draft) {
        shown.push(EntryView {
            id: entry.id.to_string(),
            text: open_body(key, entry)?,
            withdrawn: entry.state == EntryState::Withdrawn,
            // The partner's words, or the hurt partner's response to one's own statement.
            new: if entry.author == viewer.id() {
                entry.responded_at.is_some_and(|at| is_new(at, last_seen))
            } else {
                is_new(entry.updated_at, last_seen)
            },
            follows: entry.follows.is_some(),
            sent_at: entry.sent_at.map(|t| t.utc_minute()).unwrap_or_default(),
            received: section.kind.is_marked_received(),
            received_at: entry.received_at.map(|t| t.utc_minute()),
            withdrawn_at: entry.withdrawn_at.map(|t| t.utc_minute()),
            can_mark_received: ongoing
                && may_mark_received(section.kind, role, entry.state, entry.received_at.is_some())
                    .is_ok(),
            can_withdraw: ongoing && may_withdraw(entry.author == viewer.id(), entry.state).is_ok(),
            author: (section.kind == EntryKind::Context).then_some(
                if entry.author == viewer.id() {
                    key!("context.by_you")
                } else {
                    key!("context.by_partner")
                },
            ),
            response: entry.response.map(response_name),
            response_note: match &entry.response_note {
                Some(sealed) => Some(key.open(entry.id.0, fields::ENTRY_RESPONSE_NOTE, sealed)?),
                None => None,
            },
            responded_at: entry.responded_at.map(|t| t.utc_minute()),
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
            next_due: recommitment_due(state, breach, viewer.id())
                .await?
                .map(|t| t.utc_minute()),
        })
    } else {
        None
    };
    let existing = own_draft(&entries, viewer);
    let entry_id = existing.as_ref().map(|d| d.id).unwrap_or_default();
    let draft = match (typed, &existing) {
        (Some(text), _) => text,
        (None, Some(d)) => open_body(key, d)?,
        (None, None) => String::new(),
    };
    let details = open_details(key, breach)?;
    let has_sent = entries.iter().any(|e| e.state == EntryState::Sent);
    Ok(EntryPage {
        notice,
        mute,
        rhythm,
        action_base: page_path(breach, section),
        entry_id: entry_id.to_string(),
        journey: format!("/spaces/{}/breaches/{}", breach.space, breach.id),
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
        errors,
        chrome: chrome.signed_in(),
    })
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path(raw): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let at = place(&state, &viewer, &raw, Purpose::Read).await?;
    let page = render_page(&state, &viewer, chrome, &at, None, Vec::new()).await?;
    state
        .store
        .mark_seen(viewer.id(), at.breach.id, at.section.path, now())
        .await?;
    Ok(render(&page))
}

/// What saving a draft came to.
enum Saved {
    Draft,
    /// The entry the form was written for has been sent already: this is a resubmission.
    AlreadySent,
    /// The writer keeps another draft of this section, from another tab or window: the
    /// form's words were not saved, so as not to write over that one.
    Elsewhere,
}

/// The earlier entry a new one of this section follows, if any.
async fn follows(
    state: &AppState,
    viewer: &Viewer,
    at: &Place,
    entries: &[EntryRecord],
) -> Result<Option<EntryId>, WebError> {
    let latest_sent = |list: &[EntryRecord]| {
        list.iter()
            .rev()
            .find(|e| e.state == EntryState::Sent)
            .map(|e| e.id)
    };
    Ok(match at.section.kind.follow_up() {
        FollowUp::Correction => latest_sent(entries),
        FollowUp::AddsToAcknowledgement => {
            let acks = state
                .store
                .entries_for(at.breach.id, EntryKind::Acknowledgement, viewer.id())
                .await?;
            latest_sent(&acks)
        }
        FollowUp::Standalone => None,
    })
}

/// Saves the viewer's draft under the entry id the page gave its form, creating it on first
/// save. Only that entry is ever written: a form whose id is unknown starts its own draft.
async fn save_draft(
    state: &AppState,
    viewer: &Viewer,
    at: &Place,
    text: &str,
    requested: EntryId,
) -> Result<Saved, WebError> {
    let entries = state
        .store
        .entries_for(at.breach.id, at.section.kind, viewer.id())
        .await?;
    let now = now();
    let update = || async {
        let sealed = at.key.seal(requested.0, fields::ENTRY_BODY, text);
        Ok::<_, WebError>(
            if state
                .store
                .update_draft(requested, viewer.id(), sealed, now)
                .await?
            {
                Saved::Draft
            } else {
                Saved::AlreadySent
            },
        )
    };
    match entries.iter().find(|e| e.id == requested) {
        Some(entry) if entry.author != viewer.id() => return Err(WebError::NotFound),
        Some(entry) if entry.state != EntryState::Draft => return Ok(Saved::AlreadySent),
        Some(_) => return update().await,
        None => {}
    }
    let created = state
        .store
        .create_draft(EntryRecord {
            id: requested,
            breach: at.breach.id,
            kind: at.section.kind,
            author: viewer.id(),
            body: Some(at.key.seal(requested.0, fields::ENTRY_BODY, text)),
            state: EntryState::Draft,
            follows: follows(state, viewer, at, &entries).await?,
            created_at: now,
            updated_at: now,
            sent_at: None,
            received_at: None,
            withdrawn_at: None,
            response: None,
            response_note: None,
            responded_at: None,
        })
        .await;
    match created {
        Ok(()) => Ok(Saved::Draft),
        // Either this form was saved a moment ago (two saves at once), or the writer keeps
        // another draft here.
        Err(StoreError::Conflict(_)) => {
            let now_kept = state
                .store
                .entries_for(at.breach.id, at.section.kind, viewer.id())
                .await?;
            match now_kept.iter().find(|e| e.id == requested) {
                Some(e) if e.author == viewer.id() && e.state == EntryState::Draft => {
                    update().await
                }
                Some(e) if e.author == viewer.id() => Ok(Saved::AlreadySent),
                _ => Ok(Saved::Elsewhere),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Sends the form's words as the entry it names: its draft if there is one, else a new entry,
/// in one store call. Sent again, the same words are recognised and nothing more is sent; an
/// old form sent with other words becomes an entry of its own.
async fn send_once(
    state: &AppState,
    viewer: &Viewer,
    at: &Place,
    text: &str,
    requested: EntryId,
) -> Result<Stored<EntryId>, WebError> {
    let entries = state
        .store
        .entries_for(at.breach.id, at.section.kind, viewer.id())
        .await?;
    let follows = follows(state, viewer, at, &entries).await?;
    let now = now();
    let send = |id: EntryId| {
        state.store.send_entry(EntryRecord {
            id,
            breach: at.breach.id,
            kind: at.section.kind,
            author: viewer.id(),
            body: Some(at.key.seal(id.0, fields::ENTRY_BODY, text)),
            state: EntryState::Sent,
            follows,
            created_at: now,
            updated_at: now,
            sent_at: Some(now),
            received_at: None,
            withdrawn_at: None,
            response: None,
            response_note: None,
            responded_at: None,
        })
    };
    let kept = |id: EntryId| async move {
        let entries = state
            .store
            .entries_for(at.breach.id, at.section.kind, viewer.id())
            .await?;
        Ok(match entries.iter().find(|e| e.id == id) {
            Some(e) if e.author == viewer.id() && e.state == EntryState::Sent => {
                if open_body(&at.key, e)? == text {
                    Kept::Same
                } else {
                    Kept::Other
                }
            }
            // Anything else, a withdrawn entry included (its words are gone, so this form's
            // cannot be told from others): the words sent now are stored as their own entry.
            _ => Kept::Other,
        })
    };
    store_once(requested, send, kept).await
}

/// The entry id the form was rendered for.
fn requested_entry(form: &HashMap<String, String>) -> Result<EntryId, WebError> {
    form.get("entry")
        .and_then(|v| v.parse().ok())
        .ok_or(WebError::BadRequest)
}

/// The section's page again with the words the person sent still in the box, saying why they
/// were not taken as they were.
async fn shown_again(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    at: &Place,
    text: &str,
    status: StatusCode,
    problems: Vec<&'static str>,
) -> Result<Response, WebError> {
    let page = render_page(state, viewer, chrome, at, Some(text.to_owned()), problems).await?;
    Ok(render_with(status, &page))
}

fn text_problem(section: &Section, refusal: EntryRefusal) -> &'static str {
    match refusal {
        EntryRefusal::TooLong => key!("entry.error_long"),
        _ => section.text.error_empty,
    }
}

pub async fn draft(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    headers: HeaderMap,
    Path(raw): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let at = place(&state, &viewer, &raw, Purpose::Change).await?;
    writer_only(at.section, role_of(&at.breach, viewer.id()))?;
    let text = form.get("text").map(String::as_str).unwrap_or("");
    let live = headers.contains_key("hx-request");
    if let Err(EntryRefusal::TooLong) = check_text(text) {
        if live {
            return Ok(render(&SavedFragment {
                chrome,
                message: key!("entry.error_long"),
            }));
        }
        let problems = vec![key!("entry.error_long")];
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return shown_again(&state, &viewer, chrome, &at, text, status, problems).await;
    }
    let saved = save_draft(&state, &viewer, &at, text, requested_entry(&form)?).await?;
    if live {
        let message = match saved {
            Saved::Draft => key!("entry.saved"),
            Saved::AlreadySent => key!("entry.gone"),
            Saved::Elsewhere => key!("entry.draft_elsewhere"),
        };
        return Ok(render(&SavedFragment { chrome, message }));
    }
    if let Saved::Elsewhere = saved {
        let problems = vec![key!("entry.draft_elsewhere")];
        return shown_again(
            &state,
            &viewer,
            chrome,
            &at,
            text,
            StatusCode::CONFLICT,
            problems,
        )
        .await;
    }
    Ok(Redirect::to(&page_path(&at.breach, at.section)).into_response())
}

pub async fn send(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path(raw): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let at = place(&state, &viewer, &raw, Purpose::Change).await?;
    writer_only(at.section, role_of(&at.breach, viewer.id()))?;
    let text = form.get("text").map(String::as_str).unwrap_or("");
    if let Err(refusal) = check_text(text) {
        let problems = vec![text_problem(at.section, refusal)];
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return shown_again(&state, &viewer, chrome, &at, text, status, problems).await;
    }
    // While the hurt partner has muted reassurance notes, one can be kept as a draft only.
    if at.section.kind == EntryKind::Reassurance && at.breach.state.reassurance_muted_at.is_some() {
        let mut errors = vec![key!("reassurance.muted_writer")];
        if let Saved::Elsewhere =
            save_draft(&state, &viewer, &at, text, requested_entry(&form)?).await?
        {
            errors.push(key!("entry.draft_elsewhere"));
        }
        return shown_again(
            &state,
            &viewer,
            chrome,
            &at,
            text,
            StatusCode::CONFLICT,
            errors,
        )
        .await;
    }
    // A resubmitted form, or one sent a moment ago from elsewhere, sends nothing twice.
    if send_once(&state, &viewer, &at, text, requested_entry(&form)?)
        .await?
        .is_new()
    {
        tracing::info!(breach = %at.breach.id, kind = at.section.kind.as_str(), "entry sent");
        area_begins(&state, &at.breach, at.section.kind.area(), viewer.id()).await?;
    }
    Ok(Redirect::to(&page_path(&at.breach, at.section)).into_response())
}

/// The entry named in the path, among those of the section the viewer may see.
async fn visible_entry(
    state: &AppState,
    viewer: &Viewer,
    at: &Place,
    raw: &str,
) -> Result<EntryRecord, WebError> {
    let id: EntryId = raw.parse().map_err(|_| WebError::NotFound)?;
    state
        .store
        .entries_for(at.breach.id, at.section.kind, viewer.id())
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(WebError::NotFound)
}

pub async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((space, breach, section, entry)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    let at = place(&state, &viewer, &(space, breach, section), Purpose::Change).await?;
    let entry = visible_entry(&state, &viewer, &at, &entry).await?;
    match may_withdraw(entry.author == viewer.id(), entry.state) {
        Ok(()) => {}
        Err(EntryRefusal::NotTheAuthor) => {
            return Err(refused(
                at.section,
                key!("entry.not_yours"),
                StatusCode::FORBIDDEN,
            ))
        }
        Err(_) => {
            return Err(refused(
                at.section,
                key!("entry.gone"),
                StatusCode::CONFLICT,
            ))
        }
    }
    if !state
        .store
        .withdraw_entry(entry.id, viewer.id(), now())
        .await?
    {
        return Err(refused(
            at.section,
            key!("entry.gone"),
            StatusCode::CONFLICT,
        ));
    }
    tracing::info!(breach = %at.breach.id, kind = at.section.kind.as_str(), "entry withdrawn");
    Ok(Redirect::to(&page_path(&at.breach, at.section)).into_response())
}

pub async fn received(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((space, breach, section, entry)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    let at = place(&state, &viewer, &(space, breach, section), Purpose::Change).await?;
    let entry = visible_entry(&state, &viewer, &at, &entry).await?;
    let role = role_of(&at.breach, viewer.id());
    match may_mark_received(
        at.section.kind,
        role,
        entry.state,
        entry.received_at.is_some(),
    ) {
        Ok(()) => {}
        Err(EntryRefusal::NotTheReader) => {
            return Err(refused(
                at.section,
                key!("journey.not_yours"),
                StatusCode::FORBIDDEN,
            ))
        }
        // Already received, or withdrawn meanwhile: a double submit changes nothing.
        Err(_) if at.section.kind.is_marked_received() => {
            return Ok(Redirect::to(&page_path(&at.breach, at.section)).into_response())
        }
        Err(_) => return Err(WebError::NotFound),
    }
    state
        .store
        .mark_received(at.breach.id, entry.id, now())
        .await?;
    tracing::info!(breach = %at.breach.id, "acknowledgement received");
    Ok(Redirect::to(&page_path(&at.breach, at.section)).into_response())
}

/// The hurt partner's response to an accountability statement: it feels genuine, or something
/// is missing (and, if they like, what). It may change later.
pub async fn respond(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((space, breach, section, entry)): Path<(String, String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let at = place(&state, &viewer, &(space, breach, section), Purpose::Change).await?;
    let entry = visible_entry(&state, &viewer, &at, &entry).await?;
    match may_respond(
        at.section.kind,
        role_of(&at.breach, viewer.id()),
        entry.state,
    ) {
        Ok(()) => {}
        Err(EntryRefusal::NotTheResponder) => {
            return Err(refused(
                at.section,
                key!("accountability.not_yours"),
                StatusCode::FORBIDDEN,
            ))
        }
        Err(_) => return Err(WebError::NotFound),
    }
    let response = form
        .get("response")
        .and_then(|v| StatementResponse::parse(v))
        .ok_or(WebError::BadRequest)?;
    let note = form.get("note").map(|n| n.trim()).unwrap_or("");
    if note.chars().count() > mend_core::MAX_ENTRY_CHARS {
        return Err(refused(
            at.section,
            key!("entry.error_long"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let sealed = (!mend_core::text::is_blank(note)
        && response == StatementResponse::SomethingMissing)
        .then(|| at.key.seal(entry.id.0, fields::ENTRY_RESPONSE_NOTE, note));
    state
        .store
        .respond_to_statement(at.breach.id, entry.id, response, sealed, now())
        .await?;
    tracing::info!(breach = %at.breach.id, "accountability statement responded to");
    Ok(Redirect::to(&format!(
        "{}#entry-{}",
        page_path(&at.breach, at.section),
        entry.id
    ))
    .into_response())
}
