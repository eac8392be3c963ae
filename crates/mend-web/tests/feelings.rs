//! Feelings over HTTP on every backend: the hurt partner shares, the repairing partner answers
//! only with reflections until the hurt partner feels heard, and "my side" stays closed on the
//! server until the hurt partner opens it.

use mend_testkit::{breach_form, on_each_backend, Page};
use reqwest::StatusCode;

/// The id in `id="{prefix}..."` on a page, the `nth` one.
fn id_after(page: &Page, prefix: &str, nth: usize) -> String {
    page.body
        .split(&format!("id=\"{prefix}"))
        .nth(nth)
        .and_then(|s| s.split('"').next())
        .expect("the page shows the element")
        .to_owned()
}

#[tokio::test]
async fn a_feeling_is_reflected_until_the_hurt_partner_feels_heard() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "lie", "We tell each other the truth.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let feelings = format!("{journey}/feelings");
        let (alex, sam) = (c.alex, c.sam);

        let page = sam.get(&feelings).await;
        assert!(page.contains("Which words come close?"));
        let id = page
            .field("feeling")
            .expect("the form carries the feeling's id");
        let fields = [
            ("feeling", id.as_str()),
            ("word", "hurt"),
            ("word", "humiliated"),
            ("intensity", "4"),
            ("text", "I keep replaying the evening you lied about."),
        ];
        for _ in 0..2 {
            assert_eq!(
                sam.post(&feelings, &fields).await.status,
                StatusCode::SEE_OTHER,
                "a second click stores nothing more"
            );
        }

        // Bad input changes nothing and says what is wrong.
        for (fields, message) in [
            (vec![("intensity", "3")], "choose at least one word"),
            (
                vec![("word", "fine"), ("intensity", "3")],
                "choose at least one word",
            ),
            (
                vec![("word", "sad"), ("intensity", "9")],
                "how strong the feeling is",
            ),
            (vec![("word", "sad")], "how strong the feeling is"),
        ] {
            let refused = sam.post(&feelings, &fields).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(refused.contains(message), "{message}");
        }
        let long = "x".repeat(5_001);
        let refused = sam
            .post(
                &feelings,
                &[("word", "sad"), ("intensity", "2"), ("text", &long)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            alex.post(&feelings, &[("word", "sad"), ("intensity", "2")])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "feelings are the hurt partner's to share"
        );

        assert!(alex
            .get(&c.space)
            .await
            .contains("1 feeling is waiting for your reflection (A lie)."));
        let page = alex.get(&feelings).await;
        assert!(page.contains("I keep replaying the evening you lied about."));
        assert!(page.contains("Humiliated") && page.contains("Very strongly"));
        assert_eq!(page.body.matches("id=\"feeling-").count(), 1);
        let feeling = id_after(&page, "feeling-", 1);
        let reflect = format!("{feelings}/{feeling}/reflect");

        let checked = alex
            .post(
                &reflect,
                &[
                    (
                        "text",
                        "I hear you, but you have to understand I was scared.",
                    ),
                    ("check", "yes"),
                ],
            )
            .await;
        assert_eq!(checked.status, StatusCode::OK);
        assert!(
            checked.contains("<mark id=\"mark-"),
            "the coach reads the reflection"
        );
        assert!(
            !sam.get(&feelings).await.contains("I was scared"),
            "a check sends nothing"
        );
        assert_eq!(
            alex.post(&reflect, &[("text", "  ")]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            sam.post(&reflect, &[("text", "mine")]).await.status,
            StatusCode::FORBIDDEN
        );
        let first = "You keep going back to that evening, and it humiliates you.";
        assert_eq!(
            alex.post(&reflect, &[("text", first)]).await.status,
            StatusCode::SEE_OTHER
        );
        // A second reflection before the hurt partner answers is not possible, and is said.
        let second = alex.post(&reflect, &[("text", "And one more.")]).await;
        assert_eq!(second.status, StatusCode::CONFLICT);
        let page = sam.get(&feelings).await;
        assert!(page.contains(first) && !page.contains("And one more."));
        assert!(sam
            .get(&c.space)
            .await
            .contains("1 reflection is waiting for your answer (A lie)."));
        let reflection = id_after(&page, "reflection-", 1);
        let answer = format!("{feelings}/reflections/{reflection}/answer");
        assert_eq!(
            alex.post(&answer, &[("verdict", "heard")]).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            sam.post(&answer, &[("verdict", "maybe")]).await.status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            sam.post(
                &answer,
                &[
                    ("verdict", "not_yet"),
                    ("missed", "That I felt stupid for believing you.")
                ]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            sam.post(
                &answer,
                &[
                    ("verdict", "not_yet"),
                    ("missed", "That I felt stupid for believing you.")
                ]
            )
            .await
            .status,
            StatusCode::SEE_OTHER,
            "answered already: a double submit changes nothing"
        );
        let other = sam.post(&answer, &[("verdict", "heard")]).await;
        assert_eq!(
            other.status,
            StatusCode::CONFLICT,
            "another answer to an answered reflection is not kept, and says so"
        );
        assert!(other.contains("this one was not kept"));
        let page = alex.get(&feelings).await;
        assert!(page.contains("That I felt stupid for believing you."));
        assert!(page.contains("Not yet."));
        let second = "You felt foolish for trusting me, and that was my doing, not yours.";
        assert_eq!(
            alex.post(&reflect, &[("text", second)]).await.status,
            StatusCode::SEE_OTHER
        );
        let page = sam.get(&feelings).await;
        let reflection = id_after(&page, "reflection-", 2);
        assert_eq!(
            sam.post(
                &format!("{feelings}/reflections/{reflection}/answer"),
                &[("verdict", "heard")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let page = alex.get(&feelings).await;
        assert!(page.contains("I feel heard.") && page.contains("Heard."));
        assert!(
            !page.contains("id=\"reflection-text-"),
            "heard: no more reflections asked"
        );
        assert!(!alex
            .get(&c.space)
            .await
            .contains("waiting for your reflection"));

        // Withdrawing: a reflection by its author (the feeling waits for one again), a feeling
        // by the hurt partner; the other sees that and when, not the words.
        sam.post(
            &feelings,
            &[
                ("word", "anxious"),
                ("intensity", "2"),
                ("text", "Tonight."),
            ],
        )
        .await;
        let page = alex.get(&feelings).await;
        let newest = id_after(&page, "feeling-", 1);
        alex.post(
            &format!("{feelings}/{newest}/reflect"),
            &[("text", "You are anxious about tonight.")],
        )
        .await;
        let page = alex.get(&feelings).await;
        let reflection = id_after(&page, "reflection-", 1);
        let withdraw = format!("{feelings}/reflections/{reflection}/withdraw");
        sam.get(&feelings).await;
        assert_eq!(sam.post(&withdraw, &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            alex.post(&withdraw, &[]).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            alex.post(&withdraw, &[]).await.status,
            StatusCode::SEE_OTHER,
            "once"
        );
        let page = sam.get(&feelings).await;
        assert!(page.contains("A reflection was withdrawn here <time"));
        assert!(!page.contains("You are anxious about tonight."));
        assert!(alex
            .get(&c.space)
            .await
            .contains("1 feeling is waiting for your reflection"));
        let withdraw_feeling = format!("{feelings}/{newest}/withdraw");
        alex.get(&feelings).await;
        assert_eq!(
            alex.post(&withdraw_feeling, &[]).await.status,
            StatusCode::FORBIDDEN
        );
        sam.get(&feelings).await;
        assert_eq!(
            sam.post(&withdraw_feeling, &[]).await.status,
            StatusCode::SEE_OTHER
        );
        let page = alex.get(&feelings).await;
        assert!(page.contains("A feeling shared here was withdrawn <time"));
        assert!(!page.contains("Tonight."));
        assert!(!alex
            .get(&c.space)
            .await
            .contains("waiting for your reflection"));
        assert_eq!(
            alex.post(
                &format!("{feelings}/{newest}/reflect"),
                &[("text", "Still here.")]
            )
            .await
            .status,
            StatusCode::CONFLICT
        );

        let unknown = format!("{feelings}/{}/reflect", mend_core::FeelingId::new());
        assert_eq!(
            alex.post(&unknown, &[("text", "hello")]).await.status,
            StatusCode::NOT_FOUND
        );
        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", "lantern-orchid-gravel-71")
            .await;
        assert_eq!(robin.get(&feelings).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn my_side_stays_closed_until_the_hurt_partner_opens_it() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form(
            "me",
            "financial",
            "We decide big spending together.",
            "told",
        );
        let journey = c.alex.record_breach(&c.space, &form).await;
        let my_side = format!("{journey}/my-side");
        let choices = format!("{journey}/choices");
        let (alex, sam) = (c.alex, c.sam);

        let closed = alex.get(&my_side).await;
        assert_eq!(closed.status, StatusCode::FORBIDDEN);
        assert!(closed.contains("stays closed until the partner who was hurt chooses"));
        assert_eq!(sam.get(&my_side).await.status, StatusCode::FORBIDDEN);
        alex.get(&format!("{journey}/feelings")).await;
        for path in ["draft", "send"] {
            let refused = alex
                .post(
                    &format!("{my_side}/{path}"),
                    &[
                        ("entry", &mend_core::EntryId::new().to_string()),
                        ("text", "My view."),
                    ],
                )
                .await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(
            alex.post(&choices, &[("change", "open_my_side")])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "only the hurt partner opens it"
        );

        sam.get(&format!("{journey}/feelings")).await;
        let opened = sam
            .post(
                &choices,
                &[("change", "open_my_side"), ("back", "feelings")],
            )
            .await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER);
        assert_eq!(
            opened.location(),
            Some(format!("{journey}/feelings").as_str())
        );
        assert_eq!(
            sam.post(&choices, &[("change", "open_my_side")])
                .await
                .status,
            StatusCode::SEE_OTHER,
            "opening twice changes nothing"
        );
        let page = alex.get(&my_side).await;
        assert_eq!(page.status, StatusCode::OK);
        let entry = page.field("entry").expect("a draft form");
        let text = "I was ashamed of the debt and hid it; that was my choice.";
        assert_eq!(
            alex.post(
                &format!("{my_side}/send"),
                &[("entry", &entry), ("text", text)]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        assert!(sam.get(&my_side).await.contains(text));

        // Wherever "back" points, a choice only ever returns inside the journey.
        let elsewhere = sam
            .post(
                &choices,
                &[("change", "open_context"), ("back", "//evil.example/")],
            )
            .await;
        assert_eq!(elsewhere.location(), Some(journey.as_str()));
        assert_eq!(
            sam.post(&choices, &[("change", "fly")]).await.status,
            StatusCode::BAD_REQUEST
        );
    })
    .await;
}
