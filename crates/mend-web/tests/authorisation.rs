//! Issue 14's authorisation matrix: every route in the route table, with this couple's real
//! ids, against every persona — anonymous, another couple's partner, another couple's
//! counsellor, this couple's counsellor before consent, after consent and after revocation,
//! the partner and self — on both backends. Whoever may not see this couple's words sees none
//! of them, whoever may not act changes nothing, and a refusal looks exactly like an id that
//! does not exist.

use mend_testkit::{breach_form, on_each_backend, Browser, Couple, Page, TestApp};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

// One distinctive text for every kind of words this couple writes.
const ENTRY: &str = "I hid the marigold account from you for a year.";
const DRAFT: &str = "A draft about the quillwort evening, not sent.";
const QUESTION: &str = "Who else knew about the juniper account?";
const ANSWER: &str = "Only my brother knew about the juniper savings.";
const FEELING: &str = "I keep thinking about the tamarind letters.";
const REFLECTION: &str = "You feel shaken when you think of the tamarind letters.";
const CHECK_IN_NOTE: &str = "A private note about the heron morning.";
const TRIGGER_NOTE: &str = "The song from the lighthouse summer came on.";
const TRIGGER_REPLY: &str = "I am here with you after the lighthouse song.";
const TRANSPARENCY: &str = "I will show you the saffron statements each month.";
const JOURNAL: &str = "I keep replaying the drive past the bramble farm.";
const EVIDENCE: &str = "He showed me the cobalt statement without being asked.";
const AGREEMENT: &str = "We talk about any spending over the walnut limit.";
const NOTE: &str = "We can talk on Tuesday about the kestrel questions.";
/// What a persona who may not act tries to write.
const INTRUDER: &str = "Words from an intruder about the obsidian door.";

const SECRETS: [&str; 15] = [
    ENTRY,
    DRAFT,
    QUESTION,
    ANSWER,
    FEELING,
    REFLECTION,
    CHECK_IN_NOTE,
    TRIGGER_NOTE,
    TRIGGER_REPLY,
    TRANSPARENCY,
    JOURNAL,
    EVIDENCE,
    AGREEMENT,
    NOTE,
    INTRUDER,
];

/// What the counsellor may read once both partners share questions: the question, its answer
/// and their own note.
const SHARED: [&str; 3] = [QUESTION, ANSWER, NOTE];

/// The secrets a body contains.
fn secrets_in(page: &Page) -> Vec<&'static str> {
    SECRETS.into_iter().filter(|s| page.contains(s)).collect()
}

/// The ids `id="{kind}-…"` on a page that are real ids (not `{kind}-form` and the like).
fn ids(page: &Page, kind: &str) -> Vec<String> {
    page.ids_of(kind)
        .into_iter()
        .filter(|s| s.parse::<mend_core::SpaceId>().is_ok())
        .collect()
}

fn first_id(page: &Page, kind: &str) -> String {
    ids(page, kind)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("an id {kind}-… on the page: {}", page.body))
}

async fn sent(page: Page, what: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{what}: {}", page.body);
}

/// This couple's ids, each a real one of its kind.
#[derive(Default)]
struct Ids {
    space: String,
    journey: String,
    invite: String,
    invite_code: String,
    counsellor_code: String,
    counsel: String,
    question: String,
    answer: String,
    feeling: String,
    reflection: String,
    trigger: String,
    transparency: String,
    entry: String,
    journal: String,
    evidence: String,
    agreement: String,
}

/// Two partners in one space, keeping the invitation's id and code (the space is full, so no
/// other invitation can be made).
async fn couple(app: &TestApp, alex_email: &str, sam_email: &str) -> (Couple, String, String) {
    let alex = app.browser();
    alex.sign_up_safe("Alex", alex_email, PASSWORD).await;
    alex.get("/home").await;
    let space = alex
        .post("/spaces", &[])
        .await
        .location()
        .expect("a space")
        .to_owned();
    let form_id = alex.get(&space).await.field("form_id").expect("a form id");
    let page = alex
        .submit(
            &format!("{space}/invites"),
            &[("form_id", form_id.as_str())],
        )
        .await;
    let link = page.value_of("invite-link-1").expect("an invitation link");
    let invite = page
        .body
        .split("action=\"")
        .find(|s| s.contains("/revoke\""))
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.rsplit('/').nth(1))
        .expect("the invitation's id")
        .to_owned();
    let code = link.rsplit('/').next().expect("a code").to_owned();
    let sam = app.browser();
    sam.sign_up_safe("Sam", sam_email, PASSWORD).await;
    let path = format!("/invite/{code}");
    sam.get(&path).await;
    sent(sam.post(&path, &[]).await, "Sam joins").await;
    (Couple { alex, sam, space }, invite, code)
}

