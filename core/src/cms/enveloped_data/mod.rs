//! CMS EnvelopedData (RFC 5652 §6) and AuthEnvelopedData (RFC 5083): structure, recipients
//! and decryption with the keyring's keys, KEKs and passwords.
//!
//! ```text
//! EnvelopedData ::= SEQUENCE {
//!   version CMSVersion,
//!   originatorInfo [0] IMPLICIT OriginatorInfo OPTIONAL,
//!   recipientInfos RecipientInfos,
//!   encryptedContentInfo EncryptedContentInfo,
//!   unprotectedAttrs [1] IMPLICIT UnprotectedAttributes OPTIONAL }
//! AuthEnvelopedData ::= SEQUENCE {
//!   version CMSVersion, originatorInfo [0] IMPLICIT OriginatorInfo OPTIONAL,
//!   recipientInfos RecipientInfos, authEncryptedContentInfo EncryptedContentInfo,
//!   authAttrs [1] IMPLICIT AuthAttributes OPTIONAL, mac MessageAuthenticationCode,
//!   unauthAttrs [2] IMPLICIT UnauthAttributes OPTIONAL }
//! ```
//!
//! Recipients (RFC 5652 §6.2): key transport (RSA PKCS#1 v1.5 and RSAES-OAEP), key agreement
//! (ECDH with the X9.63 KDF and AES key wrap, RFC 5753), KEK (AES key wrap, RFC 3565) and
//! password (PBKDF2 + RFC 3211 wrap).
//!
//! Failure reasons are uniform: a key that does not open its recipient (a PKCS#1 v1.5
//! unpadding failure, an OAEP failure, a key unwrap integrity failure) is reported only as
//! "no key opens this message" with the keys tried, never with the step that failed, so the
//! report is no padding oracle. A key that does recover a content-encryption key while the
//! content then fails to decrypt or authenticate means the ciphertext was altered.

use crate::cms::asn1::{self, tag, Tlv};
use crate::crypto::algorithms::{oid_name, Digest};
use crate::crypto::ciphers::{self, ContentCipher};
use crate::error::Error;
use crate::keyring::Keyring;
use crate::report::{EncryptionReport, RecipientReport};
use crate::x509::certificate::Cert;
use crate::x509::dn;
use cms::enveloped_data::RecipientInfo;
use der::asn1::ObjectIdentifier as Oid;
use der::Decode;
use spki::AlgorithmIdentifierOwned;
use std::borrow::Cow;
use zeroize::Zeroizing;

mod kari;
mod kekri;
mod ktri;
mod pwri;

use crate::cms::encrypted_data::undecrypted_report;
use kari::kari;
use kekri::kekri;
use ktri::ktri;
pub use ktri::rsa_decrypt_key;
use pwri::pwri;
pub use pwri::MAX_PBKDF2_ITERATIONS;

/// The parts of an (Auth)EnvelopedData, in wire order.
#[derive(Clone, Debug)]
pub struct Enveloped<'a> {
    /// Whether this is AuthEnvelopedData.
    pub authenticated: bool,
    /// CMSVersion.
    pub version: u32,
    /// Raw DER of each RecipientInfo.
    pub recipients: Vec<Vec<u8>>,
    /// Certificates in originatorInfo.
    pub originator_certs: Vec<Cert>,
    /// contentType of the encrypted content.
    pub content_type: Oid,
    /// contentEncryptionAlgorithm.
    pub content_alg: AlgorithmIdentifierOwned,
    /// encryptedContent: borrowed from the input when it is one primitive OCTET STRING,
    /// chunks joined otherwise; `None` when carried outside.
    pub encrypted_content: Option<Cow<'a, [u8]>>,
    /// authAttrs as hashed for the AAD (SET tag), AuthEnvelopedData only.
    pub auth_attrs: Option<Vec<u8>>,
    /// The MAC (GCM tag), AuthEnvelopedData only.
    pub mac: Option<Vec<u8>>,
}

pub(crate) fn malformed(structure: &str, reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: structure.to_string(),
        reason: reason.into(),
    }
}

