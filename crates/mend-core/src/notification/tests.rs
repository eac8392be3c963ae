//! The notification rules: quiet hours (wrapping midnight, across DST changes), the digest
//! at its local hour, "soon" at most once an hour, trigger signals at once, and what counts
//! as new since the last message.

use super::*;
use crate::ids::BreachId;
use crate::rhythm::Rhythm;

fn zone(name: &str) -> Zone {
    Zone::parse(name).expect("a known zone")
}

/// The moment a clock in `zone` shows this local time (the earlier one if it shows it twice).
fn local(zone: &str, y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
    let tz = jiff::tz::TimeZone::get(zone).expect("a zone");
    let at = jiff::civil::date(y, m, d)
        .at(h, min, 0, 0)
        .to_zoned(tz)
        .expect("a moment");
    Timestamp(at.timestamp().as_millisecond())
}

fn utc(h: i8, min: i8) -> Timestamp {
    local("UTC", 2026, 6, 10, h, min)
}

fn choice(cadence: Cadence, quiet: Option<(u8, u8)>) -> NotificationChoice {
    NotificationChoice {
        cadence,
        quiet: quiet.map(|(s, e)| QuietHours::new(s, e).expect("quiet hours")),
        ..NotificationChoice::default()
    }
}

fn news(topic: Topic, count: usize) -> Outlook {
    let mut news = News::default();
    news.add(topic, count);
    Outlook {
        news,
        next_reminder: None,
    }
}

fn trigger_signal() -> Outlook {
    let mut o = news(Topic::Triggers, 1);
    o.news.trigger_signals = 1;
    o
}

#[test]
fn quiet_hours_may_wrap_past_midnight() {
    let night = QuietHours::new(22, 7).unwrap();
    for hour in [22, 23, 0, 3, 6] {
        assert!(night.holds(hour), "{hour}");
    }
    for hour in [7, 12, 21] {
        assert!(!night.holds(hour), "{hour}");
    }
    let lunch = QuietHours::new(12, 14).unwrap();
    assert!(lunch.holds(12) && lunch.holds(13));
    assert!(!lunch.holds(14) && !lunch.holds(11));
    assert_eq!(QuietHours::new(7, 7), Err(QuietProblem::Empty));
    assert_eq!(QuietHours::new(24, 7), Err(QuietProblem::NotAnHour));
}

#[test]
fn quiet_hours_are_read_on_the_person_s_own_clock() {
    let night = QuietHours::new(22, 7).unwrap();
    let paris = zone("Europe/Paris");
    // 23:30 in Paris: quiet until 07:00 there the next morning.
    let late = local("Europe/Paris", 2026, 6, 10, 23, 30);
    assert_eq!(
        night.next_allowed(&paris, late),
        local("Europe/Paris", 2026, 6, 11, 7, 0)
    );
    // The same moment is 21:30 in UTC, and not quiet there.
    assert_eq!(night.next_allowed(&Zone::utc(), late), late);
    // After midnight, the same morning.
    let early = local("Europe/Paris", 2026, 6, 11, 2, 0);
    assert_eq!(
        night.next_allowed(&paris, early),
        local("Europe/Paris", 2026, 6, 11, 7, 0)
    );
}

#[test]
fn quiet_hours_hold_across_dst_changes() {
    let paris = zone("Europe/Paris");
    // 29 March 2026: Paris skips from 02:00 to 03:00. Quiet until 02:00 ends when the clock
    // jumps, at 03:00 summer time (01:00 UTC).
    let quiet = QuietHours::new(22, 2).unwrap();
    let before = local("Europe/Paris", 2026, 3, 29, 1, 30);
    assert_eq!(
        quiet.next_allowed(&paris, before),
        local("UTC", 2026, 3, 29, 1, 0)
    );
    // 25 October 2026: 02:00 to 03:00 happens twice. Quiet until 07:00 is one moment.
    let night = QuietHours::new(22, 7).unwrap();
    let autumn = local("Europe/Paris", 2026, 10, 24, 23, 0);
    assert_eq!(
        night.next_allowed(&paris, autumn),
        local("UTC", 2026, 10, 25, 6, 0)
    );
}

