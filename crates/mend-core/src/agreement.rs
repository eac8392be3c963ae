//! Agreements: the commitments a relationship rests on. An explicit one is proposed by one
//! partner and accepted by the other; changing it needs both again, so a change is a new
//! proposal that, once accepted, supersedes the agreement it revises.

use crate::ids::PersonId;

/// The longest agreement, in characters.
pub const MAX_AGREEMENT_CHARS: usize = 2000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgreementState {
    Proposed,
    Accepted,
    Declined,
    Withdrawn,
    Superseded,
}

impl AgreementState {
    pub const ALL: [AgreementState; 5] = [
        AgreementState::Proposed,
        AgreementState::Accepted,
        AgreementState::Declined,
        AgreementState::Withdrawn,
        AgreementState::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgreementState::Proposed => "proposed",
            AgreementState::Accepted => "accepted",
            AgreementState::Declined => "declined",
            AgreementState::Withdrawn => "withdrawn",
            AgreementState::Superseded => "superseded",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// Why an agreement cannot be proposed or answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AgreementRefusal {
    #[error("an agreement needs some words")]
    Empty,
    #[error("the agreement is longer than 2000 characters")]
    TooLong,
    #[error("a proposal is answered by the other partner")]
    OwnProposal,
    #[error("only the partner who proposed it can withdraw a proposal")]
    NotYourProposal,
    #[error("the agreement is no longer open to that")]
    NotOpen,
}

pub fn check_text(text: &str) -> Result<(), AgreementRefusal> {
    if crate::text::is_blank(text) {
        return Err(AgreementRefusal::Empty);
    }
    if text.chars().count() > MAX_AGREEMENT_CHARS {
        return Err(AgreementRefusal::TooLong);
    }
    Ok(())
}

/// Whether `viewer` may accept or decline a proposal made by `proposer`.
pub fn may_answer(
    proposer: PersonId,
    viewer: PersonId,
    state: AgreementState,
) -> Result<(), AgreementRefusal> {
    if state != AgreementState::Proposed {
        return Err(AgreementRefusal::NotOpen);
    }
    if proposer == viewer {
        return Err(AgreementRefusal::OwnProposal);
    }
    Ok(())
}

/// Whether `viewer` may withdraw a proposal made by `proposer`.
pub fn may_withdraw(
    proposer: PersonId,
    viewer: PersonId,
    state: AgreementState,
) -> Result<(), AgreementRefusal> {
    if proposer != viewer {
        return Err(AgreementRefusal::NotYourProposal);
    }
    if state != AgreementState::Proposed {
        return Err(AgreementRefusal::NotOpen);
    }
    Ok(())
}

/// Only an agreement both accepted can be revised.
pub fn may_revise(state: AgreementState) -> Result<(), AgreementRefusal> {
    if state == AgreementState::Accepted {
        Ok(())
    } else {
        Err(AgreementRefusal::NotOpen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_other_partner_answers_a_proposal() {
        let (a, b) = (PersonId::new(), PersonId::new());
        assert_eq!(may_answer(a, b, AgreementState::Proposed), Ok(()));
        assert_eq!(
            may_answer(a, a, AgreementState::Proposed),
            Err(AgreementRefusal::OwnProposal)
        );
        for state in [
            AgreementState::Accepted,
            AgreementState::Declined,
            AgreementState::Withdrawn,
        ] {
            assert_eq!(may_answer(a, b, state), Err(AgreementRefusal::NotOpen));
        }
    }

    #[test]
    fn only_the_proposer_withdraws_an_open_proposal() {
        let (a, b) = (PersonId::new(), PersonId::new());
        assert_eq!(may_withdraw(a, a, AgreementState::Proposed), Ok(()));
        assert_eq!(
            may_withdraw(a, b, AgreementState::Proposed),
            Err(AgreementRefusal::NotYourProposal)
        );
        assert_eq!(
            may_withdraw(a, a, AgreementState::Accepted),
            Err(AgreementRefusal::NotOpen)
        );
    }

    #[test]
    fn only_accepted_agreements_are_revised() {
        assert_eq!(may_revise(AgreementState::Accepted), Ok(()));
        assert_eq!(
            may_revise(AgreementState::Superseded),
            Err(AgreementRefusal::NotOpen)
        );
        assert_eq!(
            may_revise(AgreementState::Proposed),
            Err(AgreementRefusal::NotOpen)
        );
    }

    #[test]
    fn text_is_bounded() {
        assert_eq!(
            check_text("We tell each other about money we spend over 200."),
            Ok(())
        );
        assert_eq!(check_text(" "), Err(AgreementRefusal::Empty));
        assert_eq!(
            check_text(&"a".repeat(2001)),
            Err(AgreementRefusal::TooLong)
        );
        for s in AgreementState::ALL {
            assert_eq!(AgreementState::parse(s.as_str()), Some(s));
        }
    }
}
