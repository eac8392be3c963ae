//! Mail (issue 12), through a real SMTP receiver on 127.0.0.1 started by the test
//! (`mend_testkit::SmtpSink`), on every backend: verifying an address, a password reset by
//! mail, nothing but those two to an unverified address, retries with backoff, two instances
//! on one PostgreSQL sending each message once, and no typed word in any message or log line.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mend_core::mail::MailKind;
use mend_core::store::prelude::*;
use mend_core::store::{NewMailJob, NewPerson};
use mend_core::{MailJobId, PersonId, Timestamp};
use mend_crypto::DataKey;
use mend_testkit::{
    backends, breach_form, on_each_backend, quick_mail, Browser, SmtpSink, StoreBackend, TestApp,
};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

async fn person(app: &TestApp, email: &str) -> PersonId {
    let lookup = app.server_key().lookup_hash("email", email.as_bytes());
    app.store
        .person_by_email(&lookup)
        .await
        .expect("store")
        .expect("a person")
        .id
}

/// Waits until `person`'s jobs satisfy `done`, and gives them.
async fn jobs_until(
    app: &TestApp,
    person: PersonId,
    done: impl Fn(&[mend_core::store::MailJobRecord]) -> bool,
) -> Vec<mend_core::store::MailJobRecord> {
    for _ in 0..200 {
        let jobs = app.store.mail_jobs_of(person).await.expect("jobs");
        if done(&jobs) {
            return jobs;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the jobs never got there: {:?}",
        app.store.mail_jobs_of(person).await
    );
}

/// The path of a link in a message, on this server.
fn path_of(app: &TestApp, link: &str) -> String {
    link.strip_prefix(&app.base)
        .expect("a link here")
        .to_owned()
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

#[tokio::test]
async fn without_mail_mend_says_notifications_are_off_and_whom_to_ask() {
    on_each_backend(|app| async move {
        let alex = app.browser();
        alex.sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let account = alex.get("/account").await;
        assert!(account.contains("E-mail notifications are off on this server"));
        assert!(!account.contains("a link to choose a new one can be sent"));
        assert!(!account.contains("/account/verify"));
        assert_eq!(alex.press("/account/verify").await, StatusCode::NOT_FOUND);
        let visitor = app.browser();
        let login = visitor.get("/login").await;
        assert!(login.contains("href=\"/forgot\""));
        let forgot = visitor.get("/forgot").await;
        assert!(forgot.contains("the person who runs this Mend server"));
        assert!(!forgot.contains("action=\"/forgot\""));
        let id = person(&app, "alex@example.org").await;
        assert!(app.store.mail_jobs_of(id).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_verification_mail_arrives_and_its_link_verifies_once() {
    each_with_mail(|app, sink| async move {
        let alex = app.browser();
        alex.sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let account = alex.get("/account").await;
        assert!(account.contains("is not confirmed yet"), "{}", account.body);
        // Said plainly, since someone else may read the inbox.
        assert!(account.contains(
            "If you forget your password, a link to choose a new one can be sent to this address."
        ));

        let mail = sink.wait_for("alex@example.org", 1).await;
        assert_eq!(
            mail[0].subject(),
            Some("Please confirm your e-mail address")
        );
        assert_eq!(mail[0].from, "mend@example.org");
        let link = mail[0]
            .link(&format!("{}/verify/", app.base))
            .expect("a verification link");
        let path = path_of(&app, &link);

        // Asking again within the window sends nothing more.
        let again = alex.submit("/account/verify", &[]).await;
        assert!(
            again.contains("was sent a few minutes ago"),
            "{}",
            again.body
        );

        // Opening the link shows a button; only the button verifies (a mail program that
        // previews links uses nothing up).
        let visitor = app.browser();
        let page = visitor.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(alex.get("/account").await.contains("is not confirmed yet"));
        let done = visitor.post(&path, &[]).await;
        assert_eq!(done.status, StatusCode::OK);
        assert!(done.contains("Your e-mail address is confirmed"));
        assert!(alex
            .get("/account")
            .await
            .contains("Your e-mail address is confirmed."));
        // Once only.
        let twice = visitor.post(&path, &[]).await;
        assert_eq!(twice.status, StatusCode::GONE);
        assert!(twice.contains("confirmation link doesn"));

        // An expired link is refused too, and verifies nothing.
        let sam = app.browser();
        sam.sign_up_safe("Sam", "sam@example.org", PASSWORD).await;
        let sam_id = person(&app, "sam@example.org").await;
        let token = "an-expired-token-for-the-test";
        let hash = app
            .server_key()
            .lookup_hash("email-verification", token.as_bytes());
        app.store
            .create_email_verification(&hash, sam_id, Timestamp(1))
            .await
            .unwrap();
        visitor.get(&format!("/verify/{token}")).await;
        let late = visitor.post(&format!("/verify/{token}"), &[]).await;
        assert_eq!(late.status, StatusCode::GONE);
        assert_eq!(app.store.email_verified_at(sam_id).await.unwrap(), None);

        // Without the CSRF token, nothing is verified either.
        let mail = sink.wait_for("sam@example.org", 1).await;
        let sam_path = path_of(
            &app,
            &mail[0].link(&format!("{}/verify/", app.base)).unwrap(),
        );
        let forged = app
            .browser()
            .post_raw(&sam_path, &[], Some(&app.base))
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(app.store.email_verified_at(sam_id).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn a_password_reset_by_mail_works_and_answers_the_same_for_an_unknown_address() {
    each_with_mail(|app, sink| async move {
        let alex = app.browser();
        alex.sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        sink.wait_for("alex@example.org", 1).await;

        let visitor = app.browser();
        let form = visitor.get("/forgot").await;
        assert!(form.contains("action=\"/forgot\""));
        let known = visitor
            .post("/forgot", &[("email", "Alex@Example.org")])
            .await;
        let unknown = visitor
            .post("/forgot", &[("email", "nobody@example.org")])
            .await;
        let malformed = visitor
            .post("/forgot", &[("email", "not an address")])
            .await;
        assert_eq!(known.status, StatusCode::OK);
        let without_token = |p: &mend_testkit::Page| p.body.replace(&visitor.csrf(), "");
        assert_eq!(without_token(&known), without_token(&unknown));
        assert_eq!(without_token(&known), without_token(&malformed));
        assert_eq!(known.status, unknown.status);

        // The reset goes to an unverified address too: only its owner can use it.
        let mail = sink.wait_for("alex@example.org", 2).await;
        let reset = mail
            .iter()
            .find(|m| m.subject() == Some("Your link to choose a new password"))
            .expect("the reset mail");
        let path = path_of(&app, &reset.link(&format!("{}/reset/", app.base)).unwrap());
        visitor.get(&path).await;
        let done = visitor
            .post(&path, &[("password", "river-basalt-quill-48")])
            .await;
        assert_eq!(done.location(), Some("/login?reset=1"));
        assert!(visitor
            .visit("/login?reset=1")
            .await
            .contains("Your new password is saved"));
        let home = visitor
            .log_in("alex@example.org", "river-basalt-quill-48")
            .await;
        assert_eq!(home.status, StatusCode::OK);
        assert_eq!(
            visitor.get(&path).await.status,
            StatusCode::GONE,
            "the link works once"
        );
        // Asking again in the same window sends nothing more.
        visitor.get("/forgot").await;
        visitor
            .post("/forgot", &[("email", "alex@example.org")])
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(sink.to("alex@example.org").len(), 2);
        assert!(sink.to("nobody@example.org").is_empty());

        // Throttled per client address, whatever addresses are named.
        let mut last = StatusCode::OK;
        for i in 0..10 {
            last = visitor
                .post("/forgot", &[("email", &format!("x{i}@example.org"))])
                .await
                .status;
        }
        assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
        let refused = visitor
            .post("/forgot", &[("email", "alex@example.org")])
            .await;
        assert!(refused.contains("Please wait a quarter of an hour"));
    })
    .await;
}

#[tokio::test]
async fn nothing_else_is_sent_to_an_unverified_address() {
    each_with_mail(|app, sink| async move {
        let alex = app.browser();
        alex.sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let first = sink.wait_for("alex@example.org", 1).await;
        let id = person(&app, "alex@example.org").await;
        let notice = |window: i64| NewMailJob {
            id: MailJobId::new(),
            person: id,
            kind: MailKind::SomethingWaits,
            window_start: Some(Timestamp(window)),
            created_at: Timestamp(window),
            due_at: Timestamp(window),
        };
        app.store.enqueue_mail(notice(1)).await.unwrap();
        let jobs = jobs_until(&app, id, |j| {
            j.iter()
                .any(|j| j.kind == MailKind::SomethingWaits && j.gave_up_at.is_some())
        })
        .await;
        let given_up = jobs
            .iter()
            .find(|j| j.kind == MailKind::SomethingWaits)
            .unwrap();
        assert_eq!(given_up.failure.as_deref(), Some("unverified"));
        assert_eq!(sink.to("alex@example.org").len(), 1);

        // Once verified, the address no longer stops it; the person's choice decides (see
        // tests/notifications.rs), and Alex never chose to get these.
        let path = path_of(
            &app,
            &first[0].link(&format!("{}/verify/", app.base)).unwrap(),
        );
        alex.get(&path).await;
        assert_eq!(alex.post(&path, &[]).await.status, StatusCode::OK);
        app.store.enqueue_mail(notice(2)).await.unwrap();
        let jobs = jobs_until(&app, id, |j| {
            j.iter()
                .filter(|j| j.kind == MailKind::SomethingWaits && j.gave_up_at.is_some())
                .count()
                == 2
        })
        .await;
        let second = jobs
            .iter()
            .rfind(|j| j.kind == MailKind::SomethingWaits)
            .unwrap();
        assert_eq!(second.failure.as_deref(), Some("turned off"));
        assert_eq!(sink.to("alex@example.org").len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_failing_mail_server_is_tried_again_with_backoff_then_the_message_goes() {
    each_with_mail(|app, sink| async move {
        sink.refuse_next(2);
        let started = Instant::now();
        let alex = app.browser();
        alex.sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let mail = sink.wait_for("alex@example.org", 1).await;
        assert_eq!(mail.len(), 1);
        assert_eq!(sink.refused(), 2);
        // Tried again after 200 ms, then after 400 ms more.
        assert!(started.elapsed() >= Duration::from_millis(600));
        let id = person(&app, "alex@example.org").await;
        let jobs = jobs_until(&app, id, |j| j.iter().all(|j| j.sent_at.is_some())).await;
        assert_eq!(jobs[0].attempts, 3);
        assert_eq!(jobs[0].failure, None);

        // A server that keeps refusing: four tries, then given up and recorded.
        sink.refuse_next(100);
        let sam = app.browser();
        sam.sign_up_safe("Sam", "sam@example.org", PASSWORD).await;
        let sam_id = person(&app, "sam@example.org").await;
        let jobs = jobs_until(&app, sam_id, |j| j.iter().all(|j| j.gave_up_at.is_some())).await;
        assert_eq!(
            (jobs[0].attempts, jobs[0].failure.as_deref()),
            (4, Some("deferred"))
        );
        assert!(sink.to("sam@example.org").is_empty());
        sink.refuse_next(0);
    })
    .await;
}

#[tokio::test]
async fn two_instances_on_one_postgresql_send_each_message_once() {
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
    // Stop both workers' wake-ups from mattering: the jobs go straight into the database.
    let key = first.server_key();
    let mut people = Vec::new();
    for i in 0..30 {
        let id = PersonId::new();
        let data_key = DataKey::generate(id.0);
        let email = format!("p{i}@example.org");
        first
            .store
            .create_person(NewPerson {
                id,
                email_lookup: key.lookup_hash("email", email.as_bytes()),
                email: data_key.seal(id.0, "person.email", &email),
                name: data_key.seal(id.0, "person.name", "Robin"),
                password_hash: "x".into(),
                wrapped_key: key.wrap(&data_key),
                created_at: Timestamp(1),
                counsellor: false,
            })
            .await
            .unwrap();
        people.push((id, email));
    }
    // Asked for now: a confirmation asked for more than a day ago is not sent.
    let now = Timestamp(millis_now());
    for (id, _) in &people {
        for w in 0..4 {
            first
                .store
                .enqueue_mail(NewMailJob {
                    id: MailJobId::new(),
                    person: *id,
                    kind: MailKind::VerifyAddress,
                    window_start: Some(Timestamp(w)),
                    created_at: now,
                    due_at: now,
                })
                .await
                .unwrap();
        }
    }
    for _ in 0..400 {
        if sink.received().len() >= 120 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Time for any duplicate to arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.received().len(), 120, "every message once");
    for (id, email) in &people {
        assert_eq!(sink.to(email).len(), 4, "{email}");
        let jobs = first.store.mail_jobs_of(*id).await.unwrap();
        assert!(jobs.iter().all(|j| j.sent_at.is_some() && j.attempts == 1));
    }
    drop(second);
}

#[tokio::test]
async fn deleting_the_account_removes_its_jobs_and_links() {
    each_with_mail(|app, sink| async move {
        let c = app.couple().await;
        sink.wait_for("sam@example.org", 1).await;
        let sam_id = person(&app, "sam@example.org").await;
        // A pending notice, which leaving removes.
        sink.refuse_next(0);
        app.store
            .enqueue_mail(NewMailJob {
                id: MailJobId::new(),
                person: sam_id,
                kind: MailKind::SomethingWaits,
                window_start: None,
                created_at: Timestamp(1),
                due_at: Timestamp(i64::MAX / 2),
            })
            .await
            .unwrap();
        c.sam.get("/account/delete").await;
        let gone = c
            .sam
            .post(
                "/account/delete",
                &[("current", PASSWORD), ("confirm", "delete")],
            )
            .await;
        assert_eq!(gone.location(), Some("/account/deleted"));
        for sql in [
            "SELECT COUNT(*) FROM mail_jobs WHERE person_id = $1",
            "SELECT COUNT(*) FROM email_verifications WHERE person_id = $1",
        ] {
            assert_eq!(
                app.store.count_for(sql, sam_id.0).await.unwrap(),
                0,
                "{sql}"
            );
        }
        let alex_id = person(&app, "alex@example.org").await;
        assert!(!app.store.mail_jobs_of(alex_id).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn leaving_the_space_removes_pending_notices_and_keeps_the_account_s_mail() {
    each_with_mail(|app, sink| async move {
        let c = app.couple().await;
        sink.wait_for("sam@example.org", 1).await;
        let sam_id = person(&app, "sam@example.org").await;
        let later = |kind| NewMailJob {
            id: MailJobId::new(),
            person: sam_id,
            kind,
            window_start: None,
            created_at: Timestamp(1),
            due_at: Timestamp(i64::MAX / 2),
        };
        app.store
            .enqueue_mail(later(MailKind::SomethingWaits))
            .await
            .unwrap();
        app.store
            .enqueue_mail(later(MailKind::PasswordReset))
            .await
            .unwrap();
        c.sam.get("/account/leave").await;
        let left = c
            .sam
            .post(
                "/account/leave",
                &[("current", PASSWORD), ("confirm", "leave")],
            )
            .await;
        assert!(left.status.is_redirection(), "{:?}", left.status);
        let pending: Vec<_> = app
            .store
            .mail_jobs_of(sam_id)
            .await
            .unwrap()
            .into_iter()
            .filter(|j| j.sent_at.is_none())
            .map(|j| j.kind)
            .collect();
        assert_eq!(pending, vec![MailKind::PasswordReset]);
    })
    .await;
}

/// The id in the first `id="{prefix}…"` on `page`.
fn id_after(page: &mend_testkit::Page, prefix: &str) -> String {
    page.body
        .split(&format!("id=\"{prefix}"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the page shows the element")
        .to_owned()
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every text the partners typed, checked against every message (subject and body) and every
/// log line of the server side, at TRACE level.
#[tokio::test]
async fn no_message_or_log_line_holds_what_anyone_typed() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter("mend_web=trace,mend_store=trace,mend_core=trace,tower_http=trace,axum=trace,sqlx=trace,lettre=trace")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    for backend in backends() {
        let (app, sink) = TestApp::with_mail(backend).await;
        let alex = app.browser();
        alex.sign_up_safe("Zephyrine", "zephyrine@example.org", PASSWORD)
            .await;
        alex.get("/home").await;
        let space = alex
            .post("/spaces", &[])
            .await
            .location()
            .unwrap()
            .to_owned();
        let form_id = alex.get(&space).await.field("form_id").unwrap();
        let link = alex
            .submit(
                &format!("{space}/invites"),
                &[("form_id", form_id.as_str())],
            )
            .await
            .value_of("invite-link-1")
            .unwrap();
        let sam = Browser::clone(&app.browser());
        sam.sign_up_safe("Quillon", "quillon@example.org", PASSWORD)
            .await;
        let code = link.strip_prefix(&app.base).unwrap().to_owned();
        sam.get(&code).await;
        sam.post(&code, &[]).await;
        let journey = sam
            .record_breach(
                &space,
                &breach_form("me", "affair", "Marzipanic promise", "told"),
            )
            .await;
        assert!(alex.get(&journey).await.status.is_success());
        // Words typed everywhere else too: a question and its answer, a journal entry, a
        // feeling and its reflection (Sam repairs, Zephyrine was hurt).
        let questions = format!("{journey}/questions");
        alex.get(&questions).await;
        let asked = alex
            .post(
                &questions,
                &[("text", "Gloriosquash question?"), ("kind", "secrecy")],
            )
            .await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER);
        let question = id_after(&sam.get(&questions).await, "question-");
        let answered = sam
            .post(
                &format!("{questions}/{question}/answer"),
                &[("text", "Thistlewick answer.")],
            )
            .await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER);
        let journal = format!("{space}/journal");
        sam.get(&journal).await;
        let wrote = sam
            .post(&journal, &[("text", "Brambleton journal entry.")])
            .await;
        assert_eq!(wrote.status, StatusCode::SEE_OTHER);
        let feelings = format!("{journey}/feelings");
        let form = alex.get(&feelings).await;
        let feeling_form = form.field("feeling").expect("the feeling form");
        let felt = alex
            .post(
                &feelings,
                &[
                    ("feeling", feeling_form.as_str()),
                    ("word", "hurt"),
                    ("intensity", "3"),
                    ("text", "Obsidianne feeling."),
                ],
            )
            .await;
        assert_eq!(felt.status, StatusCode::SEE_OTHER);
        let feeling = id_after(&sam.get(&feelings).await, "feeling-");
        let reflected = sam
            .post(
                &format!("{feelings}/{feeling}/reflect"),
                &[("text", "Corvellian reflection.")],
            )
            .await;
        assert_eq!(reflected.status, StatusCode::SEE_OTHER);
        // Mail of every kind: verification (at sign-up), reset, and a notice once verified.
        let visitor = app.browser();
        visitor.get("/forgot").await;
        visitor
            .post("/forgot", &[("email", "quillon@example.org")])
            .await;
        let mails = sink.wait_for("zephyrine@example.org", 1).await;
        let verify = path_of(
            &app,
            &mails[0].link(&format!("{}/verify/", app.base)).unwrap(),
        );
        alex.get(&verify).await;
        alex.post(&verify, &[]).await;
        let alex_id = person(&app, "zephyrine@example.org").await;
        // Notices on: what waits for Zephyrine is planned, and made due as the hour would.
        alex.get("/account").await;
        let chose = alex
            .post(
                "/account/notifications",
                &[
                    ("cadence", "soon"),
                    ("digest_hour", "19"),
                    ("topic_answers", "on"),
                    ("topic_feelings", "on"),
                    ("topic_shared", "on"),
                    ("wording", "waiting"),
                ],
            )
            .await;
        assert_eq!(chose.status, StatusCode::SEE_OTHER);
        assert_eq!(app.store.make_notice_due(alex_id.0).await.unwrap(), 1);
        sink.wait_for("zephyrine@example.org", 2).await;
        sink.wait_for("quillon@example.org", 2).await;

        let typed = [
            "Zephyrine",
            "zephyrine",
            "Quillon",
            "quillon",
            PASSWORD,
            "Marzipanic",
            "affair",
            "Gloriosquash",
            "Thistlewick",
            "Brambleton",
            "Obsidianne",
            "Corvellian",
        ];
        for m in sink.received() {
            // The recipient's own address is in the envelope and the To: header, and only
            // there.
            let words: String = m
                .data
                .lines()
                .filter(|l| !l.starts_with("To: "))
                .collect::<Vec<_>>()
                .join("\n");
            for word in typed {
                assert!(!words.contains(word), "{word:?} in a message: {words}");
            }
            for word in ["betray", "affair", "cheat", "breach", "partner"] {
                assert!(!words.to_lowercase().contains(word), "{word:?} in {words}");
            }
        }
        let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).to_string();
        assert!(logs.contains("mail sent"), "the capture works");
        for secret in typed
            .iter()
            .copied()
            .chain(["example.org", verify.as_str()])
        {
            if let Some(at) = logs.find(secret) {
                panic!(
                    "{secret:?} reached the logs: {}",
                    &logs[at.saturating_sub(300)..at + 50]
                );
            }
        }
    }
}

/// POSTs "Forgot your password?" as a browser behind a proxy that says the client is
/// `forwarded`.
async fn forgot_via(browser: &Browser, forwarded: &str, email: &str) -> StatusCode {
    browser.get("/forgot").await;
    let token = browser.csrf();
    browser
        .client
        .post(format!("{}/forgot", browser.base))
        .header("origin", &browser.base)
        .header("x-forwarded-for", forwarded)
        .form(&[("csrf", token.as_str()), ("email", email)])
        .send()
        .await
        .expect("POST")
        .status()
}

#[tokio::test]
async fn forgot_is_limited_per_ipv6_block_as_log_in_is() {
    for backend in backends() {
        let sink = SmtpSink::start().await;
        let config = quick_mail(&sink);
        let app = TestApp::spawn(backend, |c| {
            c.mail = Some(config);
            c.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
        })
        .await;
        let visitor = app.browser();
        // Ten clients in one /64 (one subscriber's block) use up its ten requests.
        for i in 1..=10 {
            let status = forgot_via(
                &visitor,
                &format!("2001:db8:1:2::{i:x}"),
                &format!("x{i}@example.org"),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "request {i} on {backend:?}");
        }
        assert_eq!(
            forgot_via(&visitor, "2001:db8:1:2:ffff::1", "y@example.org").await,
            StatusCode::TOO_MANY_REQUESTS,
            "another address in the same /64 on {backend:?}"
        );
        assert_eq!(
            forgot_via(&visitor, "2001:db8:1:3::1", "y@example.org").await,
            StatusCode::OK,
            "the next /64 is someone else on {backend:?}"
        );
    }
}

fn millis_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64
}

#[tokio::test]
async fn a_link_s_mail_older_than_its_link_is_given_up_not_sent() {
    each_with_mail(|app, sink| async move {
        let alex = app.browser();
        alex.sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        sink.wait_for("alex@example.org", 1).await;
        let id = person(&app, "alex@example.org").await;
        let now = millis_now();
        let old = |kind, age: mend_core::Duration, window| NewMailJob {
            id: MailJobId::new(),
            person: id,
            kind,
            window_start: Some(Timestamp(window)),
            created_at: Timestamp(now - age.0),
            due_at: Timestamp(now),
        };
        // Asked for an hour and more ago (a reset), a day and more ago (a confirmation):
        // resumed from a backup, say.
        for job in [
            old(MailKind::PasswordReset, mend_core::Duration::minutes(61), 1),
            old(MailKind::VerifyAddress, mend_core::Duration::hours(25), 1),
        ] {
            assert!(app.store.enqueue_mail(job).await.unwrap());
        }
        let stale = |j: &mend_core::store::MailJobRecord| j.created_at.0 < now - 3_000_000;
        let jobs = jobs_until(&app, id, |j| {
            j.iter()
                .filter(|j| stale(j))
                .all(|j| j.gave_up_at.is_some())
        })
        .await;
        let stale: Vec<_> = jobs.iter().filter(|j| stale(j)).collect();
        assert_eq!(stale.len(), 2);
        for job in stale {
            assert_eq!(
                (job.attempts, job.failure.as_deref(), job.sent_at),
                (1, Some("too late"), None)
            );
        }
        assert_eq!(sink.to("alex@example.org").len(), 1);
        // A reset asked for half an hour ago still goes.
        assert!(app
            .store
            .enqueue_mail(old(
                MailKind::PasswordReset,
                mend_core::Duration::minutes(30),
                2
            ))
            .await
            .unwrap());
        let mail = sink.wait_for("alex@example.org", 2).await;
        assert_eq!(mail.len(), 2);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(sink.to("alex@example.org").len(), 2);
    })
    .await;
}

#[tokio::test]
async fn the_server_stops_promptly_while_the_mail_server_hangs() {
    on_each_backend(|app| async move {
        let alex = app.browser();
        alex.sign_up_safe("Alex", "alex@example.org", PASSWORD)
            .await;
        let id = person(&app, "alex@example.org").await;
        let now = millis_now();
        for window in 0..5 {
            app.store
                .enqueue_mail(NewMailJob {
                    id: MailJobId::new(),
                    person: id,
                    kind: MailKind::VerifyAddress,
                    window_start: Some(Timestamp(window)),
                    created_at: Timestamp(now),
                    due_at: Timestamp(now),
                })
                .await
                .unwrap();
        }
        // A second server on the same database, with mail to a server that never answers
        // and a minute's timeout for each step of a send.
        let sink = SmtpSink::start().await;
        sink.hang(true);
        let mut config = quick_mail(&sink);
        config.send_timeout = Duration::from_secs(60);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let store: Arc<dyn mend_core::Store> = app.store.clone();
        let state = mend_web::state(
            store,
            app.server_key(),
            mend_web::WebConfig {
                public_url: Some(base),
                mail: Some(config),
                ..mend_web::WebConfig::default()
            },
        )
        .await
        .expect("the web state");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(mend_web::serve(listener, state, async {
            let _ = stopped.await;
        }));
        // One job is in hand, stuck on the silent server.
        jobs_until(&app, id, |j| j.iter().any(|j| j.attempts > 0)).await;
        let started = Instant::now();
        stop.send(()).expect("the server runs");
        tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .expect("the server stopped within ten seconds")
            .expect("the server task")
            .expect("served");
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "stopped after {:?}",
            started.elapsed()
        );
        // Nothing was sent; only the job in hand was tried, and it waits for its lease.
        let jobs = app.store.mail_jobs_of(id).await.unwrap();
        let tried: Vec<_> = jobs.iter().filter(|j| j.attempts > 0).collect();
        assert!(jobs.iter().all(|j| j.sent_at.is_none()));
        assert_eq!(tried.len(), 1, "{jobs:?}");
    })
    .await;
}
