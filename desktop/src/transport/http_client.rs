//! An HTTP/1.1 client: one request per connection (`Connection: close`), the response read
//! to the end under a timeout and a size limit, then parsed by the core.

use super::{is_timeout, Conn, Endpoint, TlsOptions};
use crate::error::CliError;
use sealscope_core::wire::http;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// A response: its bytes and the parsed message.
#[derive(Debug)]
pub struct Response {
    /// Everything the server sent.
    pub bytes: Vec<u8>,
    /// The parsed response.
    pub message: http::Message,
}

impl Response {
    /// The status code.
    pub fn status(&self) -> u16 {
        match self.message.start_line {
            http::StartLine::Response { status, .. } => status,
            http::StartLine::Request { .. } => 0,
        }
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        self.message.body(&self.bytes)
    }
}

/// One request to make.
pub struct Call<'a> {
    /// Method, e.g. `POST`.
    pub method: &'a str,
    /// Request target (path and query).
    pub target: &'a str,
    /// Header fields (Host, Content-Length and Connection are set here).
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
}

/// Sends one request and reads the response (at most `max` bytes, within `timeout`).
pub fn request(
    ep: &Endpoint,
    tls: &TlsOptions,
    call: &Call<'_>,
    timeout: Duration,
    max: usize,
) -> Result<Response, CliError> {
    let Call {
        method,
        target,
        headers,
        body,
    } = *call;
    let mut conn = Conn::connect(ep, tls, timeout)?;
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\n", ep.authority());
    for (n, v) in headers {
        if ["host", "content-length", "connection", "transfer-encoding"]
            .iter()
            .any(|h| n.eq_ignore_ascii_case(h))
        {
            continue;
        }
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\nUser-Agent: sealscope/{}\r\n\r\n",
        body.len(),
        env!("CARGO_PKG_VERSION")
    ));
    conn.write_all(head.as_bytes())
        .and_then(|_| conn.write_all(body))
        .and_then(|_| conn.flush())
        .map_err(|e| CliError::Transport(format!("sending to {}: {e}", ep.authority())))?;
    let deadline = Instant::now() + timeout;
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Err(CliError::Transport(format!(
                "{} sent no complete response within {timeout:?}",
                ep.authority()
            )));
        }
        conn.set_read_timeout(deadline - now);
        match conn.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                bytes.extend_from_slice(&chunk[..n]);
                if bytes.len() > max {
                    return Err(CliError::Transport(format!(
                        "the response from {} exceeds {max} bytes",
                        ep.authority()
                    )));
                }
                if let Some(done) = complete(&bytes) {
                    bytes.truncate(done);
                    break;
                }
            }
            Err(e) if is_timeout(&e) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // A TLS peer that closes without close_notify still sent a whole response.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !bytes.is_empty() => break,
            Err(e) => {
                return Err(CliError::Transport(format!(
                    "reading the response from {}: {e}",
                    ep.authority()
                )))
            }
        }
    }
    if bytes.is_empty() {
        return Err(CliError::Transport(format!(
            "{} closed the connection without a response",
            ep.authority()
        )));
    }
    let message = http::parse_message(&bytes, 0).map_err(|e| {
        CliError::Transport(format!(
            "the response from {} is not HTTP: {e}",
            ep.authority()
        ))
    })?;
    Ok(Response { bytes, message })
}

/// The length of a complete message at the start of `buf`, when its framing says it is
/// complete (Content-Length reached or last chunk read); `None` when more may follow.
pub fn complete(buf: &[u8]) -> Option<usize> {
    let head_done =
        buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.windows(2).any(|w| w == b"\n\n");
    if !head_done {
        return None;
    }
    let m = http::parse_message(buf, 0).ok()?;
    let framed = m.header("content-length").is_some()
        || m.header("transfer-encoding")
            .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let incomplete = m.problems.iter().any(|p| {
        matches!(
            p,
            http::HttpProblem::Truncated { .. } | http::HttpProblem::ChunkedMalformed(_)
        )
    });
    if framed && !incomplete {
        Some(m.end)
    } else if !framed && !m.is_response() {
        // A request without framing has no body.
        Some(m.body_start)
    } else {
        None
    }
}
