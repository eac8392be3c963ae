//! Each partner's private journal over HTTP on every backend: private by default, shared and
//! taken back entry by entry, deleted by its author, and closed to everyone else.

use mend_testkit::{on_each_backend, TestApp};
use reqwest::StatusCode;

const PASSWORD: &str = "lantern-orchid-gravel-71";

#[tokio::test]
async fn entries_are_private_until_shared_and_gone_from_the_partner_once_taken_back() {
    on_each_backend(|app: TestApp| async move {
        let c = app.couple().await;
        let (alex, sam) = (c.alex, c.sam);
        let journal = format!("{}/journal", c.space);
        assert!(sam
            .get(&c.space)
            .await
            .contains(&format!("href=\"{journal}\"")));

        sam.get(&journal).await;
        let first = [("text", "I keep replaying the drive home.")];
        assert_eq!(
            sam.post(&journal, &first).await.status,
            StatusCode::SEE_OTHER
        );
        let second = [("text", "Tomorrow I want to ask about March.")];
        sam.post(&journal, &second).await;
        let mine = sam.get(&journal).await;
        assert_eq!(
            mine.body
                .matches("Private: only you can read this.")
                .count(),
            2
        );
        let ids = mine.ids_of("journal");
        assert_eq!(ids.len(), 2);
        let (newer, older) = (ids[0].clone(), ids[1].clone());
        assert!(
            mine.body.find("March").unwrap() < mine.body.find("drive home").unwrap(),
            "newest first"
        );

        let theirs = alex.get(&journal).await;
        assert_eq!(theirs.status, StatusCode::OK);
        assert!(theirs.contains("Shared with you by your partner"));
        assert!(theirs.contains("Your partner hasn&#39;t shared anything from their journal."));
        assert!(!theirs.contains("drive home") && !theirs.contains("March"));
        assert!(theirs.ids_of("journal").is_empty());

        // The partner's private entry is indistinguishable from one that never existed.
        for action in ["share", "unshare", "delete"] {
            for id in [older.clone(), mend_core::JournalEntryId::new().to_string()] {
                assert_eq!(
                    alex.press(&format!("{journal}/{id}/{action}")).await,
                    StatusCode::NOT_FOUND
                );
            }
        }

        let share = format!("{journal}/{newer}/share");
        sam.get(&journal).await;
        assert_eq!(sam.press(&share).await, StatusCode::SEE_OTHER);
        assert_eq!(
            sam.press(&share).await,
            StatusCode::SEE_OTHER,
            "twice is once"
        );
        assert!(sam
            .get(&journal)
            .await
            .contains("Shared with your partner <time"));

        let shared = alex.get(&journal).await;
        assert!(shared.contains("Tomorrow I want to ask about March."));
        assert!(shared.contains("Shared with you <time"));
        assert!(shared.contains("New since your last visit"));
        assert!(
            !shared.contains("drive home"),
            "the other entry stays private"
        );
        assert!(!alex
            .get(&journal)
            .await
            .contains("New since your last visit"));

        // A shared entry is still its author's alone to act on.
        for action in ["share", "unshare", "delete"] {
            assert_eq!(
                alex.press(&format!("{journal}/{newer}/{action}")).await,
                StatusCode::FORBIDDEN
            );
        }
        assert!(alex.get(&journal).await.contains("March"));

        let unshare = format!("{journal}/{newer}/unshare");
        sam.get(&journal).await;
        assert_eq!(sam.press(&unshare).await, StatusCode::SEE_OTHER);
        assert_eq!(
            sam.press(&unshare).await,
            StatusCode::SEE_OTHER,
            "twice is once"
        );
        let taken_back = alex.get(&journal).await;
        assert!(!taken_back.contains("March"));
        assert!(taken_back.ids_of("journal").is_empty());
        let mine = sam.get(&journal).await;
        assert!(mine.contains("Tomorrow I want to ask about March."));
        assert_eq!(
            mine.body
                .matches("Private: only you can read this.")
                .count(),
            2
        );

        // Deleting removes a shared entry for both.
        assert_eq!(sam.press(&share).await, StatusCode::SEE_OTHER);
        assert!(alex.get(&journal).await.contains("March"));
        let delete = format!("{journal}/{newer}/delete");
        sam.get(&journal).await;
        assert_eq!(sam.press(&delete).await, StatusCode::SEE_OTHER);
        assert_eq!(sam.press(&delete).await, StatusCode::NOT_FOUND, "gone");
        assert!(!alex.get(&journal).await.contains("March"));
        assert_eq!(sam.get(&journal).await.ids_of("journal"), vec![older]);
    })
    .await;
}

