//! The bindings' Rust half, run natively: classification of dropped files, the keyring the
//! page builds, and composition requests as `compose()` / `composeScms()` make them.

use sealscope_core::crypto::rng::SeededRng;
use sealscope_core::inspect::detect::{material, Material as Kind};
use sealscope_core::UnixTime;
use sealscope_wasm::material::Material;
use sealscope_wasm::request::{ComposeRequest, InspectRequest, ScmsRequest, Signer};

fn fx(p: &str) -> Vec<u8> {
    let path = format!("{}/../tests/fixtures/{p}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn at() -> UnixTime {
    UnixTime::parse("2027-01-01T00:00:00Z").unwrap()
}

#[test]
fn dropped_files_are_told_apart_by_content() {
    let cases = [
        ("pki/root-ca.pem", Some(Kind::Certificate)),
        ("pki/root-ca.der", Some(Kind::Certificate)),
        ("pki/root-ca.crl.pem", Some(Kind::Crl)),
        ("pki/root-ca.crl.der", Some(Kind::Crl)),
        ("pki/recip-rsa.key", Some(Kind::PrivateKey)),
        ("pki/recip-rsa.key.der", Some(Kind::PrivateKey)),
        ("pki/recip-rsa.enc.pem", Some(Kind::PrivateKey)),
        ("pki/recip-p256.sec1.pem", Some(Kind::PrivateKey)),
        ("pki/recip-rsa.p12", Some(Kind::Pkcs12)),
        (
            "ieee1609/certs/root-p256.coer",
            Some(Kind::Ieee1609Certificate),
        ),
        ("ieee1609/signed/p256-certificate.coer", None),
        ("messages/rsa-sha256.eml", None),
        ("messages/rsa-opaque.der", None),
        ("messages/rsa-opaque.cms.pem", None),
        ("encrypted/ktri-aes128-cbc.eml", None),
    ];
    for (file, want) in cases {
        let name = file.rsplit('/').next().unwrap();
        assert_eq!(material(&fx(file), name), want, "{file}");
    }
}

#[test]
fn the_keyring_lists_what_went_in() {
    let mut m = Material::default();
    let e = m
        .add_trust(&fx("pki/root-ca.pem"), "root-ca.pem")
        .unwrap()
        .clone();
    assert_eq!(e.kind, "trust");
    assert_eq!(
        e.description,
        ["CN=Sealscope Test Root CA,O=Sealscope Test,C=GB"]
    );
    let e = m
        .add_file(
            &fx("pki/recip-rsa.p12"),
            "recip-rsa.p12",
            Some("sealscope"),
            false,
        )
        .unwrap()
        .clone();
    assert_eq!(e.kind, "pkcs12");
    assert_eq!(e.count, 1);
    assert!(
        e.description[0].starts_with("rsa-2048"),
        "{:?}",
        e.description
    );
    assert_eq!(
        e.description[0],
        "rsa-2048 for CN=Rhea Recipient,OU=Recipients,O=Sealscope Test,C=GB (serial 4001)"
    );
    let err = m
        .add_file(
            &fx("pki/recip-rsa.enc.pem"),
            "recip-rsa.enc.pem",
            None,
            false,
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("encrypted"), "{err}");
    let err = m
        .add_file(&fx("messages/rsa-sha256.eml"), "rsa-sha256.eml", None, true)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "rsa-sha256.eml: not a certificate, CRL or private key (inspect it as a message)"
    );
    assert_eq!(m.entries.len(), 2);
    // The keyring decrypts with the PKCS#12 key.
    let r = InspectRequest::new("ktri", at()).run(&fx("encrypted/ktri-aes128-cbc.eml"), &mut m);
    assert!(r.encryption[0].decrypted, "{}", r.encryption[0].reason);
}

#[test]
fn buffers_hold_the_decoded_layers() {
    let mut m = Material::default();
    m.add_keys(&fx("pki/recip-rsa.key"), "recip-rsa.key", None)
        .unwrap();
    let (report, buffers) = InspectRequest::new("x", at())
        .run_with_buffers(&fx("encrypted/ktri-aes128-cbc.eml"), &mut m);
    let content = report
        .layers
        .iter()
        .rfind(|l| l.kind.as_str() == "content")
        .expect("a content layer");
    assert!(content.buffer > 0);
    let bytes = &buffers[content.buffer][content.range[0]..content.range[1]];
    let sha = sealscope_core::crypto::algorithms::Digest::Sha256.hash(bytes);
    assert_eq!(hex::encode(sha), report.content.as_ref().unwrap().sha256);
    assert!(buffers[0].is_empty(), "buffer 0 is the caller's input");
}

