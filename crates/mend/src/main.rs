//! `mend`: the single binary of the project.

mod coach_cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "mend",
    version,
    about = "Mend: rebuild trust after it was broken"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Review a draft (read from standard input) with the language coach.
    Coach(coach_cli::CoachArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Coach(args) => coach_cli::run(args),
    }
}
