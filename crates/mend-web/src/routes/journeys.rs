//! Breaches and their journeys: recording what happened, the journey page, marking areas done,
//! and the guidance page of each area.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::store::BreachRecord;
use mend_core::{
    may_change_area, AgreementId, Area, AreaRefusal, AreaStatus, BreachDetails, BreachId,
    BreachKind, BreachProblem, CameToLight, EntryKind, EntryState, JourneyState, Month, PersonId,
    Role, SpaceId,
};
use serde::Deserialize;

use crate::access::{JourneyAccess, Ongoing, SpaceAccess};
use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::{Form, Path};
use crate::fields;
use crate::key;
use crate::once::{store_once, FormId, Kept};
use crate::opened::accepted_agreements;
use crate::session::{now, MaybeViewer};
use crate::state::AppState;
use crate::views::{
    render, render_with, AgreementChoice, AreaView, BreachForm as BreachFields, Choice, GuidePage,
    JourneyPage, NewBreachPage,
};

use crate::names::{area_name, ending_name, kind_name, light_name, status_name};
use crate::when::LocalClock;

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

/// The partner a journey is recorded with; until they have joined, nothing can be recorded.
fn partner_in(space: &SpaceAccess) -> Result<PersonId, WebError> {
    space.partner().ok_or(WebError::Refused {
        status: StatusCode::CONFLICT,
        title: key!("breach.waits_title"),
        body: key!("breach.waits_body"),
    })
}

/// The form that records a breach, as sent. Every field may be missing or wrong: the page is
/// shown again with what was typed and what was wrong (see [`BreachForm::parse`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct BreachForm {
    /// "me" (the viewer broke the agreement) or "partner".
    who: String,
    kind: String,
    came_to_light: String,
    began: String,
    ended: String,
    came_to_light_on: String,
    agreement: String,
    /// One of the space's accepted agreements, chosen instead of typing one.
    agreement_id: String,
    form_id: FormId<BreachId>,
}

