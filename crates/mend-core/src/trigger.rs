//! Triggers: the hurt partner signals "I'm triggered", with a note if they want; the repairing
//! partner replies once.

use crate::Role;

/// The longest note with a signal, and the longest reply, in characters.
pub const MAX_TRIGGER_CHARS: usize = 2_000;

/// Why a trigger cannot be signalled or replied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TriggerRefusal {
    #[error("a trigger is signalled by the hurt partner")]
    HurtPartnerSignals,
    #[error("a trigger is replied to by the repairing partner")]
    RepairingPartnerReplies,
    #[error("the signal has a reply already")]
    RepliedAlready,
}

pub fn may_signal(role: Role) -> Result<(), TriggerRefusal> {
    match role {
        Role::HurtPartner => Ok(()),
        Role::RepairingPartner => Err(TriggerRefusal::HurtPartnerSignals),
    }
}

pub fn may_reply(role: Role) -> Result<(), TriggerRefusal> {
    match role {
        Role::RepairingPartner => Ok(()),
        Role::HurtPartner => Err(TriggerRefusal::RepairingPartnerReplies),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hurt_partner_signals_and_the_repairing_partner_replies() {
        assert_eq!(may_signal(Role::HurtPartner), Ok(()));
        assert_eq!(
            may_signal(Role::RepairingPartner),
            Err(TriggerRefusal::HurtPartnerSignals)
        );
        assert_eq!(may_reply(Role::RepairingPartner), Ok(()));
        assert_eq!(
            may_reply(Role::HurtPartner),
            Err(TriggerRefusal::RepairingPartnerReplies)
        );
    }
}
