//! The safety check, spaces and invitations, over HTTP on every backend.

use mend_core::store::prelude::*;
use mend_core::store::NewInvite;
use mend_core::{InviteId, SpaceId, Timestamp};
use mend_testkit::{breach_form, on_each_backend, Browser, TestApp};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

/// Signs up Alex, who creates a space; returns the browser and the space's path.
async fn alex_with_a_space(app: &TestApp) -> (Browser, String) {
    let alex = app.browser();
    alex.sign_up_safe("Alex", "alex@example.org", PASSWORD)
        .await;
    alex.get("/home").await;
    let created = alex.post("/spaces", &[]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let space = created.location().unwrap().to_owned();
    assert!(space.starts_with("/spaces/"));
    (alex, space)
}

/// Creates an invitation from the space page and returns its link.
async fn invite_link(browser: &Browser, space: &str) -> String {
    browser.get(space).await;
    let page = browser.submit(&format!("{space}/invites"), &[]).await;
    page.value_of("invite-link-1")
        .expect("the space page shows the link")
}

fn path_of(app: &TestApp, link: &str) -> String {
    link.strip_prefix(&app.base)
        .expect("a link to this server")
        .to_owned()
}

#[tokio::test]
async fn two_partners_join_one_space_and_see_each_others_names() {
    on_each_backend(|app| async move {
        let (alex, space) = alex_with_a_space(&app).await;
        let page = alex.visit(&space).await;
        assert!(page.contains("Your partner hasn&#39;t joined yet."));
        assert!(page.contains("No journey has started yet."));
        let link = invite_link(&alex, &space).await;
        assert!(link.starts_with(&format!("{}/invite/", app.base)));
        let code = link.rsplit('/').next().unwrap();
        assert_eq!(code.len(), 22, "128 random bits");

        let sam = app.browser();
        let invite = sam.get(&path_of(&app, &link)).await;
        assert_eq!(invite.status, StatusCode::OK);
        assert!(invite.contains("You&#39;re invited to Mend"));
        assert!(
            !invite.contains("Alex"),
            "no name is shown before logging in"
        );
        let next = format!("/invite/{code}");
        let safety = sam
            .sign_up("Sam", "sam@example.org", PASSWORD, Some(&next))
            .await;
        assert!(safety.contains("A private check before you begin"));
        let join = sam.answer_safety_on(&safety, "no").await;
        assert!(join.contains("Join Alex&#39;s space"), "{}", join.body);
        let joined = sam.submit(&next, &[]).await;
        assert!(joined.contains("You share this space with Alex."));

        assert!(alex
            .visit(&space)
            .await
            .contains("You share this space with Sam."));
        // Both log out and back in, and land in the same space.
        sam.post("/logout", &[]).await;
        let back = sam.log_in("sam@example.org", PASSWORD).await;
        assert!(back.contains("You share this space with Alex."));
    })
    .await;
}

#[tokio::test]
async fn creating_a_space_waits_for_the_safety_check_and_happens_once() {
    on_each_backend(|app| async move {
        let alex = app.browser();
        alex.sign_up("Alex", "alex@example.org", PASSWORD, None)
            .await;
        let early = alex.post("/spaces", &[]).await;
        assert_eq!(early.location(), Some("/safety"));
        assert!(app
            .store
            .membership_of(person_id(&app, "alex@example.org").await)
            .await
            .unwrap()
            .is_none());

        alex.answer_safety("no").await;
        let first = alex.post("/spaces", &[]).await;
        let second = alex.post("/spaces", &[]).await;
        assert_eq!(
            second.location(),
            Some("/home"),
            "a double submit changes nothing"
        );
        let home = alex.get("/home").await;
        assert_eq!(home.location(), first.location());
    })
    .await;
}

async fn person_id(app: &TestApp, email: &str) -> mend_core::PersonId {
    let key = app.server_key();
    app.store
        .person_by_email(&key.lookup_hash("email", email.as_bytes()))
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn a_worrying_answer_leads_to_support_and_stays_private() {
    on_each_backend(|app| async move {
        let (alex, space) = alex_with_a_space(&app).await;
        let link = invite_link(&alex, &space).await;
        let sam = app.browser();
        let code_path = path_of(&app, &link);
        sam.sign_up("Sam", "sam@example.org", PASSWORD, Some(&code_path))
            .await;

        // Incomplete answers are asked again.
        let partial = sam.post("/safety", &[("afraid", "no")]).await;
        assert_eq!(partial.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(partial.contains("Please answer each question"));

        let support = sam.answer_safety("not_sure").await;
        assert!(
            support.contains("couples work")
                || support.contains("Working on a relationship together can be unsafe")
        );
        assert!(support.contains("Where to find help"));
        // Until they choose to go on, joining is held back by the check.
        assert_eq!(
            sam.get(&code_path).await.location(),
            Some(format!("/safety?next={code_path}").as_str())
        );

        // Pausing logs out; logging back in returns to the support page, not the questions.
        let paused = sam.post("/safety/pause", &[]).await;
        assert!(paused.contains("You have paused"));
        let back = sam.log_in("sam@example.org", PASSWORD).await;
        assert!(back.contains("Thank you for answering honestly"));

        let onward = sam
            .submit("/safety/continue", &[("next", code_path.as_str())])
            .await;
        assert!(onward.contains("Join Alex&#39;s space"));
        sam.submit(&code_path, &[]).await;

        // Nothing of it reaches Alex, and the stored answers are sealed.
        let alex_view = alex.visit(&space).await;
        assert!(alex_view.contains("You share this space with Sam."));
        for word in ["safety", "support", "not sure", "paused"] {
            assert!(!alex_view.body.to_lowercase().contains(word), "{word}");
        }
        let sealed = app
            .store
            .safety_answers(person_id(&app, "sam@example.org").await)
            .await
            .unwrap()
            .unwrap();
        assert!(!String::from_utf8_lossy(sealed.as_bytes()).contains("not_sure"));
    })
    .await;
}

#[tokio::test]
async fn leaving_quietly_logs_out_and_goes_to_the_neutral_page() {
    on_each_backend(|app| async move {
        let sam = app.browser();
        sam.sign_up("Sam", "sam@example.org", PASSWORD, None).await;
        sam.answer_safety("yes").await;
        let away = sam.post("/safety/leave", &[]).await;
        assert_eq!(away.status, StatusCode::SEE_OTHER);
        // Through a page of Mend's own: a form may not redirect to another site.
        assert_eq!(away.location(), Some("/left"));
        assert!(away.header("set-cookie").unwrap().contains("Max-Age=0"));
        assert!(sam
            .get("/left")
            .await
            .contains("href=\"https://www.wikipedia.org/\""));
        assert_eq!(sam.get("/home").await.status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn refused_invitations_each_explain_themselves_and_change_nothing() {
    on_each_backend(|app| async move {
        let (alex, space) = alex_with_a_space(&app).await;
        let link = invite_link(&alex, &space).await;
        let code_path = path_of(&app, &link);

        // Unknown and malformed codes.
        let unknown = app.browser().get("/invite/AAAAAAAAAAAAAAAAAAAAAA").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert!(unknown.contains("This invitation link doesn&#39;t work"));
        assert_eq!(
            app.browser().get("/invite/%3Cscript%3E").await.status,
            StatusCode::NOT_FOUND
        );

        // One's own invitation.
        let own = alex.get(&code_path).await;
        assert_eq!(own.status, StatusCode::CONFLICT);
        assert!(own.contains("This is your own invitation"));
        assert_eq!(
            alex.post(&code_path, &[]).await.status,
            StatusCode::CONFLICT
        );

        // Someone who already has a space of their own.
        let other = app.browser();
        other
            .sign_up_safe("Robin", "robin@example.org", PASSWORD)
            .await;
        other.get("/home").await;
        other.post("/spaces", &[]).await;
        let already = other.get(&code_path).await;
        assert_eq!(already.status, StatusCode::CONFLICT);
        assert!(already.contains("You already belong to a space"));

        // Sam joins; the link is then used, and a third person finds the space full.
        let sam = app.browser();
        sam.sign_up_safe("Sam", "sam@example.org", PASSWORD).await;
        sam.get(&code_path).await;
        assert_eq!(
            sam.post(&code_path, &[]).await.status,
            StatusCode::SEE_OTHER
        );
        let twice = sam.post(&code_path, &[]).await;
        assert_eq!(
            twice.status,
            StatusCode::GONE,
            "a double submit changes nothing"
        );
        let third = app.browser();
        third.sign_up_safe("Kim", "kim@example.org", PASSWORD).await;
        let used = third.get(&code_path).await;
        assert_eq!(used.status, StatusCode::GONE);
        assert!(used.contains("already been used"));
        let full = alex.post(&format!("{space}/invites"), &[]).await;
        assert_eq!(full.status, StatusCode::CONFLICT);
        assert!(full.contains("already has two people"));
        assert!(app
            .store
            .membership_of(person_id(&app, "kim@example.org").await)
            .await
            .unwrap()
            .is_none());
    })
    .await;
}

#[tokio::test]
async fn expired_and_withdrawn_invitations_are_refused() {
    on_each_backend(|app| async move {
        let (alex, space) = alex_with_a_space(&app).await;
        let space_id: SpaceId = space.trim_start_matches("/spaces/").parse().unwrap();

        // An invitation that ran out, written straight to the store.
        let key = app.server_key();
        let record = app.store.space(space_id).await.unwrap().unwrap();
        let space_key = key.unwrap_key(space_id.0, &record.wrapped_key).unwrap();
        let id = InviteId::new();
        let code = "BBBBBBBBBBBBBBBBBBBBBB";
        app.store
            .create_invite(NewInvite {
                id,
                space: space_id,
                created_by: person_id(&app, "alex@example.org").await,
                code_lookup: key.lookup_hash("invite", code.as_bytes()),
                code: space_key.seal(id.0, "invite.code", code),
                created_at: Timestamp(1),
                expires_at: Timestamp(2),
            })
            .await
            .unwrap();
        let sam = app.browser();
        sam.sign_up_safe("Sam", "sam@example.org", PASSWORD).await;
        let expired = sam.get(&format!("/invite/{code}")).await;
        assert_eq!(expired.status, StatusCode::GONE);
        assert!(expired.contains("This invitation has expired"));
        let expired_logged_out = app.browser().get(&format!("/invite/{code}")).await;
        assert_eq!(expired_logged_out.status, StatusCode::GONE);

        // A withdrawn one; only its creator may withdraw it.
        let link = invite_link(&alex, &space).await;
        let page = alex.get(&space).await;
        let revoke_action = page
            .body
            .split("action=\"")
            .find(|s| s.contains("/revoke"))
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        assert_eq!(
            sam.post(&revoke_action, &[]).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            alex.post(&revoke_action, &[]).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            alex.post(&revoke_action, &[]).await.status,
            StatusCode::NOT_FOUND,
            "only once"
        );
        let withdrawn = sam.get(&path_of(&app, &link)).await;
        assert_eq!(withdrawn.status, StatusCode::GONE);
        assert!(withdrawn.contains("This invitation was withdrawn"));
        assert_eq!(
            sam.post(&path_of(&app, &link), &[]).await.status,
            StatusCode::GONE
        );
        assert!(app
            .store
            .membership_of(person_id(&app, "sam@example.org").await)
            .await
            .unwrap()
            .is_none());
    })
    .await;
}

#[tokio::test]
async fn another_couples_space_is_not_found_exactly_like_no_space() {
    on_each_backend(|app| async move {
        let (_alex, space) = alex_with_a_space(&app).await;
        let robin = app.browser();
        robin
            .sign_up_safe("Robin", "robin@example.org", PASSWORD)
            .await;
        robin.get("/home").await;
        let robins_space = robin
            .post("/spaces", &[])
            .await
            .location()
            .unwrap()
            .to_owned();

        let theirs = robin.get(&space).await;
        let nobodys = robin.get(&format!("/spaces/{}", SpaceId::new())).await;
        let nonsense = robin.get("/spaces/not-a-uuid").await;
        for page in [&theirs, &nobodys, &nonsense] {
            assert_eq!(page.status, StatusCode::NOT_FOUND);
            assert!(page.contains("We couldn&#39;t find that page"));
        }
        assert_eq!(theirs.body, nobodys.body, "nothing tells the two apart");
        assert_eq!(
            robin.post(&format!("{space}/invites"), &[]).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            robin
                .post(&format!("{space}/invites/{}/revoke", InviteId::new()), &[])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(robin.get(&robins_space).await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn the_dashboard_lists_what_waits_in_each_journey_with_its_own_counts() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let affair = c
            .alex
            .record_breach(
                &c.space,
                &breach_form("me", "affair", "We are faithful to each other.", "told"),
            )
            .await;
        let lie = c
            .alex
            .record_breach(
                &c.space,
                &breach_form("me", "lie", "We tell the truth.", "told"),
            )
            .await;
        for (journey, text) in [
            (&affair, "Who else knew?"),
            (&lie, "Why did you hide it?"),
            (&affair, "When did it start?"),
        ] {
            let questions = format!("{journey}/questions");
            let asked = c.sam.post(&questions, &[("text", text)]).await;
            assert_eq!(asked.status, StatusCode::SEE_OTHER);
        }
        let item = |journey: &str, place: &str, text: &str| {
            format!("<a href=\"{journey}/{place}\">{text}</a>")
        };
        let dashboard = c.alex.get(&c.space).await;
        for expected in [
            item(
                &affair,
                "acknowledge",
                "Your acknowledgement of what happened (An affair).",
            ),
            item(
                &affair,
                "questions",
                "2 questions are waiting for your answer (An affair); the oldest first.",
            ),
            item(
                &lie,
                "acknowledge",
                "Your acknowledgement of what happened (A lie).",
            ),
            item(
                &lie,
                "questions",
                "1 question is waiting for your answer (A lie).",
            ),
        ] {
            assert!(dashboard.contains(&expected), "{expected}");
        }
        assert!(c
            .sam
            .get(&c.space)
            .await
            .contains("Nothing is waiting for you right now."));
    })
    .await;
}
