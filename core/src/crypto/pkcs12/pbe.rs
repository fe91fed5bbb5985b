//! Password-based encryption of PKCS #12 (RFC 7292 App. B and C): the PKCS #12 KDF, the
//! legacy PBE schemes (3DES, RC2) and PBES2 (RFC 8018), with their bounds.

use super::{int, oid_of};
use crate::cms::asn1::{self, tag, Tlv};
use crate::crypto::algorithms::Digest;
use crate::crypto::ciphers::{self, ContentCipher};
use crate::crypto::oids;
use der::asn1::ObjectIdentifier as Oid;

pub(crate) const PBE_SHA1_3DES: Oid = oids::PBE_WITH_SHA_AND_3_KEY_TRIPLE_DES_CBC;

pub(crate) const PBE_SHA1_RC2_128: Oid = oids::PBE_WITH_SHA_AND_128_BIT_RC_2_CBC;

pub(crate) const PBE_SHA1_RC2_40: Oid = oids::PBEWITH_SHA_AND_40_BIT_RC_2_CBC;

pub(crate) const PBES2: Oid = oids::ID_PBES_2;

/// Most iterations accepted for the MAC or a PBE (bounds the work a stranger can cause).
pub const MAX_ITERATIONS: u32 = 10_000_000;

/// The PBE names of the PKCS #12 and PKCS #5 v1.5 algorithms, for messages.
pub(crate) fn pbe_name(oid: &Oid) -> &'static str {
    match *oid {
        oids::PBE_WITH_SHA_AND_128_BIT_RC_4 => "pbeWithSHAAnd128BitRC4",
        oids::PBE_WITH_SHA_AND_40_BIT_RC_4 => "pbeWithSHAAnd40BitRC4",
        PBE_SHA1_3DES => "pbeWithSHAAnd3-KeyTripleDES-CBC",
        oids::PBE_WITH_SHA_AND_2_KEY_TRIPLE_DES_CBC => "pbeWithSHAAnd2-KeyTripleDES-CBC",
        PBE_SHA1_RC2_128 => "pbeWithSHAAnd128BitRC2-CBC",
        PBE_SHA1_RC2_40 => "pbeWithSHAAnd40BitRC2-CBC",
        oids::PBE_WITH_MD_5_AND_DES_CBC => "pbeWithMD5AndDES-CBC",
        oids::PBE_WITH_MD_5_AND_RC_2_CBC => "pbeWithMD5AndRC2-CBC",
        oids::PBE_WITH_SHA_1_AND_DES_CBC => "pbeWithSHA1AndDES-CBC",
        oids::PBE_WITH_SHA_1_AND_RC_2_CBC => "pbeWithSHA1AndRC2-CBC",
        PBES2 => "PBES2",
        oids::ID_PBKDF_2 => "PBKDF2",
        oids::ID_SCRYPT => "scrypt",
        oids::ID_AES_128_CBC => "aes-128-cbc",
        oids::ID_AES_192_CBC => "aes-192-cbc",
        oids::ID_AES_256_CBC => "aes-256-cbc",
        oids::DES_EDE_3_CBC => "des-ede3-cbc",
        oids::DES_CBC => "des-cbc",
        oids::RC_2_CBC => "rc2-cbc",
        oids::CAMELLIA_128_CBC => "camellia-128-cbc",
        oids::CAMELLIA_192_CBC => "camellia-192-cbc",
        oids::CAMELLIA_256_CBC => "camellia-256-cbc",
        oids::SEED_CBC => "seed-cbc",
        oids::SM4_CBC => "sm4-cbc",
        _ => "an unknown algorithm",
    }
}

/// `name (oid)` for messages.
pub(crate) fn named(oid: &Oid) -> String {
    format!("{} ({oid})", pbe_name(oid))
}

/// Why PBES2 parameters could not be used: names the key derivation and cipher found.
pub(crate) fn pbes2_unsupported(alg: &[u8]) -> String {
    // PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier,
    //                             encryptionScheme AlgorithmIdentifier }
    let oids = (|| {
        let seq = asn1::read_whole(alg).ok()?;
        let f = asn1::children(alg, &seq).ok()?;
        let params = asn1::children(alg, f.get(1)?).ok()?;
        let first_oid = |t: &Tlv| {
            asn1::children(alg, t)
                .ok()
                .and_then(|c| c.first().and_then(|o| oid_of(alg, o)))
        };
        Some((first_oid(params.first()?)?, first_oid(params.get(1)?)?))
    })();
    match oids {
        Some((kdf, cipher)) => format!(
            "PBES2 with {} and {} is not supported (PBKDF2 with aes-128/192/256-cbc or des-ede3-cbc is)",
            named(&kdf),
            named(&cipher)
        ),
        None => "the PBES2 parameters are malformed".to_string(),
    }
}

/// What [`pbe_decrypt`] says when the padding is bad: the password is wrong.
pub(crate) const WRONG_PASSWORD: &str = "wrong password (the decrypted data has bad padding)";

/// The password as a BMPString with its two-byte terminator (RFC 7292 App. B.1).
pub(crate) fn bmp_password(password: &str) -> Vec<u8> {
    let mut out: Vec<u8> = password
        .encode_utf16()
        .flat_map(|u| u.to_be_bytes())
        .collect();
    out.extend_from_slice(&[0, 0]);
    out
}