/// Alex proposes, Sam agrees; the counsellor's link, as a path.
async fn agreed_link(app: &TestApp, c: &Couple) -> String {
    let page = format!("{}/counsellor", c.space);
    c.alex.get(&page).await;
    sent(
        c.alex.post(&format!("{page}/propose"), &[]).await,
        "propose",
    )
    .await;
    c.sam.get(&page).await;
    sent(c.sam.post(&format!("{page}/agree"), &[]).await, "agree").await;
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

/// A counsellor's account made from the link, logged in, the link accepted; the couple's
/// page for the counsellor.
async fn counsellor_from(app: &TestApp, link: &str, email: &str) -> (Browser, String) {
    let robin = app.browser();
    assert_eq!(robin.get(link).await.status, StatusCode::OK);
    let code = link.rsplit('/').next().expect("a code").to_owned();
    robin.get(&format!("/signup?counsellor={code}")).await;
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
    robin
        .submit(
            "/login",
            &[("email", email), ("password", PASSWORD), ("next", &next)],
        )
        .await;
    let couple = robin.post(link, &[]).await;
    assert_eq!(couple.status, StatusCode::SEE_OTHER);
    (robin, couple.location().expect("the couple").to_owned())
}

/// Alex (repairing) and Sam (hurt) write one of every kind of text; the ids of each.
async fn write_everything(c: &Couple, invite: String, invite_code: String) -> Ids {
    let (alex, sam) = (&c.alex, &c.sam);
    let form = breach_form("me", "financial", "We share what we spend.", "found_out");
    let journey = alex.record_breach(&c.space, &form).await;

    let ack = format!("{journey}/acknowledge");
    let entry_field = alex.get(&ack).await.field("entry").expect("an entry id");
    sent(
        alex.post(
            &format!("{ack}/send"),
            &[("text", ENTRY), ("entry", &entry_field)],
        )
        .await,
        "entry",
    )
    .await;
    let entry = first_id(&sam.get(&ack).await, "entry");
    let pledge = format!("{journey}/pledge");
    let draft_field = alex.get(&pledge).await.field("entry").expect("an entry id");
    sent(
        alex.post(
            &format!("{pledge}/draft"),
            &[("text", DRAFT), ("entry", &draft_field)],
        )
        .await,
        "draft",
    )
    .await;

    let questions = format!("{journey}/questions");
    sam.get(&questions).await;
    sent(
        sam.post(&questions, &[("text", QUESTION)]).await,
        "question",
    )
    .await;
    let question = first_id(&alex.get(&questions).await, "question");
    sent(
        alex.post(
            &format!("{questions}/{question}/answer"),
            &[("text", ANSWER)],
        )
        .await,
        "answer",
    )
    .await;
    let answer = first_id(&sam.get(&questions).await, "answer");

    let feelings = format!("{journey}/feelings");
    let feeling_field = sam.get(&feelings).await.field("feeling").expect("an id");
    sent(
        sam.post(
            &feelings,
            &[
                ("feeling", feeling_field.as_str()),
                ("word", "hurt"),
                ("intensity", "3"),
                ("text", FEELING),
            ],
        )
        .await,
        "feeling",
    )
    .await;
    let feeling = first_id(&alex.get(&feelings).await, "feeling");
    sent(
        alex.post(
            &format!("{feelings}/{feeling}/reflect"),
            &[("text", REFLECTION)],
        )
        .await,
        "reflection",
    )
    .await;
    let reflection = first_id(&sam.get(&feelings).await, "reflection");

    sam.get(&format!("{journey}/patience")).await;
    sent(
        sam.post(
            &format!("{journey}/patience"),
            &[("trust", "4"), ("note", CHECK_IN_NOTE)],
        )
        .await,
        "check-in",
    )
    .await;

    let triggers = format!("{journey}/triggers");
    sam.get(&triggers).await;
    sent(
        sam.post(&triggers, &[("note", TRIGGER_NOTE)]).await,
        "trigger",
    )
    .await;
    let trigger = first_id(&alex.get(&triggers).await, "trigger");
    sent(
        alex.post(
            &format!("{triggers}/{trigger}/reply"),
            &[("text", TRIGGER_REPLY)],
        )
        .await,
        "trigger reply",
    )
    .await;

    let transparency = format!("{journey}/transparency");
    alex.get(&transparency).await;
    sent(
        alex.post(&transparency, &[("text", TRANSPARENCY), ("period", "91")])
            .await,
        "transparency",
    )
    .await;
    let transparency = first_id(&sam.get(&transparency).await, "transparency");

    let evidence = format!("{journey}/evidence");
    sam.get(&evidence).await;
    sent(
        sam.post(&evidence, &[("moment", "built"), ("text", EVIDENCE)])
            .await,
        "evidence",
    )
    .await;
    let evidence = first_id(&sam.get(&evidence).await, "evidence");

    let journal = format!("{}/journal", c.space);
    sam.get(&journal).await;
    sent(sam.post(&journal, &[("text", JOURNAL)]).await, "journal").await;
    let journal = first_id(&sam.get(&journal).await, "journal");

    let agreements = format!("{}/agreements", c.space);
    alex.get(&agreements).await;
    sent(
        alex.post(&agreements, &[("text", AGREEMENT)]).await,
        "agreement",
    )
    .await;
    let agreement = alex
        .get(&agreements)
        .await
        .body
        .split("action=\"")
        .find(|s| s.contains("/withdraw\""))
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.rsplit('/').nth(1))
        .expect("the agreement's id")
        .to_owned();

    Ids {
        space: c.space.clone(),
        journey,
        invite,
        invite_code,
        counsellor_code: String::new(),
        counsel: String::new(),
        question,
        answer,
        feeling,
        reflection,
        trigger,
        transparency,
        entry,
        journal,
        evidence,
        agreement,
    }
}

/// Who a route is for.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// Anyone, logged in or not: checked only for not leaking.
    Public,
    /// A logged-in person's own pages (home, account, safety): their own, never this couple's.
    Own,
    /// This couple's partners only.
    Partner,
    /// This couple's counsellor only.
    Counsel,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Method {
    Get,
    Post,
}

/// A form's fields.
type Form = Vec<(&'static str, &'static str)>;

struct Route {
    method: Method,
    /// The route as the table in routes/mod.rs spells it.
    template: &'static str,
    path: String,
    kind: Kind,
    /// What a persona who may not act sends: a form that would change something if let in.
    fields: Vec<(&'static str, &'static str)>,
}

