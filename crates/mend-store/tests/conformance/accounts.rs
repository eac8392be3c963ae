//! People, sessions, safety answers and reset links.

use mend_core::store::prelude::*;
use mend_core::store::NewPerson;
use mend_core::{Duration, PersonId, StoreError, Timestamp};
use mend_crypto::DataKey;

use crate::{each_backend, person, server_key};

#[tokio::test]
async fn people_are_found_by_id_and_email_lookup_and_emails_are_unique() {
    each_backend(|db| async move {
        let id = person(&db, "a@example.org").await;
        let found = db.person(id).await.unwrap().unwrap();
        assert_eq!(found.id, id);
        assert_eq!(found.safety_cleared_at, None);
        let lookup = server_key().lookup_hash("email", b"a@example.org");
        assert_eq!(db.person_by_email(&lookup).await.unwrap().unwrap().id, id);
        let key = server_key().unwrap_key(id.0, &found.wrapped_key).unwrap();
        assert_eq!(key.open(id.0, "name", &found.name).unwrap(), "Robin");

        let again = NewPerson {
            id: PersonId::new(),
            email_lookup: lookup,
            email: found.email.clone(),
            name: found.name.clone(),
            password_hash: "x".into(),
            wrapped_key: found.wrapped_key.clone(),
            created_at: Timestamp(2),
            counsellor: false,
        };
        let again_id = again.id;
        assert!(matches!(
            db.create_person(again).await,
            Err(StoreError::Conflict(_))
        ));
        // The account that had the address is exactly as it was, and no other was made.
        let kept = db.person_by_email(&lookup).await.unwrap().unwrap();
        assert_eq!(
            (kept.id, kept.password_hash.as_str(), kept.created_at),
            (id, "hash", Timestamp(1))
        );
        assert!(db.person(again_id).await.unwrap().is_none());
        assert!(db.person(PersonId::new()).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn a_time_zone_is_chosen_or_detected_once_and_belongs_to_its_person() {
    each_backend(|db| async move {
        let a = person(&db, "tz-a@example.org").await;
        let b = person(&db, "tz-b@example.org").await;
        assert_eq!(db.person(a).await.unwrap().unwrap().time_zone, None);
        // The browser's zone is kept only while none is set.
        assert!(db.detect_time_zone(a, "Asia/Tokyo").await.unwrap());
        assert!(!db.detect_time_zone(a, "Europe/Paris").await.unwrap());
        let zone = |p| {
            let db = &db;
            async move { db.person(p).await.unwrap().unwrap().time_zone }
        };
        assert_eq!(zone(a).await.as_deref(), Some("Asia/Tokyo"));
        // A choice on the account page replaces it.
        db.choose_time_zone(a, "America/New_York").await.unwrap();
        assert_eq!(zone(a).await.as_deref(), Some("America/New_York"));
        assert_eq!(zone(b).await, None);
        // The session's person carries it.
        let token = [9u8; 32];
        db.create_session(&token, a, Timestamp(0), Timestamp(100))
            .await
            .unwrap();
        let viewer = db.session(&token, Timestamp(1)).await.unwrap().unwrap();
        assert_eq!(viewer.person.time_zone.as_deref(), Some("America/New_York"));
    })
    .await;
}

#[tokio::test]
async fn sessions_expire_and_password_changes_end_the_others() {
    each_backend(|db| async move {
        let id = person(&db, "s@example.org").await;
        let (a, b) = ([1u8; 32], [2u8; 32]);
        db.create_session(&a, id, Timestamp(0), Timestamp(100))
            .await
            .unwrap();
        db.create_session(&b, id, Timestamp(0), Timestamp(100))
            .await
            .unwrap();
        assert!(db.session(&a, Timestamp(99)).await.unwrap().is_some());
        assert!(db.session(&a, Timestamp(100)).await.unwrap().is_none());

        db.change_password(id, "new", Some(&a)).await.unwrap();
        assert!(db.session(&a, Timestamp(1)).await.unwrap().is_some());
        assert!(db.session(&b, Timestamp(1)).await.unwrap().is_none());
        assert_eq!(db.person(id).await.unwrap().unwrap().password_hash, "new");

        db.end_session(&a).await.unwrap();
        assert!(db.session(&a, Timestamp(1)).await.unwrap().is_none());

        // Expired sessions are deleted when the person starts a new one.
        let (old, new) = ([3u8; 32], [4u8; 32]);
        db.create_session(&old, id, Timestamp(0), Timestamp(100))
            .await
            .unwrap();
        db.create_session(&new, id, Timestamp(200), Timestamp(300))
            .await
            .unwrap();
        assert!(
            db.session(&old, Timestamp(50)).await.unwrap().is_none(),
            "the row is gone"
        );
        assert!(db.session(&new, Timestamp(250)).await.unwrap().is_some());
    })
    .await;
}

#[tokio::test]
async fn safety_answers_are_kept_per_person_and_clearing_happens_once() {
    each_backend(|db| async move {
        let id = person(&db, "k@example.org").await;
        assert!(db.safety_answers(id).await.unwrap().is_none());
        let key = DataKey::generate(id.0);
        db.save_safety_answers(id, key.seal(id.0, "safety", "one"), Timestamp(5))
            .await
            .unwrap();
        db.save_safety_answers(id, key.seal(id.0, "safety", "two"), Timestamp(6))
            .await
            .unwrap();
        let stored = db.safety_answers(id).await.unwrap().unwrap();
        assert_eq!(key.open(id.0, "safety", &stored).unwrap(), "two");
        db.clear_safety(id, Timestamp(7)).await.unwrap();
        db.clear_safety(id, Timestamp(8)).await.unwrap();
        assert_eq!(
            db.person(id).await.unwrap().unwrap().safety_cleared_at,
            Some(Timestamp(7))
        );
    })
    .await;
}

#[tokio::test]
async fn a_reset_link_works_once_and_ends_every_session() {
    each_backend(|db| async move {
        let id = person(&db, "r@example.org").await;
        db.create_session(&[1u8; 32], id, Timestamp(0), Timestamp(10_000))
            .await
            .unwrap();
        let token = [9u8; 32];
        let expiry = Timestamp(0) + Duration::hours(1);
        db.create_password_reset(&token, id, expiry).await.unwrap();
        assert_eq!(
            db.password_reset_person(&token, Timestamp(5))
                .await
                .unwrap(),
            Some(id)
        );
        assert_eq!(
            db.use_password_reset(&token, "fresh", Timestamp(5))
                .await
                .unwrap(),
            Some(id)
        );
        assert_eq!(db.person(id).await.unwrap().unwrap().password_hash, "fresh");
        assert!(db
            .session(&[1u8; 32], Timestamp(6))
            .await
            .unwrap()
            .is_none());
        assert_eq!(
            db.use_password_reset(&token, "again", Timestamp(6))
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            db.password_reset_person(&token, Timestamp(6))
                .await
                .unwrap(),
            None
        );

        let late = [8u8; 32];
        db.create_password_reset(&late, id, Timestamp(10))
            .await
            .unwrap();
        assert_eq!(
            db.use_password_reset(&late, "late", Timestamp(10))
                .await
                .unwrap(),
            None
        );
    })
    .await;
}
