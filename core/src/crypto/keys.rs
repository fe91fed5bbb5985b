//! Private keys for decryption: PKCS#8 (plain and encrypted, RFC 5958 / RFC 8018), PKCS#1
//! (RFC 8017 App. A.1.2), SEC1 (RFC 5915), in PEM or DER, and PKCS#1 / SEC1 PEM under
//! OpenSSL's legacy encryption (RFC 1421 `Proc-Type: 4,ENCRYPTED` and `DEK-Info` headers, key
//! from `EVP_BytesToKey` with MD5).
//!
//! Keys stay in memory only; the RSA and EC key types zeroize themselves on drop.

use crate::crypto::algorithms::{key as key_oid, Digest};
use crate::error::Error;
use crate::x509::certificate::Cert;
use p256::elliptic_curve;

/// The secret half of a key pair.
#[derive(Clone)]
pub enum SecretKey {
    /// RSA.
    Rsa(Box<rsa::RsaPrivateKey>),
    /// NIST P-256.
    P256(p256::SecretKey),
    /// NIST P-384.
    P384(p384::SecretKey),
    /// brainpoolP256r1 (RFC 5639), as IEEE 1609.2 uses for ECIES and ECDSA.
    BrainpoolP256(bp256::r1::SecretKey),
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({})", self.describe())
    }
}

impl SecretKey {
    /// "rsa-2048", "ec-p256", "ec-p384".
    pub fn describe(&self) -> String {
        match self {
            SecretKey::Rsa(k) => {
                use rsa::traits::PublicKeyParts;
                format!("rsa-{}", k.n().bits())
            }
            SecretKey::P256(_) => "ec-p256".into(),
            SecretKey::P384(_) => "ec-p384".into(),
            SecretKey::BrainpoolP256(_) => "ec-brainpoolp256r1".into(),
        }
    }

    /// The ECDH shared secret (the x-coordinate, SEC 1 §3.3.1) with a peer's SEC1 point;
    /// `None` for RSA keys or a point not on this key's curve.
    pub fn ecdh(&self, peer: &[u8]) -> Option<Vec<u8>> {
        match self {
            SecretKey::P256(s) => p256::PublicKey::from_sec1_bytes(peer).ok().map(|p| {
                p256::elliptic_curve::ecdh::diffie_hellman(s.to_nonzero_scalar(), p.as_affine())
                    .raw_secret_bytes()
                    .to_vec()
            }),
            SecretKey::P384(s) => p384::PublicKey::from_sec1_bytes(peer).ok().map(|p| {
                p384::elliptic_curve::ecdh::diffie_hellman(s.to_nonzero_scalar(), p.as_affine())
                    .raw_secret_bytes()
                    .to_vec()
            }),
            SecretKey::BrainpoolP256(s) => {
                elliptic_curve::PublicKey::<bp256::BrainpoolP256r1>::from_sec1_bytes(peer)
                    .ok()
                    .map(|p| {
                        p256::elliptic_curve::ecdh::diffie_hellman(
                            s.to_nonzero_scalar(),
                            p.as_affine(),
                        )
                        .raw_secret_bytes()
                        .to_vec()
                    })
            }
            SecretKey::Rsa(_) => None,
        }
    }

    /// A fresh key on the curve of a peer's SEC1 point (P-256 or P-384), for ephemeral ECDH.
    pub fn generate_for_peer(peer: &[u8], rng: &mut dyn rand_core::CryptoRng) -> Option<Self> {
        use p256::elliptic_curve::Generate;
        match peer.len() {
            33 | 65 => Some(SecretKey::P256(p256::SecretKey::generate_from_rng(rng))),
            49 | 97 => Some(SecretKey::P384(p384::SecretKey::generate_from_rng(rng))),
            _ => None,
        }
    }

    /// The subjectPublicKey bits of the matching public key (what a certificate carries).
    pub fn public_key_bits(&self) -> Vec<u8> {
        match self {
            SecretKey::Rsa(k) => {
                use rsa::pkcs1::EncodeRsaPublicKey;
                k.to_public_key()
                    .to_pkcs1_der()
                    .map(|d| d.as_bytes().to_vec())
                    .unwrap_or_default()
            }
            SecretKey::P256(k) => k.public_key().to_sec1_bytes().to_vec(),
            SecretKey::P384(k) => k.public_key().to_sec1_bytes().to_vec(),
            SecretKey::BrainpoolP256(k) => k.public_key().to_sec1_bytes().to_vec(),
        }
    }
}

