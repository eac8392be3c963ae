//! What waits for whom: the dashboard's list of what a journey asks of the viewer next.
//!
//! The caller gathers a journey's facts as the store holds them and passes the moment to
//! judge by; [`what_waits`] answers with the items in the order the dashboard lists them,
//! each with the page where it is done and how many things wait there. An ended journey asks
//! nothing.

use crate::entry::{EntryState, StatementResponse};
use crate::feeling::Listening;
use crate::ids::QuestionId;
use crate::journey::Role;
use crate::journey_state::JourneyState;
use crate::question::Response;
use crate::rhythm::recommitment_due;
use crate::store::{AnswerRecord, EntryRecord, QuestionRecord};
use crate::time::Timestamp;

/// The page of a journey where something is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Acknowledge,
    Feelings,
    Accountability,
    Recommit,
    Endings,
    Patience,
    Triggers,
    Transparency,
    Questions,
}

/// What the viewer is asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitingFor {
    /// The repairing partner has not sent their acknowledgement yet.
    WriteAcknowledgement,
    /// An acknowledgement was sent and the hurt partner has not opened it.
    ReadAcknowledgement,
    /// Feelings wait for the repairing partner's reflection.
    ReflectFeelings,
    /// Reflections wait for the hurt partner's answer.
    AnswerReflections,
    /// Accountability statements wait for the hurt partner's response.
    RespondToStatements,
    /// The hurt partner said something is missing from the latest statement.
    AddWhatIsMissing,
    /// The repairing partner's recommitment is due on their rhythm.
    Recommit,
    /// The hurt partner proposed closing the chapter.
    AnswerClosing,
    /// A check-in is due on the hurt partner's rhythm.
    CheckIn,
    /// Triggers wait for the repairing partner's reply.
    ReplyToTriggers,
    /// Transparency offers wait for the hurt partner's decision.
    DecideOnOffers,
    /// Questions wait for an answer.
    AnswerQuestions,
    /// Answers the hurt partner asked more about, not answered again yet.
    SayMore,
    /// Answers wait for the hurt partner's response.
    RespondToAnswers,
}

impl WaitingFor {
    /// The page where it is done.
    pub fn place(self) -> Place {
        match self {
            WaitingFor::WriteAcknowledgement | WaitingFor::ReadAcknowledgement => {
                Place::Acknowledge
            }
            WaitingFor::ReflectFeelings | WaitingFor::AnswerReflections => Place::Feelings,
            WaitingFor::RespondToStatements | WaitingFor::AddWhatIsMissing => Place::Accountability,
            WaitingFor::Recommit => Place::Recommit,
            WaitingFor::AnswerClosing => Place::Endings,
            WaitingFor::CheckIn => Place::Patience,
            WaitingFor::ReplyToTriggers => Place::Triggers,
            WaitingFor::DecideOnOffers => Place::Transparency,
            WaitingFor::AnswerQuestions | WaitingFor::SayMore | WaitingFor::RespondToAnswers => {
                Place::Questions
            }
        }
    }
}

/// One item on the dashboard: what waits, and how many of it (at least one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub what: WaitingFor,
    pub count: usize,
}

impl Waiting {
    pub fn place(&self) -> Place {
        self.what.place()
    }
}

/// A written entry of the journey (an acknowledgement, an accountability statement), without
/// its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    pub state: EntryState,
    /// The partner it was written to has opened it.
    pub received: bool,
    /// The hurt partner's response to a statement.
    pub response: Option<StatementResponse>,
}

impl From<&EntryRecord> for Written {
    fn from(e: &EntryRecord) -> Self {
        Written {
            state: e.state,
            received: e.received_at.is_some(),
            response: e.response,
        }
    }
}

/// A question of the journey, asked or asked again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    pub id: QuestionId,
    pub withdrawn: bool,
}

impl From<&QuestionRecord> for Question {
    fn from(q: &QuestionRecord) -> Self {
        Question {
            id: q.id,
            withdrawn: q.withdrawn_at.is_some(),
        }
    }
}

/// An answer to one of the journey's questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    pub question: QuestionId,
    pub created_at: Timestamp,
    pub withdrawn: bool,
    /// The hurt partner's response, once they gave one.
    pub response: Option<Response>,
}

impl From<&AnswerRecord> for Answer {
    fn from(a: &AnswerRecord) -> Self {
        Answer {
            question: a.question,
            created_at: a.created_at,
            withdrawn: a.withdrawn_at.is_some(),
            response: a.response,
        }
    }
}

/// What the store holds about one journey, as far as the dashboard needs it. Lists are
/// oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JourneyFacts {
    /// The viewer's role in the journey.
    pub role: Role,
    /// When the journey was opened: a check-in rhythm counts from here until the first one.
    pub opened_at: Timestamp,
    pub state: JourneyState,
    pub acknowledgements: Vec<Written>,
    pub statements: Vec<Written>,
    /// When each intention was sent.
    pub intentions_sent: Vec<Timestamp>,
    /// When each recommitment was sent.
    pub recommitments_sent: Vec<Timestamp>,
    /// When the last check-in was made.
    pub last_check_in: Option<Timestamp>,
    /// Where each feeling that was not withdrawn stands.
    pub feelings: Vec<Listening>,
    /// Triggers not replied to yet.
    pub unanswered_triggers: usize,
    /// Transparency agreements offered and not decided yet.
    pub transparency_offers: usize,
    pub questions: Vec<Question>,
    pub answers: Vec<Answer>,
}

