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
    };
    let r = sealscope_core::inspect_prehashed(&msg, &trusting_root(), &name, &wrong);
    assert_eq!(
        r.signatures[0].reason_code.as_deref(),
        Some("content-digest-mismatch")
    );
}
