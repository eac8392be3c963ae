//! Compiles the English rule pack at build time and writes it out (`$OUT_DIR/english.coach`),
//! so that a start reads back rules and automata in milliseconds instead of expanding about
//! 178k phrases and building their automaton (0.8 s of CPU and 65 MB at every start).
//!
//! The pack is compiled by the crate's own code: the modules below are the crate's source files,
//! included as they are, so the prepared pack cannot drift from what `Coach::from_toml` builds.
//! A test compares the two on the whole corpus.

// The build uses only the compiling half of the shared modules (no review, no evaluation).
#![allow(dead_code)]

#[path = "src/automaton.rs"]
mod automaton;
#[path = "src/english.rs"]
mod english;
#[path = "src/kinds.rs"]
mod kinds;
#[path = "src/pack.rs"]
mod pack;
#[path = "src/pattern.rs"]
mod pattern;

use std::error::Error;
use std::path::PathBuf;

pub use kinds::{Category, Mode, PackError, Severity};

fn main() -> Result<(), Box<dyn Error>> {
    for watched in [
        "rules",
        "corpus/en.jsonl",
        "src/automaton.rs",
        "src/english.rs",
        "src/kinds.rs",
        "src/pack.rs",
        "src/pattern.rs",
    ] {
        println!("cargo::rerun-if-changed={watched}");
    }
    // The labelled corpus (never the hold-out) as sample text: the single pass's automaton puts
    // the states that prose visits most next to each other. Layout only; results are the same.
    let corpus = std::fs::read_to_string("corpus/en.jsonl")?;
    let samples: Vec<&str> = corpus.lines().collect();
    let compiled = pack::compile(english::ENGLISH_PACK, Some(&samples))?;
    let image = postcard::to_allocvec(&compiled)?;
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("cargo sets OUT_DIR")?);
    std::fs::write(out.join("english.coach"), image)?;
    Ok(())
}
