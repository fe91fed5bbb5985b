//! IEEE 1609.2 signature rules: HashedId8, the signing input of §5.3.1 and ECDSA over
//! NIST P-256 / P-384 and brainpoolP256r1 / brainpoolP384r1 (SM2 is recognised only).

use super::data::{Certificate, Curve, HashAlg, Issuer, Point, Signature, VerifyKey};
use sha2::Digest as _;

/// Hashes with a 1609.2 hash algorithm (SM3 is not computed).
pub fn hash(alg: HashAlg, bytes: &[u8]) -> Option<Vec<u8>> {
    match alg {
        HashAlg::Sha256 => Some(sha2::Sha256::digest(bytes).to_vec()),
        HashAlg::Sha384 => Some(sha2::Sha384::digest(bytes).to_vec()),
        HashAlg::Sm3 => None,
    }
}

fn point_choice_xonly(size: usize, x: &[u8]) -> Vec<u8> {
    let mut v = vec![0x80];
    let mut padded = vec![0u8; size.saturating_sub(x.len())];
    padded.extend_from_slice(x);
    v.extend_from_slice(&padded);
    v
}

/// The COER of a Signature with r in x-only form (the canonical form of §6.3.29).
fn canonical_signature(sig: &Signature) -> Option<Vec<u8>> {
    let size = sig.curve.size();
    let mut inner = point_choice_xonly(size, sig.r.x()?);
    inner.extend_from_slice(&sig.s);
    let (tag, open) = match sig.curve {
        Curve::NistP256 => (0x80u8, false),
        Curve::BrainpoolP256 => (0x81, false),
        Curve::BrainpoolP384 => (0x82, true),
        Curve::NistP384 => (0x83, true),
        Curve::Sm2 => (0x84, true),
    };
    let mut out = vec![tag];
    if open {
        // Open type: a length determinant, then the value.
        if inner.len() < 128 {
            out.push(inner.len() as u8);
        } else {
            out.push(0x81);
            out.push(inner.len() as u8);
        }
    }
    out.extend_from_slice(&inner);
    Some(out)
}

/// The certificate's encoding in canonical form: as sent, except that an issuer signature
/// whose r is a compressed or uncompressed point is rewritten with r as x only.
pub fn canonical(cert: &Certificate) -> Vec<u8> {
    match (&cert.signature, cert.signature_at) {
        (Some(sig), Some(at)) if !matches!(sig.r, Point::XOnly(_)) => {
            match canonical_signature(sig) {
                Some(s) => {
                    let mut v = cert.bytes[..at].to_vec();
                    v.extend_from_slice(&s);
                    v
                }
                None => cert.bytes.clone(),
            }
        }
        _ => cert.bytes.clone(),
    }
}

/// The hash algorithm a certificate's HashedId8 is computed with: the one its issuer field
/// names (SHA-256 for `sha256AndDigest` and `self(sha256)`).
pub fn id_hash(cert: &Certificate) -> HashAlg {
    match cert.issuer {
        Issuer::SelfSigned(a) => a,
        Issuer::Digest { alg, .. } => alg,
    }
}

/// HashedId8: the low-order eight bytes of the hash of the canonical encoding.
pub fn hashed_id8(cert: &Certificate) -> Option<[u8; 8]> {
    let h = hash(id_hash(cert), &canonical(cert))?;
    let mut out = [0u8; 8];
    out.copy_from_slice(&h[h.len() - 8..]);
    Some(out)
}

/// e = H( H(data) || H(signer) ), §5.3.1 (signer: the signer certificate's canonical
/// encoding, or empty for `self`).
pub fn signing_input(alg: HashAlg, data: &[u8], signer: &[u8]) -> Option<Vec<u8>> {
    let mut both = hash(alg, data)?;
    both.extend_from_slice(&hash(alg, signer)?);
    hash(alg, &both)
}

/// Why a signature did not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The algorithm is not supported here.
    Unsupported(String),
    /// The key or signature values are malformed.
    Malformed(String),
    /// The signature does not verify.
    Invalid,
    /// An implicit certificate's key cannot be reconstructed: its issuer is not known.
    IssuerMissing(String),
}

impl Failure {
    /// The failure in words; `when_invalid` says what an invalid signature means where the
    /// caller checked one (the other kinds carry their own words).
    pub fn reason(self, when_invalid: &str) -> String {
        match self {
            Failure::Invalid => when_invalid.to_string(),
            Failure::Malformed(m) | Failure::Unsupported(m) | Failure::IssuerMissing(m) => m,
        }
    }
}

