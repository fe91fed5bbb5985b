//! IEEE 1609.2 objects as the report shows them: a certificate's summary and fields, and a
//! signedData's fields.

use super::data::{Issuer, Signed, Signer, VerifyKey};
use super::KeyringCert;
use crate::report::CertSummary;

/// A 1609.2 certificate as the report summarises a signer: its HashedId8 and id as the
/// subject, its issuer, validity and key.
pub fn summary(k: &KeyringCert) -> CertSummary {
    let (nb, na) = k.validity();
    let key = match &k.cert.verify_key {
        VerifyKey::Key { curve, point } => format!("{} ({})", curve.name(), point.form()),
        VerifyKey::Reconstruction(p) => format!("implicit, reconstruction value {}", p.form()),
    };
    let issuer = match &k.cert.issuer {
        Issuer::SelfSigned(a) => format!("self ({})", a.name()),
        Issuer::Digest { alg, id } => format!("{} ({}AndDigest)", hex::encode(id), alg.name()),
    };
    CertSummary {
        subject: k.cert.id.clone(),
        subject_oneline: k.cert.id.clone(),
        issuer_oneline: issuer.clone(),
        issuer,
        serial: hex::encode(k.id),
        not_before: nb.to_rfc3339(),
        not_after: na.to_rfc3339(),
        key,
        key_usage: None,
        extended_key_usage: Some(
            k.cert
                .app_permissions
                .iter()
                .map(|(p, s)| match s {
                    Some(s) => format!("psid {p} ({s})"),
                    None => format!("psid {p}"),
                })
                .collect(),
        ),
        sha256: hex::encode(crate::crypto::algorithms::Digest::Sha256.hash(&k.cert.bytes)),
        hashed_id8: Some(hex::encode(k.id)),
    }
}

/// The fields of a 1609.2 certificate, as a layer shows them.
pub fn cert_headers(k: &KeyringCert) -> Vec<(String, String)> {
    let c = &k.cert;
    let (nb, na) = k.validity();
    let mut h = vec![
        (
            "type".to_string(),
            if c.implicit { "implicit" } else { "explicit" }.to_string(),
        ),
        ("HashedId8".into(), hex::encode(k.id)),
        ("id".into(), c.id.clone()),
        (
            "issuer".into(),
            match &c.issuer {
                Issuer::SelfSigned(a) => format!("self ({})", a.name()),
                Issuer::Digest { alg, id } => {
                    format!("{}AndDigest {}", alg.name(), hex::encode(id))
                }
            },
        ),
        ("cracaId".into(), hex::encode(c.craca_id)),
        ("crlSeries".into(), c.crl_series.to_string()),
        (
            "validityPeriod".into(),
            format!(
                "{} for {} (until {})",
                nb.to_rfc3339(),
                c.duration.1,
                na.to_rfc3339()
            ),
        ),
    ];
    if let Some(r) = &c.region {
        h.push(("region".into(), r.clone()));
    }
    if !c.app_permissions.is_empty() {
        h.push((
            "appPermissions".into(),
            c.app_permissions
                .iter()
                .map(|(p, s)| match s {
                    Some(s) => format!("{p} ({s})"),
                    None => p.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    if let Some(p) = &c.issue_permissions {
        h.push(("certIssuePermissions".into(), p.clone()));
    }
    if c.encryption_key {
        h.push(("encryptionKey".into(), "present".into()));
    }
    h.push((
        "verifyKeyIndicator".into(),
        match &c.verify_key {
            VerifyKey::Key { curve, point } => {
                format!("verificationKey {} ({})", curve.name(), point.form())
            }
            VerifyKey::Reconstruction(p) => format!("reconstructionValue ({})", p.form()),
        },
    ));
    if let Some(s) = &c.signature {
        h.push((
            "signature".into(),
            format!("{} (r {})", s.curve.name(), s.r.form()),
        ));
    }
    h
}

/// The fields of a signedData (hash, PSID, generation time, signer), as a layer shows them.
pub fn signed_headers(s: &Signed) -> Vec<(String, String)> {
    let mut h = vec![
        ("hashId".to_string(), s.hash.name().to_string()),
        (
            "psid".into(),
            format!("{} (0x{:x})", s.header.psid, s.header.psid),
        ),
    ];
    if let Some(t) = s.header.generation_time {
        h.push(("generationTime".into(), super::describe_time64(t)));
    }
    if let Some(t) = s.header.expiry_time {
        h.push(("expiryTime".into(), super::describe_time64(t)));
    }
    if let Some((lat, lon, elev)) = s.header.location {
        h.push((
            "generationLocation".into(),
            format!(
                "{:.7}, {:.7}, elevation {elev}",
                lat as f64 / 1e7,
                lon as f64 / 1e7
            ),
        ));
    }
    for o in &s.header.other {
        h.push((o.clone(), "present".into()));
    }
    h.push((
        "payload".into(),
        match (&s.data, &s.ext_data_hash) {
            (Some(d), _) => format!("data ({} bytes)", d.range[1] - d.range[0]),
            (None, Some((a, v))) => format!("extDataHash {} {}", a.name(), hex::encode(v)),
            (None, None) => "absent".into(),
        },
    ));
    h.push((
        "signer".into(),
        match &s.signer {
            Signer::Digest(id) => format!("digest {}", hex::encode(id)),
            Signer::Certificates(c) => format!("certificate ({} in the message)", c.len()),
            Signer::SelfSigned => "self".into(),
        },
    ));
    h.push((
        "signature".into(),
        format!("{} (r {})", s.signature.curve.name(), s.signature.r.form()),
    ));
    h
}
