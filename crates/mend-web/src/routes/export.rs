//! The account page, and the export it offers: everything that is the person's, as one
//! download, after they type their password again.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::WebError;
use crate::export;
use crate::key;
use crate::password_check::CountedCheck;
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::views::{render, render_with, AccountPage, ZoneChoice};

#[derive(Deserialize)]
pub struct ExportForm {
    password: String,
}

pub(crate) async fn page(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
    errors: Vec<&'static str>,
    mail_notice: Option<&'static str>,
) -> Result<AccountPage, WebError> {
    // Mail (issue 12): whether it is on here, and whether the address is verified.
    let verified = match state.mail {
        Some(_) => Some(state.store.email_verified_at(viewer.id()).await?.is_some()),
        None => None,
    };
    let notifications = super::notifications::block(state, viewer).await?;
    Ok(AccountPage {
        notifications,
        chrome: chrome.signed_in(),
        in_space: viewer.membership.is_some(),
        time_zone: ZoneChoice::of(viewer),
        errors,
        verified,
        mail_notice,
    })
}

/// `?saved=notifications`: the page after the notification choices were kept.
#[derive(Deserialize)]
pub struct AccountQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn account(
    State(state): State<AppState>,
    viewer: Viewer,
    chrome: Chrome,
    crate::extract::Query(query): crate::extract::Query<AccountQuery>,
) -> Result<Response, WebError> {
    let mut page = page(&state, &viewer, chrome, Vec::new(), None).await?;
    page.notifications.saved = query.saved.as_deref() == Some("notifications");
    Ok(render(&page))
}

pub async fn download(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    viewer: Viewer,
    chrome: Chrome,
    crate::extract::Form(form): crate::extract::Form<ExportForm>,
) -> Result<Response, WebError> {
    // The same check, and the same limits, as changing the password: a logged-in browser is
    // not a way to guess it.
    if !CountedCheck::again(&state, &viewer, peer, &headers, &form.password)
        .await?
        .right
    {
        tracing::info!("export refused: wrong password");
        let page = page(
            &state,
            &viewer,
            chrome,
            vec![key!("account.export_wrong_password")],
            None,
        )
        .await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let at = now();
    let data = export::gather(&state, &viewer.record, at).await?;
    let archive = export::archive(state.strings, &data, &viewer.zone())?;
    tracing::info!("export downloaded");
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        export::file_name(at)
    ))
    .map_err(|_| WebError::internal("the export's file name is not a header value"))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        archive,
    )
        .into_response())
}
