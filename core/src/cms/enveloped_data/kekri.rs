//! KEK recipients (RFC 5652 §6.2.3, RFC 3565): AES key wrap with a key the caller gives.

use super::Candidates;
use crate::crypto::algorithms::oid_name;
use crate::crypto::ciphers::{self};
use crate::keyring::Keyring;
use crate::report::RecipientReport;
use zeroize::Zeroizing;

pub(super) fn kekri(
    ri: &cms::enveloped_data::KekRecipientInfo,
    keyring: &Keyring,
    out: &mut RecipientReport,
) -> Candidates {
    let id = ri.kek_id.kek_identifier.as_bytes();
    out.ski = Some(hex::encode(id));
    let Some(len) = ciphers::key_wrap_len(&ri.key_enc_alg.oid) else {
        out.key_algorithm = oid_name(&ri.key_enc_alg.oid);
        out.details = "KEK algorithm not supported (only AES and Triple-DES key wrap)".into();
        return Vec::new();
    };
    out.key_algorithm = if ri.key_enc_alg.oid == ciphers::DES3_WRAP {
        "des-ede3-wrap".to_string()
    } else {
        format!("aes-{}-wrap", len * 8)
    };
    keyring
        .keks
        .iter()
        .filter(|(kid, key)| kid.as_slice() == id && key.len() == len)
        .filter_map(|(kid, key)| {
            ciphers::unwrap_key(&ri.key_enc_alg.oid, key, ri.encrypted_key.as_bytes())
                .ok()
                .map(|cek| {
                    (
                        Zeroizing::new(cek),
                        format!("KEK {}", hex::encode(kid)),
                        true,
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::oids;
    use cms::enveloped_data::{KekIdentifier, KekRecipientInfo};
    use der::asn1::{ObjectIdentifier as Oid, OctetString};
    use spki::AlgorithmIdentifierOwned;

    fn kekri_info(alg: Oid, id: &[u8], wrapped: &[u8]) -> KekRecipientInfo {
        KekRecipientInfo {
            version: cms::content_info::CmsVersion::V4,
            kek_id: KekIdentifier {
                kek_identifier: OctetString::new(id).unwrap(),
                date: None,
                other: None,
            },
            key_enc_alg: AlgorithmIdentifierOwned {
                oid: alg,
                parameters: None,
            },
            encrypted_key: OctetString::new(wrapped).unwrap(),
        }
    }

    fn run(ri: &KekRecipientInfo, keyring: &Keyring) -> (RecipientReport, Vec<(Vec<u8>, String)>) {
        let mut out = RecipientReport {
            kind: "kekri".into(),
            ..RecipientReport::default()
        };
        let c = kekri(ri, keyring, &mut out);
        (
            out,
            c.into_iter().map(|(k, s, _)| (k.to_vec(), s)).collect(),
        )
    }

    #[test]
    fn aes_wrap_opens_only_with_the_kek_of_that_identifier_and_length() {
        let (kek, cek) = ([0x11; 16], [0x22; 16]);
        let wrapped = ciphers::aes_wrap(&kek, &cek).unwrap();
        let mut keyring = Keyring::new();
        keyring.add_kek(b"other-id", &kek); // right key, other identifier
        keyring.add_kek(b"kek-1", &[0x11; 24]); // right identifier, AES-192 length
        keyring.add_kek(b"kek-1", &[0x33; 16]); // right identifier, wrong key
        keyring.add_kek(b"kek-1", &kek);
        let (out, opened) = run(
            &kekri_info(oids::ID_AES_128_WRAP, b"kek-1", &wrapped),
            &keyring,
        );
        assert_eq!(out.ski.as_deref(), Some("6b656b2d31"));
        assert_eq!(out.key_algorithm, "aes-128-wrap");
        assert_eq!(opened, vec![(cek.to_vec(), "KEK 6b656b2d31".to_string())]);
        let (out, _) = run(
            &kekri_info(oids::ID_AES_256_WRAP, b"kek-1", &wrapped),
            &keyring,
        );
        assert_eq!(out.key_algorithm, "aes-256-wrap");
    }

    #[test]
    fn triple_des_wrap_is_named_and_other_algorithms_refused() {
        let mut keyring = Keyring::new();
        keyring.add_kek(b"k", &[0x44; 24]);
        let (out, opened) = run(&kekri_info(ciphers::DES3_WRAP, b"k", &[0; 40]), &keyring);
        assert_eq!(out.key_algorithm, "des-ede3-wrap");
        assert_eq!(opened, vec![]);
        let (out, opened) = run(&kekri_info(oids::ID_AES_128_CBC, b"k", &[0; 24]), &keyring);
        assert_eq!(out.key_algorithm, "2.16.840.1.101.3.4.1.2");
        assert_eq!(
            out.details,
            "KEK algorithm not supported (only AES and Triple-DES key wrap)"
        );
        assert_eq!(opened, vec![]);
    }
}
