//! Signed and unsigned attributes of a SignerInfo (RFC 5652 §5.3, §11): the bytes that are
//! hashed, the attributes read, and the rules they must follow.

use crate::cms::asn1::{self};
use crate::crypto::algorithms::attr;
use crate::crypto::oids;
use crate::error::Error;
use crate::report::findings::{self, finding};
use crate::report::{Finding, Severity};
use crate::time::UnixTime;
use cms::signed_data::SignerInfo;
use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};

/// The signed attributes as they must be hashed: the `[0] IMPLICIT` encoding re-tagged as
/// SET (0x31), bytes otherwise exactly as sent.
pub(super) fn signed_attrs_for_hashing(raw_si: &[u8]) -> Result<Option<Vec<u8>>, Error> {
    let si = asn1::read_whole(raw_si)?;
    for t in asn1::children(raw_si, &si)? {
        if t.is_context(0) && t.constructed {
            let mut out = t.raw(raw_si).to_vec();
            out[0] = 0x31;
            return Ok(Some(out));
        }
    }
    Ok(None)
}

/// What the signed attributes say.
#[derive(Debug, Default)]
pub(crate) struct Attrs {
    pub(crate) content_type: Option<ObjectIdentifier>,
    pub(crate) message_digest: Option<Vec<u8>>,
    pub(crate) signing_time: Option<UnixTime>,
}

pub(super) fn read_attrs(si: &SignerInfo) -> Result<Attrs, String> {
    match &si.signed_attrs {
        Some(attrs) => read_attribute_set(attrs),
        None => Ok(Attrs::default()),
    }
}

/// The contentType, messageDigest and signingTime of a SET OF Attribute (signed attributes,
/// or an AuthenticatedData's authenticated attributes).
pub(crate) fn read_attribute_set(attrs: &x509_cert::attr::Attributes) -> Result<Attrs, String> {
    let mut out = Attrs::default();
    for a in attrs.iter() {
        let first = a.values.iter().next();
        if a.oid == attr::CONTENT_TYPE {
            out.content_type = first.and_then(|v| v.decode_as::<ObjectIdentifier>().ok());
        } else if a.oid == attr::MESSAGE_DIGEST {
            if a.values.len() != 1 {
                return Err("messageDigest attribute must have exactly one value".into());
            }
            out.message_digest = first
                .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
                .map(|o| o.as_bytes().to_vec());
            if out.message_digest.is_none() {
                return Err("messageDigest attribute is not an OCTET STRING".into());
            }
        } else if a.oid == attr::SIGNING_TIME {
            out.signing_time = first
                .and_then(|v| v.to_der().ok())
                .and_then(|d| x509_cert::time::Time::from_der(&d).ok())
                .map(|t| UnixTime::from_x509(&t));
        }
    }
    Ok(out)
}

/// id-countersignature (RFC 5652 §11.4).
pub(super) const COUNTERSIGNATURE: ObjectIdentifier = oids::ID_COUNTERSIGNATURE;

