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
use crate::crypto::keys::{PrivateKey, SecretKey};
use crate::error::Error;
use crate::keyring::Keyring;
use crate::report::{EncryptionReport, RecipientReport};
use crate::x509::certificate::{serial_hex, Cert};
use crate::x509::dn;
use cms::enveloped_data::{
    KeyAgreeRecipientIdentifier, KeyAgreeRecipientInfo, KeyTransRecipientInfo,
    OriginatorIdentifierOrKey, PasswordRecipientInfo, RecipientIdentifier, RecipientInfo,
};
use der::asn1::ObjectIdentifier as Oid;
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use std::borrow::Cow;
use zeroize::Zeroizing;

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

fn malformed(structure: &str, reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: structure.to_string(),
        reason: reason.into(),
    }
}

/// The value of an OCTET STRING that may have come in constructed (chunked) form under an
/// implicit tag: normalisation cannot join those, so they are joined here.
fn octets(buf: &[u8], t: &Tlv) -> Result<Vec<u8>, Error> {
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
        version: version
            .value(der)
            .iter()
            .fold(0u32, |a, &b| (a << 8) | u32::from(b)),
        recipients,
        originator_certs,
        content_type,
        content_alg,
        encrypted_content,
        auth_attrs,
        mac,
    })
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
fn undecrypted_report(
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

/// Content-encryption keys recovered from one recipient, with the keyring entry that gave
/// each and whether recovering it proves the key is the recipient's. Integrity-checked key
/// management (OAEP, key wrap) proves it; PKCS#1 v1.5 does not, because its decryption
/// answers a wrong key with a synthetic key (implicit rejection, as the `rsa` crate does
/// against Bleichenbacher/Marvin attacks), unless a certificate ties the key to the
/// recipient.
/// Recovered content-encryption keys: (key, which keyring entry, whether it was meant for
/// this recipient). The keys are wiped from memory when dropped.
type Candidates = Vec<(Zeroizing<Vec<u8>>, String, bool)>;

fn rid_matches(cert: &Cert, issuer: &x509_cert::name::Name, serial: &[u8]) -> bool {
    dn::same_name(cert.issuer(), issuer) && cert.serial_hex() == serial_hex(serial)
}

/// Keys that belong to the recipient named by issuer+serial or SKI; when the keyring holds
/// no certificate tying any key to the recipient, every key of the right family is tried.
fn keys_for<'a>(
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

fn is_rsa(k: &SecretKey) -> bool {
    matches!(k, SecretKey::Rsa(_))
}

fn is_ec(k: &SecretKey) -> bool {
    matches!(k, SecretKey::P256(_) | SecretKey::P384(_))
}

fn ktri(
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
    let oid = ri.key_enc_alg.oid.to_string();
    let oaep = match oid.as_str() {
        "1.2.840.113549.1.1.1" => None,
        "1.2.840.113549.1.1.7" => {
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
fn source_name(k: &PrivateKey, exact: bool) -> String {
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

fn oaep_decrypt(
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

/// dhSinglePass-stdDH-sha*kdf-scheme and the cofactor variants (RFC 5753 §7.1.4, SEC 1).
fn kari_kdf(oid: &Oid) -> Option<(Digest, bool)> {
    Some(match oid.to_string().as_str() {
        "1.3.133.16.840.63.0.2" => (Digest::Sha1, false),
        "1.3.132.1.11.0" => (Digest::Sha224, false),
        "1.3.132.1.11.1" => (Digest::Sha256, false),
        "1.3.132.1.11.2" => (Digest::Sha384, false),
        "1.3.132.1.11.3" => (Digest::Sha512, false),
        "1.3.133.16.840.63.0.3" => (Digest::Sha1, true),
        "1.3.132.1.14.0" => (Digest::Sha224, true),
        "1.3.132.1.14.1" => (Digest::Sha256, true),
        "1.3.132.1.14.2" => (Digest::Sha384, true),
        "1.3.132.1.14.3" => (Digest::Sha512, true),
        _ => return None,
    })
}

/// ECC-CMS-SharedInfo (RFC 5753 §7.2): keyInfo (the wrap algorithm, parameters absent),
/// entityUInfo [0] (the UKM, if any), suppPubInfo [2] (the KEK length in bits).
fn shared_info(wrap: &Oid, null_params: bool, ukm: Option<&[u8]>, kek_bits: u32) -> Vec<u8> {
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        asn1::encode_length(body.len(), &mut v);
        v.extend_from_slice(body);
        v
    }
    let oid = wrap.as_bytes();
    // AES wrap: parameters absent; Triple-DES wrap: NULL (RFC 5753 §7.2).
    let mut alg = tlv(0x06, oid);
    if null_params {
        alg.extend_from_slice(&[0x05, 0x00]);
    }
    let key_info = tlv(0x30, &alg);
    let mut body = key_info;
    if let Some(u) = ukm {
        body.extend_from_slice(&tlv(0xA0, &tlv(0x04, u)));
    }
    body.extend_from_slice(&tlv(0xA2, &tlv(0x04, &kek_bits.to_be_bytes())));
    tlv(0x30, &body)
}

fn kari(
    ri: &KeyAgreeRecipientInfo,
    keyring: &Keyring,
    extra: &[Cert],
    out: &mut RecipientReport,
) -> Candidates {
    let Some((hash, cofactor)) = kari_kdf(&ri.key_enc_alg.oid) else {
        out.key_algorithm = oid_name(&ri.key_enc_alg.oid);
        out.details = "key agreement scheme not supported".into();
        return Vec::new();
    };
    let wrap = ri
        .key_enc_alg
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<AlgorithmIdentifierOwned>().ok());
    let Some((wrap_oid, kek_len)) =
        wrap.and_then(|w| ciphers::key_wrap_len(&w.oid).map(|l| (w.oid, l)))
    else {
        out.key_algorithm = "ecdh".into();
        out.details = "the key wrap algorithm is missing or not AES / Triple-DES key wrap".into();
        return Vec::new();
    };
    let des3 = wrap_oid.to_string() == ciphers::DES3_WRAP;
    let OriginatorIdentifierOrKey::OriginatorKey(orig) = &ri.originator else {
        out.key_algorithm = "ecdh".into();
        out.details =
            "static-static ECDH (originator named by certificate) is not supported".into();
        return Vec::new();
    };
    let Some(point) = orig.public_key.as_bytes() else {
        out.details = "originator public key is not a whole number of bytes".into();
        return Vec::new();
    };
    // RFC 5753 §7.1.2: the originator key's parameters are absent or NULL, so the curve is
    // told by the point's size.
    out.key_algorithm = match point.len() {
        33 | 65 => "ecdh-p256".into(),
        49 | 97 => "ecdh-p384".into(),
        _ => "ecdh".into(),
    };
    out.details = format!(
        "{}KDF {} (X9.63), wrap {}",
        if cofactor { "cofactor ECDH, " } else { "" },
        hash.name(),
        if des3 {
            "des-ede3".to_string()
        } else {
            format!("aes-{}", kek_len * 8)
        }
    );
    let ukm = ri.ukm.as_ref().map(|u| u.as_bytes().to_vec());
    let info = shared_info(&wrap_oid, des3, ukm.as_deref(), (kek_len * 8) as u32);
    let mut cands = Vec::new();
    for rek in ri.recipient_enc_keys.iter() {
        let (isn, ski) = match &rek.rid {
            KeyAgreeRecipientIdentifier::IssuerAndSerialNumber(isn) => {
                out.issuer = Some(dn::rfc4514(&isn.issuer));
                out.serial = Some(serial_hex(isn.serial_number.as_bytes()));
                (Some((&isn.issuer, isn.serial_number.as_bytes())), None)
            }
            KeyAgreeRecipientIdentifier::RKeyId(r) => {
                out.ski = Some(hex::encode(r.subject_key_identifier.0.as_bytes()));
                (None, Some(r.subject_key_identifier.0.as_bytes()))
            }
        };
        let (keys, exact) = keys_for(keyring, extra, isn, ski, is_ec);
        for k in keys {
            let z = k.key.ecdh(point).map(Zeroizing::new);
            let Some(z) = z else { continue };
            let kek = Zeroizing::new(ciphers::x963_kdf(hash, &z, &info, kek_len));
            if let Ok(cek) = ciphers::unwrap_key(&wrap_oid, &kek, rek.enc_key.as_bytes()) {
                cands.push((Zeroizing::new(cek), source_name(k, exact), true));
            }
        }
    }
    cands
}

fn kekri(
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
    out.key_algorithm = if ri.key_enc_alg.oid.to_string() == ciphers::DES3_WRAP {
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

/// PBKDF2-params (RFC 8018 A.2): salt, iterationCount, keyLength?, prf (default HMAC-SHA1).
fn pbkdf2_params(alg: &AlgorithmIdentifierOwned) -> Result<(Vec<u8>, u32, Digest), String> {
    if alg.oid.to_string() != "1.2.840.113549.1.5.12" {
        return Err(format!(
            "key derivation {} is not supported (only PBKDF2)",
            oid_name(&alg.oid)
        ));
    }
    let der = alg
        .parameters
        .as_ref()
        .and_then(|p| p.to_der().ok())
        .ok_or("PBKDF2 has no parameters")?;
    let seq = asn1::read_whole(&der).map_err(|e| e.to_string())?;
    let f = asn1::children(&der, &seq).map_err(|e| e.to_string())?;
    let salt = f
        .first()
        .filter(|t| t.is_universal(tag::OCTET_STRING))
        .map(|t| t.value(&der).to_vec())
        .ok_or("PBKDF2 salt is not an OCTET STRING")?;
    let iterations = f
        .get(1)
        .filter(|t| t.is_universal(tag::INTEGER) && t.value(&der).len() <= 4)
        .map(|t| {
            t.value(&der)
                .iter()
                .fold(0u32, |a, &b| (a << 8) | u32::from(b))
        })
        .ok_or("PBKDF2 iteration count is missing or too large")?;
    let mut prf = Digest::Sha1;
    for t in f.iter().skip(2).filter(|t| t.is_universal(tag::SEQUENCE)) {
        let parts = asn1::children(&der, t).map_err(|e| e.to_string())?;
        let oid = parts
            .first()
            .and_then(|o| Oid::from_bytes(o.value(&der)).ok())
            .ok_or("PBKDF2 prf is malformed")?;
        prf = match oid.to_string().as_str() {
            "1.2.840.113549.2.7" => Digest::Sha1,
            "1.2.840.113549.2.8" => Digest::Sha224,
            "1.2.840.113549.2.9" => Digest::Sha256,
            "1.2.840.113549.2.10" => Digest::Sha384,
            "1.2.840.113549.2.11" => Digest::Sha512,
            other => return Err(format!("PBKDF2 PRF {other} is not supported")),
        };
    }
    Ok((salt, iterations, prf))
}

/// Most PBKDF2 iterations accepted from a message (bounds the work a stranger can cause).
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;

fn pbkdf2(prf: Digest, password: &[u8], salt: &[u8], iterations: u32, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    match prf {
        Digest::Md5 => pbkdf2::pbkdf2_hmac::<md5::Md5>(password, salt, iterations, &mut out),
        Digest::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, &mut out),
        Digest::Sha224 => pbkdf2::pbkdf2_hmac::<sha2::Sha224>(password, salt, iterations, &mut out),
        Digest::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, &mut out),
        Digest::Sha384 => pbkdf2::pbkdf2_hmac::<sha2::Sha384>(password, salt, iterations, &mut out),
        Digest::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, iterations, &mut out),
    }
    out
}

fn pwri(ri: &PasswordRecipientInfo, keyring: &Keyring, out: &mut RecipientReport) -> Candidates {
    out.key_algorithm = "pwri-kek".into();
    let Some(kdf) = &ri.key_derivation_alg else {
        out.details = "no keyDerivationAlgorithm: the KEK would have to be given directly".into();
        return Vec::new();
    };
    let (salt, iterations, prf) = match pbkdf2_params(kdf) {
        Ok(p) => p,
        Err(e) => {
            out.details = e;
            return Vec::new();
        }
    };
    // id-alg-PWRI-KEK with the inner cipher as parameter (RFC 3211 §2.3).
    let inner = if ri.key_enc_alg.oid.to_string() == "1.2.840.113549.1.9.16.3.9" {
        ri.key_enc_alg
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<AlgorithmIdentifierOwned>().ok())
            .and_then(|a| ciphers::content_cipher(&a).ok())
    } else {
        None
    };
    let Some(inner) = inner else {
        out.details = format!(
            "key encryption {} is not supported (expected id-alg-PWRI-KEK)",
            oid_name(&ri.key_enc_alg.oid)
        );
        return Vec::new();
    };
    out.details = format!(
        "PBKDF2-HMAC-{} with {iterations} iterations, {} wrap",
        prf.name().to_uppercase(),
        inner.name()
    );
    if iterations > MAX_PBKDF2_ITERATIONS {
        out.details.push_str(&format!(
            "; refused: more than {MAX_PBKDF2_ITERATIONS} iterations"
        ));
        return Vec::new();
    }
    keyring
        .passwords
        .iter()
        .enumerate()
        .filter_map(|(i, pw)| {
            let kek = Zeroizing::new(pbkdf2(
                prf,
                pw.as_bytes(),
                &salt,
                iterations,
                inner.key_len(),
            ));
            ciphers::pwri_unwrap(&inner, &kek, ri.enc_key.as_bytes())
                .ok()
                .map(|cek| (Zeroizing::new(cek), format!("password #{}", i + 1), true))
        })
        .collect()
}

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
    let mut candidates: Vec<(usize, Zeroizing<Vec<u8>>, String, bool)> = Vec::new();
    for (i, raw) in env.recipients.iter().enumerate() {
        let mut r = RecipientReport {
            kind: String::new(),
            key_algorithm: String::new(),
            issuer: None,
            serial: None,
            ski: None,
            details: String::new(),
            matched_key: None,
        };
        let found = match RecipientInfo::from_der(raw) {
            Ok(RecipientInfo::Ktri(ri)) => {
                r.kind = "ktri".into();
                ktri(&ri, keyring, &env.originator_certs, &mut r)
            }
            Ok(RecipientInfo::Kari(ri)) => {
                r.kind = "kari".into();
                kari(&ri, keyring, &env.originator_certs, &mut r)
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
        report.recipients.push(r);
    }
    let cipher = match cipher {
        Ok(c) => c,
        Err(why) => {
            report.reason = why;
            return Opened {
                report,
                plaintext: None,
                cipher: None,
                named_key_failed: false,
            };
        }
    };
    let Some(ct) = &env.encrypted_content else {
        report.reason = "the encrypted content is not in the message (detached)".into();
        return Opened {
            report,
            plaintext: None,
            cipher: Some(cipher),
            named_key_failed: false,
        };
    };
    // A recovered key of the wrong size cannot be this content's key.
    candidates.retain(|c| c.1.len() == cipher.key_len());
    if candidates.is_empty() {
        report.reason = no_key_reason(&report.recipients, keyring);
        return Opened {
            report,
            plaintext: None,
            cipher: Some(cipher),
            named_key_failed: false,
        };
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
        return Opened {
            report,
            plaintext: None,
            cipher: Some(cipher),
            named_key_failed: false,
        };
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

fn no_key_reason(recipients: &[RecipientReport], keyring: &Keyring) -> String {
    let names: Vec<String> = recipients
        .iter()
        .map(|r| match (&r.issuer, &r.serial, &r.ski) {
            (Some(i), Some(s), _) => format!("{} for issuer {i} serial {s}", r.kind),
            (_, _, Some(k)) => format!("{} for key id {k}", r.kind),
            _ => r.kind.clone(),
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
