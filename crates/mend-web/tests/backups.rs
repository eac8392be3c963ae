//! `mend backup` of a running Mend: while couples sign up and write, backups are taken; each
//! restores, on every backend, into exactly the snapshot it read, a consistent one, and a Mend
//! started on the restored database with the same server key shows everyone what they wrote
//! and gives everyone the same export (`mend-export.json`, but for `exported_at`).

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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
            restored.restore(&last).await.expect("restore");
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
