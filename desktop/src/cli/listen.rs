//! `sealscope listen URL`: watch what arrives ([`crate::actions::listen`]) and inspect
//! each message as it comes.
//!
//! - `stomp://host:port/queue/x`: subscribe with client-individual ACKs and a prefetch
//!   limit; each MESSAGE frame is saved (with `--save`), inspected, printed, its report
//!   published (`--reports`), a failed one passed on (`--dead-letter`), and only then
//!   acknowledged. Run several on one queue to share its work.
//! - `http://127.0.0.1:port/path`: serve HTTP on a loopback address; each request is
//!   inspected and answered with its JSON report.
//! - `ams://host/v1/projects/P/subscriptions/S`: pull, inspect each message, acknowledge.
//!
//! SCMP requests seen twice in one session are flagged (`scmp-duplicate-request`). The
//! session ends after `--count` messages or `--idle` seconds without one.

use super::check::{exit_code, CheckArgs, Checker};
use super::send::ConnArgs;
use crate::actions::listen::{listen, Carrier, ListenRequest, Sink};
use crate::error::CliError;
use crate::transport::Endpoint;
use sealscope_core::{Report, UnixTime, Verdict};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

/// Options of `sealscope listen`.
#[derive(clap::Args, Debug)]
pub struct ListenArgs {
    /// stomp://host:61613/queue/x, http://127.0.0.1:8080/, ams://host/v1/projects/P/subscriptions/S.
    #[arg(value_name = "URL")]
    url: String,
    /// Stop after this many messages.
    #[arg(long)]
    count: Option<usize>,
    /// Stop after this many seconds without a message (default: run until --count, or for
    /// ever).
    #[arg(long, value_name = "SECS")]
    idle: Option<u64>,
    /// Save every message as it arrives (NNNN.stomp / NNNN.http / NNNN.json).
    #[arg(long, value_name = "DIR")]
    save: Option<PathBuf>,
    /// Allow an HTTP listener on a non-loopback address.
    #[arg(long)]
    allow_remote: bool,
    /// STOMP: at most N messages delivered to this listener and not yet acknowledged, so
    /// that several listeners on one queue share it (competing consumers).
    #[arg(long, value_name = "N", default_value_t = 10)]
    prefetch: u32,
    /// STOMP: publish each report as JSON to this destination (stomp://host:61613/queue/r,
    /// or /queue/r on the listened broker), with the message's id in `sealscope-message-id`.
    #[arg(long, value_name = "URL")]
    reports: Option<String>,
    /// STOMP: pass a message whose inspection failed to this destination on the listened
    /// broker, with the reason in `sealscope-reason` (as SSM's reject queue).
    #[arg(long, value_name = "DEST")]
    dead_letter: Option<String>,
    /// The verdict from which a message counts as failed for --dead-letter: invalid
    /// (default: a signature, digest or chain fails, or the message is unreadable),
    /// unreadable, or warning (anything not valid).
    #[arg(long, value_name = "VERDICT", value_parser = ["unreadable", "invalid", "warning"])]
    dead_letter_on: Option<String>,
    /// HTTPS (for an https:// URL).
    #[command(flatten)]
    tls: super::serve_ra::ServerTlsArgs,
    #[command(flatten)]
    conn: ConnArgs,
    #[command(flatten)]
    check: CheckArgs,
}

/// The command line's sink: save, inspect in the session, print.
struct Printing {
    checker: Checker,
    save: Option<PathBuf>,
    seen: usize,
    worst: u8,
}

impl Sink for Printing {
    fn notice(&mut self, line: &str) {
        eprintln!("sealscope: {line}");
    }

    fn take(&mut self, bytes: &[u8], carrier: Carrier, name: String) -> Result<Report, CliError> {
        self.seen += 1;
        if let Some(dir) = &self.save {
            std::fs::create_dir_all(dir).map_err(|e| CliError::Read(dir.clone(), e))?;
            let p = dir.join(format!("{:04}.{}", self.seen, carrier.extension()));
            std::fs::write(&p, bytes).map_err(|e| CliError::Write(p.clone(), e))?;
        }
        let (report, text) = self.checker.inspect(bytes, &name);
        self.worst = self.worst.max(exit_code(report.verdict));
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
        Ok(report)
    }
}

/// Runs `sealscope listen`.
pub fn run(args: ListenArgs, now: UnixTime) -> Result<u8, CliError> {
    Endpoint::parse(&args.url)?;
    let req = ListenRequest {
        url: args.url.clone(),
        count: args.count,
        idle: args.idle.map(Duration::from_secs),
        allow_remote: args.allow_remote,
        tls_server: args.tls.tls_cert.clone().zip(args.tls.tls_key.clone()),
        prefetch: match args.prefetch {
            0 => return Err(CliError::Usage("--prefetch must be 1 or more".into())),
            n => Some(n),
        },
        reports: args.reports.clone(),
        dead_letter: args.dead_letter.clone(),
        dead_letter_on: args.dead_letter_on.as_deref().map(|v| match v {
            "warning" => Verdict::Warning,
            "unreadable" => Verdict::Unreadable,
            _ => Verdict::Invalid,
        }),
    };
    let stomp = Endpoint::parse(&args.url)?.scheme == crate::transport::Scheme::Stomp;
    if !stomp && (args.reports.is_some() || args.dead_letter.is_some()) {
        return Err(CliError::Usage(
            "--reports and --dead-letter apply to a stomp:// URL".into(),
        ));
    }
    if args.dead_letter_on.is_some() && args.dead_letter.is_none() {
        return Err(CliError::Usage(
            "--dead-letter-on needs --dead-letter".into(),
        ));
    }
    let conn = args.conn.connection()?;
    let mut sink = Printing {
        checker: args.check.checker(now)?,
        save: args.save.clone(),
        seen: 0,
        worst: 0,
    };
    let seen = listen(&req, &conn, &Arc::new(AtomicBool::new(false)), &mut sink)?;
    eprintln!("sealscope: listen: {seen} message(s) from {}", args.url);
    if let Some(c) = args.count {
        if seen < c {
            return Err(CliError::Transport(format!(
                "only {seen} of {c} message(s) arrived before the idle timeout"
            )));
        }
    }
    Ok(sink.worst)
}