/// Every route of the table, with this couple's real ids.
fn routes(ids: &Ids) -> Vec<Route> {
    use Kind::*;
    use Method::*;
    let s = &ids.space;
    let j = &ids.journey;
    let text = vec![("text", INTRUDER)];
    let none = Vec::new();
    // Public forms echo what they were sent (the coach shows the text back): nothing secret.
    let neutral = vec![("text", "A plain sentence.")];
    let mut all = Vec::new();
    let mut add =
        |method, template, path: String, kind, fields: &Vec<(&'static str, &'static str)>| {
            all.push(Route {
                method,
                template,
                path,
                kind,
                fields: fields.clone(),
            })
        };
    for (template, path) in [
        ("/", "/"),
        ("/help", "/help"),
        ("/exit", "/exit"),
        ("/left", "/left"),
        ("/healthz", "/healthz"),
        ("/static/mend.css", "/static/mend.css"),
        ("/static/mend.js", "/static/mend.js"),
        ("/static/htmx.min.js", "/static/htmx.min.js"),
        ("/static/favicon.svg", "/static/favicon.svg"),
        ("/coach", "/coach"),
        ("/signup", "/signup"),
        ("/login", "/login"),
        ("/account/deleted", "/account/deleted"),
        ("/forgot", "/forgot"),
        ("/guide/{area}", "/guide/questions"),
    ] {
        add(Get, template, path.to_owned(), Public, &none);
    }
    add(
        Get,
        "/reset/{token}",
        "/reset/not-a-token".into(),
        Public,
        &none,
    );
    add(
        Get,
        "/verify/{token}",
        "/verify/not-a-token".into(),
        Public,
        &none,
    );
    add(
        Get,
        "/invite/{code}",
        format!("/invite/{}", ids.invite_code),
        Public,
        &none,
    );
    add(
        Get,
        "/counsellor-invite/{code}",
        format!("/counsellor-invite/{}", ids.counsellor_code),
        Public,
        &none,
    );
    for (template, path) in [
        ("/coach", "/coach"),
        ("/coach/review", "/coach/review"),
        ("/signup", "/signup"),
        ("/login", "/login"),
        ("/forgot", "/forgot"),
        ("/reset/{token}", "/reset/not-a-token"),
        ("/verify/{token}", "/verify/not-a-token"),
    ] {
        add(Post, template, path.to_owned(), Public, &neutral);
    }
    add(
        Post,
        "/invite/{code}",
        format!("/invite/{}", ids.invite_code),
        Public,
        &none,
    );
    add(
        Post,
        "/counsellor-invite/{code}",
        format!("/counsellor-invite/{}", ids.counsellor_code),
        Public,
        &none,
    );

    for path in [
        "/home",
        "/account",
        "/account/password",
        "/account/leave",
        "/account/delete",
        "/safety",
        "/counsel",
    ] {
        add(Get, path, path.to_owned(), Own, &none);
    }
    for path in [
        "/logout",
        "/account/export",
        "/account/time-zone",
        "/account/notifications",
        "/account/password",
        "/account/leave",
        "/account/delete",
        "/account/verify",
        "/safety",
        "/safety/continue",
        "/safety/pause",
        "/safety/leave",
        "/spaces",
    ] {
        add(Post, path, path.to_owned(), Own, &none);
    }

    let counsel = &ids.counsel;
    let breach = j.rsplit('/').next().unwrap_or_default();
    add(Get, "/counsel/{space}", counsel.clone(), Counsel, &none);
    add(
        Get,
        "/counsel/{space}/breaches/{breach}",
        format!("{counsel}/breaches/{breach}"),
        Counsel,
        &none,
    );
    add(
        Post,
        "/counsel/{space}/breaches/{breach}/notes",
        format!("{counsel}/breaches/{breach}/notes"),
        Counsel,
        &text,
    );

    let gets = [
        ("/spaces/{space}", s.clone()),
        ("/spaces/{space}/counsellor", format!("{s}/counsellor")),
        (
            "/spaces/{space}/breaches/{breach}/counsellor",
            format!("{j}/counsellor"),
        ),
        ("/spaces/{space}/breaches/new", format!("{s}/breaches/new")),
        ("/spaces/{space}/breaches/{breach}", j.clone()),
        (
            "/spaces/{space}/breaches/{breach}/questions",
            format!("{j}/questions"),
        ),
        (
            "/spaces/{space}/breaches/{breach}/triggers",
            format!("{j}/triggers"),
        ),
        (
            "/spaces/{space}/breaches/{breach}/transparency",
            format!("{j}/transparency"),
        ),
        (
            "/spaces/{space}/breaches/{breach}/patience",
            format!("{j}/patience"),
        ),
        (
            "/spaces/{space}/breaches/{breach}/evidence",
            format!("{j}/evidence"),
        ),
        (
            "/spaces/{space}/breaches/{breach}/timeline",
            format!("{j}/timeline"),
        ),
        (
            "/spaces/{space}/breaches/{breach}/summary",
            format!("{j}/summary"),
        ),
        (
            "/spaces/{space}/breaches/{breach}/endings",
            format!("{j}/endings"),
        ),
        (
            "/spaces/{space}/breaches/{breach}/feelings",
            format!("{j}/feelings"),
        ),
        ("/spaces/{space}/agreements", format!("{s}/agreements")),
        ("/spaces/{space}/journal", format!("{s}/journal")),
        (
            "/spaces/{space}/breaches/{breach}/{section}",
            format!("{j}/acknowledge"),
        ),
        (
            "/spaces/{space}/breaches/{breach}/{section}",
            format!("{j}/pledge"),
        ),
    ];
    for (template, path) in gets {
        add(Get, template, path, Partner, &none);
    }
    let ack = format!("{j}/acknowledge");
    let (q, a, f, r) = (&ids.question, &ids.answer, &ids.feeling, &ids.reflection);
    let (t, tr, e) = (&ids.trigger, &ids.transparency, &ids.entry);
    let posts: Vec<(&'static str, String, Form)> = vec![
        (
            "/spaces/{space}/invites",
            format!("{s}/invites"),
            none.clone(),
        ),
        (
            "/spaces/{space}/invites/{invite}/revoke",
            format!("{s}/invites/{}/revoke", ids.invite),
            none.clone(),
        ),
        (
            "/spaces/{space}/counsellor/propose",
            format!("{s}/counsellor/propose"),
            none.clone(),
        ),
        (
            "/spaces/{space}/counsellor/agree",
            format!("{s}/counsellor/agree"),
            none.clone(),
        ),
        (
            "/spaces/{space}/counsellor/end",
            format!("{s}/counsellor/end"),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/counsellor",
            format!("{j}/counsellor"),
            vec![
                ("area", "entries"),
                ("area", "feelings"),
                ("area", "check_ins"),
            ],
        ),
        (
            "/spaces/{space}/breaches",
            format!("{s}/breaches"),
            breach_form("me", "lie", "We tell each other the truth.", "told"),
        ),
        (
            "/spaces/{space}/breaches/{breach}/areas/{area}",
            format!("{j}/areas/acknowledge"),
            vec![("to", "done")],
        ),
        (
            "/spaces/{space}/breaches/{breach}/questions",
            format!("{j}/questions"),
            text.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/questions/{question}/answer",
            format!("{j}/questions/{q}/answer"),
            text.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/questions/{question}/withdraw",
            format!("{j}/questions/{q}/withdraw"),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/questions/{question}/in-person",
            format!("{j}/questions/{q}/in-person"),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/questions/answers/{answer}/respond",
            format!("{j}/questions/answers/{a}/respond"),
            vec![("verdict", "enough"), ("text", INTRUDER)],
        ),
        (
            "/spaces/{space}/breaches/{breach}/questions/answers/{answer}/withdraw",
            format!("{j}/questions/answers/{a}/withdraw"),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/triggers",
            format!("{j}/triggers"),
            vec![("note", INTRUDER)],
        ),
        (
            "/spaces/{space}/breaches/{breach}/triggers/{trigger}/reply",
            format!("{j}/triggers/{t}/reply"),
            text.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/transparency",
            format!("{j}/transparency"),
            vec![("text", INTRUDER), ("period", "91")],
        ),
        (
            "/spaces/{space}/breaches/{breach}/transparency/{agreement}/decide",
            format!("{j}/transparency/{tr}/decide"),
            vec![("decision", "accept")],
        ),
        (
            "/spaces/{space}/breaches/{breach}/transparency/{agreement}/withdraw",
            format!("{j}/transparency/{tr}/withdraw"),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/transparency/{agreement}/renew",
            format!("{j}/transparency/{tr}/renew"),
            vec![("text", INTRUDER), ("period", "91")],
        ),
        (
            "/spaces/{space}/breaches/{breach}/patience",
            format!("{j}/patience"),
            vec![("trust", "1"), ("note", INTRUDER)],
        ),
        (
            "/spaces/{space}/breaches/{breach}/evidence",
            format!("{j}/evidence"),
            vec![("moment", "shook"), ("text", INTRUDER)],
        ),
        (
            "/spaces/{space}/breaches/{breach}/evidence/{entry}/share",
            format!("{j}/evidence/{}/share", ids.evidence),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/evidence/{entry}/unshare",
            format!("{j}/evidence/{}/unshare", ids.evidence),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/evidence/{entry}/counsellor",
            format!("{j}/evidence/{}/counsellor", ids.evidence),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/evidence/{entry}/counsellor/unshare",
            format!("{j}/evidence/{}/counsellor/unshare", ids.evidence),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/choices",
            format!("{j}/choices"),
            vec![("change", "open_my_side")],
        ),
        (
            "/spaces/{space}/breaches/{breach}/feelings",
            format!("{j}/feelings"),
            vec![("word", "sad"), ("intensity", "2"), ("text", INTRUDER)],
        ),
        (
            "/spaces/{space}/breaches/{breach}/feelings/{feeling}/reflect",
            format!("{j}/feelings/{f}/reflect"),
            text.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/feelings/reflections/{reflection}/answer",
            format!("{j}/feelings/reflections/{r}/answer"),
            vec![("verdict", "heard")],
        ),
        (
            "/spaces/{space}/breaches/{breach}/feelings/{feeling}/withdraw",
            format!("{j}/feelings/{f}/withdraw"),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/feelings/reflections/{reflection}/withdraw",
            format!("{j}/feelings/reflections/{r}/withdraw"),
            none.clone(),
        ),
        (
            "/spaces/{space}/agreements",
            format!("{s}/agreements"),
            text.clone(),
        ),
        (
            "/spaces/{space}/agreements/{agreement}/{action}",
            format!("{s}/agreements/{}/accept", ids.agreement),
            none.clone(),
        ),
        (
            "/spaces/{space}/journal",
            format!("{s}/journal"),
            text.clone(),
        ),
        (
            "/spaces/{space}/journal/{entry}/share",
            format!("{s}/journal/{}/share", ids.journal),
            none.clone(),
        ),
        (
            "/spaces/{space}/journal/{entry}/unshare",
            format!("{s}/journal/{}/unshare", ids.journal),
            none.clone(),
        ),
        (
            "/spaces/{space}/journal/{entry}/counsellor",
            format!("{s}/journal/{}/counsellor", ids.journal),
            none.clone(),
        ),
        (
            "/spaces/{space}/journal/{entry}/counsellor/unshare",
            format!("{s}/journal/{}/counsellor/unshare", ids.journal),
            none.clone(),
        ),
        (
            "/spaces/{space}/journal/{entry}/delete",
            format!("{s}/journal/{}/delete", ids.journal),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/{section}/draft",
            format!("{ack}/draft"),
            text.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/{section}/send",
            format!("{ack}/send"),
            text.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/{section}/{entry}/withdraw",
            format!("{ack}/{e}/withdraw"),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/{section}/{entry}/received",
            format!("{ack}/{e}/received"),
            none.clone(),
        ),
        (
            "/spaces/{space}/breaches/{breach}/{section}/{entry}/respond",
            format!("{ack}/{e}/respond"),
            text.clone(),
        ),
    ];
    for (template, path, fields) in posts {
        add(Post, template, path, Partner, &fields);
    }
    all
}

