//! Verdicts where what is shown can differ from what was signed, and legacy algorithms that
//! must be verified and explained rather than refused (tests/fixtures/verdicts, made by the
//! OpenSSL CLI; CASES.tsv there records what OpenSSL says of each).

use sealscope_core::report::{ChainStatus, Report, Severity, SignatureStatus, Verdict};
use sealscope_tests::{inspect, inspect_with, read, trusting_root};

const ALICE: &str =
    "emailAddress=alice@sealscope.test,CN=Alice RSA,OU=Signers,O=Sealscope Test,C=GB";
const DORA: &str = "CN=Dora DSA,O=Sealscope Test,C=GB";
const DSA_ROOT: &str = "CN=Sealscope DSA Root,O=Sealscope Test,C=GB";
/// SHA-256 of the first body part's text, "Pay 10 EUR to Alice.\r\n".
const SHOWN_SHA256: &str = "c8304dffbf7988a028fa20d7d88bde02b9ae127a4e955df9d015089ce869fdb1";

fn codes(r: &Report) -> Vec<&str> {
    let mut v: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
    v.sort();
    v.dedup();
    v
}

fn dsa_keyring() -> sealscope_core::Keyring {
    let mut k = sealscope_core::Keyring::new();
    k.add_anchors(&read("verdicts/dsa-ca.pem"), "dsa-ca.pem")
        .expect("DSA root loads");
    k
}

/// What OpenSSL said of each case when the fixtures were made.
fn openssl_says(file: &str) -> String {
    let tsv = String::from_utf8(read("verdicts/CASES.tsv")).expect("CASES.tsv is text");
    tsv.lines()
        .filter_map(|l| l.split_once('\t'))
        .find(|(f, _)| *f == file)
        .map(|(_, r)| r.to_string())
        .unwrap_or_else(|| panic!("{file} is not in CASES.tsv"))
}

#[test]
fn signature_wrapping_is_invalid_and_says_what_the_signature_covers() {
    let r = inspect("verdicts/wrapped-econtent-differs.eml");
    assert_eq!(openssl_says("wrapped-econtent-differs.eml"), "verify-fail");
    assert_eq!(r.verdict, Verdict::Invalid);
    let s = &r.signatures[0];
    assert_eq!(s.status, SignatureStatus::Invalid);
    assert_eq!(s.reason_code.as_deref(), Some("content-digest-mismatch"));
    // The signer is still named, and the chain is still judged on its own.
    assert_eq!(s.signer.as_ref().map(|c| c.subject.as_str()), Some(ALICE));
    assert_eq!(s.chain.status, ChainStatus::Trusted);
    assert_eq!(
        codes(&r),
        ["content-digest-mismatch", "encapsulated-content-differs"]
    );
    let wrap = r
        .findings
        .iter()
        .find(|f| f.code == "encapsulated-content-differs")
        .expect("wrapping finding");
    assert_eq!(wrap.severity, Severity::Error);
    // Both contents named by size and digest: the first body part (headers and text) and
    // the encapsulated one.
    for part in [
        "(50 bytes, SHA-256 59b7e8caa67b810dbd7792c17474bae19ef9c063182d1f20941b5cd7019716c7)",
        "(55 bytes, SHA-256 45d33f958723542b790836f30c70c092f57f3150ec8f87cb7109e939adb749f4)",
    ] {
        assert!(wrap.message.contains(part), "{}", wrap.message);
    }
    assert!(
        wrap.message
            .contains("SignerInfo #1 covers the encapsulated content, not the first body part"),
        "{}",
        wrap.message
    );
    // The content reported is what a mail client shows: the first body part.
    let content = r.content.as_ref().expect("content");
    assert_eq!(content.sha256, SHOWN_SHA256);
    // Both contents are in the layer tree.
    let leaves: Vec<&str> = r
        .layers
        .iter()
        .filter(|l| l.kind.as_str() == "content")
        .map(|l| l.summary.as_str())
        .collect();
    assert_eq!(leaves, ["text/plain, 27 bytes", "text/plain, 22 bytes"]);
}

#[test]
fn encapsulated_content_identical_to_the_first_part_is_valid_with_a_note() {
    let r = inspect("verdicts/wrapped-econtent-same.eml");
    assert_eq!(openssl_says("wrapped-econtent-same.eml"), "verify-ok");
    assert_eq!(r.verdict, Verdict::Valid);
    assert_eq!(r.signatures[0].status, SignatureStatus::Valid);
    let f = &r.findings;
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].code, "encapsulated-content-differs");
    assert_eq!(f[0].severity, Severity::Info);
    assert!(f[0].message.contains("identical"), "{}", f[0].message);
}