/// The value of an OCTET STRING that may have come in constructed (chunked) form under an
/// implicit tag: normalisation cannot join those, so they are joined here.
pub(crate) fn octets(buf: &[u8], t: &Tlv) -> Result<Vec<u8>, Error> {
    if !t.constructed {
        return Ok(t.value(buf).to_vec());
    }
    let mut out = Vec::new();
    for c in asn1::children(buf, t)? {
        out.extend_from_slice(&octets(buf, &c)?);
    }
    Ok(out)
}

/// Most RecipientInfos read from one (Auth)EnvelopedData; each may cost a private-key
/// operation per key in the keyring.
pub const MAX_RECIPIENTS: usize = 1000;

/// Reads an EnvelopedData (`authenticated = false`) or AuthEnvelopedData SEQUENCE.
pub fn parse<'a>(der: &'a [u8], seq: &Tlv, authenticated: bool) -> Result<Enveloped<'a>, Error> {
    let name = if authenticated {
        "AuthEnvelopedData"
    } else {
        "EnvelopedData"
    };
    let fields = asn1::children(der, seq)?;
    let mut it = fields.iter().peekable();
    let version = it
        .next()
        .filter(|t| t.is_universal(tag::INTEGER))
        .ok_or_else(|| malformed(name, "missing version"))?;
    let (originator_certs, recipients) = originator_and_recipients(der, &mut it, name)?;
    let eci = it
        .next()
        .filter(|t| t.is_universal(tag::SEQUENCE))
        .ok_or_else(|| malformed(name, "missing encryptedContentInfo"))?;
    let EncryptedContentInfo {
        content_type,
        content_alg,
        encrypted_content,
    } = encrypted_content_info(der, eci)?;
    let mut auth_attrs = None;
    let mut mac = None;
    if authenticated {
        if let Some(t) = it.peek().filter(|t| t.is_context(1)) {
            let mut raw = t.raw(der).to_vec();
            raw[0] = 0x31;
            auth_attrs = Some(raw);
            it.next();
        }
        let m = it
            .next()
            .filter(|t| t.is_universal(tag::OCTET_STRING))
            .ok_or_else(|| malformed(name, "missing mac"))?;
        mac = Some(m.value(der).to_vec());
    }
    Ok(Enveloped {
        authenticated,
        version: small_int(der, version),
        recipients,
        originator_certs,
        content_type,
        content_alg,
        encrypted_content,
        auth_attrs,
        mac,
    })
}

/// The value of a small non-negative INTEGER (a CMSVersion).
pub(crate) fn small_int(der: &[u8], t: &Tlv) -> u32 {
    t.value(der)
        .iter()
        .fold(0u32, |a, &b| (a << 8) | u32::from(b))
}

/// Reads `[0] originatorInfo` (when next) and the recipientInfos SET that follows it, as
/// EnvelopedData, AuthEnvelopedData and AuthenticatedData all place them: the certificates
/// the originator included, and the raw DER of each RecipientInfo.
pub(crate) fn originator_and_recipients<'t>(
    der: &[u8],
    it: &mut std::iter::Peekable<impl Iterator<Item = &'t Tlv>>,
    name: &str,
) -> Result<(Vec<Cert>, Vec<Vec<u8>>), Error> {
    let mut originator_certs = Vec::new();
    if let Some(t) = it.peek().filter(|t| t.is_context(0)) {
        for part in asn1::children(der, t)? {
            if part.is_context(0) {
                for c in asn1::children(der, &part)? {
                    if let Ok(cert) = Cert::from_der(c.raw(der), "originatorInfo") {
                        originator_certs.push(cert);
                    }
                }
            }
        }
        it.next();
    }
    let ris = it
        .next()
        .filter(|t| t.is_universal(tag::SET))
        .ok_or_else(|| malformed(name, "missing recipientInfos SET"))?;
    let recipient_tlvs = asn1::children(der, ris)?;
    if recipient_tlvs.len() > MAX_RECIPIENTS {
        return Err(Error::Limit {
            what: format!("{name} with {} recipients", recipient_tlvs.len()),
            limit: MAX_RECIPIENTS,
        });
    }
    let recipients = recipient_tlvs.iter().map(|t| t.raw(der).to_vec()).collect();
    Ok((originator_certs, recipients))
}

