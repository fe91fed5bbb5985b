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

pub(crate) mod attributes;
mod chain_findings;
pub mod explain;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::der_writer as w;
    use crate::crypto::oids;

    const OPAQUE: &[u8] = include_bytes!("../../../../tests/fixtures/messages/rsa-opaque.der");
    const DETACHED: &[u8] = include_bytes!("../../../../tests/fixtures/messages/rsa-detached.p7s");

    /// A SignedData ContentInfo with the given fields.
    fn signed(fields: &[&[u8]]) -> Vec<u8> {
        w::content_info(oids::ID_SIGNED_DATA, &w::seq(fields))
    }

    #[test]
    fn encapsulated_and_detached_fixtures() {
        let sd = parse_content_info(OPAQUE).unwrap();
        assert_eq!(sd.version, 1);
        assert_eq!(sd.digest_algorithms, ["sha256"]);
        assert_eq!(sd.econtent_type, oids::ID_DATA);
        assert_eq!(sd.econtent.as_deref().map(<[u8]>::len), Some(436));
        assert_eq!(sd.econtent, sd.econtent_digested);
        assert_eq!((sd.certificates.len(), sd.crl_count), (2, 0));
        assert!(sd.certificate_errors.is_empty());
        assert_eq!((sd.signer_infos.len(), sd.countersigning), (1, None));
        let sd = parse_content_info(DETACHED).unwrap();
        assert_eq!((sd.econtent, sd.econtent_digested), (None, None));
        assert_eq!((sd.version, sd.signer_infos.len()), (1, 1));
    }

    #[test]
    fn pkcs7_content_of_another_type_digests_its_contents_octets() {
        let inner = w::seq(&[&w::int(5)]);
        let eci = w::seq(&[&w::oid(oids::ID_DATA), &w::explicit(0, &inner)]);
        let crls = w::implicit_set_of(1, &[&w::seq(&[]), &w::seq(&[])]);
        let der = signed(&[&w::int(3), &w::set_of(&[]), &eci, &crls, &w::set_of(&[])]);
        let sd = parse_content_info(&der).unwrap();
        assert_eq!(sd.version, 3);
        assert_eq!(sd.econtent.as_deref(), Some(&[0x30, 3, 2, 1, 5][..]));
        assert_eq!(sd.econtent_digested.as_deref(), Some(&[2, 1, 5][..]));
        assert_eq!((sd.crl_count, sd.signer_infos.len()), (2, 0));
    }

    #[test]
    fn structural_errors() {
        let eci = w::seq(&[&w::oid(oids::ID_DATA)]);
        let cases = [
            (
                signed(&[&w::int(1), &w::set_of(&[]), &eci]),
                "SignedData is malformed: missing signerInfos SET",
            ),
            (
                signed(&[&w::set_of(&[]), &eci]),
                "SignedData is malformed: missing version",
            ),
            (
                signed(&[&w::int(1), &w::set_of(&[])]),
                "SignedData is malformed: missing encapContentInfo",
            ),
            (
                w::content_info(oids::ID_ENVELOPED_DATA, &w::seq(&[])),
                "ContentInfo is malformed: content type is enveloped-data, not signed-data",
            ),
            (
                w::seq(&[&w::oid(oids::ID_SIGNED_DATA)]),
                "ContentInfo is malformed: signed-data has no content",
            ),
            (
                w::seq(&[&w::oid(oids::ID_DATA), &w::tlv(0xA0, &[5, 0, 5, 0])]),
                "ContentInfo is malformed: [0] content must hold one element",
            ),
            (
                w::seq(&[&w::oid(oids::ID_DATA), &w::null()]),
                "ASN.1 error at byte 13: ContentInfo: expected [0] content",
            ),
            (
                w::set_of(&[]),
                "ASN.1 error at byte 0: ContentInfo: expected a SEQUENCE",
            ),
        ];
        for (der, why) in cases {
            assert_eq!(parse_content_info(&der).unwrap_err().to_string(), why);
        }
    }

    #[test]
    fn certificate_limit_and_unreadable_certificate() {
        let eci = w::seq(&[&w::oid(oids::ID_DATA)]);
        let bad = w::seq(&[&w::int(1)]);
        let many: Vec<&[u8]> = vec![&bad; MAX_CERTIFICATES + 1];
        let der = signed(&[
            &w::int(1),
            &w::set_of(&[]),
            &eci,
            &w::implicit_set_of(0, &many),
            &w::set_of(&[]),
        ]);
        assert_eq!(
            parse_content_info(&der).unwrap_err(),
            Error::Limit {
                what: "SignedData with 1001 certificates".into(),
                limit: 1000
            }
        );
        let one = w::implicit_set_of(0, &[&bad]);
        let der = signed(&[&w::int(1), &w::set_of(&[]), &eci, &one, &w::set_of(&[])]);
        let sd = parse_content_info(&der).unwrap();
        assert!(sd.certificates.is_empty());
        assert_eq!(sd.certificate_errors.len(), 1);
        assert!(
            sd.certificate_errors[0].starts_with("certificate #1: "),
            "{:?}",
            sd.certificate_errors
        );
    }

    #[test]
    fn countersignature_is_found_in_unsigned_attributes() {
        let der = include_bytes!("../../../../tests/fixtures/verdicts/countersigned.der");
        let sd = parse_content_info(der).unwrap();
        let (found, signed_value) = countersignatures(&sd.signer_infos[0]);
        assert_eq!(found.len(), 1);
        let si = SignerInfo::from_der(&sd.signer_infos[0]).unwrap();
        assert_eq!(signed_value, si.signature.as_bytes());
        assert!(SignerInfo::from_der(&found[0]).is_ok());
        let plain = parse_content_info(OPAQUE).unwrap();
        assert_eq!(countersignatures(&plain.signer_infos[0]).0.len(), 0);
        assert_eq!(countersignatures(&[0x30, 0]), (vec![], vec![]));
    }
}
