//! The dashboard's rules, one by one: each fires, does not, and counts. Which rows make a
//! count (drafts, withdrawn items, the viewer's own, what was opened) is the store's query,
//! tested on both backends in `mend-store`'s conformance tests.

use super::*;
use crate::ending::Ending;
use crate::journey_state::Ended;
use crate::rhythm::Rhythm;
use crate::time::Duration;
use crate::PersonId;

const NOW: Timestamp = Timestamp(1_000_000_000_000);

fn facts(role: Role) -> JourneyFacts {
    JourneyFacts::empty(role, NOW - Duration::days(1), JourneyState::default())
}

/// A repairing partner who has sent their acknowledgement, so that item is out of the way.
fn repairing() -> JourneyFacts {
    JourneyFacts {
        acknowledgements_sent: 1,
        ..facts(Role::RepairingPartner)
    }
}

fn hurt() -> JourneyFacts {
    facts(Role::HurtPartner)
}

fn items(facts: &JourneyFacts) -> Vec<(WaitingFor, usize)> {
    items_in(facts, &Zone::utc())
}

fn items_in(facts: &JourneyFacts, zone: &Zone) -> Vec<(WaitingFor, usize)> {
    what_waits(facts, NOW, zone)
        .into_iter()
        .map(|w| (w.what, w.count))
        .collect()
}

fn one(what: WaitingFor) -> Vec<(WaitingFor, usize)> {
    vec![(what, 1)]
}

fn ended(mut facts: JourneyFacts) -> JourneyFacts {
    facts.state.ended = Some(Ended {
        how: Ending::PartedWithCare,
        by: PersonId::new(),
        at: NOW,
    });
    facts
}

#[test]
fn a_new_journey_asks_the_repairing_partner_for_the_acknowledgement_only() {
    assert_eq!(
        items(&facts(Role::RepairingPartner)),
        one(WaitingFor::WriteAcknowledgement)
    );
    assert_eq!(items(&hurt()), vec![]);
}

#[test]
fn the_acknowledgement_waits_until_one_is_sent_then_until_it_is_read() {
    let r = repairing();
    assert_eq!(items(&r), vec![]);
    let h = JourneyFacts {
        acknowledgements_sent: 2,
        acknowledgements_unread: 2,
        ..hurt()
    };
    assert_eq!(items(&h), one(WaitingFor::ReadAcknowledgement));
    let read = JourneyFacts {
        acknowledgements_unread: 0,
        ..h.clone()
    };
    assert_eq!(items(&read), vec![]);
    // Reading is the hurt partner's: the writer is not asked to.
    let r = JourneyFacts {
        acknowledgements_unread: 1,
        ..repairing()
    };
    assert_eq!(items(&r), vec![]);
}

#[test]
fn feelings_wait_for_a_reflection_and_reflections_for_an_answer() {
    let both = |f: JourneyFacts| JourneyFacts {
        feelings_awaiting_reflection: 2,
        reflections_awaiting_verdict: 1,
        ..f
    };
    assert_eq!(
        items(&both(repairing())),
        vec![(WaitingFor::ReflectFeelings, 2)]
    );
    assert_eq!(
        items(&both(hurt())),
        vec![(WaitingFor::AnswerReflections, 1)]
    );
}

#[test]
fn statements_wait_for_a_response_and_something_missing_goes_back_to_the_writer() {
    use StatementResponse::{FeelsGenuine, SomethingMissing};
    let h = JourneyFacts {
        statements_unanswered: 2,
        latest_statement_response: Some(SomethingMissing),
        ..hurt()
    };
    assert_eq!(items(&h), vec![(WaitingFor::RespondToStatements, 2)]);
    let r = JourneyFacts {
        statements_unanswered: 2,
        ..repairing()
    };
    assert_eq!(items(&r), vec![]);
    let missing = JourneyFacts {
        latest_statement_response: Some(SomethingMissing),
        ..repairing()
    };
    assert_eq!(items(&missing), one(WaitingFor::AddWhatIsMissing));
    let genuine = JourneyFacts {
        latest_statement_response: Some(FeelsGenuine),
        ..repairing()
    };
    assert_eq!(items(&genuine), vec![]);
}

