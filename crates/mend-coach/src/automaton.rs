//! Multi-phrase automata that can be written out at compile time and read back in a few
//! milliseconds: the English pack is prepared by the build script, so a start does not rebuild
//! 178k phrases into an automaton (that took about 0.8 s of CPU and 65 MB).
//!
//! The automata are daachorse's double-array Aho-Corasick: compact, fast to scan, and
//! serialisable with a checked reader. They match exactly, so they are built from lowercase
//! phrases and always searched in the ASCII-lowercased text (see [`lowercase`]), which gives the
//! same matches as an ASCII case-insensitive search of the text itself.
//!
//! The single pass reads the text as tokens (see [`tokenize`]): each word and each other
//! character is one step of its automaton instead of one step a byte, and the pack's tokens are
//! numbered once, at compile time ([`Vocabulary`]). The small sets searched only around a
//! candidate read bytes, but each knows the tokens its phrases start with, so a window holding
//! none of them is passed over unread.

use std::fmt;

use daachorse::{
    CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, DoubleArrayAhoCorasick,
    DoubleArrayAhoCorasickBuilder,
};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::PackError;

/// The text as the automata read it: ASCII letters lowercased, every other byte (and so every
/// offset and character boundary) unchanged.
pub(crate) fn lowercase(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// Calls `each(start, end)` for every token of `text` in order: a token is a maximal run of
/// alphanumeric characters (a word) or any other single character. Tokens cover the text.
///
/// A whole-word occurrence of a phrase (no alphanumeric character either side) starts and ends
/// on token boundaries, so it is exactly an occurrence of the phrase's tokens in the text's
/// tokens with the same whole-word check: which is how every automaton here searches.
fn tokenize(text: &str, mut each: impl FnMut(usize, usize)) {
    let mut word = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            word.get_or_insert(i);
            continue;
        }
        if let Some(w) = word.take() {
            each(w, i);
        }
        each(i, i + c.len_utf8());
    }
    if let Some(w) = word {
        each(w, text.len());
    }
}

/// Token numbers are read by the automata as characters from U+0800 on, all three bytes long in
/// UTF-8, so an automaton's byte offsets divide by three into token counts; U+0800 itself stands
/// for every token no phrase contains.
const FIRST_CODE: u32 = 0x0800;
const CODE_BYTES: usize = 3;
/// The last usable code: the surrogates that follow are not characters.
const LAST_CODE: u32 = 0xD7FF;

/// Every distinct token of the pack's phrases, numbered: the alphabet of all its automata.
/// Tokens outside it (most words of a text) all read as one code that no phrase contains.
pub(crate) struct Vocabulary {
    /// The tokens; token `i` reads as code `FIRST_CODE + 1 + i`.
    tokens: Vec<Box<str>>,
    /// Open addressing over [`hash`]: for token `i`, its hash's high half (with the lowest bit
    /// set, so never 0) above `i`; 0 for an empty slot. The high half tells most other words
    /// apart without comparing bytes.
    table: Vec<u64>,
    /// The tokens of two to eight bytes (most words), by their bytes packed in a word
    /// ([`pack`]): open addressing, `(0, _)` for an empty slot.
    short: Vec<(u64, u32)>,
    /// The codes of the one-byte tokens (ASCII), read without hashing.
    ascii: [u32; 128],
}

/// FNV-1a over the token's bytes: cheap for the short words of prose.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| fnv(h, b))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
}

/// A token of two to eight bytes as one word, its bytes in order from the lowest, the rest
/// zero. Such a token never holds a zero byte (a word is alphanumeric, and the UTF-8 bytes of a
/// character longer than one byte are never zero), so the word is never 0 and tells tokens apart.
fn pack(token: &[u8]) -> Option<u64> {
    if !(2..=8).contains(&token.len()) {
        return None;
    }
    let mut w = [0; 8];
    w[..token.len()].copy_from_slice(token);
    Some(u64::from_le_bytes(w))
}

/// Spreads a packed token over a table's slots (Fibonacci hashing: the high bits of a product
/// mix in every byte; the table masks the low bits, so they are folded down).
fn spread(key: u64) -> usize {
    let m = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (m ^ (m >> 29) ^ (m >> 47)) as usize
}

/// The high half of a [`Vocabulary`] slot.
const TAG: u64 = 0xFFFF_FFFF_0000_0000;

fn tag(hash: u64) -> u64 {
    (hash | 1 << 32) & TAG
}

/// Byte equality for short tokens, without calling out to `memcmp`.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

