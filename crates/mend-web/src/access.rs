//! Who may see what: extractors that load what a route names and authorise the viewer once.
//!
//! A handler states in its signature what it needs — a space the viewer belongs to, a journey
//! they belong to, or one that has not ended — and receives it loaded, with its key and the
//! viewer's role. Anything the viewer does not belong to is "not found", exactly like an id
//! that does not exist, so ids reveal nothing.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use std::sync::Arc;

use mend_core::store::{BreachRecord, SpaceState};
use mend_core::{
    Area, AreaStatus, BreachDetails, BreachId, EndingRefusal, PersonId, Role, SpaceId,
};
use mend_crypto::SpaceKeys;
use serde::Deserialize;

use crate::error::WebError;
use crate::extract::Path;
use crate::key;
use crate::opened;
use crate::session::{now, Viewer};
use crate::state::AppState;

/// `/spaces/{space}/…`
#[derive(Deserialize)]
pub struct SpacePath {
    pub space: SpaceId,
}

/// `/spaces/{space}/breaches/{breach}/…`
#[derive(Deserialize)]
pub struct JourneyPath {
    pub space: SpaceId,
    pub breach: BreachId,
}

/// A space the viewer is one of the two partners of, with its keys: what the viewer writes
/// is sealed with their own author key, and both partners' words open.
pub struct SpaceAccess {
    pub viewer: Viewer,
    pub space: SpaceId,
    pub key: SpaceKeys,
    /// The space as it stood when the request began (its partners and journeys), kept
    /// between requests while nothing in it changes (issue 13).
    pub space_state: Arc<SpaceState>,
}

impl SpaceAccess {
    /// Loads `space` for `viewer`, refusing with "not found" unless they are a partner in it.
    /// Their seat and the space's version came with the session.
    pub async fn load(state: &AppState, viewer: Viewer, space: SpaceId) -> Result<Self, WebError> {
        let at = viewer
            .space
            .filter(|at| at.space == space)
            .ok_or(WebError::NotFound)?;
        let space_state = state
            .store
            .space_state(at)
            .await?
            .ok_or(WebError::NotFound)?;
        let key = crate::author_keys::keys_for(
            state.store.as_ref(),
            &state.key,
            &space_state.record,
            &space_state.author_keys,
            viewer.id(),
        )
        .await?;
        Ok(Self {
            viewer,
            space,
            key,
            space_state,
        })
    }

    /// The viewer's partner in this space, if they have joined.
    pub fn partner(&self) -> Option<PersonId> {
        self.space_state.partner_of(self.viewer.id())
    }

    /// The space's own page.
    pub fn href(&self) -> String {
        format!("/spaces/{}", self.space)
    }
}

impl FromRequestParts<AppState> for SpaceAccess {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        let Path(path) = Path::<SpacePath>::from_request_parts(parts, state).await?;
        SpaceAccess::load(state, viewer, path.space).await
    }
}

/// A journey the viewer belongs to, with its breach, the space's key and the viewer's role.
/// An ended journey is given too: it stays readable. Routes that change something take
/// [`Ongoing`] instead.
pub struct JourneyAccess {
    pub viewer: Viewer,
    pub breach: BreachRecord,
    pub key: SpaceKeys,
    pub role: Role,
    /// Its space as it stood when the request began, kept between requests (issue 13).
    pub space_state: Arc<SpaceState>,
}

impl JourneyAccess {
    pub fn id(&self) -> BreachId {
        self.breach.id
    }

    pub fn viewer_id(&self) -> PersonId {
        self.viewer.id()
    }

    /// Whether the journey ended because the other partner left (issue 11): their words
    /// were removed, and the pages say so where they were.
    pub fn partner_left(&self) -> bool {
        self.breach
            .state
            .ended
            .is_some_and(|e| e.how == mend_core::Ending::PartnerLeft)
    }

    pub fn is_hurt(&self) -> bool {
        self.role == Role::HurtPartner
    }

    /// The journey's page; sections of it are below this path.
    pub fn href(&self) -> String {
        format!("/spaces/{}/breaches/{}", self.breach.space, self.breach.id)
    }

    /// The page of one part of the journey, such as `questions`.
    pub fn page(&self, part: &str) -> String {
        format!("{}/{part}", self.href())
    }

    /// Where the journey's areas stood when the request began, in the method's order.
    pub fn areas(&self) -> Vec<mend_core::store::AreaRecord> {
        self.space_state.areas_of(self.breach.id)
    }

    /// The breach's facts, opened with the space key.
    pub fn details(&self) -> Result<BreachDetails, WebError> {
        opened::breach_details(&self.key, &self.breach)
    }

