//! The Questions area: the hurt partner asks, asks again and responds; the repairing partner
//! answers, with the coach reading in `answer` mode, or asks to answer in person.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_coach::Mode;
use mend_core::question::{check_text, may_answer, may_ask};
use mend_core::store::{AnswerRecord, BreachRecord, QuestionRecord};
use mend_core::{AnswerId, Area, QuestionId, QuestionKind, QuestionRefusal, Role, Timestamp};
use mend_crypto::DataKey;

use crate::access::{area_begins, ongoing_breach, own_breach, role_of};
use crate::chrome::Chrome;
use crate::coaching::results_for;
use crate::error::WebError;
use crate::extract::Form;
use crate::fields;
use crate::key;
use crate::once::{form_id, store_once, Kept, FORM_ID};
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::unread::is_new;
use crate::views::{render, render_with, AnswerView, Choice, QuestionView, QuestionsPage};

/// The name this page's visits are remembered under.
const SECTION: &str = "questions";

fn page_path(breach: &BreachRecord) -> String {
    format!("/spaces/{}/breaches/{}/questions", breach.space, breach.id)
}

fn kind_name(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::FactsAndTimeline => key!("questions.kind_facts"),
        QuestionKind::Secrecy => key!("questions.kind_secrecy"),
        QuestionKind::CurrentContact => key!("questions.kind_contact"),
        QuestionKind::MeaningAndWhy => key!("questions.kind_why"),
        QuestionKind::GraphicDetail => key!("questions.kind_graphic"),
    }
}

fn response_note(response: mend_core::Response) -> &'static str {
    match response {
        mend_core::Response::ThisHelps => key!("questions.response_helps"),
        mend_core::Response::NeedMore => key!("questions.response_need_more"),
        mend_core::Response::ComeBackLater => key!("questions.response_later"),
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

fn refused(status: StatusCode) -> WebError {
    WebError::Refused {
        status,
        title: key!("questions.title"),
        body: key!("questions.not_yours"),
    }
}

fn text_problem(refusal: QuestionRefusal) -> &'static str {
    match refusal {
        QuestionRefusal::TooLong => key!("questions.error_long"),
        _ => key!("questions.error_empty"),
    }
}

