//! Everything `compose` writes is accepted by sealscope itself (round trip) and by the OpenSSL
//! CLI (`openssl cms -verify` / `-decrypt`), for every signer, digest, form, recipient type
//! and cipher. Without the OpenSSL CLI only the round trip runs, unless
//! SEALSCOPE_REQUIRE_OPENSSL=1 (the README test command sets it).

use sealscope_core::compose::{
    self, Cipher, ComposeOptions, EncryptOptions, IncludeCerts, Output, RsaPadding, SignForm,
    SignOptions,
};
use sealscope_core::crypto::algorithms::Digest;
use sealscope_core::crypto::keys::{load_private_keys, SecretKey};
use sealscope_core::crypto::rng::SeededRng;
use sealscope_core::report::{ChainStatus, SignatureStatus, Verdict};
use sealscope_core::x509::certificate::{load_certificates, Cert};
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{fixture, read, trusting_root, AT};
use std::path::PathBuf;
use std::process::Command;

const PAYLOAD: &[u8] = b"Sealscope composed message\nSecond line, with a trailing newline.\n";

fn cert(name: &str) -> Cert {
    load_certificates(&read(&format!("pki/{name}.pem")), name)
        .unwrap()
        .remove(0)
}

fn key(name: &str) -> SecretKey {
    load_private_keys(&read(&format!("pki/{name}.key")), None, name)
        .unwrap()
        .remove(0)
        .key
}

fn signer(name: &str, digest: Digest, form: SignForm, include: IncludeCerts) -> SignOptions {
    SignOptions {
        cert: cert(name),
        key: key(name),
        chain: vec![cert("inter-ca")],
        digest,
        form,
        include,
    }
}

fn openssl() -> bool {
    let ok = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok || std::env::var("SEALSCOPE_REQUIRE_OPENSSL").is_err(),
        "SEALSCOPE_REQUIRE_OPENSSL is set but the openssl CLI is not on PATH"
    );
    ok
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sealscope-compose-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Runs openssl cms with `args`; returns its output file's bytes on success.
fn openssl_cms(args: &[&str], input: &PathBuf) -> Result<Vec<u8>, String> {
    let out = input.with_extension("out");
    let o = Command::new("openssl")
        .arg("cms")
        .args(args)
        .arg("-in")
        .arg(input)
        .arg("-out")
        .arg(&out)
        .output()
        .unwrap();
    if !o.status.success() {
        return Err(String::from_utf8_lossy(&o.stderr)
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join(" | "));
    }
    Ok(std::fs::read(&out).unwrap())
}

fn ca_bundle() -> PathBuf {
    let mut b = read("pki/inter-ca.pem");
    b.extend(read("pki/root-ca.pem"));
    scratch("ca-bundle.pem", &b)
}

fn inform(output: Output) -> &'static [&'static str] {
    match output {
        Output::Der => &["-inform", "DER"],
        Output::Pem => &["-inform", "PEM"],
        Output::Mime => &[],
    }
}

