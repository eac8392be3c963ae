//! A counsellor's grant from proposal to end, the share choices, and the counsellor's reads,
//! which answer only through an active grant and the choices, in SQL.

use mend_core::counsellor::{GrantEnd, ShareArea, ShareChoices};
use mend_core::store::{EntryRecord, NewCounsellorGrant};
use mend_core::{
    BreachId, CounsellorGrantId, EntryId, EntryKind, EntryState, PersonId, Seat, SpaceId,
    StatementResponse, StoreError, Timestamp, COUNSELLOR_INVITE_LIFETIME,
};
use mend_crypto::DataKey;

use super::*;

async fn propose(db: &Db, space: SpaceId, seat: Seat, code: &str) -> CounsellorGrantId {
    let id = CounsellorGrantId::new();
    db.propose_counsellor(NewCounsellorGrant {
        id,
        space,
        proposed_by: seat,
        code_lookup: server_key().lookup_hash("counsellor", code.as_bytes()),
        code: DataKey::generate(space.0).seal(id.0, "code", code),
        proposed_at: Timestamp(100),
    })
    .await
    .expect("propose");
    id
}

fn sent(key: &DataKey, breach: BreachId, author: PersonId, text: &str, at: i64) -> EntryRecord {
    let id = EntryId::new();
    EntryRecord {
        id,
        breach,
        kind: EntryKind::Accountability,
        author,
        body: Some(key.seal(id.0, "entry.body", text)),
        state: EntryState::Sent,
        follows: None,
        created_at: Timestamp(at),
        updated_at: Timestamp(at),
        sent_at: Some(Timestamp(at)),
        received_at: None,
        withdrawn_at: None,
        response: None,
        response_note: None,
        responded_at: None,
    }
}

