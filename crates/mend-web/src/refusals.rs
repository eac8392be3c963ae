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
