//! Symmetric primitives of CMS: content-encryption algorithms (RFC 3565 AES-CBC, RFC 5084
//! AES-GCM, RFC 3370 DES-EDE3-CBC), AES key wrap (RFC 3394), the X9.63 KDF (RFC 5753 §7.2)
//! and the PWRI key wrap (RFC 3211 §2.3).
//!
//! Every failure here is reported with the same words whatever its cause inside a
//! decryption (wrong key, bad padding, bad tag), so no error text becomes an oracle.

use crate::cms::asn1;
use crate::crypto::algorithms::Digest;
use crate::crypto::oids;
use aes_gcm::aead::AeadInOut;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit};
use der::asn1::ObjectIdentifier as Oid;
use der::Encode;
use spki::AlgorithmIdentifierOwned;

/// A content-encryption algorithm with its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContentCipher {
    /// AES-CBC with key length in bytes and IV.
    AesCbc {
        /// 16, 24 or 32.
        key_len: usize,
        /// The IV.
        iv: Vec<u8>,
    },
    /// DES-EDE3-CBC (Triple DES) with IV.
    DesEde3Cbc {
        /// The IV.
        iv: Vec<u8>,
    },
    /// RC2-CBC (RFC 3370 §5.2, RFC 2268) with its effective key length and IV; legacy S/MIME
    /// v2 agents used it with 40-bit keys.
    Rc2Cbc {
        /// Effective key bits (from rc2ParameterVersion).
        effective_bits: usize,
        /// The IV.
        iv: Vec<u8>,
    },
    /// AES-GCM with key length, nonce and tag length.
    AesGcm {
        /// 16, 24 or 32.
        key_len: usize,
        /// The nonce (12 bytes).
        nonce: Vec<u8>,
        /// aes-ICVlen (12 to 16).
        tag_len: usize,
    },
}

impl ContentCipher {
    /// Report name: `aes-256-cbc`, `des-ede3-cbc`, `aes-128-gcm`, …
    pub fn name(&self) -> String {
        match self {
            ContentCipher::AesCbc { key_len, .. } => format!("aes-{}-cbc", key_len * 8),
            ContentCipher::DesEde3Cbc { .. } => "des-ede3-cbc".into(),
            ContentCipher::Rc2Cbc { effective_bits, .. } => format!("rc2-{effective_bits}-cbc"),
            ContentCipher::AesGcm { key_len, .. } => format!("aes-{}-gcm", key_len * 8),
        }
    }

    /// Key length in bytes.
    pub fn key_len(&self) -> usize {
        match self {
            ContentCipher::AesCbc { key_len, .. } | ContentCipher::AesGcm { key_len, .. } => {
                *key_len
            }
            ContentCipher::DesEde3Cbc { .. } => 24,
            // The key length is not in the parameters; the effective length is the usual one.
            ContentCipher::Rc2Cbc { effective_bits, .. } => effective_bits.div_ceil(8),
        }
    }
}

fn octets_param(alg: &AlgorithmIdentifierOwned) -> Option<Vec<u8>> {
    alg.parameters
        .as_ref()
        .and_then(|p| p.decode_as::<der::asn1::OctetString>().ok())
        .map(|o| o.as_bytes().to_vec())
}

