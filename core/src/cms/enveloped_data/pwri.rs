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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::der_writer as w;
    use der::{Any, Decode};

    fn pbkdf2_alg(params: Option<&[u8]>) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: oids::ID_PBKDF_2,
            parameters: params.map(|p| Any::from_der(p).unwrap()),
        }
    }

    #[test]
    fn pbkdf2_params_prf_default_and_hmac_sha2() {
        let salt = w::octets(b"saltsalt");
        let p = w::seq(&[&salt, &w::int(2048)]);
        assert_eq!(
            pbkdf2_params(&pbkdf2_alg(Some(&p))),
            Ok((b"saltsalt".to_vec(), 2048, Digest::Sha1))
        );
        for (oid, d) in [
            (oids::ID_HMAC_WITH_SHA_1, Digest::Sha1),
            (oids::ID_HMAC_WITH_SHA_224, Digest::Sha224),
            (oids::ID_HMAC_WITH_SHA_256, Digest::Sha256),
            (oids::ID_HMAC_WITH_SHA_384, Digest::Sha384),
            (oids::ID_HMAC_WITH_SHA_512, Digest::Sha512),
        ] {
            // With the optional keyLength before the prf.
            let p = w::seq(&[
                &salt,
                &w::int(1),
                &w::int(32),
                &w::alg(oid, Some(&w::null())),
            ]);
            assert_eq!(pbkdf2_params(&pbkdf2_alg(Some(&p))).map(|r| r.2), Ok(d));
        }
    }

    #[test]
    fn pbkdf2_params_rejections() {
        let scrypt = AlgorithmIdentifierOwned {
            oid: oids::ID_SCRYPT,
            parameters: None,
        };
        let err = |p: &[u8]| pbkdf2_params(&pbkdf2_alg(Some(p))).unwrap_err();
        assert_eq!(
            pbkdf2_params(&scrypt).unwrap_err(),
            "key derivation 1.3.6.1.4.1.11591.4.11 is not supported (only PBKDF2)"
        );
        assert_eq!(
            pbkdf2_params(&pbkdf2_alg(None)).unwrap_err(),
            "PBKDF2 has no parameters"
        );
        // RFC 8018 salt CHOICE otherSource (an AlgorithmIdentifier) is not read.
        let other = w::seq(&[&w::alg(oids::ID_SHA_256, None), &w::int(1)]);
        assert_eq!(err(&other), "PBKDF2 salt is not an OCTET STRING");
        let big = w::seq(&[&w::octets(b"s"), &w::tlv(0x02, &[1, 0, 0, 0, 0])]);
        assert_eq!(err(&big), "PBKDF2 iteration count is missing or too large");
        let prf = w::seq(&[
            &w::octets(b"s"),
            &w::int(1),
            &w::alg(oids::ID_SHA_256, None),
        ]);
        assert_eq!(
            err(&prf),
            "PBKDF2 PRF 2.16.840.1.101.3.4.2.1 is not supported"
        );
    }

    #[test]
    fn pbkdf2_rfc6070_vectors() {
        let sha1 = |c| hex::encode(pbkdf2(Digest::Sha1, b"password", b"salt", c, 20));
        assert_eq!(sha1(1), "0c60c80f961f0e71f3a9b524af6012062fe037a6");
        assert_eq!(sha1(2), "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
    }

    /// RFC 3211 §2.3.1: LEN || check (complement of the key's first 3 octets) || key ||
    /// padding, CBC-encrypted twice, the second time with the first pass's last block as IV.
    fn pwri_wrap(kek: &[u8], iv: &[u8], cek: &[u8], good_check: bool) -> Vec<u8> {
        use cbc::cipher::{block_padding::NoPadding, BlockModeEncrypt, KeyIvInit};
        let mut block = vec![cek.len() as u8, !cek[0], !cek[1], !cek[2]];
        if !good_check {
            block[3] ^= 1;
        }
        block.extend_from_slice(cek);
        block.resize(block.len().div_ceil(16).max(2) * 16, 0x5a);
        let enc = |iv: &[u8], data: &[u8]| {
            cbc::Encryptor::<aes::Aes128>::new_from_slices(kek, iv)
                .unwrap()
                .encrypt_padded_vec::<NoPadding>(data)
        };
        let first = enc(iv, &block);
        enc(&first[first.len() - 16..], &first)
    }

    fn pwri_info(iterations: u64, key_enc: Oid, wrapped: &[u8]) -> PasswordRecipientInfo {
        let prf = w::alg(oids::ID_HMAC_WITH_SHA_256, Some(&w::null()));
        let kdf = w::seq(&[&w::octets(b"NaCl4pwr"), &w::int(iterations), &prf]);
        let inner = w::alg(oids::ID_AES_128_CBC, Some(&w::octets(&[7; 16])));
        PasswordRecipientInfo {
            version: cms::content_info::CmsVersion::V0,
            key_derivation_alg: Some(pbkdf2_alg(Some(&kdf))),
            key_enc_alg: AlgorithmIdentifierOwned {
                oid: key_enc,
                parameters: Some(Any::from_der(&inner).unwrap()),
            },
            enc_key: der::asn1::OctetString::new(wrapped).unwrap(),
        }
    }

    fn run(ri: &PasswordRecipientInfo, keyring: &Keyring) -> (String, Vec<(Vec<u8>, String)>) {
        let mut out = RecipientReport {
            kind: "pwri".into(),
            ..RecipientReport::default()
        };
        let c = pwri(ri, keyring, &mut out);
        assert_eq!(out.key_algorithm, "pwri-kek");
        (
            out.details,
            c.into_iter().map(|(k, s, _)| (k.to_vec(), s)).collect(),
        )
    }

    #[test]
    fn pwri_kek_unwrap_with_the_right_password_only() {
        let cek = *b"0123456789abcdef";
        let kek = pbkdf2(Digest::Sha256, b"secret", b"NaCl4pwr", 1000, 16);
        let mut keyring = Keyring::new();
        keyring.add_password("wrong");
        keyring.add_password("secret");
        let info = |good| {
            let wrapped = pwri_wrap(&kek, &[7; 16], &cek, good);
            pwri_info(1000, oids::ID_ALG_PWRI_KEK, &wrapped)
        };
        let (details, opened) = run(&info(true), &keyring);
        assert_eq!(
            details,
            "PBKDF2-HMAC-SHA256 with 1000 iterations, aes-128-cbc wrap"
        );
        assert_eq!(opened, vec![(cek.to_vec(), "password #2".to_string())]);
        // A check octet that is not the complement of the key's octet is refused.
        assert_eq!(run(&info(false), &keyring).1, vec![]);
    }

    #[test]
    fn pwri_refusals() {
        let mut keyring = Keyring::new();
        keyring.add_password("secret");
        let over = pwri_info(
            u64::from(MAX_PBKDF2_ITERATIONS) + 1,
            oids::ID_ALG_PWRI_KEK,
            &[0; 32],
        );
        assert_eq!(
            run(&over, &keyring),
            (
                "PBKDF2-HMAC-SHA256 with 10000001 iterations, aes-128-cbc wrap; refused: more than 10000000 iterations".to_string(),
                vec![]
            )
        );
        let not_pwri_kek = pwri_info(1, oids::ID_AES_128_WRAP, &[0; 24]);
        assert_eq!(
            run(&not_pwri_kek, &keyring).0,
            "key encryption 2.16.840.1.101.3.4.1.5 is not supported (expected id-alg-PWRI-KEK)"
        );
        let mut no_kdf = pwri_info(1, oids::ID_ALG_PWRI_KEK, &[0; 32]);
        no_kdf.key_derivation_alg = None;
        assert_eq!(
            run(&no_kdf, &keyring).0,
            "no keyDerivationAlgorithm: the KEK would have to be given directly"
        );
    }
}
