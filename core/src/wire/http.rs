//! HTTP/1.1 messages (RFC 9112): a request or response head, then a body delimited by
//! `Transfer-Encoding: chunked`, `Content-Length`, or (responses only) the end of input.
//!
//! A file may hold several messages one after another (a request and its response, as a
//! capture shows them). Problems that still let the message be read are collected, not fatal.

use super::headers::Headers;
use crate::error::Error;

/// Largest number of header fields accepted in one message.
pub const MAX_HEADERS: usize = 1000;
/// Most chunks accepted in one chunked body.
pub const MAX_CHUNKS: usize = 1 << 20;

/// The first line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartLine {
    /// `METHOD target HTTP/1.x`.
    Request {
        /// Method, e.g. `POST`.
        method: String,
        /// Request target, e.g. `/scmp`.
        target: String,
        /// Version, e.g. `HTTP/1.1`.
        version: String,
    },
    /// `HTTP/1.x code reason`.
    Response {
        /// Version.
        version: String,
        /// Status code.
        status: u16,
        /// Reason phrase (may be empty).
        reason: String,
    },
}

/// How the body is framed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// The body is the bytes `[start, end)` of the input.
    Range(usize, usize),
    /// The body was chunked; these are the de-chunked bytes.
    Dechunked(Vec<u8>),
}

/// Something wrong with a message that could still be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpProblem {
    /// Content-Length promises more bytes than the input holds.
    Truncated {
        /// Declared length.
        declared: usize,
        /// Bytes present.
        actual: usize,
    },
    /// A request has body bytes but neither Content-Length nor Transfer-Encoding.
    LengthMissing {
        /// Bytes after the head.
        trailing: usize,
    },
    /// Lines end in a bare LF instead of CRLF.
    BareLf,
    /// A chunked body is damaged (bad size line, missing CRLF, no last chunk).
    ChunkedMalformed(String),
}

/// One parsed message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The start line.
    pub start_line: StartLine,
    /// Header fields in order (names as sent).
    pub headers: Headers,
    /// Offset of the first byte of the message.
    pub start: usize,
    /// Offset of the first header line (just after the start line).
    pub headers_start: usize,
    /// Offset of the first body byte (after the blank line).
    pub body_start: usize,
    /// The body.
    pub body: Body,
    /// Offset one past the message.
    pub end: usize,
    /// Problems found while reading.
    pub problems: Vec<HttpProblem>,
}

impl Message {
    /// The first value of a header field (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// The body bytes, borrowing from `input` when not chunked.
    pub fn body<'a>(&'a self, input: &'a [u8]) -> &'a [u8] {
        match &self.body {
            Body::Range(s, e) => &input[*s..*e],
            Body::Dechunked(v) => v,
        }
    }

    /// `POST /scmp` or `200 OK`.
    pub fn describe(&self) -> String {
        match &self.start_line {
            StartLine::Request { method, target, .. } => format!("HTTP {method} {target}"),
            StartLine::Response { status, reason, .. } => {
                format!("HTTP {status} {reason}").trim_end().to_string()
            }
        }
    }

    /// Whether this is a response.
    pub fn is_response(&self) -> bool {
        matches!(self.start_line, StartLine::Response { .. })
    }
}

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE",
];

fn first_line(bytes: &[u8]) -> Option<&str> {
    let end = bytes.iter().position(|&b| b == b'\n')?;
    let line = &bytes[..end];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    std::str::from_utf8(line).ok()
}

/// Whether `bytes` begin with an HTTP/1.x request or status line.
pub fn looks_like_http(bytes: &[u8]) -> bool {
    let Some(line) = first_line(&bytes[..bytes.len().min(8192)]) else {
        return false;
    };
    parse_start_line(line).is_some()
}