/// The personas.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    OtherPartner,
    OtherCounsellor,
    CounsellorBefore,
    CounsellorAfter,
    CounsellorRevoked,
    Partner,
    Myself,
}

/// What one persona must get from one route, when it is not merely recorded.
#[derive(Debug, PartialEq)]
enum Expect {
    LogIn,
    NotFound,
    Ended,
    Ok,
    /// Whatever the route answers today, as long as it leaks nothing.
    Any,
}

fn expect(who: Who, route: &Route) -> Expect {
    use Who::*;
    match (route.kind, who) {
        (Kind::Public, _) => Expect::Any,
        // Logging out and leaving quietly need no session: they end one if there is one.
        (Kind::Own, Anonymous) if ["/logout", "/safety/leave"].contains(&route.template) => {
            Expect::Any
        }
        (_, Anonymous) => Expect::LogIn,
        (Kind::Own, _) => Expect::Any,
        (Kind::Counsel, CounsellorBefore | CounsellorAfter) if route.method == Method::Get => {
            Expect::Ok
        }
        (Kind::Counsel, CounsellorBefore | CounsellorAfter) => Expect::Any,
        (Kind::Counsel, CounsellorRevoked) => Expect::Ended,
        (Kind::Counsel, _) => Expect::NotFound,
        (Kind::Partner, Partner | Myself) => Expect::Any,
        (Kind::Partner, _) => Expect::NotFound,
    }
}

