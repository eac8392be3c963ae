//! Mend's language coach: finds excuses, blame, pressure and the like in a draft, with exact spans
//! and a suggestion for each, so the partner who broke trust can say it better.
//!
//! No I/O: the English rule pack and the labelled corpus are embedded at compile time.
//!
//! ```
//! use mend_coach::{Coach, Mode};
//! let findings = Coach::english().review("I'm sorry if you were hurt.", Mode::Free);
//! assert_eq!(findings[0].category.as_str(), "non_apology");
//! ```

mod context;
mod engine;
pub mod eval;
mod pack;
mod pattern;

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

pub use engine::Coach;
pub use pack::ExampleFailure;

/// The English rule pack, one file per family of categories.
pub const ENGLISH_PACK: &[&str] = &[
    include_str!("../rules/en/slots.toml"),
    include_str!("../rules/en/lexicon.toml"),
    include_str!("../rules/en/excuse.toml"),
    include_str!("../rules/en/justification.toml"),
    include_str!("../rules/en/blame_shift.toml"),
    include_str!("../rules/en/minimizing.toml"),
    include_str!("../rules/en/non_apology.toml"),
    include_str!("../rules/en/defensive.toml"),
    include_str!("../rules/en/invalidating.toml"),
    include_str!("../rules/en/urging.toml"),
    include_str!("../rules/en/analyzing.toml"),
    include_str!("../rules/en/self_focus.toml"),
    include_str!("../rules/en/hedging.toml"),
    include_str!("../rules/en/inflammatory_detail.toml"),
];

/// The labelled English corpus (JSON Lines of `{"text": ..., "labels": [...]}`).
pub const ENGLISH_CORPUS: &str = include_str!("../corpus/en.jsonl");

/// The English development hold-out, in the corpus's format: written before the rules were changed
/// to hear paraphrases and never tuned on, so its scores say how the coach does on new wording.
pub const ENGLISH_HOLDOUT: &str = include_str!("../corpus/holdout.en.jsonl");

impl Coach {
    /// The coach for the embedded English pack, built on first use and shared afterwards.
    ///
    /// The pack is compiled into the binary and checked by this crate's tests, so building it
    /// cannot fail at run time; a broken pack is a build defect and stops the process loudly.
    pub fn english() -> &'static Coach {
        static ENGLISH: OnceLock<Coach> = OnceLock::new();
        ENGLISH.get_or_init(|| {
            Coach::from_toml(ENGLISH_PACK).expect("the embedded English rule pack is valid")
        })
    }
}

/// What kind of slip a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Excuse,
    Justification,
    BlameShift,
    Minimizing,
    NonApology,
    Defensive,
    Invalidating,
    Urging,
    Analyzing,
    SelfFocus,
    Hedging,
    InflammatoryDetail,
}

impl Category {
    pub const ALL: [Category; 12] = [
        Category::Excuse,
        Category::Justification,
        Category::BlameShift,
        Category::Minimizing,
        Category::NonApology,
        Category::Defensive,
        Category::Invalidating,
        Category::Urging,
        Category::Analyzing,
        Category::SelfFocus,
        Category::Hedging,
        Category::InflammatoryDetail,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Excuse => "excuse",
            Category::Justification => "justification",
            Category::BlameShift => "blame_shift",
            Category::Minimizing => "minimizing",
            Category::NonApology => "non_apology",
            Category::Defensive => "defensive",
            Category::Invalidating => "invalidating",
            Category::Urging => "urging",
            Category::Analyzing => "analyzing",
            Category::SelfFocus => "self_focus",
            Category::Hedging => "hedging",
            Category::InflammatoryDetail => "inflammatory_detail",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which form a draft is written in; it chooses which categories apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Acknowledgement,
    Answer,
    Reflection,
    Reassurance,
    Accountability,
    Pledge,
    Intention,
    #[default]
    Free,
}

impl Mode {
    pub const ALL: [Mode; 8] = [
        Mode::Acknowledgement,
        Mode::Answer,
        Mode::Reflection,
        Mode::Reassurance,
        Mode::Accountability,
        Mode::Pledge,
        Mode::Intention,
        Mode::Free,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Acknowledgement => "acknowledgement",
            Mode::Answer => "answer",
            Mode::Reflection => "reflection",
            Mode::Reassurance => "reassurance",
            Mode::Accountability => "accountability",
            Mode::Pledge => "pledge",
            Mode::Intention => "intention",
            Mode::Free => "free",
        }
    }

