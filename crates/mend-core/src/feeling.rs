//! Feelings: the hurt partner names what they feel; the repairing partner answers only with a
//! reflection of what they heard, as often as it takes for the hurt partner to feel heard.
//!
//! Listening is not agreeing: the repairing partner's own perspective ("my side") stays closed
//! until the hurt partner chooses to open it.

use serde::{Deserialize, Serialize};

use crate::Role;

/// Words a feeling can be named with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeelingWord {
    Hurt,
    Angry,
    Humiliated,
    Anxious,
    Numb,
    Sad,
    Confused,
    Hopeful,
    Betrayed,
    Lonely,
    Afraid,
    Ashamed,
    Jealous,
    Exhausted,
    Relieved,
    Calm,
}

impl FeelingWord {
    pub const ALL: [FeelingWord; 16] = [
        FeelingWord::Hurt,
        FeelingWord::Angry,
        FeelingWord::Humiliated,
        FeelingWord::Anxious,
        FeelingWord::Numb,
        FeelingWord::Sad,
        FeelingWord::Confused,
        FeelingWord::Hopeful,
        FeelingWord::Betrayed,
        FeelingWord::Lonely,
        FeelingWord::Afraid,
        FeelingWord::Ashamed,
        FeelingWord::Jealous,
        FeelingWord::Exhausted,
        FeelingWord::Relieved,
        FeelingWord::Calm,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FeelingWord::Hurt => "hurt",
            FeelingWord::Angry => "angry",
            FeelingWord::Humiliated => "humiliated",
            FeelingWord::Anxious => "anxious",
            FeelingWord::Numb => "numb",
            FeelingWord::Sad => "sad",
            FeelingWord::Confused => "confused",
            FeelingWord::Hopeful => "hopeful",
            FeelingWord::Betrayed => "betrayed",
            FeelingWord::Lonely => "lonely",
            FeelingWord::Afraid => "afraid",
            FeelingWord::Ashamed => "ashamed",
            FeelingWord::Jealous => "jealous",
            FeelingWord::Exhausted => "exhausted",
            FeelingWord::Relieved => "relieved",
            FeelingWord::Calm => "calm",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == value)
    }
}

/// How strongly a feeling is felt, from 1 (a little) to 5 (overwhelming).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Intensity(u8);

impl Intensity {
    pub const MAX: u8 = 5;

    pub fn parse(value: &str) -> Option<Self> {
        value
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(|n| n.try_into().ok())
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Intensity {
    type Error = FeelingProblem;

    fn try_from(n: u8) -> Result<Self, FeelingProblem> {
        if (1..=Self::MAX).contains(&n) {
            Ok(Self(n))
        } else {
            Err(FeelingProblem::NoIntensity)
        }
    }
}

impl From<Intensity> for u8 {
    fn from(i: Intensity) -> u8 {
        i.0
    }
}

/// The longest text of a feeling, a reflection, or what a reflection missed, in characters.
pub const MAX_FEELING_CHARS: usize = 5_000;

/// A shared feeling, kept sealed as one document: the words say as much as the text does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feeling {
    pub words: Vec<FeelingWord>,
    pub intensity: Intensity,
    pub text: String,
}

/// What is wrong with a feeling as submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FeelingProblem {
    #[error("choose at least one word")]
    NoWords,
    #[error("a word is not one of the list")]
    UnknownWord,
    #[error("choose how strong the feeling is")]
    NoIntensity,
    #[error("the text is too long")]
    TooLong,
}

impl Feeling {
    /// Builds a feeling from form values; the text may be empty, the words may not.
    pub fn from_form<'a>(
        words: impl IntoIterator<Item = &'a str>,
        intensity: &str,
        text: &str,
    ) -> Result<Self, FeelingProblem> {
        let mut chosen = Vec::new();
        for raw in words {
            let word = FeelingWord::parse(raw).ok_or(FeelingProblem::UnknownWord)?;
            if !chosen.contains(&word) {
                chosen.push(word);
            }
        }
        if chosen.is_empty() {
            return Err(FeelingProblem::NoWords);
        }
        let intensity = Intensity::parse(intensity).ok_or(FeelingProblem::NoIntensity)?;
        // Text that shows nothing is no text.
        let text = if crate::text::is_blank(text) {
            ""
        } else {
            text.trim()
        };
        if text.chars().count() > MAX_FEELING_CHARS {
            return Err(FeelingProblem::TooLong);
        }
        Ok(Self {
            words: chosen,
            intensity,
            text: text.to_owned(),
        })
    }
}

