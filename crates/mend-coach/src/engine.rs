//! The matching engine: one pass of a multi-phrase automaton finds every candidate for every
//! rule at once, then the context checks decide which candidates are findings.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::context;
use crate::pack::{self, ExampleFailure, Role, Rule, Span, Target};
use crate::{Category, Finding, Mode, PackError};

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

/// One phrase occurrence found by the pass, for one rule.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    rule: u32,
    role: Role,
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
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&phrases)?;
        Ok(Coach {
            rules: compiled.rules,
            automaton,
            spans,
            targets,
            phrases,
        })
    }

    /// Every literal phrase the automaton looks for (triggers, exceptions and requirements),
    /// after expanding slots, alternatives and inflections.
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
        let bit = mode.bit();
        let hits = self.scan(text, bit);
        if !hits
            .iter()
            .any(|h| matches!(h.role, Role::Segment { segment: 0, .. }))
        {
            return Vec::new();
        }
        let mut candidates: Vec<(usize, usize, u32)> = Vec::new();
        for (i, hit) in hits.iter().enumerate() {
            let Role::Segment {
                pattern,
                segment: 0,
            } = hit.role
            else {
                continue;
            };
            let rule = &self.rules[hit.rule as usize];
            if let Some((start, end)) = self.accept(text, &hits, i, rule, pattern) {
                candidates.push((start, end, hit.rule));
            }
        }
        self.findings(text, candidates)
    }

    /// The single pass: all phrase occurrences on word boundaries, for rules active in the mode,
    /// ordered by start.
    fn scan(&self, text: &str, mode_bit: u16) -> Vec<Hit> {
        let mut hits = Vec::new();
        for m in self.automaton.find_overlapping_iter(text) {
            let (start, end) = (m.start(), m.end());
            // ASCII case folding keeps matches on character boundaries; checked anyway so that
            // slicing below can never panic.
            if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            if !context::whole_word(text, start, end) {
                continue;
            }
            let (from, to) = self.spans[m.pattern().as_usize()];
            for t in &self.targets[from as usize..to as usize] {
                if self.rules[t.rule as usize].modes & mode_bit != 0 {
                    hits.push(Hit {
                        start,
                        end,
                        rule: t.rule,
                        role: t.role,
                    });
                }
            }
        }
        hits.sort_by_key(|h| (h.start, h.end));
        hits
    }

    /// Decides whether the hit at `first` (segment 0 of `pattern`) is a finding; returns the
    /// span to report.
    fn accept(
        &self,
        text: &str,
        hits: &[Hit],
        first: usize,
        rule: &Rule,
        pattern: u16,
    ) -> Option<(usize, usize)> {
        let head = hits[first];
        let (s_start, s_end) = context::sentence(text, head.start, head.end);
        let (mut last_start, mut end) = (head.start, head.end);
        let segments = rule.segments[pattern as usize];
        for segment in 1..segments {
            (last_start, end) = self.next_segment(
                text,
                hits,
                first,
                head.rule,
                pattern,
                segment,
                end,
                s_end,
                rule.max_gap,
            )?;
        }
        // Hits are ordered by start, so only the sentence's own stretch of them is looked at.
        let window_from = hits.partition_point(|h| h.start < s_start);
        let window = &hits[window_from..];
        let in_sentence = |role: Role, from: usize| {
            window
                .iter()
                .take_while(|h| h.start <= s_end)
                .any(|h| h.rule == head.rule && h.role == role && h.start >= from && h.end <= s_end)
        };
        if in_sentence(Role::Exception, s_start) {
            return None;
        }
        // What comes straight after the match can turn it around ("sorry, but that is no excuse").
        let turned = window.iter().take_while(|h| h.start <= s_end).any(|h| {
            h.rule == head.rule
                && h.role == Role::UnlessAfter
                && h.start >= end
                && word_count(&text[end..h.start]) <= UNLESS_AFTER_REACH
        });
        if turned {
            return None;
        }
        if rule.has_requires && !in_sentence(Role::Requires, s_start) {
            return None;
        }
        if rule.negation && context::negated(text, s_start, head.start) {
            return None;
        }
        if rule.reported && context::reported(text, s_start, head.start) {
            return None;
        }
        if let Some(person) = rule.person {
            if !context::person_fits(text, s_start, head.start, person) {
                return None;
            }
        }
        match rule.span {
            Span::All => Some((head.start, end)),
            Span::Last => Some((last_start, end)),
        }
    }

    /// The end of the nearest occurrence of the next segment after `after`, within the sentence
    /// and the rule's gap.
    #[allow(clippy::too_many_arguments)]
    fn next_segment(
        &self,
        text: &str,
        hits: &[Hit],
        first: usize,
        rule: u32,
        pattern: u16,
        segment: u8,
        after: usize,
        sentence_end: usize,
        max_gap: usize,
    ) -> Option<(usize, usize)> {
        let wanted = Role::Segment { pattern, segment };
        hits[first..]
            .iter()
            .take_while(|h| h.start <= sentence_end)
            .find(|h| {
                h.rule == rule
                    && h.role == wanted
                    && h.start >= after
                    && h.end <= sentence_end
                    && word_count(&text[after..h.start]) <= max_gap
            })
            .map(|h| (h.start, h.end))
    }

    /// Turns accepted candidates into findings: one per category for overlapping stretches
    /// (the longest at each start wins), with byte, character and UTF-16 offsets.
    fn findings(&self, text: &str, mut candidates: Vec<(usize, usize, u32)>) -> Vec<Finding> {
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
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
            let ce = cs + span.chars().count();
            let ue = us + span.encode_utf16().count();
            out.push(Finding {
                category: rule.category,
                rule: rule.id.clone(),
                severity: rule.severity,
                start,
                end,
                char_start: cs,
                char_end: ce,
                utf16_start: us,
                utf16_end: ue,
                text: span.to_owned(),
                message: rule.message.clone(),
                suggestion: rule.suggestion.clone(),
            });
        }
        out
    }

    /// Runs every rule's own examples and reports those that misbehave (used by the tests and
    /// by anyone writing a new pack).
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        for rule in &self.rules {
            let fires = |example: &str| {
                self.review(example, Mode::Free)
                    .iter()
                    .any(|f| f.rule == rule.id)
            };
            for (examples, should_match) in
                [(&rule.match_examples, true), (&rule.clean_examples, false)]
            {
                for example in examples {
                    if fires(example) != should_match {
                        failures.push(ExampleFailure {
                            rule: rule.id.clone(),
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

/// Words allowed between a match and an `unless_after` phrase ("but, honestly, that is ...").
const UNLESS_AFTER_REACH: usize = 2;

/// Counts words between two segments (any run of alphanumerics).
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