/// A private key with where it came from and, when known, its certificate.
#[derive(Clone, Debug)]
pub struct PrivateKey {
    /// The key.
    pub key: SecretKey,
    /// File name or "PKCS#12 bag 1 of x.p12".
    pub source: String,
    /// How the file held it: `pkcs8`, `encrypted-pkcs8`, `pkcs1`, `sec1`,
    /// `pem-encrypted-pkcs1`, `pem-encrypted-sec1`, `pem-encrypted-pkcs8`, `pkcs12`.
    pub form: String,
    /// The PKCS#12 friendlyName of its bag, if any.
    pub label: Option<String>,
    /// The certificates that came in the same file (a PKCS#12 bundle's certificate bags).
    pub bundle_certs: Vec<Cert>,
}

impl PrivateKey {
    /// A key read from `source` in the given form, with no label or companion certificates.
    pub fn new(key: SecretKey, source: &str, form: &str) -> Self {
        PrivateKey {
            key,
            source: source.to_string(),
            form: form.to_string(),
            label: None,
            bundle_certs: Vec::new(),
        }
    }

    /// Whether `cert` carries this key's public key.
    pub fn matches(&self, cert: &Cert) -> bool {
        cert.cert
            .tbs_certificate()
            .subject_public_key_info()
            .subject_public_key
            .as_bytes()
            .is_some_and(|bits| bits == self.key.public_key_bits())
    }

    /// SHA-1 of the public key bits: the subjectKeyIdentifier peers use (RFC 5280 §4.2.1.2).
    pub fn key_id(&self) -> Vec<u8> {
        Digest::Sha1.hash(&self.key.public_key_bits())
    }
}

/// A key that needs a password (`given`: one was given and it is wrong).
fn password_err(source: &str, reason: impl Into<String>, given: bool) -> Error {
    Error::Password {
        what: "private key",
        source_name: source.to_string(),
        reason: reason.into(),
        given,
    }
}

fn load_err(source: &str, reason: impl Into<String>) -> Error {
    Error::Load {
        what: "private key",
        source_name: source.to_string(),
        reason: reason.into(),
    }
}

/// Reads a PKCS#8 PrivateKeyInfo.
fn from_pkcs8(der: &[u8], source: &str) -> Result<SecretKey, Error> {
    let info = pkcs8::PrivateKeyInfoRef::try_from(der)
        .map_err(|e| load_err(source, format!("not a PKCS#8 PrivateKeyInfo: {e}")))?;
    let alg = info.algorithm.oid;
    if alg == key_oid::RSA || alg == key_oid::RSA_PSS {
        return rsa::RsaPrivateKey::try_from(info)
            .map(|k| SecretKey::Rsa(Box::new(k)))
            .map_err(|e| load_err(source, format!("RSA key is malformed: {e}")));
    }
    if alg == key_oid::EC {
        let curve = info
            .algorithm
            .parameters
            .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok());
        return match curve {
            Some(c) if c == key_oid::P256 => p256::SecretKey::try_from(info)
                .map(SecretKey::P256)
                .map_err(|e| load_err(source, format!("P-256 key is malformed: {e}"))),
            Some(c) if c == key_oid::P384 => p384::SecretKey::try_from(info)
                .map(SecretKey::P384)
                .map_err(|e| load_err(source, format!("P-384 key is malformed: {e}"))),
            Some(c) if c == key_oid::BRAINPOOL_P256R1 => bp256::r1::SecretKey::try_from(info)
                .map(SecretKey::BrainpoolP256)
                .map_err(|e| load_err(source, format!("brainpoolP256r1 key is malformed: {e}"))),
            Some(c) => Err(load_err(source, format!("EC curve {c} is not supported"))),
            None => Err(load_err(source, "EC key names no curve")),
        };
    }
    Err(load_err(
        source,
        format!(
            "key algorithm {} is not supported",
            crate::crypto::algorithms::oid_name(&alg)
        ),
    ))
}

fn from_pkcs1(der: &[u8], source: &str) -> Result<SecretKey, Error> {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    rsa::RsaPrivateKey::from_pkcs1_der(der)
        .map(|k| SecretKey::Rsa(Box::new(k)))
        .map_err(|e| load_err(source, format!("not a PKCS#1 RSAPrivateKey: {e}")))
}