/// An EncryptedContentInfo (RFC 5652 §6.1).
pub struct EncryptedContentInfo<'a> {
    /// Type of the encrypted content.
    pub content_type: Oid,
    /// contentEncryptionAlgorithm.
    pub content_alg: AlgorithmIdentifierOwned,
    /// encryptedContent; `None` when carried outside.
    pub encrypted_content: Option<Cow<'a, [u8]>>,
}

/// Reads an EncryptedContentInfo: content type, content-encryption algorithm, and the
/// encrypted content unless it is carried outside.
pub fn encrypted_content_info<'a>(
    der: &'a [u8],
    eci: &Tlv,
) -> Result<EncryptedContentInfo<'a>, Error> {
    let eci_fields = asn1::children(der, eci)?;
    let ct = eci_fields
        .first()
        .filter(|t| t.is_universal(tag::OID))
        .ok_or_else(|| malformed("EncryptedContentInfo", "missing contentType"))?;
    let content_type = Oid::from_bytes(ct.value(der))
        .map_err(|_| malformed("EncryptedContentInfo", "invalid contentType OID"))?;
    let alg = eci_fields
        .get(1)
        .ok_or_else(|| malformed("EncryptedContentInfo", "missing contentEncryptionAlgorithm"))?;
    let content_alg = AlgorithmIdentifierOwned::from_der(alg.raw(der))
        .map_err(|e| Error::der("contentEncryptionAlgorithm", e))?;
    let encrypted_content = match eci_fields.get(2) {
        Some(t) if t.is_context(0) && !t.constructed => Some(Cow::Borrowed(t.value(der))),
        Some(t) if t.is_context(0) => Some(Cow::Owned(octets(der, t)?)),
        _ => None,
    };
    Ok(EncryptedContentInfo {
        content_type,
        content_alg,
        encrypted_content,
    })
}

/// What opening the envelope produced.
pub struct Opened {
    /// The report entry.
    pub report: EncryptionReport,
    /// The plaintext, when decrypted.
    pub plaintext: Option<Vec<u8>>,
    /// The content cipher, when understood (for profile checks).
    pub cipher: Option<ContentCipher>,
    /// Whether a key opened a recipient (recovered a content-encryption key) but the content
    /// then did not decrypt or authenticate: the message was altered.
    pub named_key_failed: bool,
}

impl Opened {
    /// Not decrypted, for the reason already in `report`.
    fn not_opened(report: EncryptionReport, cipher: Option<ContentCipher>) -> Self {
        Opened {
            report,
            plaintext: None,
            cipher,
            named_key_failed: false,
        }
    }
}

/// Content-encryption keys recovered from one recipient, with the keyring entry that gave
/// each and whether recovering it proves the key is the recipient's. Integrity-checked key
/// management (OAEP, key wrap) proves it; PKCS#1 v1.5 does not, because its decryption
/// answers a wrong key with a synthetic key (implicit rejection, as the `rsa` crate does
/// against Bleichenbacher/Marvin attacks), unless a certificate ties the key to the
/// recipient.
/// Recovered content-encryption keys: (key, which keyring entry, whether it was meant for
/// this recipient). The keys are wiped from memory when dropped.
pub(super) type Candidates = Vec<(Zeroizing<Vec<u8>>, String, bool)>;

