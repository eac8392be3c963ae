//! The matching engine: one pass of a multi-phrase automaton finds every candidate for every
//! rule at once, then the context checks decide which candidates are findings.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::context;
use crate::pack::{self, ExampleFailure, Rule, Span, Target};
use crate::{Category, Finding, Mode, PackError};

/// Long texts are scanned in pieces of about this many bytes, so the hits in flight stay small
/// and in cache; results are the same as for one piece.
const CHUNK: usize = 32 * 1024;
/// How far each piece's scan reaches past its end: more than a phrase plus the widest sentence
/// window of the context checks, so a match near a cut is seen whole.
const OVERLAP: usize = 1024;

/// How far past the last allowed start a follower phrase may end, in bytes: more than the
/// longest follower phrase.
const FOLLOWER_REACH: usize = 200;

/// Words allowed between a match and an `unless_after` phrase ("but, honestly, that is ...").
const UNLESS_AFTER_REACH: usize = 2;

/// A compiled rule pack. Build it once ([`Coach::english`] or [`Coach::from_toml`]) and share
/// it: reviewing takes `&self` and the type is `Send + Sync`.
pub struct Coach {
    rules: Vec<Rule>,
    automaton: AhoCorasick,
    /// For each automaton phrase, the range of `targets` it serves.
    spans: Vec<(u32, u32)>,
    targets: Vec<Target>,
    phrases: Vec<String>,
}

/// One trigger phrase occurrence found by the pass, for one rule.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    target: Target,
}

impl Coach {
    /// Compiles a rule pack from the text of its TOML files (slots may live in any of them).
    pub fn from_toml(sources: &[&str]) -> Result<Coach, PackError> {
        let compiled = pack::compile(sources)?;
        let mut spans = Vec::with_capacity(compiled.phrases.len());
        let mut targets = Vec::new();
        let mut phrases = Vec::with_capacity(compiled.phrases.len());
        for (phrase, ts) in compiled.phrases {
            let from = targets.len() as u32;
            targets.extend(ts);
            spans.push((from, targets.len() as u32));
            phrases.push(phrase);
        }
        // Standard semantics report overlapping phrases, so rules never hide each other.
        // Dense transitions deeper into the trie cost a few MB and make the scan markedly faster.
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .dense_depth(10)
            .build(&phrases)?;
        Ok(Coach {
            rules: compiled.rules,
            automaton,
            spans,
            targets,
            phrases,
        })
    }

    /// Every trigger phrase the single pass looks for, after expanding slots, alternatives and
    /// inflections (exceptions and requirements are searched later, only around candidates).
    pub fn trigger_phrases(&self) -> impl Iterator<Item = &str> {
        self.phrases.iter().map(String::as_str)
    }

    /// The number of rules in the pack.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Reviews a draft in the given mode. Findings are ordered by position; the same stretch of
    /// text is reported at most once per category. Never panics, whatever the input.
    pub fn review(&self, text: &str, mode: Mode) -> Vec<Finding> {
        let candidates = self.candidates(text, mode);
        self.findings(text, candidates)
    }

    /// Every accepted match of every rule, before overlapping ones of a category are merged:
    /// `(start, end, rule)`.
    fn candidates(&self, text: &str, mode: Mode) -> Vec<(usize, usize, u32)> {
        let mut candidates: Vec<(usize, usize, u32)> = Vec::new();
        let mut hits = Vec::new();
        let mut from = 0;
        while from < text.len() {
            let to = ceil(text, from.saturating_add(CHUNK));
            let reach = ceil(text, to.saturating_add(OVERLAP));
            self.scan(text, from, reach, mode.bit(), &mut hits);
            for (i, hit) in hits.iter().enumerate() {
                // Heads past `to` belong to the next piece, which sees them with full context.
                if hit.start >= to {
                    continue;
                }
                let rule = &self.rules[hit.target.rule as usize];
                if let Some((start, end)) = accept(text, &hits, i, rule) {
                    candidates.push((start, end, hit.target.rule));
                }
            }
            from = to;
        }
        candidates
    }

