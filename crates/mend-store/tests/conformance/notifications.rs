//! Notification choices and the one pending notice per person (issue 12).

use mend_core::mail::MailKind;
use mend_core::notification::{Cadence, NotificationChoice, QuietHours, Topic, Topics, Wording};
use mend_core::store::prelude::*;
use mend_core::{MailJobId, PersonId, Timestamp};
use mend_store::scratch::{backends, ScratchDatabase};
use mend_store::Db;

use crate::{couple, each_backend, invite, person, server_key};

async fn verified(db: &Db, person: PersonId) {
    let token = server_key().lookup_hash("email-verification", person.0.as_bytes());
    db.create_email_verification(&token, person, Timestamp(i64::MAX / 2))
        .await
        .unwrap();
    db.verify_email(&token, Timestamp(5)).await.unwrap();
}

fn digest_at_eight() -> NotificationChoice {
    NotificationChoice {
        cadence: Cadence::Digest { hour: 8 },
        quiet: Some(QuietHours::new(21, 6).unwrap()),
        topics: Topics::NONE.with(Topic::Answers).with(Topic::Triggers),
        wording: Wording::Reminder,
        triggers_at_once: true,
    }
}

async fn pending(db: &Db, person: PersonId) -> Vec<(MailJobId, Timestamp)> {
    db.mail_jobs_of(person)
        .await
        .unwrap()
        .into_iter()
        .filter(|j| j.kind == MailKind::SomethingWaits && j.sent_at.is_none())
        .filter(|j| j.gave_up_at.is_none())
        .map(|j| (j.id, j.due_at))
        .collect()
}

