//! Long lists a window at a time (issue 13), over HTTP on every backend: the check-ins, the
//! feelings, the evidence log and the journal read the same (queries and rows) for a couple
//! with ten times the history of another; their "earlier" links, which need no JavaScript,
//! walk every item once, with no repeat and no gap; a malformed position is a 400 page that
//! changes nothing; and a position taken from another couple's list shows nothing of theirs.

use std::collections::HashSet;
use std::str::FromStr;

use mend_core::store::{CheckInRecord, CheckInStore, FeelingRecord, FeelingStore, JourneyStore};
use mend_core::{BreachId, CheckInId, FeelingId, PersonId, SpaceId, Timestamp, Trust};
use mend_testkit::{breach_form, on_each_backend, Browser, Couple, Page, TestApp};
use reqwest::StatusCode;

const DAY: i64 = 24 * 60 * 60 * 1000;

/// A couple with one journey: Alex repairs, Sam was hurt.
struct Journey {
    alex: Browser,
    sam: Browser,
    space: String,
    path: String,
    breach: BreachId,
    hurt: PersonId,
}

async fn journey(app: &TestApp, n: usize) -> Journey {
    let Couple { alex, sam, space } = app
        .couple_as(
            &format!("alex{n}@example.org"),
            &format!("sam{n}@example.org"),
        )
        .await;
    let form = breach_form("me", "lie", "We tell each other the truth.", "told");
    let path = alex.record_breach(&space, &form).await;
    let mut parts = path.trim_start_matches("/spaces/").split("/breaches/");
    let space_id = SpaceId::from_str(parts.next().unwrap()).unwrap();
    let breach = BreachId::from_str(parts.next().unwrap()).unwrap();
    let hurt = app
        .store
        .breach(space_id, breach)
        .await
        .unwrap()
        .unwrap()
        .hurt;
    Journey {
        alex,
        sam,
        space,
        path,
        breach,
        hurt,
    }
}

/// A time `days` before now, for history seeded through the store.
fn days_ago(days: i64, within: i64) -> Timestamp {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    Timestamp(now - days * DAY + within)
}

async fn sent(browser: &Browser, path: &str, fields: &[(&str, &str)]) {
    let page = browser.post(path, fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.body);
}

