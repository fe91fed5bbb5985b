//! Where reading starts: the input's kind decides the first layer; PEM armour and hex dumps are unwrapped here.

use super::content::sniff;
use super::Ctx;
use crate::cms::asn1;
use crate::cms::signed_data::{self};
use crate::error::Error;
use crate::ieee1609;
use crate::report::findings::{self, finding};
use crate::report::Severity;
use crate::wire::ams;
use crate::wire::http;
use crate::wire::mime::{self};
use crate::wire::pem;
use crate::wire::stomp;

impl Ctx<'_> {
    pub(super) fn top(&mut self, input: &[u8]) -> Result<(), Error> {
        if input.is_empty() {
            return Err(Error::Unrecognised("the input is empty (0 bytes)".into()));
        }
        let start = input
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(input.len());
        let trimmed = &input[start..];
        if trimmed.starts_with(b"-----BEGIN ") {
            return self.pem(input, None);
        }
        if ieee1609::data::looks_like_data(input) {
            return self.ieee1609(input, 0, 0, None);
        }
        if crate::keyring::looks_like_1609_certificate(input)
            && ieee1609::data::decode_certificate(input).is_ok()
        {
            return Err(Error::Unrecognised(
                "the input is an IEEE 1609.2 certificate, not a message (pass it with --trust or --cert)"
                    .into(),
            ));
        }
        if let Some(raw) = hex_dump(input).filter(|b| ieee1609::data::looks_like_data(b)) {
            let idx = self.push_layer(
                "hex",
                format!("hex text, {} bytes decoded", raw.len()),
                [0, input.len()],
                0,
                None,
                Vec::new(),
            )?;
            return self.ieee1609(&raw, idx + 1, 0, Some(idx));
        }
        if input[0] == 0x30 {
            if crate::x509::certificate::Cert::from_der(input, "input").is_ok() {
                return Err(Error::Unrecognised(
                    "the input is a DER X.509 certificate, not a message (pass it with --trust or --cert)"
                        .into(),
                ));
            }
            return self.cms(input, 0, [0, input.len()], None);
        }
        if stomp::looks_like_frame(input) {
            return self.stomp(input);
        }
        if http::looks_like_http(input) {
            return self.http(input);
        }
        if ams::looks_like_ams(input) {
            return self.ams(input, 0, 0, None);
        }
        if mime::looks_like_mime(input) {
            return self.mime(input, 0, 0, None, 0);
        }
        // Armour after some text (gpgsm's test messages put a line of prose first).
        if let Some(at) = input.windows(11).position(|w| w == b"-----BEGIN ") {
            if std::str::from_utf8(&input[..at]).is_ok() {
                self.findings.push(finding(
                    Severity::Info,
                    findings::PEM_LABEL_NONSTANDARD,
                    format!(
                        "{at} bytes of text before the PEM block are not part of the message and were not read"
                    ),
                    "RFC 7468 §2",
                    None,
                ));
                return self.pem(input, None);
            }
        }
        if pem::looks_like_base64(input) {
            let der = pem::decode_base64(input).map_err(|e| {
                Error::Unrecognised(format!("text looks like base64 but does not decode: {e}"))
            })?;
            let idx = self.push_layer(
                "base64",
                format!("base64 text, {} bytes decoded", der.len()),
                [0, input.len()],
                0,
                None,
                Vec::new(),
            )?;
            if ieee1609::data::looks_like_data(&der) {
                return self.ieee1609(&der, idx + 1, 0, Some(idx));
            }
            if der.first() != Some(&0x30) {
                return Err(Error::Unrecognised(
                    "base64 text does not decode to a DER/BER structure or an IEEE 1609.2 message"
                        .into(),
                ));
            }
            return self.cms(&der, idx + 1, [0, der.len()], Some(idx));
        }
        if self.opts.ssm_stored.is_some() {
            // A stored dirq body is the plain message SSM kept after checking it.
            return self.leaf(sniff(input), input, 0, [0, input.len()], None);
        }
        let shown: String = input
            .iter()
            .take(16)
            .map(|&b| {
                if b.is_ascii_graphic() {
                    char::from(b)
                } else {
                    '.'
                }
            })
            .collect();
        Err(Error::Unrecognised(format!(
            "not a MIME message, CMS (DER/BER), PEM or base64 (starts with {shown:?})"
        )))
    }

    pub(super) fn pem(&mut self, input: &[u8], parent: Option<usize>) -> Result<(), Error> {
        let blocks = pem::blocks(input)?;
        let Some((label, der)) = blocks.into_iter().next() else {
            return Err(Error::Encoding("PEM text holds no block".into()));
        };
        let idx = self.push_layer(
            "pem",
            format!("PEM block {label}, {} bytes decoded", der.len()),
            [0, input.len()],
            0,
            parent,
            vec![("label".into(), label.clone())],
        )?;
        match label.as_str() {
            "PKCS7" | "CMS" | "PKCS #7 SIGNED DATA" => {
                self.cms(&der, idx + 1, [0, der.len()], Some(idx))
            }
            "CERTIFICATE" | "X509 CERTIFICATE" | "X509 CRL" | "PRIVATE KEY"
            | "ENCRYPTED PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY"
            | "DSA PRIVATE KEY" | "PUBLIC KEY" => Err(Error::Unrecognised(format!(
                "the PEM block is {label}, which is key material, not a message (pass it with --trust, --cert, --crl or --key)"
            ))),
            // Other producers' armour (gpgsm: SIGNED MESSAGE, ENCRYPTED MESSAGE): the label
            // says little; what decides is whether the bytes are a CMS ContentInfo.
            other => {
                let der_view = asn1::normalise_cow(&der).ok();
                let is_cms = der_view
                    .as_deref()
                    .is_some_and(|d| signed_data::content_info(d).is_ok());
                if !is_cms {
                    return Err(Error::Unrecognised(format!(
                        "PEM block {other} does not hold a CMS ContentInfo ({} bytes decoded, starting {})",
                        der.len(),
                        hex::encode(&der[..der.len().min(8)])
                    )));
                }
                self.findings.push(finding(
                    Severity::Info,
                    findings::PEM_LABEL_NONSTANDARD,
                    format!(
                        "PEM label \"{other}\" is not one RFC 7468 defines for CMS (\"CMS\" or \"PKCS7\"); its content is a CMS ContentInfo and is read as one"
                    ),
                    "RFC 7468 §9",
                    Some(idx),
                ));
                self.cms(&der, idx + 1, [0, der.len()], Some(idx))
            }
        }
    }
}

/// Bytes written as hex: one run of hex digits (with whitespace, colons or a `0x` prefix), or
/// a dump with offsets and an ASCII column (`xxd`, `hexdump -C`), when the whole text is that.
pub(super) fn hex_dump(input: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(input).ok()?.trim();
    let mut digits = String::new();
    for line in text.lines() {
        let line = line.trim();
        // An offset column: hex digits followed by ':' or by spaces in `hexdump -C` style.
        let body = match line.split_once(':') {
            Some((off, rest)) if off.len() >= 4 && off.chars().all(|c| c.is_ascii_hexdigit()) => {
                rest
            }
            _ => line,
        };
        // The ASCII column follows two spaces.
        let body = body.trim_start().split("  ").next().unwrap_or("");
        let body = body.strip_prefix("0x").unwrap_or(body);
        for c in body.chars().filter(|c| !c.is_whitespace() && *c != ':') {
            if !c.is_ascii_hexdigit() {
                return None;
            }
            digits.push(c);
        }
    }
    if digits.len() < 8 || !digits.len().is_multiple_of(2) {
        return None;
    }
    hex::decode(digits).ok()
}
