//! The matching engine: one pass of a multi-phrase automaton finds every candidate for every
//! rule at once, then the context checks decide which candidates are findings.

use crate::automaton::{self, PhraseSet, Tokens};
use crate::context;
use crate::pack::{self, Compiled, ExampleFailure, Rule, SetId, Span, Target};
use crate::{Category, Finding, Mode, PackError};

/// Long texts are scanned in pieces of about this many bytes, so the hits in flight stay small
/// and in cache; results are the same as for one piece.
const CHUNK: usize = 32 * 1024;
/// How far each piece's scan reaches past its end: more than a phrase plus the widest sentence
/// window of the context checks, so a match near a cut is seen whole.
const OVERLAP: usize = 1024;

/// How far past a piece the tokens are read: a sentence after a head, the next one (for
/// retractions) and a follower's reach, with room to spare.
const TOKENS_AFTER: usize = 2 * context::SCAN_CAP + FOLLOWER_REACH + 1024;

/// How far past the last allowed start a follower phrase may end, in bytes, at most (a rule's
/// window stops sooner, after its longest follower phrase).
const FOLLOWER_REACH: usize = 200;

/// Words allowed between a match and an `unless_after` phrase ("but, honestly, that is ...").
const UNLESS_AFTER_REACH: usize = 2;

