//! The small pattern language of rule packs, expanded into plain lowercase phrases.
//!
//! `{a|b|}` alternatives (an empty one makes the group optional), `{name}` a named slot,
//! `<name>` a word class of the lexicon, `~verb` the regular inflections of a verb, ` ... ` a gap
//! of a few words between segments (the rule's `max_gap`) and ` ..N.. ` a gap of at most N words.

use std::collections::HashMap;

use crate::PackError;

/// A guard against patterns whose alternatives multiply into an unreasonable number of phrases.
const MAX_PHRASES: usize = 20_000;
/// Slots may refer to other slots; this bounds the depth so that a cycle is an error, not a hang.
const MAX_DEPTH: usize = 8;

#[derive(Debug)]
enum Node {
    Text(String),
    Alt(Vec<Vec<Node>>),
    Slot(String),
    Word(String),
    Inflect(String),
}

/// Named slots and the lexicon's word classes, each a list of patterns. A word class `<act>` is
/// kept under the key `"<act>"`, so the two namespaces never collide.
pub(crate) type Slots = HashMap<String, Vec<String>>;

/// The key under which a word class of the lexicon is kept among the slots.
pub(crate) fn word_class_key(name: &str) -> String {
    format!("<{name}>")
}

/// One pattern expanded: its segments, each a list of phrases, and for each join between two
/// segments the words allowed there (`None`: the rule's `max_gap`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Expanded {
    pub segments: Vec<Vec<String>>,
    pub gaps: Vec<Option<usize>>,
}

/// Expands one pattern into its segments (split at ` ... ` and ` ..N.. `), each a list of
/// phrases.
pub(crate) fn expand(pattern: &str, slots: &Slots) -> Result<Expanded, PackError> {
    let (parts, gaps) = split_gaps(pattern)?;
    let mut segments = Vec::new();
    for part in parts {
        let phrases = expand_fragment(part, slots, 0)?;
        if phrases.iter().any(|p| p.is_empty()) {
            return Err(PackError::Pattern {
                pattern: pattern.to_owned(),
                reason: "a segment can expand to nothing".into(),
            });
        }
        segments.push(phrases);
    }
    Ok(Expanded { segments, gaps })
}

/// Splits a pattern at its gaps: `...` (the rule's width) and `..N..` (at most N words).
fn split_gaps(pattern: &str) -> Result<(Vec<&str>, Vec<Option<usize>>), PackError> {
    let bad = |reason: &str| PackError::Pattern {
        pattern: pattern.to_owned(),
        reason: reason.to_owned(),
    };
    let (mut parts, mut gaps) = (Vec::new(), Vec::new());
    let mut rest = pattern;
    while let Some(i) = rest.find("..") {
        let after = &rest[i + 2..];
        let (gap, skip) = if after.starts_with('.') {
            (None, 3)
        } else {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || !after[digits..].starts_with("..") {
                return Err(bad("a gap is written ` ... ` or ` ..N.. ` with N a number"));
            }
            let width = after[..digits]
                .parse()
                .map_err(|_| bad("the gap's width is too large"))?;
            (Some(width), 2 + digits + 2)
        };
        parts.push(&rest[..i]);
        gaps.push(gap);
        rest = &rest[i + skip..];
    }
    parts.push(rest);
    Ok((parts, gaps))
}

