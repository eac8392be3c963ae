//! Sign up, log in, log out, change and reset a password.

use std::net::SocketAddr;

use crate::extract::{Form, Path, Query};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::account::{EmailProblem, NameProblem};
use mend_core::store::{NewPerson, PersonRecord};
use mend_core::{DisplayName, Email, NewPassword, PasswordProblem, PersonId};
use mend_crypto::DataKey;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::fields;
use crate::key;
use crate::password_check::CountedCheck;
use crate::session::{self, clear_cookie_header, now, safe_next, CookieKind, MaybeViewer, Viewer};
use crate::state::AppState;
use crate::throttle::{client_address, remember_device};
use crate::views::{
    render, render_with, LoginPage, MessagePage, PasswordPage, ResetPage, SignupPage,
};

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    /// A counsellor's link code (issue 14): the account made is a counsellor's.
    counsellor: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    /// Set when coming from the sign-up form, to say what happens now.
    signed_up: Option<String>,
    /// Set when coming from a password reset.
    reset: Option<String>,
}

#[derive(Deserialize)]
pub struct SignupForm {
    name: String,
    email: String,
    password: String,
    next: Option<String>,
    /// A counsellor's link code (issue 14): the account made is a counsellor's.
    #[serde(default)]
    counsellor: String,
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
    /// The browser's own time zone, filled in by mend.js; kept only if the person has none.
    #[serde(default)]
    time_zone: String,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    password: String,
}

/// `/reset/{token}`. A token is not an id: it is the secret the e-mailed link carries,
/// looked up by its keyed hash.
#[derive(Deserialize)]
pub struct ResetPath {
    token: String,
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

/// The account an address typed at log-in names. `normalised` is the typed address as
/// `Email::parse` makes it. Addresses stored before that composed them (NFC) were only trimmed
/// and lowercased, so one typed decomposed then is looked up under that form too, whenever
/// the two differ (whether or not the first is found, so that the work says nothing).
pub(super) async fn person_by_typed_email(
    state: &AppState,
    normalised: &str,
    typed: &str,
) -> Result<Option<PersonRecord>, WebError> {
    let found = state
        .store
        .person_by_email(&email_lookup(state, normalised))
        .await?;
    let Some(legacy) = Email::stored_before_composing(typed, normalised) else {
        return Ok(found);
    };
    let stored_before = state
        .store
        .person_by_email(&email_lookup(state, &legacy))
        .await?;
    Ok(found.or(stored_before))
}

fn redirect_with_cookie(to: &str, cookie: header::HeaderValue) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

pub async fn signup_form(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    chrome: Chrome,
    Query(q): Query<NextQuery>,
) -> Response {
    if viewer.0.is_some() {
        return Redirect::to("/home").into_response();
    }
    let counsellor = q.counsellor.unwrap_or_default();
    if !counsellor.is_empty() {
        // Only a link that works now makes a counsellor's account.
        match super::counsellor_pages::grant_by_code(&state, &counsellor).await {
            Ok(grant) => {
                if let Err(r) = grant.grant.link_usable(now()) {
                    return WebError::from(r).into_response();
                }
            }
            Err(e) => return e.into_response(),
        }
    }
    render(&SignupPage {
        chrome,
        name: String::new(),
        email: String::new(),
        next: safe_next(q.next.as_deref()).unwrap_or_default(),
        counsellor,
        errors: Vec::new(),
    })
}

pub async fn signup(
    State(state): State<AppState>,
    chrome: Chrome,
    Form(form): Form<SignupForm>,
) -> Result<Response, WebError> {
    let mut next = safe_next(form.next.as_deref());
    // A counsellor's account is made only from a link that works now (issue 14); the person
    // accepts it after logging in.
    let counsellor = !form.counsellor.is_empty();
    if counsellor {
        let grant = super::counsellor_pages::grant_by_code(&state, &form.counsellor).await?;
        grant.grant.link_usable(now())?;
        next = Some(format!("/counsellor-invite/{}", form.counsellor));
    }
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

    // A new address and one that already has an account get the same answer after the same
    // work, so that the form cannot be used to learn who uses Mend (docs/security.md). Neither
    // logs in: the person logs in next, which is where a wrong password shows.
    let id = PersonId::new();
    let key = DataKey::generate(id.0);
    let password_hash = state.passwords.hash(password.as_str().to_owned()).await?;
    let created = state
        .store
        .create_person(NewPerson {
            id,
            email_lookup: email_lookup(&state, email.as_str()),
            email: key.seal(id.0, fields::EMAIL, email.as_str()),
            name: key.seal(id.0, fields::NAME, name.as_str()),
            password_hash,
            wrapped_key: state.key.wrap(&key),
            created_at: now(),
            counsellor,
        })
        .await;
    // With mail (issue 12), the confirmation link is queued. For a taken address the same
    // insert is tried for the new id, which no account has, and the database refuses it:
    // both cases do the same work, and nothing is sent to the address's owner.
    if let Some(mail) = &state.mail {
        mail.queue(
            &*state.store,
            id,
            mend_core::mail::MailKind::VerifyAddress,
            now(),
        )
        .await?;
    }
    match created {
        Ok(()) => tracing::info!("account created"),
        // The address has an account: nothing is created or changed, and the answer is the same.
        Err(mend_core::StoreError::Conflict(_)) => {
            tracing::info!("sign-up for an address that has an account; nothing changed")
        }
        Err(e) => return Err(e.into()),
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("signed_up", "1")
        .extend_pairs(next.iter().map(|n| ("next", n.as_str())))
        .finish();
    Ok(Redirect::to(&format!("/login?{query}")).into_response())
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
            counsellor: form.counsellor.chars().take(22).collect(),
            errors,
        },
    )
}