#[test]
fn a_digest_comes_at_its_local_hour_once_a_day() {
    let paris = zone("Europe/Paris");
    let digest = choice(Cadence::Digest { hour: 9 }, None);
    let morning = news(Topic::Answers, 1);
    // Before nine: today at nine. After nine: tomorrow at nine.
    let at_eight = local("Europe/Paris", 2026, 6, 10, 8, 0);
    assert_eq!(
        next_message(&digest, &paris, at_eight, None, &morning),
        Some(local("Europe/Paris", 2026, 6, 10, 9, 0))
    );
    let at_ten = local("Europe/Paris", 2026, 6, 10, 10, 0);
    assert_eq!(
        next_message(&digest, &paris, at_ten, None, &morning),
        Some(local("Europe/Paris", 2026, 6, 11, 9, 0))
    );
    // Today's digest went at nine: what is new at nine still waits for tomorrow's.
    let nine = local("Europe/Paris", 2026, 6, 10, 9, 0);
    assert_eq!(
        next_message(&digest, &paris, nine, Some(nine), &morning),
        Some(local("Europe/Paris", 2026, 6, 11, 9, 0))
    );
}

#[test]
fn a_digest_hour_skipped_by_summer_time_comes_when_the_clock_jumps() {
    let paris = zone("Europe/Paris");
    let digest = choice(Cadence::Digest { hour: 2 }, None);
    let evening = local("Europe/Paris", 2026, 3, 28, 20, 0);
    assert_eq!(
        next_message(&digest, &paris, evening, None, &news(Topic::Feelings, 1)),
        Some(local("UTC", 2026, 3, 29, 1, 0))
    );
    // And the day after, at 02:00 summer time again.
    let sent = local("UTC", 2026, 3, 29, 1, 0);
    assert_eq!(
        next_message(&digest, &paris, sent, Some(sent), &news(Topic::Feelings, 1)),
        Some(local("Europe/Paris", 2026, 3, 30, 2, 0))
    );
}

#[test]
fn soon_batches_and_sends_at_most_once_an_hour() {
    let soon = choice(Cadence::Soon, None);
    let z = Zone::utc();
    let now = utc(12, 0);
    assert_eq!(
        next_message(&soon, &z, now, None, &news(Topic::Answers, 1)),
        Some(now + SOON_BATCH)
    );
    // A message went 20 minutes ago: the next waits for the hour to pass.
    let last = utc(11, 40);
    assert_eq!(
        next_message(&soon, &z, now, Some(last), &news(Topic::Answers, 1)),
        Some(last + SOON_GAP)
    );
    // Long ago: just the batch.
    assert_eq!(
        next_message(&soon, &z, now, Some(utc(1, 0)), &news(Topic::Answers, 1)),
        Some(now + SOON_BATCH)
    );
}

#[test]
fn nothing_is_due_when_off_or_when_nothing_is_new() {
    let z = Zone::utc();
    let now = utc(12, 0);
    let off = NotificationChoice::default();
    assert_eq!(off.cadence, Cadence::Off);
    assert_eq!(
        next_message(&off, &z, now, None, &news(Topic::Answers, 3)),
        None
    );
    let soon = choice(Cadence::Soon, None);
    assert_eq!(
        next_message(&soon, &z, now, None, &Outlook::default()),
        None
    );
    assert_eq!(
        may_send_now(&off, &z, now, &news(Topic::Answers, 1)),
        Err(Hold::TurnedOff)
    );
    assert_eq!(
        may_send_now(&soon, &z, now, &Outlook::default()),
        Err(Hold::NothingNew)
    );
}

#[test]
fn soon_in_quiet_hours_waits_for_their_end() {
    let soon = choice(Cadence::Soon, Some((22, 7)));
    let z = Zone::utc();
    let late = utc(23, 0);
    assert_eq!(
        next_message(&soon, &z, late, None, &news(Topic::Questions, 1)),
        Some(local("UTC", 2026, 6, 11, 7, 0))
    );
    // Just before the quiet hours, the batch would end in them: it waits too.
    assert_eq!(
        next_message(&soon, &z, utc(21, 55), None, &news(Topic::Questions, 1)),
        Some(local("UTC", 2026, 6, 11, 7, 0))
    );
    assert_eq!(
        may_send_now(&soon, &z, late, &news(Topic::Questions, 1)),
        Err(Hold::Until(local("UTC", 2026, 6, 11, 7, 0)))
    );
    assert_eq!(
        may_send_now(&soon, &z, utc(8, 0), &news(Topic::Questions, 1)),
        Ok(())
    );
}

