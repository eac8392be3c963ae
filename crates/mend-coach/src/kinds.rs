//! The words the coach and its rule packs share: categories, modes, severities and pack errors.
//! Kept apart from the engine so that the build script can compile the English pack with the
//! same definitions (it includes this file, `pattern.rs` and `pack.rs`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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

    pub(crate) fn index(self) -> usize {
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

    pub(crate) fn bit(self) -> u16 {
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
    Automaton(String),
}
