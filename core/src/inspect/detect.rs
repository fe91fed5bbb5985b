//! The one detector: what a byte string is, judged by its content. The pipeline uses it for
//! the input and for every body it unwraps; front ends use it to tell a dropped message from
//! key material. The order of the tests is the order of the checks below, from the most
//! specific signature (PEM armour, 1609.2 COER) to the loosest (base64 text).

use crate::cms::signed_data;
use crate::crypto::{keys, pkcs12};
use crate::ieee1609;
use crate::wire::{ams, http, mime, pem, stomp};
use crate::x509::{certificate::Cert, crl};
use serde::Serialize;

/// What an input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Nothing (0 bytes).
    Empty,
    /// PEM armour at the start (after white space).
    Pem,
    /// PEM armour after `text_before` bytes of prose (gpgsm's test messages).
    PemAfterText {
        /// Bytes of text before the armour.
        text_before: usize,
    },
    /// An IEEE 1609.2 Ieee1609Dot2Data (COER).
    Ieee1609Data,
    /// An IEEE 1609.2 certificate (COER): key material, not a message.
    Ieee1609Certificate,
    /// Hex text (a run of digits or an `xxd` / `hexdump -C` dump) of a 1609.2 message.
    HexIeee1609,
    /// A DER X.509 certificate: key material, not a message.
    X509Certificate,
    /// Any other DER/BER structure (read as a CMS ContentInfo).
    Der,
    /// A STOMP frame (or a capture of several).
    Stomp,
    /// An HTTP/1.1 message (or several).
    Http,
    /// ARGO Messaging Service JSON.
    Ams,
    /// A MIME entity (an e-mail or an S/MIME part).
    Mime,
    /// Bare base64 text.
    Base64,
    /// None of the above.
    Unknown,
}

impl Kind {
    /// The kebab-case name of the kind, as serialised.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Empty => "empty",
            Kind::Pem | Kind::PemAfterText { .. } => "pem",
            Kind::Ieee1609Data => "ieee1609-data",
            Kind::Ieee1609Certificate => "ieee1609-certificate",
            Kind::HexIeee1609 => "hex-ieee1609",
            Kind::X509Certificate => "x509-certificate",
            Kind::Der => "der",
            Kind::Stomp => "stomp",
            Kind::Http => "http",
            Kind::Ams => "ams",
            Kind::Mime => "mime",
            Kind::Base64 => "base64",
            Kind::Unknown => "unknown",
        }
    }
}

/// Where a body was found: decides which kinds it may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Within {
    /// The body of a carrier (STOMP frame, HTTP message, AMS message): MIME, CMS, a 1609.2
    /// message or a payload.
    Carrier,
    /// The id-data content of a SignedData, or another CMS content: MIME, nested CMS or a
    /// payload.
    Cms,
}

/// What a body inside another layer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nested {
    /// A MIME entity.
    Mime,
    /// A CMS ContentInfo (DER or BER).
    Cms,
    /// An IEEE 1609.2 Ieee1609Dot2Data.
    Ieee1609Data,
    /// The innermost payload.
    Payload,
}

/// Key material a user may drop or give where a message is expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Material {
    /// X.509 certificate(s), PEM or DER.
    Certificate,
    /// An IEEE 1609.2 certificate (COER).
    Ieee1609Certificate,
    /// Certificate revocation list(s).
    Crl,
    /// Private key(s): PKCS#8 (maybe encrypted), PKCS#1, SEC1.
    PrivateKey,
    /// A PKCS#12 bundle.
    Pkcs12,
}

impl Material {
    /// The kebab-case name, as serialised.
    pub fn name(self) -> &'static str {
        match self {
            Material::Certificate => "certificate",
            Material::Ieee1609Certificate => "ieee1609-certificate",
            Material::Crl => "crl",
            Material::PrivateKey => "private-key",
            Material::Pkcs12 => "pkcs12",
        }
    }
}