#[test]
fn md5_signature_verifies_with_a_broken_digest_warning_and_names_the_signer() {
    let r = inspect("verdicts/rsa-md5.eml");
    assert_eq!(openssl_says("rsa-md5.eml"), "verify-ok");
    assert_eq!(r.verdict, Verdict::Warning);
    let s = &r.signatures[0];
    assert_eq!(s.status, SignatureStatus::Valid, "{}", s.reason);
    assert_eq!(s.digest_algorithm, "md5");
    assert_eq!(s.signature_algorithm, "rsa-pkcs1v15");
    let signer = s.signer.as_ref().expect("signer");
    assert_eq!(signer.subject, ALICE);
    assert_eq!(signer.serial, "1001");
    assert_eq!(s.chain.status, ChainStatus::Trusted);
    // OpenSSL's micalg label "md5" is the registered name of MD5: no mismatch.
    assert_eq!(codes(&r), ["broken-digest"]);
}

#[test]
fn sha1_label_from_openssl_is_allowed_by_the_emi_profile() {
    let at = sealscope_core::UnixTime::parse(sealscope_tests::AT).expect("time");
    let mut opts = sealscope_core::Options::new("rsa-sha1.eml", at);
    opts.profile = Some(sealscope_core::profiles::Profile::Emi);
    let r = sealscope_core::inspect(&read("verdicts/rsa-sha1.eml"), &trusting_root(), &opts);
    assert_eq!(r.signatures[0].status, SignatureStatus::Valid);
    let emi = r.profiles.first().expect("EMI profile evaluated");
    let emi_codes: Vec<&str> = emi.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(
        !emi_codes.contains(&"micalg-not-allowed") && !emi_codes.contains(&"micalg-mismatch"),
        "{emi_codes:?}"
    );
}

#[test]
fn dsa_signatures_verify_and_chain_to_a_dsa_root() {
    for (file, digest) in [
        ("dsa-sha256.eml", "sha256"),
        ("dsa-sha1-opaque.eml", "sha1"),
    ] {
        assert_eq!(openssl_says(file), "verify-ok");
        let r = inspect_with(&format!("verdicts/{file}"), &dsa_keyring());
        let s = &r.signatures[0];
        assert_eq!(s.status, SignatureStatus::Valid, "{file}: {}", s.reason);
        assert_eq!(s.digest_algorithm, digest);
        assert_eq!(s.signature_algorithm, "dsa");
        let signer = s.signer.as_ref().expect("signer");
        assert_eq!(signer.subject, DORA);
        assert_eq!(signer.serial, "4402");
        assert_eq!(signer.key, "dsa-2048");
        assert_eq!(s.chain.status, ChainStatus::Trusted, "{}", s.chain.reason);
        assert_eq!(s.chain.anchor.as_deref(), Some(DSA_ROOT));
        let expected = if digest == "sha1" {
            Verdict::Warning
        } else {
            Verdict::Valid
        };
        assert_eq!(r.verdict, expected, "{file}: {:?}", r.findings);
    }
}

#[test]
fn a_changed_dsa_message_is_invalid() {
    let mut bytes = read("verdicts/dsa-sha256.eml");
    let at = bytes
        .windows(7)
        .position(|w| w == b"Pay 10 ")
        .expect("text present");
    bytes[at + 4] = b'9';
    let when = sealscope_core::UnixTime::parse(sealscope_tests::AT).expect("time");
    let r = sealscope_core::inspect(
        &bytes,
        &dsa_keyring(),
        &sealscope_core::Options::new("changed", when),
    );
    assert_eq!(r.verdict, Verdict::Invalid);
    assert_eq!(
        r.signatures[0].reason_code.as_deref(),
        Some("content-digest-mismatch")
    );
}

#[test]
fn rc2_and_triple_des_content_decrypts_with_a_weak_cipher_finding() {
    let mut k = sealscope_core::Keyring::new();
    k.add_private_keys(&read("pki/recip-rsa.key"), None, "recip-rsa.key")
        .expect("recipient key loads");
    for (cipher, name, severity) in [
        ("rc2-40-cbc", "rc2-40-cbc", Severity::Warning),
        ("rc2-64-cbc", "rc2-64-cbc", Severity::Warning),
        ("rc2-cbc", "rc2-128-cbc", Severity::Warning),
        ("des-ede3-cbc", "des-ede3-cbc", Severity::Info),
    ] {
        let file = format!("enveloped-{cipher}.eml");
        assert_eq!(openssl_says(&file), "decrypt-ok");
        let r = inspect_with(&format!("verdicts/{file}"), &k);
        let e = &r.encryption[0];
        assert!(e.decrypted, "{file}: {}", e.reason);
        assert_eq!(e.content_algorithm, name);
        assert_eq!(
            r.content.as_ref().map(|c| c.sha256.as_str()),
            Some(SHOWN_SHA256)
        );
        let weak = r
            .findings
            .iter()
            .find(|f| f.code == "weak-cipher")
            .expect("weak-cipher finding");
        assert_eq!(weak.severity, severity, "{file}");
    }
}

