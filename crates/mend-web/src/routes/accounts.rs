//! Sign up, log in, log out, change and reset a password.

use std::net::SocketAddr;

use crate::extract::{Form, Query};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::account::{EmailProblem, NameProblem};
use mend_core::store::NewPerson;
use mend_core::{DisplayName, Email, LoginThrottle, NewPassword, PasswordProblem, PersonId};
use mend_crypto::DataKey;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::fields;
use crate::key;
use crate::session::{self, clear_cookie_header, now, safe_next, CookieKind, MaybeViewer, Viewer};
use crate::state::AppState;
use crate::views::{
    render, render_with, LoginPage, MessagePage, PasswordPage, ResetPage, SignupPage,
};

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct SignupForm {
    name: String,
    email: String,
    password: String,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    password: String,
}

#[derive(Deserialize)]
pub struct ResetForm {
    password: String,
}

fn name_problem(p: NameProblem) -> &'static str {
    match p {
        NameProblem::Empty => key!("signup.error_name_empty"),
        NameProblem::TooLong => key!("signup.error_name_long"),
        NameProblem::ControlCharacters => key!("signup.error_name_control"),
    }
}

fn email_problem(p: EmailProblem) -> &'static str {
    match p {
        EmailProblem::Empty => key!("signup.error_email_empty"),
        EmailProblem::TooLong => key!("signup.error_email_long"),
        EmailProblem::Malformed => key!("signup.error_email_malformed"),
    }
}

fn password_problem(p: PasswordProblem) -> &'static str {
    match p {
        PasswordProblem::TooShort => key!("signup.error_password_short"),
        PasswordProblem::TooLong => key!("signup.error_password_long"),
        PasswordProblem::EasyToGuess => key!("signup.error_password_weak"),
    }
}

/// The keyed hash under which an e-mail address is looked up.
fn email_lookup(state: &AppState, email: &str) -> [u8; 32] {
    state.key.lookup_hash("email", email.as_bytes())
}

fn redirect_with_cookie(to: &str, cookie: header::HeaderValue) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

pub async fn signup_form(
    viewer: MaybeViewer,
    chrome: Chrome,
    Query(q): Query<NextQuery>,
) -> Response {
    if viewer.0.is_some() {
        return Redirect::to("/home").into_response();
    }
    render(&SignupPage {
        chrome,
        name: String::new(),
        email: String::new(),
        next: safe_next(q.next.as_deref()).unwrap_or_default(),
        errors: Vec::new(),
    })
}