    /// The categories this mode checks by default (a rule may narrow its own modes further).
    /// Every mode checks urging and defensive: the repairing partner writes in all of them, and
    /// pressure to move on or a counter-attack hurts in any form. See `docs/coach.md` for why
    /// each form gets the set it gets.
    pub fn categories(self) -> &'static [Category] {
        use Category::*;
        match self {
            Mode::Acknowledgement => &[
                Excuse,
                Justification,
                BlameShift,
                Minimizing,
                NonApology,
                Defensive,
                SelfFocus,
                Hedging,
                Urging,
            ],
            Mode::Answer => &[
                Defensive,
                InflammatoryDetail,
                BlameShift,
                Minimizing,
                Invalidating,
                Urging,
                NonApology,
            ],
            Mode::Reflection => &[
                Analyzing,
                Defensive,
                Invalidating,
                SelfFocus,
                Minimizing,
                Urging,
                BlameShift,
                Excuse,
                Justification,
                NonApology,
            ],
            Mode::Reassurance => &[
                Urging,
                Invalidating,
                Minimizing,
                Defensive,
                Hedging,
                Analyzing,
                SelfFocus,
                BlameShift,
            ],
            Mode::Accountability => &[
                Excuse,
                Justification,
                BlameShift,
                Minimizing,
                NonApology,
                Defensive,
                SelfFocus,
                Hedging,
                Urging,
            ],
            Mode::Pledge => &[
                Hedging,
                Excuse,
                Justification,
                BlameShift,
                Minimizing,
                Defensive,
                Urging,
            ],
            Mode::Intention => &[
                Hedging,
                Urging,
                SelfFocus,
                BlameShift,
                Minimizing,
                Excuse,
                Justification,
                Defensive,
            ],
            Mode::Free => &Category::ALL,
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a mode name that is not one of [`Mode::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown mode '{0}' (expected one of: acknowledgement, answer, reflection, reassurance, accountability, pledge, intention, free)")]
pub struct UnknownMode(pub String);

impl FromStr for Mode {
    type Err = UnknownMode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownMode(s.to_owned()))
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a second look.
    Info,
    /// Likely to land badly.
    Warning,
    /// Undoes what the draft is trying to do.
    Serious,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Serious => "serious",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One place in a draft the coach would change, with offsets for Rust (bytes), people
/// (characters) and browsers (UTF-16 code units). All ends are exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
///
/// The rule id, message and suggestion are shared with the rule pack (`Arc<str>`), so a finding
/// costs one small allocation (its `text`) however long the messages are.
pub struct Finding {
    pub category: Category,
    pub rule: Arc<str>,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub utf16_start: usize,
    pub utf16_end: usize,
    pub text: String,
    pub message: Arc<str>,
    pub suggestion: Arc<str>,
}

/// Why a rule pack could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("rule pack file {file} is not valid TOML for a rule pack: {source}")]
    Toml {
        file: usize,
        #[source]
        source: toml::de::Error,
    },
    #[error("pattern '{pattern}': {reason}")]
    Pattern { pattern: String, reason: String },
    #[error("rule '{rule}': {reason}")]
    Rule { rule: String, reason: String },
    #[error("the trigger phrases could not be compiled: {0}")]
    Automaton(#[from] aho_corasick::BuildError),
}
