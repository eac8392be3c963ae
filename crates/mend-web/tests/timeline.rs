//! The timeline and the printable summary over HTTP on every backend: every event in order,
//! the area filter, the chart drawn on the server, and nothing private in either.

use mend_testkit::{breach_form, on_each_backend};
use reqwest::StatusCode;

#[tokio::test]
async fn the_timeline_shows_every_event_in_order_and_filters_by_area() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form(
            "me",
            "affair",
            "We are faithful to each other.",
            "found_out",
        );
        let journey = c.alex.record_breach(&c.space, &form).await;
        let (alex, sam) = (c.alex, c.sam);

        let ack = format!("{journey}/acknowledge");
        let entry = alex.get(&ack).await.field("entry").unwrap();
        alex.post(
            &format!("{ack}/send"),
            &[
                ("entry", &entry),
                ("text", "I had an affair for five months."),
            ],
        )
        .await;
        sam.get(&format!("{journey}/questions")).await;
        sam.post(&format!("{journey}/questions"), &[("text", "Who knew?")])
            .await;
        sam.get(&format!("{journey}/patience")).await;
        for (trust, note) in [("2", "A private thought."), ("4", "")] {
            sam.post(
                &format!("{journey}/patience"),
                &[("trust", trust), ("note", note)],
            )
            .await;
        }
        sam.get(&format!("{journey}/feelings")).await;
        sam.post(
            &format!("{journey}/feelings"),
            &[("word", "numb"), ("intensity", "3")],
        )
        .await;
        sam.get(&format!("{journey}/triggers")).await;
        sam.post(&format!("{journey}/triggers"), &[]).await;

        alex.get(&format!("{journey}/transparency")).await;
        alex.post(
            &format!("{journey}/transparency"),
            &[
                ("text", "I will tell you the same day if they write."),
                ("period", "91"),
            ],
        )
        .await;

        let timeline = format!("{journey}/timeline");
        let page = alex.get(&timeline).await;
        assert_eq!(page.status, StatusCode::OK);
        let order = [
            "The journey began.",
            "The acknowledgement was sent.",
            "A question was asked.",
            "Trust check-in: 2 out of 10.",
            "Trust check-in: 4 out of 10.",
            "A feeling was shared.",
            "A trigger was signalled.",
            "A transparency agreement was offered.",
        ];
        let positions: Vec<usize> = order
            .iter()
            .map(|t| page.body.find(t).unwrap_or_else(|| panic!("{t}")))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "in order");
        assert!(page.contains("<svg") && page.contains("class=\"trust-line\""));
        assert!(
            page.contains("<table class=\"check-ins\">"),
            "the chart's data as a table"
        );
        assert!(
            !page.contains("A private thought."),
            "private notes stay private"
        );
        assert!(!sam.get(&timeline).await.contains("A private thought."));

        let only = alex.get(&format!("{timeline}?area=questions")).await;
        assert!(only.contains("A question was asked."));
        assert!(!only.contains("The acknowledgement was sent."));
        assert!(!only.contains("A trigger was signalled."));
        let honesty = alex.get(&format!("{timeline}?area=honesty")).await;
        assert!(honesty.contains("A transparency agreement was offered."));
        assert!(!honesty.contains("A question was asked."));
        assert!(only.contains("<option value=\"questions\" selected>"));
        assert_eq!(
            alex.get(&format!("{timeline}?area=everything"))
                .await
                .status,
            StatusCode::BAD_REQUEST
        );

        let summary = sam.get(&format!("{journey}/summary")).await;
        assert_eq!(summary.status, StatusCode::OK);
        assert!(summary.contains("Summary for a counselling session"));
        assert!(summary.contains("I had an affair for five months."));
        assert!(summary.contains("<svg"));
        assert!(!summary.contains("A private thought."));
        assert!(summary.contains("Trust check-in: 4 out of 10."));

        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", "lantern-orchid-gravel-71")
            .await;
        assert_eq!(robin.get(&timeline).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            robin.get(&format!("{journey}/summary")).await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn the_summary_keeps_the_whole_statement_and_the_timeline_names_an_addition() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form(
            "me",
            "affair",
            "We are faithful to each other.",
            "found_out",
        );
        let journey = c.alex.record_breach(&c.space, &form).await;
        let (alex, sam) = (c.alex, c.sam);
        let statement = format!("{journey}/accountability");
        for text in [
            "I lied to you for five months. It was my choice.",
            "I also lied to your sister when she asked.",
            "And I made you doubt what you saw.",
        ] {
            let entry = alex.get(&statement).await.field("entry").unwrap();
            let sent = alex
                .post(
                    &format!("{statement}/send"),
                    &[("entry", &entry), ("text", text)],
                )
                .await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "{text}");
        }
        for reader in [&alex, &sam] {
            let summary = reader.get(&format!("{journey}/summary")).await;
            assert_eq!(summary.status, StatusCode::OK);
            let first = summary.body.find("I lied to you for five months.").unwrap();
            let second = summary.body.find("I also lied to your sister").unwrap();
            let third = summary.body.find("And I made you doubt").unwrap();
            assert!(
                first < second && second < third,
                "the whole statement, in order"
            );
            assert_eq!(summary.body.matches("An addition:").count(), 2);

            let timeline = reader.get(&format!("{journey}/timeline")).await;
            assert_eq!(
                timeline
                    .body
                    .matches("The accountability statement was sent.")
                    .count(),
                1
            );
            assert_eq!(
                timeline
                    .body
                    .matches("An addition to the accountability statement was sent.")
                    .count(),
                2
            );
        }
    })
    .await;
}
