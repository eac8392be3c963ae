//! Rhythms: how often a partner wants to be reminded of a practice they chose — the hurt
//! partner's check-ins, the repairing partner's recommitment. A rhythm only ever shows on the
//! chooser's own dashboard; it never becomes a message to the other partner.
//!
//! A rhythm counts days on the chooser's own calendar, in their time zone: a daily check-in
//! done at 21:40 is due again from the start of the next day there, not 24 hours later, and a
//! week stays seven local days when summer time begins or ends in it.

use crate::local_time::Zone;
use crate::time::Timestamp;

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

    /// When the practice is next due: from the start of the local day one period after the
    /// day it was last done, or after the day of `since` (when the rhythm started to apply) if
    /// it was never done.
    pub fn next_due(
        self,
        last_done: Option<Timestamp>,
        since: Timestamp,
        zone: &Zone,
    ) -> Timestamp {
        zone.start_of_day_after(last_done.unwrap_or(since), self.days())
    }

    pub fn is_due(
        self,
        last_done: Option<Timestamp>,
        since: Timestamp,
        now: Timestamp,
        zone: &Zone,
    ) -> bool {
        now >= self.next_due(last_done, since, zone)
    }
}

/// When the repairing partner's next recommitment is due, from when their intentions and
/// recommitments were sent: one period of `rhythm` after the last recommitment, or after the
/// first intention, counted in local days in `zone`; none before an intention was sent.
pub fn recommitment_due(
    rhythm: Rhythm,
    intentions_sent: impl IntoIterator<Item = Timestamp>,
    recommitments_sent: impl IntoIterator<Item = Timestamp>,
    zone: &Zone,
) -> Option<Timestamp> {
    let since = intentions_sent.into_iter().min()?;
    Some(rhythm.next_due(recommitments_sent.into_iter().max(), since, zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 60 * 60 * 1000;
    const DAY: i64 = 24 * HOUR;

    fn utc() -> Zone {
        Zone::utc()
    }

    #[test]
    fn due_from_the_start_of_the_day_one_period_after_the_last_time_or_the_start() {
        let start = Timestamp(0);
        let z = &utc();
        assert!(!Rhythm::Weekly.is_due(None, start, Timestamp(7 * DAY - 1), z));
        assert!(Rhythm::Weekly.is_due(None, start, Timestamp(7 * DAY), z));
        // Done late on day 6: due from the start of day 13, not 7 × 24 hours later.
        let done = Some(Timestamp(6 * DAY + 22 * HOUR));
        assert!(!Rhythm::Weekly.is_due(done, start, Timestamp(13 * DAY - 1), z));
        assert!(Rhythm::Weekly.is_due(done, start, Timestamp(13 * DAY), z));
        assert!(Rhythm::Daily.is_due(done, start, Timestamp(7 * DAY), z));
        assert_eq!(
            Rhythm::Monthly.next_due(None, start, z),
            Timestamp(30 * DAY)
        );
        assert_eq!(
            Rhythm::Fortnightly.next_due(None, Timestamp(5 * HOUR), z),
            Timestamp(14 * DAY)
        );
    }

    #[test]
    fn a_day_begins_at_midnight_in_the_choosers_zone() {
        // Tokyo is UTC+9 all year. Done at 23:30 UTC on day 0, which is 08:30 on day 1
        // there: a daily rhythm is due from midnight of day 2 in Tokyo (15:00 UTC on day 1).
        let tokyo = Zone::parse("Asia/Tokyo").unwrap();
        let done = Timestamp(23 * HOUR + HOUR / 2);
        let due = Rhythm::Daily.next_due(Some(done), Timestamp(0), &tokyo);
        assert_eq!(due, Timestamp(DAY + 15 * HOUR));
        assert_eq!(tokyo.local(due).clock(), "00:00");
        // In UTC the same moment is due from midnight of day 1.
        assert_eq!(
            Rhythm::Daily.next_due(Some(done), Timestamp(0), &utc()),
            Timestamp(DAY)
        );
        // Done just before midnight in New York: due the next local morning, a few minutes on.
        let ny = Zone::parse("America/New_York").unwrap();
        let late = Timestamp(1_767_243_540_000); // 2025-12-31 23:59 in New York (04:59 UTC)
        assert_eq!(ny.local(late).clock(), "23:59");
        let due = Rhythm::Daily.next_due(Some(late), Timestamp(0), &ny);
        assert_eq!(due.0 - late.0, 60_000);
        assert_eq!(ny.local(due).iso(), "2026-01-01T00:00-05:00");
    }

    #[test]
    fn a_week_stays_seven_local_days_across_summer_time() {
        // Monday 23 March 2026 at 20:00 in Paris (19:00 UTC); summer time begins on the 29th.
        let paris = Zone::parse("Europe/Paris").unwrap();
        let done = Timestamp(1_774_292_400_000);
        assert_eq!(paris.local(done).iso(), "2026-03-23T20:00+01:00");
        let due = Rhythm::Weekly.next_due(Some(done), Timestamp(0), &paris);
        assert_eq!(paris.local(due).iso(), "2026-03-30T00:00+02:00");
        // From midnight on the 24th (UTC+1) to midnight on the 30th (UTC+2) is 6 days less an hour.
        let next_midnight = paris.start_of_day_after(done, 1);
        assert_eq!(due.0 - next_midnight.0, 6 * DAY - HOUR);
        assert!(!Rhythm::Weekly.is_due(Some(done), Timestamp(0), Timestamp(due.0 - 1), &paris));
        assert!(Rhythm::Weekly.is_due(Some(done), Timestamp(0), due, &paris));
    }

    #[test]
    fn recommitment_is_due_a_period_after_the_last_one_or_the_first_intention() {
        let at = |days: i64| Timestamp(days * DAY + 10 * HOUR);
        let day = |days: i64| Timestamp(days * DAY);
        let z = &utc();
        assert_eq!(recommitment_due(Rhythm::Weekly, [], [at(3)], z), None);
        assert_eq!(
            recommitment_due(Rhythm::Weekly, [at(5), at(2), at(9)], [], z),
            Some(day(9))
        );
        assert_eq!(
            recommitment_due(Rhythm::Daily, [at(2)], [at(4), at(8), at(6)], z),
            Some(day(9))
        );
        assert_eq!(
            recommitment_due(Rhythm::Monthly, [at(1)], [at(3)], z),
            Some(day(33))
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
