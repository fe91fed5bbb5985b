//! Object identifiers sealscope understands and their report names.
//!
//! Names are lower-case and hyphenated as DESIGN.md fixes them (`sha256`, `rsa-pkcs1v15`,
//! `rsa-pss`, `ecdsa-p256`, …); an unknown OID is shown in dotted form.

use der::asn1::ObjectIdentifier as Oid;

/// Content types (RFC 5652 §4–§9, RFC 3274, RFC 5083).
pub mod content {
    use super::Oid;
    /// id-data
    pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
    /// id-signedData
    pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
    /// id-envelopedData
    pub const ENVELOPED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.3");
    /// id-digestedData
    pub const DIGESTED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.5");
    /// id-encryptedData
    pub const ENCRYPTED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.6");
    /// id-ct-authData
    pub const AUTH_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.2");
    /// id-ct-compressedData
    pub const COMPRESSED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.9");
    /// id-ct-authEnvelopedData
    pub const AUTH_ENVELOPED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.23");
}

/// Signed attribute types (RFC 5652 §11).
pub mod attr {
    use super::Oid;
    /// id-contentType
    pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
    /// id-messageDigest
    pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
    /// id-signingTime
    pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
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
        Some(match oid.to_string().as_str() {
            "1.2.840.113549.2.5" => Digest::Md5,
            "1.3.14.3.2.26" => Digest::Sha1,
            "2.16.840.1.101.3.4.2.4" => Digest::Sha224,
            "2.16.840.1.101.3.4.2.1" => Digest::Sha256,
            "2.16.840.1.101.3.4.2.2" => Digest::Sha384,
            "2.16.840.1.101.3.4.2.3" => Digest::Sha512,
            _ => return None,
        })
    }

    /// Hashes `data`.
    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        self.hash_parts(&[data])
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
}

/// The digest named by a signature algorithm OID, if it names one.
pub fn signature_oid_digest(oid: &Oid) -> Option<Digest> {
    Some(match oid.to_string().as_str() {
        "1.2.840.113549.1.1.4" => Digest::Md5,
        "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" | "1.3.14.3.2.29" | "1.2.840.10040.4.3" => {
            Digest::Sha1
        }
        "1.2.840.113549.1.1.14" | "1.2.840.10045.4.3.1" | "2.16.840.1.101.3.4.3.1" => {
            Digest::Sha224
        }
        "1.2.840.113549.1.1.11" | "1.2.840.10045.4.3.2" | "2.16.840.1.101.3.4.3.2" => {
            Digest::Sha256
        }
        "1.2.840.113549.1.1.12" | "1.2.840.10045.4.3.3" => Digest::Sha384,
        "1.2.840.113549.1.1.13" | "1.2.840.10045.4.3.4" => Digest::Sha512,
        _ => return None,
    })
}

/// The scheme family of a signature algorithm OID (PSS parameters are read elsewhere).
pub fn signature_oid_family(oid: &Oid) -> Option<&'static str> {
    Some(match oid.to_string().as_str() {
        "1.2.840.113549.1.1.1"
        | "1.2.840.113549.1.1.4"
        | "1.2.840.113549.1.1.5"
        | "1.2.840.113549.1.1.11"
        | "1.2.840.113549.1.1.12"
        | "1.2.840.113549.1.1.13"
        | "1.2.840.113549.1.1.14"
        | "1.3.14.3.2.29" => "rsa-pkcs1v15",
        "1.2.840.113549.1.1.10" => "rsa-pss",
        "1.2.840.10045.2.1"
        | "1.2.840.10045.4.1"
        | "1.2.840.10045.4.3.1"
        | "1.2.840.10045.4.3.2"
        | "1.2.840.10045.4.3.3"
        | "1.2.840.10045.4.3.4" => "ecdsa",
        // id-dsa itself appears as a SignerInfo's signatureAlgorithm (RFC 3370 §3.1).
        "1.2.840.10040.4.1"
        | "1.2.840.10040.4.3"
        | "2.16.840.1.101.3.4.3.1"
        | "2.16.840.1.101.3.4.3.2" => "dsa",
        _ => return None,
    })
}

