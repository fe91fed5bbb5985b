//! S/MIME: MIME entities, application/pkcs7-mime, multipart/signed (verified over the first body part as sent) and micalg.

use super::Span;
use super::{layer_error, sha256_hex, Ctx};
use crate::cms::signed_data::{self, ContentCandidates};
use crate::crypto::algorithms::Digest;
use crate::error::Error;
use crate::report::findings::{self, finding};
use crate::report::LayerKind;
use crate::report::{Severity, SignatureStatus};
use crate::wire::mime::{self, Entity};

impl Ctx<'_> {
    /// A MIME entity occupying `bytes`, which sit at `offset` within buffer `buffer`.
    pub(super) fn mime(&mut self, bytes: &[u8], at: Span, depth: usize) -> Result<(), Error> {
        let Span {
            buffer,
            range: [offset, _],
            parent,
        } = at;
        self.remember(buffer, offset, bytes);
        if depth > mime::MAX_MIME_DEPTH {
            return Err(Error::Limit {
                what: "MIME nesting depth".into(),
                limit: mime::MAX_MIME_DEPTH,
            });
        }
        let ent = mime::parse_entity(bytes).map_err(|e| layer_error("MIME", e))?;
        let mt = ent.content_type.media_type.clone();
        let kind = if mt == "multipart/signed" {
            LayerKind::MultipartSigned
        } else {
            LayerKind::Mime
        };
        let idx = self.push_layer(
            kind,
            ent.content_type.display(),
            Span::new(buffer, [offset, offset + bytes.len()], parent),
            ent.headers.clone(),
        )?;
        self.layers[idx].content_type = Some(layer_content_type(&ent));
        if ent.encoding_problem {
            self.findings.push(finding(
                Severity::Warning,
                findings::MIME_MALFORMED,
                format!("the body of the {mt} entity has a transfer-encoding problem"),
                "RFC 2045 §6",
                Some(idx),
            ));
        }
        match mt.as_str() {
            "multipart/signed" => self.multipart_signed(bytes, buffer, offset, idx, &ent, depth),
            m if m.starts_with("multipart/") => {
                if ent.children.is_empty() {
                    self.findings.push(finding(
                        Severity::Warning,
                        findings::MIME_MALFORMED,
                        format!("{m} has no body parts (missing boundary?)"),
                        "RFC 2046 §5.1.1",
                        Some(idx),
                    ));
                }
                for c in &ent.children {
                    self.mime(
                        &bytes[c.start..c.end],
                        Span::at(buffer, offset + c.start, &bytes[c.start..c.end], Some(idx)),
                        depth + 1,
                    )?;
                }
                Ok(())
            }
            "message/rfc822" => {
                if ent
                    .transfer_encoding
                    .as_deref()
                    .is_none_or(|e| matches!(e, "7bit" | "8bit" | "binary"))
                {
                    let (s, e) = (ent.body_start, ent.body_end);
                    self.mime(
                        &bytes[s..e],
                        Span::at(buffer, offset + s, &bytes[s..e], Some(idx)),
                        depth + 1,
                    )
                } else {
                    let decoded = ent.decoded.clone();
                    self.mime(
                        &decoded,
                        Span::at(idx + 1, 0, &decoded, Some(idx)),
                        depth + 1,
                    )
                }
            }
            "application/pkcs7-mime" | "application/x-pkcs7-mime" => self.pkcs7_mime(&ent, idx),
            "application/pkcs7-signature" | "application/x-pkcs7-signature" => {
                // A detached signature on its own: content comes from --content.
                let der = ent.decoded.clone();
                self.cms(&der, Span::new(idx + 1, [0, der.len()], Some(idx)))
            }
            "application/octet-stream" if is_p7m_name(&ent) => self.pkcs7_mime(&ent, idx),
            _ => {
                // The transfer-decoded body: the decoded content of this MIME layer.
                let decoded = ent.decoded.clone();
                self.leaf(
                    &mt,
                    &decoded,
                    Span::new(idx + 1, [0, decoded.len()], Some(idx)),
                )
            }
        }
    }

    pub(super) fn pkcs7_mime(&mut self, ent: &Entity, idx: usize) -> Result<(), Error> {
        let smime_type = ent.content_type.param("smime-type").map(str::to_string);
        if smime_type.is_none() {
            self.findings.push(finding(
                Severity::Warning,
                findings::SMIME_TYPE_MISSING,
                format!(
                    "{} has no smime-type parameter",
                    ent.content_type.media_type
                ),
                "RFC 8551 §3.2.2",
                Some(idx),
            ));
        }
        let der = ent.decoded.clone();
        self.cms(&der, Span::new(idx + 1, [0, der.len()], Some(idx)))
    }

    pub(super) fn multipart_signed(
        &mut self,
        bytes: &[u8],
        buffer: usize,
        offset: usize,
        idx: usize,
        ent: &Entity,
        depth: usize,
    ) -> Result<(), Error> {
        let [first, second] = ent.children.as_slice() else {
            return Err(Error::Malformed {
                structure: "multipart/signed".into(),
                reason: format!(
                    "has {} body parts; RFC 1847 §2.1 requires exactly two (content, signature)",
                    ent.children.len()
                ),
            });
        };
        let protocol = ent
            .content_type
            .param("protocol")
            .map(str::to_ascii_lowercase);
        if protocol.as_deref() == Some("application/pgp-signature") {
            // RFC 3156: an OpenPGP signature. Say so, and read what it signs (it may hold
            // S/MIME layers of its own), unverified.
            self.findings.push(finding(
                Severity::Warning,
                findings::LAYER_NOT_OPENED,
                "multipart/signed carries an OpenPGP signature (RFC 3156), which sealscope does not verify; the signed part is shown unverified",
                "RFC 3156 §5",
                Some(idx),
            ));
            self.signature_part(bytes, second, offset, buffer, idx)?;
            return self.mime(
                &bytes[first.start..first.end],
                Span::at(
                    buffer,
                    offset + first.start,
                    &bytes[first.start..first.end],
                    Some(idx),
                ),
                depth + 1,
            );
        }
        if !matches!(
            protocol.as_deref(),
            Some("application/pkcs7-signature") | Some("application/x-pkcs7-signature")
        ) {
            self.findings.push(finding(
                Severity::Warning,
                findings::MIME_MALFORMED,
                format!(
                    "multipart/signed protocol is {}, expected application/pkcs7-signature",
                    protocol.as_deref().unwrap_or("missing")
                ),
                "RFC 8551 §3.5.3",
                Some(idx),
            ));
        }
        let micalg = ent.content_type.param("micalg").map(str::to_string);
        let signed_bytes = &bytes[first.start..first.end];
        let canonical = mime::canonicalise(signed_bytes);
        let as_sent = matches!(canonical, std::borrow::Cow::Owned(_)).then_some(signed_bytes);
        // The signature part.
        let (sig_ent, sig_idx) = self.signature_part(bytes, second, offset, buffer, idx)?;
        let der = sig_ent.decoded.clone();
        if der.is_empty() {
            return Err(Error::Malformed {
                structure: "multipart/signed signature part".into(),
                reason: "is empty".into(),
            });
        }
        self.cms_with_content(
            &der,
            Span::new(sig_idx + 1, [0, der.len()], Some(sig_idx)),
            Some(ContentCandidates {
                canonical: &canonical,
                as_sent,
                canonical_sha256: self.prehashed_for(&canonical),
                streamed: None,
                elided: false,
            }),
        )?;
        self.check_micalg(micalg.as_deref(), idx);
        // The signed content itself.
        self.signed_depth += 1;
        let r = self.mime(
            signed_bytes,
            Span::at(buffer, offset + first.start, signed_bytes, Some(idx)),
            depth + 1,
        );
        self.signed_depth -= 1;
        r
    }

    /// A multipart/signed whose SignedData also encapsulates content (signature wrapping):
    /// says whether the two contents are the same, and when they differ, which one each
    /// SignerInfo covers.
    pub(super) fn check_wrapping(
        &mut self,
        sd: &signed_data::SignedData,
        encapsulated: ContentCandidates<'_>,
        detached: ContentCandidates<'_>,
        idx: usize,
        first_signature: usize,
    ) {
        let e = encapsulated.canonical;
        let same = e == detached.canonical || detached.as_sent == Some(e);
        let describe = |b: &[u8]| format!("{} bytes, SHA-256 {}", b.len(), sha256_hex(b));
        if same {
            self.findings.push(finding(
                Severity::Info,
                findings::ENCAPSULATED_CONTENT_DIFFERS,
                format!(
                    "the signature part's SignedData also encapsulates the content ({}); it is identical to the first body part, which is what was verified",
                    describe(e)
                ),
                "RFC 8551 §3.5.3",
                Some(idx),
            ));
            return;
        }
        // Which content does each SignerInfo's signature actually cover?
        let mut covers = Vec::new();
        for i in 0..sd.signer_infos.len() {
            let over_first = self
                .signatures
                .get(first_signature + i)
                .is_some_and(|s| s.status == SignatureStatus::Valid);
            let over_encapsulated = !over_first
                && signed_data::verify_signer(
                    sd,
                    i,
                    Some(encapsulated),
                    self.keyring,
                    self.opts.at,
                    idx,
                )
                .report
                .status
                    == SignatureStatus::Valid;
            covers.push(format!(
                "SignerInfo #{} covers {}",
                i + 1,
                if over_first {
                    "the first body part"
                } else if over_encapsulated {
                    "the encapsulated content, not the first body part"
                } else {
                    "neither"
                }
            ));
        }
        self.findings.push(finding(
            Severity::Error,
            findings::ENCAPSULATED_CONTENT_DIFFERS,
            format!(
                "signature wrapping: the multipart/signed's first body part ({}) is what a mail client shows, but the signature part's SignedData encapsulates different content ({}); {}",
                describe(detached.as_sent.unwrap_or(detached.canonical)),
                describe(e),
                covers.join(", ")
            ),
            "RFC 8551 §3.5.3, RFC 5652 §5.2",
            Some(idx),
        ));
    }

    /// The second body part of a multipart/signed at layer `idx`, as a layer of its own.
    pub(super) fn signature_part(
        &mut self,
        bytes: &[u8],
        part: &mime::ChildPart,
        offset: usize,
        buffer: usize,
        idx: usize,
    ) -> Result<(Entity, usize), Error> {
        let sig_ent = mime::parse_entity(&bytes[part.start..part.end])
            .map_err(|e| layer_error("multipart/signed signature part", e))?;
        let sig_idx = self.push_layer(
            LayerKind::Mime,
            sig_ent.content_type.display(),
            Span::new(buffer, [offset + part.start, offset + part.end], Some(idx)),
            sig_ent.headers.clone(),
        )?;
        self.layers[sig_idx].content_type = Some(layer_content_type(&sig_ent));
        Ok((sig_ent, sig_idx))
    }

    /// RFC 8551 §3.5.3.2: micalg lists the digest(s) of the SignerInfos.
    pub(super) fn check_micalg(&mut self, micalg: Option<&str>, idx: usize) {
        let Some(micalg) = micalg else {
            self.findings.push(finding(
                Severity::Warning,
                findings::MICALG_MISSING,
                "multipart/signed has no micalg parameter",
                "RFC 8551 §3.5.3",
                Some(idx),
            ));
            return;
        };
        let named: Vec<Option<Digest>> = micalg.split(',').map(Digest::from_micalg).collect();
        for d in self.last_digests.clone().into_iter().flatten() {
            if !named.contains(&Some(d)) {
                self.findings.push(finding(
                    Severity::Warning,
                    findings::MICALG_MISMATCH,
                    format!(
                        "micalg is \"{micalg}\" but a SignerInfo uses {} (micalg should be \"{}\")",
                        d.name(),
                        d.micalg()
                    ),
                    "RFC 8551 §3.5.3.2",
                    Some(idx),
                ));
            } else if !micalg
                .split(',')
                .any(|m| m.trim().eq_ignore_ascii_case(d.micalg()))
            {
                self.findings.push(finding(
                    Severity::Info,
                    findings::MICALG_LEGACY_NAME,
                    format!(
                        "micalg value \"{micalg}\" is a historical label for {}; the registered name is \"{}\"",
                        d.name(),
                        d.micalg()
                    ),
                    "RFC 8551 §3.5.3.2",
                    Some(idx),
                ));
            }
        }
    }
}

pub(super) fn layer_content_type(ent: &Entity) -> crate::report::LayerContentType {
    crate::report::LayerContentType {
        media_type: ent.content_type.media_type.clone(),
        params: ent.content_type.params.clone(),
    }
}

pub(super) fn is_p7m_name(ent: &Entity) -> bool {
    let name = ent
        .content_type
        .param("name")
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let disposition = ent
        .headers
        .get("content-disposition")
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    name.ends_with(".p7m") || disposition.contains(".p7m")
}
