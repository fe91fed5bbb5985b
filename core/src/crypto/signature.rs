//! Public keys and signature verification: RSA PKCS#1 v1.5 and PSS (RFC 8017, RFC 4055),
//! ECDSA over P-256 and P-384 (RFC 5753, RFC 5758), DSA, and Ed25519 (RFC 8032, RFC 8419).
//!
//! Over 600 lines only with its unit tests (~500 lines of code): key parsing, algorithm
//! resolution and the verification they feed are read together.

use crate::cms::asn1;
use crate::crypto::algorithms::{
    key, signature_oid_digest, signature_oid_family, Digest, SignatureScheme,
};
use der::Encode;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// A public key sealscope can verify with.
#[derive(Clone, Debug)]
pub enum PublicKey {
    /// RSA (rsaEncryption or id-RSASSA-PSS keys).
    Rsa(rsa::RsaPublicKey),
    /// ECDSA over NIST P-256.
    P256(p256::ecdsa::VerifyingKey),
    /// ECDSA over NIST P-384.
    P384(p384::ecdsa::VerifyingKey),
    /// DSA (parameters possibly inherited from the issuer).
    Dsa(crate::crypto::dsa::DsaKey),
    /// Ed25519 (RFC 8410).
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl PublicKey {
    /// Reads a SubjectPublicKeyInfo.
    pub fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Result<Self, String> {
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or("public key BIT STRING has unused bits")?;
        let alg = &spki.algorithm.oid;
        if *alg == key::RSA || *alg == key::RSA_PSS {
            use rsa::pkcs1::DecodeRsaPublicKey;
            return rsa::RsaPublicKey::from_pkcs1_der(bits)
                .map(PublicKey::Rsa)
                .map_err(|e| format!("RSA public key is malformed: {e}"));
        }
        if *alg == key::EC {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok())
                .ok_or("EC public key has no named curve")?;
            if curve == key::P256 {
                return p256::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                    .map(PublicKey::P256)
                    .map_err(|_| "P-256 public key is not a valid curve point".to_string());
            }
            if curve == key::P384 {
                return p384::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                    .map(PublicKey::P384)
                    .map_err(|_| "P-384 public key is not a valid curve point".to_string());
            }
            let name = if curve == key::P521 {
                "P-521".to_string()
            } else {
                curve.to_string()
            };
            return Err(format!("EC curve {name} is not supported"));
        }
        if *alg == key::ED25519 {
            // RFC 8410 §3: the parameters MUST be absent.
            if spki.algorithm.parameters.is_some() {
                return Err("Ed25519 public key has parameters, which RFC 8410 forbids".into());
            }
            let bytes: [u8; 32] = bits
                .try_into()
                .map_err(|_| format!("Ed25519 public key is {} bytes, not 32", bits.len()))?;
            return ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .map(PublicKey::Ed25519)
                .map_err(|_| "Ed25519 public key is not a valid curve point".to_string());
        }
        if *alg == key::DSA {
            let params = spki
                .algorithm
                .parameters
                .as_ref()
                .map(|p| p.to_der())
                .transpose()
                .map_err(|e| format!("DSA parameters cannot be encoded: {e}"))?;
            return crate::crypto::dsa::DsaKey::from_spki_parts(params.as_deref(), bits)
                .map(PublicKey::Dsa);
        }
        Err(format!(
            "public key algorithm {} is not supported",
            crate::crypto::algorithms::oid_name(alg)
        ))
    }

    /// "rsa-2048", "ec-p256", "ec-p384".
    pub fn describe(&self) -> String {
        match self {
            PublicKey::Rsa(k) => {
                use rsa::traits::PublicKeyParts;
                format!("rsa-{}", k.n().bits())
            }
            PublicKey::P256(_) => "ec-p256".into(),
            PublicKey::P384(_) => "ec-p384".into(),
            PublicKey::Dsa(k) => match &k.params {
                Some(p) => format!("dsa-{}", p.p_bits()),
                None => "dsa (parameters inherited)".into(),
            },
            PublicKey::Ed25519(_) => "ed25519".into(),
        }
    }

