//! Every rule's own examples, the pack's build, and the two sentences the issue names.

use mend_coach::{Category, Coach, Mode};

#[test]
fn the_english_pack_builds() {
    let coach = Coach::english();
    assert!(coach.rule_count() >= 12);
}

#[test]
fn every_rule_example_behaves() {
    let failures = Coach::english().check_examples();
    let report: Vec<String> = failures
        .iter()
        .map(|f| {
            let want = if f.should_match {
                "should match"
            } else {
                "should stay clean"
            };
            format!("{}: {want}: {:?}", f.rule, f.example)
        })
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn every_category_has_a_rule() {
    for category in Category::ALL {
        let wanted = format!("category = \"{}\"", category.as_str());
        let covered = mend_coach::ENGLISH_PACK.iter().any(|f| f.contains(&wanted));
        assert!(covered, "no rule for {category}");
    }
}

#[test]
fn conditional_apology_with_but_and_blame() {
    let text = "I'm sorry if you were hurt, but you were never there for me.";
    let findings = Coach::english().review(text, Mode::Free);
    let cats: Vec<Category> = findings.iter().map(|f| f.category).collect();
    for want in [
        Category::NonApology,
        Category::Defensive,
        Category::BlameShift,
    ] {
        assert!(cats.contains(&want), "missing {want} in {findings:#?}");
    }
    for f in &findings {
        assert_eq!(&text[f.start..f.end], f.text);
        assert!(!f.suggestion.is_empty());
    }
    let but = findings
        .iter()
        .find(|f| f.category == Category::Defensive)
        .map(|f| f.text.as_str());
    assert_eq!(but, Some("but"));
}

#[test]
fn plain_ownership_is_clean() {
    assert!(Coach::english()
        .review("I have no excuse for what I did.", Mode::Free)
        .is_empty());
}

#[test]
fn every_mode_checks_pressure_and_counter_attack() {
    for mode in Mode::ALL {
        for category in [Category::Urging, Category::Defensive] {
            assert!(
                mode.categories().contains(&category),
                "{mode} does not check {category}"
            );
        }
    }
    let coach = Coach::english();
    for mode in [Mode::Acknowledgement, Mode::Accountability] {
        let cats: Vec<Category> = coach
            .review("I have told you everything. Can we move on now?", mode)
            .iter()
            .map(|f| f.category)
            .collect();
        assert_eq!(cats, [Category::Urging], "{mode}");
    }
}

#[test]
fn pressure_and_counter_attacks_in_their_new_shapes_are_checked_in_every_mode() {
    let coach = Coach::english();
    let cases = [
        ("Why do you always bring this up?", Category::Urging),
        ("Isn't it time you forgave me?", Category::Urging),
        (
            "If you keep punishing me we'll never get past this.",
            Category::Urging,
        ),
        ("Consider this matter closed.", Category::Urging),
        (
            "You read my messages, so you can't talk about trust.",
            Category::Defensive,
        ),
        (
            "I'm so busy at work, how can you expect answers?",
            Category::Defensive,
        ),
        (
            "At some point you have to decide to trust me again.",
            Category::Urging,
        ),
        (
            "When will you be ready to stop punishing me for this?",
            Category::Urging,
        ),
        ("Don't talk to me about honesty.", Category::Defensive),
        ("I cannot accept being called a thief.", Category::Defensive),
    ];
    for mode in Mode::ALL {
        for (text, want) in cases {
            let cats: Vec<Category> = coach
                .review(text, mode)
                .iter()
                .map(|f| f.category)
                .collect();
            assert!(cats.contains(&want), "{mode}: {text:?} gave {cats:?}");
        }
    }
}

/// A rule's `modes` could narrow a category that every mode checks; no urging or defensive rule
/// may do so, so each one's own match examples must be found in every mode.
#[test]
fn every_urging_and_defensive_rule_is_heard_in_every_mode() {
    let coach = Coach::english();
    let mut checked = 0;
    for file in mend_coach::ENGLISH_PACK {
        let pack: toml::Table = file.parse().expect("a pack file is TOML");
        let Some(rules) = pack.get("rule").and_then(|r| r.as_array()) else {
            continue;
        };
        for rule in rules {
            let category = match rule.get("category").and_then(|c| c.as_str()) {
                Some("urging") => Category::Urging,
                Some("defensive") => Category::Defensive,
                _ => continue,
            };
            let id = rule.get("id").and_then(|i| i.as_str()).unwrap_or_default();
            let examples = rule
                .get("examples")
                .and_then(|e| e.get("match"))
                .and_then(|m| m.as_array())
                .expect("every rule has match examples");
            for text in examples.iter().filter_map(|e| e.as_str()) {
                for mode in Mode::ALL {
                    let heard = coach
                        .review(text, mode)
                        .iter()
                        .any(|f| f.category == category);
                    assert!(heard, "{id}: {text:?} is not heard in {mode}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} examples checked");
}
