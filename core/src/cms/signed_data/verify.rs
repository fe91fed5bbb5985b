//! Verifying one SignerInfo: content digest, signature value, then the signer's chain.

use super::attributes::{attribute_rule_findings, read_attrs, signed_attrs_for_hashing};
use super::chain_findings::{chain_findings, signer_usage_findings};
use super::signer::{describe_sid, find_signer, signer_key};
use super::SignedData;
use crate::crypto::algorithms::{oid_name, Digest};
use crate::crypto::oids;
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
    /// Content read on demand instead of held (`canonical` is then empty): its digests
    /// are asked for, and its bytes only to explain a mismatch.
    pub streamed: Option<&'a dyn crate::inspect::StreamedContent>,
    /// Whether `canonical` was not all read into memory (a large encapsulated content whose
    /// SHA-256 was computed as it streamed by, zeros standing in for most of its bytes):
    /// only `canonical_sha256` may be used, and a step that needs the bytes themselves
    /// stops and sets [`SignerOutcome::needs_content_bytes`] instead.
    pub elided: bool,
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
    /// Whether verification needed bytes of elided content (see
    /// [`ContentCandidates::elided`]): the outcome is then meaningless and the caller must
    /// read the whole input.
    pub needs_content_bytes: bool,
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
            generation_time_us: None,
            expiry_time: None,
            expiry_time_us: None,
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
        needs_content_bytes: false,
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

    // The chain is reported whatever the signature says, or whether it can be checked.
    let chain_result = chain::validate(cert, &sd.certificates, keyring, at);
    out.report.chain = chain_result.chain.clone();
    out.findings
        .extend(chain_findings(&chain_result, &label, layer));
    out.findings
        .extend(signer_usage_findings(cert, &label, layer));

    // MD2 and MD4 (RFC 6149, RFC 6150) give no collision resistance at all: a signature over
    // such a digest binds no particular content, whatever its value. OpenSSL refuses them;
    // so does the verdict, while the report still names the signer.
    if [oids::ID_MD_2, oids::ID_MD_4].contains(&si.digest_alg.oid) {
        out.findings.push(finding(
            Severity::Error,
            findings::BROKEN_DIGEST,
            format!(
                "{label} ({who}) signs an {} digest, which is broken beyond use (collisions are found in seconds): the signature cannot show which content was signed",
                out.report.digest_algorithm.to_uppercase()
            ),
            if si.digest_alg.oid == oids::ID_MD_2 {
                "RFC 6149 §1"
            } else {
                "RFC 6150 §1"
            },
            Some(layer),
        ));
    }
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
    let held: Vec<u8>;
    let mut candidates = content.list();
    let content_len = content
        .streamed
        .map_or(candidates[0].len() as u64, |s| s.len());
    let streamed_digest = |d: Digest| -> Result<Option<Vec<u8>>, Failure> {
        content
            .streamed
            .map(|s| {
                s.digest(d).map_err(|why| {
                    Failure::unverifiable(
                        findings::DETACHED_CONTENT_MISSING,
                        format!("{label}: the supplied content cannot be read: {why}"),
                        "RFC 5652 §5.2",
                    )
                })
            })
            .transpose()
    };
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
            if content.elided && known.is_none() {
                return Err(needs_bytes(out, &label));
            }
            let digests: Vec<Vec<u8>> = match streamed_digest(digest)? {
                Some(d) => vec![d],
                None => candidates
                    .iter()
                    .enumerate()
                    .map(|(i, c)| match known {
                        Some(d) if i == 0 => d.to_vec(),
                        _ => digest.hash(c),
                    })
                    .collect(),
            };
            if digest == Digest::Sha256 {
                out.content_sha256 = digests.first().cloned();
            }
            if content.elided && digests.iter().all(|d| d != md) {
                return Err(needs_bytes(out, &label));
            }
            digests.iter().position(|d| d == md).ok_or_else(|| {
                Failure::invalid(
                    findings::CONTENT_DIGEST_MISMATCH,
                    format!(
                        "messageDigest of {label} ({who}) is {} {}, but the {} bytes of content hash to {}; {}",
                        digest.name(),
                        hex::encode(md),
                        content_len,
                        hex::encode(&digests[0]),
                        explain_mismatch(&content, &candidates, digest, md)
                    ),
                    "RFC 5652 §5.6",
                )
            })?
        }
        None => {
            // Without signed attributes the signature covers the content itself.
            if content.elided {
                return Err(needs_bytes(out, &label));
            }
            let mut unsupported_why = None;
            let mut hit = None;
            if let Some(s) = content.streamed {
                // The scheme's own hash (RSASSA-PSS names it in its parameters).
                let hash = streamed_digest(alg.digest)?.unwrap_or_default();
                match signature::verify_prehashed(&key, &alg, &hash, sig_value) {
                    Ok(()) => hit = Some(0),
                    Err(VerifyError::Invalid(_)) => {}
                    // A scheme that signs the message itself (Ed25519) needs the bytes.
                    Err(VerifyError::Unsupported(why)) => match s.bytes(EXPLAIN_LIMIT) {
                        Some(b) => {
                            held = b;
                            candidates = vec![held.as_slice()];
                        }
                        None => {
                            return Err(unsupported(format!(
                            "{why}; the content ({content_len} bytes) is too large to hold for it"
                        )))
                        }
                    },
                }
            }
            for (i, c) in candidates.iter().enumerate().filter(|_| hit.is_none()) {
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
        content
            .streamed
            .map_or(candidates[chosen].len() as u64, |s| s.len())
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

/// Marks `out` as needing the bytes of elided content; the failure returned with it is
/// never shown (the caller reads the whole input and verifies again).
fn needs_bytes(out: &mut SignerOutcome, label: &str) -> Failure {
    out.needs_content_bytes = true;
    Failure::unverifiable(
        findings::DETACHED_CONTENT_MISSING,
        format!("{label}: the content was not read into memory"),
        "RFC 5652 §5.6",
    )
}

/// Largest streamed content read back into memory to explain a digest mismatch.
const EXPLAIN_LIMIT: usize = 16 << 20;

/// Why the content's digest differs from the signed one: the forms of the content tried, or,
/// for streamed content too large to hold, that none were.
fn explain_mismatch(
    content: &ContentCandidates<'_>,
    candidates: &[&[u8]],
    digest: Digest,
    expected: &[u8],
) -> String {
    match content.streamed {
        None => super::explain::explain_digest_mismatch(candidates, digest, expected),
        Some(s) => match s.bytes(EXPLAIN_LIMIT) {
            Some(b) => super::explain::explain_digest_mismatch(&[&b], digest, expected),
            None => format!(
                "the content was hashed as it was read; its other forms (line ends, MIME headers, transfer encodings) were not tried, because it is larger than the {} MiB held to compare",
                EXPLAIN_LIMIT >> 20
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::findings as f;
    use SignatureStatus::{Invalid, Unverifiable, Valid};

    const DETACHED: &[u8] = include_bytes!("../../../../tests/fixtures/messages/rsa-detached.p7s");
    const NOATTR: &[u8] = include_bytes!("../../../../tests/fixtures/messages/pyca-rsa-noattr.der");
    const CONTENT: &[u8] = include_bytes!("../../../../tests/fixtures/content/content.txt");
    const WHO: &str = "emailAddress=alice@sealscope.test,CN=Alice RSA,OU=Signers,O=Sealscope Test,C=GB (serial 1001)";
    const KEY: &str = "the RSA key of the included certificate serial 1001";

    /// `der` with the last byte of the last occurrence of `needle` xor-ed with `x`.
    fn edit(der: &[u8], needle: &[u8], x: u8) -> Vec<u8> {
        let mut v = der.to_vec();
        let at = v.windows(needle.len()).rposition(|w| w == needle).unwrap();
        v[at + needle.len() - 1] ^= x;
        v
    }

    fn check(sd: &SignedData, canonical: Option<&[u8]>, as_sent: Option<&[u8]>) -> SignerOutcome {
        let content = canonical.map(|canonical| ContentCandidates {
            canonical,
            as_sent,
            canonical_sha256: None,
            streamed: None,
            elided: false,
        });
        verify_signer(sd, 0, content, &Keyring::new(), UnixTime(1_800_000_000), 3)
    }

    /// Status, reason code and reason of SignerInfo #1 of `der` over `content`.
    fn run(der: &[u8], content: Option<&[u8]>) -> (SignatureStatus, String, String) {
        let o = check(
            &super::super::parse_content_info(der).unwrap(),
            content,
            None,
        );
        (
            o.report.status,
            o.report.reason_code.unwrap_or_default(),
            o.report.reason,
        )
    }

    #[test]
    fn signature_over_signed_attributes() {
        let sd = super::super::parse_content_info(DETACHED).unwrap();
        let o = check(&sd, Some(CONTENT), None);
        let ok = format!("signature of SignerInfo #1 by {WHO} verifies with {KEY} (sha256 over 423 bytes of content)");
        assert_eq!(
            (o.report.status, &o.report.reason, o.report.non_canonical),
            (Valid, &ok, false)
        );
        assert_eq!(o.content_sha256, Some(Digest::Sha256.hash(CONTENT)));
        // The canonical (CRLF) form fails, the bytes as sent verify: flagged non-canonical.
        let crlf = String::from_utf8_lossy(CONTENT).replace('\n', "\r\n");
        let o = check(&sd, Some(crlf.as_bytes()), Some(CONTENT));
        assert_eq!(
            (o.report.status, &o.report.reason, o.report.non_canonical),
            (Valid, &ok, true)
        );
        assert!(o
            .findings
            .iter()
            .any(|x| x.code == f::NON_CANONICAL_SIGNED_CONTENT));
        let changed = format!("messageDigest of SignerInfo #1 ({WHO}) is sha256 6614ec029ac0a79899b51470a02f40d6f90f159883586a7f2d3d1b4bccf02a9a, but the 7 bytes of content hash to d67e2e944994496c8d8ec76eed0cf9f09679448d584b532bebf941852a37f5ed; no rebuilt form of the content has the signed digest (1 tried, of line ends, trailing whitespace, final line end, body without headers, transfer encoding decoded, single parts): the content was changed after signing");
        let digest = f::CONTENT_DIGEST_MISMATCH.to_string();
        assert_eq!(run(DETACHED, Some(b"changed")), (Invalid, digest, changed));
        assert_eq!(run(DETACHED, None).1, f::DETACHED_CONTENT_MISSING);
    }

    #[test]
    fn damaged_signature_or_signed_attributes_and_unsupported_algorithms() {
        let sig = edit(DETACHED, &DETACHED[DETACHED.len() - 1..], 1);
        // messageDigest is itself signed: changing it breaks the signature, not the digest check.
        let md = edit(DETACHED, &Digest::Sha256.hash(CONTENT), 1);
        for bad in [sig, md] {
            assert_eq!(run(&bad, Some(CONTENT)).0, Invalid);
            assert_eq!(run(&bad, Some(CONTENT)).1, f::SIGNATURE_VALUE_INVALID);
        }
        let sha256 = [6, 9, 0x60, 0x86, 0x48, 1, 0x65, 3, 4, 2, 1];
        let rsa = [6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 1];
        let unknown_digest = format!("SignerInfo #1 ({WHO}) uses digest algorithm 2.16.840.1.101.3.4.2.99, which is not supported");
        let unknown_sig =
            "SignerInfo #1: signature algorithm 1.2.840.113549.1.1.99 is not supported";
        for (oid, why) in [(&sha256, unknown_digest.as_str()), (&rsa, unknown_sig)] {
            let code = f::UNSUPPORTED_ALGORITHM.to_string();
            assert_eq!(
                run(&edit(DETACHED, oid, 0x62), Some(CONTENT)),
                (Unverifiable, code, why.into())
            );
        }
    }

    #[test]
    fn no_signed_attributes_signs_the_content() {
        let econtent = super::super::parse_content_info(NOATTR)
            .unwrap()
            .econtent
            .unwrap();
        assert_eq!(run(NOATTR, Some(&econtent)).0, Valid);
        let bad = format!("signature of SignerInfo #1 ({WHO}) over the content does not verify with {KEY} (with no signed attributes, changed content and a damaged signature look the same)");
        let code = f::SIGNATURE_VALUE_INVALID.to_string();
        assert_eq!(run(NOATTR, Some(b"changed")), (Invalid, code, bad));
    }

    #[test]
    fn signer_certificate_missing_or_signer_info_unreadable() {
        let mut sd = super::super::parse_content_info(DETACHED).unwrap();
        sd.certificates.clear();
        sd.countersigning = Some(1);
        let o = check(&sd, Some(CONTENT), None);
        assert_eq!(
            (o.report.status, o.report.reason_code.as_deref()),
            (Unverifiable, Some(f::SIGNER_CERT_NOT_FOUND))
        );
        assert_eq!(o.report.reason, "countersignature #1 on SignerInfo #2 names issuer CN=Sealscope Test Intermediate CA,O=Sealscope Test,C=GB serial 1001, but no such certificate is in the message or the keyring (add it with --cert)");
        sd.signer_infos[0] = vec![0x30, 0];
        let o = check(&sd, Some(CONTENT), None);
        assert_eq!(
            o.report.reason_code.as_deref(),
            Some(f::UNSUPPORTED_ALGORITHM)
        );
        let unreadable = "countersignature #1 on SignerInfo #2 cannot be read: ";
        assert!(
            o.report.reason.starts_with(unreadable),
            "{}",
            o.report.reason
        );
    }
}
