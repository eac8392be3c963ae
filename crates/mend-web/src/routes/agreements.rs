//! The agreements of a space: propose, accept or decline, withdraw, and propose a change.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::agreement::{check_text, may_answer, may_revise, may_withdraw};
use mend_core::store::AgreementRecord;
use mend_core::{AgreementId, AgreementRefusal, AgreementState, SpaceId};
use serde::Deserialize;

use crate::access::SpaceAccess;
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::{Form, Path, Query};
use crate::fields;
use crate::key;
use crate::once::{store_once, FormId, Kept};
use crate::opened::agreement_text;
use crate::session::now;
use crate::state::AppState;
use crate::views::{render, render_with, AgreementView, AgreementsPage};
use crate::when::LocalClock;

fn page_path(space: SpaceId) -> String {
    format!("/spaces/{space}/agreements")
}

/// The proposal form as it is shown again: what it revises, what was typed, what was wrong.
#[derive(Default)]
struct ShownForm {
    revising: Option<AgreementId>,
    typed: String,
    errors: Vec<&'static str>,
}

async fn render_page(
    state: &AppState,
    access: &SpaceAccess,
    chrome: Chrome,
    form: ShownForm,
) -> Result<AgreementsPage, WebError> {
    let (space, viewer, key) = (access.space, &access.viewer, &access.key);
    let clock = LocalClock::of(state.strings, viewer);
    let ShownForm {
        revising,
        typed,
        errors,
    } = form;
    let all = state.store.agreements(space).await?;
    let view = |a: &AgreementRecord| -> Result<AgreementView, WebError> {
        Ok(AgreementView {
            id: a.id.to_string(),
            text: agreement_text(key, a)?,
            is_revision: a.revises.is_some(),
            since: clock.at(a.decided_at.unwrap_or(a.created_at)),
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

/// `?revise=<id>`: the accepted agreement a change is proposed to. Anything else shows the page
/// without it.
#[derive(Deserialize)]
pub struct PageQuery {
    revise: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    space: SpaceAccess,
    chrome: Chrome,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let form = ShownForm {
        revising: query.revise.and_then(|v| v.parse().ok()),
        ..ShownForm::default()
    };
    let page = render_page(&state, &space, chrome, form).await?;
    Ok(render(&page))
}

/// A proposal as sent: its words, and the accepted agreement it would change, if any.
#[derive(Deserialize)]
pub struct ProposalForm {
    #[serde(default)]
    text: String,
    #[serde(default, deserialize_with = "optional_id")]
    revises: Option<AgreementId>,
    #[serde(default)]
    form_id: FormId<AgreementId>,
}

/// An empty field is no id; anything else must be one, or the form is malformed.
fn optional_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<AgreementId>, D::Error> {
    match <std::borrow::Cow<'de, str>>::deserialize(d)?.as_ref() {
        "" => Ok(None),
        raw => raw
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom("not a valid agreement id")),
    }
}

/// What is wrong with a proposal's words, as the form shows it.
fn text_problem(text: &str) -> Option<&'static str> {
    match check_text(text) {
        Ok(()) => None,
        Err(AgreementRefusal::TooLong) => Some(key!("agreements.error_long")),
        Err(_) => Some(key!("agreements.error_empty")),
    }
}

pub async fn propose(
    State(state): State<AppState>,
    access: SpaceAccess,
    chrome: Chrome,
    Form(form): Form<ProposalForm>,
) -> Result<Response, WebError> {
    let text = form.text.trim();
    let revises = form.revises;
    if let Some(problem) = text_problem(text) {
        let typed = text.chars().take(mend_core::MAX_AGREEMENT_CHARS).collect();
        let form = ShownForm {
            revising: revises,
            typed,
            errors: vec![problem],
        };
        let page = render_page(&state, &access, chrome, form).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let (space, viewer, key) = (access.space, &access.viewer, &access.key);
    if let Some(old) = revises {
        let current = state.store.agreements(space).await?;
        let target = current
            .iter()
            .find(|a| a.id == old)
            .ok_or(WebError::NotFound)?;
        may_revise(target.state)?;
    }
    let state = &state;
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
                    && agreement_text(key, a)? == text =>
            {
                Kept::Same
            }
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    if store_once(form.form_id.0, propose, kept).await?.is_new() {
        tracing::info!(%space, "agreement proposed");
    }
    Ok(Redirect::to(&page_path(space)).into_response())
}

/// What a partner does with a proposal, as the last part of its path.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Accept,
    Decline,
    Withdraw,
}

impl From<Decision> for AgreementState {
    fn from(d: Decision) -> Self {
        match d {
            Decision::Accept => AgreementState::Accepted,
            Decision::Decline => AgreementState::Declined,
            Decision::Withdraw => AgreementState::Withdrawn,
        }
    }
}

/// `/spaces/{space}/agreements/{agreement}/{action}`
#[derive(Deserialize)]
pub struct DecisionPath {
    agreement: AgreementId,
    action: Decision,
}

/// Accept, decline or withdraw a proposal.
pub async fn decide(
    State(state): State<AppState>,
    access: SpaceAccess,
    Path(DecisionPath {
        agreement: id,
        action,
    }): Path<DecisionPath>,
) -> Result<Response, WebError> {
    let (space, viewer) = (access.space, access.viewer.id());
    let to = AgreementState::from(action);
    let agreements = state.store.agreements(space).await?;
    let agreement = agreements
        .iter()
        .find(|a| a.id == id)
        .ok_or(WebError::NotFound)?;
    match action {
        Decision::Withdraw => may_withdraw(agreement.proposed_by, viewer, agreement.state)?,
        Decision::Accept | Decision::Decline => {
            may_answer(agreement.proposed_by, viewer, agreement.state)?
        }
    }
    if !state
        .store
        .decide_agreement(space, id, to, viewer, now())
        .await?
    {
        // Someone else decided it since the page was drawn.
        return Err(AgreementRefusal::NotOpen.into());
    }
    tracing::info!(%space, to = to.as_str(), "agreement decided");
    Ok(Redirect::to(&page_path(space)).into_response())
}
