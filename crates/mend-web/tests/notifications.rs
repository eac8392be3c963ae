//! Notifications (issue 12), through a real SMTP receiver on every backend: a partner's
//! write queues one "something waits" message by the person's choice — soon after, at the
//! digest hour, never in quiet hours (in their own zone), at once for a trigger signal when
//! the repairing partner chose so, nothing when off or unverified — and each message says
//! nothing anyone wrote. The clock cannot be moved, so a test reads when a message was
//! planned for, then makes it due (`Db::make_notice_due`) as the hour would.

use std::time::Duration;

use mend_core::mail::MailKind;
use mend_core::notification::{SOON_BATCH, SOON_GAP};
use mend_core::store::prelude::*;
use mend_core::store::{CheckInRecord, MailJobRecord, NewMailJob};
use mend_core::{BreachId, CheckInId, MailJobId, PersonId, Timestamp, Trust, Zone};
use mend_testkit::{
    backends, breach_form, on_each_backend, quick_mail, Browser, SmtpSink, StoreBackend, TestApp,
};
use reqwest::StatusCode;

const ALEX: &str = "alex@example.org";
const SAM: &str = "sam@example.org";
const AGREEMENT: &str = "Marzipanic promise kept";
const QUESTION: &str = "Gloriosquash question?";
const ANSWER: &str = "Thistlewick answer.";

fn now() -> Timestamp {
    Timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_millis() as i64,
    )
}

async fn person(app: &TestApp, email: &str) -> PersonId {
    let lookup = app.server_key().lookup_hash("email", email.as_bytes());
    app.store
        .person_by_email(&lookup)
        .await
        .expect("store")
        .expect("a person")
        .id
}

/// Opens the verification link of the first message to `email`.
async fn verify(app: &TestApp, sink: &SmtpSink, browser: &Browser, email: &str) {
    let mail = sink.wait_for(email, 1).await;
    let link = mail[0]
        .link(&format!("{}/verify/", app.base))
        .expect("a verification link");
    let path = link.strip_prefix(&app.base).expect("here").to_owned();
    browser.get(&path).await;
    assert_eq!(browser.post(&path, &[]).await.status, StatusCode::OK);
}

/// Alex (who broke the agreement, so repairs) and Sam (who was hurt), both addresses
/// confirmed, in a journey.
struct Journey {
    alex: Browser,
    sam: Browser,
    alex_id: PersonId,
    sam_id: PersonId,
    questions: String,
    triggers: String,
}

async fn journey(app: &TestApp, sink: &SmtpSink) -> Journey {
    let c = app.couple().await;
    verify(app, sink, &c.alex, ALEX).await;
    verify(app, sink, &c.sam, SAM).await;
    let journey = c
        .alex
        .record_breach(&c.space, &breach_form("me", "affair", AGREEMENT, "told"))
        .await;
    Journey {
        alex_id: person(app, ALEX).await,
        sam_id: person(app, SAM).await,
        alex: c.alex,
        sam: c.sam,
        questions: format!("{journey}/questions"),
        triggers: format!("{journey}/triggers"),
    }
}

/// The notification form as the page sends it, with `changes` over "soon, no quiet hours,
/// everything counted, the first wording".
async fn choose(browser: &Browser, changes: &[(&str, &str)]) -> mend_testkit::Page {
    browser.get("/account").await;
    let mut fields: Vec<(&str, &str)> = vec![
        ("cadence", "soon"),
        ("digest_hour", "19"),
        ("quiet_start", "22"),
        ("quiet_end", "7"),
        ("topic_answers", "on"),
        ("topic_questions", "on"),
        ("topic_feelings", "on"),
        ("topic_check_ins", "on"),
        ("topic_recommitments", "on"),
        ("topic_triggers", "on"),
        ("topic_shared", "on"),
        ("wording", "waiting"),
    ];
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        if !value.is_empty() {
            fields.push((name, value));
        }
    }
    browser.post("/account/notifications", &fields).await
}

/// Sam asks a question; Alex answers it.
async fn asked_and_answered(j: &Journey, question: &str, answer: &str) {
    j.sam.get(&j.questions).await;
    let asked = j
        .sam
        .post(&j.questions, &[("text", question), ("kind", "secrecy")])
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let page = j.alex.get(&j.questions).await;
    let id = page
        .ids_of("question")
        .into_iter()
        .filter(|id| id.len() == 36)
        .find(|id| {
            page.body
                .split(&format!("<li id=\"question-{id}\""))
                .nth(1)
                .and_then(|rest| rest.split("<li id=\"question-").next())
                .is_some_and(|card| card.contains(question))
        })
        .expect("the question on the page");
    let answered = j
        .alex
        .post(&format!("{}/{id}/answer", j.questions), &[("text", answer)])
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
}

