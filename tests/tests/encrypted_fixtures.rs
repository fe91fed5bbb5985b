//! Every row of ENCRYPTED.tsv (OpenSSL and BouncyCastle made): the message opens with the
//! row's key to exactly the expected bytes, or fails with the expected finding.

use sealscope_core::crypto::algorithms::Digest;
use sealscope_core::report::{ChainStatus, Report, SignatureStatus, Verdict};
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{read, trusting_root, AT};

/// The password of every encrypted key and PKCS#12 bundle in the fixtures.
const PASSWORD: &str = "sealscope";

struct Row {
    file: String,
    category: String,
    recipient: String,
    key: String,
    expect: String,
    plaintext: String,
}

fn rows() -> Vec<Row> {
    let text = String::from_utf8(read("ENCRYPTED.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Row {
                file: c[0].into(),
                category: c[1].into(),
                recipient: c[2].into(),
                key: c[3].into(),
                expect: c[4].into(),
                plaintext: c[5].into(),
            }
        })
        .collect()
}

fn keyring_for(row: &Row) -> Keyring {
    let mut k = trusting_root();
    if let Some(hex_key) = row.key.strip_prefix("kek:") {
        let kekid = row
            .recipient
            .strip_prefix("kekid:")
            .expect("KEK rows name their KEK identifier as the recipient");
        k.add_kek(&hex::decode(kekid).unwrap(), &hex::decode(hex_key).unwrap());
    } else if let Some(pw) = row.key.strip_prefix("password:") {
        k.add_password(pw);
    } else if row.key != "-" {
        k.add_private_keys(&read(&row.key), Some(PASSWORD), &row.key)
            .unwrap_or_else(|e| panic!("{}: {e}", row.key));
        // The operator's own certificate, as --cert gives it: ties the key to the recipient.
        let cert = format!("pki/{}.pem", row.recipient);
        if sealscope_tests::fixture(&cert).exists() {
            k.add_certs(&read(&cert), &cert).unwrap();
        }
    }
    k
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Digest::Sha256.hash(bytes))
}

fn all_signatures_trusted(r: &Report, n: usize) {
    assert_eq!(r.signatures.len(), n, "{}", r.input.name);
    for s in &r.signatures {
        assert_eq!(
            s.status,
            SignatureStatus::Valid,
            "{}: {}",
            r.input.name,
            s.reason
        );
        assert_eq!(s.chain.status, ChainStatus::Trusted, "{}", r.input.name);
    }
}

#[test]
fn every_encrypted_fixture() {
    let at = UnixTime::parse(AT).unwrap();
    let rows = rows();
    assert!(rows.len() >= 45, "{} rows", rows.len());
    for row in &rows {
        let keyring = keyring_for(row);
        let r = sealscope_core::inspect(&read(&row.file), &keyring, &Options::new(&row.file, at));
        let ctx = format!("{} with {} ({})", row.file, row.key, row.expect);
        let enc = r.encryption.first();
        let want = (row.plaintext != "-").then(|| sha(&read(&row.plaintext)));
        match row.expect.as_str() {
            "decrypts" | "decrypts-then-verifies" => {
                let e = enc.unwrap_or_else(|| panic!("{ctx}: no encryption layer"));
                assert!(e.decrypted, "{ctx}: {}", e.reason);
                assert_eq!(e.content_sha256, want, "{ctx}");
                assert!(
                    e.recipients.iter().any(|x| x.matched_key.is_some()),
                    "{ctx}"
                );
                if row.expect == "decrypts-then-verifies" {
                    all_signatures_trusted(&r, 1);
                }
                assert_ne!(r.verdict, Verdict::Invalid, "{ctx}: {:?}", r.findings);
            }
            "verifies-then-decrypts" => {
                all_signatures_trusted(&r, 1);
                let e = enc.unwrap();
                assert!(e.decrypted, "{ctx}: {}", e.reason);
                assert_eq!(e.content_sha256, want, "{ctx}");
            }
            "verifies-then-decrypts-then-verifies" => {
                all_signatures_trusted(&r, 2);
                let e = enc.unwrap();
                assert_eq!(e.content_sha256, want, "{ctx}");
                assert_eq!(r.verdict, Verdict::Valid, "{ctx}: {:?}", r.findings);
            }
            "decompresses" | "verifies-then-decompresses" => {
                let c = r
                    .content
                    .as_ref()
                    .unwrap_or_else(|| panic!("{ctx}: no content"));
                assert_eq!(Some(c.sha256.clone()), want, "{ctx}");
                assert!(
                    r.layers
                        .iter()
                        .any(|l| l.kind.as_str() == "cms-compressed-data"),
                    "{ctx}"
                );
                if row.expect == "verifies-then-decompresses" {
                    all_signatures_trusted(&r, 1);
                }
            }
            "wrong-key" | "no-recipient-key" => {
                let e = enc.unwrap();
                assert!(!e.decrypted, "{ctx}");
                assert!(
                    e.reason
                        .starts_with("no key in the keyring opens this message"),
                    "{ctx}: {}",
                    e.reason
                );
                assert!(r.has_finding("not-decrypted"), "{ctx}");
                assert_eq!(r.verdict, Verdict::Warning, "{ctx}");
            }
            "corrupt" | "truncated-tag" => {
                let e = enc.unwrap();
                assert!(!e.decrypted, "{ctx}");
                assert!(
                    r.has_finding("decryption-failed"),
                    "{ctx}: {:?}",
                    r.findings
                );
                assert_eq!(r.verdict, Verdict::Invalid, "{ctx}");
                if row.expect == "truncated-tag" {
                    assert!(
                        e.reason.contains("tag is 8 bytes but aes-ICVlen says 16"),
                        "{ctx}: {}",
                        e.reason
                    );
                }
            }
            other => panic!("unknown expectation {other} in {}", row.file),
        }
        let _ = &row.category;
    }
}