impl Default for Vocabulary {
    fn default() -> Vocabulary {
        Vocabulary::from_tokens(Vec::new())
    }
}

impl Vocabulary {
    fn from_tokens(tokens: Vec<Box<str>>) -> Vocabulary {
        let mut v = Vocabulary {
            tokens,
            table: Vec::new(),
            short: Vec::new(),
            ascii: [FIRST_CODE; 128],
        };
        v.rehash();
        v
    }

    fn rehash(&mut self) {
        let size = (self.tokens.len() * 2).next_power_of_two().max(64);
        self.table = vec![0; size];
        self.short = vec![(0, 0); size];
        self.ascii = [FIRST_CODE; 128];
        for i in 0..self.tokens.len() {
            self.place(i);
        }
    }

    fn place(&mut self, i: usize) {
        let token = self.tokens[i].as_bytes();
        if let [b] = token {
            if let Some(slot) = self.ascii.get_mut(usize::from(*b)) {
                *slot = code_of(i);
            }
        }
        let mask = self.table.len() - 1;
        // The tables are at most half full, so a free slot is always found.
        if let Some(key) = pack(token) {
            let mut at = spread(key) & mask;
            while self.short[at].0 != 0 {
                at = (at + 1) & mask;
            }
            self.short[at] = (key, code_of(i));
            return;
        }
        let h = hash(token);
        let mut at = h as usize & mask;
        while self.table[at] != 0 {
            at = (at + 1) & mask;
        }
        self.table[at] = tag(h) | i as u64;
    }

    /// The code of a token of two to eight bytes, by its [`pack`]ed bytes.
    fn short_code(&self, key: u64) -> u32 {
        let mask = self.short.len().wrapping_sub(1);
        let mut at = spread(key) & mask;
        while let Some(&(k, code)) = self.short.get(at).filter(|s| s.0 != 0) {
            if k == key {
                return code;
            }
            at = (at + 1) & mask;
        }
        FIRST_CODE
    }

    /// The code of the word `bytes[start..end]` of a text, as the automata read it.
    fn word_code(&self, bytes: &[u8], start: usize, end: usize) -> char {
        let n = end - start;
        let code = match n {
            1 => return self.ascii_code(bytes[start]),
            2..=8 => {
                // Eight bytes at once where the text has them, cut to the word's.
                let key = match bytes.get(start..start + 8) {
                    Some(eight) => {
                        let mut w = [0; 8];
                        w.copy_from_slice(eight);
                        u64::from_le_bytes(w) & (u64::MAX >> (64 - 8 * n))
                    }
                    None => pack(&bytes[start..end]).unwrap_or(0),
                };
                self.short_code(key)
            }
            _ => self.code_at(hash(&bytes[start..end]), &bytes[start..end]),
        };
        as_char(code)
    }

    /// The code of a token, `FIRST_CODE` when no phrase has it.
    fn code(&self, token: &[u8]) -> u32 {
        if let [b] = token {
            if let Some(&c) = self.ascii.get(usize::from(*b)) {
                return c;
            }
        }
        match pack(token) {
            Some(key) => self.short_code(key),
            None => self.code_at(hash(token), token),
        }
    }

    /// The code of a one-byte ASCII token, as the automata read it.
    fn ascii_code(&self, b: u8) -> char {
        as_char(
            self.ascii
                .get(usize::from(b))
                .copied()
                .unwrap_or(FIRST_CODE),
        )
    }

    /// The code of a token that is not one ASCII byte, given its [`hash`].
    fn code_at(&self, h: u64, token: &[u8]) -> u32 {
        let mask = self.table.len().wrapping_sub(1);
        let want = tag(h);
        let mut at = h as usize & mask;
        while let Some(&slot) = self.table.get(at).filter(|&&s| s != 0) {
            if slot & TAG == want {
                let i = (slot & !TAG) as usize;
                if self
                    .tokens
                    .get(i)
                    .is_some_and(|t| same_bytes(t.as_bytes(), token))
                {
                    return code_of(i);
                }
            }
            at = (at + 1) & mask;
        }
        FIRST_CODE
    }

    /// The code of a token, numbering it if it is new (while a pack is compiled).
    fn add(&mut self, token: &str) -> Result<u32, PackError> {
        let code = self.code(token.as_bytes());
        if code != FIRST_CODE {
            return Ok(code);
        }
        let i = self.tokens.len();
        if code_of(i) > LAST_CODE {
            return Err(PackError::Automaton("too many distinct words".into()));
        }
        self.tokens.push(token.into());
        if self.tokens.len() * 2 > self.table.len() {
            self.rehash();
        } else {
            self.place(i);
        }
        Ok(code_of(i))
    }

