//! Private key and PKCS#12 loading (PKCS#8 plain and encrypted, PKCS#1, SEC1, legacy-encrypted
//! PEM, PFX in DER or BER), with and without a password, then every trust-material loader on
//! the same bytes, and the P-256 SEC1 point decoder of the verifier (which must agree with the
//! p256 crate's on the compressed and uncompressed forms).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::Keyring;

fuzz_target!(|data: &[u8]| {
    let mut keyring = Keyring::new();
    let _ = keyring.add_private_keys(data, None, "fuzz");
    let _ = keyring.add_private_keys(data, Some("sealscope"), "fuzz");
    let _ = keyring.add_anchors(data, "fuzz");
    let _ = keyring.add_crls(data, "fuzz");
    let ours = sealscope_core::crypto::ecdsa_p256::VerifyingKey::from_sec1(data).is_some();
    // The p256 crate also accepts the non-standard compact form (tag 5); compare the rest.
    if matches!(data.first(), Some(2..=4)) {
        let theirs = p256::ecdsa::VerifyingKey::from_sec1_bytes(data).is_ok();
        assert_eq!(
            ours, theirs,
            "SEC1 point acceptance differs from the p256 crate's"
        );
    } else {
        assert!(!ours, "only tags 2, 3 and 4 encode a key");
    }
});
