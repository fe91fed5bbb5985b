//! SignedData (RFC 5652 §5). The SignerInfo and its signed attributes are typed values of
//! the `cms` crate encoded by `der` (which sorts the attribute SET OF as DER requires); the
//! SignedData around it is still written with [`crate::compose::der_writer`] (see
//! docs/decisions.md).

use crate::compose::der_writer as w;
use crate::compose::options::{IncludeCerts, SignOptions};
use crate::crypto::algorithms::{attr, content, Digest};
use crate::crypto::keys::SecretKey;
use crate::crypto::oids;
use crate::error::Error;
use crate::time::UnixTime;
use crate::x509::certificate::Cert;
use cms::cert::IssuerAndSerialNumber;
use cms::content_info::CmsVersion;
use cms::signed_data::{SignedAttributes, SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier as Oid, OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;

pub(crate) fn err(reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: "composition".into(),
        reason: reason.into(),
    }
}

fn der_err(what: &str) -> impl Fn(der::Error) -> Error + '_ {
    move |e| Error::der(what, e)
}

pub(crate) fn digest_oid(d: Digest) -> Oid {
    match d {
        Digest::Md5 => oids::ID_MD_5,
        Digest::Sha1 => oids::ID_SHA_1,
        Digest::Sha224 => oids::ID_SHA_224,
        Digest::Sha256 => oids::ID_SHA_256,
        Digest::Sha384 => oids::ID_SHA_384,
        Digest::Sha512 => oids::ID_SHA_512,
    }
}

/// The certificate's issuer and serial number, as both SignerInfo and RecipientInfo name it.
pub(crate) fn issuer_and_serial(cert: &Cert) -> IssuerAndSerialNumber {
    let tbs = cert.cert.tbs_certificate();
    IssuerAndSerialNumber {
        issuer: tbs.issuer().clone(),
        serial_number: tbs.serial_number().clone(),
    }
}

/// An AlgorithmIdentifier with the given OID and optional parameters.
pub(crate) fn alg(oid: Oid, parameters: Option<Any>) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned { oid, parameters }
}

fn attribute(oid: Oid, value: Any) -> Result<Attribute, Error> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value]).map_err(der_err("signed attribute"))?,
    })
}

/// contentType (id-data), signingTime and messageDigest (RFC 5652 §5.3, §11).
fn signed_attributes(md: &[u8], at: UnixTime) -> Result<SignedAttributes, Error> {
    // UTCTime for 1950–2049 as RFC 5280 asks; der's UtcTime starts at 1970, so the time is
    // written by the DER writer and carried as an ANY.
    let time = Any::from_der(&w::time(at)).map_err(der_err("signingTime"))?;
    let digest = OctetString::new(md).map_err(der_err("messageDigest"))?;
    let attrs = vec![
        attribute(attr::CONTENT_TYPE, Any::from(content::DATA))?,
        attribute(attr::SIGNING_TIME, time)?,
        attribute(
            attr::MESSAGE_DIGEST,
            Any::encode_from(&digest).map_err(der_err("messageDigest"))?,
        )?,
    ];
    SetOfVec::try_from(attrs).map_err(der_err("signed attributes"))
}

fn ecdsa_oid(d: Digest) -> Oid {
    match d {
        // Refused before signing; there is no ECDSA-with-MD5 identifier.
        Digest::Md5 | Digest::Sha1 => oids::ECDSA_WITH_SHA_1,
        Digest::Sha224 => oids::ECDSA_WITH_SHA_224,
        Digest::Sha256 => oids::ECDSA_WITH_SHA_256,
        Digest::Sha384 => oids::ECDSA_WITH_SHA_384,
        Digest::Sha512 => oids::ECDSA_WITH_SHA_512,
    }
}

