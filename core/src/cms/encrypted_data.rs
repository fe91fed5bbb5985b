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
        mac_verified: None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::oids;
    use zeroize::Zeroizing;

    const AES: &[u8] = include_bytes!("../../../tests/fixtures/verdicts/encrypted-data-aes256.der");
    const DES3: &[u8] = include_bytes!("../../../tests/fixtures/verdicts/encrypted-data-des3.der");
    const AES_KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    const DES3_KEY: &str = "737c791f25ead0e04629254352f7dc6291e5cb26917ada32";
    const SHOWN: &[u8] = b"Content-Type: text/plain\r\n\r\nPay 10 EUR to Alice.\r\n";

    fn read(der: &[u8]) -> Result<EncryptedData<'_>, Error> {
        let (oid, content) = crate::cms::signed_data::content_info(der)?;
        assert_eq!(oid, oids::ID_ENCRYPTED_DATA);
        parse_encrypted_data(der, &content.unwrap())
    }

    fn keys(hex_keys: &[&str]) -> Keyring {
        let mut k = Keyring::new();
        for h in hex_keys {
            k.content_keys.push(Zeroizing::new(hex::decode(h).unwrap()));
        }
        k
    }

    #[test]
    fn decrypts_with_the_right_content_key() {
        let ed = read(AES).unwrap();
        assert_eq!(
            (ed.version, ed.content_type, ed.content_alg.oid),
            (0, oids::ID_DATA, oids::ID_AES_256_CBC)
        );
        assert_eq!(ed.encrypted_content.as_deref().map(<[u8]>::len), Some(64));
        // A wrong key first, then the right one: the second opens it.
        let wrong = "ff".repeat(32);
        let (r, plain) = open_encrypted_data(&ed, &keys(&[&wrong, AES_KEY]), 1);
        assert_eq!(plain.as_deref(), Some(SHOWN));
        assert_eq!(
            (r.kind.as_str(), r.content_algorithm.as_str()),
            ("encrypted-data", "aes-256-cbc")
        );
        assert_eq!(
            (r.decrypted, r.reason.as_str()),
            (true, "decrypted with content key #2 (256 bits)")
        );
        assert_eq!(r.content_size, Some(SHOWN.len()));
        assert_eq!(
            r.content_sha256,
            Some(hex::encode(
                crate::crypto::algorithms::Digest::Sha256.hash(SHOWN)
            ))
        );
        let (r, plain) = open_encrypted_data(&read(DES3).unwrap(), &keys(&[DES3_KEY]), 1);
        assert_eq!(
            (plain.as_deref(), r.content_algorithm.as_str()),
            (Some(SHOWN), "des-ede3-cbc")
        );
        assert!(r.recipients.is_empty());
    }

    #[test]
    fn reports_why_it_was_not_decrypted() {
        let mut ed = read(AES).unwrap();
        let (r, plain) = open_encrypted_data(&ed, &Keyring::new(), 1);
        assert_eq!((r.decrypted, plain), (false, None));
        assert_eq!(r.reason, "EncryptedData has no recipients: its key is shared by other means (give it with --content-key HEX)");
        let (r, _) = open_encrypted_data(&ed, &keys(&[DES3_KEY, &"00".repeat(16)]), 1);
        let none = format!(
            "none of the 2 content key(s) given decrypts it ({})",
            crate::crypto::ciphers::DECRYPT_FAILED
        );
        assert_eq!(r.reason, none);
        ed.encrypted_content = None;
        let (r, _) = open_encrypted_data(&ed, &keys(&[AES_KEY]), 1);
        assert_eq!(
            r.reason,
            "the encrypted content is carried outside the message"
        );
        ed.content_alg.oid = oids::ID_AES_256_WRAP;
        let (r, _) = open_encrypted_data(&ed, &keys(&[AES_KEY]), 1);
        assert_eq!(r.content_algorithm, "2.16.840.1.101.3.4.1.45");
        let why = "the content cannot be decrypted: content-encryption algorithm 2.16.840.1.101.3.4.1.45 is not supported";
        assert_eq!(r.reason, why);
    }

    #[test]
    fn malformed_encrypted_data() {
        use crate::compose::der_writer as w;
        let eci = w::seq(&[&w::oid(oids::ID_DATA)]);
        let cases: [(&[&[u8]], &str); 3] = [
            (&[&eci], "EncryptedData is malformed: missing version"),
            (
                &[&w::int(0)],
                "EncryptedData is malformed: missing encryptedContentInfo",
            ),
            (
                &[&w::int(0), &eci],
                "EncryptedContentInfo is malformed: missing contentEncryptionAlgorithm",
            ),
        ];
        for (fields, why) in cases {
            let der = w::content_info(oids::ID_ENCRYPTED_DATA, &w::seq(fields));
            assert_eq!(
                read(&der).err().map(|e| e.to_string()).as_deref(),
                Some(why)
            );
        }
    }
}
