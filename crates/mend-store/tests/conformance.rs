//! One suite, run on every backend: SQLite always, PostgreSQL when MEND_TEST_POSTGRES_URL is
//! set (the README's test command sets it).

use mend_core::store::prelude::*;
use mend_core::store::{LoginReservation, NewInvite, NewPerson, SpaceRecord};
use mend_core::{Duration, InviteId, PersonId, Seat, SpaceId, StoreError, Timestamp};
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
        assert!(db
            .session_person(&a, Timestamp(99))
            .await
            .unwrap()
            .is_some());
        assert!(db
            .session_person(&a, Timestamp(100))
            .await
            .unwrap()
            .is_none());

        db.change_password(id, "new", Some(&a)).await.unwrap();
        assert!(db.session_person(&a, Timestamp(1)).await.unwrap().is_some());
        assert!(db.session_person(&b, Timestamp(1)).await.unwrap().is_none());
        assert_eq!(db.person(id).await.unwrap().unwrap().password_hash, "new");

        db.end_session(&a).await.unwrap();
        assert!(db.session_person(&a, Timestamp(1)).await.unwrap().is_none());

        // Expired sessions are deleted when the person starts a new one.
        let (old, new) = ([3u8; 32], [4u8; 32]);
        db.create_session(&old, id, Timestamp(0), Timestamp(100))
            .await
            .unwrap();
        db.create_session(&new, id, Timestamp(200), Timestamp(300))
            .await
            .unwrap();
        assert!(
            db.session_person(&old, Timestamp(50))
                .await
                .unwrap()
                .is_none(),
            "the row is gone"
        );
        assert!(db
            .session_person(&new, Timestamp(250))
            .await
            .unwrap()
            .is_some());
    })
    .await;
}

