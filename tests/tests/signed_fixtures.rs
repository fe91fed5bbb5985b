//! Every OpenSSL-made fixture, inspected with the test root as trust anchor at 2027-01-01:
//! exact signer DNs, serials, algorithms, statuses and finding codes.

use sealscope_core::report::{ChainStatus, Report, SignatureStatus, Verdict};
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{inspect, inspect_with, read, trusting_root, AT};

const ALICE: &str =
    "emailAddress=alice@sealscope.test,CN=Alice RSA,OU=Signers,O=Sealscope Test,C=GB";
const ALICE_ONELINE: &str =
    "/C=GB/O=Sealscope Test/OU=Signers/CN=Alice RSA/emailAddress=alice@sealscope.test";
const INTER: &str = "CN=Sealscope Test Intermediate CA,O=Sealscope Test,C=GB";
const ROOT: &str = "CN=Sealscope Test Root CA,O=Sealscope Test,C=GB";

fn codes(r: &Report) -> Vec<&str> {
    let mut v: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
    v.sort();
    v.dedup();
    v
}

/// One valid signature by `subject`/`serial` with these algorithms, chained to the root.
fn assert_valid(r: &Report, subject: &str, serial: &str, digest: &str, sig: &str) {
    assert_eq!(
        r.signatures.len(),
        1,
        "{}: {:#?}",
        r.input.name,
        r.signatures
    );
    let s = &r.signatures[0];
    assert_eq!(
        s.status,
        SignatureStatus::Valid,
        "{}: {}",
        r.input.name,
        s.reason
    );
    assert_eq!(s.reason_code, None);
    let signer = s.signer.as_ref().expect("signer certificate found");
    assert_eq!(signer.subject, subject);
    assert_eq!(signer.issuer, INTER);
    assert_eq!(signer.serial, serial);
    assert_eq!(s.digest_algorithm, digest, "{}", r.input.name);
    assert_eq!(s.signature_algorithm, sig, "{}", r.input.name);
    assert_eq!(
        s.chain.status,
        ChainStatus::Trusted,
        "{}: {}",
        r.input.name,
        s.chain.reason
    );
    assert_eq!(s.chain.anchor.as_deref(), Some(ROOT));
    let chain: Vec<(&str, &str)> = s
        .chain
        .certificates
        .iter()
        .map(|c| (c.serial.as_str(), c.status.as_str()))
        .collect();
    assert_eq!(
        chain,
        [(serial, "valid"), ("02", "valid"), ("01", "anchor")]
    );
}

#[test]
fn rsa_digests() {
    for (file, digest) in [
        ("messages/rsa-sha256.eml", "sha256"),
        ("messages/rsa-sha384.eml", "sha384"),
        ("messages/rsa-sha512.eml", "sha512"),
    ] {
        let r = inspect(file);
        assert_eq!(r.verdict, Verdict::Valid, "{file}: {:?}", r.findings);
        assert_valid(&r, ALICE, "1001", digest, "rsa-pkcs1v15");
        assert!(r.findings.is_empty(), "{file}: {:?}", r.findings);
    }
}

#[test]
fn sha1_verifies_with_a_weak_digest_warning() {
    let r = inspect("messages/rsa-sha1.eml");
    assert_valid(&r, ALICE, "1001", "sha1", "rsa-pkcs1v15");
    assert_eq!(r.verdict, Verdict::Warning);
    // OpenSSL writes micalg=sha1, not the registered sha-1.
    assert_eq!(codes(&r), ["micalg-legacy-name", "weak-digest"]);
}

#[test]
fn sha224_with_openssl_unknown_micalg() {
    let r = inspect("messages/rsa-sha224.eml");
    assert_valid(&r, ALICE, "1001", "sha224", "rsa-pkcs1v15");
    assert_eq!(codes(&r), ["micalg-mismatch"]);
    assert_eq!(r.verdict, Verdict::Warning);
}

