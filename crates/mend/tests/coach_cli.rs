//! `mend coach` run as a real process: outputs, JSON shape and exit statuses.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn mend(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mend"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mend starts");
    if let Some(mut input) = child.stdin.take() {
        // The process may stop reading early (too large input); a broken pipe is expected then.
        let _ = input.write_all(stdin);
    }
    child.wait_with_output().expect("mend finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const MIXED: &str = "I'm sorry if you were hurt, but you were never there for me.\n";

#[test]
fn text_output_shows_each_finding_with_carets_reason_and_suggestion() {
    let o = mend(&["coach"], MIXED.as_bytes());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    for want in ["non_apology", "defensive", "blame_shift", "why:", "try:"] {
        assert!(out.contains(want), "missing {want} in:\n{out}");
    }
    // The caret line for the "but" sits exactly under "but".
    let line = out.lines().next().unwrap_or_default();
    let but_col = line.find("but").expect("the draft is echoed");
    let caret = out
        .lines()
        .find(|l| l.contains("defensive"))
        .and_then(|l| l.find('^'))
        .expect("a caret line for the defensive but");
    assert_eq!(caret, but_col, "\n{out}");
    assert!(out.contains("^^^ defensive"), "{out}");
}

#[test]
fn plain_ownership_has_no_findings_and_exits_zero() {
    let o = mend(&["coach"], b"I have no excuse for what I did.\n");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("No findings"));
}

