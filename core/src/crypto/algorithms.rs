//! Object identifiers sealscope understands and their report names.
//!
//! Names are lower-case and hyphenated as DESIGN.md fixes them (`sha256`, `rsa-pkcs1v15`,
//! `rsa-pss`, `ecdsa-p256`, …); an unknown OID is shown in dotted form.

use crate::crypto::oids;
use der::asn1::ObjectIdentifier as Oid;

/// Content types (RFC 5652 §4–§9, RFC 3274, RFC 5083).
pub mod content {
    use super::{oids, Oid};
    /// id-data
    pub const DATA: Oid = oids::ID_DATA;
    /// id-signedData
    pub const SIGNED_DATA: Oid = oids::ID_SIGNED_DATA;
    /// id-envelopedData
    pub const ENVELOPED_DATA: Oid = oids::ID_ENVELOPED_DATA;
    /// id-digestedData
    pub const DIGESTED_DATA: Oid = oids::ID_DIGESTED_DATA;
    /// id-encryptedData
    pub const ENCRYPTED_DATA: Oid = oids::ID_ENCRYPTED_DATA;
    /// id-ct-authData
    pub const AUTH_DATA: Oid = oids::ID_CT_AUTH_DATA;
    /// id-ct-compressedData
    pub const COMPRESSED_DATA: Oid = oids::ID_CT_COMPRESSED_DATA;
    /// id-ct-authEnvelopedData
    pub const AUTH_ENVELOPED_DATA: Oid = oids::ID_CT_AUTH_ENVELOPED_DATA;
}

/// Signed attribute types (RFC 5652 §11).
pub mod attr {
    use super::{oids, Oid};
    /// id-contentType
    pub const CONTENT_TYPE: Oid = oids::ID_CONTENT_TYPE;
    /// id-messageDigest
    pub const MESSAGE_DIGEST: Oid = oids::ID_MESSAGE_DIGEST;
    /// id-signingTime
    pub const SIGNING_TIME: Oid = oids::ID_SIGNING_TIME;
}

/// Digest algorithms sealscope computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Digest {
    /// MD5 (verifies for inspection only: broken, gets an error-free warning naming it)
    Md5,
    /// SHA-1 (verifies, but weak: gets a warning)
    Sha1,
    /// SHA-224
    Sha224,
    /// SHA-256
    Sha256,
    /// SHA-384
    Sha384,
    /// SHA-512
    Sha512,
}

impl Digest {
    /// The RSA PKCS #1 v1.5 signature scheme over this digest (its DigestInfo prefix).
    pub(crate) fn pkcs1v15(self) -> rsa::Pkcs1v15Sign {
        use rsa::Pkcs1v15Sign;
        match self {
            Digest::Md5 => Pkcs1v15Sign::new::<md5::Md5>(),
            Digest::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
            Digest::Sha224 => Pkcs1v15Sign::new::<sha2::Sha224>(),
            Digest::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
            Digest::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
            Digest::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
        }
    }

