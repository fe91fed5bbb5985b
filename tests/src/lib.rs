//! Helpers shared by the workspace tests: fixture paths and a keyring of the test PKI.

use sealscope_core::{Keyring, Options, Report, UnixTime};
use std::path::PathBuf;

/// The fixed verification time the fixtures are judged at.
pub const AT: &str = "2027-01-01T00:00:00Z";

/// Absolute path of a file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Reads a fixture.
pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

/// A keyring trusting the test root CA.
pub fn trusting_root() -> Keyring {
    let mut k = Keyring::new();
    k.add_anchors(&read("pki/root-ca.pem"), "root-ca.pem")
        .expect("root CA loads");
    k
}

/// Inspects a fixture at [`AT`] with `keyring`.
pub fn inspect_with(rel: &str, keyring: &Keyring) -> Report {
    let at = UnixTime::parse(AT).expect("AT parses");
    sealscope_core::inspect(&read(rel), keyring, &Options::new(rel, at))
}

/// Inspects a fixture at [`AT`] trusting the test root.
pub fn inspect(rel: &str) -> Report {
    inspect_with(rel, &trusting_root())
}