fn parse_start_line(line: &str) -> Option<StartLine> {
    if let Some(rest) = line.strip_prefix("HTTP/1.") {
        let mut parts = line.splitn(3, ' ');
        let version = parts.next()?.to_string();
        if rest.len() < 2 || !rest.as_bytes()[0].is_ascii_digit() {
            return None;
        }
        let code = parts.next()?;
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(StartLine::Response {
            version,
            status: code.parse().ok()?,
            reason: parts.next().unwrap_or("").to_string(),
        });
    }
    let mut parts = line.split(' ');
    let method = parts.next()?;
    let target = parts.next()?;
    let version = parts.next()?;
    if parts.next().is_some()
        || !METHODS.contains(&method)
        || target.is_empty()
        || !version.starts_with("HTTP/1.")
    {
        return None;
    }
    Some(StartLine::Request {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
    })
}

fn err(offset: usize, reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: format!("HTTP message at byte {offset}"),
        reason: reason.into(),
    }
}

/// Reads the message that starts at `pos`.
pub fn parse_message(buf: &[u8], pos: usize) -> Result<Message, Error> {
    let mut problems = Vec::new();
    let rest = &buf[pos..];
    let line = first_line(rest).ok_or_else(|| err(pos, "no complete start line"))?;
    let start_line = parse_start_line(line)
        .ok_or_else(|| err(pos, format!("{line:?} is not an HTTP/1.x start line")))?;
    let mut p = pos + rest.iter().position(|&b| b == b'\n').unwrap_or(0) + 1;
    let headers_start = p;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut bare_lf = false;
    loop {
        let Some(nl) = buf[p..].iter().position(|&b| b == b'\n') else {
            return Err(err(pos, "the head ends before its blank line"));
        };
        let raw = &buf[p..p + nl];
        let line = match raw.strip_suffix(b"\r") {
            Some(l) => l,
            None => {
                bare_lf = true;
                raw
            }
        };
        p += nl + 1;
        if line.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(line);
        if line[0] == b' ' || line[0] == b'\t' {
            // obs-fold (RFC 9112 §5.2): join to the previous field.
            let Some(last) = headers.last_mut() else {
                return Err(err(pos, "the head starts with a continuation line"));
            };
            last.1.push(' ');
            last.1.push_str(text.trim());
            continue;
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(err(
                pos,
                format!("header line {text:?} has no colon (RFC 9112 §5)"),
            ));
        };
        if name.is_empty() || name.contains(' ') {
            return Err(err(
                pos,
                format!("header name {name:?} is not a token (RFC 9112 §5.1)"),
            ));
        }
        if headers.len() >= MAX_HEADERS {
            return Err(Error::Limit {
                what: "number of HTTP header fields".into(),
                limit: MAX_HEADERS,
            });
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    if bare_lf {
        problems.push(HttpProblem::BareLf);
    }
    let body_start = p;
    let find = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    let chunked = find("transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().trim_end().ends_with("chunked"));
    let (body, end) = if chunked {
        let (data, end) = dechunk(buf, body_start, &mut problems);
        (Body::Dechunked(data), end)
    } else if let Some(cl) = find("content-length") {
        let declared: usize = cl
            .trim()
            .parse()
            .map_err(|_| err(pos, format!("Content-Length {cl:?} is not a number")))?;
        let available = buf.len() - body_start;
        if declared > available {
            problems.push(HttpProblem::Truncated {
                declared,
                actual: available,
            });
            (Body::Range(body_start, buf.len()), buf.len())
        } else {
            (
                Body::Range(body_start, body_start + declared),
                body_start + declared,
            )
        }
    } else if matches!(start_line, StartLine::Response { .. }) {
        // A response without framing runs to the end of the connection (RFC 9112 §6.3 (8)).
        (Body::Range(body_start, buf.len()), buf.len())
    } else {
        let trailing = &buf[body_start..];
        if trailing.iter().all(|b| b.is_ascii_whitespace()) || looks_like_http(trailing) {
            (Body::Range(body_start, body_start), body_start)
        } else {
            // RFC 9112 §6.3 (7): no body; a pasted request often lacks the length, so read
            // the rest as the body and say so.
            problems.push(HttpProblem::LengthMissing {
                trailing: trailing.len(),
            });
            (Body::Range(body_start, buf.len()), buf.len())
        }
    };
    Ok(Message {
        start_line,
        headers: headers.into(),
        start: pos,
        headers_start,
        body_start,
        body,
        end,
        problems,
    })
}

/// De-chunks a body starting at `p`; returns the data and the offset past the message.
fn dechunk(buf: &[u8], mut p: usize, problems: &mut Vec<HttpProblem>) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    for _ in 0..MAX_CHUNKS {
        let Some(nl) = buf[p..].iter().position(|&b| b == b'\n') else {
            problems.push(HttpProblem::ChunkedMalformed(
                "the body ends before the last chunk".into(),
            ));
            return (out, buf.len());
        };
        let line = String::from_utf8_lossy(&buf[p..p + nl]);
        let size_text = line.trim_end_matches('\r');
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            problems.push(HttpProblem::ChunkedMalformed(format!(
                "chunk size line {size_text:?} is not hexadecimal"
            )));
            return (out, buf.len());
        };
        p += nl + 1;
        if size == 0 {
            // Trailer fields, then the blank line.
            loop {
                let Some(nl) = buf[p..].iter().position(|&b| b == b'\n') else {
                    return (out, buf.len());
                };
                let blank = buf[p..p + nl].iter().all(|&b| b == b'\r');
                p += nl + 1;
                if blank {
                    return (out, p);
                }
            }
        }
        let Some(end) = p.checked_add(size).filter(|&e| e <= buf.len()) else {
            problems.push(HttpProblem::ChunkedMalformed(format!(
                "a chunk of {size} bytes runs past the end of the input"
            )));
            out.extend_from_slice(&buf[p..]);
            return (out, buf.len());
        };
        out.extend_from_slice(&buf[p..end]);
        p = end;
        if buf[p..].starts_with(b"\r\n") {
            p += 2;
        } else if buf[p..].starts_with(b"\n") {
            p += 1;
        } else {
            problems.push(HttpProblem::ChunkedMalformed(
                "a chunk is not followed by CRLF".into(),
            ));
        }
    }
    problems.push(HttpProblem::ChunkedMalformed(format!(
        "more than {MAX_CHUNKS} chunks"
    )));
    (out, buf.len())
}

/// Reads every message in `buf`, at most `limit`.
pub fn parse_messages(buf: &[u8], limit: usize) -> Result<Vec<Message>, Error> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < buf.len() {
        let skip = buf[p..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(buf.len() - p);
        p += skip;
        if p >= buf.len() {
            break;
        }
        if out.len() >= limit {
            return Err(Error::Limit {
                what: "number of HTTP messages".into(),
                limit,
            });
        }
        let m = parse_message(buf, p)?;
        p = m.end.max(p + 1);
        out.push(m);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_with_length_and_response_to_end() {
        let buf = b"POST /scmp HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbye";
        let ms = parse_messages(buf, 10).unwrap();
        assert_eq!(ms.len(), 2);
        assert_eq!(ms[0].body(buf), b"hello");
        assert_eq!(ms[0].describe(), "HTTP POST /scmp");
        assert_eq!(ms[1].body(buf), b"bye");
        assert_eq!(ms[1].describe(), "HTTP 200 OK");
        assert!(ms[0].problems.is_empty());
    }

    #[test]
    fn chunked_body() {
        let buf = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
        let m = parse_message(buf, 0).unwrap();
        assert_eq!(m.body(buf), b"abcde");
        assert_eq!(m.end, buf.len());
        assert!(m.problems.is_empty());
    }

    #[test]
    fn damaged_inputs_are_reported_not_fatal() {
        let buf = b"POST / HTTP/1.1\r\nContent-Length: 99\r\n\r\nshort";
        let m = parse_message(buf, 0).unwrap();
        assert_eq!(
            m.problems,
            vec![HttpProblem::Truncated {
                declared: 99,
                actual: 5
            }]
        );
        let buf = b"GET / HTTP/1.1\nHost: a\n\n";
        assert_eq!(
            parse_message(buf, 0).unwrap().problems,
            vec![HttpProblem::BareLf]
        );
        assert!(parse_message(b"POST / HTTP/1.1\r\nbad line\r\n\r\n", 0).is_err());
        assert!(!looks_like_http(b"SEND\ndestination:/q\n\n\0"));
        assert!(looks_like_http(b"HTTP/1.0 404 Not Found\r\n"));
    }
}
