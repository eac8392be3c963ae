//! The start page, creating a space, the space page and its invitations.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::store::{BreachRecord, NewInvite, SpaceRecord};
use mend_core::{
    may_create_space, EntryKind, EntryState, InviteId, Listening, PersonId, Role, SpaceId,
    SpaceRefusal, StatementResponse, INVITE_LIFETIME,
};
use mend_crypto::DataKey;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Form;
use crate::fields;
use crate::key;
use crate::once::{form_id, store_once, Kept, FORM_ID};

use crate::access::own_space;
use crate::session::{self, now, random_code, Viewer};
use crate::state::AppState;
use crate::views::{render, BreachLink, InviteView, SpacePage, StartPage, WaitingItem};

pub async fn home(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
) -> Result<Response, WebError> {
    if !viewer.safety_cleared() {
        return Ok(Redirect::to("/safety").into_response());
    }
    if let Some(membership) = state.store.membership_of(viewer.id()).await? {
        return Ok(Redirect::to(&format!("/spaces/{}", membership.space)).into_response());
    }
    Ok(render(&StartPage {
        chrome: chrome.signed_in(),
        name: viewer.name.as_str().to_owned(),
    }))
}

pub async fn create(State(state): State<AppState>, viewer: Viewer) -> Result<Response, WebError> {
    let membership = state.store.membership_of(viewer.id()).await?;
    match may_create_space(viewer.safety_cleared(), membership.is_some()) {
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
            Ok(Redirect::to(&format!("/spaces/{id}")).into_response())
        }
        Err(mend_core::StoreError::Conflict(_)) => Ok(Redirect::to("/home").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Where links should point: the configured public address, or the address this request
/// came to.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
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
    viewer: Viewer,
    chrome: Chrome,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let (space, key) = own_space(&state, &viewer, &raw).await?;
    let members = state.store.members(space).await?;
    let partner = match members.iter().find(|m| m.person != viewer.id()) {
        Some(m) => {
            let record = state
                .store
                .person(m.person)
                .await?
                .ok_or_else(|| WebError::internal("a member has no person row"))?;
            Some(session::open_name(&state, &record)?.1.as_str().to_owned())
        }
        None => None,
    };
    let base = base_url(&state, &headers);
    let mut invites = Vec::new();
    if partner.is_none() {
        for invite in state.store.open_invites(space, now()).await? {
            if invite.created_by != viewer.id() {
                continue;
            }
            let code = key.open(invite.id.0, fields::INVITE_CODE, &invite.code)?;
            invites.push(InviteView {
                id: invite.id.to_string(),
                link: format!("{base}/invite/{code}"),
                expires: invite.expires_at.utc_minute(),
            });
        }
    }
    let mut breaches = Vec::new();
    let mut waiting = Vec::new();
    for breach in state.store.breaches(space).await? {
        let details = crate::opened::breach_details(&key, &breach)?;
        let role = crate::access::role_of(&breach, viewer.id());
        let href = format!("/spaces/{space}/breaches/{}", breach.id);
        let kind = crate::names::kind_name(details.kind);
        breaches.push(BreachLink {
            href: href.clone(),
            kind,
            role: match role {
                Role::HurtPartner => key!("space.you_hurt"),
                Role::RepairingPartner => key!("space.you_repairing"),
            },
            opened: breach.created_at.utc_minute(),
        });
        // An ended journey stays readable and asks nothing more of anyone.
        if breach.state.is_ended() {
            continue;
        }
        let acks = state
            .store
            .entries_for(breach.id, EntryKind::Acknowledgement, viewer.id())
            .await?;
        let sent = acks.iter().any(|e| e.state == EntryState::Sent);
        let unread = acks
            .iter()
            .any(|e| e.state == EntryState::Sent && e.received_at.is_none());
        let item = |path: &str, text: &'static str, count: usize| WaitingItem {
            href: format!("{href}/{path}"),
            text,
            kind,
            count,
        };
        match role {
            Role::RepairingPartner if !sent => {
                waiting.push(item("acknowledge", key!("space.wait_write_ack"), 1))
            }
            Role::HurtPartner if unread => {
                waiting.push(item("acknowledge", key!("space.wait_read_ack"), 1))
            }
            _ => {}
        }
        for (path, text, count) in more_waiting(&state, &breach, role, viewer.id()).await? {
            waiting.push(item(path, text, count));
        }
        if role == Role::RepairingPartner {
            let unanswered = state
                .store
                .triggers(breach.id)
                .await?
                .iter()
                .filter(|t| t.replied_at.is_none())
                .count();
            let text = if unanswered == 1 {
                key!("space.wait_trigger_one")
            } else {
                key!("space.wait_trigger_many")
            };
            if unanswered > 0 {
                waiting.push(item("triggers", text, unanswered));
            }
        }
        if role == Role::HurtPartner {
            let offers = state
                .store
                .transparency_agreements(breach.id)
                .await?
                .iter()
                .filter(|t| t.state == mend_core::TransparencyState::Offered)
                .count();
            let text = if offers == 1 {
                key!("transparency.wait_one")
            } else {
                key!("transparency.wait_many")
            };
            if offers > 0 {
                waiting.push(item("transparency", text, offers));
            }
        }
        let questions = state.store.questions(breach.id).await?;
        let answers = state.store.answers(breach.id).await?;
        match role {
            Role::RepairingPartner => {
                let open = questions
                    .iter()
                    .filter(|q| q.withdrawn_at.is_none())
                    .filter(|q| {
                        !answers
                            .iter()
                            .any(|a| a.question == q.id && a.withdrawn_at.is_none())
                    })
                    .count();
                let text = if open == 1 {
                    key!("space.wait_questions_one")
                } else {
                    key!("space.wait_questions_many")
                };
                if open > 0 {
                    waiting.push(item("questions", text, open));
                }
                // An answer asked about again, with no newer answer to the same question yet.
                let more = answers
                    .iter()
                    .filter(|a| a.response == Some(mend_core::Response::NeedMore))
                    .filter(|a| {
                        !answers
                            .iter()
                            .any(|b| b.question == a.question && b.created_at > a.created_at)
                    })
                    .count();
                let text = if more == 1 {
                    key!("space.wait_more_one")
                } else {
                    key!("space.wait_more_many")
                };
                if more > 0 {
                    waiting.push(item("questions", text, more));
                }
            }
            Role::HurtPartner => {
                let unanswered = answers
                    .iter()
                    .filter(|a| a.response.is_none() && a.withdrawn_at.is_none())
                    .count();
                let text = if unanswered == 1 {
                    key!("space.wait_answers_one")
                } else {
                    key!("space.wait_answers_many")
                };
                if unanswered > 0 {
                    waiting.push(item("questions", text, unanswered));
                }
            }
        }
    }
    Ok(render(&SpacePage {
        form_id: InviteId::new().to_string(),
        chrome: chrome.signed_in(),
        space_id: space.to_string(),
        partner,
        invites,
        breaches,
        waiting,
    }))
}

