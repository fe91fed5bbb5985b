//! STOMP 1.0–1.2 frames (stomp.github.io, "STOMP Protocol Specification, Version 1.2").
//!
//! ```text
//! frame   = command EOL *( header EOL ) EOL *OCTET NULL *( EOL )
//! EOL     = [CR] LF
//! header  = header-name ":" header-value
//! ```
//!
//! Heart-beats (bare EOLs) may precede a frame. With `content-length` the body is exactly that
//! many octets and must be followed by NUL; without it the body ends at the first NUL. Header
//! names and values are unescaped (`\r`, `\n`, `\c`, `\\`) except in CONNECT / CONNECTED, as
//! §"Value Encoding" says; the first of repeated headers wins.

use super::headers::Headers;
use crate::error::Error;

/// Commands of STOMP 1.0–1.2, client and server.
pub const COMMANDS: &[&str] = &[
    "SEND",
    "SUBSCRIBE",
    "UNSUBSCRIBE",
    "BEGIN",
    "COMMIT",
    "ABORT",
    "ACK",
    "NACK",
    "DISCONNECT",
    "CONNECT",
    "STOMP",
    "CONNECTED",
    "MESSAGE",
    "RECEIPT",
    "ERROR",
];

/// Largest number of headers accepted in one frame.
pub const MAX_HEADERS: usize = 1000;

/// One parsed frame with exact byte ranges in the buffer it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The command, e.g. `MESSAGE`.
    pub command: String,
    /// Headers in order, unescaped; repeated names kept (the first one counts).
    pub headers: Headers,
    /// Offset of the command's first byte.
    pub start: usize,
    /// Offset of the body's first byte.
    pub body_start: usize,
    /// Offset one past the body (where the NUL is, or the end of input if it is missing).
    pub body_end: usize,
    /// Offset one past the frame (after the NUL and any trailing EOLs).
    pub end: usize,
    /// Problems found while reading (content-length mismatch, bad escapes, missing NUL).
    pub problems: Vec<FrameProblem>,
}

/// What is wrong with a frame that could still be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameProblem {
    /// `content-length` disagrees with where the NUL is.
    ContentLength {
        /// The declared length.
        declared: usize,
        /// The body length up to the first NUL (or the end of input).
        actual: usize,
    },
    /// The frame has no terminating NUL.
    MissingNul,
    /// A header has an escape sequence STOMP does not define.
    BadEscape {
        /// The header name.
        header: String,
    },
}

impl Frame {
    /// The first value of a header (names compare exactly, as STOMP says).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get_exact(name)
    }
}

/// Whether `bytes` start (after heart-beat EOLs) with a STOMP command line.
pub fn looks_like_frame(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|&b| b != b'\n' && b != b'\r')
        .unwrap_or(bytes.len());
    let rest = &bytes[start..];
    let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    if line_end == rest.len() {
        return false;
    }
    let line = rest[..line_end]
        .strip_suffix(b"\r")
        .unwrap_or(&rest[..line_end]);
    COMMANDS.iter().any(|c| c.as_bytes() == line)
}

fn unescape(raw: &str, name: &str, problems: &mut Vec<FrameProblem>) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some('c') => out.push(':'),
            Some('\\') => out.push('\\'),
            other => {
                problems.push(FrameProblem::BadEscape {
                    header: name.to_string(),
                });
                out.push('\\');
                if let Some(o) = other {
                    out.push(o);
                }
            }
        }
    }
    out
}

fn err(offset: usize, reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: format!("STOMP frame at byte {offset}"),
        reason: reason.into(),
    }
}

/// Reads the frame that starts at or after `pos` (skipping heart-beats).
pub fn parse_frame(buf: &[u8], pos: usize) -> Result<Frame, Error> {
    let mut p = pos;
    while p < buf.len() && (buf[p] == b'\n' || buf[p] == b'\r') {
        p += 1;
    }
    let start = p;
    let mut lines = Vec::new();
    // Command and header lines up to the blank line.
    loop {
        let rel = buf[p..]
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| err(start, "the header section is not closed by an empty line"))?;
        let mut line = &buf[p..p + rel];
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
        }
        p += rel + 1;
        if line.is_empty() {
            break;
        }
        if lines.len() > MAX_HEADERS {
            return Err(err(start, format!("more than {MAX_HEADERS} header lines")));
        }
        lines.push(line);
    }
    let (cmd, header_lines) = lines
        .split_first()
        .ok_or_else(|| err(start, "no command line"))?;
    let command = String::from_utf8_lossy(cmd).to_string();
    if !COMMANDS.contains(&command.as_str()) {
        return Err(err(start, format!("unknown command {command:?}")));
    }
    let escaping = command != "CONNECT" && command != "CONNECTED";
    let mut problems = Vec::new();
    let mut headers = Vec::new();
    for line in header_lines {
        let text = String::from_utf8_lossy(line);
        let (name, value) = text
            .split_once(':')
            .ok_or_else(|| err(start, format!("header line {text:?} has no colon")))?;
        if escaping {
            let n = unescape(name, name, &mut problems);
            let v = unescape(value, name, &mut problems);
            headers.push((n, v));
        } else {
            headers.push((name.to_string(), value.to_string()));
        }
    }
    let body_start = p;
    let nul = buf[body_start..]
        .iter()
        .position(|&b| b == 0)
        .map(|i| body_start + i);
    let declared = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map(|(_, v)| v.trim().parse::<usize>());
    let body_end = match declared {
        Some(Ok(len)) => {
            let end = body_start.saturating_add(len);
            if end < buf.len() && buf[end] == 0 {
                end
            } else {
                let actual = nul.unwrap_or(buf.len()) - body_start;
                problems.push(FrameProblem::ContentLength {
                    declared: len,
                    actual,
                });
                nul.unwrap_or(buf.len())
            }
        }
        Some(Err(_)) => {
            return Err(err(start, "content-length is not a number"));
        }
        None => nul.unwrap_or(buf.len()),
    };
    let mut end = body_end;
    if end < buf.len() && buf[end] == 0 {
        end += 1;
    } else {
        problems.push(FrameProblem::MissingNul);
    }
    while end < buf.len() && (buf[end] == b'\n' || buf[end] == b'\r') {
        end += 1;
    }
    Ok(Frame {
        command,
        headers: headers.into(),
        start,
        body_start,
        body_end,
        end,
        problems,
    })
}

