//! Triggers: the hurt partner signals "I'm triggered" in one tap; the repairing partner sees
//! a short scaffold and replies, with the coach reading the reply in listening mode.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_coach::Mode;
use mend_core::store::{BreachRecord, TriggerRecord};
use mend_core::{Role, TriggerId};
use mend_crypto::DataKey;

use crate::access::{ongoing_breach, own_breach, role_of};
use crate::chrome::Chrome;
use crate::coaching::results_for;
use crate::error::WebError;
use crate::extract::Form;
use crate::fields;
use crate::key;
use crate::once::{form_id, store_once, Kept, FORM_ID};
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::views::{render, render_with, TriggerView, TriggersPage};

const MAX_CHARS: usize = 2_000;

fn page_path(breach: &BreachRecord) -> String {
    format!("/spaces/{}/breaches/{}/triggers", breach.space, breach.id)
}

fn refused() -> WebError {
    WebError::Refused {
        status: StatusCode::FORBIDDEN,
        title: key!("triggers.title"),
        body: key!("triggers.not_yours"),
    }
}

fn open(
    key: &DataKey,
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
    viewer: &Viewer,
    chrome: Chrome,
    breach: &BreachRecord,
    key: &DataKey,
    checking: Option<(TriggerId, String)>,
    errors: Vec<&'static str>,
) -> Result<TriggersPage, WebError> {
    let mut views = Vec::new();
    for t in state.store.triggers(breach.id).await? {
        let draft = checking
            .as_ref()
            .filter(|(id, _)| *id == t.id)
            .map(|(_, text)| text.clone())
            .unwrap_or_default();
        views.push(TriggerView {
            id: t.id.to_string(),
            note: open(key, t.id, fields::TRIGGER_NOTE, &t.note)?,
            signalled_on: t.created_at.utc_minute(),
            reply: open(key, t.id, fields::TRIGGER_REPLY, &t.reply)?,
            replied_on: t.replied_at.map(|at| at.utc_minute()),
            coach: results_for(&draft, Mode::Reflection),
            draft,
        });
    }
    Ok(TriggersPage {
        form_id: TriggerId::new().to_string(),
        ongoing: !breach.state.is_ended(),
        chrome: chrome.signed_in(),
        action: page_path(breach),
        journey: format!("/spaces/{}/breaches/{}", breach.space, breach.id),
        is_hurt: role_of(breach, viewer.id()) == Role::HurtPartner,
        triggers: views,
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (breach, key) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    Ok(render(
        &render_page(&state, &viewer, chrome, &breach, &key, None, Vec::new()).await?,
    ))
}

pub async fn signal(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    if role_of(&breach, viewer.id()) != Role::HurtPartner {
        return Err(refused());
    }
    let note = form.get("note").map(|n| n.trim()).unwrap_or("");
    if note.chars().count() > MAX_CHARS {
        let page = render_page(
            &state,
            &viewer,
            chrome,
            &breach,
            &key,
            None,
            vec![key!("triggers.error_long")],
        )
        .await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let requested: TriggerId = form_id(&form, FORM_ID)?;
    let (state, viewer, breach, key) = (&state, &viewer, &breach, &key);
    let signal = |id: TriggerId| {
        state.store.create_trigger(TriggerRecord {
            id,
            breach: breach.id,
            person: viewer.id(),
            note: (!mend_core::text::is_blank(note))
                .then(|| key.seal(id.0, fields::TRIGGER_NOTE, note)),
            created_at: now(),
            reply: None,
            replied_at: None,
        })
    };
    let kept = |id: TriggerId| async move {
        let triggers = state.store.triggers(breach.id).await?;
        Ok(match triggers.iter().find(|t| t.id == id) {
            Some(t) if t.person == viewer.id() => {
                let kept_note = match &t.note {
                    Some(sealed) => key.open(t.id.0, fields::TRIGGER_NOTE, sealed)?,
                    None => String::new(),
                };
                if kept_note == note {
                    Kept::Same
                } else {
                    Kept::Other
                }
            }
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    if store_once(requested, signal, kept).await?.is_new() {
        tracing::info!(breach = %breach.id, "trigger signalled");
    }
    Ok(Redirect::to(&page_path(breach)).into_response())
}

/// Replies to a trigger, or — with `check` — shows the coach's notes first, storing nothing.
pub async fn reply(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach, raw_trigger)): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    if role_of(&breach, viewer.id()) != Role::RepairingPartner {
        return Err(refused());
    }
    let id: TriggerId = raw_trigger.parse().map_err(|_| WebError::NotFound)?;
    if !state
        .store
        .triggers(breach.id)
        .await?
        .iter()
        .any(|t| t.id == id)
    {
        return Err(WebError::NotFound);
    }
    let text = form.get("text").map(String::as_str).unwrap_or("");
    let problem = if mend_core::text::is_blank(text) {
        Some(key!("triggers.error_empty"))
    } else if text.chars().count() > MAX_CHARS {
        Some(key!("triggers.error_long"))
    } else {
        None
    };
    let checking = form.contains_key("check");
    if problem.is_some() || checking {
        let draft: String = text.chars().take(MAX_CHARS).collect();
        let errors = problem.into_iter().collect();
        let page = render_page(
            &state,
            &viewer,
            chrome,
            &breach,
            &key,
            Some((id, draft)),
            errors,
        )
        .await?;
        let status = if problem.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        return Ok(render_with(status, &page));
    }
    let sealed = key.seal(id.0, fields::TRIGGER_REPLY, text);
    if !state
        .store
        .reply_to_trigger(breach.id, id, sealed, now())
        .await?
    {
        // Replied already: the same words are a double submit; other words (from another
        // tab) were not sent, and are said so.
        let kept = state.store.triggers(breach.id).await?;
        let same = match kept
            .iter()
            .find(|t| t.id == id)
            .and_then(|t| t.reply.as_ref())
        {
            Some(reply) => key.open(id.0, fields::TRIGGER_REPLY, reply)? == text,
            None => false,
        };
        if !same {
            return Err(WebError::Refused {
                status: StatusCode::CONFLICT,
                title: key!("triggers.title"),
                body: key!("triggers.replied_already"),
            });
        }
    }
    Ok(Redirect::to(&page_path(&breach)).into_response())
}
