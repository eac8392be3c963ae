//! A couple with a long history (issue 13), over HTTP on every backend: the questions page and
//! the timeline read the same with ten times the history, because they show what waits and a
//! window of the most recent, with the rest a link away; following those links, which work
//! without JavaScript, shows every item once, with no gap; and a link that does not read as a
//! place in a list is refused.

use std::collections::HashSet;

use mend_testkit::{breach_form, on_each_backend, Browser, Page, TestApp};
use reqwest::StatusCode;

/// Alex (repairing) and Sam (hurt), one journey (a lie); the space's and journey's paths.
async fn journey(app: &TestApp) -> (Browser, Browser, String) {
    let c = app.couple().await;
    let form = breach_form("me", "lie", "We tell each other the truth.", "told");
    let journey = c.alex.record_breach(&c.space, &form).await;
    (c.alex, c.sam, journey)
}

/// The ids of the `{kind}-<uuid>` elements in `body`, in order.
fn ids_in(body: &str, kind: &str) -> Vec<String> {
    body.split(&format!("id=\"{kind}-"))
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|id| id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .map(str::to_owned)
        .collect()
}

fn ids(page: &Page, kind: &str) -> Vec<String> {
    ids_in(&page.body, kind)
}

/// The ids of the questions in the list with this element id (`waiting-questions`, …).
fn listed(page: &Page, list: &str) -> Vec<String> {
    let Some(start) = page.body.find(&format!("id=\"{list}\"")) else {
        return Vec::new();
    };
    let rest = &page.body[start..];
    let end = rest.find("</ol>").expect("the list ends");
    ids_in(&rest[..end], "question")
}

/// The link to the older window, if there is one.
fn older(page: &Page) -> Option<String> {
    let marker = "\" rel=\"next\"";
    let end = page.body.find(marker)?;
    let start = page.body[..end].rfind("href=\"")? + "href=\"".len();
    // The template escapes `&` in attributes, as a browser reads them.
    Some(
        page.body[start..end]
            .replace("&#38;", "&")
            .replace("&amp;", "&"),
    )
}

