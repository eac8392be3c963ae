//! Leaving a space and deleting an account: all or nothing, the partner's words kept, and a
//! second request that finds nothing to do.

use mend_core::store::prelude::*;
use mend_core::store::{AgreementRecord, AnswerRecord, Departure, QuestionRecord};
use mend_core::{AgreementId, AgreementState, AnswerId, Ending, QuestionId, Timestamp};

use crate::{breach, couple, each_backend, invite, person, server_key, space};

#[tokio::test]
async fn leaving_keeps_the_partners_answer_under_a_wordless_question() {
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let code = invite(&db, space_id, alex, "code", 1_000).await;
        db.accept_invite(code, sam, Timestamp(30)).await.unwrap();
        let journey = breach(&db, space_id, sam, alex).await;
        let ask = |id: QuestionId| QuestionRecord {
            id,
            breach: journey,
            asked_by: sam,
            text: Some(key.seal(id.0, "question.text", "Who else knew?")),
            kind: None,
            asked_again_of: None,
            created_at: Timestamp(2),
            in_person_at: None,
            withdrawn_at: None,
        };
        let (answered, unanswered) = (QuestionId::new(), QuestionId::new());
        db.create_question(ask(answered)).await.unwrap();
        db.create_question(ask(unanswered)).await.unwrap();
        let answer = AnswerId::new();
        db.create_answer(
            journey,
            AnswerRecord {
                id: answer,
                question: answered,
                author: alex,
                body: Some(key.seal(answer.0, "answer.body", "Only my brother.")),
                created_at: Timestamp(3),
                withdrawn_at: None,
                response: None,
                responded_at: None,
            },
        )
        .await
        .unwrap();
        db.respond(journey, answer, mend_core::Response::NeedMore, Timestamp(4))
            .await
            .unwrap();

        assert_eq!(
            db.leave_space(sam, Timestamp(50)).await.unwrap(),
            Departure::Left(space_id)
        );
        let questions = db.questions(journey).await.unwrap();
        assert_eq!(questions.len(), 1, "the unanswered question is gone");
        assert_eq!(questions[0].id, answered);
        assert!(questions[0].text.is_none() && questions[0].withdrawn_at.is_some());
        let answers = db.answers(journey).await.unwrap();
        assert_eq!(answers.len(), 1, "Alex's answer stays");
        assert!(answers[0].body.is_some());
        assert_eq!(answers[0].response, None, "Sam's response to it is gone");

        let ended = db
            .breach(space_id, journey)
            .await
            .unwrap()
            .unwrap()
            .state
            .ended;
        assert_eq!(ended.map(|e| e.how), Some(Ending::PartnerLeft));
        assert_eq!(db.departed_at(space_id).await.unwrap(), Some(Timestamp(50)));
        assert!(db.membership_of(sam).await.unwrap().is_none());
        assert_eq!(db.members(space_id).await.unwrap().len(), 1);
        assert_eq!(
            db.leave_space(sam, Timestamp(51)).await.unwrap(),
            Departure::NotInASpace,
            "a second request changes nothing"
        );
        // Alex, the last one, leaves too: the space goes whole.
        assert_eq!(
            db.leave_space(alex, Timestamp(60)).await.unwrap(),
            Departure::Left(space_id)
        );
        assert!(db.space(space_id).await.unwrap().is_none());
        assert!(
            db.person(sam).await.unwrap().is_some(),
            "leaving keeps the account"
        );
    })
    .await;
}

#[tokio::test]
async fn deleting_empties_the_person_once_even_when_asked_twice_at_once() {
    each_backend(|db| async move {
        let robin = person(&db, "robin@example.org").await;
        let _space = space(&db, robin).await;
        let token = [7u8; 32];
        db.create_session(&token, robin, Timestamp(1), Timestamp(1_000_000))
            .await
            .unwrap();
        let keys = [[9u8; 32]];
        let (one, two) = tokio::join!(
            db.delete_person(robin, &keys, Timestamp(5)),
            db.delete_person(robin, &keys, Timestamp(5))
        );
        let done = [one.unwrap(), two.unwrap()];
        assert_eq!(done.iter().filter(|d| **d).count(), 1, "{done:?}");
        let record = db.person(robin).await.unwrap().expect("the id stays");
        assert!(record.name.as_bytes().is_empty() && record.email.as_bytes().is_empty());
        assert!(record.password_hash.is_empty() && record.wrapped_key.0.as_bytes().is_empty());
        assert!(db.session(&token, Timestamp(2)).await.unwrap().is_none());
        assert!(db.membership_of(robin).await.unwrap().is_none());
        let lookup = server_key().lookup_hash("email", b"robin@example.org");
        assert!(db.person_by_email(&lookup).await.unwrap().is_none());
        // The address signs up again.
        let again = person(&db, "robin@example.org").await;
        assert_ne!(again, robin);
    })
    .await;
}

