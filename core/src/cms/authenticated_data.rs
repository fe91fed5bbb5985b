//! CMS AuthenticatedData (RFC 5652 §9): readable content with a MAC whose key is delivered to
//! each recipient the way EnvelopedData delivers a content-encryption key.
//!
//! ```text
//! AuthenticatedData ::= SEQUENCE {
//!   version CMSVersion,
//!   originatorInfo [0] IMPLICIT OriginatorInfo OPTIONAL,
//!   recipientInfos RecipientInfos,
//!   macAlgorithm MessageAuthenticationCodeAlgorithm,
//!   digestAlgorithm [1] DigestAlgorithmIdentifier OPTIONAL,
//!   encapContentInfo EncapsulatedContentInfo,
//!   authAttrs [2] IMPLICIT AuthAttributes OPTIONAL,
//!   mac MessageAuthenticationCode,
//!   unauthAttrs [3] IMPLICIT UnauthAttributes OPTIONAL }
//! ```
//!
//! Without authAttrs the MAC covers the eContent octets; with them it covers their DER
//! encoding (with the SET OF tag, §9.2), whose messageDigest attribute covers the content.
//! A MAC proves only that someone holding the key made the message — every recipient holds
//! it — so it is never reported as a signature.

use crate::cms::asn1::{self, tag, Tlv};
use crate::cms::digested_data::encap_content_info;
use crate::cms::enveloped_data::{
    malformed, no_key_reason, originator_and_recipients, recipient_keys, small_int,
};
use crate::cms::signed_data::attributes::read_attribute_set;
use crate::crypto::algorithms::{oid_name, Digest};
use crate::error::Error;
use crate::keyring::Keyring;
use crate::report::EncryptionReport;
use crate::x509::certificate::Cert;
use der::asn1::ObjectIdentifier as Oid;
use der::Decode;
use spki::AlgorithmIdentifierOwned;

const NAME: &str = "AuthenticatedData";

/// The parts of an AuthenticatedData, in wire order.
#[derive(Clone, Debug)]
pub struct AuthenticatedData {
    /// CMSVersion (0, 1 or 3).
    pub version: u32,
    /// Certificates in originatorInfo.
    pub originator_certs: Vec<Cert>,
    /// Raw DER of each RecipientInfo.
    pub recipients: Vec<Vec<u8>>,
    /// macAlgorithm.
    pub mac_alg: AlgorithmIdentifierOwned,
    /// digestAlgorithm, present when authAttrs are.
    pub digest_alg: Option<AlgorithmIdentifierOwned>,
    /// eContentType.
    pub content_type: Oid,
    /// eContent; `None` when detached.
    pub content: Option<Vec<u8>>,
    /// authAttrs as the MAC covers them (SET OF tag), when present.
    pub auth_attrs: Option<Vec<u8>>,
    /// The MAC value.
    pub mac: Vec<u8>,
}

/// An AlgorithmIdentifier, from its universal SEQUENCE or under an IMPLICIT tag.
fn algorithm(der: &[u8], t: &Tlv, what: &str) -> Result<AlgorithmIdentifierOwned, Error> {
    let mut raw = t.raw(der).to_vec();
    if let Some(first) = raw.first_mut() {
        *first = 0x30;
    }
    AlgorithmIdentifierOwned::from_der(&raw).map_err(|e| Error::der(what, e))
}

