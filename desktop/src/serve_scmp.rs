//! `sealscope serve-scmp`: a test SCMP server for integrators (seed 003). Each POSTed
//! request is inspected with the SCMP profile; the server answers with a signed reply that
//! echoes the request id, or with a signed, never encrypted, `SCMP <number> <text>` error.
//!
//! Error numbers (the draft leaves them to the implementation):
//! 100 unreadable message, 101 signature invalid, 102 sender not trusted, 103 protocol
//! version missing or unsupported, 104 SCMP header missing or malformed, 105 duplicate
//! request id, 106 not signed, 107 could not decrypt, 108 outside the replay window.

use crate::check_args::CheckArgs;
use crate::compose_cmd::SignerArgs;
use crate::error::CliError;
use crate::listen_cmd::bind;
use crate::send_cmd::ConnArgs;
use crate::transport::http_server::{self, ServeLimits};
use crate::transport::{Endpoint, Scheme};
use sealscope_core::algorithms::Digest;
use sealscope_core::compose::{ComposeOptions, Output, SignForm};
use sealscope_core::profiles::scmp::codes;
use sealscope_core::profiles::DuplicateTracker;
use sealscope_core::report::{ChainStatus, SignatureStatus};
use sealscope_core::{templates, Report, UnixTime, Verdict};
use std::io::Write;

/// Options of `sealscope serve-scmp`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Where to listen, e.g. http://127.0.0.1:8080/scmp (loopback unless --allow-remote).
    #[arg(value_name = "URL")]
    url: String,
    /// The server's signer.
    #[command(flatten)]
    signer: SignerArgs,
    /// Protocol versions accepted.
    #[arg(long, default_value = "2.0")]
    accept_version: Vec<String>,
    /// Stop after this many requests.
    #[arg(long)]
    count: Option<usize>,
    /// Stop after this many seconds without a request.
    #[arg(long, value_name = "SECS")]
    idle: Option<u64>,
    /// Allow a non-loopback address.
    #[arg(long)]
    allow_remote: bool,
    #[command(flatten)]
    conn: ConnArgs,
    #[command(flatten)]
    check: CheckArgs,
}

/// The decision for one request: `Ok(())` to reply, `Err((number, text))` for an error.
fn decide(r: &Report, accept: &[String]) -> Result<(), (u32, String)> {
    if r.verdict == Verdict::Unreadable {
        return Err((
            100,
            format!(
                "unreadable message: {}",
                r.error.as_deref().unwrap_or("not an SCMP message")
            ),
        ));
    }
    let p = r.profiles.iter().find(|p| p.name == "scmp");
    let has = |code: &str| p.is_some_and(|p| p.findings.iter().any(|f| f.code == code));
    if has(codes::DUPLICATE_REQUEST) {
        return Err((105, "duplicate scmp-request-id".into()));
    }
    if r.encryption.iter().any(|e| !e.decrypted) {
        return Err((
            107,
            "the request could not be decrypted with the server's key".into(),
        ));
    }
    if r.signatures.is_empty() || has(codes::NOT_SIGNED) {
        return Err((106, "the request is not signed".into()));
    }
    if let Some(s) = r
        .signatures
        .iter()
        .find(|s| s.status != SignatureStatus::Valid)
    {
        return Err((101, format!("signature not valid: {}", s.reason)));
    }
    if let Some(s) = r
        .signatures
        .iter()
        .find(|s| s.chain.status != ChainStatus::Trusted)
    {
        return Err((102, format!("sender not trusted: {}", s.chain.reason)));
    }
    if has(codes::PROTOCOL_VERSION_MISSING) || has(codes::PROTOCOL_VERSION_FORMAT) {
        return Err((103, "SCMP-protocol-version missing or malformed".into()));
    }
    if let Some(v) = p.and_then(|p| p.detail("protocol_version")) {
        if !accept.iter().any(|a| a == v) {
            return Err((103, format!("SCMP-protocol-version {v} not supported")));
        }
    }
    if let Some(f) = p.and_then(|p| {
        p.findings
            .iter()
            .find(|f| f.severity == sealscope_core::report::Severity::Error)
    }) {
        return Err((104, format!("{}: {}", f.code, f.message)));
    }
    if has(codes::OUTSIDE_REPLAY_WINDOW) {
        return Err((108, "the message time is outside the replay window".into()));
    }
    Ok(())
}

