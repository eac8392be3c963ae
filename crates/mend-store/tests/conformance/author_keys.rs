//! Author keys (issue 11): stored only for a seated partner, read with their space in one
//! query, and the one-time move of a space's texts, all or nothing.

use mend_core::store::prelude::*;
use mend_core::store::{Resealed, SpaceText};
use mend_core::Timestamp;
use mend_crypto::DataKey;

use crate::{breach, couple, each_backend, invite, server_key};

#[tokio::test]
async fn an_author_key_is_kept_only_for_a_partner_in_the_space_and_the_first_stays() {
    each_backend(|db| async move {
        let (alex, sam, space, _) = couple(&db).await;
        let wrap =
            |p: mend_core::PersonId| server_key().wrap_author_key(&DataKey::generate(space.0), p.0);
        // Sam is not seated yet: nothing is stored.
        db.add_author_key(space, sam, &wrap(sam), Timestamp(1))
            .await
            .unwrap();
        assert!(db.author_keys(space).await.unwrap().is_empty());
        let first = wrap(alex);
        db.add_author_key(space, alex, &first, Timestamp(1))
            .await
            .unwrap();
        db.add_author_key(space, alex, &wrap(alex), Timestamp(2))
            .await
            .unwrap();
        let (record, keys) = db.space_with_author_keys(space).await.unwrap().unwrap();
        assert_eq!(record.id, space);
        assert_eq!(keys, vec![(alex, first)], "the first key stays");
        assert!(db
            .space_with_author_keys(mend_core::SpaceId::new())
            .await
            .unwrap()
            .is_none());
        let code = invite(&db, space, alex, "code-1", 1_000).await;
        db.accept_invite(code, sam, Timestamp(21)).await.unwrap();
        db.add_author_key(space, sam, &wrap(sam), Timestamp(22))
            .await
            .unwrap();
        assert_eq!(db.author_keys(space).await.unwrap().len(), 2);
        db.leave_space(sam, Timestamp(30)).await.unwrap();
        assert_eq!(
            db.author_keys(space)
                .await
                .unwrap()
                .iter()
                .map(|(p, _)| *p)
                .collect::<Vec<_>>(),
            vec![alex],
            "Sam's key left with them"
        );
    })
    .await;
}

#[tokio::test]
async fn a_move_to_author_keys_happens_whole_or_not_at_all() {
    each_backend(|db| async move {
        let (alex, sam, space, _) = couple(&db).await;
        let code = invite(&db, space, alex, "code-1", 1_000).await;
        db.accept_invite(code, sam, Timestamp(21)).await.unwrap();
        let journey = breach(&db, space, sam, alex).await;
        let unmoved = "UPDATE spaces SET authors_sealed_at = NULL WHERE id = $1";
        db.execute_for(unmoved, space.0).await.unwrap();
        assert_eq!(db.spaces_sealed_for_space().await.unwrap(), vec![space]);
        let facts = db
            .space_texts(space, SpaceText::BreachDetails)
            .await
            .unwrap();
        assert_eq!(facts.len(), 1);
        assert_eq!((facts[0].row, facts[0].author), (journey.0, None));
        let new_key = DataKey::generate(space.0);
        let resealed = Resealed {
            kind: SpaceText::BreachDetails,
            row: journey.0,
            old: facts[0].sealed.clone(),
            new: new_key.seal(journey.0, "breach.details", "{}"),
        };
        let (before, _) = db.space_with_author_keys(space).await.unwrap().unwrap();

        // A text that changed since it was read: nothing of the move is kept.
        let stale = Resealed {
            old: new_key.seal(journey.0, "breach.details", "[]"),
            ..resealed.clone()
        };
        let wrapped = server_key().wrap(&new_key);
        assert!(!db
            .move_to_author_keys(space, &wrapped, &[stale], Timestamp(40))
            .await
            .unwrap());
        let (after, _) = db.space_with_author_keys(space).await.unwrap().unwrap();
        assert_eq!(after.wrapped_key, before.wrapped_key, "the old key stays");
        assert_eq!(db.spaces_sealed_for_space().await.unwrap(), vec![space]);

        assert!(db
            .move_to_author_keys(
                space,
                &wrapped,
                std::slice::from_ref(&resealed),
                Timestamp(40)
            )
            .await
            .unwrap());
        let (after, _) = db.space_with_author_keys(space).await.unwrap().unwrap();
        assert_eq!(after.wrapped_key, wrapped);
        let facts = db
            .space_texts(space, SpaceText::BreachDetails)
            .await
            .unwrap();
        assert_eq!(facts[0].sealed, resealed.new);
        assert!(db.spaces_sealed_for_space().await.unwrap().is_empty());
        // A second start finds the space moved and changes nothing.
        assert!(!db
            .move_to_author_keys(space, &wrapped, &[], Timestamp(41))
            .await
            .unwrap());
    })
    .await;
}