/// Reads the AuthenticatedData SEQUENCE `seq` (a ContentInfo's content) in `der`.
pub fn parse(der: &[u8], seq: &Tlv) -> Result<AuthenticatedData, Error> {
    if !seq.is_universal(tag::SEQUENCE) {
        return Err(malformed(NAME, "is not a SEQUENCE"));
    }
    let fields = asn1::children(der, seq)?;
    let mut it = fields.iter().peekable();
    let version = it
        .next()
        .filter(|t| t.is_universal(tag::INTEGER))
        .ok_or_else(|| malformed(NAME, "missing version"))?;
    let (originator_certs, recipients) = originator_and_recipients(der, &mut it, NAME)?;
    let mac_alg = it
        .next()
        .filter(|t| t.is_universal(tag::SEQUENCE))
        .ok_or_else(|| malformed(NAME, "missing macAlgorithm"))?;
    let mac_alg = algorithm(der, mac_alg, "macAlgorithm")?;
    let mut digest_alg = None;
    if let Some(t) = it.peek().filter(|t| t.is_context(1)) {
        digest_alg = Some(algorithm(der, t, "digestAlgorithm")?);
        it.next();
    }
    let eci = it
        .next()
        .ok_or_else(|| malformed(NAME, "missing encapContentInfo"))?;
    let (content_type, content) = encap_content_info(der, eci, NAME)?;
    let mut auth_attrs = None;
    if let Some(t) = it.peek().filter(|t| t.is_context(2)) {
        let mut raw = t.raw(der).to_vec();
        if let Some(first) = raw.first_mut() {
            *first = 0x31;
        }
        auth_attrs = Some(raw);
        it.next();
    }
    let mac = it
        .next()
        .filter(|t| t.is_universal(tag::OCTET_STRING))
        .ok_or_else(|| malformed(NAME, "missing mac OCTET STRING"))?;
    Ok(AuthenticatedData {
        version: small_int(der, version),
        originator_certs,
        recipients,
        mac_alg,
        digest_alg,
        content_type,
        content,
        auth_attrs,
        mac: mac.value(der).to_vec(),
    })
}

/// What checking the MAC found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MacCheck {
    /// The MAC verifies (and the messageDigest attribute matches the content).
    Verified(String),
    /// The message was altered: the MAC differs under a key meant for a recipient, or the
    /// messageDigest attribute does not match the content.
    Invalid(String),
    /// The MAC could not be checked: why.
    NotChecked(String),
}

/// Checks the MAC with the keys the keyring opens a recipient with: the report entry (kind
/// `authenticated-data`) and the outcome. `detached` is the content when eContent is absent.
pub fn check(
    ad: &AuthenticatedData,
    keyring: &Keyring,
    detached: Option<&[u8]>,
    layer: usize,
) -> (EncryptionReport, MacCheck) {
    let mac_digest = Digest::from_hmac_oid(&ad.mac_alg.oid);
    let (recipients, candidates) = recipient_keys(&ad.recipients, &ad.originator_certs, keyring);
    let content = ad.content.as_deref().or(detached);
    let mut report = EncryptionReport {
        kind: "authenticated-data".into(),
        content_algorithm: match mac_digest {
            Some(d) => format!("hmac-{}", d.name()),
            None => oid_name(&ad.mac_alg.oid),
        },
        recipients,
        decrypted: false,
        reason: String::new(),
        content_size: content.map(<[u8]>::len),
        content_sha256: content.map(|c| hex::encode(Digest::Sha256.hash(c))),
        layer,
        mac_verified: None,
    };
    let outcome = mac_outcome(ad, content, mac_digest, &candidates, &mut report, keyring);
    report.reason = match &outcome {
        MacCheck::Verified(why) | MacCheck::Invalid(why) | MacCheck::NotChecked(why) => why.clone(),
    };
    report.mac_verified = match outcome {
        MacCheck::Verified(_) => Some(true),
        MacCheck::Invalid(_) => Some(false),
        MacCheck::NotChecked(_) => None,
    };
    (report, outcome)
}

