//! Everything new on the dashboard (issue 12), over HTTP on every backend: each thing one
//! partner sends or shares waits on the other's dashboard, in the navigation's count and in
//! its area of the journey page, until they open the page where it is read; one's own items
//! never wait for oneself; another couple sees nothing of it; and the dashboard's reads stay
//! the same however much old, already-read history the couple has.

use mend_testkit::{breach_form, on_each_backend, Browser, Page, TestApp};
use reqwest::StatusCode;

/// Alex (repairing) and Sam (hurt), one journey (a lie); the space's and journey's paths.
async fn journey(app: &TestApp) -> (Browser, Browser, String, String) {
    let c = app.couple().await;
    let form = breach_form("me", "lie", "We tell each other the truth.", "told");
    let journey = c.alex.record_breach(&c.space, &form).await;
    (c.alex, c.sam, c.space, journey)
}

/// The number the navigation shows, if any.
fn nav_count(page: &Page) -> Option<usize> {
    let marker = "<span class=\"nav-count\" aria-hidden=\"true\">";
    let start = page.body.find(marker)? + marker.len();
    let end = page.body[start..].find('<')?;
    page.body[start..start + end].parse().ok()
}

/// The ids of the page's `{kind}-<uuid>` elements, in page order.
fn ids(page: &Page, kind: &str) -> Vec<String> {
    page.ids_of(kind)
        .into_iter()
        .filter(|id| id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .collect()
}

/// The link to the older window of a list, if the page has one.
fn older(page: &Page) -> Option<String> {
    let end = page.body.find("\" rel=\"next\"")?;
    let start = page.body[..end].rfind("href=\"")? + "href=\"".len();
    Some(page.body[start..end].replace("&#38;", "&"))
}

fn first_id(page: &Page, kind: &str) -> String {
    ids(page, kind)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("an element {kind}-… on the page"))
}

async fn sent(browser: &Browser, path: &str, fields: &[(&str, &str)]) {
    let page = browser.post(path, fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.body);
}

/// Sends a written entry as its page's form does, with the entry id the page gives it.
async fn send_entry(browser: &Browser, journey: &str, section: &str, text: &str) {
    let path = format!("{journey}/{section}");
    let entry = browser
        .get(&path)
        .await
        .field("entry")
        .expect("an entry id");
    sent(
        browser,
        &format!("{path}/send"),
        &[("text", text), ("entry", &entry)],
    )
    .await;
}

/// `text`, linking to `page`, waits on the reader's dashboard, with a number in the
/// navigation and under the journey page's area, and never on the sender's; opening `page`
/// takes it away.
async fn waits_until_opened(
    sender: &Browser,
    reader: &Browser,
    space: &str,
    journey: &str,
    page: &str,
    text: &str,
) {
    let link = format!("<a href=\"{journey}/{page}\">{text}</a>");
    let dashboard = reader.get(space).await;
    assert!(
        dashboard.contains(&link),
        "{text} waits for the reader:\n{}",
        dashboard.body
    );
    assert!(
        nav_count(&dashboard).is_some_and(|n| n >= 1),
        "{text}: a count"
    );
    // The journey page's heading names the kind: its areas do not repeat it on every line.
    let here = format!(
        "<a href=\"{journey}/{page}\">{}</a>",
        text.replacen(" (A lie)", "", 1)
    );
    let journey_page = reader.get(journey).await;
    assert!(
        journey_page.contains(&here),
        "{text} waits in its area of the journey page:\n{}",
        journey_page.body
    );
    assert!(
        !journey_page.contains(&link),
        "{text}: the kind once, in the heading"
    );
    assert!(
        !sender.get(space).await.contains(text),
        "{text}: one's own item never waits for oneself"
    );
    let opened = reader.get(&format!("{journey}/{page}")).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(
        !reader.get(space).await.contains(text),
        "{text}: opened, it no longer waits"
    );
}

