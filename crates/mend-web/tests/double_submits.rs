//! Double submits and two tabs, with real simultaneous requests on every backend: every
//! creating form sent many times at once stores once; two tabs sending different words at
//! once each store their own, or the one that was not stored is told so — a 303 always means
//! stored.

use std::str::FromStr;

use mend_core::store::prelude::*;
use mend_core::{BreachId, EntryKind, EntryState, PersonId, SpaceId};
use mend_crypto::DataKey;
use mend_testkit::{breach_form, on_each_backend, Browser, Couple, TestApp};
use reqwest::StatusCode;

/// How many copies of one form are sent at once.
const AT_ONCE: usize = 12;
/// How many times the two-tab race is run.
const ROUNDS: usize = 8;

type Fields = Vec<(String, String)>;

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Posts every form to `path` from `browser` at the same moment; the statuses, in order.
async fn at_once(browser: &Browser, path: &str, forms: Vec<Fields>) -> Vec<StatusCode> {
    let tasks: Vec<_> = forms
        .into_iter()
        .map(|form| {
            let (browser, path) = (browser.clone(), path.to_owned());
            tokio::spawn(async move {
                let pairs: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                browser.post(&path, &pairs).await.status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("a request"));
    }
    statuses
}

/// The same form, `AT_ONCE` times at once; every copy is answered as stored.
async fn many(browser: &Browser, path: &str, form: Fields) {
    let statuses = at_once(browser, path, vec![form; AT_ONCE]).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::SEE_OTHER),
        "{path}: {statuses:?}"
    );
}

/// The id the page at `path` gives its creating form in `field`.
async fn form_id(browser: &Browser, path: &str, field: &str) -> String {
    browser
        .get(path)
        .await
        .field(field)
        .unwrap_or_else(|| panic!("{path} carries a {field}"))
}

/// The hurt partner shares one feeling from the feelings page; its id.
async fn share_feeling(sam: &Browser, feelings: &str, word: &str, text: &str) -> String {
    let id = form_id(sam, feelings, "feeling").await;
    let form = [
        ("feeling", id.as_str()),
        ("word", word),
        ("intensity", "3"),
        ("text", text),
    ];
    assert_eq!(
        sam.post(feelings, &form).await.status,
        StatusCode::SEE_OTHER
    );
    id
}

/// The ids in a journey path.
fn ids(journey: &str) -> (SpaceId, BreachId) {
    let mut parts = journey.trim_start_matches("/spaces/").split("/breaches/");
    let space = SpaceId::from_str(parts.next().unwrap()).unwrap();
    let breach = BreachId::from_str(parts.next().unwrap()).unwrap();
    (space, breach)
}

/// Alex broke the agreement (the repairing partner), Sam is hurt; one journey.
async fn journey(app: &TestApp) -> (Couple, String) {
    let c = app.couple().await;
    let form = breach_form("me", "lie", "We tell each other the truth.", "found_out");
    let journey = c.alex.record_breach(&c.space, &form).await;
    (c, journey)
}

