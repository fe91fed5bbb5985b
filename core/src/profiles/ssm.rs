//! APEL Secure STOMP Messenger (seed 002, and SSM2 as it is deployed: `openssl smime -sign
//! -text`, then optionally `openssl smime -encrypt -aes128`, sent over STOMP with the headers
//! `destination`, `receipt` and `empa-id`, or published to ARGO AMS with the attribute
//! `empaid`).
//!
//! Rules:
//! - every message is signed with the sender's own key (`not-signed`), and the signature
//!   carries the sender's certificate, because the receiving SSM "retrieves the sender's
//!   certificate (from signature)" (`ssm-signer-cert-not-included`);
//! - the sender's DN is reported in the one-line form SSM stores beside the message and,
//!   given an allow-list, must be on it (`ssm-sender-not-allowed`);
//! - files are sent one at a time, each waiting for the broker's receipt, so a SEND asks for
//!   one (`stomp-receipt-missing`, warning); SSM2 names every message with `empa-id`
//!   (`ssm-empa-id-missing`, warning);
//! - a ping (`empa-id: ping`) is a keep-alive, not a message (`ssm-ping`, info);
//! - a stored dirq element (the receiver's `body` + `signer` files) is reported with its
//!   stored DN; SSM checked its signature on arrival.

use super::{cite, Input};
use crate::report::findings as f;
use crate::report::LayerKind;
use crate::report::{Finding, Layer, Severity};

const SSM_REF: &str = "APEL Secure STOMP Messenger";

/// Finding codes of this profile (beyond the shared `not-signed`).
pub mod codes {
    /// The signer's DN is not on the allow-list.
    pub const SENDER_NOT_ALLOWED: &str = "ssm-sender-not-allowed";
    /// The signature does not carry the signer's certificate.
    pub const SIGNER_CERT_NOT_INCLUDED: &str = "ssm-signer-cert-not-included";
    /// A STOMP frame or AMS message lacks `empa-id` / `empaid`.
    pub const EMPA_ID_MISSING: &str = "ssm-empa-id-missing";
    /// A SEND frame asks for no receipt.
    pub const RECEIPT_MISSING: &str = "stomp-receipt-missing";
    /// The message is an SSM ping.
    pub const PING: &str = "ssm-ping";
    /// The input is a stored dirq element.
    pub const STORED: &str = "ssm-stored-message";
}

/// A message as SSM's receiver stored it in its dirq queue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
    /// `incoming`, `outgoing`, `reject`, … (the queue's directory name).
    pub queue: String,
    /// The element's path relative to the queue.
    pub element: String,
    /// The `signer` file: the sender's DN, one-line form.
    pub signer: Option<String>,
    /// The `empaid` file.
    pub empa_id: Option<String>,
    /// The `error` file of a rejected message.
    pub error: Option<String>,
}

/// Whether the layers look like SSM traffic.
pub fn detect(layers: &[Layer]) -> bool {
    layers.iter().any(|l| {
        (l.kind == LayerKind::StompFrame && l.headers.get("empa-id").is_some())
            || (l.kind == LayerKind::AmsMessage && l.headers.get("attributes.empaid").is_some())
    })
}

fn command(l: &Layer) -> &str {
    l.summary
        .strip_prefix("STOMP ")
        .and_then(|s| s.split([' ', ',']).next())
        .unwrap_or("")
}

/// The APEL message type named on the record's first line (`APEL-summary-job-message:
/// v0.2`), or the root element of an XML record.
fn apel_type(text: &str) -> Option<String> {
    let first = text.lines().find(|l| !l.trim().is_empty())?.trim();
    if first.starts_with("APEL-") {
        return Some(first.to_string());
    }
    let root = text
        .split('<')
        .map(str::trim)
        .find(|t| !t.is_empty() && !t.starts_with('?') && !t.starts_with('!'))?;
    let name: String = root
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
        .collect();
    (!name.is_empty()).then_some(format!("<{name}>"))
}

fn allowed(dn: &str, list: &[String]) -> bool {
    list.iter().any(|a| a.trim() == dn.trim())
}

