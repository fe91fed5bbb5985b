//! IEEE 1609.2 in the pipeline: each Ieee1609Dot2Data and certificate a layer, each
//! signedData a signature report (signer kind, HashedId8, PSID, generation time, chain by
//! HashedId8 to the supplied 1609.2 roots).

use super::Span;
use super::{layer_error, Ctx};
use crate::error::Error;
use crate::ieee1609::data::{self, Content, Data, Issuer, Signed, Signer};
use crate::ieee1609::describe::{cert_headers, signed_headers, summary};
use crate::ieee1609::signer::Outcome;
use crate::ieee1609::{self as dot2, scms, verify, KeyringCert};
use crate::report::findings::{self, finding};
use crate::report::LayerKind;
use crate::report::{Chain, ChainStatus, Severity, SignatureReport, SignatureStatus};

const REF: &str = "IEEE 1609.2 §5.3.1";

fn chain_finding(status: ChainStatus) -> Option<&'static str> {
    match status {
        ChainStatus::Trusted | ChainStatus::NotChecked => None,
        ChainStatus::UntrustedRoot => Some(findings::CHAIN_UNTRUSTED),
        ChainStatus::Expired => Some(findings::CERT_EXPIRED),
        ChainStatus::NotYetValid => Some(findings::CERT_NOT_YET_VALID),
        ChainStatus::Revoked => Some(findings::CERT_REVOKED),
        ChainStatus::BadSignature => Some(findings::CERT_SIGNATURE_INVALID),
        ChainStatus::Incomplete => Some(findings::CHAIN_INCOMPLETE),
    }
}

