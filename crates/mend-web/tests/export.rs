//! The export over HTTP on every backend: after the password, one .zip holding the JSON and
//! the page, with every kind of item the person wrote, what their partner shared marked as
//! the partner's, and nothing of the partner's private writing.

use std::io::Read;

use mend_testkit::{breach_form, on_each_backend, Browser, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

const PASSWORD: &str = "lantern-orchid-gravel-71";

fn new_id() -> String {
    mend_core::EntryId::new().to_string()
}

/// The download, as it came: status, headers and bytes.
struct Download {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    bytes: Vec<u8>,
}

async fn export(browser: &Browser, password: &str, csrf: bool) -> Download {
    browser.get("/account").await;
    let token = browser.csrf();
    let mut form = vec![("password", password)];
    if csrf {
        form.push(("csrf", token.as_str()));
    }
    let response = browser
        .client
        .post(format!("{}/account/export", browser.base))
        .header("origin", browser.base.clone())
        .form(&form)
        .send()
        .await
        .expect("POST");
    Download {
        status: response.status(),
        headers: response.headers().clone(),
        bytes: response.bytes().await.expect("a body").to_vec(),
    }
}

/// The two files of an export archive: the parsed JSON, its text, and the page.
fn unzip(bytes: &[u8]) -> (Value, String, String) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    assert_eq!(archive.len(), 2);
    let mut read = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap_or_else(|_| panic!("{name} in the archive"))
            .read_to_string(&mut text)
            .expect("utf-8");
        text
    };
    let json = read("mend-export.json");
    let html = read("mend-export.html");
    (
        serde_json::from_str(&json).expect("the JSON parses"),
        json,
        html,
    )
}

