//! Backups: every table, read back exactly, restored exactly, on each backend and across them.

use mend_core::store::prelude::*;
use mend_core::store::{
    AgreementRecord, AnswerRecord, CheckInRecord, EntryRecord, EvidenceRecord, FeelingRecord,
    JournalEntryRecord, QuestionRecord, ReflectionRecord, TransparencyRecord, TriggerRecord,
};
use mend_core::{
    AgreementId, AgreementState, AnswerId, Area, CheckInId, EntryId, EntryKind, EntryState,
    EvidenceId, FeelingId, JournalEntryId, Moment, Period, QuestionId, ReflectionId, Timestamp,
    TransparencyId, TransparencyState, TriggerId, Trust,
};
use mend_store::backup::{Backup, BackupError, Table, Value, FORMAT};
use mend_store::scratch::{backends, Backend, ScratchDatabase};
use mend_store::Db;

use crate::{breach, couple, invite, server_key};

async fn fresh(backend: Backend) -> (ScratchDatabase, Db) {
    let scratch = ScratchDatabase::new(backend).await.expect("scratch");
    let db = Db::connect(&scratch.url).await.expect("connect");
    (scratch, db)
}

/// Puts at least one row in every table, with rows that point at rows of their own table
/// stored before the rows they point at (their ids are older), so a restore must reorder them.
async fn populate(db: &Db) {
    let (alex, sam, space, key) = couple(db).await;
    let code = invite(db, space, alex, "code-1", 1_000).await;
    db.accept_invite(code, sam, Timestamp(21)).await.unwrap();
    let token = server_key().lookup_hash("session", b"t");
    db.create_session(&token, alex, Timestamp(30), Timestamp(90))
        .await
        .unwrap();
    let reset = server_key().lookup_hash("reset", b"r");
    db.create_password_reset(&reset, sam, Timestamp(99))
        .await
        .unwrap();
    // Issue 12: a queued message and a verification link.
    db.enqueue_mail(mend_core::store::NewMailJob {
        id: mend_core::MailJobId::new(),
        person: alex,
        kind: mend_core::mail::MailKind::VerifyAddress,
        window_start: Some(Timestamp(0)),
        created_at: Timestamp(30),
        due_at: Timestamp(30),
    })
    .await
    .unwrap();
    db.choose_notifications(
        alex,
        &mend_core::notification::NotificationChoice {
            cadence: mend_core::notification::Cadence::Soon,
            ..Default::default()
        },
        Timestamp(30),
    )
    .await
    .unwrap();
    let verify = server_key().lookup_hash("email-verification", b"v");
    db.create_email_verification(&verify, alex, Timestamp(99))
        .await
        .unwrap();
    db.save_safety_answers(alex, key.seal(alex.0, "safety", "{}"), Timestamp(31))
        .await
        .unwrap();
    db.reserve_login_attempt(&[7; 16], &[([1; 32], 5)], Timestamp(0), Timestamp(32))
        .await
        .unwrap();
    db.choose_time_zone(alex, "Europe/Paris").await.unwrap();
    // Issue 11: an author key.
    let author_key = mend_crypto::DataKey::generate(space.0);
    db.add_author_key(
        space,
        alex,
        &server_key().wrap_author_key(&author_key, alex.0),
        Timestamp(32),
    )
    .await
    .unwrap();
    let journey = breach(db, space, sam, alex).await;
    db.change_area(
        journey,
        Area::ALL[0],
        Area::ALL[0].initial_status(),
        mend_core::AreaStatus::Done,
        alex,
        Timestamp(33),
    )
    .await
    .ok();
    // Journey areas: a journey made with them.
    let with_areas = mend_core::BreachId::new();
    let initial: Vec<_> = Area::ALL.iter().map(|a| (*a, a.initial_status())).collect();
    db.create_breach(
        mend_core::store::BreachRecord {
            id: with_areas,
            space,
            hurt: sam,
            repairing: alex,
            opened_by: sam,
            details: key.seal(with_areas.0, "breach.details", "{}"),
            created_at: Timestamp(2),
            state: Default::default(),
        },
        &initial,
    )
    .await
    .unwrap();
    db.mark_seen(sam, journey, "questions", Timestamp(34))
        .await
        .unwrap();
    db.mark_journal_seen(alex, space, Timestamp(35))
        .await
        .unwrap();

    let (later_entry, first_entry) = (EntryId::new(), EntryId::new());
    let entry = |id: EntryId, follows: Option<EntryId>, at: i64| EntryRecord {
        id,
        breach: journey,
        kind: EntryKind::Disclosure,
        author: alex,
        body: Some(key.seal(id.0, "entry.body", "What I held back.")),
        state: EntryState::Sent,
        follows,
        created_at: Timestamp(at),
        updated_at: Timestamp(at),
        sent_at: Some(Timestamp(at)),
        received_at: None,
        withdrawn_at: None,
        response: None,
        response_note: None,
        responded_at: None,
    };
    db.send_entry(entry(first_entry, None, 40)).await.unwrap();
    db.send_entry(entry(later_entry, Some(first_entry), 41))
        .await
        .unwrap();

    let (revision, original) = (AgreementId::new(), AgreementId::new());
    let agreement = |id: AgreementId, revises: Option<AgreementId>| AgreementRecord {
        id,
        space,
        proposed_by: alex,
        text: key.seal(id.0, "agreement.text", "No secrets."),
        state: AgreementState::Proposed,
        revises,
        created_at: Timestamp(42),
        decided_at: None,
    };
    db.create_agreement(agreement(original, None))
        .await
        .unwrap();
    db.create_agreement(agreement(revision, Some(original)))
        .await
        .unwrap();

    let (again, asked) = (QuestionId::new(), QuestionId::new());
    let question = |id: QuestionId, asked_again_of: Option<QuestionId>| QuestionRecord {
        id,
        breach: journey,
        asked_by: sam,
        text: Some(key.seal(id.0, "question.text", "Why?")),
        kind: None,
        asked_again_of,
        created_at: Timestamp(43),
        in_person_at: None,
        withdrawn_at: None,
    };
    db.create_question(question(asked, None)).await.unwrap();
    db.create_question(question(again, Some(asked)))
        .await
        .unwrap();
    let answer = AnswerId::new();
    assert!(db
        .create_answer(
            journey,
            AnswerRecord {
                id: answer,
                question: asked,
                author: alex,
                body: Some(key.seal(answer.0, "answer.body", "Because.")),
                created_at: Timestamp(44),
                withdrawn_at: None,
                response: None,
                responded_at: None,
            },
        )
        .await
        .unwrap());

    let evidence = EvidenceId::new();
    db.create_evidence(EvidenceRecord {
        id: evidence,
        breach: journey,
        author: sam,
        moment: Moment::Built,
        text: key.seal(evidence.0, "evidence.text", "You called."),
        created_at: Timestamp(45),
        shared_at: None,
    })
    .await
    .unwrap();
    let check_in = CheckInId::new();
    db.create_check_in(CheckInRecord {
        id: check_in,
        breach: journey,
        person: sam,
        trust: Trust::parse("4").unwrap(),
        note: None,
        created_at: Timestamp(46),
    })
    .await
    .unwrap();
    let trigger = TriggerId::new();
    db.create_trigger(TriggerRecord {
        id: trigger,
        breach: journey,
        person: sam,
        note: Some(key.seal(trigger.0, "trigger.note", "A song.")),
        created_at: Timestamp(47),
        reply: None,
        replied_at: None,
    })
    .await
    .unwrap();
    let feeling = FeelingId::new();
    db.create_feeling(FeelingRecord {
        id: feeling,
        breach: journey,
        person: sam,
        feeling: Some(key.seal(feeling.0, "feeling", "{}")),
        created_at: Timestamp(48),
        withdrawn_at: None,
    })
    .await
    .unwrap();
    let reflection = ReflectionId::new();
    assert!(db
        .create_reflection(
            journey,
            ReflectionRecord {
                id: reflection,
                feeling,
                author: alex,
                body: Some(key.seal(reflection.0, "reflection.body", "I hear you.")),
                created_at: Timestamp(49),
                withdrawn_at: None,
                verdict: None,
                missed: None,
                verdict_at: None,
            },
        )
        .await
        .unwrap());
    let (renewal, offer) = (TransparencyId::new(), TransparencyId::new());
    let transparency = |id: TransparencyId, renews: Option<TransparencyId>| TransparencyRecord {
        id,
        breach: journey,
        offered_by: alex,
        text: key.seal(id.0, "transparency.text", "My phone is open."),
        period: Period::OneMonth,
        state: TransparencyState::Offered,
        renews,
        created_at: Timestamp(50),
        decided_at: None,
        starts_at: None,
    };
    db.create_transparency(transparency(offer, None))
        .await
        .unwrap();
    db.create_transparency(transparency(renewal, Some(offer)))
        .await
        .unwrap();
    let journal = JournalEntryId::new();
    db.create_journal_entry(JournalEntryRecord {
        id: journal,
        space,
        author: alex,
        text: key.seal(journal.0, "journal.text", "Today was hard."),
        created_at: Timestamp(51),
        shared_at: None,
    })
    .await
    .unwrap();
    // Issue 14: a counsellor's grant, and a share choice.
    let grant = mend_core::CounsellorGrantId::new();
    db.propose_counsellor(mend_core::store::NewCounsellorGrant {
        id: grant,
        space,
        proposed_by: mend_core::Seat::Creator,
        code_lookup: server_key().lookup_hash("counsellor", b"c"),
        code: key.seal(grant.0, "code", "c"),
        proposed_at: Timestamp(52),
    })
    .await
    .unwrap();
    db.choose_shares(
        journey,
        sam,
        &mend_core::counsellor::ShareChoices::of([mend_core::ShareArea::Summary]),
        Timestamp(53),
    )
    .await
    .unwrap();
    // A counsellor who accepted, and their note.
    let robin = crate::counsellor_account(db, "robin-counsellor@example.org").await;
    assert!(db
        .agree_counsellor(space, grant, mend_core::Seat::Joiner, Timestamp(54))
        .await
        .unwrap());
    assert!(db
        .accept_counsellor(grant, robin, Timestamp(55))
        .await
        .unwrap());
    let note = mend_core::CounsellorNoteId::new();
    assert!(db
        .add_counsellor_note(
            robin,
            mend_core::store::CounsellorNoteRecord {
                id: note,
                grant,
                breach: journey,
                body: key.seal(note.0, "counsellor.note", "See you soon."),
                created_at: Timestamp(56),
            },
        )
        .await
        .unwrap());
}

