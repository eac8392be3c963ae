//! Endings over HTTP on every backend: closing the chapter is proposed by the hurt partner and
//! agreed by the other; either may part with care; an ended journey stays readable and nothing
//! in it changes any more.

use mend_testkit::{breach_form, on_each_backend};
use reqwest::StatusCode;

#[tokio::test]
async fn closing_the_chapter_needs_the_hurt_partners_proposal_and_the_others_agreement() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "affair", "We are faithful to each other.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let endings = format!("{journey}/endings");
        let choices = format!("{journey}/choices");
        let (alex, sam) = (c.alex, c.sam);

        let page = alex.get(&endings).await;
        assert!(page.contains("Only your partner can propose closing this chapter."));
        assert!(!page.contains("value=\"propose_closing\""));
        assert_eq!(
            alex.post(&choices, &[("change", "propose_closing")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            alex.post(&choices, &[("change", "agree_closing")])
                .await
                .status,
            StatusCode::SEE_OTHER,
            "nothing to agree to yet: nothing changes"
        );
        assert!(!alex.get(&journey).await.contains("This journey ended"));

        sam.get(&endings).await;
        assert_eq!(
            sam.post(
                &choices,
                &[("change", "propose_closing"), ("back", "endings")]
            )
            .await
            .location(),
            Some(endings.as_str())
        );
        assert!(alex
            .get(&c.space)
            .await
            .contains("Your partner has proposed closing this chapter (An affair)."));
        assert_eq!(
            sam.post(&choices, &[("change", "agree_closing")])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "the proposer does not agree with themselves"
        );
        // Taken back, then proposed again.
        sam.post(&choices, &[("change", "withdraw_closing")]).await;
        assert!(alex
            .get(&endings)
            .await
            .contains("Only your partner can propose"));
        sam.post(&choices, &[("change", "propose_closing")]).await;

        let page = alex.get(&endings).await;
        assert!(page.contains("Your partner has proposed closing this chapter."));
        assert_eq!(
            alex.post(
                &choices,
                &[("change", "agree_closing"), ("back", "endings")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let page = sam.get(&journey).await;
        assert!(page.contains("This journey ended <time"));
        assert!(page.contains("you chose together to close this chapter."));
        assert!(!page.contains("Mark as done"), "no more changes offered");
        assert!(
            !sam.get(&c.space).await.contains("(An affair).</a>"),
            "nothing waits"
        );

        // Readable, without forms, and refusing every change.
        for path in [
            "acknowledge",
            "questions",
            "feelings",
            "patience",
            "triggers",
            "evidence",
            "transparency",
            "reassurance",
            "timeline",
            "summary",
        ] {
            for who in [&sam, &alex] {
                let page = who.get(&format!("{journey}/{path}")).await;
                assert_eq!(page.status, StatusCode::OK, "{path}");
                assert!(!page.contains("<textarea"), "{path} offers no writing");
                assert!(!page.contains("type=\"radio\""), "{path} offers no choices");
            }
        }
        sam.get(&journey).await;
        for (path, fields) in [
            ("patience", vec![("trust", "5")]),
            ("questions", vec![("text", "Why?")]),
            ("triggers", vec![]),
            ("feelings", vec![("word", "sad"), ("intensity", "2")]),
            ("areas/acknowledge", vec![("to", "done")]),
            ("choices", vec![("change", "mute_reassurance")]),
            (
                "choices",
                vec![("change", "part_with_care"), ("confirm", "yes")],
            ),
        ] {
            let refused = sam.post(&format!("{journey}/{path}"), &fields).await;
            assert_eq!(refused.status, StatusCode::CONFLICT, "{path}");
            assert!(refused.contains("This journey has ended"), "{path}");
        }
        alex.get(&journey).await;
        let refused = alex
            .post(
                &format!("{journey}/acknowledge/send"),
                &[
                    ("entry", &mend_core::EntryId::new().to_string()),
                    ("text", "More."),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
    })
    .await;
}

#[tokio::test]
async fn either_partner_may_part_with_care_after_confirming() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "lie", "We tell each other the truth.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let choices = format!("{journey}/choices");
        let alex = c.alex;

        let page = alex.get(&format!("{journey}/endings")).await;
        assert!(page.contains("I understand that this ends the journey for both of us."));
        let unconfirmed = alex.post(&choices, &[("change", "part_with_care")]).await;
        assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unconfirmed.contains("Please tick the box"));
        assert!(!alex.get(&journey).await.contains("This journey ended"));

        alex.get(&journey).await;
        assert_eq!(
            alex.post(
                &choices,
                &[("change", "part_with_care"), ("confirm", "yes")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        for who in [&alex, &c.sam] {
            let page = who.get(&journey).await;
            assert!(page.contains("you parted with care."));
        }
        let timeline = c.sam.get(&format!("{journey}/timeline")).await;
        assert!(timeline.contains("The journey ended: you parted with care."));
    })
    .await;
}
