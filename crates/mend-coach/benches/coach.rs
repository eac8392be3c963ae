//! Throughput and latency of the coach, measured in the same run against a naive engine (each
//! phrase searched for separately) and a raw multi-phrase scan (the ceiling), and what a start
//! costs (reading the prepared English pack back, against compiling it from its TOML).

use std::hint::black_box;
use std::time::Duration;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder};
use mend_coach::{Coach, Mode, ENGLISH_CORPUS, ENGLISH_PACK};

/// At least this many bytes of text for the throughput runs.
const BIG: usize = 10 * 1024 * 1024;
/// The naive engine is too slow for 10 MB; it and its comparisons run on this slice.
const SLICE: usize = 64 * 1024;

/// A typical message: about 600 characters, mostly sincere, with a few slips.
const MESSAGE: &str =
    "I have been thinking about what you asked me on Sunday, and I want to answer \
it properly. I met her for the first time in February, at the training course, and we started \
texting most evenings after that. I'm sorry if you were hurt by how you found out, but I was \
going to tell you. I know that you feel humiliated that our friends knew before you did. I will \
show you my phone whenever you ask, and I will tell you the same day if she contacts me again. \
It was just a few drinks at first, and I kept it from you. Take all the time you need; I'm \
staying, and you can ask me anything.";

/// Sincere filler that the coach should pass over, built from plain everyday words.
fn generated(seed: &mut u64) -> String {
    const SUBJECTS: &[&str] = &[
        "We",
        "The children",
        "My sister",
        "Our neighbour",
        "The bank",
        "I",
        "Your mother",
        "The counsellor",
    ];
    const VERBS: &[&str] = &[
        "walked to",
        "called about",
        "talked about",
        "wrote down",
        "looked at",
        "paid for",
        "planned",
        "cooked",
    ];
    const OBJECTS: &[&str] = &[
        "the garden",
        "dinner on Friday",
        "the school trip",
        "the statements",
        "the appointment",
        "a long walk",
        "the car",
        "the holiday",
    ];
    const TAILS: &[&str] = &[
        "this morning.",
        "after work.",
        "on the weekend.",
        "last Tuesday.",
        "before the rain.",
        "with care.",
        "again today.",
        "at the station.",
    ];
    let mut pick = |list: &[&'static str]| {
        // A small linear congruential generator keeps the corpus the same on every run.
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        list[(*seed >> 33) as usize % list.len()]
    };
    format!(
        "{} {} {} {}",
        pick(SUBJECTS),
        pick(VERBS),
        pick(OBJECTS),
        pick(TAILS)
    )
}

fn big_text() -> String {
    let labelled: Vec<String> = ENGLISH_CORPUS
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .collect();
    let mut seed = 42;
    let mut text = String::with_capacity(BIG + 1024);
    let mut i = 0;
    while text.len() < BIG {
        // One labelled sentence for every three generated ones.
        if i % 4 == 0 {
            text.push_str(&labelled[(i / 4) % labelled.len()]);
        } else {
            text.push_str(&generated(&mut seed));
        }
        text.push(if i % 7 == 6 { '\n' } else { ' ' });
        i += 1;
    }
    text
}

fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let after = text[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric());
    before && after
}

/// The naive engine: every phrase is searched for on its own, one pass per phrase.
fn naive(phrases: &[String], text: &str) -> usize {
    let lower = text.to_ascii_lowercase();
    let mut found = 0;
    for p in phrases {
        for (at, m) in lower.match_indices(p.as_str()) {
            if whole_word(&lower, at, at + m.len()) {
                found += 1;
            }
        }
    }
    found
}

/// The ceiling: one overlapping scan for every phrase (built like the coach's own automaton,
/// searched in the lowercased text like the coach's), with no context checks at all.
fn raw_scan(da: &DoubleArrayAhoCorasick<u32>, text: &str) -> usize {
    da.find_overlapping_iter(text.to_ascii_lowercase()).count()
}

/// The ceiling before the prepared pack: the same scan with the aho-corasick automaton the coach
/// used to build at every start (ASCII case-insensitive, contiguous NFA, dense to depth 10).
fn raw_scan_ac(ac: &AhoCorasick, text: &str) -> usize {
    ac.find_overlapping_iter(text).count()
}

fn benches(c: &mut Criterion) {
    let coach = Coach::english();
    let phrases: Vec<String> = coach.trigger_phrases().map(str::to_owned).collect();
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .dense_depth(10)
        .build(&phrases)
        .expect("the phrases compile");
    let da = DoubleArrayAhoCorasickBuilder::new()
        .use_prefilter(false)
        .build(&phrases)
        .expect("the phrases compile");
    let big = big_text();
    let mut cut = SLICE;
    while !big.is_char_boundary(cut) {
        cut += 1;
    }
    let slice = &big[..cut];

    let mut g = c.benchmark_group("coach_10mb");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("coach", |b| {
        b.iter(|| coach.review(black_box(&big), Mode::Free).len())
    });
    g.bench_function("raw_scan", |b| b.iter(|| raw_scan(&da, black_box(&big))));
    g.bench_function("raw_scan_ac", |b| {
        b.iter(|| raw_scan_ac(&ac, black_box(&big)))
    });
    g.finish();

    let mut g = c.benchmark_group("coach_64kb");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    g.throughput(Throughput::Bytes(slice.len() as u64));
    g.bench_function("coach", |b| {
        b.iter(|| coach.review(black_box(slice), Mode::Free).len())
    });
    g.bench_function("raw_scan", |b| b.iter(|| raw_scan(&da, black_box(slice))));
    g.bench_function("naive", |b| b.iter(|| naive(&phrases, black_box(slice))));
    g.finish();

    let mut g = c.benchmark_group("message_600");
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Bytes(MESSAGE.len() as u64));
    g.bench_function("coach", |b| {
        b.iter(|| coach.review(black_box(MESSAGE), Mode::Free).len())
    });
    g.bench_function("raw_scan", |b| b.iter(|| raw_scan(&da, black_box(MESSAGE))));
    g.bench_function("naive", |b| b.iter(|| naive(&phrases, black_box(MESSAGE))));
    g.finish();

    // What a start costs: `Coach::english()` only reads the prepared pack back (once per
    // process; here a fresh copy each time), against compiling the pack from its TOML.
    let mut g = c.benchmark_group("start");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("prepared", |b| {
        b.iter(|| Coach::english_uncached().rule_count())
    });
    g.bench_function("from_toml", |b| {
        b.iter(|| {
            Coach::from_toml(black_box(ENGLISH_PACK))
                .expect("the English pack compiles")
                .rule_count()
        })
    });
    g.finish();
}

criterion_group!(coach_benches, benches);
criterion_main!(coach_benches);