/// The ids of the page's `{kind}-<uuid>` elements after `from` (the whole page when empty).
fn ids(page: &Page, kind: &str, from: &str) -> Vec<String> {
    let body = page.body.split_once(from).map_or("", |(_, rest)| rest);
    let part = Page {
        status: page.status,
        headers: page.headers.clone(),
        body: if from.is_empty() {
            page.body.clone()
        } else {
            body.to_owned()
        },
    };
    part.ids_of(kind)
        .into_iter()
        .filter(|id| id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .collect()
}

/// The link to the earlier window, as the pager writes it.
fn earlier_link(page: &Page) -> Option<String> {
    let end = page.body.find("\" rel=\"next\"")?;
    let start = page.body[..end].rfind("href=\"")? + "href=\"".len();
    Some(
        page.body[start..end]
            .replace("&#x2f;", "/")
            .replace("&amp;", "&"),
    )
}

/// What one GET of `path` reads from the store.
/// (queries, rows)
async fn reads(app: &TestApp, browser: &Browser, path: &str) -> (u64, u64) {
    let before = app.store.reads();
    let page = browser.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    let read = app.store.reads() - before;
    (read.queries, read.rows)
}

/// The ids on every window of the list at `path`, newest window first, following the
/// "earlier" links; each window's ids are read after `from` on its page.
async fn walk(browser: &Browser, path: &str, kind: &str, from: &str) -> Vec<Vec<String>> {
    let mut windows = Vec::new();
    let mut next = Some(path.to_owned());
    while let Some(at) = next {
        let page = browser.get(&at).await;
        assert_eq!(page.status, StatusCode::OK, "{at}");
        assert!(
            page.contains("Back to the most recent") == (at != path),
            "{at}"
        );
        windows.push(ids(&page, kind, from));
        next = earlier_link(&page);
        assert!(windows.len() < 100, "the earlier links end");
    }
    windows
}

/// Every item once across the windows, none larger than `size`, `total` in all.
fn once_each(windows: &[Vec<String>], size: usize, total: usize) -> HashSet<String> {
    let mut seen = HashSet::new();
    for window in windows {
        assert!(window.len() <= size, "{} > {size}", window.len());
        for id in window {
            assert!(seen.insert(id.clone()), "{id} is shown twice");
        }
    }
    assert_eq!(seen.len(), total, "every item is reached");
    seen
}

/// The checks every long list passes, for two couples with the same recent items and
/// `small` and ten times as much older history: the same reads; every item once through
/// the earlier links; a malformed position refused; another couple's position showing
/// only this couple's items.
struct Listing<'a> {
    app: &'a TestApp,
    /// The list's page for the small couple and for the large one, and who reads each.
    small: (&'a Browser, String),
    large: (&'a Browser, String),
    kind: &'a str,
    /// Where the windowed list starts on the page.
    from: &'a str,
    size: usize,
    /// How many items each couple's list holds.
    totals: (usize, usize),
}

impl Listing<'_> {
    async fn check(&self) {
        let (small, large) = (&self.small, &self.large);
        // Both pages opened once, so that neither counts what waits again when measured.
        small.0.get(&small.1).await;
        large.0.get(&large.1).await;
        let little = reads(self.app, small.0, &small.1).await;
        let long = reads(self.app, large.0, &large.1).await;
        eprintln!("{:?}: {} reads {long:?}", self.app.backend, self.kind);
        assert_eq!(
            little, long,
            "{} reads the same with ten times the history",
            self.kind
        );

        let small_ids = once_each(
            &walk(small.0, &small.1, self.kind, self.from).await,
            self.size,
            self.totals.0,
        );
        let large_ids = once_each(
            &walk(large.0, &large.1, self.kind, self.from).await,
            self.size,
            self.totals.1,
        );

        for bad in ["nonsense", "12", "-5_00000000-0000-0000-0000-000000000001"] {
            let page = large.0.get(&format!("{}?before={bad}", large.1)).await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
        }

        // A position from the small couple's list, on the large couple's page.
        let theirs = small.0.get(&small.1).await;
        let link = earlier_link(&theirs).expect("the small couple has earlier items");
        let (_, position) = link.split_once('?').expect("a position");
        let page = large.0.get(&format!("{}?{position}", large.1)).await;
        assert_eq!(page.status, StatusCode::OK);
        let shown = ids(&page, self.kind, self.from);
        assert!(
            shown.iter().all(|id| large_ids.contains(id)),
            "only their own"
        );
        assert!(
            shown.iter().all(|id| !small_ids.contains(id)),
            "nothing of the others"
        );
    }
}

#[tokio::test]
async fn check_ins_read_the_latest_scores_and_a_window_of_notes() {
    on_each_backend(|app| async move {
        let (small, large) = (journey(&app, 1).await, journey(&app, 2).await);
        for (j, history) in [(&small, 100), (&large, 1000)] {
            for i in 0..history {
                let id = CheckInId::new();
                app.store
                    .create_check_in(CheckInRecord {
                        id,
                        breach: j.breach,
                        person: j.hurt,
                        trust: Trust::parse(&(i % 11).to_string()).unwrap(),
                        note: None,
                        created_at: days_ago(history as i64 - i as i64, 0),
                    })
                    .await
                    .unwrap();
            }
            let patience = format!("{}/patience", j.path);
            for (trust, note) in [("4", "A quieter week."), ("6", "We talked.")] {
                sent(&j.sam, &patience, &[("trust", trust), ("note", note)]).await;
            }
        }
        let patience = |j: &Journey| format!("{}/patience", j.path);
        let page = large.sam.get(&patience(&large)).await;
        assert_eq!(page.body.matches("class=\"trust-dot\"").count(), 90);
        assert!(page.contains("The chart shows the last 90 check-ins."));
        assert!(page.contains("We talked.") && page.contains("A quieter week."));
        let repairing = large.alex.get(&patience(&large)).await;
        assert!(
            !repairing.contains("We talked."),
            "notes stay with the hurt partner"
        );
        let fewer = small.sam.get(&format!("{}/timeline", small.path)).await;
        assert!(fewer.contains("The chart shows the last 90 check-ins."));

        Listing {
            app: &app,
            small: (&small.sam, patience(&small)),
            large: (&large.sam, patience(&large)),
            kind: "check-in",
            from: "",
            size: 30,
            totals: (102, 1002),
        }
        .check()
        .await;
    })
    .await;
}

/// Shares a feeling as Sam's form does; its id.
async fn share_feeling(sam: &Browser, feelings: &str, text: &str) -> String {
    let id = sam
        .get(feelings)
        .await
        .field("feeling")
        .expect("a feeling id");
    let form = [
        ("feeling", id.as_str()),
        ("word", "sad"),
        ("intensity", "3"),
        ("text", text),
    ];
    sent(sam, feelings, &form).await;
    id
}

#[tokio::test]
async fn feelings_still_being_listened_to_come_first_then_a_window_of_the_rest() {
    on_each_backend(|app| async move {
        let (small, large) = (journey(&app, 1).await, journey(&app, 2).await);
        for (j, history) in [(&small, 30), (&large, 300)] {
            // Older feelings, withdrawn since (so the store holds no words of theirs).
            for i in 0..history {
                let id = FeelingId::new();
                let at = days_ago(history as i64 - i as i64, 0);
                let record = FeelingRecord {
                    id,
                    breach: j.breach,
                    person: j.hurt,
                    feeling: None,
                    created_at: at,
                    withdrawn_at: None,
                };
                app.store.create_feeling(record).await.unwrap();
                let withdrawn = Timestamp(at.0 + 1000);
                assert!(app
                    .store
                    .withdraw_feeling(j.breach, id, j.hurt, withdrawn)
                    .await
                    .unwrap());
            }
            // Recent ones: two heard, one waiting for an answer, one for a reflection.
            let feelings = format!("{}/feelings", j.path);
            let mut shared = Vec::new();
            for n in 0..4 {
                shared.push(share_feeling(&j.sam, &feelings, &format!("Feeling {n}.")).await);
            }
            j.alex.get(&feelings).await;
            for (n, id) in shared.iter().enumerate().take(3) {
                let reflect = format!("{feelings}/{id}/reflect");
                sent(&j.alex, &reflect, &[("text", "I hear that you feel sad.")]).await;
                if n < 2 {
                    let fid = FeelingId::from_str(id).unwrap();
                    let on = app.store.reflections_on(j.breach, &[fid]).await.unwrap();
                    let answer = format!("{feelings}/reflections/{}/answer", on[0].id);
                    sent(&j.sam, &answer, &[("verdict", "heard")]).await;
                }
            }
        }
        let feelings = |j: &Journey| format!("{}/feelings", j.path);

        // A malformed position does not count as opening the page: what is new stays new.
        let bad = format!("{}?before=12_x", feelings(&large));
        assert_eq!(large.sam.get(&bad).await.status, StatusCode::BAD_REQUEST);
        let page = large.sam.get(&feelings(&large)).await;
        assert!(
            page.contains("class=\"new-marker\""),
            "the reflections are still new"
        );
        let first = ids(&page, "feeling", "id=\"listening-title\"");
        let rest = ids(&page, "feeling", "id=\"feelings-title\"");
        assert_eq!(
            first.len() - rest.len(),
            2,
            "the two still being listened to come first"
        );
        assert!(page.contains("Feeling 3.") && page.contains("Feeling 2."));

        Listing {
            app: &app,
            small: (&small.alex, feelings(&small)),
            large: (&large.alex, feelings(&large)),
            kind: "feeling",
            from: "id=\"feelings-title\"",
            size: 20,
            totals: (32, 302),
        }
        .check()
        .await;
    })
    .await;
}

#[tokio::test]
async fn the_evidence_log_is_a_window_of_the_keepers_entries() {
    on_each_backend(|app| async move {
        let (small, large) = (journey(&app, 1).await, journey(&app, 2).await);
        for (j, count) in [(&small, 25), (&large, 250)] {
            let evidence = format!("{}/evidence", j.path);
            j.sam.get(&evidence).await;
            for i in 0..count {
                let text = format!("Moment {i}.");
                sent(&j.sam, &evidence, &[("moment", "built"), ("text", &text)]).await;
            }
        }
        let evidence = |j: &Journey| format!("{}/evidence", j.path);
        let page = large.sam.get(&evidence(&large)).await;
        assert!(page.contains("Moment 249.") && !page.contains("Moment 229."));
        Listing {
            app: &app,
            small: (&small.sam, evidence(&small)),
            large: (&large.sam, evidence(&large)),
            kind: "evidence",
            from: "",
            size: 20,
            totals: (25, 250),
        }
        .check()
        .await;
    })
    .await;
}

#[tokio::test]
async fn the_journal_is_one_window_of_ones_own_entries_and_what_the_partner_shared() {
    on_each_backend(|app| async move {
        let (small, large) = (journey(&app, 1).await, journey(&app, 2).await);
        for (j, count) in [(&small, 25), (&large, 250)] {
            let journal = format!("{}/journal", j.space);
            j.alex.get(&journal).await;
            for i in 0..count {
                sent(&j.alex, &journal, &[("text", &format!("Line {i}."))]).await;
            }
            j.sam.get(&journal).await;
            sent(
                &j.sam,
                &journal,
                &[("text", "Something I want you to read.")],
            )
            .await;
            sent(&j.sam, &journal, &[("text", "Only mine.")]).await;
            let page = j.sam.get(&journal).await;
            let shared = ids(&page, "journal", "id=\"yours-title\"")[1].clone();
            sent(&j.sam, &format!("{journal}/{shared}/share"), &[]).await;
        }
        let journal = |j: &Journey| format!("{}/journal", j.space);

        let bad = format!("{}?before=", journal(&large));
        assert_eq!(large.alex.get(&bad).await.status, StatusCode::BAD_REQUEST);
        let page = large.alex.get(&journal(&large)).await;
        assert!(page.contains("Something I want you to read."));
        assert!(
            page.contains("class=\"new-marker\""),
            "still new after the refused one"
        );
        assert!(!page.contains("Only mine."));

        Listing {
            app: &app,
            small: (&small.alex, journal(&small)),
            large: (&large.alex, journal(&large)),
            kind: "journal",
            from: "",
            size: 20,
            totals: (26, 251),
        }
        .check()
        .await;
    })
    .await;
}

#[tokio::test]
async fn reassurance_notes_are_a_window_while_statements_stay_whole() {
    on_each_backend(|app| async move {
        let (small, large) = (journey(&app, 1).await, journey(&app, 2).await);
        for (j, count) in [(&small, 25), (&large, 250)] {
            let notes = format!("{}/reassurance", j.path);
            for i in 0..count {
                let entry = j
                    .alex
                    .get(&notes)
                    .await
                    .field("entry")
                    .expect("an entry id");
                let text = format!("Note {i}.");
                sent(
                    &j.alex,
                    &format!("{notes}/send"),
                    &[("text", &text), ("entry", &entry)],
                )
                .await;
            }
        }
        let notes = |j: &Journey| format!("{}/reassurance", j.path);
        let page = large.sam.get(&notes(&large)).await;
        assert!(page.contains("Note 249.") && !page.contains("Note 229."));

        Listing {
            app: &app,
            small: (&small.sam, notes(&small)),
            large: (&large.sam, notes(&large)),
            kind: "entry",
            from: "",
            size: 20,
            totals: (25, 250),
        }
        .check()
        .await;

        // A statement and all its corrections are read whole, however many there are.
        let ack = format!("{}/acknowledge", small.path);
        for i in 0..25 {
            let entry = small
                .alex
                .get(&ack)
                .await
                .field("entry")
                .expect("an entry id");
            let text = format!("What I did, told again ({i}).");
            sent(
                &small.alex,
                &format!("{ack}/send"),
                &[("text", &text), ("entry", &entry)],
            )
            .await;
        }
        let whole = small.sam.get(&ack).await;
        assert!(whole.contains("(0).") && whole.contains("(24)."));
        assert!(earlier_link(&whole).is_none());
    })
    .await;
}