    /// The key family word used in messages ("RSA", "P-256 ECDSA", …).
    pub fn family(&self) -> &'static str {
        match self {
            PublicKey::Rsa(_) => "RSA",
            PublicKey::P256(_) => "P-256 ECDSA",
            PublicKey::P384(_) => "P-384 ECDSA",
            PublicKey::Dsa(_) => "DSA",
            PublicKey::Ed25519(_) => "Ed25519",
        }
    }
}

/// A signature algorithm resolved to scheme + digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigAlg {
    /// The scheme.
    pub scheme: SignatureScheme,
    /// The digest the signer hashed with.
    pub digest: Digest,
}

impl SigAlg {
    /// Report name of the scheme for a given key: `rsa-pkcs1v15`, `rsa-pss`, `ecdsa-p256`, …
    pub fn name(&self, key: Option<&PublicKey>) -> String {
        match self.scheme {
            SignatureScheme::RsaPkcs1v15 => "rsa-pkcs1v15".into(),
            SignatureScheme::RsaPss { .. } => "rsa-pss".into(),
            SignatureScheme::Ecdsa => match key {
                Some(PublicKey::P256(_)) => "ecdsa-p256".into(),
                Some(PublicKey::P384(_)) => "ecdsa-p384".into(),
                _ => "ecdsa".into(),
            },
            SignatureScheme::Dsa => "dsa".into(),
            SignatureScheme::Ed25519 => "ed25519".into(),
        }
    }
}

/// Why a signature algorithm cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// Resolves an AlgorithmIdentifier. `digest` is the digest named elsewhere (a SignerInfo's
/// digestAlgorithm); when `None`, the signature OID must name one (certificates, CRLs).
pub fn resolve(
    alg: &AlgorithmIdentifierOwned,
    digest: Option<Digest>,
) -> Result<SigAlg, Unsupported> {
    let family = signature_oid_family(&alg.oid).ok_or_else(|| {
        Unsupported(format!(
            "signature algorithm {} is not supported",
            crate::crypto::algorithms::oid_name(&alg.oid)
        ))
    })?;
    match family {
        "rsa-pss" => {
            let (hash, salt_len) = pss_params(alg)?;
            Ok(SigAlg {
                scheme: SignatureScheme::RsaPss { hash, salt_len },
                digest: digest.unwrap_or(hash),
            })
        }
        // The digest a SignerInfo names (SHA-512, RFC 8419 §3) is for its messageDigest
        // attribute only; a certificate's Ed25519 signature names none.
        "ed25519" => Ok(SigAlg {
            scheme: SignatureScheme::Ed25519,
            digest: digest.unwrap_or(Digest::Sha512),
        }),
        fam => {
            let digest = digest
                .or_else(|| signature_oid_digest(&alg.oid))
                .ok_or_else(|| {
                    Unsupported(format!(
                        "signature algorithm {} names no digest",
                        crate::crypto::algorithms::oid_name(&alg.oid)
                    ))
                })?;
            let scheme = match fam {
                "ecdsa" => SignatureScheme::Ecdsa,
                "dsa" => SignatureScheme::Dsa,
                _ => SignatureScheme::RsaPkcs1v15,
            };
            Ok(SigAlg { scheme, digest })
        }
    }
}

/// The fields of RSASSA-PSS-params and RSAES-OAEP-params (RFC 4055 §3.1, §4.1), which share
/// `[0] hash` and `[1] maskGen` and differ in `[2]` (salt length / pSource label).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaParams {
    /// The hash (default SHA-1).
    pub hash: Digest,
    /// The MGF1 hash (default SHA-1).
    pub mgf_hash: Digest,
    /// PSS salt length (default 20).
    pub salt_len: usize,
    /// OAEP label from pSpecified (default empty).
    pub label: Vec<u8>,
}

