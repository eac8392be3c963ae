//! A counsellor, as the partners manage one (issue 14): propose, agree, copy the link, end
//! access at once, and choose journey by journey what the counsellor reads.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::counsellor::{may_propose, GrantEnd, ShareArea, ShareChoices};
use mend_core::store::{CounsellorGrantRecord, NewCounsellorGrant};
use mend_core::{CounsellorGrantId, CounsellorRefusal, PersonId, Seat, StoreError};
use serde::Deserialize;

use crate::access::{JourneyAccess, SpaceAccess};
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Query;
use crate::fields;
use crate::key;
use crate::session::{self, now, random_code};
use crate::state::AppState;
use crate::views::{
    render, AreaChoice, CounsellorJourneyPage, CounsellorPage, CounsellorState, NoteView,
    ShareChangeLine, SharingLink,
};
use crate::when::LocalClock;

/// The areas the counsellor's pages show today, in the order the sharing form lists them.
/// An area joins this list only together with the page that shows it.
pub const OFFERED: [ShareArea; 8] = [
    ShareArea::Summary,
    ShareArea::Timeline,
    ShareArea::Entries,
    ShareArea::Questions,
    ShareArea::Feelings,
    ShareArea::CheckIns,
    ShareArea::Triggers,
    ShareArea::Transparency,
];

pub fn area_name(area: ShareArea) -> &'static str {
    match area {
        ShareArea::Entries => key!("counsellor.area_entries"),
        ShareArea::Questions => key!("counsellor.area_questions"),
        ShareArea::Feelings => key!("counsellor.area_feelings"),
        ShareArea::CheckIns => key!("counsellor.area_check_ins"),
        ShareArea::Summary => key!("counsellor.area_summary"),
        ShareArea::Triggers => key!("counsellor.area_triggers"),
        ShareArea::Transparency => key!("counsellor.area_transparency"),
        ShareArea::Timeline => key!("counsellor.area_timeline"),
    }
}

/// The keyed hash a counsellor's link code is looked up by; its own purpose, so that it can
/// never be taken for a partner's invitation.
pub fn code_hash(state: &AppState, code: &str) -> mend_core::store::LookupHash {
    state.key.lookup_hash("counsellor-invite", code.as_bytes())
}

/// Whether a counsellor reads `space` now (accepted, not ended).
pub async fn counsellor_reads(
    state: &AppState,
    space: mend_core::SpaceId,
) -> Result<bool, WebError> {
    Ok(state
        .store
        .open_counsellor_grant(space)
        .await?
        .is_some_and(|g| g.grant.is_active()))
}

fn seat_of(access: &SpaceAccess) -> Result<Seat, WebError> {
    access
        .viewer
        .membership
        .as_ref()
        .filter(|m| m.space == access.space)
        .map(|m| m.seat)
        .ok_or(WebError::NotFound)
}

async fn name_of(state: &AppState, person: PersonId) -> Result<String, WebError> {
    let record = state
        .store
        .person(person)
        .await?
        .ok_or_else(|| WebError::internal("a person in a grant has no row"))?;
    Ok(session::open_name(state, &record)?.1.as_str().to_owned())
}

fn counsellor_href(access: &SpaceAccess) -> String {
    format!("{}/counsellor", access.href())
}

pub async fn page(
    State(state): State<AppState>,
    access: SpaceAccess,
    chrome: Chrome,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let clock = LocalClock::of(state.strings, &access.viewer);
    let seat = seat_of(&access)?;
    let partner = access.partner();
    let counsellor = match state.store.open_counsellor_grant(access.space).await? {
        None => CounsellorState::None,
        Some(g) => describe(&state, &access, &clock, &headers, seat, partner, g).await?,
    };
    let mut journeys = Vec::new();
    for breach in state.store.breaches(access.space).await? {
        let details = crate::opened::breach_details(&access.key, &breach)?;
        journeys.push(SharingLink {
            href: format!("{}/breaches/{}/counsellor", access.href(), breach.id),
            kind: crate::names::kind_name(details.kind),
            begun: clock.at(breach.created_at),
        });
    }
    Ok(render(&CounsellorPage {
        chrome: chrome.signed_in(),
        space_id: access.space.to_string(),
        partner_joined: partner.is_some(),
        counsellor,
        journeys,
    }))
}

