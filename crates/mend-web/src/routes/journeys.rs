//! Breaches and their journeys: recording what happened, the journey page, marking areas done,
//! and the guidance page of each area.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::store::BreachRecord;
use mend_core::{
    may_change_area, AgreementId, Area, AreaRefusal, AreaStatus, BreachDetails, BreachId,
    BreachKind, BreachProblem, CameToLight, JourneyState, Month, PersonId, Role, SpaceId,
};
use serde::Deserialize;

use crate::access::own_space;
use crate::access::{JourneyAccess, Ongoing};
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::{Form, Path};
use crate::fields;
use crate::key;
use crate::once::{form_id, store_once, Kept, FORM_ID};
use crate::opened::accepted_agreements;
use crate::session::{now, MaybeViewer, Viewer};
use crate::state::AppState;
use crate::views::{
    render, render_with, AgreementChoice, AreaView, BreachForm, Choice, GuidePage, JourneyPage,
    NewBreachPage,
};

use crate::names::area_name;
use crate::names::ending_name;
use crate::names::kind_name;
use crate::names::light_name;
use crate::names::status_name;

/// What, why and what to avoid, for each area's guidance page.
fn guide_text(area: Area) -> [&'static str; 3] {
    match area {
        Area::Acknowledge => [
            key!("guide.acknowledge_what"),
            key!("guide.acknowledge_why"),
            key!("guide.acknowledge_avoid"),
        ],
        Area::Honesty => [
            key!("guide.honesty_what"),
            key!("guide.honesty_why"),
            key!("guide.honesty_avoid"),
        ],
        Area::Questions => [
            key!("guide.questions_what"),
            key!("guide.questions_why"),
            key!("guide.questions_avoid"),
        ],
        Area::Feelings => [
            key!("guide.feelings_what"),
            key!("guide.feelings_why"),
            key!("guide.feelings_avoid"),
        ],
        Area::Patience => [
            key!("guide.patience_what"),
            key!("guide.patience_why"),
            key!("guide.patience_avoid"),
        ],
        Area::Responsibility => [
            key!("guide.responsibility_what"),
            key!("guide.responsibility_why"),
            key!("guide.responsibility_avoid"),
        ],
        Area::Intention => [
            key!("guide.intention_what"),
            key!("guide.intention_why"),
            key!("guide.intention_avoid"),
        ],
    }
}

/// The partner of the viewer in this space, if they have joined.
async fn partner_of(
    state: &AppState,
    space: SpaceId,
    viewer: PersonId,
) -> Result<Option<PersonId>, WebError> {
    Ok(state
        .store
        .members(space)
        .await?
        .into_iter()
        .map(|m| m.person)
        .find(|p| *p != viewer))
}

fn partner_needed() -> WebError {
    WebError::Refused {
        status: StatusCode::CONFLICT,
        title: key!("breach.waits_title"),
        body: key!("breach.waits_body"),
    }
}

fn choices<T: Copy + PartialEq>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    selected: Option<T>,
) -> Vec<Choice> {
    all.iter()
        .map(|&item| Choice {
            value: value(item),
            label: label(item),
            selected: selected == Some(item),
        })
        .collect()
}

