//! Operator tasks that need the web layer's derivations of keyed hashes.

use mend_core::{Duration, Email, Store, StoreError};
use mend_crypto::ServerKey;

use crate::session::{now, random_token};

/// How long a password reset link works.
pub const RESET_LIFETIME: Duration = Duration::hours(1);

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("that is not a valid e-mail address")]
    BadEmail,
    #[error("no account has that e-mail address")]
    NoSuchAccount,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates a one-time link, valid for an hour, that lets the account holder choose a new
/// password. `base_url` is the public address of this Mend.
pub async fn password_reset_link(
    store: &dyn Store,
    key: &ServerKey,
    email: &str,
    base_url: &str,
) -> Result<String, AdminError> {
    let normalised = Email::parse(email).map_err(|_| AdminError::BadEmail)?;
    let mut person = store
        .person_by_email(&key.lookup_hash("email", normalised.as_str().as_bytes()))
        .await?;
    if let (None, Some(legacy)) = (
        &person,
        Email::stored_before_composing(email, normalised.as_str()),
    ) {
        person = store
            .person_by_email(&key.lookup_hash("email", legacy.as_bytes()))
            .await?;
    }
    let person = person.ok_or(AdminError::NoSuchAccount)?;
    let token = random_token();
    store
        .create_password_reset(
            &key.lookup_hash("password-reset", token.as_bytes()),
            person.id,
            now() + RESET_LIFETIME,
        )
        .await?;
    Ok(format!("{}/reset/{token}", base_url.trim_end_matches('/')))
}
