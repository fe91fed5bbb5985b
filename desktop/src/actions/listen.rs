//! Listening: watch what arrives and hand each message to the front end as it comes.
//!
//! - `stomp://host:port/queue/x`: subscribe with client-individual ACKs and a prefetch
//!   limit; a MESSAGE frame is acknowledged only after the front end has taken it and its
//!   report is published (`reports`) and, when its inspection failed, the message is passed
//!   to the dead-letter destination with the reason. Several listeners on one queue are
//!   competing consumers: the broker gives each message to one of them, and gives a message
//!   that one took but never acknowledged (it died) to another. On the listened broker the
//!   reports, dead letters and ACKs of the messages already delivered (up to the prefetch)
//!   are one transaction, so each message is reported exactly once; a results destination on another broker is published to (with a receipt)
//!   before the ACK, so a message is reported at least once, twice only when redelivered.
//! - `http://127.0.0.1:port/path`: serve HTTP on a loopback address; each request is answered
//!   with the JSON report the front end made of it.
//! - `ams://host/v1/projects/P/subscriptions/S`: pull, hand over, acknowledge.
//!
//! A session ends after `count` messages, `idle` time without one, or when `stop` is set.

use super::connection::Connection;
use crate::error::CliError;
use crate::transport::http_server::{self, ServeLimits};
use crate::transport::stomp_client::StompClient;
use crate::transport::{http_client, Endpoint, Scheme};
use sealscope_core::{Report, Verdict};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where to listen and when to stop.
#[derive(Clone, Debug, Default)]
pub struct ListenRequest {
    /// stomp://…/queue/x, http://127.0.0.1:PORT/, ams://host/v1/projects/P/subscriptions/S.
    pub url: String,
    /// Stop after this many messages.
    pub count: Option<usize>,
    /// Stop after this long without a message.
    pub idle: Option<Duration>,
    /// Allow an HTTP listener on a non-loopback address.
    pub allow_remote: bool,
    /// For an https:// URL: the PEM certificate chain and key to serve TLS with.
    pub tls_server: Option<(std::path::PathBuf, std::path::PathBuf)>,
    /// STOMP: at most this many messages delivered and not yet acknowledged.
    pub prefetch: Option<u32>,
    /// STOMP: where each report is published as JSON (`stomp://host:port/queue/reports`, or
    /// a destination path on the listened broker).
    pub reports: Option<String>,
    /// STOMP: where a message whose inspection failed is passed, with the reason (a
    /// destination on the listened broker, as SSM's reject queue).
    pub dead_letter: Option<String>,
    /// The verdict from which a message counts as failed for `dead_letter` (`invalid` by
    /// default, which passes invalid and unreadable ones).
    pub dead_letter_on: Option<Verdict>,
}

/// How a message arrived, which names the file it is saved as (`NNNN.stomp`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carrier {
    /// A STOMP MESSAGE frame.
    Stomp,
    /// An HTTP request.
    Http,
    /// An AMS pull answer holding one message.
    Ams,
}

impl Carrier {
    /// The file extension a saved message of this carrier gets.
    pub fn extension(self) -> &'static str {
        match self {
            Carrier::Stomp => "stomp",
            Carrier::Http => "http",
            Carrier::Ams => "json",
        }
    }
}

/// What the front end does with what arrives.
pub trait Sink {
    /// A line about the session (subscribed, listening on …).
    fn notice(&mut self, line: &str);
    /// One message: the front end inspects it (and shows, saves or prints it) and returns
    /// the report, which an HTTP peer gets as the answer. An error ends the session.
    fn take(&mut self, bytes: &[u8], carrier: Carrier, name: String) -> Result<Report, CliError>;
}

