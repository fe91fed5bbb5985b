//! Profile templates for composing: the carriers and headers each protocol expects, built
//! around [`crate::compose`]. Everything here is bytes in, bytes out; sending is the
//! desktop's job.

use crate::compose::profile::{Template, TemplateError};
use crate::compose::{self, ComposeOptions, SignOptions};
use crate::error::Error;
use crate::time::UnixTime;
use rand_core::CryptoRng;

fn err(reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: "profile template".into(),
        reason: reason.into(),
    }
}

fn random_digits(rng: &mut dyn CryptoRng, n: usize) -> String {
    let mut out = String::with_capacity(n);
    while out.len() < n {
        let mut b = [0u8; 1];
        rng.fill_bytes(&mut b);
        // Rejection sampling keeps the digits uniform.
        if b[0] < 250 {
            out.push(char::from(b'0' + b[0] % 10));
        }
    }
    out
}

/// An SCMP request id as the draft suggests (§2.2.3): a client-side time value for
/// uniqueness (10 digits of Unix seconds) followed by 12 random digits for unpredictability.
pub fn scmp_request_id(at: UnixTime, rng: &mut dyn CryptoRng) -> String {
    let secs = at.0.rem_euclid(10_000_000_000);
    format!("{secs:010}{}", random_digits(rng, 12))
}

/// An SSM message id in the form SSM2 uses for `empa-id` (its dirq element name: eight hex
/// digits of the time, a slash, fourteen hex digits).
pub fn ssm_message_id(at: UnixTime, rng: &mut dyn CryptoRng) -> String {
    let mut r = [0u8; 3];
    rng.fill_bytes(&mut r);
    let secs = u32::try_from(at.0.rem_euclid(1 << 32)).unwrap_or(0);
    format!("{secs:08x}/{secs:08x}{}", hex::encode(r))
}

/// The `SCMP-protocol-version` a message carries unless told otherwise.
pub const SCMP_PROTOCOL_VERSION: &str = "2.0";
/// The `SCMP-request-time-to-live` (seconds) a message carries unless told otherwise.
pub const SCMP_TTL: u64 = 90;
/// The `SCMP-message-type` a message carries unless told otherwise.
pub const SCMP_MESSAGE_TYPE: &str = "Commerce/2.0";
/// The HTTP request target of an SCMP request unless told otherwise.
pub const SCMP_TARGET: &str = "/scmp";

/// The SCMP headers of one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScmpHeaders {
    /// `SCMP-protocol-version` (outer), e.g. `2.0`.
    pub protocol_version: String,
    /// `SCMP-request-time-to-live` in seconds.
    pub ttl: u64,
    /// `SCMP-message-type`, e.g. `Commerce/2.0`.
    pub message_type: String,
    /// `SCMP-request-id`, 22 digits.
    pub request_id: String,
}

impl ScmpHeaders {
    /// Checks the values against the draft's grammar before anything is signed.
    pub fn validate(&self) -> Result<(), Error> {
        use crate::profiles::scmp;
        if !scmp::valid_version(&self.protocol_version) {
            return Err(err(format!(
                "SCMP-protocol-version {:?} is not digits.digits",
                self.protocol_version
            )));
        }
        if scmp::message_type_form(&self.message_type) != scmp::MessageTypeForm::Valid {
            return Err(err(format!(
                "SCMP-message-type {:?} is not name/digits.digits",
                self.message_type
            )));
        }
        if !scmp::valid_request_id(&self.request_id) {
            return Err(err(format!(
                "SCMP-request-id {:?} is not exactly 22 digits",
                self.request_id
            )));
        }
        Ok(())
    }
}

/// The inner MIME entity of an SCMP message: the three inner headers over the payload entity.
pub fn scmp_inner(h: &ScmpHeaders, payload: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "SCMP-request-time-to-live: {}\r\nSCMP-message-type: {}\r\nSCMP-request-id: {}\r\n",
        h.ttl, h.message_type, h.request_id
    )
    .into_bytes();
    v.extend_from_slice(&compose::entity(payload));
    v
}

/// The text of an SCMP error (§5.1): `SCMP <number> <text>`.
pub fn scmp_error_text(number: u32, text: &str) -> Result<String, Error> {
    if text.contains(['\r', '\n']) {
        return Err(err("the error text must be one line"));
    }
    Ok(format!("SCMP {number} {text}\r\n"))
}

/// The signed entity of an APEL SSM message: the payload under the plain
/// `Content-Type: text/plain` header OpenSSL's `smime -sign -text` adds (SSM signs that way,
/// and its receiver reads the header block off what `smime -verify` returns), lines in CRLF.
pub fn ssm_text_entity(payload: &[u8]) -> Vec<u8> {
    let mut v = b"Content-Type: text/plain\r\n\r\n".to_vec();
    v.extend_from_slice(&crate::wire::mime::canonicalise(payload));
    v
}