#[test]
fn recommitment_is_due_from_the_start_of_the_day_for_the_repairing_partner_only() {
    let week = Duration::days(7);
    // NOW is 01:46 UTC; today began at 00:00.
    let today = Zone::utc().start_of_day_after(NOW, 0);
    let mut r = repairing();
    r.last_recommitment = Some(NOW - week - week);
    assert_eq!(items(&r), vec![], "no intention, no rhythm");
    r.first_intention = Some(NOW - week - week - week);
    r.last_recommitment = None;
    assert_eq!(items(&r), one(WaitingFor::Recommit));
    r.last_recommitment = Some(today - week + Duration::days(1));
    assert_eq!(items(&r), vec![], "due from tomorrow");
    r.last_recommitment = Some(today - week + Duration::days(1) - Duration(1));
    assert_eq!(
        items(&r),
        one(WaitingFor::Recommit),
        "the day counts, not the hour"
    );
    r.state.recommit_rhythm = Rhythm::Fortnightly;
    assert_eq!(items(&r), vec![]);

    let h = JourneyFacts {
        first_intention: Some(NOW - week),
        ..hurt()
    };
    assert_eq!(items(&h), vec![]);
}

#[test]
fn a_closing_proposal_waits_for_the_repairing_partner() {
    let state = JourneyState {
        closing_proposed_at: Some(NOW),
        ..JourneyState::default()
    };
    let r = JourneyFacts {
        state,
        ..repairing()
    };
    assert_eq!(items(&r), one(WaitingFor::AnswerClosing));
    assert_eq!(items(&JourneyFacts { state, ..hurt() }), vec![]);
}

#[test]
fn a_check_in_is_due_on_the_hurt_partners_rhythm_from_the_start_of_their_day() {
    let today = Zone::utc().start_of_day_after(NOW, 0);
    let mut h = hurt();
    h.opened_at = NOW - Duration::days(1);
    assert_eq!(items(&h), vec![], "no rhythm, no reminder");
    h.state.check_in_rhythm = Some(Rhythm::Daily);
    assert_eq!(items(&h), one(WaitingFor::CheckIn), "the day after opening");
    h.opened_at = today;
    assert_eq!(items(&h), vec![], "not on the day it opened");
    h.opened_at = NOW - Duration::days(30);
    h.last_check_in = Some(today);
    assert_eq!(
        items(&h),
        vec![],
        "the last check-in counts, not the opening"
    );
    h.last_check_in = Some(today - Duration(1));
    assert_eq!(items(&h), one(WaitingFor::CheckIn), "checked in yesterday");
    // 23:59 yesterday in UTC is 08:59 today in Tokyo: not due there until tomorrow.
    let tokyo = Zone::parse("Asia/Tokyo").unwrap();
    assert_eq!(items_in(&h, &tokyo), vec![]);

    let r = JourneyFacts {
        state: h.state,
        opened_at: h.opened_at,
        ..repairing()
    };
    assert_eq!(items(&r), vec![]);
}

#[test]
fn triggers_wait_for_the_repairing_partner_and_offers_for_the_hurt_partner() {
    let r = JourneyFacts {
        unanswered_triggers: 3,
        transparency_offers: 2,
        ..repairing()
    };
    assert_eq!(items(&r), vec![(WaitingFor::ReplyToTriggers, 3)]);
    let h = JourneyFacts {
        unanswered_triggers: 3,
        transparency_offers: 2,
        ..hurt()
    };
    assert_eq!(items(&h), vec![(WaitingFor::DecideOnOffers, 2)]);
}

