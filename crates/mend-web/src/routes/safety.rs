//! The private safety check, and the support page for answers that raise concern.

use crate::extract::{Form, Query};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::safety::Unanswered;
use mend_core::{SafetyAnswer, SafetyAnswers, SafetyQuestion};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::fields;
use crate::key;
use crate::session::{clear_cookie_header, now, safe_next, CookieKind, MaybeViewer, Viewer};
use crate::state::AppState;
use crate::views::{render, render_with, MessagePage, SafetyItem, SafetyPage, SupportPage};

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn question_text(q: SafetyQuestion) -> &'static str {
    match q {
        SafetyQuestion::Afraid => key!("safety.afraid"),
        SafetyQuestion::Harmed => key!("safety.harmed"),
        SafetyQuestion::Threatened => key!("safety.threatened"),
        SafetyQuestion::Controlled => key!("safety.controlled"),
        SafetyQuestion::UnsafeIfSeen => key!("safety.unsafe_if_seen"),
    }
}

fn answer_value(a: Option<SafetyAnswer>) -> &'static str {
    match a {
        Some(SafetyAnswer::No) => "no",
        Some(SafetyAnswer::Yes) => "yes",
        Some(SafetyAnswer::NotSure) => "not_sure",
        None => "",
    }
}

fn items(answer: impl Fn(SafetyQuestion) -> Option<SafetyAnswer>) -> Vec<SafetyItem> {
    SafetyQuestion::ALL
        .iter()
        .map(|&q| SafetyItem {
            id: q.as_str(),
            text: question_text(q),
            selected: answer_value(answer(q)),
        })
        .collect()
}

fn after(next: &Option<String>) -> String {
    next.clone().unwrap_or_else(|| "/home".to_owned())
}

/// The stored answers of the viewer, opened with their own key.
async fn stored_answers(
    state: &AppState,
    viewer: &Viewer,
) -> Result<Option<SafetyAnswers>, WebError> {
    let Some(sealed) = state.store.safety_answers(viewer.id()).await? else {
        return Ok(None);
    };
    let json = viewer
        .key
        .open(viewer.id().0, fields::SAFETY_ANSWERS, &sealed)?;
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|e| WebError::internal(format!("stored safety answers are not valid: {e}")))
}

pub async fn form(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = safe_next(q.next.as_deref());
    if viewer.safety_cleared() {
        return Ok(Redirect::to(&after(&next)).into_response());
    }
    let chrome = chrome.signed_in();
    // Someone who paused after a worrying answer comes back to the support page, not to a
    // blank form that would ask them to say it all again.
    if stored_answers(&state, &viewer)
        .await?
        .is_some_and(|a| a.raises_concern())
    {
        return Ok(render(&SupportPage {
            chrome,
            next: next.unwrap_or_default(),
        }));
    }
    Ok(render(&SafetyPage {
        chrome,
        next: next.unwrap_or_default(),
        items: items(|_| None),
        error: false,
    }))
}

/// The safety check as sent: one answer per question, each field named as the question's
/// `as_str`. An answer that is missing or not one of the three leaves its question unanswered,
/// and the page is shown again.
#[derive(Deserialize)]
pub struct SafetyForm {
    next: Option<String>,
    afraid: Option<String>,
    harmed: Option<String>,
    threatened: Option<String>,
    controlled: Option<String>,
    unsafe_if_seen: Option<String>,
}

impl SafetyForm {
    fn answer(&self, q: SafetyQuestion) -> Option<SafetyAnswer> {
        let given = match q {
            SafetyQuestion::Afraid => &self.afraid,
            SafetyQuestion::Harmed => &self.harmed,
            SafetyQuestion::Threatened => &self.threatened,
            SafetyQuestion::Controlled => &self.controlled,
            SafetyQuestion::UnsafeIfSeen => &self.unsafe_if_seen,
        };
        given.as_deref().and_then(SafetyAnswer::parse)
    }
}

impl TryFrom<&SafetyForm> for SafetyAnswers {
    type Error = Unanswered;

    fn try_from(form: &SafetyForm) -> Result<Self, Unanswered> {
        SafetyAnswers::collect(|q| form.answer(q))
    }
}