fn mac_outcome(
    ad: &AuthenticatedData,
    content: Option<&[u8]>,
    mac_digest: Option<Digest>,
    candidates: &[crate::cms::enveloped_data::RecoveredKey],
    report: &mut EncryptionReport,
    keyring: &Keyring,
) -> MacCheck {
    let Some(mac_digest) = mac_digest else {
        return MacCheck::NotChecked(format!(
            "MAC algorithm {} is not supported (HMAC with SHA-1 or SHA-2 is)",
            oid_name(&ad.mac_alg.oid)
        ));
    };
    // What the MAC covers: the authenticated attributes, or the content itself.
    let covered = match (&ad.auth_attrs, content) {
        (Some(attrs), _) => attrs.as_slice(),
        (None, Some(c)) => c,
        (None, None) => {
            return MacCheck::NotChecked(
                "the content is detached and was not supplied (pass it with --content)".into(),
            )
        }
    };
    if candidates.is_empty() {
        return MacCheck::NotChecked(no_key_reason(&report.recipients, keyring));
    }
    let hit = candidates
        .iter()
        .find(|(_, key, _, _)| ct_eq(&mac_digest.hmac(key, covered), &ad.mac));
    let Some((i, _, source, _)) = hit else {
        return match candidates.iter().find(|c| c.3) {
            Some((i, _, source, _)) => MacCheck::Invalid(format!(
                "recipient #{} was opened with {source}, but the {} MAC of the {} does not match: the message was altered after it was made",
                i + 1,
                report.content_algorithm,
                if ad.auth_attrs.is_some() { "authenticated attributes" } else { "content" }
            )),
            // PKCS#1 v1.5 answers a wrong key with a synthetic key, so a mismatch here
            // cannot tell a wrong key from an altered message.
            None => MacCheck::NotChecked(format!(
                "the {} MAC does not verify with the key(s) recovered by {}: either none is the recipient's, or the message was altered (add the recipient's certificate with --cert to tell which)",
                report.content_algorithm,
                candidates
                    .iter()
                    .map(|c| c.2.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
    };
    if let Some(r) = report.recipients.get_mut(*i) {
        r.matched_key = Some(source.clone());
    }
    let opened = format!(
        "the {} MAC verifies with the key recipient #{} ({}) delivered to {source}",
        report.content_algorithm,
        i + 1,
        report.recipients.get(*i).map_or("", |r| r.kind.as_str())
    );
    match &ad.auth_attrs {
        None => MacCheck::Verified(format!("{opened}, over the content")),
        Some(attrs) => match attribute_digest(ad, attrs, content) {
            Ok(d) => MacCheck::Verified(format!(
                "{opened}, over the authenticated attributes, whose {d} messageDigest matches the content"
            )),
            Err(MacCheck::NotChecked(why)) => MacCheck::NotChecked(format!(
                "{opened} over the authenticated attributes, but their messageDigest cannot be checked: {why}"
            )),
            Err(other) => other,
        },
    }
}

/// Checks the authenticated attributes against the content: the digest algorithm's name
/// when messageDigest matches, else why not.
fn attribute_digest(
    ad: &AuthenticatedData,
    attrs: &[u8],
    content: Option<&[u8]>,
) -> Result<String, MacCheck> {
    let set = x509_cert::attr::Attributes::from_der(attrs).map_err(|e| {
        MacCheck::Invalid(format!("the authenticated attributes cannot be read: {e}"))
    })?;
    let a = read_attribute_set(&set).map_err(MacCheck::Invalid)?;
    if let Some(ct) = a.content_type.filter(|ct| *ct != ad.content_type) {
        return Err(MacCheck::Invalid(format!(
            "the contentType attribute {} differs from eContentType {}",
            oid_name(&ct),
            oid_name(&ad.content_type)
        )));
    }
    let md = a.message_digest.ok_or_else(|| {
        MacCheck::Invalid(
            "the authenticated attributes carry no messageDigest (RFC 5652 §9.2 requires one)"
                .into(),
        )
    })?;
    let alg = ad.digest_alg.as_ref().ok_or_else(|| {
        MacCheck::Invalid(
            "authenticated attributes are present but digestAlgorithm is absent (RFC 5652 §9.1)"
                .into(),
        )
    })?;
    let digest = Digest::from_oid(&alg.oid).ok_or_else(|| {
        MacCheck::NotChecked(format!(
            "digest algorithm {} is not supported",
            oid_name(&alg.oid)
        ))
    })?;
    let content = content.ok_or_else(|| {
        MacCheck::NotChecked(
            "the content is detached and was not supplied (pass it with --content)".into(),
        )
    })?;
    let computed = digest.hash(content);
    if computed == md {
        Ok(digest.name().to_string())
    } else {
        Err(MacCheck::Invalid(format!(
            "the MAC over the authenticated attributes verifies, but their messageDigest is {} {} while the {} bytes of content hash to {}: the content was changed",
            digest.name(),
            hex::encode(&md),
            content.len(),
            hex::encode(computed)
        )))
    }
}

/// Compares two MACs without stopping at the first difference.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cms::signed_data::content_info;

    /// BouncyCastle 1.72's AuthenticatedData (tests/fixtures/peers/bouncycastle, made by
    /// tools/BcPeers.java), and IETF examples via pyasn1-alt-modules.
    macro_rules! peer {
        ($p:literal) => {
            include_bytes!(concat!("../../../tests/fixtures/peers/", $p)).as_slice()
        };
    }
    const KEK_ID: [u8; 8] = *b"bc-kek-1";
    const KEK: [u8; 16] = [
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e,
        0x1f,
    ];

    fn read(ber: &[u8]) -> AuthenticatedData {
        let der = asn1::normalise_cow(ber).unwrap().into_owned();
        let (oid, content) = content_info(&der).unwrap();
        assert_eq!(oid, crate::crypto::oids::ID_CT_AUTH_DATA);
        parse(&der, &content.unwrap()).unwrap()
    }

    fn kek() -> Keyring {
        let mut k = Keyring::new();
        k.add_kek(&KEK_ID, &KEK);
        k
    }

    fn rsa(with_cert: bool) -> Keyring {
        let mut k = Keyring::new();
        let key = peer!("bouncycastle/authdata-rsa-key.pem");
        k.add_private_keys(key, None, "rsa-key.pem").unwrap();
        if with_cert {
            let cert = peer!("bouncycastle/authdata-rsa-cert.pem");
            k.add_certs(cert, "rsa-cert.pem").unwrap();
        }
        k
    }

    fn outcome(file: &[u8], keyring: &Keyring) -> (EncryptionReport, MacCheck) {
        check(&read(file), keyring, None, 0)
    }

    #[test]
    fn structure_of_bouncycastle_authenticated_data() {
        let ad = read(peer!("bouncycastle/authdata-hmac-sha256-attrs.p7m"));
        assert_eq!(ad.version, 0);
        assert_eq!(ad.recipients.len(), 3);
        assert_eq!(oid_name(&ad.mac_alg.oid), "hmac-sha256");
        assert_eq!(
            ad.digest_alg.as_ref().map(|d| oid_name(&d.oid)).as_deref(),
            Some("sha256")
        );
        assert_eq!(
            ad.content.as_deref(),
            Some(peer!("bouncycastle/authdata-content.txt"))
        );
        assert_eq!(ad.mac.len(), 32);
        assert_eq!(ad.auth_attrs.as_ref().map(|a| a[0]), Some(0x31));
        // Without authAttrs there is no digestAlgorithm either (RFC 5652 §9.1).
        let plain = read(peer!("bouncycastle/authdata-hmac-sha1.p7m"));
        assert!(plain.digest_alg.is_none() && plain.auth_attrs.is_none());
        assert_eq!((plain.recipients.len(), plain.mac.len()), (2, 20));
        // RFC 6210's example: an implicitly tagged digestAlgorithm with parameters.
        let rfc = read(peer!("pyasn1-alt-modules/rfc6210-authenticated-data.der"));
        assert_eq!(oid_name(&rfc.mac_alg.oid), "hmac-sha1");
        let d = rfc.digest_alg.unwrap();
        assert_eq!(oid_name(&d.oid), "md5-xor-experiment");
        assert!(d.parameters.is_some());
    }

    #[test]
    fn mac_verifies_with_each_kind_of_recipient() {
        let pw = || {
            let mut k = Keyring::new();
            k.add_password("peer-password");
            k
        };
        for (file, keyring, kind) in [
            (
                peer!("bouncycastle/authdata-hmac-sha256.p7m"),
                kek(),
                "kekri",
            ),
            (
                peer!("bouncycastle/authdata-hmac-sha512-attrs.p7m"),
                pw(),
                "pwri",
            ),
            (peer!("bouncycastle/authdata-hmac-sha1.p7m"), pw(), "pwri"),
            (
                peer!("bouncycastle/authdata-hmac-sha1-attrs.p7m"),
                rsa(false),
                "ktri",
            ),
            (
                peer!("bouncycastle/authdata-hmac-sha256-attrs.p7m"),
                rsa(true),
                "ktri",
            ),
        ] {
            let (report, result) = outcome(file, &keyring);
            let MacCheck::Verified(why) = result else {
                panic!("{result:?}");
            };
            assert!(why.contains(&format!("({kind})")), "{why}");
            assert_eq!(report.mac_verified, Some(true));
            assert_eq!(report.kind, "authenticated-data");
            let matched = report.recipients.iter().filter(|r| r.matched_key.is_some());
            assert_eq!(matched.count(), 1);
            assert_eq!(report.content_size, Some(59));
        }
    }

    #[test]
    fn altered_messages_are_invalid_and_missing_keys_unchecked() {
        // The content changed under a MAC over the content: the KEK proves the key is the
        // recipient's, so the difference is an alteration.
        let (r, result) = outcome(
            peer!("bouncycastle/authdata-hmac-sha256-tampered.p7m"),
            &kek(),
        );
        assert!(
            matches!(&result, MacCheck::Invalid(w) if w.contains("altered")),
            "{result:?}"
        );
        assert_eq!(r.mac_verified, Some(false));
        // The same through RSA PKCS#1 v1.5 with no certificate: a wrong key and an altered
        // message look alike, and the report says so rather than guessing.
        let (_, result) = outcome(
            peer!("bouncycastle/authdata-hmac-sha256-tampered.p7m"),
            &rsa(false),
        );
        assert!(matches!(&result, MacCheck::NotChecked(w) if w.contains("either none")));
        // ... and with the recipient's certificate it is an alteration.
        let (_, result) = outcome(
            peer!("bouncycastle/authdata-hmac-sha256-tampered.p7m"),
            &rsa(true),
        );
        assert!(matches!(result, MacCheck::Invalid(_)), "{result:?}");
        // Under a MAC over authAttrs the MAC holds and messageDigest does not.
        let (_, result) = outcome(
            peer!("bouncycastle/authdata-hmac-sha256-attrs-tampered.p7m"),
            &rsa(false),
        );
        assert!(
            matches!(&result, MacCheck::Invalid(w) if w.contains("messageDigest is sha256")),
            "{result:?}"
        );
        // No key at all.
        let (r, result) = outcome(
            peer!("bouncycastle/authdata-hmac-sha256.p7m"),
            &Keyring::new(),
        );
        assert!(
            matches!(&result, MacCheck::NotChecked(w) if w.contains("kekri for key id 62632d6b656b2d31"))
        );
        assert_eq!(r.mac_verified, None);
        // A MAC algorithm other than HMAC (RFC 9044's AES-GMAC).
        let (r, result) = outcome(
            peer!("pyasn1-alt-modules/rfc9044-authenticated-data-aes-gmac.der"),
            &Keyring::new(),
        );
        assert_eq!(
            result,
            MacCheck::NotChecked(
                "MAC algorithm aes-128-gmac is not supported (HMAC with SHA-1 or SHA-2 is)".into()
            )
        );
        assert_eq!(r.content_algorithm, "aes-128-gmac");
    }

    #[test]
    fn detached_content_and_damaged_structures() {
        let mut ad = read(peer!("bouncycastle/authdata-hmac-sha256.p7m"));
        let content = ad.content.take().unwrap();
        let (_, result) = check(&ad, &kek(), None, 0);
        assert!(matches!(&result, MacCheck::NotChecked(w) if w.contains("--content")));
        let (_, result) = check(&ad, &kek(), Some(&content), 0);
        assert!(matches!(result, MacCheck::Verified(_)));
        // authAttrs without digestAlgorithm break RFC 5652 §9.1.
        let mut ad = read(peer!("bouncycastle/authdata-hmac-sha256-attrs.p7m"));
        ad.digest_alg = None;
        let (_, result) = check(&ad, &kek(), None, 0);
        assert!(matches!(&result, MacCheck::Invalid(w) if w.contains("digestAlgorithm is absent")));
        // A ContentInfo whose AuthenticatedData lacks its mac.
        let der = asn1::normalise_cow(peer!("bouncycastle/authdata-hmac-sha1.p7m"))
            .unwrap()
            .into_owned();
        let (_, content) = content_info(&der).unwrap();
        let seq = content.unwrap();
        let fields = asn1::children(&der, &seq).unwrap();
        let last = fields.last().unwrap();
        // The same SEQUENCE read only up to the mac field.
        let short = Tlv {
            value_end: last.start,
            end: last.start,
            ..seq
        };
        let e = parse(&der, &short).unwrap_err().to_string();
        assert!(e.contains("missing mac"), "{e}");
    }
}