/// A compiled rule pack. Build it once ([`Coach::english`] or [`Coach::from_toml`]) and share
/// it: reviewing takes `&self` and the type is `Send + Sync`.
pub struct Coach {
    pack: Compiled<'static>,
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
        Ok(Coach {
            pack: pack::compile(sources, None)?,
        })
    }

    /// Reads back a pack that the build script compiled and wrote out (the English pack); the
    /// trigger phrase list stays borrowed from `image`.
    pub(crate) fn from_image(image: &'static [u8]) -> Result<Coach, postcard::Error> {
        Ok(Coach {
            pack: postcard::from_bytes(image)?,
        })
    }

    /// Every trigger phrase the single pass looks for, after expanding slots, alternatives and
    /// inflections (exceptions and requirements are searched later, only around candidates).
    pub fn trigger_phrases(&self) -> impl Iterator<Item = &str> {
        self.pack.phrases.split('\n')
    }

    /// The number of rules in the pack.
    pub fn rule_count(&self) -> usize {
        self.pack.rules.len()
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
        let lower = automaton::lowercase(text);
        let mut tokens = Tokens::new(&lower, &self.pack.vocabulary);
        let mut candidates: Vec<(usize, usize, u32)> = Vec::new();
        let mut hits = Vec::new();
        let mut sets = Sets::new(&self.pack.sets);
        let mut followers = Followers::new();
        let mut from = 0;
        while from < text.len() {
            let to = ceil(text, from.saturating_add(CHUNK));
            let reach = ceil(text, to.saturating_add(OVERLAP));
            // The piece and the windows its checks search; a window past these is read apart.
            tokens.read(
                floor(text, from.saturating_sub(context::SCAN_CAP + 8)),
                ceil(text, reach.saturating_add(TOKENS_AFTER)),
            );
            let text = Text {
                text,
                lower: &lower,
                tokens: &tokens,
            };
            self.scan(text.tokens, from, reach, mode.bit(), &mut hits);
            for (i, hit) in hits.iter().enumerate() {
                // Heads past `to` belong to the next piece, which sees them with full context.
                if hit.start >= to {
                    continue;
                }
                let rule = &self.pack.rules[hit.target.rule as usize];
                if let Some((start, end)) = accept(text, &mut sets, &mut followers, &hits, i, rule)
                {
                    candidates.push((start, end, hit.target.rule));
                }
            }
            from = to;
        }
        candidates
    }

    /// The single pass over `lower[from..to]` (the lowercased text): all trigger occurrences on
    /// word boundaries, for rules active in the mode, ordered by start.
    fn scan(
        &self,
        tokens: &Tokens<'_>,
        from: usize,
        to: usize,
        mode_bit: u16,
        hits: &mut Vec<Hit>,
    ) {
        hits.clear();
        let lower = tokens.lower();
        self.pack
            .triggers
            .each(tokens, from, to, |start, end, phrase| {
                // Phrases are whole UTF-8 strings, so matches sit on character boundaries; checked
                // anyway so that slicing later can never panic.
                if lower.is_char_boundary(start)
                    && lower.is_char_boundary(end)
                    && context::whole_word(lower, start, end)
                {
                    let pushed = hits.len();
                    for &target in self.pack.triggers.targets(phrase) {
                        if self.pack.rules[target.rule as usize].modes & mode_bit != 0 {
                            hits.push(Hit { start, end, target });
                        }
                    }
                    // Kept in text order as they come: by start, end, rule and pattern. The
                    // automaton reports by end position, so a phrase's hits go back past the few
                    // that start later or end later at the same start; the targets of one phrase
                    // are in pack order (by rule, then pattern), and two hits at the same place
                    // are always one phrase's.
                    let at = hits[..pushed]
                        .iter()
                        .rposition(|h| (h.start, h.end) <= (start, end))
                        .map_or(0, |i| i + 1);
                    let new = hits.len() - pushed;
                    hits[at..].rotate_right(new);
                }
                false
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
            let rule = &self.pack.rules[r as usize];
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
        for (r, rule) in self.pack.rules.iter().enumerate() {
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

/// A draft as the checks read it: the text itself, its [`automaton::lowercase`] form (same
/// offsets), and that form's tokens, in which every phrase automaton searches.
#[derive(Clone, Copy)]
struct Text<'a> {
    text: &'a str,
    lower: &'a str,
    tokens: &'a Tokens<'a>,
}

/// How many recent answers [`Sets`] remembers: the candidates of one sentence ask about a few
/// sets over the same stretch.
const REMEMBERED: usize = 16;

/// The pack's context phrase sets, with the answers to the last few "does a phrase of this set
/// occur in this stretch?" questions: the rules of a sentence's candidates share sets (the
/// retractions, above all), so a sentence is searched once per set, not once per candidate.
struct Sets<'a> {
    sets: &'a [PhraseSet],
    /// The quotation marks open so far in the current line ([`context::Quotes`]).
    quotes: context::Quotes,
    /// `(set, from, to, found)`, the newest at `next - 1`.
    recent: [(SetId, usize, usize, bool); REMEMBERED],
    next: usize,
}

impl<'a> Sets<'a> {
    fn new(sets: &'a [PhraseSet]) -> Self {
        Sets {
            sets,
            quotes: context::Quotes::default(),
            // An empty stretch never holds a phrase, so these placeholders answer truly.
            recent: [(SetId(0), 0, 0, false); REMEMBERED],
            next: 0,
        }
    }

    fn get(&self, id: SetId) -> &'a PhraseSet {
        &self.sets[id.0 as usize]
    }

    /// Whether a phrase of one of the sets occurs, as a whole word, inside `lower[from..to]`.
    fn occurs(&mut self, ids: &[SetId], tokens: &Tokens<'_>, from: usize, to: usize) -> bool {
        ids.iter().any(|&id| self.occurs_in(id, tokens, from, to))
    }

    fn occurs_in(&mut self, id: SetId, tokens: &Tokens<'_>, from: usize, to: usize) -> bool {
        if let Some(&(.., found)) = self
            .recent
            .iter()
            .find(|&&(s, f, t, _)| s == id && f == from && t == to)
        {
            return found;
        }
        let found = phrase_in(self.get(id), tokens, from, to, |_| true);
        self.recent[self.next] = (id, from, to, found);
        self.next = (self.next + 1) % REMEMBERED;
        found
    }
}

/// Decides whether the hit at `first` (the first segment of a pattern) is a finding; returns
/// the span to report. The checks run cheapest first.
fn accept(
    t: Text<'_>,
    sets: &mut Sets<'_>,
    followers: &mut Followers,
    hits: &[Hit],
    first: usize,
    rule: &Rule,
) -> Option<(usize, usize)> {
    let text = t.text;
    let head = hits[first];
    let (mut last_start, mut end) = (head.start, head.end);
    let pattern = head.target.pattern as usize;
    // Later segments first: a head word of a gapped pattern ("you", "she", "only a") is common,
    // its follower within a few words rarely is, so most heads stop here before any sentence scan.
    for segment in 1..rule.segments[pattern] {
        let gap = rule.gaps[pattern][usize::from(segment) - 1];
        (last_start, end) = followers.next_segment(
            t,
            (head.target.rule, rule),
            (head.target.pattern, segment),
            end,
            gap,
        )?;
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
    if !rule.requires.is_empty() && !sets.occurs(&rule.requires, t.tokens, s_start, s_end) {
        return None;
    }
    if !rule.requires_after.is_empty() && !sets.occurs(&rule.requires_after, t.tokens, end, s_end) {
        return None;
    }
    // What comes straight after the match can turn it around ("sorry, but that is no excuse").
    if rule.unless_after.iter().any(|&id| {
        phrase_in(sets.get(id), t.tokens, end, s_end, |at| {
            word_count(&text[end..at]) <= UNLESS_AFTER_REACH
        })
    }) {
        return None;
    }
    // From the end of the first segment, so "sorry ... upset you" sees the "I" in "sorry I upset you".
    if rule.agentless && context::writer_acts_after(text, head.end, s_end) {
        return None;
    }
    if rule.negation || rule.reported || rule.person.is_some() {
        let before = context::Before::new(text, s_start, head.start);
        if (rule.negation && before.negated())
            || rule.person.is_some_and(|p| !before.person_fits(p))
            || (rule.reported && before.reported(&mut sets.quotes))
        {
            return None;
        }
        // A quoted last segment is a word held up, not used: "I'll tell you now, not
        // \"eventually\"".
        // Read on from the head on a copy, so the next candidate, which starts before this
        // one's last segment, is answered from where the head left the quotes.
        if rule.reported && last_start > head.start && sets.quotes.clone().inside(text, last_start)
        {
            return None;
        }
    }
    if sets.occurs(&rule.exceptions, t.tokens, s_start, s_end) {
        return None;
    }
    if !rule.retractions.is_empty() {
        let reach = context::next_sentence_end(text, s_end);
        if sets.occurs(&rule.retractions, t.tokens, s_start, reach) {
            return None;
        }
    }
    match rule.span {
        Span::All => Some((head.start, end)),
        Span::Last => Some((last_start, end)),
    }
}

/// How many places [`Followers`] remembers the gaps after: the hits at one start share the
/// place after their head, and a pattern of three segments asks about a second place.
const PLACES: usize = 4;

/// The follower phrases found after the last head, kept for the next hits: the patterns of a
/// rule often share a head ("{you} ... never", "{you} ... always"), and their hits come one after
/// the other, so the words after that head are scanned once for all of them. Where the gaps
/// after a place end is read once for every rule whose head ends there ("the bank" starts
/// patterns of three rules).
struct Followers {
    /// `(rule, after, gap)` of the scan below, if there was one.
    key: Option<(u32, usize, usize)>,
    /// Whole-word follower occurrences `(start, end, phrase)` that start before the gap's end.
    found: Vec<(usize, usize, usize)>,
    /// The last few places read, `(after, limits)`.
    places: [(Option<usize>, context::GapLimits); PLACES],
    /// The place to read into next.
    next: usize,
}

impl Followers {
    fn new() -> Self {
        Followers {
            key: None,
            found: Vec::new(),
            places: Default::default(),
            next: 0,
        }
    }

    /// Where a segment may no longer start after a gap of `gap` words from `after`.
    fn limit(&mut self, text: &str, tokens: &Tokens<'_>, after: usize, gap: usize) -> usize {
        let i = match self.places.iter().position(|p| p.0 == Some(after)) {
            Some(i) => i,
            None => {
                let i = self.next;
                self.next = (self.next + 1) % PLACES;
                let (place, limits) = &mut self.places[i];
                *place = Some(after);
                limits.start(text, after);
                i
            }
        };
        self.places[i].1.limit(text, tokens, gap)
    }

    /// The nearest whole-word occurrence of the wanted segment (pattern, segment) of the rule
    /// that starts at or after `after` and within `gap` words (and before the end of the
    /// sentence); the earliest start wins, then the shortest. Returns its span.
    fn next_segment(
        &mut self,
        t: Text<'_>,
        (rule_no, rule): (u32, &Rule),
        wanted: (u16, u8),
        after: usize,
        gap: usize,
    ) -> Option<(usize, usize)> {
        let index = rule.followers.as_ref()?;
        if self.key != Some((rule_no, after, gap)) {
            let limit = self.limit(t.text, t.tokens, after, gap);
            let lower = t.lower;
            // A follower may run past the gap's limit ("not going to"), so the window reaches a
            // little further than the last start allowed; only the start is bounded by the gap.
            let past = rule.longest_follower.min(FOLLOWER_REACH);
            let reach = ceil(lower, limit.saturating_add(past)).min(lower.len());
            self.found.clear();
            let found = &mut self.found;
            t.tokens.around(after, reach, |tokens| {
                // Most heads have no follower in reach: no token there starts one.
                if index.could_start(tokens, after, limit) {
                    index.each(tokens, after, reach, |s, e, p| {
                        if s < limit
                            && lower.is_char_boundary(s)
                            && lower.is_char_boundary(e)
                            && context::whole_word(lower, s, e)
                        {
                            found.push((s, e, p));
                        }
                        false
                    });
                }
            });
            self.key = Some((rule_no, after, gap));
        }
        self.found
            .iter()
            .filter(|&&(_, _, p)| index.targets(p).contains(&wanted))
            .map(|&(s, e, _)| (s, e))
            .min()
    }
}

/// Whether a whole-word occurrence of a context set's phrase in `lower[from..to]` starts where
/// `wanted` says.
fn phrase_in(
    set: &PhraseSet,
    tokens: &Tokens<'_>,
    from: usize,
    to: usize,
    wanted: impl Fn(usize) -> bool,
) -> bool {
    let lower = tokens.lower();
    tokens.around(from, to, |tokens| {
        set.could_start(tokens, from, to)
            && set.each(tokens, from, to, |s, e, _| {
                context::whole_word(lower, s, e) && wanted(s)
            })
    })
}

/// Floors `i` to a character boundary of `text`.
fn floor(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
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
