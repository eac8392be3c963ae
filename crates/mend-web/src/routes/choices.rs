//! The choices partners make about their journey: rhythms, muting reassurance notes, opening
//! "my side" and the context conversation, and ending the journey. One form action serves
//! them all; who may make which choice is decided in `mend_core::journey_state`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::{EndingRefusal, JourneyChange, JourneyRefusal, Rhythm};
use serde::Deserialize;

use crate::access::JourneyAccess;
use crate::error::WebError;
use crate::extract::Form;
use crate::key;
use crate::session::now;
use crate::state::AppState;

/// The pages a choice may return to, relative to the journey: nothing else is followed, so the
/// form cannot send anyone elsewhere.
const BACK_TO: [&str; 7] = [
    "feelings",
    "patience",
    "reassurance",
    "recommit",
    "endings",
    "my-side",
    "context",
];

/// A choice as sent: which change, the rhythm it sets (for the two rhythms), the page to go
/// back to, and the ticked box that confirms parting.
#[derive(Deserialize)]
pub struct ChoiceForm {
    #[serde(default)]
    change: String,
    #[serde(default)]
    rhythm: String,
    back: Option<String>,
    confirm: Option<String>,
}

impl TryFrom<&ChoiceForm> for JourneyChange {
    /// A change or rhythm that is not one of the form's own: a malformed request.
    type Error = WebError;

    fn try_from(form: &ChoiceForm) -> Result<Self, WebError> {
        let rhythm = || Rhythm::parse(&form.rhythm).ok_or(WebError::BadRequest);
        Ok(match form.change.as_str() {
            "mute_reassurance" => JourneyChange::MuteReassurance,
            "unmute_reassurance" => JourneyChange::UnmuteReassurance,
            "check_in_rhythm" => JourneyChange::CheckInRhythm(match form.rhythm.as_str() {
                "whenever" => None,
                _ => Some(rhythm()?),
            }),
            "recommit_rhythm" => JourneyChange::RecommitRhythm(rhythm()?),
            "open_my_side" => JourneyChange::OpenMySide,
            "open_context" => JourneyChange::OpenContext,
            "propose_closing" => JourneyChange::ProposeClosing,
            "withdraw_closing" => JourneyChange::WithdrawClosing,
            "agree_closing" => JourneyChange::AgreeClosing,
            "part_with_care" => JourneyChange::PartWithCare,
            _ => return Err(WebError::BadRequest),
        })
    }
}

/// An ended journey is refused by its own rules (`JourneyState::may`), after the form is read,
/// so this takes [`JourneyAccess`] rather than `Ongoing`.
pub async fn change(
    State(state): State<AppState>,
    journey: JourneyAccess,
    Form(form): Form<ChoiceForm>,
) -> Result<Response, WebError> {
    let change = JourneyChange::try_from(&form)?;
    let back = match form.back.as_deref() {
        Some(page) if BACK_TO.contains(&page) => format!("{}/{page}", journey.href()),
        _ => journey.href(),
    };
    let back = Redirect::to(&back).into_response();
    match journey.breach.state.may(change, journey.role) {
        // Already so: a double submit, or the other partner's page acting on an old state.
        Err(JourneyRefusal::AlreadySo)
        | Err(JourneyRefusal::Ending(EndingRefusal::AlreadyProposed))
        | Err(JourneyRefusal::Ending(EndingRefusal::NotProposed)) => return Ok(back),
        other => other?,
    }
    // Parting is not undone: it is asked for twice, by a box to tick.
    if change == JourneyChange::PartWithCare && form.confirm.as_deref() != Some("yes") {
        return Err(WebError::Refused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            title: key!("journey.title"),
            body: key!("endings.confirm_needed"),
        });
    }
    if state
        .store
        .change_journey(journey.id(), change, journey.viewer_id(), now())
        .await?
    {
        tracing::info!(breach = %journey.id(), change = ?change, "journey choice made");
    }
    Ok(back)
}
