//! The web layer's one error type, mapped once to HTTP responses.
//!
//! A handler returns a `WebError`; its response carries an [`ErrorPage`] marker, and the
//! `render_error_pages` layer turns that into a full page with the catalogue's words. Detail
//! meant for operators goes to the log and never contains user text.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::StoreError;

use crate::key;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("cross-site or token-less request refused")]
    Forbidden,
    #[error("request body too large")]
    TooLarge,
    #[error("malformed request")]
    BadRequest,
    #[error("conflicting change")]
    Conflict,
    #[error("too many failed log-ins")]
    Throttled { retry_after_secs: i64 },
    /// Every password hash is in use and none came free in time; nothing was changed.
    #[error("too many passwords being checked at once")]
    Busy,
    #[error("login needed")]
    LoginRequired { next: String },
    /// A refusal with its own explanation page, such as an expired invitation.
    #[error("refused: {title}")]
    Refused {
        status: StatusCode,
        title: &'static str,
        body: &'static str,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

impl WebError {
    pub fn internal(detail: impl Into<String>) -> Self {
        WebError::Internal(detail.into())
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(_) => WebError::Conflict,
            // The same page as a journey that had ended before the form was sent.
            StoreError::Ended => mend_core::EndingRefusal::Ended.into(),
            // What any page of a space one is not in answers.
            StoreError::NotSeated => WebError::NotFound,
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<mend_crypto::CryptoError> for WebError {
    fn from(e: mend_crypto::CryptoError) -> Self {
        WebError::Internal(format!("sealed data could not be opened: {e}"))
    }
}

/// What an error page shows: catalogue keys for its title and text, and slot values.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub title: &'static str,
    pub body: &'static str,
    pub slots: Vec<(&'static str, String)>,
}

impl ErrorPage {
    pub fn new(title: &'static str, body: &'static str) -> Self {
        Self {
            title,
            body,
            slots: Vec::new(),
        }
    }
}

impl ErrorPage {
    /// The page for a refusal that the framework answered by itself (a path that is not valid
    /// UTF-8, a method a route does not take, a malformed form), chosen by its status.
    pub fn for_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => ErrorPage::new(
                key!("errors.not_found_title"),
                key!("errors.not_found_body"),
            ),
            StatusCode::METHOD_NOT_ALLOWED => {
                ErrorPage::new(key!("errors.method_title"), key!("errors.method_body"))
            }
            StatusCode::PAYLOAD_TOO_LARGE => ErrorPage::new(
                key!("errors.too_large_title"),
                key!("errors.too_large_body"),
            ),
            StatusCode::URI_TOO_LONG => ErrorPage::new(
                key!("errors.address_too_long_title"),
                key!("errors.address_too_long_body"),
            ),
            s if s.is_server_error() => ErrorPage::new(
                key!("errors.unavailable_title"),
                key!("errors.unavailable_body"),
            ),
            _ => ErrorPage::new(
                key!("errors.bad_request_title"),
                key!("errors.bad_request_body"),
            ),
        }
    }
}

/// Seconds to wait after the busy page: a queue of hashes clears in well under this.
const BUSY_RETRY_AFTER: &str = "5";

fn page(status: StatusCode, page: ErrorPage) -> Response {
    let mut response = status.into_response();
    response.extensions_mut().insert(page);
    response
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound => page(
                StatusCode::NOT_FOUND,
                ErrorPage::new(
                    key!("errors.not_found_title"),
                    key!("errors.not_found_body"),
                ),
            ),
            WebError::Forbidden => page(
                StatusCode::FORBIDDEN,
                ErrorPage::new(
                    key!("errors.forbidden_title"),
                    key!("errors.forbidden_body"),
                ),
            ),
            WebError::TooLarge => page(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorPage::new(
                    key!("errors.too_large_title"),
                    key!("errors.too_large_body"),
                ),
            ),
            WebError::BadRequest => page(
                StatusCode::BAD_REQUEST,
                ErrorPage::new(
                    key!("errors.bad_request_title"),
                    key!("errors.bad_request_body"),
                ),
            ),
            WebError::Conflict => page(
                StatusCode::CONFLICT,
                ErrorPage::new(key!("errors.conflict_title"), key!("errors.conflict_body")),
            ),
            WebError::Throttled { retry_after_secs } => {
                let minutes = ((retry_after_secs + 59) / 60).max(1);
                let mut response = page(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorPage {
                        title: key!("login.throttled_title"),
                        body: key!("login.throttled_body"),
                        slots: vec![("minutes", minutes.to_string())],
                    },
                );
                if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                response
            }
            WebError::Busy => {
                let mut response = page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorPage::new(key!("errors.busy_title"), key!("errors.busy_body")),
                );
                response.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from_static(BUSY_RETRY_AFTER),
                );
                response
            }
            WebError::LoginRequired { next } => {
                let target = form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", &next)
                    .finish();
                Redirect::to(&format!("/login?{target}")).into_response()
            }
            WebError::Refused {
                status,
                title,
                body,
            } => page(status, ErrorPage::new(title, body)),
            WebError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorPage::new(
                        key!("errors.unavailable_title"),
                        key!("errors.unavailable_body"),
                    ),
                )
            }
        }
    }
}