/// Resolves a contentEncryptionAlgorithm.
pub fn content_cipher(alg: &AlgorithmIdentifierOwned) -> Result<ContentCipher, String> {
    let oid = alg.oid;
    let cbc = |key_len: usize| -> Result<ContentCipher, String> {
        let iv = octets_param(alg).ok_or("AES-CBC parameters are not an IV OCTET STRING")?;
        if iv.len() != 16 {
            return Err(format!("AES-CBC IV is {} bytes, not 16", iv.len()));
        }
        Ok(ContentCipher::AesCbc { key_len, iv })
    };
    let gcm = |key_len: usize| -> Result<ContentCipher, String> {
        // GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen INTEGER DEFAULT 12 }
        let der = alg
            .parameters
            .as_ref()
            .and_then(|p| p.to_der().ok())
            .ok_or("AES-GCM has no parameters")?;
        let seq = asn1::read_whole(&der).map_err(|e| e.to_string())?;
        let fields = asn1::children(&der, &seq).map_err(|e| e.to_string())?;
        let nonce = fields
            .first()
            .filter(|t| t.is_universal(asn1::tag::OCTET_STRING))
            .map(|t| t.value(&der).to_vec())
            .ok_or("GCMParameters lack the nonce")?;
        let tag_len = match fields.get(1) {
            Some(t) if t.is_universal(asn1::tag::INTEGER) => t
                .value(&der)
                .iter()
                .fold(0usize, |a, &b| (a << 8) | usize::from(b)),
            _ => 12,
        };
        if nonce.len() != 12 {
            return Err(format!(
                "AES-GCM nonce of {} bytes is not supported (only 12)",
                nonce.len()
            ));
        }
        if !(12..=16).contains(&tag_len) {
            return Err(format!("AES-GCM ICV length {tag_len} is outside 12..16"));
        }
        Ok(ContentCipher::AesGcm {
            key_len,
            nonce,
            tag_len,
        })
    };
    match oid {
        oids::ID_AES_128_CBC => cbc(16),
        oids::ID_AES_192_CBC => cbc(24),
        oids::ID_AES_256_CBC => cbc(32),
        oids::ID_AES_128_GCM => gcm(16),
        oids::ID_AES_192_GCM => gcm(24),
        oids::ID_AES_256_GCM => gcm(32),
        oids::DES_EDE_3_CBC => {
            let iv = octets_param(alg).ok_or("DES-EDE3-CBC parameters are not an IV")?;
            if iv.len() != 8 {
                return Err(format!("DES-EDE3-CBC IV is {} bytes, not 8", iv.len()));
            }
            Ok(ContentCipher::DesEde3Cbc { iv })
        }
        oids::RC_2_CBC => rc2_params(alg),
        _ => Err(format!(
            "content-encryption algorithm {} is not supported",
            crate::crypto::algorithms::oid_name(&alg.oid)
        )),
    }
}

/// RC2-CBC-Parameter ::= SEQUENCE { rc2ParameterVersion INTEGER OPTIONAL, iv OCTET STRING }
/// (RFC 3370 §5.2); the version encodes the effective key bits (160 → 40, 120 → 64, 58 → 128,
/// 256 and over → itself; absent → 32, RFC 2268 §6).
fn rc2_params(alg: &AlgorithmIdentifierOwned) -> Result<ContentCipher, String> {
    let der = alg
        .parameters
        .as_ref()
        .and_then(|p| p.to_der().ok())
        .ok_or("RC2-CBC has no parameters")?;
    let seq = asn1::read_whole(&der).map_err(|e| e.to_string())?;
    let (version, iv) = if seq.is_universal(asn1::tag::OCTET_STRING) {
        (None, seq.value(&der).to_vec())
    } else {
        let fields = asn1::children(&der, &seq).map_err(|e| e.to_string())?;
        match fields.as_slice() {
            [v, iv] if v.is_universal(asn1::tag::INTEGER) => {
                let value = v.value(&der);
                if value.len() > 4 {
                    return Err("RC2 parameter version is too large".into());
                }
                (
                    Some(value.iter().fold(0usize, |a, &b| (a << 8) | usize::from(b))),
                    iv.value(&der).to_vec(),
                )
            }
            [iv] => (None, iv.value(&der).to_vec()),
            _ => return Err("RC2-CBC parameters are malformed".into()),
        }
    };
    if iv.len() != 8 {
        return Err(format!("RC2-CBC IV is {} bytes, not 8", iv.len()));
    }
    let effective_bits = match version {
        None => 32,
        Some(160) => 40,
        Some(120) => 64,
        Some(58) => 128,
        Some(v) if (256..=1024).contains(&v) => v,
        Some(v) => return Err(format!("RC2 parameter version {v} names no key length")),
    };
    Ok(ContentCipher::Rc2Cbc { effective_bits, iv })
}

/// RC2-CBC decryption with an effective key length (RFC 2268), PKCS #7 padding.
pub fn rc2_cbc_decrypt(
    key: &[u8],
    effective_bits: usize,
    iv: &[u8],
    ct: &[u8],
) -> Result<Vec<u8>, String> {
    use cbc::cipher::InnerIvInit;
    let cipher = rc2::Rc2::new_with_eff_key_len(key, effective_bits);
    cbc::Decryptor::inner_iv_slice_init(cipher, iv)
        .map_err(|_| DECRYPT_FAILED.to_string())?
        .decrypt_padded_vec::<cbc::cipher::block_padding::Pkcs7>(ct)
        .map_err(|_| DECRYPT_FAILED.to_string())
}

