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
use crate::crypto::algorithms::{attr, oid_name, Digest};
use crate::crypto::signature::{self, PublicKey, VerifyError};
use crate::error::Error;
use crate::keyring::Keyring;
use crate::report::findings::{self, finding};
use crate::report::{Chain, ChainStatus, Finding, Severity, SignatureReport, SignatureStatus};
use crate::time::UnixTime;
use crate::x509::certificate::Cert;
use crate::x509::chain;
use crate::x509::dn;
use cms::signed_data::{SignerIdentifier, SignerInfo};
use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};

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

fn malformed(structure: &str, reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: structure.to_string(),
        reason: reason.into(),
    }
}

fn small_int(v: &[u8]) -> u32 {
    v.iter()
        .take(4)
        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
}

fn read_oid(buf: &[u8], t: &Tlv, what: &str) -> Result<ObjectIdentifier, Error> {
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

/// The signed attributes as they must be hashed: the `[0] IMPLICIT` encoding re-tagged as
/// SET (0x31), bytes otherwise exactly as sent.
fn signed_attrs_for_hashing(raw_si: &[u8]) -> Result<Option<Vec<u8>>, Error> {
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
struct Attrs {
    content_type: Option<ObjectIdentifier>,
    message_digest: Option<Vec<u8>>,
    signing_time: Option<UnixTime>,
}

fn read_attrs(si: &SignerInfo) -> Result<Attrs, String> {
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
const COUNTERSIGNATURE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.6");

/// The placement and multiplicity rules of RFC 5652 §11 for the attributes it defines: each
/// broken rule is an error, since peers that enforce them (OpenSSL) reject the signature
/// even when its value verifies.
fn attribute_rule_findings(
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

/// How the SignerInfo identifies its signer, and a readable form of it.
fn describe_sid(sid: &SignerIdentifier) -> (&'static str, String) {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => (
            "issuer-and-serial",
            format!(
                "issuer {} serial {}",
                dn::rfc4514(&isn.issuer),
                crate::x509::certificate::serial_hex(isn.serial_number.as_bytes())
            ),
        ),
        SignerIdentifier::SubjectKeyIdentifier(ski) => (
            "subject-key-identifier",
            format!("subjectKeyIdentifier {}", hex::encode(ski.0.as_bytes())),
        ),
    }
}

fn matches_sid(cert: &Cert, sid: &SignerIdentifier) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            dn::same_name(cert.issuer(), &isn.issuer)
                && crate::x509::certificate::serial_hex(isn.serial_number.as_bytes())
                    == cert.serial_hex()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            let want = ski.0.as_bytes();
            cert.subject_key_id().as_deref() == Some(want) || cert.computed_key_id() == want
        }
    }
}

/// Finds the signer certificate: the message's certificates first, then the keyring's
/// extra certificates, then its anchors.
pub fn find_signer<'a>(
    sid: &SignerIdentifier,
    message_certs: &'a [Cert],
    keyring: &'a Keyring,
) -> Option<&'a Cert> {
    message_certs
        .iter()
        .chain(keyring.certs.iter())
        .chain(keyring.anchors.iter())
        .find(|c| matches_sid(c, sid))
}

/// The signer's public key; a DSA key that inherits its parameters (RFC 3279 §2.3.2) takes
/// them from its issuer, found by name among the message's and the keyring's certificates.
fn signer_key(cert: &Cert, message_certs: &[Cert], keyring: &Keyring) -> Result<PublicKey, String> {
    let key = cert.public_key()?;
    if !matches!(&key, PublicKey::Dsa(k) if k.params.is_none()) {
        return Ok(key);
    }
    let mut path = vec![cert];
    while path.len() < 8 {
        let last = path[path.len() - 1];
        if dn::same_name(last.subject(), last.issuer()) {
            break;
        }
        let Some(up) = message_certs
            .iter()
            .chain(keyring.certs.iter())
            .chain(keyring.anchors.iter())
            .find(|c| dn::same_name(c.subject(), last.issuer()) && !path.contains(c))
        else {
            break;
        };
        path.push(up);
        if matches!(up.public_key(), Ok(PublicKey::Dsa(ref k)) if k.params.is_some()) {
            break;
        }
    }
    chain::key_with_inherited_params(&path, 0)
}