fn only(area: ShareArea) -> ShareChoices {
    ShareChoices::of([area])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_grant_goes_from_proposal_to_agreement_to_one_acceptance_to_its_end() {
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let robin = counsellor_account(&db, "robin@example.org").await;
        let grant = propose(&db, t.space, Seat::Creator, "c-1").await;

        assert!(
            matches!(
                db.propose_counsellor(NewCounsellorGrant {
                    id: CounsellorGrantId::new(),
                    space: t.space,
                    proposed_by: Seat::Joiner,
                    code_lookup: server_key().lookup_hash("counsellor", b"c-2"),
                    code: t.key.seal(t.space.0, "code", "c-2"),
                    proposed_at: Timestamp(101),
                })
                .await,
                Err(StoreError::Conflict(_))
            ),
            "one open grant per space"
        );
        assert!(
            !db.accept_counsellor(grant, robin, Timestamp(150))
                .await
                .unwrap(),
            "the link does not work before the other partner agrees"
        );
        assert!(
            !db.agree_counsellor(t.space, grant, Seat::Creator, Timestamp(200))
                .await
                .unwrap(),
            "the proposer cannot agree"
        );
        assert!(db
            .agree_counsellor(t.space, grant, Seat::Joiner, Timestamp(200))
            .await
            .unwrap());
        assert!(!db
            .agree_counsellor(t.space, grant, Seat::Joiner, Timestamp(201))
            .await
            .unwrap());
        assert!(
            !db.accept_counsellor(grant, t.alex, Timestamp(300))
                .await
                .unwrap(),
            "a partner of the space is not its counsellor"
        );
        let partner_elsewhere = person(&db, "not-a-counsellor@example.org").await;
        assert!(
            !db.accept_counsellor(grant, partner_elsewhere, Timestamp(300))
                .await
                .unwrap(),
            "only a counsellor's account takes the link"
        );
        let expiry = Timestamp(200) + COUNSELLOR_INVITE_LIFETIME;
        assert!(!db.accept_counsellor(grant, robin, expiry).await.unwrap());
        assert!(db
            .accept_counsellor(grant, robin, Timestamp(expiry.0 - 1))
            .await
            .unwrap());
        let other = counsellor_account(&db, "other@example.org").await;
        assert!(
            !db.accept_counsellor(grant, other, Timestamp(400))
                .await
                .unwrap(),
            "single use"
        );

        let by_code = db
            .counsellor_grant_by_code(&server_key().lookup_hash("counsellor", b"c-1"))
            .await
            .unwrap()
            .expect("found by its code");
        assert_eq!(by_code.id, grant);
        assert_eq!(by_code.counsellor, Some(robin));
        assert!(by_code.grant.is_active());
        assert_eq!(db.counsellor_grants(robin).await.unwrap().len(), 1);

        assert!(db
            .end_counsellor(t.space, GrantEnd::Revoked(Seat::Joiner), Timestamp(500))
            .await
            .unwrap());
        assert!(!db
            .end_counsellor(t.space, GrantEnd::Revoked(Seat::Creator), Timestamp(501))
            .await
            .unwrap());
        assert!(db.counsellor_grants(robin).await.unwrap().is_empty());
        assert!(db.open_counsellor_grant(t.space).await.unwrap().is_none());
        let ended = db
            .counsellor_grant_by_code(&server_key().lookup_hash("counsellor", b"c-1"))
            .await
            .unwrap()
            .expect("kept once ended");
        assert_eq!(ended.ended_why, Some(GrantEnd::Revoked(Seat::Joiner)));
        // Once ended, a new proposal may start.
        propose(&db, t.space, Seat::Joiner, "c-3").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn choices_belong_to_a_partner_of_the_journeys_space() {
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let [journey, _] = t.journeys;
        db.choose_shares(
            journey,
            t.alex,
            &ShareChoices::of([ShareArea::Entries, ShareArea::Summary]),
            Timestamp(5),
        )
        .await
        .unwrap();
        db.choose_shares(journey, t.sam, &only(ShareArea::Summary), Timestamp(5))
            .await
            .unwrap();
        let consent = db.consent(journey).await.unwrap();
        assert!(consent.both_allow(ShareArea::Summary));
        assert!(!consent.both_allow(ShareArea::Entries));
        assert!(consent.of(Seat::Creator).allows(ShareArea::Entries));
        // Choosing again replaces, it does not add.
        db.choose_shares(journey, t.alex, &ShareChoices::none(), Timestamp(6))
            .await
            .unwrap();
        assert!(db
            .consent(journey)
            .await
            .unwrap()
            .creator
            .areas()
            .is_empty());
        let stranger = person(&db, "stranger@example.org").await;
        assert!(matches!(
            db.choose_shares(journey, stranger, &only(ShareArea::Entries), Timestamp(7))
                .await,
            Err(StoreError::NotSeated)
        ));
        assert!(matches!(
            db.choose_shares(t.elsewhere, t.alex, &only(ShareArea::Entries), Timestamp(7))
                .await,
            Err(StoreError::NotSeated)
        ));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_counsellor_reads_entries_only_through_an_active_grant_and_the_choices() {
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let [journey, other_journey] = t.journeys;
        let robin = counsellor_account(&db, "robin@example.org").await;
        let alexs = sent(&t.key, journey, t.alex, "what I did", 10);
        let sams = sent(&t.key, journey, t.sam, "what I need", 11);
        db.send_entry(alexs.clone()).await.unwrap();
        db.send_entry(sams.clone()).await.unwrap();
        db.send_entry(sent(&t.key, other_journey, t.alex, "elsewhere", 12))
            .await
            .unwrap();
        assert!(db
            .respond_to_statement(
                journey,
                alexs.id,
                StatementResponse::SomethingMissing,
                Some(t.key.seal(alexs.id.0, "entry.response_note", "the why")),
                Timestamp(13),
            )
            .await
            .unwrap());
        for person in [t.alex, t.sam] {
            db.choose_shares(journey, person, &only(ShareArea::Entries), Timestamp(14))
                .await
                .unwrap();
        }
        let ids = |entries: Vec<EntryRecord>| entries.into_iter().map(|e| e.id).collect::<Vec<_>>();

        // Chosen by both, but no grant yet, then a grant not yet accepted: nothing.
        assert!(db
            .counsellor_entries(robin, journey)
            .await
            .unwrap()
            .is_empty());
        let grant = propose(&db, t.space, Seat::Joiner, "c-1").await;
        db.agree_counsellor(t.space, grant, Seat::Creator, Timestamp(20))
            .await
            .unwrap();
        assert!(db
            .counsellor_entries(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .accept_counsellor(grant, robin, Timestamp(21))
            .await
            .unwrap());

        let read = db.counsellor_entries(robin, journey).await.unwrap();
        assert_eq!(ids(read.clone()), vec![alexs.id, sams.id]);
        assert!(read[0].response_note.is_some(), "both allow entries");

        // Sam withdraws the choice: Alex's own entry stays, Sam's entry and Sam's response
        // to Alex's entry go.
        db.choose_shares(journey, t.sam, &ShareChoices::none(), Timestamp(30))
            .await
            .unwrap();
        let read = db.counsellor_entries(robin, journey).await.unwrap();
        assert_eq!(ids(read.clone()), vec![alexs.id]);
        assert!(read[0].response.is_none() && read[0].response_note.is_none());

        // Nothing of the journey nobody shared, nor of another couple, nor for someone else.
        assert!(db
            .counsellor_entries(robin, other_journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_entries(robin, t.elsewhere)
            .await
            .unwrap()
            .is_empty());
        let other = counsellor_account(&db, "other@example.org").await;
        assert!(db
            .counsellor_entries(other, journey)
            .await
            .unwrap()
            .is_empty());

        // Revoked: nothing at once.
        db.end_counsellor(t.space, GrantEnd::Revoked(Seat::Creator), Timestamp(40))
            .await
            .unwrap();
        assert!(db
            .counsellor_entries(robin, journey)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn leaving_the_space_or_deleting_an_account_ends_the_counsellors_access() {
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let [journey, _] = t.journeys;
        let robin = counsellor_account(&db, "robin@example.org").await;
        let grant = propose(&db, t.space, Seat::Creator, "c-1").await;
        db.agree_counsellor(t.space, grant, Seat::Joiner, Timestamp(20))
            .await
            .unwrap();
        assert!(db
            .accept_counsellor(grant, robin, Timestamp(21))
            .await
            .unwrap());
        db.delete_person(robin, &[], Timestamp(30)).await.unwrap();
        assert!(db.counsellor_grants(robin).await.unwrap().is_empty());
        assert!(db.open_counsellor_grant(t.space).await.unwrap().is_none());

        let kim = counsellor_account(&db, "kim-counsellor@example.org").await;
        let grant = propose(&db, t.space, Seat::Joiner, "c-2").await;
        db.agree_counsellor(t.space, grant, Seat::Creator, Timestamp(40))
            .await
            .unwrap();
        assert!(db
            .accept_counsellor(grant, kim, Timestamp(41))
            .await
            .unwrap());
        db.send_entry(sent(&t.key, journey, t.alex, "mine", 42))
            .await
            .unwrap();
        db.choose_shares(journey, t.alex, &only(ShareArea::Entries), Timestamp(43))
            .await
            .unwrap();
        assert_eq!(db.counsellor_entries(kim, journey).await.unwrap().len(), 1);
        db.leave_space(t.sam, Timestamp(50)).await.unwrap();
        assert!(db.counsellor_grants(kim).await.unwrap().is_empty());
        assert!(db
            .counsellor_entries(kim, journey)
            .await
            .unwrap()
            .is_empty());
        let ended = db
            .counsellor_grant_by_code(&server_key().lookup_hash("counsellor", b"c-2"))
            .await
            .unwrap()
            .expect("kept once ended");
        assert_eq!(ended.ended_why, Some(GrantEnd::PartnerLeft));
        assert!(db.consent(journey).await.unwrap().joiner.areas().is_empty());
    })
    .await;
}

/// A journey with a question and its answer, a feeling and its reflection, and a check-in
/// with a note, read by an accepted counsellor while the partners' choices change.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn questions_feelings_and_scores_follow_the_consent_rule_and_notes_stay_with_the_couple() {
    use mend_core::store::{
        AnswerRecord, CheckInRecord, CounsellorNoteRecord, FeelingRecord, QuestionRecord,
        ReflectionRecord,
    };
    use mend_core::{
        AnswerId, CheckInId, CounsellorNoteId, FeelingId, QuestionId, ReflectionId, Trust,
    };
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let [journey, other_journey] = t.journeys;
        let robin = counsellor_account(&db, "robin@example.org").await;
        let grant = propose(&db, t.space, Seat::Creator, "c-1").await;
        db.agree_counsellor(t.space, grant, Seat::Joiner, Timestamp(20))
            .await
            .unwrap();
        assert!(db
            .accept_counsellor(grant, robin, Timestamp(21))
            .await
            .unwrap());
        assert_eq!(
            db.counsellor_new_since(robin, t.space, None).await.unwrap(),
            0
        );

        let question = QuestionId::new();
        db.create_question(QuestionRecord {
            id: question,
            breach: journey,
            asked_by: t.sam,
            text: Some(t.key.seal(question.0, "question.text", "Why?")),
            kind: None,
            asked_again_of: None,
            created_at: Timestamp(30),
            in_person_at: None,
            withdrawn_at: None,
        })
        .await
        .unwrap();
        let answer = AnswerId::new();
        assert!(db
            .create_answer(
                journey,
                AnswerRecord {
                    id: answer,
                    question,
                    author: t.alex,
                    body: Some(t.key.seal(answer.0, "answer.body", "Because.")),
                    created_at: Timestamp(31),
                    withdrawn_at: None,
                    response: None,
                    responded_at: None,
                },
            )
            .await
            .unwrap());
        let feeling = FeelingId::new();
        db.create_feeling(FeelingRecord {
            id: feeling,
            breach: journey,
            person: t.sam,
            feeling: Some(t.key.seal(feeling.0, "feeling", "{}")),
            created_at: Timestamp(32),
            withdrawn_at: None,
        })
        .await
        .unwrap();
        let reflection = ReflectionId::new();
        assert!(db
            .create_reflection(
                journey,
                ReflectionRecord {
                    id: reflection,
                    feeling,
                    author: t.alex,
                    body: Some(t.key.seal(reflection.0, "reflection.body", "I hear you.")),
                    created_at: Timestamp(33),
                    withdrawn_at: None,
                    verdict: None,
                    missed: None,
                    verdict_at: None,
                },
            )
            .await
            .unwrap());
        let check_in = CheckInId::new();
        db.create_check_in(CheckInRecord {
            id: check_in,
            breach: journey,
            person: t.sam,
            trust: Trust::from_stored(4).unwrap(),
            note: Some(t.key.seal(check_in.0, "check_in.note", "a private note")),
            created_at: Timestamp(34),
        })
        .await
        .unwrap();

        // Nothing chosen: nothing read.
        assert!(db
            .counsellor_questions(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_feelings(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_scores(robin, journey)
            .await
            .unwrap()
            .is_empty());

        // Sam, who asked, felt and checked in, allows all three: Sam's own words are read,
        // Alex's answer and reflection are not, and the score comes without its note.
        let three = ShareChoices::of([
            ShareArea::Questions,
            ShareArea::Feelings,
            ShareArea::CheckIns,
        ]);
        db.choose_shares(journey, t.sam, &three, Timestamp(40))
            .await
            .unwrap();
        let questions = db.counsellor_questions(robin, journey).await.unwrap();
        assert_eq!(
            questions.iter().map(|q| q.id).collect::<Vec<_>>(),
            [question]
        );
        assert!(db
            .counsellor_answers(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            db.counsellor_feelings(robin, journey).await.unwrap().len(),
            1
        );
        assert!(db
            .counsellor_reflections(robin, journey)
            .await
            .unwrap()
            .is_empty());
        let scores = db.counsellor_scores(robin, journey).await.unwrap();
        assert_eq!(scores.len(), 1);
        assert!(scores[0].note.is_none(), "a check-in note is never read");
        assert_eq!(
            db.counsellor_new_since(robin, t.space, None).await.unwrap(),
            3
        );
        assert_eq!(
            db.counsellor_new_since(robin, t.space, Some(Timestamp(33)))
                .await
                .unwrap(),
            1,
            "only what came after the last visit"
        );

        // Alex allows questions too: the answer is read; feelings still need both.
        db.choose_shares(journey, t.alex, &only(ShareArea::Questions), Timestamp(41))
            .await
            .unwrap();
        let answers = db.counsellor_answers(robin, journey).await.unwrap();
        assert_eq!(answers.iter().map(|a| a.id).collect::<Vec<_>>(), [answer]);
        assert!(db
            .counsellor_reflections(robin, journey)
            .await
            .unwrap()
            .is_empty());

        // What was shared when: every change once, newest first.
        let changes = db.share_changes(journey).await.unwrap();
        assert_eq!(changes.len(), 4);
        assert_eq!(changes[0].person, t.alex);
        assert!(changes.iter().all(|c| c.allowed));
        db.choose_shares(journey, t.sam, &only(ShareArea::Questions), Timestamp(42))
            .await
            .unwrap();
        let changes = db.share_changes(journey).await.unwrap();
        assert_eq!(changes.len(), 6, "two areas taken back");
        assert!(changes[..2].iter().all(|c| !c.allowed && c.person == t.sam));

        // Notes: only through the grant, on this couple's journeys, read by both sides.
        let note = |id: CounsellorNoteId, breach: BreachId| CounsellorNoteRecord {
            id,
            grant,
            breach,
            body: t.key.seal(id.0, "counsellor.note", "See you Tuesday."),
            created_at: Timestamp(50),
        };
        let first = CounsellorNoteId::new();
        assert!(db
            .add_counsellor_note(robin, note(first, journey))
            .await
            .unwrap());
        assert!(!db
            .add_counsellor_note(robin, note(CounsellorNoteId::new(), t.elsewhere))
            .await
            .unwrap());
        assert!(!db
            .add_counsellor_note(t.alex, note(CounsellorNoteId::new(), journey))
            .await
            .unwrap());
        assert_eq!(db.counsellor_notes(journey).await.unwrap().len(), 1);
        assert!(db.counsellor_notes(other_journey).await.unwrap().is_empty());
        assert_eq!(
            db.counsellor_notes_for(robin, journey).await.unwrap()[0].id,
            first
        );

        // The last look is the counsellor's own; it shows on the grant.
        assert!(!db
            .counsellor_looked(t.alex, grant, Timestamp(60))
            .await
            .unwrap());
        assert!(db
            .counsellor_looked(robin, grant, Timestamp(60))
            .await
            .unwrap());
        let open = db.open_counsellor_grant(t.space).await.unwrap().unwrap();
        assert_eq!(open.last_seen_at, Some(Timestamp(60)));
        assert!(db
            .counsellor_grant_over(robin, t.space)
            .await
            .unwrap()
            .is_some());
        assert_eq!(
            db.counsellor_breaches(robin, t.space).await.unwrap().len(),
            2
        );

        // Revoked: nothing is read, no note is written, and the couple keeps the notes.
        db.end_counsellor(t.space, GrantEnd::Revoked(Seat::Joiner), Timestamp(70))
            .await
            .unwrap();
        assert!(db
            .counsellor_questions(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_answers(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_notes_for(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_breaches(robin, t.space)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_breach(robin, journey)
            .await
            .unwrap()
            .is_none());
        assert!(!db
            .add_counsellor_note(robin, note(CounsellorNoteId::new(), journey))
            .await
            .unwrap());
        assert_eq!(db.counsellor_notes(journey).await.unwrap().len(), 1);
    })
    .await;
}

/// Triggers (the note is its author's, the reply needs both), transparency agreements and the
/// summary (both needed) through an accepted grant.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn triggers_agreements_and_the_summary_follow_the_consent_rule() {
    use mend_core::store::{CheckInRecord, TransparencyRecord, TriggerRecord};
    use mend_core::{CheckInId, Period, TransparencyId, TransparencyState, TriggerId, Trust};
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        // A journey with its areas, as the web makes them.
        let journey = mend_core::BreachId::new();
        db.create_breach(
            mend_core::store::BreachRecord {
                id: journey,
                space: t.space,
                hurt: t.sam,
                repairing: t.alex,
                opened_by: t.sam,
                details: t.key.seal(journey.0, "breach.details", "{}"),
                created_at: Timestamp(5),
                state: Default::default(),
            },
            &[(
                mend_core::Area::Acknowledge,
                mend_core::AreaStatus::NotStarted,
            )],
        )
        .await
        .unwrap();
        let robin = counsellor_account(&db, "robin@example.org").await;
        let grant = propose(&db, t.space, Seat::Creator, "c-1").await;
        db.agree_counsellor(t.space, grant, Seat::Joiner, Timestamp(20))
            .await
            .unwrap();
        assert!(db
            .accept_counsellor(grant, robin, Timestamp(21))
            .await
            .unwrap());
        let trigger = TriggerId::new();
        db.create_trigger(TriggerRecord {
            id: trigger,
            breach: journey,
            person: t.sam,
            note: Some(t.key.seal(trigger.0, "trigger.note", "the song")),
            created_at: Timestamp(30),
            reply: None,
            replied_at: None,
        })
        .await
        .unwrap();
        assert!(db
            .reply_to_trigger(
                journey,
                trigger,
                t.key.seal(trigger.0, "trigger.reply", "I am here."),
                Timestamp(31)
            )
            .await
            .unwrap());
        let agreement = TransparencyId::new();
        db.create_transparency(TransparencyRecord {
            id: agreement,
            breach: journey,
            offered_by: t.alex,
            text: t
                .key
                .seal(agreement.0, "transparency.text", "My phone is open."),
            period: Period::OneMonth,
            state: TransparencyState::Offered,
            renews: None,
            created_at: Timestamp(32),
            decided_at: None,
            starts_at: None,
        })
        .await
        .unwrap();
        db.create_check_in(CheckInRecord {
            id: CheckInId::new(),
            breach: journey,
            person: t.sam,
            trust: Trust::from_stored(6).unwrap(),
            note: None,
            created_at: Timestamp(33),
        })
        .await
        .unwrap();

        let summary = ShareChoices::of([
            ShareArea::Triggers,
            ShareArea::Transparency,
            ShareArea::Summary,
        ]);
        db.choose_shares(journey, t.sam, &summary, Timestamp(40))
            .await
            .unwrap();
        let triggers = db.counsellor_triggers(robin, journey).await.unwrap();
        assert_eq!(triggers.len(), 1, "Sam's own trigger");
        assert!(triggers[0].reply.is_none(), "Alex's reply needs both");
        assert!(db
            .counsellor_agreements(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_areas(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_counts(robin, journey)
            .await
            .unwrap()
            .is_none());
        assert!(db
            .counsellor_trust(robin, journey, 90)
            .await
            .unwrap()
            .is_empty());
        assert!(!db
            .counsellor_reads_shared(robin, journey, ShareArea::Summary)
            .await
            .unwrap());

        db.choose_shares(journey, t.alex, &summary, Timestamp(41))
            .await
            .unwrap();
        assert!(db.counsellor_triggers(robin, journey).await.unwrap()[0]
            .reply
            .is_some());
        assert_eq!(
            db.counsellor_agreements(robin, journey)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(!db
            .counsellor_areas(robin, journey)
            .await
            .unwrap()
            .is_empty());
        let counts = db.counsellor_counts(robin, journey).await.unwrap().unwrap();
        assert_eq!((counts.check_ins, counts.triggers), (1, 1));
        assert_eq!(
            db.counsellor_trust(robin, journey, 90).await.unwrap().len(),
            1
        );
        assert!(db
            .counsellor_reads_shared(robin, journey, ShareArea::Summary)
            .await
            .unwrap());
        assert!(
            !db.counsellor_reads_shared(robin, journey, ShareArea::Timeline)
                .await
                .unwrap(),
            "an area neither shared"
        );

        // Not for anyone else, and not after the end.
        let other = counsellor_account(&db, "other@example.org").await;
        assert!(db
            .counsellor_triggers(other, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_counts(other, journey)
            .await
            .unwrap()
            .is_none());
        db.end_counsellor(t.space, GrantEnd::Revoked(Seat::Creator), Timestamp(50))
            .await
            .unwrap();
        assert!(db
            .counsellor_triggers(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_agreements(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_areas(robin, journey)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_counts(robin, journey)
            .await
            .unwrap()
            .is_none());
        assert!(!db
            .counsellor_reads_shared(robin, journey, ShareArea::Summary)
            .await
            .unwrap());
    })
    .await;
}

/// A journal or evidence entry shared with the counsellor: only by its author, read only
/// through the grant, and taken back at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn entries_shared_with_the_counsellor_one_by_one_are_read_only_through_the_grant() {
    use mend_core::store::{EvidenceRecord, JournalEntryRecord};
    use mend_core::{EvidenceId, JournalEntryId, Moment};
    each_backend(|db| async move {
        let t = two_journeys_and_one_elsewhere(&db).await;
        let [journey, _] = t.journeys;
        let robin = counsellor_account(&db, "robin@example.org").await;
        let grant = propose(&db, t.space, Seat::Creator, "c-1").await;
        db.agree_counsellor(t.space, grant, Seat::Joiner, Timestamp(20))
            .await
            .unwrap();
        assert!(db
            .accept_counsellor(grant, robin, Timestamp(21))
            .await
            .unwrap());
        let entry = JournalEntryId::new();
        db.create_journal_entry(JournalEntryRecord {
            id: entry,
            space: t.space,
            author: t.alex,
            text: t.key.seal(entry.0, "journal.text", "private"),
            created_at: Timestamp(30),
            shared_at: None,
        })
        .await
        .unwrap();
        let kept = EvidenceId::new();
        db.create_evidence(EvidenceRecord {
            id: kept,
            breach: journey,
            author: t.sam,
            moment: Moment::Built,
            text: t.key.seal(kept.0, "evidence.text", "private"),
            created_at: Timestamp(31),
            shared_at: None,
        })
        .await
        .unwrap();
        let copy = |id: uuid::Uuid| t.key.seal(id, "copy", "for the counsellor");

        assert!(
            !db.share_journal_with_counsellor(t.space, entry, t.sam, copy(entry.0), Timestamp(40))
                .await
                .unwrap(),
            "only its author"
        );
        assert!(db
            .share_journal_with_counsellor(t.space, entry, t.alex, copy(entry.0), Timestamp(40))
            .await
            .unwrap());
        assert!(
            !db.share_journal_with_counsellor(t.space, entry, t.alex, copy(entry.0), Timestamp(41))
                .await
                .unwrap(),
            "shared already"
        );
        assert!(db
            .share_evidence_with_counsellor(journey, kept, t.sam, copy(kept.0), Timestamp(42))
            .await
            .unwrap());
        assert_eq!(
            db.journal_shared_with_counsellor(t.space, t.alex, &[entry, JournalEntryId::new()])
                .await
                .unwrap(),
            [entry]
        );
        assert_eq!(
            db.evidence_shared_with_counsellor(journey, t.sam, &[kept])
                .await
                .unwrap(),
            [kept]
        );
        assert_eq!(
            db.counsellor_journal(robin, t.space).await.unwrap().len(),
            1
        );
        assert_eq!(
            db.counsellor_evidence(robin, journey).await.unwrap().len(),
            1
        );
        let other = counsellor_account(&db, "other@example.org").await;
        assert!(db
            .counsellor_journal(other, t.space)
            .await
            .unwrap()
            .is_empty());
        assert!(db
            .counsellor_evidence(other, journey)
            .await
            .unwrap()
            .is_empty());

        assert!(db
            .unshare_journal_from_counsellor(t.space, entry, t.alex)
            .await
            .unwrap());
        assert!(db
            .counsellor_journal(robin, t.space)
            .await
            .unwrap()
            .is_empty());
        db.end_counsellor(t.space, GrantEnd::Revoked(Seat::Joiner), Timestamp(50))
            .await
            .unwrap();
        assert!(db
            .counsellor_evidence(robin, journey)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}
