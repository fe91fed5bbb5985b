//! EnvelopedData (RFC 5652 §6) and AuthEnvelopedData (RFC 5083): a random content key,
//! RSA key transport or ECDH key agreement per recipient, AES-CBC or AES-GCM content.

use crate::compose::der_writer as w;
use crate::compose::options::{Cipher, EncryptOptions, RsaPadding};
use crate::compose::sign::{alg, digest_oid, err, issuer_and_serial};
use crate::crypto::algorithms::Digest;
use crate::crypto::ciphers;
use crate::crypto::keys::SecretKey;
use crate::crypto::oids;
use crate::crypto::signature::PublicKey;
use crate::error::Error;
use crate::x509::certificate::Cert;
use cms::content_info::CmsVersion;
use cms::enveloped_data::{
    EncryptedContentInfo, KeyAgreeRecipientIdentifier, KeyAgreeRecipientInfo,
    KeyTransRecipientInfo, OriginatorIdentifierOrKey, OriginatorPublicKey, RecipientEncryptedKey,
    RecipientIdentifier, RecipientInfo,
};
use der::asn1::{Any, BitString, OctetString};
use der::{Decode, Encode};
use rand_core::CryptoRng;

/// `n` bytes from the caller's generator.
pub(crate) fn random(rng: &mut dyn CryptoRng, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rng.fill_bytes(&mut v);
    v
}

/// DER-encoded algorithm parameters as an `ANY`.
fn params(der: &[u8]) -> Result<Any, Error> {
    Any::from_der(der).map_err(|e| Error::der("algorithm parameters", e))
}

/// A KeyTransRecipientInfo for an RSA recipient.
fn key_trans(
    cert: &Cert,
    who: &str,
    k: &rsa::RsaPublicKey,
    cek: &[u8],
    padding: RsaPadding,
    rng: &mut dyn CryptoRng,
) -> Result<RecipientInfo, Error> {
    let (key_enc_alg, enc) = match padding {
        RsaPadding::Pkcs1v15 => (
            alg(oids::RSA_ENCRYPTION, Some(Any::null())),
            k.encrypt(rng, rsa::Pkcs1v15Encrypt, cek),
        ),
        RsaPadding::OaepSha256 => {
            // RSAES-OAEP-params (RFC 4055 §4.1): SHA-256 and MGF1 with SHA-256.
            let sha256 = w::alg(digest_oid(Digest::Sha256), None);
            let oaep = w::seq(&[
                &w::explicit(0, &sha256),
                &w::explicit(1, &w::alg(oids::ID_MGF_1, Some(&sha256))),
            ]);
            (
                alg(oids::ID_RSAES_OAEP, Some(params(&oaep)?)),
                k.encrypt(rng, rsa::Oaep::<sha2::Sha256>::new(), cek),
            )
        }
    };
    let enc = enc.map_err(|e| err(format!("RSA key transport to {who} failed: {e}")))?;
    Ok(RecipientInfo::Ktri(KeyTransRecipientInfo {
        version: CmsVersion::V0,
        rid: RecipientIdentifier::IssuerAndSerialNumber(issuer_and_serial(cert)),
        key_enc_alg,
        enc_key: octets(enc)?,
    }))
}

fn octets(bytes: Vec<u8>) -> Result<OctetString, Error> {
    OctetString::new(bytes).map_err(|e| Error::der("OCTET STRING", e))
}