/// The one reason every failed content decryption gives.
pub const DECRYPT_FAILED: &str =
    "the content does not decrypt with this key (wrong key, or the ciphertext was altered)";

fn cbc_decrypt<C>(key: &[u8], iv: &[u8], ct: &[u8]) -> Result<Vec<u8>, String>
where
    cbc::Decryptor<C>: KeyIvInit + BlockModeDecrypt,
    C: cbc::cipher::BlockCipherDecrypt,
{
    let d =
        cbc::Decryptor::<C>::new_from_slices(key, iv).map_err(|_| DECRYPT_FAILED.to_string())?;
    d.decrypt_padded_vec::<cbc::cipher::block_padding::Pkcs7>(ct)
        .map_err(|_| DECRYPT_FAILED.to_string())
}

fn cbc_encrypt<C>(key: &[u8], iv: &[u8], pt: &[u8]) -> Result<Vec<u8>, String>
where
    cbc::Encryptor<C>: KeyIvInit + BlockModeEncrypt,
    C: cbc::cipher::BlockCipherEncrypt,
{
    let e = cbc::Encryptor::<C>::new_from_slices(key, iv)
        .map_err(|_| "bad key or IV length".to_string())?;
    Ok(e.encrypt_padded_vec::<cbc::cipher::block_padding::Pkcs7>(pt))
}

