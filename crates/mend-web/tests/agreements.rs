//! Agreements over HTTP on every backend: proposed by one partner, answered by the other,
//! changed only by both.

use mend_testkit::{on_each_backend, Browser, TestApp};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

async fn couple(app: &TestApp) -> (Browser, Browser, String) {
    let c = app.couple().await;
    let agreements = format!("{}/agreements", c.space);
    (c.alex, c.sam, agreements)
}

fn first_id(page: &mend_testkit::Page, action: &str) -> String {
    page.body
        .split("action=\"")
        .find(|s| s.contains(&format!("/{action}\"")))
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.rsplit('/').nth(1))
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_proposal_holds_once_the_other_partner_accepts_and_changes_need_both() {
    on_each_backend(|app| async move {
        let (alex, sam, agreements) = couple(&app).await;
        assert!(alex
            .get(&agreements)
            .await
            .contains("You have no written agreements yet."));
        let text = "We tell each other the same day about any spending over 300.";
        assert_eq!(
            alex.post(&agreements, &[("text", text)]).await.status,
            StatusCode::SEE_OTHER
        );

        let mine = alex.get(&agreements).await;
        assert!(mine.contains("Your proposals, waiting for your partner"));
        let id = first_id(&mine, "withdraw");
        assert_eq!(
            alex.post(&format!("{agreements}/{id}/accept"), &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        let theirs = sam.get(&agreements).await;
        assert!(theirs.contains("Waiting for your answer") && theirs.contains(text));
        assert_eq!(
            sam.post(&format!("{agreements}/{id}/withdraw"), &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            sam.post(&format!("{agreements}/{id}/accept"), &[])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            sam.post(&format!("{agreements}/{id}/accept"), &[])
                .await
                .status,
            StatusCode::CONFLICT,
            "once"
        );
        let agreed = alex.get(&agreements).await;
        assert!(agreed.contains("Agreed <time"));

        // A change is a new proposal; the agreement holds until the other accepts the change.
        let form = sam.get(&format!("{agreements}?revise={id}")).await;
        assert!(form.contains("Proposing a change to:"));
        let changed = "We tell each other the same day about any spending over 150.";
        sam.post(&agreements, &[("text", changed), ("revises", &id)])
            .await;
        let pending = alex.get(&agreements).await;
        assert!(pending.contains("A proposed change to an agreement you already have."));
        assert!(pending.contains("over 300.") && pending.contains("over 150."));
        let change_id = first_id(&pending, "accept");
        alex.post(&format!("{agreements}/{change_id}/accept"), &[])
            .await;
        let now = sam.get(&agreements).await;
        assert!(
            now.contains("over 150.") && !now.contains("over 300."),
            "the old one is superseded"
        );

        // A breach can name one of the written agreements instead of describing it again.
        let space = agreements.trim_end_matches("/agreements").to_owned();
        let form = alex.get(&format!("{space}/breaches/new")).await;
        assert!(form.contains("Was it one of the agreements you wrote down?"));
        let agreed = form
            .body
            .split("id=\"agreement_id\"")
            .nth(1)
            .and_then(|s| s.split("<option value=\"").nth(2))
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        let posted = alex
            .post(
                &format!("{space}/breaches"),
                &[
                    ("who", "me"),
                    ("kind", "financial"),
                    ("agreement_id", agreed.as_str()),
                    ("agreement", ""),
                    ("began", "2025-01"),
                    ("came_to_light_on", "2025-03"),
                    ("came_to_light", "told"),
                ],
            )
            .await;
        let journey = posted
            .location()
            .unwrap_or_else(|| {
                panic!(
                    "{agreed} {} {}",
                    posted.status,
                    &posted
                        .body
                        .split("form-errors")
                        .nth(1)
                        .unwrap_or("")
                        .chars()
                        .take(400)
                        .collect::<String>()
                )
            })
            .to_owned();
        assert!(
            alex.get(&journey).await.contains("spending over 150."),
            "{agreed}"
        );
    })
    .await;
}

#[tokio::test]
async fn bad_proposals_and_foreign_requests_change_nothing() {
    on_each_backend(|app| async move {
        let (alex, sam, agreements) = couple(&app).await;
        alex.get(&agreements).await;
        let empty = alex.post(&agreements, &[("text", "  ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.contains("Please write the agreement before proposing it."));
        let long = "a".repeat(2001);
        let too_long = alex.post(&agreements, &[("text", long.as_str())]).await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            alex.post(&agreements, &[("text", "x"), ("revises", "nope")])
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            alex.post(
                &agreements,
                &[
                    ("text", "x"),
                    ("revises", &mend_core::AgreementId::new().to_string())
                ]
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            alex.post(
                &format!("{agreements}/{}/accept", mend_core::AgreementId::new()),
                &[]
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert!(sam
            .get(&agreements)
            .await
            .contains("You have no written agreements yet."));
        assert!(!sam
            .get(&agreements)
            .await
            .contains("Waiting for your answer"));

        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", PASSWORD)
            .await;
        assert_eq!(robin.get(&agreements).await.status, StatusCode::NOT_FOUND);
        robin.get("/home").await;
        assert_eq!(
            robin.post(&agreements, &[("text", "mine")]).await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}
