//! Time as unix milliseconds, the same in both databases.

/// A moment, in milliseconds since the unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// A length of time in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub i64);

impl Duration {
    pub const fn minutes(n: i64) -> Self {
        Self(n * 60_000)
    }

    pub const fn hours(n: i64) -> Self {
        Self(n * 3_600_000)
    }

    pub const fn days(n: i64) -> Self {
        Self(n * 86_400_000)
    }

    /// Whole seconds, rounded up, never less than one: what a `Retry-After` header wants.
    pub fn whole_seconds_up(self) -> i64 {
        ((self.0 + 999) / 1000).max(1)
    }
}

impl std::ops::Add<Duration> for Timestamp {
    type Output = Timestamp;
    fn add(self, d: Duration) -> Timestamp {
        Timestamp(self.0.saturating_add(d.0))
    }
}

impl std::ops::Sub<Duration> for Timestamp {
    type Output = Timestamp;
    fn sub(self, d: Duration) -> Timestamp {
        Timestamp(self.0.saturating_sub(d.0))
    }
}

impl std::ops::Sub for Timestamp {
    type Output = Duration;
    fn sub(self, other: Timestamp) -> Duration {
        Duration(self.0.saturating_sub(other.0))
    }
}
