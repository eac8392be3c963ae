//! A person's own time: their IANA time zone, a moment as it reads on their clock, and how a
//! page words it ("just now", "yesterday at 21:40", "3 days ago", "12 March at 14:05").
//!
//! Pure like the rest of the core: the caller passes `now` and the zone. The zone database is
//! jiff's bundled copy of the IANA database, so conversions, and days that are 23 or 25 hours
//! long around a DST change, are the same on every machine.

use std::sync::OnceLock;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::time::Timestamp;

/// A person's time zone, by its IANA name ("Europe/Paris"). Everyone starts on UTC.
#[derive(Clone, Debug)]
pub struct Zone {
    name: &'static str,
    tz: TimeZone,
}

/// A time zone name that is not in the zone database.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a known time zone")]
pub struct UnknownZone;

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl Default for Zone {
    fn default() -> Self {
        Self::utc()
    }
}

impl Zone {
    pub const UTC_NAME: &'static str = "UTC";

    pub fn utc() -> Self {
        Self {
            name: Self::UTC_NAME,
            tz: TimeZone::UTC,
        }
    }

    /// Every zone a person may choose, sorted by name: the database's names, exactly spelled,
    /// old aliases included (browsers still report some, such as "Asia/Calcutta"), less
    /// "Factory", which is no place's time.
    pub fn names() -> &'static [&'static str] {
        static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
        NAMES.get_or_init(|| {
            let mut names: Vec<&'static str> = jiff::tz::db()
                .available()
                .filter(|name| name.as_str() != "Factory")
                .map(|name| &*Box::leak(name.as_str().to_owned().into_boxed_str()))
                .collect();
            names.sort_unstable();
            names.dedup();
            names
        })
    }

    /// The zone named exactly `name`, as the database spells it.
    pub fn parse(name: &str) -> Result<Self, UnknownZone> {
        if name == Self::UTC_NAME {
            return Ok(Self::utc());
        }
        let names = Self::names();
        let name = names
            .binary_search(&name)
            .map(|i| names[i])
            .map_err(|_| UnknownZone)?;
        let tz = jiff::tz::db().get(name).map_err(|_| UnknownZone)?;
        Ok(Self { name, tz })
    }

    /// The zone stored for a person, or UTC when none is, or when a stored name has left the
    /// database since.
    pub fn stored(name: Option<&str>) -> Self {
        name.and_then(|n| Self::parse(n).ok()).unwrap_or_default()
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn is_utc(&self) -> bool {
        self.name == Self::UTC_NAME
    }

    fn zoned(&self, at: Timestamp) -> jiff::Zoned {
        to_jiff(at).to_zoned(self.tz.clone())
    }

    /// The moment as it reads on a clock in this zone.
    pub fn local(&self, at: Timestamp) -> Local {
        let z = self.zoned(at);
        Local {
            year: z.year(),
            month: z.month(),
            day: z.day(),
            hour: z.hour(),
            minute: z.minute(),
            offset_seconds: z.offset().seconds(),
        }
    }

    /// The moment the local day `days` days after the day of `at` begins (usually midnight;
    /// later where a DST change skips midnight).
    pub fn start_of_day_after(&self, at: Timestamp, days: i64) -> Timestamp {
        let date = self.zoned(at).date();
        let later = date
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(Date::MAX);
        match later.to_zoned(self.tz.clone()) {
            Ok(z) => Timestamp(z.timestamp().as_millisecond()),
            Err(_) => Timestamp(i64::MAX),
        }
    }

    /// The first moment at or after `from` when the local clock shows `hour`:00. On a day
    /// when that hour does not exist (summer time skips it) it is the moment the clock jumps
    /// past it; on a day it happens twice, the first of them.
    pub fn next_at_hour(&self, from: Timestamp, hour: u8) -> Timestamp {
        let start = self.zoned(from).date();
        let hour = i8::try_from(hour.min(23)).unwrap_or(0);
        for days in 0..=2 {
            let Some(date) = start.checked_add(jiff::Span::new().days(days)).ok() else {
                break;
            };
            let Ok(at) = date.at(hour, 0, 0, 0).to_zoned(self.tz.clone()) else {
                continue;
            };
            let at = Timestamp(at.timestamp().as_millisecond());
            if at >= from {
                return at;
            }
        }
        Timestamp(i64::MAX)
    }

    /// How many local days lie between the day of `earlier` and the day of `later`
    /// (negative when `later` is the earlier one).
    pub fn days_between(&self, earlier: Timestamp, later: Timestamp) -> i64 {
        let a = self.zoned(earlier).date();
        let b = self.zoned(later).date();
        a.until(b)
            .map(|span| i64::from(span.get_days()))
            .unwrap_or(0)
    }
}

