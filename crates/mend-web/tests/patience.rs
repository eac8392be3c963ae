//! Trust check-ins and the chart over HTTP on every backend.

use mend_testkit::{breach_form, on_each_backend};
use reqwest::StatusCode;

#[tokio::test]
async fn the_hurt_partner_checks_in_and_both_see_the_chart() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form(
            "me",
            "affair",
            "We are faithful to each other.",
            "found_out",
        );
        let journey = c.alex.record_breach(&c.space, &form).await;
        let patience = format!("{journey}/patience");
        let (alex, sam) = (c.alex, c.sam);

        assert!(sam.get(&patience).await.contains("No check-ins yet."));
        for (trust, note) in [("2", "A hard week."), ("4", ""), ("3", "")] {
            assert_eq!(
                sam.post(&patience, &[("trust", trust), ("note", note)])
                    .await
                    .status,
                StatusCode::SEE_OTHER
            );
        }
        let mine = sam.get(&patience).await;
        assert!(mine.contains("<svg") && mine.contains("class=\"trust-line\""));
        assert_eq!(mine.body.matches("class=\"trust-dot\"").count(), 3);
        assert!(mine.contains("A line chart of 3 check-ins"));
        assert!(
            mine.contains("A hard week."),
            "the hurt partner sees their own note"
        );

        let theirs = alex.get(&patience).await;
        assert_eq!(theirs.body.matches("class=\"trust-dot\"").count(), 3);
        assert!(
            !theirs.contains("A hard week."),
            "notes stay with the hurt partner"
        );
        assert!(
            !theirs.contains("name=\"trust\""),
            "nothing lets the repairing partner check in"
        );
        assert_eq!(
            alex.post(&patience, &[("trust", "10")]).await.status,
            StatusCode::FORBIDDEN
        );

        sam.get(&patience).await;
        for bad in ["11", "-1", "", "ten"] {
            assert_eq!(
                sam.post(&patience, &[("trust", bad)]).await.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{bad}"
            );
        }
        let long = "a".repeat(2001);
        assert_eq!(
            sam.post(&patience, &[("trust", "5"), ("note", long.as_str())])
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            sam.get(&patience)
                .await
                .body
                .matches("class=\"trust-dot\"")
                .count(),
            3
        );

        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", "lantern-orchid-gravel-71")
            .await;
        assert_eq!(robin.get(&patience).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}
