//! Mend's benchmark tools (issue 13): a seeder that writes a realistic history through the
//! store, and the minimal server the pages are measured against. `scripts/bench` drives both
//! with `mend serve` and wrk; docs/benchmarks.md has the figures.

pub mod ceiling;
pub mod seed;
mod words;