impl Ctx<'_> {
    /// An SCMS request read from a 1609.2 payload: a layer with its fields, the RA's time
    /// check, then its bytes as the content.
    fn scms_pdu(&mut self, p: &scms::ScmsPdu, bytes: &[u8], parent: usize) -> Result<(), Error> {
        let mut headers = vec![("version".to_string(), p.version.to_string())];
        headers.extend(p.fields.iter().cloned());
        let idx = self.push_layer(
            LayerKind::ScmsPdu,
            format!("SCMS {}", p.kind),
            Span::new(parent + 1, [0, bytes.len()], Some(parent)),
            headers,
        )?;
        if let (Some(t), Some(tol)) = (p.time, self.opts.time_tolerance) {
            let when = dot2::time32(t);
            let skew = (self.opts.at.0 - when.0).unsigned_abs();
            if skew > tol {
                self.findings.push(finding(
                    Severity::Error,
                    findings::TIME_OUTSIDE_TOLERANCE,
                    format!(
                        "the request's time {} is {skew} s from the verification time {}, outside the tolerance of {tol} s; an RA refuses it",
                        when.to_rfc3339(),
                        self.opts.at.to_rfc3339()
                    ),
                    "SCMS EE-RA communication, step 5: the RA validates the time-stamp against a configurable tolerance",
                    Some(idx),
                ));
            }
        }
        self.leaf(
            "application/octet-stream",
            bytes,
            Span::new(parent + 1, [0, bytes.len()], Some(idx)),
        )
    }

    /// An Ieee1609Dot2Data occupying `bytes`, at `offset` of buffer `buffer`.
    pub(super) fn ieee1609(&mut self, bytes: &[u8], at: Span) -> Result<(), Error> {
        let Span {
            buffer,
            range: [offset, _],
            parent,
        } = at;
        self.remember(buffer, offset, bytes);
        let d = data::decode(bytes).map_err(|e| layer_error("IEEE 1609.2", e.shifted(offset)))?;
        self.dot2_data(&d, bytes, buffer, offset, parent)
    }

    fn dot2_data(
        &mut self,
        d: &Data,
        bytes: &[u8],
        buffer: usize,
        offset: usize,
        parent: Option<usize>,
    ) -> Result<(), Error> {
        let range = [offset + d.range[0], offset + d.range[1]];
        let (what, mut headers) = match &d.content {
            Content::Unsecured(b) => (
                "unsecuredData",
                vec![("unsecuredData".to_string(), format!("{} bytes", b.len()))],
            ),
            Content::Signed(s) => ("signedData", signed_headers(s)),
            Content::Encrypted {
                recipients,
                ciphertext,
                ..
            } => {
                let mut h: Vec<(String, String)> = recipients
                    .iter()
                    .map(|(k, id)| ("recipient".to_string(), format!("{k} {id}")))
                    .collect();
                h.push((
                    "ciphertext".into(),
                    format!("{} ({} bytes)", ciphertext.0, ciphertext.1),
                ));
                ("encryptedData", h)
            }
            Content::SignedCertificateRequest(b) => (
                "signedCertificateRequest",
                vec![(
                    "signedCertificateRequest".to_string(),
                    format!("{} bytes", b.len()),
                )],
            ),
            Content::Other(k) => (
                "an extension content",
                vec![("content".to_string(), format!("extension alternative {k}"))],
            ),
        };
        headers.insert(0, ("protocolVersion".into(), d.version.to_string()));
        headers.insert(1, ("content".into(), what.to_string()));
        let mut summary = format!("IEEE 1609.2 {what}");
        if let Content::Signed(s) = &d.content {
            summary.push_str(&format!(
                ", psid {}, signer {}",
                s.header.psid,
                match &s.signer {
                    Signer::Digest(_) => "digest",
                    Signer::Certificates(_) => "certificate",
                    Signer::SelfSigned => "self",
                }
            ));
        }
        let idx = self.push_layer(
            LayerKind::Ieee1609Data,
            summary,
            Span::new(buffer, range, parent),
            headers,
        )?;
        match &d.content {
            Content::Unsecured(b) => match scms::decode_pdu(b) {
                Ok(p) => self.scms_pdu(&p, b, idx),
                Err(_) => {
                    if let Some((kind, summary, headers)) = list_payload(b) {
                        let own = self.push_layer(
                            kind,
                            summary,
                            Span::new(idx + 1, [0, b.len()], Some(idx)),
                            headers,
                        )?;
                        return self.leaf(
                            "application/octet-stream",
                            b,
                            Span::new(idx + 1, [0, b.len()], Some(own)),
                        );
                    }
                    self.leaf(
                        "application/octet-stream",
                        b,
                        Span::new(idx + 1, [0, b.len()], Some(idx)),
                    )
                }
            },
            Content::SignedCertificateRequest(b) => match scms::decode_signed_request(b) {
                Ok(req) => {
                    let s = Signed {
                        hash: req.hash,
                        tbs: req.tbs.clone(),
                        data: None,
                        ext_data_hash: None,
                        header: data::Header::default(),
                        signer: req.signer.clone(),
                        signature: req.signature.clone(),
                    };
                    let carried = self.dot2_carried(&req.signer, idx)?;
                    let mut report = self.dot2_verify(&s, &carried, idx, false);
                    // A certificate request has no headerInfo, hence no PSID.
                    report.psid = None;
                    self.signatures.push(report);
                    self.signed_depth += 1;
                    let r = self.scms_pdu(&req.pdu, &req.tbs, idx);
                    self.signed_depth -= 1;
                    r
                }
                Err(_) => self.leaf(
                    "application/octet-stream",
                    b,
                    Span::new(idx + 1, [0, b.len()], Some(idx)),
                ),
            },
            Content::Signed(s) => self.dot2_signed(s, bytes, buffer, offset, idx),
            Content::Encrypted {
                recipients,
                keys,
                ccm,
                ..
            } => self.dot2_encrypted(recipients, keys, ccm.as_ref(), idx),
            Content::Other(_) => Ok(()),
        }
    }

    /// The certificates a signer identifier carries, each a layer under `idx`.
    fn dot2_carried(&mut self, signer: &Signer, idx: usize) -> Result<Vec<KeyringCert>, Error> {
        let mut carried = Vec::new();
        if let Signer::Certificates(certs) = signer {
            carried = certs
                .iter()
                .map(|c| KeyringCert {
                    id: verify::hashed_id8(c).unwrap_or_default(),
                    cert: c.clone(),
                    source: "message".into(),
                })
                .collect();
            let pool: Vec<KeyringCert> = carried
                .iter()
                .chain(self.keyring.ieee1609_certs.iter())
                .chain(self.keyring.ieee1609_anchors.iter())
                .cloned()
                .collect();
            for (n, k) in carried.iter().enumerate() {
                let c = &k.cert;
                let own = self.layers.len() + 1;
                let mut headers = cert_headers(k);
                if c.implicit {
                    headers.push(implicit_key_header(k, &pool));
                }
                self.push_layer(
                    LayerKind::Ieee1609Certificate,
                    format!(
                        "IEEE 1609.2 {} certificate {} ({}){}",
                        if c.implicit { "implicit" } else { "explicit" },
                        hex::encode(k.id),
                        c.id,
                        if n == 0 { ", signer" } else { "" }
                    ),
                    Span::new(own, [0, c.bytes.len()], Some(idx)),
                    headers,
                )?;
            }
        }
        Ok(carried)
    }

    fn dot2_signed(
        &mut self,
        s: &Signed,
        bytes: &[u8],
        buffer: usize,
        offset: usize,
        idx: usize,
    ) -> Result<(), Error> {
        let carried = self.dot2_carried(&s.signer, idx)?;
        let report = self.dot2_verify(s, &carried, idx, true);
        self.signatures.push(report);
        self.signed_depth += 1;
        let r = match &s.data {
            Some(inner) => self.dot2_data(inner, bytes, buffer, offset, Some(idx)),
            None => {
                if let Some((alg, h)) = &s.ext_data_hash {
                    self.findings.push(finding(
                        Severity::Info,
                        findings::DETACHED_CONTENT_MISSING,
                        format!(
                            "the signed payload is external data known by its {} hash {}",
                            alg.name(),
                            hex::encode(h)
                        ),
                        "IEEE 1609.2 §6.3.7",
                        Some(idx),
                    ));
                }
                Ok(())
            }
        };
        self.signed_depth -= 1;
        r
    }

    /// `has_header`: whether `s` carries a headerInfo (a certificate request does not), whose
    /// PSID and generation time are then held to the signer certificate.
    fn dot2_verify(
        &mut self,
        s: &Signed,
        carried: &[KeyringCert],
        idx: usize,
        has_header: bool,
    ) -> SignatureReport {
        let keyring = self.keyring;
        let at = self.opts.at;
        let generation = s.header.generation_time.map(dot2::time64_utc);
        let mut rep = SignatureReport {
            status: SignatureStatus::Unverifiable,
            reason_code: None,
            reason: String::new(),
            signer: None,
            signer_source: None,
            signer_id: match &s.signer {
                Signer::Digest(_) => "digest",
                Signer::Certificates(_) => "certificate",
                Signer::SelfSigned => "self",
            }
            .into(),
            sid: None,
            countersigns: None,
            digest_algorithm: s.hash.name().into(),
            signature_algorithm: s.signature.curve.name().into(),
            signing_time: generation.clone(),
            chain: Chain {
                status: ChainStatus::NotChecked,
                anchor: None,
                certificates: Vec::new(),
                reason: "no signer certificate".into(),
            },
            layer: idx,
            signer_info: 1,
            non_canonical: false,
            psid: Some(s.header.psid),
            generation_time: generation,
            generation_time_us: s.header.generation_time,
            expiry_time: s.header.expiry_time.map(dot2::time64_utc),
            expiry_time_us: s.header.expiry_time,
            signer_hashed_id8: None,
        };
        let fail = |findings: &mut Vec<crate::report::Finding>,
                    rep: &mut SignatureReport,
                    code: &str,
                    reason: String,
                    status: SignatureStatus| {
            rep.status = status;
            rep.reason_code = Some(code.to_string());
            rep.reason = reason.clone();
            findings.push(finding(
                if status == SignatureStatus::Invalid {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                code,
                reason,
                REF,
                Some(idx),
            ));
        };
        // The signer's HashedId8 is reported whether or not its certificate is found.
        if let Signer::Digest(id) = &s.signer {
            rep.signer_hashed_id8 = Some(hex::encode(id));
        }
        if let Some(c) = carried.first() {
            rep.signer_hashed_id8 = Some(hex::encode(c.id));
        }
        let candidates = match dot2::signer::verify_signed(s, carried, keyring, at) {
            Outcome::HashMismatch => {
                fail(
                    &mut self.findings,
                    &mut rep,
                    findings::UNSUPPORTED_ALGORITHM,
                    format!(
                        "hashId is {} but the signature is {}, which 1609.2 pairs with {}",
                        s.hash.name(),
                        s.signature.curve.name(),
                        s.signature.curve.hash().name()
                    ),
                    SignatureStatus::Invalid,
                );
                return rep;
            }
            Outcome::SignerNotFound => {
                let reason = match &s.signer {
                    Signer::Digest(id) => format!(
                        "the signer is named by digest {} but no such 1609.2 certificate is in the keyring (add it with --cert)",
                        hex::encode(id)
                    ),
                    _ => "signer `self`: no 1609.2 certificate in the keyring holds the key to try".into(),
                };
                fail(
                    &mut self.findings,
                    &mut rep,
                    findings::SIGNER_CERT_NOT_FOUND,
                    reason,
                    SignatureStatus::Unverifiable,
                );
                return rep;
            }
            Outcome::Verified { signer, key, chain } => {
                self.dot2_verified(s, &signer, chain, idx, &mut rep);
                if signer.cert.implicit {
                    if let Some(sum) = rep.signer.as_mut() {
                        sum.key = format!(
                            "{} {} (implicit: reconstructed by ECQV from the issuer's key)",
                            key.0.name(),
                            hex::encode(key.1.sec1().unwrap_or_default())
                        );
                    }
                    rep.reason = rep.reason.replacen(
                        "with the key of certificate",
                        "with the key reconstructed (ECQV) from implicit certificate",
                        1,
                    );
                }
                if has_header {
                    self.dot2_consistency(s, &signer, idx);
                }
                return rep;
            }
            Outcome::Failed {
                candidates,
                failure,
            } => (candidates, failure),
        };
        let (candidates, last_failure) = candidates;
        let only = candidates.len() == 1;
        if only {
            rep.signer = Some(summary(&candidates[0]));
            rep.signer_source = Some(candidates[0].source.clone());
        }
        match last_failure {
            Some(verify::Failure::Invalid) | None => fail(
                &mut self.findings,
                &mut rep,
                findings::SIGNATURE_VALUE_INVALID,
                if only {
                    format!(
                        "the {} signature does not verify with the key of certificate {} (the data, header or signature was altered, or another key signed)",
                        s.signature.curve.name(),
                        hex::encode(candidates[0].id)
                    )
                } else {
                    format!("signer `self`: none of the {} 1609.2 keys in the keyring verifies the signature", candidates.len())
                },
                SignatureStatus::Invalid,
            ),
            Some(verify::Failure::Malformed(m)) => fail(
                &mut self.findings,
                &mut rep,
                findings::SIGNATURE_VALUE_INVALID,
                m,
                SignatureStatus::Invalid,
            ),
            Some(verify::Failure::IssuerMissing(m)) => fail(
                &mut self.findings,
                &mut rep,
                findings::CHAIN_INCOMPLETE,
                m,
                SignatureStatus::Unverifiable,
            ),
            Some(verify::Failure::Unsupported(m)) => fail(
                &mut self.findings,
                &mut rep,
                findings::UNSUPPORTED_ALGORITHM,
                m,
                SignatureStatus::Unverifiable,
            ),
        }
        rep
    }

    /// The signed data against its signer certificate (IEEE 1609.2 §5.2.4.2.2, §5.2.4.2.3):
    /// the PSID among the certificate's appPermissions, the generation time inside its
    /// validity period.
    fn dot2_consistency(&mut self, s: &Signed, cand: &KeyringCert, idx: usize) {
        let cert = &cand.cert;
        let psids: Vec<u64> = cert.app_permissions.iter().map(|(p, _)| *p).collect();
        if !psids.contains(&s.header.psid) {
            self.findings.push(finding(
                Severity::Error,
                findings::PSID_NOT_PERMITTED,
                format!(
                    "the signed data's PSID {} (0x{:x}) is not among the appPermissions of signer certificate {} ({})",
                    s.header.psid,
                    s.header.psid,
                    hex::encode(cand.id),
                    if psids.is_empty() {
                        "it has none".to_string()
                    } else {
                        psids.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
                    }
                ),
                "IEEE 1609.2 §5.2.4.2.2",
                Some(idx),
            ));
        }
        if let (Some((lat, lon, _)), Some(region)) = (s.header.location, &cert.region_value) {
            if dot2::consistency::point_in((lat, lon), region) == Some(false) {
                self.findings.push(finding(
                    Severity::Error,
                    findings::GENERATION_LOCATION_OUTSIDE_REGION,
                    format!(
                        "the generation location {:.7}, {:.7} is outside the region of signer certificate {} ({})",
                        lat as f64 / 1e7,
                        lon as f64 / 1e7,
                        hex::encode(cand.id),
                        cert.region.as_deref().unwrap_or("?")
                    ),
                    "IEEE 1609.2 §5.2.4.2.3",
                    Some(idx),
                ));
            }
        }
        if let Some(gen) = s.header.generation_time {
            let secs = gen / 1_000_000;
            let start = u64::from(cert.start);
            let end = start.saturating_add(cert.duration.0);
            if secs < start || secs >= end {
                self.findings.push(finding(
                    Severity::Error,
                    findings::GENERATION_OUTSIDE_VALIDITY,
                    format!(
                        "the generation time {} is {} the validity of signer certificate {} ({} for {})",
                        dot2::time64_utc(gen),
                        if secs < start { "before" } else { "after" },
                        hex::encode(cand.id),
                        dot2::time32(cert.start).to_rfc3339(),
                        cert.duration.1
                    ),
                    "IEEE 1609.2 §5.2.4.2.3",
                    Some(idx),
                ));
            }
        }
    }

    /// A signature that verified: the signer, the blacklist (SCMS) and the chain.
    fn dot2_verified(
        &mut self,
        s: &Signed,
        cand: &KeyringCert,
        out: dot2::ChainOutcome,
        idx: usize,
        rep: &mut SignatureReport,
    ) {
        rep.status = SignatureStatus::Valid;
        rep.reason = format!(
            "the {} signature over tbsData verifies with the key of certificate {} ({}), e = H(H(tbsData) || H({}))",
            s.signature.curve.name(),
            hex::encode(cand.id),
            cand.cert.id,
            if matches!(s.signer, Signer::SelfSigned) { "empty" } else { "signer certificate" }
        );
        rep.signer = Some(summary(cand));
        rep.signer_source = Some(cand.source.clone());
        rep.signer_hashed_id8 = Some(hex::encode(cand.id));
        if self.opts.blacklist.contains(&cand.id) {
            self.findings.push(finding(
                Severity::Error,
                findings::CERT_BLACKLISTED,
                format!(
                    "the signer certificate {} is on the supplied blacklist",
                    hex::encode(cand.id)
                ),
                "SCMS EE-RA communication, step 4: the RA validates the enrollment certificate against its blacklist",
                Some(idx),
            ));
        }
        let outside = out.certificates.iter().find_map(|c| match c.status {
            crate::report::CertStatus::ValidityOutsideIssuer => {
                Some(findings::CERT_VALIDITY_OUTSIDE_ISSUER)
            }
            crate::report::CertStatus::RegionOutsideIssuer => {
                Some(findings::CERT_REGION_OUTSIDE_ISSUER)
            }
            crate::report::CertStatus::PermissionsOutsideIssuer => {
                Some(findings::CERT_PERMISSIONS_OUTSIDE_ISSUER)
            }
            crate::report::CertStatus::PathLengthExceeded => Some(findings::CA_CONSTRAINT_VIOLATED),
            _ => None,
        });
        if let Some(code) = outside {
            self.findings.push(finding(
                Severity::Error,
                code,
                out.reason.clone(),
                "IEEE 1609.2 §5.1.2.4",
                Some(idx),
            ));
        } else if self.keyring.has_anchors() {
            if let Some(code) = chain_finding(out.status) {
                self.findings.push(finding(
                    if out.status == ChainStatus::UntrustedRoot {
                        Severity::Warning
                    } else {
                        Severity::Error
                    },
                    code,
                    out.reason.clone(),
                    "IEEE 1609.2 §5.1.2.3",
                    Some(idx),
                ));
            }
        }
        // A CRL given that cannot be used is said so, not ignored.
        if !self.keyring.ieee1609_crls.is_empty() {
            let pool: Vec<KeyringCert> = self
                .keyring
                .ieee1609_certs
                .iter()
                .chain(s_carried(s).iter())
                .cloned()
                .collect();
            for c in &self.keyring.ieee1609_crls {
                if let Err(why) = c.check(&pool, &self.keyring.ieee1609_anchors, self.opts.at) {
                    self.findings.push(finding(
                        Severity::Warning,
                        findings::CERT_REVOCATION_UNKNOWN,
                        format!(
                            "the IEEE 1609.2 CRL {} ({}) is not used: {why}",
                            c.source, c.kind
                        ),
                        "IEEE 1609.2 §7.3",
                        Some(idx),
                    ));
                }
            }
        }
        rep.chain = Chain {
            status: out.status,
            anchor: out.anchor,
            certificates: out.certificates,
            reason: out.reason,
        };
    }
}