async fn hurt_and_repairing(app: &TestApp, journey: &str) -> (PersonId, PersonId) {
    let (space, breach) = ids(journey);
    let b = app.store.breach(space, breach).await.unwrap().unwrap();
    (b.hurt, b.repairing)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_creating_form_sent_many_times_at_once_stores_once() {
    on_each_backend(|app| async move {
        let (c, journey) = journey(&app).await;
        let (alex, sam) = (&c.alex, &c.sam);
        let (space, breach) = ids(&journey);
        let (hurt, repairing) = hurt_and_repairing(&app, &journey).await;
        let store = &app.store;

        // A journey.
        let new = format!("{}/breaches/new", c.space);
        let id = form_id(sam, &new, "form_id").await;
        let mut form = fields(&breach_form(
            "partner",
            "affair",
            "We are faithful.",
            "told",
        ));
        form.push(("form_id".into(), id));
        many(sam, &format!("{}/breaches", c.space), form).await;
        assert_eq!(store.breaches(space).await.unwrap().len(), 2, "journeys");

        // A question, and asking it again.
        let questions = format!("{journey}/questions");
        let id = form_id(sam, &questions, "form_id").await;
        let text = "Who else knew?";
        many(sam, &questions, fields(&[("text", text), ("form_id", &id)])).await;
        let asked = store.questions(breach).await.unwrap();
        assert_eq!(asked.len(), 1, "questions");
        let question = asked[0].id.to_string();
        let page = sam.get(&questions).await;
        let again = page.field("form_id").unwrap();
        let again_form = page
            .body
            .split(&format!("name=\"again_of\" value=\"{question}\""))
            .nth(1)
            .and_then(|rest| rest.split("name=\"form_id\" value=\"").nth(1))
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        assert_ne!(again, again_form, "each form has its own id");
        let form = fields(&[
            ("text", text),
            ("again_of", &question),
            ("form_id", &again_form),
        ]);
        many(sam, &questions, form).await;
        assert_eq!(
            store.questions(breach).await.unwrap().len(),
            2,
            "asked again once"
        );

        // An answer.
        let page = alex.get(&questions).await;
        let id = page.field("form_id").unwrap();
        let form = fields(&[("text", "Only my brother, from March."), ("form_id", &id)]);
        many(alex, &format!("{questions}/{question}/answer"), form).await;
        assert_eq!(store.answers(breach).await.unwrap().len(), 1, "answers");

        // A check-in.
        let patience = format!("{journey}/patience");
        let id = form_id(sam, &patience, "form_id").await;
        let form = fields(&[("trust", "4"), ("note", "A slow week."), ("form_id", &id)]);
        many(sam, &patience, form).await;
        assert_eq!(store.check_ins(breach).await.unwrap().len(), 1, "check-ins");

        // An evidence entry.
        let evidence = format!("{journey}/evidence");
        let id = form_id(sam, &evidence, "form_id").await;
        let form = fields(&[
            ("moment", "built"),
            ("text", "He called when he said."),
            ("form_id", &id),
        ]);
        many(sam, &evidence, form).await;
        assert_eq!(
            store.evidence_for(breach, hurt).await.unwrap().len(),
            1,
            "evidence"
        );

        // A trigger.
        let triggers = format!("{journey}/triggers");
        let id = form_id(sam, &triggers, "form_id").await;
        many(
            sam,
            &triggers,
            fields(&[("note", "The song."), ("form_id", &id)]),
        )
        .await;
        assert_eq!(store.triggers(breach).await.unwrap().len(), 1, "triggers");

        // An agreement proposal.
        let agreements = format!("{}/agreements", c.space);
        let id = form_id(alex, &agreements, "form_id").await;
        let form = fields(&[("text", "We say where we are."), ("form_id", &id)]);
        many(alex, &agreements, form).await;
        assert_eq!(
            store.agreements(space).await.unwrap().len(),
            1,
            "agreements"
        );

        // A transparency offer.
        let transparency = format!("{journey}/transparency");
        let id = form_id(alex, &transparency, "form_id").await;
        let form = fields(&[
            ("text", "My phone stays open to you."),
            ("period", "91"),
            ("form_id", &id),
        ]);
        many(alex, &transparency, form).await;
        assert_eq!(
            store.transparency_agreements(breach).await.unwrap().len(),
            1,
            "transparency offers"
        );

        // A feeling, and a reflection of it.
        let feelings = format!("{journey}/feelings");
        let id = form_id(sam, &feelings, "feeling").await;
        let form = fields(&[
            ("feeling", &id),
            ("word", "hurt"),
            ("intensity", "3"),
            ("text", "The evening you lied."),
        ]);
        many(sam, &feelings, form).await;
        assert_eq!(store.feelings(breach).await.unwrap().len(), 1, "feelings");
        let reflect = format!("{feelings}/{id}/reflect");
        let rid = form_id(alex, &feelings, "form_id").await;
        let form = fields(&[("text", "That evening still hurts you."), ("form_id", &rid)]);
        many(alex, &reflect, form).await;
        assert_eq!(
            store.reflections(breach).await.unwrap().len(),
            1,
            "reflections"
        );

        // A journal entry.
        let journal = format!("{}/journal", c.space);
        let id = form_id(alex, &journal, "entry").await;
        many(
            alex,
            &journal,
            fields(&[("text", "A hard day."), ("entry", &id)]),
        )
        .await;
        assert_eq!(
            store.journal_for(space, repairing).await.unwrap().len(),
            1,
            "journal"
        );

        // Written entries: the acknowledgement, a reassurance note, a recommitment.
        for section in ["acknowledge", "reassurance", "recommit"] {
            let path = format!("{journey}/{section}");
            let id = form_id(alex, &path, "entry").await;
            let text = format!("My words for {section}.");
            let form = fields(&[("text", &text), ("entry", &id)]);
            many(alex, &format!("{path}/send"), form).await;
            assert_eq!(
                sam.get(&path).await.body.matches(&text).count(),
                1,
                "{section}"
            );
        }
        for kind in [
            EntryKind::Acknowledgement,
            EntryKind::Reassurance,
            EntryKind::Recommitment,
        ] {
            assert_eq!(
                store.entries_for(breach, kind, hurt).await.unwrap().len(),
                1
            );
        }
    })
    .await;
}

/// Each 303 of a race: its words are what the partner reads, once; every other answer is a
/// clear refusal and its words are nowhere.
fn check_race(statuses: &[StatusCode], texts: &[String], partner_sees: &str) {
    for (status, text) in statuses.iter().zip(texts) {
        let shown = partner_sees.matches(text.as_str()).count();
        if *status == StatusCode::SEE_OTHER {
            assert_eq!(shown, 1, "a 303 means stored, once: {text}");
        } else {
            assert_eq!(*status, StatusCode::CONFLICT, "{text}");
            assert_eq!(shown, 0, "refused, so not stored: {text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_tabs_sending_different_notes_at_once_each_store_their_own() {
    on_each_backend(|app| async move {
        let (c, journey) = journey(&app).await;
        let (alex, sam) = (&c.alex, &c.sam);
        let (_, breach) = ids(&journey);
        let (hurt, _) = hurt_and_repairing(&app, &journey).await;
        let mut expected = 0;
        for round in 0..ROUNDS {
            for section in ["reassurance", "recommit"] {
                let path = format!("{journey}/{section}");
                // Each tab's page gives its form an entry id of its own; in odd rounds both
                // tabs were opened on the same saved draft and name the same entry.
                let (first, second) = if round % 2 == 0 {
                    (
                        form_id(alex, &path, "entry").await,
                        form_id(alex, &path, "entry").await,
                    )
                } else {
                    let id = form_id(alex, &path, "entry").await;
                    let draft = fields(&[("text", "Still writing."), ("entry", &id)]);
                    assert_eq!(
                        at_once(alex, &format!("{path}/draft"), vec![draft]).await,
                        [StatusCode::SEE_OTHER]
                    );
                    (
                        form_id(alex, &path, "entry").await,
                        form_id(alex, &path, "entry").await,
                    )
                };
                assert_eq!(first == second, round % 2 == 1);
                let texts = vec![
                    format!("Round {round}, first tab, {section}."),
                    format!("Round {round}, second tab, {section}."),
                ];
                let forms = vec![
                    fields(&[("text", &texts[0]), ("entry", &first)]),
                    fields(&[("text", &texts[1]), ("entry", &second)]),
                ];
                let statuses = at_once(alex, &format!("{path}/send"), forms).await;
                check_race(&statuses, &texts, &sam.get(&path).await.body);
                assert_eq!(statuses, [StatusCode::SEE_OTHER; 2], "both notes are kept");
                expected += 1;
            }
        }
        for kind in [EntryKind::Reassurance, EntryKind::Recommitment] {
            let sent = app.store.entries_for(breach, kind, hurt).await.unwrap();
            assert_eq!(sent.len(), expected, "no note lost, none twice");
            assert!(sent.iter().all(|e| e.state == EntryState::Sent));
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_draft_is_saved_only_into_the_entry_its_form_names() {
    on_each_backend(|app| async move {
        let (c, journey) = journey(&app).await;
        let (alex, sam) = (&c.alex, &c.sam);
        let (space, breach) = ids(&journey);
        let (_, repairing) = hurt_and_repairing(&app, &journey).await;
        let path = format!("{journey}/reassurance");
        let tab_a = form_id(alex, &path, "entry").await;
        let tab_b = form_id(alex, &path, "entry").await;
        assert_ne!(tab_a, tab_b);
        let saved = alex
            .post(
                &format!("{path}/draft"),
                &[("text", "Tab A's words."), ("entry", &tab_a)],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        // Tab B does not write over tab A's draft: it is told, and keeps its words on screen.
        let refused = alex
            .post(
                &format!("{path}/draft"),
                &[("text", "Tab B's words."), ("entry", &tab_b)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.contains("were not saved as a draft"));
        assert!(refused.contains("Tab B&#39;s words.") || refused.contains("Tab B's words."));
        let live = alex
            .client
            .post(format!("{}{path}/draft", app.base))
            .header("hx-request", "true")
            .header("origin", &app.base)
            .form(&[
                ("csrf", alex.csrf().as_str()),
                ("text", "Tab B again."),
                ("entry", &tab_b),
            ])
            .send()
            .await
            .unwrap();
        assert!(live
            .text()
            .await
            .unwrap()
            .contains("were not saved as a draft"));
        let drafts = app
            .store
            .entries_for(breach, EntryKind::Reassurance, repairing)
            .await
            .unwrap();
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].id.to_string(), tab_a);
        let key = author_key(&app, space, repairing).await;
        let body = drafts[0].body.as_ref().unwrap();
        assert_eq!(
            key.open(drafts[0].id.0, "entry.body", body).unwrap(),
            "Tab A's words."
        );

        // Sending from tab B stores its own note; tab A's draft stays a draft, to send later.
        let sent = alex
            .post(
                &format!("{path}/send"),
                &[("text", "Tab B's note."), ("entry", &tab_b)],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let seen = sam.get(&path).await;
        assert!(seen.contains("Tab B&#39;s note.") && !seen.contains("Tab A"));
        let sent = alex
            .post(
                &format!("{path}/send"),
                &[("text", "Tab A's note."), ("entry", &tab_a)],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        assert!(sam.get(&path).await.contains("Tab A&#39;s note."));
    })
    .await;
}

/// The key `person` seals what they write in `space` with (issue 11).
async fn author_key(app: &TestApp, space: SpaceId, person: PersonId) -> DataKey {
    let keys = app.store.author_keys(space).await.unwrap();
    let (_, wrapped) = keys.iter().find(|(p, _)| *p == person).unwrap();
    app.server_key()
        .unwrap_author_key(space.0, person.0, wrapped)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_old_form_sent_with_new_words_is_stored_as_its_own() {
    on_each_backend(|app| async move {
        let (c, journey) = journey(&app).await;
        let (alex, sam) = (&c.alex, &c.sam);
        let (space, breach) = ids(&journey);
        // Two tabs restored from one page carry the same id, with different words, at once.
        let questions = format!("{journey}/questions");
        let id = form_id(sam, &questions, "form_id").await;
        let texts: Vec<String> = (0..4).map(|i| format!("Question number {i}?")).collect();
        let forms = texts
            .iter()
            .map(|t| fields(&[("text", t), ("form_id", &id)]))
            .collect();
        let statuses = at_once(sam, &questions, forms).await;
        check_race(&statuses, &texts, &alex.get(&questions).await.body);
        assert_eq!(app.store.questions(breach).await.unwrap().len(), 4);

        let journal = format!("{}/journal", c.space);
        let id = form_id(alex, &journal, "entry").await;
        let texts: Vec<String> = (0..4).map(|i| format!("Journal line {i}.")).collect();
        let forms = texts
            .iter()
            .map(|t| fields(&[("text", t), ("entry", &id)]))
            .collect();
        let statuses = at_once(alex, &journal, forms).await;
        check_race(&statuses, &texts, &alex.get(&journal).await.body);
        let (_, repairing) = hurt_and_repairing(&app, &journey).await;
        assert_eq!(
            app.store.journal_for(space, repairing).await.unwrap().len(),
            4
        );

        let path = format!("{journey}/acknowledge");
        let id = form_id(alex, &path, "entry").await;
        let texts: Vec<String> = (0..4).map(|i| format!("Acknowledgement {i}.")).collect();
        let forms = texts
            .iter()
            .map(|t| fields(&[("text", t), ("entry", &id)]))
            .collect();
        let statuses = at_once(alex, &format!("{path}/send"), forms).await;
        check_race(&statuses, &texts, &sam.get(&path).await.body);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_reflections_at_once_store_one_and_the_other_is_told() {
    on_each_backend(|app| async move {
        let (c, journey) = journey(&app).await;
        let (alex, sam) = (&c.alex, &c.sam);
        let (_, breach) = ids(&journey);
        let feelings = format!("{journey}/feelings");
        for round in 0..ROUNDS {
            let id = share_feeling(sam, &feelings, "sad", &format!("Feeling {round}.")).await;
            let reflect = format!("{feelings}/{id}/reflect");
            let texts: Vec<String> = (0..2)
                .map(|tab| format!("Round {round}, tab {tab}: you feel sad."))
                .collect();
            let mut forms = Vec::new();
            for text in &texts {
                let rid = form_id(alex, &feelings, "form_id").await;
                forms.push(fields(&[("text", text), ("form_id", &rid)]));
            }
            let statuses = at_once(alex, &reflect, forms).await;
            check_race(&statuses, &texts, &sam.get(&feelings).await.body);
            assert_eq!(
                statuses
                    .iter()
                    .filter(|s| **s == StatusCode::SEE_OTHER)
                    .count(),
                1,
                "one reflection waits at a time: {statuses:?}"
            );
        }
        assert_eq!(app.store.reflections(breach).await.unwrap().len(), ROUNDS);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replies_to_a_trigger_at_once_store_one_and_the_other_is_told() {
    on_each_backend(|app| async move {
        let (c, journey) = journey(&app).await;
        let (alex, sam) = (&c.alex, &c.sam);
        let (_, breach) = ids(&journey);
        let triggers = format!("{journey}/triggers");
        for round in 0..ROUNDS {
            let id = form_id(sam, &triggers, "form_id").await;
            let note = format!("Signal {round}.");
            let form = [("note", note.as_str()), ("form_id", id.as_str())];
            assert_eq!(
                sam.post(&triggers, &form).await.status,
                StatusCode::SEE_OTHER
            );
            let trigger = app.store.triggers(breach).await.unwrap()[0].id;
            let reply = format!("{triggers}/{trigger}/reply");
            alex.get(&triggers).await;
            let texts: Vec<String> = (0..3)
                .map(|tab| format!("Round {round}, tab {tab}: I am here."))
                .collect();
            let forms = texts.iter().map(|t| fields(&[("text", t)])).collect();
            let statuses = at_once(alex, &reply, forms).await;
            check_race(&statuses, &texts, &sam.get(&triggers).await.body);
            let stored = statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER);
            assert_eq!(stored.count(), 1, "{statuses:?}");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_answers_to_a_reflection_at_once_keep_one_and_the_other_is_told() {
    on_each_backend(|app| async move {
        let (c, journey) = journey(&app).await;
        let (alex, sam) = (&c.alex, &c.sam);
        let (_, breach) = ids(&journey);
        let feelings = format!("{journey}/feelings");
        for round in 0..ROUNDS {
            let id = share_feeling(sam, &feelings, "hurt", "It keeps coming back.").await;
            let rid = form_id(alex, &feelings, "form_id").await;
            let reflection = [
                ("text", "You feel hurt, and it returns."),
                ("form_id", rid.as_str()),
            ];
            let reflect = format!("{feelings}/{id}/reflect");
            assert_eq!(
                alex.post(&reflect, &reflection).await.status,
                StatusCode::SEE_OTHER
            );
            let waiting = app
                .store
                .reflections(breach)
                .await
                .unwrap()
                .into_iter()
                .find(|r| r.verdict.is_none() && r.withdrawn_at.is_none())
                .expect("a reflection waits")
                .id;
            sam.get(&feelings).await;
            let answer = format!("{feelings}/reflections/{waiting}/answer");
            let texts: Vec<String> = (0..3)
                .map(|tab| format!("Round {round}, tab {tab}: you missed the fear."))
                .collect();
            let mut forms: Vec<Fields> = texts
                .iter()
                .map(|t| fields(&[("verdict", "not_yet"), ("missed", t)]))
                .collect();
            // The very same answer twice: a double submit, answered as kept both times.
            forms.push(forms[0].clone());
            let statuses = at_once(sam, &answer, forms).await;
            let page = alex.get(&feelings).await.body;
            for (text, status) in texts.iter().zip(&statuses) {
                let shown = page.contains(text.as_str());
                assert_eq!(
                    shown,
                    *status == StatusCode::SEE_OTHER,
                    "{text}: {statuses:?}"
                );
                if !shown {
                    assert_eq!(*status, StatusCode::CONFLICT, "{text}: {statuses:?}");
                }
            }
            let kept: Vec<_> = texts.iter().filter(|t| page.contains(t.as_str())).collect();
            assert_eq!(kept.len(), 1, "one answer is kept: {statuses:?}");
            assert_eq!(
                statuses[0] == StatusCode::SEE_OTHER,
                statuses[3] == StatusCode::SEE_OTHER,
                "a double submit answers like its first copy: {statuses:?}"
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_invitation_asked_for_many_times_at_once_is_made_once() {
    on_each_backend(|app| async move {
        let alex = app.browser();
        alex.sign_up_safe("Alex", "alex@example.org", "lantern-orchid-gravel-71")
            .await;
        alex.get("/home").await;
        let space = alex
            .post("/spaces", &[])
            .await
            .location()
            .unwrap()
            .to_owned();
        let id = form_id(&alex, &space, "form_id").await;
        many(
            &alex,
            &format!("{space}/invites"),
            fields(&[("form_id", &id)]),
        )
        .await;
        let space_id = SpaceId::from_str(space.trim_start_matches("/spaces/")).unwrap();
        let open = app
            .store
            .open_invites(space_id, mend_core::Timestamp(0))
            .await
            .unwrap();
        assert_eq!(open.len(), 1, "one invitation");
    })
    .await;
}

#[tokio::test]
async fn an_old_form_sent_again_after_its_entry_was_withdrawn_stores_the_new_words() {
    on_each_backend(|app| async move {
        let (c, journey) = journey(&app).await;
        let (alex, sam) = (&c.alex, &c.sam);
        let ack = format!("{journey}/acknowledge");
        let entry = form_id(alex, &ack, "entry").await;
        let first = [
            ("entry", entry.as_str()),
            ("text", "I lied to you about March."),
        ];
        let send = format!("{ack}/send");
        assert_eq!(alex.post(&send, &first).await.status, StatusCode::SEE_OTHER);
        let withdraw = format!("{ack}/{entry}/withdraw");
        assert_eq!(
            alex.post(&withdraw, &[]).await.status,
            StatusCode::SEE_OTHER
        );

        // The old page, still open in another tab, sends the same form with other words: a 303
        // means they were stored, so they must reach the partner.
        let again = [
            ("entry", entry.as_str()),
            ("text", "I lied about March, and about the money too."),
        ];
        assert_eq!(alex.post(&send, &again).await.status, StatusCode::SEE_OTHER);
        assert!(sam
            .get(&ack)
            .await
            .contains("I lied about March, and about the money too."));

        // The same for a question asked, withdrawn, and sent again from its old page.
        let questions = format!("{journey}/questions");
        let id = form_id(sam, &questions, "form_id").await;
        let asked = [("form_id", id.as_str()), ("text", "Who else knew?")];
        assert_eq!(
            sam.post(&questions, &asked).await.status,
            StatusCode::SEE_OTHER
        );
        let withdraw = format!("{questions}/{id}/withdraw");
        assert_eq!(sam.post(&withdraw, &[]).await.status, StatusCode::SEE_OTHER);
        let again = [("form_id", id.as_str()), ("text", "Did your sister know?")];
        assert_eq!(
            sam.post(&questions, &again).await.status,
            StatusCode::SEE_OTHER
        );
        assert!(alex.get(&questions).await.contains("Did your sister know?"));
    })
    .await;
}
