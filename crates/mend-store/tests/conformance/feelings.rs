//! Feelings and reflections, one waiting at a time even under concurrency.

use mend_core::store::prelude::*;
use mend_core::{PersonId, StoreError, Timestamp};
use mend_crypto::DataKey;
use mend_store::Db;

use crate::{breach, couple, each_backend, two_journeys_and_one_elsewhere};

#[tokio::test]
async fn reflections_wait_for_an_answer_and_stay_in_their_journey() {
    use mend_core::store::{FeelingRecord, ReflectionRecord};
    use mend_core::{FeelingId, ReflectionId, Verdict};
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let other = breach(&db, space_id, sam, alex).await;
        let feeling = FeelingId::new();
        db.create_feeling(FeelingRecord {
            id: feeling,
            breach: journey,
            person: sam,
            feeling: Some(key.seal(feeling.0, "feeling.feeling", "{}")),
            created_at: Timestamp(10),
            withdrawn_at: None,
        })
        .await
        .unwrap();
        let reflection = |at: i64| {
            let id = ReflectionId::new();
            ReflectionRecord {
                id,
                feeling,
                author: alex,
                body: Some(key.seal(id.0, "reflection.body", "I heard you.")),
                created_at: Timestamp(at),
                withdrawn_at: None,
                verdict: None,
                missed: None,
                verdict_at: None,
            }
        };
        let first = reflection(20);
        assert!(
            !db.create_reflection(other, first.clone()).await.unwrap(),
            "other journey"
        );
        assert!(db.create_reflection(journey, first.clone()).await.unwrap());
        assert!(
            !db.create_reflection(journey, reflection(21)).await.unwrap(),
            "one waits for an answer"
        );
        assert!(!db
            .answer_reflection(other, first.id, Verdict::NotYet, None, Timestamp(30))
            .await
            .unwrap());
        let missed = key.seal(first.id.0, "reflection.missed", "The shame.");
        assert!(db
            .answer_reflection(
                journey,
                first.id,
                Verdict::NotYet,
                Some(missed),
                Timestamp(30)
            )
            .await
            .unwrap());
        assert!(
            !db.answer_reflection(journey, first.id, Verdict::Heard, None, Timestamp(31))
                .await
                .unwrap(),
            "answered once"
        );
        let second = reflection(40);
        assert!(db.create_reflection(journey, second.clone()).await.unwrap());
        assert!(db
            .answer_reflection(journey, second.id, Verdict::Heard, None, Timestamp(50))
            .await
            .unwrap());
        assert!(
            !db.create_reflection(journey, reflection(60)).await.unwrap(),
            "heard: no more reflections"
        );
        let stored = db.reflections(journey).await.unwrap();
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[0].verdict, Some(Verdict::NotYet));
        assert!(stored[0].missed.is_some());
        assert_eq!(stored[1].verdict, Some(Verdict::Heard));
        assert_eq!(db.feelings(journey).await.unwrap().len(), 1);
        assert!(db.feelings(other).await.unwrap().is_empty());
        assert!(db.reflections(other).await.unwrap().is_empty());

        // Withdrawing: only by the author, once; the words are forgotten.
        assert!(!db
            .withdraw_reflection(journey, first.id, sam, Timestamp(70))
            .await
            .unwrap());
        assert!(!db
            .withdraw_reflection(other, first.id, alex, Timestamp(70))
            .await
            .unwrap());
        assert!(db
            .withdraw_reflection(journey, first.id, alex, Timestamp(70))
            .await
            .unwrap());
        assert!(!db
            .withdraw_reflection(journey, first.id, alex, Timestamp(71))
            .await
            .unwrap());
        let stored = db.reflections(journey).await.unwrap();
        assert!(stored[0].body.is_none() && stored[0].withdrawn_at == Some(Timestamp(70)));
        assert!(!db
            .withdraw_feeling(journey, feeling, alex, Timestamp(80))
            .await
            .unwrap());
        assert!(db
            .withdraw_feeling(journey, feeling, sam, Timestamp(80))
            .await
            .unwrap());
        let kept = db.feelings(journey).await.unwrap();
        assert!(kept[0].feeling.is_none() && kept[0].withdrawn_at == Some(Timestamp(80)));
    })
    .await;
}

