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

mod automaton;
mod context;
mod engine;
mod english;
pub mod eval;
mod kinds;
mod pack;
mod pattern;

use std::sync::{Arc, OnceLock};

use serde::Serialize;

pub use engine::Coach;
pub use english::ENGLISH_PACK;
pub use kinds::{Category, Mode, PackError, Severity, UnknownMode};
pub use pack::ExampleFailure;

/// The labelled English corpus (JSON Lines of `{"text": ..., "labels": [...]}`).
pub const ENGLISH_CORPUS: &str = include_str!("../corpus/en.jsonl");

/// The English development hold-out, in the corpus's format: written before the rules were changed
/// to hear paraphrases and never tuned on, so its scores say how the coach does on new wording.
pub const ENGLISH_HOLDOUT: &str = include_str!("../corpus/holdout.en.jsonl");

/// The English pack as the build script compiled it (`build.rs`): rules and automata, ready to
/// be read back without expanding a phrase or building an automaton.
static ENGLISH_IMAGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/english.coach"));

impl Coach {
    /// The coach for the embedded English pack, read on first use (a few milliseconds) and
    /// shared afterwards. It finds exactly what `Coach::from_toml(ENGLISH_PACK)` finds.
    ///
    /// The pack was compiled by the build script, from the same sources and with this crate's
    /// own code, and the image is checked by this crate's tests, so reading it cannot fail at
    /// run time; a broken image is a build defect and stops the process loudly.
    pub fn english() -> &'static Coach {
        static ENGLISH: OnceLock<Coach> = OnceLock::new();
        ENGLISH.get_or_init(Coach::english_uncached)
    }

    /// A fresh coach for the embedded English pack, read from the prepared image: what
    /// [`Coach::english`] does once per process (the benchmark measures it). Prefer `english()`.
    pub fn english_uncached() -> Coach {
        Coach::from_image(ENGLISH_IMAGE).expect("the prepared English rule pack reads back")
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