fn from_sec1(der: &[u8], source: &str) -> Result<SecretKey, Error> {
    // ECPrivateKey carries its curve in [0] parameters (RFC 5915 §3).
    if let Ok(k) = p256::SecretKey::from_sec1_der(der) {
        return Ok(SecretKey::P256(k));
    }
    if let Ok(k) = p384::SecretKey::from_sec1_der(der) {
        return Ok(SecretKey::P384(k));
    }
    if let Ok(k) = bp256::r1::SecretKey::from_sec1_der(der) {
        return Ok(SecretKey::BrainpoolP256(k));
    }
    Err(load_err(
        source,
        "not an ECPrivateKey on P-256, P-384 or brainpoolP256r1 (other curves are not supported)",
    ))
}

fn from_encrypted_pkcs8(
    der: &[u8],
    password: Option<&str>,
    source: &str,
) -> Result<SecretKey, Error> {
    // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }
    let parts = crate::cms::asn1::read_whole(der)
        .and_then(|seq| crate::cms::asn1::children(der, &seq))
        .map_err(|e| load_err(source, format!("not an EncryptedPrivateKeyInfo: {e}")))?;
    let (Some(alg), Some(data)) = (parts.first(), parts.get(1)) else {
        return Err(load_err(source, "not an EncryptedPrivateKeyInfo"));
    };
    let Some(password) = password else {
        return Err(password_err(
            source,
            "the key is encrypted: give its password with --key-pass or SEALSCOPE_KEY_PASS",
            false,
        ));
    };
    let plain = crate::crypto::pkcs12::pbe_decrypt(alg.raw(der), password, data.value(der))
        .map(zeroize::Zeroizing::new)
        .map_err(|why| {
            let reason = format!("cannot decrypt the key: {why}");
            if why == crate::crypto::pkcs12::WRONG_PASSWORD {
                password_err(source, reason, true)
            } else {
                load_err(source, reason)
            }
        })?;
    // Good padding by chance under a wrong password leaves bytes that are no PrivateKeyInfo.
    if pkcs8::PrivateKeyInfoRef::try_from(plain.as_slice()).is_err() {
        return Err(password_err(
            source,
            "cannot decrypt the key: wrong password (it decrypts to something that is not a PKCS#8 key)",
            true,
        ));
    }
    from_pkcs8(&plain, source)
}

/// Reads every private key in `bytes` (PEM with one or more blocks, or one DER key).
/// `password` opens encrypted PKCS#8 and legacy-encrypted PEM.
pub fn load_private_keys(
    bytes: &[u8],
    password: Option<&str>,
    source: &str,
) -> Result<Vec<PrivateKey>, Error> {
    let wrap = |key: SecretKey, form: &str| vec![PrivateKey::new(key, source, form)];
    if bytes.first() == Some(&0x30) {
        // DER: try each form in turn, reporting the PKCS#8 reason if none fits.
        let first = match from_pkcs8(bytes, source) {
            Ok(k) => return Ok(wrap(k, "pkcs8")),
            Err(e) => e,
        };
        if is_encrypted_pkcs8(bytes) {
            return from_encrypted_pkcs8(bytes, password, source)
                .map(|k| wrap(k, "encrypted-pkcs8"));
        }
        if let Ok(k) = from_pkcs1(bytes, source) {
            return Ok(wrap(k, "pkcs1"));
        }
        if let Ok(k) = from_sec1(bytes, source) {
            return Ok(wrap(k, "sec1"));
        }
        return Err(first);
    }
    let blocks = crate::wire::pem::blocks_with_headers(bytes)
        .map_err(|e| load_err(source, e.to_string()))?;
    let mut out = Vec::new();
    let mut other_labels: Vec<String> = Vec::new();
    for mut block in blocks {
        let label = block.label.clone();
        let label = label.as_str();
        let is_key = matches!(
            label,
            "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY"
        );
        if !is_key {
            if !other_labels.iter().any(|l| l == label) {
                other_labels.push(label.to_string());
            }
            continue;
        }
        // Every decoded block is wiped when done with, keys or not.
        let legacy = block
            .header("Proc-Type")
            .is_some_and(|v| v.replace(' ', "").eq_ignore_ascii_case("4,ENCRYPTED"));
        let what = legacy_what(&block);
        let wrong = |_: Error| {
            password_err(
                source,
                format!("{what}: wrong password (it decrypts to something that is not a key)"),
                true,
            )
        };
        let der = if legacy {
            legacy_pem_decrypt(&block, password, source)?
        } else {
            zeroize::Zeroizing::new(std::mem::take(&mut block.der))
        };
        let (key, form) = match (label, legacy) {
            ("PRIVATE KEY", false) => (from_pkcs8(&der, source)?, "pkcs8"),
            ("ENCRYPTED PRIVATE KEY", false) => (
                from_encrypted_pkcs8(&der, password, source)?,
                "encrypted-pkcs8",
            ),
            ("RSA PRIVATE KEY", false) => (from_pkcs1(&der, source)?, "pkcs1"),
            ("EC PRIVATE KEY", false) => (from_sec1(&der, source)?, "sec1"),
            ("RSA PRIVATE KEY", true) => (
                from_pkcs1(&der, source).map_err(wrong)?,
                "pem-encrypted-pkcs1",
            ),
            ("EC PRIVATE KEY", true) => (
                from_sec1(&der, source).map_err(wrong)?,
                "pem-encrypted-sec1",
            ),
            (_, true) => (
                from_pkcs8(&der, source).map_err(wrong)?,
                "pem-encrypted-pkcs8",
            ),
            _ => continue,
        };
        out.extend(wrap(key, form));
    }
    if out.is_empty() {
        let found = if other_labels.is_empty() {
            String::new()
        } else {
            format!(" (the file holds {})", other_labels.join(", "))
        };
        return Err(load_err(
            source,
            format!(
                "no private key found{found}; expected PKCS#8, PKCS#1, SEC1 or PKCS#12, PEM or DER"
            ),
        ));
    }
    Ok(out)
}

