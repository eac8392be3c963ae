//! What every page of a space reads about it (issue 13): the session brings the person's seat
//! and where their space stands in one query, and the space's state (keys, partners,
//! journeys) is read again only when that version moved, on both backends.

use std::sync::Arc;

use mend_core::store::prelude::*;
use mend_core::store::SpaceVersion;
use mend_core::{Area, AreaStatus, PersonId, Timestamp};
use mend_crypto::DataKey;
use mend_store::{Db, ReadCount};

use crate::{breach, couple, each_backend, invite, person, server_key, space};

/// Alex and Sam, both seated in Alex's space.
async fn seated_couple(db: &Db) -> (PersonId, PersonId, mend_core::SpaceId) {
    let (alex, sam, space_id, _) = couple(db).await;
    let code = invite(db, space_id, alex, "code", 1_000).await;
    db.accept_invite(code, sam, Timestamp(30)).await.unwrap();
    (alex, sam, space_id)
}

/// Where `person`'s space stands now, as a page would read it: through a session of theirs.
async fn version(db: &Db, person: PersonId) -> Option<SpaceVersion> {
    let mut token = [0u8; 32];
    for half in token.chunks_mut(16) {
        half.copy_from_slice(PersonId::new().0.as_bytes());
    }
    db.create_session(&token, person, Timestamp(0), Timestamp(i64::MAX))
        .await
        .unwrap();
    let session = db.session(&token, Timestamp(1)).await.unwrap().unwrap();
    db.end_session(&token).await.unwrap();
    session.space
}