/// Opens the envelope: reports every recipient, tries every key the keyring has for it, and
/// decrypts the content with the first content-encryption key that works.
pub fn open(env: &Enveloped<'_>, keyring: &Keyring, layer: usize) -> Opened {
    let kind = if env.authenticated {
        "auth-enveloped-data"
    } else {
        "enveloped-data"
    };
    let cipher = ciphers::content_cipher(&env.content_alg);
    let mut report = undecrypted_report(kind, &cipher, &env.content_alg, layer);
    let (recipients, mut candidates) =
        recipient_keys(&env.recipients, &env.originator_certs, keyring);
    report.recipients = recipients;
    let cipher = match cipher {
        Ok(c) => c,
        Err(why) => {
            report.reason = why;
            return Opened::not_opened(report, None);
        }
    };
    let Some(ct) = &env.encrypted_content else {
        report.reason = "the encrypted content is not in the message (detached)".into();
        return Opened::not_opened(report, Some(cipher));
    };
    // A recovered key of the wrong size cannot be this content's key.
    candidates.retain(|c| c.1.len() == cipher.key_len());
    if candidates.is_empty() {
        report.reason = no_key_reason(&report.recipients, keyring);
        return Opened::not_opened(report, Some(cipher));
    }
    let tag = env.mac.as_deref().unwrap_or_default();
    let aad = env.auth_attrs.as_deref().unwrap_or_default();
    let mut last_err = String::new();
    for (i, cek, source, _) in &candidates {
        match ciphers::decrypt_content(&cipher, cek, ct, tag, aad) {
            Ok(plain) => {
                report.recipients[*i].matched_key = Some(source.clone());
                report.decrypted = true;
                report.content_size = Some(plain.len());
                report.content_sha256 = Some(hex::encode(Digest::Sha256.hash(&plain)));
                report.reason = format!(
                    "decrypted {} bytes of {} content with recipient #{} ({}) using {}",
                    plain.len(),
                    cipher.name(),
                    i + 1,
                    report.recipients[*i].kind,
                    source
                );
                return Opened {
                    report,
                    plaintext: Some(plain),
                    cipher: Some(cipher),
                    named_key_failed: false,
                };
            }
            Err(e) => last_err = e,
        }
    }
    let Some((i, _, source, _)) = candidates.iter().find(|c| c.3) else {
        report.reason = no_key_reason(&report.recipients, keyring);
        return Opened::not_opened(report, Some(cipher));
    };
    report.reason = format!(
        "recipient #{} was opened with {source}, but the content then fails: {last_err}",
        i + 1
    );
    Opened {
        report,
        plaintext: None,
        cipher: Some(cipher),
        named_key_failed: true,
    }
}

/// A content-encryption (or MAC) key recovered from recipient number `.0` (0-based), with the
/// keyring entry that gave it and whether recovering it proves the key is the recipient's.
pub(crate) type RecoveredKey = (usize, Zeroizing<Vec<u8>>, String, bool);

/// Reports every RecipientInfo and recovers the keys the keyring's keys, KEKs and passwords
/// open from each.
pub(crate) fn recipient_keys(
    recipients: &[Vec<u8>],
    originator_certs: &[Cert],
    keyring: &Keyring,
) -> (Vec<RecipientReport>, Vec<RecoveredKey>) {
    let mut reports = Vec::with_capacity(recipients.len());
    let mut candidates = Vec::new();
    for (i, raw) in recipients.iter().enumerate() {
        let mut r = RecipientReport::default();
        let found = match RecipientInfo::from_der(raw) {
            Ok(RecipientInfo::Ktri(ri)) => {
                r.kind = "ktri".into();
                ktri(&ri, keyring, originator_certs, &mut r)
            }
            Ok(RecipientInfo::Kari(ri)) => {
                r.kind = "kari".into();
                kari(&ri, keyring, originator_certs, &mut r)
            }
            Ok(RecipientInfo::Kekri(ri)) => {
                r.kind = "kekri".into();
                kekri(&ri, keyring, &mut r)
            }
            Ok(RecipientInfo::Pwri(ri)) => {
                r.kind = "pwri".into();
                pwri(&ri, keyring, &mut r)
            }
            Ok(RecipientInfo::Ori(o)) => {
                r.kind = "ori".into();
                r.key_algorithm = oid_name(&o.ori_type);
                r.details = "other recipient types are not supported".into();
                Vec::new()
            }
            Err(e) => {
                r.kind = "unreadable".into();
                r.details = format!("RecipientInfo #{} cannot be read: {e}", i + 1);
                Vec::new()
            }
        };
        candidates.extend(found.into_iter().map(|(k, s, c)| (i, k, s, c)));
        reports.push(r);
    }
    (reports, candidates)
}

/// The certificate (among those given) a recipient names, as its subject.
fn named_certificate(r: &RecipientReport, keyring: &Keyring) -> Option<String> {
    let all = keyring.certs.iter().chain(keyring.anchors.iter());
    let found = match (&r.issuer, &r.serial, &r.ski) {
        (Some(i), Some(s), _) => all
            .into_iter()
            .find(|c| dn::rfc4514(c.issuer()) == *i && c.serial_hex() == *s),
        (_, _, Some(k)) if r.kind != "kekri" => all
            .into_iter()
            .find(|c| c.subject_key_id().is_some_and(|id| hex::encode(id) == *k)),
        _ => None,
    }?;
    Some(dn::rfc4514(found.subject()))
}