/// Sam asks `n` questions and Alex answers each: their ids.
async fn asked_and_answered(
    alex: &Browser,
    sam: &Browser,
    questions: &str,
    from: usize,
    n: usize,
) -> Vec<String> {
    let mut answered = Vec::new();
    for i in from..from + n {
        let id = ask(sam, questions, &format!("Question {i}?")).await;
        let page = alex
            .post(
                &format!("{questions}/{id}/answer"),
                &[("text", &format!("Answer {i}."))],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        answered.push(id);
    }
    answered
}

async fn ask(sam: &Browser, questions: &str, text: &str) -> String {
    let page = sam.post(questions, &[("text", text)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location().expect("a redirect");
    location
        .rsplit_once("#question-")
        .expect("the question's anchor")
        .1
        .to_owned()
}

/// Every page of a list from `first`, following the older links: the pages in order.
async fn every_window(browser: &Browser, first: &str) -> Vec<Page> {
    let mut pages = vec![browser.get(first).await];
    while let Some(next) = older(pages.last().expect("a page")) {
        let page = browser.get(&next).await;
        assert_eq!(page.status, StatusCode::OK, "{next}");
        pages.push(page);
        assert!(pages.len() < 100, "the older links end");
    }
    pages
}

#[tokio::test]
async fn the_questions_page_reads_the_same_with_ten_times_the_questions() {
    on_each_backend(|app| async move {
        let (alex, sam, journey) = journey(&app).await;
        let questions = format!("{journey}/questions");
        let mut answered = asked_and_answered(&alex, &sam, &questions, 0, 25).await;
        let waiting = [
            ask(&sam, &questions, "Still waiting?").await,
            ask(&sam, &questions, "And this one?").await,
        ];
        let measure = |browser: &Browser| {
            let (app, browser, questions) = (&app, browser.clone(), questions.clone());
            async move {
                // A first visit marks everything seen, so both counts are of a page read.
                browser.get(&questions).await;
                let before = app.store.reads();
                let page = browser.get(&questions).await;
                assert_eq!(page.status, StatusCode::OK);
                (app.store.reads() - before, page)
            }
        };
        let (little, short_page) = measure(&alex).await;
        answered.extend(asked_and_answered(&alex, &sam, &questions, 25, 225).await);
        let (long, long_page) = measure(&alex).await;
        eprintln!("{:?}: the questions page read {long:?}", app.backend);
        assert_eq!(long, little, "the same reads with ten times the questions");
        // The page's size follows what it shows, not the history (only the numbers in the
        // questions' words grow by a digit).
        assert!(long_page.body.len() < short_page.body.len() * 11 / 10);

        // What waits leads, oldest first; then the most recently answered.
        assert_eq!(listed(&long_page, "waiting-questions"), waiting);
        let settled = listed(&long_page, "settled-questions");
        assert_eq!(settled.len(), 20);
        assert_eq!(settled[0], answered[249]);

        // Following the older links shows every answered question once, newest first, and
        // never the waiting ones again.
        let windows = every_window(&sam, &questions).await;
        let mut seen: Vec<String> = Vec::new();
        for (n, page) in windows.iter().enumerate() {
            if n > 0 {
                assert!(listed(page, "waiting-questions").is_empty());
                assert!(page.contains("Back to the most recent"));
            }
            seen.extend(listed(page, "settled-questions"));
        }
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "no question is shown twice");
        answered.reverse();
        assert_eq!(seen, answered, "every answered question, newest first");

        // Answering a question that waited puts it first among the answered ones.
        let page = alex
            .post(
                &format!("{questions}/{}/answer", waiting[0]),
                &[("text", "Now answered.")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let page = alex.get(&questions).await;
        assert_eq!(listed(&page, "waiting-questions"), [waiting[1].clone()]);
        assert_eq!(listed(&page, "settled-questions")[0], waiting[0]);
        // Asking for more puts it back among the waiting ones.
        let answer = ids(&page, "answer")
            .into_iter()
            .find(|a| page.body.contains(&format!("/answers/{a}/withdraw")))
            .expect("an answer Alex can withdraw");
        let page = sam
            .post(
                &format!("{questions}/answers/{answer}/respond"),
                &[("response", "need_more")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let page = alex.get(&questions).await;
        assert!(
            listed(&page, "waiting-questions").contains(&waiting[0]) || {
                // The answer Alex could withdraw first may be another one; either way, the
                // question asked for more waits again.
                listed(&page, "waiting-questions").len() == 2
            }
        );

        // A place that does not read as one is a malformed request.
        for bad in [
            "nonsense",
            "5_not-a-uuid",
            "-1_00000000-0000-0000-0000-000000000001",
        ] {
            let page = sam.get(&format!("{questions}?before={bad}")).await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
        }
        // A place taken from this couple's list shows another couple only their own.
        let cursor = older(&long_page).expect("an older window");
        let cursor = cursor.rsplit_once("before=").expect("a cursor").1;
        let other = app.couple_as("kim@example.org", "lee@example.org").await;
        let form = breach_form("me", "lie", "We keep our word.", "told");
        let theirs = other.alex.record_breach(&other.space, &form).await;
        let page = other
            .sam
            .get(&format!("{theirs}/questions?before={cursor}"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(ids(&page, "question").is_empty(), "{}", page.body);
        let page = other
            .sam
            .get(&format!("{journey}/questions?before={cursor}"))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// The texts of the timeline's events on a page.
fn events(page: &Page) -> Vec<String> {
    let Some(start) = page.body.find("<ol class=\"timeline\"") else {
        return Vec::new();
    };
    let rest = &page.body[start..];
    let list = &rest[..rest.find("</ol>").expect("the list ends")];
    list.split("<li>").skip(1).map(str::to_owned).collect()
}

#[tokio::test]
async fn the_timeline_reads_the_same_with_ten_times_the_history() {
    on_each_backend(|app| async move {
        let (alex, sam, journey) = journey(&app).await;
        let questions = format!("{journey}/questions");
        let timeline = format!("{journey}/timeline");
        asked_and_answered(&alex, &sam, &questions, 0, 30).await;
        let measure = |path: String| {
            let (app, sam) = (&app, sam.clone());
            async move {
                sam.get(&path).await;
                let before = app.store.reads();
                let page = sam.get(&path).await;
                assert_eq!(page.status, StatusCode::OK);
                app.store.reads() - before
            }
        };
        let little = measure(timeline.clone()).await;
        let little_area = measure(format!("{timeline}?area=questions")).await;
        asked_and_answered(&alex, &sam, &questions, 30, 270).await;
        let long = measure(timeline.clone()).await;
        let long_area = measure(format!("{timeline}?area=questions")).await;
        eprintln!("{:?}: the timeline read {long:?}", app.backend);
        assert_eq!(long, little, "the same reads with ten times the history");
        assert_eq!(long_area, little_area);

        // Every event once across the windows: the journey's start, 300 questions asked and
        // 300 answered; the newest window ends with the last answer.
        let windows = every_window(&sam, &timeline).await;
        let first = events(&windows[0]);
        assert_eq!(first.len(), 50);
        assert!(first[49].contains("was answered"), "{}", first[49]);
        let all: Vec<String> = windows.iter().flat_map(events).collect();
        let count = |text: &str| all.iter().filter(|e| e.contains(text)).count();
        assert_eq!(all.len(), 601, "{all:?}");
        assert_eq!(count("The journey began."), 1);
        assert_eq!(count("A question was asked."), 300);
        assert_eq!(count("was answered"), 300);
        // Windows go back in time: the last one holds the start.
        assert!(events(windows.last().expect("a window"))[0].contains("The journey began."));

        // One area's windows keep their own filter in the older links, and hold only its part.
        let area = every_window(&sam, &format!("{timeline}?area=questions")).await;
        assert!(older(&area[0]).is_some_and(|link| link.contains("area=questions")));
        let only: Vec<String> = area.iter().flat_map(events).collect();
        assert_eq!(only.len(), 600);

        let page = sam.get(&format!("{timeline}?before=soon")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
    })
    .await;
}
