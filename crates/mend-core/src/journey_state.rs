//! What a journey's partners have chosen along the way: the rhythms they keep, whether
//! reassurance notes are muted, which conversations the hurt partner has opened, and how the
//! journey ended. Each change is checked here, by role, before the store makes it.

use crate::ending::{
    may_agree_closing, may_part, may_propose_closing, may_withdraw_closing, Ending, EndingRefusal,
};
use crate::ids::PersonId;
use crate::rhythm::Rhythm;
use crate::time::Timestamp;
use crate::Role;

/// How a journey ended, by whose decision, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ended {
    pub how: Ending,
    /// Who made the decision that ended it (for a closed chapter, who agreed last).
    pub by: PersonId,
    pub at: Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JourneyState {
    /// While set, the repairing partner cannot send reassurance notes.
    pub reassurance_muted_at: Option<Timestamp>,
    /// The hurt partner's check-in rhythm; none means "whenever I want".
    pub check_in_rhythm: Option<Rhythm>,
    pub recommit_rhythm: Rhythm,
    /// When the hurt partner opened the repairing partner's "my side".
    pub my_side_opened_at: Option<Timestamp>,
    /// When the hurt partner opened the context conversation.
    pub context_opened_at: Option<Timestamp>,
    /// When the hurt partner proposed closing the chapter, while it waits for agreement.
    pub closing_proposed_at: Option<Timestamp>,
    pub ended: Option<Ended>,
}

impl Default for JourneyState {
    fn default() -> Self {
        Self {
            reassurance_muted_at: None,
            check_in_rhythm: None,
            recommit_rhythm: Rhythm::RECOMMIT_DEFAULT,
            my_side_opened_at: None,
            context_opened_at: None,
            closing_proposed_at: None,
            ended: None,
        }
    }
}

/// One change to a journey's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JourneyChange {
    MuteReassurance,
    UnmuteReassurance,
    CheckInRhythm(Option<Rhythm>),
    RecommitRhythm(Rhythm),
    OpenMySide,
    OpenContext,
    ProposeClosing,
    WithdrawClosing,
    AgreeClosing,
    PartWithCare,
}

/// Why a change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JourneyRefusal {
    #[error("this choice belongs to the other partner")]
    NotYours,
    #[error("this is already so")]
    AlreadySo,
    #[error(transparent)]
    Ending(#[from] EndingRefusal),
}

impl JourneyState {
    pub fn is_ended(&self) -> bool {
        self.ended.is_some()
    }

    /// Whether a person in `role` may make `change` now.
    pub fn may(&self, change: JourneyChange, role: Role) -> Result<(), JourneyRefusal> {
        let ended = self.is_ended();
        let proposed = self.closing_proposed_at.is_some();
        match change {
            JourneyChange::ProposeClosing => Ok(may_propose_closing(role, proposed, ended)?),
            JourneyChange::WithdrawClosing => Ok(may_withdraw_closing(role, proposed, ended)?),
            JourneyChange::AgreeClosing => Ok(may_agree_closing(role, proposed, ended)?),
            JourneyChange::PartWithCare => Ok(may_part(ended)?),
            _ if ended => Err(EndingRefusal::Ended.into()),
            JourneyChange::RecommitRhythm(_) if role != Role::RepairingPartner => {
                Err(JourneyRefusal::NotYours)
            }
            JourneyChange::RecommitRhythm(_) => Ok(()),
            _ if role != Role::HurtPartner => Err(JourneyRefusal::NotYours),
            JourneyChange::MuteReassurance if self.reassurance_muted_at.is_some() => {
                Err(JourneyRefusal::AlreadySo)
            }
            JourneyChange::UnmuteReassurance if self.reassurance_muted_at.is_none() => {
                Err(JourneyRefusal::AlreadySo)
            }
            JourneyChange::OpenMySide if self.my_side_opened_at.is_some() => {
                Err(JourneyRefusal::AlreadySo)
            }
            JourneyChange::OpenContext if self.context_opened_at.is_some() => {
                Err(JourneyRefusal::AlreadySo)
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use JourneyChange::*;
    use Role::*;

    #[test]
    fn the_hurt_partner_sets_the_pace() {
        let s = JourneyState::default();
        for change in [
            MuteReassurance,
            CheckInRhythm(Some(Rhythm::Weekly)),
            CheckInRhythm(None),
            OpenMySide,
            OpenContext,
        ] {
            assert_eq!(s.may(change, HurtPartner), Ok(()), "{change:?}");
            assert_eq!(
                s.may(change, RepairingPartner),
                Err(JourneyRefusal::NotYours),
                "{change:?}"
            );
        }
        assert_eq!(
            s.may(UnmuteReassurance, HurtPartner),
            Err(JourneyRefusal::AlreadySo)
        );
    }

    #[test]
    fn the_repairing_partner_chooses_only_their_own_recommitment_rhythm() {
        let s = JourneyState::default();
        assert_eq!(s.recommit_rhythm, Rhythm::Weekly);
        assert_eq!(
            s.may(RecommitRhythm(Rhythm::Monthly), RepairingPartner),
            Ok(())
        );
        assert_eq!(
            s.may(RecommitRhythm(Rhythm::Monthly), HurtPartner),
            Err(JourneyRefusal::NotYours)
        );
    }

    #[test]
    fn opened_stays_open_and_muted_can_be_unmuted() {
        let s = JourneyState {
            my_side_opened_at: Some(Timestamp(1)),
            context_opened_at: Some(Timestamp(1)),
            reassurance_muted_at: Some(Timestamp(1)),
            ..JourneyState::default()
        };
        assert_eq!(
            s.may(OpenMySide, HurtPartner),
            Err(JourneyRefusal::AlreadySo)
        );
        assert_eq!(
            s.may(OpenContext, HurtPartner),
            Err(JourneyRefusal::AlreadySo)
        );
        assert_eq!(s.may(UnmuteReassurance, HurtPartner), Ok(()));
        assert_eq!(
            s.may(MuteReassurance, HurtPartner),
            Err(JourneyRefusal::AlreadySo)
        );
    }

    #[test]
    fn an_ended_journey_changes_no_more() {
        let s = JourneyState {
            ended: Some(Ended {
                how: Ending::PartedWithCare,
                by: PersonId::new(),
                at: Timestamp(5),
            }),
            ..JourneyState::default()
        };
        for (change, role) in [
            (MuteReassurance, HurtPartner),
            (OpenContext, HurtPartner),
            (RecommitRhythm(Rhythm::Daily), RepairingPartner),
            (PartWithCare, RepairingPartner),
            (ProposeClosing, HurtPartner),
        ] {
            assert_eq!(
                s.may(change, role),
                Err(JourneyRefusal::Ending(EndingRefusal::Ended)),
                "{change:?}"
            );
        }
    }
}