    /// Report name.
    pub fn name(self) -> &'static str {
        match self {
            Digest::Md5 => "md5",
            Digest::Sha1 => "sha1",
            Digest::Sha224 => "sha224",
            Digest::Sha256 => "sha256",
            Digest::Sha384 => "sha384",
            Digest::Sha512 => "sha512",
        }
    }

    /// The S/MIME `micalg` value for this digest (RFC 8551 §3.5.3.2).
    pub fn micalg(self) -> &'static str {
        match self {
            Digest::Md5 => "md5",
            Digest::Sha1 => "sha-1",
            Digest::Sha224 => "sha-224",
            Digest::Sha256 => "sha-256",
            Digest::Sha384 => "sha-384",
            Digest::Sha512 => "sha-512",
        }
    }

    /// Parses a `micalg` value (case-insensitive).
    pub fn from_micalg(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "md5" | "rsa-md5" => Some(Digest::Md5),
            "sha-1" | "sha1" | "rsa-sha1" => Some(Digest::Sha1),
            "sha-224" | "sha224" => Some(Digest::Sha224),
            "sha-256" | "sha256" => Some(Digest::Sha256),
            "sha-384" | "sha384" => Some(Digest::Sha384),
            "sha-512" | "sha512" => Some(Digest::Sha512),
            _ => None,
        }
    }

    /// The digest algorithm OID (RFC 5754 §2).
    pub fn from_oid(oid: &Oid) -> Option<Self> {
        Some(match *oid {
            oids::ID_MD_5 => Digest::Md5,
            oids::ID_SHA_1 => Digest::Sha1,
            oids::ID_SHA_224 => Digest::Sha224,
            oids::ID_SHA_256 => Digest::Sha256,
            oids::ID_SHA_384 => Digest::Sha384,
            oids::ID_SHA_512 => Digest::Sha512,
            _ => return None,
        })
    }

    /// HMAC (RFC 2104) of `data` under `key` with this digest.
    pub fn hmac(self, key: &[u8], data: &[u8]) -> Vec<u8> {
        use hmac::{KeyInit, Mac};
        macro_rules! go {
            ($h:ty) => {
                match <hmac::Hmac<$h> as KeyInit>::new_from_slice(key) {
                    Ok(mut m) => {
                        m.update(data);
                        m.finalize().into_bytes().to_vec()
                    }
                    // HMAC takes keys of any length; this arm is never reached.
                    Err(_) => Vec::new(),
                }
            };
        }
        match self {
            Digest::Md5 => go!(md5::Md5),
            Digest::Sha1 => go!(sha1::Sha1),
            Digest::Sha224 => go!(sha2::Sha224),
            Digest::Sha256 => go!(sha2::Sha256),
            Digest::Sha384 => go!(sha2::Sha384),
            Digest::Sha512 => go!(sha2::Sha512),
        }
    }

    /// The digest of an HMAC algorithm identifier: hmacWithSHA1…SHA512 (RFC 8018 §B.1,
    /// RFC 4231 §3.1) and hMAC-SHA1 (RFC 3370 §4.1).
    pub fn from_hmac_oid(oid: &Oid) -> Option<Digest> {
        Some(match *oid {
            oids::ID_HMAC_WITH_SHA_1 | oids::HMAC_SHA_1 => Digest::Sha1,
            oids::ID_HMAC_WITH_SHA_224 => Digest::Sha224,
            oids::ID_HMAC_WITH_SHA_256 => Digest::Sha256,
            oids::ID_HMAC_WITH_SHA_384 => Digest::Sha384,
            oids::ID_HMAC_WITH_SHA_512 => Digest::Sha512,
            _ => return None,
        })
    }

    /// Hashes `data`.
    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        self.hash_parts(&[data])
    }

    /// An incremental hasher of this digest, for content hashed piece by piece as it is read.
    pub fn hasher(self) -> Box<dyn sha2::digest::DynDigest + Send> {
        match self {
            Digest::Md5 => Box::new(md5::Md5::default()),
            Digest::Sha1 => Box::new(sha1::Sha1::default()),
            Digest::Sha224 => Box::new(sha2::Sha224::default()),
            Digest::Sha256 => Box::new(sha2::Sha256::default()),
            Digest::Sha384 => Box::new(sha2::Sha384::default()),
            Digest::Sha512 => Box::new(sha2::Sha512::default()),
        }
    }

    /// Hashes the concatenation of `parts` without copying them together.
    pub fn hash_parts(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut h = D::new();
            for p in parts {
                h.update(p);
            }
            h.finalize().to_vec()
        }
        match self {
            Digest::Md5 => run::<md5::Md5>(parts),
            Digest::Sha1 => run::<sha1::Sha1>(parts),
            Digest::Sha224 => run::<sha2::Sha224>(parts),
            Digest::Sha256 => run::<sha2::Sha256>(parts),
            Digest::Sha384 => run::<sha2::Sha384>(parts),
            Digest::Sha512 => run::<sha2::Sha512>(parts),
        }
    }
}

