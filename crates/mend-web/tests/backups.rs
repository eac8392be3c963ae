//! `mend backup` of a running Mend: while couples sign up and write, backups are taken; each
//! restores, on every backend, into exactly the snapshot it read, a consistent one, and a Mend
//! started on the restored database with the same server key shows everyone what they wrote
//! and gives everyone the same export (`mend-export.json`, but for `exported_at`).

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use mend_core::store::prelude::*;
use mend_store::backup::{Backup, Table, Value};
use mend_store::scratch::{backends, ScratchDatabase};
use mend_store::Db;
use mend_testkit::{breach_form, on_each_backend, Browser, Couple, TestApp};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

/// A couple of its own (unique e-mails), through sign-up, a space and an invitation; returns
/// Alex (repairing), Sam (hurt) and their journey's path.
async fn couple(app: &TestApp, n: usize) -> (Browser, Browser, String, String) {
    let Couple { alex, sam, space } = app
        .couple_as(
            &format!("alex{n}@example.org"),
            &format!("sam{n}@example.org"),
        )
        .await;
    let form = breach_form(
        "me",
        "affair",
        "We are faithful to each other.",
        "found_out",
    );
    let journey = alex.record_breach(&space, &form).await;
    (alex, sam, space, journey)
}

/// A couple a writer made: its number (in the e-mails), space and journey.
struct Written {
    n: usize,
    space: String,
    journey: String,
}

/// One writer: couples one after another, each writing a question, a trigger, a feeling, an
/// acknowledgement (a draft, then sent) and a journal entry, until told to stop.
async fn write_until(app: Arc<TestApp>, writer: usize, stop: Arc<AtomicBool>) -> Vec<Written> {
    let mut couples = Vec::new();
    while !stop.load(Ordering::Relaxed) || couples.is_empty() {
        let n = writer * 1000 + couples.len();
        let (alex, sam, space, journey) = couple(&app, n).await;
        let questions = format!("{journey}/questions");
        sam.get(&questions).await;
        let asked = sam
            .post(&questions, &[("text", &format!("Question {n}: who knew?"))])
            .await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER);
        let triggers = format!("{journey}/triggers");
        sam.get(&triggers).await;
        sam.post(&triggers, &[("note", &format!("Trigger {n}"))])
            .await;
        let feelings = format!("{journey}/feelings");
        let page = sam.get(&feelings).await;
        if let Some(id) = page.field("feeling") {
            sam.post(
                &feelings,
                &[
                    ("feeling", id.as_str()),
                    ("word", "hurt"),
                    ("intensity", "3"),
                    ("text", &format!("Feeling {n}")),
                ],
            )
            .await;
        }
        let ack = format!("{journey}/acknowledge");
        let entry = alex.get(&ack).await.field("entry").expect("an entry form");
        let text = format!("Entry {n}: I lied to you about where I was. It broke our agreement.");
        alex.post(
            &format!("{ack}/draft"),
            &[("text", "I lied to you."), ("entry", &entry)],
        )
        .await;
        let sent = alex
            .post(
                &format!("{ack}/send"),
                &[("text", &text), ("entry", &entry)],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let journal = format!("{space}/journal");
        alex.get(&journal).await;
        alex.post(&journal, &[("text", &format!("Journal {n}"))])
            .await;
        couples.push(Written { n, space, journey });
    }
    couples
}

async fn backup_of(db: &Db) -> Backup {
    let mut file = Vec::new();
    db.backup(&mut file, 0).await.expect("backup");
    Backup::read(&mut file.as_slice()).expect("read back")
}

async fn keys_of(db: &Db, taken_at: i64) -> Backup {
    let mut file = Vec::new();
    db.backup_keys(&mut file, taken_at).await.expect("keys");
    Backup::read_keys(&mut file.as_slice()).expect("read back")
}

/// The id (as bytes) and sealed value of every row of `table` whose `author` column is
/// `person`'s id, with `sealed` the sealed column.
fn sealed_by(
    backup: &Backup,
    table_name: &str,
    author: &str,
    sealed: &str,
    person: uuid::Uuid,
) -> Vec<(uuid::Uuid, mend_crypto::Sealed)> {
    let t = table(backup, table_name);
    let at = |c: &str| t.columns.iter().position(|x| x.name == c).unwrap();
    let (id, by, text) = (at("id"), at(author), at(sealed));
    t.rows
        .iter()
        .filter(|r| r[by] == Value::Bytes(person.as_bytes().to_vec()))
        .filter_map(|r| match (&r[id], &r[text]) {
            (Value::Bytes(i), Value::Bytes(b)) => Some((
                uuid::Uuid::from_slice(i).unwrap(),
                mend_crypto::Sealed::from_stored(b.clone()),
            )),
            _ => None,
        })
        .collect()
}