/// The payload of an SCMP error from `"NUMBER text"` (e.g. `"105 duplicate request id"`):
/// a text/plain entity holding [`scmp_error_text`].
pub fn scmp_error_entity(spec: &str) -> Result<Vec<u8>, TemplateError> {
    let (num, text) = spec.split_once(' ').unwrap_or((spec, ""));
    let num: u32 = num
        .parse()
        .map_err(|_| TemplateError::ErrorSpec(spec.to_string()))?;
    let mut v = b"Content-Type: text/plain\r\n\r\n".to_vec();
    v.extend_from_slice(scmp_error_text(num, text)?.as_bytes());
    Ok(v)
}

/// An SCMP message over HTTP (§3): an error as the entity-body of a `200 OK` response,
/// anything else as a POST to `target` (default [`SCMP_TARGET`]).
pub fn scmp_http(message: &[u8], is_error: bool, target: Option<&str>) -> Vec<u8> {
    if is_error {
        http_response(200, "OK", message)
    } else {
        http_request("POST", target.unwrap_or(SCMP_TARGET), "localhost", message)
    }
}

/// The STOMP SEND frame an EMI or SSM message (or one without a template) travels in. SSM
/// frames carry the message id as `receipt` and `empa-id` (a fresh one unless `empa_id`).
pub fn stomp_send(
    template: Option<Template>,
    destination: Option<&str>,
    empa_id: Option<&str>,
    body: &[u8],
    at: UnixTime,
    rng: &mut dyn CryptoRng,
) -> Vec<u8> {
    let dest = destination
        .or(Template::default_destination(template))
        .unwrap_or_default();
    let mut h = vec![("destination".to_string(), dest.to_string())];
    if template == Some(Template::Ssm) {
        let id = empa_id
            .map(str::to_string)
            .unwrap_or_else(|| ssm_message_id(at, rng));
        h.push(("receipt".into(), id.clone()));
        h.push(("empa-id".into(), id));
    }
    crate::wire::stomp::encode_frame("SEND", &h, body)
}

/// The STOMP SEND frame of a Bit Repository message: the XML as body, its detached
/// signature base64 in the signature header.
pub fn bitrepo_send(destination: Option<&str>, xml: &[u8], signature: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let dest = destination
        .or(Template::default_destination(Some(Template::Bitrepo)))
        .unwrap_or_default();
    let h = vec![
        ("destination".to_string(), dest.to_string()),
        (
            crate::profiles::bitrepo::SIGNATURE_HEADER.to_string(),
            base64::engine::general_purpose::STANDARD.encode(signature),
        ),
    ];
    crate::wire::stomp::encode_frame("SEND", &h, xml)
}

/// Composes an SCMP request, reply or error: signed (required), enveloped when `opts`
/// has recipients (refused for errors), with `SCMP-protocol-version` on the outer entity.
pub fn scmp_message(
    h: &ScmpHeaders,
    payload: &[u8],
    opts: &ComposeOptions,
    is_error: bool,
    rng: &mut dyn CryptoRng,
) -> Result<Vec<u8>, Error> {
    h.validate()?;
    if opts.sign.is_none() {
        return Err(err(
            "SCMP messages are signed or signed/enveloped (§2.1): give a signer",
        ));
    }
    if is_error && opts.encrypt.is_some() {
        return Err(err(
            "SCMP error messages are signed and NOT encrypted (§5.1): drop the recipients",
        ));
    }
    let mut o = opts.clone();
    o.headers.insert(
        0,
        ("SCMP-protocol-version".into(), h.protocol_version.clone()),
    );
    compose::compose(&scmp_inner(h, payload), &o, rng)
}

/// The detached Bit Repository signature over `xml`: CMS SignedData, SHA-512, no
/// certificates, DER.
pub fn bitrepo_signature(xml: &[u8], sign: &SignOptions, at: UnixTime) -> Result<Vec<u8>, Error> {
    if std::str::from_utf8(xml).is_err() {
        return Err(err("a Bit Repository message is UTF-8 XML"));
    }
    let mut s = sign.clone();
    s.digest = crate::crypto::algorithms::Digest::Sha512;
    s.include = compose::IncludeCerts::None;
    compose::signed_data(xml, &s, at, false)
}

/// Splits a MIME message into its header fields and body.
pub fn split_mime(message: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    // The header block ends at its first empty line, CRLF or LF alike (a message with LF
    // headers may carry CRLF further down, which must not be taken for the end).
    let (head_end, body_start) = blank_line(message).unwrap_or((message.len(), message.len()));
    let head = String::from_utf8_lossy(&message[..head_end]);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((n, v)) = line.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    (headers, &message[body_start..])
}

/// The first empty line: (end of the header block, start of the body).
fn blank_line(message: &[u8]) -> Option<(usize, usize)> {
    let mut start = 0;
    while start < message.len() {
        let end = message[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|p| start + p)?;
        let line = &message[start..end];
        if line.is_empty() || line == b"\r" {
            return Some((start, end + 1));
        }
        start = end + 1;
    }
    None
}

