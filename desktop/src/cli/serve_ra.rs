//! `sealscope serve-ra`: a test SCMS RA for end-entity developers (seed 004). GET downloads
//! (authenticated with a base64 SignedAuthenticatedDownloadRequest in `Download-Req`, or
//! plain with `If-None-Match` and `Range`) are served from a directory; POSTed APDUs
//! (`application/octet-stream`) are checked. The RA's checks run in the seed's order —
//! blacklist, enrollment certificate, time tolerance, signature — and a failure closes the
//! connection without an answer, as the seed says, with the reason logged on stderr. Plain
//! HTTP or HTTPS (`--tls-cert`, `--tls-key`).
//!
//! The decisions are the core's ([`sealscope_core::ieee1609::ra`]); this module listens,
//! reads files and prints.

use super::check::CheckArgs;
use super::send::ConnArgs;
use crate::actions::listen::bind;
use crate::error::CliError;
use crate::transport::http_server::{self, ServeLimits};
use crate::transport::{tls, Endpoint, Scheme};
use sealscope_core::ieee1609::ra::{self, Decision};
use sealscope_core::wire::http::StartLine;
use sealscope_core::UnixTime;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `--tls-cert` and `--tls-key` of the servers.
#[derive(clap::Args, Debug, Clone)]
pub struct ServerTlsArgs {
    /// Serve HTTPS with this PEM certificate chain (server certificate first); use an
    /// https:// URL.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

impl ServerTlsArgs {
    /// The TLS configuration for an endpoint: required for https://, refused for http://.
    pub fn config(
        &self,
        ep: &Endpoint,
    ) -> Result<Option<std::sync::Arc<rustls::ServerConfig>>, CliError> {
        match (&self.tls_cert, &self.tls_key, ep.tls) {
            (Some(c), Some(k), true) => Ok(Some(tls::server(c, k)?)),
            (None, None, false) => Ok(None),
            (_, _, true) => Err(CliError::Usage(
                "an https:// URL needs --tls-cert and --tls-key".into(),
            )),
            (_, _, false) => Err(CliError::Usage(
                "--tls-cert and --tls-key serve HTTPS: use an https:// URL".into(),
            )),
        }
    }
}

/// Options of `sealscope serve-ra`.
#[derive(clap::Args, Debug)]
pub struct ServeRaArgs {
    /// Where to listen, e.g. http://127.0.0.1:8892/ or https://127.0.0.1:8893/ (loopback
    /// unless --allow-remote).
    #[arg(value_name = "URL")]
    url: String,
    /// The download directory: files served by name to authenticated download requests
    /// and by path to plain GETs.
    #[arg(long, value_name = "DIR")]
    files: PathBuf,
    /// HTTPS.
    #[command(flatten)]
    tls: ServerTlsArgs,
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

fn answer(status: u16, reason: &str, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    http_server::response(status, reason, headers, body)
}

fn error(status: u16, why: &str) -> Vec<u8> {
    let reason = match status {
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        415 => "Unsupported Media Type",
        _ => "Error",
    };
    answer(
        status,
        reason,
        &[("Content-Type".into(), "text/plain".into())],
        format!("{why}\n").as_bytes(),
    )
}

/// Serves `name` from `dir` (no directories, no hidden files).
fn file(dir: &Path, name: &str, head: bool, req: &http_server::Request) -> Vec<u8> {
    let Some(safe) = ra::safe_name(name) else {
        return error(404, &format!("{name}: no such download"));
    };
    let path = dir.join(safe);
    let Ok(content) = std::fs::read(&path) else {
        return error(404, &format!("{safe}: no such download"));
    };
    let (status, reason, headers, body) = ra::serve_file(
        &content,
        req.message.header("If-None-Match"),
        req.message.header("Range"),
    );
    let body = if head { Vec::new() } else { body };
    answer(status, reason, &headers, &body)
}

/// Runs the server.
pub fn run(args: ServeRaArgs, now: UnixTime) -> Result<u8, CliError> {
    let ep = Endpoint::parse(&args.url)?;
    if ep.scheme != Scheme::Http {
        return Err(CliError::Usage(
            "serve-ra listens on http(s)://127.0.0.1:PORT/".into(),
        ));
    }
    let tls_config = args.tls.config(&ep)?;
    if !args.files.is_dir() {
        return Err(CliError::Usage(format!(
            "--files {}: not a directory",
            args.files.display()
        )));
    }
    let checker = args.check.checker(now)?;
    let (listener, url) = bind(&ep, args.allow_remote)?;
    let url = if ep.tls {
        url.replacen("http://", "https://", 1)
    } else {
        url
    };
    eprintln!(
        "sealscope: test RA on {url}, downloads from {}",
        args.files.display()
    );
    let conn = args.conn.connection()?;
    let limits = ServeLimits::new(args.count, args.idle, conn.timeout, conn.max_size);
    let mut n = 0usize;
    http_server::serve(&listener, &limits, tls_config, |req| {
        n += 1;
        let StartLine::Request { method, target, .. } = &req.message.start_line else {
            return Some(error(400, "not an HTTP request"));
        };
        let (method, target) = (method.clone(), target.clone());
        let path = target.split('?').next().unwrap_or("").to_string();
        let at = if args.check.at.is_some() {
            checker.session.options().at
        } else {
            crate::now()
        };
        let mut opts = checker
            .session
            .options_for(&format!("request {n} from {}", req.peer));
        opts.at = at;
        let (report, text) = checker.inspect_with(&req.bytes, &opts);
        let download_req = req.message.header("Download-Req").is_some();
        let decision = ra::decide(
            &method,
            &path,
            req.message.header("Content-Type"),
            download_req,
            &report,
        );
        if download_req || method == "POST" {
            let _ = writeln!(std::io::stdout().lock(), "{text}");
        }
        let head = method == "HEAD";
        match decision {
            Decision::Plain { path } => {
                eprintln!("sealscope: request {n}: {method} {path}: plain download");
                Some(file(&args.files, &path, head, &req))
            }
            Decision::Download { filename } => {
                eprintln!("sealscope: request {n}: authenticated download of {filename}: every RA check passed");
                Some(file(&args.files, &filename, head, &req))
            }
            Decision::Accepted { what } => {
                eprintln!("sealscope: request {n}: {what}: every RA check passed");
                Some(answer(
                    200,
                    "OK",
                    &[("Content-Type".into(), "application/json".into())],
                    report.to_json().as_bytes(),
                ))
            }
            Decision::Close { step, reason } => {
                eprintln!(
                    "sealscope: request {n}: connection closed at the {step} check: {reason}"
                );
                None
            }
            Decision::Error { status, reason } => {
                eprintln!("sealscope: request {n}: {status}: {reason}");
                Some(error(status, &reason))
            }
        }
    })?;
    eprintln!("sealscope: serve-ra: {n} request(s) handled");
    Ok(0)
}
