//! MIME entities (RFC 2045/2046) with exact byte ranges, read with mail-parser, and the
//! S/MIME canonical form (RFC 8551 §3.1.1).

use super::headers::Headers;
use crate::error::Error;
use mail_parser::{MessageParser, MimeHeaders, PartType};

/// Deepest MIME nesting followed.
pub const MAX_MIME_DEPTH: usize = 32;

/// The Content-Type of an entity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContentType {
    /// Lower-case `type/subtype`.
    pub media_type: String,
    /// Parameters, names lower-case, in order.
    pub params: Vec<(String, String)>,
}

impl ContentType {
    /// A parameter's value (names compare case-insensitively).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `type/subtype; a=b; c=d` for display.
    pub fn display(&self) -> String {
        let mut s = self.media_type.clone();
        for (n, v) in &self.params {
            s.push_str(&format!("; {n}={v}"));
        }
        s
    }
}

/// One child of a multipart entity: its exact bytes within the parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildPart {
    /// Offset of the child's first header byte within the entity.
    pub start: usize,
    /// Offset one past the child's last byte (before the line break of the next boundary).
    pub end: usize,
}

/// A parsed MIME entity: its headers, type, body range and decoded body.
#[derive(Clone, Debug)]
pub struct Entity {
    /// Header fields as (name, unfolded value), in order.
    pub headers: Headers,
    /// Content-Type (text/plain when absent, RFC 2045 §5.2).
    pub content_type: ContentType,
    /// Whether a Content-Type header was present.
    pub has_content_type: bool,
    /// Content-Transfer-Encoding, lower-case, if given.
    pub transfer_encoding: Option<String>,
    /// Offset of the body within the entity.
    pub body_start: usize,
    /// Offset one past the body.
    pub body_end: usize,
    /// The body after transfer decoding (not charset conversion) for leaf entities.
    pub decoded: Vec<u8>,
    /// Children of a multipart, exact byte ranges.
    pub children: Vec<ChildPart>,
    /// Whether mail-parser flagged a transfer-encoding problem.
    pub encoding_problem: bool,
}

/// Header fields that make a header block a MIME entity or an Internet message rather than
/// text that merely has `Key: value` lines (an APEL accounting record, for instance).
const ENTITY_FIELDS: &[&str] = &[
    "content-type",
    "content-transfer-encoding",
    "content-disposition",
    "mime-version",
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "received",
    "return-path",
];

/// Most bytes [`looks_like_mime`] reads (besides the first line's first five).
pub const LOOKS_LIKE_MIME_SCAN: usize = 64 * 1024;

/// Whether `bytes` start like a MIME entity or an Internet message: an mbox `From ` line, or
/// header field lines (`Name: value`) up to a blank line among which is a MIME or message
/// field (Content-Type, MIME-Version, From, …).
pub fn looks_like_mime(bytes: &[u8]) -> bool {
    let line_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let line = &bytes[..line_end];
    if line.starts_with(b"From ") {
        return true;
    }
    let head = &bytes[..bytes.len().min(LOOKS_LIKE_MIME_SCAN)];
    for raw in head.split(|&b| b == b'\n') {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.is_empty() {
            return false;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return false;
        };
        let name = &line[..colon];
        if colon == 0 || !name.iter().all(|&b| (33..=126).contains(&b)) {
            return false;
        }
        if ENTITY_FIELDS
            .iter()
            .any(|f| f.as_bytes().eq_ignore_ascii_case(name))
        {
            return true;
        }
    }
    false
}

fn unfold(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(text.len());
    for piece in text.split(['\r', '\n']) {
        if piece.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(piece.trim());
    }
    out.trim().to_string()
}

/// Finds the exact children of a multipart body by its boundary (RFC 2046 §5.1.1): each
/// child runs from after its delimiter line to before the line break that precedes the next
/// delimiter, which belongs to the delimiter.
pub fn split_multipart(entity: &[u8], body_start: usize, boundary: &str) -> Vec<ChildPart> {
    let delim = format!("--{boundary}");
    let body = &entity[body_start.min(entity.len())..];
    let marks = delimiter_lines(body, delim.as_bytes(), usize::MAX);
    let mut out = Vec::new();
    for w in marks.windows(2) {
        let (_, open_end, close) = w[0];
        if close {
            break;
        }
        let (next_start, _, _) = w[1];
        // The CRLF (or LF) before the next delimiter belongs to that delimiter.
        let mut end = next_start;
        if end > open_end && body[end - 1] == b'\n' {
            end -= 1;
            if end > open_end && body[end - 1] == b'\r' {
                end -= 1;
            }
        }
        out.push(ChildPart {
            start: body_start + open_end,
            end: body_start + end.max(open_end),
        });
    }
    out
}

