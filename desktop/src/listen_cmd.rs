//! `sealscope listen URL`: watch what arrives and inspect each message as it comes.
//!
//! - `stomp://host:port/queue/x`: subscribe with client-individual ACKs; each MESSAGE frame
//!   is saved (with `--save`), inspected, printed, and only then acknowledged.
//! - `http://127.0.0.1:port/path`: serve HTTP on a loopback address; each request is
//!   inspected and answered with its JSON report.
//! - `ams://host/v1/projects/P/subscriptions/S`: pull, inspect each message, acknowledge.
//!
//! SCMP requests seen twice in one session are flagged (`scmp-duplicate-request`). The
//! session ends after `--count` messages or `--idle` seconds without one.

use crate::check_args::{exit_code, CheckArgs, Checker};
use crate::error::CliError;
use crate::send_cmd::ConnArgs;
use crate::transport::http_server::{self, ServeLimits};
use crate::transport::stomp_client::StompClient;
use crate::transport::{http_client, Endpoint, Scheme};
use sealscope_core::profiles::DuplicateTracker;
use sealscope_core::{Report, UnixTime};
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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
    #[command(flatten)]
    conn: ConnArgs,
    #[command(flatten)]
    check: CheckArgs,
}

struct Session {
    checker: Checker,
    duplicates: DuplicateTracker,
    save: Option<PathBuf>,
    seen: usize,
    worst: u8,
}

impl Session {
    fn take(&mut self, bytes: &[u8], ext: &str, name: String) -> Result<Report, CliError> {
        self.seen += 1;
        if let Some(dir) = &self.save {
            std::fs::create_dir_all(dir).map_err(|e| CliError::Read(dir.clone(), e))?;
            let p = dir.join(format!("{:04}.{ext}", self.seen));
            std::fs::write(&p, bytes).map_err(|e| CliError::Read(p.clone(), e))?;
        }
        let mut report = self.checker.inspect(bytes, &name);
        self.duplicates.observe(&mut report);
        self.worst = self.worst.max(exit_code(report.verdict));
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", self.checker.render(&report));
        let _ = out.flush();
        Ok(report)
    }
}

/// Runs `sealscope listen`.
pub fn run(args: ListenArgs, now: UnixTime) -> Result<u8, CliError> {
    let ep = Endpoint::parse(&args.url)?;
    let mut s = Session {
        checker: args.check.checker(now)?,
        duplicates: DuplicateTracker::default(),
        save: args.save.clone(),
        seen: 0,
        worst: 0,
    };
    match ep.scheme {
        Scheme::Stomp => listen_stomp(&args, &ep, &mut s)?,
        Scheme::Http => listen_http(&args, &ep, &mut s)?,
        Scheme::Ams => listen_ams(&args, &ep, &mut s)?,
    }
    eprintln!("sealscope: listen: {} message(s) from {}", s.seen, args.url);
    if let Some(c) = args.count {
        if s.seen < c {
            return Err(CliError::Transport(format!(
                "only {} of {c} message(s) arrived before the idle timeout",
                s.seen
            )));
        }
    }
    Ok(s.worst)
}

fn done(args: &ListenArgs, s: &Session, last: Instant) -> bool {
    args.count.is_some_and(|c| s.seen >= c)
        || args
            .idle
            .is_some_and(|i| last.elapsed() >= Duration::from_secs(i))
}

fn listen_stomp(args: &ListenArgs, ep: &Endpoint, s: &mut Session) -> Result<(), CliError> {
    if ep.path.len() <= 1 {
        return Err(CliError::Usage(
            "no destination: put it in the URL path, e.g. stomp://host:61613/queue/x".into(),
        ));
    }
    let mut client = StompClient::connect(ep, &args.conn.tls()?, args.conn.stomp())?;
    let early = client.subscribe(&ep.path, "sealscope-1")?;
    eprintln!(
        "sealscope: subscribed to {} at {} (STOMP {})",
        ep.path,
        ep.authority(),
        client.version
    );
    let mut pending = early;
    let mut last = Instant::now();
    loop {
        if done(args, s, last) {
            break;
        }
        let f = if !pending.is_empty() {
            pending.remove(0)
        } else {
            let slice = Instant::now() + Duration::from_millis(500);
            match client.read_frame(slice)? {
                Some(f) => f,
                None => continue,
            }
        };
        match f.frame.command.as_str() {
            "MESSAGE" => {
                last = Instant::now();
                let name = format!(
                    "{} message {}",
                    ep.path,
                    f.header("message-id").unwrap_or("?")
                );
                s.take(&f.bytes, "stomp", name)?;
                client.ack(&f)?;
            }
            "ERROR" => {
                return Err(CliError::Transport(format!(
                    "broker ERROR: {}",
                    f.header("message").unwrap_or("(no message header)")
                )))
            }
            _ => {}
        }
    }
    client.disconnect();
    Ok(())
}

