//! Questions and answers.

use mend_core::store::prelude::*;
use mend_core::Timestamp;

use crate::{couple, each_backend, two_journeys_and_one_elsewhere};

#[tokio::test]
async fn questions_wait_for_answers_within_their_journey() {
    use mend_core::store::{AnswerRecord, BreachRecord, QuestionRecord};
    use mend_core::{AnswerId, BreachId, QuestionId, QuestionKind, Response};
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let mut breaches = Vec::new();
        for _ in 0..2 {
            let id = BreachId::new();
            db.create_breach(
                BreachRecord {
                    id,
                    space: space_id,
                    hurt: sam,
                    repairing: alex,
                    opened_by: sam,
                    details: key.seal(id.0, "breach.details", "{}"),
                    created_at: Timestamp(1),
                    state: Default::default(),
                },
                &[],
            )
            .await
            .unwrap();
            breaches.push(id);
        }
        let (breach, other) = (breaches[0], breaches[1]);
        let first = QuestionId::new();
        let ask = |id: QuestionId, again: Option<QuestionId>, at: i64| QuestionRecord {
            id,
            breach,
            asked_by: sam,
            text: Some(key.seal(id.0, "question.text", "Who else knew?")),
            kind: Some(QuestionKind::Secrecy),
            asked_again_of: again,
            created_at: Timestamp(at),
            in_person_at: None,
            withdrawn_at: None,
        };
        db.create_question(ask(first, None, 2)).await.unwrap();
        let again = QuestionId::new();
        db.create_question(ask(again, Some(first), 3))
            .await
            .unwrap();
        let questions = db.questions(breach).await.unwrap();
        assert_eq!(
            questions.iter().map(|q| q.id).collect::<Vec<_>>(),
            vec![first, again]
        );
        assert_eq!(questions[1].asked_again_of, Some(first));
        assert_eq!(questions[0].kind, Some(QuestionKind::Secrecy));
        assert!(db.questions(other).await.unwrap().is_empty());

        assert!(!db
            .answer_in_person(other, first, Timestamp(4))
            .await
            .unwrap());
        assert!(db
            .answer_in_person(breach, first, Timestamp(4))
            .await
            .unwrap());
        assert!(!db
            .answer_in_person(breach, first, Timestamp(5))
            .await
            .unwrap());

        let answer = |id: AnswerId| AnswerRecord {
            id,
            question: first,
            author: alex,
            body: Some(key.seal(id.0, "answer.body", "Only my brother.")),
            created_at: Timestamp(6),
            withdrawn_at: None,
            response: None,
            responded_at: None,
        };
        let a1 = AnswerId::new();
        assert!(
            !db.create_answer(other, answer(a1)).await.unwrap(),
            "not through another journey"
        );
        assert!(db.create_answer(breach, answer(a1)).await.unwrap());
        assert!(db.answers(other).await.unwrap().is_empty());
        assert!(!db
            .respond(other, a1, Response::ThisHelps, Timestamp(7))
            .await
            .unwrap());
        assert!(db
            .respond(breach, a1, Response::NeedMore, Timestamp(7))
            .await
            .unwrap());
        let answers = db.answers(breach).await.unwrap();
        assert_eq!(
            (answers[0].response, answers[0].responded_at),
            (Some(Response::NeedMore), Some(Timestamp(7)))
        );

        assert!(
            !db.withdraw_answer(breach, a1, sam, Timestamp(8))
                .await
                .unwrap(),
            "only its author"
        );
        assert!(!db
            .withdraw_answer(other, a1, alex, Timestamp(8))
            .await
            .unwrap());
        assert!(db
            .withdraw_answer(breach, a1, alex, Timestamp(8))
            .await
            .unwrap());
        assert!(
            !db.withdraw_answer(breach, a1, alex, Timestamp(9))
                .await
                .unwrap(),
            "once"
        );
        let answers = db.answers(breach).await.unwrap();
        assert_eq!(
            (answers[0].withdrawn_at, answers[0].body.is_none()),
            (Some(Timestamp(8)), true)
        );
        assert!(
            !db.respond(breach, a1, Response::ThisHelps, Timestamp(9))
                .await
                .unwrap(),
            "not to a withdrawn answer"
        );

        assert!(
            !db.withdraw_question(breach, again, alex, Timestamp(10))
                .await
                .unwrap(),
            "only its asker"
        );
        assert!(db
            .withdraw_question(breach, again, sam, Timestamp(10))
            .await
            .unwrap());
        assert!(
            !db.withdraw_question(breach, again, sam, Timestamp(11))
                .await
                .unwrap(),
            "once"
        );
        let q = db.questions(breach).await.unwrap();
        assert_eq!(
            (q[1].withdrawn_at, q[1].text.is_none()),
            (Some(Timestamp(10)), true)
        );
    })
    .await;
}

#[tokio::test]
async fn a_spaces_questions_and_answers_are_read_at_once() {
    use mend_core::store::{AnswerRecord, QuestionRecord};
    use mend_core::{AnswerId, QuestionId};
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let [first, second] = t.journeys;
        let mut questions = Vec::new();
        for (breach, at) in [(first, 2), (t.elsewhere, 3), (second, 1)] {
            let id = QuestionId::new();
            db.create_question(QuestionRecord {
                id,
                breach,
                asked_by: t.sam,
                text: Some(t.key.seal(id.0, "question.text", "Who else knew?")),
                kind: None,
                asked_again_of: None,
                created_at: Timestamp(at),
                in_person_at: None,
                withdrawn_at: None,
            })
            .await
            .unwrap();
            let answer = AnswerId::new();
            assert!(db
                .create_answer(
                    breach,
                    AnswerRecord {
                        id: answer,
                        question: id,
                        author: t.alex,
                        body: Some(t.key.seal(answer.0, "answer.body", "Nobody.")),
                        created_at: Timestamp(at + 10),
                        withdrawn_at: None,
                        response: None,
                        responded_at: None,
                    }
                )
                .await
                .unwrap());
            questions.push(id);
        }
        let found: Vec<_> = db
            .questions_in_space(t.space)
            .await
            .unwrap()
            .iter()
            .map(|q| (q.breach, q.id))
            .collect();
        assert_eq!(found, vec![(second, questions[2]), (first, questions[0])]);
        let found: Vec<_> = db
            .answers_in_space(t.space)
            .await
            .unwrap()
            .iter()
            .map(|a| (a.question, a.created_at))
            .collect();
        assert_eq!(
            found,
            vec![(questions[2], Timestamp(11)), (questions[0], Timestamp(12))]
        );
    })
    .await;
}
