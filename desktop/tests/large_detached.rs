//! `inspect --content big.bin big.p7s`: detached signatures made by `openssl cms -sign
//! -binary -outform DER` over 20 MiB of content (tests/fixtures/large-detached/), checked with
//! the content streamed through the digest. The content is rebuilt here by the rule of
//! large-detached/content.py; it is larger than what sealscope reads back to explain a
//! mismatch, so these runs take the streamed path only.

mod common;

use common::{json_lines, run, tmp};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;

const LEN: usize = 20 * 1024 * 1024;

/// The SHA-256 counter stream of content.py.
fn content() -> Vec<u8> {
    common::counter_content(LEN)
}

fn inspect(content: &Path, p7s: &str) -> (Option<i32>, Value, String) {
    let o = run(&[
        "inspect",
        "--json",
        "--at",
        "2027-01-01T00:00:00Z",
        "--trust",
        "pki/root-ca.pem",
        "--content",
        content.to_str().expect("utf-8 path"),
        &format!("large-detached/{p7s}"),
    ]);
    let mut reports = json_lines(&o.stdout);
    assert_eq!(reports.len(), 1, "{}", String::from_utf8_lossy(&o.stderr));
    (
        o.status.code(),
        reports.remove(0),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

fn finding_codes(r: &Value) -> Vec<String> {
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_string())
        .collect()
}

#[test]
fn openssl_detached_signatures_over_20_mib_verify_streamed() {
    let dir = tmp("large-detached");
    let path = dir.join("big.bin");
    let mut bytes = content();
    assert_eq!(
        hex::encode(Sha256::digest(&bytes)),
        "9bf095d081b349ee285a95f26756aec6c5e34542dc46c0cacb85faa6da69edd4"
    );
    std::fs::write(&path, &bytes).expect("content written");
    for (p7s, digest, scheme) in [
        ("rsa-sha256.p7s", "sha256", "rsa-pkcs1v15"),
        ("rsa-sha256-noattr.p7s", "sha256", "rsa-pkcs1v15"),
        ("p256-sha384-noattr.p7s", "sha384", "ecdsa-p256"),
    ] {
        let (code, r, err) = inspect(&path, p7s);
        assert_eq!(code, Some(0), "{p7s}: {r} {err}");
        assert_eq!(r["verdict"], "valid", "{p7s}");
        let s = &r["signatures"][0];
        assert_eq!(s["status"], "valid", "{p7s}");
        assert_eq!(s["digest_algorithm"], digest, "{p7s}");
        assert_eq!(s["signature_algorithm"], scheme, "{p7s}");
        let reason = s["reason"].as_str().expect("reason");
        assert!(
            reason.contains(&format!("over {LEN} bytes of content")),
            "{p7s}: {reason}"
        );
    }

    // One byte changed in the middle: the signed digest no longer matches, and the
    // explanation says the other forms were not tried (the content is not held).
    bytes[LEN / 2] ^= 1;
    std::fs::write(&path, &bytes).expect("content written");
    let (code, r, _) = inspect(&path, "rsa-sha256.p7s");
    assert_eq!(code, Some(1));
    assert_eq!(r["verdict"], "invalid");
    assert!(finding_codes(&r).contains(&"content-digest-mismatch".to_string()));
    let reason = r["signatures"][0]["reason"].as_str().expect("reason");
    assert!(reason.contains("not tried"), "{reason}");
    assert!(
        reason.contains(&format!("{LEN} bytes of content")),
        "{reason}"
    );
    // Without signed attributes the signature is over the content's digest itself.
    for p7s in ["rsa-sha256-noattr.p7s", "p256-sha384-noattr.p7s"] {
        let (code, r, _) = inspect(&path, p7s);
        assert_eq!(code, Some(1), "{p7s}");
        assert_eq!(r["signatures"][0]["status"], "invalid", "{p7s}");
        assert!(
            finding_codes(&r).contains(&"signature-value-invalid".to_string()),
            "{p7s}: {r}"
        );
    }

    // A content file that is missing or a directory is an error naming it, not a report.
    let missing = dir.join("absent.bin");
    let o = run(&[
        "inspect",
        "--content",
        missing.to_str().expect("utf-8 path"),
        "large-detached/rsa-sha256.p7s",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("absent.bin"));
    let o = run(&[
        "inspect",
        "--content",
        dir.to_str().expect("utf-8 path"),
        "large-detached/rsa-sha256.p7s",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file"));
    std::fs::remove_dir_all(&dir).expect("scratch removed");
}
