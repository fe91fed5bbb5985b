//! DigestedData (RFC 5652 §7): content with a digest of it, for integrity without a signer.

use crate::cms::asn1::{self, tag, Tlv};
use crate::crypto::algorithms::{oid_name, Digest};
use crate::error::Error;
use der::asn1::ObjectIdentifier;

/// A DigestedData, read.
#[derive(Debug)]
pub struct DigestedData {
    /// CMSVersion (0 for id-data content, 2 otherwise).
    pub version: u32,
    /// The digest algorithm's OID.
    pub digest_oid: ObjectIdentifier,
    /// The digest algorithm, when sealscope computes it.
    pub digest: Option<Digest>,
    /// eContentType.
    pub content_type: ObjectIdentifier,
    /// The encapsulated content; `None` when detached.
    pub content: Option<Vec<u8>>,
    /// The digest value carried.
    pub value: Vec<u8>,
}

fn malformed(reason: &str) -> Error {
    Error::Malformed {
        structure: "DigestedData".into(),
        reason: reason.into(),
    }
}

fn oid(der: &[u8], t: &Tlv) -> Result<ObjectIdentifier, Error> {
    if !t.is_universal(tag::OID) {
        return Err(malformed(
            "an algorithm or content type is not an OBJECT IDENTIFIER",
        ));
    }
    ObjectIdentifier::from_bytes(t.value(der)).map_err(|_| malformed("an OID is malformed"))
}

/// Reads an EncapsulatedContentInfo (RFC 5652 §5.2) of `structure`: eContentType, and
/// eContent unless it is absent (detached).
pub(crate) fn encap_content_info(
    der: &[u8],
    eci: &Tlv,
    structure: &str,
) -> Result<(ObjectIdentifier, Option<Vec<u8>>), Error> {
    let bad = |reason: &str| Error::Malformed {
        structure: structure.into(),
        reason: reason.into(),
    };
    if !eci.is_universal(tag::SEQUENCE) {
        return Err(bad("encapContentInfo is not a SEQUENCE"));
    }
    let eci_parts = asn1::children(der, eci)?;
    let first = eci_parts
        .first()
        .filter(|t| t.is_universal(tag::OID))
        .ok_or_else(|| bad("encapContentInfo has no eContentType"))?;
    let content_type = ObjectIdentifier::from_bytes(first.value(der))
        .map_err(|_| bad("eContentType is not a valid OID"))?;
    let content = match eci_parts.get(1) {
        Some(t) if t.is_context(0) => {
            let os = asn1::children(der, t)?;
            match os.as_slice() {
                [o] if o.is_universal(tag::OCTET_STRING) => Some(o.value(der).to_vec()),
                _ => return Err(bad("eContent is not one OCTET STRING")),
            }
        }
        _ => None,
    };
    Ok((content_type, content))
}

/// Reads the DigestedData SEQUENCE `seq` (the ContentInfo's content) in `der`.
pub fn parse(der: &[u8], seq: &Tlv) -> Result<DigestedData, Error> {
    if !seq.is_universal(tag::SEQUENCE) {
        return Err(malformed("is not a SEQUENCE"));
    }
    let f = asn1::children(der, seq)?;
    let [version, alg, eci, digest] = f.as_slice() else {
        return Err(malformed(
            "must have four fields: version, digestAlgorithm, encapContentInfo, digest",
        ));
    };
    if !version.is_universal(tag::INTEGER) || version.value(der).len() > 1 {
        return Err(malformed("version is not a small INTEGER"));
    }
    let alg_parts = asn1::children(der, alg)?;
    let digest_oid = oid(
        der,
        alg_parts
            .first()
            .ok_or_else(|| malformed("empty digestAlgorithm"))?,
    )?;
    let (content_type, content) = encap_content_info(der, eci, "DigestedData")?;
    if !digest.is_universal(tag::OCTET_STRING) {
        return Err(malformed("digest is not an OCTET STRING"));
    }
    Ok(DigestedData {
        version: u32::from(version.value(der).first().copied().unwrap_or(0)),
        digest: Digest::from_oid(&digest_oid),
        digest_oid,
        content_type,
        content,
        value: digest.value(der).to_vec(),
    })
}

/// Why a DigestedData's digest is not confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestProblem {
    /// The content does not hash to the digest carried: it was changed.
    Mismatch(String),
    /// The digest cannot be checked (algorithm not supported, content not at hand).
    Unchecked(String),
}

/// Whether the digest matches the content: `Ok(())`, or why not.
pub fn check(d: &DigestedData, detached: Option<&[u8]>) -> Result<(), DigestProblem> {
    let alg = d.digest.ok_or_else(|| {
        DigestProblem::Unchecked(format!(
            "digest algorithm {} is not supported",
            oid_name(&d.digest_oid)
        ))
    })?;
    let content = d.content.as_deref().or(detached).ok_or_else(|| {
        DigestProblem::Unchecked(
            "the content is detached and was not supplied (pass it with --content)".into(),
        )
    })?;
    let computed = alg.hash(content);
    if computed == d.value {
        Ok(())
    } else {
        Err(DigestProblem::Mismatch(format!(
            "the {} digest carried is {}, but the {} bytes of content hash to {}: the content was changed",
            alg.name(),
            hex::encode(&d.value),
            content.len(),
            hex::encode(computed)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digested(content: &[u8], digest: &[u8]) -> Vec<u8> {
        use crate::compose::der_writer as w;
        let eci = w::seq(&[
            &w::oid(crate::crypto::oids::ID_DATA),
            &w::explicit(0, &w::octets(content)),
        ]);
        let body = w::seq(&[
            &w::int(0),
            &w::alg(crate::crypto::oids::ID_SHA_256, None),
            &eci,
            &w::octets(digest),
        ]);
        w::seq(&[
            &w::oid(crate::crypto::oids::ID_DIGESTED_DATA),
            &w::explicit(0, &body),
        ])
    }

    fn read(der: &[u8]) -> DigestedData {
        let (_, content) = crate::cms::signed_data::content_info(der).unwrap();
        parse(der, &content.unwrap()).unwrap()
    }

    #[test]
    fn matching_and_changed_content() {
        let good = Digest::Sha256.hash(b"hello");
        let d = read(&digested(b"hello", &good));
        assert_eq!(d.digest, Some(Digest::Sha256));
        assert_eq!(check(&d, None), Ok(()));
        let d = read(&digested(b"hellO", &good));
        assert!(matches!(check(&d, None), Err(DigestProblem::Mismatch(_))));
    }
}
