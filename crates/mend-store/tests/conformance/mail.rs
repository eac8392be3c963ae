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
                let j = job(*p, MailKind::SomethingWaits, Some(w), (i as i64) % 3);
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