#[tokio::test]
async fn what_the_repairing_partner_sends_waits_for_the_hurt_partner_until_opened() {
    on_each_backend(|app| async move {
        let (alex, sam, space, journey) = journey(&app).await;
        let w = |page: &'static str, text: &'static str| {
            let (alex, sam, space, journey) = (&alex, &sam, &space, &journey);
            async move { waits_until_opened(alex, sam, space, journey, page, text).await }
        };
        assert!(sam.get(&space).await.contains("Nothing is waiting for you right now."));
        assert_eq!(nav_count(&sam.get(&space).await), None, "nothing, no number");

        let ack = format!("{journey}/acknowledge");
        send_entry(&alex, &journey, "acknowledge", "I lied to you about where I was.").await;
        // The acknowledgement waits until it is marked received, as before.
        let read = "Your partner&#39;s acknowledgement is here to read (A lie).";
        let page = sam.get(&ack).await;
        assert!(sam.get(&space).await.contains(read));
        sent(&sam, &format!("{ack}/{}/received", first_id(&page, "entry")), &[]).await;
        assert!(!sam.get(&space).await.contains(read));

        for (page, first) in [
            ("pledge", "I will tell you the same day if she writes."),
            ("disclosures", "There was also a weekend in May."),
            ("intention", "I want us to be safe with each other again."),
            ("reassurance", "I am here, and I am not going anywhere."),
        ] {
            send_entry(&alex, &journey, page, first).await;
        }
        send_entry(&alex, &journey, "recommit", "I kept every promise this week.").await;
        w("pledge", "Your partner sent their honesty pledge (A lie).").await;
        w("disclosures", "Your partner told you something more (A lie).").await;
        w("intention", "Your partner wrote down their intention (A lie).").await;
        w("recommit", "Your partner recommitted to their intention (A lie).").await;
        w("reassurance", "Your partner sent you a reassurance note (A lie).").await;

        // Two more notes count as two; a correction of the pledge counts with it.
        for text in ["Thinking of you today.", "I am proud of us."] {
            send_entry(&alex, &journey, "reassurance", text).await;
        }
        w("reassurance", "Your partner sent you 2 reassurance notes (A lie).").await;

        // The accountability statement waits for a response, then is gone.
        let statement = "I chose to lie, it hurt you deeply, and it was my choice alone.";
        send_entry(&alex, &journey, "accountability", statement).await;
        let respond = "Your partner&#39;s accountability statement is here, when you want to respond (A lie).";
        assert!(sam.get(&space).await.contains(respond));
        let page = sam.get(&format!("{journey}/accountability")).await;
        assert!(sam.get(&space).await.contains(respond), "it waits until answered");
        let id = first_id(&page, "entry");
        sent(&sam, &format!("{journey}/accountability/{id}/respond"), &[("response", "feels_genuine")]).await;
        assert!(!sam.get(&space).await.contains(respond));
        // The response waits for the writer until they open the statement's page.
        waits_until_opened(
            &sam,
            &alex,
            &space,
            &journey,
            "accountability",
            "Your partner responded to your accountability statement (A lie).",
        )
        .await;
        // Marking the acknowledgement received waited for him too.
        waits_until_opened(
            &sam,
            &alex,
            &space,
            &journey,
            "acknowledge",
            "Your partner marked your acknowledgement as received (A lie).",
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn responses_shares_and_opened_conversations_wait_until_opened() {
    on_each_backend(|app| async move {
        let (alex, sam, space, journey) = journey(&app).await;
        send_entry(&alex, &journey, "acknowledge", "I lied to you.").await;

        // A feeling, its reflection, and the answer to the reflection.
        let feelings = format!("{journey}/feelings");
        sent(
            &sam,
            &feelings,
            &[
                ("word", "hurt"),
                ("intensity", "4"),
                ("text", "It comes back at night."),
            ],
        )
        .await;
        assert!(alex
            .get(&space)
            .await
            .contains("1 feeling is waiting for your reflection (A lie)."));
        let page = alex.get(&feelings).await;
        let feeling = first_id(&page, "feeling");
        sent(
            &alex,
            &format!("{feelings}/{feeling}/reflect"),
            &[("text", "It comes back at night, and it frightens you.")],
        )
        .await;
        let page = sam.get(&feelings).await;
        let reflection = first_id(&page, "reflection");
        sent(
            &sam,
            &format!("{feelings}/reflections/{reflection}/answer"),
            &[("verdict", "heard")],
        )
        .await;
        waits_until_opened(
            &sam,
            &alex,
            &space,
            &journey,
            "feelings",
            "Your partner answered your reflection (A lie).",
        )
        .await;

        // A question, its answer, and the response to the answer.
        let questions = format!("{journey}/questions");
        sent(&sam, &questions, &[("text", "Who else knew?")]).await;
        let page = alex.get(&questions).await;
        let question = first_id(&page, "question");
        sent(
            &alex,
            &format!("{questions}/{question}/answer"),
            &[("text", "Nobody else knew.")],
        )
        .await;
        let page = sam.get(&questions).await;
        let answer = first_id(&page, "answer");
        sent(
            &sam,
            &format!("{questions}/answers/{answer}/respond"),
            &[("response", "helps")],
        )
        .await;
        waits_until_opened(
            &sam,
            &alex,
            &space,
            &journey,
            "questions",
            "Your partner responded to your answer (A lie).",
        )
        .await;
        // A question the repairing partner would rather answer in person.
        sent(&sam, &questions, &[("text", "Where did you meet?")]).await;
        let page = alex.get(&questions).await;
        let question = ids(&page, "question")
            .into_iter()
            .find(|q| *q != question)
            .expect("the second question");
        sent(&alex, &format!("{questions}/{question}/in-person"), &[]).await;
        waits_until_opened(
            &alex,
            &sam,
            &space,
            &journey,
            "questions",
            "Your partner would like to answer one of your questions in person or with a counsellor (A lie).",
        )
        .await;

        // A trigger signal and its reply.
        let triggers = format!("{journey}/triggers");
        sent(&sam, &triggers, &[("note", "A song came on.")]).await;
        let page = alex.get(&triggers).await;
        let trigger = first_id(&page, "trigger");
        sent(
            &alex,
            &format!("{triggers}/{trigger}/reply"),
            &[("text", "That song brings it all back, and it hurts.")],
        )
        .await;
        waits_until_opened(
            &alex,
            &sam,
            &space,
            &journey,
            "triggers",
            "Your partner replied when you said you were triggered (A lie).",
        )
        .await;

        // A transparency offer and the decision on it.
        let transparency = format!("{journey}/transparency");
        sent(
            &alex,
            &transparency,
            &[
                ("text", "I will tell you the same day if she contacts me."),
                ("period", "91"),
            ],
        )
        .await;
        let offered = "Your partner offered a transparency agreement (A lie).";
        assert!(sam.get(&space).await.contains(offered));
        let page = sam.get(&transparency).await;
        let offer = first_id(&page, "transparency");
        sent(
            &sam,
            &format!("{transparency}/{offer}/decide"),
            &[("decision", "accept")],
        )
        .await;
        assert!(!sam.get(&space).await.contains(offered));
        waits_until_opened(
            &sam,
            &alex,
            &space,
            &journey,
            "transparency",
            "Your partner decided on your transparency offer (A lie).",
        )
        .await;

        // A shared moment of the evidence log.
        let evidence = format!("{journey}/evidence");
        sent(
            &sam,
            &evidence,
            &[
                ("text", "He told me the truth about Friday."),
                ("moment", "built"),
            ],
        )
        .await;
        let page = sam.get(&evidence).await;
        let entry = first_id(&page, "evidence");
        assert!(
            !alex.get(&space).await.contains("evidence log"),
            "private until shared"
        );
        sent(&sam, &format!("{evidence}/{entry}/share"), &[]).await;
        waits_until_opened(
            &sam,
            &alex,
            &space,
            &journey,
            "evidence",
            "Your partner shared a moment from their evidence log (A lie).",
        )
        .await;

        // "My side", opened and then written.
        let choices = format!("{journey}/choices");
        sent(&sam, &choices, &[("change", "open_my_side")]).await;
        waits_until_opened(
            &sam,
            &alex,
            &space,
            &journey,
            "my-side",
            "Your partner opened &#34;my side&#34;: you can write your own perspective there when you are ready (A lie).",
        )
        .await;
        send_entry(
            &alex,
            &journey,
            "my-side",
            "I was lonely, which explains nothing.",
        )
        .await;
        waits_until_opened(
            &alex,
            &sam,
            &space,
            &journey,
            "my-side",
            "Your partner wrote their side (A lie).",
        )
        .await;

        // The context conversation, opened, and each partner's words for the other.
        sent(&sam, &choices, &[("change", "open_context")]).await;
        waits_until_opened(
            &sam,
            &alex,
            &space,
            &journey,
            "context",
            "Your partner opened the context conversation (A lie).",
        )
        .await;
        send_entry(
            &alex,
            &journey,
            "context",
            "We stopped talking in the evenings.",
        )
        .await;
        waits_until_opened(
            &alex,
            &sam,
            &space,
            &journey,
            "context",
            "Your partner wrote in the context conversation (A lie).",
        )
        .await;
        send_entry(&sam, &journey, "context", "I felt alone too.").await;
        waits_until_opened(
            &sam,
            &alex,
            &space,
            &journey,
            "context",
            "Your partner wrote in the context conversation (A lie).",
        )
        .await;

        // A shared journal entry waits on the dashboard (the journal is the space's).
        let journal = format!("{space}/journal");
        sent(&alex, &journal, &[("text", "Today I kept my word.")]).await;
        let page = alex.get(&journal).await;
        let entry = first_id(&page, "journal");
        assert!(
            !sam.get(&space).await.contains("journal entry"),
            "private until shared"
        );
        sent(&alex, &format!("{journal}/{entry}/share"), &[]).await;
        let shared =
            format!("<a href=\"{journal}\">Your partner shared a journal entry with you.</a>");
        let dashboard = sam.get(&space).await;
        assert!(dashboard.contains(&shared), "{}", dashboard.body);
        assert!(!alex.get(&space).await.contains("shared a journal entry"));
        sam.get(&journal).await;
        assert!(!sam.get(&space).await.contains(&shared));

        // The closing proposal waits for the repairing partner.
        sent(&sam, &choices, &[("change", "propose_closing")]).await;
        assert!(alex
            .get(&space)
            .await
            .contains("Your partner has proposed closing this chapter (A lie)."));
    })
    .await;
}

#[tokio::test]
async fn the_count_is_the_persons_own_and_an_ended_journey_asks_nothing() {
    on_each_backend(|app| async move {
        let (alex, sam, space, journey) = journey(&app).await;
        send_entry(&alex, &journey, "acknowledge", "I lied to you.").await;
        for text in ["I am here.", "I love you.", "Take the time you need."] {
            send_entry(&alex, &journey, "reassurance", text).await;
        }
        send_entry(&alex, &journey, "pledge", "No more secrets.").await;
        // The acknowledgement to read, three notes and a pledge: five things, on every page.
        for page in ["/account", space.as_str(), journey.as_str(), "/coach"] {
            let shown = sam.get(page).await;
            assert_eq!(nav_count(&shown), Some(5), "{page}");
            assert!(
                shown.contains("(5 things are waiting for you)"),
                "{page}: its label"
            );
        }
        // The page being opened is counted out at once.
        assert_eq!(
            nav_count(&sam.get(&format!("{journey}/reassurance")).await),
            Some(2)
        );
        assert_eq!(nav_count(&alex.get(&space).await), None, "his own items");

        // Another couple sees no count for this space, and cannot open it.
        let other = app.couple_as("kim@example.org", "lee@example.org").await;
        for browser in [&other.alex, &other.sam] {
            assert_eq!(nav_count(&browser.get(&other.space).await), None);
            assert_eq!(browser.get(&space).await.status, StatusCode::NOT_FOUND);
        }

        // Parting with care ends the journey: nothing waits in it any more.
        sent(
            &sam,
            &format!("{journey}/choices"),
            &[("change", "part_with_care"), ("confirm", "yes")],
        )
        .await;
        let dashboard = sam.get(&space).await;
        assert_eq!(nav_count(&dashboard), None, "{}", dashboard.body);
        assert!(dashboard.contains("Nothing is waiting for you right now."));
    })
    .await;
}

#[tokio::test]
async fn the_dashboards_reads_do_not_grow_with_old_history() {
    on_each_backend(|app| async move {
        let (alex, sam, space, journey) = journey(&app).await;
        send_entry(&alex, &journey, "acknowledge", "I lied to you.").await;
        let questions = format!("{journey}/questions");
        let round = |n: usize| {
            let (alex, sam, journey, questions) = (&alex, &sam, &journey, &questions);
            async move {
                for i in 0..n {
                    send_entry(alex, journey, "reassurance", &format!("Note {i}.")).await;
                    sent(sam, questions, &[("text", &format!("Question {i}?"))]).await;
                }
                let page = alex.get(questions).await;
                for question in ids(&page, "question") {
                    if page.contains(&format!("id=\"answer-text-{question}\"")) {
                        sent(
                            alex,
                            &format!("{questions}/{question}/answer"),
                            &[("text", "An answer.")],
                        )
                        .await;
                    }
                }
                // The answered questions are shown a window at a time (issue 13): respond in
                // each window, following the older links.
                let mut page = sam.get(questions).await;
                loop {
                    for answer in ids(&page, "answer") {
                        sam.post(
                            &format!("{questions}/answers/{answer}/respond"),
                            &[("response", "helps")],
                        )
                        .await;
                    }
                    match older(&page) {
                        Some(next) => page = sam.get(&next).await,
                        None => break,
                    }
                }
                // Everything read: both open every page once.
                for browser in [alex, sam] {
                    browser.get(&format!("{journey}/reassurance")).await;
                    browser.get(questions).await;
                }
                // One new note waits, so the dashboard has something to show.
                send_entry(alex, journey, "reassurance", "One more.").await;
            }
        };
        let measure = || async {
            let before = app.store.reads();
            let page = sam.get(&space).await;
            assert!(page.contains("Your partner sent you a reassurance note (A lie)."));
            app.store.reads() - before
        };
        round(1).await;
        let little = measure().await;
        // Take the new note in, then a long history, all read, with one new note again.
        sam.get(&format!("{journey}/reassurance")).await;
        round(30).await;
        let long = measure().await;
        eprintln!("{:?}: the dashboard read {long:?}", app.backend);
        assert_eq!(
            long, little,
            "the dashboard reads the same with 30 times the history"
        );
        // Two queries: the session (with the seat and the space's counters) and, since the
        // note moved the version, the facts; the space itself (the partner's name with it) is
        // kept.
        assert!(long.queries <= 2, "{long:?}");

        // Nothing changed since: what waits is kept, and the facts are not read again; a visit
        // to a page with nothing new on it writes nothing, so they stay kept.
        let kept = measure().await;
        assert_eq!(kept.queries + 1, long.queries, "{kept:?} after {long:?}");
        assert!(kept.rows < long.rows, "{kept:?} after {long:?}");
        sam.get(&questions).await;
        assert_eq!(measure().await, kept);

        // The coach's live review (an htmx fragment, sent as often as someone types) has no
        // navigation, so it counts nothing and reads nothing.
        sam.get("/coach").await;
        let before = app.store.reads();
        let live = sam
            .client
            .post(format!("{}/coach/review", app.base))
            .header("hx-request", "true")
            .header("origin", &app.base)
            .form(&[
                ("csrf", sam.csrf().as_str()),
                ("text", "You always do this."),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(live.status(), StatusCode::OK);
        assert_eq!(app.store.reads() - before, Default::default());
    })
    .await;
}