/// The content a signature may cover. Candidates are tried in order; the first is the
/// canonical form, a second (when present) the bytes exactly as sent.
#[derive(Debug, Clone, Copy)]
pub struct ContentCandidates<'a> {
    /// Canonical form (or the only form).
    pub canonical: &'a [u8],
    /// The bytes as sent, when they differ from the canonical form.
    pub as_sent: Option<&'a [u8]>,
    /// SHA-256 of the canonical form, when the caller already computed it (while reading
    /// the input): a SHA-256 signer uses it instead of hashing the content again.
    pub canonical_sha256: Option<[u8; 32]>,
}

impl<'a> ContentCandidates<'a> {
    fn list(&self) -> Vec<&'a [u8]> {
        let mut v = vec![self.canonical];
        if let Some(s) = self.as_sent {
            v.push(s);
        }
        v
    }
}

/// Everything known about one SignerInfo after verification.
pub struct SignerOutcome {
    /// The report entry.
    pub report: SignatureReport,
    /// Findings it raised.
    pub findings: Vec<Finding>,
    /// The digest algorithm, when it was readable (for micalg checks).
    pub digest: Option<Digest>,
    /// SHA-256 of the canonical content, when the signer's digest algorithm is SHA-256 and
    /// the content was hashed for the messageDigest check (the report reuses it rather than
    /// hashing the same bytes again).
    pub content_sha256: Option<Vec<u8>>,
}

fn unverifiable_chain(reason: &str) -> Chain {
    Chain {
        status: ChainStatus::NotChecked,
        anchor: None,
        certificates: Vec::new(),
        reason: reason.to_string(),
    }
}

/// Why a SignerInfo is not valid: becomes the report's status, reason code and a finding.
struct Failure {
    status: SignatureStatus,
    code: &'static str,
    reason: String,
    reference: &'static str,
}

impl Failure {
    fn unverifiable(code: &'static str, reason: String, reference: &'static str) -> Self {
        Failure {
            status: SignatureStatus::Unverifiable,
            code,
            reason,
            reference,
        }
    }

    fn invalid(code: &'static str, reason: String, reference: &'static str) -> Self {
        Failure {
            status: SignatureStatus::Invalid,
            code,
            reason,
            reference,
        }
    }
}

/// Verifies SignerInfo number `index` (0-based) of `sd` over `content`.
pub fn verify_signer(
    sd: &SignedData,
    index: usize,
    content: Option<ContentCandidates<'_>>,
    keyring: &Keyring,
    at: UnixTime,
    layer: usize,
) -> SignerOutcome {
    let mut outcome = SignerOutcome {
        report: SignatureReport {
            status: SignatureStatus::Unverifiable,
            reason_code: None,
            reason: String::new(),
            signer: None,
            signer_source: None,
            psid: None,
            generation_time: None,
            signer_hashed_id8: None,
            signer_id: String::new(),
            sid: None,
            countersigns: None,
            digest_algorithm: String::new(),
            signature_algorithm: String::new(),
            signing_time: None,
            chain: unverifiable_chain("no signer certificate to build a chain from"),
            layer,
            signer_info: index + 1,
            non_canonical: false,
        },
        findings: Vec::new(),
        digest: None,
        content_sha256: None,
    };
    if let Err(f) = check_signer(sd, index, content, keyring, at, layer, &mut outcome) {
        let severity = if f.status == SignatureStatus::Invalid {
            Severity::Error
        } else {
            Severity::Warning
        };
        outcome.report.status = f.status;
        outcome.report.reason_code = Some(f.code.to_string());
        outcome.report.reason = f.reason.clone();
        outcome.findings.push(finding(
            severity,
            f.code,
            f.reason,
            f.reference,
            Some(layer),
        ));
    }
    outcome
}

