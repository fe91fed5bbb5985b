//! The command line: argument parsing and printing only. Every command is a call into
//! [`crate::actions`] (or the core) with options built from its arguments.

pub mod check;
pub mod compose;
pub mod inspect;
pub mod listen;
pub mod ordered;
pub mod progress;
pub mod render;
pub mod scms_batch;
pub mod secret;
pub mod send;
pub mod serve_ra;
mod serve_scmp;
pub mod tally;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Inspect, verify and debug S/MIME, CMS and IEEE 1609.2 messages.
#[derive(Parser, Debug)]
#[command(
    name = "sealscope",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Files or directories to open in the desktop window (no command: the window opens).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Inspect messages: structure, signers, signature and chain verification, decryption.
    Inspect(inspect::InspectArgs),
    /// Compose signed, encrypted or signed-then-encrypted messages, or a profile's message.
    Compose(compose::ComposeArgs),
    /// Send a message to a STOMP broker, an HTTP(S) server or ARGO AMS; the broker's receipt
    /// or the server's reply is reported (and inspected).
    Send(send::SendArgs),
    /// Subscribe to a STOMP destination, serve HTTP on 127.0.0.1, or pull from ARGO AMS, and
    /// inspect every message that arrives.
    Listen(listen::ListenArgs),
    /// A test SCMP server: verifies requests, detects duplicates, replies signed (errors
    /// signed, never encrypted).
    ServeScmp(serve_scmp::ServeArgs),
    /// A test SCMS RA: serves downloads (authenticated or plain, If-None-Match, Range) and
    /// checks POSTed APDUs in the RA's order, closing the connection on a failure.
    ServeRa(serve_ra::ServeRaArgs),
    /// Check a downloaded batch of implicit (pseudonym, application) certificates against
    /// the end entity's seed or request key: butterfly expansion, then ECQV.
    ScmsBatch(scms_batch::BatchArgs),
}

/// Parses the command line and runs the command (or opens the window).
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let Some(command) = cli.command else {
        return open_window(cli.files);
    };
    let result = match command {
        Command::Inspect(args) => inspect::run(args),
        Command::Compose(args) => compose::run(args, crate::now()),
        Command::Send(args) => send::run(args, crate::now()),
        Command::Listen(args) => listen::run(args, crate::now()),
        Command::ServeScmp(args) => serve_scmp::run(args, crate::now()),
        Command::ScmsBatch(args) => scms_batch::run(args),
        Command::ServeRa(args) => serve_ra::run(args, crate::now()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("sealscope: {e}");
            ExitCode::from(2)
        }
    }
}

/// `sealscope [FILE…]`: the desktop window.
#[cfg(feature = "gui")]
fn open_window(files: Vec<PathBuf>) -> ExitCode {
    match crate::gui::run(files) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("sealscope: {e}");
            ExitCode::from(2)
        }
    }
}

/// Without the `gui` feature there is no window: say how to use the command line.
#[cfg(not(feature = "gui"))]
fn open_window(_files: Vec<PathBuf>) -> ExitCode {
    use clap::CommandFactory;
    let _ = Cli::command().print_help();
    eprintln!("sealscope: this build has no desktop window (feature gui); give a command");
    ExitCode::from(2)
}
