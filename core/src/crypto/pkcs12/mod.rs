//! PKCS #12 bundles (RFC 7292): private keys and certificates, password-protected.
//!
//! ```text
//! PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
//! AuthenticatedSafe ::= SEQUENCE OF ContentInfo   -- data or encryptedData
//! SafeContents ::= SEQUENCE OF SafeBag
//! SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OPTIONAL }
//! ```
//!
//! Modern bundles (OpenSSL 3 default) use PBES2 (PBKDF2 + AES) and an HMAC-SHA-256 MAC;
//! legacy ones use pbeWithSHAAnd3-KeyTripleDES-CBC and HMAC-SHA-1 with the PKCS #12 KDF
//! (RFC 7292 App. B), implemented here. The MAC is checked first so a wrong password is
//! reported as such.

use crate::cms::asn1::{self, tag, Tlv};
use crate::crypto::algorithms::Digest;
use crate::crypto::keys::PrivateKey;
use crate::crypto::oids;
use crate::error::Error;
use crate::x509::certificate::Cert;
use der::asn1::ObjectIdentifier as Oid;

mod pbe;

use pbe::{bmp_forms, hmac};
pub use pbe::{kdf, MAX_ITERATIONS};
pub(crate) use pbe::{pbe_decrypt, WRONG_PASSWORD};

const DATA: Oid = oids::ID_DATA;
const ENCRYPTED_DATA: Oid = oids::ID_ENCRYPTED_DATA;
const KEY_BAG: Oid = oids::KEY_BAG;
const SHROUDED_KEY_BAG: Oid = oids::PKCS_8_SHROUDED_KEY_BAG;
const CERT_BAG: Oid = oids::CERT_BAG;
const CRL_BAG: Oid = oids::CRL_BAG;
const SECRET_BAG: Oid = oids::SECRET_BAG;
const SAFE_CONTENTS_BAG: Oid = oids::SAFE_CONTENTS_BAG;
const X509_CERT: Oid = oids::X_509_CERTIFICATE;
const FRIENDLY_NAME: Oid = oids::PKCS_9_AT_FRIENDLY_NAME;

/// Deepest nesting of safeContentsBags followed.
const MAX_BAG_DEPTH: usize = 4;

/// What a bundle holds.
#[derive(Debug, Default)]
pub struct Bundle {
    /// Private keys, each with the bundle's certificates in `bundle_certs`.
    pub keys: Vec<PrivateKey>,
    /// Certificates.
    pub certs: Vec<Cert>,
    /// Bags that were read but are not used (CRL, secret and non-X.509 certificate bags),
    /// one short description each.
    pub skipped: Vec<String>,
}

/// A bundle that needs a password (`given`: one was given and it is wrong).
fn password_err(source: &str, reason: impl Into<String>, given: bool) -> Error {
    Error::Password {
        what: "PKCS#12 bundle",
        source_name: source.to_string(),
        reason: reason.into(),
        given,
    }
}

fn err(source: &str, reason: impl Into<String>) -> Error {
    Error::Load {
        what: "PKCS#12 bundle",
        source_name: source.to_string(),
        reason: reason.into(),
    }
}

/// Whether `der` looks like a PFX (a SEQUENCE starting with INTEGER 3 then a ContentInfo).
pub fn looks_like_pfx(der: &[u8]) -> bool {
    let Ok(seq) = asn1::read_whole(der) else {
        return false;
    };
    let Ok(f) = asn1::children(der, &seq) else {
        return false;
    };
    matches!(f.first(), Some(v) if v.is_universal(tag::INTEGER) && v.value(der) == [3])
        && f.get(1).is_some_and(|t| t.is_universal(tag::SEQUENCE))
}

pub(crate) fn int(buf: &[u8], t: &Tlv) -> Option<u32> {
    let v = t.value(buf);
    (t.is_universal(tag::INTEGER) && v.len() <= 4)
        .then(|| v.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)))
}