#[test]
fn recipients_are_described() {
    let r = sealscope_tests::inspect_with("encrypted/two-recipients.eml", &Keyring::new());
    let e = &r.encryption[0];
    assert_eq!(e.content_algorithm, "aes-256-cbc");
    let kinds: Vec<(&str, &str)> = e
        .recipients
        .iter()
        .map(|x| (x.kind.as_str(), x.key_algorithm.as_str()))
        .collect();
    assert_eq!(kinds, [("ktri", "rsa-pkcs1v15"), ("kari", "ecdh-p256")]);
    assert_eq!(e.recipients[0].serial.as_deref(), Some("4001"));
    assert_eq!(
        e.recipients[0].issuer.as_deref(),
        Some("CN=Sealscope Test Intermediate CA,O=Sealscope Test,C=GB")
    );
    assert!(e.reason.contains("keys tried: none"), "{}", e.reason);
    assert_eq!(r.verdict, Verdict::Warning);

    let r = sealscope_tests::inspect_with("encrypted/kari-p256-cofactor.eml", &Keyring::new());
    assert!(r.encryption[0].recipients[0]
        .details
        .starts_with("cofactor ECDH, KDF sha1"));
    let r = sealscope_tests::inspect_with("encrypted/ktri-oaep-sha256.eml", &Keyring::new());
    assert_eq!(
        r.encryption[0].recipients[0].details,
        "OAEP hash sha256, MGF1 sha256"
    );
    let r = sealscope_tests::inspect_with("encrypted/pwri-aes256.eml", &Keyring::new());
    assert_eq!(
        r.encryption[0].recipients[0].details,
        "PBKDF2-HMAC-SHA1 with 2048 iterations, aes-256-cbc wrap"
    );
    let r = sealscope_tests::inspect_with("encrypted/ktri-des3.eml", &Keyring::new());
    assert!(r.has_finding("weak-cipher"));
}

#[test]
fn key_loading_errors_are_specific() {
    let mut k = Keyring::new();
    let e = k
        .add_private_keys(&read("pki/recip-rsa.p12"), Some("wrong"), "recip-rsa.p12")
        .unwrap_err();
    assert!(e.to_string().contains("wrong password"), "{e}");
    let e = k
        .add_private_keys(&read("pki/recip-rsa.enc.pem"), None, "recip-rsa.enc.pem")
        .unwrap_err();
    assert!(e.to_string().contains("--key-pass"), "{e}");
    let e = k
        .add_private_keys(
            &read("pki/recip-rsa.enc.pem"),
            Some("wrong"),
            "recip-rsa.enc.pem",
        )
        .unwrap_err();
    assert!(e.to_string().contains("wrong password"), "{e}");
    // The bundle's certificates join the keyring, so the key is matched by certificate.
    let n = k
        .add_private_keys(&read("pki/recip-rsa.p12"), Some(PASSWORD), "recip-rsa.p12")
        .unwrap();
    assert_eq!(n, 1);
    assert!(k.certs.iter().any(|c| c.serial_hex() == "4001"));
    let at = UnixTime::parse(AT).unwrap();
    let r = sealscope_core::inspect(
        &read("encrypted/ktri-aes256-cbc.eml"),
        &k,
        &Options::new("x", at),
    );
    assert_eq!(
        r.encryption[0].recipients[0].matched_key.as_deref(),
        Some("recip-rsa.p12 (PKCS#12)")
    );
}

