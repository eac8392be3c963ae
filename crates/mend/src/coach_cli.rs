//! `mend coach`: the language coach on the command line.
//!
//! Exit status: 0 no findings, 1 findings, 2 error (input too large, not UTF-8, malformed JSON
//! Lines, unknown mode). With `--jsonl` the status is 0 unless the input is malformed.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, BufRead, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use mend_coach::{eval, Coach, Finding, Mode};
use serde::{Deserialize, Serialize};

/// The largest draft the coach reads, in bytes: far above any message, small enough to stay fast.
pub const MAX_INPUT: usize = 100 * 1024;

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CoachArgs {
    #[command(subcommand)]
    command: Option<CoachCommand>,

    /// The form the draft is written for; it chooses which kinds of finding apply.
    #[arg(long, default_value_t = Mode::Free)]
    mode: Mode,

    /// Output for people (text) or programs (json).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Read JSON Lines ({"text": ..., "mode": ...}) and write one result object per line.
    #[arg(long, conflicts_with = "format")]
    jsonl: bool,
}

#[derive(clap::Subcommand, Debug)]
enum CoachCommand {
    /// Measure the coach on a labelled corpus and, separately, on the development hold-out
    /// (JSON Lines of {"text", "labels"}).
    Eval {
        /// The corpus file; the embedded English corpus when left out.
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// The hold-out file; the embedded English development hold-out when left out.
        #[arg(long)]
        holdout: Option<PathBuf>,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(Debug)]
enum Outcome {
    Clean,
    Findings,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("the input is larger than {MAX_INPUT} bytes (100 KB); send a shorter draft")]
    TooLarge,
    #[error("the input is not valid UTF-8 text")]
    NotUtf8,
    #[error("line {line}: {reason}")]
    Malformed { line: usize, reason: String },
    #[error("could not read {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    #[error("{set}: {source}")]
    Eval {
        set: String,
        #[source]
        source: eval::EvalError,
    },
}

#[derive(Serialize)]
struct Report<'a> {
    findings: &'a [Finding],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonlRequest {
    text: String,
    mode: Option<String>,
}

