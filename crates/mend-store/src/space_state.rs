//! What every page of a space reads about it ([`SpaceState`]), read once for each version of
//! the space and kept between requests (issue 13). The tables it comes from raise the version
//! through their triggers (migrations 0027 and 0028), so a page of an unchanged space reads
//! nothing of it.

use std::sync::Arc;

use async_trait::async_trait;
use mend_core::store::{JourneyStore, SpaceState, SpaceStateStore, SpaceStore, SpaceVersion};
use mend_core::{SpaceId, StoreError};

use crate::db::Db;
use crate::kept::Kept;

/// How many spaces one instance keeps: two partners, their keys and a few journeys each.
const KEPT_SPACES: usize = 4096;

/// The tables [`SpaceState`] is read from, for the test that each raises the version.
#[cfg(test)]
pub(crate) const TABLES_READ: [&str; 4] = ["spaces", "author_keys", "memberships", "breaches"];

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
        let state = Arc::new(SpaceState {
            record,
            departed_at,
            author_keys,
            members: self.members(at.space).await?,
            breaches: self.breaches(at.space).await?,
        });
        self.kept_spaces.keep(at.space, kept_at, state.clone());
        Ok(Some(state))
    }
}
