//! Drafts, sent entries, and sending in one step under concurrency.

use mend_core::store::prelude::*;
use mend_core::{PersonId, StoreError, Timestamp};
use mend_crypto::DataKey;

use crate::{breach, couple, each_backend, two_journeys_and_one_elsewhere};

#[tokio::test]
async fn drafts_stay_private_and_sent_entries_are_append_only() {
    use mend_core::store::EntryRecord;
    use mend_core::{BreachId, EntryId, EntryKind, EntryState};
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let breach = breach(&db, space_id, sam, alex).await;
        let kind = EntryKind::Acknowledgement;
        let id = EntryId::new();
        let draft = |id: EntryId, text: &str| EntryRecord {
            id,
            breach,
            kind,
            author: alex,
            body: Some(key.seal(id.0, "entry.body", text)),
            state: EntryState::Draft,
            follows: None,
            created_at: Timestamp(2),
            updated_at: Timestamp(2),
            sent_at: None,
            received_at: None,
            withdrawn_at: None,
            response: None,
            response_note: None,
            responded_at: None,
        };
        db.create_draft(draft(id, "first words")).await.unwrap();
        assert!(matches!(
            db.create_draft(draft(EntryId::new(), "again")).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(db.entries_for(breach, kind, alex).await.unwrap().len(), 1);
        assert!(
            db.entries_for(breach, kind, sam).await.unwrap().is_empty(),
            "a draft is its author's alone"
        );

        assert!(db
            .update_draft(
                id,
                alex,
                key.seal(id.0, "entry.body", "better words"),
                Timestamp(3)
            )
            .await
            .unwrap());
        assert!(!db
            .update_draft(
                id,
                sam,
                key.seal(id.0, "entry.body", "not mine"),
                Timestamp(3)
            )
            .await
            .unwrap());
        assert!(
            !db.mark_received(breach, id, Timestamp(3)).await.unwrap(),
            "a draft cannot be received"
        );
        let sent = |author, text: &str, at: i64| EntryRecord {
            author,
            state: EntryState::Sent,
            created_at: Timestamp(at),
            updated_at: Timestamp(at),
            sent_at: Some(Timestamp(at)),
            ..draft(id, text)
        };
        assert!(
            matches!(
                db.send_entry(sent(sam, "not mine", 4)).await,
                Err(StoreError::Conflict(_))
            ),
            "someone else's draft is not sent"
        );
        db.send_entry(sent(alex, "better words", 4)).await.unwrap();
        assert!(
            matches!(
                db.send_entry(sent(alex, "other words", 5)).await,
                Err(StoreError::Conflict(_))
            ),
            "sending twice changes nothing"
        );
        assert!(!db
            .update_draft(
                id,
                alex,
                key.seal(id.0, "entry.body", "edited"),
                Timestamp(5)
            )
            .await
            .unwrap());

        let seen = db.entries_for(breach, kind, sam).await.unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(
            (seen[0].state, seen[0].sent_at),
            (EntryState::Sent, Some(Timestamp(4)))
        );
        assert_eq!(
            key.open(id.0, "entry.body", seen[0].body.as_ref().unwrap())
                .unwrap(),
            "better words"
        );

        assert!(
            !db.mark_received(BreachId::new(), id, Timestamp(6))
                .await
                .unwrap(),
            "only within its journey"
        );
        assert!(db.mark_received(breach, id, Timestamp(6)).await.unwrap());
        assert!(
            !db.mark_received(breach, id, Timestamp(7)).await.unwrap(),
            "once"
        );

        // A correction is a new draft that links to what it follows.
        let correction = EntryId::new();
        let mut second = draft(correction, "one more thing");
        second.follows = Some(id);
        db.create_draft(second).await.unwrap();

        assert!(
            !db.withdraw_entry(id, sam, Timestamp(8)).await.unwrap(),
            "only its author"
        );
        assert!(db.withdraw_entry(id, alex, Timestamp(8)).await.unwrap());
        assert!(!db.withdraw_entry(id, alex, Timestamp(9)).await.unwrap());
        let after = db.entries_for(breach, kind, sam).await.unwrap();
        assert_eq!(
            after.len(),
            1,
            "the partner still sees that something was withdrawn"
        );
        assert_eq!(
            (after[0].state, after[0].withdrawn_at),
            (EntryState::Withdrawn, Some(Timestamp(8)))
        );
        assert!(after[0].body.is_none(), "and not its text");
        let mine = db.entries_for(breach, kind, alex).await.unwrap();
        assert_eq!(mine.len(), 2);
        assert_eq!(mine[1].follows, Some(id));
    })
    .await;
}

