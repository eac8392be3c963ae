//! Rhythms come due on the chooser's own dashboard only: the repairing partner's recommitment
//! once a period has passed since the intention or the last recommitment, the hurt partner's
//! check-in prompt once their chosen period has passed. Earlier times are written straight to
//! the store, since a test cannot wait a week.

use mend_core::store::prelude::*;
use mend_core::store::{CheckInRecord, EntryRecord};
use mend_core::{
    BreachId, CheckInId, Duration, EntryId, EntryKind, EntryState, SpaceId, Timestamp, Trust,
};
use mend_testkit::{breach_form, on_each_backend, TestApp};

fn ids(journey: &str) -> (SpaceId, BreachId) {
    let parts: Vec<&str> = journey.split('/').collect();
    (parts[2].parse().unwrap(), parts[4].parse().unwrap())
}

fn days_ago(days: i64) -> Timestamp {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    Timestamp(now) - Duration::days(days)
}

/// An intention the repairing partner sent `days` ago.
async fn an_old_intention(app: &TestApp, journey: &str, days: i64) {
    let (space, breach) = ids(journey);
    let record = app.store.space(space).await.unwrap().unwrap();
    let key = app
        .server_key()
        .unwrap_key(space.0, &record.wrapped_key)
        .unwrap();
    let repairing = app
        .store
        .breach(space, breach)
        .await
        .unwrap()
        .unwrap()
        .repairing;
    let id = EntryId::new();
    let at = days_ago(days);
    app.store
        .send_entry(EntryRecord {
            id,
            breach,
            kind: EntryKind::Intention,
            author: repairing,
            body: Some(key.seal(id.0, "entry.body", "I do this because I love you.")),
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
}

#[tokio::test]
async fn recommitment_comes_due_for_the_repairing_partner_only() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "lie", "We tell each other the truth.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let due = "Time to recommit to your intention";

        an_old_intention(&app, &journey, 3).await;
        assert!(!c.alex.get(&c.space).await.contains(due), "weekly: not yet");
        an_old_intention(&app, &journey, 8).await;
        assert!(c.alex.get(&c.space).await.contains(due));
        assert!(
            !c.sam.get(&c.space).await.contains(due),
            "never shown to the hurt partner"
        );

        let recommit = format!("{journey}/recommit");
        let entry = c.alex.get(&recommit).await.field("entry").unwrap();
        c.alex
            .post(
                &format!("{recommit}/send"),
                &[
                    ("entry", &entry),
                    ("text", "I recommit; I kept every evening call."),
                ],
            )
            .await;
        assert!(
            !c.alex.get(&c.space).await.contains(due),
            "done for this period"
        );
    })
    .await;
}

#[tokio::test]
async fn the_check_in_prompt_follows_the_hurt_partners_rhythm() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "lie", "We tell each other the truth.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let prompt = "A trust check-in, at the rhythm you chose";
        let (space, breach) = ids(&journey);
        let hurt = app.store.breach(space, breach).await.unwrap().unwrap().hurt;
        app.store
            .create_check_in(CheckInRecord {
                id: CheckInId::new(),
                breach,
                person: hurt,
                trust: Trust::parse("3").unwrap(),
                note: None,
                created_at: days_ago(2),
            })
            .await
            .unwrap();
        assert!(
            !c.sam.get(&c.space).await.contains(prompt),
            "no rhythm chosen: no prompt"
        );
        c.sam.get(&format!("{journey}/patience")).await;
        c.sam
            .post(
                &format!("{journey}/choices"),
                &[("change", "check_in_rhythm"), ("rhythm", "daily")],
            )
            .await;
        assert!(c.sam.get(&c.space).await.contains(prompt));
        assert!(!c.alex.get(&c.space).await.contains(prompt));
        c.sam.get(&format!("{journey}/patience")).await;
        c.sam
            .post(&format!("{journey}/patience"), &[("trust", "5")])
            .await;
        assert!(!c.sam.get(&c.space).await.contains(prompt));
    })
    .await;
}