/// Sends an entry of the section at `path` with `text`; returns its id.
async fn send(browser: &Browser, path: &str, text: &str) -> String {
    let page = browser.get(path).await;
    let entry = page
        .field("entry")
        .unwrap_or_else(|| panic!("an entry id on {path}: {}", page.status));
    let sent = browser
        .post(
            &format!("{path}/send"),
            &[("entry", &entry), ("text", text)],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{path}: {text}");
    entry
}

/// A journey with every kind of item, written by both: Alex repairs, Sam was hurt.
async fn full_journey(app: &TestApp) -> (Browser, Browser) {
    let c = app.couple().await;
    let (alex, sam, space) = (c.alex, c.sam, c.space);
    let form = breach_form(
        "me",
        "affair",
        "We are faithful to each other.",
        "found_out",
    );
    let journey = alex.record_breach(&space, &form).await;
    let see = |status: StatusCode, what: &str| assert_eq!(status, StatusCode::SEE_OTHER, "{what}");

    // Alex's written entries of every kind, a correction, a received mark, a response.
    let ack = format!("{journey}/acknowledge");
    let first = send(&alex, &ack, "Alex-ack-words: I lied about the trips.").await;
    send(&alex, &ack, "Alex-ack-correction: it was also in May.").await;
    sam.get(&ack).await;
    see(
        sam.press(&format!("{ack}/{first}/received")).await,
        "received",
    );
    send(&alex, &format!("{journey}/pledge"), "Alex-pledge-words").await;
    send(
        &alex,
        &format!("{journey}/disclosures"),
        "Alex-disclosure-words",
    )
    .await;
    let statement = format!("{journey}/accountability");
    let accountability = send(&alex, &statement, "Alex-accountability-words").await;
    sam.get(&statement).await;
    see(
        sam.post(
            &format!("{statement}/{accountability}/respond"),
            &[
                ("response", "something_missing"),
                ("note", "Sam-response-note-words"),
            ],
        )
        .await
        .status,
        "respond",
    );
    send(
        &alex,
        &format!("{journey}/intention"),
        "Alex-intention-words",
    )
    .await;
    send(
        &alex,
        &format!("{journey}/recommit"),
        "Alex-recommitment-words",
    )
    .await;
    send(
        &alex,
        &format!("{journey}/reassurance"),
        "Alex-reassurance-words",
    )
    .await;
    let reassurance = format!("{journey}/reassurance");
    let gone = send(&alex, &reassurance, "Alex-withdrawn-words").await;
    see(
        alex.press(&format!("{reassurance}/{gone}/withdraw")).await,
        "withdraw",
    );
    let choices = format!("{journey}/choices");
    sam.get(&format!("{journey}/feelings")).await;
    see(
        sam.post(&choices, &[("change", "open_my_side")])
            .await
            .status,
        "my side",
    );
    see(
        sam.post(&choices, &[("change", "open_context")])
            .await
            .status,
        "context",
    );
    send(&alex, &format!("{journey}/my-side"), "Alex-myside-words").await;
    send(&alex, &format!("{journey}/context"), "Alex-context-words").await;
    send(&sam, &format!("{journey}/context"), "Sam-context-words").await;
    // Drafts, one each, never sent.
    let pledge = format!("{journey}/pledge");
    let entry = alex.get(&pledge).await.field("entry").unwrap();
    see(
        alex.post(
            &format!("{pledge}/draft"),
            &[("entry", &entry), ("text", "ALEX-PRIVATE-DRAFT")],
        )
        .await
        .status,
        "alex's draft",
    );
    let context = format!("{journey}/context");
    let entry = sam.get(&context).await.field("entry").unwrap();
    see(
        sam.post(
            &format!("{context}/draft"),
            &[("entry", &entry), ("text", "SAM-PRIVATE-DRAFT")],
        )
        .await
        .status,
        "sam's draft",
    );

    // Questions, asked again, answered, responded to.
    let questions = format!("{journey}/questions");
    let question = new_id();
    sam.get(&questions).await;
    see(
        sam.post(
            &questions,
            &[("text", "Sam-question-words"), ("form_id", &question)],
        )
        .await
        .status,
        "ask",
    );
    see(
        sam.post(
            &questions,
            &[
                ("text", "Sam-asked-again-words"),
                ("again_of", &question),
                ("form_id", &new_id()),
            ],
        )
        .await
        .status,
        "ask again",
    );
    let answer = new_id();
    alex.get(&questions).await;
    see(
        alex.post(
            &format!("{questions}/{question}/answer"),
            &[("text", "Alex-answer-words"), ("form_id", &answer)],
        )
        .await
        .status,
        "answer",
    );
    sam.get(&questions).await;
    see(
        sam.post(
            &format!("{questions}/answers/{answer}/respond"),
            &[("response", "helps")],
        )
        .await
        .status,
        "respond to the answer",
    );

    // A feeling, a reflection, a "not yet".
    let feelings = format!("{journey}/feelings");
    let feeling = new_id();
    sam.get(&feelings).await;
    see(
        sam.post(
            &feelings,
            &[
                ("word", "numb"),
                ("intensity", "3"),
                ("text", "Sam-feeling-words"),
                ("feeling", &feeling),
            ],
        )
        .await
        .status,
        "feeling",
    );
    let reflection = new_id();
    alex.get(&feelings).await;
    see(
        alex.post(
            &format!("{feelings}/{feeling}/reflect"),
            &[("text", "Alex-reflection-words"), ("form_id", &reflection)],
        )
        .await
        .status,
        "reflect",
    );
    sam.get(&feelings).await;
    see(
        sam.post(
            &format!("{feelings}/reflections/{reflection}/answer"),
            &[("verdict", "not_yet"), ("missed", "Sam-missed-words")],
        )
        .await
        .status,
        "verdict",
    );

    // A check-in with a private note, a trigger and its reply.
    let patience = format!("{journey}/patience");
    sam.get(&patience).await;
    see(
        sam.post(
            &patience,
            &[
                ("trust", "4"),
                ("note", "SAM-PRIVATE-CHECKIN"),
                ("form_id", &new_id()),
            ],
        )
        .await
        .status,
        "check-in",
    );
    let triggers = format!("{journey}/triggers");
    let trigger = new_id();
    sam.get(&triggers).await;
    see(
        sam.post(
            &triggers,
            &[("note", "Sam-trigger-words"), ("form_id", &trigger)],
        )
        .await
        .status,
        "trigger",
    );
    alex.get(&triggers).await;
    see(
        alex.post(
            &format!("{triggers}/{trigger}/reply"),
            &[("text", "Alex-reply-words")],
        )
        .await
        .status,
        "reply",
    );

    // The evidence log: one shared, one private.
    let log = format!("{journey}/evidence");
    let shared = new_id();
    sam.get(&log).await;
    for (id, text) in [
        (shared.as_str(), "Sam-evidence-shared"),
        (&new_id(), "SAM-PRIVATE-EVIDENCE"),
    ] {
        see(
            sam.post(
                &log,
                &[("moment", "built"), ("text", text), ("form_id", id)],
            )
            .await
            .status,
            "evidence",
        );
    }
    see(
        sam.press(&format!("{log}/{shared}/share")).await,
        "share evidence",
    );

    // A transparency agreement, offered and accepted.
    let transparency = format!("{journey}/transparency");
    let offer = new_id();
    alex.get(&transparency).await;
    see(
        alex.post(
            &transparency,
            &[
                ("text", "Alex-transparency-words"),
                ("period", "91"),
                ("form_id", &offer),
            ],
        )
        .await
        .status,
        "offer",
    );
    sam.get(&transparency).await;
    see(
        sam.post(
            &format!("{transparency}/{offer}/decide"),
            &[("decision", "accept")],
        )
        .await
        .status,
        "accept",
    );

    // Journals, each with one shared and one private entry; an agreement proposed by each.
    let journal = format!("{space}/journal");
    for (who, shared, private) in [
        (&alex, "Alex-journal-shared", "ALEX-PRIVATE-JOURNAL"),
        (&sam, "Sam-journal-shared", "SAM-PRIVATE-JOURNAL"),
    ] {
        who.get(&journal).await;
        let id = new_id();
        see(
            who.post(&journal, &[("text", shared), ("entry", &id)])
                .await
                .status,
            "journal",
        );
        see(
            who.post(&journal, &[("text", private), ("entry", &new_id())])
                .await
                .status,
            "journal",
        );
        see(
            who.press(&format!("{journal}/{id}/share")).await,
            "share journal",
        );
    }
    let agreements = format!("{space}/agreements");
    for (who, other, text) in [
        (&alex, &sam, "Alex-agreement-words"),
        (&sam, &alex, "Sam-agreement-words"),
    ] {
        let id = new_id();
        who.get(&agreements).await;
        see(
            who.post(&agreements, &[("text", text), ("form_id", &id)])
                .await
                .status,
            "propose",
        );
        other.get(&agreements).await;
        see(
            other.press(&format!("{agreements}/{id}/accept")).await,
            "accept agreement",
        );
    }
    (alex, sam)
}

/// Every item anywhere in the export whose `by` is `who`, with its words.
fn texts_by(json: &Value, who: &str) -> Vec<String> {
    let mut found = Vec::new();
    fn walk(v: &Value, who: &str, found: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if map.get("by").and_then(Value::as_str) == Some(who) {
                    for field in ["text", "note", "missed"] {
                        if let Some(t) = map.get(field).and_then(Value::as_str) {
                            found.push(t.to_owned());
                        }
                    }
                }
                map.values().for_each(|v| walk(v, who, found));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, who, found)),
            _ => {}
        }
    }
    walk(json, who, &mut found);
    found
}