#[test]
fn signed_messages_every_signer_digest_and_form() {
    let at = UnixTime::parse(AT).unwrap();
    let use_openssl = openssl();
    let bundle = ca_bundle();
    let entity = compose::entity(PAYLOAD);
    let mut checked = 0;
    for name in ["signer-rsa", "signer-p256", "signer-p384"] {
        for digest in [Digest::Sha256, Digest::Sha384, Digest::Sha512] {
            for (form, output) in [
                (SignForm::Detached, Output::Mime),
                (SignForm::Opaque, Output::Mime),
                (SignForm::Opaque, Output::Der),
                (SignForm::Opaque, Output::Pem),
            ] {
                let opts = ComposeOptions {
                    sign: Some(signer(name, digest, form, IncludeCerts::Chain)),
                    encrypt: None,
                    output,
                    at,
                    headers: vec![("Subject".into(), "composed".into())],
                };
                let bytes = compose::compose(PAYLOAD, &opts, &mut SeededRng::new(7)).unwrap();
                let ctx = format!("{name} {digest:?} {form:?} {output:?}");
                let r = sealscope_core::inspect(&bytes, &trusting_root(), &Options::new(&ctx, at));
                assert_eq!(r.verdict, Verdict::Valid, "{ctx}: {:?}", r.findings);
                assert_eq!(r.signatures[0].digest_algorithm, digest.name(), "{ctx}");
                assert_eq!(r.signatures[0].chain.status, ChainStatus::Trusted, "{ctx}");
                if use_openssl {
                    let f = scratch(&format!("signed-{checked}.msg"), &bytes);
                    let mut args = vec![
                        "-verify",
                        "-CAfile",
                        bundle.to_str().unwrap(),
                        "-purpose",
                        "any",
                    ];
                    args.extend_from_slice(inform(output));
                    let out =
                        openssl_cms(&args, &f).unwrap_or_else(|e| panic!("{ctx}: openssl: {e}"));
                    assert_eq!(out, entity, "{ctx}: openssl's verified content");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 36);
}

#[test]
fn certificate_inclusion_choices() {
    let at = UnixTime::parse(AT).unwrap();
    for (include, certs) in [
        (IncludeCerts::None, "0"),
        (IncludeCerts::Signer, "1"),
        (IncludeCerts::Chain, "2"),
    ] {
        let opts = ComposeOptions {
            sign: Some(signer(
                "signer-rsa",
                Digest::Sha256,
                SignForm::Detached,
                include,
            )),
            encrypt: None,
            output: Output::Mime,
            at,
            headers: Vec::new(),
        };
        let bytes = compose::compose(PAYLOAD, &opts, &mut SeededRng::new(1)).unwrap();
        let r = sealscope_core::inspect(&bytes, &trusting_root(), &Options::new("x", at));
        let sd = r
            .layers
            .iter()
            .find(|l| l.kind.as_str() == "cms-signed-data")
            .unwrap();
        assert!(
            sd.headers.contains(&("certificates".into(), certs.into())),
            "{include:?}"
        );
        if include == IncludeCerts::None {
            assert_eq!(
                r.signatures[0].reason_code.as_deref(),
                Some("signer-cert-not-found")
            );
        }
    }
}

#[test]
fn encrypted_messages_every_recipient_type_and_cipher() {
    let at = UnixTime::parse(AT).unwrap();
    let use_openssl = openssl();
    let entity = compose::entity(PAYLOAD);
    let mut checked = 0;
    for (recip, padding) in [
        ("recip-rsa", RsaPadding::Pkcs1v15),
        ("recip-rsa", RsaPadding::OaepSha256),
        ("recip-p256", RsaPadding::Pkcs1v15),
        ("recip-p384", RsaPadding::Pkcs1v15),
    ] {
        for cipher in [
            Cipher::Aes128Cbc,
            Cipher::Aes192Cbc,
            Cipher::Aes256Cbc,
            Cipher::Aes128Gcm,
            Cipher::Aes256Gcm,
        ] {
            for output in [Output::Mime, Output::Der] {
                let opts = ComposeOptions {
                    sign: None,
                    encrypt: Some(EncryptOptions {
                        recipients: vec![cert(recip)],
                        cipher,
                        rsa_padding: padding,
                    }),
                    output,
                    at,
                    headers: Vec::new(),
                };
                let bytes = compose::compose(PAYLOAD, &opts, &mut SeededRng::new(checked)).unwrap();
                let ctx = format!("{recip} {padding:?} {cipher:?} {output:?}");
                let mut k = Keyring::new();
                k.add_private_keys(&read(&format!("pki/{recip}.key")), None, recip)
                    .unwrap();
                k.add_certs(&read(&format!("pki/{recip}.pem")), recip)
                    .unwrap();
                let r = sealscope_core::inspect(&bytes, &k, &Options::new(&ctx, at));
                let e = &r.encryption[0];
                assert!(e.decrypted, "{ctx}: {}", e.reason);
                assert_eq!(
                    e.content_sha256.as_deref(),
                    Some(hex::encode(Digest::Sha256.hash(&entity)).as_str()),
                    "{ctx}"
                );
                if use_openssl {
                    let f = scratch(&format!("enc-{checked}.msg"), &bytes);
                    let keyp = fixture(&format!("pki/{recip}.key"));
                    let certp = fixture(&format!("pki/{recip}.pem"));
                    let mut args = vec![
                        "-decrypt",
                        "-inkey",
                        keyp.to_str().unwrap(),
                        "-recip",
                        certp.to_str().unwrap(),
                    ];
                    args.extend_from_slice(inform(output));
                    let out =
                        openssl_cms(&args, &f).unwrap_or_else(|e| panic!("{ctx}: openssl: {e}"));
                    assert_eq!(out, entity, "{ctx}: openssl's decrypted content");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 40);
}

#[test]
fn sign_then_encrypt_round_trips() {
    let at = UnixTime::parse(AT).unwrap();
    let use_openssl = openssl();
    let bundle = ca_bundle();
    for (sig, recips, cipher) in [
        ("signer-rsa", vec!["recip-rsa"], Cipher::Aes128Cbc),
        (
            "signer-p256",
            vec!["recip-p384", "recip-rsa"],
            Cipher::Aes256Gcm,
        ),
    ] {
        let opts = ComposeOptions {
            sign: Some(signer(
                sig,
                Digest::Sha256,
                SignForm::Detached,
                IncludeCerts::Chain,
            )),
            encrypt: Some(EncryptOptions {
                recipients: recips.iter().map(|r| cert(r)).collect(),
                cipher,
                rsa_padding: RsaPadding::Pkcs1v15,
            }),
            output: Output::Mime,
            at,
            headers: vec![("To".into(), "operator@example.org".into())],
        };
        let bytes = compose::compose(PAYLOAD, &opts, &mut SeededRng::new(3)).unwrap();
        let ctx = format!("{sig} → {recips:?} {cipher:?}");
        let mut k = trusting_root();
        for r in &recips {
            k.add_private_keys(&read(&format!("pki/{r}.key")), None, r)
                .unwrap();
            k.add_certs(&read(&format!("pki/{r}.pem")), r).unwrap();
        }
        let r = sealscope_core::inspect(&bytes, &k, &Options::new(&ctx, at));
        assert!(r.encryption[0].decrypted, "{ctx}");
        assert_eq!(r.signatures[0].status, SignatureStatus::Valid, "{ctx}");
        assert_eq!(r.verdict, Verdict::Valid, "{ctx}: {:?}", r.findings);
        let canonical = sealscope_core::wire::mime::canonicalise(PAYLOAD);
        assert_eq!(
            r.content.as_ref().unwrap().text.as_deref(),
            std::str::from_utf8(&canonical).ok(),
            "{ctx}"
        );
        if use_openssl {
            let f = scratch(&format!("se-{sig}.msg"), &bytes);
            let r0 = recips[0];
            let keyp = fixture(&format!("pki/{r0}.key"));
            let certp = fixture(&format!("pki/{r0}.pem"));
            let inner = openssl_cms(
                &[
                    "-decrypt",
                    "-inkey",
                    keyp.to_str().unwrap(),
                    "-recip",
                    certp.to_str().unwrap(),
                ],
                &f,
            )
            .unwrap_or_else(|e| panic!("{ctx}: openssl decrypt: {e}"));
            let g = scratch(&format!("se-{sig}.inner"), &inner);
            let out = openssl_cms(
                &[
                    "-verify",
                    "-CAfile",
                    bundle.to_str().unwrap(),
                    "-purpose",
                    "any",
                ],
                &g,
            )
            .unwrap_or_else(|e| panic!("{ctx}: openssl verify: {e}"));
            assert_eq!(out, compose::entity(PAYLOAD), "{ctx}");
        }
    }
}

#[test]
fn signer_selection_from_a_bundle_or_separate_certificates() {
    use sealscope_core::compose::{Signer, SignerProblem};
    let mut bundle = Keyring::new();
    bundle
        .add_private_keys(&read("pki/signer-rsa.key"), None, "signer-rsa.key")
        .unwrap();
    bundle
        .add_certs(&read("pki/inter-ca.pem"), "inter-ca.pem")
        .unwrap();
    bundle
        .add_certs(&read("pki/signer-rsa.pem"), "signer-rsa.pem")
        .unwrap();
    // From the bundle: the certificate with the key's public key; the rest is the chain.
    let s = Signer::select(&bundle, None, Vec::new()).unwrap();
    assert!(s.cert == cert("signer-rsa"));
    assert!(s.chain.len() == 1 && s.chain[0] == cert("inter-ca"));
    // Given separately: only those are candidates and the bundle's others are not added.
    let given = [cert("inter-ca"), cert("signer-rsa")];
    let s = Signer::select(&bundle, Some(&given), vec![cert("root-ca")]).unwrap();
    assert!(s.cert == cert("signer-rsa"));
    assert!(s.chain.len() == 1 && s.chain[0] == cert("root-ca"));
    let other = [cert("signer-p256")];
    assert_eq!(
        Signer::select(&bundle, Some(&other), Vec::new()).err(),
        Some(SignerProblem::NoMatchingCertificate)
    );
    assert_eq!(
        Signer::select(&Keyring::new(), None, Vec::new()).err(),
        Some(SignerProblem::NoKey)
    );
}