#[tokio::test]
async fn choices_are_kept_changed_and_read_with_what_planning_needs() {
    each_backend(|db| async move {
        let robin = person(&db, "robin@example.org").await;
        assert_eq!(db.notice_recipient(robin).await.unwrap(), None);
        db.choose_notifications(robin, &digest_at_eight(), Timestamp(10))
            .await
            .unwrap();
        let r = db.notice_recipient(robin).await.unwrap().expect("chosen");
        assert_eq!(r.choice, digest_at_eight());
        assert_eq!((r.last_sent, r.verified), (None, false));
        assert_eq!(r.time_zone, None);
        db.choose_time_zone(robin, "Europe/Paris").await.unwrap();
        verified(&db, robin).await;
        let soon = NotificationChoice {
            cadence: Cadence::Soon,
            quiet: None,
            ..NotificationChoice::default()
        };
        db.choose_notifications(robin, &soon, Timestamp(11))
            .await
            .unwrap();
        let r = db.notice_recipient(robin).await.unwrap().expect("chosen");
        assert_eq!(r.choice, soon);
        assert!(r.verified);
        assert_eq!(r.time_zone.as_deref(), Some("Europe/Paris"));
        assert_eq!(
            db.people_with_notices_on(None, 10).await.unwrap(),
            vec![robin]
        );
        assert!(db
            .people_with_notices_on(Some(robin), 10)
            .await
            .unwrap()
            .is_empty());
        // Off, or not verified: not among them.
        let kim = person(&db, "kim@example.org").await;
        db.choose_notifications(kim, &soon, Timestamp(12))
            .await
            .unwrap();
        db.choose_notifications(robin, &NotificationChoice::default(), Timestamp(13))
            .await
            .unwrap();
        assert!(db
            .people_with_notices_on(None, 10)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_partner_is_the_other_seat_of_the_space() {
    each_backend(|db| async move {
        let (alex, sam, space, _) = couple(&db).await;
        assert_eq!(db.partner_of(alex).await.unwrap(), None);
        let code = invite(&db, space, alex, "code", 1_000).await;
        db.accept_invite(code, sam, Timestamp(21)).await.unwrap();
        assert_eq!(db.partner_of(alex).await.unwrap(), Some(sam));
        assert_eq!(db.partner_of(sam).await.unwrap(), Some(alex));
    })
    .await;
}

#[tokio::test]
async fn one_notice_is_pending_brought_forward_moved_and_sent_once() {
    each_backend(|db| async move {
        let robin = person(&db, "robin@example.org").await;
        db.choose_notifications(robin, &digest_at_eight(), Timestamp(1))
            .await
            .unwrap();
        assert!(db
            .ensure_notice(MailJobId::new(), robin, Timestamp(500), Timestamp(10))
            .await
            .unwrap());
        // A later one adds nothing and moves nothing; an earlier one brings it forward.
        assert!(!db
            .ensure_notice(MailJobId::new(), robin, Timestamp(900), Timestamp(11))
            .await
            .unwrap());
        let id = pending(&db, robin).await[0].0;
        assert_eq!(pending(&db, robin).await, vec![(id, Timestamp(500))]);
        assert!(!db
            .ensure_notice(MailJobId::new(), robin, Timestamp(300), Timestamp(12))
            .await
            .unwrap());
        assert_eq!(pending(&db, robin).await, vec![(id, Timestamp(300))]);
        // A changed choice moves it either way.
        db.reschedule_notice(robin, Some(Timestamp(700)), Timestamp(13))
            .await
            .unwrap();
        assert_eq!(pending(&db, robin).await, vec![(id, Timestamp(700))]);

        // A claimed one is left to its worker; postponing gives its try back.
        let claim = [4; 16];
        let c = db
            .claim_mail(&claim, Timestamp(700), Timestamp(800))
            .await
            .unwrap()
            .expect("due");
        db.reschedule_notice(robin, None, Timestamp(701))
            .await
            .unwrap();
        assert_eq!(pending(&db, robin).await.len(), 1);
        assert!(db
            .notice_postponed(c.id, &claim, Timestamp(750))
            .await
            .unwrap());
        let jobs = db.mail_jobs_of(robin).await.unwrap();
        assert_eq!((jobs[0].attempts, jobs[0].due_at), (0, Timestamp(750)));
        let c = db
            .claim_mail(&claim, Timestamp(750), Timestamp(850))
            .await
            .unwrap()
            .expect("due again");
        assert!(db
            .notice_sent(c.id, &claim, robin, Timestamp(760))
            .await
            .unwrap());
        assert!(!db
            .notice_sent(c.id, &claim, robin, Timestamp(761))
            .await
            .unwrap());
        let r = db.notice_recipient(robin).await.unwrap().unwrap();
        assert_eq!(r.last_sent, Some(Timestamp(760)));
        // Sent: a new one may be pending again; and removed when nothing is due.
        assert!(db
            .ensure_notice(MailJobId::new(), robin, Timestamp(900), Timestamp(800))
            .await
            .unwrap());
        db.reschedule_notice(robin, None, Timestamp(801))
            .await
            .unwrap();
        assert!(pending(&db, robin).await.is_empty());
    })
    .await;
}

/// Many writers at the same moment, on two pools of one database: one notice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn notices_queued_at_the_same_moment_are_one() {
    for backend in backends() {
        let scratch = ScratchDatabase::new(backend).await.expect("scratch");
        let db = std::sync::Arc::new(Db::connect(&scratch.url).await.expect("connect"));
        db.migrate().await.expect("migrate");
        let other = std::sync::Arc::new(Db::connect(&scratch.url).await.expect("a second pool"));
        let robin = person(&db, "robin@example.org").await;
        // Every writer waits at the barrier, so the inserts really meet.
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(16));
        let tries: Vec<_> = (0..16)
            .map(|i| {
                let store = if i % 2 == 0 {
                    db.clone()
                } else {
                    other.clone()
                };
                let start = start.clone();
                tokio::spawn(async move {
                    start.wait().await;
                    store
                        .ensure_notice(MailJobId::new(), robin, Timestamp(100 + i), Timestamp(1))
                        .await
                })
            })
            .collect();
        let mut added = 0;
        for t in tries {
            if t.await.expect("a writer").expect("ensure") {
                added += 1;
            }
        }
        assert_eq!(added, 1, "{backend:?}");
        let left = pending(&db, robin).await;
        assert_eq!(left.len(), 1, "{backend:?}");
        // And due at the earliest asked for, whichever insert won.
        assert_eq!(left[0].1, Timestamp(100), "{backend:?}");
    }
}
