//! The endings page: the two ways a journey can end, both legitimate. The forms post to the
//! journey's choices; this page only shows where things stand and what each partner may do.

use axum::extract::{Path, State};
use axum::response::Response;
use mend_core::JourneyChange;

use crate::access::{own_breach, role_of};
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::names::ending_name;
use crate::session::Viewer;
use crate::state::AppState;
use crate::views::{render, EndingsPage};

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (breach, _) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let role = role_of(&breach, viewer.id());
    let may = |change| breach.state.may(change, role).is_ok();
    Ok(render(&EndingsPage {
        chrome: chrome.signed_in(),
        journey: format!("/spaces/{}/breaches/{}", breach.space, breach.id),
        is_hurt: role == mend_core::Role::HurtPartner,
        ended: breach
            .state
            .ended
            .map(|e| (ending_name(e.how), e.at.utc_minute())),
        proposed_on: breach.state.closing_proposed_at.map(|t| t.utc_minute()),
        can_propose: may(JourneyChange::ProposeClosing),
        can_withdraw: may(JourneyChange::WithdrawClosing),
        can_agree: may(JourneyChange::AgreeClosing),
        can_part: may(JourneyChange::PartWithCare),
    }))
}
