//! Leaving the space and deleting the account, on every backend: what goes and what stays is
//! checked in the database, table by table; the one who stays can still read; nothing changes
//! without the password and the typed word; a double submit does the work once.

use mend_core::store::prelude::*;
use mend_core::PersonId;
use mend_testkit::{breach_form, on_each_backend, Browser, TestApp};
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

/// The rows of `person` in each table with words in it, as (table, rows, rows with words).
const WRITTEN: &[(&str, &str)] = &[
    (
        "questions",
        "SELECT COUNT(*) FROM questions WHERE asked_by = $1 AND text_sealed IS NOT NULL",
    ),
    ("answers", "SELECT COUNT(*) FROM answers WHERE author = $1"),
    (
        "feelings",
        "SELECT COUNT(*) FROM feelings WHERE person_id = $1 AND feeling_sealed IS NOT NULL",
    ),
    (
        "reflections",
        "SELECT COUNT(*) FROM reflections WHERE author = $1",
    ),
    (
        "check_ins",
        "SELECT COUNT(*) FROM check_ins WHERE person_id = $1",
    ),
    (
        "evidence",
        "SELECT COUNT(*) FROM evidence WHERE author = $1",
    ),
    (
        "triggers",
        "SELECT COUNT(*) FROM triggers WHERE person_id = $1 AND note_sealed IS NOT NULL",
    ),
    (
        "journal",
        "SELECT COUNT(*) FROM journal_entries WHERE author = $1",
    ),
    (
        "agreements",
        "SELECT COUNT(*) FROM agreements WHERE proposed_by = $1",
    ),
    (
        "entries",
        "SELECT COUNT(*) FROM entries WHERE author = $1 AND body_sealed IS NOT NULL",
    ),
    ("seen", "SELECT COUNT(*) FROM seen WHERE person_id = $1"),
    (
        "memberships",
        "SELECT COUNT(*) FROM memberships WHERE person_id = $1",
    ),
];

async fn written(app: &TestApp, person: PersonId) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for (table, sql) in WRITTEN {
        counts.push((
            *table,
            app.store.count_for(sql, person.0).await.expect("count"),
        ));
    }
    counts
}

fn count(counts: &[(&str, i64)], table: &str) -> i64 {
    counts
        .iter()
        .find(|(t, _)| *t == table)
        .map_or(0, |(_, n)| *n)
}

