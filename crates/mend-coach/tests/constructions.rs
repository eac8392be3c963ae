//! The engine's constructions, on a small pack of their own: word classes from a lexicon,
//! gaps with their own width, rhetorical questions, phrases required after a match, and
//! regret without the writer as agent.

use mend_coach::{Coach, Mode};

const PACK: &str = r#"
[lexicon]
minimiser = ["{only|just} {a|a few|a couple of}", "nothing more than"]
act = ["text", "texts", "lunch", "~flirt"]

[[rule]]
id = "minimizing.small_act"
category = "minimizing"
severity = "warning"
patterns = ["<minimiser> ..2.. <act>"]
message = "m"
suggestion = "s"
[rule.examples]
match = ["It was only a few silly texts.", "Nothing more than lunch."]
clean = ["It was only a few of us at the big lunch."]

[[rule]]
id = "urging.why_bring_up"
category = "urging"
severity = "serious"
question = true
patterns = ["why do you ..1.. {bring|raise}"]
message = "m"
suggestion = "s"
[rule.examples]
match = ["Why do you always bring this up?"]
clean = ["I know why you bring this up."]

[[rule]]
id = "justification.counterfactual"
category = "justification"
severity = "warning"
patterns = ["if you"]
requires_after = ["i {would|'d|wouldn't} {never|} have"]
message = "m"
suggestion = "s"
[rule.examples]
match = ["If you had listened, I would never have looked elsewhere."]
clean = ["If you want, I would like to have that talk now."]

[[rule]]
id = "non_apology.regret"
category = "non_apology"
severity = "serious"
agentless = true
patterns = ["i regret that", "i wish"]
message = "m"
suggestion = "s"
[rule.examples]
match = ["I regret that you were upset.", "I wish none of this had happened."]
clean = ["I regret that I lied to you.", "I wish I had told you myself."]
"#;

fn rules(coach: &Coach, text: &str) -> Vec<String> {
    coach
        .review(text, Mode::Free)
        .iter()
        .map(|f| f.rule.to_string())
        .collect()
}

#[test]
fn the_constructions_pack_keeps_its_own_examples() {
    let coach = Coach::from_toml(&[PACK]).expect("the pack builds");
    assert_eq!(coach.check_examples(), []);
}

#[test]
fn a_word_class_joined_by_a_gap_adds_its_lists_instead_of_multiplying_them() {
    let coach = Coach::from_toml(&[PACK]).expect("the pack builds");
    // The single pass looks only for first segments (7 minimiser phrases here, plus the other
    // rules' few); the act words after the gap are searched only in the words after a head.
    let phrases: Vec<&str> = coach.trigger_phrases().collect();
    assert!(phrases.contains(&"only a few"), "{phrases:?}");
    assert!(!phrases.contains(&"flirting"), "{phrases:?}");
    assert!(phrases.len() < 20, "{} phrases", phrases.len());
    assert_eq!(
        rules(&coach, "It was just a bit of flirting."),
        ["minimizing.small_act"]
    );
    // Three words between the segments is one more than the gap allows.
    assert!(rules(&coach, "It was only a few very long and silly texts.").is_empty());
}

#[test]
fn a_question_flag_needs_the_sentence_to_end_in_a_question_mark() {
    let coach = Coach::from_toml(&[PACK]).expect("the pack builds");
    assert_eq!(
        rules(
            &coach,
            "Honestly. Why do you keep bringing it up, again and again?"
        ),
        [] as [&str; 0],
        "\"keep bringing\" is not \"bring\""
    );
    assert_eq!(
        rules(&coach, "Why do you always raise it? I answered."),
        ["urging.why_bring_up"]
    );
    assert!(rules(&coach, "Why do you always raise it. I see now.").is_empty());
}

#[test]
fn requires_after_looks_only_past_the_match_in_its_sentence() {
    let coach = Coach::from_toml(&[PACK]).expect("the pack builds");
    assert!(rules(&coach, "I would never have known. If you ask, I'll say.").is_empty());
    assert_eq!(
        rules(&coach, "if you hadn't gone cold i'd never have texted her"),
        ["justification.counterfactual"]
    );
}

#[test]
fn agentless_regret_is_cancelled_by_the_writer_in_the_same_clause_only() {
    let coach = Coach::from_toml(&[PACK]).expect("the pack builds");
    assert_eq!(
        rules(
            &coach,
            "I wish it had gone differently, but I know I chose it."
        ),
        ["non_apology.regret"]
    );
    assert!(rules(&coach, "I wish I\u{2019}d been honest from the start.").is_empty());
}

#[test]
fn unknown_word_classes_and_malformed_gaps_are_errors() {
    let broken = PACK.replace("<act>", "<acts>");
    assert!(Coach::from_toml(&[&broken]).is_err());
    let broken = PACK.replace("..2..", "..two..");
    assert!(Coach::from_toml(&[&broken]).is_err());
}
