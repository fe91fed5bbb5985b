//! Large inputs (1 MiB and more), where the report's digests take shortcuts: the input's
//! SHA-256 is computed on a second thread, a SHA-256 already computed for the messageDigest
//! check or the decryption report is reused for the content, and content inside the input
//! is not copied. Every digest must still be that of the right bytes.

use sealscope_core::compose::{self, IncludeCerts, SignForm, SignOptions};
use sealscope_core::crypto::algorithms::Digest;
use sealscope_core::crypto::keys::load_private_keys;
use sealscope_core::report::{SignatureStatus, Verdict};
use sealscope_core::x509::certificate::{load_certificates, Cert};
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{read, trusting_root, AT};

fn sha(bytes: &[u8]) -> String {
    hex::encode(Digest::Sha256.hash(bytes))
}

fn cert(name: &str) -> Cert {
    load_certificates(&read(&format!("pki/{name}.pem")), name)
        .unwrap()
        .remove(0)
}

/// Bytes that are neither MIME nor DER, so that they stay one leaf.
fn payload(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..len)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if i == 0 {
                0xfe
            } else {
                (state >> 24) as u8
            }
        })
        .collect()
}

/// The test RSA signer with its intermediate, in the given form.
fn rsa_signer(digest: Digest, form: SignForm) -> SignOptions {
    SignOptions {
        cert: cert("signer-rsa"),
        key: load_private_keys(&read("pki/signer-rsa.key"), None, "signer-rsa")
            .unwrap()
            .remove(0)
            .key,
        chain: vec![cert("inter-ca")],
        digest,
        form,
        include: IncludeCerts::Chain,
    }
}

fn opaque_signed(content: &[u8], digest: Digest) -> Vec<u8> {
    let opts = rsa_signer(digest, SignForm::Opaque);
    let at = UnixTime::parse(AT).unwrap();
    compose::signed_data(content, &opts, at, true).unwrap()
}

#[test]
fn opaque_signed_data_of_three_mebibytes() {
    let at = UnixTime::parse(AT).unwrap();
    let content = payload(3 << 20);
    // SHA-256 signers share their content digest with the report; SHA-384 ones do not.
    for digest in [Digest::Sha256, Digest::Sha384] {
        let der = opaque_signed(&content, digest);
        let r = sealscope_core::inspect(&der, &trusting_root(), &Options::new("big.p7m", at));
        let ctx = format!("{digest:?}");
        assert_eq!(r.verdict, Verdict::Valid, "{ctx}: {:?}", r.findings);
        assert_eq!(r.signatures.len(), 1, "{ctx}");
        assert_eq!(r.signatures[0].status, SignatureStatus::Valid, "{ctx}");
        assert_eq!(r.input.size, der.len(), "{ctx}");
        assert_eq!(r.input.sha256, sha(&der), "{ctx}");
        let c = r.content.as_ref().expect("content");
        assert_eq!(c.size, content.len(), "{ctx}");
        assert_eq!(c.sha256, sha(&content), "{ctx}");
        assert_eq!(c.hex.as_deref(), Some(&hex::encode(&content[..256])[..]));
    }
}

#[test]
fn altered_large_content_is_caught_and_reported_with_its_own_digest() {
    let at = UnixTime::parse(AT).unwrap();
    let content = payload(2 << 20);
    let mut der = opaque_signed(&content, Digest::Sha256);
    // Flip one byte in the middle of the encapsulated content.
    let at_byte = der
        .windows(64)
        .position(|w| w == &content[1 << 20..(1 << 20) + 64])
        .expect("content inside the DER");
    der[at_byte] ^= 0x01;
    let mut altered = content.clone();
    altered[1 << 20] ^= 0x01;
    let r = sealscope_core::inspect(&der, &trusting_root(), &Options::new("altered.p7m", at));
    assert_eq!(r.verdict, Verdict::Invalid, "{:?}", r.findings);
    assert_eq!(
        r.signatures[0].reason_code.as_deref(),
        Some("content-digest-mismatch")
    );
    let c = r.content.as_ref().expect("content");
    assert_eq!(c.sha256, sha(&altered));
    assert_ne!(c.sha256, sha(&content));
    assert_eq!(r.input.sha256, sha(&der));
}

