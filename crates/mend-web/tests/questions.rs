//! Questions over HTTP on every backend: asking, asking again, the graphic-detail pause,
//! answering with the coach, answering in person, responses, and every refusal.

use mend_testkit::{breach_form, on_each_backend, Browser, TestApp};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

/// Sam (hurt) and Alex (repairing) with one breach; returns both and the questions path.
async fn couple(app: &TestApp) -> (Browser, Browser, String) {
    let c = app.couple().await;
    let form = breach_form(
        "me",
        "affair",
        "We are faithful to each other.",
        "found_out",
    );
    let journey = c.alex.record_breach(&c.space, &form).await;
    (c.sam, c.alex, format!("{journey}/questions"))
}

fn question_ids(page: &mend_testkit::Page) -> Vec<String> {
    page.body
        .split("id=\"question-")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|s| s.len() == 36)
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_hurt_partner_asks_again_and_again_and_each_question_waits_for_an_answer() {
    on_each_backend(|app| async move {
        let (sam, alex, questions) = couple(&app).await;
        assert!(sam.get(&questions).await.contains("No questions yet."));
        assert_eq!(
            sam.post(
                &questions,
                &[("text", "Who else knew?"), ("kind", "secrecy")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );

        let space = questions.split("/breaches/").next().unwrap().to_owned();
        assert!(alex
            .get(&space)
            .await
            .contains("1 question is waiting for your answer (An affair)."));
        let waiting = alex.get(&questions).await;
        assert!(waiting.contains("Who else knew?"));
        assert!(waiting.contains("New since your last visit"));
        assert!(
            !alex
                .get(&questions)
                .await
                .contains("New since your last visit"),
            "seen now"
        );
        assert!(waiting.contains("Waiting for less than an hour."));
        assert!(waiting.contains("does this information help us heal?"));
        assert!(
            !waiting.contains("Ask this again"),
            "only the asker asks again"
        );
        let first = question_ids(&waiting)[0].clone();

        // Asking again links to the earlier ask, and the repairing partner sees the note.
        let page = sam.get(&questions).await;
        assert!(page.contains("Ask this again"));
        sam.post(
            &questions,
            &[("text", "Who else knew?"), ("again_of", &first)],
        )
        .await;
        let twice = alex.get(&questions).await;
        assert!(twice.contains("Asked again. Coming back to a question is part of healing"));
        assert_eq!(question_ids(&twice).len(), 2);
        for word in ["refuse", "already answered", "already asked", "close"] {
            assert!(!twice.body.to_lowercase().contains(word), "{word}");
        }

        // Without JavaScript, the coach's notes come from a check that stores nothing.
        let checked = alex
            .post(
                &format!("{questions}/{first}/answer"),
                &[
                    ("text", "That's not fair, you never asked me."),
                    ("check", "yes"),
                ],
            )
            .await;
        assert_eq!(checked.status, StatusCode::OK);
        assert!(checked.contains("Defending yourself"));
        assert!(checked.contains("you never asked me.</textarea>"));
        assert!(
            !sam.get(&questions).await.contains("you never asked me"),
            "a check sends nothing"
        );
        assert_eq!(
            sam.post(
                &format!("{questions}/{first}/answer"),
                &[("text", "x"), ("check", "yes")]
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );

        // Answering: the coach reads in answer mode; the answer reaches the asker.
        assert!(twice.contains("name=\"mode\" value=\"answer\""));
        let answered = alex
            .post(
                &format!("{questions}/{first}/answer"),
                &[("text", "Only my brother knew, from March.")],
            )
            .await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER);
        // Answered: the answerer's field folds away until more is asked for, and the first
        // button under the answer is not the one that withdraws it.
        let folded = alex.get(&questions).await;
        assert!(folded.contains("<details class=\"add-answer\">"));
        let after = folded
            .body
            .split("Only my brother knew, from March.")
            .nth(1)
            .unwrap();
        let first_button = after.split("<button").nth(1).unwrap();
        assert!(!first_button
            .split("</button>")
            .next()
            .unwrap()
            .contains("Withdraw"));
        assert!(after.contains("Withdraw my answer"));
        assert!(sam
            .get(&space)
            .await
            .contains("1 answer is waiting for your response (An affair)."));
        assert!(
            alex.get(&space)
                .await
                .contains("1 question is waiting for your answer"),
            "the second ask still waits"
        );
        let seen = sam.get(&questions).await;
        assert!(seen.contains("Only my brother knew, from March."));
        let answer = seen
            .body
            .split("id=\"answer-")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        assert_eq!(
            sam.post(
                &format!("{questions}/answers/{answer}/respond"),
                &[("response", "need_more")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        // Each reads it from their own side: the answerer what their partner said, with the
        // answer field open again; the asker what they said.
        let answerer = alex.get(&questions).await;
        assert!(answerer.contains("Your partner said: I need more."));
        assert!(answerer.contains("what is still missing for them?"));
        assert!(!answerer.contains("<details class=\"add-answer\">"));
        let asker = sam.get(&questions).await;
        assert!(asker.contains("You said: I need more."));
        assert!(!asker.contains("Your partner said"));
        assert!(alex
            .get(&space)
            .await
            .contains("Your partner asked for more on 1 answer (An affair)."));

        // The answer can be withdrawn by its author: the asker sees when, not the text, and the
        // question waits again.
        alex.get(&questions).await;
        let withdraw = format!("{questions}/answers/{answer}/withdraw");
        assert_eq!(sam.post(&withdraw, &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            alex.post(&withdraw, &[]).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            alex.post(&withdraw, &[]).await.status,
            StatusCode::SEE_OTHER,
            "twice is once"
        );
        let after = sam.get(&questions).await;
        assert!(!after.contains("Only my brother knew, from March."));
        assert!(after.contains("An answer was withdrawn here <time"));
        assert_eq!(
            sam.post(
                &format!("{questions}/answers/{answer}/respond"),
                &[("response", "helps")]
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );

        // The asker may withdraw a question: the partner sees when, not the text, and it can no
        // longer be answered.
        let third = {
            sam.get(&questions).await;
            sam.post(&questions, &[("text", "Did you delete the messages?")])
                .await;
            question_ids(&sam.get(&questions).await)[2].clone()
        };
        assert_eq!(
            alex.post(&format!("{questions}/{third}/withdraw"), &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        sam.get(&questions).await;
        assert_eq!(
            sam.post(&format!("{questions}/{third}/withdraw"), &[])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            sam.post(&format!("{questions}/{third}/withdraw"), &[])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let gone = alex.get(&questions).await;
        assert!(!gone.contains("Did you delete the messages?"));
        assert!(gone.contains("A question was withdrawn here <time"));
        assert_eq!(
            alex.post(&format!("{questions}/{third}/answer"), &[("text", "No.")])
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // In person keeps the question open, with a note; twice is once.
        let second = question_ids(&twice)[1].clone();
        assert_eq!(
            alex.post(&format!("{questions}/{second}/in-person"), &[])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            alex.post(&format!("{questions}/{second}/in-person"), &[])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let noted = sam.get(&questions).await;
        assert!(noted.contains(
            "would like to answer this in person or with a counsellor. The question stays open."
        ));
        assert!(noted.contains("Waiting for"));
        let mine = alex.get(&questions).await;
        assert!(mine.contains("You asked to answer this in person or with a counsellor."));
        assert!(!mine.contains("Your partner would like to answer this in person"));
    })
    .await;
}

#[tokio::test]
async fn graphic_detail_pauses_once_then_is_asked() {
    on_each_backend(|app| async move {
        let (sam, alex, questions) = couple(&app).await;
        sam.get(&questions).await;
        let paused = sam
            .post(
                &questions,
                &[
                    ("text", "What exactly did you do together?"),
                    ("kind", "graphic"),
                ],
            )
            .await;
        assert_eq!(paused.status, StatusCode::OK);
        assert!(paused.contains("Detailed images can be hard to forget"));
        assert!(paused.contains("name=\"confirmed\" value=\"yes\""));
        assert!(
            alex.get(&questions).await.contains("No questions yet."),
            "nothing asked yet"
        );
        let asked = sam
            .post(
                &questions,
                &[
                    ("text", "What exactly did you do together?"),
                    ("kind", "graphic"),
                    ("confirmed", "yes"),
                ],
            )
            .await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER);
        assert!(alex
            .get(&questions)
            .await
            .contains("What exactly did you do together?"));
    })
    .await;
}

#[tokio::test]
async fn roles_sizes_and_other_journeys_are_enforced() {
    on_each_backend(|app| async move {
        let (sam, alex, questions) = couple(&app).await;
        alex.get(&questions).await;
        assert_eq!(
            alex.post(&questions, &[("text", "Why are you upset?")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        sam.get(&questions).await;
        sam.post(&questions, &[("text", "Where did you meet?")])
            .await;
        let id = question_ids(&sam.get(&questions).await)[0].clone();
        assert_eq!(
            sam.post(&format!("{questions}/{id}/answer"), &[("text", "mine")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            sam.post(&format!("{questions}/{id}/in-person"), &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        let empty = sam.post(&questions, &[("text", "  ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        let long = "?".repeat(5001);
        assert_eq!(
            sam.post(&questions, &[("text", long.as_str())])
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            sam.post(&questions, &[("text", "x"), ("kind", "gossip")])
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            sam.post(&questions, &[("text", "x"), ("again_of", "nope")])
                .await
                .status,
            StatusCode::BAD_REQUEST
        );

        alex.get(&questions).await;
        let unknown = mend_core::QuestionId::new();
        assert_eq!(
            alex.post(
                &format!("{questions}/{unknown}/answer"),
                &[("text", "hello")]
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            alex.post(&format!("{questions}/{id}/answer"), &[("text", " ")])
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(question_ids(&sam.get(&questions).await).len(), 1);

        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", PASSWORD)
            .await;
        assert_eq!(robin.get(&questions).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}
