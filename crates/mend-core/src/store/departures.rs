//! Leaving a space, and deleting an account: each one method, so that it happens entirely or
//! not at all.
//!
//! What is removed and what stays (docs/security.md, "Leaving and deleting"): every row the
//! leaver wrote in the space goes; the rows their partner wrote stay. Where a partner's row
//! hangs from one of the leaver's (an answer to their question, a reflection of their feeling,
//! a reply to their signal, a response to their statement), the leaver's row stays as a
//! wordless tombstone (its words removed, marked withdrawn) so the partner's words survive;
//! the leaver's own words on a partner's row (a response, a reply, what was missed) are
//! removed from it.

use async_trait::async_trait;

use super::{LookupHash, StoreError};
use crate::ids::{PersonId, SpaceId};
use crate::time::Timestamp;

/// What came of leaving a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// The person left this space; its journeys ended "partner left" for the one who stays,
    /// or the space was deleted when no one stays.
    Left(SpaceId),
    /// The person was in no space (a double submit that came second): nothing changed.
    NotInASpace,
}

#[async_trait]
pub trait DepartureStore: Send + Sync {
    /// Takes `person` out of their space at `at`, all or nothing: deletes everything they
    /// wrote in it (tombstoning what the partner's words hang from), ends every ongoing
    /// journey of the space with `Ending::PartnerLeft`, and marks the space as one a partner
    /// left, so it takes no new partner. A space no one stays in is deleted whole.
    async fn leave_space(&self, person: PersonId, at: Timestamp) -> Result<Departure, StoreError>;

    /// Deletes the account of `person`, all or nothing: leaves their space as
    /// [`leave_space`](Self::leave_space) does, deletes their safety answers, sessions,
    /// password resets and the log-in attempts counted under `login_keys`, and empties their
    /// person row of name, e-mail, e-mail lookup, password hash and wrapped key (the row keeps
    /// only its id, which the journeys of the one who stays still name). False when the
    /// account was already deleted (a double submit): nothing changed.
    async fn delete_person(
        &self,
        person: PersonId,
        login_keys: &[LookupHash],
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// When a partner left `space`, if one did.
    async fn departed_at(&self, space: SpaceId) -> Result<Option<Timestamp>, StoreError>;
}