/// The words this persona may see on this route.
fn allowed(who: Who, route: &Route) -> &'static [&'static str] {
    match (who, route.kind) {
        (Who::Partner | Who::Myself, _) => &SECRETS,
        (Who::CounsellorAfter, Kind::Counsel | Kind::Own) => &SHARED,
        _ => &[],
    }
}

/// The quick exit logs out whoever sends it: the logged-in personas send it last.
fn ends_session(p: &Persona, route: &Route) -> bool {
    route.template == "/exit" && p.who != Who::Anonymous
}

/// A page without its CSRF token, which is the session's and not the page's.
fn without_token(page: &Page) -> String {
    match page.field("csrf") {
        Some(token) if !token.is_empty() => page.body.replace(&token, ""),
        _ => page.body.clone(),
    }
}

struct Persona {
    who: Who,
    browser: Browser,
    /// The body of a partner's page of a space that does not exist, for this persona.
    unknown: String,
}

async fn persona(who: Who, browser: Browser) -> Persona {
    let unknown = browser
        .get(&format!("/spaces/{}", mend_core::SpaceId::new()))
        .await;
    Persona {
        who,
        unknown: without_token(&unknown),
        browser,
    }
}

/// Sends one route as this persona and checks what came back; the status.
async fn check(p: &Persona, route: &Route, fields: &[(&str, &str)]) -> StatusCode {
    let page = match route.method {
        Method::Get => p.browser.get(&route.path).await,
        Method::Post => p.browser.post(&route.path, fields).await,
    };
    let what = format!("{:?} {:?} {}", p.who, route.method, route.template);
    let leaked: Vec<_> = secrets_in(&page)
        .into_iter()
        .filter(|s| !allowed(p.who, route).contains(s))
        .collect();
    assert!(leaked.is_empty(), "{what}: leaked {leaked:?}");
    assert!(!page.status.is_server_error(), "{what}: {}", page.status);
    match expect(p.who, route) {
        Expect::LogIn => {
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{what}");
            assert!(
                page.location().unwrap_or("").starts_with("/login"),
                "{what}: {:?}",
                page.location()
            );
        }
        Expect::NotFound => {
            assert_eq!(
                page.status,
                StatusCode::NOT_FOUND,
                "{what} {:?}",
                page.location()
            );
            assert_eq!(
                without_token(&page),
                p.unknown,
                "{what}: not exactly like an id that does not exist"
            );
        }
        Expect::Ended => assert_eq!(page.status, StatusCode::GONE, "{what}"),
        Expect::Ok => assert_eq!(page.status, StatusCode::OK, "{what}"),
        Expect::Any => {}
    }
    page.status
}

type Seen = Vec<(String, Vec<&'static str>, Vec<&'static str>)>;

/// What each partner's pages show of the couple's words: for every partner GET route, the
/// secrets on it, as Alex and as Sam see them.
async fn snapshot(c: &Couple, routes: &[Route]) -> Seen {
    let mut seen = Vec::new();
    for route in routes
        .iter()
        .filter(|r| r.kind == Kind::Partner && r.method == Method::Get)
    {
        let alex = secrets_in(&c.alex.get(&route.path).await);
        let sam = secrets_in(&c.sam.get(&route.path).await);
        seen.push((route.path.clone(), alex, sam));
    }
    seen
}