#[test]
fn one_mebibyte_envelope_decrypted() {
    let at = UnixTime::parse(AT).unwrap();
    let mut k = Keyring::new();
    k.add_private_keys(&read("pki/recip-rsa.key"), None, "recip-rsa.key")
        .unwrap();
    let der = read("encrypted/ktri-1m.der");
    assert!(der.len() > 1 << 20, "the input digest runs alongside");
    let plain = read("content/content-1m.bin");
    let r = sealscope_core::inspect(&der, &k, &Options::new("ktri-1m.der", at));
    let e = &r.encryption[0];
    assert!(e.decrypted, "{}", e.reason);
    assert_eq!(e.content_sha256.as_deref(), Some(&sha(&plain)[..]));
    let c = r.content.as_ref().expect("content");
    assert_eq!((c.size, &c.sha256), (plain.len(), &sha(&plain)));
    assert_eq!(r.input.sha256, sha(&der));
    assert_eq!(r.input.size, 1_049_046);
}

/// Digests computed while reading (the command line does this for files of 4 MiB and more)
/// replace the passes over the same bytes, and only for exactly those bytes.
#[test]
fn digests_computed_while_reading_are_used_for_exactly_their_bytes() {
    use sealscope_core::crypto::prehash::{content_range, Prehashed};
    let at = UnixTime::parse(AT).unwrap();
    let content = payload(5 << 20);
    let der = opaque_signed(&content, Digest::Sha256);
    let opts = Options::new("streamed.p7m", at);
    let range = content_range(&der[..4096], der.len()).expect("content located");
    assert_eq!(&der[range.clone()], &content[..]);
    let sha_bytes = |b: &[u8]| -> [u8; 32] { Digest::Sha256.hash(b).try_into().unwrap() };

    // The right digests: the same report as without them.
    let right = Prehashed {
        input: Some(sha_bytes(&der)),
        content: Some((range.clone(), sha_bytes(&content))),
        elided: None,
    };
    let plain = sealscope_core::inspect(&der, &trusting_root(), &opts);
    let pre = sealscope_core::inspect_prehashed(&der, &trusting_root(), &opts, &right);
    assert_eq!(pre.verdict, Verdict::Valid, "{:?}", pre.findings);
    assert_eq!(
        serde_json::to_string(&pre).unwrap(),
        serde_json::to_string(&plain).unwrap()
    );

    // A wrong content digest is believed for its range (it stands for a changed file), so the
    // signature fails on the messageDigest and the input digest given is the one reported.
    let wrong = Prehashed {
        input: Some([0x11; 32]),
        content: Some((range.clone(), [0x22; 32])),
        elided: None,
    };
    let r = sealscope_core::inspect_prehashed(&der, &trusting_root(), &opts, &wrong);
    assert_eq!(
        r.signatures[0].reason_code.as_deref(),
        Some("content-digest-mismatch")
    );
    assert_eq!(r.input.sha256, "11".repeat(32));
    assert_eq!(r.content.as_ref().expect("content").sha256, "22".repeat(32));

    // A digest for a range one byte off is not the content's: it is ignored.
    let shifted = Prehashed {
        input: None,
        content: Some((range.start + 1..range.end, [0x22; 32])),
        elided: None,
    };
    let r = sealscope_core::inspect_prehashed(&der, &trusting_root(), &opts, &shifted);
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.findings);
    assert_eq!(r.input.sha256, sha(&der));
    assert_eq!(r.content.as_ref().expect("content").sha256, sha(&content));
}

