//! Security headers on every response.

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::config::WebConfig;
use crate::state::AppState;

/// No inline scripts or styles, nothing from elsewhere, no framing, forms only to ourselves.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// A year, the usual span; without `includeSubDomains`, since other sites may share the domain.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// The headers every response carries, static files included.
pub fn security_headers(config: &WebConfig) -> Vec<(HeaderName, &'static str)> {
    let mut headers = vec![
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // same-origin: nothing leaves for other sites (paths can hold codes), while our own form
        // posts keep their Origin header; no-referrer would make browsers send "Origin: null".
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    // Only over https: browsers ignore it on plain http, and a Mend tried out on a laptop must
    // not pin a name to https.
    if config.is_https() {
        headers.push((header::STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY));
    }
    headers
}

pub async fn secure(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in security_headers(&state.config) {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Pages hold private words: never keep them in a cache, shared or the browser's own.
    if !is_static {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
