//! Helpers shared by the command-line tests: run the binary in the fixtures directory and
//! read its JSON Lines.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// The binary, run in the fixtures directory without colour.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sealscope"));
    c.current_dir(fixtures()).env("NO_COLOR", "1");
    c
}

/// Runs the binary to completion.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("sealscope runs")
}

/// The JSON reports among the output lines.
pub fn json_lines(bytes: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("one JSON report per line"))
        .collect()
}

/// The signer options of the test PKI's RSA signer, with its chain.
pub const SIGNER: [&str; 6] = [
    "--signer",
    "pki/signer-rsa.pem",
    "--signer-key",
    "pki/signer-rsa.key",
    "--chain",
    "pki/chain.pem",
];

/// A fresh scratch directory for one test.
pub fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sealscope-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch directory");
    d
}