/// Signature schemes sealscope verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureScheme {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2); the digest is named alongside.
    RsaPkcs1v15,
    /// RSASSA-PSS (RFC 4055 §3.1) with its hash and salt length.
    RsaPss {
        /// Hash and MGF1 hash.
        hash: Digest,
        /// Salt length in bytes.
        salt_len: usize,
    },
    /// ECDSA (RFC 5753, RFC 5758); the curve comes from the key.
    Ecdsa,
    /// DSA (FIPS 186, RFC 3370 §3.1, RFC 5754 §3.1).
    Dsa,
    /// Ed25519 (RFC 8032, RFC 8410 for certificates, RFC 8419 for CMS): signs the message
    /// itself, so it is never given a digest to verify.
    Ed25519,
}

/// The digest named by a signature algorithm OID, if it names one.
pub fn signature_oid_digest(oid: &Oid) -> Option<Digest> {
    Some(match *oid {
        oids::MD_5_WITH_RSA_ENCRYPTION => Digest::Md5,
        oids::SHA_1_WITH_RSA_ENCRYPTION
        | oids::ECDSA_WITH_SHA_1
        | oids::SHA_1_WITH_RSA_SIGNATURE
        | oids::DSA_WITH_SHA_1 => Digest::Sha1,
        oids::SHA_224_WITH_RSA_ENCRYPTION | oids::ECDSA_WITH_SHA_224 | oids::DSA_WITH_SHA_224 => {
            Digest::Sha224
        }
        oids::SHA_256_WITH_RSA_ENCRYPTION | oids::ECDSA_WITH_SHA_256 | oids::DSA_WITH_SHA_256 => {
            Digest::Sha256
        }
        oids::SHA_384_WITH_RSA_ENCRYPTION | oids::ECDSA_WITH_SHA_384 => Digest::Sha384,
        oids::SHA_512_WITH_RSA_ENCRYPTION | oids::ECDSA_WITH_SHA_512 => Digest::Sha512,
        _ => return None,
    })
}

/// The scheme family of a signature algorithm OID (PSS parameters are read elsewhere).
pub fn signature_oid_family(oid: &Oid) -> Option<&'static str> {
    Some(match *oid {
        oids::RSA_ENCRYPTION
        | oids::MD_5_WITH_RSA_ENCRYPTION
        | oids::SHA_1_WITH_RSA_ENCRYPTION
        | oids::SHA_256_WITH_RSA_ENCRYPTION
        | oids::SHA_384_WITH_RSA_ENCRYPTION
        | oids::SHA_512_WITH_RSA_ENCRYPTION
        | oids::SHA_224_WITH_RSA_ENCRYPTION
        | oids::SHA_1_WITH_RSA_SIGNATURE => "rsa-pkcs1v15",
        oids::ID_RSASSA_PSS => "rsa-pss",
        oids::ID_EC_PUBLIC_KEY
        | oids::ECDSA_WITH_SHA_1
        | oids::ECDSA_WITH_SHA_224
        | oids::ECDSA_WITH_SHA_256
        | oids::ECDSA_WITH_SHA_384
        | oids::ECDSA_WITH_SHA_512 => "ecdsa",
        // id-dsa itself appears as a SignerInfo's signatureAlgorithm (RFC 3370 §3.1).
        oids::ID_DSA | oids::DSA_WITH_SHA_1 | oids::DSA_WITH_SHA_224 | oids::DSA_WITH_SHA_256 => {
            "dsa"
        }
        oids::ID_ED_25519 => "ed25519",
        _ => return None,
    })
}

