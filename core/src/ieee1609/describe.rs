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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ieee1609::data::{decode, Content};

    macro_rules! fixture {
        ($p:literal) => {
            include_bytes!(concat!("../../../tests/fixtures/ieee1609/", $p)).as_slice()
        };
    }
    fn k(b: &[u8]) -> KeyringCert {
        KeyringCert::from_coer(b, "t").unwrap()
    }
    fn lines(h: Vec<(String, String)>) -> String {
        h.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
    }
    fn signed(b: &[u8]) -> String {
        match decode(b).unwrap().content {
            Content::Signed(s) => lines(signed_headers(&s)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn certificate_summaries() {
        let root = summary(&k(fixture!("certs/root-p256.coer")));
        let r = &root;
        let s = format!(
            "{}|{}|{}|{}|{}",
            r.subject, r.issuer, r.serial, r.not_before, r.key
        );
        let want = "name sealscope-root-p256|self (sha256)|9abe629c663f2e43|2024-01-01T00:00:00Z";
        assert_eq!(s, format!("{want}|ecdsa-p256 (compressed-y-0)"));
        // A 1609.2 year is 31,556,952 s (§6.4.14), so ten end at 10:12 on 2033-12-31.
        assert_eq!(root.not_after, "2033-12-31T10:12:00Z");
        let psids = root.extended_key_usage.as_ref().map(|p| p.join(", "));
        let want = "psid 32, psid 35, psid 38, psid 135, psid 2113687";
        assert_eq!(psids.as_deref(), Some(want));
        // x-only rSig: the file's SHA-256 ends with the HashedId8.
        assert!(root.sha256.ends_with("9abe629c663f2e43"));
        let eca = summary(&k(fixture!("certs/eca-p256.coer")));
        assert_eq!(eca.issuer, "9abe629c663f2e43 (sha256AndDigest)");
        assert_eq!(eca.extended_key_usage, Some(vec![]));
        let implicit = summary(&k(fixture!("certs/implicit-p256.coer")));
        assert_eq!(
            implicit.key,
            "implicit, reconstruction value compressed-y-1"
        );
        assert_eq!(implicit.not_after, "2025-06-02T00:00:00Z"); // 168 hours
    }

    #[test]
    fn certificate_headers() {
        // cracaId: HashedId3 (low three bytes) of the root's HashedId8 9abe629c663f2e43.
        let ee = lines(cert_headers(&k(fixture!("certs/ee-p256.coer"))));
        assert_eq!(
            ee,
            "\
type: explicit
HashedId8: 8ac46eedceee9b2f
id: name sealscope-enrollment-p256
issuer: sha256AndDigest a1e89469b0be8da6
cracaId: 3f2e43
crlSeries: 1
validityPeriod: 2025-01-01T00:00:00Z for 3 years (until 2028-01-01T17:27:36Z)
region: countries 840
appPermissions: 32, 35, 38, 135, 2113687
verifyKeyIndicator: verificationKey ecdsa-p256 (compressed-y-1)
signature: ecdsa-p256 (r x-only)
"
        );
        let root = lines(cert_headers(&k(fixture!("certs/root-bp384.coer"))));
        assert!(root.contains("\nissuer: self (sha384)\ncracaId: 000000\ncrlSeries: 0\n"));
        let perms = "certIssuePermissions: all psids, minChainLength 2, chainLengthRange 0";
        assert!(
            root.contains(&format!("\n{perms}, eeType 11000000\n")),
            "{root}"
        );
        assert!(root.ends_with("\nsignature: ecdsa-brainpoolp384r1 (r x-only)\n"));
        let ra = lines(cert_headers(&k(fixture!("certs/ra-p256.coer"))));
        assert!(ra.contains("\nencryptionKey: present\n"), "{ra}");
        // An implicit certificate: a reconstruction value and no signature.
        let i = lines(cert_headers(&k(fixture!("certs/implicit-p256.coer"))));
        assert!(i.starts_with("type: implicit\n"));
        assert!(i.ends_with("\nverifyKeyIndicator: reconstructionValue (compressed-y-1)\n"));
    }

    #[test]
    fn signed_data_headers() {
        // The payload is an unsecuredData of 41 bytes behind a 3-byte header.
        assert_eq!(
            signed(fixture!("signed/p256-digest.coer")),
            "\
hashId: sha256
psid: 32 (0x20)
generationTime: 2025-06-01T12:00:00Z (Time64 675864005000000; 5 leap seconds between TAI and UTC)
expiryTime: 2025-06-01T12:01:00Z (Time64 675864065000000; 5 leap seconds between TAI and UTC)
generationLocation: 42.3314000, -83.0458000, elevation 5996
payload: data (44 bytes)
signer: digest 8ac46eedceee9b2f
signature: ecdsa-p256 (r x-only)
"
        );
        let chain = signed(fixture!("signed/p256-certificate-chain2.coer"));
        assert!(
            chain.contains("\nsigner: certificate (2 in the message)\n"),
            "{chain}"
        );
        let own = signed(fixture!("signed/p384-self.coer"));
        assert!(own.starts_with("hashId: sha384\npsid: 32 (0x20)\ngenerationTime: "));
        assert!(own.ends_with("\nsigner: self\nsignature: ecdsa-p384 (r x-only)\n"));
    }
}
