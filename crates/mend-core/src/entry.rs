//! Written entries of a journey: drafted privately, then sent, append-only.
//!
//! A sent entry is never edited: its author can only follow it with a correction that links
//! to it, or withdraw it, after which the partner sees that and when, but not the text.

/// What an entry is, which decides who writes it and what follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// What the repairing partner did, and which agreement it broke.
    Acknowledgement,
    /// The repairing partner's honesty pledge.
    Pledge,
    /// Something held back, told later; each one dated and linked to the acknowledgement.
    Disclosure,
    /// What the repairing partner did, its impact, and that it was their choice.
    Accountability,
    /// Why the repairing partner does this work, and what they commit to.
    Intention,
    /// A recommitment to the intention, with what the repairing partner did to live by it.
    Recommitment,
    /// A reassurance note from the repairing partner.
    Reassurance,
    /// The repairing partner's own perspective, once the hurt partner opens it.
    MySide,
    /// What in the relationship may have contributed, written by both once the hurt partner
    /// opens the conversation.
    Context,
}

/// Whether a kind of entry can be written yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    Always,
    /// Closed until the hurt partner opens "my side".
    MySide,
    /// Closed until the hurt partner opens the context conversation.
    Context,
}

/// What a new entry of a kind follows, once something of that kind was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowUp {
    /// A new entry corrects or adds to the latest one sent of the same kind.
    Correction,
    /// Each entry stands on its own and follows the latest acknowledgement.
    AddsToAcknowledgement,
    /// Each entry stands on its own.
    Standalone,
}

