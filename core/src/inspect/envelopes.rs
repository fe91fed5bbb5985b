//! EnvelopedData, AuthEnvelopedData, EncryptedData, CompressedData, DigestedData and
//! AuthenticatedData layers: opened or checked with the keyring, then their content read.

use super::Span;
use super::{layer_error, Ctx};
use crate::cms::asn1;
use crate::cms::authenticated_data::{self, MacCheck};
use crate::cms::compressed_data;
use crate::cms::digested_data;
use crate::cms::enveloped_data;
use crate::crypto::algorithms::oid_name;
use crate::crypto::ciphers::ContentCipher;
use crate::error::Error;
use crate::report::findings::{self, finding};
use crate::report::LayerKind;
use crate::report::{EncryptionReport, Severity};

/// Where a CMS content value sits: the ContentInfo's DER, the content inside it, how the
/// input was encoded, and the layer position the new layer takes.
#[derive(Clone, Copy)]
pub(super) struct At<'b> {
    /// The ContentInfo, as DER.
    pub der: &'b [u8],
    /// Its content field.
    pub content: &'b asn1::Tlv,
    /// `DER`, or `BER (normalised to DER)`.
    pub encoding: &'static str,
    /// Where the ContentInfo is.
    pub span: Span,
}

impl Ctx<'_> {
    /// The bytes of a detached content given as a stream (`--content` of a large file), for
    /// the structures that need the bytes themselves; `None` when none was given or it is
    /// larger than the input limit.
    fn streamed_bytes(&self) -> Option<Vec<u8>> {
        match (&self.opts.detached_content, &self.opts.detached_stream) {
            (None, Some(s)) => s.bytes(self.opts.max_input),
            _ => None,
        }
    }

    /// An EnvelopedData or AuthEnvelopedData: recipients, decryption, then its content.
    pub(super) fn enveloped(&mut self, at: At<'_>, authenticated: bool) -> Result<(), Error> {
        let At {
            der,
            content,
            encoding,
            span:
                Span {
                    buffer,
                    range,
                    parent,
                },
        } = at;
        let name = if authenticated {
            "AuthEnvelopedData"
        } else {
            "EnvelopedData"
        };
        let env =
            enveloped_data::parse(der, content, authenticated).map_err(|e| layer_error(name, e))?;
        let cipher_name = crate::crypto::ciphers::content_cipher(&env.content_alg)
            .map(|c| c.name())
            .unwrap_or_else(|_| oid_name(&env.content_alg.oid));
        let headers = vec![
            ("version".to_string(), env.version.to_string()),
            (
                "recipientInfos".to_string(),
                env.recipients.len().to_string(),
            ),
            ("contentType".to_string(), oid_name(&env.content_type)),
            (
                "contentEncryptionAlgorithm".to_string(),
                cipher_name.clone(),
            ),
            (
                "encryptedContent".to_string(),
                match &env.encrypted_content {
                    Some(c) => format!("{} bytes", c.len()),
                    None => "absent (detached)".into(),
                },
            ),
            ("encoding".to_string(), encoding.to_string()),
        ];
        let kind = if authenticated {
            LayerKind::CmsAuthEnvelopedData
        } else {
            LayerKind::CmsEnvelopedData
        };
        let idx = self.push_layer(
            kind,
            format!(
                "CMS {name} v{}, {} recipient(s), {cipher_name}",
                env.version,
                env.recipients.len()
            ),
            Span::new(buffer, range, parent),
            headers,
        )?;
        let opened = enveloped_data::open(&env, self.keyring, idx);
        match &opened.cipher {
            Some(ContentCipher::DesEde3Cbc { .. }) => self.findings.push(finding(
                Severity::Info,
                findings::WEAK_CIPHER,
                "the content is encrypted with DES-EDE3-CBC (Triple DES), which is no longer recommended",
                "RFC 8551 §2.7",
                Some(idx),
            )),
            Some(ContentCipher::Rc2Cbc { effective_bits, .. }) => self.findings.push(finding(
                Severity::Warning,
                findings::WEAK_CIPHER,
                format!(
                    "the content is encrypted with RC2 ({effective_bits}-bit effective key), which offers little protection (40-bit RC2 falls to exhaustive search)"
                ),
                "RFC 8551 §2.7, RFC 3370 §5.2",
                Some(idx),
            )),
            _ => {}
        }
        if !opened.report.decrypted {
            self.not_opened(
                opened.named_key_failed,
                format!("{name}: {}", opened.report.reason),
                if authenticated {
                    "RFC 5083 §2.2"
                } else {
                    "RFC 5652 §6.2"
                },
                idx,
            );
        }
        self.read_decrypted(opened.report, opened.plaintext, &env.content_type, idx)
    }

    /// The finding for an encryption layer left closed: a key meant for a recipient that
    /// still fails means an altered ciphertext or tag (`decryption-failed`, error); no key at
    /// hand is `not-decrypted` (warning).
    pub(super) fn not_opened(
        &mut self,
        named_key_failed: bool,
        message: String,
        reference: &'static str,
        idx: usize,
    ) {
        let (severity, code) = if named_key_failed {
            (Severity::Error, findings::DECRYPTION_FAILED)
        } else {
            (Severity::Warning, findings::NOT_DECRYPTED)
        };
        self.findings
            .push(finding(severity, code, message, reference, Some(idx)));
    }

    /// Records an encryption layer's report, then reads its plaintext (kept shared, not
    /// copied, while the layers inside are read).
    pub(super) fn read_decrypted(
        &mut self,
        report: EncryptionReport,
        plaintext: Option<Vec<u8>>,
        content_type: &der::asn1::ObjectIdentifier,
        idx: usize,
    ) -> Result<(), Error> {
        let sha = report.content_sha256.clone();
        self.encryption.push(report);
        let Some(plain) = plaintext else {
            return Ok(());
        };
        let plain = std::rc::Rc::new(plain);
        self.shared.push(plain.clone());
        let r = self.with_known_sha256(&plain, sha, |ctx| {
            ctx.inner_content(&plain, content_type, idx)
        });
        self.shared.pop();
        r
    }

    /// A CompressedData: decompressed (bounded), then its content.
    pub(super) fn compressed(&mut self, at: At<'_>) -> Result<(), Error> {
        let At {
            der,
            content,
            encoding,
            span:
                Span {
                    buffer,
                    range,
                    parent,
                },
        } = at;
        // Nested CompressedData shares one budget: everything decompressed while reading one
        // input together stays within the input size limit.
        let budget = self.opts.max_input.saturating_sub(self.decompressed);
        let d = compressed_data::decompress(der, content, budget)
            .map_err(|e| layer_error("CompressedData", e))?;
        self.decompressed += d.content.len();
        let idx = self.push_layer(
            LayerKind::CmsCompressedData,
            format!(
                "CMS CompressedData (zlib), {} bytes → {} bytes",
                d.compressed_len,
                d.content.len()
            ),
            Span::new(buffer, range, parent),
            vec![
                ("compressionAlgorithm".into(), "zlib".into()),
                ("eContentType".into(), oid_name(&d.content_type)),
                ("encoding".into(), encoding.into()),
            ],
        )?;
        self.inner_content(&d.content, &d.content_type, idx)
    }

    /// An EncryptedData (RFC 5652 §8): decrypted with a content key given by the caller.
    pub(super) fn encrypted_data(&mut self, at: At<'_>) -> Result<(), Error> {
        let At {
            der,
            content,
            encoding,
            span:
                Span {
                    buffer,
                    range,
                    parent,
                },
        } = at;
        let ed = crate::cms::encrypted_data::parse_encrypted_data(der, content)
            .map_err(|e| layer_error("EncryptedData", e))?;
        let idx = self.push_layer(
            LayerKind::CmsEncryptedData,
            format!(
                "CMS EncryptedData v{}, {}",
                ed.version,
                crate::crypto::ciphers::content_cipher(&ed.content_alg)
                    .map(|c| c.name())
                    .unwrap_or_else(|_| oid_name(&ed.content_alg.oid))
            ),
            Span::new(buffer, range, parent),
            vec![
                ("contentType".into(), oid_name(&ed.content_type)),
                (
                    "contentEncryptionAlgorithm".into(),
                    oid_name(&ed.content_alg.oid),
                ),
                ("encoding".into(), encoding.into()),
            ],
        )?;
        let (report, plain) =
            crate::cms::encrypted_data::open_encrypted_data(&ed, self.keyring, idx);
        if !report.decrypted {
            self.findings.push(finding(
                Severity::Warning,
                findings::NOT_DECRYPTED,
                format!("EncryptedData: {}", report.reason),
                "RFC 5652 §8",
                Some(idx),
            ));
        }
        self.read_decrypted(report, plain, &ed.content_type, idx)
    }

    /// A DigestedData (RFC 5652 §7): the digest is checked, then the content is read. A
    /// digest proves integrity only, not who made the message, so it is no signature.
    pub(super) fn digested(&mut self, at: At<'_>) -> Result<(), Error> {
        let At {
            der,
            content,
            encoding,
            span:
                Span {
                    buffer,
                    range,
                    parent,
                },
        } = at;
        let d = digested_data::parse(der, content).map_err(|e| layer_error("DigestedData", e))?;
        let idx = self.push_layer(
            LayerKind::CmsDigestedData,
            format!(
                "CMS DigestedData v{}, {}, {}",
                d.version,
                oid_name(&d.digest_oid),
                if d.content.is_some() {
                    "encapsulated content"
                } else {
                    "detached"
                }
            ),
            Span::new(buffer, range, parent),
            vec![
                ("digestAlgorithm".into(), oid_name(&d.digest_oid)),
                ("eContentType".into(), oid_name(&d.content_type)),
                ("digest".into(), hex::encode(&d.value)),
                ("encoding".into(), encoding.into()),
            ],
        )?;
        let loaded = self.streamed_bytes();
        let supplied = self.opts.detached_content.as_deref().or(loaded.as_deref());
        match digested_data::check(&d, supplied) {
            Ok(()) => self.findings.push(finding(
                Severity::Info,
                findings::DIGEST_VERIFIED,
                format!(
                    "the DigestedData's {} digest matches its content (integrity only: a digest does not say who made it)",
                    oid_name(&d.digest_oid)
                ),
                "RFC 5652 §7",
                Some(idx),
            )),
            Err(digested_data::DigestProblem::Mismatch(why)) => self.findings.push(finding(
                Severity::Error,
                findings::CONTENT_DIGEST_MISMATCH,
                format!("DigestedData: {why}"),
                "RFC 5652 §7",
                Some(idx),
            )),
            Err(digested_data::DigestProblem::Unchecked(why)) => self.findings.push(finding(
                Severity::Warning,
                findings::UNSUPPORTED_ALGORITHM,
                format!("DigestedData: the digest cannot be checked: {why}"),
                "RFC 5652 §7",
                Some(idx),
            )),
        }
        match (&d.content, supplied) {
            (Some(c), _) => self.inner_content(c, &d.content_type, idx),
            (None, Some(c)) => self.inner_content(c, &d.content_type, idx),
            (None, None) => Ok(()),
        }
    }

    /// An AuthenticatedData (RFC 5652 §9): the MAC is checked with a key a recipient
    /// delivers, then the content (readable either way) is read. A MAC says the message came
    /// from someone holding the key, which every recipient does, so it is no signature.
    pub(super) fn authenticated(&mut self, at: At<'_>) -> Result<(), Error> {
        let At {
            der,
            content,
            encoding,
            span:
                Span {
                    buffer,
                    range,
                    parent,
                },
        } = at;
        let ad = authenticated_data::parse(der, content)
            .map_err(|e| layer_error("AuthenticatedData", e))?;
        let loaded = self.streamed_bytes();
        let supplied = self.opts.detached_content.as_deref().or(loaded.as_deref());
        let (report, outcome) =
            authenticated_data::check(&ad, self.keyring, supplied, self.layers.len());
        let mut headers = vec![
            ("version".to_string(), ad.version.to_string()),
            (
                "recipientInfos".to_string(),
                ad.recipients.len().to_string(),
            ),
            ("macAlgorithm".to_string(), report.content_algorithm.clone()),
        ];
        if let Some(d) = &ad.digest_alg {
            headers.push(("digestAlgorithm".to_string(), oid_name(&d.oid)));
        }
        headers.extend([
            ("eContentType".to_string(), oid_name(&ad.content_type)),
            (
                "authAttrs".to_string(),
                if ad.auth_attrs.is_some() {
                    "present".into()
                } else {
                    "absent".into()
                },
            ),
            ("mac".to_string(), hex::encode(&ad.mac)),
            ("encoding".to_string(), encoding.to_string()),
        ]);
        let idx = self.push_layer(
            LayerKind::CmsAuthenticatedData,
            format!(
                "CMS AuthenticatedData v{}, {} recipient(s), {}, {}",
                ad.version,
                ad.recipients.len(),
                report.content_algorithm,
                if ad.content.is_some() {
                    "encapsulated content"
                } else {
                    "detached"
                }
            ),
            Span::new(buffer, range, parent),
            headers,
        )?;
        let (severity, code) = match &outcome {
            MacCheck::Verified(_) => (Severity::Info, findings::MAC_VERIFIED),
            MacCheck::Invalid(_) => (Severity::Error, findings::MAC_INVALID),
            MacCheck::NotChecked(_) => (Severity::Warning, findings::MAC_NOT_CHECKED),
        };
        let mut report = report;
        report.layer = idx;
        self.findings.push(finding(
            severity,
            code,
            format!("AuthenticatedData: {}", report.reason),
            "RFC 5652 §9.2",
            Some(idx),
        ));
        self.encryption.push(report);
        match (&ad.content, supplied) {
            (Some(c), _) => self.inner_content(c, &ad.content_type, idx),
            (None, Some(c)) => self.inner_content(c, &ad.content_type, idx),
            (None, None) => Ok(()),
        }
    }
}