/// The same for a multipart/signed message: the signed part, located from the first bytes and
/// ended at the next delimiter, is what a digest computed while reading stands for.
#[test]
fn digests_of_a_multipart_signed_part_are_used_for_exactly_its_bytes() {
    use sealscope_core::compose::{ComposeOptions, Output};
    use sealscope_core::crypto::prehash::{locate_content, ContentLocation, Prehashed};
    let at = UnixTime::parse(AT).unwrap();
    // 5 MiB of text lines (CRLF once canonicalised).
    let text: String = (0..80_000)
        .map(|i| format!("line {i:06} of a large signed text body, long enough to matter\n"))
        .collect();
    let opts = ComposeOptions {
        sign: Some(rsa_signer(Digest::Sha256, SignForm::Detached)),
        encrypt: None,
        output: Output::Mime,
        at,
        headers: Vec::new(),
    };
    let mut rng = sealscope_core::crypto::rng::SeededRng::new(9);
    let msg = compose::compose(text.as_bytes(), &opts, &mut rng).unwrap();
    let Some(ContentLocation::UntilDelimiter { start, delimiter }) =
        locate_content(&msg[..4096], msg.len())
    else {
        panic!("the signed part is not located")
    };
    let lf = start
        + msg[start..]
            .windows(delimiter.len())
            .position(|w| w == &delimiter[..])
            .expect("delimiter");
    let end = if msg[lf - 1] == b'\r' { lf - 1 } else { lf };
    let part = &msg[start..end];
    let sha_bytes = |b: &[u8]| -> [u8; 32] { Digest::Sha256.hash(b).try_into().unwrap() };
    let name = Options::new("large.eml", at);

    let right = Prehashed {
        input: Some(sha_bytes(&msg)),
        content: Some((start..end, sha_bytes(part))),
        elided: None,
    };
    let plain = sealscope_core::inspect(&msg, &trusting_root(), &name);
    assert_eq!(plain.verdict, Verdict::Valid, "{:?}", plain.findings);
    let pre = sealscope_core::inspect_prehashed(&msg, &trusting_root(), &name, &right);
    assert_eq!(
        serde_json::to_string(&pre).unwrap(),
        serde_json::to_string(&plain).unwrap()
    );
    let wrong = Prehashed {
        input: None,
        content: Some((start..end, [0x33; 32])),
        elided: None,
    };
    let r = sealscope_core::inspect_prehashed(&msg, &trusting_root(), &name, &wrong);
    assert_eq!(
        r.signatures[0].reason_code.as_deref(),
        Some("content-digest-mismatch")
    );
}

/// The 20 MiB SHA-256 counter stream of tests/fixtures/large-detached/content.py.
fn counter_content() -> Vec<u8> {
    const LEN: usize = 20 * 1024 * 1024;
    let mut out = Vec::with_capacity(LEN);
    let mut k: u64 = 0;
    while out.len() < LEN {
        let block = Digest::Sha256.hash(&k.to_be_bytes());
        let take = (LEN - out.len()).min(32);
        out.extend_from_slice(&block[..take]);
        k += 1;
    }
    out
}

/// An opaque SignedData made by `openssl cms -sign -nodetach` (large-opaque/NAME), put back
/// together around `content`.
fn openssl_opaque(name: &str, content: &[u8]) -> Vec<u8> {
    let mut der = read(&format!("large-opaque/{name}.head"));
    der.extend_from_slice(content);
    der.extend_from_slice(&read(&format!("large-opaque/{name}.tail")));
    der
}

/// `der` as a reader that elides `elided` of `content` leaves it: zeros in place of those
/// bytes, with the digests it computed while reading.
fn elided(
    der: &[u8],
    content: std::ops::Range<usize>,
    elided: std::ops::Range<usize>,
) -> (Vec<u8>, sealscope_core::crypto::prehash::Prehashed) {
    let sha_bytes = |b: &[u8]| -> [u8; 32] { Digest::Sha256.hash(b).try_into().unwrap() };
    let pre = sealscope_core::crypto::prehash::Prehashed {
        input: Some(sha_bytes(der)),
        content: Some((content.clone(), sha_bytes(&der[content]))),
        elided: Some(elided.clone()),
    };
    let mut sparse = der.to_vec();
    sparse[elided].fill(0);
    (sparse, pre)
}

fn json(r: &sealscope_core::Report) -> String {
    serde_json::to_string(r).unwrap()
}

