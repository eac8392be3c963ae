//! The TOML rule-pack format and its compilation into rules and trigger phrases.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::automaton::{Kind, PhraseIndex, PhraseSet, Vocabulary};
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Person {
    First,
    Second,
}

/// Which part of a gapped match a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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

/// A compiled rule; it is also what the build script writes out for the English pack.
#[derive(Serialize, Deserialize)]
pub(crate) struct Rule {
    pub id: Arc<str>,
    pub category: Category,
    pub severity: Severity,
    pub modes: u16,
    /// Number of segments of each pattern, indexed by pattern.
    pub segments: Vec<u8>,
    /// For each pattern, the words allowed at each join between two segments.
    pub gaps: Vec<Vec<usize>>,
    /// The phrases of every later segment of every pattern, each with the patterns and segments
    /// it belongs to, searched only in the few words after a head: short words such as "i" or
    /// "but" would otherwise match all over the single pass.
    pub followers: Option<PhraseIndex<(u16, u8)>>,
    /// The longest follower phrase, in bytes: how far past the last allowed start a follower
    /// can end.
    pub longest_follower: usize,
    // Each list of context phrases below is held as one or more sets (see [`context_phrases`]);
    // an empty list means the rule has no such check.
    /// Phrases that, anywhere in the sentence, cancel a match.
    pub exceptions: Vec<SetId>,
    /// Phrases that cancel a match when they follow it closely ("sorry, but that is no excuse").
    pub unless_after: Vec<SetId>,
    /// Phrases of which one must be in the sentence for a match to count.
    pub requires: Vec<SetId>,
    /// Phrases of which one must follow the match in its sentence.
    pub requires_after: Vec<SetId>,
    /// Phrases that cancel a match in its sentence or the next one: "I was drunk. That doesn't
    /// excuse it."
    pub retractions: Vec<SetId>,
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

/// One of a pack's context phrase sets ([`Compiled::sets`]). Many rules list the same phrases
/// (the `{retraction}` slot, say): they share one automaton, which is also what lets a review
/// search it once for all the candidates of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct SetId(pub u32);

/// Where a trigger phrase sits: which rule, and which pattern's first segment it is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct Target {
    pub rule: u32,
    pub pattern: u16,
}

/// A compiled pack: what [`crate::Coach`] is made of, and what the build script writes out for
/// the English pack so that a start only reads it back.
#[derive(Serialize, Deserialize)]
pub(crate) struct Compiled<'a> {
    pub rules: Vec<Rule>,
    /// The single pass: distinct trigger phrases (first segments), each with the rules and
    /// patterns it serves.
    pub triggers: PhraseIndex<Target>,
    /// The distinct context phrase sets (exceptions, requirements, retractions) of all rules.
    pub sets: Vec<PhraseSet>,
    /// The tokens of every phrase above: the automata read a text as these tokens' numbers.
    pub vocabulary: Vocabulary,
    /// The trigger phrases in automaton order, one a line (borrowed from the prepared image).
    #[serde(borrow)]
    pub phrases: Cow<'a, str>,
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

/// The context phrase sets of a pack being compiled, each kept once however many rules use it.
#[derive(Default)]
struct Sets {
    ids: HashMap<BTreeSet<String>, SetId>,
    sets: Vec<PhraseSet>,
    vocabulary: Vocabulary,
}

impl Sets {
    fn intern_all(&mut self, groups: Vec<BTreeSet<String>>) -> Result<Vec<SetId>, PackError> {
        groups.into_iter().map(|g| self.intern(g)).collect()
    }

    fn intern(&mut self, phrases: BTreeSet<String>) -> Result<SetId, PackError> {
        if let Some(&id) = self.ids.get(&phrases) {
            return Ok(id);
        }
        let id = SetId(
            u32::try_from(self.sets.len())
                .map_err(|_| PackError::Automaton("too many phrase sets".into()))?,
        );
        self.sets.push(PhraseSet::build(
            &phrases,
            &mut self.vocabulary,
            Kind::Bytes,
            None,
        )?);
        self.ids.insert(phrases, id);
        Ok(id)
    }
}

/// A context pattern that expands to at least this many phrases (a slot such as
/// `{retraction}`, thousands of phrases) gets a set of its own, shared by every rule that lists
/// it; the smaller patterns of a list share one set. Without this, each rule held its own copy of
/// the big slots: 85 sets of up to 5,800 phrases, 20 MB.
const SHARED_SET: usize = 200;

/// Expands a list of context phrases (exceptions and the like) into the phrase sets that hold
/// it, for automata searched only around a candidate; a phrase of any of them counts.
fn context_phrases(
    id: &str,
    list: &[String],
    slots: &Slots,
) -> Result<Vec<BTreeSet<String>>, PackError> {
    // Only whether some phrase occurs matters, so duplicates are dropped.
    let mut small = BTreeSet::new();
    let mut groups = Vec::new();
    for pat in list {
        let expanded = pattern::expand(pat, slots)?;
        if expanded.segments.len() != 1 {
            return Err(rule_err(id, "exceptions and requirements cannot have gaps"));
        }
        let phrases: BTreeSet<String> = expanded
            .segments
            .into_iter()
            .flatten()
            .flat_map(with_variants)
            .collect();
        if phrases.len() >= SHARED_SET {
            groups.push(phrases);
        } else {
            small.extend(phrases);
        }
    }
    if !small.is_empty() {
        groups.push(small);
    }
    Ok(groups)
}

/// Compiles a pack. `layout`, when given, is sample text (the labelled corpus, for the English
/// pack) whose scan the single pass's memory layout favours; it never changes a result.
pub(crate) fn compile(
    sources: &[&str],
    layout: Option<&[&str]>,
) -> Result<Compiled<'static>, PackError> {
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
    let mut sets = Sets::default();
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
        let mut follower_index: HashMap<String, usize> = HashMap::new();
        let mut follower_phrases: Vec<(String, Vec<(u16, u8)>)> = Vec::new();
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
                            let at = *follower_index.entry(v.clone()).or_insert_with(|| {
                                follower_phrases.push((v, Vec::new()));
                                follower_phrases.len() - 1
                            });
                            follower_phrases[at].1.push((pattern, segment));
                        }
                    }
                }
            }
        }
        let longest_follower = follower_phrases
            .iter()
            .map(|(p, _)| p.len())
            .max()
            .unwrap_or(0);
        let followers = if follower_phrases.is_empty() {
            None
        } else {
            Some(PhraseIndex::build(
                follower_phrases,
                &mut sets.vocabulary,
                Kind::Bytes,
                None,
            )?)
        };
        let mut context = |list: &[String]| -> Result<Vec<SetId>, PackError> {
            sets.intern_all(context_phrases(&spec.id, list, &slots)?)
        };
        let exceptions = context(&spec.exceptions)?;
        let unless_after = context(&spec.unless_after)?;
        let requires = context(&spec.requires)?;
        let requires_after = context(&spec.requires_after)?;
        let retractions = context(&spec.retractions)?;
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
            longest_follower,
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
    // The review relies on each phrase's targets being in pack order (see `Coach::scan`).
    for (_, targets) in &mut phrases {
        targets.sort_by_key(|t| (t.rule, t.pattern));
    }
    let listed: Vec<&str> = phrases.iter().map(|(p, _)| p.as_str()).collect();
    let listed = listed.join("\n");
    let mut vocabulary = sets.vocabulary;
    Ok(Compiled {
        rules,
        triggers: PhraseIndex::build(phrases, &mut vocabulary, Kind::Tokens, layout)?,
        sets: sets.sets,
        vocabulary,
        phrases: Cow::Owned(listed),
    })
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
