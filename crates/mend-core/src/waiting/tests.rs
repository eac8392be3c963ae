//! The dashboard's rules, one by one: each fires, does not, and counts.

use super::*;
use crate::ending::Ending;
use crate::journey_state::Ended;
use crate::rhythm::Rhythm;
use crate::time::Duration;
use crate::PersonId;

const NOW: Timestamp = Timestamp(1_000_000_000_000);

fn facts(role: Role) -> JourneyFacts {
    JourneyFacts {
        role,
        opened_at: NOW - Duration::days(1),
        state: JourneyState::default(),
        acknowledgements: Vec::new(),
        statements: Vec::new(),
        intentions_sent: Vec::new(),
        recommitments_sent: Vec::new(),
        last_check_in: None,
        feelings: Vec::new(),
        unanswered_triggers: 0,
        transparency_offers: 0,
        questions: Vec::new(),
        answers: Vec::new(),
    }
}

/// A repairing partner who has sent their acknowledgement, so that item is out of the way.
fn repairing() -> JourneyFacts {
    JourneyFacts {
        acknowledgements: vec![sent()],
        ..facts(Role::RepairingPartner)
    }
}

fn hurt() -> JourneyFacts {
    facts(Role::HurtPartner)
}

fn written(state: EntryState) -> Written {
    Written {
        state,
        received: false,
        response: None,
    }
}

fn sent() -> Written {
    written(EntryState::Sent)
}

fn statement(response: Option<StatementResponse>) -> Written {
    Written { response, ..sent() }
}

fn question(withdrawn: bool) -> Question {
    Question {
        id: QuestionId::new(),
        withdrawn,
    }
}

fn answer(to: &Question, at: i64) -> Answer {
    Answer {
        question: to.id,
        created_at: Timestamp(at),
        withdrawn: false,
        response: None,
    }
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
    let mut r = facts(Role::RepairingPartner);
    for state in [EntryState::Draft, EntryState::Withdrawn] {
        r.acknowledgements = vec![written(state)];
        assert_eq!(items(&r), one(WaitingFor::WriteAcknowledgement));
    }
    r.acknowledgements = vec![written(EntryState::Withdrawn), sent()];
    assert_eq!(items(&r), vec![]);

    let mut h = hurt();
    h.acknowledgements = vec![written(EntryState::Draft), written(EntryState::Withdrawn)];
    assert_eq!(items(&h), vec![]);
    h.acknowledgements = vec![sent(), sent()];
    assert_eq!(items(&h), one(WaitingFor::ReadAcknowledgement));
    let read = Written {
        received: true,
        ..sent()
    };
    h.acknowledgements = vec![read, sent()];
    assert_eq!(items(&h), one(WaitingFor::ReadAcknowledgement));
    h.acknowledgements = vec![read];
    assert_eq!(items(&h), vec![]);
    // Reading is the hurt partner's: the writer is not asked to.
    r.acknowledgements = vec![sent()];
    assert_eq!(items(&r), vec![]);
}

#[test]
fn feelings_wait_for_a_reflection_and_reflections_for_an_answer() {
    let standing = vec![
        Listening::AwaitingReflection,
        Listening::AwaitingVerdict,
        Listening::Heard,
        Listening::AwaitingReflection,
    ];
    let r = JourneyFacts {
        feelings: standing.clone(),
        ..repairing()
    };
    assert_eq!(items(&r), vec![(WaitingFor::ReflectFeelings, 2)]);
    let h = JourneyFacts {
        feelings: standing,
        ..hurt()
    };
    assert_eq!(items(&h), vec![(WaitingFor::AnswerReflections, 1)]);
    let heard = JourneyFacts {
        feelings: vec![Listening::Heard],
        ..repairing()
    };
    assert_eq!(items(&heard), vec![]);
    assert_eq!(
        items(&JourneyFacts {
            feelings: vec![Listening::Heard],
            ..hurt()
        }),
        vec![]
    );
}