/// A UTC instant as the export writes it (`2026-12-01T18:24:45.123Z`), or none.
pub fn parse_instant(text: &str) -> Option<Timestamp> {
    let ts: jiff::Timestamp = text.parse().ok()?;
    Some(Timestamp(ts.as_millisecond()))
}

fn to_jiff(at: Timestamp) -> jiff::Timestamp {
    let ms = at.0.clamp(
        jiff::Timestamp::MIN.as_millisecond(),
        jiff::Timestamp::MAX.as_millisecond(),
    );
    jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// A moment on a local clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Local {
    pub year: i16,
    /// 1 to 12.
    pub month: i8,
    pub day: i8,
    pub hour: i8,
    pub minute: i8,
    /// The zone's offset from UTC at that moment.
    pub offset_seconds: i32,
}

impl Local {
    /// `HH:MM`, on a 24-hour clock.
    pub fn clock(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }

    /// `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The machine-readable form for `<time datetime>`: `2026-03-12T14:05+01:00`.
    pub fn iso(&self) -> String {
        let sign = if self.offset_seconds < 0 { '-' } else { '+' };
        let off = self.offset_seconds.unsigned_abs() / 60;
        format!(
            "{}T{}{sign}{:02}:{:02}",
            self.date(),
            self.clock(),
            off / 60,
            off % 60
        )
    }
}

/// How a moment reads next to `now`, before the words are looked up in the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wording {
    /// Less than a minute from now, either way.
    JustNow,
    /// Less than an hour ago: the whole minutes.
    MinutesAgo(i64),
    /// Today, at the local clock time.
    TodayAt,
    YesterdayAt,
    TomorrowAt,
    /// Two to six local days ago.
    DaysAgo(i64),
    /// Any other day: day, month and time; the year when it is not this year.
    Date {
        with_year: bool,
    },
}

/// Up to how many local days back a moment reads as "N days ago".
pub const DAYS_AGO_UP_TO: i64 = 6;

/// A moment worded for a viewer: the wording and the local clock it refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Described {
    pub wording: Wording,
    pub local: Local,
}

