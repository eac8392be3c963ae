//! The start page, creating a space, the space page and its invitations.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::store::{NewInvite, SpaceRecord};
use mend_core::{
    may_create_space, InviteId, InviteRefusal, Role, SpaceId, SpaceRefusal, INVITE_LIFETIME,
};
use mend_crypto::DataKey;
use serde::Deserialize;

use crate::access::SpaceAccess;
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::{Form, Path};
use crate::fields;
use crate::key;
use crate::once::{store_once, FormId, Kept};
use crate::session::{self, now, random_code, Viewer};
use crate::state::AppState;
use crate::views::{render, BreachLink, InviteView, SpacePage, StartPage};
use crate::waiting_view::Waits;
use crate::when::LocalClock;

pub async fn home(viewer: Viewer, chrome: Chrome) -> Result<Response, WebError> {
    // A counsellor's home is their couples (issue 14); they have no space and no safety check.
    if viewer.record.counsellor_since.is_some() {
        return Ok(Redirect::to("/counsel").into_response());
    }
    if !viewer.safety_cleared() {
        return Ok(Redirect::to("/safety").into_response());
    }
    if let Some(membership) = &viewer.membership {
        return Ok(Redirect::to(&format!("/spaces/{}", membership.space)).into_response());
    }
    Ok(render(&StartPage {
        chrome: chrome.signed_in(),
        name: viewer.name.as_str().to_owned(),
    }))
}