/// Sam's round (the hurt partner, after the counsellor's access ended): GETs with the
/// couple's ids, then POSTs with no fields.
const PARTNER_ROUND: [(&str, u16); 63] = [
    ("GET /spaces/{space}", 200),
    ("GET /spaces/{space}/counsellor", 200),
    ("GET /spaces/{space}/breaches/{breach}/counsellor", 200),
    ("GET /spaces/{space}/breaches/new", 200),
    ("GET /spaces/{space}/breaches/{breach}", 200),
    ("GET /spaces/{space}/breaches/{breach}/questions", 200),
    ("GET /spaces/{space}/breaches/{breach}/triggers", 200),
    ("GET /spaces/{space}/breaches/{breach}/transparency", 200),
    ("GET /spaces/{space}/breaches/{breach}/patience", 200),
    ("GET /spaces/{space}/breaches/{breach}/evidence", 200),
    ("GET /spaces/{space}/breaches/{breach}/timeline", 200),
    ("GET /spaces/{space}/breaches/{breach}/summary", 200),
    ("GET /spaces/{space}/breaches/{breach}/endings", 200),
    ("GET /spaces/{space}/breaches/{breach}/feelings", 200),
    ("GET /spaces/{space}/agreements", 200),
    ("GET /spaces/{space}/journal", 200),
    ("GET /spaces/{space}/breaches/{breach}/{section}", 200),
    ("GET /spaces/{space}/breaches/{breach}/{section}", 200),
    ("POST /spaces/{space}/invites", 409),
    ("POST /spaces/{space}/invites/{invite}/revoke", 404),
    ("POST /spaces/{space}/counsellor/propose", 303),
    ("POST /spaces/{space}/counsellor/agree", 409),
    ("POST /spaces/{space}/counsellor/end", 303),
    ("POST /spaces/{space}/breaches/{breach}/counsellor", 303),
    ("POST /spaces/{space}/breaches", 422),
    ("POST /spaces/{space}/breaches/{breach}/areas/{area}", 400),
    ("POST /spaces/{space}/breaches/{breach}/questions", 422),
    (
        "POST /spaces/{space}/breaches/{breach}/questions/{question}/answer",
        403,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/questions/{question}/withdraw",
        303,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/questions/{question}/in-person",
        403,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/questions/answers/{answer}/respond",
        400,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/questions/answers/{answer}/withdraw",
        403,
    ),
    ("POST /spaces/{space}/breaches/{breach}/triggers", 303),
    (
        "POST /spaces/{space}/breaches/{breach}/triggers/{trigger}/reply",
        403,
    ),
    ("POST /spaces/{space}/breaches/{breach}/transparency", 403),
    (
        "POST /spaces/{space}/breaches/{breach}/transparency/{agreement}/decide",
        400,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/transparency/{agreement}/withdraw",
        403,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/transparency/{agreement}/renew",
        403,
    ),
    ("POST /spaces/{space}/breaches/{breach}/patience", 422),
    ("POST /spaces/{space}/breaches/{breach}/evidence", 422),
    (
        "POST /spaces/{space}/breaches/{breach}/evidence/{entry}/share",
        303,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/evidence/{entry}/unshare",
        303,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/evidence/{entry}/counsellor",
        409,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/evidence/{entry}/counsellor/unshare",
        303,
    ),
    ("POST /spaces/{space}/breaches/{breach}/choices", 400),
    ("POST /spaces/{space}/breaches/{breach}/feelings", 422),
    (
        "POST /spaces/{space}/breaches/{breach}/feelings/{feeling}/reflect",
        403,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/feelings/reflections/{reflection}/answer",
        400,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/feelings/{feeling}/withdraw",
        303,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/feelings/reflections/{reflection}/withdraw",
        403,
    ),
    ("POST /spaces/{space}/agreements", 422),
    ("POST /spaces/{space}/agreements/{agreement}/{action}", 303),
    ("POST /spaces/{space}/journal", 422),
    ("POST /spaces/{space}/journal/{entry}/share", 303),
    ("POST /spaces/{space}/journal/{entry}/unshare", 303),
    ("POST /spaces/{space}/journal/{entry}/counsellor", 409),
    (
        "POST /spaces/{space}/journal/{entry}/counsellor/unshare",
        303,
    ),
    ("POST /spaces/{space}/journal/{entry}/delete", 303),
    (
        "POST /spaces/{space}/breaches/{breach}/{section}/draft",
        403,
    ),
    ("POST /spaces/{space}/breaches/{breach}/{section}/send", 403),
    (
        "POST /spaces/{space}/breaches/{breach}/{section}/{entry}/withdraw",
        403,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/{section}/{entry}/received",
        303,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/{section}/{entry}/respond",
        400,
    ),
];