/// The header line an implicit certificate's layer gets: the key reconstructed from its
/// issuer's (ECQV, IEEE 1609.2 §5.3.2), or why it could not be.
pub(crate) fn implicit_key_header(k: &KeyringCert, pool: &[KeyringCert]) -> (String, String) {
    let value = match dot2::verification_key(k, pool) {
        Ok((curve, point)) => format!(
            "{} {} (ECQV from issuer {})",
            curve.name(),
            hex::encode(point.sec1().unwrap_or_default()),
            match &k.cert.issuer {
                Issuer::Digest { id, .. } => hex::encode(id),
                Issuer::SelfSigned(_) => "self".into(),
            }
        ),
        Err(f) => format!(
            "not reconstructed: {}",
            f.reason("the key does not reconstruct")
        ),
    };
    ("reconstructed key".into(), value)
}

/// The certificates a signedData carries, as keyring certificates.
fn s_carried(s: &Signed) -> Vec<KeyringCert> {
    match &s.signer {
        Signer::Certificates(c) => c
            .iter()
            .filter_map(|c| KeyringCert::from_coer(&c.bytes, "message").ok())
            .collect(),
        _ => Vec::new(),
    }
}

/// A CRL's or a certificate trust list's contents carried as unsecured data (the payload
/// of a SecuredCrl or a signed CTL), recognised by decoding whole: the layer's kind, summary
/// and fields.
/// A layer's kind, summary and fields.
type LayerParts = (LayerKind, String, Vec<(String, String)>);