/// Applies the SSM rules; returns the details and findings.
pub fn evaluate(input: &Input<'_>) -> (Vec<(String, String)>, Vec<Finding>) {
    let mut details = Vec::new();
    let mut out = Vec::new();
    let text = input.content.and_then(|c| c.text.as_deref());
    if let Some(stored) = &input.opts.ssm_stored {
        details.push(("message_kind".into(), "stored".into()));
        details.push(("queue".into(), stored.queue.clone()));
        details.push(("element".into(), stored.element.clone()));
        if let Some(s) = &stored.signer {
            details.push(("sender_dn".into(), s.clone()));
        }
        if let Some(e) = &stored.empa_id {
            details.push(("empa_id".into(), e.clone()));
        }
        if let Some(t) = text.and_then(apel_type) {
            details.push(("apel_message_type".into(), t));
        }
        out.push(cite(
            Severity::Info,
            codes::STORED,
            format!(
                "stored element {} of queue {}: SSM verified its signature on arrival and kept the body and the sender's DN",
                stored.element, stored.queue
            ),
            SSM_REF,
            "Interface: the file appears in the incoming directory along with a second file containing the sender's DN",
            None,
        ));
        if let Some(reason) = &stored.error {
            out.push(cite(
                Severity::Warning,
                "ssm-rejected",
                format!("SSM rejected this message: {reason}"),
                SSM_REF,
                "SSM2 reject queue",
                None,
            ));
        }
        if let (Some(list), Some(dn)) = (&input.opts.allowed_senders, &stored.signer) {
            if !allowed(dn, list) {
                out.push(cite(
                    Severity::Error,
                    codes::SENDER_NOT_ALLOWED,
                    format!("the stored sender {dn} is not on the DN allow-list"),
                    SSM_REF,
                    "Less simplified version: the receiver stores the sender's certificate DN",
                    None,
                ));
            }
        }
        return (details, out);
    }

    let frames = input.layers_of(LayerKind::StompFrame);
    let ams = input.layers_of(LayerKind::AmsMessage);
    let mut ping = false;
    for &i in &frames {
        let l = &input.layers[i];
        let cmd = command(l);
        if cmd != "SEND" && cmd != "MESSAGE" {
            continue;
        }
        match l.headers.get("empa-id") {
            Some(id) => {
                if id == "ping" {
                    ping = true;
                }
                details.push(("empa_id".into(), id.to_string()));
            }
            None => out.push(cite(
                Severity::Warning,
                codes::EMPA_ID_MISSING,
                format!("the {cmd} frame has no empa-id header; SSM2 names every message with one"),
                SSM_REF,
                "SSM2 message headers: destination, receipt, empa-id",
                Some(i),
            )),
        }
        if cmd == "SEND" && l.headers.get("receipt").is_none() {
            out.push(cite(
                Severity::Warning,
                codes::RECEIPT_MISSING,
                "the SEND frame asks for no receipt, so the sender cannot know the broker took it".into(),
                SSM_REF,
                "Introduction: the next file is sent only when receipt of the previous file is confirmed",
                Some(i),
            ));
        }
    }
    for &i in &ams {
        match input.layers[i].headers.get("attributes.empaid") {
            Some(id) => details.push(("empa_id".into(), id.to_string())),
            None => out.push(cite(
                Severity::Warning,
                codes::EMPA_ID_MISSING,
                "the AMS message has no empaid attribute; SSM2 names every message with one".into(),
                SSM_REF,
                "SSM2 message headers: destination, receipt, empa-id",
                Some(i),
            )),
        }
    }
    if ping && input.signatures.is_empty() {
        details.insert(0, ("message_kind".into(), "ping".into()));
        out.push(cite(
            Severity::Info,
            codes::PING,
            "an SSM ping (empa-id: ping): a keep-alive the receiver logs and discards".into(),
            SSM_REF,
            "SSM2 receiver: ping messages",
            None,
        ));
        return (details, out);
    }
    details.insert(0, ("message_kind".into(), "message".into()));
    if input.signatures.is_empty() {
        if input.unopened() {
            out.push(cite(
                Severity::Warning,
                f::NOT_DECRYPTED,
                "the signature cannot be checked: the encrypted content was not opened (pass the receiving SSM's key with --key)".into(),
                SSM_REF,
                "Less simplified version: the receiving SSM decrypts the message (using own key)",
                None,
            ));
        } else {
            out.push(cite(
                Severity::Error,
                f::NOT_SIGNED,
                "the message is not signed; the sending SSM signs every file with its own key"
                    .into(),
                SSM_REF,
                "Less simplified version: encrypts and signs (using own key) the files",
                None,
            ));
        }
    }
    for s in input.signatures {
        if s.signer_source.as_deref() != Some("message") {
            out.push(cite(
                Severity::Error,
                codes::SIGNER_CERT_NOT_INCLUDED,
                format!(
                    "SignerInfo #{} does not carry the signer's certificate{}; the receiving SSM takes the sender's certificate from the signature",
                    s.signer_info,
                    match &s.signer_source {
                        Some(src) => format!(" (sealscope found it in {src})"),
                        None => String::new(),
                    }
                ),
                SSM_REF,
                "Less simplified version: retrieves the sender's certificate (from signature)",
                Some(s.layer),
            ));
        }
    }
    if let Some(signer) = input.signatures.iter().find_map(|s| s.signer.as_ref()) {
        details.push(("sender_dn".into(), signer.subject_oneline.clone()));
        details.push(("sender_dn_rfc4514".into(), signer.subject.clone()));
        if let Some(list) = &input.opts.allowed_senders {
            if !allowed(&signer.subject_oneline, list) && !allowed(&signer.subject, list) {
                out.push(cite(
                    Severity::Error,
                    codes::SENDER_NOT_ALLOWED,
                    format!(
                        "the sender {} is not on the DN allow-list ({} entries)",
                        signer.subject_oneline,
                        list.len()
                    ),
                    SSM_REF,
                    "Less simplified version: the receiver stores the sender's certificate DN",
                    None,
                ));
            }
        }
    }
    if let Some(t) = text.and_then(apel_type) {
        details.push(("apel_message_type".into(), t));
    }
    (details, out)
}

/// Reads a DN allow-list: one DN per line (one-line or RFC 4514 form); blank lines and lines
/// starting with `#` are skipped.
pub fn parse_allow_list(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apel_types() {
        assert_eq!(
            apel_type("APEL-summary-job-message: v0.2\nSite: X\n%%\n").as_deref(),
            Some("APEL-summary-job-message: v0.2")
        );
        assert_eq!(
            apel_type("<?xml version=\"1.0\"?>\n<sr:StorageUsageRecords xmlns:sr=\"x\">")
                .as_deref(),
            Some("<sr:StorageUsageRecords>")
        );
        assert_eq!(
            parse_allow_list("# c\n\n/C=UK/CN=a\n  /C=UK/CN=b  \n"),
            vec!["/C=UK/CN=a", "/C=UK/CN=b"]
        );
    }
}