/// Runs `mend coach` and turns the outcome into the process exit status.
pub fn run(args: CoachArgs) -> ExitCode {
    let result = match args.command {
        Some(CoachCommand::Eval { corpus, holdout }) => run_eval(corpus, holdout),
        None if args.jsonl => run_jsonl(io::stdin().lock(), &mut io::stdout().lock()),
        None => run_draft(args.mode, args.format),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(e) => {
            // Writing to a closed pipe (`mend coach | head`) is not worth a message.
            if !matches!(&e, CliError::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
            {
                eprintln!("mend coach: {e}");
            }
            ExitCode::from(2)
        }
    }
}

fn stdout_err(source: io::Error) -> CliError {
    CliError::Io {
        what: "standard output".into(),
        source,
    }
}

fn run_draft(mode: Mode, format: Format) -> Result<Outcome, CliError> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(MAX_INPUT as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| CliError::Io {
            what: "standard input".into(),
            source,
        })?;
    if bytes.len() > MAX_INPUT {
        return Err(CliError::TooLarge);
    }
    let text = String::from_utf8(bytes).map_err(|_| CliError::NotUtf8)?;
    let findings = Coach::english().review(&text, mode);
    let out = match format {
        Format::Json => {
            let mut s = serde_json::to_string(&Report {
                findings: &findings,
            })
            .map_err(|e| stdout_err(io::Error::other(e)))?;
            s.push('\n');
            s
        }
        Format::Text => render_text(&text, &findings),
    };
    io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .map_err(stdout_err)?;
    Ok(if findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// Each finding under its line, with carets under the matched characters.
fn render_text(text: &str, findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "No findings.\n".to_owned();
    }
    let mut out = String::new();
    let mut line_start = 0;
    let mut next = findings.iter().peekable();
    for (number, line) in text.split('\n').enumerate() {
        let line_end = line_start + line.len();
        let shown = line.strip_suffix('\r').unwrap_or(line);
        let mut header = false;
        while let Some(f) = next.next_if(|f| f.start <= line_end) {
            if !header {
                let _ = writeln!(out, "{:>4} | {shown}", number + 1);
                header = true;
            }
            let from = f.start.saturating_sub(line_start).min(shown.len());
            let to = f.end.saturating_sub(line_start).clamp(from, shown.len());
            // Keep tabs so the carets line up under tabbed text.
            let pad: String = shown
                .get(..from)
                .unwrap_or_default()
                .chars()
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let width = shown.get(from..to).map_or(1, |s| s.chars().count()).max(1);
            let _ = writeln!(
                out,
                "     | {pad}{} {} ({}) [{}]",
                "^".repeat(width),
                f.category,
                f.severity,
                f.rule
            );
            let _ = writeln!(out, "     |   why: {}", f.message);
            let _ = writeln!(out, "     |   try: {}", f.suggestion);
        }
        line_start = line_end + 1;
    }
    let _ = writeln!(
        out,
        "{} finding{}.",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" }
    );
    out
}

fn run_jsonl(mut input: impl BufRead, output: &mut impl Write) -> Result<Outcome, CliError> {
    let coach = Coach::english();
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        buf.clear();
        line += 1;
        // Read at most a little more than the text limit, so one huge line cannot exhaust memory.
        let read = (&mut input)
            .take(MAX_INPUT as u64 * 2)
            .read_until(b'\n', &mut buf)
            .map_err(|source| CliError::Io {
                what: "standard input".into(),
                source,
            })?;
        if read == 0 {
            return Ok(Outcome::Clean);
        }
        if !buf.ends_with(b"\n") && read as u64 == MAX_INPUT as u64 * 2 {
            return Err(CliError::Malformed {
                line,
                reason: format!("the line is longer than {} bytes", MAX_INPUT * 2),
            });
        }
        let raw = std::str::from_utf8(&buf).map_err(|_| CliError::Malformed {
            line,
            reason: "not valid UTF-8".into(),
        })?;
        if raw.trim().is_empty() {
            continue;
        }
        let request: JsonlRequest = serde_json::from_str(raw).map_err(|e| CliError::Malformed {
            line,
            reason: format!("expected {{\"text\": ..., \"mode\": ...}}: {e}"),
        })?;
        if request.text.len() > MAX_INPUT {
            return Err(CliError::Malformed {
                line,
                reason: format!("the text is larger than {MAX_INPUT} bytes (100 KB)"),
            });
        }
        let mode = match request.mode.as_deref() {
            None => Mode::Free,
            Some(m) => m
                .parse()
                .map_err(|e: mend_coach::UnknownMode| CliError::Malformed {
                    line,
                    reason: e.to_string(),
                })?,
        };
        let findings = coach.review(&request.text, mode);
        let mut s = serde_json::to_string(&Report {
            findings: &findings,
        })
        .map_err(|e| stdout_err(io::Error::other(e)))?;
        s.push('\n');
        output.write_all(s.as_bytes()).map_err(stdout_err)?;
    }
}

/// The corpus and the hold-out are scored apart: the corpus is what the rules were tuned on, the
/// hold-out is not, so only the second says how the coach does on wording it has never seen.
fn run_eval(corpus: Option<PathBuf>, holdout: Option<PathBuf>) -> Result<Outcome, CliError> {
    let sets = [
        (
            "corpus",
            "corpus/en.jsonl",
            mend_coach::ENGLISH_CORPUS,
            corpus,
        ),
        (
            "development hold-out",
            "corpus/holdout.en.jsonl",
            mend_coach::ENGLISH_HOLDOUT,
            holdout,
        ),
    ];
    let mut out = String::new();
    for (set, embedded_name, embedded, path) in sets {
        let (origin, text) = match path {
            None => (format!("embedded {embedded_name}"), Cow::Borrowed(embedded)),
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|source| CliError::Io {
                    what: path.display().to_string(),
                    source,
                })?;
                (path.display().to_string(), Cow::Owned(text))
            }
        };
        let report = eval::evaluate(Coach::english(), &text).map_err(|source| CliError::Eval {
            set: format!("{set} {origin}"),
            source,
        })?;
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "== {set}: {origin} ==\n{report}");
    }
    io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .map_err(stdout_err)?;
    Ok(Outcome::Clean)
}
