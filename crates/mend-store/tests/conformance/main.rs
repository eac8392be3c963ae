//! One suite, run on every backend: SQLite always, PostgreSQL when MEND_TEST_POSTGRES_URL is
//! set (the README's test command sets it). This file is the harness and the fixtures; each
//! area of the store has its module.

mod accounts;
mod agreements;
mod author_keys;
mod backup;
mod check_ins;
mod counsellors;
mod departure_races;
mod departures;
mod entries;
mod feelings;
mod journeys;
mod login_attempts;
mod mail;
mod notifications;
mod private_notes;
mod questions;
mod space_state;
mod spaces;
mod transparency;
mod triggers;
mod waiting;
mod windows;

use mend_core::store::prelude::*;
use mend_core::store::{NewInvite, NewPerson, SpaceRecord};
use mend_core::{InviteId, PersonId, SpaceId, Timestamp};
use mend_crypto::{DataKey, ServerKey};
use mend_store::scratch::{backends, ScratchDatabase};
use mend_store::Db;

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Db) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in backends() {
        let scratch = ScratchDatabase::new(backend)
            .await
            .expect("scratch database");
        let db = Db::connect(&scratch.url).await.expect("connect");
        db.migrate().await.expect("migrate");
        test(db).await;
    }
}

fn server_key() -> ServerKey {
    ServerKey::from_bytes([3u8; 32])
}

async fn person(db: &Db, email: &str) -> PersonId {
    account(db, email, false).await
}

/// A counsellor's account (issue 14).
async fn counsellor_account(db: &Db, email: &str) -> PersonId {
    account(db, email, true).await
}

async fn account(db: &Db, email: &str, counsellor: bool) -> PersonId {
    let key = server_key();
    let id = PersonId::new();
    let data_key = DataKey::generate(id.0);
    db.create_person(NewPerson {
        id,
        email_lookup: key.lookup_hash("email", email.as_bytes()),
        email: data_key.seal(id.0, "email", email),
        name: data_key.seal(id.0, "name", "Robin"),
        password_hash: "hash".into(),
        wrapped_key: key.wrap(&data_key),
        created_at: Timestamp(1),
        counsellor,
    })
    .await
    .expect("create person");
    id
}

async fn space(db: &Db, creator: PersonId) -> SpaceId {
    let id = SpaceId::new();
    db.create_space(
        SpaceRecord {
            id,
            wrapped_key: server_key().wrap(&DataKey::generate(id.0)),
            created_at: Timestamp(10),
        },
        creator,
    )
    .await
    .expect("create space");
    id
}

/// Alex and Sam, the space Alex created (Sam is not seated in it), and a key for that space.
async fn couple(db: &Db) -> (PersonId, PersonId, SpaceId, DataKey) {
    let alex = person(db, "alex@example.org").await;
    let sam = person(db, "sam@example.org").await;
    let space_id = space(db, alex).await;
    (alex, sam, space_id, DataKey::generate(space_id.0))
}

async fn invite(db: &Db, space: SpaceId, by: PersonId, code: &str, expires: i64) -> InviteId {
    let id = InviteId::new();
    db.create_invite(NewInvite {
        id,
        space,
        created_by: by,
        code_lookup: server_key().lookup_hash("invite", code.as_bytes()),
        code: DataKey::generate(space.0).seal(id.0, "code", code),
        created_at: Timestamp(20),
        expires_at: Timestamp(expires),
    })
    .await
    .expect("create invite");
    id
}

/// A breach in `space` between `hurt` and `repairing`, opened by the hurt partner, with no
/// journey areas.
async fn breach(
    db: &Db,
    space: SpaceId,
    hurt: PersonId,
    repairing: PersonId,
) -> mend_core::BreachId {
    let id = mend_core::BreachId::new();
    db.create_breach(
        mend_core::store::BreachRecord {
            id,
            space,
            hurt,
            repairing,
            opened_by: hurt,
            details: DataKey::generate(space.0).seal(id.0, "breach.details", "{}"),
            created_at: Timestamp(1),
            state: Default::default(),
        },
        &[],
    )
    .await
    .expect("create breach");
    id
}

/// For the queries that read a whole space at once: Alex and Sam's space (both seated, as
/// the writes that need a seat ask) with two journeys, and a journey in a space of two other
/// people, which those queries never see.
struct TwoJourneys {
    alex: PersonId,
    sam: PersonId,
    space: SpaceId,
    key: DataKey,
    journeys: [mend_core::BreachId; 2],
    elsewhere: mend_core::BreachId,
}

async fn two_journeys_and_one_elsewhere(db: &Db) -> TwoJourneys {
    let (alex, sam, space_id, key) = couple(db).await;
    let code = invite(db, space_id, alex, "two-journeys", 1_000_000).await;
    db.accept_invite(code, sam, Timestamp(2))
        .await
        .expect("Sam joins");
    let journeys = [
        breach(db, space_id, sam, alex).await,
        breach(db, space_id, sam, alex).await,
    ];
    let kim = person(db, "kim@example.org").await;
    let lee = person(db, "lee@example.org").await;
    let theirs = space(db, kim).await;
    TwoJourneys {
        alex,
        sam,
        space: space_id,
        key,
        journeys,
        elsewhere: breach(db, theirs, kim, lee).await,
    }
}

#[tokio::test]
async fn migrating_twice_changes_nothing_and_ping_answers() {
    each_backend(|db| async move {
        db.migrate().await.unwrap();
        db.ping().await.unwrap();
    })
    .await;
}
