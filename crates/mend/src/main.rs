//! `mend`: the one binary. `serve` runs the web application; the other commands are tools.

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
    /// Apply database migrations, then exit.
    Migrate(serve::StorageArgs),
    /// Tasks for the person who runs this Mend.
    Admin {
        #[command(subcommand)]
        task: serve::AdminTask,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
        match cli.command {
            Command::Serve(args) => serve::serve(args).await,
            Command::Migrate(args) => serve::migrate(args).await,
            Command::Admin { task } => serve::admin(task).await,
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
