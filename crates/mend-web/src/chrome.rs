//! What every page carries around its content: the catalogue, the CSRF token for its forms,
//! the quick-exit target, and whether someone is logged in.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use std::sync::Arc;

use mend_core::store::SpaceVersion;
use mend_core::{PersonId, Zone};

use crate::csrf::{self, CsrfToken};
use crate::error::ErrorPage;
use crate::session::{self, now, MaybeViewer};
use crate::state::AppState;
use crate::strings::Strings;
use crate::views::{render, MessagePage};
use crate::waiting_view::Waits;

#[derive(Clone)]
pub struct Chrome {
    pub s: &'static Strings,
    pub csrf: String,
    pub exit_url: String,
    pub signed_in: bool,
    /// What waits for the person logged in, gathered once for this request (issue 12): the
    /// navigation shows its number, and the dashboard and journey page its items.
    pub waiting: Option<Arc<Waits>>,
    /// The zone of the person logged in, by which rhythms count their days.
    pub zone: Zone,
}

impl Chrome {
    fn from_parts(parts: &Parts, state: &AppState) -> Self {
        Self {
            s: state.strings,
            csrf: parts
                .extensions
                .get::<CsrfToken>()
                .map(|t| t.0.clone())
                .unwrap_or_default(),
            exit_url: state.config.exit_url.clone(),
            signed_in: false,
            waiting: None,
            zone: Zone::utc(),
        }
    }

    /// How many things wait for the person, for the navigation (none when not known).
    pub fn waiting_count(&self) -> usize {
        self.waiting.as_ref().map_or(0, |w| w.total())
    }

    /// Counts again, after the page marked something opened: the space has moved on since
    /// the session was read, so its version is read again.
    pub async fn recount(&mut self, state: &AppState, person: PersonId) {
        self.waiting = count(state, person, None, &self.zone).await;
    }

    pub fn signed_in(mut self) -> Self {
        self.signed_in = true;
        self
    }
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let mut chrome = Chrome::from_parts(parts, state);
        // htmx fragments (the coach's live review, the draft's autosave) have no navigation,
        // so nothing is counted for them; a full page counts for the person logged in, whose
        // session is looked up once per request.
        if parts.headers.contains_key("hx-request") {
            return Ok(chrome);
        }
        if let Ok(MaybeViewer(Some(viewer))) = MaybeViewer::from_request_parts(parts, state).await {
            chrome.zone = viewer.zone();
            chrome.waiting = count(state, viewer.id(), viewer.space, &chrome.zone).await;
        }
        Ok(chrome)
    }
}

/// What waits for `person` now; none (and the navigation shows no number) if the store
/// cannot say, which the page itself does not depend on.
async fn count(
    state: &AppState,
    person: PersonId,
    at: Option<SpaceVersion>,
    zone: &Zone,
) -> Option<Arc<Waits>> {
    match Waits::gather(state, person, at, now(), zone).await {
        Ok(waits) => Some(Arc::new(waits)),
        Err(e) => {
            tracing::warn!(error = %e, "what waits could not be counted");
            None
        }
    }
}

/// Whether a response is a refusal the framework wrote by itself: an error status with an
/// empty or plain-text body. Mend's own pages are HTML, and its JSON answers stay JSON.
fn is_bare_refusal(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    match response.headers().get(axum::http::header::CONTENT_TYPE) {
        None => true,
        Some(kind) => kind.as_bytes().starts_with(b"text/plain"),
    }
}

/// Turns responses marked with an [`ErrorPage`], and the framework's own bare refusals, into
/// full pages.
pub async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let mut chrome = Chrome::from_parts(&parts, &state);
    let headers = parts.headers.clone();
    let response = next.run(Request::from_parts(parts, body)).await;
    let error = match response.extensions().get::<ErrorPage>() {
        Some(error) => error.clone(),
        None if is_bare_refusal(&response) => ErrorPage::for_status(response.status()),
        None => return response,
    };
    // A person who is logged in keeps their navigation on an error page. This layer runs
    // before the CSRF layer has put the token in the request, so the log-out form takes it
    // from the browser's cookie, which the CSRF check compares it with.
    if session::has_session(&headers, &state).await {
        chrome = chrome.signed_in();
        if chrome.csrf.is_empty() {
            chrome.csrf = csrf::cookie_token(&headers, &state).unwrap_or_default();
        }
    }
    let slots: Vec<(&str, &str)> = error.slots.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = MessagePage {
        title: state.strings.t(error.title).to_owned(),
        body: state.strings.fill(error.body, &slots),
        chrome,
    };
    let (mut parts, _) = response.into_parts();
    let rendered = render(&page).into_response();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    let (rendered_parts, body) = rendered.into_parts();
    parts.headers.extend(rendered_parts.headers);
    Response::from_parts(parts, body)
}