#[test]
fn questions_and_answers_wait_for_whom_they_ask() {
    let r = JourneyFacts {
        open_questions: 2,
        asked_for_more: 1,
        answers_unresponded: 3,
        ..repairing()
    };
    assert_eq!(
        items(&r),
        vec![(WaitingFor::AnswerQuestions, 2), (WaitingFor::SayMore, 1)]
    );
    let h = JourneyFacts {
        open_questions: 2,
        asked_for_more: 1,
        answers_unresponded: 3,
        ..hurt()
    };
    assert_eq!(items(&h), vec![(WaitingFor::RespondToAnswers, 3)]);
}

/// Every kind of thing the partner sends or shares, for the role that reads it.
fn every_new() -> Vec<(Role, New)> {
    use Role::{HurtPartner as H, RepairingPartner as R};
    let mut all: Vec<(Role, New)> = EntryKind::ALL
        .into_iter()
        .filter(|k| *k != EntryKind::Context)
        .map(|k| (H, New::Entry(k)))
        .collect();
    all.extend([
        (H, New::Entry(EntryKind::Context)),
        (R, New::Entry(EntryKind::Context)),
        (R, New::Received),
        (R, New::Verdicts),
        (R, New::StatementResponse),
        (R, New::AnswerResponses),
        (H, New::InPerson),
        (H, New::TriggerReplies),
        (R, New::Decisions),
        (R, New::Evidence),
        (H, New::Evidence),
        (R, New::MySideOpened),
        (R, New::ContextOpened),
    ]);
    all
}

#[test]
fn whatever_the_partner_sends_or_shares_waits_until_its_page_is_opened() {
    for (role, new) in every_new() {
        let base = match role {
            Role::RepairingPartner => repairing(),
            Role::HurtPartner => hurt(),
        };
        let unopened = JourneyFacts {
            new: vec![(new, 2)],
            ..base.clone()
        };
        assert_eq!(
            items(&unopened),
            vec![(WaitingFor::New(new), 2)],
            "{new:?} waits for {role:?}"
        );
        // Opening the page is what the store's count answers: none newer than the visit.
        assert_eq!(items(&base), vec![], "{new:?} opened");
        assert_eq!(
            items(&ended(unopened)),
            vec![],
            "{new:?} in an ended journey"
        );
    }
}

#[test]
fn the_opened_conversations_are_news_for_the_repairing_partner_only() {
    for new in [New::MySideOpened, New::ContextOpened] {
        let h = JourneyFacts {
            new: vec![(new, 1)],
            ..hurt()
        };
        assert_eq!(items(&h), vec![], "{new:?}: the hurt partner opened it");
    }
}

#[test]
fn a_page_that_asks_something_is_named_once() {
    use StatementResponse::SomethingMissing;
    // The statement to respond to is the same one that is new.
    let h = JourneyFacts {
        statements_unanswered: 1,
        acknowledgements_unread: 1,
        new: vec![
            (New::Entry(EntryKind::Accountability), 1),
            (New::Entry(EntryKind::Acknowledgement), 1),
            (New::Entry(EntryKind::Pledge), 1),
        ],
        ..hurt()
    };
    assert_eq!(
        items(&h),
        vec![
            (WaitingFor::ReadAcknowledgement, 1),
            (WaitingFor::RespondToStatements, 1),
            (WaitingFor::New(New::Entry(EntryKind::Pledge)), 1),
        ]
    );
    let r = JourneyFacts {
        latest_statement_response: Some(SomethingMissing),
        new: vec![(New::StatementResponse, 1), (New::Verdicts, 1)],
        ..repairing()
    };
    assert_eq!(
        items(&r),
        vec![
            (WaitingFor::AddWhatIsMissing, 1),
            (WaitingFor::New(New::Verdicts), 1),
        ]
    );
}