#[tokio::test]
async fn a_withdrawn_reflection_no_longer_waits_and_a_withdrawn_feeling_takes_no_more() {
    use mend_core::store::{FeelingRecord, ReflectionRecord};
    use mend_core::{FeelingId, ReflectionId, Verdict};
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let feeling = FeelingId::new();
        db.create_feeling(FeelingRecord {
            id: feeling,
            breach: journey,
            person: sam,
            feeling: Some(key.seal(feeling.0, "feeling.feeling", "{}")),
            created_at: Timestamp(10),
            withdrawn_at: None,
        })
        .await
        .unwrap();
        let reflection = || {
            let id = ReflectionId::new();
            ReflectionRecord {
                id,
                feeling,
                author: alex,
                body: Some(key.seal(id.0, "reflection.body", "I heard you.")),
                created_at: Timestamp(20),
                withdrawn_at: None,
                verdict: None,
                missed: None,
                verdict_at: None,
            }
        };
        let first = reflection();
        assert!(db.create_reflection(journey, first.clone()).await.unwrap());
        assert!(db
            .withdraw_reflection(journey, first.id, alex, Timestamp(30))
            .await
            .unwrap());
        assert!(
            !db.answer_reflection(journey, first.id, Verdict::Heard, None, Timestamp(31))
                .await
                .unwrap(),
            "a withdrawn reflection takes no answer"
        );
        assert!(
            db.create_reflection(journey, reflection()).await.unwrap(),
            "the feeling waits for a reflection again"
        );
        let second = a_withdrawn_feeling(&db, journey, sam, &key).await;
        let mut late = reflection();
        late.feeling = second;
        assert!(!db.create_reflection(journey, late).await.unwrap());
    })
    .await;
}

/// A second feeling, withdrawn at once; returns its id.
async fn a_withdrawn_feeling(
    db: &Db,
    journey: mend_core::BreachId,
    sam: PersonId,
    key: &DataKey,
) -> mend_core::FeelingId {
    let id = mend_core::FeelingId::new();
    db.create_feeling(mend_core::store::FeelingRecord {
        id,
        breach: journey,
        person: sam,
        feeling: Some(key.seal(id.0, "feeling.feeling", "{}")),
        created_at: Timestamp(40),
        withdrawn_at: None,
    })
    .await
    .unwrap();
    assert!(db
        .withdraw_feeling(journey, id, sam, Timestamp(41))
        .await
        .unwrap());
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reflections_sent_at_once_leave_one_waiting() {
    use mend_core::store::{FeelingRecord, ReflectionRecord};
    use mend_core::{FeelingId, ReflectionId};
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let db = std::sync::Arc::new(db);
        for round in 0..5 {
            let feeling = FeelingId::new();
            db.create_feeling(FeelingRecord {
                id: feeling,
                breach: journey,
                person: sam,
                feeling: Some(key.seal(feeling.0, "feeling.feeling", "{}")),
                created_at: Timestamp(10),
                withdrawn_at: None,
            })
            .await
            .unwrap();
            let tasks: Vec<_> = (0..8)
                .map(|_| {
                    let id = ReflectionId::new();
                    let record = ReflectionRecord {
                        id,
                        feeling,
                        author: alex,
                        body: Some(key.seal(id.0, "reflection.body", "I heard you.")),
                        created_at: Timestamp(11),
                        withdrawn_at: None,
                        verdict: None,
                        missed: None,
                        verdict_at: None,
                    };
                    let db = db.clone();
                    tokio::spawn(async move { db.create_reflection(journey, record).await })
                })
                .collect();
            let mut landed = 0;
            for task in tasks {
                match task.await.unwrap() {
                    Ok(true) => landed += 1,
                    Ok(false) | Err(StoreError::Conflict(_)) => {}
                    Err(e) => panic!("{e}"),
                }
            }
            assert_eq!(landed, 1, "round {round}");
        }
        assert_eq!(db.reflections(journey).await.unwrap().len(), 5);
    })
    .await;
}

