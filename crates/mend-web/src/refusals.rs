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

/// The text's problems are shown on the proposal form, so they only reach here when nothing
/// better fits.
impl From<mend_core::AgreementRefusal> for WebError {
    fn from(r: mend_core::AgreementRefusal) -> Self {
        use mend_core::AgreementRefusal::*;
        match r {
            NotOpen => refused(
                StatusCode::CONFLICT,
                key!("agreements.title"),
                key!("agreements.changed"),
            ),
            OwnProposal | NotYourProposal => refused(
                StatusCode::FORBIDDEN,
                key!("agreements.title"),
                key!("agreements.not_yours"),
            ),
            Empty | TooLong => WebError::BadRequest,
        }
    }
}

impl From<mend_core::InviteRefusal> for WebError {
    fn from(r: mend_core::InviteRefusal) -> Self {
        use mend_core::InviteRefusal::*;
        let (status, title, body) = match r {
            Unknown => (
                StatusCode::NOT_FOUND,
                key!("invite.unknown_title"),
                key!("invite.unknown_body"),
            ),
            Used => (
                StatusCode::GONE,
                key!("invite.used_title"),
                key!("invite.used_body"),
            ),
            Expired => (
                StatusCode::GONE,
                key!("invite.expired_title"),
                key!("invite.expired_body"),
            ),
            Revoked => (
                StatusCode::GONE,
                key!("invite.revoked_title"),
                key!("invite.revoked_body"),
            ),
            OwnInvite => (
                StatusCode::CONFLICT,
                key!("invite.own_title"),
                key!("invite.own_body"),
            ),
            AlreadyInASpace => (
                StatusCode::CONFLICT,
                key!("invite.already_title"),
                key!("invite.already_body"),
            ),
            SpaceFull => (
                StatusCode::CONFLICT,
                key!("invite.full_title"),
                key!("invite.full_body"),
            ),
            // Handled before this by sending the person to the safety check.
            SafetyCheckFirst => (
                StatusCode::CONFLICT,
                key!("safety.title"),
                key!("safety.intro"),
            ),
        };
        refused(status, title, body)
    }
}

/// `AlreadyProposed` and `NotProposed` are already so: a double submit, or the other
/// partner's page acting on an old state, which a handler answers by going back; they only
/// reach here when nothing better fits.
impl From<mend_core::EndingRefusal> for WebError {
    fn from(r: mend_core::EndingRefusal) -> Self {
        use mend_core::EndingRefusal::*;
        match r {
            Ended => refused(
                StatusCode::CONFLICT,
                key!("journey.title"),
                key!("journey.ended_refusal"),
            ),
            OnlyTheHurtPartnerProposes | OnlyTheOtherPartnerAgrees => refused(
                StatusCode::FORBIDDEN,
                key!("journey.title"),
                key!("journey.not_your_choice"),
            ),
            AlreadyProposed | NotProposed => WebError::Conflict,
        }
    }
}

/// `AlreadySo`, like the endings' "already so", is answered by going back where a handler
/// can; it only reaches here when nothing better fits.
impl From<mend_core::JourneyRefusal> for WebError {
    fn from(r: mend_core::JourneyRefusal) -> Self {
        use mend_core::JourneyRefusal::*;
        match r {
            NotYours => refused(
                StatusCode::FORBIDDEN,
                key!("journey.title"),
                key!("journey.not_your_choice"),
            ),
            AlreadySo => WebError::Conflict,
            Ending(e) => e.into(),
        }
    }
}

/// `Empty` and `TooLong` are shown on the page again with the words kept, so they only reach
/// here when nothing better fits.
impl From<mend_core::QuestionRefusal> for WebError {
    fn from(r: mend_core::QuestionRefusal) -> Self {
        use mend_core::QuestionRefusal;
        let title = key!("questions.title");
        match r {
            QuestionRefusal::NotTheAsker | QuestionRefusal::NotTheAnswerer => {
                refused(StatusCode::FORBIDDEN, title, key!("questions.not_yours"))
            }
            QuestionRefusal::Empty => refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                title,
                key!("questions.error_empty"),
            ),
            QuestionRefusal::TooLong => refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                title,
                key!("questions.error_long"),
            ),
        }
    }
}

/// `Withdrawn` is a double submit, which a handler answers by changing nothing, so it
/// only reaches here when nothing better fits.
impl From<mend_core::FeelingRefusal> for WebError {
    fn from(r: mend_core::FeelingRefusal) -> Self {
        use mend_core::FeelingRefusal;
        let title = key!("feelings.title");
        match r {
            FeelingRefusal::NotTheHurtPartner | FeelingRefusal::NotTheRepairingPartner => {
                refused(StatusCode::FORBIDDEN, title, key!("feelings.not_yours"))
            }
            FeelingRefusal::NotTheAuthor => refused(
                StatusCode::FORBIDDEN,
                title,
                key!("feelings.not_the_author"),
            ),
            FeelingRefusal::NotWaiting | FeelingRefusal::Withdrawn => {
                refused(StatusCode::CONFLICT, title, key!("feelings.not_waiting"))
            }
        }
    }
}

