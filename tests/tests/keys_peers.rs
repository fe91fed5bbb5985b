//! Key files from other producers (tests/fixtures/keys-peers/MANIFEST.tsv): OpenSSL default
//! and legacy, NSS pk12util, Java keytool, BouncyCastle, Windows-style bundles, no MAC, empty
//! password, unencrypted bags, legacy-encrypted PEM. Each one that holds a fixture-PKI key must load
//! that key with its certificate and decrypt the EnvelopedData fixture encrypted to it; each
//! bad one must fail with its exact reason.

use sealscope_core::crypto::algorithms::Digest;
use sealscope_core::report::Report;
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{read, AT};

const DIR: &str = "keys-peers";

struct Row {
    file: String,
    producer: String,
    password: String,
    expect: String,
}

fn rows() -> Vec<Row> {
    let text = String::from_utf8(read(&format!("{DIR}/MANIFEST.tsv"))).expect("UTF-8 manifest");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 6, "manifest row {l:?}");
            Row {
                file: c[0].into(),
                producer: c[1].into(),
                password: c[3].into(),
                expect: c[4].into(),
            }
        })
        .collect()
}

/// The password as the command line passes it: none when the manifest's is empty.
fn password(row: &Row) -> Option<&str> {
    (!row.password.is_empty()).then_some(row.password.as_str())
}

fn load(file: &str, password: Option<&str>) -> Result<Keyring, String> {
    let mut k = Keyring::new();
    k.add_private_keys(&read(&format!("{DIR}/{file}")), password, file)
        .map_err(|e| e.to_string())?;
    Ok(k)
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Digest::Sha256.hash(bytes))
}

fn inspect(message: &str, keyring: &Keyring) -> Report {
    let at = UnixTime::parse(AT).expect("AT");
    sealscope_core::inspect(&read(message), keyring, &Options::new(message, at))
}

/// (message encrypted to the recipient, key description, recipient certificate serial).
fn recipient(name: &str) -> (&'static str, &'static str, &'static str) {
    match name {
        "recip-rsa" => ("encrypted/ktri-aes256-cbc.eml", "rsa-2048", "4001"),
        "recip-p256" => ("encrypted/kari-p256-sha256.eml", "ec-p256", "4003"),
        other => panic!("no message for {other}"),
    }
}

#[test]
fn every_manifest_file_exists_and_every_file_is_listed() {
    let rows = rows();
    assert!(rows.len() >= 20, "{} rows", rows.len());
    let mut listed: Vec<&str> = rows.iter().map(|r| r.file.as_str()).collect();
    listed.sort_unstable();
    let mut present: Vec<String> = std::fs::read_dir(sealscope_tests::fixture(DIR))
        .expect("keys-peers directory")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".p12") || n.ends_with(".pem"))
        .collect();
    present.sort_unstable();
    assert_eq!(listed, present);
    for producer in [
        "openssl",
        "pk12util",
        "keytool",
        "openssl rsa",
        "openssl ec",
    ] {
        assert!(
            rows.iter().any(|r| r.producer == producer),
            "a file from {producer}"
        );
    }
}

#[test]
fn each_producers_key_decrypts_its_message() {
    let mut decrypted = 0;
    for row in rows() {
        let Some(who) = row.expect.strip_prefix("decrypts ") else {
            continue;
        };
        let ctx = format!("{} ({})", row.file, row.producer);
        let keyring = load(&row.file, password(&row)).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        let (message, key, serial) = recipient(who);
        let r = inspect(message, &keyring);

        // The key is listed, with the recipient certificate when the file carries it.
        assert_eq!(r.keys.len(), 1, "{ctx}: {:?}", r.keys);
        let k = &r.keys[0];
        assert_eq!(k.key, key, "{ctx}");
        let is_p12 = row.file.ends_with(".p12");
        if is_p12 {
            assert_eq!(k.form, "pkcs12", "{ctx}");
            assert_eq!(k.source, format!("{} (PKCS#12)", row.file), "{ctx}");
            let c = k
                .certificate
                .as_ref()
                .unwrap_or_else(|| panic!("{ctx}: no cert"));
            assert_eq!(c.serial, serial, "{ctx}");
            assert!(c.subject.contains("OU=Recipients"), "{ctx}: {}", c.subject);
            assert!(
                k.bundle_certificates.iter().any(|b| b.serial == serial),
                "{ctx}"
            );
        } else {
            assert!(k.form.starts_with("pem-encrypted-"), "{ctx}: {}", k.form);
            assert!(k.certificate.is_none(), "{ctx}");
        }

        // The message opens to exactly the expected bytes.
        let e = r
            .encryption
            .first()
            .unwrap_or_else(|| panic!("{ctx}: none"));
        assert!(e.decrypted, "{ctx}: {}", e.reason);
        assert_eq!(
            e.content_sha256.as_deref(),
            Some(sha(&read("content/content-crlf.txt")).as_str()),
            "{ctx}"
        );
        assert!(
            e.reason.contains(&format!("using {}", row.file)),
            "{ctx}: {}",
            e.reason
        );
        decrypted += 1;
    }
    assert_eq!(decrypted, 16, "files decrypted");
}