#[test]
fn rsa_pss_and_ecdsa() {
    let rita = "CN=Rita RSA3072,OU=Signers,O=Sealscope Test,C=GB";
    let eve = "CN=Eve P-256,OU=Signers,O=Sealscope Test,C=GB";
    let pat = "CN=Pat P-384,OU=Signers,O=Sealscope Test,C=GB";
    for (file, subject, serial, digest, sig) in [
        (
            "messages/rsa-pss-sha256.eml",
            rita,
            "1002",
            "sha256",
            "rsa-pss",
        ),
        (
            "messages/rsa-pss-sha512.eml",
            rita,
            "1002",
            "sha512",
            "rsa-pss",
        ),
        (
            "messages/p256-sha256.eml",
            eve,
            "1003",
            "sha256",
            "ecdsa-p256",
        ),
        (
            "messages/p256-sha512.eml",
            eve,
            "1003",
            "sha512",
            "ecdsa-p256",
        ),
        (
            "messages/p384-sha384.eml",
            pat,
            "1004",
            "sha384",
            "ecdsa-p384",
        ),
        (
            "messages/p256-opaque.p7m.eml",
            eve,
            "1003",
            "sha256",
            "ecdsa-p256",
        ),
    ] {
        let r = inspect(file);
        assert_valid(&r, subject, serial, digest, sig);
        assert_eq!(r.verdict, Verdict::Valid, "{file}: {:?}", r.findings);
    }
    let key = |f: &str| inspect(f).signatures[0].signer.clone().unwrap().key;
    assert_eq!(key("messages/rsa-pss-sha256.eml"), "rsa-3072");
    assert_eq!(key("messages/p256-sha256.eml"), "ec-p256");
    assert_eq!(key("messages/p384-sha384.eml"), "ec-p384");
}

#[test]
fn signer_details_in_both_dn_forms() {
    let r = inspect("messages/rsa-sha256.eml");
    let s = r.signatures[0].signer.as_ref().unwrap();
    assert_eq!(s.subject_oneline, ALICE_ONELINE);
    assert_eq!(
        s.issuer_oneline,
        "/C=GB/O=Sealscope Test/CN=Sealscope Test Intermediate CA"
    );
    assert_eq!(s.not_before, "2025-01-01T00:00:00Z");
    assert_eq!(s.not_after, "2035-01-01T00:00:00Z");
    assert_eq!(s.key, "rsa-2048");
    assert_eq!(
        s.key_usage.as_deref().unwrap(),
        ["digitalSignature", "nonRepudiation"]
    );
    assert_eq!(
        s.extended_key_usage.as_deref().unwrap(),
        ["emailProtection", "clientAuth"]
    );
    let t = r.signatures[0]
        .signing_time
        .as_deref()
        .expect("signingTime");
    assert!(UnixTime::parse(t).is_ok(), "{t}");
    assert_eq!(r.signatures[0].signer_id, "issuer-and-serial");
}

#[test]
fn every_encapsulation_of_the_same_opaque_message() {
    for file in [
        "messages/rsa-opaque.p7m.eml",
        "messages/rsa-opaque.der",
        "messages/rsa-opaque.cms.pem",
        "messages/rsa-opaque.pkcs7.pem",
        "messages/rsa-opaque.b64",
        "messages/rsa-legacy-opaque.eml",
        "messages/rsa-stream-opaque.eml",
        "messages/rsa-stream-opaque.der",
    ] {
        let r = inspect(file);
        assert_valid(&r, ALICE, "1001", "sha256", "rsa-pkcs1v15");
        assert_eq!(r.verdict, Verdict::Valid, "{file}: {:?}", r.findings);
        let content = r.content.as_ref().expect("content");
        assert!(content.media_type.starts_with("text/plain"), "{file}");
        assert!(
            content.text.as_deref().unwrap_or("").contains("Sealscope"),
            "{file}: {content:?}"
        );
    }
}

#[test]
fn ber_stream_output_is_normalised_and_reported() {
    let r = inspect("messages/rsa-stream-opaque.der");
    let sd = r
        .layers
        .iter()
        .find(|l| l.kind.as_str() == "cms-signed-data")
        .unwrap();
    assert!(sd.summary.ends_with(", BER"), "{}", sd.summary);
    assert!(sd
        .headers
        .contains(&("encoding".into(), "BER (normalised to DER)".into())));
    let content = r.content.unwrap();
    assert!(
        content.size > 4096,
        "chunked content joined: {}",
        content.size
    );
}