    /// The first thing either partner does in an area that has not started moves it to "in
    /// progress"; after that only the hurt partner changes its status. The change is a
    /// compare-and-set, so anything later changes nothing.
    pub async fn area_begins(&self, state: &AppState, area: Area) -> Result<(), WebError> {
        let begun = state
            .store
            .change_area(
                self.breach.id,
                area,
                AreaStatus::NotStarted,
                AreaStatus::InProgress,
                self.viewer.id(),
                now(),
            )
            .await;
        match begun {
            // The journey ended (a partner left) just after what was written was stored:
            // that stays stored, and the area stays as the end found it.
            Ok(_) | Err(mend_core::StoreError::Ended) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

impl FromRequestParts<AppState> for JourneyAccess {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        let Path(path) = Path::<JourneyPath>::from_request_parts(parts, state).await?;
        let space = SpaceAccess::load(state, viewer, path.space).await?;
        let breach = space
            .space_state
            .breach(path.breach)
            .cloned()
            .ok_or(WebError::NotFound)?;
        Ok(JourneyAccess {
            role: breach.role_of(space.viewer.id()),
            viewer: space.viewer,
            key: space.key,
            breach,
            space_state: space.space_state,
        })
    }
}

/// What [`Ongoing`] asks of the access it wraps: whether its journey has ended.
pub trait Ends {
    fn has_ended(&self) -> bool;
}

impl Ends for JourneyAccess {
    fn has_ended(&self) -> bool {
        self.breach.state.is_ended()
    }
}

/// Access to a journey that has not ended: an ended journey stays readable, and nothing in it
/// changes any more, so every route that writes takes this.
pub struct Ongoing<T>(pub T);

impl<T> FromRequestParts<AppState> for Ongoing<T>
where
    T: FromRequestParts<AppState, Rejection = WebError> + Ends + Send,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let access = T::from_request_parts(parts, state).await?;
        if access.has_ended() {
            return Err(EndingRefusal::Ended.into());
        }
        Ok(Ongoing(access))
    }
}

/// Refuses, with a page that says why, to seat a new partner in a space a partner left: its
/// journeys belong to the relationship that was. The one who stays may leave it too and
/// start a new space.
pub async fn takes_a_partner(state: &AppState, space: SpaceId) -> Result<(), WebError> {
    match state.store.departed_at(space).await? {
        None => Ok(()),
        Some(_) => Err(WebError::Refused {
            status: StatusCode::CONFLICT,
            title: key!("leave.no_new_partner_title"),
            body: key!("leave.no_new_partner_body"),
        }),
    }
}

/// The person logged in, when their account is a counsellor's (issue 14): anyone else is
/// "not found" on a counsellor's pages.
pub struct CounsellorViewer(pub Viewer);

impl FromRequestParts<AppState> for CounsellorViewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        if viewer.record.counsellor_since.is_none() {
            return Err(WebError::NotFound);
        }
        Ok(Self(viewer))
    }
}

/// `/counsel/{space}/…`
#[derive(Deserialize)]
pub struct CouplePath {
    pub space: SpaceId,
}

/// A couple's space that the counsellor logged in reads now, through their active grant,
/// with the keys that open both partners' words. A counsellor whose access ended is told so
/// and nothing else; anyone else is "not found".
pub struct CoupleAccess {
    pub viewer: Viewer,
    pub grant: mend_core::store::CounsellorGrantRecord,
    pub key: SpaceKeys,
}

impl CoupleAccess {
    pub async fn load(state: &AppState, viewer: Viewer, space: SpaceId) -> Result<Self, WebError> {
        let Some(grant) = state
            .store
            .counsellor_grant_over(viewer.id(), space)
            .await?
        else {
            if state
                .store
                .counsellor_grant_ended(viewer.id(), space)
                .await?
            {
                return Err(mend_core::CounsellorRefusal::Ended.into());
            }
            return Err(WebError::NotFound);
        };
        let key =
            crate::author_keys::counsellor_keys(state.store.as_ref(), &state.key, space).await?;
        Ok(Self { viewer, grant, key })
    }

    pub fn space(&self) -> SpaceId {
        self.grant.space
    }

    pub fn href(&self) -> String {
        format!("/counsel/{}", self.grant.space)
    }
}

impl FromRequestParts<AppState> for CoupleAccess {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let CounsellorViewer(viewer) = CounsellorViewer::from_request_parts(parts, state).await?;
        let Path(path) = Path::<CouplePath>::from_request_parts(parts, state).await?;
        CoupleAccess::load(state, viewer, path.space).await
    }
}

/// One journey of a couple the counsellor reads, found only through their grant.
pub struct SharedJourneyAccess {
    pub couple: CoupleAccess,
    pub breach: BreachRecord,
}

impl SharedJourneyAccess {
    pub fn href(&self) -> String {
        format!("{}/breaches/{}", self.couple.href(), self.breach.id)
    }
}

impl FromRequestParts<AppState> for SharedJourneyAccess {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let CounsellorViewer(viewer) = CounsellorViewer::from_request_parts(parts, state).await?;
        let Path(path) = Path::<JourneyPath>::from_request_parts(parts, state).await?;
        let couple = CoupleAccess::load(state, viewer, path.space).await?;
        let breach = state
            .store
            .counsellor_breach(couple.viewer.id(), path.breach)
            .await?
            .filter(|b| b.space == path.space)
            .ok_or(WebError::NotFound)?;
        Ok(Self { couple, breach })
    }
}