/// "RSA PRIVATE KEY encrypted the legacy OpenSSL way (DEK-Info AES-256-CBC)".
fn legacy_what(block: &crate::wire::pem::Block) -> String {
    let dek = block.header("DEK-Info").unwrap_or("");
    let name = dek.split_once(',').map_or(dek, |(n, _)| n).trim();
    format!(
        "{} encrypted the legacy OpenSSL way (DEK-Info {})",
        block.label,
        name.to_ascii_uppercase()
    )
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one iteration, as its legacy PEM encryption uses:
/// D1 = MD5(password || salt), Di = MD5(D(i-1) || password || salt), concatenated.
pub fn evp_bytes_to_key_md5(password: &[u8], salt: &[u8], len: usize) -> Vec<u8> {
    use md5::Digest as _;
    let mut out: Vec<u8> = Vec::with_capacity(len + 16);
    let mut prev: Vec<u8> = Vec::new();
    while out.len() < len {
        let mut h = md5::Md5::new();
        h.update(&prev);
        h.update(password);
        h.update(salt);
        prev = h.finalize().to_vec();
        out.extend_from_slice(&prev);
    }
    out.truncate(len);
    out
}

/// Decrypts a PEM block under OpenSSL's legacy encryption (`DEK-Info: AES-256-CBC,<IV hex>`).
fn legacy_pem_decrypt(
    block: &crate::wire::pem::Block,
    password: Option<&str>,
    source: &str,
) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
    use crate::crypto::ciphers::ContentCipher;
    let dek = block.header("DEK-Info").ok_or_else(|| {
        load_err(
            source,
            format!(
                "{} block says Proc-Type 4,ENCRYPTED but has no DEK-Info header",
                block.label
            ),
        )
    })?;
    let (name, iv_hex) = dek.split_once(',').unwrap_or((dek, ""));
    let name = name.trim().to_ascii_uppercase();
    let what = legacy_what(block);
    let iv = hex::decode(iv_hex.trim())
        .map_err(|_| load_err(source, format!("{what}: the IV {iv_hex:?} is not hex")))?;
    let cipher = match name.as_str() {
        "AES-128-CBC" => ContentCipher::AesCbc { key_len: 16, iv },
        "AES-192-CBC" => ContentCipher::AesCbc { key_len: 24, iv },
        "AES-256-CBC" => ContentCipher::AesCbc { key_len: 32, iv },
        "DES-EDE3-CBC" => ContentCipher::DesEde3Cbc { iv },
        _ => {
            return Err(load_err(
                source,
                format!(
                    "{what}: the cipher is not supported (AES-128/192/256-CBC and DES-EDE3-CBC are); convert it with `openssl pkey -in FILE -out NEW.pem -aes256`"
                ),
            ))
        }
    };
    let iv = match &cipher {
        ContentCipher::AesCbc { iv, .. }
        | ContentCipher::DesEde3Cbc { iv }
        | ContentCipher::Rc2Cbc { iv, .. } => iv.clone(),
        ContentCipher::AesGcm { nonce, .. } => nonce.clone(),
    };
    let block_len = if matches!(cipher, ContentCipher::DesEde3Cbc { .. }) {
        8
    } else {
        16
    };
    if iv.len() != block_len {
        return Err(load_err(
            source,
            format!("{what}: the IV is {} bytes, not {block_len}", iv.len()),
        ));
    }
    let Some(password) = password else {
        return Err(password_err(
            source,
            format!("{what}: give its password with --key-pass or SEALSCOPE_KEY_PASS"),
            false,
        ));
    };
    // The salt is the first 8 bytes of the IV.
    let key = zeroize::Zeroizing::new(evp_bytes_to_key_md5(
        password.as_bytes(),
        &iv[..8],
        cipher.key_len(),
    ));
    crate::crypto::ciphers::decrypt_content(&cipher, &key, &block.der, &[], &[])
        .map(zeroize::Zeroizing::new)
        .map_err(|_| {
            password_err(
                source,
                format!("{what}: wrong password (the decrypted data has bad padding)"),
                true,
            )
        })
}