pub async fn create(State(state): State<AppState>, viewer: Viewer) -> Result<Response, WebError> {
    mend_core::may_have_a_space(viewer.record.counsellor_since.is_some())?;
    match may_create_space(viewer.safety_cleared(), viewer.membership.is_some()) {
        Err(SpaceRefusal::SafetyCheckFirst) => return Ok(Redirect::to("/safety").into_response()),
        // A second click on "create" lands on the space the first one made.
        Err(SpaceRefusal::AlreadyInASpace) => return Ok(Redirect::to("/home").into_response()),
        Ok(()) => {}
    }
    let id = SpaceId::new();
    let key = DataKey::generate(id.0);
    let created = state
        .store
        .create_space(
            SpaceRecord {
                id,
                wrapped_key: state.key.wrap(&key),
                created_at: now(),
            },
            viewer.id(),
        )
        .await;
    match created {
        Ok(()) => {
            tracing::info!(space = %id, "space created");
            // The partner's author key from their first moment in the space, so that a
            // backup never seats them without it (issue 11).
            crate::author_keys::space_keys(state.store.as_ref(), &state.key, id, viewer.id())
                .await?;
            Ok(Redirect::to(&format!("/spaces/{id}")).into_response())
        }
        Err(mend_core::StoreError::Conflict(_)) => Ok(Redirect::to("/home").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Where links should point: the configured public address, or the address this request
/// came to.
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

pub async fn show(
    State(state): State<AppState>,
    access: SpaceAccess,
    chrome: Chrome,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let SpaceAccess {
        viewer,
        space,
        key,
        space_state,
    } = &access;
    let clock = LocalClock::of(state.strings, viewer);
    let partner = match access.partner() {
        Some(person) => {
            let stored = space_state
                .name_of(person)
                .ok_or_else(|| WebError::internal("a member has no person row"))?;
            Some(
                session::open_partner_name(&state, stored)?
                    .as_str()
                    .to_owned(),
            )
        }
        None => None,
    };
    let base = base_url(&state, &headers);
    let partner_left = space_state.departed_at.is_some();
    let mut invites = Vec::new();
    if partner.is_none() && !partner_left {
        for invite in state.store.open_invites(*space, now()).await? {
            if invite.created_by != viewer.id() {
                continue;
            }
            let code = key.open(invite.id.0, fields::INVITE_CODE, &invite.code)?;
            invites.push(InviteView {
                id: invite.id.to_string(),
                link: format!("{base}/invite/{code}"),
                expires: clock.at(invite.expires_at),
            });
        }
    }
    let mut breaches = Vec::new();
    let mut waiting = Vec::new();
    // What waits was counted for this request already (the navigation shows its number).
    let waits = match &chrome.waiting {
        Some(waits) => waits.clone(),
        None => std::sync::Arc::new(
            Waits::gather(&state, viewer.id(), viewer.space, now(), clock.zone()).await?,
        ),
    };
    for breach in &space_state.breaches {
        let details = crate::opened::breach_details(key, breach)?;
        let role = breach.role_of(viewer.id());
        let href = format!("/spaces/{space}/breaches/{}", breach.id);
        let kind = crate::names::kind_name(details.kind);
        waiting.extend(
            waits
                .of(breach.id)
                .iter()
                .map(|w| crate::waiting_view::item(&href, kind, *w)),
        );
        breaches.push(BreachLink {
            href,
            kind,
            role: match role {
                Role::HurtPartner => key!("space.you_hurt"),
                Role::RepairingPartner => key!("space.you_repairing"),
            },
            opened: clock.at(breach.created_at),
        });
    }
    waiting.extend(
        waits
            .journal
            .map(|w| crate::waiting_view::journal_item(*space, w)),
    );
    Ok(render(&SpacePage {
        form_id: InviteId::new().to_string(),
        chrome: chrome.signed_in(),
        space_id: space.to_string(),
        partner,
        partner_left,
        invites,
        breaches,
        waiting,
    }))
}

/// The form that creates an invitation.
#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    form_id: FormId<InviteId>,
}

pub async fn create_invite(
    State(state): State<AppState>,
    access: SpaceAccess,
    Form(InviteForm { form_id }): Form<InviteForm>,
) -> Result<Response, WebError> {
    let back = Redirect::to(&access.href()).into_response();
    let SpaceAccess {
        viewer, space, key, ..
    } = access;
    crate::access::takes_a_partner(&state, space).await?;
    if state.store.members(space).await?.len() >= 2 {
        return Err(InviteRefusal::SpaceFull.into());
    }
    // One open invitation at a time: a repeated click shows the link that already exists.
    if !state.store.open_invites(space, now()).await?.is_empty() {
        return Ok(back);
    }
    let requested = form_id.0;
    let (state, viewer, key) = (&state, &viewer, &key);
    let invite = |id: InviteId| {
        let code = random_code();
        let created_at = now();
        state.store.create_invite(NewInvite {
            id,
            space,
            created_by: viewer.id(),
            code_lookup: crate::session::invite_code_hash(state, &code),
            // An invitation is the space's, not words of its writer.
            code: key.seal_for_space(id.0, fields::INVITE_CODE, &code),
            created_at,
            expires_at: created_at + INVITE_LIFETIME,
        })
    };
    // The same click sent again finds its invitation open; an old page's id gets a new one.
    let kept = |id: InviteId| async move {
        let open = state.store.open_invites(space, now()).await?;
        Ok(
            match open
                .iter()
                .any(|i| i.id == id && i.created_by == viewer.id())
            {
                true => Kept::Same,
                false => Kept::Other,
            },
        )
    };
    if store_once(requested, invite, kept).await?.is_new() {
        tracing::info!(%space, "invitation created");
    }
    Ok(back)
}

/// `/spaces/{space}/invites/{invite}/…`
#[derive(Deserialize)]
pub struct InvitePath {
    invite: InviteId,
}

pub async fn revoke_invite(
    State(state): State<AppState>,
    access: SpaceAccess,
    Path(InvitePath { invite }): Path<InvitePath>,
) -> Result<Response, WebError> {
    let space = access.space;
    if !state
        .store
        .revoke_invite(space, invite, access.viewer.id(), now())
        .await?
    {
        return Err(WebError::NotFound);
    }
    tracing::info!(%space, "invitation withdrawn");
    Ok(Redirect::to(&access.href()).into_response())
}