/// Replaces the first occurrence of `from` with `to` (same length) in `bytes`.
fn patch(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let pos = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern present");
    let mut out = bytes.to_vec();
    out[pos..pos + to.len()].copy_from_slice(to);
    out
}

fn rsa_keyring() -> Keyring {
    let mut k = Keyring::new();
    k.add_private_keys(&read("pki/recip-rsa.key"), None, "recip-rsa.key")
        .unwrap();
    k.add_certs(&read("pki/recip-rsa.pem"), "recip-rsa.pem")
        .unwrap();
    k
}

#[test]
fn unsupported_algorithm_oids_are_named() {
    let at = UnixTime::parse(AT).unwrap();
    let der = read("encrypted/ktri-aes256-cbc.der");
    // aes256-CBC (…3.4.1.42) → …3.4.1.43, an arc nobody assigned.
    let aes256_cbc = [
        0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A,
    ];
    let mut unknown = aes256_cbc;
    unknown[10] = 0x2B;
    let r = sealscope_core::inspect(
        &patch(&der, &aes256_cbc, &unknown),
        &rsa_keyring(),
        &Options::new("x", at),
    );
    let e = &r.encryption[0];
    assert!(!e.decrypted);
    assert_eq!(
        e.reason,
        "content-encryption algorithm 2.16.840.1.101.3.4.1.43 is not supported"
    );
    assert!(r.has_finding("not-decrypted"));
    // rsaEncryption key transport (1.2.840.113549.1.1.1) → …1.1.99.
    let rsa_enc = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01,
    ];
    let mut odd = rsa_enc;
    odd[10] = 0x63;
    let r = sealscope_core::inspect(
        &patch(&der, &rsa_enc, &odd),
        &rsa_keyring(),
        &Options::new("y", at),
    );
    let rec = &r.encryption[0].recipients[0];
    assert_eq!(rec.details, "key transport algorithm not supported");
    assert_eq!(rec.key_algorithm, "1.2.840.113549.1.1.99");
    assert!(!r.encryption[0].decrypted);
}

#[test]
fn opaque_signed_message_inside_a_multipart() {
    let at = UnixTime::parse(AT).unwrap();
    let opaque = read("messages/rsa-opaque.p7m.eml");
    // Forwarded as an attachment part of a multipart/mixed mail (CRLF), the way mail
    // clients nest an opaque signed message.
    let mut part_headers = Vec::new();
    let text = String::from_utf8(opaque).unwrap();
    let (head, rest) = text.split_once("\n\n").unwrap();
    for line in head.lines() {
        if line.starts_with("Content-") || line.starts_with('\t') || line.starts_with(' ') {
            part_headers.push(line.trim_end_matches('\r').to_string());
        }
    }
    let body = rest.replace('\n', "\r\n");
    let msg = format!(
        "Subject: fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\nContent-Type: text/plain\r\n\r\nSee the attached message.\r\n--outer\r\n{}\r\n\r\n{}\r\n--outer--\r\n",
        part_headers.join("\r\n"),
        body
    );
    let r = sealscope_core::inspect(msg.as_bytes(), &trusting_root(), &Options::new("fwd", at));
    assert_eq!(r.signatures.len(), 1, "{:?}", r.error);
    assert_eq!(r.signatures[0].status, SignatureStatus::Valid);
    // The covering note is shown beside the signed attachment but no signature covers it.
    assert_eq!(r.verdict, Verdict::Warning, "{:?}", r.findings);
    let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["unsigned-content-beside-signed"]);
    let kinds: Vec<&str> = r.layers.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(kinds[0], "mime");
    assert!(kinds.contains(&"cms-signed-data"));
}
