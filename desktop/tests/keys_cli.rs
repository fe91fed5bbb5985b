//! `--key` on the command line: every key file given loads and is listed, or stops the run
//! with one line naming the file and the reason, exit status 2.

mod common;

use common::bin;
use std::process::Output;

fn inspect(args: &[&str]) -> Output {
    bin()
        .env_remove("SEALSCOPE_KEY_PASS")
        .args(["inspect", "--at", "2027-01-01T00:00:00Z"])
        .args(args)
        .output()
        .expect("sealscope runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn an_nss_bundle_loads_lists_its_key_and_decrypts() {
    let o = inspect(&[
        "--key",
        "keys-peers/nss.p12",
        "--key-pass",
        common::PASS,
        "encrypted/ktri-aes256-cbc.eml",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let out = stdout(&o);
    assert!(out.contains("  keys\n    rsa-2048 keys-peers/nss.p12 (PKCS#12) \"recip-rsa\" (pkcs12)\n      certificate CN=Rhea Recipient,OU=Recipients,O=Sealscope Test,C=GB (serial 4001, from keys-peers/nss.p12 (PKCS#12))\n"), "{out}");
    assert!(out.contains("  content    text/plain, 436 bytes"), "{out}");

    let o = inspect(&[
        "--json",
        "--key",
        "keys-peers/nss.p12",
        "--key-pass",
        common::PASS,
        "encrypted/ktri-aes256-cbc.eml",
    ]);
    let json = stdout(&o);
    assert!(json.contains("\"keys\":[{\"source\":\"keys-peers/nss.p12 (PKCS#12)\",\"form\":\"pkcs12\",\"key\":\"rsa-2048\",\"label\":\"recip-rsa\",\"certificate\":{\"subject\":\"CN=Rhea Recipient,OU=Recipients,O=Sealscope Test,C=GB\""), "{json}");
    assert!(json.contains("\"decrypted\":true"), "{json}");
}

#[test]
fn a_legacy_encrypted_pem_key_decrypts() {
    let o = inspect(&[
        "--json",
        "--key",
        "keys-peers/ec-traditional-aes256.pem",
        "--key-pass",
        common::PASS,
        "encrypted/kari-p256-sha256.eml",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json = stdout(&o);
    assert!(
        json.contains("\"form\":\"pem-encrypted-sec1\",\"key\":\"ec-p256\""),
        "{json}"
    );
    assert!(json.contains("\"decrypted\":true"), "{json}");
}

#[test]
fn bad_key_files_stop_with_one_line_and_status_two() {
    for (args, want) in [
        (
            vec!["--key", "keys-peers/openssl-nokey.p12", "--key-pass", common::PASS],
            "sealscope: cannot load PKCS#12 bundle from keys-peers/openssl-nokey.p12: the bundle holds no private key, only 1 certificate(s)",
        ),
        (
            vec!["--key", "keys-peers/nss.p12", "--key-pass", common::WRONG_PASS],
            "sealscope: cannot load PKCS#12 bundle from keys-peers/nss.p12: wrong password (the bundle's MAC does not verify)",
        ),
        (
            vec!["--key", "keys-peers/nss.p12"],
            "sealscope: cannot load PKCS#12 bundle from keys-peers/nss.p12: the bundle is password-protected: give its password with --key-pass or SEALSCOPE_KEY_PASS",
        ),
        (
            vec!["--key", "keys-peers/openssl-bad-mac.p12", "--key-pass", common::PASS],
            "sealscope: cannot load PKCS#12 bundle from keys-peers/openssl-bad-mac.p12: the MAC does not verify although the password opens the keys: the file was altered or damaged",
        ),
        (
            vec!["--key", "keys-peers/openssl-rc4.p12", "--key-pass", common::PASS],
            "sealscope: cannot load PKCS#12 bundle from keys-peers/openssl-rc4.p12: the private key cannot be decrypted: encryption pbeWithSHAAnd128BitRC4 (1.2.840.113549.1.12.1.1) is not supported (PBES2, pbeWithSHAAnd3-KeyTripleDES-CBC and pbeWithSHAAnd40/128BitRC2-CBC are)",
        ),
        (
            vec!["--key", "keys-peers/rsa-traditional-aes256.pem"],
            "sealscope: cannot load private key from keys-peers/rsa-traditional-aes256.pem: RSA PRIVATE KEY encrypted the legacy OpenSSL way (DEK-Info AES-256-CBC): give its password with --key-pass or SEALSCOPE_KEY_PASS",
        ),
        (
            // A file with no key at all (a certificate) is refused too, not ignored.
            vec!["--key", "pki/recip-rsa.pem"],
            "sealscope: cannot load private key from pki/recip-rsa.pem: no private key found (the file holds CERTIFICATE); expected PKCS#8, PKCS#1, SEC1 or PKCS#12, PEM or DER",
        ),
    ] {
        let mut all = args.clone();
        all.push("encrypted/ktri-aes256-cbc.eml");
        let o = inspect(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&o), format!("{want}\n"), "{args:?}");
        assert_eq!(stdout(&o), "", "{args:?}: no report after a key error");
    }
}

#[test]
fn an_empty_password_bundle_opens_without_key_pass() {
    let o = inspect(&[
        "--key",
        "keys-peers/openssl-empty-password.p12",
        "encrypted/ktri-aes256-cbc.eml",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("  content    text/plain, 436 bytes"));
}
