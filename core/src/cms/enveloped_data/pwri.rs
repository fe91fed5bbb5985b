//! Password recipients (RFC 5652 §6.2.4, RFC 3211): PBKDF2 and the RFC 3211 key wrap.

use super::Candidates;
use crate::cms::asn1::{self, tag};
use crate::crypto::algorithms::{oid_name, Digest};
use crate::crypto::ciphers::{self};
use crate::crypto::oids;
use crate::keyring::Keyring;
use crate::report::RecipientReport;
use cms::enveloped_data::PasswordRecipientInfo;
use der::asn1::ObjectIdentifier as Oid;
use der::Encode;
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

/// PBKDF2-params (RFC 8018 A.2): salt, iterationCount, keyLength?, prf (default HMAC-SHA1).
pub(super) fn pbkdf2_params(
    alg: &AlgorithmIdentifierOwned,
) -> Result<(Vec<u8>, u32, Digest), String> {
    if alg.oid != oids::ID_PBKDF_2 {
        return Err(format!(
            "key derivation {} is not supported (only PBKDF2)",
            oid_name(&alg.oid)
        ));
    }
    let der = alg
        .parameters
        .as_ref()
        .and_then(|p| p.to_der().ok())
        .ok_or("PBKDF2 has no parameters")?;
    let seq = asn1::read_whole(&der).map_err(|e| e.to_string())?;
    let f = asn1::children(&der, &seq).map_err(|e| e.to_string())?;
    let salt = f
        .first()
        .filter(|t| t.is_universal(tag::OCTET_STRING))
        .map(|t| t.value(&der).to_vec())
        .ok_or("PBKDF2 salt is not an OCTET STRING")?;
    let iterations = f
        .get(1)
        .filter(|t| t.is_universal(tag::INTEGER) && t.value(&der).len() <= 4)
        .map(|t| {
            t.value(&der)
                .iter()
                .fold(0u32, |a, &b| (a << 8) | u32::from(b))
        })
        .ok_or("PBKDF2 iteration count is missing or too large")?;
    let mut prf = Digest::Sha1;
    for t in f.iter().skip(2).filter(|t| t.is_universal(tag::SEQUENCE)) {
        let parts = asn1::children(&der, t).map_err(|e| e.to_string())?;
        let oid = parts
            .first()
            .and_then(|o| Oid::from_bytes(o.value(&der)).ok())
            .ok_or("PBKDF2 prf is malformed")?;
        prf = match oid {
            oids::ID_HMAC_WITH_SHA_1 => Digest::Sha1,
            oids::ID_HMAC_WITH_SHA_224 => Digest::Sha224,
            oids::ID_HMAC_WITH_SHA_256 => Digest::Sha256,
            oids::ID_HMAC_WITH_SHA_384 => Digest::Sha384,
            oids::ID_HMAC_WITH_SHA_512 => Digest::Sha512,
            other => return Err(format!("PBKDF2 PRF {other} is not supported")),
        };
    }
    Ok((salt, iterations, prf))
}

/// Most PBKDF2 iterations accepted from a message (bounds the work a stranger can cause).
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;

pub(super) fn pbkdf2(
    prf: Digest,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    len: usize,
) -> Vec<u8> {
    let mut out = vec![0u8; len];
    match prf {
        Digest::Md5 => pbkdf2::pbkdf2_hmac::<md5::Md5>(password, salt, iterations, &mut out),
        Digest::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, &mut out),
        Digest::Sha224 => pbkdf2::pbkdf2_hmac::<sha2::Sha224>(password, salt, iterations, &mut out),
        Digest::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, &mut out),
        Digest::Sha384 => pbkdf2::pbkdf2_hmac::<sha2::Sha384>(password, salt, iterations, &mut out),
        Digest::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, iterations, &mut out),
    }
    out
}

pub(super) fn pwri(
    ri: &PasswordRecipientInfo,
    keyring: &Keyring,
    out: &mut RecipientReport,
) -> Candidates {
    out.key_algorithm = "pwri-kek".into();
    let Some(kdf) = &ri.key_derivation_alg else {
        out.details = "no keyDerivationAlgorithm: the KEK would have to be given directly".into();
        return Vec::new();
    };
    let (salt, iterations, prf) = match pbkdf2_params(kdf) {
        Ok(p) => p,
        Err(e) => {
            out.details = e;
            return Vec::new();
        }
    };
    // id-alg-PWRI-KEK with the inner cipher as parameter (RFC 3211 §2.3).
    let inner = if ri.key_enc_alg.oid == oids::ID_ALG_PWRI_KEK {
        ri.key_enc_alg
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<AlgorithmIdentifierOwned>().ok())
            .and_then(|a| ciphers::content_cipher(&a).ok())
    } else {
        None
    };
    let Some(inner) = inner else {
        out.details = format!(
            "key encryption {} is not supported (expected id-alg-PWRI-KEK)",
            oid_name(&ri.key_enc_alg.oid)
        );
        return Vec::new();
    };
    out.details = format!(
        "PBKDF2-HMAC-{} with {iterations} iterations, {} wrap",
        prf.name().to_uppercase(),
        inner.name()
    );
    if iterations > MAX_PBKDF2_ITERATIONS {
        out.details.push_str(&format!(
            "; refused: more than {MAX_PBKDF2_ITERATIONS} iterations"
        ));
        return Vec::new();
    }
    keyring
        .passwords
        .iter()
        .enumerate()
        .filter_map(|(i, pw)| {
            let kek = Zeroizing::new(pbkdf2(
                prf,
                pw.as_bytes(),
                &salt,
                iterations,
                inner.key_len(),
            ));
            ciphers::pwri_unwrap(&inner, &kek, ri.enc_key.as_bytes())
                .ok()
                .map(|cek| (Zeroizing::new(cek), format!("password #{}", i + 1), true))
        })
        .collect()
}