fn has(texts: &[String], words: &str) -> bool {
    texts.iter().any(|t| t.contains(words))
}

#[tokio::test]
async fn each_partner_exports_everything_they_wrote_and_nothing_private_of_the_other() {
    on_each_backend(|app: TestApp| async move {
        let (alex, sam) = full_journey(&app).await;

        for (browser, me, partner) in [(&alex, "Alex", "Sam"), (&sam, "Sam", "Alex")] {
            let download = export(browser, PASSWORD, true).await;
            assert_eq!(download.status, StatusCode::OK, "{me}");
            let header = |name: &str| {
                download
                    .headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned()
            };
            assert_eq!(header("content-type"), "application/zip");
            assert_eq!(header("cache-control"), "no-store");
            let disposition = header("content-disposition");
            assert!(
                disposition.starts_with("attachment; filename=\"mend-export-")
                    && disposition.ends_with(".zip\""),
                "{disposition}"
            );
            let (json, json_text, html) = unzip(&download.bytes);
            assert_eq!(json["format"], "mend-export");
            assert_eq!(json["version"], 1);
            assert_eq!(json["account"]["name"], me);
            assert_eq!(
                json["account"]["email"],
                format!("{}@example.org", me.to_lowercase())
            );
            assert_eq!(
                json["account"]["safety_answers"].as_array().map(Vec::len),
                Some(5)
            );
            let journey = &json["space"]["journeys"][0];
            assert!(journey.is_object(), "the journey is there");

            let mine = texts_by(&json, "me");
            let theirs = texts_by(&json, "partner");
            let written = |who: &str| -> Vec<String> {
                let mut words = vec![
                    format!("{who}-context-words"),
                    format!("{who}-journal-shared"),
                    format!("{who}-agreement-words"),
                    format!("{}-PRIVATE-JOURNAL", who.to_uppercase()),
                    format!("{}-PRIVATE-DRAFT", who.to_uppercase()),
                ];
                let kinds: &[&str] = if who == "Alex" {
                    &[
                        "Alex-ack-words",
                        "Alex-ack-correction",
                        "Alex-pledge-words",
                        "Alex-disclosure-words",
                        "Alex-accountability-words",
                        "Alex-intention-words",
                        "Alex-recommitment-words",
                        "Alex-reassurance-words",
                        "Alex-myside-words",
                        "Alex-answer-words",
                        "Alex-reflection-words",
                        "Alex-reply-words",
                        "Alex-transparency-words",
                    ]
                } else {
                    &[
                        "Sam-response-note-words",
                        "Sam-question-words",
                        "Sam-asked-again-words",
                        "Sam-feeling-words",
                        "Sam-missed-words",
                        "SAM-PRIVATE-CHECKIN",
                        "Sam-trigger-words",
                        "Sam-evidence-shared",
                        "SAM-PRIVATE-EVIDENCE",
                    ]
                };
                words.extend(kinds.iter().map(|k| k.to_string()));
                words
            };
            for words in written(me) {
                assert!(has(&mine, &words), "{me}'s export holds {words} as theirs");
                assert!(html.contains(&words), "{me}'s page shows {words}");
            }
            for words in written(partner) {
                if words.contains("PRIVATE") {
                    assert!(
                        !json_text.contains(&words) && !html.contains(&words),
                        "{me}'s export never holds {partner}'s {words}"
                    );
                } else {
                    assert!(
                        has(&theirs, &words),
                        "{me}'s export holds {words} as the partner's"
                    );
                    assert!(html.contains(&words), "{me}'s page shows {words}");
                }
            }
            // Withdrawn: shown as withdrawn and when, without its words.
            assert!(
                !json_text.contains("Alex-withdrawn-words")
                    && !html.contains("Alex-withdrawn-words")
            );
            let withdrawn: Vec<&Value> = journey["entries"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["state"] == "withdrawn")
                .collect();
            assert_eq!(withdrawn.len(), 1);
            assert!(withdrawn[0]["text"].is_null() && withdrawn[0]["withdrawn_at"].is_string());
            // The partner's check-in is there, without its note; the correction follows.
            assert_eq!(journey["check_ins"][0]["trust"], 4);
            assert!(journey["entries"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["kind"] == "acknowledgement" && e["follows"].is_string()));
            assert!(journey["questions"][1]["asked_again_of"].is_string());
            assert_eq!(journey["answers"][0]["response"]["response"], "helps");
            assert_eq!(journey["reflections"][0]["verdict"]["verdict"], "not_yet");
            assert_eq!(journey["transparency"][0]["state"], "accepted");
            assert!(html.contains("<style>") && !html.contains("<script"));
        }

        // The same data gives the same export, but for `exported_at`.
        let without_time = |bytes: &[u8]| {
            let (mut json, _, _) = unzip(bytes);
            json["exported_at"] = Value::Null;
            json
        };
        let once = without_time(&export(&alex, PASSWORD, true).await.bytes);
        let again = without_time(&export(&alex, PASSWORD, true).await.bytes);
        assert_eq!(once, again);
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_or_a_missing_token_downloads_nothing() {
    on_each_backend(|app: TestApp| async move {
        let c = app.couple().await;
        let wrong = export(&c.alex, "not-the-password-at-all", true).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = String::from_utf8_lossy(&wrong.bytes).to_string();
        assert!(
            body.contains("nothing was downloaded"),
            "Mend's page says so"
        );
        assert!(wrong.headers.get("content-disposition").is_none());
        assert!(zip::ZipArchive::new(std::io::Cursor::new(&wrong.bytes[..])).is_err());

        let no_token = export(&c.alex, PASSWORD, false).await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        assert!(no_token.headers.get("content-disposition").is_none());

        // The right password still works afterwards, and the page links where it should.
        assert_eq!(export(&c.alex, PASSWORD, true).await.status, StatusCode::OK);
        let page = c.alex.get("/account").await;
        assert_eq!(page.status, StatusCode::OK);
        for link in ["/account/password", "/account/leave", "/account/delete"] {
            assert!(page.contains(&format!("href=\"{link}\"")), "{link}");
        }
        assert!(c.alex.get(&c.space).await.contains("href=\"/account\""));

        // Someone not in a space is offered no "leave", and nobody logged out gets a page.
        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", PASSWORD)
            .await;
        let page = robin.get("/account").await;
        assert!(
            !page.contains("href=\"/account/leave\"") && page.contains("href=\"/account/delete\"")
        );
        let download = export(&robin, PASSWORD, true).await;
        let (json, _, _) = unzip(&download.bytes);
        assert!(json["space"].is_null());
        assert_ne!(app.browser().get("/account").await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn export_counts_against_the_log_in_limits() {
    on_each_backend(|app: TestApp| async move {
        let c = app.couple().await;
        let mut statuses = Vec::new();
        for _ in 0..30 {
            statuses.push(export(&c.alex, "a-wrong-guess-here", true).await.status);
        }
        assert!(
            statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
            "guessing is throttled: {statuses:?}"
        );
    })
    .await;
}
