//! Page models: one struct per template, holding exactly what the page shows, in one module
//! per area; every model is reachable as `crate::views::X`.

mod accounts;
mod coach;
mod counsellor;
mod departures;
mod entries;
mod evidence;
mod feelings;
mod journeys;
mod patience;
mod questions;
mod spaces;
mod transparency;

pub use accounts::*;
pub use coach::*;
pub use counsellor::*;
pub use departures::*;
pub use entries::*;
pub use evidence::*;
pub use feelings::*;
pub use journeys::*;
pub use patience::*;
pub use questions::*;
pub use spaces::*;
pub use transparency::*;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::chrome::Chrome;

/// Renders a page; a template that fails to render is a bug, answered with a 500.
pub fn render<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a template failed to render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Renders a page with a status other than 200, such as a form sent back with errors.
pub fn render_with<T: Template>(status: StatusCode, page: &T) -> Response {
    let mut response = render(page);
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub chrome: Chrome,
    pub title: String,
    pub body: String,
}