pub async fn signup(
    State(state): State<AppState>,
    chrome: Chrome,
    Form(form): Form<SignupForm>,
) -> Result<Response, WebError> {
    let next = safe_next(form.next.as_deref());
    let name = DisplayName::parse(&form.name);
    let email = Email::parse(&form.email);
    let mut personal: Vec<&str> = vec![form.name.trim()];
    let email_text = form.email.trim().to_lowercase();
    personal.push(&email_text);
    if let Some((local, _)) = email_text.split_once('@') {
        personal.push(local);
    }
    let password = NewPassword::parse(&form.password, &personal);

    let mut errors = Vec::new();
    if let Err(p) = &name {
        errors.push(name_problem(*p));
    }
    if let Err(p) = &email {
        errors.push(email_problem(*p));
    }
    if let Err(p) = &password {
        errors.push(password_problem(*p));
    }
    let (Ok(name), Ok(email), Ok(password)) = (name, email, password) else {
        return Ok(signup_again(chrome, &form, next, errors));
    };

    let lookup = email_lookup(&state, email.as_str());
    if state.store.person_by_email(&lookup).await?.is_some() {
        return Ok(signup_again(
            chrome,
            &form,
            next,
            vec![key!("signup.error_email_taken")],
        ));
    }
    let id = PersonId::new();
    let key = DataKey::generate(id.0);
    let password_hash = state.passwords.hash(password.as_str().to_owned()).await?;
    let created = state
        .store
        .create_person(NewPerson {
            id,
            email_lookup: lookup,
            email: key.seal(id.0, fields::EMAIL, email.as_str()),
            name: key.seal(id.0, fields::NAME, name.as_str()),
            password_hash,
            wrapped_key: state.key.wrap(&key),
            created_at: now(),
        })
        .await;
    match created {
        Ok(()) => {}
        // Two sign-ups with one address at the same moment: the second is told, like above.
        Err(mend_core::StoreError::Conflict(_)) => {
            return Ok(signup_again(
                chrome,
                &form,
                next,
                vec![key!("signup.error_email_taken")],
            ));
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!("account created");
    let cookie = session::start(&state, id).await?;
    let target = match &next {
        Some(next) => format!("/safety?next={next}"),
        None => "/safety".to_owned(),
    };
    Ok(redirect_with_cookie(&target, cookie))
}

fn signup_again(
    chrome: Chrome,
    form: &SignupForm,
    next: Option<String>,
    errors: Vec<&'static str>,
) -> Response {
    render_with(
        StatusCode::UNPROCESSABLE_ENTITY,
        &SignupPage {
            chrome,
            name: form.name.chars().take(DisplayName::MAX_CHARS).collect(),
            email: form.email.chars().take(Email::MAX_LEN).collect(),
            next: next.unwrap_or_default(),
            errors,
        },
    )
}

pub async fn login_form(
    viewer: MaybeViewer,
    chrome: Chrome,
    Query(q): Query<NextQuery>,
) -> Response {
    if viewer.0.is_some() {
        return Redirect::to("/home").into_response();
    }
    render(&LoginPage {
        chrome,
        email: String::new(),
        next: safe_next(q.next.as_deref()).unwrap_or_default(),
        error: None,
    })
}

/// The client address a throttle counts against. Behind a proxy this is the proxy's address,
/// which still bounds the total rate; see docs/security.md.
fn client_address(ConnectInfo(addr): ConnectInfo<SocketAddr>) -> String {
    addr.ip().to_string()
}

pub async fn login(
    State(state): State<AppState>,
    chrome: Chrome,
    connect: ConnectInfo<SocketAddr>,
    viewer: MaybeViewer,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let next = safe_next(form.next.as_deref());
    let throttle = LoginThrottle::default();
    let now = now();
    // A malformed address still goes through every step, so it answers like any other.
    let email = Email::parse(&form.email)
        .map(|e| e.as_str().to_owned())
        .unwrap_or_else(|_| form.email.trim().to_lowercase());
    let account_key = state.key.lookup_hash("login-account", email.as_bytes());
    let address_key = state
        .key
        .lookup_hash("login-address", client_address(connect).as_bytes());

    for key in [&account_key, &address_key] {
        let failures = state
            .store
            .login_failures_since(key, throttle.window_start(now))
            .await?;
        if let Some(wait) = throttle.wait(&failures, now) {
            tracing::warn!("log-in throttled");
            return Err(WebError::Throttled {
                retry_after_secs: wait.whole_seconds_up(),
            });
        }
    }

    let person = state
        .store
        .person_by_email(&email_lookup(&state, &email))
        .await?;
    let stored = person.as_ref().map(|p| p.password_hash.clone());
    let password = form
        .password
        .chars()
        .take(NewPassword::MAX_BYTES)
        .collect::<String>();
    let verified = state.passwords.verify(password, stored).await?;
    let (Some(person), true) = (person, verified) else {
        state
            .store
            .record_login_failure(&[account_key, address_key], now)
            .await?;
        tracing::info!("log-in refused");
        return Ok(render_with(
            StatusCode::UNAUTHORIZED,
            &LoginPage {
                chrome,
                email: form.email.chars().take(Email::MAX_LEN).collect(),
                next: next.unwrap_or_default(),
                error: Some(key!("login.failed")),
            },
        ));
    };

    state.store.clear_login_failures(&account_key).await?;
    // Renew at login: whatever session this browser had is ended, a new one starts.
    if let Some(old) = viewer.0 {
        state.store.end_session(&old.token).await?;
    }
    let cookie = session::start(&state, person.id).await?;
    tracing::info!("logged in");
    Ok(redirect_with_cookie(
        next.as_deref().unwrap_or("/home"),
        cookie,
    ))
}

pub async fn logout(
    State(state): State<AppState>,
    viewer: MaybeViewer,
) -> Result<Response, WebError> {
    if let Some(viewer) = viewer.0 {
        state.store.end_session(&viewer.token).await?;
    }
    let mut response = Redirect::to("/").into_response();
    if let Some(clear) = clear_cookie_header(&state.config, CookieKind::Session) {
        response.headers_mut().append(header::SET_COOKIE, clear);
    }
    Ok(response)
}

pub async fn password_form(_viewer: Viewer, chrome: Chrome) -> Response {
    render(&PasswordPage {
        chrome: chrome.signed_in(),
        errors: Vec::new(),
    })
}

pub async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let chrome = chrome.signed_in();
    let current = form
        .current
        .chars()
        .take(NewPassword::MAX_BYTES)
        .collect::<String>();
    let stored = Some(viewer.record.password_hash.clone());
    if !state.passwords.verify(current, stored).await? {
        return Ok(render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                chrome,
                errors: vec![key!("password.wrong_current")],
            },
        ));
    }
    let email = viewer
        .key
        .open(viewer.id().0, fields::EMAIL, &viewer.record.email)?;
    let password = match NewPassword::parse(&form.password, &[viewer.name.as_str(), &email]) {
        Ok(p) => p,
        Err(p) => {
            return Ok(render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PasswordPage {
                    chrome,
                    errors: vec![password_problem(p)],
                },
            ))
        }
    };
    let hash = state.passwords.hash(password.as_str().to_owned()).await?;
    state
        .store
        .change_password(viewer.id(), &hash, Some(&viewer.token))
        .await?;
    tracing::info!("password changed; other sessions ended");
    Ok(render(&MessagePage {
        title: chrome.s.t(key!("password.changed_title")).to_owned(),
        body: chrome.s.t(key!("password.changed_body")).to_owned(),
        chrome,
    }))
}

