//! The English pack prepared at build time (`Coach::english()`) finds exactly what the same pack
//! compiled at run time (`Coach::from_toml`) finds, on the whole corpus and in every mode.

use mend_coach::{Coach, Mode, ENGLISH_CORPUS, ENGLISH_PACK};

fn corpus_texts() -> Vec<String> {
    ENGLISH_CORPUS
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("corpus line is JSON");
            v["text"]
                .as_str()
                .expect("corpus line has a text")
                .to_owned()
        })
        .collect()
}

#[test]
fn the_prepared_pack_matches_the_pack_compiled_at_run_time() {
    let prepared = Coach::english();
    let compiled = Coach::from_toml(ENGLISH_PACK).expect("the English pack compiles");
    assert_eq!(prepared.rule_count(), compiled.rule_count());
    assert!(prepared.trigger_phrases().eq(compiled.trigger_phrases()));

    let texts = corpus_texts();
    let mut findings = 0;
    for mode in Mode::ALL {
        for text in &texts {
            let want = compiled.review(text, mode);
            assert_eq!(prepared.review(text, mode), want, "{mode}: {text}");
            findings += want.len();
        }
    }
    assert!(findings > texts.len(), "the corpus is full of slips");

    // One long text, so the scan's pieces and their overlaps are compared too.
    let long = texts.join(" ");
    let want = compiled.review(&long, Mode::Free);
    assert_eq!(prepared.review(&long, Mode::Free), want);
    assert!(want.len() > texts.len() / 2);
}

#[test]
fn the_prepared_pack_reads_the_curly_and_upper_case_forms_as_before() {
    let coach = Coach::english();
    let plain = coach.review(
        "I'm sorry if you were hurt, but you were never there for me.",
        Mode::Free,
    );
    for variant in [
        "I\u{2019}m sorry if you were hurt, but you were never there for me.",
        "I'M SORRY IF YOU WERE HURT, BUT YOU WERE NEVER THERE FOR ME.",
    ] {
        let got = coach.review(variant, Mode::Free);
        let rules =
            |fs: &[mend_coach::Finding]| fs.iter().map(|f| f.rule.clone()).collect::<Vec<_>>();
        assert_eq!(rules(&got), rules(&plain), "{variant}");
    }
}
