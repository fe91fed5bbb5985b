//! `sealscope`: inspect, verify and debug signed and encrypted messages.
//!
//! The command line of DESIGN.md. Exit status: 0 when every report is `valid` or
//! `warning`, 1 when any is `invalid`, 2 when any is `unreadable` or the command line is
//! wrong; errors go to stderr in one line naming the file.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod compose_cmd;
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
    /// Inspect messages: structure, signers, signature and chain verification, decryption.
    Inspect(InspectArgs),
    /// Compose signed, encrypted or signed-then-encrypted messages.
    Compose(compose_cmd::ComposeArgs),
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
    /// Private keys for decryption: PEM/DER PKCS#8 (plain or encrypted), PKCS#1 or SEC1.
    #[arg(long, value_name = "PATH")]
    key: Vec<PathBuf>,
    /// Password of encrypted keys (or set SEALSCOPE_KEY_PASS; never echoed).
    #[arg(long, value_name = "PASS")]
    key_pass: Option<String>,
    /// A pre-shared key-encryption key for KEK recipients, as hex KEKID:KEY.
    #[arg(long, value_name = "ID:KEY")]
    kek: Vec<String>,
    /// A password for password (PWRI) recipients.
    #[arg(long, value_name = "PASSWORD")]
    password: Vec<String>,
    /// The content of a detached signature (.p7s) given on its own.
    #[arg(long, value_name = "PATH")]
    content: Option<PathBuf>,
    /// Verification time (RFC 3339, e.g. 2027-01-01T00:00:00Z); default now.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Apply a protocol profile whatever the input looks like: emi.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
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
    let result = match cli.command {
        Command::Inspect(args) => run_inspect(args),
        Command::Compose(args) => compose_cmd::run(args, now()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("sealscope: {e}");
            ExitCode::from(2)
        }
    }
}

fn now() -> UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    UnixTime(i64::try_from(secs).unwrap_or(i64::MAX))
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) || s.is_empty() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn run_inspect(args: InspectArgs) -> Result<u8, CliError> {
    let at = match &args.at {
        Some(t) => UnixTime::parse(t).map_err(|e| CliError::Usage(format!("--at: {e}")))?,
        None => now(),
    };
    let profile = match &args.profile {
        Some(name) => Some(
            sealscope_core::profiles::Profile::from_name(name).ok_or_else(|| {
                CliError::Usage(format!("--profile {name}: unknown profile (known: emi)"))
            })?,
        ),
        None => None,
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
    let key_pass = args
        .key_pass
        .clone()
        .or_else(|| std::env::var("SEALSCOPE_KEY_PASS").ok());
    for p in &args.key {
        keyring_files::add_keys(&mut keyring, p, key_pass.as_deref())?;
    }
    for k in &args.kek {
        let (id, key) = k
            .split_once(':')
            .and_then(|(i, k)| Some((decode_hex(i)?, decode_hex(k)?)))
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "--kek {k:?}: expected hex KEKID:KEY, e.g. 0a0b:00112233…"
                ))
            })?;
        if ![16, 24, 32].contains(&key.len()) {
            return Err(CliError::Usage(format!(
                "--kek: the key is {} bytes; an AES key-encryption key is 16, 24 or 32",
                key.len()
            )));
        }
        keyring.add_kek(&id, &key);
    }
    for pw in &args.password {
        keyring.add_password(pw);
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
        opts.profile = profile;
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
