//! IEEE 1609.2 / SCMS vectors made by tests/fixtures/ieee1609/generate.py (asn1tools and
//! pyca/cryptography, keys we control): every row of VECTORS.tsv gives its stated result —
//! certificates their HashedId8, signed data its PSID, signer and verification status on
//! all four curves and r forms, tampering its failure, bad inputs `unreadable` with an offset,
//! SCMS requests their RA checks (time tolerance, blacklist).

use sealscope_core::ieee1609::{data, verify};
use sealscope_core::report::{ChainStatus, SignatureStatus, Verdict};
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::read;

const DIR: &str = "ieee1609";
/// 30 s after the vectors' generation time (2025-06-01T12:00:00Z).
const AT: &str = "2025-06-01T12:00:30Z";

fn keyring() -> Keyring {
    let mut k = Keyring::new();
    for root in ["root-p256", "root-p384", "root-bp256", "root-bp384"] {
        let f = format!("{DIR}/certs/{root}.coer");
        k.add_anchors(&read(&f), &f).unwrap();
    }
    for c in [
        "eca-p256",
        "eca-p256-regional",
        "ee-p256",
        "ee-p256-blacklisted",
        "ra-p256",
    ] {
        let f = format!("{DIR}/certs/{c}.coer");
        k.add_certs(&read(&f), &f).unwrap();
    }
    // The RA's encryption key and the pre-shared AES key of the encrypted vectors.
    for key in ["ra-p256-enc", "ecies-recipient-bp256"] {
        let f = format!("{DIR}/keys/{key}.pem");
        k.add_private_keys(&read(&f), None, &f).unwrap();
    }
    // The CRLs: one hash-based, one linkage-based (the altered one is checked alone).
    for crl in ["hash", "linked"] {
        let f = format!("{DIR}/crl/{crl}.coer");
        k.add_crls(&read(&f), &f).unwrap();
    }
    let psk = String::from_utf8(read(&format!("{DIR}/keys/psk-aes128.hex"))).unwrap();
    k.add_content_key(&hex::decode(psk.trim()).unwrap());
    k
}

fn options(name: &str) -> Options {
    let mut o = Options::new(name, UnixTime::parse(AT).unwrap());
    o.time_tolerance = Some(60);
    let list = String::from_utf8(read(&format!("{DIR}/blacklist.txt"))).unwrap();
    for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        o.blacklist
            .push(<[u8; 8]>::try_from(hex::decode(line).unwrap()).unwrap());
    }
    o
}