/// Signs the DER of the signed attributes; returns the signature algorithm and value.
fn sign(
    key: &SecretKey,
    d: Digest,
    signed: &[u8],
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), Error> {
    let to_sign = d.hash(signed);
    Ok(match key {
        SecretKey::Rsa(k) => {
            let scheme = d.pkcs1v15();
            let sig = k
                .sign(scheme, &to_sign)
                .map_err(|e| err(format!("RSA signing failed: {e}")))?;
            (alg(oids::RSA_ENCRYPTION, Some(Any::null())), sig)
        }
        SecretKey::P256(k) => {
            use p256::ecdsa::signature::hazmat::PrehashSigner;
            let sk = p256::ecdsa::SigningKey::from(k.clone());
            let sig: p256::ecdsa::Signature = sk
                .sign_prehash(&to_sign)
                .map_err(|e| err(format!("ECDSA signing failed: {e}")))?;
            (alg(ecdsa_oid(d), None), sig.to_der().as_bytes().to_vec())
        }
        SecretKey::P384(k) => {
            use p384::ecdsa::signature::hazmat::PrehashSigner;
            let sk = p384::ecdsa::SigningKey::from(k.clone());
            let sig: p384::ecdsa::Signature = sk
                .sign_prehash(&to_sign)
                .map_err(|e| err(format!("ECDSA signing failed: {e}")))?;
            (alg(ecdsa_oid(d), None), sig.to_der().as_bytes().to_vec())
        }
        SecretKey::BrainpoolP256(_) => {
            return Err(err(
                "the signing key is a brainpoolP256r1 key, which is read for IEEE 1609.2 decryption; CMS signing with it is not supported".to_string(),
            ))
        }
    })
}

/// The SignerInfo over `content`, signed with `opts`' key (version 1, issuer and serial).
pub fn signer_info(content: &[u8], opts: &SignOptions, at: UnixTime) -> Result<SignerInfo, Error> {
    let d = opts.digest;
    let attrs = signed_attributes(&d.hash(content), at)?;
    let (signature_algorithm, signature) = sign(
        &opts.key,
        d,
        &attrs.to_der().map_err(der_err("signed attributes"))?,
    )?;
    Ok(SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(issuer_and_serial(&opts.cert)),
        digest_alg: alg(digest_oid(d), None),
        signed_attrs: Some(attrs),
        signature_algorithm,
        signature: OctetString::new(signature).map_err(der_err("signature"))?,
        unsigned_attrs: None,
    })
}