#[test]
fn a_trigger_signal_goes_at_once_in_quiet_hours_only_when_chosen() {
    let z = Zone::utc();
    let late = utc(23, 0);
    let mut at_once = choice(Cadence::Digest { hour: 9 }, Some((22, 7)));
    at_once.triggers_at_once = true;
    assert_eq!(
        next_message(&at_once, &z, late, None, &trigger_signal()),
        Some(late)
    );
    assert_eq!(may_send_now(&at_once, &z, late, &trigger_signal()), Ok(()));
    // A second signal right after the first message waits a little, not for the digest.
    assert_eq!(
        next_message(&at_once, &z, late, Some(late), &trigger_signal()),
        Some(late + TRIGGER_GAP)
    );
    // Not chosen: the digest after the quiet hours.
    let digest = choice(Cadence::Digest { hour: 9 }, Some((22, 7)));
    assert_eq!(
        next_message(&digest, &z, late, None, &trigger_signal()),
        Some(local("UTC", 2026, 6, 11, 9, 0))
    );
    // A reply to one's own signal is not urgent.
    assert_eq!(
        next_message(&at_once, &z, late, None, &news(Topic::Triggers, 1)),
        Some(local("UTC", 2026, 6, 11, 9, 0))
    );
    // Triggers not counted at all: nothing.
    at_once.topics = Topics::NONE.with(Topic::Answers);
    let mut only_trigger = trigger_signal();
    only_trigger.news = News {
        trigger_signals: 1,
        ..News::default()
    };
    assert_eq!(next_message(&at_once, &z, late, None, &only_trigger), None);
}

#[test]
fn a_digest_in_quiet_hours_is_refused() {
    let c = choice(Cadence::Digest { hour: 23 }, Some((22, 7)));
    assert_eq!(c.checked(), Err(ChoiceProblem::DigestInQuietHours));
    let c = choice(Cadence::Digest { hour: 8 }, Some((22, 7)));
    assert_eq!(c.checked(), Ok(c));
}

#[test]
fn topics_and_wordings_round_trip_as_stored() {
    let some = Topics::NONE.with(Topic::Answers).with(Topic::Triggers);
    assert_eq!(some.to_stored(), "answers,triggers");
    assert_eq!(Topics::from_stored(&some.to_stored()), some);
    assert_eq!(Topics::from_stored(&Topics::ALL.to_stored()), Topics::ALL);
    assert_eq!(Topics::from_stored(""), Topics::NONE);
    assert_eq!(
        Topics::from_stored("answers,gone"),
        Topics::NONE.with(Topic::Answers)
    );
    for w in Wording::ALL {
        assert_eq!(Wording::parse(w.as_str()), Some(w));
    }
    assert_eq!(
        Cadence::parse("digest", 7),
        Some(Cadence::Digest { hour: 7 })
    );
    assert_eq!(Cadence::parse("digest", 24), None);
}

const OPENED: Timestamp = Timestamp(1_000_000_000_000);

fn fact(breach: BreachId, fact: Fact, count: usize, at: Option<Timestamp>) -> WaitingFact {
    WaitingFact {
        breach: Some(breach),
        fact,
        count,
        at,
    }
}

fn journey(breach: BreachId, role: Role) -> Vec<WaitingFact> {
    vec![
        fact(breach, Fact::Journey(role), 1, Some(OPENED)),
        fact(breach, Fact::RecommitRhythm(Rhythm::Weekly), 1, None),
        fact(breach, Fact::AcknowledgementsSent, 1, Some(OPENED)),
    ]
}

#[test]
fn an_item_is_news_only_if_something_at_it_happened_after_the_last_message() {
    let b = BreachId::new();
    let asked = OPENED + Duration::hours(5);
    let mut facts = journey(b, Role::RepairingPartner);
    facts.push(fact(b, Fact::OpenQuestions, 2, Some(asked)));
    let now = asked + Duration::hours(1);
    let z = Zone::utc();
    let o = outlook(&facts, Topics::ALL, None, now, &z);
    assert_eq!(o.news.count(Topic::Questions), 2);
    assert_eq!(o.news.total(), 2);
    // Told already: no news, though the questions still wait.
    let o = outlook(&facts, Topics::ALL, Some(asked), now, &z);
    assert!(o.news.is_empty());
    // Not counted: no news.
    let o = outlook(&facts, Topics::NONE.with(Topic::Answers), None, now, &z);
    assert!(o.news.is_empty());
    // The request to write the acknowledgement is never news.
    let fresh = vec![
        fact(b, Fact::Journey(Role::RepairingPartner), 1, Some(OPENED)),
        fact(b, Fact::RecommitRhythm(Rhythm::Weekly), 1, None),
    ];
    assert!(outlook(&fresh, Topics::ALL, None, now, &z).news.is_empty());
}