/// What the ask form shows when it comes back: text, kind, the graphic-detail pause, errors.
#[derive(Default)]
struct AskForm {
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

async fn render_page(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    breach: &BreachRecord,
    key: &DataKey,
    form: AskForm,
) -> Result<QuestionsPage, WebError> {
    let role = role_of(breach, viewer.id());
    let questions = state.store.questions(breach.id).await?;
    let answers = state.store.answers(breach.id).await?;
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
    let mut views = Vec::new();
    for q in &questions {
        let mine: Vec<&AnswerRecord> = answers.iter().filter(|a| a.question == q.id).collect();
        let mut answer_views = Vec::new();
        for a in &mine {
            answer_views.push(AnswerView {
                id: a.id.to_string(),
                new: a.author != viewer.id() && is_new(a.created_at, last_seen),
                text: open_answer(a)?,
                answered_on: a.created_at.utc_minute(),
                withdrawn_on: a.withdrawn_at.map(|t| t.utc_minute()),
                can_withdraw: a.author == viewer.id() && a.withdrawn_at.is_none(),
                response: a.response.map(response_note),
            });
        }
        views.push(QuestionView {
            id: q.id.to_string(),
            new: q.asked_by != viewer.id() && is_new(q.created_at, last_seen),
            text: open(q)?,
            kind: q.kind.map(kind_name),
            asked_again: q.asked_again_of.is_some(),
            asked_on: q.created_at.utc_minute(),
            waiting: (q.withdrawn_at.is_none() && mine.iter().all(|a| a.withdrawn_at.is_some()))
                .then(|| waited(&chrome, q.created_at, now)),
            in_person: q.in_person_at.is_some(),
            withdrawn_on: q.withdrawn_at.map(|t| t.utc_minute()),
            answers: answer_views,
            answer: draft_for(q.id).unwrap_or_default(),
            answer_form_id: form
                .answer_form
                .filter(|_| draft_for(q.id).is_some())
                .unwrap_or_default()
                .to_string(),
            again_form_id: QuestionId::new().to_string(),
            coach: results_for(&draft_for(q.id).unwrap_or_default(), Mode::Answer),
        });
    }
    let kinds = QuestionKind::ALL
        .iter()
        .map(|&k| Choice {
            value: k.as_str(),
            label: kind_name(k),
            selected: form.kind == Some(k),
        })
        .collect();
    Ok(QuestionsPage {
        ongoing: !breach.state.is_ended(),
        chrome: chrome.signed_in(),
        action: page_path(breach),
        journey: format!("/spaces/{}/breaches/{}", breach.space, breach.id),
        is_asker: may_ask(role).is_ok(),
        is_answerer: may_answer(role).is_ok(),
        questions: views,
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
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (breach, key) = own_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    let page = render_page(&state, &viewer, chrome, &breach, &key, AskForm::default()).await?;
    state
        .store
        .mark_seen(viewer.id(), breach.id, SECTION, now())
        .await?;
    Ok(render(&page))
}

pub async fn ask(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    may_ask(role_of(&breach, viewer.id())).map_err(|_| refused(StatusCode::FORBIDDEN))?;
    let text = form.get("text").map(|t| t.trim()).unwrap_or("").to_owned();
    let kind = match form.get("kind").map(String::as_str) {
        None | Some("") => None,
        Some(value) => Some(QuestionKind::parse(value).ok_or(WebError::BadRequest)?),
    };
    let requested: QuestionId = form_id(&form, FORM_ID)?;
    let questions = state.store.questions(breach.id).await?;
    let again_of = match form.get("again_of").map(String::as_str) {
        None | Some("") => None,
        Some(raw) => {
            let id: QuestionId = raw.parse().map_err(|_| WebError::BadRequest)?;
            questions
                .iter()
                .find(|q| q.id == id)
                .ok_or(WebError::NotFound)?;
            Some(id)
        }
    };
    let mut shown = AskForm {
        text: text
            .chars()
            .take(mend_core::question::MAX_QUESTION_CHARS)
            .collect(),
        kind,
        again_of,
        form_id: Some(requested),
        ..AskForm::default()
    };
    if let Err(refusal) = check_text(&text) {
        shown.errors = vec![text_problem(refusal)];
        let page = render_page(&state, &viewer, chrome, &breach, &key, shown).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let confirmed = form.get("confirmed").is_some_and(|v| v == "yes");
    if kind.is_some_and(QuestionKind::needs_a_pause) && !confirmed {
        shown.pause = true;
        return Ok(render(
            &render_page(&state, &viewer, chrome, &breach, &key, shown).await?,
        ));
    }
    let (state, viewer, key, text) = (&state, &viewer, &key, text.as_str());
    let ask = |id: QuestionId| {
        state.store.create_question(QuestionRecord {
            id,
            breach: breach.id,
            asked_by: viewer.id(),
            text: Some(key.seal(id.0, fields::QUESTION_TEXT, text)),
            kind,
            asked_again_of: again_of,
            created_at: now(),
            in_person_at: None,
            withdrawn_at: None,
        })
    };
    let kept = |id: QuestionId| async move {
        let questions = state.store.questions(breach.id).await?;
        Ok(match questions.iter().find(|q| q.id == id) {
            Some(q)
                if q.asked_by == viewer.id() && q.asked_again_of == again_of && q.kind == kind =>
            {
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
        tracing::info!(breach = %breach.id, again = again_of.is_some(), "question asked");
        area_begins(state, &breach, Area::Questions, viewer.id()).await?;
    }
    let id = stored.id();
    Ok(Redirect::to(&format!("{}#question-{id}", page_path(&breach))).into_response())
}

fn question_id(raw: &str) -> Result<QuestionId, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

pub async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Path((raw_space, raw_breach, raw_question)): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, key) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    may_answer(role_of(&breach, viewer.id())).map_err(|_| refused(StatusCode::FORBIDDEN))?;
    let question = question_id(&raw_question)?;
    let requested: AnswerId = form_id(&form, FORM_ID)?;
    if form.contains_key("check") {
        return check_answer(
            &state,
            &viewer,
            chrome,
            (&breach, &key),
            (question, requested),
            &form,
        )
        .await;
    }
    let text = form.get("text").map(String::as_str).unwrap_or("");
    if let Err(refusal) = check_text(text) {
        let shown = AskForm {
            errors: vec![text_problem(refusal)],
            ..AskForm::default()
        };
        let page = render_page(&state, &viewer, chrome, &breach, &key, shown).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    // Only a question of this journey that is not withdrawn can be answered.
    if !state
        .store
        .questions(breach.id)
        .await?
        .iter()
        .any(|q| q.id == question && q.withdrawn_at.is_none())
    {
        return Err(WebError::NotFound);
    }
    let (state, viewer, key) = (&state, &viewer, &key);
    let add = |id: AnswerId| async move {
        let record = AnswerRecord {
            id,
            question,
            author: viewer.id(),
            body: Some(key.seal(id.0, fields::ANSWER_BODY, text)),
            created_at: now(),
            withdrawn_at: None,
            response: None,
            responded_at: None,
        };
        match state.store.create_answer(breach.id, record).await? {
            true => Ok(()),
            false => Err(mend_core::StoreError::Conflict(
                "the question was withdrawn meanwhile",
            )),
        }
    };
    let kept = |id: AnswerId| async move {
        let answers = state.store.answers(breach.id).await?;
        Ok(match answers.iter().find(|a| a.id == id) {
            Some(a) if a.author == viewer.id() && a.question == question => match &a.body {
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
        tracing::info!(breach = %breach.id, "question answered");
    }
    Ok(Redirect::to(&format!("{}#question-{question}", page_path(&breach))).into_response())
}

pub async fn in_person(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_question)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (breach, _) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    may_answer(role_of(&breach, viewer.id())).map_err(|_| refused(StatusCode::FORBIDDEN))?;
    let question = question_id(&raw_question)?;
    let questions = state.store.questions(breach.id).await?;
    questions
        .iter()
        .find(|q| q.id == question)
        .ok_or(WebError::NotFound)?;
    // Already noted: a double submit changes nothing.
    state
        .store
        .answer_in_person(breach.id, question, now())
        .await?;
    Ok(Redirect::to(&format!("{}#question-{question}", page_path(&breach))).into_response())
}

pub async fn respond(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_answer)): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (breach, _) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    if role_of(&breach, viewer.id()) != Role::HurtPartner {
        return Err(refused(StatusCode::FORBIDDEN));
    }
    let answer: AnswerId = raw_answer.parse().map_err(|_| WebError::NotFound)?;
    let response = form
        .get("response")
        .and_then(|v| mend_core::Response::parse(v))
        .ok_or(WebError::BadRequest)?;
    if !state
        .store
        .respond(breach.id, answer, response, now())
        .await?
    {
        return Err(WebError::NotFound);
    }
    Ok(Redirect::to(&page_path(&breach)).into_response())
}

pub async fn withdraw_answer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_answer)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (breach, _) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    may_answer(role_of(&breach, viewer.id())).map_err(|_| refused(StatusCode::FORBIDDEN))?;
    let answer: AnswerId = raw_answer.parse().map_err(|_| WebError::NotFound)?;
    let answers = state.store.answers(breach.id).await?;
    let found = answers
        .iter()
        .find(|a| a.id == answer)
        .ok_or(WebError::NotFound)?;
    // Withdrawn already: a double submit changes nothing.
    if found.withdrawn_at.is_none()
        && !state
            .store
            .withdraw_answer(breach.id, answer, viewer.id(), now())
            .await?
    {
        return Err(refused(StatusCode::FORBIDDEN));
    }
    Ok(Redirect::to(&page_path(&breach)).into_response())
}

/// Without JavaScript: shows the coach's notes on an answer before it is sent. Nothing is
/// stored.
async fn check_answer(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    (breach, key): (&BreachRecord, &DataKey),
    (question, requested): (QuestionId, AnswerId),
    form: &HashMap<String, String>,
) -> Result<Response, WebError> {
    if !state
        .store
        .questions(breach.id)
        .await?
        .iter()
        .any(|q| q.id == question)
    {
        return Err(WebError::NotFound);
    }
    let text: String = form
        .get("text")
        .map(String::as_str)
        .unwrap_or("")
        .chars()
        .take(mend_core::question::MAX_QUESTION_CHARS)
        .collect();
    let shown = AskForm {
        answer_draft: Some((question, text)),
        answer_form: Some(requested),
        ..AskForm::default()
    };
    Ok(render(
        &render_page(state, viewer, chrome, breach, key, shown).await?,
    ))
}

pub async fn withdraw_question(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw_space, raw_breach, raw_question)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (breach, _) = ongoing_breach(&state, &viewer, &raw_space, &raw_breach).await?;
    may_ask(role_of(&breach, viewer.id())).map_err(|_| refused(StatusCode::FORBIDDEN))?;
    let question = question_id(&raw_question)?;
    let questions = state.store.questions(breach.id).await?;
    let found = questions
        .iter()
        .find(|q| q.id == question)
        .ok_or(WebError::NotFound)?;
    // Withdrawn already: a double submit changes nothing.
    if found.withdrawn_at.is_none() {
        state
            .store
            .withdraw_question(breach.id, question, viewer.id(), now())
            .await?;
    }
    Ok(Redirect::to(&page_path(&breach)).into_response())
}