/// Every data key a keys file holds, unwrapped with the server key.
fn every_key(keys: &Backup, server: &mend_crypto::ServerKey) -> Vec<mend_crypto::DataKey> {
    let id = |v: &Value| match v {
        Value::Bytes(b) => uuid::Uuid::from_slice(b).unwrap(),
        other => panic!("an id: {other:?}"),
    };
    let wrapped = |v: &Value| match v {
        Value::Bytes(b) => mend_crypto::WrappedKey(mend_crypto::Sealed::from_stored(b.clone())),
        other => panic!("a key: {other:?}"),
    };
    let mut all = Vec::new();
    for row in &table(keys, "people").rows {
        all.push(server.unwrap_key(id(&row[0]), &wrapped(&row[1])).unwrap());
    }
    for row in &table(keys, "spaces").rows {
        all.push(server.unwrap_key(id(&row[0]), &wrapped(&row[1])).unwrap());
    }
    for row in &table(keys, "author_keys").rows {
        all.push(
            server
                .unwrap_author_key(id(&row[0]), id(&row[1]), &wrapped(&row[2]))
                .unwrap(),
        );
    }
    all
}

/// Issue 11: after an account is deleted, its words in a backup taken before can no longer be
/// opened with any key kept after the deletion, while the partner's can; and the backup
/// restored with those keys is the database without that account.
#[tokio::test]
async fn a_deleted_accounts_words_in_an_older_backup_open_with_no_later_key() {
    on_each_backend(|app| async move {
        let (alex, sam, _space, journey) = couple(&app, 1).await;
        let questions = format!("{journey}/questions");
        sam.get(&questions).await;
        sam.post(&questions, &[("text", "Question 1: who knew?")])
            .await;
        let ack = format!("{journey}/acknowledge");
        let entry = alex.get(&ack).await.field("entry").expect("an entry form");
        let words = "Entry 1: I lied to you about where I was. It broke our agreement.";
        let sent = alex
            .post(
                &format!("{ack}/send"),
                &[("text", words), ("entry", &entry)],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let lookup = |e: &str| app.server_key().lookup_hash("email", e.as_bytes());
        let alex_id = app
            .store
            .person_by_email(&lookup("alex1@example.org"))
            .await
            .unwrap()
            .unwrap()
            .id;
        let sam_id = app
            .store
            .person_by_email(&lookup("sam1@example.org"))
            .await
            .unwrap()
            .unwrap()
            .id;
        let data = backup_of(&app.store).await;
        let before = keys_of(&app.store, 0).await;

        alex.get("/account/delete").await;
        let deleted = alex
            .post(
                "/account/delete",
                &[("current", PASSWORD), ("confirm", "delete")],
            )
            .await;
        assert_eq!(deleted.location(), Some("/account/deleted"));
        let after = keys_of(&app.store, 1).await;

        let server = app.server_key();
        let alexs = sealed_by(&data, "entries", "author", "body_sealed", alex_id.0);
        let sams = sealed_by(&data, "questions", "asked_by", "text_sealed", sam_id.0);
        assert_eq!((alexs.len(), sams.len()), (1, 1));
        let opens = |keys: &[mend_crypto::DataKey], (row, sealed): &(uuid::Uuid, _), field| {
            keys.iter()
                .filter_map(|k| k.open(*row, field, sealed).ok())
                .collect::<Vec<_>>()
        };
        let (old, new) = (every_key(&before, &server), every_key(&after, &server));
        assert_eq!(opens(&old, &alexs[0], "entry.body"), vec![words.to_owned()]);
        assert!(
            opens(&new, &alexs[0], "entry.body").is_empty(),
            "no key kept after the deletion opens Alex's words"
        );
        assert_eq!(
            opens(&new, &sams[0], "question.text"),
            vec!["Question 1: who knew?".to_owned()],
            "Sam's words still open"
        );

        // Restored with the later keys, the backup is the database without Alex.
        for target in backends() {
            let mut joined = data.clone();
            let departed = joined.with_keys(&after).unwrap();
            assert_eq!(departed.people, vec![alex_id]);
            let scratch = ScratchDatabase::new(target).await.unwrap();
            let restored = Db::connect(&scratch.url).await.unwrap();
            restored.restore(&joined).await.expect("restore");
            restored
                .forget_departed(&departed, mend_core::Timestamp(2))
                .await
                .expect("forget");
            restored.close().await;
            let again = TestApp::on_database(target, scratch, &app.key_path).await;
            let sam_again = again.browser();
            sam_again.log_in("sam1@example.org", PASSWORD).await;
            let page = sam_again.get(&questions).await;
            assert!(page.contains("Question 1: who knew?"), "{target:?}");
            let page = sam_again.get(&ack).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(
                !page.contains("I lied to you about where I was"),
                "{target:?}"
            );
            let alex_again = again.browser();
            alex_again.log_in("alex1@example.org", PASSWORD).await;
            assert_ne!(
                alex_again.get("/account").await.status,
                StatusCode::OK,
                "{target:?}: Alex's account is gone"
            );
        }
    })
    .await;
}

fn table<'a>(backup: &'a Backup, name: &str) -> &'a Table {
    backup
        .tables
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no table {name}"))
}

