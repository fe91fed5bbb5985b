//! CMS SignedData (RFC 5652 §5) and PKCS #7 signed-data (RFC 2315 §9): structure and
//! verification of every SignerInfo.
//!
//! ```text
//! SignedData ::= SEQUENCE {
//!   version CMSVersion,
//!   digestAlgorithms DigestAlgorithmIdentifiers,
//!   encapContentInfo EncapsulatedContentInfo,
//!   certificates [0] IMPLICIT CertificateSet OPTIONAL,
//!   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
//!   signerInfos SignerInfos }
//! ```
//!
//! The outer structure is walked as raw TLVs so that SignerInfos and certificates keep their
//! order and exact encodings (the `der` crate sorts SET OF on decode); each SignerInfo and
//! certificate is then decoded with the `cms` / `x509-cert` types. Signed attributes are
//! hashed exactly as sent, re-tagged from `[0]` to SET (RFC 5652 §5.4).

use crate::cms::asn1::{self, tag, Tlv};
use crate::crypto::algorithms::oid_name;
use crate::error::Error;
use crate::x509::certificate::Cert;
use cms::signed_data::SignerInfo;
use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};

mod attributes;
mod chain_findings;
mod signer;
mod verify;

use attributes::COUNTERSIGNATURE;
pub use chain_findings::signer_usage_findings;
pub use signer::find_signer;
pub use verify::{verify_signer, ContentCandidates, SignerOutcome};

/// Most certificates read from one SignedData (real messages carry a handful).
pub const MAX_CERTIFICATES: usize = 1000;

/// The parts of a SignedData sealscope needs, in wire order.
#[derive(Debug, Clone)]
pub struct SignedData<'a> {
    /// CMSVersion.
    pub version: u32,
    /// digestAlgorithms, by name.
    pub digest_algorithms: Vec<String>,
    /// eContentType.
    pub econtent_type: ObjectIdentifier,
    /// eContent, borrowed from the DER it was read from; `None` when detached.
    pub econtent: Option<std::borrow::Cow<'a, [u8]>>,
    /// The bytes the signature digests: the eContent itself, except for PKCS #7 content of
    /// another type than OCTET STRING, where only the contents octets of its encoding are
    /// digested, not its tag and length (RFC 2315 §9.3, RFC 5652 §5.2.1).
    pub econtent_digested: Option<std::borrow::Cow<'a, [u8]>>,
    /// Certificates carried (other CertificateChoices are skipped and counted).
    pub certificates: Vec<Cert>,
    /// Certificates that could not be read, with the reason.
    pub certificate_errors: Vec<String>,
    /// Number of CRLs carried.
    pub crl_count: usize,
    /// Raw DER of each SignerInfo, in wire order.
    pub signer_infos: Vec<Vec<u8>>,
    /// For the countersignatures of one SignerInfo (RFC 5652 §11.4), read as the
    /// SignerInfos of a SignedData of their own: the index of the SignerInfo they sign.
    pub countersigning: Option<usize>,
}

pub(super) fn malformed(structure: &str, reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: structure.to_string(),
        reason: reason.into(),
    }
}

pub(super) fn small_int(v: &[u8]) -> u32 {
    v.iter()
        .take(4)
        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
}

pub(super) fn read_oid(buf: &[u8], t: &Tlv, what: &str) -> Result<ObjectIdentifier, Error> {
    if !t.is_universal(tag::OID) {
        return Err(Error::Asn1 {
            offset: t.start,
            reason: format!("{what}: expected an OBJECT IDENTIFIER"),
        });
    }
    ObjectIdentifier::from_bytes(t.value(buf)).map_err(|_| Error::Asn1 {
        offset: t.start,
        reason: format!("{what}: invalid OBJECT IDENTIFIER"),
    })
}

/// Splits a ContentInfo into (contentType, the DER of the `[0] EXPLICIT` content).
pub fn content_info(der: &[u8]) -> Result<(ObjectIdentifier, Option<Tlv>), Error> {
    let outer = asn1::read_whole(der)?;
    if !outer.is_universal(tag::SEQUENCE) {
        return Err(Error::Asn1 {
            offset: 0,
            reason: "ContentInfo: expected a SEQUENCE".into(),
        });
    }
    let parts = asn1::children(der, &outer)?;
    let ct = parts
        .first()
        .ok_or_else(|| malformed("ContentInfo", "empty SEQUENCE"))?;
    let oid = read_oid(der, ct, "ContentInfo contentType")?;
    let content = match parts.get(1) {
        Some(t) if t.is_context(0) => {
            let inner = asn1::children(der, t)?;
            match inner.as_slice() {
                [one] => Some(*one),
                _ => {
                    return Err(malformed(
                        "ContentInfo",
                        "[0] content must hold one element",
                    ))
                }
            }
        }
        Some(t) => {
            return Err(Error::Asn1 {
                offset: t.start,
                reason: "ContentInfo: expected [0] content".into(),
            })
        }
        None => None,
    };
    Ok((oid, content))
}

