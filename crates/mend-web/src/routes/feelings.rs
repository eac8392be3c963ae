//! The Feelings area: the hurt partner names a feeling; the repairing partner answers only with
//! a reflection of what they heard (the coach reads it as listening), until the hurt partner
//! says they feel heard. "My side" is opened from here, by the hurt partner alone.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_coach::Mode;
use mend_core::feeling::{may_answer, may_reflect, may_share, may_withdraw, MAX_FEELING_CHARS};
use mend_core::store::{BreachRecord, FeelingRecord, ReflectionRecord};
use mend_core::{
    Area, Feeling, FeelingId, FeelingProblem, FeelingRefusal, FeelingWord, Listening, ReflectionId,
    Role, StoreError, Verdict,
};
use mend_crypto::DataKey;

use crate::access::{area_begins, ongoing_breach, own_breach, role_of};
use crate::chrome::Chrome;
use crate::coaching::results_for;
use crate::error::WebError;
use crate::extract::Form;
use crate::fields;
use crate::key;
use crate::names::word_name;
use crate::once::{form_id, id_from, store_once, Kept, FORM_ID};
use crate::opened::feeling as open_feeling;
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::unread::is_new;
use crate::views::{render, render_with, FeelingView, FeelingsPage, Labelled, ReflectionView};
use mend_core::feeling::listening;

const SECTION: &str = "feelings";

fn intensity_name(n: u8) -> &'static str {
    match n {
        1 => key!("feelings.intensity_1"),
        2 => key!("feelings.intensity_2"),
        3 => key!("feelings.intensity_3"),
        4 => key!("feelings.intensity_4"),
        _ => key!("feelings.intensity_5"),
    }
}

fn page_path(breach: &BreachRecord) -> String {
    format!("/spaces/{}/breaches/{}/{SECTION}", breach.space, breach.id)
}

/// A reflection sent while another one waits for the hurt partner's answer is not sent.
fn another_reflection_waits() -> WebError {
    WebError::Refused {
        status: StatusCode::CONFLICT,
        title: key!("feelings.title"),
        body: key!("feelings.reflection_waiting"),
    }
}

fn refused(refusal: FeelingRefusal) -> WebError {
    match refusal {
        FeelingRefusal::NotWaiting => WebError::Refused {
            status: StatusCode::CONFLICT,
            title: key!("feelings.title"),
            body: key!("feelings.not_waiting"),
        },
        _ => WebError::Refused {
            status: StatusCode::FORBIDDEN,
            title: key!("feelings.title"),
            body: key!("feelings.not_yours"),
        },
    }
}

/// What the page shows while something is being written or checked.
#[derive(Default)]
struct Typed {
    /// The hurt partner's feeling text, kept when the form comes back with a problem.
    feeling_text: String,
    /// A reflection being checked with the coach, or sent back with a problem.
    reflection: Option<(FeelingId, String)>,
}

