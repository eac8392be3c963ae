//! Made-up words for seeded histories: plain sentences of the lengths people write, built
//! from small word lists with the seeder's random numbers, so two runs with the same seed
//! write the same texts. No apostrophes, quotes or ampersands, so a text reads the same in
//! the HTML a page escapes it into and a test can look for it as it is.

use std::ops::Range;

use rand::seq::SliceRandom;
use rand::Rng;

const OPENINGS: &[&str] = &[
    "When did you first",
    "Why did you decide to",
    "How often did you",
    "Who else knew when you chose to",
    "What were you telling yourself when you would",
    "Where were you the night you chose to",
    "Did you ever plan to",
    "What made it feel safe to",
];

const DEEDS: &[&str] = &[
    "hide the messages",
    "move money from the shared account",
    "meet them after work",
    "delete the call history",
    "tell me you were working late",
    "keep the second phone",
    "say nothing at the dinner with my parents",
    "stay in touch after you promised to stop",
    "lie about the weekend away",
];

const SUBJECTS: &[&str] = &[
    "I",
    "We",
    "My sister",
    "The counsellor",
    "Our friend",
    "My body",
    "Part of me",
];

const VERBS: &[&str] = &[
    "noticed",
    "remembered",
    "kept thinking about",
    "talked about",
    "wrote down",
    "could not stop replaying",
    "felt calmer after",
    "woke up early because of",
    "walked for an hour after",
];

const THINGS: &[&str] = &[
    "the drive to the coast",
    "the receipt in the kitchen drawer",
    "the way you answered the door",
    "the song from the wedding",
    "the silence at breakfast",
    "the first honest conversation",
    "the promise you wrote last spring",
    "the evening you came home early",
    "the list of passwords on the table",
    "the long walk by the river",
];

const AFTERS: &[&str] = &[
    "and it still feels raw.",
    "and for once it did not hurt as much.",
    "and I am not sure what I need from you yet.",
    "and I want us to keep talking about it.",
    "and I felt seen when you listened.",
    "and the old fear came back for a moment.",
    "and it helped more than I expected.",
    "and I needed a day on my own afterwards.",
];

const CLAUSES: &[&str] = &[
    "I was wrong to do it and I know it was my choice.",
    "I kept it from you because I was afraid of losing you, and that fear is mine to carry.",
    "It started in the autumn and I ended it in the spring.",
    "Nobody made me do it, and nothing you did caused it.",
    "I can see now how much it cost you to ask this.",
    "I will answer this again whenever you need me to.",
    "I deleted them so that you would not find them.",
    "I told myself it meant nothing, which was a way of not looking at it.",
    "I am here, and I am not going anywhere.",
    "I checked in with you at lunch as we agreed and I will keep doing it.",
    "Today I showed you my phone before you had to ask.",
    "I hear that you felt alone in the house that week.",
];

/// A question of one sentence, 40 to 120 characters.
pub fn question(rng: &mut impl Rng) -> String {
    format!("{} {}?", pick(rng, OPENINGS), pick(rng, DEEDS),)
}

/// An answer or a written entry: a number of sentences in `sentences`, in the repairing
/// partner's voice.
pub fn answer(rng: &mut impl Rng, sentences: Range<usize>) -> String {
    let n = rng.gen_range(sentences);
    (0..n)
        .map(|_| pick(rng, CLAUSES))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A note in the hurt partner's voice (a feeling, a check-in, a journal page, a moment of the
/// evidence log): a number of sentences in `sentences`.
pub fn note(rng: &mut impl Rng, sentences: Range<usize>) -> String {
    let n = rng.gen_range(sentences);
    (0..n)
        .map(|_| {
            format!(
                "{} {} {} {}",
                pick(rng, SUBJECTS),
                pick(rng, VERBS),
                pick(rng, THINGS),
                pick(rng, AFTERS),
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A text that is unique in the whole seed: `text` with the item's place in the history, so a
/// test can tell the newest item from an older one with the same sentences.
pub fn numbered(text: String, number: usize) -> String {
    format!("{text} (note {number})")
}

fn pick<'a>(rng: &mut impl Rng, from: &[&'a str]) -> &'a str {
    from.choose(rng).copied().unwrap_or_default()
}
