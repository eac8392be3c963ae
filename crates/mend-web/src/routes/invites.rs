//! Opening and accepting an invitation link.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::store::InviteRecord;
use mend_core::{InviteCheck, InviteRefusal, InviteStatus};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Path;
use crate::session::{self, now, MaybeViewer, Viewer};
use crate::state::AppState;
use crate::views::{render, InvitePage, JoinPage};

/// `/invite/{code}`. A code is not an id: it is the secret the link carries, checked by its
/// keyed hash.
#[derive(Deserialize)]
pub struct CodePath {
    code: String,
}

/// Codes are 22 URL-safe base64 characters; anything else is unknown without a lookup. A
/// counsellor's link code has the same form.
pub(super) fn well_formed(code: &str) -> bool {
    code.len() == 22
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn find(state: &AppState, code: &str) -> Result<InviteRecord, WebError> {
    if !well_formed(code) {
        return Err(InviteRefusal::Unknown.into());
    }
    state
        .store
        .invite_by_code(&crate::session::invite_code_hash(state, code))
        .await?
        .ok_or_else(|| InviteRefusal::Unknown.into())
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
fn refusal_page(check: &InviteCheck, code: &str) -> Option<Response> {
    match check.may_accept(now()) {
        Ok(()) => None,
        Err(InviteRefusal::SafetyCheckFirst) => {
            Some(Redirect::to(&format!("/safety?next=/invite/{code}")).into_response())
        }
        Err(r) => Some(WebError::from(r).into_response()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    chrome: Chrome,
    Path(CodePath { code }): Path<CodePath>,
) -> Result<Response, WebError> {
    let invite = find(&state, &code).await?;
    crate::access::takes_a_partner(&state, invite.space).await?;
    let Some(viewer) = viewer.0 else {
        status(&invite).usable(now())?;
        return Ok(render(&InvitePage {
            chrome,
            next: format!("/invite/{code}"),
        }));
    };
    mend_core::may_have_a_space(viewer.record.counsellor_since.is_some())?;
    let facts = check(&state, &invite, &viewer).await?;
    if let Some(response) = refusal_page(&facts, &code) {
        return Ok(response);
    }
    let inviter = state
        .store
        .person(invite.created_by)
        .await?
        .ok_or(InviteRefusal::Unknown)?;
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
    Path(CodePath { code }): Path<CodePath>,
) -> Result<Response, WebError> {
    let invite = find(&state, &code).await?;
    crate::access::takes_a_partner(&state, invite.space).await?;
    mend_core::may_have_a_space(viewer.record.counsellor_since.is_some())?;
    let facts = check(&state, &invite, &viewer).await?;
    if let Some(response) = refusal_page(&facts, &code) {
        return Ok(response);
    }
    match state
        .store
        .accept_invite(invite.id, viewer.id(), now())
        .await
    {
        Ok(()) => {
            tracing::info!(space = %invite.space, "partner joined");
            // Their author key from their first moment in the space, so that a backup never
            // seats them without it (issue 11).
            crate::author_keys::space_keys(
                state.store.as_ref(),
                &state.key,
                invite.space,
                viewer.id(),
            )
            .await?;
            Ok(Redirect::to(&format!("/spaces/{}", invite.space)).into_response())
        }
        // Someone else got there first: explain what is true now.
        Err(mend_core::StoreError::Conflict(_)) => {
            let invite = find(&state, &code).await?;
            crate::access::takes_a_partner(&state, invite.space).await?;
            let facts = check(&state, &invite, &viewer).await?;
            refusal_page(&facts, &code).ok_or(WebError::Conflict)
        }
        Err(e) => Err(e.into()),
    }
}