/// Reads RSASSA-PSS-params or RSAES-OAEP-params; absent or NULL parameters mean defaults.
pub fn rsa_params(alg: &AlgorithmIdentifierOwned, what: &str) -> Result<RsaParams, Unsupported> {
    let bad = |why: &str| Unsupported(format!("{what} parameters {why}"));
    let mut out = RsaParams {
        hash: Digest::Sha1,
        mgf_hash: Digest::Sha1,
        salt_len: 20,
        label: Vec::new(),
    };
    let Some(params) = alg.parameters.as_ref() else {
        return Ok(out);
    };
    let der = params.to_der().map_err(|_| bad("cannot be encoded"))?;
    if der == [0x05, 0x00] {
        return Ok(out);
    }
    let seq = asn1::read_whole(&der).map_err(|e| bad(&e.to_string()))?;
    if !seq.is_universal(asn1::tag::SEQUENCE) {
        return Err(bad("are not a SEQUENCE"));
    }
    // AlgorithmIdentifier inside an explicit tag: (OID, parameters TLV if any).
    let alg_in = |t: &asn1::Tlv| -> Option<(der::asn1::ObjectIdentifier, Option<asn1::Tlv>)> {
        let inner = asn1::children(&der, t).ok()?;
        let fields = asn1::children(&der, inner.first()?).ok()?;
        let oid = der::asn1::ObjectIdentifier::from_bytes(fields.first()?.value(&der)).ok()?;
        Some((oid, fields.get(1).copied()))
    };
    for field in asn1::children(&der, &seq).map_err(|e| bad(&e.to_string()))? {
        match (field.class, field.number) {
            (asn1::Class::Context, 0) => {
                let (oid, _) =
                    alg_in(&field).ok_or_else(|| bad("have a malformed hash algorithm"))?;
                out.hash = Digest::from_oid(&oid).ok_or_else(|| bad("name an unsupported hash"))?;
            }
            (asn1::Class::Context, 1) => {
                let (oid, hash) = alg_in(&field)
                    .ok_or_else(|| bad("have a malformed mask generation function"))?;
                if oid != key::MGF1 {
                    return Err(bad("use a mask generation function other than MGF1"));
                }
                let h = hash.ok_or_else(|| bad("give MGF1 no hash"))?;
                let hparts = asn1::children(&der, &h).map_err(|e| bad(&e.to_string()))?;
                let hoid = hparts
                    .first()
                    .and_then(|t| der::asn1::ObjectIdentifier::from_bytes(t.value(&der)).ok())
                    .ok_or_else(|| bad("have a malformed MGF1 hash"))?;
                out.mgf_hash =
                    Digest::from_oid(&hoid).ok_or_else(|| bad("name an unsupported MGF1 hash"))?;
            }
            (asn1::Class::Context, 2) => {
                let inner = asn1::children(&der, &field).map_err(|e| bad(&e.to_string()))?;
                let first = inner
                    .first()
                    .ok_or_else(|| bad("have an empty [2] field"))?;
                if first.is_universal(asn1::tag::INTEGER) {
                    let v = first.value(&der);
                    if v.len() > 4 {
                        return Err(bad("have an absurd saltLength"));
                    }
                    out.salt_len = v.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
                } else {
                    // pSourceAlgorithm: id-pSpecified with an OCTET STRING label.
                    let parts = asn1::children(&der, first).map_err(|e| bad(&e.to_string()))?;
                    if let Some(l) = parts
                        .get(1)
                        .filter(|t| t.is_universal(asn1::tag::OCTET_STRING))
                    {
                        out.label = l.value(&der).to_vec();
                    }
                }
            }
            (asn1::Class::Context, 3) => {}
            _ => return Err(bad("contain an unknown field")),
        }
    }
    Ok(out)
}

/// RSASSA-PSS-params: hash and salt length; the MGF1 hash must be the same hash.
fn pss_params(alg: &AlgorithmIdentifierOwned) -> Result<(Digest, usize), Unsupported> {
    let p = rsa_params(alg, "RSASSA-PSS")?;
    if p.hash != p.mgf_hash {
        return Err(Unsupported(format!(
            "RSASSA-PSS parameters use {} for the message but {} for MGF1, which is not supported",
            p.hash.name(),
            p.mgf_hash.name()
        )));
    }
    Ok((p.hash, p.salt_len))
}

/// Why a signature did not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// The key cannot be used with this scheme, or the scheme is not supported.
    Unsupported(String),
    /// The signature value does not verify.
    Invalid(String),
}

