//! `sealscope send URL [FILE]`: one message to a STOMP destination (receipt awaited), an
//! HTTP(S) URL (the reply inspected) or an ARGO AMS topic. A message that cannot be sent is
//! kept on disk and the error says where.

use crate::check_args::{exit_code, CheckArgs};
use crate::error::CliError;
use crate::transport::stomp_client::{StompClient, StompOptions};
use crate::transport::{http_client, Endpoint, Scheme, TlsOptions, DEFAULT_MAX_MESSAGE};
use sealscope_core::{ams, http, stomp, templates, UnixTime};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Connection options shared by `send`, `listen` and `serve-scmp`.
#[derive(clap::Args, Debug, Clone)]
pub struct ConnArgs {
    /// STOMP login.
    #[arg(long)]
    pub login: Option<String>,
    /// STOMP passcode (or SEALSCOPE_PASSCODE).
    #[arg(long)]
    pub passcode: Option<String>,
    /// STOMP virtual host (the CONNECT host header); default the URL's host.
    #[arg(long)]
    pub vhost: Option<String>,
    /// Extra CA certificates for TLS (PEM file or directory); the system's are used too.
    #[arg(long, value_name = "PATH")]
    pub ca: Vec<PathBuf>,
    /// Client certificate for TLS (PEM), with --client-key.
    #[arg(long, value_name = "PEM")]
    pub client_cert: Option<PathBuf>,
    /// Client key for TLS (PEM).
    #[arg(long, value_name = "PEM")]
    pub client_key: Option<PathBuf>,
    /// ARGO AMS token (or SEALSCOPE_AMS_TOKEN), sent as x-api-key.
    #[arg(long)]
    pub token: Option<String>,
    /// Seconds to wait for a connection, a receipt or a reply.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Largest message, frame, request or reply accepted from a peer, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_MESSAGE)]
    pub max_size: usize,
}

impl ConnArgs {
    /// TLS options.
    pub fn tls(&self) -> Result<TlsOptions, CliError> {
        let client_cert = match (&self.client_cert, &self.client_key) {
            (Some(c), Some(k)) => Some((c.clone(), k.clone())),
            (None, None) => None,
            _ => {
                return Err(CliError::Usage(
                    "--client-cert and --client-key go together".into(),
                ))
            }
        };
        Ok(TlsOptions {
            ca: self.ca.clone(),
            client_cert,
        })
    }

    /// STOMP options.
    pub fn stomp(&self) -> StompOptions {
        StompOptions {
            login: self.login.clone(),
            passcode: self
                .passcode
                .clone()
                .or_else(|| std::env::var("SEALSCOPE_PASSCODE").ok()),
            vhost: self.vhost.clone(),
            timeout: self.timeout(),
            max_frame: self.max_size,
        }
    }

