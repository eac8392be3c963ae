//! Breaches, their areas, the partners' choices, and last visits.

use mend_core::store::prelude::*;
use mend_core::Timestamp;

use crate::{breach, couple, each_backend, invite, space};

#[tokio::test]
async fn a_breach_starts_its_journey_and_areas_change_only_from_where_they_stand() {
    use mend_core::store::BreachRecord;
    use mend_core::{Area, AreaStatus, BreachId};
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let other_space = space(&db, sam).await;
        let id = BreachId::new();
        let initial: Vec<_> = Area::ALL.iter().map(|a| (*a, a.initial_status())).collect();
        db.create_breach(
            BreachRecord {
                id,
                space: space_id,
                hurt: sam,
                repairing: alex,
                opened_by: alex,
                details: key.seal(id.0, "breach.details", "{}"),
                created_at: Timestamp(5),
                state: Default::default(),
            },
            &initial,
        )
        .await
        .unwrap();
        assert_eq!(db.breaches(space_id).await.unwrap().len(), 1);
        assert!(db.breaches(other_space).await.unwrap().is_empty());
        assert!(
            db.breach(other_space, id).await.unwrap().is_none(),
            "only through its own space"
        );
        let found = db.breach(space_id, id).await.unwrap().unwrap();
        assert_eq!((found.hurt, found.repairing), (sam, alex));

        let areas = db.areas(id).await.unwrap();
        assert_eq!(
            areas.iter().map(|a| a.area).collect::<Vec<_>>(),
            Area::ALL.to_vec()
        );
        assert_eq!(areas[0].status, AreaStatus::InProgress);
        assert!(db
            .change_area(
                id,
                Area::Acknowledge,
                AreaStatus::InProgress,
                AreaStatus::Done,
                sam,
                Timestamp(9)
            )
            .await
            .unwrap());
        assert!(
            !db.change_area(
                id,
                Area::Acknowledge,
                AreaStatus::InProgress,
                AreaStatus::Done,
                sam,
                Timestamp(10)
            )
            .await
            .unwrap(),
            "a second identical change finds nothing to change"
        );
        let areas = db.areas(id).await.unwrap();
        assert_eq!(
            (areas[0].status, areas[0].changed_at),
            (AreaStatus::Done, Timestamp(9))
        );

        let same_person = BreachRecord {
            id: BreachId::new(),
            space: space_id,
            hurt: alex,
            repairing: alex,
            opened_by: alex,
            details: key.seal(id.0, "breach.details", "{}"),
            created_at: Timestamp(6),
            state: Default::default(),
        };
        assert!(db.create_breach(same_person, &initial).await.is_err());
        assert_eq!(db.breaches(space_id).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn last_visits_are_remembered_per_person_journey_and_section() {
    each_backend(|db| async move {
        let (alex, sam, space_id, _) = couple(&db).await;
        let code = invite(&db, space_id, alex, "code", 1_000).await;
        db.accept_invite(code, sam, Timestamp(1)).await.unwrap();
        let breach = breach(&db, space_id, sam, alex).await;
        assert_eq!(db.last_seen(sam, breach, "questions").await.unwrap(), None);
        db.mark_seen(sam, breach, "questions", Timestamp(5))
            .await
            .unwrap();
        db.mark_seen(sam, breach, "questions", Timestamp(9))
            .await
            .unwrap();
        assert_eq!(
            db.last_seen(sam, breach, "questions").await.unwrap(),
            Some(Timestamp(9))
        );
        assert_eq!(
            db.last_seen(sam, breach, "acknowledge").await.unwrap(),
            None
        );
        assert_eq!(db.last_seen(alex, breach, "questions").await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn journey_choices_change_once_and_nothing_changes_after_the_end() {
    use mend_core::{Ending, JourneyChange, Rhythm};
    each_backend(|db| async move {
        let (alex, sam, space_id, _) = couple(&db).await;
        let journey = breach(&db, space_id, sam, alex).await;
        let fresh = db.breach(space_id, journey).await.unwrap().unwrap().state;
        assert_eq!(fresh, mend_core::JourneyState::default());
        assert_eq!(fresh.recommit_rhythm, Rhythm::Weekly);

        let change = |c| db.change_journey(journey, c, sam, Timestamp(50));
        assert!(change(JourneyChange::MuteReassurance).await.unwrap());
        assert!(
            !change(JourneyChange::MuteReassurance).await.unwrap(),
            "once"
        );
        assert!(change(JourneyChange::CheckInRhythm(Some(Rhythm::Daily)))
            .await
            .unwrap());
        assert!(change(JourneyChange::RecommitRhythm(Rhythm::Monthly))
            .await
            .unwrap());
        assert!(change(JourneyChange::OpenMySide).await.unwrap());
        assert!(!change(JourneyChange::OpenMySide).await.unwrap());
        assert!(change(JourneyChange::OpenContext).await.unwrap());
        assert!(
            !change(JourneyChange::AgreeClosing).await.unwrap(),
            "nothing proposed"
        );
        assert!(change(JourneyChange::ProposeClosing).await.unwrap());
        let s = db.breach(space_id, journey).await.unwrap().unwrap().state;
        assert_eq!(s.reassurance_muted_at, Some(Timestamp(50)));
        assert_eq!(s.check_in_rhythm, Some(Rhythm::Daily));
        assert_eq!(s.recommit_rhythm, Rhythm::Monthly);
        assert_eq!(s.my_side_opened_at, Some(Timestamp(50)));
        assert_eq!(s.context_opened_at, Some(Timestamp(50)));
        assert_eq!(s.closing_proposed_at, Some(Timestamp(50)));
        assert!(change(JourneyChange::UnmuteReassurance).await.unwrap());
        assert!(change(JourneyChange::CheckInRhythm(None)).await.unwrap());
        let s = db.breach(space_id, journey).await.unwrap().unwrap().state;
        assert_eq!((s.reassurance_muted_at, s.check_in_rhythm), (None, None));

        assert!(db
            .change_journey(journey, JourneyChange::AgreeClosing, alex, Timestamp(60))
            .await
            .unwrap());
        let ended = db
            .breach(space_id, journey)
            .await
            .unwrap()
            .unwrap()
            .state
            .ended
            .unwrap();
        assert_eq!(
            (ended.how, ended.by, ended.at),
            (Ending::ClosedChapter, alex, Timestamp(60))
        );
        for c in [
            JourneyChange::PartWithCare,
            JourneyChange::MuteReassurance,
            JourneyChange::WithdrawClosing,
            JourneyChange::RecommitRhythm(Rhythm::Daily),
        ] {
            assert!(!change(c).await.unwrap(), "{c:?} after the end");
        }
        assert_eq!(
            db.breach(space_id, journey)
                .await
                .unwrap()
                .unwrap()
                .state
                .ended
                .unwrap()
                .how,
            Ending::ClosedChapter
        );

        let other = breach(&db, space_id, sam, alex).await;
        assert!(db
            .change_journey(other, JourneyChange::PartWithCare, sam, Timestamp(70))
            .await
            .unwrap());
        let s = db.breach(space_id, other).await.unwrap().unwrap().state;
        assert_eq!(s.ended.unwrap().how, Ending::PartedWithCare);
    })
    .await;
}
