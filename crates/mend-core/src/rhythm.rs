//! Rhythms: how often a partner wants to be reminded of a practice they chose — the hurt
//! partner's check-ins, the repairing partner's recommitment. A rhythm only ever shows on the
//! chooser's own dashboard; it never becomes a message to the other partner.

use crate::time::{Duration, Timestamp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rhythm {
    Daily,
    Weekly,
    Fortnightly,
    Monthly,
}

impl Rhythm {
    pub const ALL: [Rhythm; 4] = [
        Rhythm::Daily,
        Rhythm::Weekly,
        Rhythm::Fortnightly,
        Rhythm::Monthly,
    ];

    /// The recommitment rhythm a journey starts with.
    pub const RECOMMIT_DEFAULT: Rhythm = Rhythm::Weekly;

    pub fn days(self) -> i64 {
        match self {
            Rhythm::Daily => 1,
            Rhythm::Weekly => 7,
            Rhythm::Fortnightly => 14,
            Rhythm::Monthly => 30,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rhythm::Daily => "daily",
            Rhythm::Weekly => "weekly",
            Rhythm::Fortnightly => "fortnightly",
            Rhythm::Monthly => "monthly",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// When the practice is next due: one period after it was last done, or after `since`
    /// (when the rhythm started to apply) if it was never done.
    pub fn next_due(self, last_done: Option<Timestamp>, since: Timestamp) -> Timestamp {
        last_done.unwrap_or(since) + Duration::days(self.days())
    }

    pub fn is_due(self, last_done: Option<Timestamp>, since: Timestamp, now: Timestamp) -> bool {
        now >= self.next_due(last_done, since)
    }
}

/// When the repairing partner's next recommitment is due, from when their intentions and
/// recommitments were sent: one period of `rhythm` after the last recommitment, or after the
/// first intention; none before an intention was sent.
pub fn recommitment_due(
    rhythm: Rhythm,
    intentions_sent: impl IntoIterator<Item = Timestamp>,
    recommitments_sent: impl IntoIterator<Item = Timestamp>,
) -> Option<Timestamp> {
    let since = intentions_sent.into_iter().min()?;
    Some(rhythm.next_due(recommitments_sent.into_iter().max(), since))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 60 * 60 * 1000;

    #[test]
    fn due_one_period_after_the_last_time_or_the_start() {
        let start = Timestamp(0);
        assert!(!Rhythm::Weekly.is_due(None, start, Timestamp(6 * DAY)));
        assert!(Rhythm::Weekly.is_due(None, start, Timestamp(7 * DAY)));
        let done = Some(Timestamp(6 * DAY));
        assert!(!Rhythm::Weekly.is_due(done, start, Timestamp(12 * DAY)));
        assert!(Rhythm::Weekly.is_due(done, start, Timestamp(13 * DAY)));
        assert!(Rhythm::Daily.is_due(done, start, Timestamp(7 * DAY)));
        assert_eq!(Rhythm::Monthly.next_due(None, start), Timestamp(30 * DAY));
    }

    #[test]
    fn recommitment_is_due_a_period_after_the_last_one_or_the_first_intention() {
        let at = |days: i64| Timestamp(days * DAY);
        assert_eq!(recommitment_due(Rhythm::Weekly, [], [at(3)]), None);
        assert_eq!(
            recommitment_due(Rhythm::Weekly, [at(5), at(2), at(9)], []),
            Some(at(9))
        );
        assert_eq!(
            recommitment_due(Rhythm::Daily, [at(2)], [at(4), at(8), at(6)]),
            Some(at(9))
        );
        assert_eq!(
            recommitment_due(Rhythm::Monthly, [at(1)], [at(3)]),
            Some(at(33))
        );
    }

    #[test]
    fn names_round_trip() {
        for r in Rhythm::ALL {
            assert_eq!(Rhythm::parse(r.as_str()), Some(r));
        }
        assert_eq!(Rhythm::parse("hourly"), None);
        assert_eq!(Rhythm::RECOMMIT_DEFAULT, Rhythm::Weekly);
    }
}
