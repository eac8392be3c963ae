//! Endings: a journey ends in one of two ways, both legitimate. "We choose to close this
//! chapter" is proposed by the hurt partner and agreed by both; "we part with care" may be
//! decided by either partner alone. Neither is a failure, and an ended journey stays readable.
//! A third ending is no one's choice within the journey: one partner left the space or Mend
//! itself, and the journey stays readable to the one who remains.

use crate::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Both chose to close this chapter.
    ClosedChapter,
    /// They parted with care.
    PartedWithCare,
    /// One partner left the space, or deleted their account; nothing more is said of why.
    PartnerLeft,
}

impl Ending {
    pub fn as_str(self) -> &'static str {
        match self {
            Ending::ClosedChapter => "closed_chapter",
            Ending::PartedWithCare => "parted_with_care",
            Ending::PartnerLeft => "partner_left",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Ending::ClosedChapter,
            Ending::PartedWithCare,
            Ending::PartnerLeft,
        ]
        .into_iter()
        .find(|e| e.as_str() == value)
    }
}

/// Why a step towards an ending is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EndingRefusal {
    #[error("only the partner who was hurt proposes closing the chapter")]
    OnlyTheHurtPartnerProposes,
    #[error("the other partner agrees to close the chapter")]
    OnlyTheOtherPartnerAgrees,
    #[error("closing the chapter has not been proposed")]
    NotProposed,
    #[error("closing the chapter is already proposed")]
    AlreadyProposed,
    #[error("the journey has ended")]
    Ended,
}

/// The hurt partner proposes closing the chapter, once, while the journey goes on.
pub fn may_propose_closing(role: Role, proposed: bool, ended: bool) -> Result<(), EndingRefusal> {
    if ended {
        return Err(EndingRefusal::Ended);
    }
    if role != Role::HurtPartner {
        return Err(EndingRefusal::OnlyTheHurtPartnerProposes);
    }
    if proposed {
        return Err(EndingRefusal::AlreadyProposed);
    }
    Ok(())
}

/// The hurt partner may take their proposal back before it is agreed.
pub fn may_withdraw_closing(role: Role, proposed: bool, ended: bool) -> Result<(), EndingRefusal> {
    if ended {
        return Err(EndingRefusal::Ended);
    }
    if role != Role::HurtPartner {
        return Err(EndingRefusal::OnlyTheHurtPartnerProposes);
    }
    if !proposed {
        return Err(EndingRefusal::NotProposed);
    }
    Ok(())
}

/// The repairing partner agrees to the hurt partner's proposal; with it, both have agreed.
pub fn may_agree_closing(role: Role, proposed: bool, ended: bool) -> Result<(), EndingRefusal> {
    if ended {
        return Err(EndingRefusal::Ended);
    }
    if role != Role::RepairingPartner {
        return Err(EndingRefusal::OnlyTheOtherPartnerAgrees);
    }
    if !proposed {
        return Err(EndingRefusal::NotProposed);
    }
    Ok(())
}

/// Either partner may decide to part with care, while the journey goes on.
pub fn may_part(ended: bool) -> Result<(), EndingRefusal> {
    if ended {
        Err(EndingRefusal::Ended)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    #[test]
    fn closing_the_chapter_is_proposed_by_the_hurt_partner_and_agreed_by_the_other() {
        assert_eq!(may_propose_closing(HurtPartner, false, false), Ok(()));
        assert_eq!(
            may_propose_closing(RepairingPartner, false, false),
            Err(EndingRefusal::OnlyTheHurtPartnerProposes)
        );
        assert_eq!(
            may_propose_closing(HurtPartner, true, false),
            Err(EndingRefusal::AlreadyProposed)
        );
        assert_eq!(may_agree_closing(RepairingPartner, true, false), Ok(()));
        assert_eq!(
            may_agree_closing(HurtPartner, true, false),
            Err(EndingRefusal::OnlyTheOtherPartnerAgrees)
        );
        assert_eq!(
            may_agree_closing(RepairingPartner, false, false),
            Err(EndingRefusal::NotProposed)
        );
        assert_eq!(may_withdraw_closing(HurtPartner, true, false), Ok(()));
        assert_eq!(
            may_withdraw_closing(HurtPartner, false, false),
            Err(EndingRefusal::NotProposed)
        );
        assert_eq!(
            may_withdraw_closing(RepairingPartner, true, false),
            Err(EndingRefusal::OnlyTheHurtPartnerProposes)
        );
    }

    #[test]
    fn either_partner_may_part_and_nothing_ends_twice() {
        assert_eq!(may_part(false), Ok(()));
        assert_eq!(may_part(true), Err(EndingRefusal::Ended));
        assert_eq!(
            may_propose_closing(HurtPartner, false, true),
            Err(EndingRefusal::Ended)
        );
        assert_eq!(
            may_agree_closing(RepairingPartner, true, true),
            Err(EndingRefusal::Ended)
        );
        assert_eq!(
            may_withdraw_closing(HurtPartner, true, true),
            Err(EndingRefusal::Ended)
        );
    }

    #[test]
    fn names_round_trip() {
        for e in [
            Ending::ClosedChapter,
            Ending::PartedWithCare,
            Ending::PartnerLeft,
        ] {
            assert_eq!(Ending::parse(e.as_str()), Some(e));
        }
    }
}