    /// The single pass over `text[from..to]`: all trigger occurrences on word boundaries, for
    /// rules active in the mode, ordered by start.
    fn scan(&self, text: &str, from: usize, to: usize, mode_bit: u16, hits: &mut Vec<Hit>) {
        hits.clear();
        for m in self.automaton.find_overlapping_iter(&text[from..to]) {
            let (start, end) = (from + m.start(), from + m.end());
            // ASCII case folding keeps matches on character boundaries; checked anyway so that
            // slicing later can never panic.
            if !text.is_char_boundary(start)
                || !text.is_char_boundary(end)
                || !context::whole_word(text, start, end)
            {
                continue;
            }
            let (from, to) = self.spans[m.pattern().as_usize()];
            for &target in &self.targets[from as usize..to as usize] {
                if self.rules[target.rule as usize].modes & mode_bit != 0 {
                    hits.push(Hit { start, end, target });
                }
            }
        }
        // The automaton reports by end position; candidates are kept in text order.
        hits.sort_unstable_by_key(|h| {
            let t = h.target;
            (h.start, h.end, t.rule, t.pattern)
        });
    }

    /// Turns accepted candidates into findings: one per category for overlapping stretches
    /// (the longest at each start wins), with byte, character and UTF-16 offsets.
    fn findings(&self, text: &str, mut candidates: Vec<(usize, usize, u32)>) -> Vec<Finding> {
        // Ties go to the rule listed first in the pack, so results never depend on scan order.
        candidates.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut reach = [0usize; Category::ALL.len()];
        let mut cursor = Cursor::default();
        let mut out = Vec::new();
        for (start, end, r) in candidates {
            let rule = &self.rules[r as usize];
            let slot = &mut reach[rule.category.index()];
            if start < *slot {
                continue;
            }
            *slot = end;
            let (cs, us) = cursor.advance(text, start);
            let span = &text[start..end];
            out.push(Finding {
                category: rule.category,
                rule: rule.id.clone(),
                severity: rule.severity,
                start,
                end,
                char_start: cs,
                char_end: cs + span.chars().count(),
                utf16_start: us,
                utf16_end: us + span.encode_utf16().count(),
                text: span.to_owned(),
                message: rule.message.clone(),
                suggestion: rule.suggestion.clone(),
            });
        }
        out
    }

    /// Runs every rule's own examples and reports those that misbehave (used by the tests and
    /// by anyone writing a new pack). A rule fires on an example when it matches there, even if
    /// a rule of the same category listed earlier covers the same words in the findings.
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        for (r, rule) in self.rules.iter().enumerate() {
            let fires = |example: &str| {
                self.candidates(example, Mode::Free)
                    .iter()
                    .any(|&(_, _, c)| c as usize == r)
            };
            for (examples, should_match) in
                [(&rule.match_examples, true), (&rule.clean_examples, false)]
            {
                for example in examples {
                    if fires(example) != should_match {
                        failures.push(ExampleFailure {
                            rule: rule.id.to_string(),
                            example: example.clone(),
                            should_match,
                        });
                    }
                }
            }
        }
        failures
    }
}

