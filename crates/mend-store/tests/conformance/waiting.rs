//! The facts of what waits for whom (issue 12): one query, counts per journey for one person,
//! on both backends — drafts, withdrawn items and one's own never count, a visit to the page
//! at or after an item takes it away, an ended journey and another couple's are not there.

use mend_core::store::prelude::*;
use mend_core::store::{
    AnswerRecord, EntryRecord, Fact, FeelingRecord, JournalEntryRecord, QuestionRecord,
    ReflectionRecord, WaitingFact,
};
use mend_core::waiting::New;
use mend_core::{
    AnswerId, BreachId, EntryId, EntryKind, EntryState, FeelingId, JournalEntryId, JourneyChange,
    PersonId, QuestionId, ReflectionId, Response, Role, Timestamp, Verdict,
};
use mend_crypto::DataKey;
use mend_store::ReadCount;

use crate::{breach, couple, each_backend, invite, person, space};

/// The count of `fact` in `breach` among `facts`; zero when there is no row for it.
fn count(facts: &[WaitingFact], breach: Option<BreachId>, fact: Fact) -> usize {
    facts
        .iter()
        .filter(|f| f.breach == breach && f.fact == fact)
        .map(|f| f.count)
        .sum()
}

fn entry(
    key: &DataKey,
    breach: BreachId,
    kind: EntryKind,
    author: PersonId,
    at: i64,
) -> EntryRecord {
    let id = EntryId::new();
    EntryRecord {
        id,
        breach,
        kind,
        author,
        body: Some(key.seal(id.0, "entry.body", "words")),
        state: EntryState::Sent,
        follows: None,
        created_at: Timestamp(at),
        updated_at: Timestamp(at),
        sent_at: None,
        received_at: None,
        withdrawn_at: None,
        response: None,
        response_note: None,
        responded_at: None,
    }
}