/// What waits for the viewer in this journey at `now`, in the order the dashboard lists it.
pub fn what_waits(facts: &JourneyFacts, now: Timestamp) -> Vec<Waiting> {
    // An ended journey stays readable and asks nothing more of anyone.
    if facts.state.is_ended() {
        return Vec::new();
    }
    let mut items = Items::default();
    match facts.role {
        Role::RepairingPartner => {
            let sent = facts
                .acknowledgements
                .iter()
                .any(|e| e.state == EntryState::Sent);
            items.once(WaitingFor::WriteAcknowledgement, !sent);
            items.add(
                WaitingFor::ReflectFeelings,
                count_of(facts, Listening::AwaitingReflection),
            );
            let latest = facts
                .statements
                .iter()
                .rev()
                .find(|e| e.state == EntryState::Sent);
            items.once(
                WaitingFor::AddWhatIsMissing,
                latest.and_then(|e| e.response) == Some(StatementResponse::SomethingMissing),
            );
            // Recommitment is due on the rhythm the repairing partner chose, once an intention
            // was sent; it is shown to them only.
            let due = recommitment_due(
                facts.state.recommit_rhythm,
                facts.intentions_sent.iter().copied(),
                facts.recommitments_sent.iter().copied(),
            );
            items.once(WaitingFor::Recommit, due.is_some_and(|at| at <= now));
            items.once(
                WaitingFor::AnswerClosing,
                facts.state.closing_proposed_at.is_some(),
            );
            items.add(WaitingFor::ReplyToTriggers, facts.unanswered_triggers);
            items.add(WaitingFor::AnswerQuestions, open_questions(facts));
            items.add(WaitingFor::SayMore, asked_for_more(facts));
        }
        Role::HurtPartner => {
            let unread = facts
                .acknowledgements
                .iter()
                .any(|e| e.state == EntryState::Sent && !e.received);
            items.once(WaitingFor::ReadAcknowledgement, unread);
            items.add(
                WaitingFor::AnswerReflections,
                count_of(facts, Listening::AwaitingVerdict),
            );
            let unanswered = facts
                .statements
                .iter()
                .filter(|e| e.state == EntryState::Sent && e.response.is_none())
                .count();
            items.add(WaitingFor::RespondToStatements, unanswered);
            // The check-in rhythm is a reminder for the hurt partner alone.
            let check_in = facts
                .state
                .check_in_rhythm
                .is_some_and(|r| r.is_due(facts.last_check_in, facts.opened_at, now));
            items.once(WaitingFor::CheckIn, check_in);
            items.add(WaitingFor::DecideOnOffers, facts.transparency_offers);
            let unanswered = facts
                .answers
                .iter()
                .filter(|a| a.response.is_none() && !a.withdrawn)
                .count();
            items.add(WaitingFor::RespondToAnswers, unanswered);
        }
    }
    items.0
}

/// The items so far; nothing that counts none is listed.
#[derive(Default)]
struct Items(Vec<Waiting>);

impl Items {
    fn add(&mut self, what: WaitingFor, count: usize) {
        if count > 0 {
            self.0.push(Waiting { what, count });
        }
    }

    fn once(&mut self, what: WaitingFor, waits: bool) {
        self.add(what, usize::from(waits));
    }
}

fn count_of(facts: &JourneyFacts, listening: Listening) -> usize {
    facts.feelings.iter().filter(|l| **l == listening).count()
}

/// Questions not withdrawn that have no answer standing (one not withdrawn).
fn open_questions(facts: &JourneyFacts) -> usize {
    facts
        .questions
        .iter()
        .filter(|q| !q.withdrawn)
        .filter(|q| {
            !facts
                .answers
                .iter()
                .any(|a| a.question == q.id && !a.withdrawn)
        })
        .count()
}

/// Answers the hurt partner asked more about, with no newer answer to the same question yet.
fn asked_for_more(facts: &JourneyFacts) -> usize {
    facts
        .answers
        .iter()
        .filter(|a| a.response == Some(Response::NeedMore))
        .filter(|a| {
            !facts
                .answers
                .iter()
                .any(|b| b.question == a.question && b.created_at > a.created_at)
        })
        .count()
}

#[cfg(test)]
mod tests {
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
        what_waits(facts, NOW)
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
    fn recommitment_is_due_from_the_exact_moment_for_the_repairing_partner_only() {
        let week = Duration::days(7);
        let mut r = repairing();
        r.recommitments_sent = vec![NOW - week - week];
        assert_eq!(items(&r), vec![], "no intention, no rhythm");
        r.intentions_sent = vec![NOW - week];
        assert_eq!(items(&r), one(WaitingFor::Recommit));
        r.recommitments_sent = vec![NOW - week + Duration(1)];
        assert_eq!(items(&r), vec![], "one millisecond before it is due");
        r.recommitments_sent.push(NOW - week);
        assert_eq!(items(&r), vec![], "the latest recommitment counts");
        r.recommitments_sent = vec![NOW - week];
        assert_eq!(items(&r), one(WaitingFor::Recommit));
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
    fn a_check_in_is_due_on_the_hurt_partners_rhythm_from_the_exact_moment() {
        let mut h = hurt();
        h.opened_at = NOW - Duration::days(1);
        assert_eq!(items(&h), vec![], "no rhythm, no reminder");
        h.state.check_in_rhythm = Some(Rhythm::Daily);
        assert_eq!(items(&h), one(WaitingFor::CheckIn), "a day after opening");
        h.opened_at = NOW - Duration::days(1) + Duration(1);
        assert_eq!(items(&h), vec![]);
        h.opened_at = NOW - Duration::days(30);
        h.last_check_in = Some(NOW - Duration::days(1) + Duration(1));
        assert_eq!(
            items(&h),
            vec![],
            "the last check-in counts, not the opening"
        );
        h.last_check_in = Some(NOW - Duration::days(1));
        assert_eq!(items(&h), one(WaitingFor::CheckIn));

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
        let places: Vec<Place> = what_waits(&all, NOW).iter().map(Waiting::place).collect();
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
}