pub(crate) fn oid_of(buf: &[u8], t: &Tlv) -> Option<Oid> {
    t.is_universal(tag::OID)
        .then(|| Oid::from_bytes(t.value(buf)).ok())
        .flatten()
}

/// The OCTET STRING inside `[0] EXPLICIT` of a ContentInfo of type data.
fn data_content(buf: &[u8], ci: &Tlv) -> Option<Vec<u8>> {
    let f = asn1::children(buf, ci).ok()?;
    let inner = asn1::children(buf, f.get(1)?).ok()?;
    let os = inner.first()?;
    os.is_universal(tag::OCTET_STRING)
        .then(|| os.value(buf).to_vec())
}

/// Checks the MAC (RFC 7292 §4): HMAC over the authSafe content with a key from the PKCS #12
/// KDF (ID 3) of the password. `Ok(false)` when it does not verify.
fn check_mac(
    buf: &[u8],
    mac_data: &Tlv,
    content: &[u8],
    password: &str,
    source: &str,
) -> Result<bool, Error> {
    let f = asn1::children(buf, mac_data)?;
    // DigestInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }
    let di = f.first().ok_or_else(|| err(source, "MacData is empty"))?;
    let di_f = asn1::children(buf, di)?;
    let alg = di_f
        .first()
        .ok_or_else(|| err(source, "MacData has no algorithm"))?;
    let alg_oid = asn1::children(buf, alg)?
        .first()
        .and_then(|t| Oid::from_bytes(t.value(buf)).ok())
        .ok_or_else(|| err(source, "MacData algorithm is malformed"))?;
    let d = Digest::from_oid(&alg_oid).ok_or_else(|| {
        err(
            source,
            format!(
                "the MAC digest {} is not supported (SHA-1 and SHA-2 are)",
                crate::crypto::algorithms::oid_name(&alg_oid)
            ),
        )
    })?;
    let expected = di_f
        .get(1)
        .filter(|t| t.is_universal(tag::OCTET_STRING))
        .map(|t| t.value(buf).to_vec())
        .ok_or_else(|| err(source, "MacData has no digest"))?;
    let salt = f
        .get(1)
        .filter(|t| t.is_universal(tag::OCTET_STRING))
        .map(|t| t.value(buf).to_vec())
        .ok_or_else(|| err(source, "MacData has no salt"))?;
    let iterations = match f.get(2) {
        Some(t) => {
            int(buf, t).ok_or_else(|| err(source, "MacData iteration count is malformed"))?
        }
        None => 1,
    };
    if iterations > MAX_ITERATIONS {
        return Err(err(
            source,
            format!("MAC iteration count {iterations} is more than the {MAX_ITERATIONS} accepted"),
        ));
    }
    for pw in bmp_forms(password) {
        let key = zeroize::Zeroizing::new(kdf(d, &pw, &salt, iterations, 3, d.hash(b"").len()));
        if hmac(d, &key, content) == expected {
            return Ok(true);
        }
    }
    Ok(false)
}

const NEEDS_PASSWORD: &str =
    "the bundle is password-protected: give its password with --key-pass or SEALSCOPE_KEY_PASS";

/// Whether an error says the password did not open something.
fn is_wrong_password(e: &Error) -> bool {
    e.wrong_password()
}