#[tokio::test]
async fn empty_or_oversized_entries_are_refused_and_a_double_submit_keeps_one() {
    on_each_backend(|app: TestApp| async move {
        let c = app.couple().await;
        let sam = c.sam;
        let journal = format!("{}/journal", c.space);
        sam.get(&journal).await;

        for text in ["", "  \n "] {
            let page = sam.post(&journal, &[("text", text)]).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(page.contains("Please write something before keeping the entry."));
        }
        let long = "a".repeat(20_001);
        let page = sam.post(&journal, &[("text", long.as_str())]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("Please keep an entry to 20,000 characters or fewer."));
        assert!(sam.get(&journal).await.ids_of("journal").is_empty());

        let longest = "b".repeat(20_000);
        assert_eq!(
            sam.post(&journal, &[("text", longest.as_str())])
                .await
                .status,
            StatusCode::SEE_OTHER
        );

        let form = sam.get(&journal).await;
        let entry = form.field("entry").unwrap();
        let fields = [
            ("entry", entry.as_str()),
            ("text", "Once, even if sent twice."),
        ];
        assert_eq!(
            sam.post(&journal, &fields).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            sam.post(&journal, &fields).await.status,
            StatusCode::SEE_OTHER
        );
        let page = sam.get(&journal).await;
        assert_eq!(page.ids_of("journal").len(), 2);
        assert_eq!(page.body.matches("Once, even if sent twice.").count(), 1);

        // An old form (a page restored from the browser's cache) with new words keeps them.
        let stale = [
            ("entry", entry.as_str()),
            ("text", "New words on an old page."),
        ];
        assert_eq!(
            sam.post(&journal, &stale).await.status,
            StatusCode::SEE_OTHER
        );
        let page = sam.get(&journal).await;
        assert_eq!(page.ids_of("journal").len(), 3);
        assert!(page.contains("New words on an old page."));
    })
    .await;
}

#[tokio::test]
async fn another_couple_cannot_reach_a_journal_or_its_entries() {
    on_each_backend(|app: TestApp| async move {
        let c = app.couple().await;
        let (alex, sam) = (c.alex, c.sam);
        let journal = format!("{}/journal", c.space);
        sam.get(&journal).await;
        sam.post(
            &journal,
            &[("text", "Only for the two of us, once shared.")],
        )
        .await;
        let sams = sam.get(&journal).await.ids_of("journal").remove(0);
        sam.press(&format!("{journal}/{sams}/share")).await;

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
        let robins_journal = format!("{robins_space}/journal");
        robin.get(&robins_journal).await;
        robin
            .post(&robins_journal, &[("text", "Robin's own page.")])
            .await;
        let robins = robin.get(&robins_journal).await.ids_of("journal").remove(0);

        assert_eq!(robin.get(&journal).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            robin.post(&journal, &[("text", "Let me in.")]).await.status,
            StatusCode::NOT_FOUND
        );
        for action in ["share", "unshare", "delete"] {
            assert_eq!(
                robin.press(&format!("{journal}/{sams}/{action}")).await,
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                robin
                    .press(&format!("{robins_journal}/{sams}/{action}"))
                    .await,
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                alex.press(&format!("{journal}/{robins}/{action}")).await,
                StatusCode::NOT_FOUND
            );
        }
        assert!(!alex.get(&journal).await.contains("Robin"));
        assert!(alex.get(&journal).await.contains("Only for the two of us"));
        assert!(robin
            .get(&robins_journal)
            .await
            .contains("Robin&#39;s own page."));
    })
    .await;
}
