//! Private notes: the evidence log and the journal.

use mend_core::store::prelude::*;
use mend_core::{PersonId, SpaceId, Timestamp};
use mend_crypto::DataKey;

use crate::{breach, couple, each_backend, invite};

#[tokio::test]
async fn evidence_stays_with_its_author_until_shared() {
    use mend_core::store::EvidenceRecord;
    use mend_core::{BreachId, EvidenceId, Moment};
    each_backend(|db| async move {
        let (alex, sam, space_id, space_key) = couple(&db).await;
        let sam_key = DataKey::generate(sam.0);
        let breach = breach(&db, space_id, sam, alex).await;
        let id = EvidenceId::new();
        db.create_evidence(EvidenceRecord {
            id,
            breach,
            author: sam,
            moment: Moment::Built,
            text: sam_key.seal(id.0, "evidence.text", "He told me about the call."),
            created_at: Timestamp(2),
            shared_at: None,
        })
        .await
        .unwrap();
        assert_eq!(db.evidence_for(breach, sam).await.unwrap().len(), 1);
        assert!(
            db.evidence_for(breach, alex).await.unwrap().is_empty(),
            "private to its author"
        );
        let shared = space_key.seal(id.0, "evidence.text", "He told me about the call.");
        assert!(!db
            .share_evidence(breach, id, alex, shared.clone(), Timestamp(3))
            .await
            .unwrap());
        assert!(!db
            .share_evidence(BreachId::new(), id, sam, shared.clone(), Timestamp(3))
            .await
            .unwrap());
        assert!(db
            .share_evidence(breach, id, sam, shared.clone(), Timestamp(3))
            .await
            .unwrap());
        assert!(
            !db.share_evidence(breach, id, sam, shared, Timestamp(4))
                .await
                .unwrap(),
            "once"
        );
        let seen = db.evidence_for(breach, alex).await.unwrap();
        assert_eq!(
            (seen.len(), seen[0].shared_at, seen[0].moment),
            (1, Some(Timestamp(3)), Moment::Built)
        );
        assert_eq!(
            space_key
                .open(id.0, "evidence.text", &seen[0].text)
                .unwrap(),
            "He told me about the call."
        );

        let private = sam_key.seal(id.0, "evidence.text", "He told me about the call.");
        assert!(!db
            .unshare_evidence(breach, id, alex, private.clone())
            .await
            .unwrap());
        assert!(db
            .unshare_evidence(breach, id, sam, private.clone())
            .await
            .unwrap());
        assert!(
            !db.unshare_evidence(breach, id, sam, private).await.unwrap(),
            "once"
        );
        assert!(db.evidence_for(breach, alex).await.unwrap().is_empty());
        let mine = db.evidence_for(breach, sam).await.unwrap();
        assert_eq!(mine[0].shared_at, None);
        assert_eq!(
            sam_key.open(id.0, "evidence.text", &mine[0].text).unwrap(),
            "He told me about the call."
        );
    })
    .await;
}

