//! Issue 11: what a partner writes for both to read is sealed with their own author key for
//! the space, so destroying it when they leave or delete their account shreds every copy of
//! their shared words. Texts sealed with the space key before author keys existed move to
//! their authors' keys when Mend starts.

use mend_core::store::prelude::*;
use mend_core::store::EntryRecord;
use mend_core::{BreachId, EntryId, EntryKind, EntryState, PersonId, SpaceId, Timestamp};
use mend_crypto::DataKey;
use mend_testkit::{breach_form, on_each_backend, TestApp};

const PASSWORD: &str = "lantern-orchid-gravel-71";

fn ids(journey: &str) -> (SpaceId, BreachId) {
    let parts: Vec<&str> = journey.split('/').collect();
    (parts[2].parse().unwrap(), parts[4].parse().unwrap())
}

async fn person(app: &TestApp, email: &str) -> PersonId {
    let lookup = app.server_key().lookup_hash("email", email.as_bytes());
    app.store
        .person_by_email(&lookup)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn author_key(app: &TestApp, space: SpaceId, person: PersonId) -> Option<DataKey> {
    let keys = app.store.author_keys(space).await.unwrap();
    keys.iter().find(|(p, _)| *p == person).map(|(_, wrapped)| {
        app.server_key()
            .unwrap_author_key(space.0, person.0, wrapped)
            .unwrap()
    })
}

async fn space_key(app: &TestApp, space: SpaceId) -> DataKey {
    let record = app.store.space(space).await.unwrap().unwrap();
    app.server_key()
        .unwrap_key(space.0, &record.wrapped_key)
        .unwrap()
}

#[tokio::test]
async fn each_partner_seals_with_their_own_key_and_leaving_destroys_it() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "lie", "We tell each other the truth.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let (space, breach) = ids(&journey);
        let (alex, sam) = (
            person(&app, "alex@example.org").await,
            person(&app, "sam@example.org").await,
        );
        let questions = format!("{journey}/questions");
        c.sam.get(&questions).await;
        c.sam
            .post(&questions, &[("text", "Where were you that night?")])
            .await;
        let stored = app.store.questions(breach).await.unwrap();
        let question = &stored[0];
        let sealed = question.text.as_ref().unwrap();
        let (sams, alexs) = (
            author_key(&app, space, sam).await.unwrap(),
            author_key(&app, space, alex).await.unwrap(),
        );
        assert_eq!(
            sams.open(question.id.0, "question.text", sealed).unwrap(),
            "Where were you that night?"
        );
        assert!(alexs.open(question.id.0, "question.text", sealed).is_err());
        assert!(space_key(&app, space)
            .await
            .open(question.id.0, "question.text", sealed)
            .is_err());
        assert!(c
            .alex
            .get(&questions)
            .await
            .contains("Where were you that night?"));

        c.sam.get("/account/leave").await;
        let left = c
            .sam
            .post(
                "/account/leave",
                &[("current", PASSWORD), ("confirm", "leave")],
            )
            .await;
        assert!(left.status.is_redirection(), "{:?}", left.status);
        assert!(
            author_key(&app, space, sam).await.is_none(),
            "Sam's key is gone"
        );
        assert!(
            author_key(&app, space, alex).await.is_some(),
            "Alex keeps theirs"
        );
        assert_eq!(
            c.alex.get(&journey).await.status,
            reqwest::StatusCode::OK,
            "the journey stays readable to the one who stays"
        );
    })
    .await;
}

#[tokio::test]
async fn texts_sealed_with_the_space_key_move_to_their_authors_keys_when_mend_starts() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "lie", "We tell each other the truth.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let (space, breach) = ids(&journey);
        let alex = person(&app, "alex@example.org").await;
        // An acknowledgement stored as Mend stored it before author keys: sealed with the
        // space key, in a space not yet moved.
        let words = "I lied to you about the money, again and again.";
        let key = space_key(&app, space).await;
        let id = EntryId::new();
        let at = Timestamp(1_700_000_000_000);
        app.store
            .send_entry(EntryRecord {
                id,
                breach,
                kind: EntryKind::Acknowledgement,
                author: alex,
                body: Some(key.seal(id.0, "entry.body", words)),
                state: EntryState::Sent,
                follows: None,
                created_at: at,
                updated_at: at,
                sent_at: Some(at),
                received_at: None,
                withdrawn_at: None,
                response: None,
                response_note: None,
                responded_at: None,
            })
            .await
            .unwrap();
        let unmoved = "UPDATE spaces SET authors_sealed_at = NULL WHERE id = $1";
        assert_eq!(app.store.execute_for(unmoved, space.0).await.unwrap(), 1);
        let acknowledge = format!("{journey}/acknowledge");
        assert!(
            c.sam.get(&acknowledge).await.contains(words),
            "readable before"
        );

        // A Mend starting on the database moves it, and marks the space.
        let again = app.another_instance(|_| {}).await;
        let body = |entries: Vec<EntryRecord>| {
            entries
                .into_iter()
                .find(|e| e.id == id)
                .and_then(|e| e.body)
                .unwrap()
        };
        let moved = body(
            app.store
                .entries_for(breach, EntryKind::Acknowledgement, alex)
                .await
                .unwrap(),
        );
        assert!(key.open(id.0, "entry.body", &moved).is_err());
        // The space has a new key, which opens the journey's facts; the old one is gone, so
        // a backup taken before the move opens with no later keys file.
        let new_key = space_key(&app, space).await;
        let facts = app
            .store
            .breach(space, breach)
            .await
            .unwrap()
            .unwrap()
            .details;
        assert!(key.open(breach.0, "breach.details", &facts).is_err());
        assert!(new_key.open(breach.0, "breach.details", &facts).is_ok());
        let alexs = author_key(&app, space, alex).await.unwrap();
        assert_eq!(alexs.open(id.0, "entry.body", &moved).unwrap(), words);
        let marked = "SELECT COUNT(*) FROM spaces WHERE id = $1 AND authors_sealed_at IS NOT NULL";
        assert_eq!(app.store.count_for(marked, space.0).await.unwrap(), 1);
        let sam = again.browser();
        sam.log_in("sam@example.org", PASSWORD).await;
        assert!(
            sam.get(&acknowledge).await.contains(words),
            "readable after"
        );
        // The journey's facts stay with the space key: they outlive either partner's words.
        assert_eq!(c.alex.get(&journey).await.status, reqwest::StatusCode::OK);
    })
    .await;
}