/// OpenSSL's opaque signatures over 20 MiB: read with all but the first 64 KiB of the content
/// elided, SHA-256 signers with signed attributes give exactly the report of the whole input;
/// the others (SHA-512, no signed attributes) need the bytes, so the reader must read it all.
#[test]
fn openssl_opaque_signatures_over_20_mib_read_with_the_content_elided() {
    use sealscope_core::crypto::prehash::{elidable, ELIDE_KEEP};
    let at = UnixTime::parse(AT).unwrap();
    let opts = Options::new("big.der", at);
    let mut content = counter_content();
    assert_eq!(
        sha(&content),
        "9bf095d081b349ee285a95f26756aec6c5e34542dc46c0cacb85faa6da69edd4"
    );
    for (name, complete) in [
        ("rsa-sha256", true),
        ("p256-sha256", true),
        ("rsa-sha512", false),
        ("rsa-sha256-noattr", false),
    ] {
        let der = openssl_opaque(name, &content);
        let (range, cut) = elidable(&der[..4096], der.len(), 16 << 20).expect(name);
        assert_eq!(&der[range.clone()], &content[..], "{name}");
        assert_eq!(cut, range.start + ELIDE_KEEP..range.end, "{name}");
        let whole = sealscope_core::inspect(&der, &trusting_root(), &opts);
        assert_eq!(
            whole.verdict,
            Verdict::Valid,
            "{name}: {:?}",
            whole.findings
        );
        let (sparse, pre) = elided(&der, range, cut);
        let got = sealscope_core::inspect_elided(&sparse, &trusting_root(), &opts, &pre);
        match got {
            Some(r) if complete => {
                assert_eq!(json(&r), json(&whole), "{name}");
                assert_eq!(r.content.as_ref().expect("content").sha256, sha(&content));
                assert_eq!(r.input.sha256, sha(&der), "{name}");
            }
            None if !complete => {}
            other => panic!("{name}: expected complete = {complete}, got {other:?}"),
        }
    }

    // One content byte changed where it is elided: the digest computed while reading no
    // longer matches, so the mismatch is left to the whole input, which reports it.
    content[10 << 20] ^= 0x40;
    let der = openssl_opaque("rsa-sha256", &content);
    let (range, cut) = elidable(&der[..4096], der.len(), 16 << 20).expect("located");
    let (sparse, pre) = elided(&der, range, cut);
    assert!(sealscope_core::inspect_elided(&sparse, &trusting_root(), &opts, &pre).is_none());
    let whole = sealscope_core::inspect(&der, &trusting_root(), &opts);
    assert_eq!(whole.verdict, Verdict::Invalid);
    assert_eq!(
        whole.signatures[0].reason_code.as_deref(),
        Some("content-digest-mismatch")
    );
}

/// What the kept first bytes cannot settle needs the elided ones: text (its media type
/// depends on every byte), MIME and nested CMS (they are read further), a profile to
/// evaluate; so does an elision outside the content or without the input's digest.
#[test]
fn elided_content_is_refused_where_the_report_would_depend_on_it() {
    use sealscope_core::crypto::prehash::{content_range, ELIDE_KEEP};
    let at = UnixTime::parse(AT).unwrap();
    let opts = Options::new("elided.p7m", at);
    let text: Vec<u8> = (0..6000)
        .flat_map(|i| format!("line {i:05} of a signed text payload\n").into_bytes())
        .collect();
    let mut mime = b"Content-Type: text/plain\r\n\r\n".to_vec();
    mime.extend_from_slice(&text);
    let mut der_like = vec![0x30];
    der_like.extend_from_slice(&payload(200_000));
    let cases: [(&str, Vec<u8>, bool); 4] = [
        ("binary", payload(200_000), true),
        ("text", text, false),
        ("mime", mime, false),
        ("starts like DER", der_like, false),
    ];
    for (what, content, complete) in cases {
        let der = opaque_signed(&content, Digest::Sha256);
        let range = content_range(&der[..4096], der.len()).expect(what);
        let cut = range.start + ELIDE_KEEP..range.end;
        let (sparse, pre) = elided(&der, range.clone(), cut.clone());
        let whole = sealscope_core::inspect(&der, &trusting_root(), &opts);
        let got = sealscope_core::inspect_elided(&sparse, &trusting_root(), &opts, &pre);
        assert_eq!(got.is_some(), complete, "{what}");
        if let Some(r) = got {
            assert_eq!(json(&r), json(&whole), "{what}");
            // A profile reads the content: with one asked for, the bytes are needed.
            let mut with_profile = opts.clone();
            with_profile.profile = Some(sealscope_core::profiles::Profile::Bitrepo);
            assert!(
                sealscope_core::inspect_elided(&sparse, &trusting_root(), &with_profile, &pre)
                    .is_none(),
                "{what} with a profile"
            );
            // Elided bytes must lie inside the content and come with the input's digest.
            let outside = sealscope_core::crypto::prehash::Prehashed {
                elided: Some(range.end - 10..der.len()),
                ..pre.clone()
            };
            assert!(
                sealscope_core::inspect_elided(&sparse, &trusting_root(), &opts, &outside)
                    .is_none()
            );
            let no_input = sealscope_core::crypto::prehash::Prehashed {
                input: None,
                ..pre.clone()
            };
            assert!(
                sealscope_core::inspect_elided(&sparse, &trusting_root(), &opts, &no_input)
                    .is_none()
            );
            // Without elision the same digests give the same report through the ordinary
            // entry point, and one that is given elision ignores it there.
            let r = sealscope_core::inspect_prehashed(&der, &trusting_root(), &opts, &pre);
            assert_eq!(json(&r), json(&whole));
        }
    }
}
