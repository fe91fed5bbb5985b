//! CMS ContentInfo layers: SignedData verification with the keyring, and what a SignedData encapsulates.

use super::content::sniff;
use super::detect::{detect_nested, Nested, Within};
use super::envelopes::At;
use super::Span;
use super::{layer_error, Ctx, MAX_SIGNERS};
use crate::cms::asn1;
use crate::cms::signed_data::{self, ContentCandidates};
use crate::crypto::algorithms::{content as ct, oid_name};
use crate::error::Error;
use crate::report::findings::{self, finding};
use crate::report::LayerKind;
use crate::report::Severity;

impl Ctx<'_> {
    /// A CMS ContentInfo in `bytes` (buffer number `buffer`).
    pub(super) fn cms(&mut self, bytes: &[u8], at: Span) -> Result<(), Error> {
        self.cms_with_content(bytes, at, None)
    }

    pub(super) fn cms_with_content(
        &mut self,
        bytes: &[u8],
        at: Span,
        detached: Option<ContentCandidates<'_>>,
    ) -> Result<(), Error> {
        let Span {
            buffer,
            range,
            parent,
        } = at;
        // Bytes after the ContentInfo (a stray byte at the end of a PEM body): OpenSSL
        // ignores them; say so and read the structure.
        if let Ok(t) = asn1::read_tlv(bytes, 0, bytes.len(), 0) {
            if t.end < bytes.len() {
                self.findings.push(finding(
                    Severity::Warning,
                    findings::TRAILING_DATA,
                    format!(
                        "{} bytes after the CMS ContentInfo (which ends at byte {}) are not part of it and were ignored",
                        bytes.len() - t.end,
                        t.end
                    ),
                    "X.690 §8.1.1",
                    parent,
                ));
                return self.cms_with_content(
                    &bytes[..t.end],
                    Span::new(buffer, [range[0], range[0] + t.end], parent),
                    detached,
                );
            }
        }
        self.remember(buffer, range[0], bytes);
        let der = asn1::normalise_cow(bytes).map_err(|e| layer_error("CMS", e))?;
        let was_ber = matches!(&der, std::borrow::Cow::Owned(v) if v.as_slice() != bytes);
        let (oid, content) = signed_data::content_info(&der).map_err(|e| layer_error("CMS", e))?;
        let encoding = if was_ber {
            "BER (normalised to DER)"
        } else {
            "DER"
        };
        let opened_types = [
            ct::ENVELOPED_DATA,
            ct::AUTH_ENVELOPED_DATA,
            ct::COMPRESSED_DATA,
            ct::ENCRYPTED_DATA,
            ct::DIGESTED_DATA,
            ct::AUTH_DATA,
        ];
        if opened_types.contains(&oid) {
            let content = content.ok_or_else(|| {
                Error::Unrecognised(format!("CMS {} has no content", oid_name(&oid)))
            })?;
            let at = At {
                der: &der,
                content: &content,
                encoding,
                span: at,
            };
            return match oid {
                o if o == ct::COMPRESSED_DATA => self.compressed(at),
                o if o == ct::ENCRYPTED_DATA => self.encrypted_data(at),
                o if o == ct::DIGESTED_DATA => self.digested(at),
                o if o == ct::AUTH_DATA => self.authenticated(at),
                o => self.enveloped(at, o == ct::AUTH_ENVELOPED_DATA),
            };
        }
        if oid == ct::DATA {
            return self.plain_data(&der, content, encoding, Span::new(buffer, range, parent));
        }
        if oid != ct::SIGNED_DATA {
            let idx = self.push_layer(
                LayerKind::cms_other(&oid_name(&oid)),
                format!("CMS {} ({encoding})", oid_name(&oid)),
                Span::new(buffer, range, parent),
                vec![
                    ("contentType".into(), oid.to_string()),
                    ("encoding".into(), encoding.into()),
                ],
            )?;
            self.findings.push(finding(
                Severity::Warning,
                findings::LAYER_NOT_OPENED,
                format!(
                    "CMS {} is recognised but this version of sealscope does not open it",
                    oid_name(&oid)
                ),
                "RFC 5652 §3",
                Some(idx),
            ));
            return Ok(());
        }
        let content =
            content.ok_or_else(|| Error::Unrecognised("CMS signed-data has no content".into()))?;
        let sd = signed_data::parse(&der, &content).map_err(|e| layer_error("SignedData", e))?;
        let detached_flag = sd.econtent.is_none();
        let mut headers = vec![
            ("version".to_string(), sd.version.to_string()),
            (
                "digestAlgorithms".to_string(),
                sd.digest_algorithms.join(", "),
            ),
            ("eContentType".to_string(), oid_name(&sd.econtent_type)),
            (
                "eContent".to_string(),
                match &sd.econtent {
                    Some(c) => format!("{} bytes (encapsulated)", c.len()),
                    None => "absent (detached signature)".into(),
                },
            ),
            (
                "certificates".to_string(),
                sd.certificates.len().to_string(),
            ),
            ("crls".to_string(), sd.crl_count.to_string()),
            ("signerInfos".to_string(), sd.signer_infos.len().to_string()),
            ("encoding".to_string(), encoding.to_string()),
        ];
        for c in &sd.certificates {
            headers.push((
                "certificate".into(),
                format!(
                    "{} (serial {})",
                    crate::x509::dn::rfc4514(c.subject()),
                    c.serial_hex()
                ),
            ));
        }
        let idx = self.push_layer(
            LayerKind::CmsSignedData,
            format!(
                "CMS SignedData v{}, {} signer(s), {}{}",
                sd.version,
                sd.signer_infos.len(),
                if detached_flag {
                    "detached"
                } else {
                    "encapsulated content"
                },
                if was_ber { ", BER" } else { "" }
            ),
            Span::new(buffer, range, parent),
            headers,
        )?;
        for e in &sd.certificate_errors {
            self.findings.push(finding(
                Severity::Warning,
                findings::MIME_MALFORMED,
                format!("a certificate in the message cannot be read: {e}"),
                "RFC 5652 §10.2.2",
                Some(idx),
            ));
        }
        if sd.signer_infos.is_empty() {
            self.findings.push(finding(
                Severity::Warning,
                findings::NOT_SIGNED,
                "SignedData has no SignerInfo: it carries certificates only (a certs-only message)",
                "RFC 8551 §3.6",
                Some(idx),
            ));
        }
        if sd.signer_infos.len() > MAX_SIGNERS {
            return Err(Error::Limit {
                what: "number of SignerInfos".into(),
                limit: MAX_SIGNERS,
            });
        }
        let supplied = self.opts.detached_content.as_deref();
        // Bytes the reader did not keep may only be the encapsulated content it located,
        // read in place: anything else (a copy made while normalising BER, content beside a
        // multipart/signed's first part) would read zeros for them.
        let econtent_elided = match (&sd.econtent, &sd.econtent_digested) {
            (Some(e), Some(c)) if self.touches_elided(e) || self.touches_elided(c) => {
                if detached.is_some()
                    || e.as_ptr() != c.as_ptr()
                    || e.len() != c.len()
                    || self.prehashed_for(c).is_none()
                {
                    return Err(self.elided_needed("SignedData eContent"));
                }
                true
            }
            _ => false,
        };
        let encapsulated = sd.econtent_digested.as_ref().map(|c| ContentCandidates {
            canonical: c.as_ref(),
            as_sent: None,
            canonical_sha256: self.prehashed_for(c),
            streamed: None,
            elided: econtent_elided,
        });
        // In a multipart/signed, the first body part is what a mail client shows, so it is
        // what the signature must cover (RFC 8551 §3.5.3), even when the SignedData also
        // encapsulates content of its own; OpenSSL and Thunderbird verify the same way.
        let candidates = match (encapsulated, detached) {
            (_, Some(d)) => Some(d),
            (Some(e), None) => Some(e),
            (None, None) => match (supplied, self.opts.detached_stream.as_deref()) {
                (Some(c), _) => Some(ContentCandidates {
                    canonical: c,
                    as_sent: None,
                    canonical_sha256: None,
                    streamed: None,
                    elided: false,
                }),
                (None, Some(s)) => Some(ContentCandidates {
                    canonical: &[],
                    as_sent: None,
                    canonical_sha256: None,
                    streamed: Some(s),
                    elided: false,
                }),
                (None, None) => None,
            },
        };
        let mut digests = Vec::new();
        let mut content_sha256 = None;
        let first_signature = self.signatures.len();
        for i in 0..sd.signer_infos.len() {
            let outcome =
                signed_data::verify_signer(&sd, i, candidates, self.keyring, self.opts.at, idx);
            if outcome.needs_content_bytes {
                return Err(self.elided_needed("SignerInfo"));
            }
            digests.push(outcome.digest);
            content_sha256 = content_sha256.or(outcome.content_sha256);
            self.signatures.push(outcome.report);
            self.findings.extend(outcome.findings);
        }
        for (i, d) in digests.iter().enumerate() {
            let Some(d) = d else { continue };
            if !sd.digest_algorithms.iter().any(|a| a == d.name()) {
                self.findings.push(finding(
                    Severity::Error,
                    findings::DIGEST_ALGORITHM_NOT_LISTED,
                    format!(
                        "SignerInfo #{} uses {}, which SignedData.digestAlgorithms does not list ({}): one-pass verifiers (OpenSSL, NSS) hash only the listed algorithms and reject the signature",
                        i + 1,
                        d.name(),
                        if sd.digest_algorithms.is_empty() {
                            "it is empty".to_string()
                        } else {
                            sd.digest_algorithms.join(", ")
                        }
                    ),
                    "RFC 5652 §5.1",
                    Some(idx),
                ));
            }
        }
        self.last_digests = digests;
        if let (Some(e), Some(d)) = (encapsulated, detached) {
            self.check_wrapping(&sd, e, d, idx, first_signature);
        }
        self.countersignatures(&sd, idx);
        // Unwrap encapsulated content. Content that a multipart/signed carries inside its
        // signature part besides the first body part is shown, but not as the message's
        // content: no mail client displays it.
        if let Some(inner) = &sd.econtent {
            if econtent_elided {
                if !self.elided_payload(inner, &sd.econtent_type) {
                    return Err(self.elided_needed("encapsulated content"));
                }
                self.elided_claimed = true;
            }
            let signed = detached.is_none();
            self.signed_depth += usize::from(signed);
            self.hidden_depth += usize::from(!signed);
            // The digest computed for the messageDigest check, else the one computed while
            // the input was read: both are of exactly these bytes.
            let known = if signed {
                content_sha256
                    .map(hex::encode)
                    .or_else(|| self.prehashed_for(inner).map(hex::encode))
            } else {
                None
            };
            let r = self.with_known_sha256(inner, known, |ctx| {
                ctx.inner_content(inner, &sd.econtent_type, idx)
            });
            self.signed_depth -= usize::from(signed);
            self.hidden_depth -= usize::from(!signed);
            r?;
        } else if detached.is_none() {
            if let Some(c) = supplied {
                self.signed_depth += 1;
                let own_buffer = self.layers.len() + 1;
                let child = self.push_layer(
                    LayerKind::DetachedContent,
                    format!("detached content supplied separately, {} bytes", c.len()),
                    Span::new(own_buffer, [0, c.len()], Some(idx)),
                    Vec::new(),
                )?;
                let r = self.inner_content(c, &sd.econtent_type, child);
                self.signed_depth -= 1;
                r?;
            }
        }
        Ok(())
    }

    /// Verifies the countersignatures of every SignerInfo of `sd` (RFC 5652 §11.4): each
    /// signs the signature value of its SignerInfo, and is reported as a signature of its own.
    pub(super) fn countersignatures(&mut self, sd: &signed_data::SignedData, idx: usize) {
        for (i, raw) in sd.signer_infos.iter().enumerate() {
            let (found, value) = signed_data::countersignatures(raw);
            if found.is_empty() {
                continue;
            }
            let counter = signed_data::SignedData {
                version: sd.version,
                digest_algorithms: sd.digest_algorithms.clone(),
                econtent_type: sd.econtent_type,
                econtent: None,
                econtent_digested: None,
                certificates: sd.certificates.clone(),
                certificate_errors: Vec::new(),
                crl_count: sd.crl_count,
                signer_infos: found,
                countersigning: Some(i),
            };
            let over = ContentCandidates {
                canonical: &value,
                as_sent: None,
                canonical_sha256: None,
                streamed: None,
                elided: false,
            };
            for j in 0..counter.signer_infos.len().min(MAX_SIGNERS) {
                let mut outcome = signed_data::verify_signer(
                    &counter,
                    j,
                    Some(over),
                    self.keyring,
                    self.opts.at,
                    idx,
                );
                outcome.report.countersigns = Some(i + 1);
                self.signatures.push(outcome.report);
                self.findings.extend(outcome.findings);
            }
        }
    }

    /// Whether an encapsulated content whose tail was elided is reported the same without
    /// it: id-data whose kept first bytes show it is neither MIME nor nested CMS nor text
    /// (they hold a control character), so it becomes a binary leaf whose report needs only
    /// its size, its digest and its first bytes.
    fn elided_payload(&self, bytes: &[u8], econtent_type: &der::asn1::ObjectIdentifier) -> bool {
        let start = bytes.as_ptr() as usize;
        let Some(kept) = self.elided.as_ref().map(|e| e.start.saturating_sub(start)) else {
            return false;
        };
        let Some(head) = bytes.get(..kept) else {
            return false;
        };
        *econtent_type == ct::DATA
            && head.len() >= crate::crypto::prehash::ELIDE_KEEP
            && head.first() != Some(&0x30)
            && !crate::wire::mime::looks_like_mime(head)
            && !head.iter().all(|&b| super::content::is_textual(b))
    }

    /// What a SignedData encapsulates: MIME for S/MIME, nested CMS, or a payload.
    /// A ContentInfo of type id-data (RFC 5652 §4): an OCTET STRING, read as content.
    fn plain_data(
        &mut self,
        der: &[u8],
        content: Option<asn1::Tlv>,
        encoding: &str,
        at: Span,
    ) -> Result<(), Error> {
        let value = match content {
            None => Vec::new(),
            // The content the ContentInfo's [0] EXPLICIT wraps.
            Some(t) => match t.is_universal(asn1::tag::OCTET_STRING) {
                true => crate::cms::enveloped_data::octets(der, &t)
                    .map_err(|e| layer_error("CMS data", e))?,
                false => {
                    return Err(layer_error(
                        "CMS data",
                        Error::Malformed {
                            structure: "ContentInfo".into(),
                            reason: "id-data content is not one OCTET STRING".into(),
                        },
                    ))
                }
            },
        };
        let idx = self.push_layer(
            LayerKind::cms_other("data"),
            format!("CMS data ({encoding}), {} bytes", value.len()),
            at,
            vec![
                ("contentType".into(), oid_name(&ct::DATA)),
                ("encoding".into(), encoding.into()),
            ],
        )?;
        self.inner_content(&value, &ct::DATA, idx)
    }

    pub(super) fn inner_content(
        &mut self,
        bytes: &[u8],
        econtent_type: &der::asn1::ObjectIdentifier,
        parent: usize,
    ) -> Result<(), Error> {
        let buffer = parent + 1;
        if *econtent_type == ct::DATA {
            return match detect_nested(bytes, Within::Cms) {
                Nested::Mime => self.mime(bytes, Span::at(buffer, 0, bytes, Some(parent)), 0),
                Nested::Cms => self.cms(bytes, Span::new(buffer, [0, bytes.len()], Some(parent))),
                Nested::Ieee1609Data | Nested::Payload => self.leaf(
                    sniff(bytes),
                    bytes,
                    Span::new(buffer, [0, bytes.len()], Some(parent)),
                ),
            };
        }
        // A CMS type as eContentType (RFC 5652 §5.2): the content is a ContentInfo's content
        // field for that type; wrap it back into a ContentInfo to read it.
        if [
            ct::SIGNED_DATA,
            ct::ENVELOPED_DATA,
            ct::AUTH_ENVELOPED_DATA,
            ct::COMPRESSED_DATA,
        ]
        .contains(econtent_type)
        {
            let wrapped = wrap_content_info(econtent_type, bytes);
            return self.cms(&wrapped, Span::new(buffer, [0, bytes.len()], Some(parent)));
        }
        self.leaf(
            &oid_name(econtent_type),
            bytes,
            Span::new(buffer, [0, bytes.len()], Some(parent)),
        )
    }
}

/// ContentInfo { contentType, [0] EXPLICIT content } around a bare CMS content value.
pub(super) fn wrap_content_info(oid: &der::asn1::ObjectIdentifier, value: &[u8]) -> Vec<u8> {
    let oid = oid.as_bytes();
    let mut explicit = vec![0xA0];
    asn1::encode_length(value.len(), &mut explicit);
    explicit.extend_from_slice(value);
    let mut body = vec![0x06];
    asn1::encode_length(oid.len(), &mut body);
    body.extend_from_slice(oid);
    body.extend_from_slice(&explicit);
    let mut out = vec![0x30];
    asn1::encode_length(body.len(), &mut out);
    out.extend_from_slice(&body);
    out
}