fn column(backup: &Backup, table_name: &str, column: &str) -> Vec<Value> {
    let t = table(backup, table_name);
    let at = t.columns.iter().position(|c| c.name == column).unwrap();
    t.rows.iter().map(|r| r[at].clone()).collect()
}

fn sorted(tables: &[Table]) -> Vec<Table> {
    let mut tables = tables.to_vec();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    for t in &mut tables {
        t.rows.sort();
    }
    tables
}

/// What only a torn read could break: a space and its first seat are written together, and
/// so are an invitation's use and the seat it gives.
fn assert_consistent(backup: &Backup) {
    let spaces: BTreeSet<Value> = column(backup, "spaces", "id").into_iter().collect();
    let seated: BTreeSet<(Value, Value)> = column(backup, "memberships", "space_id")
        .into_iter()
        .zip(column(backup, "memberships", "person_id"))
        .collect();
    let with_seat: BTreeSet<Value> = seated.iter().map(|(s, _)| s.clone()).collect();
    assert_eq!(spaces, with_seat, "every space has its first seat");
    let used: BTreeSet<(Value, Value)> = column(backup, "invites", "space_id")
        .into_iter()
        .zip(column(backup, "invites", "used_by"))
        .filter(|(_, by)| *by != Value::Null)
        .collect();
    let seats = column(backup, "memberships", "seat");
    let second: BTreeSet<(Value, Value)> = seated_in_order(backup)
        .into_iter()
        .zip(seats)
        .filter(|(_, seat)| *seat == Value::Integer(2))
        .map(|(pair, _)| pair)
        .collect();
    assert_eq!(used, second, "each used invitation and the seat it gave");
}

fn seated_in_order(backup: &Backup) -> Vec<(Value, Value)> {
    column(backup, "memberships", "space_id")
        .into_iter()
        .zip(column(backup, "memberships", "person_id"))
        .collect()
}

/// Rows the traffic never changes once written must be in the later state unchanged.
fn assert_kept_in(snapshot: &Backup, later: &Backup) {
    for name in ["spaces", "memberships", "breaches", "questions", "triggers"] {
        let later_rows: BTreeSet<&Vec<Value>> = table(later, name).rows.iter().collect();
        for row in &table(snapshot, name).rows {
            assert!(later_rows.contains(row), "a row of {name} changed");
        }
    }
}

