//! Mail for the person (issue 12): verifying one's address, sending the link again, and the
//! "Forgot your password?" page. Messages are only queued here; the worker sends them.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mend_core::mail::MailKind;
use mend_core::store::LoginReservation;
use mend_core::{Duration, Email, PersonId};
use rand::RngCore;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::{Form, Path};
use crate::key;
use crate::mail::worker::verify_hash;
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::throttle::{address_bucket, client_address};
use crate::views::{render, render_with, ForgotPage, MessagePage, VerifyPage};

/// `/verify/{token}`: the secret the verification mail carries, looked up by its keyed hash.
#[derive(Deserialize)]
pub struct VerifyPath {
    token: String,
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// How many "Forgot your password?" requests one client address (an IPv6 client's whole
/// /64, as for log-in) may make in [`FORGOT_WINDOW`], whichever addresses they name.
const FORGOT_LIMIT: usize = 10;
const FORGOT_WINDOW: Duration = Duration::minutes(15);

/// `POST /account/verify`: sends the verification link again (at most one per window).
pub async fn send_again(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
) -> Result<Response, WebError> {
    let Some(mail) = &state.mail else {
        return Err(WebError::NotFound);
    };
    let notice = if state.store.email_verified_at(viewer.id()).await?.is_some() {
        key!("account.mail_already_verified")
    } else if mail
        .queue(&*state.store, viewer.id(), MailKind::VerifyAddress, now())
        .await?
    {
        tracing::info!("verification link asked for");
        key!("account.mail_link_sent")
    } else {
        key!("account.mail_link_wait")
    };
    let page = super::export::page(&state, &viewer, chrome, Vec::new(), Some(notice)).await?;
    Ok(render(&page))
}

fn verify_invalid() -> WebError {
    WebError::Refused {
        status: StatusCode::GONE,
        title: key!("verify.invalid_title"),
        body: key!("verify.invalid_body"),
    }
}

/// `GET /verify/{token}`: a button, so that a mail program opening links to preview them
/// does not use the link up.
pub async fn verify_form(chrome: Chrome, Path(VerifyPath { token }): Path<VerifyPath>) -> Response {
    render(&VerifyPage { chrome, token })
}

/// `POST /verify/{token}`: verifies the address, once, while the link is fresh.
pub async fn verify(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(VerifyPath { token }): Path<VerifyPath>,
) -> Result<Response, WebError> {
    if state
        .store
        .verify_email(&verify_hash(&state, &token), now())
        .await?
        .is_none()
    {
        return Err(verify_invalid());
    }
    tracing::info!("e-mail address verified");
    Ok(render(&MessagePage {
        title: chrome.s.t(key!("verify.done_title")).to_owned(),
        body: chrome.s.t(key!("verify.done_body")).to_owned(),
        chrome,
    }))
}

/// `GET /forgot`: with mail, a form for the address; without, who to ask.
pub async fn forgot_form(State(state): State<AppState>, chrome: Chrome) -> Response {
    render(&ForgotPage {
        chrome,
        mail_on: state.mail.is_some(),
        sent: false,
    })
}

/// `POST /forgot`: the same answer, after the same statements, whether or not the address
/// has an account: the one guarded insert of a reset job adds a row for an account and none
/// for no account (the difference left: a row written and the worker woken, off the
/// request; see docs/security.md). Throttled per client address (an IPv6 client's /64);
/// one mail per account per window.
pub async fn forgot(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    chrome: Chrome,
    Form(form): Form<ForgotForm>,
) -> Result<Response, WebError> {
    let Some(mail) = &state.mail else {
        return Ok(forgot_form(State(state), chrome).await);
    };
    let at = now();
    let client = client_address(&state.config, peer, &headers);
    let bucket = state
        .key
        .lookup_hash("forgot-client", address_bucket(client).as_bytes());
    let mut attempt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut attempt);
    if let LoginReservation::Full { .. } = state
        .store
        .reserve_login_attempt(&attempt, &[(bucket, FORGOT_LIMIT)], at - FORGOT_WINDOW, at)
        .await?
    {
        tracing::info!("password reset by mail refused: too many requests");
        return Err(WebError::Refused {
            status: StatusCode::TOO_MANY_REQUESTS,
            title: key!("forgot.throttled_title"),
            body: key!("forgot.throttled_body"),
        });
    }
    let person = match Email::parse(&form.email) {
        Ok(email) => {
            super::accounts::person_by_typed_email(&state, email.as_str(), &form.email).await?
        }
        Err(_) => None,
    };
    // An unknown address runs the same insert for an id no one has, which adds nothing.
    let recipient = person.map(|p| p.id).unwrap_or_else(PersonId::new);
    mail.queue(&*state.store, recipient, MailKind::PasswordReset, at)
        .await?;
    tracing::info!("password reset by mail asked for");
    Ok(render_with(
        StatusCode::OK,
        &ForgotPage {
            chrome,
            mail_on: true,
            sent: true,
        },
    ))
}
