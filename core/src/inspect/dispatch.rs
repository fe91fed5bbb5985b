//! Where reading starts: the input's kind decides the first layer; PEM armour and hex dumps are unwrapped here.

use super::content::sniff;
use super::detect::{detect, Kind};
use super::Ctx;
use super::Span;
use crate::cms::asn1;
use crate::cms::signed_data::{self};
use crate::error::Error;
use crate::ieee1609;
use crate::report::findings::{self, finding};
use crate::report::LayerKind;
use crate::report::Severity;
use crate::wire::pem;

impl Ctx<'_> {
    /// Reads the whole input as [`detect`] classifies it.
    pub(super) fn top(&mut self, input: &[u8]) -> Result<(), Error> {
        match detect(input) {
            Kind::Empty => Err(Error::Unrecognised("the input is empty (0 bytes)".into())),
            Kind::Pem => self.pem(input, None),
            Kind::Ieee1609Data => self.ieee1609(input, Span::at(0, 0, input, None)),
            Kind::Ieee1609Certificate => Err(Error::Unrecognised(
                "the input is an IEEE 1609.2 certificate, not a message (pass it with --trust or --cert)"
                    .into(),
            )),
            Kind::HexIeee1609 => {
                let raw = hex_dump(input).unwrap_or_default();
                let idx = self.push_layer(LayerKind::Hex, format!("hex text, {} bytes decoded", raw.len()), Span::new(0, [0, input.len()], None), Vec::new())?;
                self.ieee1609(&raw, Span::at(idx + 1, 0, &raw, Some(idx)))
            }
            Kind::X509Certificate => Err(Error::Unrecognised(
                "the input is a DER X.509 certificate, not a message (pass it with --trust or --cert)"
                    .into(),
            )),
            Kind::Der => self.cms(input, Span::new(0, [0, input.len()], None)),
            Kind::Stomp => self.stomp(input),
            Kind::Http => self.http(input),
            Kind::Ams => self.ams(input, Span::at(0, 0, input, None)),
            Kind::Mime => self.mime(input, Span::at(0, 0, input, None), 0),
            Kind::PemAfterText { text_before } => {
                self.findings.push(finding(
                    Severity::Info,
                    findings::PEM_LABEL_NONSTANDARD,
                    format!(
                        "{text_before} bytes of text before the PEM block are not part of the message and were not read"
                    ),
                    "RFC 7468 §2",
                    None,
                ));
                self.pem(input, None)
            }
            Kind::Base64 => self.base64(input),
            Kind::Unknown if self.opts.ssm_stored.is_some() => {
                // A stored dirq body is the plain message SSM kept after checking it.
                self.leaf(sniff(input), input, Span::new(0, [0, input.len()], None))
            }
            Kind::Unknown => {
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
        }
    }

    /// Bare base64 text: a CMS structure or a 1609.2 message once decoded.
    fn base64(&mut self, input: &[u8]) -> Result<(), Error> {
        let der = pem::decode_base64(input).map_err(|e| {
            Error::Unrecognised(format!("text looks like base64 but does not decode: {e}"))
        })?;
        let idx = self.push_layer(
            LayerKind::Base64,
            format!("base64 text, {} bytes decoded", der.len()),
            Span::new(0, [0, input.len()], None),
            Vec::new(),
        )?;
        if ieee1609::data::looks_like_data(&der) {
            return self.ieee1609(&der, Span::at(idx + 1, 0, &der, Some(idx)));
        }
        if der.first() != Some(&0x30) {
            return Err(Error::Unrecognised(
                "base64 text does not decode to a DER/BER structure or an IEEE 1609.2 message"
                    .into(),
            ));
        }
        self.cms(&der, Span::new(idx + 1, [0, der.len()], Some(idx)))
    }

    pub(super) fn pem(&mut self, input: &[u8], parent: Option<usize>) -> Result<(), Error> {
        let blocks = pem::blocks(input)?;
        let Some((label, der)) = blocks.into_iter().next() else {
            return Err(Error::Encoding("PEM text holds no block".into()));
        };
        let idx = self.push_layer(
            LayerKind::Pem,
            format!("PEM block {label}, {} bytes decoded", der.len()),
            Span::new(0, [0, input.len()], parent),
            vec![("label".into(), label.clone())],
        )?;
        match label.as_str() {
            "PKCS7" | "CMS" | "PKCS #7 SIGNED DATA" => {
                self.cms(&der, Span::new(idx + 1, [0, der.len()], Some(idx)))
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
                self.cms(&der, Span::new(idx + 1, [0, der.len()], Some(idx)))
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