/// Public key algorithm OIDs.
pub mod key {
    use super::Oid;
    /// rsaEncryption
    pub const RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    /// id-RSASSA-PSS (as a key algorithm)
    pub const RSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    /// id-ecPublicKey
    pub const EC: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    /// secp256r1 / prime256v1
    pub const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    /// secp384r1
    pub const P384: Oid = Oid::new_unwrap("1.3.132.0.34");
    /// secp521r1
    pub const P521: Oid = Oid::new_unwrap("1.3.132.0.35");
    /// id-dsa (RFC 3279 §2.3.2)
    pub const DSA: Oid = Oid::new_unwrap("1.2.840.10040.4.1");
    /// id-mgf1
    pub const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
}

/// A readable name for any OID: the report name where sealscope knows one, else dotted form.
pub fn oid_name(oid: &Oid) -> String {
    if let Some(d) = Digest::from_oid(oid) {
        return d.name().to_string();
    }
    let s = oid.to_string();
    let name = match s.as_str() {
        "1.2.840.113549.1.1.1" => "rsa",
        "1.2.840.113549.1.1.4" => "md5-rsa-pkcs1v15",
        "1.2.840.113549.1.1.5" => "sha1-rsa-pkcs1v15",
        "1.2.840.10040.4.1" => "dsa",
        // Named so a report says what it is, though sealscope does not verify them yet.
        "1.3.101.112" => "ed25519",
        "1.3.101.113" => "ed448",
        "2.16.840.1.101.3.4.3.17" => "ml-dsa-44",
        "2.16.840.1.101.3.4.3.18" => "ml-dsa-65",
        "2.16.840.1.101.3.4.3.19" => "ml-dsa-87",
        "2.16.840.1.101.3.4.4.1" => "ml-kem-512",
        "2.16.840.1.101.3.4.4.2" => "ml-kem-768",
        "2.16.840.1.101.3.4.4.3" => "ml-kem-1024",
        "1.2.840.113549.2.2" => "md2",
        "1.2.840.113549.2.4" => "md4",
        "1.2.840.113549.1.1.3" => "md4-rsa-pkcs1v15",
        "1.2.840.113549.3.2" => "rc2-cbc",
        "1.2.840.113549.3.7" => "des-ede3-cbc",
        "1.3.14.3.2.7" => "des-cbc",
        "1.2.840.10040.4.3" => "dsa-sha1",
        "2.16.840.1.101.3.4.3.1" => "dsa-sha224",
        "2.16.840.1.101.3.4.3.2" => "dsa-sha256",
        "1.2.840.113549.1.1.11" => "sha256-rsa-pkcs1v15",
        "1.2.840.113549.1.1.12" => "sha384-rsa-pkcs1v15",
        "1.2.840.113549.1.1.13" => "sha512-rsa-pkcs1v15",
        "1.2.840.113549.1.1.14" => "sha224-rsa-pkcs1v15",
        "1.2.840.113549.1.1.10" => "rsa-pss",
        "1.2.840.10045.2.1" => "ec",
        "1.2.840.10045.4.1" => "ecdsa-sha1",
        "1.2.840.10045.4.3.1" => "ecdsa-sha224",
        "1.2.840.10045.4.3.2" => "ecdsa-sha256",
        "1.2.840.10045.4.3.3" => "ecdsa-sha384",
        "1.2.840.10045.4.3.4" => "ecdsa-sha512",
        "1.2.840.113549.1.7.1" => "data",
        "1.2.840.113549.1.7.2" => "signed-data",
        "1.2.840.113549.1.7.3" => "enveloped-data",
        "1.2.840.113549.1.7.5" => "digested-data",
        "1.2.840.113549.1.7.6" => "encrypted-data",
        "1.2.840.113549.1.9.16.1.9" => "compressed-data",
        "1.2.840.113549.1.9.16.1.23" => "auth-enveloped-data",
        "1.2.840.113549.1.9.16.1.2" => "authenticated-data",
        "1.2.840.113549.1.2.5" => "md5",
        "1.2.840.113549.2.5" => "md5",
        _ => return s,
    };
    name.to_string()
}
