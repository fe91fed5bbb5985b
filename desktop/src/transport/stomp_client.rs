//! A STOMP 1.2 client (falls back to what the broker offers, 1.0–1.2): CONNECT with login,
//! SEND with a receipt awaited under a timeout, SUBSCRIBE with client-individual ACKs and a
//! prefetch limit, transactions (BEGIN, SEND and ACK in it, COMMIT with a receipt),
//! DISCONNECT with a receipt. Frames are read with the core's parser.

use super::{is_timeout, Conn, Endpoint, TlsOptions};
use crate::error::CliError;
use sealscope_core::wire::stomp::{self, Frame};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// Connection options.
#[derive(Clone, Debug)]
pub struct StompOptions {
    /// `login` header.
    pub login: Option<String>,
    /// `passcode` header.
    pub passcode: Option<String>,
    /// Virtual host (`host` header); the URL's host when absent.
    pub vhost: Option<String>,
    /// Connect and receipt timeout.
    pub timeout: Duration,
    /// Largest frame accepted.
    pub max_frame: usize,
}

/// A frame received, with its bytes.
#[derive(Clone, Debug)]
pub struct Received {
    /// The frame's bytes (command to NUL).
    pub bytes: Vec<u8>,
    /// The parsed frame (offsets into `bytes`).
    pub frame: Frame,
}

impl Received {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.frame.header(name)
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.bytes[self.frame.body_start..self.frame.body_end]
    }

    fn error_text(&self) -> String {
        let msg = self.header("message").unwrap_or("(no message header)");
        let body = String::from_utf8_lossy(self.body());
        let body = body.trim();
        if body.is_empty() {
            msg.to_string()
        } else {
            format!("{msg}: {}", body.lines().next().unwrap_or(""))
        }
    }
}

/// A connected session.
pub struct StompClient {
    conn: Conn,
    buf: Vec<u8>,
    /// The protocol version the broker chose.
    pub version: String,
    /// The broker's `server` header.
    pub server: Option<String>,
    opts: StompOptions,
    next_receipt: u64,
}