fn reset_hash(state: &AppState, token: &str) -> [u8; 32] {
    state.key.lookup_hash("password-reset", token.as_bytes())
}

fn reset_invalid() -> WebError {
    WebError::Refused {
        status: StatusCode::GONE,
        title: key!("reset.invalid_title"),
        body: key!("reset.invalid_body"),
    }
}

pub async fn reset_form(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let hash = reset_hash(&state, &token);
    if state
        .store
        .password_reset_person(&hash, now())
        .await?
        .is_none()
    {
        return Err(reset_invalid());
    }
    Ok(render(&ResetPage {
        chrome,
        token,
        errors: Vec::new(),
    }))
}

pub async fn reset(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response, WebError> {
    let hash = reset_hash(&state, &token);
    let Some(person_id) = state.store.password_reset_person(&hash, now()).await? else {
        return Err(reset_invalid());
    };
    let person = state
        .store
        .person(person_id)
        .await?
        .ok_or_else(reset_invalid)?;
    let (key, name) = session::open_name(&state, &person)?;
    let email = key.open(person.id.0, fields::EMAIL, &person.email)?;
    let password = match NewPassword::parse(&form.password, &[name.as_str(), &email]) {
        Ok(p) => p,
        Err(p) => {
            return Ok(render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ResetPage {
                    chrome,
                    token,
                    errors: vec![password_problem(p)],
                },
            ))
        }
    };
    let password_hash = state.passwords.hash(password.as_str().to_owned()).await?;
    if state
        .store
        .use_password_reset(&hash, &password_hash, now())
        .await?
        .is_none()
    {
        return Err(reset_invalid());
    }
    tracing::info!("password reset; every session ended");
    let mut response = render(&MessagePage {
        title: chrome.s.t(key!("reset.done_title")).to_owned(),
        body: chrome.s.t(key!("reset.done_body")).to_owned(),
        chrome,
    });
    if let Some(clear) = clear_cookie_header(&state.config, CookieKind::Session) {
        response.headers_mut().append(header::SET_COOKIE, clear);
    }
    Ok(response)
}