/// Listens until the request's limits or `stop` end the session; returns the number of
/// messages taken.
pub fn listen(
    req: &ListenRequest,
    conn: &Connection,
    stop: &Arc<AtomicBool>,
    sink: &mut dyn Sink,
) -> Result<usize, CliError> {
    let ep = Endpoint::parse(&req.url)?;
    let mut run = Run {
        req,
        conn,
        stop,
        sink,
        seen: 0,
    };
    match ep.scheme {
        Scheme::Stomp => run.stomp(&ep)?,
        Scheme::Http => run.http(&ep)?,
        Scheme::Ams => run.ams(&ep)?,
    }
    Ok(run.seen)
}

/// Binds an HTTP listener on the URL's address (loopback unless `allow_remote`); returns it
/// with the URL it listens on.
pub fn bind(
    ep: &Endpoint,
    allow_remote: bool,
) -> Result<(std::net::TcpListener, String), CliError> {
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
    Ok((listener, format!("http://{local}{}", ep.path)))
}

struct Run<'a> {
    req: &'a ListenRequest,
    conn: &'a Connection,
    stop: &'a Arc<AtomicBool>,
    sink: &'a mut dyn Sink,
    seen: usize,
}

impl Run<'_> {
    fn take(&mut self, bytes: &[u8], carrier: Carrier, name: String) -> Result<Report, CliError> {
        self.seen += 1;
        self.sink.take(bytes, carrier, name)
    }

    fn counted(&self) -> bool {
        self.req.count.is_some_and(|c| self.seen >= c)
    }

    fn done(&self, last: Instant) -> bool {
        self.counted()
            || self.req.idle.is_some_and(|i| last.elapsed() >= i)
            || self.stop.load(Ordering::Relaxed)
    }

    fn stomp(&mut self, ep: &Endpoint) -> Result<(), CliError> {
        if ep.path.len() <= 1 {
            return Err(CliError::Usage(
                "no destination: put it in the URL path, e.g. stomp://host:61613/queue/x".into(),
            ));
        }
        let results = self
            .req
            .reports
            .as_deref()
            .map(|r| destination(r, ep, "--reports"));
        let results = results.transpose()?;
        let dead = self
            .req
            .dead_letter
            .as_deref()
            .map(|d| destination(d, ep, "--dead-letter"))
            .transpose()?;
        let dead = match dead {
            Some(Target::Here(path)) => Some(path),
            Some(Target::Elsewhere(..)) => {
                return Err(CliError::Usage(
                    "--dead-letter must be a destination on the listened broker (e.g. /queue/sealscope.rejected), so the message moves there in one transaction with its acknowledgement".into(),
                ))
            }
            None => None,
        };
        let mut client = StompClient::connect(ep, &self.conn.tls()?, self.conn.stomp())?;
        let mut elsewhere = match &results {
            Some(Target::Elsewhere(rep, path)) => Some((
                StompClient::connect(rep, &self.conn.tls()?, self.conn.stomp())?,
                path.clone(),
            )),
            _ => None,
        };
        let mut pending = client.subscribe(&ep.path, "sealscope-1", self.req.prefetch)?;
        self.sink.notice(&format!(
            "subscribed to {} at {} (STOMP {}{})",
            ep.path,
            ep.authority(),
            client.version,
            self.req
                .prefetch
                .map(|n| format!(", prefetch {n}"))
                .unwrap_or_default()
        ));
        let threshold = self.req.dead_letter_on.unwrap_or(Verdict::Invalid);
        let here = match &results {
            Some(Target::Here(path)) => Some(path.clone()),
            _ => None,
        };
        let transactional = here.is_some() || dead.is_some();
        // Messages already delivered are committed together (at most a prefetch's worth):
        // one broker round trip and one journal write per batch instead of per message.
        let batch_max = self.req.prefetch.map_or(1, |n| n as usize).max(1);
        let mut last = Instant::now();
        while !self.done(last) {
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
                    let mut batch = vec![f];
                    while transactional
                        && batch.len() < batch_max
                        && self.req.count.is_none_or(|c| self.seen + batch.len() < c)
                    {
                        let next = if pending.is_empty() {
                            client.read_frame(Instant::now() + Duration::from_millis(1))?
                        } else {
                            Some(pending.remove(0))
                        };
                        match next {
                            Some(g) if g.frame.command == "MESSAGE" => batch.push(g),
                            Some(g) if g.frame.command == "ERROR" => return Err(broker_error(&g)),
                            Some(_) => {}
                            None => break,
                        }
                    }
                    let tx = if transactional {
                        Some(client.begin()?)
                    } else {
                        None
                    };
                    for m in &batch {
                        let id = m.header("message-id").unwrap_or("?").to_string();
                        let name = format!("{} message {id}", ep.path);
                        let report = self.take(&m.bytes, Carrier::Stomp, name)?;
                        let headers = report_headers(m, &ep.path, &report);
                        if let Some((other, path)) = &mut elsewhere {
                            // Confirmed by its receipt before the ACK: a death in between
                            // means a redelivery and a second report, never a lost one.
                            other.send(path, &headers, report.to_json().as_bytes())?;
                        }
                        let Some(tx) = &tx else {
                            client.ack(m)?;
                            continue;
                        };
                        if let Some(path) = &here {
                            client.send_in(tx, path, &headers, report.to_json().as_bytes())?;
                        }
                        if let (true, Some(dead)) = (rank(report.verdict) >= rank(threshold), &dead)
                        {
                            let h = dead_letter_headers(m, &headers, &report);
                            client.send_in(tx, dead, &h, m.body())?;
                        }
                        client.ack_in(m, Some(tx))?;
                    }
                    if let Some(tx) = tx {
                        pending.extend(client.commit(&tx)?);
                    }
                }
                "ERROR" => return Err(broker_error(&f)),
                _ => {}
            }
        }
        client.disconnect();
        if let Some((other, _)) = elsewhere {
            other.disconnect();
        }
        Ok(())
    }

    fn http(&mut self, ep: &Endpoint) -> Result<(), CliError> {
        let tls = match (&self.req.tls_server, ep.tls) {
            (Some((cert, key)), true) => Some(crate::transport::tls::server(cert, key)?),
            (None, false) => None,
            (None, true) => {
                return Err(CliError::Usage(
                    "listening on https:// needs --tls-cert and --tls-key".into(),
                ))
            }
            (Some(_), false) => {
                return Err(CliError::Usage(
                    "--tls-cert and --tls-key serve HTTPS: use an https:// URL".into(),
                ))
            }
        };
        let (listener, url) = bind(ep, self.req.allow_remote)?;
        let url = if ep.tls {
            url.replacen("http://", "https://", 1)
        } else {
            url
        };
        self.sink.notice(&format!("listening on {url}"));
        let mut limits =
            ServeLimits::new(self.req.count, None, self.conn.timeout, self.conn.max_size);
        limits.idle = self.req.idle;
        limits.stop = Some(self.stop.clone());
        let mut failure = None;
        http_server::serve(&listener, &limits, tls, |req| {
            let name = format!("{} from {}", req.message.describe(), req.peer);
            match self.take(&req.bytes, Carrier::Http, name) {
                Ok(report) => Some(http_server::response(
                    200,
                    "OK",
                    &[("Content-Type".into(), "application/json".into())],
                    report.to_json().as_bytes(),
                )),
                Err(e) => {
                    let r = http_server::response(
                        500,
                        "Internal Server Error",
                        &[],
                        e.to_string().as_bytes(),
                    );
                    failure = Some(e);
                    Some(r)
                }
            }
        })?;
        match failure {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn ams(&mut self, ep: &Endpoint) -> Result<(), CliError> {
        let http_ep = Endpoint {
            scheme: Scheme::Http,
            ..ep.clone()
        };
        let tls = self.conn.tls()?;
        let headers = self.conn.ams_headers();
        let (timeout, max_size) = (self.conn.timeout, self.conn.max_size);
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
                timeout,
                max_size,
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
        while !self.done(last) {
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
                self.take(
                    one.as_bytes(),
                    Carrier::Ams,
                    format!("{} message {id}", ep.path),
                )?;
                if let Some(a) = rm.get("ackId").and_then(|v| v.as_str()) {
                    acks.push(a.to_string());
                }
                if self.counted() {
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
}

/// Where reports go: a destination on the listened broker, or another broker's.
enum Target {
    Here(String),
    Elsewhere(Endpoint, String),
}

/// Reads a `--reports` / `--dead-letter` value: a destination path (`/queue/x`) on the
/// listened broker, or a `stomp://` URL (on that broker when its address is the same).
fn destination(text: &str, listened: &Endpoint, option: &str) -> Result<Target, CliError> {
    if text.starts_with('/') {
        return Ok(Target::Here(text.to_string()));
    }
    let ep = Endpoint::parse(text)?;
    if ep.scheme != Scheme::Stomp {
        return Err(CliError::Usage(format!(
            "{option} {text}: a STOMP destination is expected (stomp://host:61613/queue/x or /queue/x)"
        )));
    }
    if ep.path.len() <= 1 {
        return Err(CliError::Usage(format!(
            "{option} {text}: no destination in the URL path"
        )));
    }
    if ep.host == listened.host && ep.port == listened.port && ep.tls == listened.tls {
        Ok(Target::Here(ep.path))
    } else {
        let path = ep.path.clone();
        Ok(Target::Elsewhere(ep, path))
    }
}

/// A broker's ERROR frame as an error.
fn broker_error(f: &crate::transport::stomp_client::Received) -> CliError {
    CliError::Transport(format!(
        "broker ERROR: {}",
        f.header("message").unwrap_or("(no message header)")
    ))
}

/// The headers of a dead letter: the report's, the reason, and the message's own content
/// type instead of the report's.
fn dead_letter_headers(
    m: &crate::transport::stomp_client::Received,
    report_headers: &[(String, String)],
    report: &Report,
) -> Vec<(String, String)> {
    let why = report
        .error
        .clone()
        .unwrap_or_else(|| report.headline.sentence.clone());
    let mut h: Vec<_> = report_headers
        .iter()
        .filter(|(n, _)| n != "content-type")
        .cloned()
        .collect();
    h.push(("sealscope-reason".into(), one_line(&why)));
    if let Some(ct) = m.header("content-type") {
        h.push(("content-type".into(), ct.to_string()));
    }
    h
}

/// How bad a verdict is, for the dead-letter threshold.
fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::Valid => 0,
        Verdict::Warning => 1,
        Verdict::Invalid => 2,
        Verdict::Unreadable => 3,
    }
}

/// A header value on one line (STOMP escapes only CR, LF, colon and backslash).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The headers a published report (and a dead letter) carries: the message it is about
/// (its id, where it came from, its correlation-id when the sender set one, whether the
/// broker redelivered it), and the verdict, so consumers can select without parsing JSON.
fn report_headers(
    m: &crate::transport::stomp_client::Received,
    source: &str,
    report: &Report,
) -> Vec<(String, String)> {
    let mut h = vec![
        (
            "sealscope-message-id".to_string(),
            m.header("message-id").unwrap_or("").to_string(),
        ),
        ("sealscope-source".to_string(), source.to_string()),
        (
            "sealscope-verdict".to_string(),
            report.verdict.as_str().to_string(),
        ),
        ("content-type".to_string(), "application/json".to_string()),
        ("persistent".to_string(), "true".to_string()),
    ];
    if let Some(c) = m.header("correlation-id") {
        h.push(("correlation-id".into(), c.to_string()));
    }
    if m.header("redelivered") == Some("true") {
        h.push(("sealscope-redelivered".into(), "true".into()));
    }
    h
}
