//! The context checks that decide whether a candidate phrase is a finding: sentence and clause
//! scope, negation, quotation and reported speech, and grammatical person.
//!
//! Every scan here is capped in length, so a review stays linear in the size of the text however
//! many candidates it holds and however long its sentences run.

use crate::automaton::Tokens;
use crate::pack::Person;

/// How far a scan for a sentence boundary or an opening quote reaches, in bytes.
pub(crate) const SCAN_CAP: usize = 600;
/// Words before a match that a negation can reach ("I will not make excuses").
const NEGATION_REACH: usize = 6;
/// Words before a match in which a verb of saying marks reported speech.
const REPORT_REACH: usize = 8;

/// Words that end a clause: what follows them is a new claim with its own scope.
const CLAUSE_WORDS: &[&str] = &[
    "but", "and", "because", "although", "though", "yet", "so", "or", "while", "whereas", "cause",
];
const NEGATORS: &[&str] = &[
    "not", "never", "no", "nor", "cannot", "without", "neither", "dont", "wont", "cant", "didnt",
    "doesnt", "isnt", "wasnt", "arent", "werent", "shouldnt", "wouldnt", "couldnt", "hardly",
];
const REPORTING: &[&str] = &[
    // "tell" and "says" are left out: "I'll tell you when ..." is a commitment, not a report.
    "said", "say", "saying", "told", "telling", "call", "called", "calling", "calls", "accused",
    "accuse", "accusing", "claimed", "yelled", "shouted", "screamed", "texted", "wrote", "snapped",
    "insisted", "words",
];
const FIRST: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself", "we", "we're", "we've",
    "we'd", "we'll", "our", "us", "im", "ive",
];
/// The writer alone, as the one who acts (for `agentless` rules).
const WRITER: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "me", "myself", "im", "ive",
];
const SECOND: &[&str] = &[
    "you", "you're", "you've", "you'd", "you'll", "your", "yours", "yourself", "youre", "u", "ur",
];
const THIRD: &[&str] = &[
    "he",
    "she",
    "they",
    "he's",
    "she's",
    "they're",
    "it",
    "it's",
    "that",
    "that's",
    "this",
    "someone",
    "people",
    "anyone",
    "everyone",
    "nobody",
    "somebody",
    "everybody",
    "his",
    "her",
    "their",
];

/// Floors `i` to a character boundary of `text`.
fn floor(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Ceils `i` to a character boundary of `text`.
fn ceil(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

fn ends_sentence(c: char, next: Option<char>) -> bool {
    match c {
        '\n' | '!' | '?' | '…' => true,
        '.' => next.is_none_or(|n| n.is_whitespace() || is_quote(n)),
        _ => false,
    }
}

/// The character at byte `i` (a character boundary) and its length, without decoding ASCII.
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some((char::from(b), 1)),
        Some(_) => text.get(i..)?.chars().next().map(|c| (c, c.len_utf8())),
        None => None,
    }
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}' | '\u{201D}' | '\'' | '\u{2018}' | '\u{2019}'
    )
}

/// The byte range of the sentence around `start..end` (capped to a window around the match).
pub(crate) fn sentence(text: &str, start: usize, end: usize) -> (usize, usize) {
    let low = floor(text, start.saturating_sub(SCAN_CAP));
    let mut s = low;
    let mut next = text[start..].chars().next();
    for (i, c) in text[low..start].char_indices().rev() {
        if ends_sentence(c, next) {
            s = low + i + c.len_utf8();
            break;
        }
        next = Some(c);
    }
    let high = ceil(text, end.saturating_add(SCAN_CAP));
    let mut e = high;
    let mut it = text[end..high].char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it
            .peek()
            .map(|&(_, n)| n)
            .or_else(|| text[high..].chars().next());
        if ends_sentence(c, next) {
            e = end + i;
            break;
        }
    }
    (s, e)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    Break,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '\u{2019}'
}

fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut word_start = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(ws) = word_start.take() {
            push_word(&mut out, &text[ws..i]);
        }
        if matches!(
            c,
            ',' | ';' | ':' | '(' | ')' | '—' | '–' | '"' | '\u{201C}' | '\u{201D}'
        ) {
            out.push(Tok::Break);
        }
    }
    if let Some(ws) = word_start {
        push_word(&mut out, &text[ws..]);
    }
    out
}

fn push_word<'a>(out: &mut Vec<Tok<'a>>, w: &'a str) {
    let w = w.trim_matches(|c| c == '\'' || c == '\u{2019}');
    if !w.is_empty() {
        out.push(Tok::Word(w));
    }
}