/// Whether `der` is SEQUENCE { SEQUENCE { OID, … }, OCTET STRING }: an EncryptedPrivateKeyInfo.
fn is_encrypted_pkcs8(der: &[u8]) -> bool {
    use crate::cms::asn1::{self, tag};
    let Ok(seq) = asn1::read_whole(der) else {
        return false;
    };
    let Ok(parts) = asn1::children(der, &seq) else {
        return false;
    };
    matches!(parts.as_slice(), [a, d] if a.is_universal(tag::SEQUENCE) && d.is_universal(tag::OCTET_STRING))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evp_bytes_to_key_matches_openssl_enc() {
        // `openssl enc -aes-256-cbc -P -md md5 -S 0102030405060708 -pass pass:sealscope`
        let salt = [1, 2, 3, 4, 5, 6, 7, 8];
        let kiv = evp_bytes_to_key_md5(b"sealscope", &salt, 48);
        assert_eq!(
            hex::encode_upper(&kiv[..32]),
            "72D07F1FB7E0D67A6D35F987A4B27A0BE98AF208E0D00AC7D2C8452623D75560"
        );
        assert_eq!(
            hex::encode_upper(&kiv[32..]),
            "74122665E20F984455CEBCDCC192C1CC"
        );
        assert_eq!(evp_bytes_to_key_md5(b"sealscope", &salt, 24), kiv[..24]);
    }

    fn legacy_pem(dek: &str, body: &str) -> String {
        format!(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: {dek}\n\n{body}\n-----END RSA PRIVATE KEY-----\n"
        )
    }

    #[test]
    fn legacy_pem_needs_a_password_and_names_its_cipher() {
        let pem = legacy_pem(
            "AES-256-CBC,00112233445566778899AABBCCDDEEFF",
            "AAAAAAAAAAAAAAAAAAAAAA==",
        );
        let e = load_private_keys(pem.as_bytes(), None, "k.pem").expect_err("no password");
        assert_eq!(
            e.to_string(),
            "cannot load private key from k.pem: RSA PRIVATE KEY encrypted the legacy OpenSSL way (DEK-Info AES-256-CBC): give its password with --key-pass or SEALSCOPE_KEY_PASS"
        );
    }

    #[test]
    fn legacy_pem_bad_headers_are_explained() {
        let pem = legacy_pem("BF-CBC,0011223344556677", "AAAAAAAAAAA=");
        let e = load_private_keys(pem.as_bytes(), Some("x"), "k.pem").expect_err("blowfish");
        assert!(
            e.to_string()
                .contains("DEK-Info BF-CBC): the cipher is not supported"),
            "{e}"
        );
        let pem = legacy_pem("AES-128-CBC,0011", "AAAAAAAAAAA=");
        let e = load_private_keys(pem.as_bytes(), Some("x"), "k.pem").expect_err("short IV");
        assert!(e.to_string().ends_with("the IV is 2 bytes, not 16"), "{e}");
        let pem = legacy_pem("AES-128-CBC,zz", "AAAAAAAAAAA=");
        let e = load_private_keys(pem.as_bytes(), Some("x"), "k.pem").expect_err("bad hex");
        assert!(e.to_string().contains("is not hex"), "{e}");
    }

    #[test]
    fn a_pem_without_a_key_names_what_it_holds() {
        let pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let e = load_private_keys(pem.as_bytes(), None, "c.pem").expect_err("no key");
        assert_eq!(
            e.to_string(),
            "cannot load private key from c.pem: no private key found (the file holds CERTIFICATE); expected PKCS#8, PKCS#1, SEC1 or PKCS#12, PEM or DER"
        );
    }
}
