//! `ieee1609`: decode + verify an IEEE 1609.2 signed SPDU (P-256, signer certificate in the
//! message, chain of three to a 1609.2 root), and the bare ECDSA P-256 verification of its
//! prehashed input — the figure to put beside `openssl speed ecdsap256` (verify/s).

use criterion::{criterion_group, criterion_main, Criterion};
use sealscope_core::ieee1609::{data, verify};
use sealscope_core::report::Verdict;
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::read;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut k = Keyring::new();
    k.add_anchors(&read("ieee1609/certs/root-p256.coer"), "root")
        .expect("root");
    k.add_certs(&read("ieee1609/certs/eca-p256.coer"), "eca")
        .expect("eca");
    let at = UnixTime::parse("2025-06-01T12:00:30Z").expect("time");
    let bytes = read("ieee1609/signed/p256-certificate.coer");
    let opts = Options::new("p256-certificate.coer", at);
    assert_eq!(
        sealscope_core::inspect(&bytes, &k, &opts).verdict,
        Verdict::Valid
    );
    let mut group = c.benchmark_group("ieee1609");
    group.bench_function("inspect-p256-spdu-chain3", |b| {
        b.iter(|| sealscope_core::inspect(black_box(&bytes), &k, &opts))
    });
    // The data signature alone: e computed once, one ECDSA verification per iteration.
    let d = data::decode(&bytes).expect("decodes");
    let data::Content::Signed(s) = &d.content else {
        panic!("signed")
    };
    let data::Signer::Certificates(certs) = &s.signer else {
        panic!("certificate signer")
    };
    let e = verify::signing_input(s.hash, &s.tbs, &verify::canonical(&certs[0])).expect("e");
    let (curve, point) = verify::key_of(&certs[0]).expect("key");
    group.bench_function("ecdsa-p256-verify-prehash", |b| {
        b.iter(|| verify::ecdsa(curve, point, black_box(&e), &s.signature).expect("valid"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