/// A KeyAgreeRecipientInfo for an EC recipient: ephemeral-static ECDH, X9.63 KDF with
/// SHA-256, AES key wrap sized to the content key (RFC 5753 §3.1, the choices OpenSSL makes).
fn key_agree(
    cert: &Cert,
    who: &str,
    cek: &[u8],
    cipher: Cipher,
    rng: &mut dyn CryptoRng,
) -> Result<RecipientInfo, Error> {
    let point = cert
        .cert
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| err(format!("recipient {who}: malformed public key")))?
        .to_vec();
    let eph = SecretKey::generate_for_peer(&point, rng)
        .ok_or_else(|| err(format!("recipient {who}: unsupported EC point")))?;
    let z = eph.ecdh(&point).ok_or_else(|| {
        err(format!(
            "recipient {who}: the public key is not a valid point"
        ))
    })?;
    let (wrap_oid, kek_len) = if cipher.key_len() <= 16 {
        (oids::ID_AES_128_WRAP, 16)
    } else if cipher.key_len() <= 24 {
        (oids::ID_AES_192_WRAP, 24)
    } else {
        (oids::ID_AES_256_WRAP, 32)
    };
    let wrap_alg = alg(wrap_oid, None);
    let wrap_alg_der = wrap_alg
        .to_der()
        .map_err(|e| Error::der("AlgorithmIdentifier", e))?;
    // ECC-CMS-SharedInfo (RFC 5753 §7.2): the KDF's input, never sent.
    let shared_info = w::seq(&[
        &wrap_alg_der,
        &w::explicit(2, &w::octets(&((kek_len * 8) as u32).to_be_bytes())),
    ]);
    let kek = ciphers::x963_kdf(Digest::Sha256, &z, &shared_info, kek_len);
    let wrapped = ciphers::aes_wrap(&kek, cek).map_err(err)?;
    let public_key = BitString::from_bytes(&eph.public_key_bits())
        .map_err(|e| Error::der("originator public key", e))?;
    Ok(RecipientInfo::Kari(KeyAgreeRecipientInfo {
        version: CmsVersion::V3,
        originator: OriginatorIdentifierOrKey::OriginatorKey(OriginatorPublicKey {
            algorithm: alg(oids::ID_EC_PUBLIC_KEY, None),
            public_key,
        }),
        ukm: None,
        key_enc_alg: alg(
            oids::DH_SINGLE_PASS_STD_DH_SHA_256_KDF_SCHEME,
            Some(params(&wrap_alg_der)?),
        ),
        recipient_enc_keys: vec![RecipientEncryptedKey {
            rid: KeyAgreeRecipientIdentifier::IssuerAndSerialNumber(issuer_and_serial(cert)),
            enc_key: octets(wrapped)?,
        }],
    }))
}

/// A KeyTransRecipientInfo (RSA) or KeyAgreeRecipientInfo (EC) for `cert`.
fn recipient_info(
    cert: &Cert,
    cek: &[u8],
    cipher: Cipher,
    padding: RsaPadding,
    rng: &mut dyn CryptoRng,
) -> Result<RecipientInfo, Error> {
    let who = crate::x509::dn::rfc4514(cert.subject());
    let public = cert
        .public_key()
        .map_err(|e| err(format!("recipient {who}: {e}")))?;
    match public {
        PublicKey::Dsa(_) | PublicKey::Ed25519(_) => Err(err(format!(
            "recipient {who} has a {} key, which can sign but not receive encrypted content",
            public.family()
        ))),
        PublicKey::Rsa(k) => key_trans(cert, &who, &k, cek, padding, rng),
        PublicKey::P256(_) | PublicKey::P384(_) => key_agree(cert, &who, cek, cipher, rng),
    }
}