/// A written entry of `author`, ready to send with `text`.
fn entry_to_send(
    key: &DataKey,
    id: mend_core::EntryId,
    breach: mend_core::BreachId,
    author: PersonId,
    text: &str,
) -> mend_core::store::EntryRecord {
    mend_core::store::EntryRecord {
        id,
        breach,
        kind: mend_core::EntryKind::Reassurance,
        author,
        body: Some(key.seal(id.0, "entry.body", text)),
        state: mend_core::EntryState::Sent,
        follows: None,
        created_at: Timestamp(5),
        updated_at: Timestamp(5),
        sent_at: Some(Timestamp(5)),
        received_at: None,
        withdrawn_at: None,
        response: None,
        response_note: None,
        responded_at: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sending_an_entry_sends_its_draft_or_a_new_one_and_nothing_else() {
    use mend_core::{EntryId, EntryKind, EntryState};
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let other = breach(&db, space_id, sam, alex).await;
        let kind = EntryKind::Reassurance;

        // A new entry is stored sent, without a draft before it.
        let fresh = EntryId::new();
        db.send_entry(entry_to_send(&key, fresh, journey, alex, "new"))
            .await
            .unwrap();
        let seen = db.entries_for(journey, kind, sam).await.unwrap();
        assert_eq!((seen.len(), seen[0].state), (1, EntryState::Sent));

        // A draft is sent with the words sent, and keeps its id.
        let draft = EntryId::new();
        let mut record = entry_to_send(&key, draft, journey, alex, "draft words");
        record.state = EntryState::Draft;
        record.sent_at = None;
        db.create_draft(record).await.unwrap();
        let conflict = |r: Result<(), StoreError>| matches!(r, Err(StoreError::Conflict(_)));
        assert!(
            conflict(
                db.send_entry(entry_to_send(&key, draft, journey, sam, "x"))
                    .await
            ),
            "only by its author"
        );
        assert!(
            conflict(
                db.send_entry(entry_to_send(&key, draft, other, alex, "x"))
                    .await
            ),
            "only in its journey"
        );
        db.send_entry(entry_to_send(&key, draft, journey, alex, "sent words"))
            .await
            .unwrap();
        let seen = db.entries_for(journey, kind, sam).await.unwrap();
        let sent = seen.iter().find(|e| e.id == draft).unwrap();
        assert_eq!(sent.state, EntryState::Sent);
        assert_eq!(
            key.open(draft.0, "entry.body", sent.body.as_ref().unwrap())
                .unwrap(),
            "sent words"
        );
        assert!(
            conflict(
                db.send_entry(entry_to_send(&key, draft, journey, alex, "again"))
                    .await
            ),
            "what was sent never changes"
        );

        // The same id sent many times at once: one send lands, the others are refused.
        let db = std::sync::Arc::new(db);
        for round in 0..5 {
            let id = EntryId::new();
            let tasks: Vec<_> = (0..10)
                .map(|n| {
                    let (db, record) = (
                        db.clone(),
                        entry_to_send(&key, id, journey, alex, &format!("{round}-{n}")),
                    );
                    tokio::spawn(async move { db.send_entry(record).await })
                })
                .collect();
            let mut landed = 0;
            for task in tasks {
                match task.await.unwrap() {
                    Ok(()) => landed += 1,
                    Err(StoreError::Conflict(_)) => {}
                    Err(e) => panic!("{e}"),
                }
            }
            assert_eq!(landed, 1, "round {round}");
        }
        assert_eq!(db.entries_for(journey, kind, sam).await.unwrap().len(), 7);
    })
    .await;
}

#[tokio::test]
async fn a_spaces_sent_entries_of_a_kind_are_read_at_once_without_drafts() {
    use mend_core::store::EntryRecord;
    use mend_core::{EntryId, EntryKind, EntryState};
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let [first, second] = t.journeys;
        let sent = |breach, kind, at: i64| {
            let id = EntryId::new();
            EntryRecord {
                kind,
                created_at: Timestamp(at),
                updated_at: Timestamp(at),
                sent_at: Some(Timestamp(at)),
                ..entry_to_send(&t.key, id, breach, t.alex, "I did this.")
            }
        };
        let ack = EntryKind::Acknowledgement;
        let withdrawn = sent(first, ack, 7);
        for entry in [
            sent(first, ack, 5),
            sent(t.elsewhere, ack, 4),
            sent(second, ack, 3),
            sent(first, EntryKind::Intention, 2),
            withdrawn.clone(),
        ] {
            db.send_entry(entry).await.unwrap();
        }
        assert!(db
            .withdraw_entry(withdrawn.id, t.alex, Timestamp(8))
            .await
            .unwrap());
        db.create_draft(EntryRecord {
            state: EntryState::Draft,
            sent_at: None,
            ..sent(second, ack, 6)
        })
        .await
        .unwrap();
        let found: Vec<_> = db
            .sent_in_space(t.space, ack)
            .await
            .unwrap()
            .iter()
            .map(|e| (e.breach, e.created_at, e.state))
            .collect();
        assert_eq!(
            found,
            vec![
                (second, Timestamp(3), EntryState::Sent),
                (first, Timestamp(5), EntryState::Sent),
                (first, Timestamp(7), EntryState::Withdrawn),
            ]
        );
        let intentions = db
            .sent_in_space(t.space, EntryKind::Intention)
            .await
            .unwrap();
        assert_eq!(intentions.len(), 1);
        assert_eq!(intentions[0].sent_at, Some(Timestamp(2)));
    })
    .await;
}
