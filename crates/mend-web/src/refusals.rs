//! Each domain refusal mapped to its response once: the status and the catalogue's words.
//! A handler writes `may_x(role)?` and the refusal becomes the right page.

use axum::http::StatusCode;
use mend_core::AreaRefusal;

use crate::error::WebError;
use crate::key;

fn refused(status: StatusCode, title: &'static str, body: &'static str) -> WebError {
    WebError::Refused {
        status,
        title,
        body,
    }
}

/// `Unchanged` is a double submit, which a handler answers by showing the page again, so it
/// only reaches here when nothing better fits.
impl From<AreaRefusal> for WebError {
    fn from(r: AreaRefusal) -> Self {
        match r {
            AreaRefusal::NotTheHurtPartner => refused(
                StatusCode::FORBIDDEN,
                key!("journey.title"),
                key!("journey.not_yours"),
            ),
            AreaRefusal::Unchanged | AreaRefusal::NotAllowed => WebError::BadRequest,
        }
    }
}

/// An offer answered, withdrawn or renewed already is a double submit or an old page: the
/// page says it changed. The text problems are shown on the form and do not reach here.
impl From<mend_core::TransparencyRefusal> for WebError {
    fn from(r: mend_core::TransparencyRefusal) -> Self {
        use mend_core::TransparencyRefusal as R;
        match r {
            R::NotOpen | R::AlreadyRenewed => refused(
                StatusCode::CONFLICT,
                key!("transparency.title"),
                key!("transparency.changed"),
            ),
            R::RepairingPartnerOffers
            | R::HurtPartnerDecides
            | R::NotYourOffer
            | R::Empty
            | R::TooLong => refused(
                StatusCode::FORBIDDEN,
                key!("transparency.title"),
                key!("transparency.not_yours"),
            ),
        }
    }
}

/// A second reply from another tab was not sent, and the page says so; the same words again
/// are a double submit, which the handler answers by showing the page.
impl From<mend_core::trigger::TriggerRefusal> for WebError {
    fn from(r: mend_core::trigger::TriggerRefusal) -> Self {
        use mend_core::trigger::TriggerRefusal as R;
        match r {
            R::HurtPartnerSignals | R::RepairingPartnerReplies => refused(
                StatusCode::FORBIDDEN,
                key!("triggers.title"),
                key!("triggers.not_yours"),
            ),
            R::RepliedAlready => refused(
                StatusCode::CONFLICT,
                key!("triggers.title"),
                key!("triggers.replied_already"),
            ),
        }
    }
}

impl From<mend_core::check_in::CheckInRefusal> for WebError {
    fn from(r: mend_core::check_in::CheckInRefusal) -> Self {
        match r {
            mend_core::check_in::CheckInRefusal::NotTheHurtPartner => refused(
                StatusCode::FORBIDDEN,
                key!("patience.title"),
                key!("patience.not_yours"),
            ),
        }
    }
}

impl From<mend_core::EvidenceRefusal> for WebError {
    fn from(r: mend_core::EvidenceRefusal) -> Self {
        match r {
            mend_core::EvidenceRefusal::NotTheKeeper => refused(
                StatusCode::FORBIDDEN,
                key!("evidence.title"),
                key!("evidence.intro_partner"),
            ),
        }
    }
}
