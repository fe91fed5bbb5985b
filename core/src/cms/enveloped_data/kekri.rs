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