#[tokio::test]
async fn facts_count_what_the_partner_sent_since_the_last_visit_and_nothing_else() {
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let code = invite(&db, space_id, alex, "code", 1_000).await;
        db.accept_invite(code, sam, Timestamp(30)).await.unwrap();
        let journey = breach(&db, space_id, sam, alex).await;
        let j = Some(journey);

        // A pledge sent, a disclosure kept as a draft, a reassurance note withdrawn.
        db.send_entry(entry(&key, journey, EntryKind::Pledge, alex, 100))
            .await
            .unwrap();
        let mut draft = entry(&key, journey, EntryKind::Disclosure, alex, 101);
        draft.state = EntryState::Draft;
        db.create_draft(draft).await.unwrap();
        let note = entry(&key, journey, EntryKind::Reassurance, alex, 102);
        db.send_entry(note.clone()).await.unwrap();
        assert!(db
            .withdraw_entry(note.id, alex, Timestamp(103))
            .await
            .unwrap());

        let for_sam = db.waiting_facts(sam, None).await.unwrap();
        assert_eq!(count(&for_sam, j, Fact::Journey(Role::HurtPartner)), 1);
        let pledge = Fact::New(New::Entry(EntryKind::Pledge));
        assert_eq!(count(&for_sam, j, pledge), 1);
        for kind in [EntryKind::Disclosure, EntryKind::Reassurance] {
            assert_eq!(
                count(&for_sam, j, Fact::New(New::Entry(kind))),
                0,
                "{kind:?}"
            );
        }
        let for_alex = db.waiting_facts(alex, None).await.unwrap();
        assert_eq!(
            count(&for_alex, j, Fact::Journey(Role::RepairingPartner)),
            1
        );
        assert_eq!(count(&for_alex, j, pledge), 0, "his own pledge");
        assert_eq!(
            count(
                &for_alex,
                j,
                Fact::RecommitRhythm(mend_core::Rhythm::Weekly)
            ),
            1
        );

        // A visit before the pledge leaves it waiting; one at or after takes it away.
        db.mark_seen(sam, journey, "pledge", Timestamp(99))
            .await
            .unwrap();
        assert_eq!(
            count(&db.waiting_facts(sam, None).await.unwrap(), j, pledge),
            1
        );
        db.mark_seen(sam, journey, "pledge", Timestamp(100))
            .await
            .unwrap();
        assert_eq!(
            count(&db.waiting_facts(sam, None).await.unwrap(), j, pledge),
            0
        );

        // A feeling waits for a reflection, the reflection for an answer, the answer for
        // its writer until they open the feelings page.
        let feeling = FeelingId::new();
        db.create_feeling(FeelingRecord {
            id: feeling,
            breach: journey,
            person: sam,
            feeling: Some(key.seal(feeling.0, "feeling", "{}")),
            created_at: Timestamp(110),
            withdrawn_at: None,
        })
        .await
        .unwrap();
        let facts = db.waiting_facts(alex, None).await.unwrap();
        assert_eq!(count(&facts, j, Fact::FeelingsAwaitingReflection), 1);
        let reflection = ReflectionId::new();
        assert!(db
            .create_reflection(
                journey,
                ReflectionRecord {
                    id: reflection,
                    feeling,
                    author: alex,
                    body: Some(key.seal(reflection.0, "reflection", "words")),
                    created_at: Timestamp(111),
                    withdrawn_at: None,
                    verdict: None,
                    missed: None,
                    verdict_at: None,
                },
            )
            .await
            .unwrap());
        let facts = db.waiting_facts(sam, None).await.unwrap();
        assert_eq!(count(&facts, j, Fact::FeelingsAwaitingReflection), 0);
        assert_eq!(count(&facts, j, Fact::ReflectionsAwaitingVerdict), 1);
        assert!(db
            .answer_reflection(journey, reflection, Verdict::NotYet, None, Timestamp(112))
            .await
            .unwrap());
        let facts = db.waiting_facts(alex, None).await.unwrap();
        assert_eq!(
            count(&facts, j, Fact::FeelingsAwaitingReflection),
            1,
            "not yet"
        );
        assert_eq!(count(&facts, j, Fact::ReflectionsAwaitingVerdict), 0);
        assert_eq!(count(&facts, j, Fact::New(New::Verdicts)), 1);
        db.mark_seen(alex, journey, "feelings", Timestamp(113))
            .await
            .unwrap();
        let facts = db.waiting_facts(alex, None).await.unwrap();
        assert_eq!(count(&facts, j, Fact::New(New::Verdicts)), 0);

        // An answer asked about again waits until a newer answer to the same question.
        let question = QuestionId::new();
        db.create_question(QuestionRecord {
            id: question,
            breach: journey,
            asked_by: sam,
            text: Some(key.seal(question.0, "question", "why?")),
            kind: None,
            asked_again_of: None,
            created_at: Timestamp(120),
            in_person_at: None,
            withdrawn_at: None,
        })
        .await
        .unwrap();
        assert_eq!(
            count(
                &db.waiting_facts(alex, None).await.unwrap(),
                j,
                Fact::OpenQuestions
            ),
            1
        );
        let answer = |at: i64| {
            let id = AnswerId::new();
            AnswerRecord {
                id,
                question,
                author: alex,
                body: Some(key.seal(id.0, "answer", "because")),
                created_at: Timestamp(at),
                withdrawn_at: None,
                response: None,
                responded_at: None,
            }
        };
        let first = answer(121);
        assert!(db.create_answer(journey, first.clone()).await.unwrap());
        let facts = db.waiting_facts(sam, None).await.unwrap();
        assert_eq!(count(&facts, j, Fact::OpenQuestions), 0);
        assert_eq!(count(&facts, j, Fact::AnswersUnresponded), 1);
        assert!(db
            .respond(journey, first.id, Response::NeedMore, Timestamp(122))
            .await
            .unwrap());
        let facts = db.waiting_facts(alex, None).await.unwrap();
        assert_eq!(count(&facts, j, Fact::AskedForMore), 1);
        assert_eq!(count(&facts, j, Fact::New(New::AnswerResponses)), 1);
        assert!(db.create_answer(journey, answer(123)).await.unwrap());
        assert_eq!(
            count(
                &db.waiting_facts(alex, None).await.unwrap(),
                j,
                Fact::AskedForMore
            ),
            0
        );

        // A shared journal entry waits for the partner, as a fact of the space.
        let shared = JournalEntryId::new();
        db.create_journal_entry(JournalEntryRecord {
            id: shared,
            space: space_id,
            author: alex,
            text: key.seal(shared.0, "journal", "today"),
            created_at: Timestamp(130),
            shared_at: Some(Timestamp(130)),
        })
        .await
        .unwrap();
        let journal = Fact::New(New::Journal);
        assert_eq!(
            count(&db.waiting_facts(sam, None).await.unwrap(), None, journal),
            1
        );
        assert_eq!(
            count(&db.waiting_facts(alex, None).await.unwrap(), None, journal),
            0
        );
        db.mark_journal_seen(sam, space_id, Timestamp(131))
            .await
            .unwrap();
        assert_eq!(
            count(&db.waiting_facts(sam, None).await.unwrap(), None, journal),
            0
        );

        // Another couple's person sees nothing of this space.
        let kim = person(&db, "kim@example.org").await;
        let lee = person(&db, "lee@example.org").await;
        let theirs = space(&db, kim).await;
        let elsewhere = breach(&db, theirs, kim, lee).await;
        let facts = db.waiting_facts(kim, None).await.unwrap();
        assert!(
            facts.iter().all(|f| f.breach == Some(elsewhere)),
            "{facts:?}"
        );

        // An ended journey is not there for either partner.
        assert!(db
            .change_journey(journey, JourneyChange::PartWithCare, sam, Timestamp(140))
            .await
            .unwrap());
        for person in [alex, sam] {
            let facts = db.waiting_facts(person, None).await.unwrap();
            assert!(facts.iter().all(|f| f.breach != j), "{facts:?}");
        }
    })
    .await;
}

