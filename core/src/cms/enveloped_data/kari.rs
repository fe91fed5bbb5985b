//! Key agreement recipients (RFC 5652 §6.2.2, RFC 5753): ECDH with the X9.63 KDF and AES
//! key wrap.

use super::ktri::{is_ec, keys_for, source_name};
use super::Candidates;
use crate::cms::asn1::{self};
use crate::crypto::algorithms::{oid_name, Digest};
use crate::crypto::ciphers::{self};
use crate::crypto::oids;
use crate::keyring::Keyring;
use crate::report::RecipientReport;
use crate::x509::certificate::{serial_hex, Cert};
use crate::x509::dn;
use cms::enveloped_data::{
    KeyAgreeRecipientIdentifier, KeyAgreeRecipientInfo, OriginatorIdentifierOrKey,
};
use der::asn1::ObjectIdentifier as Oid;
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

/// dhSinglePass-stdDH-sha*kdf-scheme and the cofactor variants (RFC 5753 §7.1.4, SEC 1).
pub(super) fn kari_kdf(oid: &Oid) -> Option<(Digest, bool)> {
    Some(match *oid {
        oids::DH_SINGLE_PASS_STD_DH_SHA_1_KDF_SCHEME => (Digest::Sha1, false),
        oids::DH_SINGLE_PASS_STD_DH_SHA_224_KDF_SCHEME => (Digest::Sha224, false),
        oids::DH_SINGLE_PASS_STD_DH_SHA_256_KDF_SCHEME => (Digest::Sha256, false),
        oids::DH_SINGLE_PASS_STD_DH_SHA_384_KDF_SCHEME => (Digest::Sha384, false),
        oids::DH_SINGLE_PASS_STD_DH_SHA_512_KDF_SCHEME => (Digest::Sha512, false),
        oids::DH_SINGLE_PASS_COFACTOR_DH_SHA_1_KDF_SCHEME => (Digest::Sha1, true),
        oids::DH_SINGLE_PASS_COFACTOR_DH_SHA_224_KDF_SCHEME => (Digest::Sha224, true),
        oids::DH_SINGLE_PASS_COFACTOR_DH_SHA_256_KDF_SCHEME => (Digest::Sha256, true),
        oids::DH_SINGLE_PASS_COFACTOR_DH_SHA_384_KDF_SCHEME => (Digest::Sha384, true),
        oids::DH_SINGLE_PASS_COFACTOR_DH_SHA_512_KDF_SCHEME => (Digest::Sha512, true),
        _ => return None,
    })
}

