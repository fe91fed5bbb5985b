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
pub(super) struct Attrs {
    pub(super) content_type: Option<ObjectIdentifier>,
    pub(super) message_digest: Option<Vec<u8>>,
    pub(super) signing_time: Option<UnixTime>,
}

pub(super) fn read_attrs(si: &SignerInfo) -> Result<Attrs, String> {
    let mut out = Attrs::default();
    let Some(attrs) = &si.signed_attrs else {
        return Ok(out);
    };
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
