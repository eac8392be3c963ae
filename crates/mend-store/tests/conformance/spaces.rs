//! Spaces, seats and invitations.

use mend_core::store::prelude::*;
use mend_core::store::SpaceRecord;
use mend_core::{Seat, SpaceId, StoreError, Timestamp};
use mend_crypto::DataKey;

use crate::{couple, each_backend, invite, person, server_key, space};

#[tokio::test]
async fn a_person_creates_one_space_and_a_second_person_joins_by_invite() {
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let third = person(&db, "third@example.org").await;
        let space_id = space(&db, alex).await;
        let membership = db.membership_of(alex).await.unwrap().unwrap();
        assert_eq!(
            (membership.space, membership.seat),
            (space_id, Seat::Creator)
        );

        let second = SpaceRecord {
            id: SpaceId::new(),
            wrapped_key: server_key().wrap(&DataKey::generate(SpaceId::new().0)),
            created_at: Timestamp(11),
        };
        let second_id = second.id;
        assert!(matches!(
            db.create_space(second, alex).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(
            db.space(second_id).await.unwrap().is_none(),
            "a refused space leaves nothing behind"
        );

        let code = invite(&db, space_id, alex, "code-1", 1_000).await;
        assert_eq!(
            db.open_invites(space_id, Timestamp(30))
                .await
                .unwrap()
                .len(),
            1
        );
        let found = db
            .invite_by_code(&server_key().lookup_hash("invite", b"code-1"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.id, code);

        db.accept_invite(code, sam, Timestamp(40)).await.unwrap();
        let members = db.members(space_id).await.unwrap();
        assert_eq!(
            members.iter().map(|m| m.person).collect::<Vec<_>>(),
            vec![alex, sam]
        );
        assert!(db
            .open_invites(space_id, Timestamp(41))
            .await
            .unwrap()
            .is_empty());

        // A used invitation cannot seat anybody else, and a third seat does not exist.
        assert!(matches!(
            db.accept_invite(code, third, Timestamp(42)).await,
            Err(StoreError::Conflict(_))
        ));
        let another = invite(&db, space_id, alex, "code-2", 1_000).await;
        assert!(matches!(
            db.accept_invite(another, third, Timestamp(43)).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(db.membership_of(third).await.unwrap().is_none());
        let still_open = db.open_invites(space_id, Timestamp(44)).await.unwrap();
        assert_eq!(
            still_open.len(),
            1,
            "a refused join leaves the invitation unused"
        );
    })
    .await;
}

#[tokio::test]
async fn expired_and_revoked_invitations_cannot_be_used() {
    each_backend(|db| async move {
        let (alex, sam, space_id, _) = couple(&db).await;
        let expired = invite(&db, space_id, alex, "old", 50).await;
        assert!(db.accept_invite(expired, sam, Timestamp(50)).await.is_err());

        let revoked = invite(&db, space_id, alex, "withdrawn", 1_000).await;
        assert!(
            !db.revoke_invite(space_id, revoked, sam, Timestamp(60))
                .await
                .unwrap(),
            "only its creator"
        );
        assert!(!db
            .revoke_invite(SpaceId::new(), revoked, alex, Timestamp(60))
            .await
            .unwrap());
        assert!(db
            .revoke_invite(space_id, revoked, alex, Timestamp(60))
            .await
            .unwrap());
        assert!(
            !db.revoke_invite(space_id, revoked, alex, Timestamp(61))
                .await
                .unwrap(),
            "only once"
        );
        assert!(db.accept_invite(revoked, sam, Timestamp(70)).await.is_err());
        assert!(db.membership_of(sam).await.unwrap().is_none());
    })
    .await;
}
