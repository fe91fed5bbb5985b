//! `sealscope send URL [FILE]`: one message to a STOMP destination (receipt awaited), an
//! HTTP(S) URL (the reply inspected) or an ARGO AMS topic, through
//! [`crate::actions::send`]. A message that cannot be sent is kept on disk and the error
//! says where.

use super::check::{exit_code, CheckArgs};
use super::secret;
use crate::actions::connection::Connection;
use crate::actions::send::{parse_attributes, parse_headers, send, SendRequest};
use crate::error::CliError;
use crate::transport::{Endpoint, Scheme, DEFAULT_MAX_MESSAGE};
use sealscope_core::UnixTime;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Connection options shared by `send`, `listen` and `serve-scmp`.
#[derive(clap::Args, Debug, Clone)]
pub struct ConnArgs {
    /// STOMP login.
    #[arg(long)]
    pub login: Option<String>,
    /// STOMP passcode: env:NAME or file:PATH, never the passcode itself (default:
    /// SEALSCOPE_PASSCODE).
    #[arg(long, value_name = "SOURCE")]
    pub passcode: Option<String>,
    /// STOMP virtual host (the CONNECT host header); default the URL's host.
    #[arg(long)]
    pub vhost: Option<String>,
    /// Extra CA certificates for TLS (PEM file or directory); the system's are used too.
    #[arg(long, value_name = "PATH")]
    pub ca: Vec<PathBuf>,
    /// Trust only the --ca certificates for TLS, not the system's store (an SCMS EE checks
    /// the RA's X.509 certificate against its bootstrapped root only).
    #[arg(long, requires = "ca")]
    pub ca_only: bool,
    /// Client certificate for TLS (PEM), with --client-key.
    #[arg(long, value_name = "PEM")]
    pub client_cert: Option<PathBuf>,
    /// Client key for TLS (PEM).
    #[arg(long, value_name = "PEM")]
    pub client_key: Option<PathBuf>,
    /// ARGO AMS token, sent as x-api-key: env:NAME or file:PATH (default:
    /// SEALSCOPE_AMS_TOKEN).
    #[arg(long, value_name = "SOURCE")]
    pub token: Option<String>,
    /// Seconds to wait for a connection, a receipt or a reply.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Largest message, frame, request or reply accepted from a peer, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_MESSAGE)]
    pub max_size: usize,
}

impl ConnArgs {
    /// The connection these options describe, the passcode and token read from where
    /// their options name (see [`super::secret`]) or from SEALSCOPE_PASSCODE and
    /// SEALSCOPE_AMS_TOKEN.
    pub fn connection(&self) -> Result<Connection, CliError> {
        Ok(Connection {
            login: self.login.clone(),
            passcode: secret::resolve_or_env(
                "--passcode",
                self.passcode.as_deref(),
                "SEALSCOPE_PASSCODE",
            )?,
            vhost: self.vhost.clone(),
            ca: self.ca.clone(),
            ca_only: self.ca_only,
            client_cert: self.client_cert.clone(),
            client_key: self.client_key.clone(),
            token: secret::resolve_or_env("--token", self.token.as_deref(), "SEALSCOPE_AMS_TOKEN")?,
            timeout: Duration::from_secs(self.timeout.max(1)),
            max_size: self.max_size,
        })
    }
}

/// Options of `sealscope send`.
#[derive(clap::Args, Debug)]
pub struct SendArgs {
    /// stomp://host:61613/queue/x, stomp+ssl://…, http(s)://host/path, ams://host/v1/projects/P/topics/T.
    #[arg(value_name = "URL")]
    url: String,
    /// The message (default stdin). A STOMP frame keeps its headers; a MIME message sent
    /// over HTTP has its header fields sent as the request's; an HTTP request is sent as is.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Extra STOMP header or HTTP header field, "name:value" (repeatable).
    #[arg(long, value_name = "NAME:VALUE")]
    header: Vec<String>,
    /// An AMS message attribute, name=value (repeatable), e.g. empaid=….
    #[arg(long, value_name = "NAME=VALUE")]
    attribute: Vec<String>,
    /// HTTP method (default: the file's, for an HTTP request file; else POST).
    #[arg(long)]
    method: Option<String>,
    /// Where a message that could not be sent is kept.
    #[arg(long, value_name = "DIR", default_value = "sealscope-unsent")]
    keep_dir: PathBuf,
    /// Write the broker's RECEIPT frame, or the server's HTTP reply, as received, to FILE.
    #[arg(long, value_name = "FILE")]
    save_reply: Option<PathBuf>,
    #[command(flatten)]
    conn: ConnArgs,
    #[command(flatten)]
    check: CheckArgs,
}

fn read_input(file: &Option<PathBuf>) -> Result<(Vec<u8>, String), CliError> {
    match file {
        Some(p) if p.as_os_str() != "-" => Ok((
            std::fs::read(p).map_err(|e| CliError::Read(p.clone(), e))?,
            p.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("message")
                .to_string(),
        )),
        _ => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| CliError::Read(PathBuf::from("-"), e))?;
            Ok((buf, "stdin".into()))
        }
    }
}

fn keep(dir: &Path, name: &str, bytes: &[u8], now: UnixTime) -> String {
    let path = dir.join(format!("{}-{name}", now.0));
    match std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&path, bytes)) {
        Ok(()) => format!("the message is kept in {}", path.display()),
        Err(e) => format!("and it could not be kept in {}: {e}", dir.display()),
    }
}

/// Runs `sealscope send`.
pub fn run(args: SendArgs, now: UnixTime) -> Result<u8, CliError> {
    let scheme = Endpoint::parse(&args.url)?.scheme;
    let (bytes, name) = read_input(&args.file)?;
    let req = SendRequest {
        url: args.url.clone(),
        bytes,
        headers: parse_headers(&args.header)?,
        attributes: parse_attributes(&args.attribute)?,
        method: args.method.clone(),
    };
    let conn = args.conn.connection()?;
    conn.tls()?;
    let checker = match scheme {
        Scheme::Http => Some(args.check.checker(now)?),
        _ => None,
    };
    // A message that did not get through, or that a server refused, is kept.
    let kept = |e: CliError| {
        CliError::Transport(format!(
            "{e}; {}",
            keep(&args.keep_dir, &name, &req.bytes, now)
        ))
    };
    let sent = send(&req, &conn, now).map_err(kept)?;
    if let (Some(p), Some(reply)) = (&args.save_reply, &sent.reply) {
        std::fs::write(p, reply).map_err(|e| CliError::Read(p.clone(), e))?;
    }
    let Some(checker) = checker else {
        println!("{}", sent.summary);
        return Ok(0);
    };
    // An HTTP server's reply is inspected like any message.
    eprintln!("sealscope: {}", sent.summary);
    let reply = sent.reply.clone().unwrap_or_default();
    let (report, text) = checker.inspect(&reply, &format!("reply from {}", sent.peer));
    println!("{text}");
    if let Some(e) = sent.refusal() {
        return Err(kept(e));
    }
    Ok(exit_code(report.verdict))
}