/// The steps of RFC 5652 §5.6 for one SignerInfo, filling `out` as facts become known.
fn check_signer(
    sd: &SignedData,
    index: usize,
    content: Option<ContentCandidates<'_>>,
    keyring: &Keyring,
    at: UnixTime,
    layer: usize,
    out: &mut SignerOutcome,
) -> Result<(), Failure> {
    let label = match sd.countersigning {
        Some(parent) => format!(
            "countersignature #{} on SignerInfo #{}",
            index + 1,
            parent + 1
        ),
        None => format!("SignerInfo #{}", index + 1),
    };
    let raw = &sd.signer_infos[index];
    let si = SignerInfo::from_der(raw).map_err(|e| {
        Failure::unverifiable(
            findings::UNSUPPORTED_ALGORITHM,
            format!("{label} cannot be read: {e}"),
            "RFC 5652 §5.3",
        )
    })?;
    let (sid_kind, sid_text) = describe_sid(&si.sid);
    out.report.signer_id = sid_kind.to_string();
    out.report.sid = Some(sid_text.clone());
    out.report.digest_algorithm = oid_name(&si.digest_alg.oid);
    out.report.signature_algorithm = oid_name(&si.signature_algorithm.oid);

    let attrs = read_attrs(&si).map_err(|why| {
        Failure::invalid(
            findings::CONTENT_DIGEST_MISMATCH,
            format!("{label}: {why}"),
            "RFC 5652 §11.2",
        )
    })?;
    out.report.signing_time = attrs.signing_time.map(|t| t.to_rfc3339());
    out.findings.extend(attribute_rule_findings(
        &si,
        &label,
        layer,
        sd.countersigning.is_some(),
    ));

    // Who signed is reported whatever else can or cannot be checked.
    let cert = find_signer(&si.sid, &sd.certificates, keyring).ok_or_else(|| {
        Failure::unverifiable(
            findings::SIGNER_CERT_NOT_FOUND,
            format!(
                "{label} names {sid_text}, but no such certificate is in the message or the keyring (add it with --cert)"
            ),
            "RFC 5652 §5.3",
        )
    })?;
    out.report.signer = Some(cert.summary());
    out.report.signer_source = Some(cert.source.clone());
    let who = format!(
        "{} (serial {})",
        dn::rfc4514(cert.subject()),
        cert.serial_hex()
    );

    let digest = Digest::from_oid(&si.digest_alg.oid).ok_or_else(|| {
        Failure::unverifiable(
            findings::UNSUPPORTED_ALGORITHM,
            format!(
                "{label} ({who}) uses digest algorithm {}, which is not supported",
                out.report.digest_algorithm
            ),
            "RFC 5754 §2",
        )
    })?;
    out.digest = Some(digest);
    match digest {
        Digest::Sha1 => out.findings.push(finding(
            Severity::Warning,
            findings::WEAK_DIGEST,
            format!("{label} uses SHA-1, which is no longer collision resistant"),
            "RFC 8551 §2.1",
            Some(layer),
        )),
        Digest::Md5 => out.findings.push(finding(
            Severity::Warning,
            findings::BROKEN_DIGEST,
            format!(
                "{label} uses MD5: the signature is checked, but MD5 collisions are practical, so another content could carry the same signature"
            ),
            "RFC 6151 §2",
            Some(layer),
        )),
        _ => {}
    }

    // The chain is reported whatever the signature says.
    let chain_result = chain::validate(cert, &sd.certificates, keyring, at);
    out.report.chain = chain_result.chain.clone();
    out.findings
        .extend(chain_findings(&chain_result, &label, layer));
    out.findings
        .extend(signer_usage_findings(cert, &label, layer));

    let key: PublicKey = signer_key(cert, &sd.certificates, keyring).map_err(|why| {
        Failure::unverifiable(
            findings::UNSUPPORTED_ALGORITHM,
            format!("{label}: the key of signer {who} cannot be used: {why}"),
            "RFC 5652 §5.6",
        )
    })?;
    let alg = signature::resolve(&si.signature_algorithm, Some(digest)).map_err(|u| {
        Failure::unverifiable(
            findings::UNSUPPORTED_ALGORITHM,
            format!("{label}: {}", u.0),
            "RFC 5652 §5.3",
        )
    })?;
    out.report.signature_algorithm = alg.name(Some(&key));

    let content = content.ok_or_else(|| {
        Failure::unverifiable(
            findings::DETACHED_CONTENT_MISSING,
            format!("{label}: the signature is detached and no content was supplied (pass it with --content)"),
            "RFC 5652 §5.2",
        )
    })?;
    let candidates = content.list();
    let sig_value = si.signature.as_bytes();
    let key_words = format!(
        "the {} key of {} certificate serial {}",
        key.family(),
        if sd.certificates.iter().any(|c| c == cert) {
            "the included"
        } else {
            "the keyring's"
        },
        cert.serial_hex()
    );
    let unsupported = |why: String| {
        Failure::unverifiable(
            findings::UNSUPPORTED_ALGORITHM,
            format!("{label}: {why}"),
            "RFC 5652 §5.6",
        )
    };

    let attr_der = signed_attrs_for_hashing(raw).map_err(|e| {
        Failure::unverifiable(
            findings::UNSUPPORTED_ALGORITHM,
            format!("{label} cannot be read: {e}"),
            "RFC 5652 §5.3",
        )
    })?;
    let chosen = match attr_der {
        Some(attr_der) => {
            if let Some(ct) = &attrs.content_type {
                if *ct != sd.econtent_type {
                    out.findings.push(finding(
                        Severity::Error,
                        findings::CONTENT_TYPE_MISMATCH,
                        format!(
                            "{label}: contentType attribute {} differs from eContentType {}",
                            oid_name(ct),
                            oid_name(&sd.econtent_type)
                        ),
                        "RFC 5652 §11.1",
                        Some(layer),
                    ));
                }
            }
            let md = attrs.message_digest.as_ref().ok_or_else(|| {
                Failure::invalid(
                    findings::CONTENT_DIGEST_MISMATCH,
                    format!("{label} has signed attributes but no messageDigest attribute"),
                    "RFC 5652 §5.3",
                )
            })?;
            match signature::verify_message(&key, &alg, &attr_der, sig_value) {
                Err(VerifyError::Unsupported(why)) => return Err(unsupported(why)),
                Err(VerifyError::Invalid(why)) => {
                    return Err(Failure::invalid(
                        findings::SIGNATURE_VALUE_INVALID,
                        format!(
                            "signature of {label} ({who}) does not verify with {key_words}: {why}"
                        ),
                        "RFC 5652 §5.6",
                    ))
                }
                Ok(()) => {}
            }
            let known = content
                .canonical_sha256
                .filter(|_| digest == Digest::Sha256);
            let digests: Vec<Vec<u8>> = candidates
                .iter()
                .enumerate()
                .map(|(i, c)| match known {
                    Some(d) if i == 0 => d.to_vec(),
                    _ => digest.hash(c),
                })
                .collect();
            if digest == Digest::Sha256 {
                out.content_sha256 = digests.first().cloned();
            }
            digests.iter().position(|d| d == md).ok_or_else(|| {
                Failure::invalid(
                    findings::CONTENT_DIGEST_MISMATCH,
                    format!(
                        "messageDigest of {label} ({who}) is {} {}, but the {} bytes of content hash to {}: the content was changed after signing",
                        digest.name(),
                        hex::encode(md),
                        candidates[0].len(),
                        hex::encode(&digests[0])
                    ),
                    "RFC 5652 §5.6",
                )
            })?
        }
        None => {
            let mut unsupported_why = None;
            let mut hit = None;
            for (i, c) in candidates.iter().enumerate() {
                match signature::verify_message(&key, &alg, c, sig_value) {
                    Ok(()) => {
                        hit = Some(i);
                        break;
                    }
                    Err(VerifyError::Unsupported(why)) => unsupported_why = Some(why),
                    Err(VerifyError::Invalid(_)) => {}
                }
            }
            match (hit, unsupported_why) {
                (Some(i), _) => i,
                (None, Some(why)) => return Err(unsupported(why)),
                (None, None) => {
                    return Err(Failure::invalid(
                        findings::SIGNATURE_VALUE_INVALID,
                        format!(
                            "signature of {label} ({who}) over the content does not verify with {key_words} (with no signed attributes, changed content and a damaged signature look the same)"
                        ),
                        "RFC 5652 §5.6",
                    ))
                }
            }
        }
    };

    out.report.status = SignatureStatus::Valid;
    out.report.reason = format!(
        "signature of {label} by {who} verifies with {key_words} ({} over {} bytes of content)",
        digest.name(),
        candidates[chosen].len()
    );
    if chosen == 1 {
        out.report.non_canonical = true;
        out.findings.push(finding(
            Severity::Warning,
            findings::NON_CANONICAL_SIGNED_CONTENT,
            format!(
                "{label} verifies only over the signed part exactly as sent (bare LF line ends), not over its CRLF canonical form: the signer did not canonicalise (binary mode)"
            ),
            "RFC 8551 §3.1.1",
            Some(layer),
        ));
    }
    Ok(())
}

