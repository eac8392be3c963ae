//! Checking a password, counted against the log-in limits before the hash is even computed,
//! for the log-in form and for every form that asks a logged-in person for it again.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use mend_core::store::{LoginAttemptId, LoginReservation};
use mend_core::{LoginThrottle, NewPassword};

use crate::error::WebError;
use crate::fields;
use crate::session::{now, Viewer};
use crate::state::AppState;
use crate::throttle::{client_address, AttemptKeys};

/// One password check, counted (reserved) before it runs, so that however many arrive at
/// once no more than the limit are ever checked (the rules are `LoginThrottle`'s). Every form
/// that asks a logged-in person for their password again uses it.
pub struct CountedCheck {
    attempt: LoginAttemptId,
    pub keys: AttemptKeys,
}

impl CountedCheck {
    /// The password of the logged-in `viewer`, asked again before something that matters
    /// (changing it, exporting, leaving, deleting). Someone at a logged-in browser who does
    /// not know it is held to the log-in limits: each check counts as a log-in at their
    /// account from this client, and the right one frees what a right log-in frees.
    pub async fn again(
        state: &AppState,
        viewer: &Viewer,
        peer: SocketAddr,
        headers: &HeaderMap,
        password: &str,
    ) -> Result<Again, WebError> {
        let email = viewer
            .key
            .open(viewer.id().0, fields::EMAIL, &viewer.record.email)?;
        let client = client_address(&state.config, peer, headers);
        let stored = Some(viewer.record.password_hash.clone());
        let check = Self::reserve(state, &email, stored.as_deref(), headers, client).await?;
        let right = check.verify(state, password, stored).await?;
        if right {
            check.succeeded(state).await?;
        }
        Ok(Again {
            check,
            right,
            email,
        })
    }

    /// Counts an attempt at the account of `email` (normalised) from `client`, or refuses it
    /// (429, with how long to wait) when one of its buckets is full. `password_hash` is the
    /// account's, if there is one: a device is known only under the current password.
    pub async fn reserve(
        state: &AppState,
        email: &str,
        password_hash: Option<&str>,
        headers: &HeaderMap,
        client: IpAddr,
    ) -> Result<Self, WebError> {
        let throttle = LoginThrottle::default();
        let now = now();
        let keys = AttemptKeys::new(
            state,
            email,
            password_hash.unwrap_or_default(),
            headers,
            client,
        );
        let kinds = LoginThrottle::buckets(keys.device.is_some());
        let buckets: Vec<_> = kinds
            .iter()
            .map(|&kind| (keys.key(kind), throttle.limit(kind)))
            .collect();
        let mut attempt = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut attempt);
        let reservation = state
            .store
            .reserve_login_attempt(&attempt, &buckets, throttle.window_start(now), now)
            .await?;
        if let LoginReservation::Full { bucket, attempts } = reservation {
            tracing::warn!("log-in throttled");
            let wait = kinds
                .get(bucket)
                .and_then(|&kind| throttle.wait(kind, &attempts, now))
                .map_or(1, |wait| wait.whole_seconds_up());
            return Err(WebError::Throttled {
                retry_after_secs: wait,
            });
        }
        Ok(Self { attempt, keys })
    }

    /// Checks `password` against `stored` (the decoy when there is no account). An attempt
    /// that could not be checked (busy) does not count against anyone.
    pub async fn verify(
        &self,
        state: &AppState,
        password: &str,
        stored: Option<String>,
    ) -> Result<bool, WebError> {
        let password = password
            .chars()
            .take(NewPassword::MAX_BYTES)
            .collect::<String>();
        match state.passwords.verify(password, stored).await {
            Ok(verified) => Ok(verified),
            Err(e) => {
                // The answer stays the one that says why nothing was checked (busy); the
                // attempt then counts until it leaves the window, as a checked one would.
                if let Err(forget) = state
                    .store
                    .forget_login_attempts(&self.attempt, None, &[])
                    .await
                {
                    tracing::error!(
                        "an unchecked log-in attempt could not be taken back: {forget}"
                    );
                }
                Err(e)
            }
        }
    }

    /// The right password: what it frees is decided by the rule (see `LoginThrottle`).
    pub async fn succeeded(&self, state: &AppState) -> Result<(), WebError> {
        let after = LoginThrottle::after_success(self.keys.device.is_some());
        let take_back: Vec<_> = after.take_back.iter().map(|&b| self.keys.key(b)).collect();
        let clear: Vec<_> = after.clear.iter().map(|&b| self.keys.key(b)).collect();
        state
            .store
            .forget_login_attempts(&self.attempt, Some(&take_back), &clear)
            .await?;
        Ok(())
    }
}

/// The outcome of asking a logged-in person for their password again.
pub struct Again {
    pub check: CountedCheck,
    pub right: bool,
    /// The person's e-mail address, opened to count the attempt.
    pub email: String,
}