/// Where the first child of a multipart body begins (offset within the entity), found as
/// [`split_multipart`] finds it, when the whole first delimiter line lies in `entity` (which
/// may be only the first bytes of a message).
pub fn first_part_start(entity: &[u8], body_start: usize, boundary: &str) -> Option<usize> {
    let delim = format!("--{boundary}");
    let body = entity.get(body_start..)?;
    let &(_, open_end, close) = delimiter_lines(body, delim.as_bytes(), 1).first()?;
    (!close && open_end > 0 && body[open_end - 1] == b'\n').then_some(body_start + open_end)
}

/// Delimiter lines of a multipart body (`d` is "--" and the boundary), at most `limit`:
/// (line start, line end after its LF, whether it is the close delimiter). A delimiter line
/// starts the body or follows a LF; the scan stops after the close delimiter.
fn delimiter_lines(body: &[u8], d: &[u8], limit: usize) -> Vec<(usize, usize, bool)> {
    let mut marks: Vec<(usize, usize, bool)> = Vec::new();
    let mut i = 0;
    while i + d.len() <= body.len() && marks.len() < limit {
        let at_line_start = i == 0 || body[i - 1] == b'\n';
        if at_line_start && body[i..].starts_with(d) {
            let after = i + d.len();
            let close = body[after..].starts_with(b"--");
            let line_end = body[after..]
                .iter()
                .position(|&b| b == b'\n')
                .map(|p| after + p + 1)
                .unwrap_or(body.len());
            marks.push((i, line_end, close));
            if close {
                break;
            }
            i = line_end;
            continue;
        }
        match body[i..].iter().position(|&b| b == b'\n') {
            Some(p) => i += p + 1,
            None => break,
        }
    }
    marks
}