async fn render_page(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    breach: &BreachRecord,
    key: &DataKey,
    typed: Typed,
    errors: Vec<&'static str>,
) -> Result<FeelingsPage, WebError> {
    let role = role_of(breach, viewer.id());
    let ongoing = !breach.state.is_ended();
    let reflections = state.store.reflections(breach.id).await?;
    let last_seen = state
        .store
        .last_seen(viewer.id(), breach.id, SECTION)
        .await?;
    let mut views = Vec::new();
    for record in state.store.feelings(breach.id).await?.into_iter().rev() {
        let feeling = open_feeling(key, &record)?;
        let withdrawn = record.withdrawn_at.is_some();
        let stands = listening(record.id, &reflections);
        let mut shown = Vec::new();
        let mut awaiting = None;
        for r in reflections.iter().filter(|r| r.feeling == record.id) {
            if r.verdict.is_none() && r.withdrawn_at.is_none() {
                awaiting = Some(r.id.to_string());
            }
            shown.push(ReflectionView {
                id: r.id.to_string(),
                text: match &r.body {
                    Some(sealed) => Some(key.open(r.id.0, fields::REFLECTION_BODY, sealed)?),
                    None => None,
                },
                withdrawn_on: r.withdrawn_at.map(|t| t.utc_minute()),
                can_withdraw: ongoing
                    && may_withdraw(r.author == viewer.id(), r.withdrawn_at.is_some()).is_ok(),
                sent_on: r.created_at.utc_minute(),
                verdict: r.verdict.map(|v| match v {
                    Verdict::Heard => key!("feelings.verdict_heard"),
                    Verdict::NotYet => key!("feelings.verdict_not_yet"),
                }),
                missed: match &r.missed {
                    Some(sealed) => Some(key.open(r.id.0, fields::REFLECTION_MISSED, sealed)?),
                    None => None,
                },
                // New to the hurt partner when it arrives; new to its author when answered.
                new: if r.author == viewer.id() {
                    r.verdict_at.is_some_and(|at| is_new(at, last_seen))
                } else {
                    is_new(r.created_at, last_seen)
                },
            });
        }
        let draft = typed
            .reflection
            .as_ref()
            .filter(|(id, _)| *id == record.id)
            .map(|(_, text)| text.clone())
            .unwrap_or_default();
        let (words, intensity, text) = match feeling {
            Some(f) => (
                f.words.iter().map(|w| word_name(*w)).collect(),
                Some(intensity_name(f.intensity.value())),
                f.text,
            ),
            None => (Vec::new(), None, String::new()),
        };
        views.push(FeelingView {
            id: record.id.to_string(),
            words,
            intensity,
            text,
            withdrawn_on: record.withdrawn_at.map(|t| t.utc_minute()),
            can_withdraw: ongoing && may_withdraw(record.person == viewer.id(), withdrawn).is_ok(),
            shared_on: record.created_at.utc_minute(),
            new: record.person != viewer.id() && is_new(record.created_at, last_seen),
            status: match stands {
                Listening::AwaitingReflection => key!("feelings.awaiting_reflection"),
                Listening::AwaitingVerdict => key!("feelings.awaiting_verdict"),
                Listening::Heard => key!("feelings.heard"),
            },
            reflections: shown,
            can_reflect: ongoing && !withdrawn && may_reflect(role, stands).is_ok(),
            answer_to: awaiting
                .filter(|_| ongoing && !withdrawn && may_answer(role, stands).is_ok()),
            coach: results_for(&draft, Mode::Reflection),
            draft,
        });
    }
    Ok(FeelingsPage {
        form_id: ReflectionId::new().to_string(),
        chrome: chrome.signed_in(),
        action: page_path(breach),
        journey: format!("/spaces/{}/breaches/{}", breach.space, breach.id),
        is_hurt: role == Role::HurtPartner,
        can_share: ongoing && may_share(role).is_ok(),
        words: FeelingWord::ALL
            .iter()
            .map(|w| Labelled {
                value: w.as_str(),
                label: word_name(*w),
            })
            .collect(),
        intensities: (1..=mend_core::Intensity::MAX)
            .map(|n| (n, intensity_name(n)))
            .collect(),
        feeling_text: typed.feeling_text,
        next_feeling: FeelingId::new().to_string(),
        feelings: views,
        my_side_open: breach.state.my_side_opened_at.is_some(),
        can_open_my_side: ongoing && role == Role::HurtPartner,
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (breach, key) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let page = render_page(
        &state,
        &viewer,
        chrome,
        &breach,
        &key,
        Typed::default(),
        Vec::new(),
    )
    .await?;
    state
        .store
        .mark_seen(viewer.id(), breach.id, SECTION, now())
        .await?;
    Ok(render(&page))
}

fn feeling_problem(problem: FeelingProblem) -> &'static str {
    match problem {
        FeelingProblem::NoWords | FeelingProblem::UnknownWord => key!("feelings.error_words"),
        FeelingProblem::NoIntensity => key!("feelings.error_intensity"),
        FeelingProblem::TooLong => key!("feelings.error_long"),
    }
}

/// The hurt partner shares a feeling. The form arrives as pairs because several words can be
/// chosen.
pub async fn share(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (breach, key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    may_share(role_of(&breach, viewer.id())).map_err(refused)?;
    let value = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let words = form
        .iter()
        .filter(|(k, _)| k == "word")
        .map(|(_, v)| v.as_str());
    let feeling = match Feeling::from_form(words, value("intensity"), value("text")) {
        Ok(feeling) => feeling,
        Err(problem) => {
            let typed = Typed {
                feeling_text: value("text").chars().take(MAX_FEELING_CHARS).collect(),
                reflection: None,
            };
            let page = render_page(
                &state,
                &viewer,
                chrome,
                &breach,
                &key,
                typed,
                vec![feeling_problem(problem)],
            )
            .await?;
            return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let json = serde_json::to_string(&feeling)
        .map_err(|e| WebError::internal(format!("a feeling could not be written: {e}")))?;
    let requested: FeelingId = id_from(value("feeling"))?;
    let (state, viewer, breach, key, json) = (&state, &viewer, &breach, &key, json.as_str());
    let share = |id: FeelingId| {
        state.store.create_feeling(FeelingRecord {
            id,
            breach: breach.id,
            person: viewer.id(),
            feeling: Some(key.seal(id.0, fields::FEELING, json)),
            created_at: now(),
            withdrawn_at: None,
        })
    };
    let kept = |id: FeelingId| async move {
        let feelings = state.store.feelings(breach.id).await?;
        Ok(match feelings.iter().find(|f| f.id == id) {
            Some(f) if f.person == viewer.id() => match &f.feeling {
                Some(sealed) if key.open(f.id.0, fields::FEELING, sealed)? == json => Kept::Same,
                // Another feeling, or withdrawn since (its words are gone): stored as new.
                _ => Kept::Other,
            },
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    if store_once(requested, share, kept).await?.is_new() {
        tracing::info!(breach = %breach.id, "feeling shared");
        area_begins(state, breach, Area::Feelings, viewer.id()).await?;
    }
    Ok(Redirect::to(&page_path(breach)).into_response())
}

/// The repairing partner reflects a feeling, or — with `check` — sees the coach's notes first,
/// storing nothing.
pub async fn reflect(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach, raw_feeling)): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let id: FeelingId = raw_feeling.parse().map_err(|_| WebError::NotFound)?;
    let feeling = state
        .store
        .feelings(breach.id)
        .await?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or(WebError::NotFound)?;
    if feeling.withdrawn_at.is_some() {
        return Err(refused(FeelingRefusal::NotWaiting));
    }
    let text = form.get("text").map(String::as_str).unwrap_or("");
    let requested: ReflectionId = form_id(&form, FORM_ID)?;
    let (state, viewer, breach_ref, key_ref) = (&state, &viewer, &breach, &key);
    // Whether the reflection under an id is this form's: the same author's same words.
    let kept = |rid: ReflectionId| async move {
        let reflections = state.store.reflections(breach_ref.id).await?;
        Ok(match reflections.iter().find(|r| r.id == rid) {
            Some(r) if r.author == viewer.id() && r.feeling == id => match &r.body {
                Some(sealed) if key_ref.open(r.id.0, fields::REFLECTION_BODY, sealed)? == text => {
                    Kept::Same
                }
                _ => Kept::Other,
            },
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    let reflections = state.store.reflections(breach.id).await?;
    let stands = listening(id, &reflections);
    match may_reflect(role_of(&breach, viewer.id()), stands) {
        Ok(()) => {}
        // This very form, sent a moment ago (a double submit): nothing more to do. Another
        // reflection waiting (from another tab) is said plainly: this one was not sent.
        Err(FeelingRefusal::NotWaiting) if stands == Listening::AwaitingVerdict => {
            if kept(requested).await? == Kept::Same {
                return Ok(Redirect::to(&page_path(&breach)).into_response());
            }
            return Err(another_reflection_waits());
        }
        Err(refusal) => return Err(refused(refusal)),
    }
    let problem = if mend_core::text::is_blank(text) {
        Some(key!("feelings.error_reflection_empty"))
    } else if text.chars().count() > MAX_FEELING_CHARS {
        Some(key!("feelings.error_long"))
    } else {
        None
    };
    if problem.is_some() || form.contains_key("check") {
        let typed = Typed {
            feeling_text: String::new(),
            reflection: Some((id, text.chars().take(MAX_FEELING_CHARS).collect())),
        };
        let page = render_page(
            state,
            viewer,
            chrome,
            &breach,
            &key,
            typed,
            problem.into_iter().collect(),
        )
        .await?;
        let status = if problem.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        return Ok(render_with(status, &page));
    }
    let reflect = |rid: ReflectionId| async move {
        let record = ReflectionRecord {
            id: rid,
            feeling: id,
            author: viewer.id(),
            body: Some(key_ref.seal(rid.0, fields::REFLECTION_BODY, text)),
            created_at: now(),
            withdrawn_at: None,
            verdict: None,
            missed: None,
            verdict_at: None,
        };
        match state.store.create_reflection(breach_ref.id, record).await? {
            true => Ok(()),
            false => Err(StoreError::Conflict("the feeling waits for no reflection")),
        }
    };
    match store_once(requested, reflect, kept).await {
        Ok(stored) if stored.is_new() => tracing::info!(breach = %breach.id, "reflection sent"),
        Ok(_) => {}
        // Another reflection got there first: this one was not sent.
        Err(WebError::Conflict) => return Err(another_reflection_waits()),
        Err(e) => return Err(e),
    }
    Ok(Redirect::to(&format!("{}#feeling-{id}", page_path(&breach))).into_response())
}

/// The hurt partner answers a reflection: "I feel heard", or "not yet" with what was missed.
pub async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_reflection)): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let id: ReflectionId = raw_reflection.parse().map_err(|_| WebError::NotFound)?;
    let reflections = state.store.reflections(breach.id).await?;
    let reflection = reflections
        .iter()
        .find(|r| r.id == id)
        .ok_or(WebError::NotFound)?;
    let back = Redirect::to(&format!(
        "{}#feeling-{}",
        page_path(&breach),
        reflection.feeling
    ))
    .into_response();
    let role = role_of(&breach, viewer.id());
    let verdict = form
        .get("verdict")
        .and_then(|v| Verdict::parse(v))
        .ok_or(WebError::BadRequest)?;
    let missed = form.get("missed").map(|m| m.trim()).unwrap_or("");
    if missed.chars().count() > MAX_FEELING_CHARS {
        return Err(WebError::Refused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            title: key!("feelings.title"),
            body: key!("feelings.error_long"),
        });
    }
    let missed =
        (verdict == Verdict::NotYet && !mend_core::text::is_blank(missed)).then_some(missed);
    if reflection.verdict.is_some() || reflection.withdrawn_at.is_some() {
        return match role {
            Role::HurtPartner => answered_already(&key, reflection, verdict, missed).map(|()| back),
            Role::RepairingPartner => Err(refused(FeelingRefusal::NotTheHurtPartner)),
        };
    }
    may_answer(role, listening(reflection.feeling, &reflections)).map_err(refused)?;
    let sealed = missed.map(|m| key.seal(id.0, fields::REFLECTION_MISSED, m));
    if !state
        .store
        .answer_reflection(breach.id, id, verdict, sealed, now())
        .await?
    {
        // Answered from another tab a moment ago: this answer stands only if it is that one.
        let kept = state
            .store
            .reflections(breach.id)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(WebError::NotFound)?;
        return answered_already(&key, &kept, verdict, missed).map(|()| back);
    }
    tracing::info!(breach = %breach.id, verdict = verdict.as_str(), "reflection answered");
    Ok(back)
}

/// A reflection answered already: the same answer sent again (a double submit) stands; any
/// other is said plainly not to have been kept.
fn answered_already(
    key: &DataKey,
    kept: &ReflectionRecord,
    verdict: Verdict,
    missed: Option<&str>,
) -> Result<(), WebError> {
    let kept_missed = match &kept.missed {
        Some(sealed) => Some(key.open(kept.id.0, fields::REFLECTION_MISSED, sealed)?),
        None => None,
    };
    if kept.withdrawn_at.is_none()
        && kept.verdict == Some(verdict)
        && kept_missed.as_deref() == missed
    {
        return Ok(());
    }
    Err(WebError::Refused {
        status: StatusCode::CONFLICT,
        title: key!("feelings.title"),
        body: key!("feelings.answered_already"),
    })
}

/// Whether the viewer may withdraw now: true to go ahead, false when it was withdrawn a moment
/// ago (a double submit, which changes nothing); a refusal page for anyone but the author.
fn may_withdraw_now(is_author: bool, withdrawn: bool) -> Result<bool, WebError> {
    match may_withdraw(is_author, withdrawn) {
        Ok(()) => Ok(true),
        Err(FeelingRefusal::Withdrawn) => Ok(false),
        Err(_) => Err(WebError::Refused {
            status: StatusCode::FORBIDDEN,
            title: key!("feelings.title"),
            body: key!("feelings.not_the_author"),
        }),
    }
}

/// The hurt partner withdraws a feeling they shared: its words are forgotten, and the partner
/// sees only that it was withdrawn, and when.
pub async fn withdraw_feeling(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_feeling)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (breach, _) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let id: FeelingId = raw_feeling.parse().map_err(|_| WebError::NotFound)?;
    let feeling = state
        .store
        .feelings(breach.id)
        .await?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or(WebError::NotFound)?;
    let back = Redirect::to(&format!("{}#feeling-{id}", page_path(&breach))).into_response();
    if may_withdraw_now(
        feeling.person == viewer.id(),
        feeling.withdrawn_at.is_some(),
    )? && state
        .store
        .withdraw_feeling(breach.id, id, viewer.id(), now())
        .await?
    {
        tracing::info!(breach = %breach.id, "feeling withdrawn");
    }
    Ok(back)
}

/// The repairing partner withdraws a reflection: its words are forgotten, and if it was
/// waiting for an answer the feeling waits for a reflection again.
pub async fn withdraw_reflection(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_reflection)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (breach, _) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let id: ReflectionId = raw_reflection.parse().map_err(|_| WebError::NotFound)?;
    let reflection = state
        .store
        .reflections(breach.id)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(WebError::NotFound)?;
    let back = Redirect::to(&format!(
        "{}#feeling-{}",
        page_path(&breach),
        reflection.feeling
    ))
    .into_response();
    if may_withdraw_now(
        reflection.author == viewer.id(),
        reflection.withdrawn_at.is_some(),
    )? && state
        .store
        .withdraw_reflection(breach.id, id, viewer.id(), now())
        .await?
    {
        tracing::info!(breach = %breach.id, "reflection withdrawn");
    }
    Ok(back)
}