fn after_white_space(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

fn is_1609_certificate(bytes: &[u8]) -> bool {
    crate::keyring::looks_like_1609_certificate(bytes)
        && ieee1609::data::decode_certificate(bytes).is_ok()
}

/// What a whole input is. The pipeline starts here.
pub fn detect(bytes: &[u8]) -> Kind {
    if bytes.is_empty() {
        return Kind::Empty;
    }
    if after_white_space(bytes).starts_with(b"-----BEGIN ") {
        return Kind::Pem;
    }
    if ieee1609::data::looks_like_data(bytes) {
        return Kind::Ieee1609Data;
    }
    if is_1609_certificate(bytes) {
        return Kind::Ieee1609Certificate;
    }
    if super::dispatch::hex_dump(bytes).is_some_and(|b| ieee1609::data::looks_like_data(&b)) {
        return Kind::HexIeee1609;
    }
    if bytes[0] == 0x30 {
        if Cert::from_der(bytes, "input").is_ok() {
            return Kind::X509Certificate;
        }
        return Kind::Der;
    }
    if stomp::looks_like_frame(bytes) {
        return Kind::Stomp;
    }
    if http::looks_like_http(bytes) {
        return Kind::Http;
    }
    if ams::looks_like_ams(bytes) {
        return Kind::Ams;
    }
    if mime::looks_like_mime(bytes) {
        return Kind::Mime;
    }
    if let Some(at) = bytes.windows(11).position(|w| w == b"-----BEGIN ") {
        if std::str::from_utf8(&bytes[..at]).is_ok() {
            return Kind::PemAfterText { text_before: at };
        }
    }
    if pem::looks_like_base64(bytes) {
        return Kind::Base64;
    }
    Kind::Unknown
}

/// What a body found inside another layer is.
pub fn detect_nested(bytes: &[u8], within: Within) -> Nested {
    if mime::looks_like_mime(bytes) {
        return Nested::Mime;
    }
    if bytes.first() == Some(&0x30) && signed_data::content_info(bytes).is_ok() {
        return Nested::Cms;
    }
    if within == Within::Carrier && ieee1609::data::looks_like_data(bytes) {
        return Nested::Ieee1609Data;
    }
    Nested::Payload
}

fn pem_material(text: &[u8]) -> Option<Material> {
    let blocks = pem::blocks(text).ok()?;
    let labels: Vec<&str> = blocks.iter().map(|(l, _)| l.as_str()).collect();
    if labels.iter().any(|l| l.ends_with("PRIVATE KEY")) {
        return Some(Material::PrivateKey);
    }
    if labels.contains(&"X509 CRL") {
        return Some(Material::Crl);
    }
    if labels
        .iter()
        .any(|l| *l == "CERTIFICATE" || *l == "TRUSTED CERTIFICATE" || *l == "X509 CERTIFICATE")
    {
        return Some(Material::Certificate);
    }
    None
}

/// Whether `bytes` are key material rather than a message, and which. `name` only breaks
/// ties for 1609.2 certificates that do not look like one by content (they carry no magic
/// number): a `.coer`, `.oer` or `.cert` file that decodes as one is one.
pub fn material(bytes: &[u8], name: &str) -> Option<Material> {
    if after_white_space(bytes).starts_with(b"-----BEGIN ") {
        return pem_material(bytes);
    }
    if is_1609_certificate(bytes) && !ieee1609::data::looks_like_data(bytes) {
        return Some(Material::Ieee1609Certificate);
    }
    let lower = name.to_ascii_lowercase();
    if [".coer", ".oer", ".cert"]
        .iter()
        .any(|e| lower.ends_with(e))
        && ieee1609::data::decode_certificate(bytes).is_ok()
    {
        return Some(Material::Ieee1609Certificate);
    }
    if bytes.first() != Some(&0x30) {
        return None;
    }
    if Cert::from_der(bytes, name).is_ok() {
        return Some(Material::Certificate);
    }
    if pkcs12::looks_like_pfx(bytes) {
        return Some(Material::Pkcs12);
    }
    if crl::load_crls(bytes, name).is_ok() {
        return Some(Material::Crl);
    }
    match keys::load_private_keys(bytes, None, name) {
        // An encrypted key reads as a key that needs its password.
        Ok(_) => Some(Material::PrivateKey),
        Err(e) if e.needs_password() => Some(Material::PrivateKey),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_inputs_by_their_first_bytes() {
        assert_eq!(detect(b""), Kind::Empty);
        assert_eq!(detect(b"\n  -----BEGIN PKCS7-----\n"), Kind::Pem);
        assert_eq!(
            detect(b"MESSAGE\ndestination:/queue/a\n\nbody\0"),
            Kind::Stomp
        );
        assert_eq!(
            detect(b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"),
            Kind::Http
        );
        assert_eq!(
            detect(b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhi\r\n"),
            Kind::Mime
        );
        assert_eq!(
            detect(b"Some prose first.\n-----BEGIN SIGNED MESSAGE-----\n"),
            Kind::PemAfterText { text_before: 18 }
        );
        assert_eq!(detect(b"MIAGCSqGSIb3DQEHAqCAMIACAQEx"), Kind::Base64);
        assert_eq!(detect(&[0x30, 0x03, 0x02, 0x01, 0x00]), Kind::Der);
        assert_eq!(detect(b"\x00\x01\x02 not a message"), Kind::Unknown);
    }

    #[test]
    fn nested_bodies_depend_on_where_they_are() {
        let mime = b"Content-Type: text/plain\r\n\r\nhi\r\n";
        assert_eq!(detect_nested(mime, Within::Cms), Nested::Mime);
        assert_eq!(
            detect_nested(b"plain words", Within::Carrier),
            Nested::Payload
        );
        // A SEQUENCE that is no ContentInfo is a payload, not CMS.
        assert_eq!(
            detect_nested(&[0x30, 0x03, 0x02, 0x01, 0x00], Within::Cms),
            Nested::Payload
        );
    }

    #[test]
    fn pem_material_by_label() {
        let key = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert_eq!(material(key, "k.pem"), Some(Material::PrivateKey));
        let crl = b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n";
        assert_eq!(material(crl, "c.pem"), Some(Material::Crl));
        let cms = b"-----BEGIN CMS-----\nAAAA\n-----END CMS-----\n";
        assert_eq!(material(cms, "m.pem"), None);
        assert_eq!(material(b"plain words", "x.txt"), None);
    }
}