#[tokio::test]
async fn journals_stay_with_their_author_until_shared_and_can_be_taken_back() {
    use mend_core::store::JournalEntryRecord;
    use mend_core::JournalEntryId;
    each_backend(|db| async move {
        let (alex, sam, space_id, space_key) = couple(&db).await;
        let code = invite(&db, space_id, alex, "code-1", 1_000).await;
        db.accept_invite(code, sam, Timestamp(30)).await.unwrap();
        let sam_key = DataKey::generate(sam.0);
        let write = |author: PersonId, key: &DataKey, text: &str, at: i64| {
            let id = JournalEntryId::new();
            (
                id,
                JournalEntryRecord {
                    id,
                    space: space_id,
                    author,
                    text: key.seal(id.0, "journal.text", text),
                    created_at: Timestamp(at),
                    shared_at: None,
                },
            )
        };
        let (older, entry) = write(sam, &sam_key, "A hard morning.", 40);
        db.create_journal_entry(entry).await.unwrap();
        let (newer, entry) = write(sam, &sam_key, "A better evening.", 50);
        db.create_journal_entry(entry).await.unwrap();
        let alex_key = DataKey::generate(alex.0);
        let (alexs, entry) = write(alex, &alex_key, "Mine alone.", 45);
        db.create_journal_entry(entry).await.unwrap();

        let ids = |entries: Vec<JournalEntryRecord>| -> Vec<JournalEntryId> {
            entries.iter().map(|e| e.id).collect()
        };
        assert_eq!(
            ids(db.journal_for(space_id, sam).await.unwrap()),
            vec![newer, older],
            "their own, newest first, and never the partner's private entry"
        );
        assert_eq!(
            ids(db.journal_for(space_id, alex).await.unwrap()),
            vec![alexs],
            "the partner never gets a private entry"
        );

        let shared = space_key.seal(older.0, "journal.text", "A hard morning.");
        assert!(!db
            .share_journal_entry(space_id, older, alex, shared.clone(), Timestamp(60))
            .await
            .unwrap());
        assert!(!db
            .share_journal_entry(SpaceId::new(), older, sam, shared.clone(), Timestamp(60))
            .await
            .unwrap());
        assert!(db
            .share_journal_entry(space_id, older, sam, shared.clone(), Timestamp(60))
            .await
            .unwrap());
        assert!(
            !db.share_journal_entry(space_id, older, sam, shared, Timestamp(61))
                .await
                .unwrap(),
            "once"
        );
        let seen = db.journal_for(space_id, alex).await.unwrap();
        assert_eq!(ids(seen.clone()), vec![alexs, older]);
        assert_eq!(seen[1].shared_at, Some(Timestamp(60)));
        assert_eq!(
            space_key
                .open(older.0, "journal.text", &seen[1].text)
                .unwrap(),
            "A hard morning."
        );

        let private = sam_key.seal(older.0, "journal.text", "A hard morning.");
        assert!(!db
            .unshare_journal_entry(space_id, older, alex, private.clone())
            .await
            .unwrap());
        assert!(
            !db.unshare_journal_entry(space_id, newer, sam, private.clone())
                .await
                .unwrap(),
            "a private entry is private already"
        );
        assert!(db
            .unshare_journal_entry(space_id, older, sam, private.clone())
            .await
            .unwrap());
        assert!(
            !db.unshare_journal_entry(space_id, older, sam, private)
                .await
                .unwrap(),
            "once"
        );
        assert_eq!(
            ids(db.journal_for(space_id, alex).await.unwrap()),
            vec![alexs],
            "taken back"
        );
        let mine = db.journal_for(space_id, sam).await.unwrap();
        assert_eq!(mine[1].shared_at, None);
        assert_eq!(
            sam_key
                .open(older.0, "journal.text", &mine[1].text)
                .unwrap(),
            "A hard morning."
        );

        assert!(!db
            .delete_journal_entry(space_id, newer, alex)
            .await
            .unwrap());
        assert!(!db
            .delete_journal_entry(SpaceId::new(), newer, sam)
            .await
            .unwrap());
        assert!(db.delete_journal_entry(space_id, newer, sam).await.unwrap());
        assert!(
            !db.delete_journal_entry(space_id, newer, sam).await.unwrap(),
            "once"
        );
        assert_eq!(
            ids(db.journal_for(space_id, sam).await.unwrap()),
            vec![older]
        );
    })
    .await;
}

#[tokio::test]
async fn journal_visits_are_remembered_per_person_and_space() {
    each_backend(|db| async move {
        let (alex, sam, space_id, _) = couple(&db).await;
        assert_eq!(db.journal_last_seen(alex, space_id).await.unwrap(), None);
        db.mark_journal_seen(alex, space_id, Timestamp(5))
            .await
            .unwrap();
        db.mark_journal_seen(alex, space_id, Timestamp(9))
            .await
            .unwrap();
        assert_eq!(
            db.journal_last_seen(alex, space_id).await.unwrap(),
            Some(Timestamp(9))
        );
        assert_eq!(db.journal_last_seen(sam, space_id).await.unwrap(), None);
    })
    .await;
}
