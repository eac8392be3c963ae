//! The hurt partner's evidence log. Private entries are sealed with the keeper's own key and
//! listed only for them; sharing one seals a copy with the space key for the partner. The
//! sealing is [`crate::private_notes`]'s, shared with the journal.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::evidence::may_keep;
use mend_core::store::EvidenceRecord;
use mend_core::{Area, EvidenceId, Moment, WindowAsk};
use serde::Deserialize;

use crate::access::{JourneyAccess, Ongoing};
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::{Form, Path, Query};
use crate::fields;
use crate::key;
use crate::once::{store_once, FormId, Kept};
use crate::paging::{Pager, WindowQuery};
use crate::private_notes::{typed_again, words, NoteKeys};
use crate::session::now;
use crate::state::AppState;
use crate::views::{render, render_with, EvidencePage, EvidenceView};
use crate::when::LocalClock;

/// `/evidence/{entry}/…`
#[derive(Deserialize)]
pub struct EntryPath {
    entry: EvidenceId,
}

fn keys(journey: &JourneyAccess) -> NoteKeys<'_> {
    NoteKeys::new(&journey.viewer, &journey.key)
}

fn moment_name(moment: Moment) -> &'static str {
    match moment {
        Moment::Built => key!("evidence.built"),
        Moment::Shook => key!("evidence.shook"),
    }
}

/// How many entries the log shows at a time.
const WINDOW: usize = 20;