/// The hurt partner's answer to a reflection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Heard,
    NotYet,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Heard => "heard",
            Verdict::NotYet => "not_yet",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Verdict::Heard, Verdict::NotYet]
            .into_iter()
            .find(|v| v.as_str() == value)
    }
}

/// Where a feeling stands, from its reflections so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listening {
    /// No reflection yet, or the latest one was answered "not yet": the repairing partner
    /// reflects (again).
    AwaitingReflection,
    /// A reflection waits for the hurt partner's answer.
    AwaitingVerdict,
    /// The hurt partner said they feel heard.
    Heard,
}

impl Listening {
    /// Where a feeling stands, given the verdicts of its reflections, oldest first (`None`
    /// for a reflection not answered yet).
    pub fn from_verdicts(verdicts: &[Option<Verdict>]) -> Self {
        if verdicts.contains(&Some(Verdict::Heard)) {
            return Listening::Heard;
        }
        match verdicts.last() {
            Some(None) => Listening::AwaitingVerdict,
            _ => Listening::AwaitingReflection,
        }
    }
}

/// Why an action on a feeling is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FeelingRefusal {
    #[error("only the partner who was hurt shares feelings here")]
    NotTheHurtPartner,
    #[error("only the partner repairing the trust reflects")]
    NotTheRepairingPartner,
    #[error("the feeling is not waiting for this")]
    NotWaiting,
    #[error("only its author can withdraw it")]
    NotTheAuthor,
    #[error("it was withdrawn already")]
    Withdrawn,
}

/// The author of a feeling or a reflection may withdraw it once; the partner then sees that
/// and when, but not the words.
pub fn may_withdraw(is_author: bool, withdrawn: bool) -> Result<(), FeelingRefusal> {
    if !is_author {
        return Err(FeelingRefusal::NotTheAuthor);
    }
    if withdrawn {
        return Err(FeelingRefusal::Withdrawn);
    }
    Ok(())
}

pub fn may_share(role: Role) -> Result<(), FeelingRefusal> {
    match role {
        Role::HurtPartner => Ok(()),
        Role::RepairingPartner => Err(FeelingRefusal::NotTheHurtPartner),
    }
}

/// The repairing partner reflects when a feeling waits for a reflection — never twice in a
/// row without an answer, and not once the hurt partner feels heard.
pub fn may_reflect(role: Role, listening: Listening) -> Result<(), FeelingRefusal> {
    if role != Role::RepairingPartner {
        return Err(FeelingRefusal::NotTheRepairingPartner);
    }
    if listening != Listening::AwaitingReflection {
        return Err(FeelingRefusal::NotWaiting);
    }
    Ok(())
}

/// The hurt partner answers the reflection that waits for them.
pub fn may_answer(role: Role, listening: Listening) -> Result<(), FeelingRefusal> {
    if role != Role::HurtPartner {
        return Err(FeelingRefusal::NotTheHurtPartner);
    }
    if listening != Listening::AwaitingVerdict {
        return Err(FeelingRefusal::NotWaiting);
    }
    Ok(())
}