/// What is wrong with a feeling as shared, in the catalogue's words: the sharing form shows it
/// on the page again, with the words kept.
pub fn feeling_problem(problem: mend_core::FeelingProblem) -> &'static str {
    use mend_core::FeelingProblem;
    match problem {
        FeelingProblem::NoWords | FeelingProblem::UnknownWord => key!("feelings.error_words"),
        FeelingProblem::NoIntensity => key!("feelings.error_intensity"),
        FeelingProblem::TooLong => key!("feelings.error_long"),
    }
}

impl From<mend_core::FeelingProblem> for WebError {
    fn from(problem: mend_core::FeelingProblem) -> Self {
        refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            key!("feelings.title"),
            feeling_problem(problem),
        )
    }
}

/// A section's page shows these under its own title. `Empty` and `TooLong` in a draft are
/// shown on the page again with the words kept, `Empty` in each section's own words, so
/// `Empty` only reaches here when nothing better fits.
impl From<mend_core::EntryRefusal> for WebError {
    fn from(r: mend_core::EntryRefusal) -> Self {
        use mend_core::EntryRefusal;
        let title = key!("journey.title");
        match r {
            EntryRefusal::NotTheWriter | EntryRefusal::NotTheAuthor => {
                refused(StatusCode::FORBIDDEN, title, key!("entry.not_yours"))
            }
            EntryRefusal::NotTheReader => {
                refused(StatusCode::FORBIDDEN, title, key!("journey.not_yours"))
            }
            EntryRefusal::NotTheResponder => refused(
                StatusCode::FORBIDDEN,
                title,
                key!("accountability.not_yours"),
            ),
            EntryRefusal::AlreadySent | EntryRefusal::WrongState => {
                refused(StatusCode::CONFLICT, title, key!("entry.gone"))
            }
            EntryRefusal::TooLong => refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                title,
                key!("entry.error_long"),
            ),
            EntryRefusal::Empty => WebError::BadRequest,
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

impl From<mend_core::CounsellorRefusal> for WebError {
    fn from(r: mend_core::CounsellorRefusal) -> Self {
        use mend_core::CounsellorRefusal::*;
        let (status, title, body) = match r {
            NotAPartner => (
                StatusCode::FORBIDDEN,
                key!("counsellor.not_a_partner_title"),
                key!("counsellor.not_a_partner_body"),
            ),
            PartnerMissing => (
                StatusCode::CONFLICT,
                key!("counsellor.partner_missing_title"),
                key!("counsellor.partner_missing_body"),
            ),
            AlreadyOne => (
                StatusCode::CONFLICT,
                key!("counsellor.already_one_title"),
                key!("counsellor.already_one_body"),
            ),
            OwnProposal => (
                StatusCode::CONFLICT,
                key!("counsellor.own_proposal_title"),
                key!("counsellor.own_proposal_body"),
            ),
            NothingToAgree => (
                StatusCode::CONFLICT,
                key!("counsellor.nothing_to_agree_title"),
                key!("counsellor.nothing_to_agree_body"),
            ),
            Unknown => (
                StatusCode::NOT_FOUND,
                key!("counsellor.unknown_title"),
                key!("counsellor.unknown_body"),
            ),
            NotAgreedYet => (
                StatusCode::CONFLICT,
                key!("counsellor.not_agreed_title"),
                key!("counsellor.not_agreed_body"),
            ),
            Used => (
                StatusCode::GONE,
                key!("counsellor.used_title"),
                key!("counsellor.used_body"),
            ),
            Expired => (
                StatusCode::GONE,
                key!("counsellor.expired_title"),
                key!("counsellor.expired_body"),
            ),
            Ended | NoAccess => (
                StatusCode::GONE,
                key!("counsellor.ended_title"),
                key!("counsellor.ended_body"),
            ),
            NotACounsellorAccount => (
                StatusCode::FORBIDDEN,
                key!("counsellor.not_counsellor_title"),
                key!("counsellor.not_counsellor_body"),
            ),
            PartnerOfThisSpace => (
                StatusCode::FORBIDDEN,
                key!("counsellor.partner_of_space_title"),
                key!("counsellor.partner_of_space_body"),
            ),
            NotTheAuthor => (
                StatusCode::FORBIDDEN,
                key!("counsellor.not_author_title"),
                key!("counsellor.not_author_body"),
            ),
            NoCounsellor => (
                StatusCode::CONFLICT,
                key!("counsellor.no_counsellor_title"),
                key!("counsellor.no_counsellor_body"),
            ),
            CounsellorHasNoSpace => (
                StatusCode::FORBIDDEN,
                key!("counsellor.counsellor_no_space_title"),
                key!("counsellor.counsellor_no_space_body"),
            ),
        };
        refused(status, title, body)
    }
}