#[test]
fn bundles_list_what_came_with_the_key() {
    let k = load("windows-style.p12", Some("sealscope")).expect("loads");
    let r = inspect("encrypted/ktri-aes256-cbc.eml", &k);
    let key = &r.keys[0];
    assert_eq!(key.label.as_deref(), Some("Rhea Recipient"));
    let serials: Vec<&str> = key
        .bundle_certificates
        .iter()
        .map(|c| c.serial.as_str())
        .collect();
    assert_eq!(serials, ["4001", "02", "01"]);
    assert_eq!(
        key.bundle_certificates[2].subject,
        "CN=Sealscope Test Root CA,O=Sealscope Test,C=GB"
    );
    // Its certificates join the keyring's extra certificates.
    assert_eq!(k.certs.len(), 3);

    let k = load("nss.p12", Some("sealscope")).expect("loads");
    assert_eq!(k.keys[0].label.as_deref(), Some("recip-rsa"));
}

#[test]
fn fresh_keytool_keys_load_and_are_tried() {
    for (file, key, message) in [
        (
            "keytool-genkeypair-rsa.p12",
            "rsa-2048",
            "encrypted/ktri-aes256-cbc.eml",
        ),
        (
            "keytool-genkeypair-p256.p12",
            "ec-p256",
            "encrypted/kari-p256-sha256.eml",
        ),
    ] {
        let k = load(file, Some("sealscope")).unwrap_or_else(|e| panic!("{file}: {e}"));
        let r = inspect(message, &k);
        assert_eq!(r.keys.len(), 1, "{file}");
        assert_eq!(r.keys[0].key, key, "{file}");
        let cert = r.keys[0].certificate.as_ref().expect("its own certificate");
        assert!(cert.subject.starts_with("CN=Keytool"), "{}", cert.subject);
        let e = &r.encryption[0];
        assert!(!e.decrypted, "{file}");
        assert!(
            e.reason.contains(&format!(
                "keys tried: {file} (PKCS#12) ({key}, certificate {} serial {})",
                cert.subject, cert.serial
            )),
            "{file}: {}",
            e.reason
        );
    }
}

#[test]
fn bad_files_fail_with_their_reason() {
    let cases = [
        (
            "openssl-nokey.p12",
            "cannot load PKCS#12 bundle from openssl-nokey.p12: the bundle holds no private key, only 1 certificate(s)",
        ),
        (
            "openssl-rc4.p12",
            "cannot load PKCS#12 bundle from openssl-rc4.p12: the private key cannot be decrypted: encryption pbeWithSHAAnd128BitRC4 (1.2.840.113549.1.12.1.1) is not supported (PBES2, pbeWithSHAAnd3-KeyTripleDES-CBC and pbeWithSHAAnd40/128BitRC2-CBC are)",
        ),
        (
            "openssl-bad-mac.p12",
            "cannot load PKCS#12 bundle from openssl-bad-mac.p12: the MAC does not verify although the password opens the keys: the file was altered or damaged",
        ),
        (
            "rsa-traditional-camellia.pem",
            "cannot load private key from rsa-traditional-camellia.pem: RSA PRIVATE KEY encrypted the legacy OpenSSL way (DEK-Info CAMELLIA-256-CBC): the cipher is not supported (AES-128/192/256-CBC and DES-EDE3-CBC are); convert it with `openssl pkey -in FILE -out NEW.pem -aes256`",
        ),
    ];
    let mut errors: Vec<String> = rows()
        .into_iter()
        .filter(|r| r.expect.starts_with("error"))
        .map(|r| r.file)
        .collect();
    errors.sort_unstable();
    let mut covered: Vec<&str> = cases.iter().map(|c| c.0).collect();
    covered.sort_unstable();
    assert_eq!(
        errors, covered,
        "every error row of the manifest has a case"
    );
    for (file, want) in cases {
        assert_eq!(
            load(file, Some("sealscope")).err().as_deref(),
            Some(want),
            "{file}"
        );
    }
}

