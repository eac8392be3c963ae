//! Triggers: the hurt partner signals "I'm triggered" in one tap; the repairing partner sees
//! a short scaffold and replies, with the coach reading the reply in listening mode.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_coach::Mode;
use mend_core::store::TriggerRecord;
use mend_core::trigger::{may_reply, may_signal, TriggerRefusal, MAX_TRIGGER_CHARS};
use mend_core::TriggerId;
use mend_crypto::SpaceKeys;
use serde::Deserialize;

use crate::access::{JourneyAccess, Ongoing};
use crate::chrome::Chrome;
use crate::coaching::results_for;
use crate::error::WebError;
use crate::extract::{Form, Path};
use crate::fields;
use crate::key;
use crate::once::{store_once, FormId, Kept};
use crate::session::now;
use crate::state::AppState;
use crate::views::{render, render_with, TriggerView, TriggersPage};
use crate::when::LocalClock;

/// `/triggers/{trigger}/…`
#[derive(Deserialize)]
pub struct TriggerPath {
    trigger: TriggerId,
}

fn open(
    key: &SpaceKeys,
    id: TriggerId,
    field: &str,
    sealed: &Option<mend_crypto::Sealed>,
) -> Result<Option<String>, WebError> {
    match sealed {
        Some(s) => Ok(Some(key.open(id.0, field, s)?)),
        None => Ok(None),
    }
}

/// The page, with an optional reply being checked with the coach and form errors.
async fn render_page(
    state: &AppState,
    journey: &JourneyAccess,
    chrome: Chrome,
    checking: Option<(TriggerId, String)>,
    errors: Vec<&'static str>,
) -> Result<TriggersPage, WebError> {
    let key = &journey.key;
    let clock = LocalClock::of(state.strings, &journey.viewer);
    let mut views = Vec::new();
    for t in state.store.triggers(journey.id()).await? {
        let draft = checking
            .as_ref()
            .filter(|(id, _)| *id == t.id)
            .map(|(_, text)| text.clone())
            .unwrap_or_default();
        views.push(TriggerView {
            id: t.id.to_string(),
            note: open(key, t.id, fields::TRIGGER_NOTE, &t.note)?,
            signalled_on: clock.at(t.created_at),
            reply: open(key, t.id, fields::TRIGGER_REPLY, &t.reply)?,
            replied_on: t.replied_at.map(|at| clock.at(at)),
            coach: results_for(&draft, Mode::Reflection),
            draft,
        });
    }
    Ok(TriggersPage {
        form_id: TriggerId::new().to_string(),
        ongoing: !journey.breach.state.is_ended(),
        chrome: chrome.signed_in(),
        action: journey.page("triggers"),
        journey: journey.href(),
        is_hurt: journey.is_hurt(),
        triggers: views,
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    journey: JourneyAccess,
    chrome: Chrome,
) -> Result<Response, WebError> {
    let mut page = render_page(&state, &journey, chrome, None, Vec::new()).await?;
    // Replies the viewer has not seen wait on the dashboard until this page is opened.
    crate::waiting_view::opened(&state, &journey, "triggers", false, &mut page.chrome).await?;
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct SignalForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    form_id: FormId<TriggerId>,
}

pub async fn signal(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    chrome: Chrome,
    Form(form): Form<SignalForm>,
) -> Result<Response, WebError> {
    may_signal(journey.role)?;
    let note = form.note.trim();
    if note.chars().count() > MAX_TRIGGER_CHARS {
        let errors = vec![key!("triggers.error_long")];
        let page = render_page(&state, &journey, chrome, None, errors).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let (state, journey, key) = (&state, &journey, &journey.key);
    let signal = |id: TriggerId| {
        state.store.create_trigger(TriggerRecord {
            id,
            breach: journey.id(),
            person: journey.viewer_id(),
            note: (!mend_core::text::is_blank(note))
                .then(|| key.seal(id.0, fields::TRIGGER_NOTE, note)),
            created_at: now(),
            reply: None,
            replied_at: None,
        })
    };
    let kept = |id: TriggerId| async move {
        let triggers = state.store.triggers(journey.id()).await?;
        Ok(match triggers.iter().find(|t| t.id == id) {
            Some(t) if t.person == journey.viewer_id() => {
                let kept_note = open(key, t.id, fields::TRIGGER_NOTE, &t.note)?;
                if kept_note.as_deref().unwrap_or("") == note {
                    Kept::Same
                } else {
                    Kept::Other
                }
            }
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    if store_once(form.form_id.0, signal, kept).await?.is_new() {
        tracing::info!(breach = %journey.id(), "trigger signalled");
    }
    Ok(Redirect::to(&journey.page("triggers")).into_response())
}

#[derive(Deserialize)]
pub struct ReplyForm {
    /// Kept as typed, untrimmed: it is checked with the coach as it stands.
    #[serde(default)]
    text: String,
    /// Present when the reply is to be checked with the coach first rather than sent.
    #[serde(default)]
    check: Option<String>,
}

impl ReplyForm {
    /// What is wrong with the reply, if anything.
    fn problem(&self) -> Option<&'static str> {
        if mend_core::text::is_blank(&self.text) {
            Some(key!("triggers.error_empty"))
        } else if self.text.chars().count() > MAX_TRIGGER_CHARS {
            Some(key!("triggers.error_long"))
        } else {
            None
        }
    }
}

/// Replies to a trigger, or — with `check` — shows the coach's notes first, storing nothing.
pub async fn reply(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(TriggerPath { trigger: id }): Path<TriggerPath>,
    chrome: Chrome,
    Form(form): Form<ReplyForm>,
) -> Result<Response, WebError> {
    may_reply(journey.role)?;
    if !state
        .store
        .triggers(journey.id())
        .await?
        .iter()
        .any(|t| t.id == id)
    {
        return Err(WebError::NotFound);
    }
    let text = form.text.as_str();
    let problem = form.problem();
    if problem.is_some() || form.check.is_some() {
        let draft: String = text.chars().take(MAX_TRIGGER_CHARS).collect();
        let errors = problem.into_iter().collect();
        let page = render_page(&state, &journey, chrome, Some((id, draft)), errors).await?;
        let status = if problem.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        return Ok(render_with(status, &page));
    }
    let key = &journey.key;
    let sealed = key.seal(id.0, fields::TRIGGER_REPLY, text);
    if !state
        .store
        .reply_to_trigger(journey.id(), id, sealed, now())
        .await?
    {
        // Replied already: the same words are a double submit; other words (from another
        // tab) were not sent, and are said so.
        let kept = state.store.triggers(journey.id()).await?;
        let same = match kept
            .iter()
            .find(|t| t.id == id)
            .and_then(|t| t.reply.as_ref())
        {
            Some(reply) => key.open(id.0, fields::TRIGGER_REPLY, reply)? == text,
            None => false,
        };
        if !same {
            return Err(TriggerRefusal::RepliedAlready.into());
        }
    }
    Ok(Redirect::to(&journey.page("triggers")).into_response())
}
