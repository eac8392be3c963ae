//! The choices partners make about their journey: rhythms, muting reassurance notes, opening
//! "my side" and the context conversation, and ending the journey. One form action serves
//! them all; who may make which choice is decided in `mend_core::journey_state`.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::{EndingRefusal, JourneyChange, JourneyRefusal, Rhythm};

use crate::access::{own_breach, role_of};
use crate::error::WebError;
use crate::extract::Form;
use crate::key;
use crate::session::{now, Viewer};
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

fn parse_change(form: &HashMap<String, String>) -> Result<JourneyChange, WebError> {
    let rhythm = || form.get("rhythm").map(String::as_str).unwrap_or("");
    Ok(match form.get("change").map(String::as_str).unwrap_or("") {
        "mute_reassurance" => JourneyChange::MuteReassurance,
        "unmute_reassurance" => JourneyChange::UnmuteReassurance,
        "check_in_rhythm" => JourneyChange::CheckInRhythm(match rhythm() {
            "whenever" => None,
            other => Some(Rhythm::parse(other).ok_or(WebError::BadRequest)?),
        }),
        "recommit_rhythm" => {
            JourneyChange::RecommitRhythm(Rhythm::parse(rhythm()).ok_or(WebError::BadRequest)?)
        }
        "open_my_side" => JourneyChange::OpenMySide,
        "open_context" => JourneyChange::OpenContext,
        "propose_closing" => JourneyChange::ProposeClosing,
        "withdraw_closing" => JourneyChange::WithdrawClosing,
        "agree_closing" => JourneyChange::AgreeClosing,
        "part_with_care" => JourneyChange::PartWithCare,
        _ => return Err(WebError::BadRequest),
    })
}

pub async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, _) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let change = parse_change(&form)?;
    let journey = format!("/spaces/{}/breaches/{}", breach.space, breach.id);
    let back = match form.get("back").map(String::as_str) {
        Some(page) if BACK_TO.contains(&page) => format!("{journey}/{page}"),
        _ => journey,
    };
    let back = Redirect::to(&back).into_response();
    let refused = |status, body| WebError::Refused {
        status,
        title: key!("journey.title"),
        body,
    };
    match breach.state.may(change, role_of(&breach, viewer.id())) {
        Ok(()) => {}
        // Already so: a double submit, or the other partner's page acting on an old state.
        Err(JourneyRefusal::AlreadySo)
        | Err(JourneyRefusal::Ending(EndingRefusal::AlreadyProposed))
        | Err(JourneyRefusal::Ending(EndingRefusal::NotProposed)) => return Ok(back),
        Err(JourneyRefusal::Ending(EndingRefusal::Ended)) => {
            return Err(refused(StatusCode::CONFLICT, key!("journey.ended_refusal")))
        }
        Err(JourneyRefusal::NotYours)
        | Err(JourneyRefusal::Ending(EndingRefusal::OnlyTheHurtPartnerProposes))
        | Err(JourneyRefusal::Ending(EndingRefusal::OnlyTheOtherPartnerAgrees)) => {
            return Err(refused(
                StatusCode::FORBIDDEN,
                key!("journey.not_your_choice"),
            ))
        }
    }
    // Parting is not undone: it is asked for twice, by a box to tick.
    if change == JourneyChange::PartWithCare
        && form.get("confirm").map(String::as_str) != Some("yes")
    {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            key!("endings.confirm_needed"),
        ));
    }
    if state
        .store
        .change_journey(breach.id, change, viewer.id(), now())
        .await?
    {
        tracing::info!(breach = %breach.id, change = ?change, "journey choice made");
    }
    Ok(back)
}
