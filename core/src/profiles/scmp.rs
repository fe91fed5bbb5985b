//! Simple Commerce Messaging Protocol, version 1 message specification (seed 003, IETF
//! draft of March 2000).
//!
//! One SCMP message is an outer S/MIME entity with `SCMP-protocol-version` (§2.1.1) whose
//! protected inner MIME entity carries `SCMP-request-time-to-live` (§2.2.1),
//! `SCMP-message-type` (§2.2.2) and `SCMP-request-id` (§2.2.3); "both the sending agent and
//! receiving agent MUST specify all SCMP headers" (§2, §2.2), so replies and error replies
//! carry them too. Messages are signed or signed/enveloped (§2.1); error replies `SCMP
//! <number> <text>` are signed and not encrypted (§2.1, §5.1). A reply echoes the request id
//! (§2.2.3). Duplicates (same request id and signer DN, §4.2.2) are found across a batch by
//! [`super::DuplicateTracker`]; the message time is checked against a replay window when one
//! is configured (§4.1.1).

use super::{cite, encloses, Input};
use crate::report::findings as f;
use crate::report::LayerKind;
use crate::report::{Finding, Layer, Severity};
use crate::time::UnixTime;

const REF: &str = "SCMP v1 draft";

/// Finding codes of this profile.
pub mod codes {
    /// The message is not signed.
    pub const NOT_SIGNED: &str = "scmp-not-signed";
    /// `SCMP-protocol-version` is missing.
    pub const PROTOCOL_VERSION_MISSING: &str = "scmp-protocol-version-missing";
    /// `SCMP-protocol-version` is not digits "." digits.
    pub const PROTOCOL_VERSION_FORMAT: &str = "scmp-protocol-version-format";
    /// `SCMP-request-time-to-live` is missing.
    pub const TTL_MISSING: &str = "scmp-ttl-missing";
    /// `SCMP-request-time-to-live` is not digits.
    pub const TTL_FORMAT: &str = "scmp-ttl-format";
    /// `SCMP-message-type` is missing.
    pub const MESSAGE_TYPE_MISSING: &str = "scmp-message-type-missing";
    /// `SCMP-message-type` is not name "/" digits "." digits.
    pub const MESSAGE_TYPE_FORMAT: &str = "scmp-message-type-format";
    /// `SCMP-request-id` is missing.
    pub const REQUEST_ID_MISSING: &str = "scmp-request-id-missing";
    /// `SCMP-request-id` is not exactly 22 digits.
    pub const REQUEST_ID_FORMAT: &str = "scmp-request-id-format";
    /// An error reply is encrypted.
    pub const ERROR_ENCRYPTED: &str = "scmp-error-encrypted";
    /// An error reply is not signed.
    pub const ERROR_UNSIGNED: &str = "scmp-error-unsigned";
    /// The request id and signer DN were seen before in the same batch or session.
    pub const DUPLICATE_REQUEST: &str = "scmp-duplicate-request";
    /// A reply does not echo the request id of the request it answers.
    pub const REPLY_ID_MISMATCH: &str = "scmp-reply-id-mismatch";
    /// The message time is outside the configured replay window.
    pub const OUTSIDE_REPLAY_WINDOW: &str = "scmp-outside-replay-window";
}

/// The outer header.
pub const PROTOCOL_VERSION: &str = "SCMP-protocol-version";
/// The inner headers.
pub const TTL: &str = "SCMP-request-time-to-live";
/// The inner headers.
pub const MESSAGE_TYPE: &str = "SCMP-message-type";
/// The inner headers.
pub const REQUEST_ID: &str = "SCMP-request-id";

/// Whether the layers carry SCMP headers.
pub fn detect(layers: &[Layer]) -> bool {
    layers
        .iter()
        .any(|l| l.headers.iter().any(|(n, _)| is_scmp_header(n)))
}

