//! Routes, one module per area of the product.

mod accounts;
mod agreements;
mod choices;
mod coach;
// A counsellor, by both partners' consent (issue 14): the partners' side, and the counsellor's.
pub(crate) mod counsellor;
mod counsellor_pages;
mod departures;
mod endings;
mod entries;
mod evidence;
mod export;
mod feelings;
mod invites;
mod journal;
mod journeys;
// Mail: verifying an address, forgotten passwords (issue 12).
mod mail;
// The account page's notification choices (issue 12).
mod notifications;
mod pages;
mod patience;
mod questions;
mod safety;
pub(crate) mod spaces;
pub(crate) mod timeline;
mod transparency;
mod triggers;
// The account page's time zone (issue 12).
pub(crate) mod time_zone;

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::state::AppState;

/// Where "Leave quietly" posts, and the page of Mend's own it lands on before leaving.
pub const LEAVE: &str = "/safety/leave";
pub const LEFT: &str = "/left";
/// The health check, answered whatever `Host` it was sent to.
pub const HEALTH: &str = "/healthz";

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::landing))
        .route("/help", get(pages::help))
        .route("/exit", get(pages::exit))
        .route(LEFT, get(pages::left))
        .route(HEALTH, get(pages::healthz))
        .route("/static/mend.css", get(pages::stylesheet))
        .route("/static/mend.js", get(pages::script))
        .route("/static/htmx.min.js", get(pages::htmx))
        .route("/static/favicon.svg", get(pages::favicon))
        .route("/coach", get(coach::page).post(coach::check))
        .route("/coach/review", post(coach::live))
        .route("/signup", get(accounts::signup_form).post(accounts::signup))
        .route("/login", get(accounts::login_form).post(accounts::login))
        .route("/logout", post(accounts::logout))
        .route("/account", get(export::account))
        .route("/account/export", post(export::download))
        .route("/account/time-zone", post(time_zone::choose))
        .route("/account/notifications", post(notifications::choose))
        .route(
            "/account/password",
            get(accounts::password_form).post(accounts::change_password),
        )
        // Leaving the space and deleting the account (issue 11).
        .route(
            "/account/leave",
            get(departures::leave_form).post(departures::leave),
        )
        .route(
            "/account/delete",
            get(departures::delete_form).post(departures::delete),
        )
        .route(departures::DELETED, get(departures::deleted))
        .route(
            "/reset/{token}",
            get(accounts::reset_form).post(accounts::reset),
        )
        // Mail (issue 12).
        .route("/account/verify", post(mail::send_again))
        .route("/verify/{token}", get(mail::verify_form).post(mail::verify))
        .route("/forgot", get(mail::forgot_form).post(mail::forgot))
        .route("/safety", get(safety::form).post(safety::answer))
        .route("/safety/continue", post(safety::go_on))
        .route("/safety/pause", post(safety::pause))
        .route(LEAVE, post(safety::leave))
        .route("/home", get(spaces::home))
        .route("/spaces", post(spaces::create))
        .route("/spaces/{space}", get(spaces::show))
        .route("/spaces/{space}/invites", post(spaces::create_invite))
        .route(
            "/spaces/{space}/invites/{invite}/revoke",
            post(spaces::revoke_invite),
        )
        .route("/invite/{code}", get(invites::show).post(invites::accept))
        // A counsellor (issue 14).
        .route("/spaces/{space}/counsellor", get(counsellor::page))
        .route(
            "/spaces/{space}/counsellor/propose",
            post(counsellor::propose),
        )
        .route("/spaces/{space}/counsellor/agree", post(counsellor::agree))
        .route("/spaces/{space}/counsellor/end", post(counsellor::end))
        .route(
            "/spaces/{space}/breaches/{breach}/counsellor",
            get(counsellor::journey_page).post(counsellor::choose),
        )
        .route(
            "/counsellor-invite/{code}",
            get(counsellor_pages::invite).post(counsellor_pages::accept),
        )
        .route("/counsel", get(counsellor_pages::home))
        .route("/counsel/{space}", get(counsellor_pages::couple))
        .route(
            "/counsel/{space}/breaches/{breach}",
            get(counsellor_pages::journey),
        )
        .route(
            "/counsel/{space}/breaches/{breach}/notes",
            post(counsellor_pages::leave_note),
        )
        .route("/spaces/{space}/breaches/new", get(journeys::new_form))
        .route("/spaces/{space}/breaches", post(journeys::create))
        .route("/spaces/{space}/breaches/{breach}", get(journeys::show))
        .route(
            "/spaces/{space}/breaches/{breach}/areas/{area}",
            post(journeys::change_area),
        )
        .route("/guide/{area}", get(journeys::guide))
        .route(
            "/spaces/{space}/breaches/{breach}/questions",
            get(questions::page).post(questions::ask),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/questions/{question}/answer",
            post(questions::answer),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/questions/{question}/withdraw",
            post(questions::withdraw_question),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/questions/{question}/in-person",
            post(questions::in_person),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/questions/answers/{answer}/respond",
            post(questions::respond),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/questions/answers/{answer}/withdraw",
            post(questions::withdraw_answer),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/triggers",
            get(triggers::page).post(triggers::signal),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/triggers/{trigger}/reply",
            post(triggers::reply),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/transparency",
            get(transparency::page).post(transparency::offer),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/transparency/{agreement}/decide",
            post(transparency::decide),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/transparency/{agreement}/withdraw",
            post(transparency::withdraw),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/transparency/{agreement}/renew",
            post(transparency::renew),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/patience",
            get(patience::page).post(patience::check_in),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/evidence",
            get(evidence::page).post(evidence::add),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/evidence/{entry}/share",
            post(evidence::share),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/evidence/{entry}/unshare",
            post(evidence::unshare),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/evidence/{entry}/counsellor",
            post(evidence::share_with_counsellor),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/evidence/{entry}/counsellor/unshare",
            post(evidence::unshare_from_counsellor),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/choices",
            post(choices::change),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/timeline",
            get(timeline::page),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/summary",
            get(timeline::summary),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/endings",
            get(endings::page),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/feelings",
            get(feelings::page).post(feelings::share),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/feelings/{feeling}/reflect",
            post(feelings::reflect),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/feelings/reflections/{reflection}/answer",
            post(feelings::answer),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/feelings/{feeling}/withdraw",
            post(feelings::withdraw_feeling),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/feelings/reflections/{reflection}/withdraw",
            post(feelings::withdraw_reflection),
        )
        .route(
            "/spaces/{space}/agreements",
            get(agreements::page).post(agreements::propose),
        )
        .route(
            "/spaces/{space}/agreements/{agreement}/{action}",
            post(agreements::decide),
        )
        .route(
            "/spaces/{space}/journal",
            get(journal::page).post(journal::write),
        )
        .route(
            "/spaces/{space}/journal/{entry}/share",
            post(journal::share),
        )
        .route(
            "/spaces/{space}/journal/{entry}/unshare",
            post(journal::unshare),
        )
        .route(
            "/spaces/{space}/journal/{entry}/delete",
            post(journal::delete),
        )
        .route(
            "/spaces/{space}/journal/{entry}/counsellor",
            post(journal::share_with_counsellor),
        )
        .route(
            "/spaces/{space}/journal/{entry}/counsellor/unshare",
            post(journal::unshare_from_counsellor),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/{section}",
            get(entries::page),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/{section}/draft",
            post(entries::draft),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/{section}/send",
            post(entries::send),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/{section}/{entry}/withdraw",
            post(entries::withdraw),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/{section}/{entry}/received",
            post(entries::received),
        )
        .route(
            "/spaces/{space}/breaches/{breach}/{section}/{entry}/respond",
            post(entries::respond),
        )
        .fallback(pages::not_found)
        // Inside the CSRF layer: only a form that was let through plans anything.
        .layer(from_fn_with_state(
            state.clone(),
            crate::notify::after_writes,
        ))
        .layer(from_fn_with_state(state.clone(), crate::csrf::protect))
        .layer(from_fn_with_state(state.clone(), crate::guard::check))
        .layer(from_fn_with_state(
            state.clone(),
            crate::chrome::render_error_pages,
        ))
        .layer(from_fn_with_state(state.clone(), crate::headers::secure))
        // Logs method, matched route and status only: paths can hold invitation codes and
        // reset tokens, and bodies hold people's words, so neither is ever logged.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                let route = request
                    .extensions()
                    .get::<axum::extract::MatchedPath>()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_else(|| "unmatched".to_owned());
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                tracing::info_span!("request", method = %request.method(), route, id)
            }),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}
