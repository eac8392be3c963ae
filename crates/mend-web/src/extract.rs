//! Form, query and path extractors whose rejections are our own friendly error pages, rather than
//! axum's plain-text messages.

use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::WebError;

/// A URL-encoded form; a malformed one is a "bad request" page and changes nothing.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        axum::Form::<T>::from_request(request, state)
            .await
            .map(|axum::Form(value)| Form(value))
            .map_err(|_| WebError::BadRequest)
    }
}

/// A query string; a malformed one is a "bad request" page.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|_| WebError::BadRequest)
    }
}

/// Typed path parameters; an id or name that does not parse is "not found", like a missing one.
/// A segment that is not even UTF-8 is a malformed request, as for any other route.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|rejection| match rejection {
                PathRejection::FailedToDeserializePathParams(e)
                    if matches!(e.kind(), ErrorKind::InvalidUtf8InPathParam { .. }) =>
                {
                    WebError::BadRequest
                }
                // A route whose parameters do not fit its path struct is our mistake.
                PathRejection::MissingPathParams(_) => {
                    WebError::internal("a route has no parameters for its path struct")
                }
                PathRejection::FailedToDeserializePathParams(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::WrongNumberOfParameters { .. }
                            | ErrorKind::UnsupportedType { .. }
                    ) =>
                {
                    WebError::internal("a route's parameters do not fit its path struct")
                }
                _ => WebError::NotFound,
            })
    }
}