#[test]
fn pem_and_base64_layers_are_shown() {
    let r = inspect("messages/rsa-opaque.cms.pem");
    assert_eq!(r.layers[0].kind.as_str(), "pem");
    assert_eq!(
        *r.layers[0].headers,
        [("label".to_string(), "CMS".to_string())]
    );
    let r = inspect("messages/rsa-opaque.pkcs7.pem");
    assert_eq!(r.layers[0].headers[0].1, "PKCS7");
    let r = inspect("messages/rsa-opaque.b64");
    assert_eq!(r.layers[0].kind.as_str(), "base64");
}

#[test]
fn detached_p7s_needs_and_uses_content() {
    let r = inspect("messages/rsa-detached.p7s");
    assert_eq!(r.signatures[0].status, SignatureStatus::Unverifiable);
    assert_eq!(
        r.signatures[0].reason_code.as_deref(),
        Some("detached-content-missing")
    );
    assert_eq!(r.verdict, Verdict::Warning);

    let at = UnixTime::parse(AT).unwrap();
    let mut opts = Options::new("rsa-detached.p7s", at);
    opts.detached_content = Some(read("content/content.txt"));
    let r = sealscope_core::inspect(&read("messages/rsa-detached.p7s"), &trusting_root(), &opts);
    assert_valid(&r, ALICE, "1001", "sha256", "rsa-pkcs1v15");
    assert_eq!(r.verdict, Verdict::Valid);

    opts.detached_content = Some(read("content/content-lf.txt"));
    let r = sealscope_core::inspect(&read("messages/rsa-detached.p7s"), &trusting_root(), &opts);
    assert_eq!(
        r.signatures[0].reason_code.as_deref(),
        Some("content-digest-mismatch")
    );
    assert_eq!(r.verdict, Verdict::Invalid);
}

#[test]
fn legacy_x_pkcs7_names() {
    let r = inspect("messages/rsa-legacy-smime.eml");
    assert_valid(&r, ALICE, "1001", "sha256", "rsa-pkcs1v15");
    assert!(r.layers[0]
        .summary
        .contains("application/x-pkcs7-signature"));
}

#[test]
fn signer_certificate_left_out() {
    let r = inspect("messages/rsa-nocerts.eml");
    let s = &r.signatures[0];
    assert_eq!(s.status, SignatureStatus::Unverifiable);
    assert_eq!(s.reason_code.as_deref(), Some("signer-cert-not-found"));
    assert!(
        s.reason.contains(&format!("issuer {INTER} serial 1001")),
        "{}",
        s.reason
    );
    assert_eq!(r.verdict, Verdict::Warning);

    let mut k = trusting_root();
    k.add_certs(&read("pki/signer-rsa.pem"), "signer-rsa.pem")
        .unwrap();
    let r = inspect_with("messages/rsa-nocerts.eml", &k);
    assert_valid(&r, ALICE, "1001", "sha256", "rsa-pkcs1v15");
    assert!(r.signatures[0]
        .reason
        .contains("the keyring's certificate serial 1001"));
}

#[test]
fn no_attributes_and_key_identifier_forms() {
    let r = inspect("messages/rsa-noattr.eml");
    assert_valid(&r, ALICE, "1001", "sha256", "rsa-pkcs1v15");
    assert_eq!(r.signatures[0].signing_time, None);
    let r = inspect("messages/rsa-keyid.eml");
    assert_valid(&r, ALICE, "1001", "sha256", "rsa-pkcs1v15");
    assert_eq!(r.signatures[0].signer_id, "subject-key-identifier");
}

