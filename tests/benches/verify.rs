//! `verify`: parse + verify a 4 KiB multipart/signed message with a chain of 3
//! (signer and intermediate in the message, root as trust anchor), RSA-2048 and P-256.
//!
//! The side-by-side comparison with OpenSSL in the same run belongs to the performance
//! work; this benchmark gives the figures it starts from.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sealscope_core::report::Verdict;
use sealscope_core::{Options, UnixTime};
use sealscope_tests::{read, trusting_root, AT};
use std::hint::black_box;

fn verify(c: &mut Criterion) {
    let keyring = trusting_root();
    let at = UnixTime::parse(AT).expect("time");
    let mut group = c.benchmark_group("verify");
    for (name, file) in [
        ("rsa2048-sha256-4k", "messages/bench-rsa-4k.eml"),
        ("p256-sha256-4k", "messages/bench-p256-4k.eml"),
    ] {
        let bytes = read(file);
        let opts = Options::new(file, at);
        let check = sealscope_core::inspect(&bytes, &keyring, &opts);
        assert_eq!(
            check.verdict,
            Verdict::Valid,
            "{file}: {:?}",
            check.findings
        );
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| sealscope_core::inspect(black_box(&bytes), &keyring, &opts))
        });
    }
    group.finish();
}

criterion_group!(benches, verify);
criterion_main!(benches);