/// Case-insensitive equality that treats a curly apostrophe as a straight one; the word lists
/// are lowercase ASCII.
fn same(word: &str, target: &str) -> bool {
    word.len() >= target.len()
        && word
            .chars()
            .map(|c| {
                if c == '\u{2019}' {
                    '\''
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .eq(target.chars())
}

fn in_list(word: &str, list: &[&str]) -> bool {
    list.iter().any(|t| same(word, t))
}

fn is_negator(word: &str) -> bool {
    let n = word.len();
    let contracted = n > 3
        && (word
            .get(n - 3..)
            .is_some_and(|t| t.eq_ignore_ascii_case("n't"))
            || word
                .get(n.saturating_sub(5)..)
                .is_some_and(|t| t.eq_ignore_ascii_case("n\u{2019}t")));
    contracted || in_list(word, NEGATORS)
}

/// The part of a sentence before a match, tokenised once for all the checks that read it.
pub(crate) struct Before<'a> {
    text: &'a str,
    at: usize,
    tokens: Vec<Tok<'a>>,
}

impl<'a> Before<'a> {
    pub(crate) fn new(text: &'a str, sentence_start: usize, at: usize) -> Self {
        Before {
            text,
            at,
            tokens: tokens(&text[sentence_start..at]),
        }
    }

    /// The words of the same clause, nearest first.
    fn clause(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.tokens.iter().rev().map_while(|t| match *t {
            Tok::Word(w) if !in_list(w, CLAUSE_WORDS) => Some(w),
            _ => None,
        })
    }

    /// A negation shortly before the match, in the same clause.
    pub(crate) fn negated(&self) -> bool {
        self.clause().take(NEGATION_REACH).any(is_negator)
    }

    /// The match sits inside quotation marks, or follows a verb of saying in the same sentence
    /// ("when I called you paranoid"): the writer is reporting words, not using them.
    pub(crate) fn reported(&self, quotes: &mut Quotes) -> bool {
        quotes.inside(self.text, self.at)
            || self
                .tokens
                .iter()
                .rev()
                .filter_map(|t| match *t {
                    Tok::Word(w) => Some(w),
                    Tok::Break => None,
                })
                .take(REPORT_REACH)
                .any(|w| in_list(w, REPORTING))
    }

    /// Whether the nearest pronoun before the match, in its clause, is of the rule's person.
    /// A clause with no pronoun (an imperative such as "stop being so dramatic") passes.
    pub(crate) fn person_fits(&self, person: Person) -> bool {
        for w in self.clause() {
            let found = if in_list(w, FIRST) {
                Some(Person::First)
            } else if in_list(w, SECOND) {
                Some(Person::Second)
            } else if in_list(w, THIRD) {
                None
            } else {
                continue;
            };
            return found == Some(person);
        }
        true
    }
}

/// Where the words after a place start, up to the end of its sentence (capped like every
/// scan): what tells how far a gap of a few words reaches. Words are runs of letters and digits.
/// The words are read only as far as a gap asked about needs, and on from there for a wider one.
#[derive(Debug, Default)]
pub(crate) struct GapLimits {
    /// The starts of the words read, the first at index 0.
    starts: Vec<usize>,
    /// The next byte to read, and the end of the scan (the cap).
    at: usize,
    high: usize,
    in_word: bool,
    /// Where the sentence ends, once it was reached (or the cap was).
    stop: Option<usize>,
}

impl GapLimits {
    /// Starts reading the words after `from` afresh.
    pub(crate) fn start(&mut self, text: &str, from: usize) {
        self.starts.clear();
        self.at = from;
        self.high = ceil(text, from.saturating_add(SCAN_CAP));
        self.in_word = false;
        self.stop = None;
    }

    /// The first byte at which a segment may no longer start after a gap of `gap` words: the
    /// start of the word after the first word and the `gap` words allowed, or the end of the
    /// sentence, whichever comes first.
    /// `tokens`, where they cover the words to read, are read instead of the bytes.
    pub(crate) fn limit(&mut self, text: &str, tokens: &Tokens<'_>, gap: usize) -> usize {
        let wanted = gap.saturating_add(1);
        if self.stop.is_none() && self.starts.len() <= wanted {
            // Token by token from a token's start, or from inside a word already counted.
            let next = tokens.first_from(self.at);
            if tokens.covers(self.at, self.high) && (self.in_word || tokens.start(next) == self.at)
            {
                self.read_tokens(text, tokens, next, wanted);
            } else {
                self.read_until(text, wanted);
            }
        }
        match self.starts.get(wanted) {
            Some(&start) => start,
            None => self.stop.unwrap_or(self.high),
        }
    }

    /// What [`GapLimits::read_until`] does, a token at a time from token `next`: a word token
    /// starts a word, and a sentence ends at the same characters.
    fn read_tokens(&mut self, text: &str, tokens: &Tokens<'_>, mut next: usize, wanted: usize) {
        let bytes = text.as_bytes();
        while self.starts.len() <= wanted {
            let at = tokens.start(next);
            if next >= tokens.len() || at >= self.high {
                self.stop = Some(self.high);
                self.at = self.high;
                return;
            }
            let Some((c, _)) = char_at(text, at) else {
                self.stop = Some(at);
                self.at = at;
                return;
            };
            let ends = match c {
                '\n' | '!' | '?' | '…' => true,
                '.' => char_at(text, at + 1).is_none_or(|(n, _)| n.is_whitespace() || is_quote(n)),
                _ => false,
            };
            if ends {
                self.stop = Some(at);
                self.at = at;
                return;
            }
            let word = bytes.get(at).is_some_and(u8::is_ascii_alphanumeric)
                || (!c.is_ascii() && c.is_alphanumeric());
            if word {
                self.starts.push(at);
            }
            self.in_word = word;
            next += 1;
        }
        self.at = tokens.start(next);
    }

    /// Reads on until word `wanted` has started or the sentence (or the scan) has ended. Byte
    /// by byte, decoding only what is not ASCII: a gap is read after every occurrence of a
    /// gapped pattern's head, so this runs over a large share of the text.
    fn read_until(&mut self, text: &str, wanted: usize) {
        let bytes = text.as_bytes();
        let (mut i, mut in_word) = (self.at, self.in_word);
        while self.starts.len() <= wanted {
            let Some(&b) = bytes.get(i).filter(|_| i < self.high) else {
                self.stop = Some(self.high.max(i));
                break;
            };
            let (alnum, len) = if b.is_ascii() {
                let ends = match b {
                    b'\n' | b'!' | b'?' => true,
                    b'.' => {
                        char_at(text, i + 1).is_none_or(|(n, _)| n.is_whitespace() || is_quote(n))
                    }
                    _ => false,
                };
                if ends {
                    self.stop = Some(i);
                    break;
                }
                (b.is_ascii_alphanumeric(), 1)
            } else {
                let Some((c, len)) = char_at(text, i) else {
                    self.stop = Some(i);
                    break;
                };
                if c == '…' {
                    self.stop = Some(i);
                    break;
                }
                (c.is_alphanumeric(), len)
            };
            if alnum && !in_word {
                self.starts.push(i);
            }
            in_word = alnum;
            i += len;
        }
        self.at = i;
        self.in_word = in_word;
    }
}

/// Where the sentence after the one ending at `sentence_end` ends (capped like every scan), so
/// a retraction in the next sentence can be seen. A line break ends the thought: the next line
/// is not read.
pub(crate) fn next_sentence_end(text: &str, sentence_end: usize) -> usize {
    let high = ceil(text, sentence_end.saturating_add(SCAN_CAP));
    let mut it = text[sentence_end..high].char_indices().peekable();
    // Past the terminators and spaces that close the sentence itself.
    while let Some(&(_, c)) = it.peek() {
        if c == '\n' {
            return sentence_end;
        }
        if !(c.is_whitespace() || ends_sentence(c, None) || is_quote(c)) {
            break;
        }
        it.next();
    }
    while let Some((i, c)) = it.next() {
        let next = it
            .peek()
            .map(|&(_, n)| n)
            .or_else(|| text[high..].chars().next());
        if ends_sentence(c, next) {
            return sentence_end + i;
        }
    }
    high
}

/// The writer's own "I" in the clause that follows a match: "I regret that I lied" has an agent,
/// "I regret that you were upset" and "I wish none of this had happened" do not.
pub(crate) fn writer_acts_after(text: &str, end: usize, sentence_end: usize) -> bool {
    let to = ceil(text, sentence_end.min(end.saturating_add(SCAN_CAP)));
    tokens(&text[end..to.max(end)])
        .into_iter()
        .map_while(|t| match t {
            Tok::Word(w) if !in_list(w, CLAUSE_WORDS) => Some(w),
            _ => None,
        })
        .any(|w| in_list(w, WRITER))
}

/// Which quotation marks are open at a place in a line, read from where the scan starts (the
/// line's start, or [`SCAN_CAP`] bytes back). The state at a place depends only on the text from
/// that start, so the candidates of one line, asked about in text order, are read on from the
/// last one instead of from the start each time.
#[derive(Default, Clone)]
pub(crate) struct Quotes {
    /// Where the scan started and how far it has read.
    from: usize,
    read: usize,
    double: bool,
    curly: bool,
    single: bool,
}

impl Quotes {
    /// Whether `at` sits inside quotation marks opened earlier in its line.
    pub(crate) fn inside(&mut self, text: &str, at: usize) -> bool {
        let low = floor(text, at.saturating_sub(SCAN_CAP));
        let from = text[low..at].rfind('\n').map_or(low, |i| low + i + 1);
        if from != self.from || at < self.read || self.read < from {
            *self = Quotes {
                from,
                read: from,
                ..Quotes::default()
            };
        }
        // Only quotation marks change the state: straight ones, and the curly ones, whose UTF-8
        // starts with 0xE2; every other byte is skipped without decoding.
        let bytes = text.as_bytes();
        let mut i = self.read;
        while let Some(skip) = bytes[i..at]
            .iter()
            .position(|&b| matches!(b, b'"' | b'\'' | 0xE2))
        {
            let p = i + skip;
            let Some(c) = text[p..].chars().next() else {
                break;
            };
            i = p + c.len_utf8();
            // The characters either side, as a reader sees them: nothing before the scan's
            // start, and the text's own next character even past `at`.
            let alnum_before = text[self.from..p]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let alnum_after = text[i..].chars().next().is_some_and(char::is_alphanumeric);
            match c {
                '"' => self.double = !self.double,
                '\u{201C}' => self.curly = true,
                '\u{201D}' => self.curly = false,
                '\u{2018}' => self.single = true,
                '\'' | '\u{2019}' => {
                    if !alnum_before && alnum_after {
                        self.single = true;
                    } else if !alnum_after {
                        self.single = false;
                    }
                }
                _ => {}
            }
        }
        self.read = at;
        self.double || self.curly || self.single
    }
}

/// True when the characters either side of `start..end` are not part of a word.
pub(crate) fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before_ok = text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let after_ok = text[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric());
    before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_terminators_not_decimals() {
        let t = "It cost 3.5 thousand. I lied about it! Then more";
        let at = t.find("lied").unwrap_or(0);
        assert_eq!(
            &t[sentence(t, at, at + 4).0..sentence(t, at, at + 4).1],
            " I lied about it"
        );
        let at = t.find("thousand").unwrap_or(0);
        let (s, e) = sentence(t, at, at + 8);
        assert_eq!(&t[s..e], "It cost 3.5 thousand");
    }

    #[test]
    fn negation_stays_in_its_clause() {
        let negated = |t: &str, w: &str| Before::new(t, 0, t.find(w).unwrap_or(0)).negated();
        assert!(negated(
            "I don't think you are overreacting",
            "overreacting"
        ));
        assert!(!negated("Don't cry, you are overreacting", "overreacting"));
        assert!(negated("I won\u{2019}t make excuses", "make"));
    }

    #[test]
    fn quotes_and_reporting_are_seen() {
        let reported = |t: &str, w: &str| {
            Before::new(t, 0, t.find(w).unwrap_or(0)).reported(&mut Quotes::default())
        };
        assert!(reported(
            "You once said \u{2018}get over it\u{2019} to me",
            "get"
        ));
        assert!(reported("He said \"calm down\" and left", "calm"));
        assert!(!reported("You're right, and you need to calm down", "calm"));
        assert!(reported("I used to call you too sensitive", "too"));
    }

    /// The quote reading as it was first written, one character at a time from the line's
    /// start: the reference that [`Quotes`] must agree with.
    fn inside_quotes_char_by_char(text: &str, at: usize) -> bool {
        let low = floor(text, at.saturating_sub(SCAN_CAP));
        let from = text[low..at].rfind('\n').map_or(low, |i| low + i + 1);
        let (mut double, mut curly, mut single) = (false, false, false);
        let mut prev: Option<char> = None;
        let mut it = text[from..at].chars().peekable();
        while let Some(c) = it.next() {
            let next = it.peek().copied().or_else(|| text[at..].chars().next());
            let alnum_before = prev.is_some_and(char::is_alphanumeric);
            let alnum_after = next.is_some_and(char::is_alphanumeric);
            match c {
                '"' => double = !double,
                '\u{201C}' => curly = true,
                '\u{201D}' => curly = false,
                '\u{2018}' => single = true,
                '\'' | '\u{2019}' => {
                    if !alnum_before && alnum_after {
                        single = true;
                    } else if !alnum_after {
                        single = false;
                    }
                }
                _ => {}
            }
            prev = Some(c);
        }
        double || curly || single
    }

    #[test]
    fn quotes_read_on_along_a_line_agree_with_a_fresh_read() {
        let long = format!("{} 'and \u{2018}on", "x\u{2014}y \"z\" ".repeat(80));
        for t in [
            "He said \"it\u{2019}s fine\" and \u{201C}calm down\u{201D}, then 'go'.\nNext \"line",
            "'tis 'twas the kids' toys' 'end' \u{2019}o\u{2019} ' x' 'y '",
            long.as_str(),
        ] {
            let mut along = Quotes::default();
            for at in (0..=t.len()).filter(|&i| t.is_char_boundary(i)) {
                let want = inside_quotes_char_by_char(t, at);
                assert_eq!(along.inside(t, at), want, "at {at} in {t:?}");
                assert_eq!(Quotes::default().inside(t, at), want, "at {at} in {t:?}");
            }
        }
        let t =
            "He said \"it\u{2019}s fine\" and \u{201C}calm down\u{201D}, then 'go'.\nNext \"line";
        let mut along = Quotes::default();
        // Asked out of order, it starts again rather than read backwards.
        assert!(along.inside(t, t.find("calm").unwrap_or(0)));
        assert!(!along.inside(t, 3));
    }

    #[test]
    fn a_gap_ends_after_its_words_or_at_the_sentence_end() {
        let t = "sorry a b c but. x";
        let from = "sorry".len();
        let vocabulary = crate::automaton::Vocabulary::default();
        let mut read = Tokens::new(t, &vocabulary);
        read.read(0, t.len());
        let unread = Tokens::new(t, &vocabulary);
        let limit = |gap: usize, first: usize| {
            // Read from the tokens and from the bytes (no tokens cover the words): the same.
            let [by_tokens, by_bytes] = [&read, &unread].map(|tokens| {
                let mut limits = GapLimits::default();
                limits.start(t, from);
                // Asked about a first gap, then on: the answer must not depend on what came
                // before.
                limits.limit(t, tokens, first);
                limits.limit(t, tokens, gap)
            });
            assert_eq!(by_tokens, by_bytes);
            by_tokens
        };
        // Two words allowed: a segment may start at "a", "b" or "c", not at "but".
        assert_eq!(&t[from..limit(2, 2)], " a b c ");
        assert_eq!(&t[from..limit(2, 12)], " a b c ");
        assert_eq!(&t[from..limit(9, 12)], " a b c but");
        assert_eq!(&t[from..limit(0, 0)], " a ");
        assert_eq!(&t[from..limit(0, 3)], " a ");
        assert_eq!(&t[from..limit(3, 3)], " a b c but");
    }

    #[test]
    fn the_next_sentence_is_found_for_retractions() {
        let t = "I was drunk. That is no excuse! And more.";
        let end = t.find('.').unwrap_or(0);
        assert_eq!(&t[end..next_sentence_end(t, end)], ". That is no excuse");
        assert_eq!(next_sentence_end(t, t.len()), t.len());
        let t = "I was drunk.\nThat is no excuse.";
        let end = t.find('.').unwrap_or(0);
        assert_eq!(next_sentence_end(t, end), end);
    }

    #[test]
    fn the_writer_as_agent_is_found_in_the_clause_after() {
        let acts = |t: &str, w: &str| {
            let end = t.find(w).unwrap_or(0) + w.len();
            writer_acts_after(t, end, t.len())
        };
        assert!(acts("I regret that I lied to you", "regret"));
        assert!(!acts("I regret that you were upset", "regret"));
        assert!(!acts(
            "I wish none of this had happened, but I did it",
            "wish"
        ));
        assert!(acts("I wish I\u{2019}d told you", "wish"));
    }

    #[test]
    fn person_uses_the_nearest_pronoun() {
        let second = |t: &str, w: &str| {
            Before::new(t, 0, t.find(w).unwrap_or(0)).person_fits(Person::Second)
        };
        assert!(second("I think you are too sensitive", "too"));
        assert!(!second("You know I was too sensitive", "too"));
        assert!(second("Stop being so dramatic", "so"));
    }
}