/// Decides whether the hit at `first` (the first segment of a pattern) is a finding; returns
/// the span to report. The checks run cheapest first.
fn accept(text: &str, hits: &[Hit], first: usize, rule: &Rule) -> Option<(usize, usize)> {
    let head = hits[first];
    let (mut last_start, mut end) = (head.start, head.end);
    let pattern = head.target.pattern as usize;
    // Later segments first: a head word of a gapped pattern ("you", "she", "only a") is common,
    // its follower within a few words rarely is, so most heads stop here before any sentence scan.
    for segment in 1..rule.segments[pattern] {
        let gap = rule.gaps[pattern][usize::from(segment) - 1];
        let limit = context::gap_limit(text, end, gap);
        (last_start, end) = next_segment(text, rule, (head.target.pattern, segment), end, limit)?;
    }
    let (s_start, s_end) = context::sentence(text, head.start, head.end);
    if end > s_end {
        return None;
    }
    // A rhetorical question ("why do you always bring this up?") is pressure; the same words
    // as a statement may be an answer.
    if rule.question && !text[s_end..].starts_with('?') {
        return None;
    }
    // The checks run cheapest and most selective first; all of them must pass.
    if let Some(ac) = &rule.requires {
        phrase_in(ac, text, s_start, s_end).next()?;
    }
    if let Some(ac) = &rule.requires_after {
        phrase_in(ac, text, end, s_end).next()?;
    }
    // What comes straight after the match can turn it around ("sorry, but that is no excuse").
    if let Some(ac) = &rule.unless_after {
        if phrase_in(ac, text, end, s_end)
            .any(|at| word_count(&text[end..at]) <= UNLESS_AFTER_REACH)
        {
            return None;
        }
    }
    // From the end of the first segment, so "sorry ... upset you" sees the "I" in "sorry I upset you".
    if rule.agentless && context::writer_acts_after(text, head.end, s_end) {
        return None;
    }
    if rule.negation || rule.reported || rule.person.is_some() {
        let before = context::Before::new(text, s_start, head.start);
        if (rule.negation && before.negated())
            || rule.person.is_some_and(|p| !before.person_fits(p))
            || (rule.reported && before.reported())
        {
            return None;
        }
    }
    if let Some(ac) = &rule.exceptions {
        if phrase_in(ac, text, s_start, s_end).next().is_some() {
            return None;
        }
    }
    if let Some(ac) = &rule.retractions {
        let reach = context::next_sentence_end(text, s_end);
        if phrase_in(ac, text, s_start, reach).next().is_some() {
            return None;
        }
    }
    match rule.span {
        Span::All => Some((head.start, end)),
        Span::Last => Some((last_start, end)),
    }
}

/// The nearest whole-word occurrence of the wanted segment (pattern, segment) of `rule` that
/// starts at or after `after` and before `limit` (the end of the gap or of the sentence, from
/// [`context::gap_limit`]); the earliest start wins, then the shortest. Returns its span.
fn next_segment(
    text: &str,
    rule: &Rule,
    wanted: (u16, u8),
    after: usize,
    limit: usize,
) -> Option<(usize, usize)> {
    let ac = rule.followers.as_ref()?;
    // A follower may run past the gap's limit ("not going to"), so the window reaches a little
    // further than the last start allowed; only the start is bounded by the gap.
    let reach = ceil(text, limit.saturating_add(FOLLOWER_REACH)).min(text.len());
    ac.find_overlapping_iter(&text[after..reach])
        .map(|m| (after + m.start(), after + m.end(), m.pattern().as_usize()))
        .filter(|&(s, e, p)| {
            s < limit
                && rule.follower_of.get(p) == Some(&wanted)
                && text.is_char_boundary(s)
                && text.is_char_boundary(e)
                && context::whole_word(text, s, e)
        })
        .map(|(s, e, _)| (s, e))
        .min()
}

/// Starts of the whole-word occurrences of a context automaton's phrases in `text[from..to]`.
fn phrase_in<'a>(
    ac: &'a AhoCorasick,
    text: &'a str,
    from: usize,
    to: usize,
) -> impl Iterator<Item = usize> + 'a {
    let to = to.max(from);
    ac.find_overlapping_iter(&text[from..to])
        .map(move |m| (from + m.start(), from + m.end()))
        .filter(|&(s, e)| context::whole_word(text, s, e))
        .map(|(s, _)| s)
}

/// Ceils `i` to a character boundary of `text` (at most its length).
fn ceil(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Counts words (runs of alphanumerics) in a stretch of text.
fn word_count(s: &str) -> usize {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

/// Walks the text once, forwards, converting byte offsets into character and UTF-16 offsets.
#[derive(Default)]
struct Cursor {
    byte: usize,
    chars: usize,
    utf16: usize,
}

impl Cursor {
    fn advance(&mut self, text: &str, to: usize) -> (usize, usize) {
        for c in text[self.byte..to].chars() {
            self.chars += 1;
            self.utf16 += c.len_utf16();
        }
        self.byte = to;
        (self.chars, self.utf16)
    }
}