fn expand_fragment(text: &str, slots: &Slots, depth: usize) -> Result<Vec<String>, PackError> {
    if depth > MAX_DEPTH {
        return Err(PackError::Pattern {
            pattern: text.to_owned(),
            reason: "slots nest too deeply (a cycle?)".into(),
        });
    }
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0;
    let seq = parse_seq(&chars, &mut pos, text)?;
    if pos != chars.len() {
        return Err(PackError::Pattern {
            pattern: text.to_owned(),
            reason: format!("unexpected '{}'", chars[pos]),
        });
    }
    let mut out = expand_seq(&seq, slots, depth, text)?;
    for phrase in &mut out {
        *phrase = normalise(phrase);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Collapses spaces and lowercases; a clitic written as its own alternative (`{is|'s}`) joins
/// the word before it, so `it {is|'s}` gives "it's".
fn normalise(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" '", "'")
        .to_lowercase()
}

fn parse_seq(chars: &[char], pos: &mut usize, src: &str) -> Result<Vec<Node>, PackError> {
    let mut seq = Vec::new();
    let mut text = String::new();
    while let Some(&c) = chars.get(*pos) {
        match c {
            '}' | '|' => break,
            '{' => {
                *pos += 1;
                if !text.is_empty() {
                    seq.push(Node::Text(std::mem::take(&mut text)));
                }
                seq.push(parse_group(chars, pos, src)?);
            }
            '<' => {
                *pos += 1;
                let start = *pos;
                while chars
                    .get(*pos)
                    .is_some_and(|c| c.is_ascii_lowercase() || *c == '_')
                {
                    *pos += 1;
                }
                if start == *pos || chars.get(*pos) != Some(&'>') {
                    return Err(PackError::Pattern {
                        pattern: src.to_owned(),
                        reason: "a word class is written <name>, in lowercase".into(),
                    });
                }
                if !text.is_empty() {
                    seq.push(Node::Text(std::mem::take(&mut text)));
                }
                seq.push(Node::Word(chars[start..*pos].iter().collect()));
                *pos += 1;
            }
            '~' => {
                *pos += 1;
                let start = *pos;
                while chars.get(*pos).is_some_and(|c| c.is_alphabetic()) {
                    *pos += 1;
                }
                if start == *pos {
                    return Err(PackError::Pattern {
                        pattern: src.to_owned(),
                        reason: "'~' must be followed by a verb".into(),
                    });
                }
                if !text.is_empty() {
                    seq.push(Node::Text(std::mem::take(&mut text)));
                }
                seq.push(Node::Inflect(chars[start..*pos].iter().collect()));
            }
            _ => {
                text.push(c);
                *pos += 1;
            }
        }
    }
    if !text.is_empty() {
        seq.push(Node::Text(text));
    }
    Ok(seq)
}

fn parse_group(chars: &[char], pos: &mut usize, src: &str) -> Result<Node, PackError> {
    let mut alts = Vec::new();
    loop {
        alts.push(parse_seq(chars, pos, src)?);
        match chars.get(*pos) {
            Some('|') => *pos += 1,
            Some('}') => {
                *pos += 1;
                break;
            }
            _ => {
                return Err(PackError::Pattern {
                    pattern: src.to_owned(),
                    reason: "unclosed '{'".into(),
                })
            }
        }
    }
    // `{name}`: one alternative that is a bare identifier names a slot.
    if let [only] = alts.as_slice() {
        if let [Node::Text(name)] = only.as_slice() {
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                return Ok(Node::Slot(name.clone()));
            }
        }
    }
    Ok(Node::Alt(alts))
}

fn expand_seq(
    seq: &[Node],
    slots: &Slots,
    depth: usize,
    src: &str,
) -> Result<Vec<String>, PackError> {
    let mut acc = vec![String::new()];
    for node in seq {
        let options: Vec<String> = match node {
            Node::Text(t) => vec![t.clone()],
            Node::Inflect(v) => inflect(v),
            Node::Slot(name) => {
                let values = slots.get(name).ok_or_else(|| PackError::Pattern {
                    pattern: src.to_owned(),
                    reason: format!("unknown slot {{{name}}}"),
                })?;
                let mut all = Vec::new();
                for v in values {
                    all.extend(expand_fragment(v, slots, depth + 1)?);
                }
                all
            }
            Node::Word(name) => {
                let values =
                    slots
                        .get(&word_class_key(name))
                        .ok_or_else(|| PackError::Pattern {
                            pattern: src.to_owned(),
                            reason: format!("unknown word class <{name}>"),
                        })?;
                let mut all = Vec::new();
                for v in values {
                    all.extend(expand_fragment(v, slots, depth + 1)?);
                }
                all
            }
            Node::Alt(alts) => {
                let mut all = Vec::new();
                for alt in alts {
                    all.extend(expand_seq(alt, slots, depth, src)?);
                }
                all
            }
        };
        if acc.len().saturating_mul(options.len()) > MAX_PHRASES {
            return Err(PackError::Pattern {
                pattern: src.to_owned(),
                reason: format!("expands to more than {MAX_PHRASES} phrases"),
            });
        }
        acc = acc
            .iter()
            .flat_map(|a| options.iter().map(move |o| format!("{a}{o}")))
            .collect();
    }
    Ok(acc)
}