/// What waits is kept between requests (issue 13): while nothing in the space changes, reading
/// it again is one row, the space's version; any change in the space, a visit included, is
/// read at once; another couple's changes are not this space's. With sends and reads at the
/// same time, what is kept afterwards counts every send.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_facts_are_read_again_only_when_the_space_changes() {
    each_backend(|db| async move {
        let (alex, sam, space_id, key) = couple(&db).await;
        let code = invite(&db, space_id, alex, "code", 1_000).await;
        db.accept_invite(code, sam, Timestamp(30)).await.unwrap();
        let journey = breach(&db, space_id, sam, alex).await;
        let j = Some(journey);
        let pledge = Fact::New(New::Entry(EntryKind::Pledge));

        let first = db.waiting_facts(sam, None).await.unwrap();
        let before = db.reads();
        assert_eq!(db.waiting_facts(sam, None).await.unwrap(), first);
        assert_eq!(
            db.reads() - before,
            ReadCount {
                queries: 1,
                rows: 1
            },
            "nothing changed: only the space's version is read"
        );

        let kim = person(&db, "kim@example.org").await;
        let lee = person(&db, "lee@example.org").await;
        let theirs = space(&db, kim).await;
        let code = invite(&db, theirs, kim, "their code", 1_000).await;
        db.accept_invite(code, lee, Timestamp(40)).await.unwrap();
        let before = db.reads();
        db.waiting_facts(sam, None).await.unwrap();
        assert_eq!(
            db.reads() - before,
            ReadCount {
                queries: 1,
                rows: 1
            }
        );

        db.send_entry(entry(&key, journey, EntryKind::Pledge, alex, 100))
            .await
            .unwrap();
        assert_eq!(
            count(&db.waiting_facts(sam, None).await.unwrap(), j, pledge),
            1
        );
        db.mark_seen(sam, journey, "pledge", Timestamp(200))
            .await
            .unwrap();
        assert_eq!(
            count(&db.waiting_facts(sam, None).await.unwrap(), j, pledge),
            0
        );

        let db = std::sync::Arc::new(db);
        let mut tasks = Vec::new();
        for i in 0..8 {
            let writer = db.clone();
            let pledge = entry(&key, journey, EntryKind::Pledge, alex, 300 + i);
            tasks.push(tokio::spawn(async move {
                writer.send_entry(pledge).await.unwrap();
            }));
            let reader = db.clone();
            tasks.push(tokio::spawn(async move {
                reader.waiting_facts(sam, None).await.unwrap();
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(
            count(&db.waiting_facts(sam, None).await.unwrap(), j, pledge),
            8
        );
    })
    .await;
}