#[test]
fn composed_messages_verify_and_decrypt() {
    let mut req = ComposeRequest::new(at());
    req.signer = Some(Signer {
        cert: Some(fx("pki/signer-p256.pem")),
        key: fx("pki/signer-p256.key"),
        password: None,
        chain: vec![fx("pki/inter-ca.pem")],
    });
    req.recipients = vec![fx("pki/recip-rsa.pem")];
    req.cipher = "aes-128-gcm".into();
    req.rsa_padding = "oaep".into();
    req.headers = vec![("Subject".into(), "from the browser".into())];
    let msg = req
        .run(b"hello from the wasm API\r\n", &mut SeededRng::new(7))
        .unwrap();
    let mut m = Material::default();
    m.add_trust(&fx("pki/root-ca.pem"), "root").unwrap();
    m.add_keys(&fx("pki/recip-rsa.key"), "key", None).unwrap();
    let r = InspectRequest::new("composed", at()).run(&msg, &mut m);
    assert_eq!(r.verdict, sealscope_core::Verdict::Valid, "{}", r.to_json());
    assert_eq!(r.encryption[0].content_algorithm, "aes-128-gcm");
    assert_eq!(r.encryption[0].recipients[0].key_algorithm, "rsa-oaep");
    assert_eq!(r.signatures[0].signature_algorithm, "ecdsa-p256");
    assert_eq!(
        r.content.as_ref().unwrap().text.as_deref(),
        Some("hello from the wasm API\r\n")
    );

    let mut bad = ComposeRequest::new(at());
    bad.recipients = vec![fx("pki/recip-rsa.pem")];
    bad.cipher = "rot13".into();
    let err = bad
        .run(b"x", &mut SeededRng::new(1))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("option cipher: \"rot13\""), "{err}");
}

#[test]
fn scms_requests_verify_against_the_root() {
    let req = ScmsRequest {
        request: "download".into(),
        filename: Some("crl.oer".into()),
        start: None,
        cert: fx("ieee1609/certs/ee-p256.coer"),
        key: fx("ieee1609/keys/ee-p256.pem"),
        password: None,
        at: UnixTime::parse("2025-06-01T12:00:00Z").unwrap(),
    };
    let apdu = req.run(&mut SeededRng::new(3)).unwrap();
    let mut m = Material::default();
    m.add_trust(&fx("ieee1609/certs/root-p256.coer"), "root")
        .unwrap();
    m.add_certificates(&fx("ieee1609/certs/eca-p256.coer"), "eca")
        .unwrap();
    let r = InspectRequest::new("scms", UnixTime::parse("2025-06-01T12:00:01Z").unwrap())
        .run(&apdu, &mut m);
    assert_eq!(r.verdict, sealscope_core::Verdict::Valid, "{}", r.to_json());
    assert!(r.layers.iter().any(|l| l.kind.as_str() == "scms-pdu"));
}

#[test]
fn other_producers_bundles_load_through_the_same_path() {
    let mut m = Material::default();
    // An NSS bundle (BER inside) loads its key through the same core path.
    let e = m
        .add_file(
            &fx("keys-peers/nss.p12"),
            "nss.p12",
            Some("sealscope"),
            false,
        )
        .unwrap()
        .clone();
    assert_eq!(e.kind, "pkcs12");
    assert_eq!(e.count, 1);
    assert_eq!(
        e.description[0],
        "rsa-2048 for CN=Rhea Recipient,OU=Recipients,O=Sealscope Test,C=GB (serial 4001)"
    );
    // A bundle with certificates only is refused, not added silently.
    let err = m
        .add_file(
            &fx("keys-peers/openssl-nokey.p12"),
            "nokey.p12",
            Some("sealscope"),
            false,
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("the bundle holds no private key"), "{err}");
    assert_eq!(m.entries.len(), 1);
    let r = InspectRequest::new("ktri", at()).run(&fx("encrypted/ktri-aes256-cbc.eml"), &mut m);
    assert!(r.encryption[0].decrypted, "{}", r.encryption[0].reason);
    assert_eq!(r.keys.len(), 1);
    assert_eq!(r.keys[0].source, "nss.p12 (PKCS#12)");
}

#[test]
fn the_page_keyring_remembers_scmp_requests_across_inspections() {
    // The same SCMP request id from the same signer, dropped twice on one page: the second
    // report is final when returned (no call the page must remember to make).
    let mut m = Material::default();
    m.add_trust(&fx("pki/root-ca.pem"), "root-ca.pem").unwrap();
    m.add_keys(&fx("pki/recip-rsa.key"), "recip-rsa.key", None)
        .unwrap();
    let first = InspectRequest::new("1-request.http", at())
        .run(&fx("profiles/scmp/duplicates/1-request.http"), &mut m);
    let second = InspectRequest::new("2-request.http", at())
        .run(&fx("profiles/scmp/duplicates/2-request.http"), &mut m);
    let codes = |r: &sealscope_core::Report| -> Vec<String> {
        r.profiles
            .iter()
            .flat_map(|p| p.findings.iter().map(|f| f.code.clone()))
            .collect()
    };
    assert_eq!(first.verdict, sealscope_core::Verdict::Valid);
    assert!(codes(&first).is_empty(), "{:?}", codes(&first));
    assert_eq!(codes(&second), ["scmp-duplicate-request"]);
    assert_eq!(second.verdict, sealscope_core::Verdict::Invalid);
}
