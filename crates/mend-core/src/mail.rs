//! Mail: which messages there are, who may receive them, and when a failed one is tried again.
//!
//! A message is a job in the database (`store::MailStore`), never one process's memory. A job
//! names its recipient and its kind only: the address is opened from the person's sealed row
//! when it is sent, and no message ever holds a word anyone wrote.

use crate::time::{Duration, Timestamp};

/// The kinds of message Mend sends. Stored by [`MailKind::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MailKind {
    /// A link that verifies the person's address.
    VerifyAddress,
    /// A link that lets the person choose a new password (asked for on the log-in page).
    PasswordReset,
    /// "Something new is waiting for you": the notification a person may choose
    /// ([`crate::notification`]); at most one pending per person, planned by the web layer's
    /// `notify` and checked again when sent. Only ever sent to a verified address.
    SomethingWaits,
}

impl MailKind {
    pub const ALL: [MailKind; 3] = [
        MailKind::VerifyAddress,
        MailKind::PasswordReset,
        MailKind::SomethingWaits,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::VerifyAddress => "verify_address",
            MailKind::PasswordReset => "password_reset",
            MailKind::SomethingWaits => "something_waits",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the address must be verified before this message may go to it: everything but
    /// the verification mail itself and a password reset (the person asked for it, on the
    /// log-in page, and only the owner of the address can use it).
    pub fn needs_verified_address(self) -> bool {
        !matches!(self, MailKind::VerifyAddress | MailKind::PasswordReset)
    }

    /// How far apart two messages of this kind to one person may be asked for: a second
    /// request in the same window is the same job (`MailStore::enqueue_mail`), so neither a
    /// double click nor someone typing another person's address can fill an inbox.
    pub fn window(self) -> Duration {
        match self {
            MailKind::VerifyAddress | MailKind::PasswordReset => Duration::minutes(15),
            MailKind::SomethingWaits => Duration::hours(1),
        }
    }

    /// The start of the window `at` falls in.
    pub fn window_start(self, at: Timestamp) -> Timestamp {
        let w = self.window().0.max(1);
        Timestamp(at.0.div_euclid(w) * w)
    }
}

/// How a failed message is tried again: after `first`, then twice as long each time, at most
/// `longest` apart, and given up after `attempts` tries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub longest: Duration,
    pub attempts: u32,
}

impl Backoff {
    /// A minute, then 2, 4, … up to 2 hours; 10 tries in all (about 8 hours).
    pub const DEFAULT: Backoff = Backoff {
        first: Duration::minutes(1),
        longest: Duration::hours(2),
        attempts: 10,
    };

    /// When to try again after the `attempts`-th try failed at `at`; `None` when that was the
    /// last try.
    pub fn next_try(&self, attempts: u32, at: Timestamp) -> Option<Timestamp> {
        if attempts >= self.attempts {
            return None;
        }
        let doublings = attempts.saturating_sub(1).min(40);
        let wait = self
            .first
            .0
            .saturating_mul(1i64 << doublings)
            .min(self.longest.0);
        Some(at + Duration(wait))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_only_two_go_to_unverified_addresses() {
        for kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(MailKind::parse("other"), None);
        assert!(!MailKind::VerifyAddress.needs_verified_address());
        assert!(!MailKind::PasswordReset.needs_verified_address());
        assert!(MailKind::SomethingWaits.needs_verified_address());
    }

    #[test]
    fn backoff_doubles_up_to_its_longest_then_gives_up() {
        let b = Backoff::DEFAULT;
        let t = Timestamp(0);
        assert_eq!(b.next_try(1, t), Some(t + Duration::minutes(1)));
        assert_eq!(b.next_try(2, t), Some(t + Duration::minutes(2)));
        assert_eq!(b.next_try(3, t), Some(t + Duration::minutes(4)));
        assert_eq!(b.next_try(8, t), Some(t + Duration::hours(2)));
        assert_eq!(b.next_try(9, t), Some(t + Duration::hours(2)));
        assert_eq!(b.next_try(10, t), None);
    }

    #[test]
    fn a_window_holds_every_moment_in_it() {
        let k = MailKind::VerifyAddress;
        let start = k.window_start(Timestamp(Duration::minutes(31).0));
        assert_eq!(start, Timestamp(Duration::minutes(30).0));
        assert_eq!(k.window_start(Timestamp(Duration::minutes(44).0)), start);
        assert_ne!(k.window_start(Timestamp(Duration::minutes(45).0)), start);
    }
}
