//! The start page, creating a space, the space page and its invitations.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::feeling::listening;
use mend_core::store::{
    AnswerRecord, BreachRecord, CheckInRecord, EntryRecord, FeelingRecord, NewInvite,
    QuestionRecord, ReflectionRecord, SpaceRecord, TransparencyRecord, TriggerRecord,
};
use mend_core::waiting::{Answer, JourneyFacts, Question, Written};
use mend_core::{
    may_create_space, EntryKind, InviteId, InviteRefusal, Role, SpaceId, SpaceRefusal, Timestamp,
    TransparencyState, INVITE_LIFETIME,
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
use crate::when::LocalClock;

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
    access: SpaceAccess,
    chrome: Chrome,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let SpaceAccess { viewer, space, key } = &access;
    let clock = LocalClock::of(state.strings, viewer);
    let partner = match access.partner(&state).await? {
        Some(person) => {
            let record = state
                .store
                .person(person)
                .await?
                .ok_or_else(|| WebError::internal("a member has no person row"))?;
            Some(session::open_name(&state, &record)?.1.as_str().to_owned())
        }
        None => None,
    };
    let base = base_url(&state, &headers);
    let partner_left = state.store.departed_at(*space).await?.is_some();
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
    let now = now();
    let rows = SpaceRows::load(&state, *space).await?;
    for breach in state.store.breaches(*space).await? {
        let details = crate::opened::breach_details(key, &breach)?;
        let role = breach.role_of(viewer.id());
        let href = format!("/spaces/{space}/breaches/{}", breach.id);
        let kind = crate::names::kind_name(details.kind);
        let facts = rows.facts(&breach, role);
        waiting.extend(
            mend_core::waiting::what_waits(&facts, now, clock.zone())
                .into_iter()
                .map(|w| crate::waiting_view::item(&href, kind, w)),
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

/// The rows of every journey in a space that decide what waits on the dashboard, each kind
/// read with one query for the whole space, however many journeys and items there are.
struct SpaceRows {
    acknowledgements: Vec<EntryRecord>,
    statements: Vec<EntryRecord>,
    intentions: Vec<EntryRecord>,
    recommitments: Vec<EntryRecord>,
    check_ins: Vec<CheckInRecord>,
    feelings: Vec<FeelingRecord>,
    reflections: Vec<ReflectionRecord>,
    triggers: Vec<TriggerRecord>,
    offers: Vec<TransparencyRecord>,
    questions: Vec<QuestionRecord>,
    answers: Vec<AnswerRecord>,
}

impl SpaceRows {
    async fn load(state: &AppState, space: SpaceId) -> Result<Self, WebError> {
        let store = &state.store;
        let sent = |kind| store.sent_in_space(space, kind);
        Ok(Self {
            acknowledgements: sent(EntryKind::Acknowledgement).await?,
            statements: sent(EntryKind::Accountability).await?,
            intentions: sent(EntryKind::Intention).await?,
            recommitments: sent(EntryKind::Recommitment).await?,
            check_ins: store.check_ins_in_space(space).await?,
            feelings: store.feelings_in_space(space).await?,
            reflections: store.reflections_in_space(space).await?,
            triggers: store.triggers_in_space(space).await?,
            offers: store.transparency_in_space(space).await?,
            questions: store.questions_in_space(space).await?,
            answers: store.answers_in_space(space).await?,
        })
    }

    /// The facts [`mend_core::waiting`] decides from, for `breach` and the viewer in `role`.
    fn facts(&self, breach: &BreachRecord, role: Role) -> JourneyFacts {
        let id = breach.id;
        let written = |entries: &[EntryRecord]| -> Vec<Written> {
            entries
                .iter()
                .filter(|e| e.breach == id)
                .map(Written::from)
                .collect()
        };
        let sent_times = |entries: &[EntryRecord]| -> Vec<Timestamp> {
            entries
                .iter()
                .filter(|e| e.breach == id)
                .filter_map(|e| e.sent_at)
                .collect()
        };
        let questions: Vec<Question> = self
            .questions
            .iter()
            .filter(|q| q.breach == id)
            .map(Question::from)
            .collect();
        JourneyFacts {
            role,
            opened_at: breach.created_at,
            state: breach.state,
            acknowledgements: written(&self.acknowledgements),
            statements: written(&self.statements),
            intentions_sent: sent_times(&self.intentions),
            recommitments_sent: sent_times(&self.recommitments),
            last_check_in: self
                .check_ins
                .iter()
                .filter(|c| c.breach == id)
                .map(|c| c.created_at)
                .max(),
            // A feeling's reflections are found by its id, whichever journey they are read with.
            feelings: self
                .feelings
                .iter()
                .filter(|f| f.breach == id && f.withdrawn_at.is_none())
                .map(|f| listening(f.id, &self.reflections))
                .collect(),
            unanswered_triggers: self
                .triggers
                .iter()
                .filter(|t| t.breach == id && t.replied_at.is_none())
                .count(),
            transparency_offers: self
                .offers
                .iter()
                .filter(|t| t.breach == id && t.state == TransparencyState::Offered)
                .count(),
            answers: self
                .answers
                .iter()
                .filter(|a| questions.iter().any(|q| q.id == a.question))
                .map(Answer::from)
                .collect(),
            questions,
        }
    }
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
    let SpaceAccess { viewer, space, key } = access;
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