#[test]
fn an_unsigned_part_beside_a_signed_one_is_a_warning() {
    let r = inspect("verdicts/signed-with-unsigned-footer.eml");
    assert_eq!(r.signatures[0].status, SignatureStatus::Valid);
    assert_eq!(r.signatures[0].chain.status, ChainStatus::Trusted);
    assert_eq!(r.verdict, Verdict::Warning);
    assert_eq!(codes(&r), ["unsigned-content-beside-signed"]);
    // The report's content is the signed part, not the footer.
    assert_eq!(
        r.content.as_ref().map(|c| c.sha256.as_str()),
        Some(SHOWN_SHA256)
    );
}

#[test]
fn digested_data_digest_is_checked() {
    assert_eq!(openssl_says("digested.der"), "verify-ok");
    let r = inspect("verdicts/digested.der");
    assert_eq!(r.layers[0].kind.as_str(), "cms-digested-data");
    assert_eq!(codes(&r), ["digest-verified", "not-signed"]);
    assert_eq!(r.verdict, Verdict::Warning);
    assert_eq!(
        r.content.as_ref().map(|c| c.sha256.as_str()),
        Some(SHOWN_SHA256)
    );

    assert_eq!(openssl_says("digested-changed.der"), "verify-fail");
    let r = inspect("verdicts/digested-changed.der");
    assert_eq!(r.verdict, Verdict::Invalid);
    assert_eq!(codes(&r), ["content-digest-mismatch", "not-signed"]);
}

#[test]
fn encrypted_data_opens_with_the_content_key_given() {
    for (file, key, alg) in [
        (
            "encrypted-data-aes256.der",
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "aes-256-cbc",
        ),
        (
            "encrypted-data-des3.der",
            "737c791f25ead0e04629254352f7dc6291e5cb26917ada32",
            "des-ede3-cbc",
        ),
    ] {
        assert_eq!(openssl_says(file), "decrypt-ok");
        // Without the key: recognised, not decrypted, and told how to give it.
        let r = inspect(&format!("verdicts/{file}"));
        assert_eq!(r.layers[0].kind.as_str(), "cms-encrypted-data");
        assert!(!r.encryption[0].decrypted);
        assert!(r.encryption[0].reason.contains("--content-key"));
        // With a wrong key, then with the right one.
        let mut k = sealscope_core::Keyring::new();
        k.add_content_key(&[0x55; 32]);
        let r = inspect_with(&format!("verdicts/{file}"), &k);
        assert!(!r.encryption[0].decrypted, "{file}");
        k.add_content_key(&hex::decode(key).expect("hex"));
        let r = inspect_with(&format!("verdicts/{file}"), &k);
        let e = &r.encryption[0];
        assert!(e.decrypted, "{file}: {}", e.reason);
        assert_eq!(e.kind, "encrypted-data");
        assert_eq!(e.content_algorithm, alg);
        assert!(e.reason.contains("content key #2"), "{}", e.reason);
        assert_eq!(
            r.content.as_ref().map(|c| c.sha256.as_str()),
            Some(SHOWN_SHA256)
        );
    }
}

#[test]
fn countersignatures_are_verified_over_the_signature_they_sign() {
    // BouncyCastle made both; OpenSSL verifies only the signer, so both pass for it.
    assert_eq!(openssl_says("countersigned.der"), "verify-ok");
    let r = inspect("verdicts/countersigned.der");
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.findings);
    assert_eq!(r.signatures.len(), 2);
    let c = &r.signatures[1];
    assert_eq!(c.countersigns, Some(1));
    assert_eq!(c.status, SignatureStatus::Valid, "{}", c.reason);
    assert_eq!(
        c.signer.as_ref().map(|s| s.subject.as_str()),
        Some("CN=Bob Second,OU=Signers,O=Sealscope Test,C=GB")
    );
    assert_eq!(c.signature_algorithm, "ecdsa-p256");
    assert_eq!(c.chain.status, ChainStatus::Trusted);

    assert_eq!(openssl_says("countersigned-misplaced.der"), "verify-ok");
    let r = inspect("verdicts/countersigned-misplaced.der");
    assert_eq!(r.verdict, Verdict::Invalid);
    assert_eq!(r.signatures[0].status, SignatureStatus::Valid);
    assert_eq!(r.signatures[1].status, SignatureStatus::Invalid);
    assert_eq!(
        r.signatures[1].reason_code.as_deref(),
        Some("content-digest-mismatch")
    );
    assert!(r.signatures[1]
        .reason
        .contains("countersignature #1 on SignerInfo #1"));
}