#[tokio::test]
async fn a_session_brings_the_seat_and_where_the_space_stands_in_one_query() {
    each_backend(|db| async move {
        let (alex, sam, space_id, _) = couple(&db).await;
        let (a, s) = ([1u8; 32], [2u8; 32]);
        for (token, who) in [(a, alex), (s, sam)] {
            db.create_session(&token, who, Timestamp(0), Timestamp(1_000))
                .await
                .unwrap();
        }
        let before = db.reads();
        let theirs = db.session(&a, Timestamp(5)).await.unwrap().unwrap();
        assert_eq!(
            db.reads() - before,
            ReadCount {
                queries: 1,
                rows: 1
            }
        );
        assert_eq!(theirs.person.id, alex);
        assert_eq!(theirs.membership.map(|m| m.space), Some(space_id));
        let at = theirs
            .space
            .expect("a seated partner's space has a version");
        assert_eq!(at.space, space_id);

        let outside = db.session(&s, Timestamp(5)).await.unwrap().unwrap();
        assert!(outside.membership.is_none() && outside.space.is_none());

        let code = invite(&db, space_id, alex, "code", 1_000).await;
        db.accept_invite(code, sam, Timestamp(30)).await.unwrap();
        let later = db.session(&a, Timestamp(6)).await.unwrap().unwrap().space;
        assert!(later.is_some_and(|l| l.space == space_id && l.version > at.version));
        assert_eq!(
            db.session(&s, Timestamp(6)).await.unwrap().unwrap().space,
            later,
            "both partners see the same version"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_space_state_is_read_again_only_when_the_space_changes() {
    each_backend(|db| async move {
        let (alex, sam, space_id) = seated_couple(&db).await;

        let at = version(&db, alex).await.unwrap();
        let state = db.space_state(at).await.unwrap().unwrap();
        assert_eq!(state.record.id, space_id);
        assert_eq!(state.partner_of(alex), Some(sam));
        assert!(state.breaches.is_empty() && state.author_keys.is_empty());
        assert_eq!(state.departed_at, None);
        let before = db.reads();
        let again = db.space_state(at).await.unwrap().unwrap();
        assert!(Arc::ptr_eq(&state, &again), "the state kept is given again");
        assert_eq!(
            db.reads() - before,
            ReadCount::default(),
            "and nothing is read"
        );

        // Another couple's change is not this space's.
        let kim = person(&db, "kim@example.org").await;
        let lee = person(&db, "lee@example.org").await;
        let theirs = space(&db, kim).await;
        let code = invite(&db, theirs, kim, "their code", 1_000).await;
        db.accept_invite(code, lee, Timestamp(40)).await.unwrap();
        assert_eq!(version(&db, alex).await, Some(at));

        // A visit marking something seen moves what waits on, and leaves the state kept.
        let journey = breach(&db, space_id, sam, alex).await;
        let at = version(&db, alex).await.unwrap();
        let state = db.space_state(at).await.unwrap().unwrap();
        db.mark_seen(sam, journey, "pledge", Timestamp(45))
            .await
            .unwrap();
        let seen = version(&db, alex).await.unwrap();
        assert!(seen.version > at.version && seen.state == at.state);
        let before = db.reads();
        assert!(Arc::ptr_eq(
            &db.space_state(seen).await.unwrap().unwrap(),
            &state
        ));
        assert_eq!(db.reads() - before, ReadCount::default());

        // A journey, an author key and a partner leaving each move the state on, and the
        // state read then shows them.
        assert!(state.breach(journey).is_some());

        let wrapped = server_key().wrap_author_key(&DataKey::generate(space_id.0), alex.0);
        db.add_author_key(space_id, alex, &wrapped, Timestamp(50))
            .await
            .unwrap();
        let at = version(&db, alex).await.unwrap();
        let state = db.space_state(at).await.unwrap().unwrap();
        assert_eq!(state.author_keys.len(), 1);

        db.leave_space(sam, Timestamp(60)).await.unwrap();
        let at = version(&db, alex).await.unwrap();
        let state = db.space_state(at).await.unwrap().unwrap();
        assert_eq!(state.departed_at, Some(Timestamp(60)));
        assert_eq!(state.partner_of(alex), None);
        assert!(state.breach(journey).is_some_and(|b| b.state.is_ended()));
    })
    .await;
}

/// Journeys opened while others read the state: what is kept afterwards has all of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_read_while_journeys_open_is_never_kept_past_them() {
    each_backend(|db| async move {
        let (alex, sam, space_id) = seated_couple(&db).await;
        let db = Arc::new(db);
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let writer = db.clone();
            tasks.push(tokio::spawn(async move {
                breach(&writer, space_id, sam, alex).await;
            }));
            let reader = db.clone();
            tasks.push(tokio::spawn(async move {
                let at = version(&reader, alex).await.unwrap();
                reader.space_state(at).await.unwrap().unwrap();
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let at = version(&db, alex).await.unwrap();
        assert_eq!(db.space_state(at).await.unwrap().unwrap().breaches.len(), 8);
    })
    .await;
}

/// The state holds the partners' stored names and the journeys' areas: a change to a
/// partner's account or to an area moves it on, and it is read again.
#[tokio::test]
async fn names_and_areas_are_kept_with_the_space_and_move_it_on() {
    each_backend(|db| async move {
        let (alex, sam, space_id) = seated_couple(&db).await;
        let journey = mend_core::BreachId::new();
        db.create_breach(
            mend_core::store::BreachRecord {
                id: journey,
                space: space_id,
                hurt: sam,
                repairing: alex,
                opened_by: sam,
                details: DataKey::generate(space_id.0).seal(journey.0, "breach.details", "{}"),
                created_at: Timestamp(40),
                state: Default::default(),
            },
            &Area::ALL.map(|a| (a, AreaStatus::NotStarted)),
        )
        .await
        .unwrap();

        let at = version(&db, alex).await.unwrap();
        let state = db.space_state(at).await.unwrap().unwrap();
        assert!(state.name_of(alex).is_some() && state.name_of(sam).is_some());
        assert_eq!(state.areas_of(journey).len(), Area::ALL.len());
        assert_eq!(state.areas_of(journey)[0].area, Area::ALL[0]);

        db.choose_time_zone(sam, "Europe/Paris").await.unwrap();
        let moved = version(&db, alex).await.unwrap();
        assert!(moved.state > at.state, "a partner's account changed");

        let area = Area::ALL[1];
        assert!(db
            .change_area(
                journey,
                area,
                AreaStatus::NotStarted,
                AreaStatus::InProgress,
                sam,
                Timestamp(50),
            )
            .await
            .unwrap());
        let at = version(&db, alex).await.unwrap();
        assert!(at.state > moved.state, "an area changed");
        let state = db.space_state(at).await.unwrap().unwrap();
        let changed = state.areas_of(journey);
        assert!(changed
            .iter()
            .any(|a| a.area == area && a.status == AreaStatus::InProgress));
    })
    .await;
}