/// What waits for the viewer in the later areas of a journey: feelings and reflections,
/// statements to respond to, rhythms that are due, a proposal to close the chapter.
async fn more_waiting(
    state: &AppState,
    breach: &BreachRecord,
    role: Role,
    viewer: PersonId,
) -> Result<Vec<(&'static str, &'static str, usize)>, WebError> {
    let mut items = Vec::new();
    let one_or_many = |count: usize, one, many| if count == 1 { one } else { many };
    let reflections = state.store.reflections(breach.id).await?;
    let standing: Vec<Listening> = state
        .store
        .feelings(breach.id)
        .await?
        .iter()
        .filter(|f| f.withdrawn_at.is_none())
        .map(|f| mend_core::feeling::listening(f.id, &reflections))
        .collect();
    let count = |l: Listening| standing.iter().filter(|s| **s == l).count();
    let now = now();
    match role {
        Role::RepairingPartner => {
            let waiting = count(Listening::AwaitingReflection);
            if waiting > 0 {
                let text = one_or_many(
                    waiting,
                    key!("space.wait_feelings_one"),
                    key!("space.wait_feelings_many"),
                );
                items.push(("feelings", text, waiting));
            }
            let statements = state
                .store
                .entries_for(breach.id, EntryKind::Accountability, viewer)
                .await?;
            let latest = statements
                .iter()
                .rev()
                .find(|e| e.state == EntryState::Sent);
            if latest.and_then(|e| e.response) == Some(StatementResponse::SomethingMissing) {
                items.push(("accountability", key!("space.wait_missing"), 1));
            }
            // Recommitment is due on the rhythm the repairing partner chose, once an intention
            // was sent; it is shown to them only.
            let due = crate::due::recommitment_due(state, breach, viewer).await?;
            if due.is_some_and(|at| at <= now) {
                items.push(("recommit", key!("space.wait_recommit"), 1));
            }
            if breach.state.closing_proposed_at.is_some() {
                items.push(("endings", key!("space.wait_closing"), 1));
            }
        }
        Role::HurtPartner => {
            let waiting = count(Listening::AwaitingVerdict);
            if waiting > 0 {
                let text = one_or_many(
                    waiting,
                    key!("space.wait_reflections_one"),
                    key!("space.wait_reflections_many"),
                );
                items.push(("feelings", text, waiting));
            }
            let unanswered = state
                .store
                .entries_for(breach.id, EntryKind::Accountability, viewer)
                .await?
                .iter()
                .filter(|e| e.state == EntryState::Sent && e.response.is_none())
                .count();
            if unanswered > 0 {
                items.push(("accountability", key!("space.wait_statement"), unanswered));
            }
            if let Some(rhythm) = breach.state.check_in_rhythm {
                let last = state
                    .store
                    .check_ins(breach.id)
                    .await?
                    .iter()
                    .map(|c| c.created_at)
                    .max();
                if rhythm.is_due(last, breach.created_at, now) {
                    items.push(("patience", key!("space.wait_check_in"), 1));
                }
            }
        }
    }
    Ok(items)
}

