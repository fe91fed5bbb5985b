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

/// The borrowing normaliser gives exactly what the copying one gives, for every fixture.
#[test]
fn borrowed_and_copied_normalisation_agree() {
    let mut borrowed = 0;
    for (name, bytes) in all_fixture_files() {
        let Ok(copied) = sealscope_core::cms::asn1::normalise(&bytes) else {
            continue;
        };
        let cow = sealscope_core::cms::asn1::normalise_cow(&bytes).expect("normalises");
        assert_eq!(&*cow, copied.as_slice(), "{name}");
        borrowed += usize::from(matches!(cow, std::borrow::Cow::Borrowed(_)));
    }
    assert!(borrowed >= 10, "{borrowed}");
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
    for _ in 0..100_000 {
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

// ---- Bounds: each limit gives a one-line error naming what exceeded it. ----

/// A DER element with a short or long definite length.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = (n as u32).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (4 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

fn oid(dotted_der: &[u8]) -> Vec<u8> {
    tlv(0x06, dotted_der)
}

const DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const ENVELOPED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03];
const COMPRESSED_DATA: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x09,
];
const ZLIB: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x03, 0x08,
];

fn content_info(kind: &[u8], inner: &[u8]) -> Vec<u8> {
    tlv(0x30, &[oid(kind), tlv(0xa0, inner)].concat())
}

fn inspect_error(bytes: &[u8], opts: &Options) -> String {
    let r = sealscope_core::inspect(bytes, full_keyring(), opts);
    assert_eq!(r.verdict, Verdict::Unreadable, "{:?}", r.error);
    let e = r.error.expect("an error");
    assert!(!e.contains('\n'), "one line: {e}");
    e
}

fn at() -> UnixTime {
    UnixTime::parse(AT).unwrap()
}

#[test]
fn input_size_limit_is_configurable() {
    let bytes = read("messages/rsa-sha256.eml");
    let mut opts = Options::new("limit", at());
    opts.max_input = 1024;
    let e = inspect_error(&bytes, &opts);
    assert_eq!(
        e,
        format!("input of {} bytes exceeds the limit of 1024", bytes.len())
    );
    // The same input under the default limit verifies.
    let r = sealscope_core::inspect(&bytes, full_keyring(), &Options::new("limit", at()));
    assert_eq!(r.verdict, Verdict::Valid);
    // An input refused unread (the command line measures and hashes it as it streams by).
    let r = sealscope_core::inspect::oversized(5 << 30, "ab".repeat(32), full_keyring(), &opts);
    assert_eq!(r.verdict, Verdict::Unreadable);
    assert_eq!(r.input.size, 5 << 30);
    assert_eq!(
        r.error.as_deref(),
        Some("input of 5368709120 bytes exceeds the limit of 1024")
    );
}

#[test]
fn certificates_per_signed_data_are_bounded() {
    let cert = read("pki/signer-rsa.der");
    let signed = |n: usize| {
        let certs: Vec<u8> = (0..n).flat_map(|_| cert.iter().copied()).collect();
        let sd = tlv(
            0x30,
            &[
                tlv(0x02, &[1]),
                tlv(0x31, &[]),
                tlv(0x30, &oid(DATA)),
                tlv(0xa0, &certs),
                tlv(0x31, &[]),
            ]
            .concat(),
        );
        content_info(SIGNED_DATA, &sd)
    };
    let e = inspect_error(&signed(1001), &Options::new("certs", at()));
    assert!(
        e.contains("SignedData with 1001 certificates exceeds the limit of 1000"),
        "{e}"
    );
    let r = sealscope_core::inspect(&signed(3), full_keyring(), &Options::new("certs", at()));
    assert!(
        !r.error.as_deref().unwrap_or("").contains("limit"),
        "{:?}",
        r.error
    );
}

#[test]
fn recipients_per_enveloped_data_are_bounded() {
    // KeyTransRecipientInfo: version 0, issuerAndSerialNumber, rsaEncryption, 256-byte key.
    let ktri = tlv(
        0x30,
        &[
            tlv(0x02, &[0]),
            tlv(0x30, &[tlv(0x30, &[]), tlv(0x02, &[7])].concat()),
            tlv(
                0x30,
                &[
                    oid(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]),
                    tlv(0x05, &[]),
                ]
                .concat(),
            ),
            tlv(0x04, &[0x55; 256]),
        ]
        .concat(),
    );
    let enveloped = |n: usize| {
        let ris: Vec<u8> = (0..n).flat_map(|_| ktri.iter().copied()).collect();
        let eci = tlv(
            0x30,
            &[
                oid(DATA),
                tlv(
                    0x30,
                    &[
                        oid(&[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a]),
                        tlv(0x04, &[0; 16]),
                    ]
                    .concat(),
                ),
                tlv(0x80, &[0; 32]),
            ]
            .concat(),
        );
        let ed = tlv(0x30, &[tlv(0x02, &[0]), tlv(0x31, &ris), eci].concat());
        content_info(ENVELOPED_DATA, &ed)
    };
    let e = inspect_error(&enveloped(1001), &Options::new("recipients", at()));
    assert!(
        e.contains("EnvelopedData with 1001 recipients exceeds the limit of 1000"),
        "{e}"
    );
    let r = sealscope_core::inspect(&enveloped(2), full_keyring(), &Options::new("r", at()));
    assert!(
        !r.error.as_deref().unwrap_or("").contains("limit"),
        "{:?}",
        r.error
    );
}

