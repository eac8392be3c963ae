//! Limits on log-in attempts: which buckets an attempt counts in, how many each may hold within
//! the window, and how long to wait when one is full.
//!
//! An attempt is counted (reserved) before its password is checked, so concurrent guesses
//! cannot slip past the limit. The buckets are chosen so that someone else's guesses cannot
//! lock a person out of a device they have logged in from before:
//!
//! - from a device this account has logged in from, the attempt counts only in that device's
//!   own bucket for the account;
//! - from anywhere else it counts in the account's bucket (what strangers may guess at one
//!   account) and in the client address's bucket (a higher ceiling across all accounts).
//!
//! The account's bucket counts every password checked from an unknown device, right or wrong,
//! so that no more than `per_account` are ever checked in a window, however they interleave;
//! a right one is taken back from the address's bucket only. A known device's bucket is
//! cleared by its right password: what it held were that person's own mistypes.

use crate::time::{Duration, Timestamp};

/// Where an attempt is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginBucket {
    /// Attempts at one account from devices it has not logged in from.
    Account,
    /// Attempts at one account from one device it has logged in from before.
    KnownDevice,
    /// Attempts from one client address at any account, from unknown devices.
    Address,
}

/// What a right password changes in the buckets its attempt was counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterSuccess {
    pub take_back: &'static [LoginBucket],
    pub clear: &'static [LoginBucket],
}

/// The limits: at most `per_account` attempts per bucket of an account (strangers together,
/// or one known device), and `per_address` from one address, within `window`.
#[derive(Debug, Clone, Copy)]
pub struct LoginThrottle {
    pub per_account: usize,
    pub per_address: usize,
    pub window: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            per_account: 5,
            // Several people behind one home or office address may mistype; an attacker
            // spreading guesses over many accounts is still held to a few a minute.
            per_address: 20,
            window: Duration::minutes(15),
        }
    }
}

impl LoginThrottle {
    /// The buckets an attempt counts in.
    pub fn buckets(known_device: bool) -> &'static [LoginBucket] {
        if known_device {
            &[LoginBucket::KnownDevice]
        } else {
            &[LoginBucket::Account, LoginBucket::Address]
        }
    }

    /// After the right password: the buckets to take this attempt back from, and the buckets
    /// to clear of every attempt.
    pub fn after_success(known_device: bool) -> AfterSuccess {
        if known_device {
            AfterSuccess {
                take_back: &[],
                clear: &[LoginBucket::KnownDevice],
            }
        } else {
            AfterSuccess {
                take_back: &[LoginBucket::Address],
                clear: &[],
            }
        }
    }

    /// How many attempts a bucket may hold within the window.
    pub fn limit(&self, bucket: LoginBucket) -> usize {
        match bucket {
            LoginBucket::Account | LoginBucket::KnownDevice => self.per_account,
            LoginBucket::Address => self.per_address,
        }
    }

    /// The earliest moment attempts are counted from.
    pub fn window_start(&self, now: Timestamp) -> Timestamp {
        now - self.window
    }

    /// How long to wait before trying again, given the times of the attempts a bucket holds
    /// within the window, or `None` when it has room for one more.
    pub fn wait(
        &self,
        bucket: LoginBucket,
        attempts_in_window: &[Timestamp],
        now: Timestamp,
    ) -> Option<Duration> {
        let limit = self.limit(bucket);
        if attempts_in_window.len() < limit {
            return None;
        }
        let mut recent: Vec<Timestamp> = attempts_in_window.to_vec();
        recent.sort_unstable();
        // There is room again once enough of the oldest attempts have left the window.
        let freeing = recent[recent.len() - limit];
        let until = freeing + self.window;
        // A bucket that is full now never says "go ahead": the store refused for a reason.
        Some(if until > now {
            until - now
        } else {
            Duration(1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_device_counts_only_in_its_own_bucket() {
        assert_eq!(LoginThrottle::buckets(true), &[LoginBucket::KnownDevice]);
        assert_eq!(
            LoginThrottle::buckets(false),
            &[LoginBucket::Account, LoginBucket::Address]
        );
    }

    #[test]
    fn a_right_password_never_frees_a_place_strangers_could_use() {
        let stranger = LoginThrottle::after_success(false);
        assert!(!stranger.take_back.contains(&LoginBucket::Account));
        assert!(!stranger.clear.contains(&LoginBucket::Account));
        assert_eq!(stranger.take_back, &[LoginBucket::Address]);
        let known = LoginThrottle::after_success(true);
        assert_eq!(known.clear, &[LoginBucket::KnownDevice]);
        assert!(known.take_back.is_empty());
    }

    #[test]
    fn the_address_ceiling_is_higher_than_an_accounts() {
        let t = LoginThrottle::default();
        assert_eq!(t.limit(LoginBucket::Account), 5);
        assert_eq!(t.limit(LoginBucket::KnownDevice), 5);
        assert!(t.limit(LoginBucket::Address) > t.limit(LoginBucket::Account));
    }

    #[test]
    fn four_attempts_leave_room() {
        let t = LoginThrottle::default();
        let attempts = [Timestamp(1), Timestamp(2), Timestamp(3), Timestamp(4)];
        assert_eq!(t.wait(LoginBucket::Account, &attempts, Timestamp(10)), None);
    }

    #[test]
    fn five_attempts_wait_until_the_oldest_leaves_the_window() {
        let t = LoginThrottle::default();
        let attempts: Vec<_> = (0..5).map(|i| Timestamp(i * 1000)).collect();
        let now = Timestamp(60_000);
        assert_eq!(
            t.wait(LoginBucket::Account, &attempts, now),
            Some(Duration(15 * 60_000 - 60_000))
        );
        assert_eq!(t.wait(LoginBucket::Address, &attempts, now), None);
    }

    #[test]
    fn a_full_bucket_always_asks_for_some_wait() {
        let t = LoginThrottle::default();
        let attempts: Vec<_> = (0..5).map(|i| Timestamp(i * 1000)).collect();
        assert_eq!(
            t.wait(LoginBucket::Account, &attempts, Timestamp(15 * 60_000)),
            Some(Duration(1))
        );
    }

    #[test]
    fn retry_after_is_at_least_one_second() {
        assert_eq!(Duration(1).whole_seconds_up(), 1);
        assert_eq!(Duration(1001).whole_seconds_up(), 2);
    }
}