/// Headers the client sets itself on a SEND, whatever the caller passes.
fn is_framing(name: &str) -> bool {
    matches!(
        name,
        "destination" | "receipt" | "content-length" | "transaction"
    )
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The length of the first complete frame in `buf` (including leading heart-beats), if one
/// is complete; `Err` when its head is not STOMP.
fn complete_frame(buf: &[u8]) -> Option<usize> {
    let start = buf.iter().position(|&b| b != b'\n' && b != b'\r')?;
    let rest = &buf[start..];
    let a = find(rest, b"\n\n").map(|p| p + 2);
    let b = find(rest, b"\n\r\n").map(|p| p + 3);
    let body_start = match (a, b) {
        (Some(x), Some(y)) => x.min(y),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => return None,
    };
    let head = String::from_utf8_lossy(&rest[..body_start]);
    let length = head
        .lines()
        .find_map(|l| l.trim_end_matches('\r').strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let end = match length {
        Some(n) => {
            let end = body_start.checked_add(n)?.checked_add(1)?;
            (end <= rest.len()).then_some(end)?
        }
        None => rest[body_start..].iter().position(|&b| b == 0)? + body_start + 1,
    };
    Some(start + end)
}

impl StompClient {
    /// Connects and logs in; an ERROR frame, a refusal or silence past the timeout is an
    /// error that says which.
    pub fn connect(ep: &Endpoint, tls: &TlsOptions, opts: StompOptions) -> Result<Self, CliError> {
        let conn = Conn::connect(ep, tls, opts.timeout)?;
        let mut c = StompClient {
            conn,
            buf: Vec::new(),
            version: "1.0".into(),
            server: None,
            opts,
            next_receipt: 1,
        };
        let mut h = vec![
            ("accept-version".to_string(), "1.0,1.1,1.2".to_string()),
            (
                "host".to_string(),
                c.opts.vhost.clone().unwrap_or_else(|| ep.host.clone()),
            ),
            ("heart-beat".to_string(), "0,0".to_string()),
        ];
        if let Some(l) = &c.opts.login {
            h.push(("login".into(), l.clone()));
        }
        if let Some(p) = &c.opts.passcode {
            h.push(("passcode".into(), p.clone()));
        }
        c.write_frame("CONNECT", &h, b"")?;
        let deadline = Instant::now() + c.opts.timeout;
        let f = c.read_frame(deadline)?.ok_or_else(|| {
            CliError::Transport(format!(
                "{}: no CONNECTED frame within {:?}",
                ep.authority(),
                c.opts.timeout
            ))
        })?;
        match f.frame.command.as_str() {
            "CONNECTED" => {
                c.version = f.header("version").unwrap_or("1.0").to_string();
                c.server = f.header("server").map(str::to_string);
                Ok(c)
            }
            "ERROR" => Err(CliError::Transport(format!(
                "{} refused the connection: {}",
                ep.authority(),
                f.error_text()
            ))),
            other => Err(CliError::Transport(format!(
                "{} answered CONNECT with {other}",
                ep.authority()
            ))),
        }
    }

    fn write_frame(
        &mut self,
        command: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<(), CliError> {
        let bytes = stomp::encode_frame(command, headers, body);
        self.conn
            .write_all(&bytes)
            .and_then(|_| self.conn.flush())
            .map_err(|e| CliError::Transport(format!("writing {command}: {e}")))
    }

    /// Reads the next frame; `None` when the deadline passes first.
    pub fn read_frame(&mut self, deadline: Instant) -> Result<Option<Received>, CliError> {
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            if let Some(len) = complete_frame(&self.buf) {
                let bytes: Vec<u8> = self.buf.drain(..len).collect();
                let frame = stomp::parse_frame(&bytes, 0)
                    .map_err(|e| CliError::Transport(format!("broker sent a bad frame: {e}")))?;
                let bytes = bytes[..frame.end.min(bytes.len())].to_vec();
                return Ok(Some(Received { bytes, frame }));
            }
            if self.buf.iter().all(|&b| b == b'\n' || b == b'\r') {
                self.buf.clear(); // heart-beats only
            }
            if self.buf.len() > self.opts.max_frame {
                return Err(CliError::Transport(format!(
                    "a frame exceeds the limit of {} bytes",
                    self.opts.max_frame
                )));
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            self.conn
                .set_read_timeout((deadline - now).max(Duration::from_millis(10)));
            match self.conn.read(&mut chunk) {
                Ok(0) => {
                    return Err(CliError::Transport(
                        "the broker closed the connection".into(),
                    ))
                }
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if is_timeout(&e) => return Ok(None),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(CliError::Transport(format!("reading from broker: {e}"))),
            }
        }
    }

    fn receipt_id(&mut self) -> String {
        let id = format!("sealscope-{}-{}", std::process::id(), self.next_receipt);
        self.next_receipt += 1;
        id
    }

    /// Waits for the RECEIPT of `id`; MESSAGE frames that arrive meanwhile are returned too.
    fn await_receipt(
        &mut self,
        id: &str,
        what: &str,
    ) -> Result<(Received, Vec<Received>), CliError> {
        let deadline = Instant::now() + self.opts.timeout;
        let mut others = Vec::new();
        loop {
            let Some(f) = self.read_frame(deadline)? else {
                return Err(CliError::Transport(format!(
                    "no RECEIPT for {what} within {:?}",
                    self.opts.timeout
                )));
            };
            match f.frame.command.as_str() {
                "RECEIPT" if f.header("receipt-id") == Some(id) => return Ok((f, others)),
                "ERROR" => {
                    return Err(CliError::Transport(format!(
                        "broker ERROR for {what}: {}",
                        f.error_text()
                    )))
                }
                _ => others.push(f),
            }
        }
    }

    /// Sends one message and waits for its receipt. Returns the RECEIPT frame.
    pub fn send(
        &mut self,
        destination: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Received, CliError> {
        let id = self.receipt_id();
        let mut h = vec![("destination".to_string(), destination.to_string())];
        h.extend(headers.iter().filter(|(n, _)| !is_framing(n)).cloned());
        h.push(("receipt".into(), id.clone()));
        h.push(("content-length".into(), body.len().to_string()));
        self.write_frame("SEND", &h, body)?;
        Ok(self
            .await_receipt(&id, &format!("SEND to {destination}"))?
            .0)
    }

    /// Subscribes with client-individual acknowledgement (confirmed by a receipt). With
    /// `prefetch`, the broker sends at most that many messages not yet acknowledged
    /// (ActiveMQ's `activemq.prefetchSize`, RabbitMQ's `prefetch-count`), so competing
    /// consumers share a queue instead of the first one taking a thousand messages.
    pub fn subscribe(
        &mut self,
        destination: &str,
        id: &str,
        prefetch: Option<u32>,
    ) -> Result<Vec<Received>, CliError> {
        let rid = self.receipt_id();
        let ack = if self.version == "1.0" {
            "client"
        } else {
            "client-individual"
        };
        let h = vec![
            ("id".to_string(), id.to_string()),
            ("destination".to_string(), destination.to_string()),
            ("ack".to_string(), ack.to_string()),
            ("receipt".to_string(), rid.clone()),
        ];
        let mut h = h;
        if let Some(n) = prefetch {
            h.push(("activemq.prefetchSize".into(), n.to_string()));
            h.push(("prefetch-count".into(), n.to_string()));
        }
        self.write_frame("SUBSCRIBE", &h, b"")?;
        Ok(self
            .await_receipt(&rid, &format!("SUBSCRIBE to {destination}"))?
            .1)
    }

    /// Acknowledges a MESSAGE (the header STOMP 1.2, 1.1 or 1.0 asks for).
    pub fn ack(&mut self, m: &Received) -> Result<(), CliError> {
        self.ack_in(m, None)
    }

    /// Begins a transaction; the SENDs and ACKs given its id take effect together at
    /// [`StompClient::commit`], or not at all when the connection ends first.
    pub fn begin(&mut self) -> Result<String, CliError> {
        let tx = format!("tx-{}", self.receipt_id());
        self.write_frame("BEGIN", &[("transaction".into(), tx.clone())], b"")?;
        Ok(tx)
    }

    /// Sends a message inside transaction `tx` (no receipt: the COMMIT's confirms it).
    pub fn send_in(
        &mut self,
        tx: &str,
        destination: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<(), CliError> {
        let mut h = vec![
            ("destination".to_string(), destination.to_string()),
            ("transaction".to_string(), tx.to_string()),
        ];
        h.extend(headers.iter().filter(|(n, _)| !is_framing(n)).cloned());
        h.push(("content-length".into(), body.len().to_string()));
        self.write_frame("SEND", &h, body)
    }

    /// Commits transaction `tx` and waits for the broker's receipt; MESSAGE frames that
    /// arrive meanwhile are returned.
    pub fn commit(&mut self, tx: &str) -> Result<Vec<Received>, CliError> {
        let rid = self.receipt_id();
        self.write_frame(
            "COMMIT",
            &[
                ("transaction".into(), tx.to_string()),
                ("receipt".into(), rid.clone()),
            ],
            b"",
        )?;
        Ok(self.await_receipt(&rid, &format!("COMMIT of {tx}"))?.1)
    }

    /// Acknowledges a MESSAGE, inside transaction `tx` when given.
    pub fn ack_in(&mut self, m: &Received, tx: Option<&str>) -> Result<(), CliError> {
        let mut h = Vec::new();
        if let Some(tx) = tx {
            h.push(("transaction".to_string(), tx.to_string()));
        }
        match self.version.as_str() {
            "1.2" => {
                let id = m
                    .header("ack")
                    .or_else(|| m.header("message-id"))
                    .unwrap_or("");
                h.push(("id".to_string(), id.to_string()));
            }
            _ => {
                h.push((
                    "message-id".to_string(),
                    m.header("message-id").unwrap_or("").to_string(),
                ));
                if let Some(s) = m.header("subscription") {
                    h.push(("subscription".into(), s.to_string()));
                }
            }
        }
        self.write_frame("ACK", &h, b"")
    }

    /// Disconnects politely (waits briefly for the receipt; ignores its absence).
    pub fn disconnect(mut self) {
        let id = self.receipt_id();
        if self
            .write_frame("DISCONNECT", &[("receipt".into(), id.clone())], b"")
            .is_ok()
        {
            self.opts.timeout = self.opts.timeout.min(Duration::from_secs(2));
            let _ = self.await_receipt(&id, "DISCONNECT");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::complete_frame;

    #[test]
    fn frame_boundaries() {
        assert_eq!(
            complete_frame(b"\n\nRECEIPT\nreceipt-id:1\n\n\0rest"),
            Some(25)
        );
        assert_eq!(complete_frame(b"MESSAGE\ncontent-length:3\n\na\0b"), None);
        assert_eq!(
            complete_frame(b"MESSAGE\ncontent-length:3\n\na\0b\0"),
            Some(30)
        );
        assert_eq!(complete_frame(b"MESSAGE\nx:y\n"), None);
    }
}
