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
    matches!(
        k,
        SecretKey::P256(_) | SecretKey::P384(_) | SecretKey::BrainpoolP256(_)
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use cms::enveloped_data::RecipientInfo;
    use der::Decode;

    const KEY: &[u8] = include_bytes!("../../../../tests/fixtures/pki/recip-rsa.key");
    const CERT: &[u8] = include_bytes!("../../../../tests/fixtures/pki/recip-rsa.pem");
    const KEY2: &[u8] = include_bytes!("../../../../tests/fixtures/pki/recip-rsa2.key");
    const EC_KEY: &[u8] = include_bytes!("../../../../tests/fixtures/pki/recip-p256.key");
    const PKCS1: &[u8] = include_bytes!("../../../../tests/fixtures/encrypted/ktri-aes256-cbc.der");
    const OAEP: &[u8] = include_bytes!("../../../../tests/fixtures/encrypted/bc-ktri-oaep.der");
    const TRIED: &str = "r (tried: no certificate in the keyring names it)";
    const SKI: &str = "3740469b3c9ed620b2e411132a4186f71a5b8b9f";

    /// The KeyTransRecipientInfo of an enveloped-data fixture (BER or DER).
    fn recipient(ber: &[u8]) -> KeyTransRecipientInfo {
        let der = crate::cms::asn1::normalise(ber).unwrap();
        let (_, content) = crate::cms::signed_data::content_info(&der).unwrap();
        let env = super::super::parse(&der, &content.unwrap(), false).unwrap();
        let Ok(RecipientInfo::Ktri(ri)) = RecipientInfo::from_der(&env.recipients[0]) else {
            panic!()
        };
        ri
    }

    fn ring(keys: &[&[u8]], cert: Option<&[u8]>) -> Keyring {
        let mut k = Keyring::new();
        for (i, bytes) in keys.iter().enumerate() {
            k.add_private_keys(bytes, None, ["r", "r2"][i]).unwrap();
        }
        if let Some(c) = cert {
            k.add_certs(c, "cert").unwrap();
        }
        k
    }

    /// (key length, source, proven) per candidate, and "key algorithm: details".
    fn run(ri: &KeyTransRecipientInfo, k: &Keyring) -> (Vec<(usize, String, bool)>, String) {
        let mut out = RecipientReport::default();
        let c = ktri(ri, k, &[], &mut out)
            .into_iter()
            .map(|(k, s, e)| (k.len(), s, e))
            .collect();
        (c, format!("{}: {}", out.key_algorithm, out.details))
    }

    #[test]
    fn pkcs1v15_proves_a_key_only_through_a_certificate() {
        let ri = recipient(PKCS1);
        let (c, alg) = run(&ri, &ring(&[KEY], Some(CERT)));
        assert_eq!(
            (c, alg.as_str()),
            (vec![(32, "r".into(), true)], "rsa-pkcs1v15: ")
        );
        assert_eq!(run(&ri, &ring(&[KEY], None)).0, [(32, TRIED.into(), false)]);
        // A wrong key still yields a (synthetic) key: implicit rejection, never an error.
        let wrong = run(&ri, &ring(&[KEY2], None)).0;
        assert_eq!(
            (wrong.len(), wrong[0].1.as_str(), wrong[0].2),
            (1, TRIED, false)
        );
        assert_eq!(run(&ri, &ring(&[EC_KEY], None)).0, []);
        let mut out = RecipientReport::default();
        ktri(&ri, &Keyring::new(), &[], &mut out);
        let issuer = "CN=Sealscope Test Intermediate CA,O=Sealscope Test,C=GB";
        assert_eq!(
            (out.issuer.as_deref(), out.serial.as_deref(), out.ski),
            (Some(issuer), Some("4001"), None)
        );
    }

    #[test]
    fn oaep_proves_the_key_and_its_parameters_must_match() {
        let ri = recipient(OAEP);
        let (c, alg) = run(&ri, &ring(&[KEY], None));
        assert_eq!(
            (c, alg.as_str()),
            (
                vec![(32, TRIED.into(), true)],
                "rsa-oaep: OAEP hash sha256, MGF1 sha256"
            )
        );
        assert_eq!(run(&ri, &ring(&[KEY2], None)).0, []);
        let k = ring(&[KEY], None);
        let SecretKey::Rsa(rk) = &k.keys[0].key else {
            panic!()
        };
        let (enc, good) = (
            ri.enc_key.as_bytes(),
            crate::crypto::signature::rsa_params(&ri.key_enc_alg, "").unwrap(),
        );
        assert_eq!(
            rsa_decrypt_key(rk, Some(&good), enc).map(|k| k.len()),
            Some(32)
        );
        for (hash, label) in [
            (Digest::Sha1, &b""[..]),
            (Digest::Sha256, b"label"),
            (Digest::Md5, b""),
        ] {
            let p = crate::crypto::signature::RsaParams {
                hash,
                label: label.to_vec(),
                ..good.clone()
            };
            assert_eq!(rsa_decrypt_key(rk, Some(&p), enc), None);
        }
    }

    #[test]
    fn unsupported_key_transport_and_subject_key_identifier() {
        use crate::compose::der_writer as w;
        let mut ri = recipient(OAEP);
        let params = w::seq(&[&w::explicit(1, &w::alg(oids::ID_SHA_256, None))]);
        ri.key_enc_alg.parameters = Some(der::Any::from_der(&params).unwrap());
        let why = "rsa-oaep: RSAES-OAEP parameters use a mask generation function other than MGF1";
        assert_eq!(run(&ri, &ring(&[KEY], None)), (vec![], why.into()));
        ri.key_enc_alg.oid = oids::ID_RSASSA_PSS;
        let why = "rsa-pss: key transport algorithm not supported";
        assert_eq!(run(&ri, &ring(&[KEY], None)), (vec![], why.into()));
        // Named by subjectKeyIdentifier: the key's own SHA-1 key id proves it, no certificate.
        let mut ri = recipient(PKCS1);
        let id = der::asn1::OctetString::new(hex::decode(SKI).unwrap()).unwrap();
        ri.rid = RecipientIdentifier::SubjectKeyIdentifier(
            x509_cert::ext::pkix::SubjectKeyIdentifier(id),
        );
        let mut out = RecipientReport::default();
        let c = ktri(&ri, &ring(&[KEY2, KEY], None), &[], &mut out);
        assert_eq!((c.len(), c[0].1.as_str(), c[0].2), (1, "r2", true));
        assert_eq!(
            (out.ski.as_deref(), out.issuer, out.serial),
            (Some(SKI), None, None)
        );
    }
}
