//! Every time a page shows, in the viewer's own time zone and in words: one [`LocalClock`] per
//! page turns a [`Timestamp`] into a [`When`], and the template shows it as a `<time>` element
//! (`When::tag`, or inside a sentence with `Strings::timed_with` / `timed_fill`). The rules
//! (which words, which day) are `mend_core::local_time`'s; the words are the catalogue's.

use std::fmt;

use mend_core::local_time::{describe, Local, Wording};
use mend_core::{Timestamp, Zone};

use crate::key;
use crate::session::Viewer;
use crate::strings::Strings;

const MONTHS: [&str; 12] = [
    key!("time.january"),
    key!("time.february"),
    key!("time.march"),
    key!("time.april"),
    key!("time.may"),
    key!("time.june"),
    key!("time.july"),
    key!("time.august"),
    key!("time.september"),
    key!("time.october"),
    key!("time.november"),
    key!("time.december"),
];

/// A viewer's clock while one page is drawn: the catalogue, the moment and their zone.
#[derive(Clone)]
pub struct LocalClock {
    s: &'static Strings,
    now: Timestamp,
    zone: Zone,
    /// Dates in full instead of "3 days ago", for what is printed or kept (the summary, the
    /// export), where "ago" would soon be wrong.
    absolute: bool,
}

impl LocalClock {
    pub fn new(s: &'static Strings, now: Timestamp, zone: Zone) -> Self {
        Self {
            s,
            now,
            zone,
            absolute: false,
        }
    }

    /// The viewer's clock, now.
    pub fn of(s: &'static Strings, viewer: &Viewer) -> Self {
        Self::new(s, crate::session::now(), viewer.zone())
    }

    /// The same clock, with every time as a full date.
    pub fn absolute(mut self) -> Self {
        self.absolute = true;
        self
    }

    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The sentence that says which zone times are in, for pages that are printed or kept.
    pub fn zone_note(&self) -> String {
        self.s.with("time.zone_note", "zone", self.zone.name())
    }

    fn date(&self, local: &Local, with_year: bool) -> String {
        let month = self.s.t(MONTHS[(local.month.clamp(1, 12) - 1) as usize]);
        let day = local.day.to_string();
        let year = local.year.to_string();
        let time = local.clock();
        let slots = [
            ("day", day.as_str()),
            ("month", month),
            ("year", year.as_str()),
            ("time", time.as_str()),
        ];
        let key = if with_year {
            key!("time.date_year")
        } else {
            key!("time.date")
        };
        self.s.fill(key, &slots)
    }

    /// The words for `wording`: (standalone, in a sentence).
    fn words(&self, wording: Wording, local: &Local) -> (String, String) {
        let time = local.clock();
        let n = |key: &str, n: i64| self.s.with(key, "n", &n.to_string());
        let plain = match wording {
            Wording::JustNow => self.s.t(key!("time.just_now")).to_owned(),
            Wording::MinutesAgo(1) => self.s.t(key!("time.minute_ago")).to_owned(),
            Wording::MinutesAgo(m) => n(key!("time.minutes_ago"), m),
            Wording::TodayAt => self.s.with(key!("time.today_at"), "time", &time),
            Wording::YesterdayAt => self.s.with(key!("time.yesterday_at"), "time", &time),
            Wording::TomorrowAt => self.s.with(key!("time.tomorrow_at"), "time", &time),
            Wording::DaysAgo(d) => n(key!("time.days_ago"), d),
            Wording::Date { with_year } => {
                let date = self.date(local, with_year);
                let said = self.s.with(key!("time.on_date"), "date", &date);
                return (date, said);
            }
        };
        (plain.clone(), plain)
    }

    /// `at`, as this viewer reads it.
    pub fn at(&self, at: Timestamp) -> When {
        let described = describe(at, self.now, &self.zone);
        let local = described.local;
        let full = self.date(&local, true);
        let title = self.s.fill(
            key!("time.title"),
            &[("full", full.as_str()), ("zone", self.zone.name())],
        );
        let (words, said, clock) = if self.absolute {
            let said = self.s.with(key!("time.on_date"), "date", &full);
            (full.clone(), said, full.clone())
        } else {
            let (words, said) = self.words(described.wording, &local);
            // "From" and "until" read a clock time, never "3 days ago".
            let clock_wording = match described.wording {
                Wording::JustNow | Wording::MinutesAgo(_) => {
                    match self.zone.days_between(at, self.now) {
                        0 => Wording::TodayAt,
                        _ => Wording::YesterdayAt,
                    }
                }
                Wording::DaysAgo(_) => Wording::Date { with_year: false },
                other => other,
            };
            let (clock, _) = self.words(clock_wording, &local);
            (words, said, clock)
        };
        When {
            iso: local.iso(),
            title,
            full,
            words,
            said,
            clock,
        }
    }
}

/// One moment as a page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct When {
    /// For `<time datetime>`: `2026-03-12T14:05+01:00`.
    pub iso: String,
    /// The full date, time and zone, shown on hover.
    pub title: String,
    /// The full date and time: "12 March 2026 at 14:05".
    pub full: String,
    /// On its own: "3 days ago", "yesterday at 21:40", "12 March at 14:05".
    pub words: String,
    /// Inside a sentence: the same, with "on" before a date.
    pub said: String,
    /// After "from" or "until": "tomorrow at 09:00", "12 March at 09:00", never "ago".
    pub clock: String,
}

impl When {
    /// The moment on its own, as a `<time>` element.
    pub fn tag(&self) -> TimeHtml {
        TimeHtml(self.element(&self.words))
    }

