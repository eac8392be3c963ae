//! The agreements of a space: propose, accept or decline, withdraw, and propose a change.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::agreement::{check_text, may_answer, may_revise, may_withdraw};
use mend_core::store::AgreementRecord;
use mend_core::{AgreementId, AgreementRefusal, AgreementState, SpaceId};
use mend_crypto::DataKey;

use crate::access::own_space;
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Form;
use crate::fields;
use crate::key;
use crate::once::{form_id, store_once, Kept, FORM_ID};
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::views::{render, render_with, AgreementView, AgreementsPage};

fn page_path(space: SpaceId) -> String {
    format!("/spaces/{space}/agreements")
}

fn open_text(key: &DataKey, a: &AgreementRecord) -> Result<String, WebError> {
    Ok(key.open(a.id.0, fields::AGREEMENT_TEXT, &a.text)?)
}

/// The proposal form as it is shown again: what it revises, what was typed, what was wrong.
#[derive(Default)]
struct ProposalForm {
    revising: Option<AgreementId>,
    typed: String,
    errors: Vec<&'static str>,
}

async fn render_page(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    space: SpaceId,
    key: &DataKey,
    form: ProposalForm,
) -> Result<AgreementsPage, WebError> {
    let ProposalForm {
        revising,
        typed,
        errors,
    } = form;
    let all = state.store.agreements(space).await?;
    let view = |a: &AgreementRecord| -> Result<AgreementView, WebError> {
        Ok(AgreementView {
            id: a.id.to_string(),
            text: open_text(key, a)?,
            is_revision: a.revises.is_some(),
            since: a.decided_at.map(|t| t.utc_minute()).unwrap_or_default(),
        })
    };
    let mut accepted = Vec::new();
    let mut waiting = Vec::new();
    let mut yours = Vec::new();
    for a in &all {
        match a.state {
            AgreementState::Accepted => accepted.push(view(a)?),
            AgreementState::Proposed if a.proposed_by == viewer.id() => yours.push(view(a)?),
            AgreementState::Proposed => waiting.push(view(a)?),
            _ => {}
        }
    }
    let revising = match revising {
        Some(id) => all
            .iter()
            .find(|a| a.id == id && may_revise(a.state).is_ok())
            .map(view)
            .transpose()?,
        None => None,
    };
    Ok(AgreementsPage {
        form_id: AgreementId::new().to_string(),
        chrome: chrome.signed_in(),
        action: page_path(space),
        accepted,
        waiting,
        yours,
        typed,
        revising,
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path(raw): Path<String>,
    crate::extract::Query(query): crate::extract::Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (space, key) = own_space(&state, &viewer, &raw).await?;
    let revising = query.get("revise").and_then(|v| v.parse().ok());
    let form = ProposalForm {
        revising,
        ..ProposalForm::default()
    };
    let page = render_page(&state, &viewer, chrome, space, &key, form).await?;
    Ok(render(&page))
}

pub async fn propose(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path(raw): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (space, key) = own_space(&state, &viewer, &raw).await?;
    let text = form.get("text").map(|t| t.trim()).unwrap_or("");
    let revises: Option<AgreementId> = match form.get("revises").map(String::as_str) {
        None | Some("") => None,
        Some(raw) => Some(raw.parse().map_err(|_| WebError::BadRequest)?),
    };
    let problem = match check_text(text) {
        Ok(()) => None,
        Err(AgreementRefusal::TooLong) => Some(key!("agreements.error_long")),
        Err(_) => Some(key!("agreements.error_empty")),
    };
    if let Some(problem) = problem {
        let typed = text.chars().take(mend_core::MAX_AGREEMENT_CHARS).collect();
        let form = ProposalForm {
            revising: revises,
            typed,
            errors: vec![problem],
        };
        let page = render_page(&state, &viewer, chrome, space, &key, form).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    if let Some(old) = revises {
        let current = state.store.agreements(space).await?;
        let target = current
            .iter()
            .find(|a| a.id == old)
            .ok_or(WebError::NotFound)?;
        may_revise(target.state).map_err(|_| changed())?;
    }
    let requested: AgreementId = form_id(&form, FORM_ID)?;
    let (state, viewer, key) = (&state, &viewer, &key);
    let propose = |id: AgreementId| {
        state.store.create_agreement(AgreementRecord {
            id,
            space,
            proposed_by: viewer.id(),
            text: key.seal(id.0, fields::AGREEMENT_TEXT, text),
            state: AgreementState::Proposed,
            revises,
            created_at: now(),
            decided_at: None,
        })
    };
    let kept = |id: AgreementId| async move {
        let agreements = state.store.agreements(space).await?;
        Ok(match agreements.iter().find(|a| a.id == id) {
            Some(a)
                if a.proposed_by == viewer.id()
                    && a.revises == revises
                    && key.open(a.id.0, fields::AGREEMENT_TEXT, &a.text)? == text =>
            {
                Kept::Same
            }
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    if store_once(requested, propose, kept).await?.is_new() {
        tracing::info!(%space, "agreement proposed");
    }
    Ok(Redirect::to(&page_path(space)).into_response())
}

fn changed() -> WebError {
    WebError::Refused {
        status: StatusCode::CONFLICT,
        title: key!("agreements.title"),
        body: key!("agreements.changed"),
    }
}

/// Accept, decline or withdraw a proposal.
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_id, action)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (space, _) = own_space(&state, &viewer, &raw_space).await?;
    let id: AgreementId = raw_id.parse().map_err(|_| WebError::NotFound)?;
    let to = match action.as_str() {
        "accept" => AgreementState::Accepted,
        "decline" => AgreementState::Declined,
        "withdraw" => AgreementState::Withdrawn,
        _ => return Err(WebError::NotFound),
    };
    let agreements = state.store.agreements(space).await?;
    let agreement = agreements
        .iter()
        .find(|a| a.id == id)
        .ok_or(WebError::NotFound)?;
    let allowed = match to {
        AgreementState::Withdrawn => {
            may_withdraw(agreement.proposed_by, viewer.id(), agreement.state)
        }
        _ => may_answer(agreement.proposed_by, viewer.id(), agreement.state),
    };
    match allowed {
        Ok(()) => {}
        Err(AgreementRefusal::NotOpen) => return Err(changed()),
        Err(_) => {
            return Err(WebError::Refused {
                status: StatusCode::FORBIDDEN,
                title: key!("agreements.title"),
                body: key!("agreements.not_yours"),
            })
        }
    }
    if !state
        .store
        .decide_agreement(space, id, to, viewer.id(), now())
        .await?
    {
        return Err(changed());
    }
    tracing::info!(%space, to = to.as_str(), "agreement decided");
    Ok(Redirect::to(&page_path(space)).into_response())
}