impl EntryKind {
    pub const ALL: [EntryKind; 9] = [
        EntryKind::Acknowledgement,
        EntryKind::Pledge,
        EntryKind::Disclosure,
        EntryKind::Accountability,
        EntryKind::Intention,
        EntryKind::Recommitment,
        EntryKind::Reassurance,
        EntryKind::MySide,
        EntryKind::Context,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Acknowledgement => "acknowledgement",
            EntryKind::Pledge => "pledge",
            EntryKind::Disclosure => "disclosure",
            EntryKind::Accountability => "accountability",
            EntryKind::Intention => "intention",
            EntryKind::Recommitment => "recommitment",
            EntryKind::Reassurance => "reassurance",
            EntryKind::MySide => "my_side",
            EntryKind::Context => "context",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// Whether a person in `role` writes this kind of entry: the context conversation is
    /// both partners'; everything else is the repairing partner's to write.
    pub fn is_written_by(self, role: crate::Role) -> bool {
        self == EntryKind::Context || role == crate::Role::RepairingPartner
    }

    pub fn gate(self) -> Gate {
        match self {
            EntryKind::MySide => Gate::MySide,
            EntryKind::Context => Gate::Context,
            _ => Gate::Always,
        }
    }

    /// Whether the reader marks entries of this kind received.
    pub fn is_marked_received(self) -> bool {
        self == EntryKind::Acknowledgement
    }

    /// Whether its page shows every entry of the kind at once: a statement and its corrections
    /// are read whole; notes, disclosures, recommitments and the conversations, which grow
    /// for as long as the journey lasts, are shown a window at a time.
    pub fn is_read_whole(self) -> bool {
        self.follow_up() == FollowUp::Correction
    }

    pub fn follow_up(self) -> FollowUp {
        match self {
            EntryKind::Acknowledgement
            | EntryKind::Pledge
            | EntryKind::Accountability
            | EntryKind::Intention
            | EntryKind::MySide => FollowUp::Correction,
            EntryKind::Disclosure => FollowUp::AddsToAcknowledgement,
            EntryKind::Recommitment | EntryKind::Reassurance | EntryKind::Context => {
                FollowUp::Standalone
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryState {
    Draft,
    Sent,
    Withdrawn,
}

impl EntryState {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Draft => "draft",
            EntryState::Sent => "sent",
            EntryState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [EntryState::Draft, EntryState::Sent, EntryState::Withdrawn]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// The longest entry, in characters.
pub const MAX_ENTRY_CHARS: usize = 20_000;

/// Why an action on an entry is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EntryRefusal {
    #[error("this kind of entry is written by the other partner")]
    NotTheWriter,
    #[error("only the partner who was hurt marks an entry received")]
    NotTheReader,
    #[error("only its author can do that")]
    NotTheAuthor,
    #[error("a sent entry cannot be edited")]
    AlreadySent,
    #[error("the entry is not in a state that allows this")]
    WrongState,
    #[error("an entry needs some words")]
    Empty,
    #[error("the entry is longer than 20,000 characters")]
    TooLong,
    #[error("only the partner who was hurt responds to this")]
    NotTheResponder,
}

/// The hurt partner's response to an accountability statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatementResponse {
    FeelsGenuine,
    SomethingMissing,
}

impl StatementResponse {
    pub fn as_str(self) -> &'static str {
        match self {
            StatementResponse::FeelsGenuine => "feels_genuine",
            StatementResponse::SomethingMissing => "something_missing",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            StatementResponse::FeelsGenuine,
            StatementResponse::SomethingMissing,
        ]
        .into_iter()
        .find(|r| r.as_str() == value)
    }
}

/// Whether the reader may respond to a sent entry: only to accountability statements, only the
/// hurt partner; a response may change later.
pub fn may_respond(
    kind: EntryKind,
    role: crate::Role,
    state: EntryState,
) -> Result<(), EntryRefusal> {
    if kind != EntryKind::Accountability {
        return Err(EntryRefusal::WrongState);
    }
    if role != crate::Role::HurtPartner {
        return Err(EntryRefusal::NotTheResponder);
    }
    if state != EntryState::Sent {
        return Err(EntryRefusal::WrongState);
    }
    Ok(())
}

/// Checks the text of a draft.
pub fn check_text(text: &str) -> Result<(), EntryRefusal> {
    if crate::text::is_blank(text) {
        return Err(EntryRefusal::Empty);
    }
    if text.chars().count() > MAX_ENTRY_CHARS {
        return Err(EntryRefusal::TooLong);
    }
    Ok(())
}

/// Whether a person in `role` may draft and send an entry of `kind`.
pub fn may_write(kind: EntryKind, role: crate::Role) -> Result<(), EntryRefusal> {
    if kind.is_written_by(role) {
        Ok(())
    } else {
        Err(EntryRefusal::NotTheWriter)
    }
}

/// Whether the reader may mark a sent entry received (once), for kinds that are received.
pub fn may_mark_received(
    kind: EntryKind,
    role: crate::Role,
    state: EntryState,
    already_received: bool,
) -> Result<(), EntryRefusal> {
    if !kind.is_marked_received() {
        return Err(EntryRefusal::WrongState);
    }
    if role != crate::Role::HurtPartner {
        return Err(EntryRefusal::NotTheReader);
    }
    if state != EntryState::Sent || already_received {
        return Err(EntryRefusal::WrongState);
    }
    Ok(())
}

/// Whether `is_author` may withdraw an entry in `state`: only their own, only once sent.
pub fn may_withdraw(is_author: bool, state: EntryState) -> Result<(), EntryRefusal> {
    if !is_author {
        return Err(EntryRefusal::NotTheAuthor);
    }
    if state != EntryState::Sent {
        return Err(EntryRefusal::WrongState);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn the_repairing_partner_writes_the_acknowledgement() {
        assert_eq!(
            may_write(EntryKind::Acknowledgement, Role::RepairingPartner),
            Ok(())
        );
        assert_eq!(
            may_write(EntryKind::Acknowledgement, Role::HurtPartner),
            Err(EntryRefusal::NotTheWriter)
        );
    }

    #[test]
    fn only_the_hurt_partner_marks_a_sent_entry_received_once() {
        assert_eq!(
            may_mark_received(
                EntryKind::Acknowledgement,
                Role::HurtPartner,
                EntryState::Sent,
                false
            ),
            Ok(())
        );
        assert_eq!(
            may_mark_received(
                EntryKind::Acknowledgement,
                Role::RepairingPartner,
                EntryState::Sent,
                false
            ),
            Err(EntryRefusal::NotTheReader)
        );
        assert_eq!(
            may_mark_received(
                EntryKind::Acknowledgement,
                Role::HurtPartner,
                EntryState::Sent,
                true
            ),
            Err(EntryRefusal::WrongState)
        );
        for state in [EntryState::Draft, EntryState::Withdrawn] {
            assert_eq!(
                may_mark_received(EntryKind::Acknowledgement, Role::HurtPartner, state, false),
                Err(EntryRefusal::WrongState)
            );
        }
    }

    #[test]
    fn pledges_and_disclosures_are_the_repairing_partners_and_are_not_marked_received() {
        for kind in [
            EntryKind::Pledge,
            EntryKind::Disclosure,
            EntryKind::Accountability,
            EntryKind::Intention,
        ] {
            assert_eq!(may_write(kind, Role::RepairingPartner), Ok(()));
            assert_eq!(
                may_write(kind, Role::HurtPartner),
                Err(EntryRefusal::NotTheWriter)
            );
            assert_eq!(
                may_mark_received(kind, Role::HurtPartner, EntryState::Sent, false),
                Err(EntryRefusal::WrongState)
            );
        }
        assert_eq!(
            EntryKind::Disclosure.follow_up(),
            FollowUp::AddsToAcknowledgement
        );
        assert_eq!(EntryKind::Pledge.follow_up(), FollowUp::Correction);
    }

    #[test]
    fn both_partners_write_in_the_context_conversation_once_it_is_opened() {
        assert_eq!(may_write(EntryKind::Context, Role::HurtPartner), Ok(()));
        assert_eq!(
            may_write(EntryKind::Context, Role::RepairingPartner),
            Ok(())
        );
        assert_eq!(EntryKind::Context.gate(), Gate::Context);
        assert_eq!(EntryKind::Context.follow_up(), FollowUp::Standalone);
        for kind in [
            EntryKind::MySide,
            EntryKind::Reassurance,
            EntryKind::Recommitment,
        ] {
            assert_eq!(may_write(kind, Role::RepairingPartner), Ok(()));
            assert_eq!(
                may_write(kind, Role::HurtPartner),
                Err(EntryRefusal::NotTheWriter)
            );
        }
        assert_eq!(EntryKind::MySide.gate(), Gate::MySide);
        assert_eq!(EntryKind::Reassurance.gate(), Gate::Always);
    }

    #[test]
    fn only_the_hurt_partner_responds_and_only_to_a_sent_accountability_statement() {
        use EntryKind::*;
        assert_eq!(
            may_respond(Accountability, Role::HurtPartner, EntryState::Sent),
            Ok(())
        );
        assert_eq!(
            may_respond(Accountability, Role::RepairingPartner, EntryState::Sent),
            Err(EntryRefusal::NotTheResponder)
        );
        assert_eq!(
            may_respond(Accountability, Role::HurtPartner, EntryState::Withdrawn),
            Err(EntryRefusal::WrongState)
        );
        assert_eq!(
            may_respond(Intention, Role::HurtPartner, EntryState::Sent),
            Err(EntryRefusal::WrongState)
        );
        for r in [
            StatementResponse::FeelsGenuine,
            StatementResponse::SomethingMissing,
        ] {
            assert_eq!(StatementResponse::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn only_the_author_withdraws_and_only_what_was_sent() {
        assert_eq!(may_withdraw(true, EntryState::Sent), Ok(()));
        assert_eq!(
            may_withdraw(false, EntryState::Sent),
            Err(EntryRefusal::NotTheAuthor)
        );
        assert_eq!(
            may_withdraw(true, EntryState::Draft),
            Err(EntryRefusal::WrongState)
        );
        assert_eq!(
            may_withdraw(true, EntryState::Withdrawn),
            Err(EntryRefusal::WrongState)
        );
    }

    #[test]
    fn text_must_have_words_and_a_bound() {
        assert_eq!(check_text("I lied to you."), Ok(()));
        assert_eq!(check_text(" \n "), Err(EntryRefusal::Empty));
        assert_eq!(check_text(&"é".repeat(20_001)), Err(EntryRefusal::TooLong));
        assert_eq!(check_text(&"é".repeat(20_000)), Ok(()));
    }

    #[test]
    fn names_round_trip() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(k));
        }
        for s in [EntryState::Draft, EntryState::Sent, EntryState::Withdrawn] {
            assert_eq!(EntryState::parse(s.as_str()), Some(s));
        }
    }
}
