//! What the fuzz targets share: the keyring the whole-pipeline targets inspect with.

use sealscope_core::{Keyring, Options, UnixTime};
use std::sync::OnceLock;

/// The test PKI's root as trust anchor, its intermediate, both CRLs, the RSA and P-256
/// recipients' keys and the password-recipient password of the fixtures, so that mutants
/// reach chain validation, revocation and every decryption path.
pub fn keyring() -> &'static Keyring {
    static K: OnceLock<Keyring> = OnceLock::new();
    K.get_or_init(|| {
        let mut k = Keyring::new();
        let _ = k.add_anchors(
            include_bytes!("../../tests/fixtures/pki/root-ca.pem"),
            "root",
        );
        let _ = k.add_certs(
            include_bytes!("../../tests/fixtures/pki/inter-ca.pem"),
            "inter",
        );
        let _ = k.add_crls(
            include_bytes!("../../tests/fixtures/pki/inter-ca.crl.pem"),
            "inter-crl",
        );
        let _ = k.add_crls(
            include_bytes!("../../tests/fixtures/pki/root-ca.crl.pem"),
            "root-crl",
        );
        let _ = k.add_private_keys(
            include_bytes!("../../tests/fixtures/pki/recip-rsa.key"),
            None,
            "rsa",
        );
        let _ = k.add_private_keys(
            include_bytes!("../../tests/fixtures/pki/recip-p256.key"),
            None,
            "p256",
        );
        k.add_password("sealscope-pw");
        k
    })
}

/// Inspects `data` at a fixed time with [`keyring`] and writes the report as JSON, the way
/// the command line does.
pub fn inspect(data: &[u8]) {
    let opts = Options::new("fuzz", UnixTime(1_798_761_600));
    let report = sealscope_core::inspect(data, keyring(), &opts);
    let _ = report.to_json();
}
