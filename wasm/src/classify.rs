//! What a dropped file is: a message to inspect, or material for the keyring.

use sealscope_core::keyring::looks_like_1609_certificate;
use sealscope_core::x509::certificate::Cert;

/// The kinds of file the inspector tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// X.509 certificate(s), PEM or DER.
    Certificate,
    /// An IEEE 1609.2 certificate (COER).
    Ieee1609Certificate,
    /// Certificate revocation list(s).
    Crl,
    /// Private key(s): PKCS#8 (maybe encrypted), PKCS#1, SEC1.
    PrivateKey,
    /// A PKCS#12 bundle (needs a password).
    Pkcs12,
    /// Anything else: a message for the inspector.
    Message,
}

impl Kind {
    /// The name used in JavaScript.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Certificate => "certificate",
            Kind::Ieee1609Certificate => "ieee1609-certificate",
            Kind::Crl => "crl",
            Kind::PrivateKey => "private-key",
            Kind::Pkcs12 => "pkcs12",
            Kind::Message => "message",
        }
    }
}

fn pem_kind(text: &[u8]) -> Option<Kind> {
    let blocks = sealscope_core::wire::pem::blocks(text).ok()?;
    let labels: Vec<&str> = blocks.iter().map(|(l, _)| l.as_str()).collect();
    if labels.iter().any(|l| l.ends_with("PRIVATE KEY")) {
        return Some(Kind::PrivateKey);
    }
    if labels.contains(&"X509 CRL") {
        return Some(Kind::Crl);
    }
    if labels
        .iter()
        .any(|l| *l == "CERTIFICATE" || *l == "TRUSTED CERTIFICATE" || *l == "X509 CERTIFICATE")
    {
        return Some(Kind::Certificate);
    }
    None
}

/// Classifies `bytes` by content (the name only breaks ties for COER certificates, which
/// carry no magic number).
pub fn classify(bytes: &[u8], name: &str) -> Kind {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    if bytes[start..].starts_with(b"-----BEGIN ") {
        return pem_kind(bytes).unwrap_or(Kind::Message);
    }
    let lower = name.to_ascii_lowercase();
    if looks_like_1609_certificate(bytes)
        && sealscope_core::ieee1609::data::decode_certificate(bytes).is_ok()
        && !sealscope_core::ieee1609::data::looks_like_data(bytes)
    {
        return Kind::Ieee1609Certificate;
    }
    if (lower.ends_with(".coer") || lower.ends_with(".oer") || lower.ends_with(".cert"))
        && sealscope_core::ieee1609::data::decode_certificate(bytes).is_ok()
    {
        return Kind::Ieee1609Certificate;
    }
    if bytes.first() != Some(&0x30) {
        return Kind::Message;
    }
    if Cert::from_der(bytes, name).is_ok() {
        return Kind::Certificate;
    }
    if sealscope_core::crypto::pkcs12::looks_like_pfx(bytes) {
        return Kind::Pkcs12;
    }
    if sealscope_core::x509::crl::load_crls(bytes, name).is_ok() {
        return Kind::Crl;
    }
    match sealscope_core::crypto::keys::load_private_keys(bytes, None, name) {
        Ok(_) => return Kind::PrivateKey,
        // Encrypted PKCS#8 reads as a key that needs its password.
        Err(e) if e.to_string().contains("encrypted") => return Kind::PrivateKey,
        Err(_) => {}
    }
    Kind::Message
}
