//! What every page of a space reads about it ([`SpaceState`]), read once for each version of
//! the space and kept between requests (issue 13). The tables it comes from raise the version
//! through their triggers (migrations 0027 and 0028), so a page of an unchanged space reads
//! nothing of it.

use std::sync::Arc;

use async_trait::async_trait;
use mend_core::store::{
    AreaRecord, JourneyStore, Membership, PartnerName, SpaceState, SpaceStateStore, SpaceVersion,
};
use mend_core::{BreachId, PersonId, SpaceId, StoreError};
use mend_crypto::{Sealed, WrappedKey};
use uuid::Uuid;

use crate::db::Db;
use crate::journeys::area_records;
use crate::kept::Kept;
use crate::spaces::membership;

/// How many spaces one instance keeps: two partners, their keys and a few journeys each.
const KEPT_SPACES: usize = 4096;

/// The tables [`SpaceState`] is read from, for the test that each raises the version.
#[cfg(test)]
pub(crate) const TABLES_READ: [&str; 6] = [
    "spaces",
    "author_keys",
    "memberships",
    "people",
    "breaches",
    "journey_areas",
];

/// The partners of the space `$1`, by seat, with their stored names.
const MEMBERS_SQL: &str = "SELECT m.person_id, m.seat, m.joined_at, p.name_sealed, p.wrapped_key \
     FROM memberships m JOIN people p ON p.id = m.person_id WHERE m.space_id = $1 ORDER BY m.seat";

/// A partner's person, seat, time of joining, sealed name and wrapped key.
type PartnerRow = (Uuid, i64, i64, Vec<u8>, Vec<u8>);

/// An area's name, status and time of its last change.
type AreaRow = (String, String, i64);

/// The areas of every journey of the space `$1`.
const AREAS_SQL: &str = "SELECT a.breach_id, a.area, a.status, a.changed_at FROM journey_areas a \
     JOIN breaches b ON b.id = a.breach_id WHERE b.space_id = $1";

pub(crate) type KeptSpaces = Kept<SpaceId, Arc<SpaceState>>;

pub(crate) fn kept_spaces() -> KeptSpaces {
    Kept::new(KEPT_SPACES)
}

#[async_trait]
impl SpaceStateStore for Db {
    async fn space_state(&self, at: SpaceVersion) -> Result<Option<Arc<SpaceState>>, StoreError> {
        let kept_at = (at.space, at.state);
        if let Some(state) = self.kept_spaces.get(&at.space, kept_at) {
            return Ok(Some(state));
        }
        let Some((record, departed_at, author_keys)) = self.space_and_author_keys(at.space).await?
        else {
            return Ok(None);
        };
        let (members, names) = self.partners(at.space).await?;
        let state = Arc::new(SpaceState {
            record,
            departed_at,
            author_keys,
            members,
            names,
            breaches: self.breaches(at.space).await?,
            areas: self.areas_of_space(at.space).await?,
        });
        self.kept_spaces.keep(at.space, kept_at, state.clone());
        Ok(Some(state))
    }
}

impl Db {
    async fn partners(
        &self,
        space: SpaceId,
    ) -> Result<(Vec<Membership>, Vec<PartnerName>), StoreError> {
        let rows: Vec<PartnerRow> = fetch_all!(self, MEMBERS_SQL, space.0)?;
        let mut members = Vec::with_capacity(rows.len());
        let mut names = Vec::with_capacity(rows.len());
        for (person, seat, joined_at, name, key) in rows {
            members.push(membership(space.0, person, seat, joined_at)?);
            names.push(PartnerName {
                person: PersonId(person),
                name: Sealed::from_stored(name),
                wrapped_key: WrappedKey(Sealed::from_stored(key)),
            });
        }
        Ok((members, names))
    }

    async fn areas_of_space(
        &self,
        space: SpaceId,
    ) -> Result<Vec<(BreachId, AreaRecord)>, StoreError> {
        let rows: Vec<(Uuid, String, String, i64)> = fetch_all!(self, AREAS_SQL, space.0)?;
        let mut by_journey: Vec<(Uuid, Vec<AreaRow>)> = Vec::new();
        for (breach, area, status, changed_at) in rows {
            match by_journey.iter_mut().find(|(b, _)| *b == breach) {
                Some((_, areas)) => areas.push((area, status, changed_at)),
                None => by_journey.push((breach, vec![(area, status, changed_at)])),
            }
        }
        let mut areas = Vec::new();
        for (breach, rows) in by_journey {
            areas.extend(
                area_records(rows)?
                    .into_iter()
                    .map(|a| (BreachId(breach), a)),
            );
        }
        Ok(areas)
    }
}
