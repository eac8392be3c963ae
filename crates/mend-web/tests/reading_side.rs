//! Every page of a journey read by each partner, at its start, once things were sent, and once
//! it ended: each sentence must be true from the reader's side. A table of page × who ×
//! what must be there and what must not.

use mend_testkit::{breach_form, on_each_backend, Browser};
use reqwest::StatusCode;

/// Who reads a row of the table.
#[derive(Clone, Copy, Debug)]
enum Who {
    /// Alex, the partner who is repairing.
    Repairing,
    /// Sam, the partner who was hurt.
    Hurt,
}

/// One row: the page (under the journey), who reads it, what it says and what it must not.
struct Row {
    page: &'static str,
    who: Who,
    expected: &'static [&'static str],
    forbidden: &'static [&'static str],
}

const fn row(
    page: &'static str,
    who: Who,
    expected: &'static [&'static str],
    forbidden: &'static [&'static str],
) -> Row {
    Row {
        page,
        who,
        expected,
        forbidden,
    }
}

use Who::{Hurt, Repairing};

/// What the repairing partner must never read about their own writing, and the hurt partner
/// never about theirs: the other side's sentences.
const NOT_FOR_THE_WRITER: &[&str] = &[
    "Your partner's acknowledgement",
    "Your partner's honesty pledge",
    "Your partner's accountability statement",
    "Your partner's intention",
    "Your partner would like to answer this in person",
];
const NOT_FOR_THE_READER: &[&str] = &[
    "Write, in plain words, what you did",
    "commit to honesty from now on",
    "Say what you did, what it did to your partner",
    "<h1>Your intention",
    "You asked to answer this in person",
    "Your partner said:",
];

/// The page as a person reads it: entities back to characters, tags kept.
fn read(body: &str) -> String {
    body.replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

async fn check(stage: &str, journey: &str, alex: &Browser, sam: &Browser, table: &[Row]) {
    for r in table {
        let browser = match r.who {
            Repairing => alex,
            Hurt => sam,
        };
        let path = if r.page.is_empty() {
            journey.to_owned()
        } else {
            format!("{journey}/{}", r.page)
        };
        let page = browser.get(&path).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "{stage}: {} for {:?}",
            r.page,
            r.who
        );
        let text = read(&page.body);
        for phrase in r.expected {
            assert!(
                text.contains(phrase),
                "{stage}: /{} for {:?} should say {phrase:?}",
                r.page,
                r.who
            );
        }
        let never = match r.who {
            Repairing => NOT_FOR_THE_WRITER,
            Hurt => NOT_FOR_THE_READER,
        };
        for phrase in r.forbidden.iter().chain(never) {
            assert!(
                !text.contains(phrase),
                "{stage}: /{} for {:?} must not say {phrase:?}",
                r.page,
                r.who
            );
        }
    }
}

/// The entry pages, which every stage reads with the other side's sentences forbidden.
const ENTRY_PAGES: [&str; 7] = [
    "acknowledge",
    "pledge",
    "disclosures",
    "accountability",
    "intention",
    "recommit",
    "reassurance",
];

fn every_entry_page() -> Vec<Row> {
    ENTRY_PAGES
        .iter()
        .flat_map(|p| [row(p, Repairing, &[], &[]), row(p, Hurt, &[], &[])])
        .collect()
}

const BEGINS_REPAIRING: &str = "The journey begins with your acknowledgement";
const BEGINS_HURT: &str = "The journey still begins with a full acknowledgement";
const ONCE_SENT: &str = "appears here once they send it";