/// Parses one entity (headers + body).
pub fn parse_entity(bytes: &[u8]) -> Result<Entity, Error> {
    // A body part without a header section (or an empty one) is text/plain in US-ASCII
    // (RFC 2046 §5.1.1); mail-parser returns nothing for it.
    let Some(msg) = MessageParser::new().parse(bytes) else {
        return Ok(headerless(bytes));
    };
    let Some(root) = msg.parts.first() else {
        return Ok(headerless(bytes));
    };
    let clamp = |v: u32| usize::try_from(v).unwrap_or(usize::MAX).min(bytes.len());
    let mut headers = Vec::new();
    let mut ctype_raw: Option<String> = None;
    let mut cte: Option<String> = None;
    for h in root.headers() {
        let name = h.name().to_string();
        let (s, e) = (clamp(h.offset_start()), clamp(h.offset_end()));
        let value = if s <= e {
            unfold(&bytes[s..e])
        } else {
            String::new()
        };
        if name.eq_ignore_ascii_case("content-type") {
            ctype_raw = Some(value.clone());
        }
        if name.eq_ignore_ascii_case("content-transfer-encoding") {
            cte = Some(value.trim().to_ascii_lowercase());
        }
        headers.push((name, value));
    }
    let content_type = match root.content_type() {
        Some(ct) => ContentType {
            media_type: format!(
                "{}/{}",
                ct.ctype().to_ascii_lowercase(),
                ct.subtype().unwrap_or("").to_ascii_lowercase()
            ),
            params: ct
                .attributes()
                .unwrap_or_default()
                .iter()
                .map(|a| (a.name.to_ascii_lowercase(), a.value.to_string()))
                .collect(),
        },
        None => ContentType {
            media_type: "text/plain".into(),
            params: vec![("charset".into(), "us-ascii".into())],
        },
    };
    let body_start = clamp(root.offset_body);
    let body_end = clamp(root.offset_end).max(body_start);
    let children = if content_type.media_type.starts_with("multipart/") {
        match content_type.param("boundary") {
            Some(b) => split_multipart(bytes, body_start, b),
            None => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let decoded = match &root.body {
        PartType::Text(_) | PartType::Html(_) => {
            // Transfer-decode without charset conversion, so digests match the bytes.
            transfer_decode(&bytes[body_start..body_end], cte.as_deref())
        }
        PartType::Binary(b) | PartType::InlineBinary(b) => b.to_vec(),
        PartType::Message(_) => transfer_decode(&bytes[body_start..body_end], cte.as_deref()),
        PartType::Multipart(_) => Vec::new(),
    };
    Ok(Entity {
        headers: headers.into(),
        has_content_type: ctype_raw.is_some(),
        content_type,
        transfer_encoding: cte,
        body_start,
        body_end,
        decoded,
        children,
        encoding_problem: root.is_encoding_problem,
    })
}

fn headerless(bytes: &[u8]) -> Entity {
    // Skip the empty line that ends an empty header section, if present.
    let body_start = if bytes.starts_with(b"\r\n") {
        2
    } else if bytes.starts_with(b"\n") {
        1
    } else {
        0
    };
    Entity {
        headers: Headers::new(),
        content_type: ContentType {
            media_type: "text/plain".into(),
            params: vec![("charset".into(), "us-ascii".into())],
        },
        has_content_type: false,
        transfer_encoding: None,
        body_start,
        body_end: bytes.len(),
        decoded: bytes[body_start..].to_vec(),
        children: Vec::new(),
        encoding_problem: false,
    }
}

/// Undoes a Content-Transfer-Encoding (base64, quoted-printable; others are identity).
pub fn transfer_decode(body: &[u8], cte: Option<&str>) -> Vec<u8> {
    match cte {
        Some("base64") => crate::wire::pem::decode_base64(body).unwrap_or_else(|_| body.to_vec()),
        Some("quoted-printable") => decode_qp(body),
        _ => body.to_vec(),
    }
}

fn decode_qp(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    let hexval = |b: u8| (b as char).to_digit(16).map(|v| v as u8);
    while i < body.len() {
        let b = body[i];
        if b == b'=' {
            if body.get(i + 1) == Some(&b'\r') && body.get(i + 2) == Some(&b'\n') {
                i += 3;
                continue;
            }
            if body.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if let (Some(h), Some(l)) = (
                body.get(i + 1).and_then(|&c| hexval(c)),
                body.get(i + 2).and_then(|&c| hexval(c)),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

/// The S/MIME canonical form: every line break CRLF (RFC 8551 §3.1.1). Bare LF becomes
/// CRLF; existing CRLF is kept; a bare CR is left as it is. Bytes already in that form are
/// borrowed, not copied (the usual case for a signed part as sent).
pub fn canonicalise(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let bare_lf = bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\n' && (i == 0 || bytes[i - 1] != b'\r'));
    if !bare_lf {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let extra = bytes.iter().filter(|&&b| b == b'\n').count();
    let mut out = Vec::with_capacity(bytes.len() + extra);
    let mut prev = 0u8;
    for &b in bytes {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form() {
        assert_eq!(&canonicalise(b"a\nb\r\nc")[..], b"a\r\nb\r\nc");
        assert_eq!(&canonicalise(b"\na\r")[..], b"\r\na\r");
        // Already canonical: borrowed.
        let crlf = b"a\r\n\r\nb\rc";
        assert!(matches!(canonicalise(crlf), std::borrow::Cow::Borrowed(b) if b == crlf));
    }

    #[test]
    fn splits_exactly() {
        let e = b"Content-Type: multipart/signed; boundary=XX\r\n\r\npreamble\r\n--XX\r\nA: 1\r\n\r\nbody\r\n--XX\r\nsig\r\n--XX--\r\n";
        let ent = parse_entity(e).unwrap();
        assert_eq!(ent.children.len(), 2);
        let c0 = &ent.children[0];
        assert_eq!(&e[c0.start..c0.end], b"A: 1\r\n\r\nbody");
        let c1 = &ent.children[1];
        assert_eq!(&e[c1.start..c1.end], b"sig");
    }

    #[test]
    fn splits_lf_only() {
        let e = b"Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nx\n--b--\n";
        let ent = parse_entity(e).unwrap();
        assert_eq!(ent.children.len(), 1);
        assert_eq!(&e[ent.children[0].start..ent.children[0].end], b"x");
    }

    #[test]
    fn qp() {
        assert_eq!(decode_qp(b"a=3Db=\r\nc"), b"a=bc");
    }
}