#[tokio::test]
async fn a_space_a_partner_left_takes_no_new_partner_even_by_an_open_invitation() {
    each_backend(|db| async move {
        let (alex, sam, space_id, _key) = couple(&db).await;
        let early = invite(&db, space_id, alex, "early", 1_000_000).await;
        let used = invite(&db, space_id, alex, "used", 1_000_000).await;
        db.accept_invite(used, sam, Timestamp(30)).await.unwrap();
        let third = person(&db, "third@example.org").await;
        let (left, joined) = tokio::join!(
            db.leave_space(sam, Timestamp(40)),
            db.accept_invite(early, third, Timestamp(40))
        );
        assert_eq!(left.unwrap(), Departure::Left(space_id));
        // First, Sam's seat was still taken; after, the invitation was closed.
        assert!(
            joined.is_err(),
            "a third person joined a space Sam was leaving"
        );
        assert!(db.membership_of(third).await.unwrap().is_none());
        // Nor is a new invitation made in it.
        let late = mend_core::InviteId::new();
        let made = db
            .create_invite(mend_core::store::NewInvite {
                id: late,
                space: space_id,
                created_by: alex,
                code_lookup: server_key().lookup_hash("invite", b"late"),
                code: mend_crypto::DataKey::generate(space_id.0).seal(late.0, "code", "late"),
                created_at: Timestamp(50),
                expires_at: Timestamp(1_000_000),
            })
            .await;
        assert!(made.is_err());
        assert!(db.accept_invite(late, third, Timestamp(50)).await.is_err());
        assert_eq!(db.members(space_id).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn leaving_keeps_the_partners_response_to_a_wordless_answer() {
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let code = invite(&db, space_id, alex, "code", 1_000).await;
        db.accept_invite(code, sam, Timestamp(30)).await.unwrap();
        let journey = breach(&db, space_id, sam, alex).await;
        let question = QuestionId::new();
        db.create_question(QuestionRecord {
            id: question,
            breach: journey,
            asked_by: sam,
            text: Some(key.seal(question.0, "question.text", "Who else knew?")),
            kind: None,
            asked_again_of: None,
            created_at: Timestamp(2),
            in_person_at: None,
            withdrawn_at: None,
        })
        .await
        .unwrap();
        let answer = |id: AnswerId| AnswerRecord {
            id,
            question,
            author: alex,
            body: Some(key.seal(id.0, "answer.body", "Only my brother.")),
            created_at: Timestamp(3),
            withdrawn_at: None,
            response: None,
            responded_at: None,
        };
        let (responded, unresponded) = (AnswerId::new(), AnswerId::new());
        db.create_answer(journey, answer(responded)).await.unwrap();
        db.create_answer(journey, answer(unresponded))
            .await
            .unwrap();
        db.respond(
            journey,
            responded,
            mend_core::Response::NeedMore,
            Timestamp(4),
        )
        .await
        .unwrap();

        // Alex, who answered, leaves: Sam's question and Sam's response stay.
        db.leave_space(alex, Timestamp(50)).await.unwrap();
        let questions = db.questions(journey).await.unwrap();
        assert_eq!(questions.len(), 1);
        assert!(
            questions[0].text.is_some(),
            "Sam's question keeps its words"
        );
        let answers = db.answers(journey).await.unwrap();
        assert_eq!(answers.len(), 1, "the answer nobody responded to is gone");
        assert_eq!(answers[0].id, responded);
        assert!(answers[0].body.is_none() && answers[0].withdrawn_at.is_some());
        assert_eq!(answers[0].response, Some(mend_core::Response::NeedMore));
    })
    .await;
}

#[tokio::test]
async fn two_partners_leaving_at_once_leave_no_space_behind() {
    each_backend(|db| async move {
        let (alex, sam, space_id, _key) = couple(&db).await;
        let code = invite(&db, space_id, alex, "code", 1_000).await;
        db.accept_invite(code, sam, Timestamp(30)).await.unwrap();
        breach(&db, space_id, sam, alex).await;
        let (one, two) = tokio::join!(
            db.leave_space(alex, Timestamp(50)),
            db.leave_space(sam, Timestamp(50))
        );
        assert_eq!(one.unwrap(), Departure::Left(space_id));
        assert_eq!(two.unwrap(), Departure::Left(space_id));
        assert!(
            db.space(space_id).await.unwrap().is_none(),
            "no one stays, so the space and its journeys are gone"
        );
    })
    .await;
}

#[tokio::test]
async fn leaving_gives_back_the_partners_agreement_a_revision_replaced() {
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let code = invite(&db, space_id, alex, "code", 1_000).await;
        db.accept_invite(code, sam, Timestamp(30)).await.unwrap();
        let agreement = |id: AgreementId, by, revises| AgreementRecord {
            id,
            space: space_id,
            proposed_by: by,
            text: key.seal(id.0, "agreement.text", "We tell each other the truth."),
            state: AgreementState::Proposed,
            revises,
            created_at: Timestamp(40),
            decided_at: None,
        };
        let (original, revision) = (AgreementId::new(), AgreementId::new());
        db.create_agreement(agreement(original, alex, None))
            .await
            .unwrap();
        assert!(db
            .decide_agreement(
                space_id,
                original,
                AgreementState::Accepted,
                sam,
                Timestamp(41)
            )
            .await
            .unwrap());
        db.create_agreement(agreement(revision, sam, Some(original)))
            .await
            .unwrap();
        assert!(db
            .decide_agreement(
                space_id,
                revision,
                AgreementState::Accepted,
                alex,
                Timestamp(42)
            )
            .await
            .unwrap());

        // Sam, whose revision replaced Alex's agreement, leaves: Alex's stands again.
        db.leave_space(sam, Timestamp(50)).await.unwrap();
        let left = db.agreements(space_id).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].id, original);
        assert_eq!(left[0].state, AgreementState::Accepted);
    })
    .await;
}