#[test]
fn facts_are_gathered_for_their_own_journey_only() {
    let mine = BreachId::new();
    let other = BreachId::new();
    let fact = |breach, fact, count| WaitingFact {
        breach,
        fact,
        count,
        at: None,
    };
    let at = |f: WaitingFact, at| WaitingFact { at: Some(at), ..f };
    let opened = NOW - Duration::days(3);
    let rows = [
        at(
            fact(Some(mine), Fact::Journey(Role::HurtPartner), 1),
            opened,
        ),
        fact(Some(mine), Fact::CheckInRhythm(Rhythm::Daily), 1),
        fact(Some(mine), Fact::RecommitRhythm(Rhythm::Monthly), 1),
        at(fact(Some(mine), Fact::ClosingProposed, 1), NOW),
        fact(Some(mine), Fact::OpenQuestions, 2),
        fact(Some(other), Fact::OpenQuestions, 5),
        fact(Some(mine), Fact::New(New::Entry(EntryKind::Pledge)), 1),
        fact(None, Fact::New(New::Journal), 3),
        at(fact(Some(mine), Fact::LastCheckIn, 1), NOW),
        fact(
            Some(mine),
            Fact::LatestStatement(Some(StatementResponse::FeelsGenuine)),
            1,
        ),
    ];
    let f = JourneyFacts::gather(mine, &rows).expect("the journey is there");
    assert_eq!((f.role, f.opened_at), (Role::HurtPartner, opened));
    assert_eq!(f.state.check_in_rhythm, Some(Rhythm::Daily));
    assert_eq!(f.state.recommit_rhythm, Rhythm::Monthly);
    assert_eq!(f.state.closing_proposed_at, Some(NOW));
    assert_eq!(f.open_questions, 2);
    assert_eq!(f.last_check_in, Some(NOW));
    assert_eq!(
        f.latest_statement_response,
        Some(StatementResponse::FeelsGenuine)
    );
    assert_eq!(f.new, vec![(New::Entry(EntryKind::Pledge), 1)]);
    // A journey the answer does not hold as ongoing (another's, or ended) has no facts.
    assert_eq!(JourneyFacts::gather(other, &rows), None);
    assert_eq!(
        every_journey(&rows, NOW, &Zone::utc()),
        vec![(
            mine,
            vec![Waiting {
                what: WaitingFor::New(New::Entry(EntryKind::Pledge)),
                count: 1
            }]
        )]
    );
    assert_eq!(
        journal_waits(&rows),
        Some(Waiting {
            what: WaitingFor::New(New::Journal),
            count: 3
        })
    );
    assert_eq!(journal_waits(&rows[..3]), None);
}

#[test]
fn everything_at_once_is_listed_in_the_dashboards_order() {
    let state = JourneyState {
        closing_proposed_at: Some(NOW),
        check_in_rhythm: Some(Rhythm::Daily),
        ..JourneyState::default()
    };
    let all = JourneyFacts {
        opened_at: NOW - Duration::days(30),
        state,
        acknowledgements_unread: 1,
        statements_unanswered: 1,
        latest_statement_response: Some(StatementResponse::SomethingMissing),
        first_intention: Some(NOW - Duration::days(7)),
        feelings_awaiting_reflection: 1,
        reflections_awaiting_verdict: 1,
        unanswered_triggers: 2,
        transparency_offers: 1,
        open_questions: 1,
        asked_for_more: 1,
        answers_unresponded: 2,
        new: vec![(New::Entry(EntryKind::Reassurance), 1), (New::Decisions, 1)],
        ..facts(Role::RepairingPartner)
    };
    assert_eq!(
        items(&all),
        vec![
            (WaitingFor::WriteAcknowledgement, 1),
            (WaitingFor::ReflectFeelings, 1),
            (WaitingFor::AddWhatIsMissing, 1),
            (WaitingFor::Recommit, 1),
            (WaitingFor::AnswerClosing, 1),
            (WaitingFor::ReplyToTriggers, 2),
            (WaitingFor::AnswerQuestions, 1),
            (WaitingFor::SayMore, 1),
            (WaitingFor::New(New::Entry(EntryKind::Reassurance)), 1),
            (WaitingFor::New(New::Decisions), 1),
        ]
    );
    let all = JourneyFacts {
        role: Role::HurtPartner,
        ..all
    };
    assert_eq!(
        items(&all),
        vec![
            (WaitingFor::ReadAcknowledgement, 1),
            (WaitingFor::AnswerReflections, 1),
            (WaitingFor::RespondToStatements, 1),
            (WaitingFor::CheckIn, 1),
            (WaitingFor::DecideOnOffers, 1),
            (WaitingFor::RespondToAnswers, 2),
            // The transparency page is named once, for the offer to decide on.
            (WaitingFor::New(New::Entry(EntryKind::Reassurance)), 1),
        ]
    );
    assert_eq!(total(&what_waits(&all, NOW, &Zone::utc())), 8);

    // An ended journey stays readable and asks nothing of either partner.
    for role in [Role::RepairingPartner, Role::HurtPartner] {
        assert_eq!(
            items(&ended(JourneyFacts {
                role,
                ..all.clone()
            })),
            vec![]
        );
    }
}

