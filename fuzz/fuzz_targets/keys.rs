//! Private key and PKCS#12 loading (PKCS#8 plain and encrypted, PKCS#1, SEC1, PFX), with and
//! without a password, then every trust-material loader on the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::Keyring;

fuzz_target!(|data: &[u8]| {
    let mut keyring = Keyring::new();
    let _ = keyring.add_private_keys(data, None, "fuzz");
    let _ = keyring.add_private_keys(data, Some("sealscope"), "fuzz");
    let _ = keyring.add_anchors(data, "fuzz");
    let _ = keyring.add_crls(data, "fuzz");
});
