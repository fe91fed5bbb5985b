//! Verifying one SignerInfo: content digest, signature value, then the signer's chain.

use super::attributes::{attribute_rule_findings, read_attrs, signed_attrs_for_hashing};
use super::chain_findings::{chain_findings, signer_usage_findings};
use super::signer::{describe_sid, find_signer, signer_key};
use super::SignedData;
use crate::crypto::algorithms::{oid_name, Digest};
use crate::crypto::signature::{self, PublicKey, VerifyError};
use crate::keyring::Keyring;
use crate::report::findings::{self, finding};
use crate::report::{Chain, ChainStatus, Finding, Severity, SignatureReport, SignatureStatus};
use crate::time::UnixTime;
use crate::x509::chain;
use crate::x509::dn;
use cms::signed_data::SignerInfo;
use der::Decode;

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

pub(super) fn unverifiable_chain(reason: &str) -> Chain {
    Chain {
        status: ChainStatus::NotChecked,
        anchor: None,
        certificates: Vec::new(),
        reason: reason.to_string(),
    }
}

/// Why a SignerInfo is not valid: becomes the report's status, reason code and a finding.
pub(super) struct Failure {
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
    let job = Job {
        sd,
        index,
        keyring,
        at,
        layer,
    };
    if let Err(f) = check_signer(&job, content, &mut outcome) {
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

/// One SignerInfo to verify, and what it is verified with.
struct Job<'j> {
    sd: &'j SignedData<'j>,
    index: usize,
    keyring: &'j Keyring,
    at: UnixTime,
    layer: usize,
}

/// The steps of RFC 5652 §5.6 for one SignerInfo, filling `out` as facts become known.
fn check_signer(
    job: &Job<'_>,
    content: Option<ContentCandidates<'_>>,
    out: &mut SignerOutcome,
) -> Result<(), Failure> {
    let Job {
        sd,
        index,
        keyring,
        at,
        layer,
    } = *job;
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