#[test]
fn every_reason_has_its_page_and_area() {
    use EntryKind as K;
    let cases = [
        (
            WaitingFor::WriteAcknowledgement,
            Place::Entries(K::Acknowledgement),
        ),
        (
            WaitingFor::ReadAcknowledgement,
            Place::Entries(K::Acknowledgement),
        ),
        (WaitingFor::ReflectFeelings, Place::Feelings),
        (WaitingFor::AnswerReflections, Place::Feelings),
        (
            WaitingFor::RespondToStatements,
            Place::Entries(K::Accountability),
        ),
        (
            WaitingFor::AddWhatIsMissing,
            Place::Entries(K::Accountability),
        ),
        (WaitingFor::Recommit, Place::Entries(K::Recommitment)),
        (WaitingFor::AnswerClosing, Place::Endings),
        (WaitingFor::CheckIn, Place::Patience),
        (WaitingFor::ReplyToTriggers, Place::Triggers),
        (WaitingFor::DecideOnOffers, Place::Transparency),
        (WaitingFor::AnswerQuestions, Place::Questions),
        (WaitingFor::SayMore, Place::Questions),
        (WaitingFor::RespondToAnswers, Place::Questions),
        (
            WaitingFor::New(New::Entry(K::Pledge)),
            Place::Entries(K::Pledge),
        ),
        (
            WaitingFor::New(New::Received),
            Place::Entries(K::Acknowledgement),
        ),
        (WaitingFor::New(New::Verdicts), Place::Feelings),
        (
            WaitingFor::New(New::StatementResponse),
            Place::Entries(K::Accountability),
        ),
        (WaitingFor::New(New::AnswerResponses), Place::Questions),
        (WaitingFor::New(New::InPerson), Place::Questions),
        (WaitingFor::New(New::TriggerReplies), Place::Triggers),
        (WaitingFor::New(New::Decisions), Place::Transparency),
        (WaitingFor::New(New::Evidence), Place::Evidence),
        (
            WaitingFor::New(New::MySideOpened),
            Place::Entries(K::MySide),
        ),
        (
            WaitingFor::New(New::ContextOpened),
            Place::Entries(K::Context),
        ),
        (WaitingFor::New(New::Journal), Place::Journal),
    ];
    for (what, place) in cases {
        assert_eq!(Waiting { what, count: 1 }.place(), place, "{what:?}");
    }
    assert_eq!(Place::Entries(K::Pledge).area(), Some(Area::Honesty));
    assert_eq!(Place::Entries(K::MySide).area(), Some(Area::Feelings));
    assert_eq!(Place::Triggers.area(), Some(Area::Patience));
    assert_eq!(Place::Journal.area(), None);
}
