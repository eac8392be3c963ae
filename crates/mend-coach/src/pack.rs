//! The TOML rule-pack format and its compilation into rules and trigger phrases.

use std::collections::HashMap;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

use crate::pattern::{self, Slots};
use crate::{Category, Mode, PackError, Severity};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    #[serde(default)]
    slots: HashMap<String, Vec<String>>,
    /// Word classes (`<act>`, `<minimiser>`, ...) that patterns refer to by name.
    #[serde(default)]
    lexicon: HashMap<String, Vec<String>>,
    #[serde(default)]
    rule: Vec<RuleSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    category: Category,
    severity: Severity,
    modes: Option<Vec<Mode>>,
    patterns: Vec<String>,
    #[serde(default)]
    exceptions: Vec<String>,
    #[serde(default)]
    unless_after: Vec<String>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    requires_after: Vec<String>,
    #[serde(default)]
    retractions: Vec<String>,
    #[serde(default)]
    question: bool,
    #[serde(default)]
    agentless: bool,
    person: Option<Person>,
    #[serde(default = "yes")]
    negation: bool,
    #[serde(default = "yes")]
    reported: bool,
    max_gap: Option<usize>,
    #[serde(default)]
    span: Span,
    message: String,
    suggestion: String,
    examples: Examples,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Examples {
    #[serde(rename = "match")]
    matches: Vec<String>,
    clean: Vec<String>,
}

/// Whose words a rule is about, found from the nearest pronoun before the match in its clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Person {
    First,
    Second,
}

/// Which part of a gapped match a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Span {
    /// From the first segment to the last.
    #[default]
    All,
    /// Only the last segment: for "I'm sorry, ... but", the "but" is what to change.
    Last,
}

/// The words allowed between two segments of a pattern unless a rule says otherwise.
const DEFAULT_GAP: usize = 8;

pub(crate) struct Rule {
    pub id: Arc<str>,
    pub category: Category,
    pub severity: Severity,
    pub modes: u16,
    /// Number of segments of each pattern, indexed by pattern.
    pub segments: Vec<u8>,
    /// For each pattern, the words allowed at each join between two segments.
    pub gaps: Vec<Vec<usize>>,
    /// The phrases of every later segment of every pattern, searched only in the few words after
    /// a head: short words such as "i" or "but" would otherwise match all over the single pass.
    pub followers: Option<AhoCorasick>,
    /// For each follower phrase, the pattern and segment it belongs to.
    pub follower_of: Vec<(u16, u8)>,
    /// Phrases that, anywhere in the sentence, cancel a match.
    pub exceptions: Option<AhoCorasick>,
    /// Phrases that cancel a match when they follow it closely ("sorry, but that is no excuse").
    pub unless_after: Option<AhoCorasick>,
    /// Phrases of which one must be in the sentence for a match to count.
    pub requires: Option<AhoCorasick>,
    /// Phrases of which one must follow the match in its sentence.
    pub requires_after: Option<AhoCorasick>,
    /// Phrases that cancel a match in its sentence or the next one: "I was drunk. That doesn't
    /// excuse it."
    pub retractions: Option<AhoCorasick>,
    /// The match counts only in a sentence that ends with a question mark.
    pub question: bool,
    /// The match counts only when the writer is not the subject of the rest of its clause
    /// ("I regret that you were upset", not "I regret that I lied").
    pub agentless: bool,
    pub person: Option<Person>,
    pub negation: bool,
    pub reported: bool,
    pub span: Span,
    pub message: Arc<str>,
    pub suggestion: Arc<str>,
    pub match_examples: Vec<String>,
    pub clean_examples: Vec<String>,
}

/// Where a trigger phrase sits: which rule, and which pattern's first segment it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    pub rule: u32,
    pub pattern: u16,
}

pub(crate) struct Compiled {
    pub rules: Vec<Rule>,
    /// Distinct trigger phrases, each with the rules (and pattern segments) it serves.
    pub phrases: Vec<(String, Vec<Target>)>,
}

/// Contractions that are still unambiguous when texted without the apostrophe ("im", "youre").
/// "we're", "we'll", "i'll", "he'll", "she'll" and the "'d" forms are left out: without the
/// apostrophe they are other words ("were", "well", "ill", "hell", "shed").
const SAFE_TO_DROP: &[&str] = &[
    "i'm", "i've", "you're", "you've", "that's", "it's", "what's", "there's", "let's", "he's",
    "she's", "they're", "they've", "we've", "you'd", "you'll", "who's",
];

/// The phrase as it is often texted, without apostrophes where that leaves no doubt
/// ("didnt", "cant", "im"), if that differs from the phrase.
fn without_apostrophes(phrase: &str) -> Option<String> {
    let words: Vec<String> = phrase
        .split(' ')
        .map(|w| {
            if w.ends_with("n't") || SAFE_TO_DROP.contains(&w) {
                w.replace('\'', "")
            } else {
                w.to_owned()
            }
        })
        .collect();
    let joined = words.join(" ");
    (joined != phrase).then_some(joined)
}

/// Curly apostrophes are as common as straight ones in typed text, so each phrase with an
/// apostrophe is also looked for with the other kind, and without it where that is safe.
fn with_variants(phrase: String) -> Vec<String> {
    if phrase.contains('\'') {
        let curly = phrase.replace('\'', "\u{2019}");
        match without_apostrophes(&phrase) {
            Some(bare) => vec![phrase, curly, bare],
            None => vec![phrase, curly],
        }
    } else {
        vec![phrase]
    }
}