/// Reads every frame in `buf` (a capture may hold several); at most `limit`.
pub fn parse_frames(buf: &[u8], limit: usize) -> Result<Vec<Frame>, Error> {
    let mut frames = Vec::new();
    let mut p = 0;
    while p < buf.len() && frames.len() < limit {
        if buf[p..].iter().all(|&b| b == b'\n' || b == b'\r') {
            break;
        }
        let f = parse_frame(buf, p)?;
        p = f.end.max(p + 1);
        frames.push(f);
    }
    Ok(frames)
}

fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            ':' => out.push_str("\\c"),
            other => out.push(other),
        }
    }
    out
}

/// Writes a frame: command, headers (escaped as STOMP 1.2 says, except in CONNECT and
/// CONNECTED), a `content-length` when the body is not empty and none is given, the body and
/// the NUL.
pub fn encode_frame(command: &str, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let raw = matches!(command, "CONNECT" | "CONNECTED" | "STOMP");
    let mut out = Vec::with_capacity(body.len() + 256);
    out.extend_from_slice(command.as_bytes());
    out.push(b'\n');
    let mut has_length = false;
    for (n, v) in headers {
        has_length |= n == "content-length";
        if raw {
            out.extend_from_slice(format!("{n}:{v}\n").as_bytes());
        } else {
            out.extend_from_slice(format!("{}:{}\n", escape(n), escape(v)).as_bytes());
        }
    }
    if !has_length && !body.is_empty() {
        out.extend_from_slice(format!("content-length:{}\n", body.len()).as_bytes());
    }
    out.push(b'\n');
    out.extend_from_slice(body);
    out.push(0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_then_parse_round_trips() {
        let h = vec![
            ("destination".to_string(), "/queue/a".to_string()),
            ("odd".to_string(), "a:b\\c\nd".to_string()),
        ];
        let f = encode_frame("SEND", &h, b"x\0y");
        let frame = parse_frame(&f, 0).unwrap();
        assert_eq!(frame.header("odd"), Some("a:b\\c\nd"));
        assert_eq!(frame.header("content-length"), Some("3"));
        assert_eq!(&f[frame.body_start..frame.body_end], b"x\0y");
        assert!(frame.problems.is_empty());
    }

    #[test]
    fn message_with_escapes_and_length() {
        let f = b"\nMESSAGE\ndestination:/queue/a\nfoo:a\\cb\\nc\ncontent-length:3\n\na\0b\0\n";
        let frame = parse_frame(f, 0).unwrap();
        assert_eq!(frame.command, "MESSAGE");
        assert_eq!(frame.header("foo"), Some("a:b\nc"));
        assert_eq!(&f[frame.body_start..frame.body_end], b"a\0b");
        assert!(frame.problems.is_empty());
        assert_eq!(frame.end, f.len());
    }

    #[test]
    fn content_length_mismatch_is_reported() {
        let f = b"SEND\r\ndestination:/q\r\ncontent-length:10\r\n\r\nhello\0";
        let frame = parse_frame(f, 0).unwrap();
        assert_eq!(
            frame.problems,
            [FrameProblem::ContentLength {
                declared: 10,
                actual: 5
            }]
        );
        assert_eq!(&f[frame.body_start..frame.body_end], b"hello");
    }

    #[test]
    fn connect_headers_are_not_unescaped() {
        let f = b"CONNECT\nlogin:a\\cb\n\n\0";
        assert_eq!(parse_frame(f, 0).unwrap().header("login"), Some("a\\cb"));
        assert!(looks_like_frame(b"\r\nSEND\r\n"));
        assert!(!looks_like_frame(b"SENDX\n"));
        assert!(!looks_like_frame(b"Subject: SEND\n"));
    }

    #[test]
    fn several_frames() {
        let f = b"RECEIPT\nreceipt-id:1\n\n\0\nRECEIPT\nreceipt-id:2\n\n\0";
        let frames = parse_frames(f, 10).unwrap();
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[1].header("receipt-id"), Some("2"));
    }
}
