//! The end of reading: cross-layer checks, profiles, the verdict and the report.

use super::{sha256_hex, Ctx, MAX_HEX, MAX_LAYERS, MAX_TEXT};
use crate::error::Error;
use crate::report::findings::{self, finding};
use crate::report::{
    ChainStatus, Content, InputInfo, Layer, Node, ProfileReport, Report, Severity, SignatureStatus,
    Verdict, SCHEMA,
};
use crate::report::{Failure, LayerKind};
use crate::time::UnixTime;

impl Ctx<'_> {
    pub(super) fn finish(
        mut self,
        input: &[u8],
        input_sha256: String,
        result: Result<(), Error>,
    ) -> Report {
        let mut error = None;
        let mut failure = None;
        if let Err(e) = result {
            error = Some(e.to_string());
            failure = Some(Failure::from_error(&e, self.layers.len().checked_sub(1)));
        }
        self.check_unsigned_beside_signed();
        self.check_signing_time_against_date();
        self.check_signature_over_ciphertext();
        let content = self
            .leaves
            .iter()
            .enumerate()
            .max_by_key(|(i, l)| (l.shown, l.depth, std::cmp::Reverse(*i)))
            .map(|(_, l)| {
                let bytes = l.bytes(input);
                let text = std::str::from_utf8(&bytes[..bytes.len().min(MAX_TEXT)])
                    .ok()
                    .map(str::to_string);
                Content {
                    media_type: l.media_type.clone(),
                    size: bytes.len(),
                    sha256: l.sha256.clone().unwrap_or_else(|| sha256_hex(bytes)),
                    hex: text
                        .is_none()
                        .then(|| hex::encode(&bytes[..bytes.len().min(MAX_HEX)])),
                    text,
                    layer: l.layer,
                }
            });
        let profiles: Vec<ProfileReport> = if error.is_some() && self.layers.is_empty() {
            Vec::new()
        } else {
            let leaves: Vec<(usize, &[u8])> = self
                .leaves
                .iter()
                .map(|l| (l.layer, l.bytes(input)))
                .collect();
            self.opts
                .profile
                .or_else(|| crate::profiles::detect(&self.layers, self.opts))
                .map(|p| {
                    crate::profiles::evaluate(
                        p,
                        &crate::profiles::Input {
                            layers: &self.layers,
                            signatures: &self.signatures,
                            encryption: &self.encryption,
                            content: content.as_ref(),
                            leaves: &leaves,
                            opts: self.opts,
                        },
                    )
                })
                .into_iter()
                .collect()
        };
        if error.is_none()
            && self.signatures.is_empty()
            && !profiles.iter().any(crate::profiles::exempt_from_signing)
            && !profiles
                .iter()
                .any(crate::profiles::reports_missing_signature)
        {
            self.findings.push(finding(
                Severity::Warning,
                findings::NOT_SIGNED,
                "the message carries no signature",
                "RFC 8551 §3.5",
                None,
            ));
        }
        let verdict = match &error {
            // A failure below a layer that was read still says what was found.
            Some(_) if self.layers.is_empty() || self.signatures.is_empty() => Verdict::Unreadable,
            _ => {
                let broken_must = profiles
                    .iter()
                    .any(|p| p.findings.iter().any(|f| f.severity == Severity::Error));
                let broken_should = profiles
                    .iter()
                    .any(|p| p.findings.iter().any(|f| f.severity == Severity::Warning));
                let exempt = profiles.iter().any(crate::profiles::exempt_from_signing);
                match self.verdict(error.is_some(), exempt) {
                    _ if broken_must => Verdict::Invalid,
                    Verdict::Valid if broken_should => Verdict::Warning,
                    v => v,
                }
            }
        };
        if let Some(e) = &error {
            if verdict != Verdict::Unreadable {
                self.findings.push(finding(
                    Severity::Error,
                    "unreadable-layer",
                    e.clone(),
                    "RFC 5652 §3",
                    None,
                ));
            }
        }
        let tree = build_tree(&self.layers);
        let mut report = Report {
            schema: SCHEMA.to_string(),
            input: InputInfo {
                name: self.opts.name.clone(),
                size: input.len(),
                sha256: input_sha256,
            },
            verification_time: self.opts.at.to_rfc3339(),
            verdict,
            error,
            failure,
            layers: self.layers,
            tree,
            signatures: self.signatures,
            encryption: self.encryption,
            keys: self.keyring.key_reports(),
            content,
            profiles,
            findings: self.findings,
            headline: Default::default(),
        };
        report.refresh_headline();
        report
    }

    /// Parts a mail client shows beside signed ones but outside every signature (a footer
    /// added by a list server, a part added in transit): the signature says nothing of them.
    pub(super) fn check_unsigned_beside_signed(&mut self) {
        let shown = || self.leaves.iter().filter(|l| l.shown);
        if !shown().any(|l| l.depth > 0) {
            return;
        }
        let unsigned: Vec<String> = shown()
            .filter(|l| l.depth == 0)
            .map(|l| format!("layer {} ({})", l.layer, l.media_type))
            .collect();
        if unsigned.is_empty() {
            return;
        }
        self.findings.push(finding(
            Severity::Warning,
            findings::UNSIGNED_CONTENT_BESIDE_SIGNED,
            format!(
                "{} of the message {} outside every signature although other parts are signed: {}",
                if unsigned.len() == 1 {
                    "one part"
                } else {
                    "some parts"
                },
                if unsigned.len() == 1 { "is" } else { "are" },
                unsigned.join(", ")
            ),
            "RFC 8551 §3.1",
            None,
        ));
    }

    /// A signature whose signed content is encrypted (encrypt, then sign) with no signature
    /// inside: it covers the ciphertext only, so the signer need not have seen the
    /// plaintext, and anyone holding the ciphertext could have signed it.
    pub(super) fn check_signature_over_ciphertext(&mut self) {
        let kind = |i: usize| self.layers.get(i).map(|l| &l.kind);
        let mut found = Vec::new();
        for (e, layer) in self.layers.iter().enumerate() {
            if !layer.kind.is_enveloped() {
                continue;
            }
            // Only what was opened can be judged; and a signature inside (RFC 2634's triple
            // wrapping: sign, encrypt, sign) already says who wrote the plaintext.
            let opened = self.encryption.iter().any(|r| r.layer == e && r.decrypted);
            let signed_inside = self.layers.iter().enumerate().any(|(i, l)| {
                l.kind == LayerKind::CmsSignedData && crate::profiles::encloses(&self.layers, e, i)
            });
            if !opened || signed_inside {
                continue;
            }
            // Walk up to the nearest signature layer, if any.
            let mut at = layer.parent;
            let mut steps = 0;
            while let Some(p) = at {
                match kind(p) {
                    Some(LayerKind::CmsSignedData | LayerKind::MultipartSigned) => {
                        found.push((p, e));
                        break;
                    }
                    Some(k) if k.is_enveloped() => break,
                    _ => {}
                }
                at = self.layers.get(p).and_then(|l| l.parent);
                steps += 1;
                if steps > self.layers.len() {
                    break;
                }
            }
        }
        for (signed, enveloped) in found {
            self.findings.push(finding(
                Severity::Warning,
                findings::ENCRYPT_BEFORE_SIGN,
                format!(
                    "the signature of layer {signed} covers the encrypted layer {enveloped}, not its content: the signer need not have seen the plaintext, and anyone holding the ciphertext could have signed it (sign first, then encrypt)"
                ),
                "RFC 8551 §3.7",
                Some(signed),
            ));
        }
    }

    /// A signingTime far from the Date header of the message that carries the signature
    /// (Thunderbird calls such a signature not good): the message was dated, or signed, at
    /// another time than it claims.
    pub(super) fn check_signing_time_against_date(&mut self) {
        const TOLERANCE_SECS: i64 = 3600;
        let mut found = Vec::new();
        for (i, sig) in self.signatures.iter().enumerate() {
            let Some(signed) = sig
                .signing_time
                .as_deref()
                .and_then(|t| UnixTime::parse(t).ok())
            else {
                continue;
            };
            // The Date of the nearest enclosing message.
            let mut at = Some(sig.layer);
            let mut date = None;
            let mut steps = 0;
            while let (Some(l), None) = (at, &date) {
                let Some(layer) = self.layers.get(l) else {
                    break;
                };
                date = layer.headers.get("date").map(str::to_string);
                at = layer.parent;
                steps += 1;
                if steps > self.layers.len() {
                    break;
                }
            }
            let Some(date) = date else { continue };
            let Some(dated) = mail_parser::DateTime::parse_rfc822(&date) else {
                continue;
            };
            let diff = dated.to_timestamp() - signed.0;
            if diff.abs() > TOLERANCE_SECS {
                found.push((i, sig.layer, date, signed, diff));
            }
        }
        for (i, layer, date, signed, diff) in found {
            self.findings.push(finding(
                Severity::Warning,
                findings::SIGNING_TIME_DIFFERS_FROM_DATE,
                format!(
                    "signature {}: signingTime {} is {} {} the message's Date header ({date}); Thunderbird reports such a signature as not good",
                    i + 1,
                    signed.to_rfc3339(),
                    crate::time::duration_words(diff.unsigned_abs()),
                    if diff > 0 { "before" } else { "after" }
                ),
                "RFC 5652 §11.3, RFC 5322 §3.6.1",
                Some(layer),
            ));
        }
    }

    pub(super) fn verdict(&self, partial: bool, exempt: bool) -> Verdict {
        let anchors = self.keyring.has_anchors();
        let any_invalid = self
            .signatures
            .iter()
            .any(|s| s.status == SignatureStatus::Invalid);
        let chain_failed = anchors
            && self.signatures.iter().any(|s| {
                s.status != SignatureStatus::Unverifiable
                    && !matches!(
                        s.chain.status,
                        ChainStatus::Trusted | ChainStatus::NotChecked
                    )
            });
        let any_error = self.findings.iter().any(|f| f.severity == Severity::Error);
        if any_invalid || chain_failed || any_error || partial {
            return Verdict::Invalid;
        }
        let any_warning = self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Warning);
        let all_trusted = (exempt || !self.signatures.is_empty())
            && self.signatures.iter().all(|s| {
                s.status == SignatureStatus::Valid && s.chain.status == ChainStatus::Trusted
            });
        if any_warning || !all_trusted {
            Verdict::Warning
        } else {
            Verdict::Valid
        }
    }
}

pub(super) fn build_tree(layers: &[Layer]) -> Option<Node> {
    pub(super) fn node(layers: &[Layer], i: usize, depth: usize) -> Node {
        let children = if depth > MAX_LAYERS {
            Vec::new()
        } else {
            let mut kids: Vec<usize> = layers
                .iter()
                .enumerate()
                .filter(|(_, l)| l.parent == Some(i))
                .map(|(j, _)| j)
                .collect();
            // Show parts in the order they appear in the message, not the order read.
            kids.sort_by_key(|&j| (layers[j].buffer, layers[j].range[0]));
            kids.into_iter()
                .map(|j| node(layers, j, depth + 1))
                .collect()
        };
        Node {
            kind: layers[i].kind.clone(),
            summary: layers[i].summary.clone(),
            layer: i,
            children,
        }
    }
    let root = layers.iter().position(|l| l.parent.is_none())?;
    Some(node(layers, root, 0))
}