fn is_scmp_header(n: &str) -> bool {
    [PROTOCOL_VERSION, TTL, MESSAGE_TYPE, REQUEST_ID]
        .iter()
        .any(|h| h.eq_ignore_ascii_case(n))
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// digits "." digits (§2.1.1).
pub fn valid_version(s: &str) -> bool {
    s.split_once('.')
        .is_some_and(|(a, b)| digits(a) && digits(b))
}

/// How a `SCMP-message-type` value reads against §2.2.2.
#[derive(Debug, PartialEq, Eq)]
pub enum MessageTypeForm {
    /// `name/digits.digits`, as the grammar says.
    Valid,
    /// `name/digits`: the draft's own example (`CommerceService/1`) has this form though its
    /// grammar asks for a dot.
    NoMinor,
    /// Anything else.
    Invalid,
}

/// Classifies a `SCMP-message-type` value.
pub fn message_type_form(s: &str) -> MessageTypeForm {
    let Some((name, version)) = s.split_once('/') else {
        return MessageTypeForm::Invalid;
    };
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| !c.is_control() && !c.is_whitespace() && c != '/');
    if !name_ok {
        MessageTypeForm::Invalid
    } else if valid_version(version) {
        MessageTypeForm::Valid
    } else if digits(version) {
        MessageTypeForm::NoMinor
    } else {
        MessageTypeForm::Invalid
    }
}

/// Exactly 22 digits (§2.2.3).
pub fn valid_request_id(s: &str) -> bool {
    s.len() == 22 && digits(s)
}

/// `SCMP <number> <text>` (§5.1): the number and the text.
pub fn parse_error_line(text: &str) -> Option<(String, String)> {
    let line = text.trim_start().lines().next()?.trim_end();
    let rest = line.strip_prefix("SCMP ")?;
    let (num, msg) = rest.split_once(' ').unwrap_or((rest, ""));
    digits(num).then(|| (num.to_string(), msg.trim().to_string()))
}

/// What one SCMP message in the input is.
struct Message {
    root: usize,
    outer: Option<usize>,
    response: bool,
    request_id: Option<String>,
}

fn roots(layers: &[Layer]) -> Vec<usize> {
    let http: Vec<usize> = layers
        .iter()
        .enumerate()
        .filter(|(_, l)| l.kind == LayerKind::HttpRequest || l.kind == LayerKind::HttpResponse)
        .map(|(i, _)| i)
        .collect();
    if !http.is_empty() {
        return http;
    }
    layers
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            l.kind.is_mime()
                && !layers
                    .iter()
                    .enumerate()
                    .any(|(j, p)| p.kind.is_mime() && encloses(layers, j, *i))
        })
        .map(|(i, _)| i)
        .collect()
}

fn in_scope(layers: &[Layer], root: usize, i: usize) -> bool {
    i == root || encloses(layers, root, i)
}