/// Builds an EnvelopedData (CBC) or AuthEnvelopedData (GCM) ContentInfo around `content`.
pub fn enveloped_data(
    content: &[u8],
    opts: &EncryptOptions,
    rng: &mut dyn CryptoRng,
) -> Result<Vec<u8>, Error> {
    if opts.recipients.is_empty() {
        return Err(err("encryption needs at least one recipient certificate"));
    }
    let cek = random(rng, opts.cipher.key_len());
    let mut ris = Vec::new();
    for r in &opts.recipients {
        ris.push(recipient_info(r, &cek, opts.cipher, opts.rsa_padding, rng)?);
    }
    // RFC 5652 §6.1: version 2 when any recipient is not a version-0 KTRI.
    let any_kari = ris.iter().any(|r| matches!(r, RecipientInfo::Kari(_)));
    let mut ri_ders = Vec::with_capacity(ris.len());
    for r in &ris {
        ri_ders.push(r.to_der().map_err(|e| Error::der("RecipientInfo", e))?);
    }
    // The SET OF RecipientInfo is put together here, in X.690 §11.6 order (by encoding):
    // der's SetOfVec orders these CHOICE elements differently (docs/decisions.md).
    let ri_refs: Vec<&[u8]> = ri_ders.iter().map(Vec::as_slice).collect();
    let recip_infos = w::set_of(&ri_refs);
    let eci = |alg_params: Any, ct: Vec<u8>| -> Result<Vec<u8>, Error> {
        EncryptedContentInfo {
            content_type: oids::ID_DATA,
            content_enc_alg: alg(opts.cipher.oid(), Some(alg_params)),
            encrypted_content: Some(octets(ct)?),
        }
        .to_der()
        .map_err(|e| Error::der("EncryptedContentInfo", e))
    };
    if opts.cipher.is_gcm() {
        let nonce = random(rng, 12);
        let (ct, tag) = ciphers::encrypt_gcm(&cek, &nonce, content, &[]).map_err(err)?;
        // GCMParameters (RFC 5084 §3.2) with the 16-byte ICV written out.
        let gcm = w::seq(&[&w::octets(&nonce), &w::int(16)]);
        let aed = w::seq(&[
            &w::int(0),
            &recip_infos,
            &eci(params(&gcm)?, ct)?,
            &w::octets(&tag),
        ]);
        return Ok(w::content_info(oids::ID_CT_AUTH_ENVELOPED_DATA, &aed));
    }
    let iv = random(rng, 16);
    let cipher = ciphers::ContentCipher::AesCbc {
        key_len: opts.cipher.key_len(),
        iv: iv.clone(),
    };
    let ct = ciphers::encrypt_cbc(&cipher, &cek, content).map_err(err)?;
    let version = if any_kari { 2 } else { 0 };
    let ed = w::seq(&[
        &w::int(version),
        &recip_infos,
        &eci(params(&w::octets(&iv))?, ct)?,
    ]);
    Ok(w::content_info(oids::ID_ENVELOPED_DATA, &ed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::SeededRng;

    /// The previous hand-written encoding, kept to check the typed one byte for byte.
    mod by_hand {
        use super::super::*;

        fn issuer_and_serial_der(cert: &Cert) -> Result<Vec<u8>, Error> {
            issuer_and_serial(cert)
                .to_der()
                .map_err(|e| Error::der("IssuerAndSerialNumber", e))
        }

        /// A KeyTransRecipientInfo for an RSA recipient.
        fn key_trans(
            cert: &Cert,
            who: &str,
            k: &rsa::RsaPublicKey,
            cek: &[u8],
            padding: RsaPadding,
            rng: &mut dyn CryptoRng,
        ) -> Result<Vec<u8>, Error> {
            let (alg, enc) = match padding {
                RsaPadding::Pkcs1v15 => (
                    w::alg(oids::RSA_ENCRYPTION, Some(&w::null())),
                    k.encrypt(rng, rsa::Pkcs1v15Encrypt, cek),
                ),
                RsaPadding::OaepSha256 => {
                    let sha256 = w::alg(digest_oid(Digest::Sha256), None);
                    let params = w::seq(&[
                        &w::explicit(0, &sha256),
                        &w::explicit(1, &w::alg(oids::ID_MGF_1, Some(&sha256))),
                    ]);
                    (
                        w::alg(oids::ID_RSAES_OAEP, Some(&params)),
                        k.encrypt(rng, rsa::Oaep::<sha2::Sha256>::new(), cek),
                    )
                }
            };
            let enc = enc.map_err(|e| err(format!("RSA key transport to {who} failed: {e}")))?;
            Ok(w::seq(&[
                &w::int(0),
                &issuer_and_serial_der(cert)?,
                &alg,
                &w::octets(&enc),
            ]))
        }

        /// A KeyAgreeRecipientInfo (`[1]`) for an EC recipient: ephemeral-static ECDH, X9.63 KDF
        /// with SHA-256, AES key wrap sized to the content key (RFC 5753 §3.1, the choices OpenSSL
        /// makes).
        fn key_agree(
            cert: &Cert,
            who: &str,
            cek: &[u8],
            cipher: Cipher,
            rng: &mut dyn CryptoRng,
        ) -> Result<Vec<u8>, Error> {
            let point = cert
                .cert
                .tbs_certificate()
                .subject_public_key_info()
                .subject_public_key
                .as_bytes()
                .ok_or_else(|| err(format!("recipient {who}: malformed public key")))?
                .to_vec();
            let eph = SecretKey::generate_for_peer(&point, rng)
                .ok_or_else(|| err(format!("recipient {who}: unsupported EC point")))?;
            let z = eph.ecdh(&point).ok_or_else(|| {
                err(format!(
                    "recipient {who}: the public key is not a valid point"
                ))
            })?;
            let eph_point = eph.public_key_bits();
            let (wrap_oid, kek_len) = if cipher.key_len() <= 16 {
                (oids::ID_AES_128_WRAP, 16)
            } else if cipher.key_len() <= 24 {
                (oids::ID_AES_192_WRAP, 24)
            } else {
                (oids::ID_AES_256_WRAP, 32)
            };
            let wrap_alg = w::alg(wrap_oid, None);
            let shared_info = w::seq(&[
                &wrap_alg,
                &w::explicit(2, &w::octets(&((kek_len * 8) as u32).to_be_bytes())),
            ]);
            let kek = ciphers::x963_kdf(Digest::Sha256, &z, &shared_info, kek_len);
            let wrapped = ciphers::aes_wrap(&kek, cek).map_err(err)?;
            let originator = w::explicit(
                0,
                &w::tlv(
                    0xA1,
                    &[w::alg(oids::ID_EC_PUBLIC_KEY, None), w::bits(&eph_point)].concat(),
                ),
            );
            Ok(w::tlv(
                0xA1,
                &[
                    w::int(3),
                    originator,
                    w::alg(
                        oids::DH_SINGLE_PASS_STD_DH_SHA_256_KDF_SCHEME,
                        Some(&wrap_alg),
                    ),
                    w::seq(&[&w::seq(&[
                        &issuer_and_serial_der(cert)?,
                        &w::octets(&wrapped),
                    ])]),
                ]
                .concat(),
            ))
        }

        /// A KeyTransRecipientInfo (RSA) or KeyAgreeRecipientInfo (EC) for `cert`; `true` for the
        /// latter.
        fn recipient_info(
            cert: &Cert,
            cek: &[u8],
            cipher: Cipher,
            padding: RsaPadding,
            rng: &mut dyn CryptoRng,
        ) -> Result<(Vec<u8>, bool), Error> {
            let who = crate::x509::dn::rfc4514(cert.subject());
            let public = cert
                .public_key()
                .map_err(|e| err(format!("recipient {who}: {e}")))?;
            match public {
                PublicKey::Dsa(_) | PublicKey::Ed25519(_) => Err(err(format!(
                    "recipient {who} has a {} key, which can sign but not receive encrypted content",
                    public.family()
                ))),
                PublicKey::Rsa(k) => Ok((key_trans(cert, &who, &k, cek, padding, rng)?, false)),
                PublicKey::P256(_) | PublicKey::P384(_) => {
                    Ok((key_agree(cert, &who, cek, cipher, rng)?, true))
                }
            }
        }

        /// Builds an EnvelopedData (CBC) or AuthEnvelopedData (GCM) ContentInfo around `content`.
        pub(super) fn enveloped_data(
            content: &[u8],
            opts: &EncryptOptions,
            rng: &mut dyn CryptoRng,
        ) -> Result<Vec<u8>, Error> {
            if opts.recipients.is_empty() {
                return Err(err("encryption needs at least one recipient certificate"));
            }
            let cek = random(rng, opts.cipher.key_len());
            let mut ris = Vec::new();
            let mut any_kari = false;
            for r in &opts.recipients {
                let (ri, kari) = recipient_info(r, &cek, opts.cipher, opts.rsa_padding, rng)?;
                any_kari |= kari;
                ris.push(ri);
            }
            let ri_refs: Vec<&[u8]> = ris.iter().map(Vec::as_slice).collect();
            let data_oid = w::oid(oids::ID_DATA);
            if opts.cipher.is_gcm() {
                let nonce = random(rng, 12);
                let (ct, tag) = ciphers::encrypt_gcm(&cek, &nonce, content, &[]).map_err(err)?;
                let params = w::seq(&[&w::octets(&nonce), &w::int(16)]);
                let eci = w::seq(&[
                    &data_oid,
                    &w::alg(opts.cipher.oid(), Some(&params)),
                    &w::implicit_primitive(0, &ct),
                ]);
                let aed = w::seq(&[&w::int(0), &w::set_of(&ri_refs), &eci, &w::octets(&tag)]);
                return Ok(w::content_info(oids::ID_CT_AUTH_ENVELOPED_DATA, &aed));
            }
            let iv = random(rng, 16);
            let cipher = ciphers::ContentCipher::AesCbc {
                key_len: opts.cipher.key_len(),
                iv: iv.clone(),
            };
            let ct = ciphers::encrypt_cbc(&cipher, &cek, content).map_err(err)?;
            let eci = w::seq(&[
                &data_oid,
                &w::alg(opts.cipher.oid(), Some(&w::octets(&iv))),
                &w::implicit_primitive(0, &ct),
            ]);
            // RFC 5652 §6.1: version 2 when any recipient is not a version-0 KTRI.
            let version = if any_kari { 2 } else { 0 };
            let ed = w::seq(&[&w::int(version), &w::set_of(&ri_refs), &eci]);
            Ok(w::content_info(oids::ID_ENVELOPED_DATA, &ed))
        }
    }

    fn certs(names: &[&str]) -> Vec<Cert> {
        names
            .iter()
            .map(|n| {
                let pem = std::fs::read(format!(
                    "{}/../tests/fixtures/pki/{n}",
                    env!("CARGO_MANIFEST_DIR")
                ))
                .unwrap();
                crate::x509::certificate::load_certificates(&pem, n)
                    .unwrap()
                    .remove(0)
            })
            .collect()
    }

    #[test]
    fn typed_encoding_is_byte_identical_to_the_hand_written_one() {
        let mixes: [&[&str]; 4] = [
            &["recip-rsa.pem"],
            &["recip-p256.pem"],
            &["recip-rsa.pem", "recip-p384.pem", "recip-rsa2.pem"],
            &["recip-p384.pem", "recip-p256.pem"],
        ];
        let mut compared = 0;
        for names in mixes {
            for cipher in [
                Cipher::Aes128Cbc,
                Cipher::Aes256Cbc,
                Cipher::Aes128Gcm,
                Cipher::Aes256Gcm,
            ] {
                for rsa_padding in [RsaPadding::Pkcs1v15, RsaPadding::OaepSha256] {
                    let opts = EncryptOptions {
                        recipients: certs(names),
                        cipher,
                        rsa_padding,
                    };
                    let typed = enveloped_data(b"payload", &opts, &mut SeededRng::new(7)).unwrap();
                    let by_hand =
                        by_hand::enveloped_data(b"payload", &opts, &mut SeededRng::new(7)).unwrap();
                    assert_eq!(typed, by_hand, "{names:?} {cipher:?} {rsa_padding:?}");
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 32);
    }

    #[test]
    fn encryption_without_recipients_is_an_error() {
        let opts = EncryptOptions {
            recipients: Vec::new(),
            cipher: Cipher::Aes128Cbc,
            rsa_padding: RsaPadding::Pkcs1v15,
        };
        let e = enveloped_data(b"x", &opts, &mut SeededRng::new(1)).unwrap_err();
        assert!(e.to_string().contains("at least one recipient"), "{e}");
    }
}