/// Verifies `sig` over the prehashed `e` with the key `point` on `curve`.
pub fn ecdsa(curve: Curve, point: &Point, e: &[u8], sig: &Signature) -> Result<(), Failure> {
    if sig.curve != curve {
        return Err(Failure::Malformed(format!(
            "the signature is {} but the key is {}",
            sig.curve.name(),
            curve.name()
        )));
    }
    let key = point.sec1().ok_or_else(|| {
        Failure::Malformed(format!(
            "the verification key is given as {}, which does not determine a point",
            point.form()
        ))
    })?;
    let r = sig
        .r
        .x()
        .ok_or_else(|| Failure::Malformed("rSig is `fill`".into()))?;
    match curve {
        Curve::NistP256 => {
            let vk = crate::crypto::ecdsa_p256::VerifyingKey::from_sec1(&key)
                .ok_or_else(|| Failure::Malformed("the P-256 key is not a curve point".into()))?;
            let s = p256::ecdsa::Signature::from_slice(&[r, &sig.s[..]].concat())
                .map_err(|_| Failure::Malformed("r or s is out of range".into()))?;
            if vk.verify_signature(e, &s) {
                Ok(())
            } else {
                Err(Failure::Invalid)
            }
        }
        Curve::NistP384 => {
            use p384::ecdsa::signature::hazmat::PrehashVerifier;
            let vk = p384::ecdsa::VerifyingKey::from_sec1_bytes(&key)
                .map_err(|_| Failure::Malformed("the P-384 key is not a curve point".into()))?;
            let s = p384::ecdsa::Signature::from_slice(&[r, &sig.s[..]].concat())
                .map_err(|_| Failure::Malformed("r or s is out of range".into()))?;
            vk.verify_prehash(e, &s).map_err(|_| Failure::Invalid)
        }
        Curve::BrainpoolP256 => {
            use ecdsa::signature::hazmat::PrehashVerifier;
            type C = bp256::r1::BrainpoolP256r1;
            let vk = ecdsa::VerifyingKey::<C>::from_sec1_bytes(&key).map_err(|_| {
                Failure::Malformed("the brainpoolP256r1 key is not a curve point".into())
            })?;
            let s = ecdsa::Signature::<C>::from_slice(&[r, &sig.s[..]].concat())
                .map_err(|_| Failure::Malformed("r or s is out of range".into()))?;
            vk.verify_prehash(e, &s).map_err(|_| Failure::Invalid)
        }
        Curve::BrainpoolP384 => {
            use ecdsa::signature::hazmat::PrehashVerifier;
            type C = bp384::r1::BrainpoolP384r1;
            let vk = ecdsa::VerifyingKey::<C>::from_sec1_bytes(&key).map_err(|_| {
                Failure::Malformed("the brainpoolP384r1 key is not a curve point".into())
            })?;
            let s = ecdsa::Signature::<C>::from_slice(&[r, &sig.s[..]].concat())
                .map_err(|_| Failure::Malformed("r or s is out of range".into()))?;
            vk.verify_prehash(e, &s).map_err(|_| Failure::Invalid)
        }
        Curve::Sm2 => Err(Failure::Unsupported(
            "SM2 signatures are not verified by this version".into(),
        )),
    }
}