/// Runs the server.
pub fn run(args: ServeArgs, now: UnixTime) -> Result<u8, CliError> {
    let ep = Endpoint::parse(&args.url)?;
    if ep.scheme != Scheme::Http || ep.tls {
        return Err(CliError::Usage(
            "serve-scmp listens on http://127.0.0.1:PORT/PATH".into(),
        ));
    }
    let sign = args
        .signer
        .sign_options(Digest::Sha256, SignForm::Detached)?
        .ok_or_else(|| {
            CliError::Usage("serve-scmp signs every reply: give --signer and --signer-key".into())
        })?;
    let checker = args.check.checker(now)?;
    let listener = bind(&ep, args.allow_remote, "SCMP server")?;
    let limits = ServeLimits::new(
        args.count,
        args.idle,
        args.conn.timeout(),
        args.conn.max_size,
    );
    let mut duplicates = DuplicateTracker::default();
    let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    let mut n = 0usize;
    http_server::serve(&listener, &limits, |req| {
        n += 1;
        let at = if args.check.at.is_some() {
            checker.base.at
        } else {
            crate::now()
        };
        let mut opts = checker.options(&format!("request {n} from {}", req.peer));
        opts.at = at;
        opts.profile = Some(sealscope_core::profiles::Profile::Scmp);
        let mut report = sealscope_core::inspect(&req.bytes, &checker.keyring, &opts);
        duplicates.observe(&mut report);
        let _ = writeln!(std::io::stdout().lock(), "{}", checker.render(&report));
        let p = report.profiles.iter().find(|p| p.name == "scmp");
        let detail = |k: &str| p.and_then(|p| p.detail(k)).map(str::to_string);
        let request_id = detail("request_id")
            .filter(|id| sealscope_core::profiles::scmp::valid_request_id(id))
            .unwrap_or_else(|| "0".repeat(22));
        let message_type = detail("message_type")
            .filter(|t| {
                sealscope_core::profiles::scmp::message_type_form(t)
                    == sealscope_core::profiles::scmp::MessageTypeForm::Valid
            })
            .unwrap_or_else(|| "SCMP/1.0".into());
        let h = templates::ScmpHeaders {
            protocol_version: args
                .accept_version
                .first()
                .cloned()
                .unwrap_or_else(|| "2.0".into()),
            ttl: detail("ttl").and_then(|t| t.parse().ok()).unwrap_or(90),
            message_type,
            request_id: request_id.clone(),
        };
        let opts = ComposeOptions {
            sign: Some(sign.clone()),
            encrypt: None,
            output: Output::Mime,
            at,
            headers: Vec::new(),
        };
        let (payload, is_error) = match decide(&report, &args.accept_version) {
            Ok(()) => {
                let sha = report
                    .content
                    .as_ref()
                    .map(|c| c.sha256.clone())
                    .unwrap_or_default();
                (
                    format!(
                        "Content-Type: text/xml; charset=utf-8\r\n\r\n<reply request-id=\"{request_id}\" status=\"accepted\"><payload-sha256>{sha}</payload-sha256></reply>\r\n"
                    )
                    .into_bytes(),
                    false,
                )
            }
            Err((num, text)) => {
                let text = text.replace(['\r', '\n'], " ");
                let mut v = b"Content-Type: text/plain\r\n\r\n".to_vec();
                v.extend_from_slice(format!("SCMP {num} {text}\r\n").as_bytes());
                eprintln!("sealscope: request {n}: SCMP {num} {text}");
                (v, true)
            }
        };
        match templates::scmp_message(&h, &payload, &opts, is_error, &mut rng) {
            Ok(msg) => templates::http_response(200, "OK", &msg),
            Err(e) => http_server::response(
                500,
                "Internal Server Error",
                &[],
                format!("cannot compose the reply: {e}\n").as_bytes(),
            ),
        }
    })?;
    eprintln!("sealscope: serve-scmp: {n} request(s) answered");
    Ok(0)
}
