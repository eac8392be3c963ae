//! Long lists a window at a time (issue 13): the questions that wait and the settled ones,
//! kept apart by every write to a question or its answers, windows that meet with no gap even
//! when times are equal, lookups that stay within their journey, and the timeline's events.

use mend_core::store::prelude::*;
use mend_core::store::{AnswerRecord, QuestionRecord};
use mend_core::timeline::{EventFilter, EventSource};
use mend_core::{
    AnswerId, Area, BreachId, Cursor, PersonId, QuestionId, Response, Timestamp, WindowAsk,
};
use mend_crypto::DataKey;

use crate::{breach, couple, each_backend};

fn question(breach: BreachId, by: PersonId, key: &DataKey, at: i64) -> QuestionRecord {
    let id = QuestionId::new();
    QuestionRecord {
        id,
        breach,
        asked_by: by,
        text: Some(key.seal(id.0, "question.text", "Why?")),
        kind: None,
        asked_again_of: None,
        created_at: Timestamp(at),
        in_person_at: None,
        withdrawn_at: None,
    }
}

fn answer(question: QuestionId, by: PersonId, key: &DataKey, at: i64) -> AnswerRecord {
    let id = AnswerId::new();
    AnswerRecord {
        id,
        question,
        author: by,
        body: Some(key.seal(id.0, "answer.body", "Because.")),
        created_at: Timestamp(at),
        withdrawn_at: None,
        response: None,
        responded_at: None,
    }
}

async fn waiting(db: &impl Store, breach: BreachId) -> Vec<QuestionId> {
    let waiting = db.waiting_questions(breach, 100).await.unwrap();
    waiting.iter().map(|q| q.id).collect()
}

async fn settled(db: &impl Store, breach: BreachId) -> Vec<QuestionId> {
    let window = db
        .settled_questions(breach, WindowAsk::newest(100))
        .await
        .unwrap();
    window.items.iter().map(|q| q.id).collect()
}

#[tokio::test]
async fn a_question_waits_until_an_answer_settles_it_and_again_when_more_is_asked() {
    each_backend(|db| async move {
        let (alex, sam, space, key) = couple(&db).await;
        let b = breach(&db, space, sam, alex).await;
        let q = question(b, sam, &key, 10);
        db.create_question(q.clone()).await.unwrap();
        assert_eq!(waiting(&db, b).await, [q.id]);
        assert!(settled(&db, b).await.is_empty());

        let first = answer(q.id, alex, &key, 20);
        assert!(db.create_answer(b, first.clone()).await.unwrap());
        assert!(waiting(&db, b).await.is_empty());
        assert_eq!(settled(&db, b).await, [q.id]);

        // "I need more" makes it wait again; a fuller answer settles it again.
        assert!(db
            .respond(b, first.id, Response::NeedMore, Timestamp(30))
            .await
            .unwrap());
        assert_eq!(waiting(&db, b).await, [q.id]);
        let fuller = answer(q.id, alex, &key, 40);
        assert!(db.create_answer(b, fuller.clone()).await.unwrap());
        assert_eq!(settled(&db, b).await, [q.id]);
        // Withdrawing the only answer that settled it makes it wait again.
        assert!(db
            .withdraw_answer(b, fuller.id, alex, Timestamp(50))
            .await
            .unwrap());
        assert_eq!(waiting(&db, b).await, [q.id]);
        // A withdrawn question no longer waits.
        assert!(db
            .withdraw_question(b, q.id, sam, Timestamp(60))
            .await
            .unwrap());
        assert!(waiting(&db, b).await.is_empty());
        assert_eq!(settled(&db, b).await, [q.id]);

        // Lookups stay within their journey.
        let elsewhere = breach(&db, space, sam, alex).await;
        assert!(db.question(b, q.id).await.unwrap().is_some());
        assert!(db.question(elsewhere, q.id).await.unwrap().is_none());
        assert!(db.answer(b, first.id).await.unwrap().is_some());
        assert!(db.answer(elsewhere, first.id).await.unwrap().is_none());
        assert_eq!(db.answers_to(b, &[q.id]).await.unwrap().len(), 2);
        assert!(db.answers_to(elsewhere, &[q.id]).await.unwrap().is_empty());
        assert!(db.answers_to(b, &[]).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn windows_of_settled_questions_meet_with_no_gap_even_at_equal_times() {
    each_backend(|db| async move {
        let (alex, sam, space, key) = couple(&db).await;
        let b = breach(&db, space, sam, alex).await;
        let mut all = Vec::new();
        for i in 0..7 {
            let q = question(b, sam, &key, 10 + i);
            db.create_question(q.clone()).await.unwrap();
            // Three answers share one moment: the window's order falls back on the id.
            let at = if i < 3 { 100 } else { 100 + i };
            assert!(db
                .create_answer(b, answer(q.id, alex, &key, at))
                .await
                .unwrap());
            all.push(q.id);
        }
        let mut seen = Vec::new();
        let mut before = None;
        loop {
            let ask = WindowAsk::before(before, 2);
            let window = db.settled_questions(b, ask).await.unwrap();
            assert!(window.items.len() <= 2);
            seen.extend(window.items.iter().map(|q| q.id));
            match window.older {
                Some(cursor) => before = Some(cursor),
                None => break,
            }
        }
        // The four answered later come first, newest first; then the three of one moment.
        assert_eq!(seen.len(), 7);
        assert_eq!(&seen[..4], &[all[6], all[5], all[4], all[3]]);
        let mut tied = seen[4..].to_vec();
        tied.sort();
        assert_eq!(tied, &all[..3]);
        let far_past = Cursor::new(Timestamp(0), uuid::Uuid::nil());
        let none = db
            .settled_questions(b, WindowAsk::before(Some(far_past), 2))
            .await
            .unwrap();
        assert!(none.items.is_empty() && none.older.is_none());
    })
    .await;
}

#[tokio::test]
async fn the_timeline_reads_a_window_of_its_journeys_events_only() {
    each_backend(|db| async move {
        let (alex, sam, space, key) = couple(&db).await;
        let b = breach(&db, space, sam, alex).await;
        let elsewhere = breach(&db, space, sam, alex).await;
        for i in 0..5 {
            let q = question(b, sam, &key, 10 + i);
            db.create_question(q.clone()).await.unwrap();
            assert!(db
                .create_answer(b, answer(q.id, alex, &key, 20 + i))
                .await
                .unwrap());
        }
        db.create_question(question(elsewhere, sam, &key, 15))
            .await
            .unwrap();
        let all = EventFilter::of(None);
        let newest = db
            .timeline_events(b, &all, WindowAsk::newest(3))
            .await
            .unwrap();
        // One more than the window, newest first, this journey's only.
        assert_eq!(newest.len(), 4);
        assert_eq!(
            newest.iter().map(|e| e.at.0).collect::<Vec<_>>(),
            [24, 23, 22, 21]
        );
        assert!(newest
            .iter()
            .all(|e| e.source == EventSource::QuestionAnswered));
        let cursor = Cursor::new(newest[2].at, newest[2].row);
        let older = db
            .timeline_events(b, &all, WindowAsk::before(Some(cursor), 10))
            .await
            .unwrap();
        assert_eq!(older.len(), 7);
        assert_eq!(older[0].at.0, 21);
        // Another area's filter reads none of these.
        let patience = EventFilter::of(Some(Area::Patience));
        assert!(db
            .timeline_events(b, &patience, WindowAsk::newest(10))
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}
