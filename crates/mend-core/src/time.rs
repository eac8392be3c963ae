//! Time as unix milliseconds, the same in both databases.

/// A moment, in milliseconds since the unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The moment as `YYYY-MM-DD HH:MM` in UTC, for showing when something expires.
    pub fn utc_minute(self) -> String {
        let secs = self.0.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let of_day = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}",
            of_day / 3600,
            (of_day % 3600) / 60
        )
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

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

    /// Whole minutes, hours and days, for saying how long something has waited.
    pub fn whole_minutes(self) -> i64 {
        self.0.max(0) / 60_000
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_minutes_are_formatted_from_unix_milliseconds() {
        assert_eq!(Timestamp(0).utc_minute(), "1970-01-01 00:00");
        assert_eq!(Timestamp(951_782_400_000).utc_minute(), "2000-02-29 00:00");
        assert_eq!(
            Timestamp(1_795_747_500_000).utc_minute(),
            "2026-11-27 02:45"
        );
        assert_eq!(Timestamp(-60_000).utc_minute(), "1969-12-31 23:59");
    }
}