async fn notices(app: &TestApp, person: PersonId) -> Vec<MailJobRecord> {
    app.store
        .mail_jobs_of(person)
        .await
        .expect("jobs")
        .into_iter()
        .filter(|j| j.kind == MailKind::SomethingWaits)
        .collect()
}

async fn pending(app: &TestApp, person: PersonId) -> Vec<MailJobRecord> {
    notices(app, person)
        .await
        .into_iter()
        .filter(|j| j.sent_at.is_none() && j.gave_up_at.is_none())
        .collect()
}

/// Waits until the person's notices satisfy `done`.
async fn notices_until(
    app: &TestApp,
    person: PersonId,
    done: impl Fn(&[MailJobRecord]) -> bool,
) -> Vec<MailJobRecord> {
    for _ in 0..200 {
        let jobs = notices(app, person).await;
        if done(&jobs) {
            return jobs;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the notices never got there: {:?}",
        notices(app, person).await
    );
}

/// Lets a message that should not come have its chance to arrive.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(500)).await;
}

async fn each_with_mail<F, Fut>(test: F)
where
    F: Fn(TestApp, SmtpSink) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in backends() {
        let (app, sink) = TestApp::with_mail(backend).await;
        test(app, sink).await;
    }
}

/// Nothing in the message but our own words: no word typed, not the kind of breach.
fn says_nothing_written(data: &str) {
    let words: String = data
        .lines()
        .filter(|l| !l.starts_with("To: "))
        .collect::<Vec<_>>()
        .join("\n");
    for typed in [
        "Marzipanic",
        "Gloriosquash",
        "Thistlewick",
        "Brambleton",
        "Alex",
        "Sam",
        "affair",
    ] {
        assert!(!words.contains(typed), "{typed:?} in a message: {words}");
    }
    for word in ["betray", "affair", "cheat", "breach", "partner", "trigger"] {
        assert!(!words.to_lowercase().contains(word), "{word:?} in {words}");
    }
}

#[tokio::test]
async fn a_partner_s_answer_makes_one_message_after_the_batch_for_a_soon_person() {
    each_with_mail(|app, sink| async move {
        let j = journey(&app, &sink).await;
        assert_eq!(choose(&j.sam, &[]).await.status, StatusCode::SEE_OTHER);
        assert!(
            pending(&app, j.sam_id).await.is_empty(),
            "nothing waits yet"
        );

        // One's own question is not news for oneself.
        j.sam.get(&j.questions).await;
        j.sam
            .post(
                &j.questions,
                &[("text", "Gloriosquash first?"), ("kind", "facts")],
            )
            .await;
        assert!(pending(&app, j.sam_id).await.is_empty());

        let before = now();
        asked_and_answered(&j, QUESTION, ANSWER).await;
        let planned = pending(&app, j.sam_id).await;
        assert_eq!(planned.len(), 1);
        assert!(planned[0].due_at >= before + SOON_BATCH, "{planned:?}");
        // A second answer in the batch is the same message.
        asked_and_answered(&j, "Brambleton question?", "Brambleton answer.").await;
        assert_eq!(pending(&app, j.sam_id).await.len(), 1);
        settle().await;
        assert_eq!(sink.to(SAM).len(), 1, "only the confirmation so far");

        // The batch time comes.
        app.store.make_notice_due(j.sam_id.0).await.unwrap();
        let mail = sink.wait_for(SAM, 2).await;
        assert_eq!(mail[1].subject(), Some("Something new is waiting for you"));
        assert!(mail[1].data.contains(&format!("{}/login", app.base)));
        assert!(
            mail[1].data.contains(&format!("{}/account", app.base)),
            "{}",
            mail[1].data
        );
        says_nothing_written(&mail[1].data);
        settle().await;
        assert_eq!(sink.to(SAM).len(), 2, "one message");

        // The next answer waits for the hour since that message to pass.
        let sent = notices_until(&app, j.sam_id, |n| n.iter().any(|n| n.sent_at.is_some()))
            .await
            .into_iter()
            .find_map(|n| n.sent_at)
            .unwrap();
        asked_and_answered(&j, "A third question?", "A third answer.").await;
        let next = pending(&app, j.sam_id).await;
        assert_eq!(next.len(), 1);
        assert!(next[0].due_at >= sent + SOON_GAP, "{next:?}");
    })
    .await;
}

