//! Agreements of a space.

use mend_core::store::prelude::*;
use mend_core::Timestamp;

use crate::{couple, each_backend, invite, person, space};

#[tokio::test]
async fn agreements_are_proposed_decided_once_and_revisions_supersede() {
    use mend_core::store::AgreementRecord;
    use mend_core::{AgreementId, AgreementState};
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let code = invite(&db, space_id, alex, "code", 1_000).await;
        db.accept_invite(code, sam, Timestamp(1)).await.unwrap();
        let other = space(&db, person(&db, "robin@example.org").await).await;
        let proposal = |id: AgreementId, revises: Option<AgreementId>| AgreementRecord {
            id,
            space: space_id,
            proposed_by: alex,
            text: key.seal(id.0, "agreement.text", "We talk before big purchases."),
            state: AgreementState::Proposed,
            revises,
            created_at: Timestamp(1),
            decided_at: None,
        };
        let first = AgreementId::new();
        db.create_agreement(proposal(first, None)).await.unwrap();
        assert!(!db
            .decide_agreement(other, first, AgreementState::Accepted, sam, Timestamp(2))
            .await
            .unwrap());
        assert!(db
            .decide_agreement(space_id, first, AgreementState::Accepted, sam, Timestamp(2))
            .await
            .unwrap());
        assert!(!db
            .decide_agreement(space_id, first, AgreementState::Declined, sam, Timestamp(3))
            .await
            .unwrap());

        let change = AgreementId::new();
        db.create_agreement(proposal(change, Some(first)))
            .await
            .unwrap();
        let before = db.agreements(space_id).await.unwrap();
        assert_eq!(
            before.iter().map(|a| a.state).collect::<Vec<_>>(),
            vec![AgreementState::Accepted, AgreementState::Proposed]
        );
        assert!(db
            .decide_agreement(
                space_id,
                change,
                AgreementState::Accepted,
                sam,
                Timestamp(4)
            )
            .await
            .unwrap());
        let after = db.agreements(space_id).await.unwrap();
        assert_eq!(
            after.iter().map(|a| a.state).collect::<Vec<_>>(),
            vec![AgreementState::Superseded, AgreementState::Accepted]
        );
        assert_eq!(after[1].revises, Some(first));
        assert!(db.agreements(other).await.unwrap().is_empty());
    })
    .await;
}