pub async fn login_form(
    viewer: MaybeViewer,
    chrome: Chrome,
    Query(q): Query<LoginQuery>,
) -> Response {
    if viewer.0.is_some() {
        return Redirect::to("/home").into_response();
    }
    render(&LoginPage {
        chrome,
        email: String::new(),
        next: safe_next(q.next.as_deref()).unwrap_or_default(),
        notice: match (q.signed_up, q.reset) {
            (Some(_), _) => Some(key!("login.signed_up")),
            (None, Some(_)) => Some(key!("login.reset_done")),
            (None, None) => None,
        },
        error: None,
    })
}

pub async fn login(
    State(state): State<AppState>,
    chrome: Chrome,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    viewer: MaybeViewer,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let next = safe_next(form.next.as_deref());
    // A malformed address still goes through every step, so it answers like any other.
    let email = Email::parse(&form.email)
        .map(|e| e.as_str().to_owned())
        .unwrap_or_else(|_| form.email.trim().to_lowercase());
    let client = client_address(&state.config, peer, &headers);
    let person = person_by_typed_email(&state, &email, &form.email).await?;
    let stored = person.as_ref().map(|p| p.password_hash.clone());
    let check = CountedCheck::reserve(&state, &email, stored.as_deref(), &headers, client).await?;
    let verified = check.verify(&state, &form.password, stored).await?;
    let (Some(person), true) = (person, verified) else {
        tracing::info!("log-in refused");
        return Ok(render_with(
            StatusCode::UNAUTHORIZED,
            &LoginPage {
                chrome,
                email: form.email.chars().take(Email::MAX_LEN).collect(),
                next: next.unwrap_or_default(),
                notice: None,
                error: Some(key!("login.failed")),
            },
        ));
    };
    check.succeeded(&state).await?;
    // Renew at login: whatever session this browser had is ended, a new one starts.
    if let Some(old) = viewer.0 {
        state.store.end_session(&old.token).await?;
    }
    let cookie = session::start(&state, person.id).await?;
    tracing::info!("logged in");
    crate::routes::time_zone::detected(&state, person.id, &form.time_zone).await?;
    let mut response = redirect_with_cookie(next.as_deref().unwrap_or("/home"), cookie);
    if let Some(device) = remember_device(&state, &headers, &check.keys, &person.password_hash) {
        response.headers_mut().append(header::SET_COOKIE, device);
    }
    Ok(response)
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    viewer: Viewer,
    chrome: Chrome,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let chrome = chrome.signed_in();
    let again = CountedCheck::again(&state, &viewer, peer, &headers, &form.current).await?;
    if !again.right {
        return Ok(render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                chrome,
                errors: vec![key!("password.wrong_current")],
            },
        ));
    }
    let password = match NewPassword::parse(&form.password, &[viewer.name.as_str(), &again.email]) {
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
    let mut response = render(&MessagePage {
        title: chrome.s.t(key!("password.changed_title")).to_owned(),
        body: chrome.s.t(key!("password.changed_body")).to_owned(),
        chrome,
    });
    // Every device that knew the old password is a stranger now, except this one, which has
    // just shown it knows it.
    if let Some(device) = remember_device(&state, &headers, &again.check.keys, &hash) {
        response.headers_mut().append(header::SET_COOKIE, device);
    }
    Ok(response)
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
    Path(ResetPath { token }): Path<ResetPath>,
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
    Path(ResetPath { token }): Path<ResetPath>,
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
    // The way on is to log in with the new password.
    let mut response = Redirect::to("/login?reset=1").into_response();
    if let Some(clear) = clear_cookie_header(&state.config, CookieKind::Session) {
        response.headers_mut().append(header::SET_COOKIE, clear);
    }
    Ok(response)
}