    /// A phrase as its automaton reads it (adding its tokens to the vocabulary).
    fn encode_phrase(&mut self, phrase: &str) -> Result<String, PackError> {
        let mut out = String::new();
        let mut failed = None;
        tokenize(phrase, |s, e| match self.add(&phrase[s..e]) {
            Ok(code) => out.push(as_char(code)),
            Err(err) => failed = Some(err),
        });
        failed.map_or(Ok(out), Err)
    }

    /// A text in codes, for the layout sample of an automaton.
    fn encode_sample(&self, text: &str) -> String {
        let mut out = String::new();
        tokenize(text, |s, e| {
            out.push(as_char(self.code(&text.as_bytes()[s..e])));
        });
        out
    }
}

fn code_of(i: usize) -> u32 {
    u32::try_from(i)
        .ok()
        .and_then(|i| i.checked_add(FIRST_CODE + 1))
        .unwrap_or(u32::MAX)
}

/// Codes are checked against `LAST_CODE` when they are made, so this never falls back.
fn as_char(code: u32) -> char {
    char::from_u32(code).unwrap_or('\u{0800}')
}

impl Serialize for Vocabulary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.tokens.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Vocabulary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Vocabulary, D::Error> {
        let tokens = Vec::<Box<str>>::deserialize(deserializer)?;
        if code_of(tokens.len()) > LAST_CODE + 1 {
            return Err(de::Error::custom("too many distinct words"));
        }
        Ok(Vocabulary::from_tokens(tokens))
    }
}

/// A stretch of a text read into tokens, for every automaton to search: the [`lowercase`]
/// text, each token's code and where it starts. A review reads each piece of a long text once,
/// with room around it for every window its checks search.
pub(crate) struct Tokens<'a> {
    lower: &'a str,
    vocabulary: &'a Vocabulary,
    /// The stretch read: `low..high` of `lower`.
    low: usize,
    high: usize,
    codes: Vec<char>,
    /// Token starts as offsets from `low`, then `high - low`.
    starts: Vec<u32>,
    /// For each offset `x` from `low`, up to `high - low + 1`: how many of `starts` are below
    /// `x`, so a window's tokens are found without a search.
    below: Vec<u32>,
}