/// Reads a PFX with `password`; without one, the empty password is tried (bundles exported
/// with `-passout pass:` and unencrypted bundles open so).
///
/// Every key comes back with the bundle's certificates in [`PrivateKey::bundle_certs`] and
/// its bag's friendlyName as its label. A bundle whose MAC does not verify is refused: as a
/// wrong password, or, when the password still opens the contents, as a damaged file.
pub fn load(der: &[u8], password: Option<&str>, source: &str) -> Result<Bundle, Error> {
    let given = password.is_some();
    let password = password.unwrap_or("");
    let der = asn1::normalise(der).map_err(|e| err(source, format!("not DER or BER: {e}")))?;
    let pfx = asn1::read_whole(&der)?;
    let f = asn1::children(&der, &pfx)?;
    let auth_safe = f.get(1).ok_or_else(|| err(source, "PFX has no authSafe"))?;
    let ct = asn1::children(&der, auth_safe)?
        .first()
        .and_then(|t| oid_of(&der, t));
    if let Some(ct) = ct.filter(|ct| *ct != DATA) {
        return Err(err(
            source,
            format!(
                "the authSafe is {} (public-key integrity mode), which is not supported; only password integrity (data) is",
                crate::crypto::algorithms::oid_name(&ct)
            ),
        ));
    }
    let content =
        data_content(&der, auth_safe).ok_or_else(|| err(source, "authSafe content missing"))?;
    if let Some(mac) = f.get(2) {
        if !check_mac(&der, mac, &content, password, source)? {
            if !given {
                return Err(password_err(source, NEEDS_PASSWORD, false));
            }
            // With the right password the contents still open: then the file, not the
            // password, is wrong.
            return match read_safes(&content, password, source) {
                Ok(b) if !b.keys.is_empty() => Err(err(
                    source,
                    "the MAC does not verify although the password opens the keys: the file was altered or damaged",
                )),
                _ => Err(password_err(
                    source,
                    "wrong password (the bundle's MAC does not verify)",
                    true,
                )),
            };
        }
    }
    let bundle = read_safes(&content, password, source).map_err(|e| {
        if !given && is_wrong_password(&e) {
            password_err(source, NEEDS_PASSWORD, false)
        } else {
            e
        }
    })?;
    if bundle.keys.is_empty() && bundle.certs.is_empty() {
        return Err(err(source, "the bundle holds no key and no certificate"));
    }
    Ok(bundle)
}

/// Reads the AuthenticatedSafe (the content octets of the authSafe).
fn read_safes(content: &[u8], password: &str, source: &str) -> Result<Bundle, Error> {
    // The octets are an encoding of their own: BER from NSS and Java.
    let content = asn1::normalise(content)
        .map_err(|e| err(source, format!("the AuthenticatedSafe is not BER: {e}")))?;
    let mut bundle = Bundle::default();
    let safes = asn1::read_whole(&content)?;
    for (n, ci) in asn1::children(&content, &safes)?.iter().enumerate() {
        let ci_f = asn1::children(&content, ci)?;
        let kind = ci_f
            .first()
            .and_then(|t| oid_of(&content, t))
            .unwrap_or(oids::NULL_OID);
        let safe_contents = match kind {
            DATA => data_content(&content, ci)
                .ok_or_else(|| err(source, format!("safe #{}: SafeContents missing", n + 1)))?,
            ENCRYPTED_DATA => {
                // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo }
                let ed = ci_f
                    .get(1)
                    .and_then(|t| asn1::children(&content, t).ok())
                    .and_then(|c| c.first().copied())
                    .ok_or_else(|| err(source, "EncryptedData missing"))?;
                let ed_f = asn1::children(&content, &ed)?;
                let eci = ed_f
                    .get(1)
                    .ok_or_else(|| err(source, "EncryptedContentInfo missing"))?;
                let eci_f = asn1::children(&content, eci)?;
                let alg = eci_f
                    .get(1)
                    .ok_or_else(|| err(source, "encryption algorithm missing"))?;
                let enc = eci_f
                    .get(2)
                    .ok_or_else(|| err(source, "encrypted content missing"))?;
                let mut ct = Vec::new();
                if enc.constructed {
                    for c in asn1::children(&content, enc)? {
                        ct.extend_from_slice(c.value(&content));
                    }
                } else {
                    ct.extend_from_slice(enc.value(&content));
                }
                match pbe_decrypt(alg.raw(&content), password, &ct) {
                    Ok(p) => p,
                    Err(why) => {
                        let reason =
                            format!("encrypted safe #{} cannot be decrypted: {why}", n + 1);
                        return Err(if why == WRONG_PASSWORD {
                            password_err(source, reason, true)
                        } else {
                            err(source, reason)
                        });
                    }
                }
            }
            other => {
                return Err(err(
                    source,
                    format!(
                        "safe #{} is {} (public-key privacy mode), which is not supported",
                        n + 1,
                        crate::crypto::algorithms::oid_name(&other)
                    ),
                ))
            }
        };
        let safe_contents = zeroize::Zeroizing::new(safe_contents);
        // Under a wrong password without a MAC, good padding by chance leaves bytes that are
        // not a SafeContents.
        let wrong = || {
            password_err(
                source,
                format!(
                    "encrypted safe #{} cannot be decrypted: wrong password (it decrypts to something that is not a SafeContents)",
                    n + 1
                ),
                true,
            )
        };
        let encrypted = kind == ENCRYPTED_DATA;
        let safe_contents = match asn1::normalise(&safe_contents) {
            Ok(s) => zeroize::Zeroizing::new(s),
            Err(_) if encrypted => return Err(wrong()),
            Err(e) => {
                return Err(err(
                    source,
                    format!("safe #{}: the SafeContents is not BER: {e}", n + 1),
                ))
            }
        };
        match read_bags(&safe_contents, password, source, &mut bundle, 0) {
            Err(Error::Asn1 { .. }) if encrypted => return Err(wrong()),
            other => other?,
        }
    }
    for k in &mut bundle.keys {
        k.bundle_certs = bundle.certs.clone();
    }
    Ok(bundle)
}

