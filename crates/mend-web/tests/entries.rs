//! Written entries over HTTP on every backend — the acknowledgement, the honesty pledge and
//! further disclosures: private drafts with the coach's notes,
//! sending, received, corrections, withdrawal, and every refusal.

use mend_testkit::{breach_form, on_each_backend, Browser, TestApp};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

/// Alex (repairing) and Sam (hurt) with one breach; returns both browsers and the journey path.
async fn journey(app: &TestApp) -> (Browser, Browser, String) {
    let c = app.couple().await;
    let form = breach_form("me", "lie", "We tell each other the truth.", "found_out");
    let journey = c.alex.record_breach(&c.space, &form).await;
    (c.alex, c.sam, journey)
}

#[tokio::test]
async fn a_draft_stays_private_until_sent_then_is_received_and_can_be_corrected() {
    on_each_backend(|app| async move {
        let (alex, sam, journey) = journey(&app).await;
        let ack = format!("{journey}/acknowledge");
        // Each dashboard says what waits for whom.
        let space = journey.split("/breaches/").next().unwrap().to_owned();
        assert!(alex.get(&space).await.contains("Your acknowledgement of what happened (A lie)."));
        assert!(sam.get(&space).await.contains("Nothing is waiting for you right now."));

        let page = alex.get(&ack).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.contains("Your partner found out before you told them."));

        // A draft with slips: the coach's notes show, only to the writer, and nothing is sent.
        let draft = "I'm sorry if you were hurt, but you were never there for me.";
        let entry_field = page.field("entry").unwrap();
        let saved = alex.post(&format!("{ack}/draft"), &[("text", draft), ("entry", &entry_field)]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let mine = alex.get(&ack).await;
        assert!(mine.contains("you were never there for me.</textarea>"));
        assert!(mine.contains("An apology that isn&#39;t one"));
        let theirs = sam.get(&ack).await;
        assert!(!theirs.contains("never there"), "the draft is private");
        assert!(theirs.contains("Nothing has been sent yet."));
        assert!(!theirs.contains("<textarea"), "the hurt partner has no editor");

        // The live autosave answers with a short status.
        let live = alex
            .client
            .post(format!("{}{ack}/draft", app.base))
            .header("hx-request", "true")
            .header("origin", &app.base)
            .form(&[
                ("csrf", alex.csrf().as_str()),
                ("text", "I lied to you for five months about where I was."),
                ("entry", entry_field.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(live.text().await.unwrap(), "Draft saved.");

        // Sending; a double submit of the same form sends once.
        let text = "I lied to you for five months about where I was. It broke our agreement to tell the truth.";
        let form = [("text", text), ("entry", entry_field.as_str())];
        assert_eq!(alex.post(&format!("{ack}/send"), &form).await.status, StatusCode::SEE_OTHER);
        assert_eq!(alex.post(&format!("{ack}/send"), &form).await.status, StatusCode::SEE_OTHER);
        let seen = sam.get(&ack).await;
        assert_eq!(seen.body.matches("It broke our agreement").count(), 1);
        assert!(seen.contains("New since your last visit"));
        assert!(!sam.get(&ack).await.contains("New since your last visit"), "seen now");
        assert!(!alex.get(&ack).await.contains("New since your last visit"), "nothing new from oneself");
        assert!(seen.contains("Not marked as received yet."));
        assert!(seen.contains("Mark as received"));

        // The writer cannot mark it received; the reader cannot withdraw it.
        let entry = seen
            .body
            .split("id=\"entry-")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        assert_eq!(alex.post(&format!("{ack}/{entry}/received"), &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(sam.post(&format!("{ack}/{entry}/withdraw"), &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(sam.post(&format!("{ack}/draft"), &[("text", "not mine to write")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(sam.post(&format!("{ack}/send"), &[("text", "not mine to write")]).await.status, StatusCode::FORBIDDEN);

        assert!(sam.get(&space).await.contains("acknowledgement is here to read (A lie)."));
        assert!(alex.get(&space).await.contains("Nothing is waiting for you right now."));
        sam.get(&ack).await;
        assert_eq!(sam.post(&format!("{ack}/{entry}/received"), &[]).await.status, StatusCode::SEE_OTHER);
        assert!(sam.get(&space).await.contains("Nothing is waiting for you right now."));
        assert_eq!(sam.post(&format!("{ack}/{entry}/received"), &[]).await.status, StatusCode::SEE_OTHER, "twice is once");
        assert!(alex.get(&ack).await.contains("Received <time"));

        // What was sent cannot be edited; more comes as a correction linked to it.
        let after = alex.get(&ack).await;
        assert!(after.contains("A correction or an addition"));
        let next_entry = after.field("entry").unwrap();
        assert_ne!(next_entry, entry_field);
        alex.post(&format!("{ack}/send"), &[("text", "I also hid the messages from you."), ("entry", &next_entry)])
            .await;
        let both = sam.get(&ack).await;
        assert!(both.contains("It broke our agreement") && both.contains("I also hid the messages"));
        assert!(both.contains("This corrects or adds to what was sent before."));

        // Withdrawing leaves a trace for the partner, but not the text.
        alex.get(&ack).await;
        assert_eq!(alex.post(&format!("{ack}/{entry}/withdraw"), &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(alex.post(&format!("{ack}/{entry}/withdraw"), &[]).await.status, StatusCode::CONFLICT);
        let trace = sam.get(&ack).await;
        assert!(!trace.contains("It broke our agreement"));
        assert!(trace.contains("An entry was withdrawn here <time"));
    })
    .await;
}

#[tokio::test]
async fn empty_oversized_and_foreign_requests_change_nothing() {
    on_each_backend(|app| async move {
        let (alex, sam, journey) = journey(&app).await;
        let ack = format!("{journey}/acknowledge");
        alex.get(&ack).await;
        let entry = alex.get(&ack).await.field("entry").unwrap();
        let empty = alex
            .post(
                &format!("{ack}/send"),
                &[("text", "   "), ("entry", &entry)],
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.contains("Please write your acknowledgement before sending it."));
        let long = "I was wrong. ".repeat(1600);
        let too_long = alex
            .post(&format!("{ack}/send"), &[("text", long.as_str())])
            .await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_long.contains("20,000 characters or fewer"));
        assert!(sam.get(&ack).await.contains("Nothing has been sent yet."));

        // Unknown entries, and people outside the space.
        let unknown = format!("{ack}/{}/withdraw", mend_core::EntryId::new());
        assert_eq!(alex.post(&unknown, &[]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            alex.post(&format!("{ack}/nonsense/received"), &[])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", PASSWORD)
            .await;
        assert_eq!(robin.get(&ack).await.status, StatusCode::NOT_FOUND);
        robin.get("/home").await;
        assert_eq!(
            robin
                .post(&format!("{ack}/send"), &[("text", "hello")])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert!(sam.get(&ack).await.contains("Nothing has been sent yet."));
    })
    .await;
}

#[tokio::test]
async fn the_honesty_pledge_and_further_disclosures() {
    on_each_backend(|app| async move {
        let (alex, sam, journey) = journey(&app).await;
        let pledge = format!("{journey}/pledge");
        let page = alex.get(&pledge).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.contains("Honesty pledge"));
        assert!(page.contains("name=\"mode\" value=\"pledge\""));
        let entry = page.field("entry").unwrap();
        // The coach reads a pledge for hedging.
        alex.post(
            &format!("{pledge}/draft"),
            &[
                ("text", "I'll try to be more honest with you."),
                ("entry", &entry),
            ],
        )
        .await;
        assert!(alex.get(&pledge).await.contains("Hedging"));
        alex.post(
            &format!("{pledge}/send"),
            &[
                ("text", "I will tell you the same day if she contacts me."),
                ("entry", &entry),
            ],
        )
        .await;
        let seen = sam.get(&pledge).await;
        assert!(seen.contains("I will tell you the same day"));
        assert!(
            !seen.contains("Mark as received"),
            "a pledge is not marked received"
        );
        assert!(!seen.contains("Not marked as received"));
        assert_eq!(
            sam.post(
                &format!("{pledge}/send"),
                &[("text", "mine"), ("entry", &entry)]
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let pledge_entry = seen
            .body
            .split("id=\"entry-")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        assert_eq!(
            sam.post(&format!("{pledge}/{pledge_entry}/received"), &[])
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // Disclosures: each one stands, dated, after the acknowledgement.
        let ack = format!("{journey}/acknowledge");
        let ack_entry = alex.get(&ack).await.field("entry").unwrap();
        alex.post(
            &format!("{ack}/send"),
            &[("text", "I lied about where I was."), ("entry", &ack_entry)],
        )
        .await;
        let disclosures = format!("{journey}/disclosures");
        for text in [
            "There was a second phone.",
            "I also met her twice in March.",
        ] {
            let entry = alex.get(&disclosures).await.field("entry").unwrap();
            assert_eq!(
                alex.post(
                    &format!("{disclosures}/send"),
                    &[("text", text), ("entry", &entry)]
                )
                .await
                .status,
                StatusCode::SEE_OTHER
            );
        }
        let told = sam.get(&disclosures).await;
        assert!(
            told.contains("There was a second phone.")
                && told.contains("I also met her twice in March.")
        );
        assert_eq!(
            told.body.matches("Told after the acknowledgement.").count(),
            2
        );
        assert_eq!(told.body.matches("Sent <time").count(), 2);
        assert!(!told.contains("<textarea"));

        assert_eq!(
            alex.get(&format!("{journey}/diary")).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(alex.get(&journey).await.contains("Open the honesty pledge"));
    })
    .await;
}

#[tokio::test]
async fn accountability_and_intention_are_written_by_the_repairing_partner_with_the_coach() {
    on_each_backend(|app| async move {
        let (alex, sam, journey) = journey(&app).await;
        for (section, mode, title) in [
            (
                "accountability",
                "accountability",
                "Accountability statement",
            ),
            ("intention", "intention", "The intention"),
        ] {
            let path = format!("{journey}/{section}");
            let page = alex.get(&path).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(page.contains(title));
            assert!(page.contains(&format!("name=\"mode\" value=\"{mode}\"")));
            let entry = page.field("entry").unwrap();
            let text = format!("My {section}: I chose to lie, and it hurt you.");
            let sent = alex
                .post(
                    &format!("{path}/send"),
                    &[("text", text.as_str()), ("entry", &entry)],
                )
                .await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER);
            assert!(sam.get(&path).await.contains(&text));
            assert_eq!(
                sam.post(
                    &format!("{path}/send"),
                    &[("text", "mine"), ("entry", &entry)]
                )
                .await
                .status,
                StatusCode::FORBIDDEN
            );
        }
        assert!(alex
            .get(&journey)
            .await
            .contains("Open the accountability statement"));
    })
    .await;
}

#[tokio::test]
async fn the_acknowledgement_coach_flags_pressure_to_move_on() {
    on_each_backend(|app| async move {
        let (alex, _sam, journey) = journey(&app).await;
        let ack = format!("{journey}/acknowledge");
        let blank = alex.get(&ack).await;
        assert!(
            !blank.contains("Pressure to move on"),
            "no note before a draft"
        );
        let entry = blank.field("entry").unwrap();
        let saved = alex
            .post(
                &format!("{ack}/draft"),
                &[("text", "Can we move on now?"), ("entry", &entry)],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let page = alex.get(&ack).await;
        assert!(
            page.contains("<mark id=\"mark-"),
            "the coach marks the pressure"
        );
        assert!(page.contains("Pressure to move on"));
    })
    .await;
}
