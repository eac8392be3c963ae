//! When a rhythm's next turn is due, from what was sent.

use mend_core::rhythm::recommitment_due as due_after;
use mend_core::store::{BreachRecord, EntryRecord};
use mend_core::{EntryKind, PersonId, Timestamp, Zone};

use crate::error::WebError;
use crate::state::AppState;

/// When the repairing partner's next recommitment is due, from what they sent
/// ([`mend_core::rhythm::recommitment_due`]), in local days in their `zone`; none before there
/// is an intention.
pub async fn recommitment_due(
    state: &AppState,
    breach: &BreachRecord,
    repairing: PersonId,
    zone: &Zone,
) -> Result<Option<Timestamp>, WebError> {
    let sent_times = |entries: Vec<EntryRecord>| entries.into_iter().filter_map(|e| e.sent_at);
    let store = &state.store;
    let intentions = store
        .entries_for(breach.id, EntryKind::Intention, repairing)
        .await?;
    let recommitments = store
        .entries_for(breach.id, EntryKind::Recommitment, repairing)
        .await?;
    Ok(due_after(
        breach.state.recommit_rhythm,
        sent_times(intentions),
        sent_times(recommitments),
        zone,
    ))
}
