//! Triggers and replies.

use mend_core::store::prelude::*;
use mend_core::Timestamp;

use crate::{breach, couple, each_backend, two_journeys_and_one_elsewhere};

#[tokio::test]
async fn triggers_are_signalled_and_replied_to_once() {
    use mend_core::store::TriggerRecord;
    use mend_core::TriggerId;
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let other = breach(&db, space_id, sam, alex).await;
        let id = TriggerId::new();
        db.create_trigger(TriggerRecord {
            id,
            breach: journey,
            person: sam,
            note: None,
            created_at: Timestamp(5),
            reply: None,
            replied_at: None,
        })
        .await
        .unwrap();
        let reply = key.seal(id.0, "trigger.reply", "I'm here. Do you want to talk?");
        assert!(!db
            .reply_to_trigger(other, id, reply.clone(), Timestamp(6))
            .await
            .unwrap());
        assert!(db
            .reply_to_trigger(journey, id, reply.clone(), Timestamp(6))
            .await
            .unwrap());
        assert!(
            !db.reply_to_trigger(journey, id, reply, Timestamp(7))
                .await
                .unwrap(),
            "once"
        );
        let triggers = db.triggers(journey).await.unwrap();
        assert_eq!(
            (triggers.len(), triggers[0].replied_at),
            (1, Some(Timestamp(6)))
        );
        assert!(db.triggers(other).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_spaces_triggers_are_read_at_once() {
    use mend_core::store::TriggerRecord;
    use mend_core::TriggerId;
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let [first, second] = t.journeys;
        for (breach, at) in [(first, 5), (t.elsewhere, 7), (second, 6)] {
            db.create_trigger(TriggerRecord {
                id: TriggerId::new(),
                breach,
                person: t.sam,
                note: None,
                created_at: Timestamp(at),
                reply: None,
                replied_at: None,
            })
            .await
            .unwrap();
        }
        let found: Vec<_> = db
            .triggers_in_space(t.space)
            .await
            .unwrap()
            .iter()
            .map(|t| (t.breach, t.created_at))
            .collect();
        assert_eq!(
            found,
            vec![(second, Timestamp(6)), (first, Timestamp(5))],
            "newest first, as for one journey"
        );
    })
    .await;
}
