//! The ceiling the pages are measured against: the least a Rust web server on this machine
//! does per request, built with the same profile in the same run. One route answers a fixed
//! page of about 2 KB; the other reads one row through the same store `mend serve` uses (a
//! person by primary key, as every signed-in request looks one up) and answers a short page.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use mend_core::store::prelude::*;
use mend_core::PersonId;
use mend_store::Db;

/// The fixed page: plain HTML of about the size of Mend's landing page.
pub fn static_page() -> String {
    let mut page = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Ceiling</title></head><body><main><h1>A fixed page</h1>",
    );
    let mut n = 0;
    while page.len() < 2_000 {
        n += 1;
        page.push_str(&format!(
            "<p>Paragraph {n}: the same bytes on every request, built once at start.</p>"
        ));
    }
    page.push_str("</main></body></html>");
    page
}

#[derive(Clone)]
struct Ceiling {
    page: Arc<str>,
    db: Arc<Db>,
    person: PersonId,
}

/// The ceiling's routes: `/static` and `/one-row` (which reads `person` from `db`).
pub fn router(db: Arc<Db>, person: PersonId) -> Router {
    Router::new()
        .route("/static", get(fixed))
        .route("/one-row", get(one_row))
        .with_state(Ceiling {
            page: static_page().into(),
            db,
            person,
        })
}

async fn fixed(State(c): State<Ceiling>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        c.page.to_string(),
    )
        .into_response()
}

async fn one_row(State(c): State<Ceiling>) -> Response {
    match c.db.person(c.person).await {
        Ok(Some(person)) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            format!(
                "<!doctype html><p>An account made at {}.</p>",
                person.created_at.0
            ),
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "no such person").into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the database did not answer",
        )
            .into_response(),
    }
}