/// Applies the rules; returns the details and findings.
pub fn evaluate(input: &Input<'_>) -> (Vec<(String, String)>, Vec<Finding>) {
    let layers = input.layers;
    let mut details = Vec::new();
    let mut out = Vec::new();
    let roots = roots(layers);
    let mut messages = Vec::new();
    if roots.is_empty() {
        out.push(cite(
            Severity::Error,
            codes::PROTOCOL_VERSION_MISSING,
            "the input has no MIME entity or HTTP message to carry SCMP headers".into(),
            REF,
            "§2.1 Outer SMIME Message Construction",
            None,
        ));
    }
    for (n, &root) in roots.iter().enumerate() {
        let prefix = if n == 0 {
            String::new()
        } else {
            format!("{}.", n + 1)
        };
        let mut d = |k: &str, v: String| details.push((format!("{prefix}{k}"), v));
        let rl = &layers[root];
        let response = rl.kind == LayerKind::HttpResponse;
        // The outer S/MIME entity: the root itself, or the entity an HTTP message carries.
        let outer = if rl.kind.is_mime() {
            Some(root)
        } else {
            layers
                .iter()
                .position(|l| l.parent == Some(root) && l.kind.is_mime())
        };
        let version = rl
            .headers
            .get(PROTOCOL_VERSION)
            .or_else(|| outer.and_then(|o| layers[o].headers.get(PROTOCOL_VERSION)));
        match version {
            None => out.push(cite(
                Severity::Error,
                codes::PROTOCOL_VERSION_MISSING,
                format!("the outer entity has no {PROTOCOL_VERSION} header"),
                REF,
                "§2.1.1 SCMP Protocol Version; §2: both agents MUST specify all SCMP headers",
                Some(root),
            )),
            Some(v) => {
                d("protocol_version", v.to_string());
                if !valid_version(v) {
                    out.push(cite(
                        Severity::Error,
                        codes::PROTOCOL_VERSION_FORMAT,
                        format!(
                            "{PROTOCOL_VERSION} is {v:?}; it MUST be digits \".\" digits, e.g. 2.0"
                        ),
                        REF,
                        "§2.1.1 SCMP Protocol Version",
                        Some(root),
                    ));
                }
            }
        }
        let sigs: Vec<_> = input
            .signatures
            .iter()
            .filter(|s| in_scope(layers, root, s.layer))
            .collect();
        let encs: Vec<_> = input
            .encryption
            .iter()
            .filter(|e| in_scope(layers, root, e.layer))
            .collect();
        let unopened = encs.iter().any(|e| !e.decrypted);
        // The inner entity: the first MIME layer below the outer one carrying SCMP headers.
        let base = outer.unwrap_or(root);
        let inner = layers.iter().enumerate().find(|(i, l)| {
            *i != base
                && l.kind.is_mime()
                && encloses(layers, base, *i)
                && l.headers.iter().any(|(h, _)| {
                    h.eq_ignore_ascii_case(TTL)
                        || h.eq_ignore_ascii_case(MESSAGE_TYPE)
                        || h.eq_ignore_ascii_case(REQUEST_ID)
                })
        });
        // A message with no S/MIME layer at all has one entity: its headers are all there is.
        let inner = inner.or_else(|| {
            (sigs.is_empty() && encs.is_empty())
                .then(|| outer.map(|o| (o, &layers[o])))
                .flatten()
        });
        let error_line = input
            .leaves
            .iter()
            .filter(|(i, _)| in_scope(layers, root, *i))
            .filter_map(|(_, b)| std::str::from_utf8(b).ok())
            .find_map(parse_error_line);
        let kind = if error_line.is_some() {
            "error"
        } else if response {
            "reply"
        } else {
            "request"
        };
        d("message_kind", kind.to_string());
        if let Some((num, text)) = &error_line {
            d("error_number", num.clone());
            d("error_text", text.clone());
            if let Some(e) = encs.first() {
                out.push(cite(
                    Severity::Error,
                    codes::ERROR_ENCRYPTED,
                    format!("the error reply \"SCMP {num} …\" is encrypted; SCMP errors MUST NOT be, so that clients can read encryption-related errors"),
                    REF,
                    "§2.1; §5.1 Format",
                    Some(e.layer),
                ));
            }
            if sigs.is_empty() {
                out.push(cite(
                    Severity::Error,
                    codes::ERROR_UNSIGNED,
                    format!("the error reply \"SCMP {num} …\" is not signed; SCMP error messages MUST be signed S/MIME"),
                    REF,
                    "§2.1; §5.1 Format",
                    Some(root),
                ));
            }
        } else if sigs.is_empty() {
            if unopened {
                out.push(cite(
                    Severity::Warning,
                    f::NOT_DECRYPTED,
                    "the inner entity is encrypted and was not opened, so its signature and SCMP headers cannot be checked (pass the recipient key with --key)".into(),
                    REF,
                    "§2.2 Inner MIME Message Construction",
                    Some(root),
                ));
            } else {
                out.push(cite(
                    Severity::Error,
                    codes::NOT_SIGNED,
                    format!("the SCMP {kind} is not signed; trading partners MUST exchange signed or signed/enveloped messages"),
                    REF,
                    "§2.1 Outer SMIME Message Construction; §4.1.2",
                    Some(root),
                ));
            }
        }
        if let Some(s) = sigs.iter().find_map(|s| s.signer.as_ref()) {
            d("signer_dn", s.subject.clone());
        }
        let mut request_id = None;
        let headers_unreadable = inner.is_none() && unopened;
        if !headers_unreadable {
            let inner_layer = inner;
            let on_outer = |h: &str| outer.is_some_and(|o| layers[o].headers.get(h).is_some());
            let get = |h: &str| inner_layer.and_then(|(_, l)| l.headers.get(h));
            let at = inner_layer.map(|(i, _)| i).unwrap_or(base);
            let missing = |code: &str, h: &str, section: &str| {
                cite(
                    Severity::Error,
                    code,
                    if on_outer(h) {
                        format!("{h} is on the outer entity only; it belongs to the inner MIME entity the signature (and encryption) protects")
                    } else {
                        format!("the inner MIME entity has no {h} header")
                    },
                    REF,
                    section,
                    Some(at),
                )
            };
            match get(TTL) {
                None => out.push(missing(
                    codes::TTL_MISSING,
                    TTL,
                    "§2.2.1 Request Time to Live",
                )),
                Some(v) => {
                    d("ttl", v.to_string());
                    if !digits(v) {
                        out.push(cite(
                            Severity::Error,
                            codes::TTL_FORMAT,
                            format!("{TTL} is {v:?}; it MUST be a number of seconds (digits)"),
                            REF,
                            "§2.2.1 Request Time to Live",
                            Some(at),
                        ));
                    }
                }
            }
            match get(MESSAGE_TYPE) {
                None => out.push(missing(
                    codes::MESSAGE_TYPE_MISSING,
                    MESSAGE_TYPE,
                    "§2.2.2 Message Type",
                )),
                Some(v) => {
                    d("message_type", v.to_string());
                    match message_type_form(v) {
                        MessageTypeForm::Valid => {}
                        MessageTypeForm::NoMinor => out.push(cite(
                            Severity::Warning,
                            codes::MESSAGE_TYPE_FORMAT,
                            format!("{MESSAGE_TYPE} is {v:?}: the version has no \".\" and digits, which the grammar asks for (the draft's own example has this form)"),
                            REF,
                            "§2.2.2 Message Type",
                            Some(at),
                        )),
                        MessageTypeForm::Invalid => out.push(cite(
                            Severity::Error,
                            codes::MESSAGE_TYPE_FORMAT,
                            format!("{MESSAGE_TYPE} is {v:?}; it MUST be service-name \"/\" digits \".\" digits"),
                            REF,
                            "§2.2.2 Message Type",
                            Some(at),
                        )),
                    }
                }
            }
            match get(REQUEST_ID) {
                None => out.push(missing(
                    codes::REQUEST_ID_MISSING,
                    REQUEST_ID,
                    "§2.2.3 Request ID",
                )),
                Some(v) => {
                    d("request_id", v.to_string());
                    request_id = Some(v.to_string());
                    if !valid_request_id(v) {
                        out.push(cite(
                            Severity::Error,
                            codes::REQUEST_ID_FORMAT,
                            format!(
                                "{REQUEST_ID} is {v:?} ({} characters); it MUST be exactly 22 digits",
                                v.chars().count()
                            ),
                            REF,
                            "§2.2.3 Request ID",
                            Some(at),
                        ));
                    }
                }
            }
        }
        if let Some(t) = sigs
            .iter()
            .find_map(|s| s.signing_time.as_deref())
            .and_then(|t| UnixTime::parse(t).ok())
        {
            d("message_time", t.to_rfc3339());
            if let Some(w) = input.opts.replay_window {
                let skew = (input.opts.at.0 - t.0).unsigned_abs();
                if skew > w {
                    out.push(cite(
                        Severity::Warning,
                        codes::OUTSIDE_REPLAY_WINDOW,
                        format!(
                            "the message was signed at {} and is checked at {}: {skew} s apart, outside the replay window of {w} s",
                            t.to_rfc3339(),
                            input.opts.at.to_rfc3339()
                        ),
                        REF,
                        "§4.1.1 Message Timestamp",
                        Some(root),
                    ));
                }
            }
        }
        messages.push(Message {
            root,
            outer,
            response,
            request_id,
        });
    }
    // A reply answers the request before it in the same capture and echoes its id.
    for w in messages.windows(2) {
        let (req, rep) = (&w[0], &w[1]);
        if req.response || !rep.response {
            continue;
        }
        if let (Some(a), Some(b)) = (&req.request_id, &rep.request_id) {
            if a != b {
                out.push(cite(
                    Severity::Error,
                    codes::REPLY_ID_MISMATCH,
                    format!("the reply carries {REQUEST_ID} {b} but answers request {a}; servers MUST return the submitted request id"),
                    REF,
                    "§2.2.3 Request ID",
                    Some(rep.outer.unwrap_or(rep.root)),
                ));
            }
        }
    }
    (details, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_grammars() {
        assert!(valid_version("2.0") && valid_version("10.12"));
        assert!(!valid_version("2") && !valid_version("2.") && !valid_version("v2.0"));
        assert_eq!(message_type_form("Commerce/2.0"), MessageTypeForm::Valid);
        assert_eq!(
            message_type_form("CommerceService/1"),
            MessageTypeForm::NoMinor
        );
        assert_eq!(message_type_form("Commerce"), MessageTypeForm::Invalid);
        assert_eq!(message_type_form("/1.0"), MessageTypeForm::Invalid);
        assert!(valid_request_id("0917293049096167904518"));
        assert!(!valid_request_id("091729304909616790451"));
        assert_eq!(
            parse_error_line("SCMP 105 duplicate scmp-request-id\r\n"),
            Some(("105".into(), "duplicate scmp-request-id".into()))
        );
        assert_eq!(parse_error_line("SCMPx 1 a"), None);
    }
}