#[tokio::test]
async fn backups_of_a_running_mend_under_traffic_restore_consistent_snapshots_exactly() {
    on_each_backend(|app| async move {
        let app = Arc::new(app);
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..3)
            .map(|w| tokio::spawn(write_until(app.clone(), w, stop.clone())))
            .collect();
        let mut snapshots = Vec::new();
        for _ in 0..3 {
            tokio::time::sleep(std::time::Duration::from_millis(700)).await;
            snapshots.push(backup_of(&app.store).await);
        }
        stop.store(true, Ordering::Relaxed);
        let mut couples = Vec::new();
        for writer in writers {
            couples.extend(writer.await.expect("a writer"));
        }
        let last = backup_of(&app.store).await;
        let mut whole = last.clone();
        let departed = whole
            .with_keys(&keys_of(&app.store, 0).await)
            .expect("keys");
        assert!(departed.is_empty(), "no one left");
        assert!(couples.len() >= 3);
        let people = |b: &Backup| table(b, "people").rows.len();
        assert!(people(&snapshots[0]) <= people(&snapshots[2]));
        assert_eq!(people(&last), couples.len() * 2);
        assert!(
            people(&snapshots[2]) < people(&last) || snapshots.iter().any(|s| people(s) > 0),
            "the backups ran while people signed up"
        );

        for snapshot in &snapshots {
            assert_consistent(snapshot);
            assert_kept_in(snapshot, &last);
            for target in backends() {
                let scratch = ScratchDatabase::new(target).await.unwrap();
                let restored = Db::connect(&scratch.url).await.unwrap();
                restored.restore(snapshot).await.expect("restore");
                assert_eq!(
                    sorted(&backup_of(&restored).await.tables),
                    sorted(&snapshot.tables),
                    "{:?} into {target:?}",
                    app.backend
                );
            }
        }

        // The last state, restored on every backend under a Mend with the same key: each
        // person sees the same pages there as here.
        let pages = pages_of_everyone(&app, &couples).await;
        for target in backends() {
            let scratch = ScratchDatabase::new(target).await.unwrap();
            let restored = Db::connect(&scratch.url).await.unwrap();
            restored.restore(&whole).await.expect("restore");
            restored.close().await;
            let again = TestApp::on_database(target, scratch, &app.key_path).await;
            assert_eq!(
                pages_of_everyone(&again, &couples).await,
                pages,
                "{target:?}"
            );
        }
    })
    .await;
}

/// A person's export, `mend-export.json` of the zip, without the moment it was made.
async fn export_of(browser: &Browser) -> serde_json::Value {
    browser.get("/account").await;
    let response = browser
        .client
        .post(format!("{}/account/export", browser.base))
        .header("origin", browser.base.clone())
        .form(&[("password", PASSWORD), ("csrf", browser.csrf().as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::OK, "an export");
    let bytes = response.bytes().await.expect("a body").to_vec();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut text = String::new();
    archive
        .by_name("mend-export.json")
        .expect("the JSON in the archive")
        .read_to_string(&mut text)
        .expect("utf-8");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    json["exported_at"] = serde_json::Value::Null;
    json
}

/// What a person sees, after logging in: their export, and what the pages of their journal
/// and their journey show of the texts written in them.
type Seen = (serde_json::Value, Vec<String>);

/// For every person, what they see.
async fn pages_of_everyone(app: &TestApp, couples: &[Written]) -> HashMap<String, Seen> {
    let mut seen = HashMap::new();
    for couple in couples {
        for who in ["alex", "sam"] {
            let email = format!("{who}{}@example.org", couple.n);
            let browser = app.browser();
            browser.log_in(&email, PASSWORD).await;
            let mut texts = Vec::new();
            for path in [
                format!("{}/journal", couple.space),
                format!("{}/questions", couple.journey),
                format!("{}/triggers", couple.journey),
                format!("{}/feelings", couple.journey),
                format!("{}/acknowledge", couple.journey),
            ] {
                let page = browser.get(&path).await;
                assert_eq!(page.status, StatusCode::OK, "{email} reads {path}");
                for marker in ["Journal ", "Question ", "Trigger ", "Feeling ", "Entry "] {
                    texts.extend(words_after(&page.body, marker));
                }
            }
            let export = export_of(&browser).await;
            let own = if who == "alex" { "Journal" } else { "Question" };
            assert!(
                export.to_string().contains(&format!("{own} {}", couple.n)),
                "{email}'s export holds what they wrote"
            );
            seen.insert(email, (export, texts));
        }
    }
    let texts: usize = seen.values().map(|(_, texts)| texts.len()).sum();
    assert!(
        texts >= couples.len() * 3,
        "the pages show what was written"
    );
    seen
}

fn words_after(body: &str, marker: &str) -> Vec<String> {
    body.split(marker)
        .skip(1)
        .filter_map(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .filter(|n| !n.is_empty())
        .map(|n| format!("{marker}{n}"))
        .collect()
}