/// Where a feeling stands, from its reflections that were not withdrawn.
pub fn listening(
    feeling: crate::FeelingId,
    reflections: &[crate::store::ReflectionRecord],
) -> Listening {
    let verdicts: Vec<_> = reflections
        .iter()
        .filter(|r| r.feeling == feeling && r.withdrawn_at.is_none())
        .map(|r| r.verdict)
        .collect();
    Listening::from_verdicts(&verdicts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feeling_needs_a_word_from_the_list_and_an_intensity() {
        let f =
            Feeling::from_form(["hurt", "angry", "hurt"], "4", "  It keeps coming back. ").unwrap();
        assert_eq!(f.words, vec![FeelingWord::Hurt, FeelingWord::Angry]);
        assert_eq!(f.intensity.value(), 4);
        assert_eq!(f.text, "It keeps coming back.");
        assert!(Feeling::from_form(["numb"], "1", "").is_ok());
        assert_eq!(
            Feeling::from_form([], "3", "text"),
            Err(FeelingProblem::NoWords)
        );
        assert_eq!(
            Feeling::from_form(["fine"], "3", ""),
            Err(FeelingProblem::UnknownWord)
        );
        for bad in ["0", "6", "", "three", "-1"] {
            assert_eq!(
                Feeling::from_form(["sad"], bad, ""),
                Err(FeelingProblem::NoIntensity)
            );
        }
        assert_eq!(
            Feeling::from_form(["sad"], "2", &"x".repeat(MAX_FEELING_CHARS + 1)),
            Err(FeelingProblem::TooLong)
        );
    }

    #[test]
    fn a_stored_feeling_round_trips_and_refuses_a_bad_intensity() {
        let f = Feeling::from_form(["hopeful"], "2", "A little.").unwrap();
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(serde_json::from_str::<Feeling>(&json).unwrap(), f);
        assert!(
            serde_json::from_str::<Feeling>(r#"{"words":["sad"],"intensity":9,"text":""}"#)
                .is_err()
        );
    }

    #[test]
    fn reflections_go_on_until_the_hurt_partner_feels_heard() {
        use Listening::*;
        assert_eq!(Listening::from_verdicts(&[]), AwaitingReflection);
        assert_eq!(Listening::from_verdicts(&[None]), AwaitingVerdict);
        assert_eq!(
            Listening::from_verdicts(&[Some(Verdict::NotYet)]),
            AwaitingReflection
        );
        assert_eq!(
            Listening::from_verdicts(&[Some(Verdict::NotYet), None]),
            AwaitingVerdict
        );
        assert_eq!(
            Listening::from_verdicts(&[Some(Verdict::NotYet), Some(Verdict::Heard)]),
            Heard
        );
    }

    #[test]
    fn only_the_repairing_partner_reflects_and_only_when_it_is_their_turn() {
        use Listening::*;
        assert_eq!(
            may_reflect(Role::RepairingPartner, AwaitingReflection),
            Ok(())
        );
        assert_eq!(
            may_reflect(Role::HurtPartner, AwaitingReflection),
            Err(FeelingRefusal::NotTheRepairingPartner)
        );
        for l in [AwaitingVerdict, Heard] {
            assert_eq!(
                may_reflect(Role::RepairingPartner, l),
                Err(FeelingRefusal::NotWaiting)
            );
        }
        assert_eq!(may_answer(Role::HurtPartner, AwaitingVerdict), Ok(()));
        assert_eq!(
            may_answer(Role::RepairingPartner, AwaitingVerdict),
            Err(FeelingRefusal::NotTheHurtPartner)
        );
        assert_eq!(
            may_answer(Role::HurtPartner, Heard),
            Err(FeelingRefusal::NotWaiting)
        );
        assert_eq!(may_share(Role::HurtPartner), Ok(()));
        assert_eq!(
            may_share(Role::RepairingPartner),
            Err(FeelingRefusal::NotTheHurtPartner)
        );
    }

    #[test]
    fn only_the_author_withdraws_and_only_once() {
        assert_eq!(may_withdraw(true, false), Ok(()));
        assert_eq!(
            may_withdraw(false, false),
            Err(FeelingRefusal::NotTheAuthor)
        );
        assert_eq!(may_withdraw(true, true), Err(FeelingRefusal::Withdrawn));
    }

    #[test]
    fn names_round_trip() {
        for w in FeelingWord::ALL {
            assert_eq!(FeelingWord::parse(w.as_str()), Some(w));
        }
        for v in [Verdict::Heard, Verdict::NotYet] {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
    }
}
