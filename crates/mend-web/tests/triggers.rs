//! "I'm triggered" over HTTP on every backend: one tap by the hurt partner, a reply read by
//! the coach as listening, and every refusal.

use mend_testkit::{breach_form, on_each_backend};
use reqwest::StatusCode;

#[tokio::test]
async fn the_hurt_partner_signals_and_the_repairing_partner_replies_as_a_listener() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form(
            "me",
            "affair",
            "We are faithful to each other.",
            "found_out",
        );
        let journey = c.alex.record_breach(&c.space, &form).await;
        let triggers = format!("{journey}/triggers");
        let (alex, sam) = (c.alex, c.sam);

        sam.get(&triggers).await;
        assert_eq!(
            sam.post(&triggers, &[("note", "The song from that summer came on.")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            sam.post(&triggers, &[]).await.status,
            StatusCode::SEE_OTHER,
            "one tap, no note needed"
        );
        assert_eq!(
            alex.post(&triggers, &[]).await.status,
            StatusCode::FORBIDDEN
        );
        assert!(alex
            .get(&c.space)
            .await
            .contains("Your partner signalled 2 times that they are triggered (An affair)."));

        let page = alex.get(&triggers).await;
        assert!(page.contains("do not defend yourself"));
        assert!(page.contains("The song from that summer came on."));
        assert!(page.contains("name=\"mode\" value=\"reflection\""));
        let id = page
            .body
            .split("id=\"trigger-")
            .nth(2)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        let reply = format!("{triggers}/{id}/reply");

        let checked = alex
            .post(
                &reply,
                &[("text", "You're overreacting to a song."), ("check", "yes")],
            )
            .await;
        assert_eq!(checked.status, StatusCode::OK);
        assert!(checked.contains("Dismissing their feelings"));
        assert!(
            !sam.get(&triggers).await.contains("overreacting"),
            "a check sends nothing"
        );

        assert_eq!(
            alex.post(&reply, &[("text", " ")]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            sam.post(&reply, &[("text", "mine")]).await.status,
            StatusCode::FORBIDDEN
        );
        let text = "I'm here. That song hurts, and I understand why. Do you want me near you?";
        assert_eq!(
            alex.post(&reply, &[("text", text)]).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            alex.post(&reply, &[("text", text)]).await.status,
            StatusCode::SEE_OTHER,
            "a double submit replies once"
        );
        let other = alex.post(&reply, &[("text", "again")]).await;
        assert_eq!(
            other.status,
            StatusCode::CONFLICT,
            "other words are not sent, and said so"
        );
        assert!(other.contains("already has a reply"));
        let seen = sam.get(&triggers).await;
        assert!(seen.contains("Do you want me near you?") && !seen.contains(">again<"));
        assert!(alex
            .get(&c.space)
            .await
            .contains("Your partner signalled that they are triggered (An affair)."));

        let unknown = format!("{triggers}/{}/reply", mend_core::TriggerId::new());
        assert_eq!(
            alex.post(&unknown, &[("text", "hello")]).await.status,
            StatusCode::NOT_FOUND
        );
        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", "lantern-orchid-gravel-71")
            .await;
        assert_eq!(robin.get(&triggers).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}
