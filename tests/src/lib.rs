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

/// One row of PROFILES.tsv: the fixture, and the keyring and options it names.
pub struct ProfileCase {
    /// The fixture's path under tests/fixtures.
    pub file: String,
    /// The expected verdict.
    pub verdict: String,
    /// The expected codes, comma-separated.
    pub codes: String,
    /// The test root, plus the key and certificates the row names.
    pub keyring: Keyring,
    /// The profile, allow-list and detached content the row names, at [`AT`].
    pub options: Options,
}

/// The rows of PROFILES.tsv (file, profile, key, verdict, codes, options).
pub fn profile_cases() -> Vec<ProfileCase> {
    let at = UnixTime::parse(AT).expect("AT parses");
    let text = String::from_utf8(read("PROFILES.tsv")).expect("PROFILES.tsv is text");
    let mut out = Vec::new();
    for row in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let c: Vec<&str> = row.split('\t').collect();
        let get = |i: usize| c.get(i).copied().unwrap_or("");
        let (file, profile, key, options) = (get(0), get(1), get(2), get(5));
        let mut keyring = trusting_root();
        if key != "-" {
            keyring
                .add_private_keys(&read(key), None, key)
                .expect("key loads");
        }
        let mut opts = Options::new(file, at);
        opts.profile = sealscope_core::profiles::Profile::from_name(profile);
        for o in options.split(';').filter(|o| !o.is_empty()) {
            let (name, value) = o.split_once('=').expect("option is name=value");
            match name {
                "cert" => {
                    keyring.add_certs(&read(value), value).expect("cert loads");
                }
                "allow-dn" => {
                    let text = String::from_utf8(read(value)).expect("allow-list is text");
                    opts.allowed_senders =
                        Some(sealscope_core::profiles::ssm::parse_allow_list(&text));
                }
                "content" => opts.detached_content = Some(read(value)),
                other => panic!("{file}: unknown option {other}"),
            }
        }
        out.push(ProfileCase {
            file: file.to_string(),
            verdict: get(3).to_string(),
            codes: get(4).to_string(),
            keyring,
            options: opts,
        });
    }
    out
}
