//! The whole pipeline with a fixed keyring (test root, intermediate CRL).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealscope_core::{Keyring, Options, UnixTime};
use std::sync::OnceLock;

fn keyring() -> &'static Keyring {
    static K: OnceLock<Keyring> = OnceLock::new();
    K.get_or_init(|| {
        let mut k = Keyring::new();
        let _ = k.add_anchors(include_bytes!("../../tests/fixtures/pki/root-ca.pem"), "root");
        let _ = k.add_crls(include_bytes!("../../tests/fixtures/pki/inter-ca.crl.pem"), "crl");
        k
    })
}

fuzz_target!(|data: &[u8]| {
    let opts = Options::new("fuzz", UnixTime(1_798_761_600));
    let report = sealscope_core::inspect(data, keyring(), &opts);
    let _ = report.to_json();
});
