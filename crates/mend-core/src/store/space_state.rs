//! What every page of a space needs about it (issue 13): its key, its partners, their author
//! keys and its journeys, read once for each version of the space and kept between requests.

use std::sync::Arc;

use async_trait::async_trait;
use mend_crypto::{Sealed, WrappedKey};

use super::{AreaRecord, BreachRecord, Membership, SpaceRecord, StoreError};
use crate::ids::{BreachId, PersonId, SpaceId};
use crate::time::Timestamp;

/// How many times a space has changed, as read at the start of a request. The database's own
/// triggers raise the counters, so no write can forget them, on any instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpaceVersion {
    pub space: SpaceId,
    /// Raised by every change to what the facts of what waits are read from.
    pub version: i64,
    /// Raised only by changes to what [`SpaceState`] is read from: a visit that marks
    /// something seen moves `version`, not this.
    pub state: i64,
}

/// A space as it stood at a [`SpaceVersion`] or later.
#[derive(Debug)]
pub struct SpaceState {
    pub record: SpaceRecord,
    /// When a partner left it (issue 11): it takes no new partner since.
    pub departed_at: Option<Timestamp>,
    pub author_keys: Vec<(PersonId, WrappedKey)>,
    /// Its partners, by seat.
    pub members: Vec<Membership>,
    /// Their names, as stored.
    pub names: Vec<PartnerName>,
    /// Its journeys, oldest first.
    pub breaches: Vec<BreachRecord>,
    /// Where each journey's areas stand.
    pub areas: Vec<(BreachId, AreaRecord)>,
}

/// A partner's name as stored: sealed with their own key, which the server key unwraps.
#[derive(Debug, Clone)]
pub struct PartnerName {
    pub person: PersonId,
    pub name: Sealed,
    pub wrapped_key: WrappedKey,
}

impl SpaceState {
    pub fn breach(&self, id: BreachId) -> Option<&BreachRecord> {
        self.breaches.iter().find(|b| b.id == id)
    }

    /// The areas of the journey `breach`, in the method's order.
    pub fn areas_of(&self, breach: BreachId) -> Vec<AreaRecord> {
        self.areas
            .iter()
            .filter(|(b, _)| *b == breach)
            .map(|(_, a)| *a)
            .collect()
    }

    /// The stored name of `person`, one of the partners.
    pub fn name_of(&self, person: PersonId) -> Option<&PartnerName> {
        self.names.iter().find(|n| n.person == person)
    }

    /// The other partner of `person`, once they have joined.
    pub fn partner_of(&self, person: PersonId) -> Option<PersonId> {
        self.members.iter().map(|m| m.person).find(|p| *p != person)
    }
}

#[async_trait]
pub trait SpaceStateStore: Send + Sync {
    /// The space as it stood at `at` or later: read when its version moved, otherwise the
    /// state kept from an earlier request, so a page of an unchanged space reads nothing.
    /// None when the space is gone.
    async fn space_state(&self, at: SpaceVersion) -> Result<Option<Arc<SpaceState>>, StoreError>;
}