impl<'a> Tokens<'a> {
    /// Nothing read yet.
    pub(crate) fn new(lower: &'a str, vocabulary: &'a Vocabulary) -> Tokens<'a> {
        Tokens {
            lower,
            vocabulary,
            low: 0,
            high: 0,
            codes: Vec::new(),
            starts: vec![0],
            below: vec![0, 1],
        }
    }

    /// Reads `lower[low..high]` (character boundaries; the ends are clamped to the text and to
    /// what 32-bit offsets hold), in place of what was read before. One pass, bytes decoded
    /// only where they are not ASCII. A token cut by either end reads as what is left of it:
    /// a phrase found there cannot be a whole word, so every search rejects it.
    pub(crate) fn read(&mut self, low: usize, high: usize) {
        let lower = self.lower;
        let low = low.min(lower.len());
        let high = high
            .clamp(low, lower.len())
            .min(low.saturating_add(u32::MAX as usize));
        let (low, high) = match (lower.is_char_boundary(low), lower.is_char_boundary(high)) {
            (true, true) => (low, high),
            _ => (0, 0),
        };
        self.low = low;
        self.high = high;
        self.codes.clear();
        self.starts.clear();
        let bytes = &lower.as_bytes()[..high];
        let vocabulary = self.vocabulary;
        self.codes.reserve(high - low);
        self.starts.reserve(high - low + 1);
        // Offsets from `low` fit in 32 bits: `high - low` was capped above.
        let at = |i: usize| (i - low) as u32;
        let mut i = low;
        while let Some(&b) = bytes.get(i) {
            let start = i;
            // A word: ASCII letters and digits, or other alphanumeric characters, decoded.
            while let Some(&b) = bytes.get(i) {
                if b.is_ascii_alphanumeric() {
                    i += 1;
                    continue;
                }
                if b.is_ascii() {
                    break;
                }
                match lower.get(i..high).and_then(|rest| rest.chars().next()) {
                    Some(c) if c.is_alphanumeric() => i += c.len_utf8(),
                    _ => break,
                }
            }
            if i > start {
                self.starts.push(at(start));
                self.codes.push(vocabulary.word_code(bytes, start, i));
                continue;
            }
            // Any other character is a token of its own.
            self.starts.push(at(i));
            if b.is_ascii() {
                self.codes.push(vocabulary.ascii_code(b));
                i += 1;
            } else {
                let len = lower
                    .get(i..high)
                    .and_then(|rest| rest.chars().next())
                    .map_or(1, char::len_utf8);
                self.codes
                    .push(as_char(vocabulary.code(&bytes[i..i + len])));
                i += len;
            }
        }
        self.starts.push(at(high));
        self.below.clear();
        self.below.reserve(high - low + 2);
        for (count, &start) in (0u32..).zip(&self.starts) {
            let missing = (start as usize + 1).saturating_sub(self.below.len());
            self.below.extend(std::iter::repeat_n(count, missing));
        }
        self.below
            .push(u32::try_from(self.starts.len()).unwrap_or(u32::MAX));
    }

    /// The lowercased text.
    pub(crate) fn lower(&self) -> &'a str {
        self.lower
    }

    /// Whether `from..to` lies inside the stretch read, so that a search there is answered
    /// from it ([`Tokens::around`] reads a window that does not).
    pub(crate) fn covers(&self, from: usize, to: usize) -> bool {
        self.low <= from && to.max(from) <= self.high
    }

    /// `f` with tokens that cover `from..to`: these, or the window read afresh.
    pub(crate) fn around<R>(&self, from: usize, to: usize, f: impl FnOnce(&Tokens<'a>) -> R) -> R {
        if self.covers(from, to) {
            return f(self);
        }
        let mut own = Tokens::new(self.lower, self.vocabulary);
        own.read(from, to.max(from));
        f(&own)
    }

    /// The number of tokens read.
    pub(crate) fn len(&self) -> usize {
        self.codes.len()
    }

    /// The number of the first token that starts at or after offset `x` of the text (the number
    /// of tokens when none does).
    pub(crate) fn first_from(&self, x: usize) -> usize {
        self.count_below(x).min(self.codes.len())
    }

    /// The token at number `i`'s start, in offsets of the text (the end of the stretch read
    /// for `i` past the last).
    pub(crate) fn start(&self, i: usize) -> usize {
        self.low
            + self
                .starts
                .get(i)
                .map_or(self.high - self.low, |&s| s as usize)
    }

    /// How many tokens start below offset `x` of the text (clamped to the stretch read).
    fn count_below(&self, x: usize) -> usize {
        let x = x.saturating_sub(self.low).min(self.below.len() - 1);
        self.below[x] as usize
    }

    /// The tokens that start inside `from..before`, as a range of token numbers.
    fn starting(&self, from: usize, before: usize) -> (usize, usize) {
        let first = self.count_below(from).min(self.codes.len());
        (
            first,
            self.count_below(before).clamp(first, self.codes.len()),
        )
    }

    /// The tokens that lie wholly inside `from..to`, as a range of token numbers.
    fn inside(&self, from: usize, to: usize) -> (usize, usize) {
        let first = self.count_below(from).min(self.codes.len());
        // Token i ends where token i + 1 starts: the tokens before the first start past `to`,
        // less one.
        let last = self.count_below(to.saturating_add(1)).saturating_sub(1);
        (first, last.clamp(first, self.codes.len()))
    }
}

/// A set of distinct lowercase phrases, searched for all at once with overlaps.
pub(crate) struct PhraseSet {
    reader: Reader,
    /// Which tokens start a phrase, a bit for each code from `FIRST_CODE`: a window where no
    /// token could start one is passed over without running the automaton.
    first: Vec<u64>,
}

/// How a set's automaton reads the text.
pub(crate) enum Reader {
    /// The tokens' codes: for the single pass, which reads every token of the text.
    Tokens(CharwiseDoubleArrayAhoCorasick<u32>),
    /// The bytes: for the small sets searched only in windows around a candidate, where a
    /// token automaton's table of codes (an entry for every token of the vocabulary) would
    /// cost more memory than the few windows gain.
    Bytes(DoubleArrayAhoCorasick<u32>),
}

/// Which [`Reader`] to build.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Tokens,
    Bytes,
}

/// The bit of `code` in a [`PhraseSet`]'s `first` set: word and bit.
fn bit(code: u32) -> (usize, u64) {
    let i = code.saturating_sub(FIRST_CODE) as usize;
    (i / 64, 1 << (i % 64))
}

