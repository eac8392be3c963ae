//! A counsellor over HTTP on every backend (issue 14): proposed by one partner, agreed by the
//! other, a counsellor's account made from the link, reading only what the consent rule lets
//! them, leaving notes both partners read, and losing access the moment one partner revokes;
//! then every route against every persona.

use mend_testkit::{breach_form, on_each_backend, Browser, Couple, Page, TestApp};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";
const QUESTION: &str = "Who else knew about the account?";
const ANSWER: &str = "My brother knew, and I asked him to keep it from you.";
const CHECK_IN_NOTE: &str = "A private note about a bad morning.";
const NOTE: &str = "We can talk on Tuesday about the questions still open.";

/// A couple with one journey: Sam, the hurt partner, asked a question Alex answered, and
/// checked in with a private note.
async fn couple_with_a_journey(app: &TestApp, alex: &str, sam: &str) -> (Couple, String) {
    let c = app.couple_as(alex, sam).await;
    let form = breach_form("me", "financial", "We share what we spend.", "found_out");
    let journey = c.alex.record_breach(&c.space, &form).await;
    let questions = format!("{journey}/questions");
    assert_eq!(
        c.sam.post(&questions, &[("text", QUESTION)]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = c.alex.get(&questions).await;
    let id = page
        .body
        .split("id=\"question-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a question")
        .to_owned();
    assert_eq!(
        c.alex
            .post(&format!("{questions}/{id}/answer"), &[("text", ANSWER)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        c.sam
            .post(
                &format!("{journey}/patience"),
                &[("trust", "4"), ("note", CHECK_IN_NOTE)]
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    (c, journey)
}

/// Alex proposes, Sam agrees; the link the partners copy.
async fn agreed_link(app: &TestApp, c: &Couple) -> String {
    let page = format!("{}/counsellor", c.space);
    c.alex.get(&page).await;
    assert_eq!(
        c.alex.post(&format!("{page}/propose"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(c
        .sam
        .get(&page)
        .await
        .contains("would like to invite a counsellor"));
    assert_eq!(
        c.sam.post(&format!("{page}/agree"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let link = c
        .alex
        .get(&page)
        .await
        .value_of("counsellor-link")
        .expect("the link, once both agreed");
    link.strip_prefix(app.base.as_str())
        .expect("a link here")
        .to_owned()
}

/// A counsellor's account made from the link, logged in, and the link accepted.
async fn counsellor_from(app: &TestApp, link: &str, email: &str) -> (Browser, String) {
    let robin = app.browser();
    let invite = robin.get(link).await;
    assert_eq!(invite.status, StatusCode::OK);
    let code = link.rsplit('/').next().unwrap().to_owned();
    let form = robin.get(&format!("/signup?counsellor={code}")).await;
    assert!(form.contains("This account is for counselling only"));
    let login = robin
        .submit(
            "/signup",
            &[
                ("name", "Robin"),
                ("email", email),
                ("password", PASSWORD),
                ("counsellor", code.as_str()),
            ],
        )
        .await;
    let next = login.field("next").unwrap_or_default();
    assert_eq!(next, link);
    let accept = robin
        .submit(
            "/login",
            &[("email", email), ("password", PASSWORD), ("next", &next)],
        )
        .await;
    assert!(accept.contains("Accept the invitation"), "{}", accept.body);
    let couple = robin.post(link, &[]).await;
    assert_eq!(couple.status, StatusCode::SEE_OTHER);
    let couple = couple.location().unwrap().to_owned();
    (robin, couple)
}

fn shared(journey: &str, couple: &str) -> String {
    let breach = journey.rsplit('/').next().unwrap();
    format!("{couple}/breaches/{breach}")
}

#[tokio::test]
async fn a_counsellor_reads_only_what_the_consent_rule_allows_and_loses_access_at_once() {
    on_each_backend(|app| async move {
        let (c, journey) = couple_with_a_journey(&app, "alex@example.org", "sam@example.org").await;
        let page = format!("{}/counsellor", c.space);
        assert_eq!(
            c.alex.post(&format!("{page}/agree"), &[]).await.status,
            StatusCode::CONFLICT,
            "nothing waits for agreement yet"
        );
        c.alex.post(&format!("{page}/propose"), &[]).await;
        assert_eq!(
            c.alex.post(&format!("{page}/agree"), &[]).await.status,
            StatusCode::CONFLICT,
            "the proposer does not agree to their own proposal"
        );
        assert!(c
            .alex
            .get(&page)
            .await
            .contains("starts working once your partner agrees"));
        assert!(c
            .alex
            .get(&page)
            .await
            .value_of("counsellor-link")
            .is_none());
        c.alex.post(&format!("{page}/end"), &[]).await;
        let link = agreed_link(&app, &c).await;

        // Before the counsellor has an account, a partner's account cannot take the link.
        let stranger = app.browser();
        stranger
            .sign_up_safe("Kim", "kim@example.org", PASSWORD)
            .await;
        assert_eq!(stranger.get(&link).await.status, StatusCode::FORBIDDEN);
        assert_eq!(c.sam.get(&link).await.status, StatusCode::FORBIDDEN);

        let (robin, couple) = counsellor_from(&app, &link, "robin@example.org").await;
        assert_eq!(robin.get("/home").await.location(), Some("/counsel"));
        let home = robin.get("/counsel").await;
        assert!(home.contains("Alex and Sam"));
        assert_eq!(
            robin.post("/spaces", &[]).await.status,
            StatusCode::FORBIDDEN,
            "a counsellor's account has no space of its own"
        );
        assert_eq!(
            app.browser().get(&link).await.status,
            StatusCode::GONE,
            "the link works once"
        );

        // Nothing shared: nothing read.
        let read = shared(&journey, &couple);
        let before = robin.get(&read).await;
        assert_eq!(before.status, StatusCode::OK);
        assert!(!before.contains(QUESTION) && !before.contains(ANSWER));
        assert!(!before.contains(CHECK_IN_NOTE));
        assert_eq!(
            before
                .body
                .matches("Nothing in this area is shared")
                .count(),
            8
        );

        // Sam shares questions and check-ins: Sam's question and score, not Alex's answer.
        let sharing = format!("{journey}/counsellor");
        let rule = c.sam.get(&sharing).await;
        assert!(rule.contains("only when both of you share it"));
        assert!(rule.contains("never shown to a counsellor"));
        assert_eq!(
            c.sam
                .post(&sharing, &[("area", "questions"), ("area", "check_ins")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let after = robin.get(&read).await;
        assert!(after.contains(QUESTION));
        assert!(!after.contains(ANSWER), "an answer needs both partners");
        assert!(after.contains("Sam felt 4 out of 10 trust"));
        assert!(!after.contains(CHECK_IN_NOTE), "a check-in note never");

        // Alex shares questions too: the answer is read.
        c.alex.post(&sharing, &[("area", "questions")]).await;
        assert!(robin.get(&read).await.contains(ANSWER));
        let history = c.alex.get(&sharing).await;
        assert!(history.contains("Sam began sharing questions and answers"));
        assert!(history.contains("You began sharing questions and answers"));

        // An area Mend does not offer is refused and changes nothing.
        assert_eq!(
            c.alex.post(&sharing, &[("area", "journal")]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert!(robin.get(&read).await.contains(ANSWER));

        // The note: checked by the coach, refused when empty or too long, stored once.
        let notes = format!("{read}/notes");
        let form = robin.get(&read).await;
        let form_id = form.field("form_id").unwrap();
        let checked = robin
            .post(
                &notes,
                &[("text", NOTE), ("check", "yes"), ("form_id", &form_id)],
            )
            .await;
        assert_eq!(checked.status, StatusCode::OK);
        assert!(checked.contains("name=\"mode\" value=\"free\""));
        assert_eq!(
            robin.post(&notes, &[("text", "  ")]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let long = "a".repeat(4_001);
        assert_eq!(
            robin.post(&notes, &[("text", &long)]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let once = [("text", NOTE), ("form_id", form_id.as_str())];
        let (first, second) = tokio::join!(robin.post(&notes, &once), robin.post(&notes, &once));
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        assert_eq!(second.status, StatusCode::SEE_OTHER);
        for partner in [&c.alex, &c.sam] {
            let page = partner.get(&sharing).await;
            assert_eq!(page.body.matches(NOTE).count(), 1, "stored once");
            assert!(page.contains("From your counsellor"));
        }
        let look = c.sam.get(&page).await;
        assert!(look.contains("Robin is your counsellor in Mend."));
        assert!(look.contains("They last looked"));

        // Sam ends the access, alone and at once.
        assert_eq!(
            c.sam.post(&format!("{page}/end"), &[]).await.status,
            StatusCode::SEE_OTHER
        );
        let gone = robin.get(&read).await;
        assert_eq!(gone.status, StatusCode::GONE);
        assert!(gone.contains("Your access has ended"));
        assert!(!gone.contains(QUESTION) && !gone.contains(ANSWER));
        assert_eq!(robin.get(&couple).await.status, StatusCode::GONE);
        assert_eq!(
            robin.post(&notes, &[("text", NOTE)]).await.status,
            StatusCode::GONE
        );
        assert!(robin
            .get("/counsel")
            .await
            .contains("No couple gives you access"));
        assert_eq!(
            c.alex.get(&sharing).await.body.matches(NOTE).count(),
            1,
            "the couple keeps the notes"
        );
    })
    .await;
}

#[tokio::test]
async fn both_partners_ending_at_the_same_moment_end_it_once() {
    on_each_backend(|app| async move {
        let (c, _journey) =
            couple_with_a_journey(&app, "alex@example.org", "sam@example.org").await;
        let link = agreed_link(&app, &c).await;
        let (robin, couple) = counsellor_from(&app, &link, "robin@example.org").await;
        let end = format!("{}/counsellor/end", c.space);
        let (a, b) = tokio::join!(c.alex.post(&end, &[]), c.sam.post(&end, &[]));
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert_eq!(b.status, StatusCode::SEE_OTHER);
        assert_eq!(robin.get(&couple).await.status, StatusCode::GONE);
        // Two tabs proposing anew at once make one proposal.
        let propose = format!("{}/counsellor/propose", c.space);
        let (a, b) = tokio::join!(c.alex.post(&propose, &[]), c.alex.post(&propose, &[]));
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert_eq!(b.status, StatusCode::SEE_OTHER);
        assert!(c
            .sam
            .get(&format!("{}/counsellor", c.space))
            .await
            .contains("would like to invite a counsellor"));
    })
    .await;
}

/// What one persona must get from one route.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Sent to log in first.
    LogIn,
    NotFound,
    /// The counsellor's access ended: told so, and nothing else.
    Ended,
    /// The page, with the couple's shared words on it or not.
    Page {
        words: bool,
    },
}

async fn check(who: &str, browser: &Browser, path: &str, expect: Expect) {
    let page: Page = browser.get(path).await;
    let words = page.contains(QUESTION) || page.contains(ANSWER) || page.contains(NOTE);
    assert!(
        !page.contains(CHECK_IN_NOTE),
        "{who} {path}: a check-in note is never shown"
    );
    match expect {
        Expect::LogIn => {
            assert!(
                page.status.is_redirection(),
                "{who} {path}: {}",
                page.status
            );
            assert!(page.location().unwrap_or("").starts_with("/login"));
        }
        Expect::NotFound => assert_eq!(page.status, StatusCode::NOT_FOUND, "{who} {path}"),
        Expect::Ended => assert_eq!(page.status, StatusCode::GONE, "{who} {path}"),
        Expect::Page { words: expected } => {
            assert_eq!(page.status, StatusCode::OK, "{who} {path}");
            assert_eq!(words, expected, "{who} {path}: the couple's words");
        }
    }
    if !matches!(expect, Expect::Page { words: true }) {
        assert!(!words, "{who} {path}: leaked the couple's words");
    }
}

#[tokio::test]
async fn every_counsellor_route_against_every_persona_leaks_nothing() {
    on_each_backend(|app| async move {
        let (c, journey) = couple_with_a_journey(&app, "alex@example.org", "sam@example.org").await;
        let (other, other_journey) =
            couple_with_a_journey(&app, "lee@example.org", "kim@example.org").await;
        let link = agreed_link(&app, &c).await;
        let (robin, couple) = counsellor_from(&app, &link, "robin@example.org").await;
        let other_link = agreed_link(&app, &other).await;
        let (jo, other_couple) = counsellor_from(&app, &other_link, "jo@example.org").await;
        let anonymous = app.browser();
        let read = shared(&journey, &couple);
        let partner_routes = [
            format!("{}/counsellor", c.space),
            format!("{journey}/counsellor"),
        ];
        let counsellor_routes = [couple.clone(), read.clone()];

        // Whoever is not a partner of this space gets nothing of the partners' pages.
        for stage in ["before consent", "after consent"] {
            for path in &partner_routes {
                check("anonymous", &anonymous, path, Expect::LogIn).await;
                check(
                    "another couple's partner",
                    &other.alex,
                    path,
                    Expect::NotFound,
                )
                .await;
                check("another couple's counsellor", &jo, path, Expect::NotFound).await;
                check(stage, &robin, path, Expect::NotFound).await;
            }
            for path in &counsellor_routes {
                check("anonymous", &anonymous, path, Expect::LogIn).await;
                check(
                    "another couple's partner",
                    &other.alex,
                    path,
                    Expect::NotFound,
                )
                .await;
                check("another couple's counsellor", &jo, path, Expect::NotFound).await;
                check("partner", &c.sam, path, Expect::NotFound).await;
                check("self", &c.alex, path, Expect::NotFound).await;
            }
            if stage == "before consent" {
                check(stage, &robin, &couple, Expect::Page { words: false }).await;
                check(stage, &robin, &read, Expect::Page { words: false }).await;
                for p in [&c.alex, &c.sam] {
                    p.post(&format!("{journey}/counsellor"), &[("area", "questions")])
                        .await;
                }
            } else {
                check(stage, &robin, &couple, Expect::Page { words: false }).await;
                check(stage, &robin, &read, Expect::Page { words: true }).await;
            }
        }
        // The other couple's journey through this counsellor's grant, and the other way
        // round: not found.
        check(
            "counsellor",
            &robin,
            &shared(&other_journey, &couple),
            Expect::NotFound,
        )
        .await;
        check("counsellor", &robin, &other_couple, Expect::NotFound).await;
        check(
            "other counsellor",
            &jo,
            &shared(&journey, &other_couple),
            Expect::NotFound,
        )
        .await;

        // Writes by anyone but the partners change nothing.
        let before = c.alex.get(&format!("{journey}/counsellor")).await.body;
        for (who, b) in [("another couple's counsellor", &jo), ("counsellor", &robin)] {
            for action in ["propose", "agree", "end"] {
                let status = b
                    .post(&format!("{}/counsellor/{action}", c.space), &[])
                    .await
                    .status;
                assert_eq!(status, StatusCode::NOT_FOUND, "{who} {action}");
            }
            let status = b
                .post(&format!("{journey}/counsellor"), &[("area", "entries")])
                .await
                .status;
            assert_eq!(status, StatusCode::NOT_FOUND, "{who} chooses");
        }
        for b in [&other.alex, &c.sam, &c.alex] {
            let status = b
                .post(&format!("{read}/notes"), &[("text", NOTE)])
                .await
                .status;
            assert_eq!(status, StatusCode::NOT_FOUND);
        }
        let status = jo
            .post(&format!("{read}/notes"), &[("text", NOTE)])
            .await
            .status;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let after = c.alex.get(&format!("{journey}/counsellor")).await.body;
        assert!(
            robin.get(&couple).await.status == StatusCode::OK,
            "still a counsellor"
        );
        assert!(!after.contains(NOTE) && !before.contains(NOTE));

        // Partners and self read their own pages (no shared words are on them but notes).
        for path in &partner_routes {
            check("partner", &c.sam, path, Expect::Page { words: false }).await;
            check("self", &c.alex, path, Expect::Page { words: false }).await;
        }

        // After revocation: the counsellor is told access ended, and nothing else.
        c.alex
            .post(&format!("{}/counsellor/end", c.space), &[])
            .await;
        for path in &counsellor_routes {
            check("after revocation", &robin, path, Expect::Ended).await;
        }
        for path in &partner_routes {
            check("after revocation", &robin, path, Expect::NotFound).await;
        }
        // The other couple's counsellor still reads theirs.
        check(
            "other counsellor",
            &jo,
            &other_couple,
            Expect::Page { words: false },
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn triggers_agreements_and_the_summary_need_the_right_consent() {
    on_each_backend(|app| async move {
        const TRIGGER: &str = "The bank letter came today.";
        const REPLY: &str = "I am here, and I will open it with you.";
        const PROMISE: &str = "You can see every statement as it arrives.";
        let (c, journey) = couple_with_a_journey(&app, "alex@example.org", "sam@example.org").await;
        let triggers = format!("{journey}/triggers");
        c.sam.post(&triggers, &[("note", TRIGGER)]).await;
        let page = c.alex.get(&triggers).await;
        let id = page
            .body
            .split("id=\"reply-")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a trigger")
            .to_owned();
        assert_eq!(
            c.alex
                .post(&format!("{triggers}/{id}/reply"), &[("text", REPLY)])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            c.alex
                .post(
                    &format!("{journey}/transparency"),
                    &[("text", PROMISE), ("period", "30")]
                )
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let link = agreed_link(&app, &c).await;
        let (robin, couple) = counsellor_from(&app, &link, "robin@example.org").await;
        let read = shared(&journey, &couple);
        let sharing = format!("{journey}/counsellor");
        let three = [
            ("area", "triggers"),
            ("area", "transparency"),
            ("area", "summary"),
            ("area", "timeline"),
        ];

        // Sam alone: Sam's trigger, not Alex's reply, no agreement, no summary.
        c.sam.post(&sharing, &three).await;
        let page = robin.get(&read).await;
        assert!(page.contains(TRIGGER));
        assert!(!page.contains(REPLY) && !page.contains(PROMISE));
        assert!(!page.contains("What the journey holds"));
        assert!(
            !page.contains("A question was asked."),
            "the timeline needs both"
        );

        // Both: the reply, the agreement and the summary, and still no check-in note.
        c.alex.post(&sharing, &three).await;
        let page = robin.get(&read).await;
        assert!(page.contains(REPLY) && page.contains(PROMISE));
        assert!(page.contains("What the journey holds"));
        assert!(page.contains("Check-ins"));
        assert!(page.contains("trust-chart"), "the summary's chart");
        assert!(
            page.contains("The journey began."),
            "the timeline, shared by both"
        );
        assert!(page.contains("A question was asked."));
        assert!(page.contains("Trust check-in: 4 out of 10."));
        assert!(!page.contains(CHECK_IN_NOTE));
        assert!(!page.contains(QUESTION), "questions were not shared");
    })
    .await;
}

/// The id in the first `id="{prefix}…"` of a page.
fn first_id(page: &Page, prefix: &str) -> String {
    page.body
        .split(&format!("id=\"{prefix}"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an id")
        .to_owned()
}

#[tokio::test]
async fn a_journal_or_evidence_entry_is_shared_with_the_counsellor_alone_one_at_a_time() {
    on_each_backend(|app| async move {
        const JOURNAL: &str = "I keep thinking about the first lie more than the money.";
        const EVIDENCE: &str = "He showed me the statement without my asking.";
        let (c, journey) = couple_with_a_journey(&app, "alex@example.org", "sam@example.org").await;
        let journal = format!("{}/journal", c.space);
        let entry = c.alex.get(&journal).await.field("entry").unwrap();
        c.alex
            .post(&journal, &[("entry", &entry), ("text", JOURNAL)])
            .await;
        let evidence = format!("{journey}/evidence");
        c.sam
            .post(&evidence, &[("moment", "built"), ("text", EVIDENCE)])
            .await;
        let kept = first_id(&c.sam.get(&evidence).await, "evidence-");

        // No counsellor yet: nothing to share with.
        assert_eq!(
            c.alex
                .post(&format!("{journal}/{entry}/counsellor"), &[])
                .await
                .status,
            StatusCode::CONFLICT
        );
        let link = agreed_link(&app, &c).await;
        let (robin, couple) = counsellor_from(&app, &link, "robin@example.org").await;
        let read = shared(&journey, &couple);
        assert!(!robin.get(&couple).await.contains(JOURNAL));

        // Only the author shares; the partner cannot even find the private entry.
        assert_eq!(
            c.sam
                .post(&format!("{journal}/{entry}/counsellor"), &[])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let share = format!("{journal}/{entry}/counsellor");
        let (a, b) = tokio::join!(c.alex.post(&share, &[]), c.alex.post(&share, &[]));
        assert_eq!(
            (a.status, b.status),
            (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
        );
        assert!(robin.get(&couple).await.contains(JOURNAL));
        assert!(
            !c.sam.get(&journal).await.contains(JOURNAL),
            "the partner still can't"
        );
        assert!(c
            .alex
            .get(&journal)
            .await
            .contains("Your counsellor can read this entry"));

        c.sam
            .post(&format!("{evidence}/{kept}/counsellor"), &[])
            .await;
        assert!(robin.get(&read).await.contains(EVIDENCE));
        assert!(!c.alex.get(&evidence).await.contains(EVIDENCE));

        // Taken back: gone from the counsellor at once.
        c.alex
            .post(&format!("{journal}/{entry}/counsellor/unshare"), &[])
            .await;
        c.sam
            .post(&format!("{evidence}/{kept}/counsellor/unshare"), &[])
            .await;
        assert!(!robin.get(&couple).await.contains(JOURNAL));
        assert!(!robin.get(&read).await.contains(EVIDENCE));
    })
    .await;
}

#[tokio::test]
async fn one_counsellor_of_two_couples_never_mixes_them_and_a_departure_ends_access() {
    on_each_backend(|app| async move {
        let (first, first_journey) =
            couple_with_a_journey(&app, "alex@example.org", "sam@example.org").await;
        let (second, second_journey) =
            couple_with_a_journey(&app, "lee@example.org", "kim@example.org").await;
        second
            .alex
            .get(&format!("{}/counsellor", second.space))
            .await;
        let first_link = agreed_link(&app, &first).await;
        let (robin, first_couple) = counsellor_from(&app, &first_link, "robin@example.org").await;
        // The same counsellor takes the second couple's link while logged in.
        let second_link = agreed_link(&app, &second).await;
        assert!(robin
            .get(&second_link)
            .await
            .contains("Accept the invitation"));
        let second_couple = robin
            .post(&second_link, &[])
            .await
            .location()
            .unwrap()
            .to_owned();
        for c in [&first, &second] {
            let journey = if std::ptr::eq(c, &first) {
                &first_journey
            } else {
                &second_journey
            };
            for p in [&c.alex, &c.sam] {
                p.get(&format!("{journey}/counsellor")).await;
                p.post(&format!("{journey}/counsellor"), &[("area", "questions")])
                    .await;
            }
        }
        let home = robin.get("/counsel").await;
        assert_eq!(
            home.body.matches("Alex and Sam").count(),
            2,
            "both couples by their names"
        );
        assert_eq!(home.body.matches("/counsel/").count(), 2, "both couples");

        // Each journey only under its own couple's space.
        assert!(robin
            .get(&shared(&first_journey, &first_couple))
            .await
            .contains(QUESTION));
        assert_eq!(
            robin
                .get(&shared(&second_journey, &first_couple))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            robin
                .get(&shared(&first_journey, &second_couple))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // Sam leaves the first space: the first couple's access ends, the second's stays.
        first.sam.get("/account/leave").await;
        assert_eq!(
            first
                .sam
                .post(
                    "/account/leave",
                    &[("current", PASSWORD), ("confirm", "leave")]
                )
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(robin.get(&first_couple).await.status, StatusCode::GONE);
        assert_eq!(robin.get(&second_couple).await.status, StatusCode::OK);
        assert_eq!(
            robin
                .get("/counsel")
                .await
                .body
                .matches("/counsel/")
                .count(),
            1
        );

        // The counsellor deletes their account: the second couple's access ends too.
        robin.get("/account/delete").await;
        assert_eq!(
            robin
                .post(
                    "/account/delete",
                    &[("current", PASSWORD), ("confirm", "delete")]
                )
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert!(second
            .alex
            .get(&format!("{}/counsellor", second.space))
            .await
            .contains("Propose a counsellor"));
    })
    .await;
}