/// Builds a SignedData ContentInfo over `content` (encapsulated when `encapsulate`).
pub fn signed_data(
    content: &[u8],
    opts: &SignOptions,
    at: UnixTime,
    encapsulate: bool,
) -> Result<Vec<u8>, Error> {
    if opts.digest == Digest::Md5 {
        return Err(err(
            "MD5 is broken: sealscope reads MD5 signatures but does not make them",
        ));
    }
    let si = signer_info(content, opts, at)?;
    let digest_alg = si
        .digest_alg
        .to_der()
        .map_err(der_err("digest algorithm"))?;
    let signer_info = si.to_der().map_err(der_err("SignerInfo"))?;
    let mut certs: Vec<&[u8]> = Vec::new();
    if opts.include != IncludeCerts::None {
        certs.push(&opts.cert.der);
    }
    if opts.include == IncludeCerts::Chain {
        certs.extend(opts.chain.iter().map(|c| c.der.as_slice()));
    }
    let eci = if encapsulate {
        w::seq(&[&w::oid(oids::ID_DATA), &w::explicit(0, &w::octets(content))])
    } else {
        w::seq(&[&w::oid(oids::ID_DATA)])
    };
    let mut fields: Vec<Vec<u8>> = vec![w::int(1), w::set_of(&[&digest_alg]), eci];
    if !certs.is_empty() {
        // The certificates exactly as loaded: re-encoding a decoded certificate could change
        // bytes its issuer signed.
        fields.push(w::implicit_set_of(0, &certs));
    }
    fields.push(w::set_of(&[&signer_info]));
    let refs: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
    Ok(w::content_info(oids::ID_SIGNED_DATA, &w::seq(&refs)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::options::SignForm;

    const PKI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/pki/");

    fn signer(name: &str, digest: Digest, include: IncludeCerts) -> SignOptions {
        let read = |ext: &str| std::fs::read(format!("{PKI}{name}.{ext}")).unwrap();
        let inter = std::fs::read(format!("{PKI}inter-ca.pem")).unwrap();
        SignOptions {
            cert: crate::x509::certificate::load_certificates(&read("pem"), name)
                .unwrap()
                .remove(0),
            key: crate::crypto::keys::load_private_keys(&read("key"), None, name)
                .unwrap()
                .remove(0)
                .key,
            chain: crate::x509::certificate::load_certificates(&inter, "inter").unwrap(),
            digest,
            form: SignForm::Detached,
            include,
        }
    }

    /// The SignerInfo as it was written by hand before it was typed: the typed encoding
    /// must give the same bytes.
    fn signer_info_by_hand(content: &[u8], opts: &SignOptions, at: UnixTime) -> Vec<u8> {
        let d = opts.digest;
        let md = d.hash(content);
        let attrs = [
            w::seq(&[
                &w::oid(crate::crypto::oids::ID_CONTENT_TYPE),
                &w::set_of(&[&w::oid(crate::crypto::oids::ID_DATA)]),
            ]),
            w::seq(&[
                &w::oid(crate::crypto::oids::ID_SIGNING_TIME),
                &w::set_of(&[&w::time(at)]),
            ]),
            w::seq(&[
                &w::oid(crate::crypto::oids::ID_MESSAGE_DIGEST),
                &w::set_of(&[&w::octets(&md)]),
            ]),
        ];
        let refs: Vec<&[u8]> = attrs.iter().map(Vec::as_slice).collect();
        let signed_attrs = w::set_of(&refs);
        let (sig_alg, sig) = sign(&opts.key, d, &signed_attrs).unwrap();
        let mut implicit = signed_attrs.clone();
        implicit[0] = 0xA0;
        let issuer = opts.cert.issuer().to_der().unwrap();
        let serial = opts.cert.cert.tbs_certificate().serial_number().as_bytes();
        w::seq(&[
            &w::int(1),
            &w::seq(&[&issuer, &w::tlv(0x02, serial)]),
            &w::alg(digest_oid(d), None),
            &implicit,
            &sig_alg.to_der().unwrap(),
            &w::octets(&sig),
        ])
    }

    #[test]
    fn typed_signer_info_is_byte_identical_to_the_hand_written_one() {
        let times = [
            "2026-11-22T10:00:00Z",
            "2049-12-31T23:59:59Z",
            "2050-01-01T00:00:00Z",
            "1960-06-01T12:00:00Z",
        ];
        for name in ["signer-rsa", "signer-p256", "signer-p384"] {
            for d in [Digest::Sha256, Digest::Sha384, Digest::Sha512] {
                for t in times {
                    let at = UnixTime::parse(t).unwrap();
                    let o = signer(name, d, IncludeCerts::Chain);
                    let typed = signer_info(b"content", &o, at).unwrap().to_der().unwrap();
                    assert_eq!(
                        typed,
                        signer_info_by_hand(b"content", &o, at),
                        "{name} {d:?} {t}"
                    );
                }
            }
        }
    }

    #[test]
    fn signed_data_carries_what_it_is_told() {
        let at = UnixTime::parse("2026-11-22T10:00:00Z").unwrap();
        let o = signer("signer-p256", Digest::Sha256, IncludeCerts::None);
        let none = signed_data(b"x", &o, at, false).unwrap();
        let mut with_chain = o.clone();
        with_chain.include = IncludeCerts::Chain;
        let chain = signed_data(b"x", &with_chain, at, true).unwrap();
        assert!(chain.len() > none.len() + o.cert.der.len());
        assert!(chain.windows(o.cert.der.len()).any(|w| w == o.cert.der));
        assert!(!none.windows(o.cert.der.len()).any(|w| w == o.cert.der));
        let mut md5 = o;
        md5.digest = Digest::Md5;
        assert!(signed_data(b"x", &md5, at, false)
            .unwrap_err()
            .to_string()
            .contains("MD5"));
    }
}
