//! When a rhythm's next turn is due, from what was sent.

use mend_core::rhythm::recommitment_due as due_after;
use mend_core::store::BreachRecord;
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
    let store = &state.store;
    // The intention is a statement read whole; of the recommitments, which grow with every
    // turn of the rhythm, only the latest time is read.
    let intentions = store
        .entries_for(breach.id, EntryKind::Intention, repairing)
        .await?;
    let last_recommitment = store
        .last_sent(breach.id, EntryKind::Recommitment, repairing)
        .await?;
    Ok(due_after(
        breach.state.recommit_rhythm,
        intentions.into_iter().filter_map(|e| e.sent_at),
        last_recommitment,
        zone,
    ))
}