/// Alex's round, right after Sam's.
const SELF_ROUND: [(&str, u16); 63] = [
    ("GET /spaces/{space}", 200),
    ("GET /spaces/{space}/counsellor", 200),
    ("GET /spaces/{space}/breaches/{breach}/counsellor", 200),
    ("GET /spaces/{space}/breaches/new", 200),
    ("GET /spaces/{space}/breaches/{breach}", 200),
    ("GET /spaces/{space}/breaches/{breach}/questions", 200),
    ("GET /spaces/{space}/breaches/{breach}/triggers", 200),
    ("GET /spaces/{space}/breaches/{breach}/transparency", 200),
    ("GET /spaces/{space}/breaches/{breach}/patience", 200),
    ("GET /spaces/{space}/breaches/{breach}/evidence", 200),
    ("GET /spaces/{space}/breaches/{breach}/timeline", 200),
    ("GET /spaces/{space}/breaches/{breach}/summary", 200),
    ("GET /spaces/{space}/breaches/{breach}/endings", 200),
    ("GET /spaces/{space}/breaches/{breach}/feelings", 200),
    ("GET /spaces/{space}/agreements", 200),
    ("GET /spaces/{space}/journal", 200),
    ("GET /spaces/{space}/breaches/{breach}/{section}", 200),
    ("GET /spaces/{space}/breaches/{breach}/{section}", 200),
    ("POST /spaces/{space}/invites", 409),
    ("POST /spaces/{space}/invites/{invite}/revoke", 404),
    ("POST /spaces/{space}/counsellor/propose", 303),
    ("POST /spaces/{space}/counsellor/agree", 409),
    ("POST /spaces/{space}/counsellor/end", 303),
    ("POST /spaces/{space}/breaches/{breach}/counsellor", 303),
    ("POST /spaces/{space}/breaches", 422),
    ("POST /spaces/{space}/breaches/{breach}/areas/{area}", 400),
    ("POST /spaces/{space}/breaches/{breach}/questions", 403),
    (
        "POST /spaces/{space}/breaches/{breach}/questions/{question}/answer",
        422,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/questions/{question}/withdraw",
        403,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/questions/{question}/in-person",
        303,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/questions/answers/{answer}/respond",
        400,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/questions/answers/{answer}/withdraw",
        303,
    ),
    ("POST /spaces/{space}/breaches/{breach}/triggers", 403),
    (
        "POST /spaces/{space}/breaches/{breach}/triggers/{trigger}/reply",
        422,
    ),
    ("POST /spaces/{space}/breaches/{breach}/transparency", 422),
    (
        "POST /spaces/{space}/breaches/{breach}/transparency/{agreement}/decide",
        400,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/transparency/{agreement}/withdraw",
        303,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/transparency/{agreement}/renew",
        409,
    ),
    ("POST /spaces/{space}/breaches/{breach}/patience", 403),
    ("POST /spaces/{space}/breaches/{breach}/evidence", 403),
    (
        "POST /spaces/{space}/breaches/{breach}/evidence/{entry}/share",
        403,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/evidence/{entry}/unshare",
        403,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/evidence/{entry}/counsellor",
        404,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/evidence/{entry}/counsellor/unshare",
        404,
    ),
    ("POST /spaces/{space}/breaches/{breach}/choices", 400),
    ("POST /spaces/{space}/breaches/{breach}/feelings", 403),
    (
        "POST /spaces/{space}/breaches/{breach}/feelings/{feeling}/reflect",
        409,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/feelings/reflections/{reflection}/answer",
        400,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/feelings/{feeling}/withdraw",
        403,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/feelings/reflections/{reflection}/withdraw",
        303,
    ),
    ("POST /spaces/{space}/agreements", 422),
    ("POST /spaces/{space}/agreements/{agreement}/{action}", 409),
    ("POST /spaces/{space}/journal", 422),
    ("POST /spaces/{space}/journal/{entry}/share", 404),
    ("POST /spaces/{space}/journal/{entry}/unshare", 404),
    ("POST /spaces/{space}/journal/{entry}/counsellor", 404),
    (
        "POST /spaces/{space}/journal/{entry}/counsellor/unshare",
        404,
    ),
    ("POST /spaces/{space}/journal/{entry}/delete", 404),
    (
        "POST /spaces/{space}/breaches/{breach}/{section}/draft",
        400,
    ),
    ("POST /spaces/{space}/breaches/{breach}/{section}/send", 422),
    (
        "POST /spaces/{space}/breaches/{breach}/{section}/{entry}/withdraw",
        303,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/{section}/{entry}/received",
        403,
    ),
    (
        "POST /spaces/{space}/breaches/{breach}/{section}/{entry}/respond",
        400,
    ),
];

/// What the partners' own round answers today, route by route (GETs, then POSTs with no
/// fields, in table order): recorded, so a change of status shows.
async fn partners_round(c: &Couple, routes: &[Route], who: Who) -> Vec<(String, u16)> {
    let browser = if who == Who::Myself { &c.alex } else { &c.sam };
    let p = Persona {
        who,
        browser: browser.clone(),
        unknown: String::new(),
    };
    let mut answers = Vec::new();
    for route in routes.iter().filter(|r| r.kind == Kind::Partner) {
        let status = check(&p, route, &[]).await;
        let method = if route.method == Method::Get {
            "GET"
        } else {
            "POST"
        };
        answers.push((format!("{method} {}", route.template), status.as_u16()));
    }
    answers
}