    /// For a sentence's slot: "Sent {when}." reads "Sent 3 days ago." or "Sent on 12 March…".
    pub fn said(&self) -> Shown<'_> {
        Shown {
            when: self,
            text: &self.said,
        }
    }

    /// For a "from" or "until" slot.
    pub fn clock(&self) -> Shown<'_> {
        Shown {
            when: self,
            text: &self.clock,
        }
    }

    fn element(&self, text: &str) -> String {
        format!(
            "<time datetime=\"{}\" title=\"{}\">{}</time>",
            escape(&self.iso),
            escape(&self.title),
            escape(text)
        )
    }
}

/// A moment with the words chosen for one slot.
#[derive(Clone, Copy)]
pub struct Shown<'a> {
    when: &'a When,
    text: &'a str,
}

/// HTML built here with every text escaped: a sentence with `<time>` elements in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeHtml(String);

impl TimeHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TimeHtml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for TimeHtml {}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Strings {
    /// The sentence for `key` with its one time slot as a `<time>` element.
    pub fn timed_with(&self, key: &str, slot: &str, shown: Shown<'_>) -> TimeHtml {
        self.timed_fill(key, &[(slot, shown)], &[])
    }

    /// The sentence for `key` with time slots as `<time>` elements and text slots filled in;
    /// everything else escaped.
    pub fn timed_fill(
        &self,
        key: &str,
        times: &[(&str, Shown<'_>)],
        texts: &[(&str, &str)],
    ) -> TimeHtml {
        let sentence = self.fill(key, texts);
        let mut out = String::new();
        let mut rest = sentence.as_str();
        loop {
            let next = times
                .iter()
                .filter_map(|(slot, shown)| {
                    let mark = format!("{{{slot}}}");
                    rest.find(&mark).map(|at| (at, mark.len(), shown))
                })
                .min_by_key(|(at, _, _)| *at);
            match next {
                Some((at, len, shown)) => {
                    out.push_str(&escape(&rest[..at]));
                    out.push_str(&shown.when.element(shown.text));
                    rest = &rest[at + len..];
                }
                None => {
                    out.push_str(&escape(rest));
                    return TimeHtml(out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;
    /// Thursday 12 March 2026, 09:00 UTC: 10:00 in Paris.
    const NOW: Timestamp = Timestamp(1_773_306_000_000);

    fn clock(zone: &str) -> LocalClock {
        LocalClock::new(Strings::english(), NOW, Zone::parse(zone).unwrap())
    }

    #[test]
    fn times_read_in_words_in_the_viewers_zone() {
        let paris = clock("Europe/Paris");
        let at = |ms: i64| paris.at(Timestamp(NOW.0 + ms));
        assert_eq!(at(0).words, "just now");
        assert_eq!(at(-60_000).words, "a minute ago");
        assert_eq!(at(-5 * 60_000).words, "5 minutes ago");
        assert_eq!(at(-HOUR - 50 * 60_000).words, "today at 08:10");
        // 20:40 UTC on the 11th is 21:40 in Paris.
        assert_eq!(at(-12 * HOUR - 20 * 60_000).words, "yesterday at 21:40");
        assert_eq!(at(-3 * 24 * HOUR).words, "3 days ago");
        let old = at(-10 * 24 * HOUR);
        assert_eq!(old.words, "2 March at 10:00");
        assert_eq!(old.said, "on 2 March at 10:00");
        assert_eq!(old.iso, "2026-03-02T10:00+01:00");
        assert_eq!(old.title, "2 March 2026 at 10:00 (Europe/Paris)");
        assert_eq!(at(-365 * 24 * HOUR).words, "12 March 2025 at 10:00");
        let soon = at(24 * HOUR);
        assert_eq!(soon.clock, "tomorrow at 10:00");
        assert_eq!(at(-3 * 24 * HOUR).clock, "9 March at 10:00");
        // The same moment for someone in New York.
        let ny = clock("America/New_York").at(Timestamp(NOW.0 - 12 * HOUR - 20 * 60_000));
        assert_eq!(ny.words, "yesterday at 16:40");
        assert_eq!(ny.iso, "2026-03-11T16:40-04:00");
    }

    #[test]
    fn printed_pages_use_full_dates() {
        let paris = clock("Europe/Paris").absolute();
        let w = paris.at(Timestamp(NOW.0 - 60_000));
        assert_eq!(w.words, "12 March 2026 at 09:59");
        assert_eq!(w.said, "on 12 March 2026 at 09:59");
        assert_eq!(
            paris.zone_note(),
            "Times are in the Europe/Paris time zone."
        );
    }

    #[test]
    fn sentences_carry_time_elements_and_escape_the_rest() {
        let s = Strings::parse(
            "[a]\nb = \"Sent {when} & <kept>.\"\nc = \"From {from} until {until}: {how}\"\n",
        )
        .unwrap();
        let w = clock("UTC").at(NOW);
        let (sent, from) = ("a.b", "a.c");
        assert_eq!(
            s.timed_with(sent, "when", w.said()).as_str(),
            "Sent <time datetime=\"2026-03-12T09:00+00:00\" title=\"12 March 2026 at 09:00 (UTC)\">just now</time> &amp; &lt;kept&gt;."
        );
        let html = s.timed_fill(
            from,
            &[("until", w.clock()), ("from", w.clock())],
            &[("how", "<b>")],
        );
        assert_eq!(html.as_str().matches("<time ").count(), 2);
        assert!(html.as_str().starts_with("From <time"));
        assert!(html.as_str().ends_with(": &lt;b&gt;"));
    }
}