/// Public key algorithm OIDs.
pub mod key {
    use super::{oids, Oid};
    /// rsaEncryption
    pub const RSA: Oid = oids::RSA_ENCRYPTION;
    /// id-RSASSA-PSS (as a key algorithm)
    pub const RSA_PSS: Oid = oids::ID_RSASSA_PSS;
    /// id-ecPublicKey
    pub const EC: Oid = oids::ID_EC_PUBLIC_KEY;
    /// secp256r1 / prime256v1
    pub const P256: Oid = oids::SECP_256_R_1;
    /// secp384r1
    pub const P384: Oid = oids::SECP_384_R_1;
    /// secp521r1
    pub const P521: Oid = oids::SECP_521_R_1;
    /// brainpoolP256r1 (RFC 5639 §4.1)
    pub const BRAINPOOL_P256R1: Oid = Oid::new_unwrap("1.3.36.3.3.2.8.1.1.7");
    /// id-dsa (RFC 3279 §2.3.2)
    pub const DSA: Oid = oids::ID_DSA;
    /// id-Ed25519 (RFC 8410 §3)
    pub const ED25519: Oid = oids::ID_ED_25519;
    /// id-mgf1
    pub const MGF1: Oid = oids::ID_MGF_1;
}

/// A readable name for any OID: the report name where sealscope knows one, else dotted form.
pub fn oid_name(oid: &Oid) -> String {
    if let Some(d) = Digest::from_oid(oid) {
        return d.name().to_string();
    }
    let name = match *oid {
        oids::RSA_ENCRYPTION => "rsa",
        oids::MD_5_WITH_RSA_ENCRYPTION => "md5-rsa-pkcs1v15",
        oids::SHA_1_WITH_RSA_ENCRYPTION => "sha1-rsa-pkcs1v15",
        oids::ID_DSA => "dsa",
        // Named so a report says what it is, though sealscope does not verify them yet.
        oids::ID_ED_25519 => "ed25519",
        oids::ID_ED_448 => "ed448",
        oids::ID_ML_DSA_44 => "ml-dsa-44",
        oids::ID_ML_DSA_65 => "ml-dsa-65",
        oids::ID_ML_DSA_87 => "ml-dsa-87",
        oids::ID_SLH_DSA_SHA_2_128_S => "slh-dsa-sha2-128s",
        oids::ID_SLH_DSA_SHA_2_128_F => "slh-dsa-sha2-128f",
        oids::ID_SLH_DSA_SHA_2_192_S => "slh-dsa-sha2-192s",
        oids::ID_SLH_DSA_SHA_2_192_F => "slh-dsa-sha2-192f",
        oids::ID_SLH_DSA_SHA_2_256_S => "slh-dsa-sha2-256s",
        oids::ID_SLH_DSA_SHA_2_256_F => "slh-dsa-sha2-256f",
        oids::ID_SLH_DSA_SHAKE_128_S => "slh-dsa-shake-128s",
        oids::ID_SLH_DSA_SHAKE_128_F => "slh-dsa-shake-128f",
        oids::ID_SLH_DSA_SHAKE_192_S => "slh-dsa-shake-192s",
        oids::ID_SLH_DSA_SHAKE_192_F => "slh-dsa-shake-192f",
        oids::ID_SLH_DSA_SHAKE_256_S => "slh-dsa-shake-256s",
        oids::ID_SLH_DSA_SHAKE_256_F => "slh-dsa-shake-256f",
        oids::ID_SHAKE_128 => "shake128",
        oids::ID_SHAKE_256 => "shake256",
        oids::ID_SHA_3_224 => "sha3-224",
        oids::ID_SHA_3_256 => "sha3-256",
        oids::ID_SHA_3_384 => "sha3-384",
        oids::ID_SHA_3_512 => "sha3-512",
        oids::ID_HMAC_WITH_SHA_1 | oids::HMAC_SHA_1 => "hmac-sha1",
        oids::ID_HMAC_WITH_SHA_224 => "hmac-sha224",
        oids::ID_HMAC_WITH_SHA_256 => "hmac-sha256",
        oids::ID_HMAC_WITH_SHA_384 => "hmac-sha384",
        oids::ID_HMAC_WITH_SHA_512 => "hmac-sha512",
        oids::AES_128_GMAC => "aes-128-gmac",
        oids::AES_192_GMAC => "aes-192-gmac",
        oids::AES_256_GMAC => "aes-256-gmac",
        oids::ID_KMAC_WITH_SHAKE_128 => "kmac-shake128",
        oids::ID_KMAC_WITH_SHAKE_256 => "kmac-shake256",
        oids::ID_KMAC_128 => "kmac128",
        oids::ID_KMAC_256 => "kmac256",
        oids::ID_ALG_MD5_XOR_EXPERIMENT => "md5-xor-experiment",
        oids::CMS_ALGORITHM_PROTECTION => "cms-algorithm-protection",
        oids::ID_RSA_KEM => "rsa-kem",
        oids::ID_ORI_KEY_TRANS_PSK => "ori-key-trans-psk",
        oids::ID_ORI_KEY_AGREE_PSK => "ori-key-agree-psk",
        oids::ID_ORI_KEM => "ori-kem",
        oids::ID_ALG_ML_KEM_512 => "ml-kem-512",
        oids::ID_ALG_ML_KEM_768 => "ml-kem-768",
        oids::ID_ALG_ML_KEM_1024 => "ml-kem-1024",
        oids::ID_MD_2 => "md2",
        oids::ID_MD_4 => "md4",
        oids::MD_4_WITH_RSA_ENCRYPTION => "md4-rsa-pkcs1v15",
        oids::RC_2_CBC => "rc2-cbc",
        oids::DES_EDE_3_CBC => "des-ede3-cbc",
        oids::DES_CBC => "des-cbc",
        oids::DSA_WITH_SHA_1 => "dsa-sha1",
        oids::DSA_WITH_SHA_224 => "dsa-sha224",
        oids::DSA_WITH_SHA_256 => "dsa-sha256",
        oids::SHA_256_WITH_RSA_ENCRYPTION => "sha256-rsa-pkcs1v15",
        oids::SHA_384_WITH_RSA_ENCRYPTION => "sha384-rsa-pkcs1v15",
        oids::SHA_512_WITH_RSA_ENCRYPTION => "sha512-rsa-pkcs1v15",
        oids::SHA_224_WITH_RSA_ENCRYPTION => "sha224-rsa-pkcs1v15",
        oids::ID_RSASSA_PSS => "rsa-pss",
        oids::ID_EC_PUBLIC_KEY => "ec",
        oids::ECDSA_WITH_SHA_1 => "ecdsa-sha1",
        oids::ECDSA_WITH_SHA_224 => "ecdsa-sha224",
        oids::ECDSA_WITH_SHA_256 => "ecdsa-sha256",
        oids::ECDSA_WITH_SHA_384 => "ecdsa-sha384",
        oids::ECDSA_WITH_SHA_512 => "ecdsa-sha512",
        oids::ID_DATA => "data",
        oids::ID_SIGNED_DATA => "signed-data",
        oids::ID_ENVELOPED_DATA => "enveloped-data",
        oids::ID_DIGESTED_DATA => "digested-data",
        oids::ID_ENCRYPTED_DATA => "encrypted-data",
        oids::ID_CT_COMPRESSED_DATA => "compressed-data",
        oids::ID_CT_AUTH_ENVELOPED_DATA => "auth-enveloped-data",
        oids::ID_CT_AUTH_DATA => "authenticated-data",
        oids::ID_MD_5 => "md5",
        _ => return oid.to_string(),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [(Digest, Oid, &str, &str, usize); 6] = [
        (Digest::Md5, oids::ID_MD_5, "md5", "md5", 16),
        (Digest::Sha1, oids::ID_SHA_1, "sha1", "sha-1", 20),
        (Digest::Sha224, oids::ID_SHA_224, "sha224", "sha-224", 28),
        (Digest::Sha256, oids::ID_SHA_256, "sha256", "sha-256", 32),
        (Digest::Sha384, oids::ID_SHA_384, "sha384", "sha-384", 48),
        (Digest::Sha512, oids::ID_SHA_512, "sha512", "sha-512", 64),
    ];

    #[test]
    fn digest_oids_names_micalg_and_lengths() {
        for (d, oid, name, micalg, len) in ALL {
            assert_eq!(Digest::from_oid(&oid), Some(d), "{name}");
            assert_eq!((d.name(), d.micalg()), (name, micalg));
            assert_eq!(oid_name(&oid), name);
            assert_eq!(Digest::from_micalg(micalg), Some(d));
            assert_eq!(d.hash(b"").len(), len);
        }
        // A signature OID is not a digest OID (RFC 5754 §2 vs §3).
        assert_eq!(Digest::from_oid(&oids::SHA_256_WITH_RSA_ENCRYPTION), None);
        assert_eq!(
            hex::encode(Digest::Sha256.hash_parts(&[b"a", b"", b"bc"])),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex::encode(Digest::Md5.hash(b"")),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
    }

    #[test]
    fn micalg_legacy_spellings_case_and_unknowns() {
        // RFC 8551 §3.5.3.2 names are case-insensitive; RFC 2311/3851-era agents wrote
        // `sha1`, `md5` and `rsa-sha1`.
        for (value, d) in [
            ("SHA-256", Digest::Sha256),
            (" sha-384 ", Digest::Sha384),
            ("sha1", Digest::Sha1),
            ("rsa-sha1", Digest::Sha1),
            ("md5", Digest::Md5),
            ("RSA-MD5", Digest::Md5),
            ("sha512", Digest::Sha512),
        ] {
            assert_eq!(Digest::from_micalg(value), Some(d), "{value}");
        }
        for value in ["", "sha-3", "sha3-256", "sha-1,sha-256", "unknown"] {
            assert_eq!(Digest::from_micalg(value), None, "{value}");
        }
    }

    #[test]
    fn signature_oids_digest_and_family() {
        use oids::*;
        for (oid, digest, family) in [
            (
                SHA_256_WITH_RSA_ENCRYPTION,
                Some(Digest::Sha256),
                Some("rsa-pkcs1v15"),
            ),
            (
                SHA_1_WITH_RSA_SIGNATURE,
                Some(Digest::Sha1),
                Some("rsa-pkcs1v15"),
            ),
            (
                MD_5_WITH_RSA_ENCRYPTION,
                Some(Digest::Md5),
                Some("rsa-pkcs1v15"),
            ),
            // RFC 3370 §3.2: rsaEncryption as signatureAlgorithm; the digest is separate.
            (RSA_ENCRYPTION, None, Some("rsa-pkcs1v15")),
            // RFC 4055 §3.1: the PSS hash is in the parameters.
            (ID_RSASSA_PSS, None, Some("rsa-pss")),
            (ECDSA_WITH_SHA_384, Some(Digest::Sha384), Some("ecdsa")),
            (ID_EC_PUBLIC_KEY, None, Some("ecdsa")),
            (DSA_WITH_SHA_224, Some(Digest::Sha224), Some("dsa")),
            (ID_DSA, None, Some("dsa")),
            (ID_ED_25519, None, Some("ed25519")),
            (ID_ED_448, None, None),
            (ID_RSAES_OAEP, None, None),
        ] {
            assert_eq!(signature_oid_digest(&oid), digest, "{oid}");
            assert_eq!(signature_oid_family(&oid), family, "{oid}");
        }
    }

    #[test]
    fn oid_names_and_dotted_fallback() {
        assert_eq!(oid_name(&oids::ECDSA_WITH_SHA_256), "ecdsa-sha256");
        assert_eq!(oid_name(&oids::ID_RSASSA_PSS), "rsa-pss");
        assert_eq!(oid_name(&oids::ID_CT_COMPRESSED_DATA), "compressed-data");
        assert_eq!(
            oid_name(&oids::ID_CT_AUTH_ENVELOPED_DATA),
            "auth-enveloped-data"
        );
        assert_eq!(oid_name(&oids::ID_ML_DSA_65), "ml-dsa-65");
        assert_eq!(
            oid_name(&oids::ID_SLH_DSA_SHAKE_256_F),
            "slh-dsa-shake-256f"
        );
        assert_eq!(oid_name(&oids::HMAC_SHA_1), "hmac-sha1");
        assert_eq!(oid_name(&oids::ID_ORI_KEM), "ori-kem");
        assert_eq!(oid_name(&oids::ID_AES_128_CBC), "2.16.840.1.101.3.4.1.2");
    }
}