#[tokio::test]
async fn every_journey_page_reads_true_from_each_side() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        // Recorded by the hurt partner, who found out first: both beginning notes apply.
        let form = breach_form(
            "partner",
            "affair",
            "We are faithful to each other.",
            "found_out",
        );
        let journey = c.sam.record_breach(&c.space, &form).await;
        let (alex, sam) = (c.alex, c.sam);

        // ---- At the start: nothing sent yet ----
        let mut start = vec![
            row("", Repairing, &[BEGINS_REPAIRING], &[]),
            row("", Hurt, &[BEGINS_HURT], &[BEGINS_REPAIRING]),
            row("acknowledge", Hurt, &[ONCE_SENT], &[]),
            row("accountability", Hurt, &[ONCE_SENT], &[]),
            row("summary", Hurt, &[], &["Your intention"]),
            row("summary", Repairing, &[], &[]),
            row("questions", Repairing, &[], &[]),
            row("questions", Hurt, &[], &[]),
            row(
                "evidence",
                Repairing,
                &["<title>Moments your partner shared"],
                &["Your evidence log"],
            ),
            row("evidence", Hurt, &["<title>Your evidence log"], &[]),
        ];
        start.extend(every_entry_page());
        check("at the start", &journey, &alex, &sam, &start).await;

        // ---- Things sent ----
        for (section, text) in [
            ("acknowledge", "I had an affair for five months."),
            ("pledge", "I will tell you if they write to me."),
            ("accountability", "I lied to you, and it was my choice."),
            ("intention", "I want us to be honest with each other."),
        ] {
            let path = format!("{journey}/{section}");
            let entry = alex.get(&path).await.field("entry").unwrap();
            let sent = alex
                .post(
                    &format!("{path}/send"),
                    &[("entry", &entry), ("text", text)],
                )
                .await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "{section}");
        }
        let questions = format!("{journey}/questions");
        sam.get(&questions).await;
        for text in ["Who knew?", "Where did you meet?"] {
            sam.post(&questions, &[("text", text)]).await;
        }
        let asked = alex.get(&questions).await.ids_of("question");
        assert_eq!(asked.len(), 2);
        alex.post(
            &format!("{questions}/{}/answer", asked[0]),
            &[("text", "Only my brother knew.")],
        )
        .await;
        alex.post(&format!("{questions}/{}/in-person", asked[1]), &[])
            .await;
        let answer = sam.get(&questions).await.ids_of("answer")[0].clone();
        sam.post(
            &format!("{questions}/answers/{answer}/respond"),
            &[("response", "need_more")],
        )
        .await;

        let triggers = format!("{journey}/triggers");
        sam.get(&triggers).await;
        sam.post(&triggers, &[]).await;

        let mut sent = vec![
            row("", Repairing, &[], &[BEGINS_REPAIRING]),
            row("", Hurt, &[], &[BEGINS_HURT]),
            row(
                "acknowledge",
                Hurt,
                &["Your partner's acknowledgement of what happened is below."],
                &[ONCE_SENT],
            ),
            row(
                "pledge",
                Hurt,
                &["Your partner's honesty pledge is below."],
                &[ONCE_SENT],
            ),
            row(
                "accountability",
                Hurt,
                &["Your partner's accountability statement is below."],
                &[ONCE_SENT],
            ),
            row(
                "intention",
                Hurt,
                &[
                    "<h1>The intention",
                    "Your partner's intention and commitment are below.",
                ],
                &["once they send them"],
            ),
            row(
                "intention",
                Repairing,
                &["<h1>The intention", "Write why you are doing this work"],
                &[],
            ),
            row(
                "summary",
                Hurt,
                &["<h3>The intention", "I want us to be honest"],
                &["Your intention"],
            ),
            row(
                "summary",
                Repairing,
                &["<h3>The intention"],
                &["Your intention"],
            ),
            row(
                "questions",
                Repairing,
                &[
                    "You asked to answer this in person",
                    "Your partner said: I need more.",
                ],
                &[],
            ),
            row(
                "questions",
                Hurt,
                &[
                    "Your partner would like to answer this in person",
                    "You said: I need more.",
                ],
                &[],
            ),
        ];
        sent.extend(every_entry_page());
        check("once things were sent", &journey, &alex, &sam, &sent).await;

        // ---- Ended ----
        let parted = alex
            .post(
                &format!("{journey}/choices"),
                &[("change", "part_with_care"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(parted.status, StatusCode::SEE_OTHER);
        let mut ended = vec![
            row("", Repairing, &["This journey ended "], &[BEGINS_REPAIRING]),
            row("", Hurt, &["This journey ended "], &[BEGINS_HURT]),
            row(
                "acknowledge",
                Repairing,
                &["I had an affair"],
                &["Write, in plain words", "Owning it fully now"],
            ),
            row("acknowledge", Hurt, &["I had an affair"], &[ONCE_SENT]),
            row("reassurance", Hurt, &[], &[]),
            row(
                "endings",
                Repairing,
                &["This journey ended "],
                &["Whatever you choose"],
            ),
            row(
                "endings",
                Hurt,
                &["This journey ended "],
                &["Whatever you choose"],
            ),
            row(
                "questions",
                Repairing,
                &["You asked to answer this in person"],
                &[],
            ),
            row("summary", Hurt, &["I lied to you"], &["Your intention"]),
            row(
                "triggers",
                Repairing,
                &["No reply was sent before the journey ended."],
                &["Waiting for"],
            ),
            row(
                "triggers",
                Hurt,
                &["No reply was sent before the journey ended."],
                &["Waiting for"],
            ),
            row(
                "patience",
                Hurt,
                &["This journey has ended."],
                &["Your next check-in is suggested", "Whenever you want to"],
            ),
            row("patience", Repairing, &["This journey has ended."], &[]),
            row(
                "feelings",
                Hurt,
                &["This journey has ended."],
                &["as often as you need to"],
            ),
            row(
                "feelings",
                Repairing,
                &["This journey has ended."],
                &["Answer only by saying back"],
            ),
            row(
                "questions",
                Hurt,
                &["This journey has ended."],
                &["Ask anything you need to know"],
            ),
            row(
                "questions",
                Repairing,
                &["This journey has ended."],
                &["Answer each one honestly", "Before you answer"],
            ),
        ];
        ended.extend(every_entry_page());
        check("once it ended", &journey, &alex, &sam, &ended).await;
    })
    .await;
}