pub async fn create_invite(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (space, key) = own_space(&state, &viewer, &raw).await?;
    let back = Redirect::to(&format!("/spaces/{space}")).into_response();
    if state.store.members(space).await?.len() >= 2 {
        return Err(WebError::Refused {
            status: StatusCode::CONFLICT,
            title: key!("invite.full_title"),
            body: key!("invite.full_body"),
        });
    }
    // One open invitation at a time: a repeated click shows the link that already exists.
    if !state.store.open_invites(space, now()).await?.is_empty() {
        return Ok(back);
    }
    let requested: InviteId = form_id(&form, FORM_ID)?;
    let (state, viewer, key) = (&state, &viewer, &key);
    let invite = |id: InviteId| {
        let code = random_code();
        let created_at = now();
        state.store.create_invite(NewInvite {
            id,
            space,
            created_by: viewer.id(),
            code_lookup: crate::session::invite_code_hash(state, &code),
            code: key.seal(id.0, fields::INVITE_CODE, &code),
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

pub async fn revoke_invite(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_invite)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (space, _) = own_space(&state, &viewer, &raw_space).await?;
    let invite: InviteId = raw_invite.parse().map_err(|_| WebError::NotFound)?;
    if !state
        .store
        .revoke_invite(space, invite, viewer.id(), now())
        .await?
    {
        return Err(WebError::NotFound);
    }
    tracing::info!(%space, "invitation withdrawn");
    Ok(Redirect::to(&format!("/spaces/{space}")).into_response())
}
