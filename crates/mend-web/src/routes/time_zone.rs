//! The account page's time zone: chosen from the list, or detected from the browser at log-in
//! while none is chosen. Pages read it through `Viewer::zone` and `crate::when::LocalClock`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mend_core::{PersonId, Zone};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::extract::Form;
use crate::key;
use crate::session::Viewer;
use crate::state::AppState;
use crate::views::render_with;

#[derive(Deserialize)]
pub struct ZoneForm {
    /// Kept as sent: a name the database does not know is a problem shown on the page.
    #[serde(default)]
    time_zone: String,
}

/// `POST /account/time-zone`: use the zone chosen, or say it is unknown and change nothing.
pub async fn choose(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    Form(form): Form<ZoneForm>,
) -> Result<Response, WebError> {
    let Ok(zone) = Zone::parse(form.time_zone.trim()) else {
        let errors = vec![key!("time_zone.unknown")];
        let page = super::export::page(&state, &viewer, chrome, errors, None).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    state
        .store
        .choose_time_zone(viewer.id(), zone.name())
        .await?;
    // Quiet hours and the digest hour are read on this clock: a planned message moves with it.
    crate::notify::replan(&state, viewer.id(), crate::session::now()).await?;
    tracing::info!("time zone chosen");
    Ok(Redirect::to("/account#time-zone-title").into_response())
}

/// The zone the browser gave with the log-in form, kept if it is known and the person has none.
/// Anything else is ignored: it is a hint, not a choice.
pub async fn detected(state: &AppState, person: PersonId, sent: &str) -> Result<(), WebError> {
    if let Ok(zone) = Zone::parse(sent.trim()) {
        if state.store.detect_time_zone(person, zone.name()).await? {
            tracing::info!("time zone detected");
        }
    }
    Ok(())
}
