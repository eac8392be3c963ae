//! Mend's web layer: it translates HTTP into calls on the domain and the store, and results
//! into pages. Rules live in `mend-core`; this crate only extracts, authorises and renders.

mod access;
pub mod admin;
mod author_keys;
mod chart;
mod chrome;
mod coaching;
mod config;
mod connection;
mod csrf;
mod due;
mod error;
pub mod export;
mod extract;
mod fields;
mod guard;
mod headers;
/// Mail over SMTP and its queue's worker (issue 12).
pub mod mail;
mod names;
/// Planning the "something waits" message (issue 12).
mod notify;
mod once;
mod opened;
mod paging;
mod password_check;
mod passwords;
mod private_notes;
mod refusals;
mod routes;
mod sections;
mod session;
mod state;
mod strings;
mod throttle;
mod unread;
mod views;
mod waiting_view;
mod when;

use std::net::SocketAddr;
use std::sync::Arc;

pub use config::WebConfig;
pub use error::WebError;
pub use state::AppState;
pub use strings::Strings;

use axum::Router;
use tokio::net::TcpListener;

/// The whole application as a router, with every layer in place.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}

/// Serves Mend on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    // The tap does nothing: it is how axum gives a wrapped listener's connections the client
    // address (`ConnectInfo<SocketAddr>`).
    // The mail worker (issue 12), when mail is configured: it stops with the server.
    let (stop_mail, mail_stopped) = tokio::sync::watch::channel(false);
    let mut worker = tokio::spawn(mail::run_worker(state.clone(), mail_stopped));
    let shutdown = async move {
        shutdown.await;
        let _ = stop_mail.send(true);
    };
    let listener = connection::Listener::new(listener, &state).tap_io(|_| {});
    let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    // The worker claims nothing more once told to stop; a send in hand gets a few seconds,
    // then is dropped (its job is tried again once its lease is over).
    if tokio::time::timeout(mail::STOP_WAIT, &mut worker)
        .await
        .is_err()
    {
        worker.abort();
        tracing::warn!("the mail worker did not stop in time; its message will be retried");
    }
    served
}

/// Builds the shared state: the store, the server key and the configuration.
pub async fn state(
    store: Arc<dyn mend_core::Store>,
    key: mend_crypto::ServerKey,
    config: WebConfig,
) -> Result<AppState, WebError> {
    // Texts sealed before author keys existed move to them before anything is served.
    let moved = author_keys::seal_older_texts_by_authors(store.as_ref(), &key).await?;
    if moved > 0 {
        tracing::info!(moved, "texts moved to their authors' keys");
    }
    AppState::new(store, key, config).await
}