impl PhraseSet {
    /// Builds the automaton (over the vocabulary's codes, adding the phrases' tokens to it, or
    /// over bytes, adding each phrase's first token); phrase `i` is reported as `i`. The phrases
    /// must be distinct. `layout`, when given, is sample text whose scan the automaton's memory
    /// layout favours.
    pub(crate) fn build<P: AsRef<str>>(
        phrases: impl IntoIterator<Item = P>,
        vocabulary: &mut Vocabulary,
        kind: Kind,
        layout: Option<&[&str]>,
    ) -> Result<PhraseSet, PackError> {
        let phrases: Vec<P> = phrases.into_iter().collect();
        let mut first = Vec::new();
        let mut mark = |code: u32| {
            let (word, mask) = bit(code);
            if first.len() <= word {
                first.resize(word + 1, 0);
            }
            first[word] |= mask;
        };
        let reader = match kind {
            Kind::Tokens => {
                let patterns = phrases
                    .iter()
                    .map(|p| vocabulary.encode_phrase(p.as_ref()))
                    .collect::<Result<Vec<String>, PackError>>()?;
                for c in patterns.iter().filter_map(|p| p.chars().next()) {
                    mark(u32::from(c));
                }
                let mut builder = CharwiseDoubleArrayAhoCorasickBuilder::new();
                if let Some(texts) = layout {
                    builder = builder.corpus(
                        texts
                            .iter()
                            .map(|t| vocabulary.encode_sample(&lowercase(t))),
                    );
                }
                Reader::Tokens(
                    builder
                        .build(patterns)
                        .map_err(|e| PackError::Automaton(e.to_string()))?,
                )
            }
            Kind::Bytes => {
                for p in &phrases {
                    let p = p.as_ref();
                    let mut end = None;
                    tokenize(p, |_, e| {
                        end.get_or_insert(e);
                    });
                    if let Some(e) = end {
                        mark(vocabulary.add(&p[..e])?);
                    }
                }
                // The 2-gram prefilter costs 64 KiB an automaton and skips almost nothing in
                // prose, where most letter pairs start some phrase.
                Reader::Bytes(
                    DoubleArrayAhoCorasickBuilder::new()
                        .use_prefilter(false)
                        .build(phrases.iter().map(|p| p.as_ref().as_bytes()))
                        .map_err(|e| PackError::Automaton(e.to_string()))?,
                )
            }
        };
        Ok(PhraseSet { reader, first })
    }

    /// Whether a phrase could start at a token that starts inside `from..before` (a token
    /// there starts some phrase); when not, no phrase occurs starting there. `tokens` must cover
    /// the window (see [`Tokens::around`]).
    pub(crate) fn could_start(&self, tokens: &Tokens<'_>, from: usize, before: usize) -> bool {
        let (first, last) = tokens.starting(from, before);
        tokens.codes[first..last].iter().any(|&c| {
            let (word, mask) = bit(u32::from(c));
            self.first.get(word).is_some_and(|w| w & mask != 0)
        })
    }

    /// Calls `found(start, end, phrase)` for the occurrences of phrases inside `from..to`, in
    /// offsets of the text, until it answers true; returns whether it did. `tokens` must cover
    /// the window (see [`Tokens::around`]). Only whole-word occurrences are the phrase's (all of
    /// them are among these), which the caller checks with [`crate::context::whole_word`].
    pub(crate) fn each(
        &self,
        tokens: &Tokens<'_>,
        from: usize,
        to: usize,
        mut found: impl FnMut(usize, usize, usize) -> bool,
    ) -> bool {
        match &self.reader {
            Reader::Tokens(automaton) => {
                let (first, last) = tokens.inside(from, to);
                let mut stepper = automaton.find_overlapping_stepper();
                for &c in &tokens.codes[first..last] {
                    stepper.consume(c);
                    for m in stepper.matches() {
                        let start = first + m.start() / CODE_BYTES;
                        let end = first + m.end() / CODE_BYTES;
                        if found(tokens.start(start), tokens.start(end), m.value() as usize) {
                            return true;
                        }
                    }
                }
                false
            }
            Reader::Bytes(automaton) => {
                let window = tokens.lower.as_bytes().get(from..to).unwrap_or_default();
                automaton
                    .find_overlapping_iter(window)
                    .any(|m| found(from + m.start(), from + m.end(), m.value() as usize))
            }
        }
    }
}