/// ECC-CMS-SharedInfo (RFC 5753 §7.2): keyInfo (the wrap algorithm, parameters absent),
/// entityUInfo [0] (the UKM, if any), suppPubInfo [2] (the KEK length in bits).
pub(super) fn shared_info(
    wrap: &Oid,
    null_params: bool,
    ukm: Option<&[u8]>,
    kek_bits: u32,
) -> Vec<u8> {
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

pub(super) fn kari(
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
    let des3 = wrap_oid == ciphers::DES3_WRAP;
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

#[cfg(test)]
mod tests {
    use super::*;
    use const_oid::db::rfc5753::MQV_SINGLE_PASS_SHA_1_KDF_SCHEME;
    use der::Decode;

    #[test]
    fn kdf_schemes_standard_and_cofactor() {
        use oids::*;
        let table = [
            (DH_SINGLE_PASS_STD_DH_SHA_1_KDF_SCHEME, Digest::Sha1, false),
            (
                DH_SINGLE_PASS_STD_DH_SHA_224_KDF_SCHEME,
                Digest::Sha224,
                false,
            ),
            (
                DH_SINGLE_PASS_STD_DH_SHA_256_KDF_SCHEME,
                Digest::Sha256,
                false,
            ),
            (
                DH_SINGLE_PASS_STD_DH_SHA_384_KDF_SCHEME,
                Digest::Sha384,
                false,
            ),
            (
                DH_SINGLE_PASS_STD_DH_SHA_512_KDF_SCHEME,
                Digest::Sha512,
                false,
            ),
            (
                DH_SINGLE_PASS_COFACTOR_DH_SHA_1_KDF_SCHEME,
                Digest::Sha1,
                true,
            ),
            (
                DH_SINGLE_PASS_COFACTOR_DH_SHA_224_KDF_SCHEME,
                Digest::Sha224,
                true,
            ),
            (
                DH_SINGLE_PASS_COFACTOR_DH_SHA_256_KDF_SCHEME,
                Digest::Sha256,
                true,
            ),
            (
                DH_SINGLE_PASS_COFACTOR_DH_SHA_384_KDF_SCHEME,
                Digest::Sha384,
                true,
            ),
            (
                DH_SINGLE_PASS_COFACTOR_DH_SHA_512_KDF_SCHEME,
                Digest::Sha512,
                true,
            ),
        ];
        for (oid, digest, cofactor) in table {
            assert_eq!(kari_kdf(&oid), Some((digest, cofactor)), "{oid}");
        }
        // MQV (RFC 5753 §7.1.4) and a bare wrap OID are not ECDH KDF schemes here.
        assert_eq!(kari_kdf(&MQV_SINGLE_PASS_SHA_1_KDF_SCHEME), None);
        assert_eq!(kari_kdf(&ID_AES_128_WRAP), None);
    }

    #[test]
    fn ecc_cms_shared_info_encoding() {
        // AES wrap: keyInfo parameters absent, no entityUInfo, suppPubInfo = 128 (RFC 5753 §7.2).
        let aes = shared_info(&oids::ID_AES_128_WRAP, false, None, 128);
        assert_eq!(
            hex::encode(aes),
            "3015300b0609608648016503040105a206040400000080"
        );
        // Triple-DES wrap: NULL parameters; UKM as entityUInfo [0]; 192 bits.
        let des3 = shared_info(&ciphers::DES3_WRAP, true, Some(&[0xaa, 0xbb]), 192);
        assert_eq!(
            hex::encode(des3),
            "301f300f060b2a864886f70d0109100306 0500 a0040402aabb a206040400 0000c0"
                .replace(' ', "")
        );
    }

    #[test]
    fn kari_opens_bouncycastle_p256_and_reports_the_scheme() {
        let der = asn1::normalise(include_bytes!(
            "../../../../tests/fixtures/encrypted/bc-kari-p256.der"
        ))
        .unwrap();
        let (_, seq) = crate::cms::signed_data::content_info(&der).unwrap();
        let env = super::super::parse(&der, &seq.unwrap(), false).unwrap();
        let Ok(cms::enveloped_data::RecipientInfo::Kari(ri)) =
            cms::enveloped_data::RecipientInfo::from_der(&env.recipients[0])
        else {
            panic!("the first recipient is not a kari");
        };
        let mut keyring = Keyring::new();
        let key = include_bytes!("../../../../tests/fixtures/pki/recip-p256.key");
        keyring
            .add_private_keys(key, None, "recip-p256.key")
            .unwrap();
        let cert = include_bytes!("../../../../tests/fixtures/pki/recip-p256.der");
        let cert = Cert::from_der(cert, "recip-p256.der").unwrap();
        let run = |oid: Oid| {
            let mut ri = ri.clone();
            ri.key_enc_alg.oid = oid;
            let mut out = RecipientReport {
                kind: "kari".into(),
                ..RecipientReport::default()
            };
            let cands = kari(&ri, &keyring, std::slice::from_ref(&cert), &mut out);
            let opened: Vec<(usize, String)> =
                cands.iter().map(|(k, s, _)| (k.len(), s.clone())).collect();
            (out.key_algorithm, out.details, opened)
        };
        let opened = vec![(32, "recip-p256.key".to_string())];
        let (alg, details, got) = run(oids::DH_SINGLE_PASS_STD_DH_SHA_256_KDF_SCHEME);
        assert_eq!(
            (alg.as_str(), details.as_str()),
            ("ecdh-p256", "KDF sha256 (X9.63), wrap aes-256")
        );
        assert_eq!(got, opened);
        // P-256 has cofactor 1, so cofactor ECDH gives the same shared secret.
        let (_, details, got) = run(oids::DH_SINGLE_PASS_COFACTOR_DH_SHA_256_KDF_SCHEME);
        assert_eq!(details, "cofactor ECDH, KDF sha256 (X9.63), wrap aes-256");
        assert_eq!(got, opened);
        // Another KDF hash derives another KEK: the AES key wrap integrity check refuses it.
        let (_, _, got) = run(oids::DH_SINGLE_PASS_STD_DH_SHA_384_KDF_SCHEME);
        assert_eq!(got, vec![]);
        let (alg, details, got) = run(MQV_SINGLE_PASS_SHA_1_KDF_SCHEME);
        assert_eq!(alg, "1.3.133.16.840.63.0.16");
        assert_eq!(details, "key agreement scheme not supported");
        assert_eq!(got, vec![]);
    }
}