#[test]
fn json_output_has_the_documented_fields() {
    let o = mend(&["coach", "--format", "json"], MIXED.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    let findings = v["findings"].as_array().expect("a findings array");
    assert_eq!(findings.len(), 3);
    let fields = [
        "category",
        "rule",
        "severity",
        "start",
        "end",
        "char_start",
        "char_end",
        "utf16_start",
        "utf16_end",
        "text",
        "message",
        "suggestion",
    ];
    for f in findings {
        let obj = f.as_object().expect("finding is an object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut want = fields.to_vec();
        want.sort_unstable();
        assert_eq!(keys, want);
        let (s, e) = (
            f["start"].as_u64().unwrap_or(0),
            f["end"].as_u64().unwrap_or(0),
        );
        assert_eq!(
            &MIXED[s as usize..e as usize],
            f["text"].as_str().unwrap_or("")
        );
    }
}

#[test]
fn offsets_differ_for_non_ascii_text() {
    let draft = "Ça m’a pris 😀 du temps. You’re overreacting.";
    let o = mend(&["coach", "--format", "json"], draft.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    let f = &v["findings"][0];
    let start = f["start"].as_u64().unwrap_or(0) as usize;
    let char_start = f["char_start"].as_u64().unwrap_or(0) as usize;
    let utf16_start = f["utf16_start"].as_u64().unwrap_or(0) as usize;
    assert_eq!(draft[..start].chars().count(), char_start);
    assert_eq!(draft[..start].encode_utf16().count(), utf16_start);
    assert!(start > char_start && utf16_start == char_start + 1);
}

#[test]
fn mode_limits_the_categories() {
    let o = mend(&["coach", "--mode", "pledge"], b"You're overreacting.\n");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = mend(
        &["coach", "--mode", "reflection"],
        b"You're overreacting.\n",
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn unknown_mode_is_an_error() {
    let o = mend(&["coach", "--mode", "shouting"], b"hello");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("shouting"), "{}", stderr(&o));
}

#[test]
fn input_over_100_kb_is_an_error() {
    let big = "I lied. ".repeat(13_000);
    let o = mend(&["coach"], big.as_bytes());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("100 KB"), "{}", stderr(&o));
}

#[test]
fn invalid_utf8_is_an_error() {
    let o = mend(&["coach"], b"I lied \xff\xfe about it");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("UTF-8"), "{}", stderr(&o));
}

#[test]
fn jsonl_answers_each_line_in_order_and_exits_zero() {
    let input = concat!(
        "{\"text\": \"You need to get over it.\", \"mode\": \"reassurance\"}\n",
        "{\"text\": \"I have no excuse for what I did.\"}\n",
        "\n",
        "{\"text\": \"I'll try to be honest.\", \"mode\": \"pledge\"}\n",
    );
    let o = mend(&["coach", "--jsonl"], input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["findings"][0]["category"], "urging");
    assert_eq!(lines[1]["findings"].as_array().map(Vec::len), Some(0));
    assert_eq!(lines[2]["findings"][0]["category"], "hedging");
}

#[test]
fn malformed_jsonl_is_an_error_with_its_line() {
    let input = "{\"text\": \"fine\"}\n{\"txt\": \"oops\"}\n";
    let o = mend(&["coach", "--jsonl"], input.as_bytes());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 2"), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1);

    let o = mend(
        &["coach", "--jsonl"],
        b"{\"text\": \"x\", \"mode\": \"loud\"}\n",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown mode"), "{}", stderr(&o));

    let o = mend(&["coach", "--jsonl"], b"{\"text\": \"\xff\"}\n");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn eval_prints_the_table_for_the_embedded_corpus() {
    let o = mend(&["coach", "eval"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for want in [
        "precision",
        "recall",
        "macro-F1",
        "blame_shift",
        "clean with any finding",
        "== corpus: embedded corpus/en.jsonl ==",
        "== development hold-out: embedded corpus/holdout.en.jsonl ==",
    ] {
        assert!(out.contains(want), "missing {want}:\n{out}");
    }
    assert_eq!(out.matches("macro-F1").count(), 2, "{out}");
    let corpus_at = out.find("== corpus").unwrap_or(usize::MAX);
    let holdout_at = out.find("== development hold-out").unwrap_or(0);
    assert!(corpus_at < holdout_at, "the corpus comes first:\n{out}");
}

#[test]
fn eval_reads_a_holdout_file_and_names_the_set_of_a_bad_line() {
    let dir = std::env::temp_dir().join(format!("mend-coach-cli-holdout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good = dir.join("holdout.jsonl");
    std::fs::write(
        &good,
        "{\"text\": \"I lied.\", \"labels\": []}\n{\"text\": \"Calm down.\", \"labels\": [\"invalidating\"]}\n",
    )
    .expect("write hold-out");
    let path = good.to_str().unwrap_or_default();
    let o = mend(&["coach", "eval", "--holdout", path], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let holdout = out
        .split_once(&format!("== development hold-out: {path} =="))
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("no hold-out section for the file:\n{out}"));
    assert!(holdout.contains("sentences: 2; clean: 1"), "{out}");
    assert!(
        out.contains("== corpus: embedded corpus/en.jsonl =="),
        "{out}"
    );

    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, "{\"text\": \"a\", \"labels\": []}\n{\"text\": 3}\n").expect("write");
    let o = mend(
        &[
            "coach",
            "eval",
            "--holdout",
            bad.to_str().unwrap_or_default(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("development hold-out") && err.contains("line 2"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn eval_reads_a_corpus_file_and_reports_bad_ones() {
    let dir = std::env::temp_dir().join(format!("mend-coach-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good = dir.join("good.jsonl");
    std::fs::write(
        &good,
        "{\"text\": \"You're overreacting.\", \"labels\": [\"invalidating\"]}\n",
    )
    .expect("write corpus");
    let o = mend(
        &[
            "coach",
            "eval",
            "--corpus",
            good.to_str().unwrap_or_default(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("sentences: 1"));

    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, "{\"text\": 3}\n").expect("write corpus");
    let o = mend(
        &[
            "coach",
            "eval",
            "--corpus",
            bad.to_str().unwrap_or_default(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 1"), "{}", stderr(&o));

    let o = mend(
        &["coach", "eval", "--corpus", "/nonexistent/corpus.jsonl"],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