fn listen_http(args: &ListenArgs, ep: &Endpoint, s: &mut Session) -> Result<(), CliError> {
    let listener = bind(ep, args.allow_remote, "listening")?;
    let limits = ServeLimits::new(
        args.count,
        args.idle,
        args.conn.timeout(),
        args.conn.max_size,
    );
    let mut failure = None;
    http_server::serve(&listener, &limits, |req| {
        let name = format!("{} from {}", req.message.describe(), req.peer);
        match s.take(&req.bytes, "http", name) {
            Ok(report) => http_server::response(
                200,
                "OK",
                &[("Content-Type".into(), "application/json".into())],
                report.to_json().as_bytes(),
            ),
            Err(e) => {
                let r = http_server::response(
                    500,
                    "Internal Server Error",
                    &[],
                    e.to_string().as_bytes(),
                );
                failure = Some(e);
                r
            }
        }
    })?;
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Binds an HTTP listener on the URL's address (loopback unless allowed otherwise) and says
/// where on stderr, after `what`.
pub fn bind(
    ep: &Endpoint,
    allow_remote: bool,
    what: &str,
) -> Result<std::net::TcpListener, CliError> {
    let addr = format!("{}:{}", ep.host, ep.port);
    let listener = std::net::TcpListener::bind(&addr)
        .map_err(|e| CliError::Transport(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError::Transport(format!("listener address: {e}")))?;
    if !local.ip().is_loopback() && !allow_remote {
        return Err(CliError::Usage(format!(
            "{addr} is not a loopback address; pass --allow-remote to listen on it"
        )));
    }
    eprintln!("sealscope: {what} on http://{local}{}", ep.path);
    Ok(listener)
}

fn listen_ams(args: &ListenArgs, ep: &Endpoint, s: &mut Session) -> Result<(), CliError> {
    let http_ep = Endpoint {
        scheme: Scheme::Http,
        ..ep.clone()
    };
    let tls = args.conn.tls()?;
    let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    if let Some(t) = args.conn.ams_token() {
        headers.push(("x-api-key".into(), t));
    }
    let call = |verb: &str, body: &str| {
        let target = format!("{}:{verb}", ep.path);
        let r = http_client::request(
            &http_ep,
            &tls,
            &http_client::Call {
                method: "POST",
                target: &target,
                headers: &headers,
                body: body.as_bytes(),
            },
            args.conn.timeout(),
            args.conn.max_size,
        )?;
        if r.status() >= 400 {
            return Err(CliError::Transport(format!(
                "AMS {verb} answered HTTP {}: {}",
                r.status(),
                String::from_utf8_lossy(r.body()).trim()
            )));
        }
        Ok(r.body().to_vec())
    };
    let mut last = Instant::now();
    while !done(args, s, last) {
        let body = call("pull", r#"{"maxMessages":"10","returnImmediately":"true"}"#)?;
        let doc: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| CliError::Transport(format!("AMS pull answer is not JSON: {e}")))?;
        let received = doc
            .get("receivedMessages")
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default();
        if received.is_empty() {
            std::thread::sleep(Duration::from_millis(500));
            continue;
        }
        let mut acks = Vec::new();
        for rm in received {
            last = Instant::now();
            let one = serde_json::json!({ "receivedMessages": [rm.clone()] }).to_string();
            let id = rm
                .pointer("/message/messageId")
                .map(|v| v.to_string())
                .unwrap_or_default();
            s.take(one.as_bytes(), "json", format!("{} message {id}", ep.path))?;
            if let Some(a) = rm.get("ackId").and_then(|v| v.as_str()) {
                acks.push(a.to_string());
            }
            if args.count.is_some_and(|c| s.seen >= c) {
                break;
            }
        }
        call(
            "acknowledge",
            &serde_json::json!({ "ackIds": acks }).to_string(),
        )?;
    }
    Ok(())
}
