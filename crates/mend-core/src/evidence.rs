//! The hurt partner's evidence log: moments that built or shook their trust, kept as private
//! notes (see [`crate::private_note`]): private to them unless they choose to share an entry.

/// Whether a moment built trust or shook it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    Built,
    Shook,
}

impl Moment {
    pub fn as_str(self) -> &'static str {
        match self {
            Moment::Built => "built",
            Moment::Shook => "shook",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Moment::Built, Moment::Shook]
            .into_iter()
            .find(|m| m.as_str() == value)
    }
}

/// The longest evidence entry, in characters.
pub const MAX_EVIDENCE_CHARS: usize = 5_000;

/// Why an evidence action is refused. What is refused of an entry as a note is a
/// [`crate::private_note::NoteRefusal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceRefusal {
    #[error("the evidence log belongs to the partner who was hurt")]
    NotTheKeeper,
}

/// Only the hurt partner keeps an evidence log.
pub fn may_keep(role: crate::Role) -> Result<(), EvidenceRefusal> {
    match role {
        crate::Role::HurtPartner => Ok(()),
        crate::Role::RepairingPartner => Err(EvidenceRefusal::NotTheKeeper),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::private_note::{check_text, NoteRefusal};
    use crate::Role;

    #[test]
    fn only_the_hurt_partner_keeps_the_log() {
        assert_eq!(may_keep(Role::HurtPartner), Ok(()));
        assert_eq!(
            may_keep(Role::RepairingPartner),
            Err(EvidenceRefusal::NotTheKeeper)
        );
    }

    #[test]
    fn entries_are_checked_and_moments_parse() {
        let check = |text: &str| check_text(text, MAX_EVIDENCE_CHARS);
        assert_eq!(check("He told me about the call the same evening."), Ok(()));
        assert_eq!(check(" "), Err(NoteRefusal::Empty));
        assert_eq!(check(&"a".repeat(5001)), Err(NoteRefusal::TooLong));
        assert_eq!(Moment::parse("built"), Some(Moment::Built));
        assert_eq!(Moment::parse("shook"), Some(Moment::Shook));
        assert_eq!(Moment::parse("other"), None);
    }
}
