//! CMS EncryptedData (RFC 5652 §8): content encrypted under a key the caller holds, with
//! no recipients.

use super::enveloped_data::{encrypted_content_info, malformed, EncryptedContentInfo};
use crate::cms::asn1::{self, tag, Tlv};
use crate::crypto::algorithms::oid_name;
use crate::crypto::ciphers::ContentCipher;
use crate::error::Error;
use crate::keyring::Keyring;
use crate::report::EncryptionReport;
use der::asn1::ObjectIdentifier as Oid;
use spki::AlgorithmIdentifierOwned;
use std::borrow::Cow;

/// An EncryptedData (RFC 5652 §8): content encrypted under a key that the parties share by
/// other means (no recipients).
pub struct EncryptedData<'a> {
    /// CMSVersion.
    pub version: u32,
    /// Type of the encrypted content.
    pub content_type: Oid,
    /// contentEncryptionAlgorithm.
    pub content_alg: AlgorithmIdentifierOwned,
    /// encryptedContent; `None` when carried outside.
    pub encrypted_content: Option<Cow<'a, [u8]>>,
}

/// Reads an EncryptedData SEQUENCE.
pub fn parse_encrypted_data<'a>(der: &'a [u8], seq: &Tlv) -> Result<EncryptedData<'a>, Error> {
    let fields = asn1::children(der, seq)?;
    let version = fields
        .first()
        .filter(|t| t.is_universal(tag::INTEGER))
        .ok_or_else(|| malformed("EncryptedData", "missing version"))?;
    let eci = fields
        .get(1)
        .filter(|t| t.is_universal(tag::SEQUENCE))
        .ok_or_else(|| malformed("EncryptedData", "missing encryptedContentInfo"))?;
    let EncryptedContentInfo {
        content_type,
        content_alg,
        encrypted_content,
    } = encrypted_content_info(der, eci)?;
    Ok(EncryptedData {
        version: version
            .value(der)
            .iter()
            .fold(0u32, |a, &b| (a << 8) | u32::from(b)),
        content_type,
        content_alg,
        encrypted_content,
    })
}

/// An encryption layer's report before anything is decrypted: the content algorithm by its
/// report name, or by its OID when it is not supported.
pub(crate) fn undecrypted_report(
    kind: &str,
    cipher: &Result<ContentCipher, String>,
    alg: &AlgorithmIdentifierOwned,
    layer: usize,
) -> EncryptionReport {
    EncryptionReport {
        kind: kind.into(),
        content_algorithm: match cipher {
            Ok(c) => c.name(),
            Err(_) => oid_name(&alg.oid),
        },
        recipients: Vec::new(),
        decrypted: false,
        reason: String::new(),
        content_size: None,
        content_sha256: None,
        layer,
    }
}

/// Decrypts an EncryptedData with the content-encryption keys of the keyring: the report
/// entry and the plaintext when one key opened it.
pub fn open_encrypted_data(
    ed: &EncryptedData,
    keyring: &Keyring,
    layer: usize,
) -> (EncryptionReport, Option<Vec<u8>>) {
    let cipher = crate::crypto::ciphers::content_cipher(&ed.content_alg);
    let mut report = undecrypted_report("encrypted-data", &cipher, &ed.content_alg, layer);
    let cipher = match cipher {
        Ok(c) => c,
        Err(why) => {
            report.reason = format!("the content cannot be decrypted: {why}");
            return (report, None);
        }
    };
    let Some(ct) = ed.encrypted_content.as_deref() else {
        report.reason = "the encrypted content is carried outside the message".into();
        return (report, None);
    };
    if keyring.content_keys.is_empty() {
        report.reason = "EncryptedData has no recipients: its key is shared by other means (give it with --content-key HEX)".into();
        return (report, None);
    }
    for (i, key) in keyring.content_keys.iter().enumerate() {
        if let Ok(plain) = crate::crypto::ciphers::decrypt_content(&cipher, key, ct, &[], &[]) {
            report.decrypted = true;
            report.reason = format!(
                "decrypted with content key #{} ({} bits)",
                i + 1,
                key.len() * 8
            );
            report.content_size = Some(plain.len());
            report.content_sha256 = Some(hex::encode(
                crate::crypto::algorithms::Digest::Sha256.hash(&plain),
            ));
            return (report, Some(plain));
        }
    }
    report.reason = format!(
        "none of the {} content key(s) given decrypts it ({})",
        keyring.content_keys.len(),
        crate::crypto::ciphers::DECRYPT_FAILED
    );
    (report, None)
}
