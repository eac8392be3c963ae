//! Password hashing with Argon2id, always off the async threads.

use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::WebError;

/// Hashes and verifies passwords. Holds a hash of a random password so that checking an
/// unknown e-mail address costs the same time as checking a wrong password.
#[derive(Clone)]
pub struct Passwords {
    decoy: Arc<String>,
}

impl Passwords {
    pub async fn new() -> Self {
        let decoy_password = SaltString::generate(&mut OsRng).to_string();
        let decoy = hash_now(&decoy_password).unwrap_or_default();
        Self {
            decoy: Arc::new(decoy),
        }
    }

    pub async fn hash(&self, password: String) -> Result<String, WebError> {
        tokio::task::spawn_blocking(move || hash_now(&password))
            .await
            .map_err(|e| WebError::internal(format!("hashing task failed: {e}")))?
            .map_err(|e| WebError::internal(format!("hashing failed: {e}")))
    }

    /// Checks `password` against `stored`, or against the decoy when there is no account,
    /// so that both cases take the same time and give the same answer.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, WebError> {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.decoy.as_ref().clone());
        let matches = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .map_err(|e| WebError::internal(format!("verification task failed: {e}")))?;
        Ok(known && matches)
    }
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    // Argon2::default() is Argon2id, version 0x13, 19 MiB, 2 passes: OWASP's recommendation.
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_unknown_accounts_never_match() {
        let passwords = Passwords::new().await;
        let hash = passwords
            .hash("lantern-orchid-gravel".into())
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(passwords
            .verify("lantern-orchid-gravel".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!passwords.verify("wrong".into(), Some(hash)).await.unwrap());
        assert!(!passwords.verify("anything".into(), None).await.unwrap());
    }
}
