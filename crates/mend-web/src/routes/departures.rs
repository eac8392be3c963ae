//! Leaving the space, and deleting the account. Each asks for the password again (counted
//! against the log-in limits, as changing the password is) and a typed word; anything less
//! changes nothing. The store does each in one transaction (`DepartureStore`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::store::Departure;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Form;
use crate::key;
use crate::password_check::CountedCheck;
use crate::session::{clear_cookie_header, now, CookieKind, Viewer};
use crate::state::AppState;
use crate::views::{render, render_with, DeparturePage, MessagePage};

/// Where a deleted account lands: a page that needs no session.
pub const DELETED: &str = "/account/deleted";

#[derive(Deserialize)]
pub struct DepartureForm {
    current: String,
    #[serde(default)]
    confirm: String,
}

#[derive(Clone, Copy)]
enum Which {
    Leave,
    Delete,
}

fn page(chrome: Chrome, which: Which, errors: Vec<&'static str>) -> DeparturePage {
    let chrome = chrome.signed_in();
    match which {
        Which::Leave => DeparturePage {
            chrome,
            action: "/account/leave",
            title: key!("leave.title"),
            intro: key!("leave.intro"),
            happens: vec![
                key!("leave.happens_writing"),
                key!("leave.happens_journeys"),
                key!("leave.happens_partner"),
            ],
            stays: vec![
                key!("leave.stays_account"),
                key!("leave.stays_partner_words"),
                key!("leave.stays_new_space"),
                key!("leave.stays_backups"),
            ],
            word: key!("leave.word"),
            confirm_label: key!("leave.confirm_label"),
            submit: key!("leave.submit"),
            errors,
        },
        Which::Delete => DeparturePage {
            chrome,
            action: "/account/delete",
            title: key!("delete.title"),
            intro: key!("delete.intro"),
            happens: vec![
                key!("delete.happens_writing"),
                key!("delete.happens_account"),
                key!("delete.happens_sessions"),
                key!("delete.happens_email"),
                key!("delete.happens_partner"),
            ],
            stays: vec![
                key!("delete.stays_partner_words"),
                key!("delete.stays_backups"),
            ],
            word: key!("delete.word"),
            confirm_label: key!("delete.confirm_label"),
            submit: key!("delete.submit"),
            errors,
        },
    }
}

fn not_in_a_space() -> WebError {
    WebError::Refused {
        status: StatusCode::FORBIDDEN,
        title: key!("leave.no_space_title"),
        body: key!("leave.no_space_body"),
    }
}

async fn in_a_space(state: &AppState, viewer: &Viewer) -> Result<(), WebError> {
    match state.store.membership_of(viewer.id()).await? {
        Some(_) => Ok(()),
        None => Err(not_in_a_space()),
    }
}

pub async fn leave_form(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
) -> Result<Response, WebError> {
    in_a_space(&state, &viewer).await?;
    Ok(render(&page(chrome, Which::Leave, Vec::new())))
}

pub async fn delete_form(_viewer: Viewer, chrome: Chrome) -> Response {
    render(&page(chrome, Which::Delete, Vec::new()))
}

/// Checks the password (counted) and the typed word; `Err` is the page to send back, with
/// every problem named, when either is wrong.
async fn confirmed(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    viewer: &Viewer,
    chrome: &Chrome,
    which: Which,
    form: &DepartureForm,
) -> Result<Result<CountedCheck, Response>, WebError> {
    let again = CountedCheck::again(state, viewer, peer, headers, &form.current).await?;
    let word = match which {
        Which::Leave => key!("leave.word"),
        Which::Delete => key!("delete.word"),
    };
    let word_ok = form.confirm.trim().to_lowercase() == chrome.s.t(word).to_lowercase();
    let mut errors = Vec::new();
    if !again.right {
        errors.push(key!("departure.wrong_password"));
    }
    if !word_ok {
        errors.push(match which {
            Which::Leave => key!("leave.wrong_word"),
            Which::Delete => key!("delete.wrong_word"),
        });
    }
    if errors.is_empty() {
        Ok(Ok(again.check))
    } else {
        Ok(Err(render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(chrome.clone(), which, errors),
        )))
    }
}

pub async fn leave(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    viewer: Viewer,
    chrome: Chrome,
    Form(form): Form<DepartureForm>,
) -> Result<Response, WebError> {
    // A second submit that arrives after the first has left lands where the first did.
    if state.store.membership_of(viewer.id()).await?.is_none() {
        return Ok(Redirect::to("/home").into_response());
    }
    if let Err(page) = confirmed(
        &state,
        peer,
        &headers,
        &viewer,
        &chrome,
        Which::Leave,
        &form,
    )
    .await?
    {
        return Ok(page);
    }
    // One that passed the check above while the first was leaving finds no space in the
    // store, which then changes nothing.
    if let Departure::Left(_) = state.store.leave_space(viewer.id(), now()).await? {
        tracing::info!("a partner left their space");
    }
    Ok(Redirect::to("/home").into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    viewer: Viewer,
    chrome: Chrome,
    Form(form): Form<DepartureForm>,
) -> Result<Response, WebError> {
    let check = match confirmed(
        &state,
        peer,
        &headers,
        &viewer,
        &chrome,
        Which::Delete,
        &form,
    )
    .await?
    {
        Ok(check) => check,
        Err(page) => return Ok(page),
    };
    let mut login_keys = vec![check.keys.account];
    login_keys.extend(check.keys.device.as_ref().map(|(_, key)| *key));
    // A second submit waits for the first inside the store and finds the account gone:
    // both land on the same page.
    if state
        .store
        .delete_person(viewer.id(), &login_keys, now())
        .await?
    {
        tracing::info!("an account was deleted");
    }
    let mut response = Redirect::to(DELETED).into_response();
    for kind in [CookieKind::Session, CookieKind::Csrf] {
        if let Some(clear) = clear_cookie_header(&state.config, kind) {
            response.headers_mut().append(header::SET_COOKIE, clear);
        }
    }
    Ok(response)
}

pub async fn deleted(chrome: Chrome) -> Response {
    render(&MessagePage {
        title: chrome.s.t(key!("delete.done_title")).to_owned(),
        body: chrome.s.t(key!("delete.done_body")).to_owned(),
        chrome,
    })
}
