//! Damaged and hostile inputs produce a report, never a panic or a hang.
//!
//! Every fixture is truncated at and corrupted around many positions (deterministically);
//! a few pathological structures are built by hand. The fuzz targets in fuzz/ go further.

use sealscope_core::report::Verdict;
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{fixture, read, trusting_root, AT};
use std::sync::OnceLock;

fn all_fixture_files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in [
        "messages",
        "unreadable",
        "encrypted",
        "profiles/emi",
        "profiles/ssm",
        "profiles/bitrepo",
        "profiles/scmp",
        "ieee1609/signed",
        "ieee1609/scms",
        "ieee1609/http",
        "ieee1609/bad",
        "ieee1609/encrypted",
        "ieee1609/certs",
    ] {
        let mut entries: Vec<_> = std::fs::read_dir(fixture(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        for p in entries {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    out
}

/// The test root plus every recipient key, certificate, KEK and password of the fixtures, so
/// damaged encrypted messages go through decryption too.
fn full_keyring() -> &'static Keyring {
    static K: OnceLock<Keyring> = OnceLock::new();
    K.get_or_init(|| {
        let mut k = trusting_root();
        for name in ["recip-rsa", "recip-rsa2", "recip-p256", "recip-p384"] {
            k.add_private_keys(&read(&format!("pki/{name}.key")), None, name)
                .unwrap();
            k.add_certs(&read(&format!("pki/{name}.pem")), name)
                .unwrap();
        }
        k.add_password("sealscope-pw");
        k
    })
}

fn check(name: &str, bytes: &[u8]) {
    let at = UnixTime::parse(AT).unwrap();
    let r = sealscope_core::inspect(bytes, full_keyring(), &Options::new(name, at));
    if r.verdict == Verdict::Unreadable {
        let e = r.error.as_deref().unwrap_or("");
        assert!(!e.is_empty(), "{name}: unreadable without a reason");
        assert!(!e.contains('\n'), "{name}: reason must be one line: {e}");
    }
    // The report always serialises.
    assert!(r.to_json().starts_with('{'));
}

#[test]
fn truncations_and_corruptions_of_every_fixture() {
    let mut cases = 0;
    for (name, bytes) in all_fixture_files() {
        let n = bytes.len();
        if n == 0 {
            check(&name, &bytes);
            continue;
        }
        let steps = 24.min(n);
        for k in 0..steps {
            let pos = k * n / steps;
            check(&name, &bytes[..pos]);
            let mut flipped = bytes.clone();
            flipped[pos] ^= 0xFF;
            check(&name, &flipped);
            let mut indefinite = bytes.clone();
            indefinite[pos] = 0x80;
            check(&name, &indefinite);
            cases += 3;
        }
    }
    assert!(cases > 3000, "{cases} cases");
}

#[test]
fn deeply_nested_multiparts() {
    let mut msg = String::new();
    for i in 0..200 {
        msg.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n"
        ));
    }
    msg.push_str("Content-Type: text/plain\r\n\r\nx\r\n");
    for i in (0..200).rev() {
        msg.push_str(&format!("--b{i}--\r\n"));
    }
    let at = UnixTime::parse(AT).unwrap();
    let r = sealscope_core::inspect(
        msg.as_bytes(),
        &trusting_root(),
        &Options::new("nested", at),
    );
    assert!(
        r.error.as_deref().unwrap_or("").contains("limit"),
        "{:?}",
        r.error
    );
}

#[test]
fn very_many_tiny_parts() {
    let mut msg = String::from("Content-Type: multipart/mixed; boundary=z\r\n\r\n");
    for _ in 0..20_000 {
        msg.push_str("--z\r\n\r\nx\r\n");
    }
    msg.push_str("--z--\r\n");
    let at = UnixTime::parse(AT).unwrap();
    let r = sealscope_core::inspect(msg.as_bytes(), &trusting_root(), &Options::new("parts", at));
    assert!(
        r.error
            .as_deref()
            .unwrap_or("")
            .contains("number of layers"),
        "{:?}",
        r.error
    );
}

#[test]
fn deeply_nested_ber_and_huge_base64_lines() {
    let mut ber = Vec::new();
    for _ in 0..10_000 {
        ber.extend_from_slice(&[0x30, 0x80]);
    }
    check("nested-ber", &ber);
    let line = "QUFB".repeat(250_000);
    check("long-base64", line.as_bytes());
    let mut big_len = vec![0x30, 0x88];
    big_len.extend_from_slice(&[0xFF; 8]);
    check("huge-length", &big_len);
}