#[test]
fn wrong_or_missing_passwords_are_errors() {
    let cases = [
        (
            "nss.p12",
            Some("wrong"),
            "cannot load PKCS#12 bundle from nss.p12: wrong password (the bundle's MAC does not verify)",
        ),
        (
            "nss.p12",
            None,
            "cannot load PKCS#12 bundle from nss.p12: the bundle is password-protected: give its password with --key-pass or SEALSCOPE_KEY_PASS",
        ),
        (
            "openssl-legacy.p12",
            Some("wrong"),
            "cannot load PKCS#12 bundle from openssl-legacy.p12: wrong password (the bundle's MAC does not verify)",
        ),
        (
            "keytool-import.p12",
            Some("wrong"),
            "cannot load PKCS#12 bundle from keytool-import.p12: wrong password (the bundle's MAC does not verify)",
        ),
        (
            "openssl-unencrypted.p12",
            None,
            "cannot load PKCS#12 bundle from openssl-unencrypted.p12: the bundle is password-protected: give its password with --key-pass or SEALSCOPE_KEY_PASS",
        ),
        (
            "openssl-nomac.p12",
            None,
            "cannot load PKCS#12 bundle from openssl-nomac.p12: the bundle is password-protected: give its password with --key-pass or SEALSCOPE_KEY_PASS",
        ),
        (
            "openssl-empty-password.p12",
            Some("wrong"),
            "cannot load PKCS#12 bundle from openssl-empty-password.p12: wrong password (the bundle's MAC does not verify)",
        ),
        (
            "rsa-traditional-des3.pem",
            None,
            "cannot load private key from rsa-traditional-des3.pem: RSA PRIVATE KEY encrypted the legacy OpenSSL way (DEK-Info DES-EDE3-CBC): give its password with --key-pass or SEALSCOPE_KEY_PASS",
        ),
        (
            "ec-traditional-aes256.pem",
            None,
            "cannot load private key from ec-traditional-aes256.pem: EC PRIVATE KEY encrypted the legacy OpenSSL way (DEK-Info AES-256-CBC): give its password with --key-pass or SEALSCOPE_KEY_PASS",
        ),
    ];
    for (file, pw, want) in cases {
        assert_eq!(load(file, pw).err().as_deref(), Some(want), "{file} {pw:?}");
    }
    // Without a MAC or with legacy PEM, a wrong password shows in the padding or in what the
    // plaintext is; either way the error says so and names the file.
    for (file, prefix) in [
        (
            "openssl-nomac.p12",
            "cannot load PKCS#12 bundle from openssl-nomac.p12: the private key cannot be decrypted: wrong password (",
        ),
        (
            "rsa-traditional-aes256.pem",
            "cannot load private key from rsa-traditional-aes256.pem: RSA PRIVATE KEY encrypted the legacy OpenSSL way (DEK-Info AES-256-CBC): wrong password (",
        ),
        (
            "ec-traditional-aes128.pem",
            "cannot load private key from ec-traditional-aes128.pem: EC PRIVATE KEY encrypted the legacy OpenSSL way (DEK-Info AES-128-CBC): wrong password (",
        ),
    ] {
        let e = load(file, Some("wrong")).expect_err(file);
        assert!(e.starts_with(prefix), "{file}: {e}");
    }
}

#[test]
fn an_empty_keyring_still_says_none() {
    let r = inspect("encrypted/ktri-aes256-cbc.eml", &Keyring::new());
    assert!(r.keys.is_empty());
    assert!(r.encryption[0]
        .reason
        .ends_with("keys tried: none (pass the recipient's key with --key)"));
}