fn chain_findings(result: &chain::ChainResult, label: &str, layer: usize) -> Vec<Finding> {
    let chain = &result.chain;
    let mut out = Vec::new();
    if chain.status == ChainStatus::Trusted {
        return out;
    }
    if !result.anchors_supplied {
        out.push(finding(
            Severity::Warning,
            findings::CHAIN_UNTRUSTED,
            format!(
                "{label}: no trust anchors were supplied, so nothing says whether to trust the signer (add --trust)"
            ),
            "RFC 5280 §6.1",
            Some(layer),
        ));
        if let Some(p) = &result.problem {
            if p.rank() >= 200 {
                out.push(finding(
                    Severity::Warning,
                    p.code(),
                    format!("{label}: {}", chain.reason),
                    p.reference(),
                    Some(layer),
                ));
            }
        }
        return out;
    }
    if let Some(p) = &result.problem {
        // A signature that could not be checked is not a failure; it leaves trust unproven.
        let severity = if matches!(p, chain::Problem::UnsupportedAlgorithm { .. }) {
            Severity::Warning
        } else {
            Severity::Error
        };
        out.push(finding(
            severity,
            p.code(),
            format!("{label}: {}", chain.reason),
            p.reference(),
            Some(layer),
        ));
        if p.code() != findings::CHAIN_UNTRUSTED {
            out.push(finding(
                severity,
                findings::CHAIN_UNTRUSTED,
                format!("{label}: the signer's chain does not validate to a supplied trust anchor"),
                "RFC 5280 §6.1",
                Some(layer),
            ));
        }
    }
    out
}