/// A journey with something of every kind from both: Alex repairs, Sam was hurt.
async fn journey_with_everything(app: &TestApp) -> (Browser, Browser, String, String) {
    let c = app.couple().await;
    let form = breach_form("me", "lie", "We tell each other the truth.", "told");
    let journey = c.alex.record_breach(&c.space, &form).await;
    let (alex, sam) = (c.alex, c.sam);

    let questions = format!("{journey}/questions");
    sam.get(&questions).await;
    assert_eq!(
        sam.post(
            &questions,
            &[("text", "Who else knew?"), ("kind", "secrecy")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let page = alex.get(&questions).await;
    let question = page.ids_of("question").remove(0);
    alex.post(
        &format!("{questions}/{question}/answer"),
        &[("text", "Only my brother knew, and I am sorry.")],
    )
    .await;

    let feelings = format!("{journey}/feelings");
    let page = sam.get(&feelings).await;
    let id = page.field("feeling").expect("a feeling id");
    sam.post(
        &feelings,
        &[
            ("feeling", id.as_str()),
            ("word", "hurt"),
            ("intensity", "4"),
            ("text", "I keep replaying that evening."),
        ],
    )
    .await;
    let page = alex.get(&feelings).await;
    let feeling = page.ids_of("feeling").remove(0);
    alex.post(
        &format!("{feelings}/{feeling}/reflect"),
        &[("text", "You keep replaying that evening, and it hurts.")],
    )
    .await;

    let triggers = format!("{journey}/triggers");
    sam.get(&triggers).await;
    sam.post(&triggers, &[("note", "The song came on.")]).await;
    let page = alex.get(&triggers).await;
    let trigger = page.ids_of("trigger").remove(0);
    alex.post(
        &format!("{triggers}/{trigger}/reply"),
        &[("text", "I'm here. Do you want me to sit with you?")],
    )
    .await;

    let patience = format!("{journey}/patience");
    sam.get(&patience).await;
    sam.post(&patience, &[("trust", "4"), ("note", "A quiet week.")])
        .await;
    let log = format!("{journey}/evidence");
    sam.get(&log).await;
    sam.post(
        &log,
        &[("moment", "built"), ("text", "He called when late.")],
    )
    .await;

    let journal = format!("{}/journal", c.space);
    let agreements = format!("{}/agreements", c.space);
    for (who, text) in [(&alex, "Alex's own page."), (&sam, "Sam's own page.")] {
        who.get(&journal).await;
        who.post(&journal, &[("text", text)]).await;
        who.get(&agreements).await;
        who.post(&agreements, &[("text", text)]).await;
    }
    (alex, sam, c.space, journey)
}

async fn confirm(browser: &Browser, path: &str, password: &str, word: &str) -> StatusCode {
    browser.get(path).await;
    browser
        .post(path, &[("current", password), ("confirm", word)])
        .await
        .status
}

#[tokio::test]
async fn leaving_deletes_what_the_leaver_wrote_and_keeps_the_partners_words() {
    on_each_backend(|app| async move {
        let (alex, sam, space, journey) = journey_with_everything(&app).await;
        let (alex_id, sam_id) = (
            person(&app, "alex@example.org").await,
            person(&app, "sam@example.org").await,
        );
        let before_sam = written(&app, sam_id).await;
        let before_alex = written(&app, alex_id).await;
        for table in [
            "questions",
            "feelings",
            "check_ins",
            "evidence",
            "triggers",
            "journal",
            "agreements",
        ] {
            assert_eq!(count(&before_sam, table), 1, "Sam wrote in {table}");
        }
        for table in ["answers", "reflections", "journal", "agreements"] {
            assert_eq!(count(&before_alex, table), 1, "Alex wrote in {table}");
        }

        // Nothing happens without the password and the word.
        assert_eq!(
            confirm(&sam, "/account/leave", "not-the-password-00", "leave").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            confirm(&sam, "/account/leave", PASSWORD, "").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            confirm(&sam, "/account/leave", PASSWORD, "delete").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(written(&app, sam_id).await, before_sam, "nothing changed");

        // Sam leaves.
        let page = sam.get("/account/leave").await;
        assert!(page.contains("Everything you wrote in this space is deleted"));
        let left = sam
            .post(
                "/account/leave",
                &[("current", PASSWORD), ("confirm", "leave")],
            )
            .await;
        assert_eq!(left.status, StatusCode::SEE_OTHER);
        assert_eq!(left.location(), Some("/home"));

        let after_sam = written(&app, sam_id).await;
        for (table, n) in &after_sam {
            assert_eq!(*n, 0, "nothing of Sam's words stays in {table}");
        }
        assert_eq!(
            written(&app, alex_id).await,
            before_alex,
            "Alex's rows all stay"
        );
        let reply: i64 = app
            .store
            .count_for(
                "SELECT COUNT(*) FROM triggers WHERE reply_sealed IS NOT NULL AND person_id = $1",
                sam_id.0,
            )
            .await
            .expect("count");
        assert_eq!(reply, 1, "Alex's reply survives on the wordless signal");

        // Alex can read, sees that the partner left, and can write no more.
        let page = alex.get(&space).await;
        assert!(page.contains("Your partner has left this space."));
        assert!(!page.contains("invite-title"), "no invitation offered");
        let page = alex.get(&journey).await;
        assert!(page.contains("Your partner has left"));
        let page = alex.get(&format!("{journey}/questions")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.contains("Their words were removed when they left; your answer stays."));
        assert!(page.contains("Only my brother knew, and I am sorry."));
        let page = alex.get(&format!("{journey}/feelings")).await;
        assert!(page.contains("Their words were removed when they left; your reflection stays."));
        assert!(page.contains("You keep replaying that evening, and it hurts."));
        assert!(!page.contains("I keep replaying that evening."));
        assert!(!page.contains("Who else knew?"));
        let refused = alex
            .post(&format!("{journey}/questions"), &[("text", "Anything?")])
            .await;
        assert!(refused.status.is_client_error(), "{:?}", refused.status);
        // The space takes no new partner.
        let refused = alex.post(&format!("{space}/invites"), &[]).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.contains("take a new partner"));

        // Sam can begin again.
        assert!(app
            .store
            .membership_of(sam_id)
            .await
            .expect("store")
            .is_none());
        let created = sam.post("/spaces", &[]).await;
        assert!(created.location().expect("a space").starts_with("/spaces/"));
        assert_ne!(created.location(), Some(space.as_str()));
        // And nothing of Sam's old space answers to Sam.
        assert_eq!(sam.get(&journey).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn deleting_destroys_the_person_and_the_email_signs_up_again() {
    on_each_backend(|app| async move {
        let (alex, sam, space, journey) = journey_with_everything(&app).await;
        let (alex_id, sam_id) = (
            person(&app, "alex@example.org").await,
            person(&app, "sam@example.org").await,
        );
        let before_alex = written(&app, alex_id).await;
        assert_eq!(
            confirm(&sam, "/account/delete", PASSWORD, "leave").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            confirm(&sam, "/account/delete", "not-the-password-00", "delete").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert!(app.store.person(sam_id).await.expect("store").is_some());
        assert_eq!(
            sam.get(&journey).await.status,
            StatusCode::OK,
            "still logged in"
        );

        // Two presses at once: the work is done once, and both land on the same page.
        sam.get("/account/delete").await;
        let fields = [("current", PASSWORD), ("confirm", "delete")];
        let (one, two) = tokio::join!(
            sam.post("/account/delete", &fields),
            sam.post("/account/delete", &fields)
        );
        for page in [&one, &two] {
            assert!(
                page.status == StatusCode::SEE_OTHER
                    || page.status == StatusCode::UNAUTHORIZED
                    || page.status.is_redirection(),
                "{:?}",
                page.status
            );
        }
        assert!([&one, &two]
            .iter()
            .any(|p| p.location() == Some("/account/deleted")));
        let page = sam.get("/account/deleted").await;
        assert!(page.contains("Your account is deleted"));

        for (table, n) in written(&app, sam_id).await {
            assert_eq!(n, 0, "nothing of Sam's words stays in {table}");
        }
        assert_eq!(
            written(&app, alex_id).await,
            before_alex,
            "Alex's rows all stay"
        );
        for sql in [
            "SELECT COUNT(*) FROM sessions WHERE person_id = $1",
            "SELECT COUNT(*) FROM safety_checks WHERE person_id = $1",
            "SELECT COUNT(*) FROM password_resets WHERE person_id = $1",
            // Issue 12: the mail queue and verification links.
            "SELECT COUNT(*) FROM mail_jobs WHERE person_id = $1",
            "SELECT COUNT(*) FROM email_verifications WHERE person_id = $1",
        ] {
            assert_eq!(
                app.store.count_for(sql, sam_id.0).await.expect("count"),
                0,
                "{sql}"
            );
        }
        let record = app
            .store
            .person(sam_id)
            .await
            .expect("store")
            .expect("tombstone");
        assert!(record.name.as_bytes().is_empty() && record.email.as_bytes().is_empty());
        assert!(record.wrapped_key.0.as_bytes().is_empty() && record.password_hash.is_empty());

        // The old session is refused; the address signs up again.
        assert_ne!(sam.get(&journey).await.status, StatusCode::OK);
        assert!(alex
            .get(&space)
            .await
            .contains("Your partner has left this space."));
        let again = app.browser();
        again.sign_up_safe("Sam", "sam@example.org", PASSWORD).await;
        let new_id = person(&app, "sam@example.org").await;
        assert_ne!(new_id, sam_id);
        assert_eq!(again.get("/home").await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn the_repairing_partner_leaves_twice_at_once_and_the_partners_response_survives() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "affair", "We are faithful to each other.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let (alex, sam) = (c.alex, c.sam);
        let statement = format!("{journey}/accountability");
        let entry = alex
            .get(&statement)
            .await
            .field("entry")
            .expect("an entry id");
        alex.post(
            &format!("{statement}/send"),
            &[
                ("entry", &entry),
                ("text", "I had an affair. It was my choice."),
            ],
        )
        .await;
        sam.get(&statement).await;
        assert_eq!(
            sam.post(
                &format!("{statement}/{entry}/respond"),
                &[
                    ("response", "something_missing"),
                    ("note", "Say who it hurt.")
                ],
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let ack = format!("{journey}/acknowledge");
        let draft = alex.get(&ack).await.field("entry").expect("an entry id");
        alex.post(
            &format!("{ack}/draft"),
            &[("entry", &draft), ("text", "A draft only I have seen.")],
        )
        .await;
        let alex_id = person(&app, "alex@example.org").await;
        let sam_id = person(&app, "sam@example.org").await;
        assert_eq!(count(&written(&app, alex_id).await, "entries"), 2);
        let before_sam = written(&app, sam_id).await;

        alex.get("/account/leave").await;
        let fields = [("current", PASSWORD), ("confirm", "leave")];
        let (one, two) = tokio::join!(
            alex.post("/account/leave", &fields),
            alex.post("/account/leave", &fields)
        );
        for page in [&one, &two] {
            assert_eq!(
                page.location(),
                Some("/home"),
                "both land where the first did"
            );
        }
        for (table, n) in written(&app, alex_id).await {
            assert_eq!(n, 0, "nothing of Alex's words stays in {table}");
        }
        assert_eq!(
            written(&app, sam_id).await,
            before_sam,
            "Sam's rows all stay"
        );
        let kept = app
            .store
            .count_for(
                "SELECT COUNT(*) FROM entries WHERE author = $1 AND body_sealed IS NULL \
                 AND response_note_sealed IS NOT NULL",
                alex_id.0,
            )
            .await
            .expect("count");
        assert_eq!(kept, 1, "Sam's note stays on the wordless statement");

        let page = sam.get(&statement).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.contains("I had an affair. It was my choice."));
        assert!(!page.contains("/respond\""), "no forms in an ended journey");
        let page = sam.get(&journey).await;
        assert!(page.contains("Your partner has left"));
        let space = app
            .store
            .membership_of(sam_id)
            .await
            .expect("store")
            .expect("Sam stays")
            .space;
        let ended = app.store.breaches(space).await.expect("store");
        assert!(ended
            .iter()
            .all(|b| b.state.ended.map(|e| e.how) == Some(mend_core::Ending::PartnerLeft)));

        // Sam may leave too, and then begin again.
        sam.get("/account/leave").await;
        assert_eq!(
            sam.post("/account/leave", &fields).await.location(),
            Some("/home")
        );
        assert!(app.store.space(space).await.expect("store").is_none());
        assert!(sam.post("/spaces", &[]).await.location().is_some());
    })
    .await;
}

/// What a form sent from a second tab as its writer leaves may come to: stored (303), the
/// journey ended meanwhile (409, the ended page), or the space no longer theirs (404).
fn raced(status: StatusCode) -> bool {
    assert!(
        [
            StatusCode::SEE_OTHER,
            StatusCode::CONFLICT,
            StatusCode::NOT_FOUND
        ]
        .contains(&status),
        "{status:?}"
    );
    status == StatusCode::SEE_OTHER
}

#[tokio::test]
async fn forms_sent_from_a_second_tab_as_someone_leaves_leave_nothing_of_theirs_behind() {
    use std::time::Instant;
    on_each_backend(|app| async move {
        let mut stored = 0;
        let mut refused = 0;
        for round in 0..3 {
            let (alex_email, sam_email) = (
                format!("alex{round}@example.org"),
                format!("sam{round}@example.org"),
            );
            let c = app.couple_as(&alex_email, &sam_email).await;
            let form = breach_form("me", "lie", "We tell each other the truth.", "told");
            let journey = c.alex.record_breach(&c.space, &form).await;
            let (alex, sam) = (c.alex, c.sam);
            let questions = format!("{journey}/questions");
            sam.get(&questions).await;
            sam.post(&questions, &[("text", "Who else knew?")]).await;
            let question = alex.get(&questions).await.ids_of("question").remove(0);
            let answer = format!("{questions}/{question}/answer");
            let (alex_id, sam_id) = (
                person(&app, &alex_email).await,
                person(&app, &sam_email).await,
            );
            let before_alex = written(&app, alex_id).await;

            // How long the leave takes before its transaction (it checks the password):
            // the second tab's forms are spread over nearly twice that time.
            sam.get("/account/leave").await;
            let started = Instant::now();
            let wrong = [("current", "not-the-password-00"), ("confirm", "leave")];
            assert_eq!(
                sam.post("/account/leave", &wrong).await.status,
                StatusCode::UNPROCESSABLE_ENTITY
            );
            let span = started.elapsed();

            let mut tabs = tokio::task::JoinSet::new();
            for k in 0..8u32 {
                let at = span * k / 4;
                for (who, partners, path, fields) in [
                    (
                        &sam,
                        false,
                        questions.clone(),
                        vec![("text", "Anything else?")],
                    ),
                    (
                        &sam,
                        false,
                        format!("{journey}/triggers"),
                        vec![("note", "The song came on.")],
                    ),
                    (
                        &sam,
                        false,
                        format!("{journey}/patience"),
                        vec![("trust", "3"), ("note", "A hard day.")],
                    ),
                    (
                        &sam,
                        false,
                        format!("{}/journal", c.space),
                        vec![("text", "My own page.")],
                    ),
                    (
                        &alex,
                        true,
                        answer.clone(),
                        vec![("text", "Only my brother knew.")],
                    ),
                ] {
                    let who = who.clone();
                    tabs.spawn(async move {
                        tokio::time::sleep(at).await;
                        let page = who.post(&path, &fields).await;
                        (partners, page.status)
                    });
                }
            }
            let fields = [("current", PASSWORD), ("confirm", "leave")];
            let left = sam.post("/account/leave", &fields).await;
            assert_eq!(left.location(), Some("/home"));
            let mut answers = 0;
            while let Some(done) = tabs.join_next().await {
                let (partners, status) = done.expect("a tab");
                if raced(status) {
                    stored += 1;
                    if partners {
                        answers += 1;
                    }
                } else {
                    refused += 1;
                }
            }

            for (table, n) in written(&app, sam_id).await {
                assert_eq!(n, 0, "round {round}: nothing of Sam's stays in {table}");
            }
            let mut expected = before_alex.clone();
            for (table, n) in &mut expected {
                if *table == "answers" {
                    *n += answers;
                }
            }
            assert_eq!(
                written(&app, alex_id).await,
                expected,
                "round {round}: every answer of Alex's that was stored stays"
            );
        }
        eprintln!("{stored} forms stored before the leave, {refused} refused");
    })
    .await;
}
