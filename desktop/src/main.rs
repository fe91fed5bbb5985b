//! `sealscope`: inspect, verify and debug signed and encrypted messages.
//!
//! The command line of DESIGN.md, and the desktop window: `sealscope` alone, or
//! `sealscope FILE…`, opens the window (feature `gui`). Exit status of the commands: 0 when
//! every report is `valid` or `warning`, 1 when any is `invalid`, 2 when any is
//! `unreadable` or the command line is wrong; errors go to stderr in one line naming the file.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod check_args;
mod compose_cmd;
mod error;
#[cfg(feature = "gui")]
mod gui;
mod hashed_read;
mod inputs;
mod keyring_files;
mod listen_cmd;
mod ordered;
mod render;
mod send_cmd;
mod serve_scmp;
mod transport;

use clap::{Parser, Subcommand};
use error::CliError;
use sealscope_core::profiles::DuplicateTracker;
use sealscope_core::{Report, UnixTime, Verdict};
use std::io::Write;
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
    Inspect(InspectArgs),
    /// Compose signed, encrypted or signed-then-encrypted messages, or a profile's message.
    Compose(compose_cmd::ComposeArgs),
    /// Send a message to a STOMP broker, an HTTP(S) server or ARGO AMS; the broker's receipt
    /// or the server's reply is reported (and inspected).
    Send(send_cmd::SendArgs),
    /// Subscribe to a STOMP destination, serve HTTP on 127.0.0.1, or pull from ARGO AMS, and
    /// inspect every message that arrives.
    Listen(listen_cmd::ListenArgs),
    /// A test SCMP server: verifies requests, detects duplicates, replies signed (errors
    /// signed, never encrypted).
    ServeScmp(serve_scmp::ServeArgs),
}

#[derive(clap::Args, Debug)]
struct InspectArgs {
    #[command(flatten)]
    check: check_args::CheckArgs,
    /// The content of a detached signature (.p7s) given on its own.
    #[arg(long, value_name = "PATH")]
    content: Option<PathBuf>,
    /// Messages to inspect: files, directories (every file inside; SSM dirq queues are
    /// recognised), or - for stdin. SCMP requests repeated across them are flagged.
    #[arg(value_name = "FILE|DIR|-", required = true)]
    inputs: Vec<PathBuf>,
    /// Inspect this many messages at once (default: one per CPU core). Reports are printed in
    /// input order whatever the number.
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
}

fn main() -> ExitCode {
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
        Command::Inspect(args) => run_inspect(args),
        Command::Compose(args) => compose_cmd::run(args, now()),
        Command::Send(args) => send_cmd::run(args, now()),
        Command::Listen(args) => listen_cmd::run(args, now()),
        Command::ServeScmp(args) => serve_scmp::run(args, now()),
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
    match gui::run(files) {
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

/// The current time.
pub fn now() -> UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    UnixTime(i64::try_from(secs).unwrap_or(i64::MAX))
}

fn run_inspect(args: InspectArgs) -> Result<u8, CliError> {
    let checker = args.check.checker(now())?;
    let detached = match &args.content {
        Some(p) => Some(std::fs::read(p).map_err(|e| CliError::Read(p.clone(), e))?),
        None => None,
    };
    let files = inputs::expand(&args.inputs)?;
    let jobs = match args.jobs {
        Some(0) => return Err(CliError::Usage("--jobs must be 1 or more".into())),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut worst: u8 = 0;
    let mut duplicates = DuplicateTracker::default();
    // Reading, inspecting and rendering happen on the workers; this thread prints in input
    // order, tracking duplicates in order, and renders again only a report that the
    // duplicate tracker changes.
    let inspect_one = |input: &inputs::Input| -> (String, Result<(Report, String), CliError>) {
        let run = || {
            let loaded = input.read(checker.base.max_input)?;
            let mut opts = checker.options(&input.name());
            opts.detached_content = detached.clone();
            opts.ssm_stored = input.stored.clone();
            let report = loaded.inspect(&checker.keyring, &opts);
            let text = checker.render(&report);
            Ok((report, text))
        };
        (input.name(), run())
    };
    ordered::for_each(&files, jobs, inspect_one, |(name, result)| {
        let (mut report, mut text) = match result {
            Ok(r) => r,
            Err(e) => {
                eprintln!("sealscope: {e}");
                worst = 2;
                return true;
            }
        };
        if duplicates.observe(&mut report).is_some() {
            text = checker.render(&report);
        }
        worst = worst.max(check_args::exit_code(report.verdict));
        if writeln!(out, "{text}").is_err() {
            // stdout closed (e.g. piped into head): stop quietly.
            return false;
        }
        if report.verdict == Verdict::Unreadable && !checker.json {
            if let Some(e) = &report.error {
                eprintln!("sealscope: {name}: unreadable: {e}");
            }
        }
        true
    });
    Ok(worst)
}