#[tokio::test]
async fn a_spaces_feelings_and_reflections_are_read_at_once() {
    use mend_core::store::{FeelingRecord, ReflectionRecord};
    use mend_core::{FeelingId, ReflectionId};
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let [first, second] = t.journeys;
        let mut feelings = Vec::new();
        for (breach, at) in [(first, 10), (t.elsewhere, 7), (second, 5)] {
            let id = FeelingId::new();
            db.create_feeling(FeelingRecord {
                id,
                breach,
                person: t.sam,
                feeling: Some(t.key.seal(id.0, "feeling.feeling", "{}")),
                created_at: Timestamp(at),
                withdrawn_at: None,
            })
            .await
            .unwrap();
            let reflection = ReflectionId::new();
            assert!(db
                .create_reflection(
                    breach,
                    ReflectionRecord {
                        id: reflection,
                        feeling: id,
                        author: t.alex,
                        body: Some(t.key.seal(reflection.0, "reflection.body", "I heard you.")),
                        created_at: Timestamp(at + 10),
                        withdrawn_at: None,
                        verdict: None,
                        missed: None,
                        verdict_at: None,
                    }
                )
                .await
                .unwrap());
            feelings.push(id);
        }
        let found: Vec<_> = db
            .feelings_in_space(t.space)
            .await
            .unwrap()
            .iter()
            .map(|f| (f.breach, f.id))
            .collect();
        assert_eq!(found, vec![(second, feelings[2]), (first, feelings[0])]);
        let found: Vec<_> = db
            .reflections_in_space(t.space)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.feeling, r.created_at))
            .collect();
        assert_eq!(
            found,
            vec![(feelings[2], Timestamp(15)), (feelings[0], Timestamp(20))]
        );
    })
    .await;
}

#[tokio::test]
async fn open_feelings_come_first_and_the_window_holds_the_rest() {
    use mend_core::store::{FeelingRecord, ReflectionRecord};
    use mend_core::{Cursor, FeelingId, ReflectionId, Verdict, WindowAsk};
    each_backend(|db| async move {
        let (alex, sam, space_id, _) = couple(&db).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let mut feelings = Vec::new();
        for at in 1..=5 {
            let id = FeelingId::new();
            db.create_feeling(FeelingRecord {
                id,
                breach: journey,
                person: sam,
                feeling: None,
                created_at: Timestamp(at * 10),
                withdrawn_at: None,
            })
            .await
            .unwrap();
            feelings.push(id);
        }
        // The first is heard, the second withdrawn: the other three are still open.
        let reflection = ReflectionRecord {
            id: ReflectionId::new(),
            feeling: feelings[0],
            author: alex,
            body: None,
            created_at: Timestamp(11),
            withdrawn_at: None,
            verdict: None,
            missed: None,
            verdict_at: None,
        };
        assert!(db
            .create_reflection(journey, reflection.clone())
            .await
            .unwrap());
        let heard = Verdict::Heard;
        let at = Timestamp(12);
        assert!(db
            .answer_reflection(journey, reflection.id, heard, None, at)
            .await
            .unwrap());
        assert!(db
            .withdraw_feeling(journey, feelings[1], sam, Timestamp(21))
            .await
            .unwrap());

        let open: Vec<_> = db
            .open_feelings(journey, 2)
            .await
            .unwrap()
            .iter()
            .map(|f| f.id)
            .collect();
        assert_eq!(open, vec![feelings[4], feelings[3]]);
        let ids = |w: mend_core::Window<FeelingRecord>| -> Vec<FeelingId> {
            w.items.iter().map(|f| f.id).collect()
        };
        // Two open ones shown first: the window leaves them out, and holds the third.
        let from = Cursor::new(Timestamp(40), feelings[3].0);
        let window = db
            .feeling_window(journey, WindowAsk::newest(10), from)
            .await
            .unwrap();
        assert_eq!(ids(window), vec![feelings[2], feelings[1], feelings[0]]);
        // Every open one shown first: the window holds only the settled ones.
        let start = Cursor::new(Timestamp(0), uuid::Uuid::nil());
        let window = db
            .feeling_window(journey, WindowAsk::newest(10), start)
            .await
            .unwrap();
        assert_eq!(ids(window), vec![feelings[1], feelings[0]]);

        let on = db
            .reflections_on(journey, &[feelings[0], feelings[2]])
            .await
            .unwrap();
        assert_eq!(on.len(), 1);
        assert_eq!(
            db.reflection(journey, reflection.id)
                .await
                .unwrap()
                .unwrap()
                .verdict,
            Some(heard)
        );
        assert!(db.reflections_on(journey, &[]).await.unwrap().is_empty());
        assert_eq!(
            db.feeling(journey, feelings[2]).await.unwrap().unwrap().id,
            feelings[2]
        );
    })
    .await;
}
