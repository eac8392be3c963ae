//! Questions: the hurt partner asks anything, as often as they need; each question waits for
//! an answer, and the repairing partner has no way to refuse it or call it answered already.

use serde::{Deserialize, Serialize};

/// The longest question or answer, in characters.
pub const MAX_QUESTION_CHARS: usize = 5_000;

/// An optional tag the hurt partner can give a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    FactsAndTimeline,
    Secrecy,
    CurrentContact,
    MeaningAndWhy,
    GraphicDetail,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 5] = [
        QuestionKind::FactsAndTimeline,
        QuestionKind::Secrecy,
        QuestionKind::CurrentContact,
        QuestionKind::MeaningAndWhy,
        QuestionKind::GraphicDetail,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::FactsAndTimeline => "facts",
            QuestionKind::Secrecy => "secrecy",
            QuestionKind::CurrentContact => "contact",
            QuestionKind::MeaningAndWhy => "why",
            QuestionKind::GraphicDetail => "graphic",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// Graphic detail can leave images that are hard to forget: the asker sees a gentle note
    /// once, then decides. The question is never refused.
    pub fn needs_a_pause(self) -> bool {
        self == QuestionKind::GraphicDetail
    }
}

/// How the hurt partner responds to an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Response {
    ThisHelps,
    NeedMore,
    ComeBackLater,
}

impl Response {
    pub const ALL: [Response; 3] = [
        Response::ThisHelps,
        Response::NeedMore,
        Response::ComeBackLater,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Response::ThisHelps => "helps",
            Response::NeedMore => "need_more",
            Response::ComeBackLater => "later",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// Why a question action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuestionRefusal {
    #[error("questions are asked by the partner who was hurt")]
    NotTheAsker,
    #[error("answers are written by the partner who is repairing")]
    NotTheAnswerer,
    #[error("a question or answer needs some words")]
    Empty,
    #[error("it is longer than 5000 characters")]
    TooLong,
}

pub fn check_text(text: &str) -> Result<(), QuestionRefusal> {
    if crate::text::is_blank(text) {
        return Err(QuestionRefusal::Empty);
    }
    if text.chars().count() > MAX_QUESTION_CHARS {
        return Err(QuestionRefusal::TooLong);
    }
    Ok(())
}

/// Asking, asking again and responding to answers belong to the hurt partner.
pub fn may_ask(role: crate::Role) -> Result<(), QuestionRefusal> {
    match role {
        crate::Role::HurtPartner => Ok(()),
        crate::Role::RepairingPartner => Err(QuestionRefusal::NotTheAsker),
    }
}

/// Answering, or asking to answer in person, belongs to the repairing partner.
pub fn may_answer(role: crate::Role) -> Result<(), QuestionRefusal> {
    match role {
        crate::Role::RepairingPartner => Ok(()),
        crate::Role::HurtPartner => Err(QuestionRefusal::NotTheAnswerer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn the_hurt_partner_asks_and_the_repairing_partner_answers() {
        assert_eq!(may_ask(Role::HurtPartner), Ok(()));
        assert_eq!(
            may_ask(Role::RepairingPartner),
            Err(QuestionRefusal::NotTheAsker)
        );
        assert_eq!(may_answer(Role::RepairingPartner), Ok(()));
        assert_eq!(
            may_answer(Role::HurtPartner),
            Err(QuestionRefusal::NotTheAnswerer)
        );
    }

    #[test]
    fn only_graphic_detail_pauses_and_nothing_is_refused_for_its_kind() {
        for kind in QuestionKind::ALL {
            assert_eq!(kind.needs_a_pause(), kind == QuestionKind::GraphicDetail);
            assert_eq!(QuestionKind::parse(kind.as_str()), Some(kind));
        }
        for r in Response::ALL {
            assert_eq!(Response::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn text_is_bounded() {
        assert_eq!(check_text("Who else knew?"), Ok(()));
        assert_eq!(check_text(""), Err(QuestionRefusal::Empty));
        assert_eq!(check_text(&"?".repeat(5001)), Err(QuestionRefusal::TooLong));
    }
}