#[test]
fn statements_wait_for_a_response_and_something_missing_goes_back_to_the_writer() {
    use StatementResponse::{FeelsGenuine, SomethingMissing};
    let statements = vec![
        statement(None),
        statement(Some(FeelsGenuine)),
        written(EntryState::Withdrawn),
        statement(None),
        written(EntryState::Draft),
    ];
    let h = JourneyFacts {
        statements: statements.clone(),
        ..hurt()
    };
    assert_eq!(items(&h), vec![(WaitingFor::RespondToStatements, 2)]);
    let r = JourneyFacts {
        statements,
        ..repairing()
    };
    assert_eq!(items(&r), vec![]);

    // Only the latest sent statement counts for the writer; withdrawn ones and drafts
    // after it do not hide it.
    let mut r = repairing();
    r.statements = vec![
        statement(Some(SomethingMissing)),
        written(EntryState::Withdrawn),
        written(EntryState::Draft),
    ];
    assert_eq!(items(&r), one(WaitingFor::AddWhatIsMissing));
    r.statements.push(statement(None));
    assert_eq!(items(&r), vec![]);
    r.statements.push(statement(Some(FeelsGenuine)));
    assert_eq!(items(&r), vec![]);
    let h = JourneyFacts {
        statements: vec![statement(Some(SomethingMissing))],
        ..hurt()
    };
    assert_eq!(items(&h), vec![]);
}

