//! IEEE 1609.2 encryptedData in the pipeline: each recipient tried with the keyring's keys
//! (P-256 private keys for ECIES, content keys as pre-shared or symmetric keys), the
//! outcome of each step reported, and the decrypted Ieee1609Dot2Data read as a layer.

use super::{Ctx, Span};
use crate::crypto::keys::SecretKey;
use crate::error::Error;
use crate::ieee1609::data::{self, Curve, RecipientKey};
use crate::ieee1609::encryption::{self, UnwrapError};
use crate::ieee1609::verify;
use crate::report::{EncryptionReport, RecipientReport};
use sha2::Digest as _;

const REF: &str = "IEEE 1609.2 §5.3.5, §6.3.30";

/// What happened with one recipient.
struct Tried {
    key: Option<[u8; 16]>,
    matched: Option<String>,
    details: String,
    /// A key meant for this recipient was found, and the step after it failed.
    named_failed: bool,
}

impl Ctx<'_> {
    /// The recipients of an encryptedData and its ciphertext: the data key recovered where a
    /// key is at hand, the content decrypted and read.
    pub(super) fn dot2_encrypted(
        &mut self,
        recipients: &[(String, String)],
        keys: &[RecipientKey],
        ccm: Option<&([u8; 12], Vec<u8>)>,
        idx: usize,
    ) -> Result<(), Error> {
        let mut reports = Vec::new();
        let mut data_key = None;
        let mut named_failed = false;
        for ((kind, id), key) in recipients.iter().zip(keys) {
            let tried = self.dot2_recipient(kind, id, key);
            named_failed |= tried.named_failed;
            if data_key.is_none() {
                data_key = tried.key;
            }
            reports.push(RecipientReport {
                kind: kind.clone(),
                key_algorithm: match key {
                    RecipientKey::PreShared => "aes-128-ccm-psk".into(),
                    RecipientKey::Symmetric { .. } => "aes-128-ccm".into(),
                    RecipientKey::Ecies { curve, .. } => match curve {
                        Curve::BrainpoolP256 => "ecies-brainpoolp256r1".into(),
                        _ => "ecies-p256".into(),
                    },
                    RecipientKey::Other => "unknown".into(),
                },
                issuer: None,
                serial: None,
                ski: Some(id.clone()),
                details: tried.details,
                matched_key: tried.matched,
            });
        }
        let mut report = EncryptionReport {
            kind: "ieee1609-encrypted-data".into(),
            content_algorithm: "aes-128-ccm".into(),
            recipients: reports,
            decrypted: false,
            reason: String::new(),
            content_size: None,
            content_sha256: None,
            layer: idx,
            mac_verified: None,
        };
        let plain = match (data_key, ccm) {
            (None, _) => {
                report.reason = if named_failed {
                    "a key meant for a recipient was found, and the data key could not be recovered with it".into()
                } else {
                    "no key given opens any recipient (give the recipient's P-256 or brainpoolP256r1 private key, or the pre-shared AES key as a content key)".into()
                };
                None
            }
            (Some(_), None) => {
                report.reason = "the ciphertext is an extension this version does not read".into();
                None
            }
            (Some(key), Some((nonce, ct))) => match encryption::aes128_ccm_decrypt(&key, nonce, ct)
            {
                Some(p) => {
                    report.decrypted = true;
                    report.reason = format!(
                        "decrypted with the data key of {} (AES-128-CCM tag verified)",
                        report
                            .recipients
                            .iter()
                            .find(|r| r.matched_key.is_some())
                            .map(|r| format!("{} {}", r.kind, r.ski.clone().unwrap_or_default()))
                            .unwrap_or_default()
                    );
                    report.content_size = Some(p.len());
                    report.content_sha256 = Some(hex::encode(sha2::Sha256::digest(&p)));
                    Some(p)
                }
                None => {
                    named_failed = true;
                    report.reason = "the data key was recovered, and the AES-128-CCM tag of the ciphertext does not verify: the ciphertext or its nonce was altered".into();
                    None
                }
            },
        };
        if !report.decrypted {
            self.not_opened(
                named_failed,
                format!("IEEE 1609.2 encryptedData: {}", report.reason),
                REF,
                idx,
            );
        }
        self.encryption.push(report);
        let Some(plain) = plain else {
            return Ok(());
        };
        let plain = std::rc::Rc::new(plain);
        self.shared.push(plain.clone());
        let span = Span::new(idx + 1, [0, plain.len()], Some(idx));
        let r = if data::decode(&plain).is_ok() {
            self.ieee1609(&plain, span)
        } else {
            self.leaf("application/octet-stream", &plain, span)
        };
        self.shared.pop();
        r
    }

    /// One recipient: the keyring's keys that fit it, tried in turn.
    fn dot2_recipient(&self, kind: &str, id: &str, key: &RecipientKey) -> Tried {
        let mut tried = Tried {
            key: None,
            matched: None,
            details: format!("recipient HashedId8 {id}"),
            named_failed: false,
        };
        let keyring = self.keyring;
        match key {
            RecipientKey::PreShared | RecipientKey::Symmetric { .. } => {
                let named = keyring.content_keys.iter().enumerate().find(|(_, k)| {
                    <[u8; 16]>::try_from(k.as_slice())
                        .is_ok_and(|k| hex::encode(encryption::symmetric_key_id(&k)) == id)
                });
                let Some((n, k)) = named else {
                    tried.details.push_str(&format!(
                        "; no content key given has this HashedId8 ({} given)",
                        keyring.content_keys.len()
                    ));
                    return tried;
                };
                let Ok(k) = <[u8; 16]>::try_from(k.as_slice()) else {
                    return tried;
                };
                let label = format!("content key #{}", n + 1);
                match key {
                    RecipientKey::Symmetric { nonce, ciphertext } => {
                        match encryption::aes128_ccm_decrypt(&k, nonce, ciphertext) {
                            Some(dk) if dk.len() == 16 => {
                                let mut d = [0u8; 16];
                                d.copy_from_slice(&dk);
                                tried.key = Some(d);
                                tried
                                    .details
                                    .push_str(&format!("; the data key opened with {label}"));
                                tried.matched = Some(label);
                            }
                            _ => {
                                tried.named_failed = true;
                                tried.details.push_str(&format!(
                                    "; {label} has this HashedId8 and the encrypted data key's CCM tag does not verify with it"
                                ));
                            }
                        }
                    }
                    _ => {
                        tried.key = Some(k);
                        tried
                            .details
                            .push_str(&format!("; {label} is this pre-shared key"));
                        tried.matched = Some(label);
                    }
                }
            }
            RecipientKey::Ecies { curve, v, c, t } => {
                let Some(v_sec1) = v.sec1() else {
                    tried
                        .details
                        .push_str("; the ephemeral key V is not a full point");
                    return tried;
                };
                // P1: SHA-256 of the recipient's certificate for certRecipInfo (when the
                // keyring holds a 1609.2 certificate with this HashedId8), else of nothing.
                let cert = keyring
                    .ieee1609_certs
                    .iter()
                    .chain(keyring.ieee1609_anchors.iter())
                    .find(|c| hex::encode(c.id) == id);
                let empty = sha2::Sha256::digest(b"").to_vec();
                let mut p1s: Vec<(Vec<u8>, &str)> = Vec::new();
                if kind == "certRecipInfo" {
                    match cert {
                        Some(c) => p1s.push((
                            sha2::Sha256::digest(verify::canonical(&c.cert)).to_vec(),
                            "P1 = SHA-256 of the recipient certificate",
                        )),
                        None => tried.details.push_str(
                            "; its certificate is not among the 1609.2 certificates given (--cert), so P1 is taken as SHA-256 of nothing",
                        ),
                    }
                }
                p1s.push((empty, "P1 = SHA-256 of nothing"));
                let mut any_key = false;
                let mut bad_point = false;
                for (n, pk) in keyring.keys.iter().enumerate() {
                    let same_curve = matches!(
                        (&pk.key, curve),
                        (SecretKey::P256(_), Curve::NistP256)
                            | (SecretKey::BrainpoolP256(_), Curve::BrainpoolP256)
                    );
                    if !same_curve {
                        continue;
                    }
                    any_key = true;
                    for (p1, how) in &p1s {
                        match encryption::ecies_unwrap(&pk.key, &v_sec1, c, t, p1) {
                            Ok(k) => {
                                tried.key = Some(k);
                                tried.matched = Some(format!("{} (key #{})", pk.source, n + 1));
                                tried.details.push_str(&format!(
                                    "; ECIES key agreement with {} and the tag verified ({how})",
                                    pk.source
                                ));
                                return tried;
                            }
                            Err(UnwrapError::BadPoint) => bad_point = true,
                            Err(UnwrapError::Tag) => {}
                        }
                    }
                }
                let cname = match curve {
                    Curve::BrainpoolP256 => "brainpoolP256r1",
                    _ => "P-256",
                };
                tried.details.push_str(&if bad_point {
                    format!("; the ephemeral key V is not a point of {cname}")
                } else if any_key {
                    format!("; key agreement ran with every {cname} key given and the tag did not verify with any: not this recipient's key, or C or T altered")
                } else {
                    format!("; no {cname} private key given (--key)")
                });
                // A certificate named by this recipient with its key at hand would be the
                // altered-message case; without the certificate, it is only "not ours".
                tried.named_failed = cert.is_some() && any_key && cert_key_given(cert, keyring);
            }
            RecipientKey::Other => tried
                .details
                .push_str("; an extension this version does not read"),
        }
        tried
    }
}

/// Whether a P-256 or brainpoolP256r1 private key of the keyring belongs to the 1609.2 certificate's
/// encryption key (then a failing tag means an altered message, not another recipient).
fn cert_key_given(cert: Option<&crate::ieee1609::KeyringCert>, keyring: &crate::Keyring) -> bool {
    let Some(c) = cert else { return false };
    let Some(enc) = &c.cert.encryption_key_point else {
        return false;
    };
    keyring.keys.iter().any(|k| match &k.key {
        SecretKey::P256(sk) => {
            p256::PublicKey::from_sec1_bytes(enc).is_ok_and(|p| p == sk.public_key())
        }
        SecretKey::BrainpoolP256(sk) => {
            p256::elliptic_curve::PublicKey::<bp256::BrainpoolP256r1>::from_sec1_bytes(enc)
                .is_ok_and(|p| p == sk.public_key())
        }
        _ => false,
    })
}
