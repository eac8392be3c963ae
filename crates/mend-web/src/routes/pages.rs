//! Pages and endpoints that belong to no single area.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::session::MaybeViewer;
use crate::state::AppState;
use crate::views::{render, HelpPage, LandingPage};

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

/// The quick exit without JavaScript: a plain redirect to the neutral page. With JavaScript,
/// the button replaces the history entry instead (static/mend.js).
pub async fn exit(State(state): State<AppState>) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, state.config.exit_url.clone()),
            (
                header::HeaderName::from_static("clear-site-data"),
                "\"cache\"".to_owned(),
            ),
        ],
    )
        .into_response()
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
