//! `sealscope`: inspect, verify and debug signed and encrypted messages.
//!
//! The command line of DESIGN.md. Exit status: 0 when every report is `valid` or
//! `warning`, 1 when any is `invalid`, 2 when any is `unreadable` or the command line is
//! wrong; errors go to stderr in one line naming the file.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod inputs;
mod keyring_files;
mod render;

use clap::{Parser, Subcommand};
use error::CliError;
use sealscope_core::{Keyring, Options, UnixTime, Verdict};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Inspect, verify and debug S/MIME, CMS and IEEE 1609.2 messages.
#[derive(Parser, Debug)]
#[command(name = "sealscope", version, about, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Inspect messages: structure, signers, signature and chain verification.
    Inspect(InspectArgs),
}

#[derive(clap::Args, Debug)]
struct InspectArgs {
    /// Print one JSON report per input (JSON Lines when there are several).
    #[arg(long)]
    json: bool,
    /// Trust anchors: a PEM/DER file, a PEM bundle or an OpenSSL hashed directory.
    #[arg(long, value_name = "PATH")]
    trust: Vec<PathBuf>,
    /// Extra certificates (intermediates, signers a message leaves out).
    #[arg(long, value_name = "PATH")]
    cert: Vec<PathBuf>,
    /// CRLs: a PEM/DER file or a directory of them.
    #[arg(long, value_name = "PATH")]
    crl: Vec<PathBuf>,
    /// The content of a detached signature (.p7s) given on its own.
    #[arg(long, value_name = "PATH")]
    content: Option<PathBuf>,
    /// Verification time (RFC 3339, e.g. 2027-01-01T00:00:00Z); default now.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Messages to inspect: files, directories (every file inside), or - for stdin.
    #[arg(value_name = "FILE|DIR|-", required = true)]
    inputs: Vec<PathBuf>,
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
    match cli.command {
        Command::Inspect(args) => match run_inspect(args) {
            Ok(code) => ExitCode::from(code),
            Err(e) => {
                eprintln!("sealscope: {e}");
                ExitCode::from(2)
            }
        },
    }
}

fn now() -> UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    UnixTime(i64::try_from(secs).unwrap_or(i64::MAX))
}

fn run_inspect(args: InspectArgs) -> Result<u8, CliError> {
    let at = match &args.at {
        Some(t) => UnixTime::parse(t).map_err(|e| CliError::Usage(format!("--at: {e}")))?,
        None => now(),
    };
    let mut keyring = Keyring::new();
    for p in &args.trust {
        keyring_files::add_trust(&mut keyring, p)?;
    }
    for p in &args.cert {
        keyring_files::add_certs(&mut keyring, p)?;
    }
    for p in &args.crl {
        keyring_files::add_crls(&mut keyring, p)?;
    }
    let detached = match &args.content {
        Some(p) => Some(std::fs::read(p).map_err(|e| CliError::Read(p.clone(), e))?),
        None => None,
    };
    let files = inputs::expand(&args.inputs)?;
    let colour = render::use_colour();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut worst: u8 = 0;
    for input in files {
        let bytes = match input.read() {
            Ok(b) => b,
            Err(e) => {
                eprintln!("sealscope: {e}");
                worst = 2;
                continue;
            }
        };
        let mut opts = Options::new(input.name(), at);
        opts.detached_content = detached.clone();
        let report = sealscope_core::inspect(&bytes, &keyring, &opts);
        let code = match report.verdict {
            Verdict::Valid | Verdict::Warning => 0,
            Verdict::Invalid => 1,
            Verdict::Unreadable => 2,
        };
        worst = worst.max(code);
        let text = if args.json {
            report.to_json()
        } else {
            render::text(&report, at, colour)
        };
        if writeln!(out, "{text}").is_err() {
            // stdout closed (e.g. piped into head): stop quietly.
            return Ok(worst);
        }
        if report.verdict == Verdict::Unreadable && !args.json {
            if let Some(e) = &report.error {
                eprintln!("sealscope: {}: unreadable: {e}", input.name());
            }
        }
    }
    Ok(worst)
}
