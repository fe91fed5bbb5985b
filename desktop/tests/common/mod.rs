//! Helpers shared by the command-line tests: run the binary in the fixtures directory and
//! read its JSON Lines.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

/// `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// The password of the fixtures' encrypted keys and bundles, as the binary's environment
/// holds it: options name it `env:SEALSCOPE_TEST_PASS` (a secret never goes on a command
/// line); `env:SEALSCOPE_TEST_WRONG_PASS` is a wrong one.
pub const PASS: &str = "env:SEALSCOPE_TEST_PASS";

/// A wrong password, as [`PASS`] names the right one.
pub const WRONG_PASS: &str = "env:SEALSCOPE_TEST_WRONG_PASS";

/// The binary, run in the fixtures directory without colour, with the test passwords in its
/// environment.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sealscope"));
    c.current_dir(fixtures())
        .env("NO_COLOR", "1")
        .env("SEALSCOPE_TEST_PASS", "sealscope")
        .env("SEALSCOPE_TEST_WRONG_PASS", "wrong");
    c
}

/// Runs the binary to completion.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("sealscope runs")
}

/// Runs the binary and requires exit status 0 (the failure shows its stderr).
pub fn run_ok(args: &[&str]) -> Output {
    let o = run(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "sealscope {}: {}",
        args.first().unwrap_or(&""),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits (at most 20 s) until `child` listens on `port`; fails if it exits first.
pub fn wait_for_port(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("nothing listens on {port} after 20 s");
}

/// Waits for a child with a bound; kills it and fails past the bound.
pub fn finish(mut child: Child, secs: u64) -> Output {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return child.wait_with_output().expect("output");
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "still running after {secs} s: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
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

/// The SHA-256 counter stream of tests/fixtures/large-detached/content.py, `len` bytes:
/// block k is the SHA-256 of k as 8 big-endian bytes.
pub fn counter_content(len: usize) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut out = Vec::with_capacity(len);
    let mut k: u64 = 0;
    while out.len() < len {
        let block = Sha256::digest(k.to_be_bytes());
        let take = (len - out.len()).min(32);
        out.extend_from_slice(&block[..take]);
        k += 1;
    }
    out
}