#[test]
fn two_signers_each_reported() {
    let r = inspect("messages/multi-signer.eml");
    assert_eq!(r.signatures.len(), 2);
    let subjects: Vec<String> = r
        .signatures
        .iter()
        .map(|s| s.signer.as_ref().unwrap().subject.clone())
        .collect();
    assert!(subjects.contains(&ALICE.to_string()));
    assert!(subjects.contains(&"CN=Bob Second,OU=Signers,O=Sealscope Test,C=GB".to_string()));
    assert!(r
        .signatures
        .iter()
        .all(|s| s.status == SignatureStatus::Valid));
    assert_eq!(
        r.signatures
            .iter()
            .map(|s| s.signer_info)
            .collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(r.verdict, Verdict::Valid);
}

#[test]
fn binary_mode_signature_is_valid_with_a_warning() {
    let r = inspect("messages/rsa-binary.eml");
    assert_valid(&r, ALICE, "1001", "sha256", "rsa-pkcs1v15");
    assert!(r.signatures[0].non_canonical);
    assert_eq!(codes(&r), ["non-canonical-signed-content"]);
    assert_eq!(r.verdict, Verdict::Warning);
}

#[test]
fn line_ending_damage_is_undone_by_canonicalisation() {
    for file in [
        "messages/rsa-lf-only.eml",
        "messages/rsa-crlf.eml",
        "messages/mixed-crlf-headers-lf-body.eml",
        "messages/mixed-lf-headers-crlf-body.eml",
    ] {
        let r = inspect(file);
        assert_valid(&r, ALICE, "1001", "sha256", "rsa-pkcs1v15");
        assert!(!r.signatures[0].non_canonical, "{file}");
        assert_eq!(r.verdict, Verdict::Valid, "{file}: {:?}", r.findings);
    }
}

#[test]
fn nested_entities() {
    let r = inspect("messages/rsa-entity.eml");
    assert_valid(&r, ALICE, "1001", "sha256", "rsa-pkcs1v15");
    let kinds: Vec<&str> = r.layers.iter().map(|l| l.summary.as_str()).collect();
    assert!(
        kinds.iter().any(|k| k.starts_with("multipart/mixed")),
        "{kinds:?}"
    );

    let r = inspect("messages/nested-forward.eml");
    assert_valid(&r, ALICE, "1001", "sha256", "rsa-pkcs1v15");
    assert!(r.layers[0].summary.starts_with("multipart/mixed"));
    assert!(r
        .layers
        .iter()
        .any(|l| l.summary.starts_with("message/rfc822")));
    let tree = r.tree.unwrap();
    assert_eq!(
        tree.children.len(),
        2,
        "text part and the forwarded message"
    );
}

#[test]
fn chain_failures_name_the_most_specific_reason() {
    for (file, status, code, serial) in [
        (
            "messages/rsa-expired.eml",
            ChainStatus::Expired,
            "cert-expired",
            "1005",
        ),
        (
            "messages/rsa-future.eml",
            ChainStatus::NotYetValid,
            "cert-not-yet-valid",
            "1006",
        ),
        (
            "messages/rsa-untrusted.eml",
            ChainStatus::Incomplete,
            "chain-incomplete",
            "7001",
        ),
        (
            "messages/rsa-untrusted-root.eml",
            ChainStatus::UntrustedRoot,
            "chain-untrusted",
            "7001",
        ),
    ] {
        let r = inspect(file);
        let s = &r.signatures[0];
        assert_eq!(
            s.status,
            SignatureStatus::Valid,
            "{file}: the signature itself is intact"
        );
        assert_eq!(s.signer.as_ref().unwrap().serial, serial);
        assert_eq!(s.chain.status, status, "{file}: {}", s.chain.reason);
        assert!(codes(&r).contains(&code), "{file}: {:?}", codes(&r));
        assert!(codes(&r).contains(&"chain-untrusted"), "{file}");
        assert_eq!(r.verdict, Verdict::Invalid, "{file}");
    }
    let r = inspect("messages/rsa-expired.eml");
    assert!(
        r.signatures[0]
            .chain
            .reason
            .contains("expired on 2021-01-01T00:00:00Z"),
        "{}",
        r.signatures[0].chain.reason
    );
    assert_eq!(
        r.signatures[0].chain.certificates[0].status.as_str(),
        "expired"
    );
    let r = inspect("messages/rsa-untrusted-root.eml");
    assert!(r.signatures[0]
        .chain
        .reason
        .contains("CN=Rogue Root CA,O=Elsewhere,C=XX"));
}

#[test]
fn revocation_needs_the_crl() {
    let r = inspect("messages/rsa-revoked.eml");
    assert_eq!(
        r.signatures[0].chain.status,
        ChainStatus::Trusted,
        "no CRL given"
    );
    let mut k = trusting_root();
    k.add_crls(&read("pki/inter-ca.crl.pem"), "inter-ca.crl.pem")
        .unwrap();
    let r = inspect_with("messages/rsa-revoked.eml", &k);
    let s = &r.signatures[0];
    assert_eq!(s.chain.status, ChainStatus::Revoked, "{}", s.chain.reason);
    assert!(
        s.chain.reason.contains("revoked on 2025-06-01"),
        "{}",
        s.chain.reason
    );
    assert!(codes(&r).contains(&"cert-revoked"));
    assert_eq!(r.verdict, Verdict::Invalid);
    // The CRL does not touch the other signers.
    let r = inspect_with("messages/rsa-sha256.eml", &k);
    assert_eq!(r.verdict, Verdict::Valid);
}

#[test]
fn without_anchors_intact_signatures_are_warnings() {
    let r = inspect_with("messages/rsa-sha256.eml", &Keyring::new());
    assert_eq!(r.signatures[0].status, SignatureStatus::Valid);
    assert_eq!(r.signatures[0].chain.status, ChainStatus::NotChecked);
    assert_eq!(codes(&r), ["chain-untrusted"]);
    assert_eq!(r.verdict, Verdict::Warning);
    // An expired signer is still named, as a warning.
    let r = inspect_with("messages/rsa-expired.eml", &Keyring::new());
    assert_eq!(r.signatures[0].chain.status, ChainStatus::Expired);
    assert_eq!(codes(&r), ["cert-expired", "chain-untrusted"]);
    assert_eq!(r.verdict, Verdict::Warning);
}

#[test]
fn tampering_is_caught_with_the_exact_code() {
    for (file, code) in [
        ("messages/tampered-content.eml", "content-digest-mismatch"),
        ("messages/tampered-header.eml", "content-digest-mismatch"),
        ("messages/tampered-sig.eml", "signature-value-invalid"),
        ("messages/p256-tampered-sig.eml", "signature-value-invalid"),
    ] {
        let r = inspect(file);
        let s = &r.signatures[0];
        assert_eq!(s.status, SignatureStatus::Invalid, "{file}");
        assert_eq!(s.reason_code.as_deref(), Some(code), "{file}: {}", s.reason);
        assert!(codes(&r).contains(&code));
        assert_eq!(r.verdict, Verdict::Invalid);
    }
    let r = inspect("messages/tampered-sig.eml");
    assert!(
        r.signatures[0]
            .reason
            .contains("does not verify with the RSA key of the included certificate serial 1001"),
        "{}",
        r.signatures[0].reason
    );
    let r = inspect("messages/tampered-micalg.eml");
    assert_eq!(r.signatures[0].status, SignatureStatus::Valid);
    assert_eq!(codes(&r), ["micalg-mismatch"]);
    assert_eq!(r.verdict, Verdict::Warning);
}

#[test]
fn unreadable_inputs_say_why() {
    for (file, words) in [
        ("unreadable/empty.eml", "empty"),
        ("unreadable/truncated.der", "byte 0"),
        ("unreadable/garbled.p7m", "not a MIME message"),
        ("unreadable/not-cms.pem", "CERTIFICATE"),
    ] {
        let r = inspect(file);
        assert_eq!(r.verdict, Verdict::Unreadable, "{file}");
        let e = r.error.as_deref().unwrap();
        assert!(e.contains(words), "{file}: {e}");
        assert!(!e.contains('\n'), "one line: {e}");
    }
    let r = inspect("unreadable/wrong-type.eml");
    assert_eq!(r.verdict, Verdict::Warning);
    assert_eq!(codes(&r), ["not-signed"]);
}

#[test]
fn layer_ranges_point_at_the_bytes() {
    let bytes = read("messages/rsa-sha256.eml");
    let r = inspect("messages/rsa-sha256.eml");
    assert_eq!(r.layers[0].range, [0, bytes.len()]);
    let signed = r
        .layers
        .iter()
        .find(|l| l.parent == Some(0) && l.summary.starts_with("text/plain"))
        .unwrap();
    let part = &bytes[signed.range[0]..signed.range[1]];
    assert!(part.starts_with(b"Content-Type: text/plain\r\n"));
    assert!(part.ends_with(b"done.\r\n") || !part.ends_with(b"\r\n--"));
    assert_eq!(r.input.size, bytes.len());
    assert_eq!(r.schema, "sealscope.report/1");
}

#[test]
fn independent_peers_python_cryptography_and_bouncycastle() {
    let rita = "CN=Rita RSA3072,OU=Signers,O=Sealscope Test,C=GB";
    let eve = "CN=Eve P-256,OU=Signers,O=Sealscope Test,C=GB";
    let pat = "CN=Pat P-384,OU=Signers,O=Sealscope Test,C=GB";
    for (file, subject, serial, digest, sig) in [
        (
            "messages/pyca-rsa-smime.eml",
            ALICE,
            "1001",
            "sha256",
            "rsa-pkcs1v15",
        ),
        (
            "messages/pyca-p256-smime.eml",
            eve,
            "1003",
            "sha256",
            "ecdsa-p256",
        ),
        (
            "messages/pyca-rsa-pss.eml",
            rita,
            "1002",
            "sha256",
            "rsa-pss",
        ),
        (
            "messages/pyca-rsa-opaque.der",
            ALICE,
            "1001",
            "sha512",
            "rsa-pkcs1v15",
        ),
        (
            "messages/pyca-rsa-noattr.der",
            ALICE,
            "1001",
            "sha256",
            "rsa-pkcs1v15",
        ),
        (
            "messages/bc-rsa-stream.der",
            ALICE,
            "1001",
            "sha256",
            "rsa-pkcs1v15",
        ),
        ("messages/bc-rsa-pss.der", rita, "1002", "sha256", "rsa-pss"),
        ("messages/bc-smime.eml", pat, "1004", "sha384", "ecdsa-p384"),
    ] {
        let r = inspect(file);
        assert_valid(&r, subject, serial, digest, sig);
        assert_eq!(r.verdict, Verdict::Valid, "{file}: {:?}", r.findings);
    }
    // BouncyCastle streams BER even for these, and keeps certificates unsorted.
    let r = inspect("messages/bc-rsa-stream.der");
    assert!(
        r.layers[0].summary.ends_with(", BER"),
        "{}",
        r.layers[0].summary
    );
    assert_eq!(
        r.content.as_ref().unwrap().size,
        read("content/content-large.txt").len()
    );
    // A detached BouncyCastle signature over content given separately.
    let at = UnixTime::parse(AT).unwrap();
    let mut opts = Options::new("bc-p256-detached.p7s", at);
    opts.detached_content = Some(read("content/content.txt"));
    let r = sealscope_core::inspect(
        &read("messages/bc-p256-detached.p7s"),
        &trusting_root(),
        &opts,
    );
    assert_valid(&r, eve, "1003", "sha256", "ecdsa-p256");
}

#[test]
fn ca_constraints_are_enforced() {
    let r = inspect("messages/rsa-leaf-issued.eml");
    let chain = &r.signatures[0].chain;
    assert_eq!(chain.status, ChainStatus::UntrustedRoot);
    assert!(
        chain
            .reason
            .contains("serial 1001) may not issue certificates: basicConstraints cA is not set"),
        "{}",
        chain.reason
    );
    let statuses: Vec<&str> = chain
        .certificates
        .iter()
        .map(|c| c.status.as_str())
        .collect();
    assert_eq!(
        statuses,
        ["valid", "not-a-ca", "path-length-exceeded", "anchor"]
    );
    assert!(codes(&r).contains(&"ca-constraint-violated"));
    assert_eq!(r.verdict, Verdict::Invalid);

    let r = inspect("messages/rsa-pathlen.eml");
    let chain = &r.signatures[0].chain;
    assert!(
        chain.reason.contains("pathLenConstraint 0"),
        "{}",
        chain.reason
    );
    let statuses: Vec<&str> = chain
        .certificates
        .iter()
        .map(|c| c.status.as_str())
        .collect();
    assert_eq!(
        statuses,
        ["valid", "valid", "path-length-exceeded", "anchor"]
    );
    assert_eq!(r.verdict, Verdict::Invalid);
}
