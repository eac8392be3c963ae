//! Recording a breach, the journey page, and who may mark its areas — over HTTP on every
//! backend.

use mend_core::store::prelude::*;
use mend_core::BreachId;
use mend_testkit::{on_each_backend, Browser, TestApp};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

/// Alex and Sam, partners in one space; returns their browsers and the space path.
async fn couple(app: &TestApp) -> (Browser, Browser, String) {
    let c = app.couple().await;
    (c.alex, c.sam, c.space)
}

fn breach_form<'a>(who: &'a str, agreement: &'a str, light: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("who", who),
        ("kind", "financial"),
        ("agreement", agreement),
        ("began", "2024-03"),
        ("ended", "2025-01"),
        ("came_to_light_on", "2025-05"),
        ("came_to_light", light),
    ]
}

#[tokio::test]
async fn the_repairing_partner_records_a_breach_and_only_the_hurt_partner_marks_areas() {
    on_each_backend(|app| async move {
        let (alex, sam, space) = couple(&app).await;
        alex.get(&format!("{space}/breaches/new")).await;
        let created = alex
            .post(
                &format!("{space}/breaches"),
                &breach_form("me", "We decide on big spending together.", "found_out"),
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER);
        let journey = created.location().unwrap().to_owned();

        let mine = alex.get(&journey).await;
        assert!(mine.contains("You are the partner who is repairing."));
        assert!(mine.contains("We decide on big spending together."));
        assert!(mine.contains("About 14 months passed"));
        assert!(mine.contains("Your partner found out before you told them."));
        // Each visit opens on the seven areas; the facts both know are a click away below.
        let (areas, facts) = (
            mine.body.find("id=\"areas-title\"").unwrap(),
            mine.body
                .find("<details class=\"card journey-facts\">")
                .unwrap(),
        );
        assert!(areas < facts, "the areas come before the facts");
        assert!(
            !mine.contains("Mark as done"),
            "no button for the repairing partner"
        );

        let theirs = sam.get(&journey).await;
        assert!(theirs.contains("You are the partner who was hurt."));
        assert!(theirs.contains("You found out before you were told."));
        assert!(theirs.contains("Mark as done"));
        let space_page = sam.get(&space).await;
        assert!(space_page.contains("Money kept secret"));

        let area = format!("{journey}/areas/acknowledge");
        let refused = alex.post(&area, &[("to", "done")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.contains("Only the partner who was hurt can change this."));
        assert!(sam
            .get(&journey)
            .await
            .body
            .contains("id=\"area-acknowledge\" class=\"area status-in_progress\""));

        sam.get(&journey).await;
        assert_eq!(
            sam.post(&area, &[("to", "done")]).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            sam.post(&area, &[("to", "done")]).await.status,
            StatusCode::SEE_OTHER,
            "double submit"
        );
        let after = alex.get(&journey).await;
        assert!(after.contains("id=\"area-acknowledge\" class=\"area status-done\""));
        assert_eq!(
            alex.post(&area, &[("to", "in_progress")]).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            sam.post(&area, &[("to", "in_progress")]).await.status,
            StatusCode::SEE_OTHER
        );
        assert!(alex
            .get(&journey)
            .await
            .contains("id=\"area-acknowledge\" class=\"area status-in_progress\""));

        // Odd requests are refused and change nothing.
        assert_eq!(
            sam.post(&area, &[("to", "not_started")]).await.status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            sam.post(&area, &[("to", "finished")]).await.status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            sam.post(&format!("{journey}/areas/nope"), &[("to", "done")])
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // The agreement is sealed in the database.
        let space_id = space.trim_start_matches("/spaces/").parse().unwrap();
        let breach_id: BreachId = journey.rsplit('/').next().unwrap().parse().unwrap();
        let stored = app
            .store
            .breach(space_id, breach_id)
            .await
            .unwrap()
            .unwrap();
        assert!(!String::from_utf8_lossy(stored.details.as_bytes()).contains("spending"));
    })
    .await;
}

#[tokio::test]
async fn a_breach_opened_by_the_hurt_partner_asks_for_the_acknowledgement() {
    on_each_backend(|app| async move {
        let (alex, sam, space) = couple(&app).await;
        sam.get(&format!("{space}/breaches/new")).await;
        let journey = sam
            .post(
                &format!("{space}/breaches"),
                &breach_form("partner", "No secret accounts.", "told"),
            )
            .await
            .location()
            .unwrap()
            .to_owned();
        let repairing = alex.get(&journey).await;
        assert!(repairing
            .contains("Your partner recorded this. The journey begins with your acknowledgement"));
        assert!(!repairing.contains("found out before"));
        assert!(sam.get(&journey).await.contains("Mark as done"));
    })
    .await;
}

#[tokio::test]
async fn bad_breach_forms_explain_themselves_and_record_nothing() {
    on_each_backend(|app| async move {
        let (alex, _sam, space) = couple(&app).await;
        alex.get(&format!("{space}/breaches/new")).await;
        let long = "x".repeat(2001);
        let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
            (
                breach_form("", "An agreement", "told"),
                "Please say who broke the agreement.",
            ),
            (
                breach_form("me", "   ", "told"),
                "Please name the agreement that was broken.",
            ),
            (
                breach_form("me", &long, "told"),
                "2,000 characters or fewer",
            ),
            (
                breach_form("me", "An agreement", "sometime"),
                "Please say how it came to light.",
            ),
            (
                vec![
                    ("who", "me"),
                    ("kind", "affair"),
                    ("agreement", "A"),
                    ("began", "March"),
                    ("came_to_light_on", "2025-01"),
                    ("came_to_light", "told"),
                ],
                "such as 2025-03",
            ),
            (
                vec![
                    ("who", "me"),
                    ("kind", "affair"),
                    ("agreement", "A"),
                    ("began", "2025-03"),
                    ("came_to_light_on", "2025-01"),
                    ("came_to_light", "told"),
                ],
                "It can&#39;t have come to light before it began.",
            ),
        ];
        for (form, message) in cases {
            let page = alex.post(&format!("{space}/breaches"), &form).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
            assert!(page.contains(message), "{message}");
        }
        let space_id = space.trim_start_matches("/spaces/").parse().unwrap();
        assert!(app.store.breaches(space_id).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn breaches_wait_for_the_partner_and_stay_within_their_space() {
    on_each_backend(|app| async move {
        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", PASSWORD)
            .await;
        robin.get("/home").await;
        let alone = robin
            .post("/spaces", &[])
            .await
            .location()
            .unwrap()
            .to_owned();
        let waits = robin.get(&format!("{alone}/breaches/new")).await;
        assert_eq!(waits.status, StatusCode::CONFLICT);
        assert!(waits.contains("Your partner hasn&#39;t joined yet"));
        assert_eq!(
            robin
                .post(
                    &format!("{alone}/breaches"),
                    &breach_form("me", "A", "told")
                )
                .await
                .status,
            StatusCode::CONFLICT
        );

        let (alex, _sam, space) = couple(&app).await;
        alex.get(&format!("{space}/breaches/new")).await;
        let journey = alex
            .post(
                &format!("{space}/breaches"),
                &breach_form("me", "A promise", "told"),
            )
            .await
            .location()
            .unwrap()
            .to_owned();
        // Robin reaches none of it, and a wrong breach id is not found either.
        assert_eq!(robin.get(&journey).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            robin
                .post(&format!("{journey}/areas/acknowledge"), &[("to", "done")])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let borrowed = journey.replace(&space, &alone);
        assert_eq!(robin.get(&borrowed).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            alex.get(&format!("{space}/breaches/{}", BreachId::new()))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            alex.get(&format!("{space}/breaches/not-an-id"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn each_area_has_a_guidance_page() {
    on_each_backend(|app| async move {
        let browser = app.browser();
        for area in [
            "acknowledge",
            "honesty",
            "questions",
            "feelings",
            "patience",
            "responsibility",
            "intention",
        ] {
            let page = browser.get(&format!("/guide/{area}")).await;
            assert_eq!(page.status, StatusCode::OK, "{area}");
            assert!(page.contains("What to avoid"));
        }
        assert_eq!(
            browser.get("/guide/everything").await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn an_area_begins_with_the_first_thing_done_in_it() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = mend_testkit::breach_form("me", "lie", "We tell each other the truth.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let status = |page: &mend_testkit::Page, area: &str| {
            page.body
                .split(&format!("id=\"area-{area}\" class=\"area status-"))
                .nth(1)
                .and_then(|s| s.split('"').next())
                .map(str::to_owned)
        };
        let page = c.sam.get(&journey).await;
        assert_eq!(status(&page, "questions").as_deref(), Some("not_started"));
        assert_eq!(status(&page, "feelings").as_deref(), Some("not_started"));
        c.sam.get(&format!("{journey}/questions")).await;
        c.sam
            .post(
                &format!("{journey}/questions"),
                &[("text", "Who else knew?")],
            )
            .await;
        let page = c.sam.get(&journey).await;
        assert_eq!(status(&page, "questions").as_deref(), Some("in_progress"));
        assert_eq!(status(&page, "feelings").as_deref(), Some("not_started"));
        // Done stays done: later activity does not reopen what the hurt partner closed.
        c.sam
            .post(&format!("{journey}/areas/questions"), &[("to", "done")])
            .await;
        c.sam.get(&format!("{journey}/questions")).await;
        c.sam
            .post(&format!("{journey}/questions"), &[("text", "And when?")])
            .await;
        let page = c.sam.get(&journey).await;
        assert_eq!(status(&page, "questions").as_deref(), Some("done"));
    })
    .await;
}