#[test]
fn recommitment_is_due_from_the_start_of_the_day_for_the_repairing_partner_only() {
    let week = Duration::days(7);
    // NOW is 01:46 UTC; today began at 00:00.
    let today = Zone::utc().start_of_day_after(NOW, 0);
    let mut r = repairing();
    r.recommitments_sent = vec![NOW - week - week];
    assert_eq!(items(&r), vec![], "no intention, no rhythm");
    r.intentions_sent = vec![NOW - week];
    assert_eq!(items(&r), one(WaitingFor::Recommit));
    r.recommitments_sent = vec![today - week + Duration::days(1)];
    assert_eq!(items(&r), vec![], "due from tomorrow");
    r.recommitments_sent.push(NOW - week);
    assert_eq!(items(&r), vec![], "the latest recommitment counts");
    r.recommitments_sent = vec![today - week + Duration::days(1) - Duration(1)];
    assert_eq!(
        items(&r),
        one(WaitingFor::Recommit),
        "the day counts, not the hour"
    );
    r.state.recommit_rhythm = Rhythm::Fortnightly;
    assert_eq!(items(&r), vec![]);

    let h = JourneyFacts {
        intentions_sent: vec![NOW - week],
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
fn questions_wait_until_an_answer_stands() {
    let open = question(false);
    let withdrawn = question(true);
    let answered = question(false);
    let answer_withdrawn = question(false);
    let mut r = repairing();
    r.questions = vec![open, withdrawn, answered, answer_withdrawn];
    r.answers = vec![
        answer(&answered, 1),
        Answer {
            withdrawn: true,
            ..answer(&answer_withdrawn, 2)
        },
    ];
    assert_eq!(items(&r), vec![(WaitingFor::AnswerQuestions, 2)]);
    let h = JourneyFacts {
        questions: r.questions.clone(),
        ..hurt()
    };
    assert_eq!(items(&h), vec![]);
}

#[test]
fn an_answer_asked_about_again_waits_until_a_newer_answer_to_the_same_question() {
    let q = question(false);
    let other = question(false);
    let more = Answer {
        response: Some(Response::NeedMore),
        ..answer(&q, 10)
    };
    let mut r = repairing();
    r.questions = vec![q, other];
    r.answers = vec![more, answer(&other, 20)];
    assert_eq!(
        items(&r),
        vec![(WaitingFor::SayMore, 1)],
        "a newer answer to another question does not count"
    );
    r.answers.push(answer(&q, 10));
    assert_eq!(
        items(&r),
        vec![(WaitingFor::SayMore, 1)],
        "an answer at the same moment is not newer"
    );
    r.answers.push(Answer {
        withdrawn: true,
        ..answer(&q, 11)
    });
    assert_eq!(items(&r), vec![], "a newer answer, even withdrawn since");

    // Each answer asked about counts, and a withdrawn one still waits.
    r.answers = vec![
        Answer {
            withdrawn: true,
            ..more
        },
        Answer {
            response: Some(Response::NeedMore),
            ..answer(&other, 20)
        },
    ];
    assert_eq!(
        items(&r),
        vec![(WaitingFor::AnswerQuestions, 1), (WaitingFor::SayMore, 2)]
    );
    for response in [Response::ThisHelps, Response::ComeBackLater] {
        r.answers = vec![Answer {
            response: Some(response),
            ..answer(&q, 10)
        }];
        assert_eq!(items(&r), vec![(WaitingFor::AnswerQuestions, 1)]);
    }
}

#[test]
fn answers_wait_for_the_hurt_partners_response() {
    let q = question(false);
    let mut h = hurt();
    h.questions = vec![q];
    h.answers = vec![
        answer(&q, 1),
        Answer {
            withdrawn: true,
            ..answer(&q, 2)
        },
        Answer {
            response: Some(Response::NeedMore),
            ..answer(&q, 3)
        },
        answer(&q, 4),
    ];
    assert_eq!(items(&h), vec![(WaitingFor::RespondToAnswers, 2)]);
    h.answers.truncate(3);
    assert_eq!(items(&h), vec![(WaitingFor::RespondToAnswers, 1)]);
    h.answers.remove(0);
    assert_eq!(items(&h), vec![]);
}

#[test]
fn everything_at_once_is_listed_in_the_dashboards_order() {
    let q = question(false);
    let asked = question(false);
    let state = JourneyState {
        closing_proposed_at: Some(NOW),
        check_in_rhythm: Some(Rhythm::Daily),
        ..JourneyState::default()
    };
    let all = JourneyFacts {
        role: Role::RepairingPartner,
        opened_at: NOW - Duration::days(30),
        state,
        acknowledgements: vec![],
        statements: vec![
            statement(Some(StatementResponse::SomethingMissing)),
            statement(None),
            Written {
                state: EntryState::Sent,
                received: false,
                response: Some(StatementResponse::SomethingMissing),
            },
        ],
        intentions_sent: vec![NOW - Duration::days(7)],
        recommitments_sent: vec![],
        last_check_in: None,
        feelings: vec![Listening::AwaitingReflection, Listening::AwaitingVerdict],
        unanswered_triggers: 2,
        transparency_offers: 1,
        questions: vec![q, asked],
        answers: vec![Answer {
            response: Some(Response::NeedMore),
            ..answer(&asked, 1)
        }],
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
        ]
    );
    let all = JourneyFacts {
        role: Role::HurtPartner,
        acknowledgements: vec![sent()],
        answers: vec![answer(&q, 2), answer(&asked, 3)],
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
        ]
    );
    let places: Vec<Place> = what_waits(&all, NOW, &Zone::utc())
        .iter()
        .map(Waiting::place)
        .collect();
    assert_eq!(
        places,
        vec![
            Place::Acknowledge,
            Place::Feelings,
            Place::Accountability,
            Place::Patience,
            Place::Transparency,
            Place::Questions,
        ]
    );

    // An ended journey stays readable and asks nothing of either partner.
    for role in [Role::RepairingPartner, Role::HurtPartner] {
        let mut ended = JourneyFacts {
            role,
            ..all.clone()
        };
        ended.state.ended = Some(Ended {
            how: Ending::PartedWithCare,
            by: PersonId::new(),
            at: NOW,
        });
        assert_eq!(items(&ended), vec![]);
    }
}

#[test]
fn every_reason_has_its_page() {
    let cases = [
        (WaitingFor::WriteAcknowledgement, Place::Acknowledge),
        (WaitingFor::ReadAcknowledgement, Place::Acknowledge),
        (WaitingFor::ReflectFeelings, Place::Feelings),
        (WaitingFor::AnswerReflections, Place::Feelings),
        (WaitingFor::RespondToStatements, Place::Accountability),
        (WaitingFor::AddWhatIsMissing, Place::Accountability),
        (WaitingFor::Recommit, Place::Recommit),
        (WaitingFor::AnswerClosing, Place::Endings),
        (WaitingFor::CheckIn, Place::Patience),
        (WaitingFor::ReplyToTriggers, Place::Triggers),
        (WaitingFor::DecideOnOffers, Place::Transparency),
        (WaitingFor::AnswerQuestions, Place::Questions),
        (WaitingFor::SayMore, Place::Questions),
        (WaitingFor::RespondToAnswers, Place::Questions),
    ];
    for (what, place) in cases {
        assert_eq!(Waiting { what, count: 1 }.place(), place, "{what:?}");
    }
}
