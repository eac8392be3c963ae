//! Invitations: how the second partner joins a space.

use crate::ids::{PersonId, SpaceId};
use crate::time::{Duration, Timestamp};

/// How long an invitation link stays valid.
pub const INVITE_LIFETIME: Duration = Duration::hours(72);

/// Why an invitation cannot be accepted. Each has its own page; none changes anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InviteRefusal {
    #[error("no invitation has this code")]
    Unknown,
    #[error("this invitation has already been used")]
    Used,
    #[error("this invitation has expired")]
    Expired,
    #[error("this invitation was withdrawn")]
    Revoked,
    #[error("this is your own invitation")]
    OwnInvite,
    #[error("you already belong to a space")]
    AlreadyInASpace,
    #[error("this space already has two partners")]
    SpaceFull,
    #[error("the private safety check comes first")]
    SafetyCheckFirst,
}

/// What is true of an invitation for whoever holds it.
#[derive(Debug, Clone, Copy)]
pub struct InviteStatus {
    pub expires_at: Timestamp,
    pub used: bool,
    pub revoked: bool,
}

impl InviteStatus {
    /// Whether the invitation itself can still be used.
    pub fn usable(&self, now: Timestamp) -> Result<(), InviteRefusal> {
        if self.revoked {
            return Err(InviteRefusal::Revoked);
        }
        if self.used {
            return Err(InviteRefusal::Used);
        }
        if now >= self.expires_at {
            return Err(InviteRefusal::Expired);
        }
        Ok(())
    }
}

/// The facts about an invitation and the person holding it that decide whether they may join.
#[derive(Debug, Clone)]
pub struct InviteCheck {
    pub space: SpaceId,
    pub created_by: PersonId,
    pub status: InviteStatus,
    pub members_in_space: usize,
    pub joiner: PersonId,
    pub joiner_space: Option<SpaceId>,
    pub joiner_safety_cleared: bool,
}

impl InviteCheck {
    /// Whether `joiner` may accept now. The order matters: what is true of the invitation for
    /// everyone comes before what is true of this person.
    pub fn may_accept(&self, now: Timestamp) -> Result<(), InviteRefusal> {
        self.status.usable(now)?;
        if self.created_by == self.joiner || self.joiner_space == Some(self.space) {
            return Err(InviteRefusal::OwnInvite);
        }
        if self.joiner_space.is_some() {
            return Err(InviteRefusal::AlreadyInASpace);
        }
        if self.members_in_space >= 2 {
            return Err(InviteRefusal::SpaceFull);
        }
        if !self.joiner_safety_cleared {
            return Err(InviteRefusal::SafetyCheckFirst);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check() -> InviteCheck {
        InviteCheck {
            space: SpaceId::new(),
            created_by: PersonId::new(),
            status: InviteStatus {
                expires_at: Timestamp(1_000),
                used: false,
                revoked: false,
            },
            members_in_space: 1,
            joiner: PersonId::new(),
            joiner_space: None,
            joiner_safety_cleared: true,
        }
    }

    #[test]
    fn a_fresh_invitation_can_be_accepted_by_someone_else() {
        assert_eq!(check().may_accept(Timestamp(999)), Ok(()));
    }

    #[test]
    fn expiry_is_exact() {
        assert_eq!(
            check().may_accept(Timestamp(1_000)),
            Err(InviteRefusal::Expired)
        );
    }

    #[test]
    fn each_refusal_has_its_reason() {
        let now = Timestamp(0);
        let mut c = check();
        c.status.used = true;
        assert_eq!(c.may_accept(now), Err(InviteRefusal::Used));
        let mut c = check();
        c.status.revoked = true;
        assert_eq!(c.may_accept(now), Err(InviteRefusal::Revoked));
        let mut c = check();
        c.joiner = c.created_by;
        assert_eq!(c.may_accept(now), Err(InviteRefusal::OwnInvite));
        let mut c = check();
        c.joiner_space = Some(SpaceId::new());
        assert_eq!(c.may_accept(now), Err(InviteRefusal::AlreadyInASpace));
        let mut c = check();
        c.members_in_space = 2;
        assert_eq!(c.may_accept(now), Err(InviteRefusal::SpaceFull));
        let mut c = check();
        c.joiner_safety_cleared = false;
        assert_eq!(c.may_accept(now), Err(InviteRefusal::SafetyCheckFirst));
    }

    #[test]
    fn lifetime_is_72_hours() {
        assert_eq!(INVITE_LIFETIME, Duration(72 * 3_600_000));
    }
}