/// Reads a SignedData whose SEQUENCE is `sd` within `der` (already normalised to DER).
pub fn parse<'a>(der: &'a [u8], sd: &Tlv) -> Result<SignedData<'a>, Error> {
    let fields = asn1::children(der, sd)?;
    let mut it = fields.iter().peekable();
    let version = it
        .next()
        .filter(|t| t.is_universal(tag::INTEGER))
        .ok_or_else(|| malformed("SignedData", "missing version"))?;
    let digest_set = it
        .next()
        .filter(|t| t.is_universal(tag::SET))
        .ok_or_else(|| malformed("SignedData", "missing digestAlgorithms SET"))?;
    let mut digest_algorithms = Vec::new();
    for alg in asn1::children(der, digest_set)? {
        let parts = asn1::children(der, &alg)?;
        if let Some(o) = parts.first() {
            digest_algorithms.push(oid_name(&read_oid(der, o, "digestAlgorithm")?));
        }
    }
    let eci = it
        .next()
        .filter(|t| t.is_universal(tag::SEQUENCE))
        .ok_or_else(|| malformed("SignedData", "missing encapContentInfo"))?;
    let eci_parts = asn1::children(der, eci)?;
    let econtent_type = read_oid(
        der,
        eci_parts
            .first()
            .ok_or_else(|| malformed("EncapsulatedContentInfo", "empty"))?,
        "eContentType",
    )?;
    let (econtent, econtent_digested) = match eci_parts.get(1) {
        Some(t) if t.is_context(0) => {
            let inner = asn1::children(der, t)?;
            match inner.as_slice() {
                [os] if os.is_universal(tag::OCTET_STRING) => (
                    Some(std::borrow::Cow::Borrowed(os.value(der))),
                    Some(std::borrow::Cow::Borrowed(os.value(der))),
                ),
                // PKCS #7 allowed any type here (Authenticode, certificate trust lists):
                // keep the raw encoding to read, digest its contents octets.
                [other] => (
                    Some(std::borrow::Cow::Borrowed(other.raw(der))),
                    Some(std::borrow::Cow::Borrowed(other.value(der))),
                ),
                _ => {
                    return Err(malformed(
                        "EncapsulatedContentInfo",
                        "[0] must hold one element",
                    ))
                }
            }
        }
        _ => (None, None),
    };
    let mut certificates = Vec::new();
    let mut certificate_errors = Vec::new();
    let mut crl_count = 0;
    while let Some(t) = it.peek() {
        if t.is_context(0) {
            let set = asn1::children(der, t)?;
            if set.len() > MAX_CERTIFICATES {
                return Err(Error::Limit {
                    what: format!("SignedData with {} certificates", set.len()),
                    limit: MAX_CERTIFICATES,
                });
            }
            for (i, c) in set.iter().enumerate() {
                if c.is_universal(tag::SEQUENCE) {
                    match Cert::from_der(c.raw(der), "message") {
                        Ok(cert) => certificates.push(cert),
                        Err(e) => certificate_errors.push(format!("certificate #{}: {e}", i + 1)),
                    }
                }
            }
            it.next();
        } else if t.is_context(1) {
            crl_count = asn1::children(der, t)?.len();
            it.next();
        } else {
            break;
        }
    }
    let si_set = it
        .next()
        .filter(|t| t.is_universal(tag::SET))
        .ok_or_else(|| malformed("SignedData", "missing signerInfos SET"))?;
    let signer_infos = asn1::children(der, si_set)?
        .iter()
        .map(|t| t.raw(der).to_vec())
        .collect();
    Ok(SignedData {
        version: small_int(version.value(der)),
        digest_algorithms,
        econtent_type,
        econtent,
        econtent_digested,
        certificates,
        certificate_errors,
        crl_count,
        signer_infos,
        countersigning: None,
    })
}

/// The countersignatures (RFC 5652 §11.4) among a SignerInfo's unsigned attributes, as
/// SignerInfo DER, with the signature value they sign (the contents octets of its
/// `signature` field). Empty when it has none or cannot be read.
pub fn countersignatures(raw_si: &[u8]) -> (Vec<Vec<u8>>, Vec<u8>) {
    let Ok(si) = SignerInfo::from_der(raw_si) else {
        return (Vec::new(), Vec::new());
    };
    let found = si
        .unsigned_attrs
        .iter()
        .flat_map(|attrs| attrs.iter())
        .filter(|a| a.oid == COUNTERSIGNATURE)
        .flat_map(|a| a.values.iter())
        .filter_map(|v| v.to_der().ok())
        .collect();
    (found, si.signature.as_bytes().to_vec())
}

/// Parses a ContentInfo holding SignedData.
pub fn parse_content_info(der: &[u8]) -> Result<SignedData<'_>, Error> {
    let (oid, content) = content_info(der)?;
    if oid != crate::crypto::algorithms::content::SIGNED_DATA {
        return Err(malformed(
            "ContentInfo",
            format!("content type is {}, not signed-data", oid_name(&oid)),
        ));
    }
    let content = content.ok_or_else(|| malformed("ContentInfo", "signed-data has no content"))?;
    parse(der, &content)
}