#[test]
fn each_kind_of_thing_counts_under_its_topic() {
    let b = BreachId::new();
    let at = Some(OPENED + Duration::hours(1));
    let now = OPENED + Duration::hours(2);
    let z = Zone::utc();
    let topic_of = |role: Role, extra: Fact| {
        let mut facts = journey(b, role);
        facts.push(fact(b, extra, 1, at));
        let o = outlook(&facts, Topics::ALL, None, now, &z);
        Topic::ALL
            .into_iter()
            .filter(|t| o.news.count(*t) > 0)
            .collect::<Vec<_>>()
    };
    let repairing = Role::RepairingPartner;
    let hurt = Role::HurtPartner;
    assert_eq!(
        topic_of(hurt, Fact::AnswersUnresponded),
        vec![Topic::Answers]
    );
    assert_eq!(
        topic_of(repairing, Fact::OpenQuestions),
        vec![Topic::Questions]
    );
    assert_eq!(
        topic_of(repairing, Fact::FeelingsAwaitingReflection),
        vec![Topic::Feelings]
    );
    assert_eq!(
        topic_of(hurt, Fact::ReflectionsAwaitingVerdict),
        vec![Topic::Feelings]
    );
    assert_eq!(
        topic_of(repairing, Fact::UnansweredTriggers),
        vec![Topic::Triggers]
    );
    assert_eq!(
        topic_of(hurt, Fact::New(New::TriggerReplies)),
        vec![Topic::Triggers]
    );
    assert_eq!(
        topic_of(hurt, Fact::New(New::Entry(crate::EntryKind::Pledge))),
        vec![Topic::Shared]
    );
    assert_eq!(
        topic_of(hurt, Fact::TransparencyOffers),
        vec![Topic::Shared]
    );
    // Only a signal waiting for the repairing partner's reply is a trigger signal.
    let mut facts = journey(b, repairing);
    facts.push(fact(b, Fact::UnansweredTriggers, 2, at));
    assert_eq!(
        outlook(&facts, Topics::ALL, None, now, &z)
            .news
            .trigger_signals,
        2
    );
    let mut facts = journey(b, hurt);
    facts.push(fact(b, Fact::New(New::TriggerReplies), 1, at));
    assert_eq!(
        outlook(&facts, Topics::ALL, None, now, &z)
            .news
            .trigger_signals,
        0
    );
}

#[test]
fn a_rhythm_is_a_reminder_when_it_falls_due() {
    let b = BreachId::new();
    let z = zone("Europe/Paris");
    let mut facts = journey(b, Role::HurtPartner);
    facts.push(fact(b, Fact::CheckInRhythm(Rhythm::Daily), 1, None));
    let checked_in = local("Europe/Paris", 2026, 6, 10, 21, 40);
    facts.push(fact(b, Fact::LastCheckIn, 1, Some(checked_in)));
    // The evening of the check-in: not due yet; due from the next local midnight.
    let evening = local("Europe/Paris", 2026, 6, 10, 22, 0);
    let midnight = local("Europe/Paris", 2026, 6, 11, 0, 0);
    let o = outlook(&facts, Topics::ALL, Some(checked_in), evening, &z);
    assert!(o.news.is_empty());
    assert_eq!(o.next_reminder, Some(midnight));
    // A reminder that falls in quiet hours comes when they end; "soon" adds its batch.
    let soon = choice(Cadence::Soon, Some((22, 7)));
    assert_eq!(
        next_message(&soon, &z, evening, Some(checked_in), &o),
        Some(local("Europe/Paris", 2026, 6, 11, 7, 0))
    );
    // The morning after: the check-in is news, once.
    let morning = local("Europe/Paris", 2026, 6, 11, 8, 0);
    let o = outlook(&facts, Topics::ALL, Some(checked_in), morning, &z);
    assert_eq!(o.news.count(Topic::CheckIns), 1);
    let o = outlook(&facts, Topics::ALL, Some(morning), morning, &z);
    assert!(o.news.is_empty());
    // Not counted: no reminder either.
    let o = outlook(
        &facts,
        Topics::NONE.with(Topic::Answers),
        Some(checked_in),
        evening,
        &z,
    );
    assert_eq!(o.next_reminder, None);
}

#[test]
fn shared_journal_entries_are_news_of_the_space() {
    let facts = vec![WaitingFact {
        breach: None,
        fact: Fact::New(New::Journal),
        count: 2,
        at: Some(OPENED),
    }];
    let z = Zone::utc();
    let o = outlook(&facts, Topics::ALL, None, OPENED, &z);
    assert_eq!(o.news.count(Topic::Shared), 2);
    assert!(outlook(&facts, Topics::ALL, Some(OPENED), OPENED, &z)
        .news
        .is_empty());
}