fn list_payload(bytes: &[u8]) -> Option<LayerParts> {
    use crate::ieee1609::{crl, ctl};
    if let Ok(c) = crl::contents(bytes) {
        {
            let mut h = vec![
                ("type".to_string(), c.kind.to_string()),
                ("crlSeries".into(), c.series.to_string()),
                ("crlCraca".into(), hex::encode(c.craca)),
                ("issueDate".into(), dot2::time32(c.issue).to_rfc3339()),
                ("nextCrl".into(), dot2::time32(c.next).to_rfc3339()),
            ];
            match &c.revocations {
                crl::Revocations::Hash(e) => {
                    for (id, exp) in e {
                        h.push((
                            "revoked".into(),
                            format!(
                                "HashedId10 {} (until {})",
                                hex::encode(id),
                                dot2::time32(*exp).to_rfc3339()
                            ),
                        ));
                    }
                }
                crl::Revocations::Linked { i_rev, seeds } => {
                    h.push(("iRev".into(), i_rev.to_string()));
                    for s in seeds {
                        h.push((
                            "linkage seeds".into(),
                            format!(
                                "LA {} and {}, jmax {}, iMax {}",
                                hex::encode(s.la1.0),
                                hex::encode(s.la2.0),
                                s.j_max,
                                s.i_max
                            ),
                        ));
                    }
                }
            }
            return Some((
                LayerKind::Ieee1609Crl,
                format!("IEEE 1609.2 CRL ({}, series {})", c.kind, c.series),
                h,
            ));
        }
    }
    {
        {
            let l = ctl::parse(bytes, "message").ok()?;
            let mut h = vec![
                ("type".to_string(), l.kind.to_string()),
                (
                    "nextUpdate".into(),
                    dot2::time32(l.next_update).to_rfc3339(),
                ),
                ("isFullCtl".into(), l.full.to_string()),
                ("ctlSequence".into(), l.sequence.to_string()),
            ];
            for c in &l.commands {
                h.push(match c {
                    ctl::Command::Add {
                        kind, cert, urls, ..
                    } => (
                        format!("add {kind}"),
                        [
                            cert.as_ref()
                                .map(|k| format!("{} ({})", hex::encode(k.id), k.cert.id))
                                .unwrap_or_default(),
                            urls.join(" "),
                        ]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" "),
                    ),
                    ctl::Command::Delete(w) => ("delete".into(), w.clone()),
                });
            }
            Some((
                LayerKind::TrustList,
                format!("ETSI TS 102 941 {}", l.kind),
                h,
            ))
        }
    }
}
