//! Sealed records opened with their key into the domain values a page shows.

use mend_core::store::{AgreementRecord, BreachRecord, FeelingRecord};
use mend_core::{AgreementId, AgreementState, BreachDetails, Feeling, SpaceId};
use mend_crypto::SpaceKeys;

use crate::error::WebError;
use crate::fields;
use crate::state::AppState;

/// A breach's facts (kind, agreement, months, how it came to light).
pub fn breach_details(key: &SpaceKeys, breach: &BreachRecord) -> Result<BreachDetails, WebError> {
    let json = key.open(breach.id.0, fields::BREACH_DETAILS, &breach.details)?;
    serde_json::from_str(&json)
        .map_err(|e| WebError::internal(format!("stored breach details are not valid: {e}")))
}

/// The feeling's words, intensity and text; none once withdrawn.
pub fn feeling(key: &SpaceKeys, record: &FeelingRecord) -> Result<Option<Feeling>, WebError> {
    let Some(sealed) = &record.feeling else {
        return Ok(None);
    };
    let json = key.open(record.id.0, fields::FEELING, sealed)?;
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|e| WebError::internal(format!("a stored feeling is not valid: {e}")))
}

/// An agreement's text in the couple's words.
pub fn agreement_text(key: &SpaceKeys, a: &AgreementRecord) -> Result<String, WebError> {
    Ok(key.open(a.id.0, fields::AGREEMENT_TEXT, &a.text)?)
}

/// The agreements both partners accepted, opened, oldest first.
pub async fn accepted_agreements(
    state: &AppState,
    space: SpaceId,
    key: &SpaceKeys,
) -> Result<Vec<(AgreementId, String)>, WebError> {
    let mut accepted = Vec::new();
    for a in state.store.agreements(space).await? {
        if a.state == AgreementState::Accepted {
            accepted.push((a.id, agreement_text(key, &a)?));
        }
    }
    Ok(accepted)
}
