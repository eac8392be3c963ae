//! The hurt partner's evidence log over HTTP on every backend: private by default, shared
//! entry by entry, and closed to the repairing partner's writing.

use mend_testkit::{breach_form, on_each_backend, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn the_log_is_private_until_an_entry_is_shared() {
    on_each_backend(|app: TestApp| async move {
        let c = app.couple().await;
        let (alex, sam) = (c.alex, c.sam);
        let form = breach_form("partner", "financial", "No secret debts.", "found_out");
        let journey = sam.record_breach(&c.space, &form).await;
        let log = format!("{journey}/evidence");

        sam.get(&log).await;
        let fields = [
            ("moment", "built"),
            ("text", "He showed me the statement without being asked."),
        ];
        assert_eq!(sam.post(&log, &fields).await.status, StatusCode::SEE_OTHER);
        sam.post(
            &log,
            &[("moment", "shook"), ("text", "He was vague about Friday.")],
        )
        .await;
        let mine = sam.get(&log).await;
        assert_eq!(
            mine.body.matches("Private: only you can see this.").count(),
            2
        );

        let theirs = alex.get(&log).await;
        assert_eq!(theirs.status, StatusCode::OK);
        assert!(theirs.contains("Your partner hasn&#39;t shared anything from their log."));
        assert!(!theirs.contains("statement") && !theirs.contains("Friday"));
        assert_eq!(alex.post(&log, &fields).await.status, StatusCode::FORBIDDEN);

        // Newest first: the first moment kept is the last one listed.
        let entry = mine.ids_of("evidence").pop().expect("an entry");
        let share = format!("{log}/{entry}/share");
        alex.get(&log).await;
        assert_eq!(alex.press(&share).await, StatusCode::FORBIDDEN);
        sam.get(&log).await;
        assert_eq!(sam.press(&share).await, StatusCode::SEE_OTHER);
        assert_eq!(
            sam.press(&share).await,
            StatusCode::SEE_OTHER,
            "twice is once"
        );
        let shared = alex.get(&log).await;
        assert!(shared.contains("He showed me the statement without being asked."));
        assert!(!shared.contains("Friday"), "the other entry stays private");

        // Taken back: private again, and only the keeper can do it.
        let unshare = format!("{log}/{entry}/unshare");
        assert_eq!(alex.press(&unshare).await, StatusCode::FORBIDDEN);
        sam.get(&log).await;
        assert_eq!(sam.press(&unshare).await, StatusCode::SEE_OTHER);
        assert_eq!(
            sam.press(&unshare).await,
            StatusCode::SEE_OTHER,
            "twice is once"
        );
        assert!(!alex
            .get(&log)
            .await
            .contains("He showed me the statement without being asked."));
        let mine = sam.get(&log).await;
        assert!(mine.contains("He showed me the statement without being asked."));
        assert!(mine.contains("Share with my partner"));
        // And shared once more, readable again by the partner.
        sam.press(&share).await;
        assert!(alex
            .get(&log)
            .await
            .contains("He showed me the statement without being asked."));

        // Bad input changes nothing.
        assert_eq!(
            sam.post(&log, &[("moment", "built"), ("text", " ")])
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            sam.post(&log, &[("text", "No moment given")]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let long = "a".repeat(5001);
        assert_eq!(
            sam.post(&log, &[("moment", "shook"), ("text", long.as_str())])
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let unknown = format!("{log}/{}/share", mend_core::EvidenceId::new());
        assert_eq!(sam.press(&unknown).await, StatusCode::NOT_FOUND);
        assert_eq!(sam.get(&log).await.ids_of("evidence").len(), 2);
    })
    .await;
}
