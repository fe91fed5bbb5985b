//! The answer of a test SCMP server (seed 003) to one request, decided from the request's
//! report: a signed reply echoing the request id, or a signed, never encrypted,
//! `SCMP <number> <text>` error. The draft leaves the numbers to the implementation;
//! sealscope's are:
//!
//! | number | meaning |
//! | --- | --- |
//! | 100 | unreadable message |
//! | 101 | signature invalid |
//! | 102 | sender not trusted |
//! | 103 | protocol version missing or unsupported |
//! | 104 | SCMP header missing or malformed |
//! | 105 | duplicate request id |
//! | 106 | not signed |
//! | 107 | could not decrypt |
//! | 108 | outside the replay window |

use super::scmp::{self, codes};
use crate::compose::templates::{self, ScmpHeaders};
use crate::compose::{ComposeOptions, Output, SignOptions};
use crate::error::Error;
use crate::report::{ChainStatus, Report, Severity, SignatureStatus, Verdict};
use crate::time::UnixTime;
use rand_core::CryptoRng;

/// An SCMP error: its number and one line of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScmpError {
    /// The error number (100–108, see the module documentation).
    pub number: u32,
    /// What was wrong, one line.
    pub text: String,
}

impl std::fmt::Display for ScmpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SCMP {} {}", self.number, self.text)
    }
}

fn error(number: u32, text: impl Into<String>) -> Result<(), ScmpError> {
    let text: String = text.into();
    Err(ScmpError {
        number,
        text: text.replace(['\r', '\n'], " "),
    })
}

/// Whether the request of `r` (inspected with the SCMP profile, duplicates tracked) is
/// accepted, with `accept` the protocol versions served; the first failure in the order of
/// the table above, most fundamental first.
pub fn judge(r: &Report, accept: &[String]) -> Result<(), ScmpError> {
    if r.verdict == Verdict::Unreadable {
        return error(
            100,
            format!(
                "unreadable message: {}",
                r.error.as_deref().unwrap_or("not an SCMP message")
            ),
        );
    }
    let p = r.profiles.iter().find(|p| p.name == "scmp");
    let has = |code: &str| p.is_some_and(|p| p.findings.iter().any(|f| f.code == code));
    if has(codes::DUPLICATE_REQUEST) {
        return error(105, "duplicate scmp-request-id");
    }
    if r.encryption.iter().any(|e| !e.decrypted) {
        return error(
            107,
            "the request could not be decrypted with the server's key",
        );
    }
    if r.signatures.is_empty() || has(codes::NOT_SIGNED) {
        return error(106, "the request is not signed");
    }
    if let Some(s) = r
        .signatures
        .iter()
        .find(|s| s.status != SignatureStatus::Valid)
    {
        return error(101, format!("signature not valid: {}", s.reason));
    }
    if let Some(s) = r
        .signatures
        .iter()
        .find(|s| s.chain.status != ChainStatus::Trusted)
    {
        return error(102, format!("sender not trusted: {}", s.chain.reason));
    }
    if has(codes::PROTOCOL_VERSION_MISSING) || has(codes::PROTOCOL_VERSION_FORMAT) {
        return error(103, "SCMP-protocol-version missing or malformed");
    }
    if let Some(v) = p.and_then(|p| p.detail("protocol_version")) {
        if !accept.iter().any(|a| a == v) {
            return error(103, format!("SCMP-protocol-version {v} not supported"));
        }
    }
    if let Some(f) = p.and_then(|p| p.findings.iter().find(|f| f.severity == Severity::Error)) {
        return error(104, format!("{}: {}", f.code, f.message));
    }
    if has(codes::OUTSIDE_REPLAY_WINDOW) {
        return error(108, "the message time is outside the replay window");
    }
    Ok(())
}

/// The server's answer to the request of `r`: the signed SCMP message (a reply, or an error
/// when [`judge`] refuses the request, also returned) as the body of an HTTP `200 OK`.
/// The answer repeats the request's id, time-to-live and message type when they are well
/// formed and uses the first of `accept` as its protocol version.
pub fn answer(
    r: &Report,
    accept: &[String],
    sign: &SignOptions,
    at: UnixTime,
    rng: &mut dyn CryptoRng,
) -> Result<(Vec<u8>, Option<ScmpError>), Error> {
    let p = r.profiles.iter().find(|p| p.name == "scmp");
    let detail = |k: &str| p.and_then(|p| p.detail(k)).map(str::to_string);
    let request_id = detail("request_id")
        .filter(|id| scmp::valid_request_id(id))
        .unwrap_or_else(|| "0".repeat(22));
    let message_type = detail("message_type")
        .filter(|t| scmp::message_type_form(t) == scmp::MessageTypeForm::Valid)
        .unwrap_or_else(|| "SCMP/1.0".into());
    let h = ScmpHeaders {
        protocol_version: accept
            .first()
            .cloned()
            .unwrap_or_else(|| templates::SCMP_PROTOCOL_VERSION.into()),
        ttl: detail("ttl")
            .and_then(|t| t.parse().ok())
            .unwrap_or(templates::SCMP_TTL),
        message_type,
        request_id: request_id.clone(),
    };
    let opts = ComposeOptions {
        sign: Some(sign.clone()),
        encrypt: None,
        output: Output::Mime,
        at,
        headers: Vec::new(),
    };
    let refused = judge(r, accept).err();
    let payload = match &refused {
        None => {
            let sha = r.content.as_ref().map(|c| c.sha256.as_str()).unwrap_or("");
            format!(
                "Content-Type: text/xml; charset=utf-8\r\n\r\n<reply request-id=\"{request_id}\" status=\"accepted\"><payload-sha256>{sha}</payload-sha256></reply>\r\n"
            )
            .into_bytes()
        }
        Some(e) => {
            let mut v = b"Content-Type: text/plain\r\n\r\n".to_vec();
            v.extend_from_slice(templates::scmp_error_text(e.number, &e.text)?.as_bytes());
            v
        }
    };
    let msg = templates::scmp_message(&h, &payload, &opts, refused.is_some(), rng)?;
    Ok((templates::http_response(200, "OK", &msg), refused))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{inspect, Keyring, Options};

    #[test]
    fn unreadable_and_unsigned_requests_get_their_numbers() {
        let opts = |name: &str| {
            let mut o = Options::new(name, UnixTime(1_700_000_000));
            o.profile = Some(crate::profiles::Profile::Scmp);
            o
        };
        let accept = ["2.0".to_string()];
        let r = inspect(b"", &Keyring::new(), &opts("empty"));
        let e = judge(&r, &accept).unwrap_err();
        assert_eq!(e.number, 100);
        assert!(e.text.starts_with("unreadable message: "), "{e}");
        let plain = b"SCMP-protocol-version: 2.0\r\nContent-Type: text/plain\r\n\r\nhello\r\n";
        let r = inspect(plain, &Keyring::new(), &opts("plain"));
        assert_eq!(judge(&r, &accept).unwrap_err().number, 106);
    }

    #[test]
    fn error_text_is_one_line() {
        let e = error(101, "a\r\nb").unwrap_err();
        assert_eq!(e.to_string(), "SCMP 101 a  b");
    }
}