/// A [`PhraseSet`] as the image holds it.
#[derive(Serialize, Deserialize)]
enum Stored {
    Tokens { automaton: Chars, first: Vec<u64> },
    Bytes { automaton: Bytes, first: Vec<u64> },
}

struct Chars(CharwiseDoubleArrayAhoCorasick<u32>);
struct Bytes(DoubleArrayAhoCorasick<u32>);

impl Serialize for PhraseSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let first = self.first.clone();
        match &self.reader {
            Reader::Tokens(a) => Stored::Tokens {
                automaton: Chars(a.clone()),
                first,
            },
            Reader::Bytes(a) => Stored::Bytes {
                automaton: Bytes(a.clone()),
                first,
            },
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PhraseSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PhraseSet, D::Error> {
        Ok(match Stored::deserialize(deserializer)? {
            Stored::Tokens { automaton, first } => PhraseSet {
                reader: Reader::Tokens(automaton.0),
                first,
            },
            Stored::Bytes { automaton, first } => PhraseSet {
                reader: Reader::Bytes(automaton.0),
                first,
            },
        })
    }
}

impl Serialize for Chars {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0.serialize())
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0.serialize())
    }
}

/// Reads a serialised automaton with daachorse's checked reader: a damaged image is an error,
/// never undefined behaviour.
struct Checked<T>(ReadAutomaton<T>);

/// A checked reader: the automaton and the bytes after it, or `None` for damaged bytes.
type ReadAutomaton<T> = fn(&[u8]) -> Option<(T, &[u8])>;

impl<T> Visitor<'_> for Checked<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a serialised phrase automaton")
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<T, E> {
        match (self.0)(bytes) {
            Some((automaton, [])) => Ok(automaton),
            Some(_) => Err(E::custom("trailing bytes after a phrase automaton")),
            None => Err(E::custom("a damaged phrase automaton")),
        }
    }
}

impl<'de> Deserialize<'de> for Chars {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Chars, D::Error> {
        deserializer.deserialize_bytes(Checked(|b| {
            CharwiseDoubleArrayAhoCorasick::deserialize(b)
                .ok()
                .map(|(a, rest)| (Chars(a), rest))
        }))
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Bytes, D::Error> {
        deserializer.deserialize_bytes(Checked(|b| {
            DoubleArrayAhoCorasick::deserialize(b)
                .ok()
                .map(|(a, rest)| (Bytes(a), rest))
        }))
    }
}

/// Distinct phrases, each serving one or more targets (the rules, patterns or segments it
/// stands for).
#[derive(Serialize, Deserialize)]
pub(crate) struct PhraseIndex<T> {
    set: PhraseSet,
    /// For each phrase, the range of `targets` it serves.
    spans: Vec<(u32, u32)>,
    targets: Vec<T>,
}

impl<T> PhraseIndex<T> {
    /// `entries` holds distinct phrases with their targets.
    pub(crate) fn build(
        entries: Vec<(String, Vec<T>)>,
        vocabulary: &mut Vocabulary,
        kind: Kind,
        layout: Option<&[&str]>,
    ) -> Result<PhraseIndex<T>, PackError> {
        let mut spans = Vec::with_capacity(entries.len());
        let mut targets = Vec::new();
        let mut phrases = Vec::with_capacity(entries.len());
        for (phrase, ts) in entries {
            let from = count(targets.len())?;
            targets.extend(ts);
            spans.push((from, count(targets.len())?));
            phrases.push(phrase);
        }
        let set = PhraseSet::build(&phrases, vocabulary, kind, layout)?;
        Ok(PhraseIndex {
            set,
            spans,
            targets,
        })
    }

    /// See [`PhraseSet::each`].
    pub(crate) fn each(
        &self,
        tokens: &Tokens<'_>,
        from: usize,
        to: usize,
        found: impl FnMut(usize, usize, usize) -> bool,
    ) -> bool {
        self.set.each(tokens, from, to, found)
    }

    /// See [`PhraseSet::could_start`].
    pub(crate) fn could_start(&self, tokens: &Tokens<'_>, from: usize, before: usize) -> bool {
        self.set.could_start(tokens, from, before)
    }

    /// The targets phrase `phrase` serves.
    pub(crate) fn targets(&self, phrase: usize) -> &[T] {
        self.spans
            .get(phrase)
            .and_then(|&(from, to)| self.targets.get(from as usize..to as usize))
            .unwrap_or_default()
    }
}

fn count(n: usize) -> Result<u32, PackError> {
    u32::try_from(n).map_err(|_| PackError::Automaton("too many phrase targets".into()))
}
