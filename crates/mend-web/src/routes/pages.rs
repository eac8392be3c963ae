//! Pages and endpoints that belong to no single area.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::session::{clear_cookie_header, cookie_value, token_hash, CookieKind, MaybeViewer};
use crate::state::AppState;
use crate::views::{render, HelpPage, LandingPage, LeftPage};

pub async fn landing(viewer: MaybeViewer, chrome: Chrome) -> Response {
    match viewer.0 {
        Some(_) => Redirect::to("/home").into_response(),
        None => render(&LandingPage { chrome }),
    }
}

pub async fn help(viewer: MaybeViewer, chrome: Chrome) -> Response {
    let chrome = if viewer.0.is_some() {
        chrome.signed_in()
    } else {
        chrome
    };
    render(&HelpPage { chrome })
}

/// The quick exit: ends the session on the server, forgets Mend's cookies and cached pages,
/// and sends the browser to the neutral page, so that Back or a reload shows only the log-in
/// page. Without JavaScript this is the button's plain link; with it, static/mend.js calls it
/// in the background while the page leaves at once.
///
/// A GET that logs out can be set off from another site (a link to it), which only means
/// logging in again; a POST could not lead on to another site under `form-action 'self'`.
pub async fn exit(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let session = CookieKind::Session.name(&state.config);
    if let Some(token) = cookie_value(&headers, session) {
        // Leaving must never wait on an error page: the cookie is cleared all the same, and a
        // session the database could not end still expires.
        if let Err(e) = state.store.end_session(&token_hash(&state, &token)).await {
            tracing::error!(error = %e, "quick exit: the session could not be ended");
        }
    }
    let mut response = (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, state.config.exit_url.clone()),
            (
                header::HeaderName::from_static("clear-site-data"),
                "\"cache\"".to_owned(),
            ),
        ],
    )
        .into_response();
    for kind in [CookieKind::Session, CookieKind::Csrf] {
        if let Some(clear) = clear_cookie_header(&state.config, kind) {
            response.headers_mut().append(header::SET_COOKIE, clear);
        }
    }
    response
}

/// Where "Leave quietly" lands once the session has ended: a page of Mend's own, since
/// `form-action 'self'` forbids a form to redirect to another site. It moves on at once by
/// a meta refresh, by static/mend.js when the refresh is blocked, or by its plain link.
pub async fn left(chrome: Chrome) -> Response {
    render(&LeftPage { chrome })
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(serde_json::json!({"status": "ok"})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "unavailable"})),
            )
                .into_response()
        }
    }
}

pub async fn stylesheet() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../static/mend.css"),
    )
}

pub async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/mend.js"),
    )
}

/// Mend's own small icon, for the browser's tab.
pub async fn favicon() -> Response {
    asset("image/svg+xml", include_str!("../../static/favicon.svg"))
}

/// htmx, vendored and pinned (static/vendor), for live coach feedback.
pub async fn htmx() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/vendor/htmx-2.0.11.min.js"),
    )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}
