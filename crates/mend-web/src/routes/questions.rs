//! The Questions area: the hurt partner asks, asks again and responds; the repairing partner
//! answers, with the coach reading in `answer` mode, or asks to answer in person.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_coach::Mode;
use mend_core::question::{check_text, may_answer, may_ask};
use mend_core::store::{AnswerRecord, QuestionRecord};
use mend_core::{AnswerId, Area, QuestionId, QuestionKind, QuestionRefusal, Timestamp, WindowAsk};
use serde::Deserialize;

use crate::access::{JourneyAccess, Ongoing};
use crate::chrome::Chrome;
use crate::coaching::results_for;
use crate::error::WebError;
use crate::extract::{Form, Path, Query};
use crate::fields;
use crate::key;
use crate::once::{store_once, FormId, Kept};
use crate::paging::{Pager, WindowQuery};
use crate::session::now;
use crate::state::AppState;
use crate::unread::is_new;
use crate::views::{render, render_with, AnswerView, Choice, QuestionView, QuestionsPage};
use crate::when::LocalClock;

/// The name this page's visits are remembered under.
const SECTION: &str = "questions";

/// `/…/questions/{question}/…`
#[derive(Deserialize)]
pub struct QuestionPath {
    question: QuestionId,
}

/// `/…/questions/answers/{answer}/…`
#[derive(Deserialize)]
pub struct AnswerPath {
    answer: AnswerId,
}

fn question_kind_name(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::FactsAndTimeline => key!("questions.kind_facts"),
        QuestionKind::Secrecy => key!("questions.kind_secrecy"),
        QuestionKind::CurrentContact => key!("questions.kind_contact"),
        QuestionKind::MeaningAndWhy => key!("questions.kind_why"),
        QuestionKind::GraphicDetail => key!("questions.kind_graphic"),
    }
}

/// The hurt partner's response to an answer, told from the reader's side: the asker reads
/// what they said, the answerer what their partner said.
fn response_note(response: mend_core::Response, asker: bool) -> &'static str {
    match (response, asker) {
        (mend_core::Response::ThisHelps, false) => key!("questions.response_helps"),
        (mend_core::Response::NeedMore, false) => key!("questions.response_need_more"),
        (mend_core::Response::ComeBackLater, false) => key!("questions.response_later"),
        (mend_core::Response::ThisHelps, true) => key!("everyday.you_said_helps"),
        (mend_core::Response::NeedMore, true) => key!("everyday.you_said_need_more"),
        (mend_core::Response::ComeBackLater, true) => key!("everyday.you_said_later"),
    }
}

/// How long a question has waited, in the catalogue's words.
fn waited(chrome: &Chrome, since: Timestamp, now: Timestamp) -> String {
    let minutes = (now - since).whole_minutes();
    match minutes {
        m if m < 60 => chrome.s.t(key!("questions.waiting_minutes")).to_owned(),
        m if m < 48 * 60 => {
            chrome
                .s
                .with(key!("questions.waiting_hours"), "n", &(m / 60).to_string())
        }
        m => chrome.s.with(
            key!("questions.waiting_days"),
            "n",
            &(m / (24 * 60)).to_string(),
        ),
    }
}

fn text_problem(refusal: QuestionRefusal) -> &'static str {
    match refusal {
        QuestionRefusal::TooLong => key!("questions.error_long"),
        _ => key!("questions.error_empty"),
    }
}

/// What the page's forms show when they come back: text, kind, the graphic-detail pause,
/// errors.
#[derive(Default)]
struct Shown {
    /// An answer being checked with the coach before sending, and the question it answers.
    answer_draft: Option<(QuestionId, String)>,
    /// The id the answer being checked will be stored under.
    answer_form: Option<AnswerId>,
    /// The id the question will be stored under, kept while the form comes back.
    form_id: Option<QuestionId>,
    text: String,
    kind: Option<QuestionKind>,
    again_of: Option<QuestionId>,
    pause: bool,
    errors: Vec<&'static str>,
}