/// Verifies `signature` over a message whose digest (with `alg.digest`) is `hash`.
pub fn verify_prehashed(
    key: &PublicKey,
    alg: &SigAlg,
    hash: &[u8],
    signature: &[u8],
) -> Result<(), VerifyError> {
    match (key, alg.scheme) {
        (PublicKey::Rsa(k), SignatureScheme::RsaPkcs1v15) => {
            let scheme = alg.digest.pkcs1v15();
            let verified = match rsa_public_op(k, signature) {
                Some(em) => pkcs1v15_matches(&em, alg.digest, hash),
                // Exponents too large for the short path go through the rsa crate.
                None => k.verify(scheme, hash, signature).is_ok(),
            };
            if verified {
                Ok(())
            } else {
                Err(VerifyError::Invalid(
                    "RSA PKCS#1 v1.5 signature does not verify".into(),
                ))
            }
        }
        (PublicKey::Rsa(k), SignatureScheme::RsaPss { hash: h, salt_len }) => {
            if h != alg.digest {
                return Err(VerifyError::Unsupported(format!(
                    "RSA-PSS hash {} differs from the digest algorithm {}",
                    h.name(),
                    alg.digest.name()
                )));
            }
            use rsa::pss::Pss;
            let r = match h {
                Digest::Md5 => {
                    return Err(VerifyError::Unsupported(
                        "RSA-PSS with MD5 is not a defined combination".into(),
                    ))
                }
                Digest::Sha1 => {
                    k.verify(Pss::<sha1::Sha1>::new_with_salt(salt_len), hash, signature)
                }
                Digest::Sha224 => k.verify(
                    Pss::<sha2::Sha224>::new_with_salt(salt_len),
                    hash,
                    signature,
                ),
                Digest::Sha256 => k.verify(
                    Pss::<sha2::Sha256>::new_with_salt(salt_len),
                    hash,
                    signature,
                ),
                Digest::Sha384 => k.verify(
                    Pss::<sha2::Sha384>::new_with_salt(salt_len),
                    hash,
                    signature,
                ),
                Digest::Sha512 => k.verify(
                    Pss::<sha2::Sha512>::new_with_salt(salt_len),
                    hash,
                    signature,
                ),
            };
            r.map_err(|_| VerifyError::Invalid("RSA-PSS signature does not verify".into()))
        }
        (PublicKey::P256(k), SignatureScheme::Ecdsa) => {
            let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| {
                VerifyError::Invalid(
                    "ECDSA signature is not a valid DER Ecdsa-Sig-Value for P-256".into(),
                )
            })?;
            let verified = crate::crypto::ecdsa_p256::VerifyingKey::new(k)
                .is_some_and(|key| key.verify_signature(hash, &sig));
            if verified {
                Ok(())
            } else {
                Err(VerifyError::Invalid(
                    "ECDSA P-256 signature does not verify".into(),
                ))
            }
        }
        (PublicKey::P384(k), SignatureScheme::Ecdsa) => {
            use p384::ecdsa::signature::hazmat::PrehashVerifier;
            let sig = p384::ecdsa::DerSignature::from_bytes(signature).map_err(|_| {
                VerifyError::Invalid(
                    "ECDSA signature is not a valid DER Ecdsa-Sig-Value for P-384".into(),
                )
            })?;
            k.verify_prehash(hash, &sig)
                .map_err(|_| VerifyError::Invalid("ECDSA P-384 signature does not verify".into()))
        }
        (PublicKey::Ed25519(_), SignatureScheme::Ed25519) => Err(VerifyError::Unsupported(
            "Ed25519 signs the message itself, so it cannot be verified from a digest".into(),
        )),
        (PublicKey::Dsa(k), SignatureScheme::Dsa) if k.params.is_none() => Err(
            VerifyError::Unsupported(crate::crypto::dsa::INHERITED_PARAMS_MISSING.into()),
        ),
        (PublicKey::Dsa(k), SignatureScheme::Dsa) => k
            .verify_prehashed(hash, signature)
            .map_err(VerifyError::Invalid),
        (k, scheme) => Err(VerifyError::Unsupported(format!(
            "a {} key cannot verify a {} signature",
            k.family(),
            match scheme {
                SignatureScheme::RsaPkcs1v15 => "RSA PKCS#1 v1.5",
                SignatureScheme::RsaPss { .. } => "RSA-PSS",
                SignatureScheme::Ecdsa => "ECDSA",
                SignatureScheme::Dsa => "DSA",
                SignatureScheme::Ed25519 => "Ed25519",
            }
        ))),
    }
}

