//! The seeder writes what Mend reads: a tiny seeded history, on every backend, shows on the
//! couple's pages with its own words when the real server runs on that database, for each
//! partner, and another seeded couple can log in and sees their own journey only.

use std::sync::Arc;

use mend_bench::seed::{self, History, Seeded, Shape};
use mend_core::{Duration, Timestamp};
use mend_crypto::ServerKey;
use mend_store::scratch::ScratchDatabase;
use mend_store::Db;
use mend_testkit::{backends, Browser, StoreBackend, TestApp};
use reqwest::StatusCode;

/// A few of everything, so every page has something of each kind on it.
fn tiny() -> Shape {
    let long = History {
        span: Duration::days(30),
        questions: 4,
        answered_percent: 100,
        check_ins: 3,
        feelings: 3,
        entries: 6,
        journal: 3,
        evidence: 2,
        triggers: 2,
        agreements: 2,
    };
    Shape {
        long,
        couples: 3,
        small: History::small(),
        concurrency: 2,
        seed: 7,
    }
}

const NOW: Timestamp = Timestamp(1_790_000_000_000);

/// A database seeded with [`tiny`], and Mend started on it with the seeder's server key.
async fn seeded(backend: StoreBackend) -> (TestApp, Seeded) {
    let scratch = ScratchDatabase::new(backend)
        .await
        .expect("a scratch database");
    let db = Db::connect(&scratch.url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let dir = tempfile::tempdir().expect("a folder for the key");
    let key_path = dir.path().join("server.key");
    let key = ServerKey::load_or_create(&key_path)
        .expect("a server key")
        .key;
    let seeded = seed::seed(Arc::new(db), Arc::new(key), &tiny(), NOW)
        .await
        .expect("seeded");
    let app = TestApp::on_database(backend, scratch, &key_path).await;
    (app, seeded)
}

async fn logged_in(app: &TestApp, email: &str) -> Browser {
    let browser = app.browser();
    let page = browser.log_in(email, seed::PASSWORD).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "{email} logs in: {}",
        page.body
    );
    browser
}

/// `path` answers 200 with every one of `texts` on it.
async fn shows(browser: &Browser, path: &str, texts: &[&str]) {
    let page = browser.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
    for text in texts {
        assert!(
            !text.is_empty(),
            "{path}: the seeder gave a text to look for"
        );
        assert!(page.contains(text), "{path} shows {text:?}:\n{}", page.body);
    }
}

#[tokio::test]
async fn mend_shows_a_seeded_history_to_each_partner() {
    for backend in backends() {
        let (app, seeded) = seeded(backend).await;
        let long = &seeded.long;
        let (space, journey) = (long.space_path(), long.journey_path());
        let newest = &long.newest;

        let hurt = logged_in(&app, &long.hurt_email).await;
        shows(&hurt, &space, &[]).await;
        shows(&hurt, &journey, &[]).await;
        shows(
            &hurt,
            &format!("{journey}/questions"),
            &[&newest.question, &newest.answer],
        )
        .await;
        shows(
            &hurt,
            &format!("{journey}/patience"),
            &[&newest.check_in_note],
        )
        .await;
        shows(&hurt, &format!("{journey}/feelings"), &[&newest.feeling]).await;
        shows(&hurt, &format!("{journey}/evidence"), &[&newest.evidence]).await;
        shows(&hurt, &format!("{journey}/triggers"), &[&newest.trigger]).await;
        shows(&hurt, &format!("{journey}/reassurance"), &[&newest.entry]).await;
        shows(&hurt, &format!("{journey}/timeline"), &[]).await;
        shows(&hurt, &format!("{space}/journal"), &[&newest.journal]).await;

        // The repairing partner reads the same shared words with their own keys, but not
        // the hurt partner's private journal or check-in notes.
        let repairing = logged_in(&app, &long.repairing_email).await;
        shows(
            &repairing,
            &format!("{journey}/questions"),
            &[&newest.question, &newest.answer],
        )
        .await;
        shows(
            &repairing,
            &format!("{journey}/feelings"),
            &[&newest.feeling],
        )
        .await;
        let journal = repairing.get(&format!("{space}/journal")).await;
        assert_eq!(journal.status, StatusCode::OK);
        assert!(
            !journal.contains(&newest.journal),
            "a private page stays private"
        );

        // Another couple's partner has a journey of their own and cannot open the long one.
        let (other_hurt, _) = seeded.other.clone().expect("other couples");
        let other = logged_in(&app, &other_hurt).await;
        assert_eq!(other.get(&space).await.status, StatusCode::NOT_FOUND);
        let home = other.visit("/home").await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        assert!(
            home.contains("/breaches/"),
            "their own journey:\n{}",
            home.body
        );
    }
}
