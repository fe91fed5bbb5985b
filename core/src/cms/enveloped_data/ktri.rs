//! Key transport recipients (RFC 5652 §6.2.1): RSA PKCS#1 v1.5 and RSAES-OAEP, with the
//! keyring keys that may open them.

use super::Candidates;
use crate::crypto::algorithms::{oid_name, Digest};
use crate::crypto::keys::{PrivateKey, SecretKey};
use crate::crypto::oids;
use crate::keyring::Keyring;
use crate::report::RecipientReport;
use crate::x509::certificate::{serial_hex, Cert};
use crate::x509::dn;
use cms::enveloped_data::{KeyTransRecipientInfo, RecipientIdentifier};
use zeroize::Zeroizing;

pub(super) fn rid_matches(cert: &Cert, issuer: &x509_cert::name::Name, serial: &[u8]) -> bool {
    dn::same_name(cert.issuer(), issuer) && cert.serial_hex() == serial_hex(serial)
}

/// Keys that belong to the recipient named by issuer+serial or SKI; when the keyring holds
/// no certificate tying any key to the recipient, every key of the right family is tried.
pub(super) fn keys_for<'a>(
    keyring: &'a Keyring,
    extra_certs: &[Cert],
    by_isn: Option<(&x509_cert::name::Name, &[u8])>,
    by_ski: Option<&[u8]>,
    family: fn(&SecretKey) -> bool,
) -> (Vec<&'a PrivateKey>, bool) {
    let certs: Vec<&Cert> = keyring
        .certs
        .iter()
        .chain(keyring.anchors.iter())
        .chain(extra_certs.iter())
        .collect();
    let mut exact = Vec::new();
    for k in keyring.keys.iter().filter(|k| family(&k.key)) {
        let by_cert = certs.iter().any(|c| {
            k.matches(c)
                && match (by_isn, by_ski) {
                    (Some((i, s)), _) => rid_matches(c, i, s),
                    (_, Some(ski)) => c.subject_key_id().as_deref() == Some(ski),
                    _ => false,
                }
        });
        let by_key_id = by_ski.is_some_and(|ski| k.key_id() == ski);
        if by_cert || by_key_id {
            exact.push(k);
        }
    }
    if !exact.is_empty() {
        return (exact, true);
    }
    (
        keyring.keys.iter().filter(|k| family(&k.key)).collect(),
        false,
    )
}

pub(super) fn is_rsa(k: &SecretKey) -> bool {
    matches!(k, SecretKey::Rsa(_))
}

pub(super) fn is_ec(k: &SecretKey) -> bool {
    matches!(k, SecretKey::P256(_) | SecretKey::P384(_))
}

pub(super) fn ktri(
    ri: &KeyTransRecipientInfo,
    keyring: &Keyring,
    extra: &[Cert],
    out: &mut RecipientReport,
) -> Candidates {
    let (isn, ski) = match &ri.rid {
        RecipientIdentifier::IssuerAndSerialNumber(isn) => {
            out.issuer = Some(dn::rfc4514(&isn.issuer));
            out.serial = Some(serial_hex(isn.serial_number.as_bytes()));
            (Some((&isn.issuer, isn.serial_number.as_bytes())), None)
        }
        RecipientIdentifier::SubjectKeyIdentifier(s) => {
            out.ski = Some(hex::encode(s.0.as_bytes()));
            (None, Some(s.0.as_bytes()))
        }
    };
    let oaep = match ri.key_enc_alg.oid {
        oids::RSA_ENCRYPTION => None,
        oids::ID_RSAES_OAEP => {
            match crate::crypto::signature::rsa_params(&ri.key_enc_alg, "RSAES-OAEP") {
                Ok(p) => Some(p),
                Err(e) => {
                    out.key_algorithm = "rsa-oaep".into();
                    out.details = e.0;
                    return Vec::new();
                }
            }
        }
        _ => {
            out.key_algorithm = oid_name(&ri.key_enc_alg.oid);
            out.details = "key transport algorithm not supported".into();
            return Vec::new();
        }
    };
    out.key_algorithm = if oaep.is_some() {
        "rsa-oaep"
    } else {
        "rsa-pkcs1v15"
    }
    .into();
    if let Some(p) = &oaep {
        out.details = format!("OAEP hash {}, MGF1 {}", p.hash.name(), p.mgf_hash.name());
    }
    let (keys, exact) = keys_for(keyring, extra, isn, ski, is_rsa);
    let enc = ri.enc_key.as_bytes();
    let mut cands = Vec::new();
    for k in keys {
        let SecretKey::Rsa(rk) = &k.key else { continue };
        let cek = rsa_decrypt_key(rk, oaep.as_ref(), enc);
        if let Some(cek) = cek {
            cands.push((
                Zeroizing::new(cek),
                source_name(k, exact),
                exact || oaep.is_some(),
            ));
        }
    }
    cands
}

/// How a key is named in the report: its source, and whether it was only tried because no
/// certificate in the keyring ties it to the recipient.
pub(super) fn source_name(k: &PrivateKey, exact: bool) -> String {
    if exact {
        k.source.clone()
    } else {
        format!(
            "{} (tried: no certificate in the keyring names it)",
            k.source
        )
    }
}

/// RSA key transport: PKCS#1 v1.5 (with the rsa crate's implicit rejection, so a bad
/// padding yields an unrelated key rather than an error an attacker could time) or RSAES-OAEP
/// with the given parameters. `None` when OAEP decoding fails.
pub fn rsa_decrypt_key(
    k: &rsa::RsaPrivateKey,
    oaep: Option<&crate::crypto::signature::RsaParams>,
    enc: &[u8],
) -> Option<Vec<u8>> {
    match oaep {
        None => k.decrypt(rsa::Pkcs1v15Encrypt, enc).ok(),
        Some(p) => oaep_decrypt(k, p, enc),
    }
}

pub(super) fn oaep_decrypt(
    k: &rsa::RsaPrivateKey,
    p: &crate::crypto::signature::RsaParams,
    enc: &[u8],
) -> Option<Vec<u8>> {
    use rsa::Oaep;
    macro_rules! go {
        ($h:ty) => {
            match p.mgf_hash {
                Digest::Md5 => return None,
                Digest::Sha1 => k.decrypt(
                    Oaep::<$h, sha1::Sha1>::new_with_mgf_hash_and_label(p.label.clone()),
                    enc,
                ),
                Digest::Sha224 => k.decrypt(
                    Oaep::<$h, sha2::Sha224>::new_with_mgf_hash_and_label(p.label.clone()),
                    enc,
                ),
                Digest::Sha256 => k.decrypt(
                    Oaep::<$h, sha2::Sha256>::new_with_mgf_hash_and_label(p.label.clone()),
                    enc,
                ),
                Digest::Sha384 => k.decrypt(
                    Oaep::<$h, sha2::Sha384>::new_with_mgf_hash_and_label(p.label.clone()),
                    enc,
                ),
                Digest::Sha512 => k.decrypt(
                    Oaep::<$h, sha2::Sha512>::new_with_mgf_hash_and_label(p.label.clone()),
                    enc,
                ),
            }
        };
    }
    let r = match p.hash {
        Digest::Md5 => return None,
        Digest::Sha1 => go!(sha1::Sha1),
        Digest::Sha224 => go!(sha2::Sha224),
        Digest::Sha256 => go!(sha2::Sha256),
        Digest::Sha384 => go!(sha2::Sha384),
        Digest::Sha512 => go!(sha2::Sha512),
    };
    r.ok()
}
