//! When a rhythm's next turn is due, from what was sent.

use mend_core::store::{BreachRecord, EntryRecord};
use mend_core::{EntryKind, PersonId, Timestamp};

use crate::error::WebError;
use crate::state::AppState;

/// When the repairing partner's next recommitment is due: one period of their rhythm after the
/// last one, or after their first intention was sent; none before there is an intention.
pub async fn recommitment_due(
    state: &AppState,
    breach: &BreachRecord,
    repairing: PersonId,
) -> Result<Option<Timestamp>, WebError> {
    let sent = |entries: Vec<EntryRecord>| entries.into_iter().filter_map(|e| e.sent_at);
    let intention = sent(
        state
            .store
            .entries_for(breach.id, EntryKind::Intention, repairing)
            .await?,
    )
    .min();
    let Some(since) = intention else {
        return Ok(None);
    };
    let last = sent(
        state
            .store
            .entries_for(breach.id, EntryKind::Recommitment, repairing)
            .await?,
    )
    .max();
    Ok(Some(breach.state.recommit_rhythm.next_due(last, since)))
}
