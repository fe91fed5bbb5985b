//! `inspect big.der` of opaque signatures made by `openssl cms -sign -nodetach -binary
//! -outform DER` over 20 MiB (tests/fixtures/large-opaque/, put back together around the
//! content of large-detached/content.py): the content is hashed as it is read and not kept
//! when the report can do without it, and read whole when it cannot. Either way the report
//! must be the one the whole file gives, which is what the same bytes give on standard
//! input (never elided).

mod common;

use common::{bin, json_lines, tmp};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

const LEN: usize = 20 * 1024 * 1024;
const AT: &str = "2027-01-01T00:00:00Z";

/// The SHA-256 counter stream of content.py.
fn content() -> Vec<u8> {
    common::counter_content(LEN)
}

fn opaque(name: &str, content: &[u8]) -> Vec<u8> {
    let dir = common::fixtures().join("large-opaque");
    let mut der = std::fs::read(dir.join(format!("{name}.head"))).expect("head");
    der.extend_from_slice(content);
    der.extend_from_slice(&std::fs::read(dir.join(format!("{name}.tail"))).expect("tail"));
    der
}

/// The report of `path`, and the report of the same bytes given on standard input.
fn both(path: &Path, bytes: &[u8]) -> (Option<i32>, Value, Value) {
    let args = [
        "inspect",
        "--json",
        "--at",
        AT,
        "--trust",
        "pki/root-ca.pem",
    ];
    let o = bin().args(args).arg(path).output().expect("sealscope runs");
    let mut file = json_lines(&o.stdout);
    assert_eq!(file.len(), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let mut child = bin()
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sealscope runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bytes)
        .expect("written");
    let s = child.wait_with_output().expect("sealscope ends");
    let mut stdin = json_lines(&s.stdout);
    assert_eq!(stdin.len(), 1);
    (o.status.code(), file.remove(0), stdin.remove(0))
}

/// A report with the input's name taken out (the file's path against "-").
fn unnamed(mut r: Value) -> Value {
    r["input"]["name"] = Value::Null;
    r
}

#[test]
fn openssl_opaque_signatures_over_20_mib_give_the_whole_file_report() {
    let dir = tmp("large-opaque");
    let mut bytes = content();
    for (name, digest) in [
        ("rsa-sha256", "sha256"),
        ("p256-sha256", "sha256"),
        ("rsa-sha512", "sha512"),
        ("rsa-sha256-noattr", "sha256"),
    ] {
        let der = opaque(name, &bytes);
        let path = dir.join(format!("{name}.der"));
        std::fs::write(&path, &der).expect("written");
        let (code, r, whole) = both(&path, &der);
        assert_eq!(code, Some(0), "{name}: {r}");
        assert_eq!(r["verdict"], "valid", "{name}");
        assert_eq!(r["signatures"][0]["digest_algorithm"], digest, "{name}");
        assert_eq!(r["input"]["size"], der.len(), "{name}");
        assert_eq!(
            r["input"]["sha256"],
            hex::encode(Sha256::digest(&der)),
            "{name}"
        );
        assert_eq!(r["content"]["size"], LEN, "{name}");
        assert_eq!(
            r["content"]["sha256"],
            "9bf095d081b349ee285a95f26756aec6c5e34542dc46c0cacb85faa6da69edd4",
            "{name}"
        );
        assert_eq!(unnamed(r), unnamed(whole), "{name}");
    }

    // One byte changed in the part that is not kept: caught, and explained as the whole
    // file explains it.
    bytes[LEN / 2] ^= 1;
    let der = opaque("rsa-sha256", &bytes);
    let path = dir.join("tampered.der");
    std::fs::write(&path, &der).expect("written");
    let (code, r, whole) = both(&path, &der);
    assert_eq!(code, Some(1));
    assert_eq!(r["verdict"], "invalid");
    assert_eq!(r["signatures"][0]["reason_code"], "content-digest-mismatch");
    assert_eq!(
        r["content"]["sha256"],
        hex::encode(Sha256::digest(&bytes)),
        "the content's own digest"
    );
    assert_eq!(unnamed(r), unnamed(whole));
    std::fs::remove_dir_all(&dir).expect("scratch removed");
}
