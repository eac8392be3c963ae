//! The Feelings area: the hurt partner names a feeling; the repairing partner answers only with
//! a reflection of what they heard (the coach reads it as listening), until the hurt partner
//! says they feel heard. "My side" is opened from here, by the hurt partner alone.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_coach::Mode;
use mend_core::feeling::{may_answer, may_reflect, may_share, may_withdraw, MAX_FEELING_CHARS};
use mend_core::store::{FeelingRecord, ReflectionRecord};
use mend_core::{
    Area, Cursor, Feeling, FeelingId, FeelingProblem, FeelingRefusal, FeelingWord, Listening,
    ReflectionId, Role, StoreError, Verdict, WindowAsk,
};
use mend_crypto::SpaceKeys;
use serde::Deserialize;

use crate::access::{JourneyAccess, Ongoing};
use crate::chrome::Chrome;
use crate::coaching::results_for;
use crate::error::WebError;
use crate::extract::{Form, Path, Query};
use crate::fields;
use crate::key;
use crate::names::word_name;
use crate::once::{id_from, store_once, FormId, Kept};
use crate::opened::feeling as open_feeling;
use crate::paging::{Pager, WindowQuery};
use crate::refusals::feeling_problem;
use crate::session::now;
use crate::state::AppState;
use crate::unread::is_new;
use crate::views::{render, render_with, FeelingView, FeelingsPage, Labelled, ReflectionView};
use crate::when::LocalClock;
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

/// `/…/feelings/{feeling}/…`
#[derive(Deserialize)]
pub struct FeelingPath {
    feeling: FeelingId,
}

/// `/…/feelings/reflections/{reflection}/…`
#[derive(Deserialize)]
pub struct ReflectionPath {
    reflection: ReflectionId,
}