async fn backup_of(db: &Db) -> Backup {
    let mut file = Vec::new();
    db.backup(&mut file, &mut Vec::new(), 1_234)
        .await
        .expect("backup");
    Backup::read(&mut file.as_slice()).expect("read back")
}

async fn keys_of(db: &Db, taken_at: i64) -> Backup {
    let mut file = Vec::new();
    db.backup(&mut Vec::new(), &mut file, taken_at)
        .await
        .expect("keys");
    Backup::read_keys(&mut file.as_slice()).expect("read back")
}

/// The values of `column` in the table `name`.
fn values<'a>(backup: &'a Backup, name: &str, column: &str) -> Vec<&'a Value> {
    let table = backup.tables.iter().find(|t| t.name == name).unwrap();
    let at = table.columns.iter().position(|c| c.name == column).unwrap();
    table.rows.iter().map(|r| &r[at]).collect()
}

/// Tables by name, each with its rows in one order, so that backups of two backends compare.
fn sorted(tables: &[Table]) -> Vec<Table> {
    let mut tables = tables.to_vec();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    for table in &mut tables {
        table.rows.sort();
    }
    tables
}

#[tokio::test]
async fn a_backup_restores_every_table_exactly_on_each_backend_and_across_them() {
    for source in backends() {
        let (_scratch, db) = fresh(source).await;
        db.migrate().await.unwrap();
        populate(&db).await;
        let backup = backup_of(&db).await;
        assert_eq!(backup.header.format, FORMAT);
        assert_eq!(backup.header.taken_at, 1_234);
        assert_eq!(
            backup.header.schema_version,
            mend_store::backup::known_schema_version()
        );
        // Every table of the schema is in the backup and holds a row: a table a later
        // migration adds fails here until `populate` writes to it.
        let tables = db.tables_parents_first().await.unwrap();
        assert_eq!(backup.tables.len(), tables.len());
        for table in &backup.tables {
            assert!(
                !table.rows.is_empty(),
                "{} has no row to back up",
                table.name
            );
        }
        // Issue 11: no wrapped key is in the data file; the keys file holds them all.
        for table in ["people", "spaces", "author_keys"] {
            let keys = values(&backup, table, "wrapped_key");
            assert!(!keys.is_empty());
            assert!(
                keys.iter().all(|k| **k == Value::Bytes(Vec::new())),
                "{table}"
            );
        }
        let keys = keys_of(&db, 1_234).await;
        assert_eq!(keys.header.format, "mend-backup-keys");
        let mut joined = backup.clone();
        assert!(joined.with_keys(&keys).unwrap().is_empty(), "no one left");
        for target in backends() {
            let (_restored_scratch, restored) = fresh(target).await;
            let summary = restored.restore(&joined).await.expect("restore");
            assert_eq!(summary.rows, backup.rows());
            let again = backup_of(&restored).await;
            assert_eq!(
                sorted(&again.tables),
                sorted(&backup.tables),
                "{source:?} into {target:?}"
            );
            assert_eq!(
                sorted(&keys_of(&restored, 1_234).await.tables),
                sorted(&keys.tables),
                "{source:?} into {target:?}: the keys"
            );
            // The restored store goes on: generated ids continue after the restored ones.
            restored
                .reserve_login_attempt(&[8; 16], &[([1; 32], 5)], Timestamp(0), Timestamp(33))
                .await
                .expect("a new log-in attempt after the restored ones");
        }
    }
}