async fn describe(
    state: &AppState,
    access: &SpaceAccess,
    clock: &LocalClock,
    headers: &HeaderMap,
    seat: Seat,
    partner: Option<PersonId>,
    g: CounsellorGrantRecord,
) -> Result<CounsellorState, WebError> {
    if let Some(counsellor) = g.counsellor {
        return Ok(CounsellorState::Active {
            name: name_of(state, counsellor).await?,
            last_look: g.last_seen_at.map(|at| clock.at(at)),
        });
    }
    if let Some(expires) = g.grant.link_expires_at() {
        let code = access.key.open(g.id.0, fields::COUNSELLOR_CODE, &g.code)?;
        return Ok(CounsellorState::Agreed {
            link: format!(
                "{}/counsellor-invite/{code}",
                crate::routes::spaces::base_url(state, headers)
            ),
            expires: clock.at(expires),
            expired: now() >= expires,
        });
    }
    if g.grant.proposed_by == seat {
        return Ok(CounsellorState::ProposedByViewer);
    }
    let name = match partner {
        Some(p) => name_of(state, p).await?,
        None => String::new(),
    };
    Ok(CounsellorState::ProposedByPartner { name })
}

pub async fn propose(
    State(state): State<AppState>,
    access: SpaceAccess,
) -> Result<Response, WebError> {
    let back = Redirect::to(&counsellor_href(&access)).into_response();
    let seat = seat_of(&access)?;
    let members = state.store.members(access.space).await?.len();
    let open = state.store.open_counsellor_grant(access.space).await?;
    match may_propose(Some(seat), members, open.as_ref().map(|g| &g.grant)) {
        // A second click, or the partner's proposal in another tab: the page says where
        // things stand.
        Err(CounsellorRefusal::AlreadyOne) => return Ok(back),
        Err(r) => return Err(r.into()),
        Ok(_) => {}
    }
    let id = CounsellorGrantId::new();
    let code = random_code();
    let proposed = state
        .store
        .propose_counsellor(NewCounsellorGrant {
            id,
            space: access.space,
            proposed_by: seat,
            code_lookup: code_hash(&state, &code),
            // The link is the couple's, not words of its writer.
            code: access
                .key
                .seal_for_space(id.0, fields::COUNSELLOR_CODE, &code),
            proposed_at: now(),
        })
        .await;
    match proposed {
        Ok(()) => tracing::info!(space = %access.space, "counsellor proposed"),
        // The same proposal at the same moment from the other tab or partner.
        Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(back)
}

pub async fn agree(
    State(state): State<AppState>,
    access: SpaceAccess,
) -> Result<Response, WebError> {
    let back = Redirect::to(&counsellor_href(&access)).into_response();
    let seat = seat_of(&access)?;
    let Some(open) = state.store.open_counsellor_grant(access.space).await? else {
        return Err(CounsellorRefusal::NothingToAgree.into());
    };
    if open.grant.agreed_at.is_some() && open.grant.proposed_by != seat {
        // Agreed already: a double submit.
        return Ok(back);
    }
    open.grant.may_agree(seat)?;
    if state
        .store
        .agree_counsellor(access.space, open.id, seat, now())
        .await?
    {
        tracing::info!(space = %access.space, "counsellor agreed");
        return Ok(back);
    }
    // Something changed at the same moment: a second agreement is already so, anything else
    // (withdrawn, ended) has nothing to agree to.
    match state.store.open_counsellor_grant(access.space).await? {
        Some(g) if g.id == open.id && g.grant.agreed_at.is_some() => Ok(back),
        _ => Err(CounsellorRefusal::NothingToAgree.into()),
    }
}

/// Either partner ends the counsellor's access, or the proposal, at once and alone.
pub async fn end(State(state): State<AppState>, access: SpaceAccess) -> Result<Response, WebError> {
    let seat = seat_of(&access)?;
    if state
        .store
        .end_counsellor(access.space, GrantEnd::Revoked(seat), now())
        .await?
    {
        tracing::info!(space = %access.space, "counsellor's access ended");
    }
    // Nothing open: ended already, by this click's twin or the other partner.
    Ok(Redirect::to(&counsellor_href(&access)).into_response())
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn journey_page(
    State(state): State<AppState>,
    journey: JourneyAccess,
    chrome: Chrome,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let clock = LocalClock::of(state.strings, &journey.viewer);
    let members = state.store.members(journey.breach.space).await?;
    let me = journey.viewer_id();
    let my_seat = members
        .iter()
        .find(|m| m.person == me)
        .map(|m| m.seat)
        .ok_or(WebError::NotFound)?;
    let partner = members.iter().find(|m| m.person != me);
    let partner_name = match partner {
        Some(p) => name_of(&state, p.person).await?,
        None => String::new(),
    };
    let consent = state.store.consent(journey.id()).await?;
    let mine = consent.of(my_seat);
    let theirs = consent.of(match my_seat {
        Seat::Creator => Seat::Joiner,
        Seat::Joiner => Seat::Creator,
    });
    let history = state
        .store
        .share_changes(journey.id())
        .await?
        .into_iter()
        .map(|c| ShareChangeLine {
            who: if c.person == me {
                state.strings.t(key!("counsellor.you")).to_owned()
            } else {
                partner_name.clone()
            },
            area: area_name(c.area),
            allowed: c.allowed,
            when: clock.at(c.at),
        })
        .collect();
    let mut notes = Vec::new();
    for n in state.store.counsellor_notes(journey.id()).await? {
        notes.push(NoteView {
            by: String::new(),
            text: journey.key.open(n.id.0, fields::COUNSELLOR_NOTE, &n.body)?,
            when: clock.at(n.created_at),
        });
    }
    let has_counsellor = counsellor_reads(&state, journey.breach.space).await?;
    Ok(render(&CounsellorJourneyPage {
        chrome: chrome.signed_in(),
        action: journey.page("counsellor"),
        space_href: format!("/spaces/{}/counsellor", journey.breach.space),
        kind: crate::names::kind_name(journey.details()?.kind),
        has_counsellor,
        saved: q.saved.is_some(),
        mine: OFFERED
            .iter()
            .map(|a| AreaChoice {
                slug: a.slug(),
                name: area_name(*a),
                chosen: mine.allows(*a),
            })
            .collect(),
        partner_name,
        partners: theirs.areas().iter().map(|a| area_name(*a)).collect(),
        history,
        notes,
    }))
}

/// The sharing form: every box ticked is one `area`, so the form arrives as pairs; none
/// ticked shares nothing. Other fields (the CSRF token) are not this handler's.
#[derive(Deserialize)]
#[serde(from = "Vec<(String, String)>")]
pub struct ShareForm {
    area: Vec<String>,
}

impl From<Vec<(String, String)>> for ShareForm {
    fn from(pairs: Vec<(String, String)>) -> Self {
        ShareForm {
            area: pairs
                .into_iter()
                .filter(|(k, _)| k == "area")
                .map(|(_, v)| v)
                .collect(),
        }
    }
}

pub async fn choose(
    State(state): State<AppState>,
    journey: JourneyAccess,
    crate::extract::Form(form): crate::extract::Form<ShareForm>,
) -> Result<Response, WebError> {
    let mut areas = Vec::new();
    for slug in &form.area {
        match ShareArea::from_slug(slug).filter(|a| OFFERED.contains(a)) {
            Some(area) => areas.push(area),
            None => {
                return Err(WebError::Refused {
                    status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    title: key!("counsellor.journey_title"),
                    body: key!("counsellor.error_area"),
                })
            }
        }
    }
    state
        .store
        .choose_shares(
            journey.id(),
            journey.viewer_id(),
            &ShareChoices::of(areas),
            now(),
        )
        .await?;
    tracing::info!(breach = %journey.id(), "share choices changed");
    Ok(Redirect::to(&format!("{}?saved=1", journey.page("counsellor"))).into_response())
}