fn gcm_decrypt<A: AeadInOut + KeyInit>(
    key: &[u8],
    nonce: &[u8],
    ct: &[u8],
    tag: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, String> {
    let cipher = A::new_from_slice(key).map_err(|_| DECRYPT_FAILED.to_string())?;
    let nonce =
        aes_gcm::aead::Nonce::<A>::try_from(nonce).map_err(|_| DECRYPT_FAILED.to_string())?;
    let tag = aes_gcm::aead::Tag::<A>::try_from(tag).map_err(|_| DECRYPT_FAILED.to_string())?;
    let mut buf = ct.to_vec();
    cipher
        .decrypt_inout_detached(&nonce, aad, buf.as_mut_slice().into(), &tag)
        .map_err(|_| DECRYPT_FAILED.to_string())?;
    Ok(buf)
}

macro_rules! gcm_by_tag {
    ($aes:ty, $tag_len:expr, $key:expr, $nonce:expr, $ct:expr, $tag:expr, $aad:expr) => {{
        use aes_gcm::aead::consts::{U12, U13, U14, U15, U16};
        match $tag_len {
            12 => gcm_decrypt::<aes_gcm::AesGcm<$aes, U12, U12>>($key, $nonce, $ct, $tag, $aad),
            13 => gcm_decrypt::<aes_gcm::AesGcm<$aes, U12, U13>>($key, $nonce, $ct, $tag, $aad),
            14 => gcm_decrypt::<aes_gcm::AesGcm<$aes, U12, U14>>($key, $nonce, $ct, $tag, $aad),
            15 => gcm_decrypt::<aes_gcm::AesGcm<$aes, U12, U15>>($key, $nonce, $ct, $tag, $aad),
            _ => gcm_decrypt::<aes_gcm::AesGcm<$aes, U12, U16>>($key, $nonce, $ct, $tag, $aad),
        }
    }};
}

/// Decrypts content. `tag` and `aad` are used by AES-GCM only.
pub fn decrypt_content(
    cipher: &ContentCipher,
    key: &[u8],
    ct: &[u8],
    tag: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, String> {
    if key.len() != cipher.key_len() && !matches!(cipher, ContentCipher::Rc2Cbc { .. }) {
        return Err(DECRYPT_FAILED.to_string());
    }
    match cipher {
        ContentCipher::Rc2Cbc { effective_bits, iv } => {
            rc2_cbc_decrypt(key, *effective_bits, iv, ct)
        }
        ContentCipher::AesCbc { key_len: 16, iv } => cbc_decrypt::<aes::Aes128>(key, iv, ct),
        ContentCipher::AesCbc { key_len: 24, iv } => cbc_decrypt::<aes::Aes192>(key, iv, ct),
        ContentCipher::AesCbc { iv, .. } => cbc_decrypt::<aes::Aes256>(key, iv, ct),
        ContentCipher::DesEde3Cbc { iv } => cbc_decrypt::<des::TdesEde3>(key, iv, ct),
        ContentCipher::AesGcm {
            key_len,
            nonce,
            tag_len,
        } => {
            if tag.len() != *tag_len {
                return Err(format!(
                    "the authentication tag is {} bytes but aes-ICVlen says {tag_len}: it was truncated or altered",
                    tag.len()
                ));
            }
            match key_len {
                16 => gcm_by_tag!(aes::Aes128, tag_len, key, nonce, ct, tag, aad),
                24 => gcm_by_tag!(aes::Aes192, tag_len, key, nonce, ct, tag, aad),
                _ => gcm_by_tag!(aes::Aes256, tag_len, key, nonce, ct, tag, aad),
            }
        }
    }
}

/// AES-GCM encryption with a 16-byte tag: returns (ciphertext, tag).
pub fn encrypt_gcm(
    key: &[u8],
    nonce: &[u8],
    pt: &[u8],
    aad: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), String> {
    fn run<A: AeadInOut + KeyInit>(
        key: &[u8],
        nonce: &[u8],
        pt: &[u8],
        aad: &[u8],
    ) -> Result<(Vec<u8>, Vec<u8>), String> {
        let cipher = A::new_from_slice(key).map_err(|_| "bad AES-GCM key length".to_string())?;
        let nonce = aes_gcm::aead::Nonce::<A>::try_from(nonce)
            .map_err(|_| "bad AES-GCM nonce length".to_string())?;
        let mut buf = pt.to_vec();
        let tag = cipher
            .encrypt_inout_detached(&nonce, aad, buf.as_mut_slice().into())
            .map_err(|_| "AES-GCM encryption failed".to_string())?;
        Ok((buf, tag.to_vec()))
    }
    match key.len() {
        16 => run::<aes_gcm::Aes128Gcm>(key, nonce, pt, aad),
        24 => run::<aes_gcm::AesGcm<aes::Aes192, aes_gcm::aead::consts::U12>>(key, nonce, pt, aad),
        32 => run::<aes_gcm::Aes256Gcm>(key, nonce, pt, aad),
        n => Err(format!("an AES key of {n} bytes is not valid")),
    }
}

/// AES-CBC / DES-EDE3-CBC encryption with PKCS#7 padding (for composition and PWRI).
pub fn encrypt_cbc(cipher: &ContentCipher, key: &[u8], pt: &[u8]) -> Result<Vec<u8>, String> {
    match cipher {
        ContentCipher::AesCbc { key_len: 16, iv } => cbc_encrypt::<aes::Aes128>(key, iv, pt),
        ContentCipher::AesCbc { key_len: 24, iv } => cbc_encrypt::<aes::Aes192>(key, iv, pt),
        ContentCipher::AesCbc { iv, .. } => cbc_encrypt::<aes::Aes256>(key, iv, pt),
        ContentCipher::DesEde3Cbc { iv } => cbc_encrypt::<des::TdesEde3>(key, iv, pt),
        ContentCipher::AesGcm { .. } => Err("AES-GCM is not a CBC cipher".into()),
        ContentCipher::Rc2Cbc { .. } => Err("RC2 is read, never written".into()),
    }
}

/// id-alg-CMS3DESwrap (RFC 3217 §3).
pub const DES3_WRAP: Oid = oids::ID_ALG_CMS_3_DE_SWRAP;

/// Key wrap algorithm identifiers: AES (RFC 3565 §2.3.2) and Triple-DES (RFC 3217) → the
/// key-encryption key length in bytes.
pub fn key_wrap_len(oid: &Oid) -> Option<usize> {
    match *oid {
        oids::ID_AES_128_WRAP => Some(16),
        oids::ID_AES_192_WRAP => Some(24),
        oids::ID_AES_256_WRAP => Some(32),
        DES3_WRAP => Some(24),
        _ => None,
    }
}

/// Unwraps with the algorithm `oid` names (AES key wrap or Triple-DES key wrap).
pub fn unwrap_key(oid: &Oid, kek: &[u8], wrapped: &[u8]) -> Result<Vec<u8>, String> {
    if *oid == DES3_WRAP {
        des3_unwrap(kek, wrapped)
    } else {
        aes_unwrap(kek, wrapped)
    }
}

/// Triple-DES key unwrap (RFC 3217 §3.2): two CBC passes around a reversal, then the CMS key
/// checksum (first 8 bytes of SHA-1 of the key) is checked.
pub fn des3_unwrap(kek: &[u8], wrapped: &[u8]) -> Result<Vec<u8>, String> {
    let bad = || {
        "Triple-DES key unwrap failed: the key-encryption key is wrong or the wrapped key was altered".to_string()
    };
    if wrapped.len() != 40 || kek.len() != 24 {
        return Err(bad());
    }
    const IV: [u8; 8] = [0x4a, 0xdd, 0xa2, 0x2c, 0x79, 0xe8, 0x21, 0x05];
    let outer = ContentCipher::DesEde3Cbc { iv: IV.to_vec() };
    let mut temp2 = cbc_decrypt_nopad(&outer, kek, wrapped).map_err(|_| bad())?;
    temp2.reverse();
    let (iv, temp1) = temp2.split_at(8);
    let inner = ContentCipher::DesEde3Cbc { iv: iv.to_vec() };
    let lcek = cbc_decrypt_nopad(&inner, kek, temp1).map_err(|_| bad())?;
    let (cek, icv) = lcek.split_at(24);
    if Digest::Sha1.hash(cek)[..8] != *icv {
        return Err(bad());
    }
    Ok(cek.to_vec())
}

/// AES key unwrap (RFC 3394) with a KEK of 16, 24 or 32 bytes.
pub fn aes_unwrap(kek: &[u8], wrapped: &[u8]) -> Result<Vec<u8>, String> {
    if wrapped.len() < 24 || !wrapped.len().is_multiple_of(8) {
        return Err(format!(
            "wrapped key of {} bytes is not a valid AES key wrap",
            wrapped.len()
        ));
    }
    let mut out = vec![0u8; wrapped.len() - 8];
    let fail = |_| {
        "AES key unwrap failed: the key-encryption key is wrong or the wrapped key was altered"
            .to_string()
    };
    match kek.len() {
        16 => aes_kw::KwAes128::new_from_slice(kek)
            .map_err(|_| "bad KEK length".to_string())?
            .unwrap_key(wrapped, &mut out)
            .map(|k| k.to_vec())
            .map_err(fail),
        24 => aes_kw::KwAes192::new_from_slice(kek)
            .map_err(|_| "bad KEK length".to_string())?
            .unwrap_key(wrapped, &mut out)
            .map(|k| k.to_vec())
            .map_err(fail),
        32 => aes_kw::KwAes256::new_from_slice(kek)
            .map_err(|_| "bad KEK length".to_string())?
            .unwrap_key(wrapped, &mut out)
            .map(|k| k.to_vec())
            .map_err(fail),
        n => Err(format!(
            "a key-encryption key of {n} bytes is not an AES key"
        )),
    }
}

/// AES key wrap (RFC 3394).
pub fn aes_wrap(kek: &[u8], key: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = vec![0u8; key.len() + 8];
    let r = match kek.len() {
        16 => aes_kw::KwAes128::new_from_slice(kek)
            .map_err(|_| "bad KEK length".to_string())?
            .wrap_key(key, &mut out)
            .map(|k| k.to_vec()),
        24 => aes_kw::KwAes192::new_from_slice(kek)
            .map_err(|_| "bad KEK length".to_string())?
            .wrap_key(key, &mut out)
            .map(|k| k.to_vec()),
        32 => aes_kw::KwAes256::new_from_slice(kek)
            .map_err(|_| "bad KEK length".to_string())?
            .wrap_key(key, &mut out)
            .map(|k| k.to_vec()),
        n => {
            return Err(format!(
                "a key-encryption key of {n} bytes is not an AES key"
            ))
        }
    };
    r.map_err(|e| format!("AES key wrap failed: {e:?}"))
}

/// ANSI X9.63 KDF as RFC 5753 §7.2 uses it: K = H(Z || counter || SharedInfo)… truncated.
pub fn x963_kdf(hash: Digest, z: &[u8], shared_info: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 64);
    let mut counter: u32 = 1;
    while out.len() < len {
        out.extend_from_slice(&hash.hash_parts(&[z, &counter.to_be_bytes(), shared_info]));
        counter += 1;
    }
    out.truncate(len);
    out
}

/// PWRI key unwrap (RFC 3211 §2.3.2): two passes of CBC decryption, then the length and
/// check bytes are verified.
pub fn pwri_unwrap(cipher: &ContentCipher, kek: &[u8], wrapped: &[u8]) -> Result<Vec<u8>, String> {
    let bad =
        || "password key unwrap failed: wrong password, or the wrapped key was altered".to_string();
    let (block, iv) = match cipher {
        ContentCipher::AesCbc { iv, .. } => (16usize, iv.clone()),
        ContentCipher::DesEde3Cbc { iv } => (8usize, iv.clone()),
        ContentCipher::AesGcm { .. } => return Err("PWRI with AES-GCM is not defined".into()),
        ContentCipher::Rc2Cbc { .. } => {
            return Err("PWRI with RC2 is not supported (RC2 is read for content only)".into())
        }
    };
    if wrapped.len() < 2 * block || !wrapped.len().is_multiple_of(block) {
        return Err(bad());
    }
    let n = wrapped.len();
    // Step 1: decrypt the last block using the second-to-last block as IV.
    let raw = |iv: &[u8], data: &[u8]| -> Result<Vec<u8>, String> {
        let c = match cipher {
            ContentCipher::AesCbc { key_len, .. } => ContentCipher::AesCbc {
                key_len: *key_len,
                iv: iv.to_vec(),
            },
            ContentCipher::DesEde3Cbc { .. } => ContentCipher::DesEde3Cbc { iv: iv.to_vec() },
            other => other.clone(),
        };
        cbc_decrypt_nopad(&c, kek, data)
    };
    let last = raw(&wrapped[n - 2 * block..n - block], &wrapped[n - block..])?;
    // Step 2: decrypt the preceding n-1 blocks using the result as IV to recover the IV of
    // the first pass: the last block of that output.
    let mut inner = raw(&last, &wrapped[..n - block])?;
    inner.extend_from_slice(&last);
    // Step 3: decrypt everything with the original IV.
    let first_pass_ct = inner;
    let plain = raw(&iv, &first_pass_ct)?;
    let key_len = usize::from(*plain.first().ok_or_else(bad)?);
    if plain.len() < 4 + key_len || key_len == 0 {
        return Err(bad());
    }
    let check = &plain[1..4];
    let key = &plain[4..4 + key_len];
    if check[0] != !key[0]
        || check[1] != !key[1.min(key_len - 1)]
        || check[2] != !key[2.min(key_len - 1)]
    {
        return Err(bad());
    }
    Ok(key.to_vec())
}

fn cbc_decrypt_nopad(cipher: &ContentCipher, key: &[u8], ct: &[u8]) -> Result<Vec<u8>, String> {
    use cbc::cipher::block_padding::NoPadding;
    let fail = |_| "decryption failed".to_string();
    match cipher {
        ContentCipher::AesCbc { key_len: 16, iv } => {
            cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
                .map_err(|_| "bad key".to_string())?
                .decrypt_padded_vec::<NoPadding>(ct)
                .map_err(fail)
        }
        ContentCipher::AesCbc { key_len: 24, iv } => {
            cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
                .map_err(|_| "bad key".to_string())?
                .decrypt_padded_vec::<NoPadding>(ct)
                .map_err(fail)
        }
        ContentCipher::AesCbc { iv, .. } => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map_err(|_| "bad key".to_string())?
            .decrypt_padded_vec::<NoPadding>(ct)
            .map_err(fail),
        ContentCipher::DesEde3Cbc { iv } => {
            cbc::Decryptor::<des::TdesEde3>::new_from_slices(key, iv)
                .map_err(|_| "bad key".to_string())?
                .decrypt_padded_vec::<NoPadding>(ct)
                .map_err(fail)
        }
        ContentCipher::AesGcm { .. } | ContentCipher::Rc2Cbc { .. } => {
            Err("not a CBC cipher used for key wrapping".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3394_vector() {
        // RFC 3394 §4.1: 128-bit key data with a 128-bit KEK.
        let kek = hex::decode("000102030405060708090A0B0C0D0E0F").unwrap();
        let key = hex::decode("00112233445566778899AABBCCDDEEFF").unwrap();
        let wrapped = hex::decode("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5").unwrap();
        assert_eq!(aes_wrap(&kek, &key).unwrap(), wrapped);
        assert_eq!(aes_unwrap(&kek, &wrapped).unwrap(), key);
        let mut bad = wrapped.clone();
        bad[5] ^= 1;
        assert!(aes_unwrap(&kek, &bad).is_err());
    }

    #[test]
    fn x963_kdf_counter_layout() {
        // One block: SHA-256(Z || 00000001 || info).
        let z = [1u8; 32];
        let out = x963_kdf(Digest::Sha256, &z, b"info", 32);
        assert_eq!(
            out,
            Digest::Sha256.hash_parts(&[&z, &[0, 0, 0, 1], b"info"])
        );
        assert_eq!(x963_kdf(Digest::Sha256, &z, b"info", 40).len(), 40);
    }
}