fn compressed(content: &[u8]) -> Vec<u8> {
    let z = miniz_oxide::deflate::compress_to_vec_zlib(content, 9);
    let cd = tlv(
        0x30,
        &[
            tlv(0x02, &[0]),
            tlv(0x30, &oid(ZLIB)),
            tlv(0x30, &[oid(DATA), tlv(0xa0, &tlv(0x04, &z))].concat()),
        ]
        .concat(),
    );
    content_info(COMPRESSED_DATA, &cd)
}

#[test]
fn decompression_is_bounded_by_ratio_and_input_limit() {
    // 4 MiB of zeros compress about 1000:1, within the ratio bound: read in full by default.
    let zeros = vec![0u8; 4 << 20];
    let bomb = compressed(&zeros);
    assert!(bomb.len() < 8192, "{}", bomb.len());
    let r = sealscope_core::inspect(&bomb, full_keyring(), &Options::new("zip", at()));
    assert_eq!(
        r.content.as_ref().map(|c| c.size),
        Some(4 << 20),
        "{:?}",
        r.error
    );
    // Under a 1 MiB input limit the same message is refused before 1 MiB is inflated.
    let mut opts = Options::new("zip", at());
    opts.max_input = 1 << 20;
    let e = inspect_error(&bomb, &opts);
    assert!(e.contains("decompressed size of"), "{e}");
    assert!(e.ends_with("exceeds the limit of 1048576"), "{e}");
    // Several CompressedData in one message share the budget: three parts of 600 KiB each
    // fit the limit one by one, not together.
    use base64::Engine;
    let part = base64::engine::general_purpose::STANDARD.encode(compressed(&vec![b'a'; 600 << 10]));
    let mut mime = String::from("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
    for _ in 0..3 {
        mime.push_str(
            "--b\r\nContent-Type: application/pkcs7-mime; smime-type=compressed-data\r\n",
        );
        mime.push_str("Content-Transfer-Encoding: base64\r\n\r\n");
        mime.push_str(&part);
        mime.push_str("\r\n");
    }
    mime.push_str("--b--\r\n");
    let r = sealscope_core::inspect(mime.as_bytes(), full_keyring(), &opts);
    let all = format!("{:?} {:?}", r.error, r.findings);
    assert!(all.contains("exceeds the limit of"), "{all}");
    let mut roomy = Options::new("zip", at());
    roomy.max_input = 4 << 20;
    let r = sealscope_core::inspect(mime.as_bytes(), full_keyring(), &roomy);
    let all = format!("{:?} {:?}", r.error, r.findings);
    assert!(!all.contains("exceeds the limit"), "{all}");
}

/// Crash inputs found by fuzzing (tests/fixtures/fuzz-regressions/<target>/<what it broke>)
/// go again through the entry point of the target that found them, and through the whole
/// pipeline and the key loaders, without a panic.
#[test]
fn fuzz_regressions() {
    let dir = fixture("fuzz-regressions");
    let mut n = 0;
    let mut targets: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    targets.sort();
    for target in targets {
        let name = target.file_name().unwrap().to_string_lossy().to_string();
        for entry in std::fs::read_dir(&target).unwrap() {
            let p = entry.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            match name.as_str() {
                "time_parse" => {
                    let text = String::from_utf8_lossy(&bytes);
                    assert!(UnixTime::parse(&text).is_err(), "{}", p.display());
                }
                "ieee1609_data" => {
                    assert!(
                        sealscope_core::ieee1609::data::decode(&bytes).is_err(),
                        "{}",
                        p.display()
                    );
                }
                _ => {}
            }
            check(&p.display().to_string(), &bytes);
            let mut k = Keyring::new();
            let _ = k.add_private_keys(&bytes, Some("sealscope"), "regression");
            let _ = k.add_anchors(&bytes, "regression");
            n += 1;
        }
    }
    assert!(n >= 2, "only {n} regression inputs under {}", dir.display());
}