async fn render_page(
    state: &AppState,
    journey: &JourneyAccess,
    chrome: Chrome,
    ask: WindowAsk,
    typed: String,
    errors: Vec<&'static str>,
) -> Result<EvidencePage, WebError> {
    let viewer = journey.viewer_id();
    let clock = LocalClock::of(state.strings, &journey.viewer);
    let mut entries = Vec::new();
    let window = state
        .store
        .evidence_window(journey.id(), viewer, ask)
        .await?;
    let own: Vec<EvidenceId> = window
        .items
        .iter()
        .filter(|e| e.author == viewer)
        .map(|e| e.id)
        .collect();
    let with_counsellor = state
        .store
        .evidence_shared_with_counsellor(journey.id(), viewer, &own)
        .await?;
    // Only the entries of this window are opened.
    for e in &window.items {
        entries.push(EvidenceView {
            id: e.id.to_string(),
            moment: moment_name(e.moment),
            text: keys(journey).open(e)?,
            noted_on: clock.at(e.created_at),
            shared_on: e.shared_at.map(|t| clock.at(t)),
            can_share: e.author == viewer && e.shared_at.is_none(),
            can_unshare: e.author == viewer && e.shared_at.is_some(),
            with_counsellor: e.author == viewer && with_counsellor.contains(&e.id),
        });
    }
    Ok(EvidencePage {
        form_id: EvidenceId::new().to_string(),
        ongoing: !journey.breach.state.is_ended(),
        chrome: chrome.signed_in(),
        pager: Pager::of(&journey.page("evidence"), ask, &window),
        action: journey.page("evidence"),
        journey: journey.href(),
        keeper: may_keep(journey.role).is_ok(),
        counsellor: crate::routes::counsellor::counsellor_reads(state, journey.breach.space)
            .await?,
        entries,
        typed,
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    journey: JourneyAccess,
    chrome: Chrome,
    Query(window): Query<WindowQuery>,
) -> Result<Response, WebError> {
    let ask = window.ask(WINDOW);
    let mut page = render_page(&state, &journey, chrome, ask, String::new(), Vec::new()).await?;
    // Moments the partner shared wait on the dashboard until this page is opened.
    crate::waiting_view::opened(&state, &journey, "evidence", false, &mut page.chrome).await?;
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct EvidenceForm {
    #[serde(default)]
    text: String,
    /// Kept as sent: a missing or odd moment is a problem shown on the form.
    #[serde(default)]
    moment: String,
    #[serde(default)]
    form_id: FormId<EvidenceId>,
}

/// An entry that may be kept.
struct NewEntry<'a> {
    text: &'a str,
    moment: Moment,
}

impl EvidenceForm {
    /// The entry, or what the form shows again: the words typed and every problem.
    fn parse(&self) -> Result<NewEntry<'_>, (String, Vec<&'static str>)> {
        let text = words::<EvidenceRecord>(&self.text);
        let moment = Moment::parse(&self.moment);
        match (text, moment) {
            (Ok(text), Some(moment)) => Ok(NewEntry { text, moment }),
            (text, moment) => {
                let errors = text
                    .err()
                    .into_iter()
                    .chain(moment.is_none().then_some(key!("evidence.error_moment")))
                    .collect();
                Err((typed_again::<EvidenceRecord>(&self.text), errors))
            }
        }
    }
}

pub async fn add(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    chrome: Chrome,
    Form(form): Form<EvidenceForm>,
) -> Result<Response, WebError> {
    may_keep(journey.role)?;
    let NewEntry { text, moment } = match form.parse() {
        Ok(entry) => entry,
        Err((typed, errors)) => {
            let ask = WindowAsk::newest(WINDOW);
            let page = render_page(&state, &journey, chrome, ask, typed, errors).await?;
            return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let (state, journey, viewer) = (&state, &journey, &journey.viewer);
    let keep = |id: EvidenceId| {
        state.store.create_evidence(EvidenceRecord {
            id,
            breach: journey.id(),
            author: viewer.id(),
            moment,
            text: viewer.key.seal(id.0, fields::EVIDENCE_TEXT, text),
            created_at: now(),
            shared_at: None,
        })
    };
    let kept = |id: EvidenceId| async move {
        let entry = state
            .store
            .evidence_entry(journey.id(), viewer.id(), id)
            .await?;
        Ok(match entry {
            Some(e) if e.moment == moment && keys(journey).is_same(&e, text)? => Kept::Same,
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    if store_once(form.form_id.0, keep, kept).await?.is_new() {
        journey.area_begins(state, Area::Honesty).await?;
    }
    Ok(Redirect::to(&journey.page("evidence")).into_response())
}

/// The entry `id` among those the keeper may see; anything else is not found.
async fn readable_entry(
    state: &AppState,
    journey: &JourneyAccess,
    id: EvidenceId,
) -> Result<EvidenceRecord, WebError> {
    state
        .store
        .evidence_entry(journey.id(), journey.viewer_id(), id)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn share(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(EntryPath { entry }): Path<EntryPath>,
) -> Result<Response, WebError> {
    may_keep(journey.role)?;
    let note = readable_entry(&state, &journey, entry).await?;
    let (breach, author) = (journey.id(), journey.viewer_id());
    let share = |sealed| {
        state
            .store
            .share_evidence(breach, entry, author, sealed, now())
    };
    if keys(&journey).share(&note, share).await? {
        tracing::info!(%breach, "evidence entry shared");
    }
    Ok(Redirect::to(&journey.page("evidence")).into_response())
}

/// Takes a shared entry back: the partner no longer sees it, and its text is sealed with the
/// hurt partner's own key again.
pub async fn unshare(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(EntryPath { entry }): Path<EntryPath>,
) -> Result<Response, WebError> {
    may_keep(journey.role)?;
    let note = readable_entry(&state, &journey, entry).await?;
    let (breach, author) = (journey.id(), journey.viewer_id());
    let unshare = |sealed| state.store.unshare_evidence(breach, entry, author, sealed);
    if keys(&journey).unshare(&note, unshare).await? {
        tracing::info!(%breach, "evidence entry taken back");
    }
    Ok(Redirect::to(&journey.page("evidence")).into_response())
}

/// Shares one of the keeper's entries with the counsellor only (issue 14). A second click
/// finds it shared already and changes nothing.
pub async fn share_with_counsellor(
    State(state): State<AppState>,
    journey: JourneyAccess,
    Path(EntryPath { entry }): Path<EntryPath>,
) -> Result<Response, WebError> {
    let note = readable_entry(&state, &journey, entry).await?;
    let reads = crate::routes::counsellor::counsellor_reads(&state, journey.breach.space).await?;
    let copy = keys(&journey).copy_for_counsellor(&note, reads)?;
    if state
        .store
        .share_evidence_with_counsellor(journey.id(), entry, journey.viewer_id(), copy, now())
        .await?
    {
        tracing::info!(breach = %journey.id(), "evidence entry shared with the counsellor");
    }
    Ok(Redirect::to(&journey.page("evidence")).into_response())
}

/// Takes the counsellor's copy back, whether or not a counsellor still reads the space.
pub async fn unshare_from_counsellor(
    State(state): State<AppState>,
    journey: JourneyAccess,
    Path(EntryPath { entry }): Path<EntryPath>,
) -> Result<Response, WebError> {
    let note = readable_entry(&state, &journey, entry).await?;
    mend_core::may_share_with_counsellor(note.author, journey.viewer_id(), true)?;
    if state
        .store
        .unshare_evidence_from_counsellor(journey.id(), entry, journey.viewer_id())
        .await?
    {
        tracing::info!(breach = %journey.id(), "evidence entry taken back from the counsellor");
    }
    Ok(Redirect::to(&journey.page("evidence")).into_response())
}
