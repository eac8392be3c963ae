//! Limits on failed log-ins, per account and per client address.

use crate::time::{Duration, Timestamp};

/// After `max_failures` failures within `window`, further attempts wait until the oldest of
/// them leaves the window.
#[derive(Debug, Clone, Copy)]
pub struct LoginThrottle {
    pub max_failures: usize,
    pub window: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            max_failures: 5,
            window: Duration::minutes(15),
        }
    }
}

impl LoginThrottle {
    /// The earliest moment failures are counted from.
    pub fn window_start(&self, now: Timestamp) -> Timestamp {
        now - self.window
    }

    /// How long to wait before trying again, given the failure times within the window, or
    /// `None` when an attempt may go ahead.
    pub fn wait(&self, failures_in_window: &[Timestamp], now: Timestamp) -> Option<Duration> {
        if failures_in_window.len() < self.max_failures {
            return None;
        }
        let mut recent: Vec<Timestamp> = failures_in_window.to_vec();
        recent.sort_unstable();
        // The attempt may go ahead once enough old failures have left the window.
        let freeing = recent[recent.len() - self.max_failures];
        let until = freeing + self.window;
        (until > now).then(|| until - now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_failures_do_not_throttle() {
        let t = LoginThrottle::default();
        let failures = [Timestamp(1), Timestamp(2), Timestamp(3), Timestamp(4)];
        assert_eq!(t.wait(&failures, Timestamp(10)), None);
    }

    #[test]
    fn five_failures_wait_until_the_oldest_leaves_the_window() {
        let t = LoginThrottle::default();
        let failures: Vec<_> = (0..5).map(|i| Timestamp(i * 1000)).collect();
        let now = Timestamp(60_000);
        assert_eq!(t.wait(&failures, now), Some(Duration(15 * 60_000 - 60_000)));
        assert_eq!(t.wait(&failures, Timestamp(15 * 60_000)), None);
    }

    #[test]
    fn retry_after_is_at_least_one_second() {
        assert_eq!(Duration(1).whole_seconds_up(), 1);
        assert_eq!(Duration(1001).whole_seconds_up(), 2);
    }
}
