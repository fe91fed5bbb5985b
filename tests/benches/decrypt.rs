//! `decrypt`: open an RSA-2048 key-transport EnvelopedData with AES-256-CBC content, 4 KiB
//! and 1 MiB, through the whole inspection (parse, key transport, content decryption,
//! content digest).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{read, AT};
use std::hint::black_box;

fn decrypt(c: &mut Criterion) {
    let mut keyring = Keyring::new();
    keyring
        .add_private_keys(&read("pki/recip-rsa.key"), None, "recip-rsa.key")
        .expect("key");
    keyring
        .add_certs(&read("pki/recip-rsa.pem"), "recip-rsa.pem")
        .expect("cert");
    let at = UnixTime::parse(AT).expect("time");
    let mut group = c.benchmark_group("decrypt");
    for (name, file) in [
        ("rsa2048-aes256cbc-4k", "encrypted/ktri-4k.der"),
        ("rsa2048-aes256cbc-1m", "encrypted/ktri-1m.der"),
    ] {
        let bytes = read(file);
        let opts = Options::new(file, at);
        let check = sealscope_core::inspect(&bytes, &keyring, &opts);
        assert!(
            check.encryption[0].decrypted,
            "{file}: {}",
            check.encryption[0].reason
        );
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| sealscope_core::inspect(black_box(&bytes), &keyring, &opts))
        });
    }
    group.finish();
}

criterion_group!(benches, decrypt);
criterion_main!(benches);