#[tokio::test]
async fn every_route_against_every_persona_leaks_nothing_and_changes_nothing() {
    on_each_backend(|app| async move {
        let (c, invite, invite_code) = couple(&app, "alex@example.org", "sam@example.org").await;
        let mut ids = write_everything(&c, invite, invite_code).await;
        let link = agreed_link(&app, &c).await;
        let (robin, counsel) = counsellor_from(&app, &link, "robin@example.org").await;
        ids.counsellor_code = link.rsplit('/').next().unwrap_or_default().to_owned();
        ids.counsel = counsel;

        let (other, _, _) = couple(&app, "lee@example.org", "kim@example.org").await;
        let form = breach_form("me", "lie", "We tell each other the truth.", "told");
        other.alex.record_breach(&other.space, &form).await;
        let other_link = agreed_link(&app, &other).await;
        let (jo, _) = counsellor_from(&app, &other_link, "jo@example.org").await;
        let anonymous = app.browser();
        anonymous.get("/login").await;

        let routes = routes(&ids);
        let before = snapshot(&c, &routes).await;
        // Every text was written: together the partners see each of them somewhere.
        for secret in &SECRETS[..SECRETS.len() - 2] {
            assert!(
                before
                    .iter()
                    .any(|(_, a, s)| a.contains(secret) || s.contains(secret)),
                "nobody sees {secret}"
            );
        }

        let mut personas = vec![
            persona(Who::Anonymous, anonymous).await,
            persona(Who::OtherPartner, other.alex.clone()).await,
            persona(Who::OtherCounsellor, jo).await,
            persona(Who::CounsellorBefore, robin.clone()).await,
        ];

        // GETs before consent, then every POST a persona may not make, with a form that
        // would change something if it were let in.
        for p in &personas {
            for route in routes.iter().filter(|r| r.method == Method::Get) {
                if ends_session(p, route) {
                    continue;
                }
                check(p, route, &[]).await;
            }
        }
        for p in &personas {
            for route in routes.iter().filter(|r| r.method == Method::Post) {
                // Their own account's actions act on their own account: only anonymous
                // sends them (logging out or deleting a persona would end the matrix).
                if route.kind == Kind::Own && p.who != Who::Anonymous {
                    continue;
                }
                // The counsellor's note is the counsellor's to write (below).
                if route.kind == Kind::Counsel && p.who == Who::CounsellorBefore {
                    continue;
                }
                let fields = route.fields.clone();
                check(p, route, &fields).await;
            }
        }
        assert_eq!(
            snapshot(&c, &routes).await,
            before,
            "nobody who may not act changed anything"
        );

        // Both share questions: the counsellor reads exactly the question and its answer,
        // and leaves a note both partners read.
        for partner in [&c.alex, &c.sam] {
            partner.get(&format!("{}/counsellor", ids.journey)).await;
            sent(
                partner
                    .post(
                        &format!("{}/counsellor", ids.journey),
                        &[("area", "questions")],
                    )
                    .await,
                "share questions",
            )
            .await;
        }
        let breach = ids.journey.rsplit('/').next().unwrap_or_default();
        let read = format!("{}/breaches/{breach}", ids.counsel);
        let page = robin.get(&read).await;
        assert_eq!(secrets_in(&page), vec![QUESTION, ANSWER]);
        sent(
            robin
                .post(&format!("{read}/notes"), &[("text", NOTE)])
                .await,
            "the counsellor's note",
        )
        .await;
        assert_eq!(
            secrets_in(&robin.get(&read).await),
            vec![QUESTION, ANSWER, NOTE]
        );
        let before = snapshot(&c, &routes).await;
        assert!(before
            .iter()
            .any(|(_, a, s)| a.contains(&NOTE) && s.contains(&NOTE)));

        personas.pop();
        personas.push(persona(Who::CounsellorAfter, robin.clone()).await);
        for p in &personas {
            for route in routes.iter().filter(|r| r.method == Method::Get) {
                if ends_session(p, route) {
                    continue;
                }
                check(p, route, &[]).await;
            }
        }
        let after_consent = personas.last().expect("the counsellor");
        for route in routes
            .iter()
            .filter(|r| r.method == Method::Post && r.kind == Kind::Partner)
        {
            let fields = route.fields.clone();
            check(after_consent, route, &fields).await;
        }
        assert_eq!(snapshot(&c, &routes).await, before);

        // Sam ends the access: the counsellor is told so on their pages, and nothing else.
        c.sam.get(&format!("{}/counsellor", ids.space)).await;
        sent(
            c.sam
                .post(&format!("{}/counsellor/end", ids.space), &[])
                .await,
            "end",
        )
        .await;
        let revoked = persona(Who::CounsellorRevoked, robin.clone()).await;
        for route in &routes {
            if ends_session(&revoked, route) {
                continue;
            }
            if route.method == Method::Post && route.kind == Kind::Own {
                continue;
            }
            let fields = route.fields.clone();
            check(&revoked, route, &fields).await;
        }
        assert_eq!(snapshot(&c, &routes).await, before);

        // The partners' own round, as it answers today.
        let expected = |round: &[(&str, u16)]| -> Vec<(String, u16)> {
            round.iter().map(|(r, s)| ((*r).to_owned(), *s)).collect()
        };
        assert_eq!(
            partners_round(&c, &routes, Who::Partner).await,
            expected(&PARTNER_ROUND),
            "Sam's round"
        );
        assert_eq!(
            partners_round(&c, &routes, Who::Myself).await,
            expected(&SELF_ROUND),
            "Alex's round"
        );

        // Last, the quick exit ends every session it is sent from, and shows nothing.
        let exit = routes
            .iter()
            .find(|r| r.template == "/exit")
            .expect("the quick exit");
        for (who, browser) in [
            (Who::OtherPartner, &other.alex),
            (Who::Partner, &c.sam),
            (Who::Myself, &c.alex),
            (Who::CounsellorRevoked, &robin),
        ] {
            let p = persona(who, browser.clone()).await;
            assert_eq!(check(&p, exit, &[]).await, StatusCode::SEE_OTHER);
            assert!(browser
                .get("/home")
                .await
                .location()
                .unwrap_or("")
                .starts_with("/login"));
        }
    })
    .await;
}

/// The route table as routes/mod.rs writes it: each path (a literal, or one of the four named
/// constants) with the methods its handlers answer.
fn route_table() -> Vec<String> {
    const TABLE: &str = include_str!("../src/routes/mod.rs");
    let named = [
        ("LEFT", "/left"),
        ("HEALTH", "/healthz"),
        ("LEAVE", "/safety/leave"),
        ("departures::DELETED", "/account/deleted"),
    ];
    let mut table = Vec::new();
    for chunk in TABLE.split(".route(").skip(1) {
        let chunk = chunk.trim_start();
        let (path, rest) = match chunk.strip_prefix('"') {
            Some(quoted) => match quoted.split_once('"') {
                Some((path, rest)) => (path.to_owned(), rest),
                None => continue,
            },
            None => {
                let name = chunk.split(',').next().unwrap_or_default().trim();
                match named.iter().find(|(n, _)| *n == name) {
                    Some((_, path)) => ((*path).to_owned(), chunk),
                    None => panic!("a route path named {name} this test does not know"),
                }
            }
        };
        // The handlers up to the end of this `.route(...)`: the next `)` at depth zero.
        let mut depth = 1;
        let end = rest
            .char_indices()
            .find(|(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(rest.len(), |(i, _)| i);
        let handlers = &rest[..end];
        if handlers.contains("get(") {
            table.push(format!("GET {path}"));
        }
        if handlers.contains("post(") {
            table.push(format!("POST {path}"));
        }
    }
    table
}

#[test]
fn the_matrix_covers_every_route_in_the_table() {
    let table = route_table();
    assert!(table.len() > 100, "the table was read: {}", table.len());
    let covered: Vec<String> = routes(&Ids::default())
        .iter()
        .map(|r| {
            let method = if r.method == Method::Get {
                "GET"
            } else {
                "POST"
            };
            format!("{method} {}", r.template)
        })
        .collect();
    let missing: Vec<&String> = table.iter().filter(|r| !covered.contains(r)).collect();
    assert!(
        missing.is_empty(),
        "routes the matrix does not try: {missing:?}"
    );
}