fn new_breach_page(
    chrome: Chrome,
    space: SpaceId,
    agreements: &[(AgreementId, String)],
    form: &HashMap<String, String>,
    errors: Vec<&'static str>,
) -> NewBreachPage {
    let get = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let agreements = agreements
        .iter()
        .map(|(id, text)| AgreementChoice {
            value: id.to_string(),
            label: short(text),
            selected: get("agreement_id") == id.to_string(),
        })
        .collect();
    NewBreachPage {
        form_id: BreachId::new().to_string(),
        agreements,
        chrome: chrome.signed_in(),
        space_id: space.to_string(),
        form: BreachForm {
            who_me: get("who") == "me",
            who_partner: get("who") == "partner",
            kinds: choices(
                &BreachKind::ALL,
                BreachKind::as_str,
                kind_name,
                BreachKind::parse(get("kind")),
            ),
            lights: choices(
                &CameToLight::ALL,
                CameToLight::as_str,
                light_name,
                CameToLight::parse(get("came_to_light")),
            ),
            agreement: get("agreement")
                .chars()
                .take(BreachDetails::MAX_AGREEMENT_CHARS)
                .collect(),
            began: get("began").chars().take(7).collect(),
            ended: get("ended").chars().take(7).collect(),
            came_to_light_on: get("came_to_light_on").chars().take(7).collect(),
        },
        errors,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let (space, key) = own_space(&state, &viewer, &raw).await?;
    if partner_of(&state, space, viewer.id()).await?.is_none() {
        return Err(partner_needed());
    }
    let agreements = accepted_agreements(&state, space, &key).await?;
    Ok(render(&new_breach_page(
        chrome,
        space,
        &agreements,
        &HashMap::new(),
        Vec::new(),
    )))
}

/// The first line of an agreement, short enough for a list.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > 90 {
        format!("{}…", line.chars().take(89).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// Reads the form into breach details and the role the viewer takes, or the problems found.
/// An agreement chosen from the written ones stands for the one named in the text box.
fn parse_breach(
    form: &HashMap<String, String>,
    agreements: &[(AgreementId, String)],
) -> Result<(BreachDetails, Role), Vec<&'static str>> {
    let get = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let mut errors = Vec::new();
    let role = match get("who") {
        "me" => Some(Role::RepairingPartner),
        "partner" => Some(Role::HurtPartner),
        _ => {
            errors.push(key!("breach.error_who"));
            None
        }
    };
    let kind = BreachKind::parse(get("kind"));
    if kind.is_none() {
        errors.push(key!("breach.error_kind"));
    }
    let light = CameToLight::parse(get("came_to_light"));
    if light.is_none() {
        errors.push(key!("breach.error_light_how"));
    }
    let began = Month::parse(get("began"));
    let came_to_light_on = Month::parse(get("came_to_light_on"));
    let ended = match get("ended").trim() {
        "" => Some(None),
        value => Month::parse(value).map(Some),
    };
    if began.is_none() || came_to_light_on.is_none() || ended.is_none() {
        errors.push(key!("breach.error_month"));
    }
    let (Some(role), Some(kind), Some(light), Some(began), Some(came_to_light_on), Some(ended)) =
        (role, kind, light, began, came_to_light_on, ended)
    else {
        errors.dedup();
        return Err(errors);
    };
    let chosen = agreements
        .iter()
        .find(|(id, _)| get("agreement_id") == id.to_string())
        .map(|(_, text)| text.clone());
    let details = BreachDetails {
        kind,
        agreement: chosen.unwrap_or_else(|| get("agreement").trim().to_owned()),
        began,
        ended,
        came_to_light_on,
        came_to_light: light,
    };
    details.check().map_err(|p| {
        vec![match p {
            BreachProblem::AgreementMissing => key!("breach.error_agreement"),
            BreachProblem::AgreementTooLong => key!("breach.error_agreement_long"),
            BreachProblem::EndedBeforeBegan => key!("breach.error_ended"),
            BreachProblem::LightBeforeBegan => key!("breach.error_light"),
        }]
    })?;
    Ok((details, role))
}

pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path(raw): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (space, key) = own_space(&state, &viewer, &raw).await?;
    let partner = partner_of(&state, space, viewer.id())
        .await?
        .ok_or_else(partner_needed)?;
    let agreements = accepted_agreements(&state, space, &key).await?;
    let (details, role) = match parse_breach(&form, &agreements) {
        Ok(parsed) => parsed,
        Err(errors) => {
            return Ok(render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &new_breach_page(chrome, space, &agreements, &form, errors),
            ))
        }
    };
    let (hurt, repairing) = match role {
        Role::HurtPartner => (viewer.id(), partner),
        Role::RepairingPartner => (partner, viewer.id()),
    };
    let requested: BreachId = form_id(&form, FORM_ID)?;
    let json = serde_json::to_string(&details)
        .map_err(|e| WebError::internal(format!("breach details could not be written: {e}")))?;
    let initial: Vec<_> = Area::ALL.iter().map(|a| (*a, a.initial_status())).collect();
    let (state, viewer, key, json, initial) = (&state, &viewer, &key, json.as_str(), &initial);
    let record = |id: BreachId| {
        state.store.create_breach(
            BreachRecord {
                id,
                space,
                hurt,
                repairing,
                opened_by: viewer.id(),
                details: key.seal(id.0, fields::BREACH_DETAILS, json),
                created_at: now(),
                state: JourneyState::default(),
            },
            initial,
        )
    };
    let kept = |id: BreachId| async move {
        Ok(match state.store.breach(space, id).await? {
            Some(b)
                if b.opened_by == viewer.id()
                    && b.hurt == hurt
                    && key.open(b.id.0, fields::BREACH_DETAILS, &b.details)? == json =>
            {
                Kept::Same
            }
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    let stored = store_once(requested, record, kept).await?;
    let id = stored.id();
    if stored.is_new() {
        tracing::info!(%space, breach = %id, "breach recorded, journey started");
    }
    Ok(Redirect::to(&format!("/spaces/{space}/breaches/{id}")).into_response())
}

fn secret_note(chrome: &Chrome, months: i32) -> String {
    match months {
        0 => chrome.s.t(key!("journey.secret_same_month")).to_owned(),
        1 => chrome.s.t(key!("journey.secret_one")).to_owned(),
        n => chrome
            .s
            .with(key!("journey.secret_many"), "months", &n.to_string()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    journey: JourneyAccess,
    chrome: Chrome,
) -> Result<Response, WebError> {
    let details = journey.details()?;
    let (breach, role) = (&journey.breach, journey.role);
    let chrome = chrome.signed_in();
    let found_out_note = details
        .came_to_light
        .found_out_first()
        .then_some(match role {
            Role::HurtPartner => key!("journey.found_out_hurt"),
            Role::RepairingPartner => key!("journey.found_out_repairing"),
        });
    let opened_note = (role == Role::RepairingPartner && breach.opened_by == breach.hurt)
        .then_some(key!("journey.opened_by_hurt"));
    let areas = state
        .store
        .areas(breach.id)
        .await?
        .into_iter()
        .map(|a| AreaView {
            id: a.area.as_str(),
            name: area_name(a.area),
            status: status_name(a.status),
            status_value: a.status.as_str(),
            can_mark_done: !breach.state.is_ended()
                && may_change_area(role, a.status, AreaStatus::Done).is_ok(),
            can_reopen: !breach.state.is_ended()
                && may_change_area(role, a.status, AreaStatus::InProgress).is_ok(),
        })
        .collect();
    Ok(render(&JourneyPage {
        secret_note: secret_note(&chrome, details.months_kept_secret()),
        chrome,
        action_base: journey.href(),
        kind: kind_name(details.kind),
        agreement: details.agreement,
        began: details.began.as_input(),
        ended: details.ended.map(Month::as_input),
        came_to_light_on: details.came_to_light_on.as_input(),
        came_to_light: light_name(details.came_to_light),
        role: match role {
            Role::HurtPartner => key!("space.you_hurt"),
            Role::RepairingPartner => key!("space.you_repairing"),
        },
        is_hurt: role == Role::HurtPartner,
        found_out_note,
        opened_note,
        areas,
        journey_ended: breach
            .state
            .ended
            .map(|e| (ending_name(e.how), e.at.utc_minute())),
        closing_proposed: breach.state.closing_proposed_at.is_some(),
        my_side_open: breach.state.my_side_opened_at.is_some(),
        context_open: breach.state.context_opened_at.is_some(),
    }))
}

/// The status an area is moved to.
#[derive(Deserialize)]
pub struct AreaChangeForm {
    to: AreaStatus,
}

#[derive(Deserialize)]
pub struct AreaPath {
    area: Area,
}

pub async fn change_area(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(AreaPath { area }): Path<AreaPath>,
    Form(AreaChangeForm { to }): Form<AreaChangeForm>,
) -> Result<Response, WebError> {
    let current = state
        .store
        .areas(journey.id())
        .await?
        .into_iter()
        .find(|a| a.area == area)
        .ok_or(WebError::NotFound)?;
    let back = Redirect::to(&format!("{}#area-{}", journey.href(), area.as_str())).into_response();
    match may_change_area(journey.role, current.status, to) {
        // Already where it was asked to go: a double submit, which changes nothing.
        Err(AreaRefusal::Unchanged) => return Ok(back),
        other => other?,
    }
    if !state
        .store
        .change_area(
            journey.id(),
            area,
            current.status,
            to,
            journey.viewer_id(),
            now(),
        )
        .await?
    {
        return Err(WebError::Refused {
            status: StatusCode::CONFLICT,
            title: key!("journey.title"),
            body: key!("journey.changed_meanwhile"),
        });
    }
    tracing::info!(breach = %journey.id(), area = area.as_str(), to = to.as_str(), "area changed");
    Ok(back)
}

pub async fn guide(
    viewer: MaybeViewer,
    chrome: Chrome,
    Path(AreaPath { area }): Path<AreaPath>,
) -> Result<Response, WebError> {
    let chrome = if viewer.0.is_some() {
        chrome.signed_in()
    } else {
        chrome
    };
    let [what, why, avoid] = guide_text(area);
    Ok(render(&GuidePage {
        title: chrome
            .s
            .with(key!("guide.title"), "area", chrome.s.t(area_name(area))),
        chrome,
        what,
        why,
        avoid,
    }))
}
