//! `mend`: the one binary. `serve` runs the web application; the other commands are tools.

mod backup;
mod coach_cli;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "mend",
    version,
    about = "A private place for two partners to rebuild trust"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web application.
    Serve(serve::ServeArgs),
    /// Review a draft (read from standard input) with the language coach.
    Coach(coach_cli::CoachArgs),
    /// Apply database migrations, then exit.
    Migrate(serve::StorageArgs),
    /// Copy the whole database to one file (while Mend runs, if it does). The server key is
    /// not in it: back up the key file separately.
    Backup(backup::BackupArgs),
    /// Restore a backup into a new, empty database.
    Restore(backup::RestoreArgs),
    /// Tasks for the person who runs this Mend.
    Admin {
        #[command(subcommand)]
        task: serve::AdminTask,
    },
}

fn main() -> ExitCode {
    let command = Cli::parse().command;
    // The coach needs no runtime, database or key: it reads standard input and answers.
    if let Command::Coach(args) = command {
        return coach_cli::run(args);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("mend: could not start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async {
        match command {
            Command::Serve(args) => serve::serve(args).await,
            Command::Migrate(args) => serve::migrate(args).await,
            Command::Admin { task } => serve::admin(task).await,
            Command::Backup(args) => backup::backup(args).await,
            Command::Restore(args) => backup::restore(args).await,
            // Answered above, without a runtime.
            Command::Coach(_) => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mend: {e:#}");
            ExitCode::FAILURE
        }
    }
}
