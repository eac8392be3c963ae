//! The mail queue and verified addresses (issue 12).

use std::collections::HashSet;

use mend_core::mail::MailKind;
use mend_core::store::prelude::*;
use mend_core::store::NewMailJob;
use mend_core::{MailJobId, PersonId, Timestamp};
use mend_store::scratch::{backends, ScratchDatabase};
use mend_store::Db;

use crate::{each_backend, person, server_key};

fn job(person: PersonId, kind: MailKind, window: Option<i64>, due: i64) -> NewMailJob {
    NewMailJob {
        id: MailJobId::new(),
        person,
        kind,
        window_start: window.map(Timestamp),
        created_at: Timestamp(due),
        due_at: Timestamp(due),
    }
}

#[tokio::test]
async fn one_job_per_window_claimed_by_one_claim_at_a_time() {
    each_backend(|db| async move {
        let robin = person(&db, "robin@example.org").await;
        assert!(db
            .enqueue_mail(job(robin, MailKind::VerifyAddress, Some(0), 10))
            .await
            .unwrap());
        // The same window adds nothing; another kind, or no window, does.
        assert!(!db
            .enqueue_mail(job(robin, MailKind::VerifyAddress, Some(0), 11))
            .await
            .unwrap());
        assert!(db
            .enqueue_mail(job(robin, MailKind::PasswordReset, Some(0), 50))
            .await
            .unwrap());

        // Not due yet.
        assert_eq!(
            db.claim_mail(&[1; 16], Timestamp(5), Timestamp(100))
                .await
                .unwrap(),
            None
        );
        let first = db
            .claim_mail(&[1; 16], Timestamp(20), Timestamp(100))
            .await
            .unwrap()
            .expect("a due job");
        assert_eq!((first.kind, first.attempts), (MailKind::VerifyAddress, 1));
        // Held by its lease: another claim finds nothing else due.
        assert_eq!(
            db.claim_mail(&[2; 16], Timestamp(30), Timestamp(130))
                .await
                .unwrap(),
            None
        );
        // A crashed claim: once the lease is over, the job is taken again.
        let again = db
            .claim_mail(&[2; 16], Timestamp(100), Timestamp(200))
            .await
            .unwrap()
            .expect("taken again");
        assert_eq!((again.id, again.attempts), (first.id, 2));
        // Only the live claim may finish it.
        assert!(!db
            .mail_sent(first.id, &[1; 16], Timestamp(101))
            .await
            .unwrap());
        assert!(db
            .mail_sent(first.id, &[2; 16], Timestamp(101))
            .await
            .unwrap());
        assert!(!db
            .mail_sent(first.id, &[2; 16], Timestamp(102))
            .await
            .unwrap());

        // A failure is due again later, then given up.
        let reset = db
            .claim_mail(&[3; 16], Timestamp(102), Timestamp(300))
            .await
            .unwrap()
            .expect("the reset job");
        assert_eq!(reset.kind, MailKind::PasswordReset);
        assert!(db
            .mail_failed(
                reset.id,
                &[3; 16],
                "connection",
                Some(Timestamp(500)),
                Timestamp(103)
            )
            .await
            .unwrap());
        assert_eq!(
            db.claim_mail(&[4; 16], Timestamp(499), Timestamp(900))
                .await
                .unwrap(),
            None
        );
        let retried = db
            .claim_mail(&[4; 16], Timestamp(500), Timestamp(900))
            .await
            .unwrap()
            .expect("due again");
        assert_eq!(retried.attempts, 2);
        assert!(db
            .mail_failed(retried.id, &[4; 16], "refused", None, Timestamp(501))
            .await
            .unwrap());
        assert_eq!(
            db.claim_mail(&[5; 16], Timestamp(10_000), Timestamp(20_000))
                .await
                .unwrap(),
            None
        );

        let jobs = db.mail_jobs_of(robin).await.unwrap();
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[0].sent_at, Some(Timestamp(101)));
        assert_eq!(jobs[1].gave_up_at, Some(Timestamp(501)));
        assert_eq!(jobs[1].failure.as_deref(), Some("refused"));

        // Finished jobs are forgotten after a while.
        assert_eq!(db.forget_finished_mail(Timestamp(200)).await.unwrap(), 1);
        assert_eq!(db.forget_finished_mail(Timestamp(1_000)).await.unwrap(), 1);
        assert!(db.mail_jobs_of(robin).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_verification_link_works_once_and_not_after_it_expires() {
    each_backend(|db| async move {
        let robin = person(&db, "robin@example.org").await;
        let token = server_key().lookup_hash("email-verification", b"t1");
        let late = server_key().lookup_hash("email-verification", b"t2");
        db.create_email_verification(&token, robin, Timestamp(100))
            .await
            .unwrap();
        db.create_email_verification(&late, robin, Timestamp(100))
            .await
            .unwrap();
        assert_eq!(db.email_verified_at(robin).await.unwrap(), None);
        assert_eq!(db.verify_email(&late, Timestamp(100)).await.unwrap(), None);
        assert_eq!(
            db.verify_email(&token, Timestamp(50)).await.unwrap(),
            Some(robin)
        );
        assert_eq!(db.verify_email(&token, Timestamp(51)).await.unwrap(), None);
        assert_eq!(
            db.email_verified_at(robin).await.unwrap(),
            Some(Timestamp(50))
        );
        let unknown = server_key().lookup_hash("email-verification", b"nope");
        assert_eq!(
            db.verify_email(&unknown, Timestamp(52)).await.unwrap(),
            None
        );
    })
    .await;
}

/// Two instances on one database, each with its own pool, claiming at once: every job is
/// claimed exactly once.
#[tokio::test]
async fn two_workers_on_two_pools_claim_each_job_once() {
    for backend in backends() {
        let scratch = ScratchDatabase::new(backend).await.expect("scratch");
        let db = Db::connect(&scratch.url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let other = Db::connect(&scratch.url).await.expect("a second pool");
        let mut people = Vec::new();
        for i in 0..20 {
            people.push(person(&db, &format!("p{i}@example.org")).await);
        }
        let mut queued = HashSet::new();
        for (i, p) in people.iter().enumerate() {
            for w in 0..10 {
                let j = job(*p, MailKind::VerifyAddress, Some(w), (i as i64) % 3);
                queued.insert(j.id);
                assert!(db.enqueue_mail(j).await.unwrap());
            }
        }
        async fn drain(db: &Db, me: u8) -> Vec<MailJobId> {
            let mut mine = Vec::new();
            let mut n: u8 = 0;
            loop {
                n = n.wrapping_add(1);
                let claim = [me, n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7];
                match db
                    .claim_mail(&claim, Timestamp(10), Timestamp(1_000_000))
                    .await
                    .unwrap()
                {
                    Some(c) => {
                        assert!(db.mail_sent(c.id, &claim, Timestamp(11)).await.unwrap());
                        mine.push(c.id);
                    }
                    None => return mine,
                }
            }
        }
        let (a, b) = tokio::join!(drain(&db, 1), drain(&other, 2));
        let mut seen = HashSet::new();
        for id in a.iter().chain(b.iter()) {
            assert!(seen.insert(*id), "a job was claimed twice on {backend:?}");
        }
        assert_eq!(seen, queued, "every job was claimed on {backend:?}");
        eprintln!("{backend:?}: {} and {} jobs", a.len(), b.len());
    }
}

/// Using one reset link spends every other reset link of the person and drops the reset
/// mail still waiting (a sent one stays as history); other kinds are kept.
#[tokio::test]
async fn a_used_reset_link_spends_the_others_and_drops_waiting_reset_mail() {
    each_backend(|db| async move {
        let robin = person(&db, "robin@example.org").await;
        let other = person(&db, "other@example.org").await;
        let (used, old, theirs) = ([1u8; 32], [2u8; 32], [3u8; 32]);
        for (token, who) in [(used, robin), (old, robin), (theirs, other)] {
            db.create_password_reset(&token, who, Timestamp(1_000))
                .await
                .unwrap();
        }
        db.enqueue_mail(job(robin, MailKind::PasswordReset, Some(0), 10))
            .await
            .unwrap();
        db.enqueue_mail(job(robin, MailKind::SomethingWaits, Some(0), 10))
            .await
            .unwrap();
        db.enqueue_mail(job(other, MailKind::PasswordReset, Some(0), 10))
            .await
            .unwrap();
        assert_eq!(
            db.use_password_reset(&used, "fresh", Timestamp(20))
                .await
                .unwrap(),
            Some(robin)
        );
        assert_eq!(
            db.password_reset_person(&old, Timestamp(21)).await.unwrap(),
            None,
            "an older link opens nothing once a reset is done"
        );
        assert_eq!(
            db.use_password_reset(&old, "stale", Timestamp(21))
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            db.password_reset_person(&theirs, Timestamp(21))
                .await
                .unwrap(),
            Some(other)
        );
        let kinds: Vec<MailKind> = db
            .mail_jobs_of(robin)
            .await
            .unwrap()
            .into_iter()
            .map(|j| j.kind)
            .collect();
        assert_eq!(kinds, vec![MailKind::SomethingWaits]);
        assert_eq!(db.mail_jobs_of(other).await.unwrap().len(), 1);
    })
    .await;
}

/// Verifying an address spends its other verification links and drops the verification
/// mail still waiting.
#[tokio::test]
async fn verifying_spends_the_other_links_and_drops_waiting_verification_mail() {
    each_backend(|db| async move {
        let robin = person(&db, "robin@example.org").await;
        let first = server_key().lookup_hash("email-verification", b"first");
        let second = server_key().lookup_hash("email-verification", b"second");
        for token in [&first, &second] {
            db.create_email_verification(token, robin, Timestamp(1_000))
                .await
                .unwrap();
        }
        db.enqueue_mail(job(robin, MailKind::VerifyAddress, Some(0), 10))
            .await
            .unwrap();
        db.enqueue_mail(job(robin, MailKind::PasswordReset, Some(0), 10))
            .await
            .unwrap();
        assert_eq!(
            db.verify_email(&second, Timestamp(20)).await.unwrap(),
            Some(robin)
        );
        assert_eq!(db.verify_email(&first, Timestamp(21)).await.unwrap(), None);
        let kinds: Vec<MailKind> = db
            .mail_jobs_of(robin)
            .await
            .unwrap()
            .into_iter()
            .map(|j| j.kind)
            .collect();
        assert_eq!(kinds, vec![MailKind::PasswordReset]);
    })
    .await;
}

/// Links used or expired are forgotten by the sweep once older than its cut; fresh ones and
/// links still usable are kept.
#[tokio::test]
async fn spent_links_are_forgotten_by_the_sweep() {
    each_backend(|db| async move {
        let robin = person(&db, "robin@example.org").await;
        let used = server_key().lookup_hash("email-verification", b"used");
        let expired = server_key().lookup_hash("email-verification", b"expired");
        let live = server_key().lookup_hash("email-verification", b"live");
        db.create_email_verification(&used, robin, Timestamp(10_000))
            .await
            .unwrap();
        db.create_email_verification(&expired, robin, Timestamp(50))
            .await
            .unwrap();
        db.create_email_verification(&live, robin, Timestamp(10_000))
            .await
            .unwrap();
        let reset_used = [1u8; 32];
        let reset_expired = [2u8; 32];
        db.create_password_reset(&reset_expired, robin, Timestamp(50))
            .await
            .unwrap();
        db.create_password_reset(&reset_used, robin, Timestamp(10_000))
            .await
            .unwrap();
        assert_eq!(
            db.use_password_reset(&reset_used, "fresh", Timestamp(60))
                .await
                .unwrap(),
            Some(robin)
        );
        // `verify_email` spends the other two verification links; make the live one again.
        assert_eq!(
            db.verify_email(&used, Timestamp(60)).await.unwrap(),
            Some(robin)
        );
        let live2 = server_key().lookup_hash("email-verification", b"live2");
        db.create_email_verification(&live2, robin, Timestamp(10_000))
            .await
            .unwrap();
        // Nothing is old enough before its cut.
        assert_eq!(db.forget_spent_links(Timestamp(40)).await.unwrap(), 0);
        // At 100: both expired (50) and all used (60) go; live2 stays.
        assert_eq!(db.forget_spent_links(Timestamp(100)).await.unwrap(), 5);
        assert_eq!(db.forget_spent_links(Timestamp(100)).await.unwrap(), 0);
    })
    .await;
}

/// A link or a job for an account deleted meanwhile, or for no account at all, is not made:
/// the guard is in the insert itself.
#[tokio::test]
async fn no_link_or_job_for_a_deleted_or_unknown_account() {
    each_backend(|db| async move {
        let robin = person(&db, "robin@example.org").await;
        assert!(db.delete_person(robin, &[], Timestamp(5)).await.unwrap());
        let token = server_key().lookup_hash("email-verification", b"t");
        assert!(matches!(
            db.create_email_verification(&token, robin, Timestamp(100))
                .await,
            Err(mend_core::StoreError::Conflict(_))
        ));
        assert!(matches!(
            db.create_password_reset(&[7u8; 32], robin, Timestamp(100))
                .await,
            Err(mend_core::StoreError::Conflict(_))
        ));
        assert_eq!(db.forget_spent_links(Timestamp(1_000)).await.unwrap(), 0);
        for who in [robin, PersonId::new()] {
            assert!(!db
                .enqueue_mail(job(who, MailKind::PasswordReset, Some(0), 10))
                .await
                .unwrap());
            assert!(db.mail_jobs_of(who).await.unwrap().is_empty());
        }
    })
    .await;
}