/// A reflection sent while another one waits for the hurt partner's answer is not sent.
fn another_reflection_waits() -> WebError {
    WebError::Refused {
        status: StatusCode::CONFLICT,
        title: key!("feelings.title"),
        body: key!("feelings.reflection_waiting"),
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

/// How many feelings still being listened to the page shows first, and how many others at a
/// time after them.
const OPEN_SHOWN: usize = 20;
const WINDOW: usize = 20;

/// Where the window starts leaving open feelings out: from the oldest of those shown first
/// when some did not fit there (the window lists the rest), else from the very start.
fn open_from(shown: &[FeelingRecord], more: bool) -> Cursor {
    match shown.last() {
        Some(f) if more => Cursor::new(f.created_at, f.id.0),
        _ => Cursor::new(mend_core::Timestamp(0), uuid::Uuid::nil()),
    }
}

async fn render_page(
    state: &AppState,
    journey: &JourneyAccess,
    chrome: Chrome,
    ask: WindowAsk,
    typed: Typed,
    errors: Vec<&'static str>,
) -> Result<FeelingsPage, WebError> {
    let (breach, key, viewer) = (&journey.breach, &journey.key, &journey.viewer);
    let clock = LocalClock::of(state.strings, viewer);
    let role = journey.role;
    let ongoing = !breach.state.is_ended();
    let journey_left = journey.partner_left();
    let mut open = state.store.open_feelings(breach.id, OPEN_SHOWN + 1).await?;
    let more_open = open.len() > OPEN_SHOWN;
    open.truncate(OPEN_SHOWN);
    let window = state
        .store
        .feeling_window(breach.id, ask, open_from(&open, more_open))
        .await?;
    let shown: Vec<FeelingId> = open.iter().chain(&window.items).map(|f| f.id).collect();
    // Only the reflections on the feelings shown are read and opened.
    let reflections = state.store.reflections_on(breach.id, &shown).await?;
    let last_seen = state
        .store
        .last_seen(viewer.id(), breach.id, SECTION)
        .await?;
    let view = |record: FeelingRecord| -> Result<FeelingView, WebError> {
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
                withdrawn_on: r.withdrawn_at.map(|t| clock.at(t)),
                can_withdraw: ongoing
                    && may_withdraw(r.author == viewer.id(), r.withdrawn_at.is_some()).is_ok(),
                sent_on: clock.at(r.created_at),
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
        Ok(FeelingView {
            id: record.id.to_string(),
            words,
            intensity,
            text,
            withdrawn_on: record.withdrawn_at.map(|t| clock.at(t)),
            removed: journey_left && record.person != viewer.id() && record.feeling.is_none(),
            can_withdraw: ongoing && may_withdraw(record.person == viewer.id(), withdrawn).is_ok(),
            shared_on: clock.at(record.created_at),
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
        })
    };
    let action = journey.page(SECTION);
    let pager = Pager::of(&action, ask, &window);
    let listening_now = open.into_iter().map(&view).collect::<Result<_, _>>()?;
    let earlier = window
        .items
        .into_iter()
        .map(&view)
        .collect::<Result<_, _>>()?;
    Ok(FeelingsPage {
        form_id: ReflectionId::new().to_string(),
        chrome: chrome.signed_in(),
        action,
        journey: journey.href(),
        is_hurt: journey.is_hurt(),
        can_share: ongoing && may_share(role).is_ok(),
        ongoing,
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
        listening_now,
        more_open,
        feelings: earlier,
        pager,
        my_side_open: breach.state.my_side_opened_at.is_some(),
        can_open_my_side: ongoing && journey.is_hurt(),
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    journey: JourneyAccess,
    chrome: Chrome,
    Query(window): Query<WindowQuery>,
) -> Result<Response, WebError> {
    let ask = window.ask(WINDOW);
    let mut page = render_page(&state, &journey, chrome, ask, Typed::default(), Vec::new()).await?;
    let shows_new = page.shows_new();
    crate::waiting_view::opened(&state, &journey, SECTION, shows_new, &mut page.chrome).await?;
    Ok(render(&page))
}

/// A feeling as shared. The form arrives as pairs because several words can be chosen; of
/// any other field sent twice, the first counts.
#[derive(Deserialize)]
#[serde(try_from = "Vec<(String, String)>")]
pub struct ShareForm {
    words: Vec<String>,
    intensity: String,
    text: String,
    /// The id the feeling is stored under.
    feeling: FormId<FeelingId>,
}

impl TryFrom<Vec<(String, String)>> for ShareForm {
    type Error = WebError;

    fn try_from(pairs: Vec<(String, String)>) -> Result<Self, WebError> {
        let value = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Ok(ShareForm {
            intensity: value("intensity"),
            text: value("text"),
            feeling: FormId(id_from(&value("feeling"))?),
            words: pairs
                .iter()
                .filter(|(k, _)| k == "word")
                .map(|(_, v)| v.clone())
                .collect(),
        })
    }
}

impl TryFrom<&ShareForm> for Feeling {
    type Error = FeelingProblem;

    fn try_from(form: &ShareForm) -> Result<Self, FeelingProblem> {
        Feeling::from_form(
            form.words.iter().map(String::as_str),
            &form.intensity,
            &form.text,
        )
    }
}

/// The hurt partner shares a feeling.
pub async fn share(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    chrome: Chrome,
    Form(form): Form<ShareForm>,
) -> Result<Response, WebError> {
    may_share(journey.role)?;
    let feeling = match Feeling::try_from(&form) {
        Ok(feeling) => feeling,
        Err(problem) => {
            let typed = Typed {
                feeling_text: form.text.chars().take(MAX_FEELING_CHARS).collect(),
                reflection: None,
            };
            let errors = vec![feeling_problem(problem)];
            let ask = WindowAsk::newest(WINDOW);
            let page = render_page(&state, &journey, chrome, ask, typed, errors).await?;
            return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let json = serde_json::to_string(&feeling)
        .map_err(|e| WebError::internal(format!("a feeling could not be written: {e}")))?;
    let (state, journey, json) = (&state, &journey, json.as_str());
    let (breach, key, viewer) = (journey.id(), &journey.key, journey.viewer_id());
    let share = |id: FeelingId| {
        state.store.create_feeling(FeelingRecord {
            id,
            breach,
            person: viewer,
            feeling: Some(key.seal(id.0, fields::FEELING, json)),
            created_at: now(),
            withdrawn_at: None,
        })
    };
    let kept = |id: FeelingId| async move {
        Ok(match state.store.feeling(breach, id).await? {
            Some(f) if f.person == viewer => match &f.feeling {
                Some(sealed) if key.open(f.id.0, fields::FEELING, sealed)? == json => Kept::Same,
                // Another feeling, or withdrawn since (its words are gone): stored as new.
                _ => Kept::Other,
            },
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    if store_once(form.feeling.0, share, kept).await?.is_new() {
        tracing::info!(breach = %breach, "feeling shared");
        journey.area_begins(state, Area::Feelings).await?;
    }
    Ok(Redirect::to(&journey.page(SECTION)).into_response())
}

/// A reflection as sent, or — with `check` — to be checked with the coach first.
#[derive(Deserialize)]
pub struct ReflectForm {
    #[serde(default)]
    text: String,
    check: Option<String>,
    #[serde(default)]
    form_id: FormId<ReflectionId>,
}

/// What is wrong with a reflection's words, if anything.
fn reflection_problem(text: &str) -> Option<&'static str> {
    if mend_core::text::is_blank(text) {
        Some(key!("feelings.error_reflection_empty"))
    } else if text.chars().count() > MAX_FEELING_CHARS {
        Some(key!("feelings.error_long"))
    } else {
        None
    }
}

/// The repairing partner reflects a feeling, or — with `check` — sees the coach's notes first,
/// storing nothing.
pub async fn reflect(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    chrome: Chrome,
    Path(FeelingPath { feeling: id }): Path<FeelingPath>,
    Form(form): Form<ReflectForm>,
) -> Result<Response, WebError> {
    let feeling = state
        .store
        .feeling(journey.id(), id)
        .await?
        .ok_or(WebError::NotFound)?;
    if feeling.withdrawn_at.is_some() {
        return Err(FeelingRefusal::NotWaiting.into());
    }
    let (text, requested) = (form.text.as_str(), form.form_id.0);
    let (state, journey_ref) = (&state, &journey);
    let (breach, key, viewer) = (journey.id(), &journey.key, journey.viewer_id());
    // Whether the reflection under an id is this form's: the same author's same words.
    let kept = |rid: ReflectionId| async move {
        Ok(match state.store.reflection(breach, rid).await? {
            Some(r) if r.author == viewer && r.feeling == id => match &r.body {
                Some(sealed) if key.open(r.id.0, fields::REFLECTION_BODY, sealed)? == text => {
                    Kept::Same
                }
                _ => Kept::Other,
            },
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    let reflections = state.store.reflections_on(breach, &[id]).await?;
    let stands = listening(id, &reflections);
    match may_reflect(journey.role, stands) {
        Ok(()) => {}
        // This very form, sent a moment ago (a double submit): nothing more to do. Another
        // reflection waiting (from another tab) is said plainly: this one was not sent.
        Err(FeelingRefusal::NotWaiting) if stands == Listening::AwaitingVerdict => {
            if kept(requested).await? == Kept::Same {
                return Ok(Redirect::to(&journey_ref.page(SECTION)).into_response());
            }
            return Err(another_reflection_waits());
        }
        Err(refusal) => return Err(refusal.into()),
    }
    let problem = reflection_problem(text);
    if problem.is_some() || form.check.is_some() {
        let typed = Typed {
            feeling_text: String::new(),
            reflection: Some((id, text.chars().take(MAX_FEELING_CHARS).collect())),
        };
        let errors = problem.into_iter().collect();
        let ask = WindowAsk::newest(WINDOW);
        let page = render_page(state, journey_ref, chrome, ask, typed, errors).await?;
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
            author: viewer,
            body: Some(key.seal(rid.0, fields::REFLECTION_BODY, text)),
            created_at: now(),
            withdrawn_at: None,
            verdict: None,
            missed: None,
            verdict_at: None,
        };
        match state.store.create_reflection(breach, record).await? {
            true => Ok(()),
            false => Err(StoreError::Conflict("the feeling waits for no reflection")),
        }
    };
    match store_once(requested, reflect, kept).await {
        Ok(stored) if stored.is_new() => tracing::info!(breach = %breach, "reflection sent"),
        Ok(_) => {}
        // Another reflection got there first: this one was not sent.
        Err(WebError::Conflict) => return Err(another_reflection_waits()),
        Err(e) => return Err(e),
    }
    Ok(Redirect::to(&format!("{}#feeling-{id}", journey_ref.page(SECTION))).into_response())
}

/// The hurt partner's answer to a reflection.
#[derive(Deserialize)]
pub struct AnswerForm {
    verdict: Verdict,
    /// What was missed, kept with "not yet" only.
    #[serde(default)]
    missed: String,
}

impl AnswerForm {
    /// What was missed, if the answer keeps it: with "not yet", and if it shows anything.
    fn missed(&self) -> Result<Option<&str>, FeelingProblem> {
        let missed = self.missed.trim();
        if missed.chars().count() > MAX_FEELING_CHARS {
            return Err(FeelingProblem::TooLong);
        }
        Ok(
            (self.verdict == Verdict::NotYet && !mend_core::text::is_blank(missed))
                .then_some(missed),
        )
    }
}

/// The hurt partner answers a reflection: "I feel heard", or "not yet" with what was missed.
pub async fn answer(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(ReflectionPath { reflection: id }): Path<ReflectionPath>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, WebError> {
    let reflection = state
        .store
        .reflection(journey.id(), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let back = Redirect::to(&format!(
        "{}#feeling-{}",
        journey.page(SECTION),
        reflection.feeling
    ))
    .into_response();
    let (verdict, missed) = (form.verdict, form.missed()?);
    let key = &journey.key;
    if reflection.verdict.is_some() || reflection.withdrawn_at.is_some() {
        return match journey.role {
            Role::HurtPartner => answered_already(key, &reflection, verdict, missed).map(|()| back),
            Role::RepairingPartner => Err(FeelingRefusal::NotTheHurtPartner.into()),
        };
    }
    let on_feeling = state
        .store
        .reflections_on(journey.id(), &[reflection.feeling])
        .await?;
    // The feeling's reflections are read a moment after this one: if it was answered in
    // between (a double submit from another tab), the answer stands only if it is that one.
    let answered_meanwhile = on_feeling
        .iter()
        .find(|r| r.id == id)
        .filter(|r| r.verdict.is_some() || r.withdrawn_at.is_some());
    if let (Some(kept), Role::HurtPartner) = (answered_meanwhile, journey.role) {
        return answered_already(key, kept, verdict, missed).map(|()| back);
    }
    may_answer(journey.role, listening(reflection.feeling, &on_feeling))?;
    let sealed = missed.map(|m| key.seal(id.0, fields::REFLECTION_MISSED, m));
    if !state
        .store
        .answer_reflection(journey.id(), id, verdict, sealed, now())
        .await?
    {
        // Answered from another tab a moment ago: this answer stands only if it is that one.
        let kept = state
            .store
            .reflection(journey.id(), id)
            .await?
            .ok_or(WebError::NotFound)?;
        return answered_already(key, &kept, verdict, missed).map(|()| back);
    }
    tracing::info!(breach = %journey.id(), verdict = verdict.as_str(), "reflection answered");
    Ok(back)
}

/// A reflection answered already: the same answer sent again (a double submit) stands; any
/// other is said plainly not to have been kept.
fn answered_already(
    key: &SpaceKeys,
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
        Err(refusal) => Err(refusal.into()),
    }
}

/// The hurt partner withdraws a feeling they shared: its words are forgotten, and the partner
/// sees only that it was withdrawn, and when.
pub async fn withdraw_feeling(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(FeelingPath { feeling: id }): Path<FeelingPath>,
) -> Result<Response, WebError> {
    let feeling = state
        .store
        .feeling(journey.id(), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let back = Redirect::to(&format!("{}#feeling-{id}", journey.page(SECTION))).into_response();
    if may_withdraw_now(
        feeling.person == journey.viewer_id(),
        feeling.withdrawn_at.is_some(),
    )? && state
        .store
        .withdraw_feeling(journey.id(), id, journey.viewer_id(), now())
        .await?
    {
        tracing::info!(breach = %journey.id(), "feeling withdrawn");
    }
    Ok(back)
}

/// The repairing partner withdraws a reflection: its words are forgotten, and if it was
/// waiting for an answer the feeling waits for a reflection again.
pub async fn withdraw_reflection(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(ReflectionPath { reflection: id }): Path<ReflectionPath>,
) -> Result<Response, WebError> {
    let reflection = state
        .store
        .reflection(journey.id(), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let back = Redirect::to(&format!(
        "{}#feeling-{}",
        journey.page(SECTION),
        reflection.feeling
    ))
    .into_response();
    if may_withdraw_now(
        reflection.author == journey.viewer_id(),
        reflection.withdrawn_at.is_some(),
    )? && state
        .store
        .withdraw_reflection(journey.id(), id, journey.viewer_id(), now())
        .await?
    {
        tracing::info!(breach = %journey.id(), "reflection withdrawn");
    }
    Ok(back)
}
