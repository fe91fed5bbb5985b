//! A small HTTP/1.1 server for `listen`, `serve-scmp` and `serve-ra`: loopback by default,
//! plain or TLS (rustls), one request per connection, bounded sizes and timeouts, stops
//! after a count or an idle timeout.

use super::http_client::complete;
use crate::error::CliError;
use sealscope_core::wire::http;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Limits of a listening session.
#[derive(Clone, Debug)]
pub struct ServeLimits {
    /// Stop after this many requests.
    pub count: Option<usize>,
    /// Stop when nothing arrives for this long.
    pub idle: Option<Duration>,
    /// Largest request accepted.
    pub max_request: usize,
    /// Per-connection read timeout.
    pub read_timeout: Duration,
    /// Set by another thread to stop serving (checked between connections).
    pub stop: Option<Arc<AtomicBool>>,
}

impl ServeLimits {
    /// Limits from the command line's `--count`, `--idle` (seconds), `--timeout` and
    /// `--max-size`.
    pub fn new(
        count: Option<usize>,
        idle_secs: Option<u64>,
        read_timeout: Duration,
        max_request: usize,
    ) -> Self {
        ServeLimits {
            count,
            idle: idle_secs.map(Duration::from_secs),
            max_request,
            read_timeout,
            stop: None,
        }
    }
}

/// One request as received.
pub struct Request {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The parsed request.
    pub message: http::Message,
    /// The peer's address.
    pub peer: String,
}

/// The start of the reason given for an oversize request.
const TOO_LARGE: &str = "request larger than";

/// A connection closed before sending anything (a port probe).
const NO_REQUEST: &str = "connection closed with no request";

/// A connection's byte stream: plain TCP or TLS over it.
trait Stream: Read + Write {
    /// The TCP socket under it, for timeouts and shutdown.
    fn tcp(&self) -> &TcpStream;
    /// Ends the stream's own protocol (TLS close_notify) before the socket is shut.
    fn close(&mut self) {}
}

impl Stream for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl Stream for rustls::StreamOwned<rustls::ServerConnection, TcpStream> {
    fn tcp(&self) -> &TcpStream {
        &self.sock
    }
    fn close(&mut self) {
        self.conn.send_close_notify();
        let _ = self.flush();
    }
}

fn read_request(stream: &mut dyn Stream, limits: &ServeLimits) -> Result<Vec<u8>, String> {
    let deadline = Instant::now() + limits.read_timeout;
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if let Some(n) = complete(&buf) {
            buf.truncate(n);
            return Ok(buf);
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(format!(
                "incomplete request after {:?} ({} bytes)",
                limits.read_timeout,
                buf.len()
            ));
        }
        let _ = stream.tcp().set_read_timeout(Some(deadline - now));
        match stream.read(&mut chunk) {
            Ok(0) if buf.is_empty() => return Err(NO_REQUEST.into()),
            Ok(0) => return Ok(buf),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                if buf.len() > limits.max_request {
                    return Err(format!("request larger than {} bytes", limits.max_request));
                }
            }
            Err(e) if super::is_timeout(&e) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// An HTTP response with a body.
pub fn response(status: u16, reason: &str, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut v = format!("HTTP/1.1 {status} {reason}\r\n").into_bytes();
    for (n, val) in headers {
        v.extend_from_slice(format!("{n}: {val}\r\n").as_bytes());
    }
    v.extend_from_slice(
        format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    v.extend_from_slice(body);
    v
}

/// Serves until the limits say stop; `handle` turns each request into a response (bytes),
/// or `None` to close the connection without answering. With `tls`, every connection is
/// TLS (the handshake happens on the first read). Returns the number of requests handled.
pub fn serve(
    listener: &TcpListener,
    limits: &ServeLimits,
    tls: Option<Arc<rustls::ServerConfig>>,
    mut handle: impl FnMut(Request) -> Option<Vec<u8>>,
) -> Result<usize, CliError> {
    listener
        .set_nonblocking(true)
        .map_err(|e| CliError::Transport(format!("listener: {e}")))?;
    let mut handled = 0;
    let mut last = Instant::now();
    loop {
        if limits.count.is_some_and(|c| handled >= c) {
            return Ok(handled);
        }
        if limits.idle.is_some_and(|d| last.elapsed() >= d)
            || limits
                .stop
                .as_ref()
                .is_some_and(|s| s.load(Ordering::Relaxed))
        {
            return Ok(handled);
        }
        match listener.accept() {
            Ok((tcp, peer)) => {
                let _ = tcp.set_nonblocking(false);
                let _ = tcp.set_write_timeout(Some(limits.read_timeout));
                last = Instant::now();
                let mut stream: Box<dyn Stream> = match &tls {
                    None => Box::new(tcp),
                    Some(config) => match rustls::ServerConnection::new(config.clone()) {
                        Ok(conn) => Box::new(rustls::StreamOwned::new(conn, tcp)),
                        Err(e) => {
                            eprintln!("sealscope: {peer}: TLS: {e}");
                            continue;
                        }
                    },
                };
                let reply = match read_request(stream.as_mut(), limits) {
                    Ok(bytes) => match http::parse_message(&bytes, 0) {
                        Ok(message) => {
                            handled += 1;
                            handle(Request {
                                bytes,
                                message,
                                peer: peer.to_string(),
                            })
                        }
                        Err(e) => Some(response(
                            400,
                            "Bad Request",
                            &[],
                            format!("{e}\n").as_bytes(),
                        )),
                    },
                    Err(why) if why == NO_REQUEST => continue,
                    Err(why) => {
                        eprintln!("sealscope: {peer}: {why}");
                        // A TLS failure cannot be answered in HTTP.
                        if tls.is_some()
                            && !why.starts_with(TOO_LARGE)
                            && !why.starts_with("incomplete")
                        {
                            continue;
                        }
                        let (status, reason) = if why.starts_with(TOO_LARGE) {
                            (413, "Content Too Large")
                        } else {
                            (400, "Bad Request")
                        };
                        Some(response(status, reason, &[], format!("{why}\n").as_bytes()))
                    }
                };
                let Some(reply) = reply else {
                    // Closed without an answer, as the handler asked.
                    let _ = stream.tcp().shutdown(std::net::Shutdown::Both);
                    continue;
                };
                let _ = stream.write_all(&reply).and_then(|_| stream.flush());
                stream.close();
                // Read what the peer still sends (briefly) so closing does not reset the
                // connection before it has read the answer.
                let _ = stream.tcp().shutdown(std::net::Shutdown::Write);
                let _ = stream
                    .tcp()
                    .set_read_timeout(Some(Duration::from_millis(200)));
                let mut sink = [0u8; 16 * 1024];
                for _ in 0..1024 {
                    match stream.read(&mut sink) {
                        Ok(n) if n > 0 => {}
                        _ => break,
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(CliError::Transport(format!("accept: {e}"))),
        }
    }
}