pub(crate) fn block_size(d: Digest) -> usize {
    match d {
        Digest::Sha384 | Digest::Sha512 => 128,
        _ => 64,
    }
}

/// The PKCS #12 key derivation (RFC 7292 App. B.2); `id` 1 = key, 2 = IV, 3 = MAC key.
pub fn kdf(d: Digest, password: &[u8], salt: &[u8], iterations: u32, id: u8, n: usize) -> Vec<u8> {
    let v = block_size(d);
    let fill = |src: &[u8]| -> Vec<u8> {
        if src.is_empty() {
            return Vec::new();
        }
        let len = v * src.len().div_ceil(v);
        src.iter().copied().cycle().take(len).collect()
    };
    let dd = vec![id; v];
    let mut i_buf = fill(salt);
    i_buf.extend(fill(password));
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let mut a = d.hash_parts(&[&dd, &i_buf]);
        for _ in 1..iterations {
            a = d.hash(&a);
        }
        out.extend_from_slice(&a);
        if out.len() >= n {
            break;
        }
        let b: Vec<u8> = a.iter().copied().cycle().take(v).collect();
        for chunk in i_buf.chunks_mut(v) {
            // chunk = (chunk + b + 1) mod 2^(8v)
            let mut carry = 1u16;
            for k in (0..v).rev() {
                let sum = u16::from(chunk[k]) + u16::from(b[k]) + carry;
                chunk[k] = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(n);
    out
}

pub(crate) fn hmac(d: Digest, key: &[u8], data: &[u8]) -> Vec<u8> {
    d.hmac(key, data)
}

/// The password as PKCS #12's PBE and MAC take it: the BMPString forms to try. An empty
/// password is tried as the two-byte terminator alone (RFC 7292 App. B.1, what OpenSSL
/// writes) and as no bytes at all (what some producers write).
pub(crate) fn bmp_forms(password: &str) -> Vec<Vec<u8>> {
    if password.is_empty() {
        vec![vec![0, 0], Vec::new()]
    } else {
        vec![bmp_password(password)]
    }
}

/// Decrypts with a PKCS #12 PBE or PBES2 AlgorithmIdentifier (`alg` is its raw DER); a
/// padding failure is reported as a wrong password.
pub(crate) fn pbe_decrypt(alg: &[u8], password: &str, ct: &[u8]) -> Result<Vec<u8>, String> {
    let seq = asn1::read_whole(alg).map_err(|e| e.to_string())?;
    let f = asn1::children(alg, &seq).map_err(|e| e.to_string())?;
    let oid = f
        .first()
        .and_then(|t| oid_of(alg, t))
        .ok_or("malformed algorithm")?;
    match oid {
        PBES2 => {
            let scheme = pkcs5::EncryptionScheme::try_from(alg).map_err(|_| pbes2_unsupported(alg))?;
            if let pkcs5::EncryptionScheme::Pbes2(p) = &scheme {
                if let pkcs5::pbes2::Kdf::Pbkdf2(k) = &p.kdf {
                    if k.iteration_count > MAX_ITERATIONS {
                        return Err(format!(
                            "PBKDF2 with {} iterations is more than the {MAX_ITERATIONS} accepted",
                            k.iteration_count
                        ));
                    }
                }
            }
            scheme.decrypt(password.as_bytes(), ct).map_err(|e| match e {
                pkcs5::Error::DecryptFailed => WRONG_PASSWORD.to_string(),
                _ => pbes2_unsupported(alg),
            })
        }
        PBE_SHA1_3DES | PBE_SHA1_RC2_128 | PBE_SHA1_RC2_40 => {
            let params = f.get(1).ok_or("PBE parameters missing")?;
            let p = asn1::children(alg, params).map_err(|e| e.to_string())?;
            let salt = p
                .first()
                .filter(|t| t.is_universal(tag::OCTET_STRING))
                .map(|t| t.value(alg).to_vec())
                .ok_or("PBE salt missing")?;
            let iterations = p.get(1).and_then(|t| int(alg, t)).ok_or("PBE iteration count missing")?;
            if iterations > MAX_ITERATIONS {
                return Err(format!("{iterations} iterations is more than the {MAX_ITERATIONS} accepted"));
            }
            for pw in bmp_forms(password) {
                let iv = kdf(Digest::Sha1, &pw, &salt, iterations, 2, 8);
                let plain = match oid {
                    PBE_SHA1_3DES => {
                        let key = zeroize::Zeroizing::new(kdf(Digest::Sha1, &pw, &salt, iterations, 1, 24));
                        ciphers::decrypt_content(&ContentCipher::DesEde3Cbc { iv }, &key, ct, &[], &[])
                            .ok()
                    }
                    rc2 => {
                        let bits = if rc2 == PBE_SHA1_RC2_40 { 40 } else { 128 };
                        let key = zeroize::Zeroizing::new(kdf(Digest::Sha1, &pw, &salt, iterations, 1, bits / 8));
                        crate::crypto::ciphers::rc2_cbc_decrypt(&key, bits, &iv, ct).ok()
                    }
                };
                if let Some(p) = plain {
                    return Ok(p);
                }
            }
            Err(WRONG_PASSWORD.to_string())
        }
        other => Err(format!(
            "encryption {} is not supported (PBES2, pbeWithSHAAnd3-KeyTripleDES-CBC and pbeWithSHAAnd40/128BitRC2-CBC are)",
            named(&other)
        )),
    }
}
