//! The private safety check each person answers before two partners are linked.
//!
//! Couples work can be dangerous where one partner fears the other. The check asks about fear,
//! harm, threats and control; its answers are sealed with the person's own key and never shown
//! to the partner. Any answer other than a plain "no" leads to a page about individual support.

use serde::{Deserialize, Serialize};

/// The questions, by id; their wording lives in the string catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyQuestion {
    Afraid,
    Harmed,
    Threatened,
    Controlled,
    UnsafeIfSeen,
}

impl SafetyQuestion {
    pub const ALL: [SafetyQuestion; 5] = [
        SafetyQuestion::Afraid,
        SafetyQuestion::Harmed,
        SafetyQuestion::Threatened,
        SafetyQuestion::Controlled,
        SafetyQuestion::UnsafeIfSeen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SafetyQuestion::Afraid => "afraid",
            SafetyQuestion::Harmed => "harmed",
            SafetyQuestion::Threatened => "threatened",
            SafetyQuestion::Controlled => "controlled",
            SafetyQuestion::UnsafeIfSeen => "unsafe_if_seen",
        }
    }
}

/// One answer. "Not sure" counts as a reason to offer support, never as a "no".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyAnswer {
    No,
    Yes,
    NotSure,
}

impl SafetyAnswer {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "no" => Some(Self::No),
            "yes" => Some(Self::Yes),
            "not_sure" => Some(Self::NotSure),
            _ => None,
        }
    }
}

/// A complete set of answers: every question answered exactly once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyAnswers {
    answers: Vec<(SafetyQuestion, SafetyAnswer)>,
}

/// Why a set of answers is not complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("every question needs an answer")]
pub struct Unanswered;

impl SafetyAnswers {
    /// Builds the set from a lookup of each question's answer; every question must have one.
    pub fn collect(
        mut answer_for: impl FnMut(SafetyQuestion) -> Option<SafetyAnswer>,
    ) -> Result<Self, Unanswered> {
        let answers = SafetyQuestion::ALL
            .iter()
            .map(|&q| answer_for(q).map(|a| (q, a)).ok_or(Unanswered))
            .collect::<Result<_, _>>()?;
        Ok(Self { answers })
    }

    pub fn answer(&self, question: SafetyQuestion) -> Option<SafetyAnswer> {
        self.answers
            .iter()
            .find(|(q, _)| *q == question)
            .map(|&(_, a)| a)
    }

    /// Whether any answer suggests that couples work may not be safe right now.
    pub fn raises_concern(&self) -> bool {
        self.answers.iter().any(|&(_, a)| a != SafetyAnswer::No)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_no_raises_no_concern() {
        let answers = SafetyAnswers::collect(|_| Some(SafetyAnswer::No)).unwrap();
        assert!(!answers.raises_concern());
    }

    #[test]
    fn a_single_yes_or_not_sure_raises_concern() {
        for worrying in [SafetyAnswer::Yes, SafetyAnswer::NotSure] {
            for question in SafetyQuestion::ALL {
                let answers = SafetyAnswers::collect(|q| {
                    Some(if q == question {
                        worrying
                    } else {
                        SafetyAnswer::No
                    })
                })
                .unwrap();
                assert!(answers.raises_concern(), "{question:?} = {worrying:?}");
            }
        }
    }

    #[test]
    fn a_missing_answer_is_refused() {
        let result = SafetyAnswers::collect(|q| {
            (q != SafetyQuestion::Controlled).then_some(SafetyAnswer::No)
        });
        assert_eq!(result, Err(Unanswered));
    }

    #[test]
    fn answer_values_parse_strictly() {
        assert_eq!(SafetyAnswer::parse("not_sure"), Some(SafetyAnswer::NotSure));
        assert_eq!(SafetyAnswer::parse("No"), None);
        assert_eq!(SafetyAnswer::parse(""), None);
    }
}