pub(crate) fn no_key_reason(recipients: &[RecipientReport], keyring: &Keyring) -> String {
    let names: Vec<String> = recipients
        .iter()
        .map(|r| {
            let name = match (&r.issuer, &r.serial, &r.ski) {
                (Some(i), Some(s), _) => format!("{} for issuer {i} serial {s}", r.kind),
                (_, _, Some(k)) => format!("{} for key id {k}", r.kind),
                _ if r.kind == "ori" => format!("ori of type {}", r.key_algorithm),
                _ => r.kind.clone(),
            };
            // Which key would open it: the private key of the certificate it names, when
            // that certificate was given.
            match named_certificate(r, keyring) {
                Some(subject) => {
                    format!("{name} (the private key of {subject} opens it)")
                }
                None => name,
            }
        })
        .collect();
    // Each key with the certificate it belongs to, so a user sees at once whether the key
    // given is the recipient's.
    let tried: Vec<String> = keyring
        .key_reports()
        .iter()
        .map(|k| match &k.certificate {
            Some(c) => format!(
                "{} ({}, certificate {} serial {})",
                k.source, k.key, c.subject, c.serial
            ),
            None => format!("{} ({}, no certificate matches it)", k.source, k.key),
        })
        .collect();
    format!(
        "no key in the keyring opens this message; it is for: {}; keys tried: {}",
        names.join("; "),
        if tried.is_empty() {
            "none (pass the recipient's key with --key)".to_string()
        } else {
            tried.join(", ")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::der_writer as w;
    use crate::crypto::oids;

    const CBC: &[u8] = include_bytes!("../../../../tests/fixtures/encrypted/ktri-aes256-cbc.der");
    const GCM: &[u8] = include_bytes!("../../../../tests/fixtures/encrypted/gcm-aes256.der");
    const PLAIN: &[u8] = include_bytes!("../../../../tests/fixtures/content/content-bin.bin");
    const KEY: &[u8] = include_bytes!("../../../../tests/fixtures/pki/recip-rsa.key");
    const CERT: &[u8] = include_bytes!("../../../../tests/fixtures/pki/recip-rsa.pem");
    const FOR: &str = "no key in the keyring opens this message; it is for: ktri for issuer CN=Sealscope Test Intermediate CA,O=Sealscope Test,C=GB serial 4001; keys tried: ";

    /// Reads the (Auth)EnvelopedData of a DER ContentInfo.
    fn read(der: &[u8], authenticated: bool) -> Result<Enveloped<'_>, Error> {
        let (_, content) = crate::cms::signed_data::content_info(der)?;
        parse(der, &content.unwrap(), authenticated)
    }

    fn keyring(cert: bool) -> Keyring {
        let mut k = Keyring::new();
        k.add_private_keys(KEY, None, "recip").unwrap();
        if cert {
            k.add_certs(CERT, "cert").unwrap();
        }
        k
    }

    #[test]
    fn enveloped_and_auth_enveloped_structure() {
        let e = read(CBC, false).unwrap();
        assert_eq!(
            (e.authenticated, e.version, e.recipients.len(), e.mac),
            (false, 0, 1, None)
        );
        assert_eq!(
            (e.content_type, e.content_alg.oid),
            (oids::ID_DATA, oids::ID_AES_256_CBC)
        );
        assert_eq!(e.encrypted_content.map(|c| c.len()), Some(1040));
        let e = read(GCM, true).unwrap();
        let mac = Some("6b33cef0896d79d37ad7748c81555bc9".to_string());
        assert_eq!(
            (e.content_alg.oid, e.mac.map(hex::encode)),
            (oids::ID_AES_256_GCM, mac)
        );
        let no_mac = read(CBC, true).unwrap_err().to_string();
        assert_eq!(no_mac, "AuthEnvelopedData is malformed: missing mac");
        // A constructed [0] encryptedContent (BER chunks 4096 + 976 + 16) is joined.
        let ber = include_bytes!("../../../../tests/fixtures/encrypted/ktri-aes256-cbc-stream.der");
        let der = crate::cms::asn1::normalise(ber).unwrap();
        let e = read(&der, false).unwrap();
        assert!(matches!(e.encrypted_content, Some(Cow::Owned(c)) if c.len() == 5088));
        let many = w::set_of(&vec![&w::seq(&[])[..]; MAX_RECIPIENTS + 1]);
        let der = w::content_info(oids::ID_ENVELOPED_DATA, &w::seq(&[&w::int(0), &many]));
        let what = "EnvelopedData with 1001 recipients".into();
        assert_eq!(
            read(&der, false).unwrap_err(),
            Error::Limit { what, limit: 1000 }
        );
    }

    #[test]
    fn opens_with_the_recipient_key() {
        let mut env = read(CBC, false).unwrap();
        env.recipients.push(vec![0x30, 0]);
        let o = open(&env, &keyring(true), 2);
        assert_eq!(
            (o.plaintext.as_deref(), o.named_key_failed),
            (Some(PLAIN), false)
        );
        let n = PLAIN.len();
        let why = format!(
            "decrypted {n} bytes of aes-256-cbc content with recipient #1 (ktri) using recip"
        );
        assert_eq!((o.report.decrypted, o.report.reason), (true, why));
        assert_eq!(o.report.recipients[0].matched_key.as_deref(), Some("recip"));
        let unreadable = &o.report.recipients[1];
        assert_eq!(unreadable.kind, "unreadable");
        assert!(unreadable
            .details
            .starts_with("RecipientInfo #2 cannot be read: "));
        let o = open(&read(CBC, false).unwrap(), &Keyring::new(), 2);
        assert_eq!(
            o.report.reason,
            format!("{FOR}none (pass the recipient's key with --key)")
        );
        // With the recipient's certificate given but not its key, the reason says whose
        // private key opens it.
        let mut k = Keyring::new();
        k.add_certs(CERT, "cert").unwrap();
        let o = open(&read(CBC, false).unwrap(), &k, 2);
        assert!(
            o.report.reason.contains(
                "serial 4001 (the private key of CN=Rhea Recipient,OU=Recipients,O=Sealscope Test,C=GB opens it)"
            ),
            "{}",
            o.report.reason
        );
    }

    #[test]
    fn altered_content_is_reported_only_for_a_proven_key() {
        let mut env = read(CBC, false).unwrap();
        env.encrypted_content.as_mut().unwrap().to_mut()[1039] ^= 1;
        let fails = format!(
            "recipient #1 was opened with recip, but the content then fails: {}",
            ciphers::DECRYPT_FAILED
        );
        let o = open(&env, &keyring(true), 2);
        assert_eq!(
            (o.named_key_failed, &o.report.reason, o.plaintext),
            (true, &fails, None)
        );
        // Without a certificate a PKCS#1 v1.5 key is not proven: no key opens it.
        let o = open(&env, &keyring(false), 2);
        let why = format!("{FOR}recip (rsa-2048, no certificate matches it)");
        assert_eq!((o.named_key_failed, o.report.reason), (false, why));
        let mut gcm = read(GCM, true).unwrap();
        gcm.mac.as_mut().unwrap()[0] ^= 1;
        let o = open(&gcm, &keyring(true), 2);
        assert_eq!((o.named_key_failed, o.report.reason), (true, fails));
    }

    #[test]
    fn detached_and_unsupported_content() {
        let mut env = read(CBC, false).unwrap();
        env.encrypted_content = None;
        let o = open(&env, &keyring(true), 2);
        let why = "the encrypted content is not in the message (detached)";
        assert_eq!(
            (o.report.reason.as_str(), o.report.recipients.len()),
            (why, 1)
        );
        env.content_alg.oid = oids::ID_AES_256_WRAP;
        let o = open(&env, &keyring(true), 2);
        assert_eq!(o.report.content_algorithm, "2.16.840.1.101.3.4.1.45");
        let why = "content-encryption algorithm 2.16.840.1.101.3.4.1.45 is not supported";
        assert_eq!((o.report.reason.as_str(), o.cipher), (why, None));
    }
}