#[tokio::test]
async fn tables_come_after_the_tables_they_point_at_in_the_same_order_on_both_backends() {
    let mut orders = Vec::new();
    for backend in backends() {
        let (_scratch, db) = fresh(backend).await;
        db.migrate().await.unwrap();
        let order = db.tables_parents_first().await.unwrap();
        let at = |name: &str| order.iter().position(|t| t == name).unwrap();
        for (child, parent) in [
            ("sessions", "people"),
            ("memberships", "spaces"),
            ("memberships", "people"),
            ("breaches", "spaces"),
            ("entries", "breaches"),
            ("answers", "questions"),
            ("reflections", "feelings"),
            ("journal_seen", "spaces"),
        ] {
            assert!(
                at(parent) < at(child),
                "{parent} before {child} on {backend:?}"
            );
        }
        assert!(!order
            .iter()
            .any(|t| t.starts_with('_') || t.starts_with("sqlite_")));
        orders.push(order);
    }
    orders.dedup();
    assert_eq!(orders.len(), 1, "both backends give one order");
}

#[tokio::test]
async fn a_restore_refuses_a_database_that_holds_mend_rows_and_changes_nothing() {
    for backend in backends() {
        let (_scratch, db) = fresh(backend).await;
        db.migrate().await.unwrap();
        populate(&db).await;
        let backup = backup_of(&db).await;
        let (_other_scratch, other) = fresh(backend).await;
        other.migrate().await.unwrap();
        crate::person(&other, "kim@example.org").await;
        let before = backup_of(&other).await;
        match other.restore(&backup).await {
            Err(BackupError::NotEmpty { table }) => assert_eq!(table, "people"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(backup_of(&other).await.tables, before.tables);
        // Restoring into itself is refused just the same.
        assert!(matches!(
            db.restore(&backup).await,
            Err(BackupError::NotEmpty { .. })
        ));
    }
}

#[tokio::test]
async fn a_restore_asked_to_replace_leaves_the_backup_and_nothing_else() {
    for backend in backends() {
        let (_scratch, db) = fresh(backend).await;
        db.migrate().await.unwrap();
        populate(&db).await;
        let backup = backup_of(&db).await;
        let (_other_scratch, other) = fresh(backend).await;
        other.migrate().await.unwrap();
        crate::person(&other, "kim@example.org").await;
        let summary = other.restore_replacing(&backup).await.expect("restore");
        assert_eq!(summary.rows, backup.rows());
        assert_eq!(
            sorted(&backup_of(&other).await.tables),
            sorted(&backup.tables),
            "{backend:?}: Kim is gone and the backup is all there is"
        );
        // The same backup over the database it came from changes nothing.
        db.restore_replacing(&backup)
            .await
            .expect("restore over itself");
        assert_eq!(sorted(&backup_of(&db).await.tables), sorted(&backup.tables));
    }
}

#[tokio::test]
async fn a_restore_refuses_a_newer_schema_and_a_read_refuses_other_files() {
    let (_scratch, db) = fresh(Backend::Sqlite).await;
    db.migrate().await.unwrap();
    let mut file = Vec::new();
    db.backup(&mut file, &mut Vec::new(), 1).await.unwrap();
    let text = String::from_utf8(file).unwrap();

    let mut backup = Backup::read(&mut text.as_bytes()).unwrap();
    backup.header.schema_version += 1;
    let (_target_scratch, target) = fresh(Backend::Sqlite).await;
    assert!(matches!(
        target.restore(&backup).await,
        Err(BackupError::NewerSchema { .. })
    ));
    assert_eq!(target.schema_version().await.unwrap(), None, "untouched");

    let read = |s: &str| Backup::read(&mut s.as_bytes());
    assert!(matches!(read(""), Err(BackupError::NotABackup(_))));
    assert!(matches!(read("hello\n"), Err(BackupError::NotABackup(_))));
    assert!(matches!(
        read("{\"format\":\"something-else\"}\n"),
        Err(BackupError::NotABackup(_))
    ));
    let newer_format = text.replacen("\"version\":2", "\"version\":99", 1);
    assert!(matches!(
        read(&newer_format),
        Err(BackupError::NewerFormat(99))
    ));
    let cut: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    assert!(matches!(read(&cut), Err(BackupError::Truncated)));
    let extra = format!("{text}[1]\n");
    assert!(matches!(read(&extra), Err(BackupError::Damaged { .. })));
}

#[tokio::test]
async fn a_backup_is_read_in_one_snapshot_while_others_write() {
    for backend in backends() {
        let (_scratch, db) = fresh(backend).await;
        db.migrate().await.unwrap();
        let db = std::sync::Arc::new(db);
        let writer = {
            let db = db.clone();
            tokio::spawn(async move {
                for i in 0..60 {
                    let (alex, _, space, _) = couple_named(&db, i).await;
                    breach(
                        &db,
                        space,
                        alex,
                        crate::person(&db, &format!("p{i}@x.org")).await,
                    )
                    .await;
                }
            })
        };
        let mut taken = Vec::new();
        while !writer.is_finished() {
            taken.push(backup_of(&db).await);
        }
        writer.await.unwrap();
        taken.push(backup_of(&db).await);
        for backup in &taken {
            assert_references_hold(backup);
        }
    }
}

async fn couple_named(
    db: &Db,
    i: usize,
) -> (
    mend_core::PersonId,
    mend_core::PersonId,
    mend_core::SpaceId,
    (),
) {
    let alex = crate::person(db, &format!("a{i}@x.org")).await;
    let sam = crate::person(db, &format!("s{i}@x.org")).await;
    let space = crate::space(db, alex).await;
    (alex, sam, space, ())
}

/// Every id a row points at is the id of a row in the backup.
pub fn assert_references_hold(backup: &Backup) {
    let column = |table: &str, name: &str| -> Vec<Value> {
        let t = backup.tables.iter().find(|t| t.name == table).unwrap();
        let at = t.columns.iter().position(|c| c.name == name).unwrap();
        t.rows.iter().map(|r| r[at].clone()).collect()
    };
    for (child, link, parent) in [
        ("memberships", "space_id", "spaces"),
        ("memberships", "person_id", "people"),
        ("breaches", "space_id", "spaces"),
        ("breaches", "hurt_person", "people"),
    ] {
        let ids = column(parent, "id");
        for value in column(child, link) {
            assert!(
                ids.contains(&value),
                "{child}.{link} points at a missing row"
            );
        }
    }
}

#[tokio::test]
async fn an_older_backup_is_restored_at_its_own_schema_and_then_brought_up_to_date() {
    for backend in backends() {
        let (_scratch, db) = fresh(backend).await;
        db.migrate().await.unwrap();
        populate(&db).await;
        let current = backup_of(&db).await;
        // 0014 withdraws all but the earliest of several reflections waiting on one feeling,
        // which schema 13 allowed. Make such a backup: this one, in schema 13's tables.
        let (_old_scratch, old) = fresh(backend).await;
        old.migrate_to(13).await.unwrap();
        let mut backup = backup_of(&old).await;
        for table in &mut backup.tables {
            let now = current
                .tables
                .iter()
                .find(|t| t.name == table.name)
                .unwrap();
            let at: Vec<usize> = table
                .columns
                .iter()
                .map(|c| now.columns.iter().position(|n| n.name == c.name).unwrap())
                .collect();
            table.rows = now
                .rows
                .iter()
                .map(|row| at.iter().map(|&i| row[i].clone()).collect())
                .collect();
        }
        let reflections = backup
            .tables
            .iter_mut()
            .find(|t| t.name == "reflections")
            .unwrap();
        let id_at = reflections
            .columns
            .iter()
            .position(|c| c.name == "id")
            .unwrap();
        let created_at = reflections
            .columns
            .iter()
            .position(|c| c.name == "created_at")
            .unwrap();
        let withdrawn_at = reflections
            .columns
            .iter()
            .position(|c| c.name == "withdrawn_at")
            .unwrap();
        let mut later = reflections.rows[0].clone();
        later[id_at] = Value::Bytes(mend_core::ReflectionId::new().0.as_bytes().to_vec());
        later[created_at] = Value::Integer(60);
        reflections.rows.push(later.clone());

        // A database already at 14 cannot take it, even empty.
        let (_ahead_scratch, ahead) = fresh(backend).await;
        ahead.migrate().await.unwrap();
        assert!(matches!(
            ahead.restore(&backup).await,
            Err(BackupError::SchemaAhead { backup: 13, .. })
        ));

        let (_target_scratch, target) = fresh(backend).await;
        target.restore(&backup).await.expect("restore");
        assert_eq!(
            target.schema_version().await.unwrap(),
            Some(mend_store::backup::known_schema_version())
        );
        let restored = backup_of(&target).await;
        let rows = &restored
            .tables
            .iter()
            .find(|t| t.name == "reflections")
            .unwrap()
            .rows;
        let restored_later = rows.iter().find(|r| r[id_at] == later[id_at]).unwrap();
        assert_eq!(restored_later[withdrawn_at], Value::Integer(60));
    }
}

/// Issue 11: a data file joined with a later keys file: whoever was deleted or left in between
/// has no key, and the restore deletes them again. An older keys file is refused.
#[tokio::test]
async fn who_left_after_a_backup_is_deleted_again_by_its_restore() {
    for backend in backends() {
        let (_scratch, db) = fresh(backend).await;
        db.migrate().await.unwrap();
        let (alex, sam, space, _) = couple(&db).await;
        let code = invite(&db, space, alex, "code-1", 1_000).await;
        db.accept_invite(code, sam, Timestamp(21)).await.unwrap();
        for p in [alex, sam] {
            let key = mend_crypto::DataKey::generate(space.0);
            db.add_author_key(
                space,
                p,
                &server_key().wrap_author_key(&key, p.0),
                Timestamp(22),
            )
            .await
            .unwrap();
        }
        let mut file = Vec::new();
        db.backup(&mut file, &mut Vec::new(), 100).await.unwrap();
        let data = Backup::read(&mut file.as_slice()).unwrap();
        let before = keys_of(&db, 100).await;
        assert!(matches!(
            data.clone().with_keys(&keys_of(&db, 99).await),
            Err(BackupError::KeysOlder)
        ));
        assert!(matches!(
            data.clone().with_keys(&data),
            Err(BackupError::NotABackup(_))
        ));

        db.delete_person(sam, &[], Timestamp(200)).await.unwrap();
        let after = keys_of(&db, 200).await;
        assert_eq!(
            values(&after, "author_keys", "person_id"),
            vec![&Value::Bytes(alex.0.as_bytes().to_vec())],
            "Sam's author key went with their account"
        );
        let mut old = data.clone();
        assert!(old.with_keys(&before).unwrap().is_empty());
        let mut joined = data.clone();
        let departed = joined.with_keys(&after).unwrap();
        assert_eq!(departed.people, vec![sam]);
        let (_target_scratch, target) = fresh(backend).await;
        target.restore(&joined).await.unwrap();
        target
            .forget_departed(&departed, Timestamp(300))
            .await
            .unwrap();
        assert_eq!(
            target.members(space).await.unwrap().len(),
            1,
            "Sam left the space again"
        );
        let restored_keys = keys_of(&target, 300).await;
        assert_eq!(
            values(&restored_keys, "people", "id"),
            vec![&Value::Bytes(alex.0.as_bytes().to_vec())],
            "only Alex has a key"
        );
        assert_eq!(target.author_keys(space).await.unwrap().len(), 1);

        // A keys file of another Mend opens no one: refused, not taken for everyone deleted.
        let (_other_scratch, other) = fresh(backend).await;
        other.migrate().await.unwrap();
        couple(&other).await;
        assert!(matches!(
            data.clone().with_keys(&keys_of(&other, 500).await),
            Err(BackupError::KeysOfAnotherMend)
        ));
        // A data file with a space not yet moved to author keys opens only with its own.
        let unmoved = "UPDATE spaces SET authors_sealed_at = NULL WHERE id = $1";
        db.execute_for(unmoved, space.0).await.unwrap();
        let mut file = Vec::new();
        let mut own = Vec::new();
        db.backup(&mut file, &mut own, 600).await.unwrap();
        let before_move = Backup::read(&mut file.as_slice()).unwrap();
        let own = Backup::read_keys(&mut own.as_slice()).unwrap();
        assert!(before_move.clone().with_keys(&own).is_ok());
        assert!(matches!(
            before_move.clone().with_keys(&keys_of(&db, 700).await),
            Err(BackupError::KeysAfterMove)
        ));
    }
}