/// An HTTP/1.1 request carrying a MIME message: its header fields become the request's,
/// its body the request body (how SCMP travels over HTTP POST, §3).
pub fn http_request(method: &str, target: &str, host: &str, message: &[u8]) -> Vec<u8> {
    let (headers, body) = split_mime(message);
    let mut v = format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\n").into_bytes();
    push_fields(&mut v, &headers, body);
    v
}

/// An HTTP/1.1 response carrying a MIME message (an SCMP reply or error is the entity-body
/// of the response, §3).
pub fn http_response(status: u16, reason: &str, message: &[u8]) -> Vec<u8> {
    let (headers, body) = split_mime(message);
    let mut v = format!("HTTP/1.1 {status} {reason}\r\n").into_bytes();
    push_fields(&mut v, &headers, body);
    v
}

fn push_fields(v: &mut Vec<u8>, headers: &[(String, String)], body: &[u8]) {
    for (n, val) in headers {
        if n.eq_ignore_ascii_case("content-length") || n.eq_ignore_ascii_case("transfer-encoding") {
            continue;
        }
        v.extend_from_slice(format!("{n}: {val}\r\n").as_bytes());
    }
    v.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    v.extend_from_slice(body);
}

#[cfg(test)]
mod tests {

    #[test]
    fn split_mime_ends_the_header_block_at_its_first_empty_line() {
        let m = b"A: 1\nContent-Type: multipart/signed;\n b=2\n\nbody\r\nX: y\r\n\r\nmore";
        let (h, body) = split_mime(m);
        assert_eq!(
            h,
            vec![
                ("A".to_string(), "1".to_string()),
                (
                    "Content-Type".to_string(),
                    "multipart/signed; b=2".to_string()
                )
            ]
        );
        assert_eq!(body, b"body\r\nX: y\r\n\r\nmore");
        let (h, body) = split_mime(b"A: 1\r\n\r\nx\n\ny");
        assert_eq!((h.len(), body), (1, b"x\n\ny".as_slice()));
        let (h, body) = split_mime(b"A: 1");
        assert_eq!((h.len(), body), (1, b"".as_slice()));
    }

    use super::*;
    use crate::crypto::rng::SeededRng;

    #[test]
    fn ids_have_their_forms() {
        let mut rng = SeededRng::new(7);
        let at = UnixTime::parse("2026-11-22T10:00:00Z").unwrap();
        let id = scmp_request_id(at, &mut rng);
        assert!(crate::profiles::scmp::valid_request_id(&id), "{id}");
        assert!(id.starts_with(&format!("{:010}", at.0)));
        assert_ne!(id, scmp_request_id(at, &mut rng));
        let e = ssm_message_id(at, &mut rng);
        assert_eq!(e.len(), 8 + 1 + 14);
    }

    #[test]
    fn http_wrapping_moves_mime_headers() {
        let m = b"Content-Type: text/plain\r\nSCMP-protocol-version: 2.0\r\n\r\nhello";
        let r = http_request("POST", "/scmp", "127.0.0.1:8080", m);
        let parsed = crate::wire::http::parse_message(&r, 0).unwrap();
        assert_eq!(parsed.header("scmp-protocol-version"), Some("2.0"));
        assert_eq!(parsed.body(&r), b"hello");
        assert!(scmp_error_text(105, "a\nb").is_err());
    }

    #[test]
    fn scmp_error_entities() {
        assert_eq!(
            scmp_error_entity("105 duplicate request id").unwrap(),
            b"Content-Type: text/plain\r\n\r\nSCMP 105 duplicate request id\r\n"
        );
        assert_eq!(
            scmp_error_entity("x y").unwrap_err().to_string(),
            "--error \"x y\": expected \"NUMBER text\""
        );
        assert!(scmp_error_entity("7").is_ok());
        let r = scmp_http(b"A: b\r\n\r\nx", true, None);
        assert!(r.starts_with(b"HTTP/1.1 200 OK\r\n"));
        let r = scmp_http(b"A: b\r\n\r\nx", false, None);
        assert!(r.starts_with(b"POST /scmp HTTP/1.1\r\nHost: localhost\r\n"));
    }

    #[test]
    fn stomp_frames_per_template() {
        let mut rng = SeededRng::new(1);
        let at = UnixTime(1_800_000_000);
        let f = stomp_send(Some(Template::Ssm), None, Some("id/1"), b"m", at, &mut rng);
        let text = String::from_utf8_lossy(&f);
        assert!(text.starts_with("SEND\ndestination:/queue/global.accounting.cpu.central\n"));
        assert!(text.contains("receipt:id/1\nempa-id:id/1\n"), "{text}");
        let f = stomp_send(Some(Template::Emi), Some("/q"), None, b"m", at, &mut rng);
        assert!(!String::from_utf8_lossy(&f).contains("empa-id"));
        let f = bitrepo_send(None, b"<x/>", &[1, 2, 3]);
        let text = String::from_utf8_lossy(&f);
        assert!(text.contains("destination:/topic/bitrepository.messages\n"));
        assert!(text.contains(":AQID\n"), "{text}");
    }
}