/// How `at` reads to someone in `zone` at `now`.
pub fn describe(at: Timestamp, now: Timestamp, zone: &Zone) -> Described {
    let local = zone.local(at);
    let ago_ms = now.0.saturating_sub(at.0);
    let days_ago = zone.days_between(at, now);
    let wording = if ago_ms.abs() < 60_000 {
        Wording::JustNow
    } else if ago_ms > 0 && ago_ms < 3_600_000 {
        Wording::MinutesAgo(ago_ms / 60_000)
    } else {
        match days_ago {
            0 => Wording::TodayAt,
            1 => Wording::YesterdayAt,
            -1 => Wording::TomorrowAt,
            n if (2..=DAYS_AGO_UP_TO).contains(&n) => Wording::DaysAgo(n),
            _ => Wording::Date {
                with_year: local.year != zone.local(now).year,
            },
        }
    };
    Described { wording, local }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;
    const HOUR: i64 = 60 * MIN;

    /// Milliseconds of a UTC date-time.
    fn utc(y: i16, mo: i8, d: i8, h: i8, mi: i8) -> Timestamp {
        let ts = jiff::civil::date(y, mo, d)
            .at(h, mi, 0, 0)
            .to_zoned(TimeZone::UTC)
            .unwrap()
            .timestamp();
        Timestamp(ts.as_millisecond())
    }

    fn zone(name: &str) -> Zone {
        Zone::parse(name).unwrap()
    }

    #[test]
    fn zones_are_named_exactly_as_the_database_spells_them() {
        assert_eq!(zone("Europe/Paris").name(), "Europe/Paris");
        assert_eq!(zone("UTC"), Zone::utc());
        assert!(Zone::names().contains(&"America/New_York"));
        assert!(Zone::names().contains(&"UTC"));
        assert!(
            Zone::names().contains(&"Asia/Calcutta"),
            "an alias Chromium reports"
        );
        assert_eq!(
            Zone::parse("Asia/Calcutta")
                .unwrap()
                .local(Timestamp(0))
                .clock(),
            "05:30"
        );
        assert_eq!(Zone::parse("Factory"), Err(UnknownZone));
        assert_eq!(Zone::parse("europe/paris"), Err(UnknownZone));
        assert_eq!(Zone::parse("Mars/Olympus"), Err(UnknownZone));
        assert_eq!(Zone::parse(""), Err(UnknownZone));
        assert_eq!(Zone::parse("../../etc/passwd"), Err(UnknownZone));
        assert_eq!(Zone::stored(None), Zone::utc());
        assert_eq!(Zone::stored(Some("Gone/Away")), Zone::utc());
        assert_eq!(Zone::stored(Some("Asia/Tokyo")).name(), "Asia/Tokyo");
    }

    #[test]
    fn local_clocks_follow_the_zone_and_its_summer_time() {
        let winter = utc(2026, 1, 15, 12, 0);
        let summer = utc(2026, 7, 15, 12, 0);
        let paris = zone("Europe/Paris");
        assert_eq!(paris.local(winter).iso(), "2026-01-15T13:00+01:00");
        assert_eq!(paris.local(summer).iso(), "2026-07-15T14:00+02:00");
        let ny = zone("America/New_York");
        assert_eq!(ny.local(winter).iso(), "2026-01-15T07:00-05:00");
        assert_eq!(ny.local(summer).iso(), "2026-07-15T08:00-04:00");
        assert_eq!(zone("Asia/Kolkata").local(winter).clock(), "17:30");
        assert_eq!(
            Zone::utc().local(Timestamp(0)).iso(),
            "1970-01-01T00:00+00:00"
        );
        // Across the spring change in Paris (29 March 2026, 02:00 → 03:00).
        assert_eq!(paris.local(utc(2026, 3, 29, 0, 59)).clock(), "01:59");
        assert_eq!(paris.local(utc(2026, 3, 29, 1, 0)).clock(), "03:00");
    }

    #[test]
    fn times_read_in_words_near_now() {
        let paris = zone("Europe/Paris");
        // 10:00 in Paris, Thursday 12 March 2026.
        let now = utc(2026, 3, 12, 9, 0);
        let w = |at: Timestamp| describe(at, now, &paris).wording;
        assert_eq!(w(now), Wording::JustNow);
        assert_eq!(w(Timestamp(now.0 - 59_000)), Wording::JustNow);
        assert_eq!(w(Timestamp(now.0 + 30_000)), Wording::JustNow);
        assert_eq!(w(Timestamp(now.0 - MIN)), Wording::MinutesAgo(1));
        assert_eq!(w(Timestamp(now.0 - 5 * MIN - 10)), Wording::MinutesAgo(5));
        assert_eq!(w(Timestamp(now.0 - 59 * MIN)), Wording::MinutesAgo(59));
        assert_eq!(w(Timestamp(now.0 - HOUR)), Wording::TodayAt);
        // 00:10 in Paris is today there, though it is still the 11th in UTC.
        let just_after_midnight = utc(2026, 3, 11, 23, 10);
        assert_eq!(w(just_after_midnight), Wording::TodayAt);
        assert_eq!(
            describe(just_after_midnight, now, &paris).local.clock(),
            "00:10"
        );
        assert_eq!(
            describe(just_after_midnight, now, &Zone::utc()).wording,
            Wording::YesterdayAt
        );
        assert_eq!(w(utc(2026, 3, 11, 20, 40)), Wording::YesterdayAt);
        assert_eq!(
            describe(utc(2026, 3, 11, 20, 40), now, &paris)
                .local
                .clock(),
            "21:40"
        );
        assert_eq!(w(utc(2026, 3, 9, 12, 0)), Wording::DaysAgo(3));
        assert_eq!(w(utc(2026, 3, 6, 12, 0)), Wording::DaysAgo(6));
        assert_eq!(
            w(utc(2026, 3, 5, 12, 0)),
            Wording::Date { with_year: false }
        );
        assert_eq!(
            w(utc(2025, 12, 31, 12, 0)),
            Wording::Date { with_year: true }
        );
        // A minute before a new year in Paris is still last year there.
        let new_year = utc(2026, 1, 1, 0, 30);
        let last_minute = describe(utc(2025, 12, 31, 22, 59), new_year, &paris);
        assert_eq!(last_minute.wording, Wording::YesterdayAt);
        assert_eq!(last_minute.local.date(), "2025-12-31");
        assert_eq!(
            describe(utc(2025, 12, 20, 12, 0), new_year, &paris).wording,
            Wording::Date { with_year: true }
        );
        // Later today, tomorrow, and further ahead.
        assert_eq!(w(utc(2026, 3, 12, 17, 0)), Wording::TodayAt);
        assert_eq!(w(utc(2026, 3, 13, 8, 0)), Wording::TomorrowAt);
        assert_eq!(
            w(utc(2026, 3, 20, 8, 0)),
            Wording::Date { with_year: false }
        );
        assert_eq!(w(utc(2027, 3, 20, 8, 0)), Wording::Date { with_year: true });
    }

    #[test]
    fn days_count_on_the_local_calendar_across_dst_changes() {
        let paris = zone("Europe/Paris");
        // Saturday 28 March 2026 at 12:00 Paris (UTC+1), and Monday 30 March at 12:00 (UTC+2):
        // two local days, though only 47 hours apart.
        let saturday = utc(2026, 3, 28, 11, 0);
        let monday = utc(2026, 3, 30, 10, 0);
        assert_eq!(paris.days_between(saturday, monday), 2);
        assert_eq!(
            describe(saturday, monday, &paris).wording,
            Wording::DaysAgo(2)
        );
        // The Sunday of the change is 23 hours long: the next day starts 23 hours after it.
        let sunday_start = paris.start_of_day_after(saturday, 1);
        assert_eq!(paris.local(sunday_start).iso(), "2026-03-29T00:00+01:00");
        let monday_start = paris.start_of_day_after(saturday, 2);
        assert_eq!(monday_start.0 - sunday_start.0, 23 * HOUR);
        assert_eq!(paris.local(monday_start).iso(), "2026-03-30T00:00+02:00");
        // In autumn (25 October 2026) the Sunday is 25 hours long.
        let autumn_sunday = paris.start_of_day_after(utc(2026, 10, 24, 12, 0), 1);
        let autumn_monday = paris.start_of_day_after(utc(2026, 10, 24, 12, 0), 2);
        assert_eq!(autumn_monday.0 - autumn_sunday.0, 25 * HOUR);
        // Where a DST change skips midnight (Santiago, 6 September 2026 00:00 → 01:00),
        // the day begins at the first moment that exists.
        let santiago = zone("America/Santiago");
        let start = santiago.start_of_day_after(utc(2026, 9, 5, 15, 0), 1);
        assert_eq!(santiago.local(start).iso(), "2026-09-06T01:00-03:00");
    }

    #[test]
    fn instants_written_by_the_export_read_back() {
        let at = utc(2026, 12, 1, 18, 24);
        assert_eq!(parse_instant("2026-12-01T18:24:00.000Z"), Some(at));
        assert_eq!(
            parse_instant("2026-12-01T18:24:45.123Z"),
            Some(Timestamp(at.0 + 45_123))
        );
        assert_eq!(parse_instant("yesterday"), None);
    }

    #[test]
    fn moments_far_out_of_range_do_not_panic() {
        let paris = zone("Europe/Paris");
        let _ = describe(Timestamp(i64::MIN), Timestamp(i64::MAX), &paris);
        let _ = paris.start_of_day_after(Timestamp(i64::MAX), 30);
        let _ = paris.days_between(Timestamp(i64::MIN), Timestamp(i64::MAX));
    }
}
