//! Sending one message: to a STOMP destination (the broker's receipt awaited), an HTTP(S)
//! URL (the server's reply returned) or an ARGO AMS topic. The front ends decide what to
//! show: the command line prints and inspects the reply, the window lists it.

use super::connection::Connection;
use crate::error::CliError;
use crate::transport::stomp_client::StompClient;
use crate::transport::{http_client, Endpoint, Scheme};
use sealscope_core::compose::templates;
use sealscope_core::wire::{ams, http, mime, stomp};
use sealscope_core::UnixTime;

/// What to send and how.
#[derive(Clone, Debug, Default)]
pub struct SendRequest {
    /// stomp://host:61613/queue/x, stomp+ssl://…, http(s)://host/path, ams://host/v1/projects/P/topics/T.
    pub url: String,
    /// The message. A STOMP frame keeps its headers; a MIME message sent over HTTP has its
    /// header fields sent as the request's; an HTTP request is sent as is.
    pub bytes: Vec<u8>,
    /// Extra STOMP headers or HTTP header fields.
    pub headers: Vec<(String, String)>,
    /// AMS message attributes (an `empaid` is added when missing).
    pub attributes: Vec<(String, String)>,
    /// HTTP method (default: the request file's, else POST).
    pub method: Option<String>,
}

/// What the peer answered.
#[derive(Clone, Debug)]
pub struct Sent {
    /// One line saying what was sent where and what came back.
    pub summary: String,
    /// The broker's RECEIPT frame or the server's HTTP reply, as received (none for AMS).
    pub reply: Option<Vec<u8>>,
    /// Who answered (`host:port`), to name the reply.
    pub peer: String,
    /// Why an HTTP server refused the message (status 400 or above).
    pub refused: Option<String>,
}

impl Sent {
    /// The error when an HTTP server refused the message (status 400 or above).
    pub fn refusal(&self) -> Option<CliError> {
        self.refused.clone().map(CliError::Transport)
    }
}

/// Parses `name:value` pairs (STOMP headers, HTTP header fields).
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

/// Parses `name=value` AMS attributes.
pub fn parse_attributes(list: &[String]) -> Result<Vec<(String, String)>, CliError> {
    list.iter()
        .map(|a| {
            a.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| CliError::Usage(format!("--attribute {a:?}: expected name=value")))
        })
        .collect()
}

/// Sends the message and returns the peer's answer.
pub fn send(req: &SendRequest, conn: &Connection, now: UnixTime) -> Result<Sent, CliError> {
    let ep = Endpoint::parse(&req.url)?;
    match ep.scheme {
        Scheme::Stomp => send_stomp(req, conn, &ep),
        Scheme::Http => send_http(req, conn, &ep),
        Scheme::Ams => send_ams(req, conn, &ep, now),
    }
}

fn send_stomp(req: &SendRequest, conn: &Connection, ep: &Endpoint) -> Result<Sent, CliError> {
    let bytes = &req.bytes;
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
    headers.extend(req.headers.iter().cloned());
    let destination = if ep.path.len() > 1 {
        ep.path.clone()
    } else {
        frame_dest.ok_or_else(|| {
            CliError::Usage(
                "no destination: put it in the URL path, e.g. stomp://host:61613/queue/x".into(),
            )
        })?
    };
    let mut client = StompClient::connect(ep, &conn.tls()?, conn.stomp())?;
    let receipt = client.send(&destination, &headers, &body)?;
    let summary = format!(
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
    Ok(Sent {
        summary,
        reply: Some(receipt.bytes),
        refused: None,
        peer: ep.authority(),
    })
}

fn send_http(req: &SendRequest, conn: &Connection, ep: &Endpoint) -> Result<Sent, CliError> {
    let bytes = &req.bytes;
    let mut file_line = None;
    let (mut headers, body): (Vec<(String, String)>, Vec<u8>) = if http::looks_like_http(bytes) {
        let m = http::parse_message(bytes, 0)
            .map_err(|e| CliError::Usage(format!("the file is a damaged HTTP request: {e}")))?;
        if let http::StartLine::Request { method, target, .. } = &m.start_line {
            file_line = Some((method.clone(), target.clone()));
        }
        (m.headers.0.clone(), m.body(bytes).to_vec())
    } else if mime::looks_like_mime(bytes) {
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
    // A field given on the command line replaces the message's own of that name.
    for (name, value) in &req.headers {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        headers.push((name.clone(), value.clone()));
    }
    // The URL's path wins; a bare URL keeps the request file's own target.
    let path = match &file_line {
        Some((_, t)) if ep.path == "/" && ep.query.is_none() => t.clone(),
        _ => ep.path.clone(),
    };
    let target = match &ep.query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    let method = req
        .method
        .clone()
        .or_else(|| file_line.as_ref().map(|(m, _)| m.clone()))
        .unwrap_or_else(|| "POST".into());
    let resp = http_client::request(
        ep,
        &conn.tls()?,
        &http_client::Call {
            method: &method,
            target: &target,
            headers: &headers,
            body: &body,
        },
        conn.timeout,
        conn.max_size,
    )?;
    let refused = (resp.status() >= 400).then(|| {
        let text = String::from_utf8_lossy(resp.body());
        format!(
            "the server refused the message: HTTP {} {}",
            resp.status(),
            text.lines().next().unwrap_or("").trim()
        )
    });
    Ok(Sent {
        refused,
        summary: format!(
            "sent {} bytes to {}{target}; HTTP {} with {} body bytes",
            body.len(),
            ep.authority(),
            resp.status(),
            resp.body().len()
        ),
        reply: Some(resp.bytes),
        peer: ep.authority(),
    })
}

fn send_ams(
    req: &SendRequest,
    conn: &Connection,
    ep: &Endpoint,
    now: UnixTime,
) -> Result<Sent, CliError> {
    let bytes = &req.bytes;
    let body = if ams::looks_like_ams(bytes) && ams::parse(bytes).is_ok() {
        bytes.to_vec()
    } else {
        let mut attrs = req.attributes.clone();
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
    let http_ep = Endpoint {
        scheme: Scheme::Http,
        ..ep.clone()
    };
    let resp = http_client::request(
        &http_ep,
        &conn.tls()?,
        &http_client::Call {
            method: "POST",
            target: &target,
            headers: &conn.ams_headers(),
            body: &body,
        },
        conn.timeout,
        conn.max_size,
    )?;
    let text = String::from_utf8_lossy(resp.body());
    if resp.status() >= 400 {
        return Err(CliError::Transport(format!(
            "AMS answered HTTP {}: {}",
            resp.status(),
            text.trim()
        )));
    }
    Ok(Sent {
        summary: format!(
            "published {} bytes to {}{target}; AMS answered {} {}",
            body.len(),
            ep.authority(),
            resp.status(),
            text.trim()
        ),
        reply: None,
        refused: None,
        peer: ep.authority(),
    })
}