    /// The timeout.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout.max(1))
    }

    /// The AMS token, if any.
    pub fn ams_token(&self) -> Option<String> {
        self.token
            .clone()
            .or_else(|| std::env::var("SEALSCOPE_AMS_TOKEN").ok())
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

/// Parses "name:value" options.
pub fn parse_headers(list: &[String]) -> Result<Vec<(String, String)>, CliError> {
    list.iter()
        .map(|h| {
            h.split_once(':')
                .filter(|(n, _)| !n.trim().is_empty())
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
                .ok_or_else(|| CliError::Usage(format!("--header {h:?}: expected name:value")))
        })
        .collect()
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
    let ep = Endpoint::parse(&args.url)?;
    let (bytes, name) = read_input(&args.file)?;
    let extra = parse_headers(&args.header)?;
    let result = match ep.scheme {
        Scheme::Stomp => send_stomp(&args, &ep, &bytes, &extra),
        Scheme::Http => send_http(&args, &ep, &bytes, &extra, now),
        Scheme::Ams => send_ams(&args, &ep, &bytes, now),
    };
    result.map_err(|e| {
        CliError::Transport(format!("{e}; {}", keep(&args.keep_dir, &name, &bytes, now)))
    })
}

/// `--save-reply`: the peer's answer as it arrived.
fn save_reply(args: &SendArgs, bytes: &[u8]) -> Result<(), CliError> {
    match &args.save_reply {
        Some(p) => std::fs::write(p, bytes).map_err(|e| CliError::Read(p.clone(), e)),
        None => Ok(()),
    }
}

fn send_stomp(
    args: &SendArgs,
    ep: &Endpoint,
    bytes: &[u8],
    extra: &[(String, String)],
) -> Result<u8, CliError> {
    // A composed frame keeps its headers; anything else is the body.
    let (mut headers, body, frame_dest) = if stomp::looks_like_frame(bytes) {
        let f = stomp::parse_frame(bytes, 0)
            .map_err(|e| CliError::Usage(format!("the file is a damaged STOMP frame: {e}")))?;
        let dest = f.header("destination").map(str::to_string);
        (
            f.headers.0.clone(),
            bytes[f.body_start..f.body_end].to_vec(),
            dest,
        )
    } else {
        (Vec::new(), bytes.to_vec(), None)
    };
    headers.extend(extra.iter().cloned());
    let destination = if ep.path.len() > 1 {
        ep.path.clone()
    } else {
        frame_dest.ok_or_else(|| {
            CliError::Usage(
                "no destination: put it in the URL path, e.g. stomp://host:61613/queue/x".into(),
            )
        })?
    };
    let mut client = StompClient::connect(ep, &args.conn.tls()?, args.conn.stomp())?;
    let receipt = client.send(&destination, &headers, &body)?;
    save_reply(args, &receipt.bytes)?;
    println!(
        "sent {} bytes to {destination} at {} (STOMP {}{}); RECEIPT {}",
        body.len(),
        ep.authority(),
        client.version,
        client
            .server
            .as_ref()
            .map(|s| format!(", {s}"))
            .unwrap_or_default(),
        receipt.header("receipt-id").unwrap_or("?")
    );
    client.disconnect();
    Ok(0)
}

fn send_http(
    args: &SendArgs,
    ep: &Endpoint,
    bytes: &[u8],
    extra: &[(String, String)],
    now: UnixTime,
) -> Result<u8, CliError> {
    let mut file_line = None;
    let (mut headers, body): (Vec<(String, String)>, Vec<u8>) = if http::looks_like_http(bytes) {
        let m = http::parse_message(bytes, 0)
            .map_err(|e| CliError::Usage(format!("the file is a damaged HTTP request: {e}")))?;
        if let http::StartLine::Request { method, target, .. } = &m.start_line {
            file_line = Some((method.clone(), target.clone()));
        }
        (m.headers.0.clone(), m.body(bytes).to_vec())
    } else if sealscope_core::mime::looks_like_mime(bytes) {
        let (h, b) = templates::split_mime(bytes);
        (h, b.to_vec())
    } else {
        (
            vec![(
                "Content-Type".to_string(),
                "application/octet-stream".to_string(),
            )],
            bytes.to_vec(),
        )
    };
    headers.extend(extra.iter().cloned());
    // The URL's path wins; a bare URL keeps the request file's own target.
    let path = match &file_line {
        Some((_, t)) if ep.path == "/" && ep.query.is_none() => t.clone(),
        _ => ep.path.clone(),
    };
    let target = match &ep.query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    let method = args
        .method
        .clone()
        .or_else(|| file_line.as_ref().map(|(m, _)| m.clone()))
        .unwrap_or_else(|| "POST".into());
    let resp = http_client::request(
        ep,
        &args.conn.tls()?,
        &http_client::Call {
            method: &method,
            target: &target,
            headers: &headers,
            body: &body,
        },
        args.conn.timeout(),
        args.conn.max_size,
    )?;
    eprintln!(
        "sealscope: sent {} bytes to {}{target}; HTTP {} with {} body bytes",
        body.len(),
        ep.authority(),
        resp.status(),
        resp.body().len()
    );
    save_reply(args, &resp.bytes)?;
    let checker = args.check.checker(now)?;
    let report = checker.inspect(&resp.bytes, &format!("reply from {}", ep.authority()));
    println!("{}", checker.render(&report));
    if resp.status() >= 400 {
        let text = String::from_utf8_lossy(resp.body());
        return Err(CliError::Transport(format!(
            "the server refused the message: HTTP {} {}",
            resp.status(),
            text.lines().next().unwrap_or("").trim()
        )));
    }
    Ok(exit_code(report.verdict))
}

fn send_ams(args: &SendArgs, ep: &Endpoint, bytes: &[u8], now: UnixTime) -> Result<u8, CliError> {
    let body = if ams::looks_like_ams(bytes) && ams::parse(bytes).is_ok() {
        bytes.to_vec()
    } else {
        let mut attrs = Vec::new();
        for a in &args.attribute {
            let (k, v) = a.split_once('=').ok_or_else(|| {
                CliError::Usage(format!("--attribute {a:?}: expected name=value"))
            })?;
            attrs.push((k.to_string(), v.to_string()));
        }
        if !attrs.iter().any(|(k, _)| k == "empaid") {
            attrs.push((
                "empaid".into(),
                templates::ssm_message_id(now, &mut rand_core::UnwrapErr(getrandom::SysRng)),
            ));
        }
        ams::publish_body(&[(bytes, &attrs)]).into_bytes()
    };
    let mut target = if ep.path.ends_with(":publish") {
        ep.path.clone()
    } else {
        format!("{}:publish", ep.path)
    };
    if let Some(q) = &ep.query {
        target = format!("{target}?{q}");
    }
    let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    if let Some(t) = args.conn.ams_token() {
        headers.push(("x-api-key".into(), t));
    }
    let http_ep = Endpoint {
        scheme: Scheme::Http,
        ..ep.clone()
    };
    let resp = http_client::request(
        &http_ep,
        &args.conn.tls()?,
        &http_client::Call {
            method: "POST",
            target: &target,
            headers: &headers,
            body: &body,
        },
        args.conn.timeout(),
        args.conn.max_size,
    )?;
    let text = String::from_utf8_lossy(resp.body());
    if resp.status() >= 400 {
        return Err(CliError::Transport(format!(
            "AMS answered HTTP {}: {}",
            resp.status(),
            text.trim()
        )));
    }
    println!(
        "published {} bytes to {}{target}; AMS answered {} {}",
        body.len(),
        ep.authority(),
        resp.status(),
        text.trim()
    );
    Ok(0)
}
