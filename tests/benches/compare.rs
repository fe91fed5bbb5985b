//! `compare`: sealscope and OpenSSL (the `openssl` crate, in-process) on the same inputs in
//! the same run. Each group has a `sealscope` and an `openssl` function; `scripts/bench.sh`
//! turns criterion's estimates into the ratios of docs/performance.md.
//!
//! - `verify-rsa2048-4k` / `verify-p256-4k`: parse and verify a 4 KiB multipart/signed
//!   message whose signer and intermediate are in the message, chain of three to the test
//!   root as the only trust anchor (OpenSSL: SMIME_read_PKCS7, which also returns the
//!   detached content, + PKCS7_verify with an X509_STORE holding the root, verification
//!   time fixed like sealscope's).
//! - `decrypt-rsa2048-aes256cbc-1m`: open a 1 MiB RSA key-transport EnvelopedData
//!   (OpenSSL: d2i CMS + CMS_decrypt with the recipient's key and certificate).
//! - `ieee1609-p256`: sealscope decodes an IEEE 1609.2 SPDU and verifies its P-256 data
//!   signature (signing input per §5.3.1, signer certificate in the message); OpenSSL
//!   verifies the same signature over the same digest with ECDSA_do_verify.

use criterion::{criterion_group, Criterion};
use openssl::bn::BigNum;
use openssl::cms::CmsContentInfo;
use openssl::ec::{EcGroup, EcKey, EcPoint};
use openssl::ecdsa::EcdsaSig;
use openssl::nid::Nid;
use openssl::pkcs7::{Pkcs7, Pkcs7Flags};
use openssl::pkey::PKey;
use openssl::stack::Stack;
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::verify::X509VerifyParam;
use openssl::x509::X509;
use sealscope_core::ieee1609::{data, verify};
use sealscope_core::report::Verdict;
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{read, trusting_root, AT};
use std::hint::black_box;

fn store(at: UnixTime) -> X509Store {
    let mut b = X509StoreBuilder::new().expect("store");
    b.add_cert(X509::from_pem(&read("pki/root-ca.pem")).expect("root"))
        .expect("add root");
    let mut param = X509VerifyParam::new().expect("param");
    param.set_time(at.0);
    b.set_param(&param).expect("param");
    b.build()
}

fn verify_groups(c: &mut Criterion) {
    let keyring = trusting_root();
    let at = UnixTime::parse(AT).expect("time");
    let store = store(at);
    for (group, file) in [
        ("verify-rsa2048-4k", "messages/bench-rsa-4k.eml"),
        ("verify-p256-4k", "messages/bench-p256-4k.eml"),
    ] {
        let bytes = read(file);
        let opts = Options::new(file, at);
        let r = sealscope_core::inspect(&bytes, &keyring, &opts);
        assert_eq!(r.verdict, Verdict::Valid, "{file}: {:?}", r.findings);
        let none: Stack<X509> = Stack::new().expect("stack");
        let openssl_verify = |bytes: &[u8]| {
            let (p7, content) = Pkcs7::from_smime(bytes).expect("read");
            let mut out = Vec::new();
            p7.verify(
                &none,
                &store,
                content.as_deref(),
                Some(&mut out),
                Pkcs7Flags::empty(),
            )
            .map(|()| out)
        };
        openssl_verify(&bytes).expect("openssl verifies");
        let mut g = c.benchmark_group(group);
        g.bench_function("sealscope", |b| {
            b.iter(|| sealscope_core::inspect(black_box(&bytes), &keyring, &opts))
        });
        g.bench_function("openssl", |b| {
            b.iter(|| openssl_verify(black_box(&bytes)).expect("verify"))
        });
        g.finish();
    }
}

fn decrypt_group(c: &mut Criterion) {
    let at = UnixTime::parse(AT).expect("time");
    let mut keyring = Keyring::new();
    keyring
        .add_private_keys(&read("pki/recip-rsa.key"), None, "recip-rsa.key")
        .expect("key");
    keyring
        .add_certs(&read("pki/recip-rsa.pem"), "recip-rsa.pem")
        .expect("cert");
    let file = "encrypted/ktri-1m.der";
    let bytes = read(file);
    let opts = Options::new(file, at);
    let r = sealscope_core::inspect(&bytes, &keyring, &opts);
    assert!(r.encryption[0].decrypted, "{}", r.encryption[0].reason);
    let pkey = PKey::private_key_from_pem(&read("pki/recip-rsa.key")).expect("key");
    let cert = X509::from_pem(&read("pki/recip-rsa.pem")).expect("cert");
    let plain = CmsContentInfo::from_der(&bytes)
        .expect("der")
        .decrypt(&pkey, &cert)
        .expect("openssl decrypts");
    assert_eq!(Some(plain.len()), r.content.as_ref().map(|c| c.size));
    let mut g = c.benchmark_group("decrypt-rsa2048-aes256cbc-1m");
    g.bench_function("sealscope", |b| {
        b.iter(|| sealscope_core::inspect(black_box(&bytes), &keyring, &opts))
    });
    g.bench_function("openssl", |b| {
        b.iter(|| {
            CmsContentInfo::from_der(black_box(&bytes))
                .expect("der")
                .decrypt(&pkey, &cert)
                .expect("decrypt")
        })
    });
    g.finish();
}

fn ieee1609_group(c: &mut Criterion) {
    let bytes = read("ieee1609/signed/p256-certificate.coer");
    let check = |bytes: &[u8]| -> bool {
        let d = data::decode(bytes).expect("decodes");
        let data::Content::Signed(s) = &d.content else {
            panic!("signed")
        };
        let data::Signer::Certificates(certs) = &s.signer else {
            panic!("certificate signer")
        };
        let e = verify::signing_input(s.hash, &s.tbs, &verify::canonical(&certs[0])).expect("e");
        let (curve, point) = verify::key_of(&certs[0]).expect("key");
        verify::ecdsa(curve, point, &e, &s.signature).is_ok()
    };
    assert!(check(&bytes));
    // The same digest, key and signature for OpenSSL.
    let d = data::decode(&bytes).expect("decodes");
    let data::Content::Signed(s) = &d.content else {
        panic!("signed")
    };
    let data::Signer::Certificates(certs) = &s.signer else {
        panic!("certificate signer")
    };
    let e = verify::signing_input(s.hash, &s.tbs, &verify::canonical(&certs[0])).expect("e");
    let (_, point) = verify::key_of(&certs[0]).expect("key");
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("group");
    let mut ctx = openssl::bn::BigNumContext::new().expect("ctx");
    let sec1 = point.sec1().expect("a point");
    let pt = EcPoint::from_bytes(&group, &sec1, &mut ctx).expect("point");
    let key = EcKey::from_public_key(&group, &pt).expect("key");
    let r = s.signature.r.x().expect("r");
    let sig = EcdsaSig::from_private_components(
        BigNum::from_slice(r).expect("r"),
        BigNum::from_slice(&s.signature.s).expect("s"),
    )
    .expect("sig");
    assert!(sig.verify(&e, &key).expect("openssl verify runs"));
    let mut g = c.benchmark_group("ieee1609-p256");
    g.bench_function("sealscope", |b| b.iter(|| check(black_box(&bytes))));
    g.bench_function("openssl", |b| {
        b.iter(|| sig.verify(black_box(&e), &key).expect("verify"))
    });
    g.finish();
}

criterion_group!(benches, verify_groups, decrypt_group, ieee1609_group);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