impl BreachForm {
    /// The breach details and the role the viewer takes, or the problems found. An agreement
    /// chosen from the written ones stands for the one named in the text box.
    fn parse(
        &self,
        agreements: &[(AgreementId, String)],
    ) -> Result<(BreachDetails, Role), Vec<&'static str>> {
        let mut errors = Vec::new();
        let role = match self.who.as_str() {
            "me" => Some(Role::RepairingPartner),
            "partner" => Some(Role::HurtPartner),
            _ => {
                errors.push(key!("breach.error_who"));
                None
            }
        };
        let kind = BreachKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(key!("breach.error_kind"));
        }
        let light = CameToLight::parse(&self.came_to_light);
        if light.is_none() {
            errors.push(key!("breach.error_light_how"));
        }
        let began = Month::parse(&self.began);
        let came_to_light_on = Month::parse(&self.came_to_light_on);
        let ended = match self.ended.trim() {
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
            .find(|(id, _)| self.agreement_id == id.to_string())
            .map(|(_, text)| text.clone());
        let details = BreachDetails {
            kind,
            agreement: chosen.unwrap_or_else(|| self.agreement.trim().to_owned()),
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
    form: &BreachForm,
    errors: Vec<&'static str>,
) -> NewBreachPage {
    let agreements = agreements
        .iter()
        .map(|(id, text)| AgreementChoice {
            value: id.to_string(),
            label: short(text),
            selected: form.agreement_id == id.to_string(),
        })
        .collect();
    NewBreachPage {
        form_id: BreachId::new().to_string(),
        agreements,
        chrome: chrome.signed_in(),
        space_id: space.to_string(),
        form: BreachFields {
            who_me: form.who == "me",
            who_partner: form.who == "partner",
            kinds: choices(
                &BreachKind::ALL,
                BreachKind::as_str,
                kind_name,
                BreachKind::parse(&form.kind),
            ),
            lights: choices(
                &CameToLight::ALL,
                CameToLight::as_str,
                light_name,
                CameToLight::parse(&form.came_to_light),
            ),
            agreement: form
                .agreement
                .chars()
                .take(BreachDetails::MAX_AGREEMENT_CHARS)
                .collect(),
            began: form.began.chars().take(7).collect(),
            ended: form.ended.chars().take(7).collect(),
            came_to_light_on: form.came_to_light_on.chars().take(7).collect(),
        },
        errors,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    space: SpaceAccess,
    chrome: Chrome,
) -> Result<Response, WebError> {
    partner_in(&space)?;
    let agreements = accepted_agreements(&state, space.space, &space.key).await?;
    Ok(render(&new_breach_page(
        chrome,
        space.space,
        &agreements,
        &BreachForm::default(),
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

pub async fn create(
    State(state): State<AppState>,
    access: SpaceAccess,
    chrome: Chrome,
    Form(form): Form<BreachForm>,
) -> Result<Response, WebError> {
    let partner = partner_in(&access)?;
    let (space, key, viewer) = (access.space, &access.key, &access.viewer);
    let agreements = accepted_agreements(&state, space, key).await?;
    let (details, role) = match form.parse(&agreements) {
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
    let json = serde_json::to_string(&details)
        .map_err(|e| WebError::internal(format!("breach details could not be written: {e}")))?;
    let initial: Vec<_> = Area::ALL.iter().map(|a| (*a, a.initial_status())).collect();
    let (state, json, initial) = (&state, json.as_str(), &initial);
    let record = |id: BreachId| {
        state.store.create_breach(
            BreachRecord {
                id,
                space,
                hurt,
                repairing,
                opened_by: viewer.id(),
                // The journey's facts stay readable to the partner who stays if the other
                // leaves, so they belong to the space rather than to their writer.
                details: key.seal_for_space(id.0, fields::BREACH_DETAILS, json),
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
    let stored = store_once(form.form_id.0, record, kept).await?;
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
    let clock = LocalClock::of(state.strings, &journey.viewer);
    let chrome = chrome.signed_in();
    // "The journey begins with your acknowledgement": said while it is true, before the
    // acknowledgement is sent, and never on an ended journey.
    let beginning = !breach.state.is_ended()
        && !state
            .store
            .entries_for(breach.id, EntryKind::Acknowledgement, journey.viewer_id())
            .await?
            .iter()
            .any(|e| e.state == EntryState::Sent);
    let found_out_note =
        (beginning && details.came_to_light.found_out_first()).then_some(match role {
            Role::HurtPartner => key!("journey.found_out_hurt"),
            Role::RepairingPartner => key!("journey.found_out_repairing"),
        });
    let opened_note =
        (beginning && role == Role::RepairingPartner && breach.opened_by == breach.hurt)
            .then_some(key!("journey.opened_by_hurt"));
    // What waits in this journey, counted for this request already, shown in its area.
    let href = journey.href();
    let kind = kind_name(details.kind);
    let waiting: Vec<_> = chrome
        .waiting
        .as_ref()
        .map(|w| w.of(breach.id).to_vec())
        .unwrap_or_default();
    let areas = journey
        .areas()
        .into_iter()
        .map(|a| AreaView {
            waiting: waiting
                .iter()
                .filter(|w| w.place().area() == Some(a.area))
                .map(|w| crate::waiting_view::item(&href, kind, *w))
                .collect(),
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
        first_steps: beginning.then_some(match role {
            Role::HurtPartner => key!("everyday.first_steps_hurt"),
            Role::RepairingPartner => key!("everyday.first_steps_repairing"),
        }),
        areas,
        journey_ended: breach
            .state
            .ended
            .map(|e| (ending_name(e.how), clock.at(e.at))),
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::strings::Strings;

    /// The fields the new-breach page sends are the ones `BreachForm` reads, and the page
    /// filled in as a person fills it records a breach.
    #[test]
    fn the_breach_page_sends_what_the_form_reads() {
        let chrome = Chrome {
            s: Strings::english(),
            csrf: String::new(),
            exit_url: String::new(),
            signed_in: false,
            waiting: None,
            zone: mend_core::Zone::utc(),
        };
        let space = SpaceId::new();
        let agreements = [(AgreementId::new(), "We keep to each other.".to_owned())];
        let page = new_breach_page(
            chrome,
            space,
            &agreements,
            &BreachForm::default(),
            Vec::new(),
        );
        let html = askama::Template::render(&page).expect("the page renders");
        let sent_form = html
            .split(&format!("action=\"/spaces/{space}/breaches\""))
            .nth(1)
            .and_then(|rest| rest.split("</form>").next())
            .expect("the page has the breach form");
        let sent: BTreeSet<&str> = sent_form
            .split("name=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        let filled = [
            ("who", "me"),
            ("kind", BreachKind::ALL[0].as_str()),
            ("came_to_light", CameToLight::ALL[0].as_str()),
            ("began", "2024-01"),
            ("ended", ""),
            ("came_to_light_on", "2024-06"),
            ("agreement", "We keep to each other."),
            ("agreement_id", ""),
            ("form_id", ""),
        ];
        let read: BTreeSet<&str> = filled.iter().map(|(name, _)| *name).collect();
        assert_eq!(sent, read.iter().copied().chain(["csrf"]).collect());
        let values: serde_json::Map<_, _> = filled
            .iter()
            .map(|(name, value)| (name.to_string(), (*value).into()))
            .collect();
        let form: BreachForm =
            serde_json::from_value(values.into()).expect("the fields are read into the form");
        let (details, role) = form.parse(&[]).expect("a filled-in form records a breach");
        assert_eq!(role, Role::RepairingPartner);
        assert_eq!(details.agreement, "We keep to each other.");
    }
}