/// Compiles a list of context phrases (exceptions and the like) into a small automaton of
/// their own, searched only inside a candidate's sentence.
fn context_phrases(
    id: &str,
    list: &[String],
    slots: &Slots,
) -> Result<Option<AhoCorasick>, PackError> {
    if list.is_empty() {
        return Ok(None);
    }
    let mut phrases = Vec::new();
    for pat in list {
        let expanded = pattern::expand(pat, slots)?;
        if expanded.segments.len() != 1 {
            return Err(rule_err(id, "exceptions and requirements cannot have gaps"));
        }
        phrases.extend(
            expanded
                .segments
                .into_iter()
                .flatten()
                .flat_map(with_variants),
        );
    }
    let automaton = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(&phrases)?;
    Ok(Some(automaton))
}

pub(crate) fn compile(sources: &[&str]) -> Result<Compiled, PackError> {
    let mut files = Vec::with_capacity(sources.len());
    for (i, src) in sources.iter().enumerate() {
        let file: PackFile =
            toml::from_str(src).map_err(|source| PackError::Toml { file: i, source })?;
        files.push(file);
    }
    let mut slots = Slots::new();
    for file in &mut files {
        slots.extend(file.slots.drain());
        slots.extend(
            file.lexicon
                .drain()
                .map(|(name, words)| (pattern::word_class_key(&name), words)),
        );
    }

    let mut rules = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut phrases: Vec<(String, Vec<Target>)> = Vec::new();
    let mut add = |phrase: String, target: Target| {
        for v in with_variants(phrase) {
            let at = *index.entry(v.clone()).or_insert_with(|| {
                phrases.push((v, Vec::new()));
                phrases.len() - 1
            });
            phrases[at].1.push(target);
        }
    };

    for spec in files.into_iter().flat_map(|f| f.rule) {
        let rule_no =
            u32::try_from(rules.len()).map_err(|_| rule_err(&spec.id, "too many rules"))?;
        if spec.patterns.is_empty() {
            return Err(rule_err(&spec.id, "has no patterns"));
        }
        if spec.examples.matches.is_empty() || spec.examples.clean.is_empty() {
            return Err(rule_err(
                &spec.id,
                "needs examples that match and examples that stay clean",
            ));
        }
        if rules.iter().any(|r: &Rule| *r.id == *spec.id) {
            return Err(rule_err(&spec.id, "the id is used twice"));
        }
        let max_gap = spec.max_gap.unwrap_or(DEFAULT_GAP);
        let mut segments = Vec::new();
        let mut gaps = Vec::new();
        let mut follower_phrases = Vec::new();
        let mut follower_of = Vec::new();
        for (p, pat) in spec.patterns.iter().enumerate() {
            let expanded = pattern::expand(pat, &slots)?;
            let pattern = u16::try_from(p).map_err(|_| rule_err(&spec.id, "too many patterns"))?;
            let count = u8::try_from(expanded.segments.len())
                .map_err(|_| rule_err(&spec.id, "too many gaps"))?;
            segments.push(count);
            gaps.push(expanded.gaps.iter().map(|g| g.unwrap_or(max_gap)).collect());
            for (s, list) in expanded.segments.into_iter().enumerate() {
                let segment = u8::try_from(s).map_err(|_| rule_err(&spec.id, "too many gaps"))?;
                for phrase in list {
                    if segment == 0 {
                        add(
                            phrase,
                            Target {
                                rule: rule_no,
                                pattern,
                            },
                        );
                    } else {
                        for v in with_variants(phrase) {
                            follower_phrases.push(v);
                            follower_of.push((pattern, segment));
                        }
                    }
                }
            }
        }
        let followers = if follower_phrases.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&follower_phrases)?,
            )
        };
        let exceptions = context_phrases(&spec.id, &spec.exceptions, &slots)?;
        let unless_after = context_phrases(&spec.id, &spec.unless_after, &slots)?;
        let requires = context_phrases(&spec.id, &spec.requires, &slots)?;
        let requires_after = context_phrases(&spec.id, &spec.requires_after, &slots)?;
        let retractions = context_phrases(&spec.id, &spec.retractions, &slots)?;
        let modes = match &spec.modes {
            Some(list) => list.iter().fold(Mode::Free.bit(), |acc, m| acc | m.bit()),
            None => Mode::ALL
                .into_iter()
                .filter(|m| m.categories().contains(&spec.category))
                .fold(0, |acc, m| acc | m.bit()),
        };
        rules.push(Rule {
            id: spec.id.into(),
            category: spec.category,
            severity: spec.severity,
            modes,
            segments,
            gaps,
            followers,
            follower_of,
            exceptions,
            unless_after,
            requires,
            requires_after,
            retractions,
            question: spec.question,
            agentless: spec.agentless,
            person: spec.person,
            negation: spec.negation,
            reported: spec.reported,
            span: spec.span,
            message: spec.message.into(),
            suggestion: spec.suggestion.into(),
            match_examples: spec.examples.matches,
            clean_examples: spec.examples.clean,
        });
    }
    if rules.is_empty() {
        return Err(rule_err("(none)", "the pack has no rules"));
    }
    Ok(Compiled { rules, phrases })
}

fn rule_err(id: &str, reason: &str) -> PackError {
    PackError::Rule {
        rule: id.to_owned(),
        reason: reason.to_owned(),
    }
}

/// A rule example that did not behave as its rule says it should.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule: String,
    pub example: String,
    /// True when the example should have matched and did not; false for a clean example that matched.
    pub should_match: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texted_contractions_are_matched_without_their_apostrophe_only_when_unambiguous() {
        assert_eq!(
            with_variants("i didn't know".into()),
            ["i didn't know", "i didn\u{2019}t know", "i didnt know"]
        );
        assert_eq!(
            without_apostrophes("you're not"),
            Some("youre not".to_owned())
        );
        assert_eq!(without_apostrophes("we're fine"), None);
        assert_eq!(without_apostrophes("i'll try"), None);
    }
}