/// RFC 8550 §4.4.2 / §4.4.4: a signing certificate's keyUsage must allow digitalSignature
/// or nonRepudiation; extendedKeyUsage, when present, must allow emailProtection.
pub fn signer_usage_findings(cert: &Cert, label: &str, layer: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(ku) = cert.key_usage() {
        if !ku.contains(&"digitalSignature") && !ku.contains(&"nonRepudiation") {
            out.push(finding(
                Severity::Warning,
                findings::SIGNER_KEY_USAGE,
                format!(
                    "{label}: the signer certificate's keyUsage ({}) allows neither digitalSignature nor nonRepudiation",
                    ku.join(", ")
                ),
                "RFC 8550 §4.4.2",
                Some(layer),
            ));
        }
    }
    if let Some(eku) = cert.extended_key_usage() {
        if !eku
            .iter()
            .any(|e| e == "emailProtection" || e == "anyExtendedKeyUsage")
        {
            out.push(finding(
                Severity::Info,
                findings::SIGNER_KEY_USAGE,
                format!(
                    "{label}: the signer certificate's extendedKeyUsage ({}) does not include emailProtection; strict S/MIME agents (OpenSSL's default purpose) reject it",
                    eku.join(", ")
                ),
                "RFC 8550 §4.4.4",
                Some(layer),
            ));
        }
    }
    out
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