/// The RSA public-key operation s^e mod n for a public exponent of at most 32 bits, by plain
/// square-and-multiply (the exponent is public; the rsa crate's constant-time window costs
/// twice the multiplications for e = 65537). Returns the encoded message, as long as the
/// modulus; `None` when the exponent is too large for this path (the caller falls back); an
/// all-zero message, which matches no padding, when `signature` is not a valid representative
/// (wrong length, or not below n).
fn rsa_public_op(key: &rsa::RsaPublicKey, signature: &[u8]) -> Option<Vec<u8>> {
    use crypto_bigint::modular::BoxedMontyForm;
    use crypto_bigint::BoxedUint;
    use rsa::traits::PublicKeyParts;
    let e = key.e();
    let e_bits = e.bits();
    if !(2..=32).contains(&e_bits) {
        return None;
    }
    let e_bytes = e.to_be_bytes_trimmed_vartime();
    let e_value = e_bytes
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    let k = key.size();
    let invalid = Some(vec![0u8; k]);
    if signature.len() != k {
        return invalid;
    }
    let n = key.n();
    let Ok(s) = BoxedUint::from_be_slice(signature, n.as_ref().bits_precision()) else {
        return invalid;
    };
    if s >= *n.as_ref() {
        return invalid;
    }
    let base = BoxedMontyForm::new(s, key.n_params());
    let mut acc = base.clone();
    for bit in (0..e_bits - 1).rev() {
        acc = acc.square();
        if (e_value >> bit) & 1 == 1 {
            acc = &acc * &base;
        }
    }
    let m = acc.retrieve().to_be_bytes();
    // The integer's storage may be wider than k bytes; its value is below n.
    let m = m.get(m.len().saturating_sub(k)..).unwrap_or_default();
    let mut em = vec![0u8; k - m.len()];
    em.extend_from_slice(m);
    Some(em)
}

/// Whether `em` is the EMSA-PKCS1-v1_5 encoding (RFC 8017 §9.2) of `hash` with `digest`:
/// 00 01 FF…FF 00 DigestInfo, at least eight FF octets, parameters NULL as DER requires.
fn pkcs1v15_matches(em: &[u8], digest: Digest, hash: &[u8]) -> bool {
    let prefix: &[u8] = match digest {
        Digest::Md5 => &[
            0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05,
            0x05, 0x00, 0x04, 0x10,
        ],
        Digest::Sha1 => &[
            0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
            0x14,
        ],
        Digest::Sha224 => &[
            0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x04, 0x05, 0x00, 0x04, 0x1c,
        ],
        Digest::Sha256 => &[
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ],
        Digest::Sha384 => &[
            0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x02, 0x05, 0x00, 0x04, 0x30,
        ],
        Digest::Sha512 => &[
            0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x03, 0x05, 0x00, 0x04, 0x40,
        ],
    };
    // The DigestInfo prefix ends with the OCTET STRING header of the hash.
    if hash.len() != usize::from(prefix[prefix.len() - 1]) {
        return false;
    }
    let t_len = prefix.len() + hash.len();
    let k = em.len();
    if k < t_len + 11 {
        return false;
    }
    let ps_end = k - t_len - 1;
    em[0] == 0x00
        && em[1] == 0x01
        && em[2..ps_end].iter().all(|&b| b == 0xff)
        && em[ps_end] == 0x00
        && &em[ps_end + 1..ps_end + 1 + prefix.len()] == prefix
        && &em[ps_end + 1 + prefix.len()..] == hash
}

