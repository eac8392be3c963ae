//! Log-in attempts: reserved per bucket, all or none, under concurrency and without
//! waiting behind writers, and forgotten.

use mend_core::store::prelude::*;
use mend_core::store::LoginReservation;
use mend_core::Timestamp;
use mend_store::scratch::{backends, ScratchDatabase};
use mend_store::Db;

use crate::each_backend;

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
