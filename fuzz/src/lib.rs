//! What the fuzz targets share: the keyring the whole-pipeline targets inspect with.

use sealscope_core::{Keyring, Options, UnixTime};
use std::sync::OnceLock;

/// The test PKI's root as trust anchor, its intermediate, both CRLs, the RSA and P-256
/// recipients' keys and the password-recipient password of the fixtures, so that mutants
/// reach chain validation, revocation and every decryption path.
pub fn keyring() -> &'static Keyring {
    static K: OnceLock<Keyring> = OnceLock::new();
    K.get_or_init(|| {
        let mut k = Keyring::new();
        let _ = k.add_anchors(
            include_bytes!("../../tests/fixtures/pki/root-ca.pem"),
            "root",
        );
        let _ = k.add_certs(
            include_bytes!("../../tests/fixtures/pki/inter-ca.pem"),
            "inter",
        );
        let _ = k.add_crls(
            include_bytes!("../../tests/fixtures/pki/inter-ca.crl.pem"),
            "inter-crl",
        );
        let _ = k.add_crls(
            include_bytes!("../../tests/fixtures/pki/root-ca.crl.pem"),
            "root-crl",
        );
        let _ = k.add_private_keys(
            include_bytes!("../../tests/fixtures/pki/recip-rsa.key"),
            None,
            "rsa",
        );
        let _ = k.add_private_keys(
            include_bytes!("../../tests/fixtures/pki/recip-p256.key"),
            None,
            "p256",
        );
        k.add_password("sealscope-pw");
        k
    })
}

/// Inspects `data` at a fixed time with [`keyring`] and writes the report as JSON, the way
/// the command line does.
pub fn inspect(data: &[u8]) {
    let opts = Options::new("fuzz", UnixTime(1_798_761_600));
    let report = sealscope_core::inspect(data, keyring(), &opts);
    let _ = report.to_json();
}

/// The P-256 test signer with its intermediate, for messages made inside a target.
fn signer(
    digest: sealscope_core::crypto::algorithms::Digest,
) -> Option<sealscope_core::compose::SignOptions> {
    use sealscope_core::compose::{IncludeCerts, SignForm, SignOptions};
    use sealscope_core::crypto::keys::load_private_keys;
    use sealscope_core::x509::certificate::load_certificates;
    let cert = |pem: &[u8], name: &str| load_certificates(pem, name).ok()?.into_iter().next();
    Some(SignOptions {
        cert: cert(
            include_bytes!("../../tests/fixtures/pki/signer-p256.pem"),
            "signer",
        )?,
        key: load_private_keys(
            include_bytes!("../../tests/fixtures/pki/signer-p256.key"),
            None,
            "signer",
        )
        .ok()?
        .into_iter()
        .next()?
        .key,
        chain: vec![cert(
            include_bytes!("../../tests/fixtures/pki/inter-ca.pem"),
            "inter",
        )?],
        digest,
        form: SignForm::Opaque,
        include: IncludeCerts::Chain,
    })
}

/// Reading with most of the encapsulated content elided gives the whole input's report or
/// none. `data`: a length byte, a digest choice, up to 64 bytes repeated into a content
/// longer than what is kept, then (position, xor) edits of the bytes around the content.
pub fn elided(data: &[u8]) {
    use sealscope_core::crypto::algorithms::Digest;
    use sealscope_core::crypto::prehash::{content_range, Prehashed, ELIDE_KEEP};
    let [len, choice, rest @ ..] = data else {
        return;
    };
    let (seed, edits) = rest.split_at(rest.len().min(64));
    if seed.is_empty() {
        return;
    }
    let digest = [Digest::Sha256, Digest::Sha384, Digest::Sha1][usize::from(*choice % 3)];
    let content: Vec<u8> = seed
        .iter()
        .cycle()
        .take(ELIDE_KEEP + 1 + usize::from(*len) * 97)
        .copied()
        .collect();
    let Some(opts) = signer(digest) else { return };
    let at = UnixTime(1_798_761_600);
    let Ok(mut der) = sealscope_core::compose::signed_data(&content, &opts, at, true) else {
        return;
    };
    let Some(range) = content_range(&der, der.len()) else {
        return;
    };
    // Edits land outside the content: in the headers before it or the certificates and
    // SignerInfo after it.
    let outside = der.len() - range.len();
    for e in edits.chunks_exact(3) {
        let at = usize::from(u16::from_be_bytes([e[0], e[1]])) % outside;
        let at = if at < range.start {
            at
        } else {
            at + range.len()
        };
        der[at] ^= e[2];
    }
    let Some(range) = content_range(&der, der.len()) else {
        return;
    };
    if range.len() <= ELIDE_KEEP {
        return;
    }
    let sha = |b: &[u8]| -> Option<[u8; 32]> { Digest::Sha256.hash(b).try_into().ok() };
    let elided = range.start + ELIDE_KEEP..range.end;
    let pre = Prehashed {
        input: sha(&der),
        content: sha(&der[range.clone()]).map(|d| (range, d)),
        elided: Some(elided.clone()),
    };
    let mut sparse = der.clone();
    sparse[elided].fill(0);
    let opts = Options::new("fuzz", at);
    let whole = sealscope_core::inspect(&der, keyring(), &opts);
    if let Some(r) = sealscope_core::inspect_elided(&sparse, keyring(), &opts, &pre) {
        assert_eq!(r.to_json(), whole.to_json(), "elided report differs");
    }
}
