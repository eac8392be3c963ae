//! Protection against cross-site request forgery, for every state-changing request.
//!
//! Two independent checks, both required: the request must come from Mend's own origin
//! (`Origin`, or `Sec-Fetch-Site` when a client sends no `Origin`), and its form must carry the
//! token from the `csrf` cookie (double submit). Doing this in one layer in front of every
//! route, rather than in each handler, means no form can forget it. The layer also enforces
//! the body size limit, since it reads the body.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use subtle::ConstantTimeEq;

use crate::error::WebError;
use crate::session::{cookie_value, set_cookie_header, CookieKind};
use crate::state::AppState;

/// The token to embed in this page's forms.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// The form field that carries the token.
pub const FIELD: &str = "csrf";

/// The answer to a request refused by these checks. A refused "Leave quietly" changes nothing,
/// like any other, but still moves on to the page that leaves: someone leaving in a hurry from
/// a second tab, after the quick exit in the first cleared the token, must never be stopped by
/// an error page.
fn refuse(path: &str) -> Response {
    if path == crate::routes::LEAVE {
        return Redirect::to(crate::routes::LEFT).into_response();
    }
    WebError::Forbidden.into_response()
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn origin_allowed(headers: &HeaderMap, state: &AppState) -> bool {
    let expected = state.config.public_origin().or_else(|| {
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(|host| format!("http://{}", host.to_ascii_lowercase()))
    });
    match headers.get(header::ORIGIN) {
        Some(origin) => {
            let origin = origin.to_str().unwrap_or("").to_ascii_lowercase();
            expected.is_some_and(|e| e == origin)
        }
        // Without Origin, a browser still says whether the request crossed sites.
        None => !matches!(
            headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()),
            Some("cross-site") | Some("same-site")
        ),
    }
}

fn token_in_form(body: &[u8]) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value.into_owned())
}

/// The token of the browser's CSRF cookie, if it holds a well-formed one.
pub fn cookie_token(headers: &HeaderMap, state: &AppState) -> Option<String> {
    cookie_value(headers, CookieKind::Csrf.name(&state.config)).filter(|t| {
        t.len() == 43
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let kind = CookieKind::Csrf;
    let cookie_token = cookie_token(request.headers(), &state);
    let (token, fresh) = match cookie_token.clone() {
        Some(token) => (token, false),
        None => (crate::session::random_token(), true),
    };

    let (mut parts, body) = request.into_parts();
    let body = if is_state_changing(&parts.method) {
        if !origin_allowed(&parts.headers, &state) {
            return refuse(parts.uri.path());
        }
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > state.config.body_limit) {
            return WebError::TooLarge.into_response();
        }
        let Ok(bytes) = to_bytes(body, state.config.body_limit).await else {
            return WebError::TooLarge.into_response();
        };
        let sent = token_in_form(&bytes);
        let valid = match (&cookie_token, &sent) {
            (Some(expected), Some(sent)) => bool::from(expected.as_bytes().ct_eq(sent.as_bytes())),
            _ => false,
        };
        if !valid {
            return refuse(parts.uri.path());
        }
        Body::from(bytes)
    } else {
        body
    };

    parts.extensions.insert(CsrfToken(token.clone()));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if fresh {
        if let Some(value) = set_cookie_header(&state.config, kind, &token) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_a_urlencoded_form() {
        assert_eq!(
            token_in_form(b"a=1&csrf=abc%2Bd&b=2").as_deref(),
            Some("abc+d")
        );
        assert_eq!(token_in_form(b"a=1"), None);
        assert_eq!(token_in_form(b"\xff\xfe"), None);
    }
}