/// How many waiting questions the page shows at most, oldest first: far more than a couple
/// keeps open at once, and a bound on what the page costs.
const WAITING_SHOWN: usize = 50;
/// How many answered or withdrawn questions one window shows.
const SETTLED_WINDOW: usize = 20;

/// The newest window, which a form that comes back with a problem shows.
fn newest() -> WindowAsk {
    WindowAsk::newest(SETTLED_WINDOW)
}

async fn render_page(
    state: &AppState,
    journey: &JourneyAccess,
    chrome: Chrome,
    ask: WindowAsk,
    form: Shown,
) -> Result<QuestionsPage, WebError> {
    let (breach, key, viewer) = (&journey.breach, &journey.key, &journey.viewer);
    let clock = LocalClock::of(state.strings, viewer);
    let role = journey.role;
    // The waiting questions lead the newest window only; older windows page through the rest.
    let mut waiting = if ask.is_newest() {
        state
            .store
            .waiting_questions(breach.id, WAITING_SHOWN + 1)
            .await?
    } else {
        Vec::new()
    };
    let more_waiting = waiting.len() > WAITING_SHOWN;
    waiting.truncate(WAITING_SHOWN);
    let settled = state.store.settled_questions(breach.id, ask).await?;
    // A draft being checked keeps its question on the page, wherever it sits in the lists.
    if let Some((id, _)) = &form.answer_draft {
        let shown = waiting.iter().chain(&settled.items).any(|q| q.id == *id);
        if !shown {
            waiting.extend(state.store.question(breach.id, *id).await?);
        }
    }
    let shown: Vec<QuestionId> = waiting.iter().chain(&settled.items).map(|q| q.id).collect();
    let answers = state.store.answers_to(breach.id, &shown).await?;
    let last_seen = state
        .store
        .last_seen(viewer.id(), breach.id, SECTION)
        .await?;
    let now = now();
    let open = |q: &QuestionRecord| -> Result<String, WebError> {
        match &q.text {
            Some(text) => Ok(key.open(q.id.0, fields::QUESTION_TEXT, text)?),
            None => Ok(String::new()),
        }
    };
    let open_answer = |a: &AnswerRecord| -> Result<String, WebError> {
        match &a.body {
            Some(body) => Ok(key.open(a.id.0, fields::ANSWER_BODY, body)?),
            None => Ok(String::new()),
        }
    };
    let draft_for = |id: QuestionId| {
        form.answer_draft
            .as_ref()
            .filter(|(q, _)| *q == id)
            .map(|(_, text)| text.clone())
    };
    let asker = may_ask(role).is_ok();
    let view = |q: &QuestionRecord| -> Result<QuestionView, WebError> {
        // A question of a partner who left, kept without its words for the answers to it.
        let removed = journey.partner_left() && q.asked_by != viewer.id() && q.text.is_none();
        let mine: Vec<&AnswerRecord> = answers.iter().filter(|a| a.question == q.id).collect();
        let mut answer_views = Vec::new();
        for a in &mine {
            answer_views.push(AnswerView {
                id: a.id.to_string(),
                new: a.author != viewer.id() && is_new(a.created_at, last_seen),
                text: open_answer(a)?,
                answered_on: clock.at(a.created_at),
                withdrawn_on: a.withdrawn_at.map(|t| clock.at(t)),
                can_withdraw: a.author == viewer.id() && a.withdrawn_at.is_none(),
                response: a.response.map(|r| response_note(r, asker)),
                need_more: a.withdrawn_at.is_none()
                    && a.response == Some(mend_core::Response::NeedMore),
            });
        }
        // The answer field is open where an answer is needed: nothing answers the question
        // yet, the partner asked for more on the latest answer, or a draft is being checked.
        let latest = mine.iter().rev().find(|a| a.withdrawn_at.is_none());
        let answer_needed = draft_for(q.id).is_some()
            || match latest {
                None => true,
                Some(a) => a.response == Some(mend_core::Response::NeedMore),
            };
        Ok(QuestionView {
            id: q.id.to_string(),
            new: q.asked_by != viewer.id() && is_new(q.created_at, last_seen),
            text: open(q)?,
            kind: q.kind.map(question_kind_name),
            asked_again: q.asked_again_of.is_some(),
            asked_on: clock.at(q.created_at),
            waiting: (q.withdrawn_at.is_none() && mine.iter().all(|a| a.withdrawn_at.is_some()))
                .then(|| waited(&chrome, q.created_at, now)),
            in_person: q.in_person_at.map(|_| {
                if asker {
                    key!("questions.in_person")
                } else {
                    key!("everyday.in_person_mine")
                }
            }),
            answer_needed,
            withdrawable: answer_views.iter().any(|a| a.can_withdraw),
            withdrawn_on: q.withdrawn_at.filter(|_| !removed).map(|t| clock.at(t)),
            removed,
            answers: answer_views,
            answer: draft_for(q.id).unwrap_or_default(),
            answer_form_id: form
                .answer_form
                .filter(|_| draft_for(q.id).is_some())
                .unwrap_or_default()
                .to_string(),
            again_form_id: QuestionId::new().to_string(),
            coach: results_for(&draft_for(q.id).unwrap_or_default(), Mode::Answer),
        })
    };
    let waiting_views = waiting.iter().map(view).collect::<Result<Vec<_>, _>>()?;
    let settled_views = settled
        .items
        .iter()
        .map(view)
        .collect::<Result<Vec<_>, _>>()?;
    let pager = Pager::of(&journey.page(SECTION), ask, &settled);
    let kinds = QuestionKind::ALL
        .iter()
        .map(|&k| Choice {
            value: k.as_str(),
            label: question_kind_name(k),
            selected: form.kind == Some(k),
        })
        .collect();
    Ok(QuestionsPage {
        ongoing: !breach.state.is_ended(),
        chrome: chrome.signed_in(),
        action: journey.page(SECTION),
        journey: journey.href(),
        is_asker: may_ask(role).is_ok(),
        is_answerer: may_answer(role).is_ok(),
        waiting: waiting_views,
        more_waiting,
        settled: settled_views,
        pager,
        kinds,
        form_id: form.form_id.unwrap_or_default().to_string(),
        typed: form.text,
        again_of: form.again_of.map(|q| q.to_string()).unwrap_or_default(),
        pause: form.pause,
        errors: form.errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    journey: JourneyAccess,
    chrome: Chrome,
    Query(window): Query<WindowQuery>,
) -> Result<Response, WebError> {
    let ask = window.ask(SETTLED_WINDOW);
    let mut page = render_page(&state, &journey, chrome, ask, Shown::default()).await?;
    let shows_new = page.shows_new();
    crate::waiting_view::opened(&state, &journey, SECTION, shows_new, &mut page.chrome).await?;
    Ok(render(&page))
}

/// The ask form as sent. A kind or a question asked again that is left empty is none.
#[derive(Deserialize)]
pub struct AskForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    again_of: String,
    /// "yes" once the pause before a graphic-detail question was seen.
    #[serde(default)]
    confirmed: String,
    #[serde(default)]
    form_id: FormId<QuestionId>,
}

/// A question as asked, its values read: a kind or an earlier question that does not parse
/// refuses the form.
struct Asked {
    text: String,
    kind: Option<QuestionKind>,
    again_of: Option<QuestionId>,
    confirmed: bool,
    requested: QuestionId,
}

impl TryFrom<AskForm> for Asked {
    type Error = WebError;

    fn try_from(form: AskForm) -> Result<Self, WebError> {
        let kind = match form.kind.as_str() {
            "" => None,
            value => Some(QuestionKind::parse(value).ok_or(WebError::BadRequest)?),
        };
        let again_of = match form.again_of.as_str() {
            "" => None,
            raw => Some(raw.parse().map_err(|_| WebError::BadRequest)?),
        };
        Ok(Asked {
            text: form.text.trim().to_owned(),
            kind,
            again_of,
            confirmed: form.confirmed == "yes",
            requested: form.form_id.0,
        })
    }
}

pub async fn ask(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    chrome: Chrome,
    Form(form): Form<AskForm>,
) -> Result<Response, WebError> {
    may_ask(journey.role)?;
    let Asked {
        text,
        kind,
        again_of,
        confirmed,
        requested,
    } = form.try_into()?;
    // A question asked again is one of this journey.
    if let Some(id) = again_of {
        state
            .store
            .question(journey.id(), id)
            .await?
            .ok_or(WebError::NotFound)?;
    }
    let mut shown = Shown {
        text: text
            .chars()
            .take(mend_core::question::MAX_QUESTION_CHARS)
            .collect(),
        kind,
        again_of,
        form_id: Some(requested),
        ..Shown::default()
    };
    if let Err(refusal) = check_text(&text) {
        shown.errors = vec![text_problem(refusal)];
        let page = render_page(&state, &journey, chrome, newest(), shown).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    if kind.is_some_and(QuestionKind::needs_a_pause) && !confirmed {
        shown.pause = true;
        return Ok(render(
            &render_page(&state, &journey, chrome, newest(), shown).await?,
        ));
    }
    let (state, journey, text) = (&state, &journey, text.as_str());
    let (breach, key, viewer) = (journey.id(), &journey.key, journey.viewer_id());
    let ask = |id: QuestionId| {
        state.store.create_question(QuestionRecord {
            id,
            breach,
            asked_by: viewer,
            text: Some(key.seal(id.0, fields::QUESTION_TEXT, text)),
            kind,
            asked_again_of: again_of,
            created_at: now(),
            in_person_at: None,
            withdrawn_at: None,
        })
    };
    let kept = |id: QuestionId| async move {
        Ok(match state.store.question(breach, id).await? {
            Some(q) if q.asked_by == viewer && q.asked_again_of == again_of && q.kind == kind => {
                match &q.text {
                    Some(sealed) if key.open(q.id.0, fields::QUESTION_TEXT, sealed)? == text => {
                        Kept::Same
                    }
                    // Other words, or withdrawn since (its words are gone): stored as new.
                    _ => Kept::Other,
                }
            }
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    let stored = store_once(requested, ask, kept).await?;
    if stored.is_new() {
        tracing::info!(breach = %breach, again = again_of.is_some(), "question asked");
        journey.area_begins(state, Area::Questions).await?;
    }
    let id = stored.id();
    Ok(Redirect::to(&format!("{}#question-{id}", journey.page(SECTION))).into_response())
}

/// An answer as sent, or — with `check` — to be checked with the coach first.
#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    text: String,
    check: Option<String>,
    #[serde(default)]
    form_id: FormId<AnswerId>,
}

pub async fn answer(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    chrome: Chrome,
    Path(QuestionPath { question }): Path<QuestionPath>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, WebError> {
    may_answer(journey.role)?;
    let requested = form.form_id.0;
    if form.check.is_some() {
        return check_answer(&state, &journey, chrome, (question, requested), &form.text).await;
    }
    let text = form.text.as_str();
    if let Err(refusal) = check_text(text) {
        let shown = Shown {
            errors: vec![text_problem(refusal)],
            ..Shown::default()
        };
        let page = render_page(&state, &journey, chrome, newest(), shown).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    // Only a question of this journey that is not withdrawn can be answered.
    let answerable = state.store.question(journey.id(), question).await?;
    if answerable.is_none_or(|q| q.withdrawn_at.is_some()) {
        return Err(WebError::NotFound);
    }
    let (state, journey) = (&state, &journey);
    let (breach, key, viewer) = (journey.id(), &journey.key, journey.viewer_id());
    let add = |id: AnswerId| async move {
        let record = AnswerRecord {
            id,
            question,
            author: viewer,
            body: Some(key.seal(id.0, fields::ANSWER_BODY, text)),
            created_at: now(),
            withdrawn_at: None,
            response: None,
            responded_at: None,
        };
        match state.store.create_answer(breach, record).await? {
            true => Ok(()),
            false => Err(mend_core::StoreError::Conflict(
                "the question was withdrawn meanwhile",
            )),
        }
    };
    let kept = |id: AnswerId| async move {
        Ok(match state.store.answer(breach, id).await? {
            Some(a) if a.author == viewer && a.question == question => match &a.body {
                Some(sealed) if key.open(a.id.0, fields::ANSWER_BODY, sealed)? == text => {
                    Kept::Same
                }
                _ => Kept::Other,
            },
            Some(_) => Kept::Other,
            None => Kept::Nothing,
        })
    };
    if store_once(requested, add, kept).await?.is_new() {
        tracing::info!(breach = %breach, "question answered");
    }
    Ok(Redirect::to(&format!("{}#question-{question}", journey.page(SECTION))).into_response())
}

pub async fn in_person(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(QuestionPath { question }): Path<QuestionPath>,
) -> Result<Response, WebError> {
    may_answer(journey.role)?;
    state
        .store
        .question(journey.id(), question)
        .await?
        .ok_or(WebError::NotFound)?;
    // Already noted: a double submit changes nothing.
    state
        .store
        .answer_in_person(journey.id(), question, now())
        .await?;
    Ok(Redirect::to(&format!("{}#question-{question}", journey.page(SECTION))).into_response())
}

/// The hurt partner's response to an answer.
#[derive(Deserialize)]
pub struct RespondForm {
    response: mend_core::Response,
}

pub async fn respond(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(AnswerPath { answer }): Path<AnswerPath>,
    Form(RespondForm { response }): Form<RespondForm>,
) -> Result<Response, WebError> {
    // The partner who asks is the one who responds to answers.
    may_ask(journey.role)?;
    if !state
        .store
        .respond(journey.id(), answer, response, now())
        .await?
    {
        return Err(WebError::NotFound);
    }
    Ok(Redirect::to(&journey.page(SECTION)).into_response())
}

pub async fn withdraw_answer(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(AnswerPath { answer }): Path<AnswerPath>,
) -> Result<Response, WebError> {
    may_answer(journey.role)?;
    let found = state
        .store
        .answer(journey.id(), answer)
        .await?
        .ok_or(WebError::NotFound)?;
    // Withdrawn already: a double submit changes nothing. Someone else's answer is not
    // withdrawn.
    if found.withdrawn_at.is_none()
        && !state
            .store
            .withdraw_answer(journey.id(), answer, journey.viewer_id(), now())
            .await?
    {
        return Err(QuestionRefusal::NotTheAnswerer.into());
    }
    Ok(Redirect::to(&journey.page(SECTION)).into_response())
}

/// Without JavaScript: shows the coach's notes on an answer before it is sent. Nothing is
/// stored.
async fn check_answer(
    state: &AppState,
    journey: &JourneyAccess,
    chrome: Chrome,
    (question, requested): (QuestionId, AnswerId),
    text: &str,
) -> Result<Response, WebError> {
    if state
        .store
        .question(journey.id(), question)
        .await?
        .is_none()
    {
        return Err(WebError::NotFound);
    }
    let text: String = text
        .chars()
        .take(mend_core::question::MAX_QUESTION_CHARS)
        .collect();
    let shown = Shown {
        answer_draft: Some((question, text)),
        answer_form: Some(requested),
        ..Shown::default()
    };
    Ok(render(
        &render_page(state, journey, chrome, newest(), shown).await?,
    ))
}

pub async fn withdraw_question(
    State(state): State<AppState>,
    Ongoing(journey): Ongoing<JourneyAccess>,
    Path(QuestionPath { question }): Path<QuestionPath>,
) -> Result<Response, WebError> {
    may_ask(journey.role)?;
    let found = state
        .store
        .question(journey.id(), question)
        .await?
        .ok_or(WebError::NotFound)?;
    // Withdrawn already: a double submit changes nothing.
    if found.withdrawn_at.is_none() {
        state
            .store
            .withdraw_question(journey.id(), question, journey.viewer_id(), now())
            .await?;
    }
    Ok(Redirect::to(&journey.page(SECTION)).into_response())
}
