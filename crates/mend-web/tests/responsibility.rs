//! Responsibility over HTTP on every backend: the hurt partner responds to the accountability
//! statement, and opens the context conversation in which both partners write.

use mend_testkit::{breach_form, on_each_backend};
use reqwest::StatusCode;

#[tokio::test]
async fn the_hurt_partner_responds_to_the_accountability_statement() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "affair", "We are faithful to each other.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let statement = format!("{journey}/accountability");
        let (alex, sam) = (c.alex, c.sam);

        let page = alex.get(&statement).await;
        let entry = page.field("entry").unwrap();
        let text = "I had an affair. It broke your trust and our promise. It was my choice.";
        alex.post(
            &format!("{statement}/send"),
            &[("entry", &entry), ("text", text)],
        )
        .await;
        assert!(sam
            .get(&c.space)
            .await
            .contains("accountability statement is here, when you want to respond"));
        let page = sam.get(&statement).await;
        assert!(page.contains("This feels genuine") && page.contains("Something is missing"));
        let respond = format!("{statement}/{entry}/respond");
        assert_eq!(
            alex.post(&respond, &[("response", "feels_genuine")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            sam.post(&respond, &[("response", "perfect")]).await.status,
            StatusCode::BAD_REQUEST
        );
        let long = "x".repeat(20_001);
        assert_eq!(
            sam.post(
                &respond,
                &[("response", "something_missing"), ("note", &long)]
            )
            .await
            .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            sam.post(
                &respond,
                &[
                    ("response", "something_missing"),
                    ("note", "What it did to the children.")
                ]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let page = alex.get(&statement).await;
        assert!(
            page.contains("Something is missing") && page.contains("What it did to the children.")
        );
        assert!(!page.contains("/respond\""), "the writer cannot respond");
        assert!(alex.get(&c.space).await.contains(
            "Your partner feels something is missing from your accountability statement"
        ));
        // A response may change later.
        assert_eq!(
            sam.post(&respond, &[("response", "feels_genuine")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let page = alex.get(&statement).await;
        assert!(
            page.contains("This feels genuine") && !page.contains("What it did to the children.")
        );

        // Only sent accountability statements take a response; others are not found.
        let ack = format!("{journey}/acknowledge");
        let page = alex.get(&ack).await;
        let ack_entry = page.field("entry").unwrap();
        alex.post(
            &format!("{ack}/send"),
            &[("entry", &ack_entry), ("text", "I lied.")],
        )
        .await;
        sam.get(&ack).await;
        assert_eq!(
            sam.post(
                &format!("{ack}/{ack_entry}/respond"),
                &[("response", "feels_genuine")]
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn both_write_in_the_context_conversation_once_the_hurt_partner_opens_it() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "affair", "We are faithful to each other.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let context = format!("{journey}/context");
        let (alex, sam) = (c.alex, c.sam);

        assert_eq!(alex.get(&context).await.status, StatusCode::FORBIDDEN);
        assert_eq!(sam.get(&context).await.status, StatusCode::FORBIDDEN);
        let page = sam.get(&journey).await;
        assert!(page.contains("Open the context conversation"));
        assert!(!alex
            .get(&journey)
            .await
            .contains("Open the context conversation"));
        alex.get(&journey).await;
        assert_eq!(
            alex.post(&format!("{journey}/choices"), &[("change", "open_context")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        sam.get(&journey).await;
        let opened = sam
            .post(
                &format!("{journey}/choices"),
                &[("change", "open_context"), ("back", "context")],
            )
            .await;
        assert_eq!(opened.location(), Some(context.as_str()));

        for (who, text) in [
            (&sam, "We stopped talking to each other long before."),
            (
                &alex,
                "I stopped telling you when I felt alone, and that was mine to say.",
            ),
        ] {
            let page = who.get(&context).await;
            let entry = page.field("entry").expect("both partners write here");
            assert_eq!(
                who.post(
                    &format!("{context}/send"),
                    &[("entry", &entry), ("text", text)]
                )
                .await
                .status,
                StatusCode::SEE_OTHER
            );
        }
        let page = sam.get(&context).await;
        assert!(page.contains("You wrote:") && page.contains("Your partner wrote:"));
        assert!(
            !page.contains("/coach/review") && !page.contains("coach-heading"),
            "the coach never reads the hurt partner's words"
        );
        let theirs = alex.get(&context).await;
        assert!(theirs.contains("/coach/review") && theirs.contains("coach-heading"));
        assert!(page.contains("We stopped talking") && page.contains("felt alone"));
    })
    .await;
}