/// Hashes `message` with `alg.digest` and verifies.
pub fn verify_message(
    key: &PublicKey,
    alg: &SigAlg,
    message: &[u8],
    signature: &[u8],
) -> Result<(), VerifyError> {
    match (key, alg.scheme) {
        (PublicKey::Ed25519(k), SignatureScheme::Ed25519) => {
            let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|_| {
                VerifyError::Invalid(format!(
                    "Ed25519 signature is {} bytes, not 64",
                    signature.len()
                ))
            })?;
            // RFC 8032 §5.1.7, with S below the group order and the key not of small order.
            k.verify_strict(message, &sig)
                .map_err(|_| VerifyError::Invalid("Ed25519 signature does not verify".into()))
        }
        _ => verify_prehashed(key, alg, &alg.digest.hash(message), signature),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::oids;
    use crate::x509::certificate::{load_certificates, Cert};
    use der::asn1::ObjectIdentifier as Oid;
    use SignatureScheme::{Ecdsa, RsaPkcs1v15, RsaPss};

    macro_rules! cert {
        ($($p:tt)+) => {
            load(include_bytes!(concat!("../../../tests/fixtures/", $($p)+)))
        };
    }
    /// pyca/cryptography's X.509 vectors.
    macro_rules! vx {
        ($p:literal) => {
            cert!(concat!("vectors/cryptography/x509/", $p))
        };
    }
    fn load(b: &[u8]) -> Cert {
        load_certificates(b, "t").unwrap().remove(0)
    }
    fn alg(oid: Oid, params: &[u8]) -> AlgorithmIdentifierOwned {
        let parameters = (!params.is_empty()).then(|| der::Decode::from_der(params).unwrap());
        AlgorithmIdentifierOwned { oid, parameters }
    }
    /// `resolve`'s answer as "<scheme> <digest>", or its reason.
    fn res(a: &AlgorithmIdentifierOwned, digest: Option<Digest>) -> String {
        resolve(a, digest).map_or_else(|u| u.0, |s| format!("{:?} {:?}", s.scheme, s.digest))
    }
    /// A DER TLV with a short length.
    fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
        let body = parts.concat();
        [&[tag, body.len() as u8][..], &body].concat()
    }
    fn hash_alg(oid: Oid) -> Vec<u8> {
        tlv(0x30, &[&tlv(0x06, &[oid.as_bytes()])])
    }

    #[test]
    fn resolve_signature_algorithms() {
        let null = &[5, 0][..];
        let sha256_rsa = alg(oids::SHA_256_WITH_RSA_ENCRYPTION, null);
        assert_eq!(res(&sha256_rsa, None), "RsaPkcs1v15 Sha256");
        let ecdsa = alg(oids::ECDSA_WITH_SHA_384, &[]);
        assert_eq!(res(&ecdsa, None), "Ecdsa Sha384");
        // rsaEncryption names no digest: only a SignerInfo's digestAlgorithm can supply it.
        let rsa = alg(oids::RSA_ENCRYPTION, null);
        assert_eq!(res(&rsa, None), "signature algorithm rsa names no digest");
        assert_eq!(res(&rsa, Some(Digest::Sha512)), "RsaPkcs1v15 Sha512");
        // Ed25519 names no digest; a SignerInfo's (SHA-512, RFC 8419) is kept for messageDigest.
        let ed = alg(oids::ID_ED_25519, &[]);
        assert_eq!(res(&ed, None), "Ed25519 Sha512");
        assert_eq!(res(&ed, Some(Digest::Sha256)), "Ed25519 Sha256");
        let ed448 = alg(oids::ID_ED_448, &[]);
        assert_eq!(
            res(&ed448, None),
            "signature algorithm ed448 is not supported"
        );
    }

    #[test]
    fn pss_parameters_rfc4055() {
        let pss = |c: Cert| res(c.cert.signature_algorithm(), None);
        let sha1 = "RsaPss { hash: Sha1, salt_len: 20 } Sha1";
        let sha256 = "RsaPss { hash: Sha256, salt_len: 32 } Sha256";
        // Absent parameters and an empty SEQUENCE both mean SHA-1, MGF1-SHA-1, salt 20.
        assert_eq!(pss(vx!("custom/rsa_pss_cert_no_sig_params.der")), sha1);
        assert_eq!(pss(vx!("ee-pss-sha1-cert.pem")), sha1);
        assert_eq!(pss(vx!("custom/rsa_pss_cert.pem")), sha256);
        // Hash AlgorithmIdentifiers without their NULL parameters name the same hash.
        assert_eq!(pss(vx!("custom/rsa_pss_sha256_no_null.pem")), sha256);
        let bad = |why: &str| format!("RSASSA-PSS parameters {why}");
        let m = pss(vx!("custom/rsa_pss_cert_invalid_mgf.der")); // MGF 1.2.3.4
        assert_eq!(m, bad("use a mask generation function other than MGF1"));
        let m = pss(vx!("custom/rsa_pss_cert_unsupported_mgf_hash.der")); // MGF1(1.2.3.4)
        assert_eq!(m, bad("name an unsupported MGF1 hash"));
        // SHA-256 with MGF1-SHA-1 is refused; so is a hash other than SHA-1/SHA-2 (MD2).
        let scheme = |p: &[u8]| res(&alg(oids::ID_RSASSA_PSS, p), None);
        let mgf1 = tlv(0x06, &[oids::ID_MGF_1.as_bytes()]);
        let mgf1_sha1 = tlv(0xa1, &[&tlv(0x30, &[&mgf1, &hash_alg(oids::ID_SHA_1)])]);
        let h256 = tlv(0xa0, &[&hash_alg(oids::ID_SHA_256)]);
        let p = tlv(0x30, &[&h256, &mgf1_sha1]);
        let why = "use sha256 for the message but sha1 for MGF1, which is not supported";
        assert_eq!(scheme(&p), bad(why));
        let p = tlv(0x30, &[&tlv(0xa0, &[&hash_alg(oids::ID_MD_2)])]);
        assert_eq!(scheme(&p), bad("name an unsupported hash"));
    }

    #[test]
    fn verifies_real_signatures_and_rejects_flipped_ones() {
        let p256_root = cert!("pathval/cases/good-1ca/anchors.pem");
        let p256 = cert!("pathval/cases/good-1ca/leaf.pem");
        let (rsa, inter) = (cert!("pki/signer-rsa.der"), cert!("pki/inter-ca.der"));
        let (pss, pss256) = (vx!("custom/rsa_pss.pem"), vx!("custom/rsa_pss_cert.pem"));
        let p384 = vx!("ecdsa_root.pem");
        let cases = [
            (&rsa, &inter, "RSA PKCS#1 v1.5"),
            (&pss, &pss, "RSA-PSS"), // self-signed, SHA-1 defaults, id-RSASSA-PSS key
            (&pss256, &pss256, "RSA-PSS"),
            (&p384, &p384, "ECDSA P-384"),
            (&p256, &p256_root, "ECDSA P-256"),
        ];
        for (c, issuer, scheme) in cases {
            let alg = resolve(c.cert.signature_algorithm(), None).unwrap();
            let key = issuer.public_key().unwrap();
            let mut sig = c.signature_bytes().to_vec();
            assert_eq!(verify_message(&key, &alg, c.tbs_bytes(), &sig), Ok(()));
            *sig.last_mut().unwrap() ^= 1;
            let why = format!("{scheme} signature does not verify");
            let r = verify_message(&key, &alg, c.tbs_bytes(), &sig);
            assert_eq!(r, Err(VerifyError::Invalid(why)));
        }
        // A truncated DER signature, a key of the wrong family, a PSS hash not the digest.
        let short = &p256.signature_bytes()[..10];
        let err = |key: &PublicKey, scheme, digest| {
            verify_message(key, &SigAlg { scheme, digest }, b"m", short).unwrap_err()
        };
        let key = p256_root.public_key().unwrap();
        let why = "ECDSA signature is not a valid DER Ecdsa-Sig-Value for P-256";
        let e = err(&key, Ecdsa, Digest::Sha256);
        assert_eq!(e, VerifyError::Invalid(why.into()));
        let why = "a P-256 ECDSA key cannot verify a RSA PKCS#1 v1.5 signature";
        let e = err(&key, RsaPkcs1v15, Digest::Sha256);
        assert_eq!(e, VerifyError::Unsupported(why.into()));
        let (hash, salt_len) = (Digest::Sha256, 32);
        let mixed = RsaPss { hash, salt_len };
        let why = "RSA-PSS hash sha256 differs from the digest algorithm sha1";
        let e = err(&pss256.public_key().unwrap(), mixed, Digest::Sha1);
        assert_eq!(e, VerifyError::Unsupported(why.into()));
    }

    #[test]
    fn public_keys_from_spki() {
        let describe = |k: PublicKey| format!("{} {}", k.describe(), k.family());
        let d = |c: Cert| c.public_key().map_or_else(|e| e, describe);
        assert_eq!(d(cert!("pki/signer-rsa3072.der")), "rsa-3072 RSA");
        assert_eq!(d(cert!("pki/signer-p256.der")), "ec-p256 P-256 ECDSA");
        assert_eq!(d(cert!("pki/signer-p384.der")), "ec-p384 P-384 ECDSA");
        // An id-RSASSA-PSS key is an RSA key (RFC 4055 §1.2).
        assert_eq!(d(vx!("custom/rsa_pss.pem")), "rsa-2048 RSA");
        assert_eq!(d(vx!("ed25519/root-ed25519.pem")), "ed25519 Ed25519");
        let unsupported = "public key algorithm ed448 is not supported";
        assert_eq!(d(vx!("ed448/root-ed448.pem")), unsupported);
        let p256 = cert!("pki/signer-p256.der");
        let tbs = p256.cert.tbs_certificate();
        let mut spki = tbs.subject_public_key_info().clone();
        spki.algorithm.parameters = Some(der::Any::encode_from(&oids::SECP_521_R_1).unwrap());
        let e = PublicKey::from_spki(&spki).unwrap_err();
        assert_eq!(e, "EC curve P-521 is not supported");
        spki.algorithm.parameters = None;
        let e = PublicKey::from_spki(&spki).unwrap_err();
        assert_eq!(e, "EC public key has no named curve");
    }

    /// pyca/cryptography's Ed25519 root (RFC 8410): its self-signature verifies over the TBS
    /// bytes; a changed TBS byte or signature byte fails; a digest is never enough.
    #[test]
    fn ed25519_certificate_signatures_rfc8410() {
        let root = vx!("ed25519/root-ed25519.pem");
        let key = root.public_key().unwrap();
        let c = &root;
        let a = resolve(&c.cert.signature_algorithm().clone(), None).unwrap();
        assert_eq!(a.scheme, SignatureScheme::Ed25519);
        assert_eq!(a.name(Some(&key)), "ed25519");
        let (tbs, sig) = (c.tbs_bytes(), c.signature_bytes());
        assert_eq!(verify_message(&key, &a, tbs, sig), Ok(()));
        let mut t = tbs.to_vec();
        t[10] ^= 1;
        let bad = Err(VerifyError::Invalid(
            "Ed25519 signature does not verify".into(),
        ));
        assert_eq!(verify_message(&key, &a, &t, sig), bad);
        let mut s2 = sig.to_vec();
        s2[5] ^= 1;
        assert_eq!(verify_message(&key, &a, tbs, &s2), bad);
        assert_eq!(
            verify_message(&key, &a, tbs, &sig[..63]),
            Err(VerifyError::Invalid(
                "Ed25519 signature is 63 bytes, not 64".into()
            ))
        );
        assert!(matches!(
            verify_prehashed(&key, &a, &Digest::Sha512.hash(tbs), sig),
            Err(VerifyError::Unsupported(_))
        ));
        // An Ed25519 key cannot check an ECDSA signature, and a P-256 key not an Ed25519 one.
        let p256 = cert!("pki/signer-p256.der").public_key().unwrap();
        let ed = resolve(&alg(oids::ID_ED_25519, &[]), None).unwrap();
        let tbs = root.tbs_bytes();
        assert!(matches!(
            verify_message(&p256, &ed, tbs, root.signature_bytes()),
            Err(VerifyError::Unsupported(_))
        ));
    }
}
