//! Reassurance notes and recommitment over HTTP on every backend: the hurt partner can mute
//! notes, the repairing partner chooses their own recommitment rhythm, and neither becomes a
//! message to the other partner.

use mend_testkit::{breach_form, on_each_backend};
use reqwest::StatusCode;

#[tokio::test]
async fn the_hurt_partner_mutes_and_unmutes_reassurance_notes() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "affair", "We are faithful to each other.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let notes = format!("{journey}/reassurance");
        let choices = format!("{journey}/choices");
        let (alex, sam) = (c.alex, c.sam);

        let page = alex.get(&notes).await;
        assert!(page.contains("name=\"mode\" value=\"reassurance\""));
        let entry = page.field("entry").unwrap();
        let pushy = alex
            .post(
                &format!("{notes}/draft"),
                &[("entry", &entry), ("text", "It's been months, let it go.")],
            )
            .await;
        assert_eq!(pushy.status, StatusCode::SEE_OTHER);
        assert!(
            alex.get(&notes).await.contains("<mark id=\"mark-"),
            "the coach flags pressure to move on"
        );
        let text = "I am here, today and tomorrow. Take all the time you need.";
        assert_eq!(
            alex.post(
                &format!("{notes}/send"),
                &[("entry", &entry), ("text", text)]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let page = sam.get(&notes).await;
        assert!(page.contains(text));
        assert!(page.contains("Mute reassurance notes"));
        assert!(
            !page.contains("id=\"draft\""),
            "the hurt partner writes no notes"
        );

        assert_eq!(
            alex.post(&choices, &[("change", "mute_reassurance")])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "muting is the hurt partner's choice"
        );
        assert_eq!(
            sam.post(
                &choices,
                &[("change", "mute_reassurance"), ("back", "reassurance")]
            )
            .await
            .location(),
            Some(notes.as_str())
        );
        let page = alex.get(&notes).await;
        assert!(page.contains("Your partner has paused reassurance notes for now."));
        let entry = page.field("entry").unwrap();
        let held = alex
            .post(
                &format!("{notes}/send"),
                &[("entry", &entry), ("text", "Thinking of you.")],
            )
            .await;
        assert_eq!(held.status, StatusCode::CONFLICT);
        assert!(held.contains("paused reassurance notes"));
        assert!(held.contains("Thinking of you."), "kept as a draft");
        assert!(!sam.get(&notes).await.contains("Thinking of you."));

        assert_eq!(
            sam.post(&choices, &[("change", "unmute_reassurance")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let page = alex.get(&notes).await;
        let entry = page.field("entry").unwrap();
        assert_eq!(
            alex.post(
                &format!("{notes}/send"),
                &[("entry", &entry), ("text", "Thinking of you.")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        assert!(sam.get(&notes).await.contains("Thinking of you."));
    })
    .await;
}

#[tokio::test]
async fn recommitment_runs_on_the_repairing_partners_rhythm_and_is_shown_only_to_them() {
    on_each_backend(|app| async move {
        let c = app.couple().await;
        let form = breach_form("me", "lie", "We tell each other the truth.", "told");
        let journey = c.alex.record_breach(&c.space, &form).await;
        let recommit = format!("{journey}/recommit");
        let choices = format!("{journey}/choices");
        let (alex, sam) = (c.alex, c.sam);

        let page = alex.get(&recommit).await;
        assert!(
            page.contains("value=\"weekly\" checked"),
            "weekly by default"
        );
        assert_eq!(
            alex.post(
                &choices,
                &[("change", "recommit_rhythm"), ("rhythm", "fortnightly")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        assert!(alex
            .get(&recommit)
            .await
            .contains("value=\"fortnightly\" checked"));
        assert_eq!(
            alex.post(
                &choices,
                &[("change", "recommit_rhythm"), ("rhythm", "hourly")]
            )
            .await
            .status,
            StatusCode::BAD_REQUEST
        );
        sam.get(&recommit).await;
        assert_eq!(
            sam.post(
                &choices,
                &[("change", "recommit_rhythm"), ("rhythm", "daily")]
            )
            .await
            .status,
            StatusCode::FORBIDDEN,
            "the rhythm is the repairing partner's"
        );
        assert!(!sam
            .get(&recommit)
            .await
            .contains("How often do you want to be reminded?"));

        let page = alex.get(&recommit).await;
        let entry = page.field("entry").unwrap();
        let text = "I recommit. This week I told you each evening where I had been.";
        assert_eq!(
            alex.post(
                &format!("{recommit}/send"),
                &[("entry", &entry), ("text", text)]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        assert!(sam.get(&recommit).await.contains(text));
        // Nothing is due before an intention exists and a period has passed.
        assert!(!alex.get(&c.space).await.contains("Time to recommit"));
        assert!(!sam.get(&c.space).await.contains("Time to recommit"));

        // The check-in rhythm is the hurt partner's, and "whenever I want" is a choice too.
        let patience = format!("{journey}/patience");
        assert!(sam
            .get(&patience)
            .await
            .contains("value=\"whenever\" checked"));
        assert_eq!(
            sam.post(
                &choices,
                &[("change", "check_in_rhythm"), ("rhythm", "weekly")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let page = sam.get(&patience).await;
        assert!(page.contains("value=\"weekly\" checked"));
        assert!(page.contains("Your next check-in is suggested from"));
        assert!(!alex.get(&patience).await.contains("check-in is suggested"));
        assert_eq!(
            alex.post(
                &choices,
                &[("change", "check_in_rhythm"), ("rhythm", "daily")]
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}
