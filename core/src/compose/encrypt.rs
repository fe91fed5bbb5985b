//! EnvelopedData (RFC 5652 §6) and AuthEnvelopedData (RFC 5083): a random content key,
//! RSA key transport or ECDH key agreement per recipient, AES-CBC or AES-GCM content.

use crate::compose::der_writer as w;
use crate::compose::options::{Cipher, EncryptOptions, RsaPadding};
use crate::compose::sign::{digest_oid, err, issuer_and_serial};
use crate::crypto::algorithms::Digest;
use crate::crypto::ciphers;
use crate::crypto::keys::SecretKey;
use crate::crypto::oids;
use crate::crypto::signature::PublicKey;
use crate::error::Error;
use crate::x509::certificate::Cert;
use der::Encode;
use rand_core::CryptoRng;

/// `n` bytes from the caller's generator.
pub(crate) fn random(rng: &mut dyn CryptoRng, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rng.fill_bytes(&mut v);
    v
}

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
        PublicKey::Dsa(_) => Err(err(format!(
            "recipient {who} has a DSA key, which can sign but not receive encrypted content"
        ))),
        PublicKey::Rsa(k) => Ok((key_trans(cert, &who, &k, cek, padding, rng)?, false)),
        PublicKey::P256(_) | PublicKey::P384(_) => {
            Ok((key_agree(cert, &who, cek, cipher, rng)?, true))
        }
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