/// The base form and the regular -s, -ed and -ing forms of an English verb; irregular forms are
/// written out as alternatives in the rule itself.
fn inflect(verb: &str) -> Vec<String> {
    let v = verb.to_lowercase();
    let bytes = v.as_bytes();
    let is_vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    let n = bytes.len();
    let (s, ed, ing) = if v.ends_with('e') && !v.ends_with("ee") {
        let stem = &v[..n - 1];
        (format!("{v}s"), format!("{v}d"), format!("{stem}ing"))
    } else if n >= 2 && bytes[n - 1] == b'y' && !is_vowel(bytes[n - 2]) {
        let stem = &v[..n - 1];
        (
            format!("{stem}ies"),
            format!("{stem}ied"),
            format!("{v}ing"),
        )
    } else if ["s", "sh", "ch", "x", "z"].iter().any(|e| v.ends_with(e)) {
        (format!("{v}es"), format!("{v}ed"), format!("{v}ing"))
    } else if n >= 3
        && !is_vowel(bytes[n - 1])
        && !matches!(bytes[n - 1], b'w' | b'x' | b'y')
        && is_vowel(bytes[n - 2])
        && !is_vowel(bytes[n - 3])
        && vowel_groups(bytes) == 1
    {
        // One-syllable consonant-vowel-consonant verbs double the last letter: stop, stopped.
        let last = char::from(bytes[n - 1]);
        (
            format!("{v}s"),
            format!("{v}{last}ed"),
            format!("{v}{last}ing"),
        )
    } else {
        (format!("{v}s"), format!("{v}ed"), format!("{v}ing"))
    };
    vec![v, s, ed, ing]
}

fn vowel_groups(bytes: &[u8]) -> usize {
    let mut groups = 0;
    let mut prev = false;
    for &b in bytes {
        let v = matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
        if v && !prev {
            groups += 1;
        }
        prev = v;
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots() -> Slots {
        let mut s = Slots::new();
        s.insert("you".into(), vec!["you {are|were}".into(), "you're".into()]);
        s.insert(word_class_key("act"), vec!["~text".into(), "lunch".into()]);
        s
    }

    fn segments(pattern: &str) -> Vec<Vec<String>> {
        expand(pattern, &slots()).expect("valid pattern").segments
    }

    #[test]
    fn alternatives_slots_and_optional_groups_expand() {
        let got = segments("{you} {so|} dramatic");
        assert_eq!(got.len(), 1);
        assert!(got[0].contains(&"you're so dramatic".to_string()));
        assert!(got[0].contains(&"you were dramatic".to_string()));
        assert_eq!(got[0].len(), 6);
    }

    #[test]
    fn clitics_join_the_word_before() {
        assert_eq!(
            segments("it {is|'s} over"),
            vec![vec!["it is over", "it's over"]]
        );
    }

    #[test]
    fn gaps_split_segments() {
        let got = expand("{sorry|apologise} ... but", &slots()).expect("valid pattern");
        assert_eq!(got.segments, vec![vec!["apologise", "sorry"], vec!["but"]]);
        assert_eq!(got.gaps, vec![None]);
    }

    #[test]
    fn gaps_carry_their_own_width() {
        let got = expand("only ..3.. <act> ... ago", &slots()).expect("valid pattern");
        assert_eq!(got.segments.len(), 3);
        assert_eq!(got.gaps, vec![Some(3), None]);
        assert_eq!(
            got.segments[1],
            vec!["lunch", "text", "texted", "texting", "texts"]
        );
    }

    #[test]
    fn word_classes_expand_inside_phrases() {
        assert_eq!(
            segments("a <act> or two"),
            vec![vec![
                "a lunch or two",
                "a text or two",
                "a texted or two",
                "a texting or two",
                "a texts or two"
            ]]
        );
    }

    #[test]
    fn inflections_cover_regular_verbs() {
        assert_eq!(inflect("blame"), ["blame", "blames", "blamed", "blaming"]);
        assert_eq!(inflect("try"), ["try", "tries", "tried", "trying"]);
        assert_eq!(inflect("stop"), ["stop", "stops", "stopped", "stopping"]);
        assert_eq!(inflect("push"), ["push", "pushes", "pushed", "pushing"]);
        assert_eq!(
            inflect("overreact"),
            ["overreact", "overreacts", "overreacted", "overreacting"]
        );
        assert_eq!(inflect("open"), ["open", "opens", "opened", "opening"]);
    }

    #[test]
    fn malformed_patterns_are_errors() {
        assert!(expand("{a|b", &slots()).is_err());
        assert!(expand("{nope} x", &slots()).is_err());
        assert!(expand("{a|} ... {b|}", &slots()).is_err());
        assert!(expand("a } b", &slots()).is_err());
        assert!(expand("<nope> x", &slots()).is_err());
        assert!(expand("<act x", &slots()).is_err());
        assert!(expand("a ..x.. b", &slots()).is_err());
        assert!(expand("a .. b", &slots()).is_err());
    }
}
