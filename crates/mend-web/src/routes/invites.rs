//! Opening and accepting an invitation link.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::store::InviteRecord;
use mend_core::{InviteCheck, InviteRefusal, InviteStatus};

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::key;
use crate::session::{self, now, MaybeViewer, Viewer};
use crate::state::AppState;
use crate::views::{render, InvitePage, JoinPage};

fn refusal(r: InviteRefusal) -> WebError {
    let (status, title, body) = match r {
        InviteRefusal::Unknown => (
            StatusCode::NOT_FOUND,
            key!("invite.unknown_title"),
            key!("invite.unknown_body"),
        ),
        InviteRefusal::Used => (
            StatusCode::GONE,
            key!("invite.used_title"),
            key!("invite.used_body"),
        ),
        InviteRefusal::Expired => (
            StatusCode::GONE,
            key!("invite.expired_title"),
            key!("invite.expired_body"),
        ),
        InviteRefusal::Revoked => (
            StatusCode::GONE,
            key!("invite.revoked_title"),
            key!("invite.revoked_body"),
        ),
        InviteRefusal::OwnInvite => (
            StatusCode::CONFLICT,
            key!("invite.own_title"),
            key!("invite.own_body"),
        ),
        InviteRefusal::AlreadyInASpace => (
            StatusCode::CONFLICT,
            key!("invite.already_title"),
            key!("invite.already_body"),
        ),
        InviteRefusal::SpaceFull => (
            StatusCode::CONFLICT,
            key!("invite.full_title"),
            key!("invite.full_body"),
        ),
        // Handled before this by sending the person to the safety check.
        InviteRefusal::SafetyCheckFirst => (
            StatusCode::CONFLICT,
            key!("safety.title"),
            key!("safety.intro"),
        ),
    };
    WebError::Refused {
        status,
        title,
        body,
    }
}

/// Codes are 22 URL-safe base64 characters; anything else is unknown without a lookup.
fn well_formed(code: &str) -> bool {
    code.len() == 22
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn find(state: &AppState, code: &str) -> Result<InviteRecord, WebError> {
    if !well_formed(code) {
        return Err(refusal(InviteRefusal::Unknown));
    }
    state
        .store
        .invite_by_code(&crate::session::invite_code_hash(state, code))
        .await?
        .ok_or_else(|| refusal(InviteRefusal::Unknown))
}

fn status(invite: &InviteRecord) -> InviteStatus {
    InviteStatus {
        expires_at: invite.expires_at,
        used: invite.used_at.is_some(),
        revoked: invite.revoked_at.is_some(),
    }
}

async fn check(
    state: &AppState,
    invite: &InviteRecord,
    viewer: &Viewer,
) -> Result<InviteCheck, WebError> {
    Ok(InviteCheck {
        space: invite.space,
        created_by: invite.created_by,
        status: status(invite),
        members_in_space: state.store.members(invite.space).await?.len(),
        joiner: viewer.id(),
        joiner_space: state
            .store
            .membership_of(viewer.id())
            .await?
            .map(|m| m.space),
        joiner_safety_cleared: viewer.safety_cleared(),
    })
}

/// Runs the acceptance rules: the page to show instead when the person may not join (the
/// safety check comes first, as a redirect), or `None` when they may.
fn refused(check: &InviteCheck, code: &str) -> Option<Response> {
    match check.may_accept(now()) {
        Ok(()) => None,
        Err(InviteRefusal::SafetyCheckFirst) => {
            Some(Redirect::to(&format!("/safety?next=/invite/{code}")).into_response())
        }
        Err(r) => Some(refusal(r).into_response()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    chrome: Chrome,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let invite = find(&state, &code).await?;
    let Some(viewer) = viewer.0 else {
        status(&invite).usable(now()).map_err(refusal)?;
        return Ok(render(&InvitePage {
            chrome,
            next: format!("/invite/{code}"),
        }));
    };
    let facts = check(&state, &invite, &viewer).await?;
    if let Some(response) = refused(&facts, &code) {
        return Ok(response);
    }
    let inviter = state
        .store
        .person(invite.created_by)
        .await?
        .ok_or_else(|| refusal(InviteRefusal::Unknown))?;
    let inviter = session::open_name(&state, &inviter)?.1;
    Ok(render(&JoinPage {
        chrome: chrome.signed_in(),
        code,
        inviter: inviter.as_str().to_owned(),
    }))
}

pub async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let invite = find(&state, &code).await?;
    let facts = check(&state, &invite, &viewer).await?;
    if let Some(response) = refused(&facts, &code) {
        return Ok(response);
    }
    match state
        .store
        .accept_invite(invite.id, viewer.id(), now())
        .await
    {
        Ok(()) => {
            tracing::info!(space = %invite.space, "partner joined");
            Ok(Redirect::to(&format!("/spaces/{}", invite.space)).into_response())
        }
        // Someone else got there first: explain what is true now.
        Err(mend_core::StoreError::Conflict(_)) => {
            let invite = find(&state, &code).await?;
            let facts = check(&state, &invite, &viewer).await?;
            refused(&facts, &code).ok_or(WebError::Conflict)
        }
        Err(e) => Err(e.into()),
    }
}