#[tokio::test]
async fn login_attempts_are_reserved_per_bucket_all_or_none_and_forgotten() {
    each_backend(|db| async move {
        let (account, address) = ([5u8; 32], [6u8; 32]);
        let buckets = [(account, 3), (address, 10)];
        for (i, t) in [10, 20, 30].into_iter().enumerate() {
            assert_eq!(
                db.reserve_login_attempt(&[i as u8; 16], &buckets, Timestamp(0), Timestamp(t))
                    .await
                    .unwrap(),
                LoginReservation::Reserved
            );
        }
        // The account's bucket is full: nothing is counted anywhere, and the answer says why.
        assert_eq!(
            db.reserve_login_attempt(&[9; 16], &buckets, Timestamp(0), Timestamp(40))
                .await
                .unwrap(),
            LoginReservation::Full {
                bucket: 0,
                attempts: vec![Timestamp(10), Timestamp(20), Timestamp(30)]
            }
        );
        // Attempts before the window do not count.
        assert_eq!(
            db.reserve_login_attempt(&[10; 16], &buckets, Timestamp(15), Timestamp(50))
                .await
                .unwrap(),
            LoginReservation::Reserved
        );
        // Taking back one attempt frees its place in every bucket, or in the ones named;
        // clearing forgets a bucket.
        db.forget_login_attempts(&[10; 16], None, &[])
            .await
            .unwrap();
        db.forget_login_attempts(&[1; 16], Some(&[account]), &[])
            .await
            .unwrap();
        db.forget_login_attempts(&[0; 16], Some(&[]), &[account])
            .await
            .unwrap();
        let full = db
            .reserve_login_attempt(&[11; 16], &[(address, 2)], Timestamp(0), Timestamp(60))
            .await
            .unwrap();
        assert_eq!(
            full,
            LoginReservation::Full {
                bucket: 0,
                attempts: vec![Timestamp(10), Timestamp(20), Timestamp(30)]
            },
            "the address keeps what was taken back from the account only"
        );
        assert_eq!(
            db.reserve_login_attempt(&[12; 16], &[(account, 1)], Timestamp(0), Timestamp(60))
                .await
                .unwrap(),
            LoginReservation::Reserved
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reservations_never_pass_a_buckets_limit() {
    each_backend(|db| concurrent_reservations(std::sync::Arc::new(db))).await;
}

/// An operator may make REPEATABLE READ the default; a count whose snapshot was taken before
/// the lock was granted would then miss attempts committed meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reservations_hold_under_a_repeatable_read_default() {
    use sqlx::{Connection, Executor};
    for backend in backends() {
        let scratch = ScratchDatabase::new(backend)
            .await
            .expect("scratch database");
        if scratch.url.starts_with("sqlite:") {
            continue;
        }
        let mut admin = sqlx::PgConnection::connect(&scratch.url).await.unwrap();
        let name = scratch.url.rsplit('/').next().unwrap().to_owned();
        admin
            .execute(
                format!(
                    "ALTER DATABASE {name} SET default_transaction_isolation = 'repeatable read'"
                )
                .as_str(),
            )
            .await
            .unwrap();
        admin.close().await.unwrap();
        let db = std::sync::Arc::new(Db::connect(&scratch.url).await.expect("connect"));
        db.migrate().await.expect("migrate");
        for _ in 0..5 {
            concurrent_reservations(db.clone()).await;
        }
    }
}

async fn concurrent_reservations(db: std::sync::Arc<Db>) {
    {
        db.forget_login_attempts(&[0; 16], Some(&[]), &[[7u8; 32], [8u8; 32]])
            .await
            .unwrap();
        let (account, address) = ([7u8; 32], [8u8; 32]);
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..40u8 {
            let db = db.clone();
            tasks.spawn(async move {
                db.reserve_login_attempt(
                    &[i; 16],
                    &[(account, 5), (address, 20)],
                    Timestamp(0),
                    Timestamp(1000 + i64::from(i)),
                )
                .await
            });
        }
        let mut reserved = 0;
        while let Some(done) = tasks.join_next().await {
            match done.expect("task").expect("a reservation answer") {
                LoginReservation::Reserved => reserved += 1,
                LoginReservation::Full { bucket, attempts } => {
                    assert_eq!(bucket, 0);
                    assert_eq!(attempts.len(), 5);
                }
            }
        }
        assert_eq!(reserved, 5, "exactly the limit, whatever the interleaving");
        // The address bucket holds the five counted attempts and no more: room for a sixth
        // under a limit of six, and not for a seventh.
        let reserve = |id: u8| {
            let db = db.clone();
            async move {
                db.reserve_login_attempt(&[id; 16], &[(address, 6)], Timestamp(0), Timestamp(2000))
                    .await
                    .unwrap()
            }
        };
        assert_eq!(reserve(99).await, LoginReservation::Reserved);
        assert!(matches!(reserve(98).await, LoginReservation::Full { .. }));
    }
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
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
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
            .session_person(&[1u8; 32], Timestamp(6))
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

#[tokio::test]
async fn migrating_twice_changes_nothing_and_ping_answers() {
    each_backend(|db| async move {
        db.migrate().await.unwrap();
        db.ping().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_breach_starts_its_journey_and_areas_change_only_from_where_they_stand() {
    use mend_core::store::BreachRecord;
    use mend_core::{Area, AreaStatus, BreachId};
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let other_space = space(&db, sam).await;
        let key = DataKey::generate(space_id.0);
        let id = BreachId::new();
        let initial: Vec<_> = Area::ALL.iter().map(|a| (*a, a.initial_status())).collect();
        db.create_breach(
            BreachRecord {
                id,
                space: space_id,
                hurt: sam,
                repairing: alex,
                opened_by: alex,
                details: key.seal(id.0, "breach.details", "{}"),
                created_at: Timestamp(5),
                state: Default::default(),
            },
            &initial,
        )
        .await
        .unwrap();
        assert_eq!(db.breaches(space_id).await.unwrap().len(), 1);
        assert!(db.breaches(other_space).await.unwrap().is_empty());
        assert!(
            db.breach(other_space, id).await.unwrap().is_none(),
            "only through its own space"
        );
        let found = db.breach(space_id, id).await.unwrap().unwrap();
        assert_eq!((found.hurt, found.repairing), (sam, alex));

        let areas = db.areas(id).await.unwrap();
        assert_eq!(
            areas.iter().map(|a| a.area).collect::<Vec<_>>(),
            Area::ALL.to_vec()
        );
        assert_eq!(areas[0].status, AreaStatus::InProgress);
        assert!(db
            .change_area(
                id,
                Area::Acknowledge,
                AreaStatus::InProgress,
                AreaStatus::Done,
                sam,
                Timestamp(9)
            )
            .await
            .unwrap());
        assert!(
            !db.change_area(
                id,
                Area::Acknowledge,
                AreaStatus::InProgress,
                AreaStatus::Done,
                sam,
                Timestamp(10)
            )
            .await
            .unwrap(),
            "a second identical change finds nothing to change"
        );
        let areas = db.areas(id).await.unwrap();
        assert_eq!(
            (areas[0].status, areas[0].changed_at),
            (AreaStatus::Done, Timestamp(9))
        );

        let same_person = BreachRecord {
            id: BreachId::new(),
            space: space_id,
            hurt: alex,
            repairing: alex,
            opened_by: alex,
            details: key.seal(id.0, "breach.details", "{}"),
            created_at: Timestamp(6),
            state: Default::default(),
        };
        assert!(db.create_breach(same_person, &initial).await.is_err());
        assert_eq!(db.breaches(space_id).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn drafts_stay_private_and_sent_entries_are_append_only() {
    use mend_core::store::EntryRecord;
    use mend_core::{BreachId, EntryId, EntryKind, EntryState};
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let key = DataKey::generate(space_id.0);
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

#[tokio::test]
async fn agreements_are_proposed_decided_once_and_revisions_supersede() {
    use mend_core::store::AgreementRecord;
    use mend_core::{AgreementId, AgreementState};
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let other = space(&db, sam).await;
        let key = DataKey::generate(space_id.0);
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

#[tokio::test]
async fn questions_wait_for_answers_within_their_journey() {
    use mend_core::store::{AnswerRecord, BreachRecord, QuestionRecord};
    use mend_core::{AnswerId, BreachId, QuestionId, QuestionKind, Response};
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let key = DataKey::generate(space_id.0);
        let mut breaches = Vec::new();
        for _ in 0..2 {
            let id = BreachId::new();
            db.create_breach(
                BreachRecord {
                    id,
                    space: space_id,
                    hurt: sam,
                    repairing: alex,
                    opened_by: sam,
                    details: key.seal(id.0, "breach.details", "{}"),
                    created_at: Timestamp(1),
                    state: Default::default(),
                },
                &[],
            )
            .await
            .unwrap();
            breaches.push(id);
        }
        let (breach, other) = (breaches[0], breaches[1]);
        let first = QuestionId::new();
        let ask = |id: QuestionId, again: Option<QuestionId>, at: i64| QuestionRecord {
            id,
            breach,
            asked_by: sam,
            text: Some(key.seal(id.0, "question.text", "Who else knew?")),
            kind: Some(QuestionKind::Secrecy),
            asked_again_of: again,
            created_at: Timestamp(at),
            in_person_at: None,
            withdrawn_at: None,
        };
        db.create_question(ask(first, None, 2)).await.unwrap();
        let again = QuestionId::new();
        db.create_question(ask(again, Some(first), 3))
            .await
            .unwrap();
        let questions = db.questions(breach).await.unwrap();
        assert_eq!(
            questions.iter().map(|q| q.id).collect::<Vec<_>>(),
            vec![first, again]
        );
        assert_eq!(questions[1].asked_again_of, Some(first));
        assert_eq!(questions[0].kind, Some(QuestionKind::Secrecy));
        assert!(db.questions(other).await.unwrap().is_empty());

        assert!(!db
            .answer_in_person(other, first, Timestamp(4))
            .await
            .unwrap());
        assert!(db
            .answer_in_person(breach, first, Timestamp(4))
            .await
            .unwrap());
        assert!(!db
            .answer_in_person(breach, first, Timestamp(5))
            .await
            .unwrap());

        let answer = |id: AnswerId| AnswerRecord {
            id,
            question: first,
            author: alex,
            body: Some(key.seal(id.0, "answer.body", "Only my brother.")),
            created_at: Timestamp(6),
            withdrawn_at: None,
            response: None,
            responded_at: None,
        };
        let a1 = AnswerId::new();
        assert!(
            !db.create_answer(other, answer(a1)).await.unwrap(),
            "not through another journey"
        );
        assert!(db.create_answer(breach, answer(a1)).await.unwrap());
        assert!(db.answers(other).await.unwrap().is_empty());
        assert!(!db
            .respond(other, a1, Response::ThisHelps, Timestamp(7))
            .await
            .unwrap());
        assert!(db
            .respond(breach, a1, Response::NeedMore, Timestamp(7))
            .await
            .unwrap());
        let answers = db.answers(breach).await.unwrap();
        assert_eq!(
            (answers[0].response, answers[0].responded_at),
            (Some(Response::NeedMore), Some(Timestamp(7)))
        );

        assert!(
            !db.withdraw_answer(breach, a1, sam, Timestamp(8))
                .await
                .unwrap(),
            "only its author"
        );
        assert!(!db
            .withdraw_answer(other, a1, alex, Timestamp(8))
            .await
            .unwrap());
        assert!(db
            .withdraw_answer(breach, a1, alex, Timestamp(8))
            .await
            .unwrap());
        assert!(
            !db.withdraw_answer(breach, a1, alex, Timestamp(9))
                .await
                .unwrap(),
            "once"
        );
        let answers = db.answers(breach).await.unwrap();
        assert_eq!(
            (answers[0].withdrawn_at, answers[0].body.is_none()),
            (Some(Timestamp(8)), true)
        );
        assert!(
            !db.respond(breach, a1, Response::ThisHelps, Timestamp(9))
                .await
                .unwrap(),
            "not to a withdrawn answer"
        );

        assert!(
            !db.withdraw_question(breach, again, alex, Timestamp(10))
                .await
                .unwrap(),
            "only its asker"
        );
        assert!(db
            .withdraw_question(breach, again, sam, Timestamp(10))
            .await
            .unwrap());
        assert!(
            !db.withdraw_question(breach, again, sam, Timestamp(11))
                .await
                .unwrap(),
            "once"
        );
        let q = db.questions(breach).await.unwrap();
        assert_eq!(
            (q[1].withdrawn_at, q[1].text.is_none()),
            (Some(Timestamp(10)), true)
        );
    })
    .await;
}

#[tokio::test]
async fn evidence_stays_with_its_author_until_shared() {
    use mend_core::store::EvidenceRecord;
    use mend_core::{BreachId, EvidenceId, Moment};
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let space_key = DataKey::generate(space_id.0);
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
async fn last_visits_are_remembered_per_person_journey_and_section() {
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let breach = breach(&db, space_id, sam, alex).await;
        assert_eq!(db.last_seen(sam, breach, "questions").await.unwrap(), None);
        db.mark_seen(sam, breach, "questions", Timestamp(5))
            .await
            .unwrap();
        db.mark_seen(sam, breach, "questions", Timestamp(9))
            .await
            .unwrap();
        assert_eq!(
            db.last_seen(sam, breach, "questions").await.unwrap(),
            Some(Timestamp(9))
        );
        assert_eq!(
            db.last_seen(sam, breach, "acknowledge").await.unwrap(),
            None
        );
        assert_eq!(db.last_seen(alex, breach, "questions").await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn check_ins_are_kept_in_order_within_their_journey() {
    use mend_core::store::CheckInRecord;
    use mend_core::{CheckInId, Trust};
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let other = breach(&db, space_id, sam, alex).await;
        for (at, trust) in [(30, "6"), (10, "2"), (20, "4")] {
            db.create_check_in(CheckInRecord {
                id: CheckInId::new(),
                breach: journey,
                person: sam,
                trust: Trust::parse(trust).unwrap(),
                note: None,
                created_at: Timestamp(at),
            })
            .await
            .unwrap();
        }
        let values: Vec<u8> = db
            .check_ins(journey)
            .await
            .unwrap()
            .iter()
            .map(|c| c.trust.value())
            .collect();
        assert_eq!(values, vec![2, 4, 6]);
        assert!(db.check_ins(other).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn journey_choices_change_once_and_nothing_changes_after_the_end() {
    use mend_core::{Ending, JourneyChange, Rhythm};
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let fresh = db.breach(space_id, journey).await.unwrap().unwrap().state;
        assert_eq!(fresh, mend_core::JourneyState::default());
        assert_eq!(fresh.recommit_rhythm, Rhythm::Weekly);

        let change = |c| db.change_journey(journey, c, sam, Timestamp(50));
        assert!(change(JourneyChange::MuteReassurance).await.unwrap());
        assert!(
            !change(JourneyChange::MuteReassurance).await.unwrap(),
            "once"
        );
        assert!(change(JourneyChange::CheckInRhythm(Some(Rhythm::Daily)))
            .await
            .unwrap());
        assert!(change(JourneyChange::RecommitRhythm(Rhythm::Monthly))
            .await
            .unwrap());
        assert!(change(JourneyChange::OpenMySide).await.unwrap());
        assert!(!change(JourneyChange::OpenMySide).await.unwrap());
        assert!(change(JourneyChange::OpenContext).await.unwrap());
        assert!(
            !change(JourneyChange::AgreeClosing).await.unwrap(),
            "nothing proposed"
        );
        assert!(change(JourneyChange::ProposeClosing).await.unwrap());
        let s = db.breach(space_id, journey).await.unwrap().unwrap().state;
        assert_eq!(s.reassurance_muted_at, Some(Timestamp(50)));
        assert_eq!(s.check_in_rhythm, Some(Rhythm::Daily));
        assert_eq!(s.recommit_rhythm, Rhythm::Monthly);
        assert_eq!(s.my_side_opened_at, Some(Timestamp(50)));
        assert_eq!(s.context_opened_at, Some(Timestamp(50)));
        assert_eq!(s.closing_proposed_at, Some(Timestamp(50)));
        assert!(change(JourneyChange::UnmuteReassurance).await.unwrap());
        assert!(change(JourneyChange::CheckInRhythm(None)).await.unwrap());
        let s = db.breach(space_id, journey).await.unwrap().unwrap().state;
        assert_eq!((s.reassurance_muted_at, s.check_in_rhythm), (None, None));

        assert!(db
            .change_journey(journey, JourneyChange::AgreeClosing, alex, Timestamp(60))
            .await
            .unwrap());
        let ended = db
            .breach(space_id, journey)
            .await
            .unwrap()
            .unwrap()
            .state
            .ended
            .unwrap();
        assert_eq!(
            (ended.how, ended.by, ended.at),
            (Ending::ClosedChapter, alex, Timestamp(60))
        );
        for c in [
            JourneyChange::PartWithCare,
            JourneyChange::MuteReassurance,
            JourneyChange::WithdrawClosing,
            JourneyChange::RecommitRhythm(Rhythm::Daily),
        ] {
            assert!(!change(c).await.unwrap(), "{c:?} after the end");
        }
        assert_eq!(
            db.breach(space_id, journey)
                .await
                .unwrap()
                .unwrap()
                .state
                .ended
                .unwrap()
                .how,
            Ending::ClosedChapter
        );

        let other = breach(&db, space_id, sam, alex).await;
        assert!(db
            .change_journey(other, JourneyChange::PartWithCare, sam, Timestamp(70))
            .await
            .unwrap());
        let s = db.breach(space_id, other).await.unwrap().unwrap().state;
        assert_eq!(s.ended.unwrap().how, Ending::PartedWithCare);
    })
    .await;
}

#[tokio::test]
async fn reflections_wait_for_an_answer_and_stay_in_their_journey() {
    use mend_core::store::{FeelingRecord, ReflectionRecord};
    use mend_core::{FeelingId, ReflectionId, Verdict};
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let other = breach(&db, space_id, sam, alex).await;
        let key = DataKey::generate(space_id.0);
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
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let key = DataKey::generate(space_id.0);
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

#[tokio::test]
async fn triggers_are_signalled_and_replied_to_once() {
    use mend_core::store::TriggerRecord;
    use mend_core::TriggerId;
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let other = breach(&db, space_id, sam, alex).await;
        let key = DataKey::generate(space_id.0);
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
async fn transparency_offers_are_decided_once_and_renewed_one_at_a_time() {
    use mend_core::store::TransparencyRecord;
    use mend_core::{Period, TransparencyId, TransparencyState};
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let other = breach(&db, space_id, sam, alex).await;
        let key = DataKey::generate(space_id.0);
        let offer = |renews: Option<TransparencyId>, at: i64| {
            let id = TransparencyId::new();
            TransparencyRecord {
                id,
                breach: journey,
                offered_by: alex,
                text: key.seal(id.0, "transparency.text", "I will tell you the same day."),
                period: Period::ThreeMonths,
                state: TransparencyState::Offered,
                renews,
                created_at: Timestamp(at),
                decided_at: None,
                starts_at: None,
            }
        };
        let first = offer(None, 5);
        let first_id = first.id;
        db.create_transparency(first).await.unwrap();

        assert!(!db
            .accept_transparency(other, first_id, Timestamp(6), Timestamp(6))
            .await
            .unwrap());
        assert!(db
            .accept_transparency(journey, first_id, Timestamp(6), Timestamp(6))
            .await
            .unwrap());
        assert!(
            !db.accept_transparency(journey, first_id, Timestamp(7), Timestamp(7))
                .await
                .unwrap(),
            "once"
        );
        assert!(!db
            .close_transparency_offer(
                journey,
                first_id,
                TransparencyState::Withdrawn,
                Timestamp(7)
            )
            .await
            .unwrap());

        let renewal = offer(Some(first_id), 8);
        let renewal_id = renewal.id;
        db.create_transparency(renewal).await.unwrap();
        assert!(
            matches!(
                db.create_transparency(offer(Some(first_id), 9)).await,
                Err(StoreError::Conflict(_))
            ),
            "one open renewal of an agreement"
        );
        assert!(db
            .close_transparency_offer(
                journey,
                renewal_id,
                TransparencyState::Declined,
                Timestamp(10)
            )
            .await
            .unwrap());
        db.create_transparency(offer(Some(first_id), 11))
            .await
            .unwrap();

        let all = db.transparency_agreements(journey).await.unwrap();
        let states: Vec<_> = all.iter().map(|t| t.state).collect();
        assert_eq!(
            states,
            [
                TransparencyState::Accepted,
                TransparencyState::Declined,
                TransparencyState::Offered
            ]
        );
        assert_eq!(
            (all[0].starts_at, all[0].decided_at, all[0].period),
            (Some(Timestamp(6)), Some(Timestamp(6)), Period::ThreeMonths)
        );
        assert_eq!(all[1].renews, Some(first_id));
        assert_eq!(
            key.open(all[0].id.0, "transparency.text", &all[0].text)
                .unwrap(),
            "I will tell you the same day."
        );
        assert!(db.transparency_agreements(other).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn journals_stay_with_their_author_until_shared_and_can_be_taken_back() {
    use mend_core::store::JournalEntryRecord;
    use mend_core::JournalEntryId;
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let code = invite(&db, space_id, alex, "code-1", 1_000).await;
        db.accept_invite(code, sam, Timestamp(30)).await.unwrap();
        let space_key = DataKey::generate(space_id.0);
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
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
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

// --- Sending an entry in one step, and one waiting reflection, under concurrency ---

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
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let key = DataKey::generate(space_id.0);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reflections_sent_at_once_leave_one_waiting() {
    use mend_core::store::{FeelingRecord, ReflectionRecord};
    use mend_core::{FeelingId, ReflectionId};
    each_backend(|db| async move {
        let alex = person(&db, "alex@example.org").await;
        let sam = person(&db, "sam@example.org").await;
        let space_id = space(&db, alex).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let key = DataKey::generate(space_id.0);
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

/// A refused reservation must not queue behind writers: while another connection holds the
/// write lock, an attempt at a full bucket is still answered (and counts nowhere).
#[tokio::test]
async fn a_full_bucket_is_refused_without_waiting_for_the_write_lock() {
    use sqlx::{Connection, Executor};
    for backend in backends() {
        let scratch = ScratchDatabase::new(backend)
            .await
            .expect("scratch database");
        let db = Db::connect(&scratch.url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let account = [21u8; 32];
        for id in 0..2u8 {
            assert_eq!(
                db.reserve_login_attempt(&[id; 16], &[(account, 2)], Timestamp(0), Timestamp(10))
                    .await
                    .unwrap(),
                LoginReservation::Reserved
            );
        }
        let refused = || async {
            // Only a guard against hanging for ever: the old code waited for the lock.
            tokio::time::timeout(
                std::time::Duration::from_secs(30),
                db.reserve_login_attempt(&[9; 16], &[(account, 2)], Timestamp(0), Timestamp(20)),
            )
            .await
            .expect("answered while the write lock is held")
            .expect("a reservation answer")
        };
        if scratch.url.starts_with("sqlite:") {
            let mut writer = sqlx::SqliteConnection::connect(&scratch.url).await.unwrap();
            writer.execute("BEGIN IMMEDIATE").await.unwrap();
            assert!(matches!(refused().await, LoginReservation::Full { .. }));
            writer.execute("ROLLBACK").await.unwrap();
        } else {
            let mut writer = sqlx::PgConnection::connect(&scratch.url).await.unwrap();
            writer.execute("BEGIN").await.unwrap();
            writer
                .execute("LOCK TABLE login_attempts IN EXCLUSIVE MODE")
                .await
                .unwrap();
            assert!(matches!(refused().await, LoginReservation::Full { .. }));
            writer.execute("ROLLBACK").await.unwrap();
        }
    }
}

/// Attempts that aged out are dropped even in buckets nobody tries again: any reservation
/// sweeps some of the oldest.
#[tokio::test]
async fn old_attempts_are_swept_from_buckets_not_tried_again() {
    each_backend(|db| async move {
        let day = 24 * 3_600_000;
        let forgotten: Vec<[u8; 32]> = (0..10u8).map(|i| [100 + i; 32]).collect();
        for (i, key) in forgotten.iter().enumerate() {
            let id = [i as u8; 16];
            db.reserve_login_attempt(&id, &[(*key, 1)], Timestamp(0), Timestamp(1000))
                .await
                .unwrap();
        }
        // A day and more later, an attempt somewhere else.
        db.reserve_login_attempt(
            &[50; 16],
            &[([99; 32], 1)],
            Timestamp(0),
            Timestamp(day + 2000),
        )
        .await
        .unwrap();
        // Counted from the beginning of time, a forgotten bucket would be full if its row were
        // still there (only a reservation in the bucket itself would otherwise drop it).
        for (i, key) in forgotten.iter().enumerate() {
            assert_eq!(
                db.reserve_login_attempt(
                    &[60 + i as u8; 16],
                    &[(*key, 1)],
                    Timestamp(0),
                    Timestamp(day + 3000)
                )
                .await
                .unwrap(),
                LoginReservation::Reserved,
                "bucket {i}"
            );
        }
    })
    .await;
}