/// The placement and multiplicity rules of RFC 5652 §11 for the attributes it defines: each
/// broken rule is an error, since peers that enforce them (OpenSSL) reject the signature
/// even when its value verifies.
pub(super) fn attribute_rule_findings(
    si: &SignerInfo,
    label: &str,
    layer: usize,
    countersignature: bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut broken = |code: &'static str, message: String, reference: &'static str| {
        out.push(finding(
            Severity::Error,
            code,
            message,
            reference,
            Some(layer),
        ));
    };
    let name = |oid: &ObjectIdentifier| match *oid {
        attr::CONTENT_TYPE => "content-type",
        attr::MESSAGE_DIGEST => "message-digest",
        attr::SIGNING_TIME => "signing-time",
        COUNTERSIGNATURE => "countersignature",
        _ => "attribute",
    };
    if let Some(signed) = &si.signed_attrs {
        let count = |oid: ObjectIdentifier| signed.iter().filter(|a| a.oid == oid).count();
        if countersignature && count(attr::CONTENT_TYPE) > 0 {
            broken(
                findings::SIGNED_ATTRIBUTES_INVALID,
                format!(
                    "{label} has a content-type attribute, which a countersignature MUST NOT have"
                ),
                "RFC 5652 §11.1, §11.4",
            );
        }
        if !countersignature && count(attr::CONTENT_TYPE) == 0 {
            broken(
                findings::SIGNED_ATTRIBUTES_INVALID,
                format!(
                    "{label} has signed attributes but no content-type attribute, which RFC 5652 §5.3 requires: OpenSSL 3 rejects such a signature, gpgsm accepts it (the signature value itself is checked below)"
                ),
                "RFC 5652 §5.3, §11.1",
            );
        }
        for oid in [attr::CONTENT_TYPE, attr::MESSAGE_DIGEST, attr::SIGNING_TIME] {
            if count(oid) > 1 {
                broken(
                    findings::SIGNED_ATTRIBUTES_INVALID,
                    format!(
                        "{label} carries {} {} attributes; RFC 5652 §11 allows exactly one",
                        count(oid),
                        name(&oid)
                    ),
                    "RFC 5652 §11",
                );
            }
        }
        for a in signed.iter() {
            if a.oid == COUNTERSIGNATURE {
                broken(
                    findings::SIGNED_ATTRIBUTES_INVALID,
                    format!("{label} has a countersignature among its signed attributes; it MUST be unsigned"),
                    "RFC 5652 §11.4",
                );
            } else if [attr::CONTENT_TYPE, attr::SIGNING_TIME].contains(&a.oid)
                && a.values.len() != 1
            {
                broken(
                    findings::SIGNED_ATTRIBUTES_INVALID,
                    format!(
                        "{label}'s {} attribute has {} values; it MUST have exactly one",
                        name(&a.oid),
                        a.values.len()
                    ),
                    "RFC 5652 §11",
                );
            }
        }
    }
    if let Some(unsigned) = &si.unsigned_attrs {
        for a in unsigned.iter() {
            if [attr::CONTENT_TYPE, attr::MESSAGE_DIGEST, attr::SIGNING_TIME].contains(&a.oid) {
                broken(
                    findings::SIGNED_ATTRIBUTES_INVALID,
                    format!(
                        "{label} carries a {} attribute among its unsigned attributes; it MUST be signed (a signing time there proves nothing)",
                        name(&a.oid)
                    ),
                    "RFC 5652 §11",
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::der_writer as w;

    fn attr(oid: ObjectIdentifier, values: &[&[u8]]) -> Vec<u8> {
        w::seq(&[&w::oid(oid), &w::set_of(values)])
    }

    /// A SignerInfo named by subjectKeyIdentifier (`[0]` primitive, RFC 5652 §5.3) with the
    /// given signed `[0]` and unsigned `[1]` attributes.
    fn signer_info(signed: &[&[u8]], unsigned: &[&[u8]]) -> Vec<u8> {
        let mut parts = vec![w::int(3), w::implicit_primitive(0, &[1, 2, 3, 4])];
        parts.push(w::alg(oids::ID_SHA_256, None));
        if !signed.is_empty() {
            parts.push(w::implicit_set_of(0, signed));
        }
        parts.push(w::alg(oids::RSA_ENCRYPTION, Some(&w::null())));
        parts.push(w::octets(&[0; 4]));
        if !unsigned.is_empty() {
            parts.push(w::implicit_set_of(1, unsigned));
        }
        w::seq(&parts.iter().map(Vec::as_slice).collect::<Vec<_>>())
    }

    fn decode(signed: &[&[u8]], unsigned: &[&[u8]]) -> SignerInfo {
        SignerInfo::from_der(&signer_info(signed, unsigned)).unwrap()
    }

    #[test]
    fn hashed_bytes_are_the_signed_attrs_retagged_as_set() {
        let ct = attr(attr::CONTENT_TYPE, &[&w::oid(oids::ID_DATA)]);
        let mut expected = w::implicit_set_of(0, &[&ct]);
        expected[0] = 0x31;
        // The subjectKeyIdentifier is also [0], but primitive: it is not the attributes.
        assert_eq!(
            signed_attrs_for_hashing(&signer_info(&[&ct], &[])),
            Ok(Some(expected))
        );
        assert_eq!(signed_attrs_for_hashing(&signer_info(&[], &[])), Ok(None));
    }

    #[test]
    fn read_attrs_values_and_message_digest_rules() {
        let ct = attr(attr::CONTENT_TYPE, &[&w::oid(oids::ID_DATA)]);
        let md = attr(attr::MESSAGE_DIGEST, &[&w::octets(&[0xab; 32])]);
        let st = attr(attr::SIGNING_TIME, &[&w::tlv(0x17, b"250601120000Z")]);
        let a = read_attrs(&decode(&[&ct, &md, &st], &[])).unwrap();
        assert_eq!(a.content_type, Some(oids::ID_DATA));
        assert_eq!(a.message_digest, Some(vec![0xab; 32]));
        assert_eq!(a.signing_time, UnixTime::parse("2025-06-01T12:00:00Z").ok());
        let two = attr(attr::MESSAGE_DIGEST, &[&w::octets(&[1]), &w::octets(&[2])]);
        assert_eq!(
            read_attrs(&decode(&[&ct, &two], &[])).unwrap_err(),
            "messageDigest attribute must have exactly one value"
        );
        let int = attr(attr::MESSAGE_DIGEST, &[&w::int(5)]);
        assert_eq!(
            read_attrs(&decode(&[&ct, &int], &[])).unwrap_err(),
            "messageDigest attribute is not an OCTET STRING"
        );
    }

    #[test]
    fn rfc5652_section_11_placement_and_multiplicity() {
        let rules = |si: &SignerInfo, counter: bool| -> Vec<String> {
            let f = attribute_rule_findings(si, "S", 2, counter);
            assert!(f
                .iter()
                .all(|f| f.severity == Severity::Error && f.layer == Some(2)));
            assert!(f
                .iter()
                .all(|f| f.code == findings::SIGNED_ATTRIBUTES_INVALID));
            f.into_iter()
                .map(|f| format!("{} [{}]", f.message, f.reference))
                .collect()
        };
        let ct = attr(attr::CONTENT_TYPE, &[&w::oid(oids::ID_DATA)]);
        let md = attr(attr::MESSAGE_DIGEST, &[&w::octets(&[1; 32])]);
        let st1 = attr(attr::SIGNING_TIME, &[&w::tlv(0x17, b"250601120000Z")]);
        let st2 = attr(attr::SIGNING_TIME, &[&w::tlv(0x17, b"250602120000Z")]);
        let cs = attr(COUNTERSIGNATURE, &[&w::seq(&[])]);
        let ct2 = attr(
            attr::CONTENT_TYPE,
            &[&w::oid(oids::ID_DATA), &w::oid(oids::ID_SIGNED_DATA)],
        );
        assert_eq!(
            rules(&decode(&[&ct, &md, &st1], &[&cs]), false),
            Vec::<String>::new()
        );
        assert_eq!(rules(&decode(&[&md], &[]), true), Vec::<String>::new());
        assert_eq!(
            rules(&decode(&[&ct, &md], &[]), true),
            ["S has a content-type attribute, which a countersignature MUST NOT have [RFC 5652 §11.1, §11.4]"]
        );
        let missing = rules(&decode(&[&md], &[]), false);
        assert_eq!(missing.len(), 1);
        assert!(missing[0].starts_with("S has signed attributes but no content-type attribute"));
        assert!(missing[0].ends_with("[RFC 5652 §5.3, §11.1]"));
        assert_eq!(
            rules(&decode(&[&ct, &md, &st1, &st2], &[]), false),
            ["S carries 2 signing-time attributes; RFC 5652 §11 allows exactly one [RFC 5652 §11]"]
        );
        assert_eq!(
            rules(&decode(&[&ct2, &md], &[]), false),
            ["S's content-type attribute has 2 values; it MUST have exactly one [RFC 5652 §11]"]
        );
        assert_eq!(
            rules(&decode(&[&ct, &md, &cs], &[]), false),
            ["S has a countersignature among its signed attributes; it MUST be unsigned [RFC 5652 §11.4]"]
        );
        assert_eq!(
            rules(&decode(&[&ct, &md], &[&st1]), false),
            ["S carries a signing-time attribute among its unsigned attributes; it MUST be signed (a signing time there proves nothing) [RFC 5652 §11]"]
        );
    }
}