#[test]
fn every_vector() {
    let k = keyring();
    let table = String::from_utf8(read(&format!("{DIR}/VECTORS.tsv"))).unwrap();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for line in table.lines().skip(1).filter(|l| !l.is_empty()) {
        let c: Vec<&str> = line.split('\t').collect();
        let (file, kind, signer, psid, hid, expected) = (c[0], c[1], c[3], c[5], c[7], c[9]);
        let path = format!("{DIR}/{file}");
        let bytes = read(&path);
        *counts.entry(format!("{kind} {expected}")).or_default() += 1;
        if kind == "cert" {
            let cert = data::decode_certificate(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(
                hex::encode(verify::hashed_id8(&cert).unwrap()),
                hid,
                "{file}"
            );
            assert_eq!(cert.implicit, expected == "decode-only", "{file}");
            continue;
        }
        if kind == "crl" {
            // A SecuredCrl: it loads; its own signature and chain decide whether it is used.
            let mut alone = Keyring::new();
            alone.add_crls(&bytes, file).unwrap();
            let anchors = &k.ieee1609_anchors;
            let at = UnixTime::parse(AT).unwrap();
            let used = alone.ieee1609_crls[0].check(&k.ieee1609_certs, anchors, at);
            assert_eq!(used.is_ok(), expected == "crl-usable", "{file}: {used:?}");
            continue;
        }
        let r = sealscope_core::inspect(&bytes, &k, &options(file));
        match expected {
            "unreadable" => {
                assert_eq!(r.verdict, Verdict::Unreadable, "{file}");
                let e = r.error.unwrap_or_default();
                assert!(e.contains("byte") || e.contains("exceeds"), "{file}: {e}");
                continue;
            }
            "decode-only" => {
                assert_ne!(r.verdict, Verdict::Unreadable, "{file}: {:?}", r.error);
                assert!(r.layers[0].kind.as_str() == "ieee1609-data", "{file}");
                continue;
            }
            "decrypts" | "decrypt-fails" => {
                // The generator (pyca cryptography: ECDH, X9.63 KDF, HMAC, AESCCM) states
                // the plaintext's SHA-256 in the note.
                let note = c[10];
                let sha = note.rsplit("plaintext SHA-256 ").next().unwrap_or_default();
                let e = &r.encryption[0];
                assert_eq!(e.kind, "ieee1609-encrypted-data", "{file}");
                let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
                if expected == "decrypts" {
                    assert!(e.decrypted, "{file}: {}", e.reason);
                    assert_eq!(e.content_sha256.as_deref(), Some(sha), "{file}");
                    assert!(e.recipients[0].matched_key.is_some(), "{file}");
                    // The plaintext is read as a layer of its own.
                    assert!(
                        r.layers
                            .iter()
                            .filter(|l| l.kind.as_str() == "ieee1609-data")
                            .count()
                            >= 2,
                        "{file}"
                    );
                } else {
                    assert!(!e.decrypted, "{file}");
                    assert!(e.reason.contains("AES-128-CCM tag"), "{file}: {}", e.reason);
                    assert!(codes.contains(&"decryption-failed"), "{file}: {codes:?}");
                    assert_eq!(r.verdict, Verdict::Invalid, "{file}");
                }
                continue;
            }
            _ => {}
        }
        let s = r
            .signatures
            .first()
            .unwrap_or_else(|| panic!("{file}: no signature {:?}", r.error));
        if signer != "self" && hid != "-" {
            assert_eq!(s.signer_hashed_id8.as_deref(), Some(hid), "{file}");
        }
        if let Some(p) = psid.split(',').next().and_then(|p| p.parse::<u64>().ok()) {
            if kind == "signed" {
                assert_eq!(s.psid, Some(p), "{file}");
            }
        }
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        match expected {
            "valid" => {
                assert_eq!(s.status, SignatureStatus::Valid, "{file}: {}", s.reason);
                assert_eq!(
                    s.chain.status,
                    ChainStatus::Trusted,
                    "{file}: {}",
                    s.chain.reason
                );
                assert_eq!(r.verdict, Verdict::Valid, "{file}: {codes:?}");
            }
            "invalid:bad-signature" => {
                assert_eq!(s.status, SignatureStatus::Invalid, "{file}");
                assert_eq!(
                    s.reason_code.as_deref(),
                    Some("signature-value-invalid"),
                    "{file}"
                );
                assert_eq!(r.verdict, Verdict::Invalid);
            }
            "invalid:unknown-signer" => {
                assert_eq!(
                    s.reason_code.as_deref(),
                    Some("signer-cert-not-found"),
                    "{file}"
                );
                assert_ne!(r.verdict, Verdict::Valid);
            }
            "invalid:time-tolerance" => {
                assert_eq!(s.status, SignatureStatus::Valid, "{file}");
                assert_eq!(codes, ["time-outside-tolerance"], "{file}");
                assert_eq!(r.verdict, Verdict::Invalid);
            }
            "invalid:blacklisted" => {
                assert_eq!(s.status, SignatureStatus::Valid, "{file}");
                assert_eq!(codes, ["cert-blacklisted"], "{file}");
                assert_eq!(r.verdict, Verdict::Invalid);
            }
            // Consistency with the signer certificate: the signature verifies, the data
            // breaks a rule of §5.2.4.2.
            "invalid:psid-not-permitted"
            | "invalid:generation-outside-validity"
            | "invalid:generation-location-outside-region" => {
                assert_eq!(s.status, SignatureStatus::Valid, "{file}");
                assert_eq!(s.chain.status, ChainStatus::Trusted, "{file}");
                assert_eq!(codes, [&expected["invalid:".len()..]], "{file}");
                assert_eq!(r.verdict, Verdict::Invalid);
            }
            // Chain consistency (§5.1.2.4): the signer certificate's validity, region or
            // permissions are not within its issuer's.
            "invalid:validity-outside-issuer"
            | "invalid:region-outside-issuer"
            | "invalid:permissions-outside-issuer"
            | "invalid:path-length-exceeded" => {
                let status = &expected["invalid:".len()..];
                assert_eq!(s.status, SignatureStatus::Valid, "{file}");
                assert_eq!(s.chain.status, ChainStatus::UntrustedRoot, "{file}");
                let broken = s.chain.certificates.last().unwrap();
                assert_eq!(broken.status.as_str(), status, "{file}");
                let code = match status {
                    "path-length-exceeded" => "ca-constraint-violated".to_string(),
                    other => format!("cert-{other}"),
                };
                assert_eq!(codes, [code], "{file}");
                assert_eq!(r.verdict, Verdict::Invalid);
            }
            "invalid:revoked" => {
                assert_eq!(s.status, SignatureStatus::Valid, "{file}");
                assert_eq!(s.chain.status, ChainStatus::Revoked, "{file}");
                assert_eq!(s.chain.certificates[0].status.as_str(), "revoked", "{file}");
                assert!(
                    s.chain.reason.contains("crl/"),
                    "{file}: {}",
                    s.chain.reason
                );
                assert_eq!(codes, ["cert-revoked"], "{file}");
                assert_eq!(r.verdict, Verdict::Invalid);
            }
            other => panic!("{file}: unknown expectation {other}"),
        }
    }
    let total: usize = counts.values().sum();
    assert_eq!(total, 105, "{counts:?}");
}

#[test]
fn r_forms_give_one_hashed_id8() {
    let a = data::decode_certificate(&read(&format!("{DIR}/certs/ee-p256.coer"))).unwrap();
    let b =
        data::decode_certificate(&read(&format!("{DIR}/certs/ee-p256.r-compressed.coer"))).unwrap();
    assert_ne!(a.bytes, b.bytes);
    assert_eq!(verify::hashed_id8(&a), verify::hashed_id8(&b));
}

#[test]
fn scms_request_fields() {
    let r = sealscope_core::inspect(
        &read(&format!("{DIR}/http/download-get.http")),
        &keyring(),
        &options("download-get.http"),
    );
    let pdu = r
        .layers
        .iter()
        .find(|l| l.kind.as_str() == "scms-pdu")
        .unwrap();
    assert_eq!(pdu.summary, "SCMS eeRaAuthenticatedDownloadRequest");
    assert!(pdu
        .headers
        .contains(&("filename".into(), "1E74DE9D628F161D_0.zip".into())));
    assert!(
        pdu.headers
            .iter()
            .any(|(n, v)| n == "timestamp"
                && v.starts_with("2025-06-01T12:00:00Z (Time32 675864005)"))
    );
    assert_eq!(r.layers[1].kind.as_str(), "http-header");
    assert_eq!(r.verdict, Verdict::Valid);
}