pub async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Form(form): Form<SafetyForm>,
) -> Result<Response, WebError> {
    let next = safe_next(form.next.as_deref());
    let chrome = chrome.signed_in();
    if viewer.safety_cleared() {
        return Ok(Redirect::to(&after(&next)).into_response());
    }
    let Ok(answers) = SafetyAnswers::try_from(&form) else {
        return Ok(render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SafetyPage {
                chrome,
                next: next.unwrap_or_default(),
                items: items(|q| form.answer(q)),
                error: true,
            },
        ));
    };
    let json = serde_json::to_string(&answers)
        .map_err(|e| WebError::internal(format!("safety answers could not be written: {e}")))?;
    let sealed = viewer
        .key
        .seal(viewer.id().0, fields::SAFETY_ANSWERS, &json);
    state
        .store
        .save_safety_answers(viewer.id(), sealed, now())
        .await?;
    // Redirect rather than render, so a reload does not ask to send the answers again; the
    // form page shows the support page while the stored answers raise concern.
    if answers.raises_concern() {
        let target = match &next {
            Some(next) => format!("/safety?next={next}"),
            None => "/safety".to_owned(),
        };
        return Ok(Redirect::to(&target).into_response());
    }
    state.store.clear_safety(viewer.id(), now()).await?;
    Ok(Redirect::to(&after(&next)).into_response())
}

#[derive(Deserialize)]
pub struct NextForm {
    next: Option<String>,
}

pub async fn go_on(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<NextForm>,
) -> Result<Response, WebError> {
    if stored_answers(&state, &viewer).await?.is_none() {
        return Ok(Redirect::to("/safety").into_response());
    }
    state.store.clear_safety(viewer.id(), now()).await?;
    Ok(Redirect::to(&after(&safe_next(form.next.as_deref()))).into_response())
}

/// Ends the session and clears its cookie.
async fn log_out(
    state: &AppState,
    viewer: &Viewer,
    mut response: Response,
) -> Result<Response, WebError> {
    state.store.end_session(&viewer.token).await?;
    if let Some(clear) = clear_cookie_header(&state.config, CookieKind::Session) {
        response.headers_mut().append(header::SET_COOKIE, clear);
    }
    Ok(response)
}

pub async fn pause(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
) -> Result<Response, WebError> {
    let page = render(&MessagePage {
        title: chrome.s.t(key!("support.paused_title")).to_owned(),
        body: chrome.s.t(key!("support.paused_body")).to_owned(),
        chrome,
    });
    log_out(&state, &viewer, page).await
}

/// Logs out, then goes through a page of Mend's own: a form may only redirect to this site.
/// Like the quick exit, leaving never stops at an error page: should the session not end in
/// the database, the cookie is cleared all the same and the session still expires.
pub async fn leave(State(state): State<AppState>, viewer: MaybeViewer) -> Response {
    let mut away = Redirect::to(super::LEFT).into_response();
    away.headers_mut().insert(
        header::HeaderName::from_static("clear-site-data"),
        header::HeaderValue::from_static("\"cache\""),
    );
    // A session that has ended already (the quick exit in another tab, or its time ran out)
    // is no reason to stop: the person still leaves.
    if let Some(viewer) = viewer.0 {
        if let Err(e) = state.store.end_session(&viewer.token).await {
            tracing::error!(error = %e, "leaving quietly: the session could not be ended");
        }
    }
    if let Some(clear) = clear_cookie_header(&state.config, CookieKind::Session) {
        away.headers_mut().append(header::SET_COOKIE, clear);
    }
    away
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The form's fields are the questions' own names, which the page uses for its inputs.
    #[test]
    fn every_question_is_a_field_of_the_form() {
        let sent: serde_json::Map<_, _> = SafetyQuestion::ALL
            .iter()
            .map(|q| (q.as_str().to_owned(), "not_sure".into()))
            .collect();
        let form: SafetyForm =
            serde_json::from_value(sent.into()).expect("the answers are read into the form");
        let answers = SafetyAnswers::try_from(&form).expect("every question is answered");
        for q in SafetyQuestion::ALL {
            assert_eq!(answers.answer(q), Some(SafetyAnswer::NotSure), "{q:?}");
        }
    }
}