#[tokio::test]
async fn two_writes_at_the_same_moment_queue_one_message() {
    each_with_mail(|app, sink| async move {
        let j = journey(&app, &sink).await;
        choose(&j.sam, &[]).await;
        j.sam.get(&j.questions).await;
        for q in ["First question?", "Second question?"] {
            j.sam
                .post(&j.questions, &[("text", q), ("kind", "secrecy")])
                .await;
        }
        let page = j.alex.get(&j.questions).await;
        let ids: Vec<String> = page
            .ids_of("question")
            .into_iter()
            .filter(|id| id.len() == 36)
            .collect();
        assert!(ids.len() >= 2, "two questions: {ids:?}");
        let (a, b) = (
            format!("{}/{}/answer", j.questions, ids[0]),
            format!("{}/{}/answer", j.questions, ids[1]),
        );
        let (one, two) = tokio::join!(
            j.alex.post(&a, &[("text", "One answer.")]),
            j.alex.post(&b, &[("text", "Another answer.")]),
        );
        assert_eq!(
            (one.status, two.status),
            (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
        );
        assert_eq!(pending(&app, j.sam_id).await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn nothing_is_sent_in_quiet_hours_on_the_person_s_own_clock() {
    each_with_mail(|app, sink| async move {
        let j = journey(&app, &sink).await;
        // Half an hour off UTC, so the hours are surely read in the zone.
        j.sam.get("/account").await;
        j.sam
            .post("/account/time-zone", &[("time_zone", "Asia/Kolkata")])
            .await;
        let zone = Zone::parse("Asia/Kolkata").unwrap();
        let hour = zone.local(now()).hour as u8;
        let (start, end) = (hour.to_string(), ((hour + 2) % 24).to_string());
        let saved = choose(
            &j.sam,
            &[
                ("quiet", "on"),
                ("quiet_start", &start),
                ("quiet_end", &end),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        asked_and_answered(&j, QUESTION, ANSWER).await;
        let planned = pending(&app, j.sam_id).await;
        assert_eq!(planned.len(), 1);
        let at = zone.local(planned[0].due_at);
        assert_eq!((at.hour as u8, at.minute), ((hour + 2) % 24, 0), "{at:?}");

        // Made due in the quiet hours anyway: the worker holds it until they end.
        app.store.make_notice_due(j.sam_id.0).await.unwrap();
        let held = notices_until(&app, j.sam_id, |n| n.iter().any(|n| n.due_at > now())).await;
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].due_at, planned[0].due_at);
        assert_eq!(held[0].attempts, 0);
        assert_eq!(sink.to(SAM).len(), 1, "only the confirmation");
    })
    .await;
}

#[tokio::test]
async fn the_digest_gathers_what_is_new_at_the_chosen_hour() {
    each_with_mail(|app, sink| async move {
        let j = journey(&app, &sink).await;
        let hour = Zone::utc().local(now()).hour as u8;
        let digest = ((hour + 3) % 24).to_string();
        choose(&j.sam, &[("cadence", "digest"), ("digest_hour", &digest)]).await;
        asked_and_answered(&j, QUESTION, ANSWER).await;
        asked_and_answered(&j, "Brambleton question?", "Brambleton answer.").await;
        let planned = pending(&app, j.sam_id).await;
        assert_eq!(planned.len(), 1);
        let at = Zone::utc().local(planned[0].due_at);
        assert_eq!((at.hour as u8, at.minute), ((hour + 3) % 24, 0));
        assert!(planned[0].due_at > now());

        app.store.make_notice_due(j.sam_id.0).await.unwrap();
        let mail = sink.wait_for(SAM, 2).await;
        says_nothing_written(&mail[1].data);
        settle().await;
        assert_eq!(sink.to(SAM).len(), 2, "both answers in one message");
    })
    .await;
}

#[tokio::test]
async fn off_sends_nothing_and_turning_off_drops_what_was_planned() {
    each_with_mail(|app, sink| async move {
        let j = journey(&app, &sink).await;
        // Never chosen: off.
        asked_and_answered(&j, QUESTION, ANSWER).await;
        assert!(notices(&app, j.sam_id).await.is_empty());
        // On, then off again before it went.
        choose(&j.sam, &[]).await;
        assert_eq!(pending(&app, j.sam_id).await.len(), 1, "what waits counts");
        choose(&j.sam, &[("cadence", "off")]).await;
        assert!(pending(&app, j.sam_id).await.is_empty());
        // A message queued some other way is checked when it is sent, and not sent.
        app.store
            .enqueue_mail(NewMailJob {
                id: MailJobId::new(),
                person: j.sam_id,
                kind: MailKind::SomethingWaits,
                window_start: None,
                created_at: Timestamp(1),
                due_at: Timestamp(1),
            })
            .await
            .unwrap();
        let done =
            notices_until(&app, j.sam_id, |n| n.iter().any(|n| n.gave_up_at.is_some())).await;
        assert_eq!(done[0].failure.as_deref(), Some("turned off"));
        settle().await;
        assert_eq!(sink.to(SAM).len(), 1, "only the confirmation");
    })
    .await;
}

#[tokio::test]
async fn what_was_opened_before_the_message_went_is_not_sent() {
    each_with_mail(|app, sink| async move {
        let j = journey(&app, &sink).await;
        choose(&j.sam, &[("topic_questions", ""), ("topic_shared", "")]).await;
        asked_and_answered(&j, QUESTION, ANSWER).await;
        assert_eq!(pending(&app, j.sam_id).await.len(), 1);
        // Sam responds to the answer before the message goes: nothing waits any more.
        let page = j.sam.get(&j.questions).await;
        let answer: Vec<String> = page
            .ids_of("answer")
            .into_iter()
            .filter(|id| id.len() == 36)
            .collect();
        assert!(!answer.is_empty(), "an answer to respond to");
        let responded = j
            .sam
            .post(
                &format!("{}/answers/{}/respond", j.questions, answer[0]),
                &[("response", "helps")],
            )
            .await;
        assert!(responded.status.is_redirection(), "{:?}", responded.status);
        app.store.make_notice_due(j.sam_id.0).await.unwrap();
        let done =
            notices_until(&app, j.sam_id, |n| n.iter().any(|n| n.gave_up_at.is_some())).await;
        assert_eq!(done[0].failure.as_deref(), Some("nothing new"));
        assert_eq!(sink.to(SAM).len(), 1);
    })
    .await;
}

#[tokio::test]
async fn an_unconfirmed_address_gets_nothing_until_it_is_confirmed() {
    each_with_mail(|app, sink| async move {
        let c = app.couple().await;
        verify(&app, &sink, &c.alex, ALEX).await;
        let journey = c
            .alex
            .record_breach(&c.space, &breach_form("me", "affair", AGREEMENT, "told"))
            .await;
        let sam_id = person(&app, SAM).await;
        let account = choose(&c.sam, &[]).await;
        assert_eq!(account.status, StatusCode::SEE_OTHER);
        let page = c.sam.get("/account").await;
        assert!(page.contains("nothing is sent until you confirm yours"));
        let j = Journey {
            alex_id: person(&app, ALEX).await,
            sam_id,
            alex: c.alex,
            sam: c.sam,
            questions: format!("{journey}/questions"),
            triggers: format!("{journey}/triggers"),
        };
        asked_and_answered(&j, QUESTION, ANSWER).await;
        assert!(notices(&app, sam_id).await.is_empty());
        // Confirmed: the next write plans the message.
        verify(&app, &sink, &j.sam, SAM).await;
        asked_and_answered(&j, "Another question?", "Another answer.").await;
        assert_eq!(pending(&app, sam_id).await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_trigger_signal_reaches_the_repairing_partner_at_once_in_quiet_hours_if_chosen() {
    each_with_mail(|app, sink| async move {
        let j = journey(&app, &sink).await;
        let hour = Zone::utc().local(now()).hour as u8;
        let (start, end) = (hour.to_string(), ((hour + 2) % 24).to_string());
        let digest = ((hour + 4) % 24).to_string();
        let quiet = [
            ("cadence", "digest"),
            ("digest_hour", digest.as_str()),
            ("quiet", "on"),
            ("quiet_start", start.as_str()),
            ("quiet_end", end.as_str()),
        ];
        // Only the partner who repairs is offered the choice: signals come to them.
        assert!(j
            .alex
            .get("/account")
            .await
            .contains("name=\"triggers_at_once\""));
        assert!(!j
            .sam
            .get("/account")
            .await
            .contains("name=\"triggers_at_once\""));
        let mut at_once = quiet.to_vec();
        at_once.push(("triggers_at_once", "on"));
        assert_eq!(
            choose(&j.alex, &at_once).await.status,
            StatusCode::SEE_OTHER
        );
        j.sam.get(&j.triggers).await;
        let signalled = j
            .sam
            .post(&j.triggers, &[("note", "Brambleton moment")])
            .await;
        assert_eq!(signalled.status, StatusCode::SEE_OTHER);
        // No clock to move: it goes by itself.
        let mail = sink.wait_for(ALEX, 2).await;
        says_nothing_written(&mail[1].data);

        // Without the choice, a signal waits for the quiet hours to end and the digest.
        choose(&j.alex, &quiet).await;
        j.sam.post(&j.triggers, &[]).await;
        let planned = pending(&app, j.alex_id).await;
        assert_eq!(planned.len(), 1);
        let at = Zone::utc().local(planned[0].due_at);
        assert_eq!((at.hour as u8, at.minute), ((hour + 4) % 24, 0));
        settle().await;
        assert_eq!(sink.to(ALEX).len(), 2);
    })
    .await;
}

#[tokio::test]
async fn the_account_page_keeps_the_choices_shows_the_words_and_refuses_bad_input() {
    each_with_mail(|app, sink| async move {
        let j = journey(&app, &sink).await;
        let page = j.sam.get("/account").await;
        assert!(page.contains("id=\"cadence-off\" name=\"cadence\" value=\"off\" checked"));
        // The exact words of each wording, with the link they carry.
        for subject in [
            "Something new is waiting for you",
            "A new update for you",
            "A short reminder",
        ] {
            assert!(page.contains(&format!("Subject: {subject}")), "{subject}");
        }
        assert!(page.contains(&format!("{}/login", app.base)));

        let saved = choose(
            &j.sam,
            &[
                ("cadence", "digest"),
                ("digest_hour", "8"),
                ("quiet", "on"),
                ("quiet_start", "21"),
                ("quiet_end", "6"),
                ("topic_feelings", ""),
                ("wording", "reminder"),
            ],
        )
        .await;
        assert_eq!(
            saved.location(),
            Some("/account?saved=notifications#notifications-title")
        );
        let page = j.sam.get("/account?saved=notifications").await;
        assert!(page.contains("Your notification choices are saved."));
        assert!(page.contains("value=\"digest\" checked"));
        assert!(page.contains("<option value=\"8\" selected>08:00</option>"));
        assert!(page.contains("<option value=\"21\" selected>21:00</option>"));
        assert!(page.contains("id=\"quiet\" name=\"quiet\" value=\"on\" checked"));
        assert!(page.contains("name=\"topic_answers\" value=\"on\" checked"));
        assert!(!page.contains("name=\"topic_feelings\" value=\"on\" checked"));
        assert!(page.contains("value=\"reminder\" checked"));

        // Bad input: a clear error, and nothing changed.
        for (changes, error) in [
            (
                vec![("quiet", "on"), ("quiet_start", "5"), ("quiet_end", "5")],
                "Quiet hours need to start and end at different hours.",
            ),
            (
                vec![
                    ("cadence", "digest"),
                    ("digest_hour", "23"),
                    ("quiet", "on"),
                    ("quiet_start", "22"),
                    ("quiet_end", "7"),
                ],
                "The daily message would fall in your quiet hours.",
            ),
            (
                vec![("digest_hour", "25"), ("cadence", "digest")],
                "Please choose an hour from the list.",
            ),
            (
                vec![("cadence", "hourly")],
                "Please choose how often Mend may write.",
            ),
            (
                vec![("wording", "loud")],
                "Please choose the words of the message.",
            ),
            (
                vec![
                    ("topic_answers", ""),
                    ("topic_questions", ""),
                    ("topic_feelings", ""),
                    ("topic_check_ins", ""),
                    ("topic_recommitments", ""),
                    ("topic_triggers", ""),
                    ("topic_shared", ""),
                ],
                "Please tick at least one thing to be told about",
            ),
        ] {
            let refused = choose(&j.sam, &changes).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
            assert!(refused.contains(error), "{error}: {}", refused.body);
            assert!(refused.contains("Nothing was changed."));
        }
        let kept = app.store.notice_recipient(j.sam_id).await.unwrap().unwrap();
        assert_eq!(
            kept.choice.wording,
            mend_core::notification::Wording::Reminder
        );
        assert_eq!(
            kept.choice.cadence,
            mend_core::notification::Cadence::Digest { hour: 8 }
        );
        // Without the page's token, refused by the CSRF layer.
        let forged = j
            .sam
            .post_raw(
                "/account/notifications",
                &[("cadence", "soon")],
                Some(&app.base),
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn without_mail_the_block_says_notifications_are_off_here() {
    on_each_backend(|app| async move {
        let alex = app.browser();
        alex.sign_up_safe("Alex", ALEX, "lantern-orchid-gravel-71")
            .await;
        let page = alex.get("/account").await;
        assert!(page.contains("Notifications are off on this server"));
        assert!(!page.contains("action=\"/account/notifications\""));
        let status = alex
            .post("/account/notifications", &[("cadence", "soon")])
            .await
            .status;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn two_instances_on_one_postgresql_send_a_notice_once() {
    let Some(backend) = backends()
        .into_iter()
        .find(|b| *b == StoreBackend::Postgres)
    else {
        eprintln!("no PostgreSQL: skipped");
        return;
    };
    let sink = SmtpSink::start().await;
    let config = quick_mail(&sink);
    let first = TestApp::spawn(backend, |c| c.mail = Some(config.clone())).await;
    let second = first
        .another_instance(|c| {
            c.mail = Some(config.clone());
            c.public_url = Some(first.base.clone());
        })
        .await;
    let j = journey(&first, &sink).await;
    choose(&j.sam, &[]).await;
    asked_and_answered(&j, QUESTION, ANSWER).await;
    assert_eq!(pending(&first, j.sam_id).await.len(), 1);
    first.store.make_notice_due(j.sam_id.0).await.unwrap();
    sink.wait_for(SAM, 2).await;
    settle().await;
    assert_eq!(sink.to(SAM).len(), 2, "the notice once, by either instance");
    let sent = notices(&first, j.sam_id).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].attempts, 1);
    drop(second);
}

#[tokio::test]
async fn a_check_in_reminder_comes_when_the_rhythm_falls_due() {
    each_with_mail(|app, sink| async move {
        let j = journey(&app, &sink).await;
        let journey = j.questions.trim_end_matches("/questions").to_owned();
        let parts: Vec<&str> = journey.split('/').collect();
        let breach: BreachId = parts[4].parse().unwrap();
        app.store
            .create_check_in(CheckInRecord {
                id: CheckInId::new(),
                breach,
                person: j.sam_id,
                trust: Trust::parse("3").unwrap(),
                note: None,
                created_at: now() - mend_core::Duration::days(2),
            })
            .await
            .unwrap();
        let only_check_ins = [
            ("topic_answers", ""),
            ("topic_questions", ""),
            ("topic_feelings", ""),
            ("topic_recommitments", ""),
            ("topic_triggers", ""),
            ("topic_shared", ""),
        ];
        choose(&j.sam, &only_check_ins).await;
        assert!(pending(&app, j.sam_id).await.is_empty(), "no rhythm chosen");
        // A daily rhythm, and the last check-in was two days ago: due now.
        j.sam.get(&format!("{journey}/patience")).await;
        let chose = j
            .sam
            .post(
                &format!("{journey}/choices"),
                &[("change", "check_in_rhythm"), ("rhythm", "daily")],
            )
            .await;
        assert!(chose.status.is_redirection());
        assert_eq!(pending(&app, j.sam_id).await.len(), 1);
        app.store.make_notice_due(j.sam_id.0).await.unwrap();
        let mail = sink.wait_for(SAM, 2).await;
        says_nothing_written(&mail[1].data);
        notices_until(&app, j.sam_id, |n| n.iter().any(|n| n.sent_at.is_some())).await;
        assert!(pending(&app, j.sam_id).await.is_empty(), "told once");
        // Checked in: the next reminder is planned for when the rhythm falls due again.
        j.sam.get(&format!("{journey}/patience")).await;
        j.sam
            .post(&format!("{journey}/patience"), &[("trust", "5")])
            .await;
        let next = pending(&app, j.sam_id).await;
        assert_eq!(next.len(), 1);
        assert!(next[0].due_at >= Zone::utc().start_of_day_after(now(), 1));
    })
    .await;
}
