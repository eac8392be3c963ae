//! The endings page: the two ways a journey can end, both legitimate. The forms post to the
//! journey's choices; this page only shows where things stand and what each partner may do.

use axum::response::Response;
use mend_core::JourneyChange;

use crate::access::JourneyAccess;
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::names::ending_name;
use crate::views::{render, EndingsPage};
use crate::when::LocalClock;

pub async fn page(journey: JourneyAccess, chrome: Chrome) -> Result<Response, WebError> {
    let state = &journey.breach.state;
    let may = |change| state.may(change, journey.role).is_ok();
    let clock = LocalClock::of(chrome.s, &journey.viewer);
    Ok(render(&EndingsPage {
        chrome: chrome.signed_in(),
        journey: journey.href(),
        is_hurt: journey.is_hurt(),
        ended: state.ended.map(|e| (ending_name(e.how), clock.at(e.at))),
        proposed_on: state.closing_proposed_at.map(|t| clock.at(t)),
        can_propose: may(JourneyChange::ProposeClosing),
        can_withdraw: may(JourneyChange::WithdrawClosing),
        can_agree: may(JourneyChange::AgreeClosing),
        can_part: may(JourneyChange::PartWithCare),
    }))
}