/// The friendlyName attribute of a bag (BMPString), if any.
fn friendly_name(buf: &[u8], attrs: Option<&Tlv>) -> Option<String> {
    // bagAttributes SET OF SEQUENCE { attrId OID, attrValues SET OF ANY }
    let attrs = asn1::children(buf, attrs?).ok()?;
    attrs.iter().find_map(|a| {
        let f = asn1::children(buf, a).ok()?;
        if oid_of(buf, f.first()?)? != FRIENDLY_NAME {
            return None;
        }
        let values = asn1::children(buf, f.get(1)?).ok()?;
        let v = values.first()?;
        let units: Vec<u16> = v
            .value(buf)
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    })
}

fn read_bags(
    buf: &[u8],
    password: &str,
    source: &str,
    bundle: &mut Bundle,
    depth: usize,
) -> Result<(), Error> {
    if depth > MAX_BAG_DEPTH {
        return Err(err(
            source,
            format!("safeContentsBags nested deeper than {MAX_BAG_DEPTH} levels"),
        ));
    }
    let seq = asn1::read_whole(buf)?;
    for (n, bag) in asn1::children(buf, &seq)?.iter().enumerate() {
        let f = asn1::children(buf, bag)?;
        let id = f
            .first()
            .and_then(|t| oid_of(buf, t))
            .ok_or_else(|| err(source, format!("SafeBag #{} has no bagId", n + 1)))?;
        let value = f
            .get(1)
            .filter(|t| t.is_context(0))
            .and_then(|t| asn1::children(buf, t).ok())
            .and_then(|c| c.first().copied())
            .ok_or_else(|| err(source, format!("SafeBag #{} has no bagValue", n + 1)))?;
        let raw = value.raw(buf);
        let label = friendly_name(buf, f.get(2));
        let name = format!("{source} (PKCS#12)");
        let push_keys = |bundle: &mut Bundle, keys: Vec<PrivateKey>| {
            for mut k in keys {
                k.form = "pkcs12".into();
                k.label.clone_from(&label);
                bundle.keys.push(k);
            }
        };
        match id {
            KEY_BAG => push_keys(
                bundle,
                crate::crypto::keys::load_private_keys(raw, None, &name)?,
            ),
            SHROUDED_KEY_BAG => {
                // EncryptedPrivateKeyInfo: PBES2 via pkcs5, legacy PBE here.
                let ek = asn1::children(buf, &value)?;
                let (Some(alg), Some(data)) = (ek.first(), ek.get(1)) else {
                    return Err(err(source, "shrouded key bag is malformed"));
                };
                let plain = pbe_decrypt(alg.raw(buf), password, data.value(buf))
                    .map(zeroize::Zeroizing::new)
                    .map_err(|why| {
                        let reason = format!("the private key cannot be decrypted: {why}");
                        if why == WRONG_PASSWORD {
                            password_err(source, reason, true)
                        } else {
                            err(source, reason)
                        }
                    })?;
                // A wrong password yields good padding once in a few hundred tries; what
                // comes out is then not a PrivateKeyInfo at all.
                if pkcs8::PrivateKeyInfoRef::try_from(plain.as_slice()).is_err() {
                    return Err(password_err(
                        source,
                        "the private key cannot be decrypted: wrong password (it decrypts to something that is not a PKCS#8 key)",
                        true,
                    ));
                }
                push_keys(
                    bundle,
                    crate::crypto::keys::load_private_keys(&plain, None, &name)?,
                );
            }
            CERT_BAG => {
                let cb = asn1::children(buf, &value)?;
                let cert_type = cb.first().and_then(|t| oid_of(buf, t));
                let cert_der = cb
                    .get(1)
                    .and_then(|t| asn1::children(buf, t).ok())
                    .and_then(|c| c.first().copied())
                    .filter(|t| t.is_universal(tag::OCTET_STRING))
                    .map(|t| t.value(buf).to_vec());
                match (cert_type == Some(X509_CERT), cert_der) {
                    (true, Some(c)) => bundle.certs.push(Cert::from_der(&c, &name)?),
                    (true, None) => {
                        return Err(err(source, format!("certificate bag #{} is empty", n + 1)))
                    }
                    (false, _) => bundle.skipped.push(format!(
                        "certificate bag of type {}",
                        cert_type.map_or_else(|| "?".to_string(), |t| t.to_string())
                    )),
                }
            }
            SAFE_CONTENTS_BAG => read_bags(raw, password, source, bundle, depth + 1)?,
            CRL_BAG => bundle.skipped.push("CRL bag".into()),
            SECRET_BAG => bundle.skipped.push("secret bag".into()),
            other => bundle.skipped.push(format!("bag of type {other}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::pbe::*;
    use super::*;

    #[test]
    fn bmp_password_has_terminator() {
        assert_eq!(bmp_password("ab"), [0, b'a', 0, b'b', 0, 0]);
    }

    /// DER of SEQUENCE { OID, params } from hex parts.
    fn alg(oid: Oid, params: &[u8]) -> Vec<u8> {
        let mut body = vec![tag::OID as u8, oid.as_bytes().len() as u8];
        body.extend_from_slice(oid.as_bytes());
        body.extend_from_slice(params);
        let mut out = vec![0x30, body.len() as u8];
        out.extend(body);
        out
    }

    #[test]
    fn empty_password_is_tried_with_and_without_terminator() {
        assert_eq!(bmp_forms(""), vec![vec![0, 0], Vec::new()]);
        assert_eq!(bmp_forms("a"), vec![vec![0, b'a', 0, 0]]);
    }

    #[test]
    fn unsupported_pbe_is_named_with_its_oid() {
        // pbeWithSHAAnd128BitRC4 { salt, iterations }
        let params = [0x30, 0x07, 0x04, 0x02, 1, 2, 0x02, 0x01, 0x01];
        let e = pbe_decrypt(
            &alg(oids::PBE_WITH_SHA_AND_128_BIT_RC_4, &params),
            "pw",
            &[0; 16],
        )
        .expect_err("RC4 is not implemented");
        assert_eq!(
            e,
            "encryption pbeWithSHAAnd128BitRC4 (1.2.840.113549.1.12.1.1) is not supported (PBES2, pbeWithSHAAnd3-KeyTripleDES-CBC and pbeWithSHAAnd40/128BitRC2-CBC are)"
        );
    }

    #[test]
    fn pbes2_with_an_unsupported_cipher_names_kdf_and_cipher() {
        // PBES2 { PBKDF2 { salt, 2048 }, camellia-256-cbc IV }
        let kdf = alg(
            oids::ID_PBKDF_2,
            &[0x30, 0x08, 0x04, 0x02, 1, 2, 0x02, 0x02, 0x08, 0x00],
        );
        let mut iv = vec![0x04, 16];
        iv.extend([7u8; 16]);
        let cipher = alg(oids::CAMELLIA_256_CBC, &iv);
        let mut params = vec![0x30, (kdf.len() + cipher.len()) as u8];
        params.extend(kdf);
        params.extend(cipher);
        let e = pbe_decrypt(&alg(PBES2, &params), "pw", &[0; 16]).expect_err("camellia");
        assert_eq!(
            e,
            "PBES2 with PBKDF2 (1.2.840.113549.1.5.12) and camellia-256-cbc (1.2.392.200011.61.1.1.1.4) is not supported (PBKDF2 with aes-128/192/256-cbc or des-ede3-cbc is)"
        );
    }

    #[test]
    fn legacy_pbe_iterations_are_bounded() {
        // pbeWithSHAAnd3-KeyTripleDES-CBC { salt, 0x7fffffff }
        let params = [
            0x30, 0x0a, 0x04, 0x02, 1, 2, 0x02, 0x04, 0x7f, 0xff, 0xff, 0xff,
        ];
        let e = pbe_decrypt(&alg(PBE_SHA1_3DES, &params), "pw", &[0; 16]).expect_err("bound");
        assert!(e.contains("more than the 10000000 accepted"), "{e}");
    }

    #[test]
    fn friendly_name_reads_a_bmpstring() {
        // SET { SEQUENCE { friendlyName, SET { BMPString "Ab" } } }
        let oid = FRIENDLY_NAME;
        let mut attr = vec![tag::OID as u8, oid.as_bytes().len() as u8];
        attr.extend_from_slice(oid.as_bytes());
        attr.extend([0x31, 0x06, 0x1e, 0x04, 0, b'A', 0, b'b']);
        let mut seq = vec![0x30, attr.len() as u8];
        seq.extend(attr);
        let mut set = vec![0x31, seq.len() as u8];
        set.extend(seq);
        let t = asn1::read_whole(&set).expect("SET");
        assert_eq!(friendly_name(&set, Some(&t)).as_deref(), Some("Ab"));
        assert_eq!(friendly_name(&set, None), None);
    }

    #[test]
    fn not_a_pfx_is_an_error_not_a_panic() {
        for bytes in [
            &[][..],
            &[0x30, 0x03, 0x02, 0x01, 0x03][..],
            &[0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80][..],
            &[0x30, 0x06, 0x02, 0x01, 0x03, 0x30, 0x01, 0x06][..],
        ] {
            assert!(load(bytes, Some("x"), "t.p12").is_err());
        }
    }

    #[test]
    fn public_key_integrity_mode_is_refused_by_name() {
        // PFX { 3, ContentInfo { signedData, [0] { SEQUENCE {} } } }
        let ci = alg(oids::ID_SIGNED_DATA, &[0xa0, 0x02, 0x30, 0x00]);
        let mut pfx = vec![0x30, (3 + ci.len()) as u8, 0x02, 0x01, 0x03];
        pfx.extend(ci);
        assert!(looks_like_pfx(&pfx));
        let e = load(&pfx, Some("x"), "t.p12").expect_err("signed authSafe");
        assert_eq!(
            e.to_string(),
            "cannot load PKCS#12 bundle from t.p12: the authSafe is signed-data (public-key integrity mode), which is not supported; only password integrity (data) is"
        );
    }

    #[test]
    fn kdf_lengths() {
        let k = kdf(Digest::Sha1, &bmp_password("x"), b"saltsalt", 1, 1, 24);
        assert_eq!(k.len(), 24);
        assert_ne!(
            k,
            kdf(Digest::Sha1, &bmp_password("x"), b"saltsalt", 1, 2, 24)
        );
    }
}