/// The explicit key of a certificate, if it has one.
pub fn key_of(cert: &Certificate) -> Option<(Curve, &Point)> {
    match &cert.verify_key {
        VerifyKey::Key { curve, point } => Some((*curve, point)),
        VerifyKey::Reconstruction(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ieee1609::data::{decode, decode_certificate, Content, Signed};

    macro_rules! fixture {
        ($($p:tt)+) => {
            include_bytes!(concat!("../../../tests/fixtures/ieee1609/", $($p)+)).as_slice()
        };
    }
    /// certs/<name>.coer, decoded.
    macro_rules! cert {
        ($n:literal) => {
            decode_certificate(fixture!("certs/", $n, ".coer")).unwrap()
        };
    }
    /// signed/<name>.coer, its signedData.
    macro_rules! signed {
        ($n:literal) => {
            match decode(fixture!("signed/", $n, ".coer")).unwrap().content {
                Content::Signed(s) => *s,
                other => panic!("{other:?}"),
            }
        };
    }

    /// Verifies `s` with `key`'s key and e = H(H(tbsData) || H(signer)).
    fn check(s: &Signed, key: &Certificate, signer: &[u8]) -> Result<(), Failure> {
        let (curve, point) = key_of(key).unwrap();
        let e = signing_input(s.hash, &s.tbs, signer).unwrap();
        ecdsa(curve, point, &e, &s.signature)
    }

    #[test]
    fn hashed_id8_of_the_canonical_form() {
        let id = |c: Certificate| hex::encode(hashed_id8(&c).unwrap());
        assert_eq!(id(cert!("root-p256")), "9abe629c663f2e43");
        // self(sha384): the low eight bytes of SHA-384.
        assert_eq!(id(cert!("root-p384")), "0b153fc8154b21e3");
        assert_eq!(id(cert!("root-bp384")), "43cebbce653615b5");
        // rSig as a compressed point is hashed in x-only form: the canonical bytes are
        // those of the same certificate sent x-only.
        let rc = cert!("ee-p256.r-compressed");
        assert_eq!(canonical(&rc), fixture!("certs/ee-p256.coer"));
        assert_eq!(id(rc), "8ac46eedceee9b2f");
    }

    #[test]
    fn hash_then_sign_with_the_signer_identifier() {
        let ee = cert!("ee-p256");
        let signer = canonical(&ee);
        let s = signed!("p256-certificate");
        assert_eq!(check(&s, &ee, &signer), Ok(()));
        // Without the signer part of e it does not verify.
        assert_eq!(check(&s, &ee, &[]), Err(Failure::Invalid));
        // Re-signed with e = H(tbsData) alone: verifies only under that wrong rule.
        let rule = signed!("tampered-p256-hash-rule");
        assert_eq!(check(&rule, &ee, &signer), Err(Failure::Invalid));
        let (curve, point) = key_of(&ee).unwrap();
        let e = hash(HashAlg::Sha256, &rule.tbs).unwrap();
        assert_eq!(ecdsa(curve, point, &e, &rule.signature), Ok(()));
        // r sent as the point R (compressed-y-1): its x is r.
        let rc1 = signed!("p256-certificate-rc1");
        assert_eq!(check(&rc1, &ee, &signer), Ok(()));
        let bad_s = signed!("tampered-p256-signature-s");
        assert_eq!(check(&bad_s, &ee, &signer), Err(Failure::Invalid));
    }

    #[test]
    fn each_curve_self_signed() {
        // `self`: an empty signer input and the root's key; 384-bit curves hash with SHA-384.
        let cases = [
            (signed!("p256-self"), cert!("root-p256"), HashAlg::Sha256),
            (signed!("p384-self"), cert!("root-p384"), HashAlg::Sha384),
            (signed!("bp256-self"), cert!("root-bp256"), HashAlg::Sha256),
            (signed!("bp384-self"), cert!("root-bp384"), HashAlg::Sha384),
        ];
        for (s, root, alg) in cases {
            assert_eq!((s.hash, check(&s, &root, &[])), (alg, Ok(())));
        }
    }

    #[test]
    fn unusable_keys_and_signatures() {
        let sig = signed!("p256-self").signature;
        let e = [0u8; 32];
        let malformed = |why: &str| Err(Failure::Malformed(why.into()));
        let x = Point::XOnly(vec![1; 32]);
        let why = "the verification key is given as x-only, which does not determine a point";
        assert_eq!(ecdsa(Curve::NistP256, &x, &e, &sig), malformed(why));
        let why = "the signature is ecdsa-p256 but the key is ecdsa-p384";
        assert_eq!(ecdsa(Curve::NistP384, &x, &e, &sig), malformed(why));
        let root = cert!("root-p256");
        let (curve, point) = key_of(&root).unwrap();
        let mut fill = sig.clone();
        fill.r = Point::Fill;
        assert_eq!(ecdsa(curve, point, &e, &fill), malformed("rSig is `fill`"));
        let mut sm2 = sig;
        sm2.curve = Curve::Sm2;
        let why = "SM2 signatures are not verified by this version";
        assert_eq!(
            ecdsa(Curve::Sm2, point, &e, &sm2),
            Err(Failure::Unsupported(why.into()))
        );
        assert_eq!(hash(HashAlg::Sm3, b"x"), None);
        // An implicit certificate has no explicit key.
        assert_eq!(key_of(&cert!("implicit-p256")), None);
    }
}
