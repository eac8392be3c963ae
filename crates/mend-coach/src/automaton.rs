//! Multi-phrase automata that can be written out at compile time and read back in a few
//! milliseconds: the English pack is prepared by the build script, so a start does not rebuild
//! 178k phrases into an automaton (that took about 0.8 s of CPU and 65 MB).
//!
//! The automata are daachorse's double-array Aho-Corasick: compact (12 bytes a state), fast to
//! scan, and serialisable with a checked reader. They match bytes exactly, so they are built from
//! lowercase phrases and always searched in the ASCII-lowercased text (see [`lowercase`]), which
//! gives the same matches as an ASCII case-insensitive search of the text itself.

use std::fmt;

use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::PackError;

/// The text as the automata read it: ASCII letters lowercased, every other byte (and so every
/// offset and character boundary) unchanged.
pub(crate) fn lowercase(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// A set of distinct lowercase phrases, searched for all at once with overlaps.
pub(crate) struct PhraseSet {
    automaton: DoubleArrayAhoCorasick<u32>,
}

impl PhraseSet {
    /// Builds the automaton; phrase `i` is reported as `i`. The phrases must be distinct.
    /// `layout`, when given, is sample text whose scan the automaton's memory layout favours.
    pub(crate) fn build<P: AsRef<[u8]>>(
        phrases: impl IntoIterator<Item = P>,
        layout: Option<&[&str]>,
    ) -> Result<PhraseSet, PackError> {
        let patterns: Vec<P> = phrases.into_iter().collect();
        // The 2-gram prefilter costs 64 KiB an automaton and skips almost nothing in prose,
        // where most letter pairs start some phrase.
        let mut builder = DoubleArrayAhoCorasickBuilder::new().use_prefilter(false);
        if let Some(texts) = layout {
            builder = builder.corpus(texts.iter().map(|t| lowercase(t)));
        }
        let automaton = builder
            .build(patterns)
            .map_err(|e| PackError::Automaton(e.to_string()))?;
        Ok(PhraseSet { automaton })
    }

    /// Every occurrence `(start, end, phrase)` inside `lower[from..to]`, in offsets of `lower`,
    /// where `lower` is the [`lowercase`] form of the text.
    pub(crate) fn find<'a>(
        &'a self,
        lower: &'a str,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
        let to = to.max(from);
        self.automaton
            .find_overlapping_iter(&lower.as_bytes()[from..to])
            .map(move |m| (from + m.start(), from + m.end(), m.value() as usize))
    }
}

impl Serialize for PhraseSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.automaton.serialize())
    }
}

impl<'de> Deserialize<'de> for PhraseSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PhraseSet, D::Error> {
        struct Bytes;
        impl Visitor<'_> for Bytes {
            type Value = PhraseSet;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a serialised phrase automaton")
            }

            fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<PhraseSet, E> {
                // The checked reader: a damaged image is an error, never undefined behaviour.
                let (automaton, rest) =
                    DoubleArrayAhoCorasick::deserialize(bytes).map_err(E::custom)?;
                if !rest.is_empty() {
                    return Err(E::custom("trailing bytes after a phrase automaton"));
                }
                Ok(PhraseSet { automaton })
            }
        }
        deserializer.deserialize_bytes(Bytes)
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
        let set = PhraseSet::build(&phrases, layout)?;
        Ok(PhraseIndex {
            set,
            spans,
            targets,
        })
    }

    /// Every occurrence `(start, end, phrase)` inside `lower[from..to]` (see [`PhraseSet::find`]).
    pub(crate) fn find<'a>(
        &'a self,
        lower: &'a str,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
        self.set.find(lower, from, to)
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
