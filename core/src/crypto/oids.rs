//! Every object identifier sealscope reads or writes, by name: the `const_oid` database's
//! names where it has the OID (re-exported from the RFC module that defines it), and
//! sealscope's own constants, with the document that assigns them, for the rest. Code
//! elsewhere names OIDs from here instead of writing dotted strings.

use der::asn1::ObjectIdentifier as Oid;

pub use const_oid::db::fips202::{
    ID_SHAKE_128, ID_SHAKE_256, ID_SHA_3_224, ID_SHA_3_256, ID_SHA_3_384, ID_SHA_3_512,
};
pub use const_oid::db::fips203::{ID_ALG_ML_KEM_1024, ID_ALG_ML_KEM_512, ID_ALG_ML_KEM_768};
pub use const_oid::db::fips204::{ID_ML_DSA_44, ID_ML_DSA_65, ID_ML_DSA_87};
pub use const_oid::db::fips205::{
    ID_SLH_DSA_SHAKE_128_F, ID_SLH_DSA_SHAKE_128_S, ID_SLH_DSA_SHAKE_192_F, ID_SLH_DSA_SHAKE_192_S,
    ID_SLH_DSA_SHAKE_256_F, ID_SLH_DSA_SHAKE_256_S, ID_SLH_DSA_SHA_2_128_F, ID_SLH_DSA_SHA_2_128_S,
    ID_SLH_DSA_SHA_2_192_F, ID_SLH_DSA_SHA_2_192_S, ID_SLH_DSA_SHA_2_256_F, ID_SLH_DSA_SHA_2_256_S,
};
pub use const_oid::db::rfc2985::{PKCS_9_AT_EMAIL_ADDRESS, PKCS_9_AT_FRIENDLY_NAME};
pub use const_oid::db::rfc3280::PSEUDONYM;
pub use const_oid::db::rfc4519::{
    BUSINESS_CATEGORY, C, CN, DC, DN_QUALIFIER, GENERATION_QUALIFIER, GN, INITIALS, L, O, OU,
    POSTAL_CODE, SERIAL_NUMBER, SN, ST, STREET, TITLE, UID,
};
pub use const_oid::db::rfc5280::ANY_POLICY;
pub use const_oid::db::rfc5753::{
    DH_SINGLE_PASS_COFACTOR_DH_SHA_1_KDF_SCHEME, DH_SINGLE_PASS_COFACTOR_DH_SHA_224_KDF_SCHEME,
    DH_SINGLE_PASS_COFACTOR_DH_SHA_256_KDF_SCHEME, DH_SINGLE_PASS_COFACTOR_DH_SHA_384_KDF_SCHEME,
    DH_SINGLE_PASS_COFACTOR_DH_SHA_512_KDF_SCHEME, DH_SINGLE_PASS_STD_DH_SHA_1_KDF_SCHEME,
    DH_SINGLE_PASS_STD_DH_SHA_224_KDF_SCHEME, DH_SINGLE_PASS_STD_DH_SHA_256_KDF_SCHEME,
    DH_SINGLE_PASS_STD_DH_SHA_384_KDF_SCHEME, DH_SINGLE_PASS_STD_DH_SHA_512_KDF_SCHEME,
};
pub use const_oid::db::rfc5911::HMAC_SHA_1;
pub use const_oid::db::rfc5911::{
    DES_EDE_3_CBC, ID_AES_128_CBC, ID_AES_128_GCM, ID_AES_128_WRAP, ID_AES_192_CBC, ID_AES_192_GCM,
    ID_AES_192_WRAP, ID_AES_256_CBC, ID_AES_256_GCM, ID_AES_256_WRAP, ID_ALG_CMS_3_DE_SWRAP,
    ID_CONTENT_TYPE, ID_COUNTERSIGNATURE, ID_CT_AUTH_DATA, ID_CT_AUTH_ENVELOPED_DATA, ID_DATA,
    ID_DIGESTED_DATA, ID_ENCRYPTED_DATA, ID_ENVELOPED_DATA, ID_MESSAGE_DIGEST, ID_PBKDF_2,
    ID_SIGNED_DATA, ID_SIGNING_TIME, RC_2_CBC,
};
pub use const_oid::db::rfc5912::{
    ANY_EXTENDED_KEY_USAGE, DSA_WITH_SHA_1, DSA_WITH_SHA_224, DSA_WITH_SHA_256, ECDSA_WITH_SHA_224,
    ECDSA_WITH_SHA_256, ECDSA_WITH_SHA_384, ECDSA_WITH_SHA_512, ID_CE_AUTHORITY_KEY_IDENTIFIER,
    ID_CE_BASIC_CONSTRAINTS, ID_CE_CERTIFICATE_ISSUER, ID_CE_CERTIFICATE_POLICIES,
    ID_CE_CRL_DISTRIBUTION_POINTS, ID_CE_CRL_NUMBER, ID_CE_CRL_REASONS, ID_CE_DELTA_CRL_INDICATOR,
    ID_CE_EXT_KEY_USAGE, ID_CE_FRESHEST_CRL, ID_CE_INHIBIT_ANY_POLICY, ID_CE_INVALIDITY_DATE,
    ID_CE_ISSUER_ALT_NAME, ID_CE_ISSUING_DISTRIBUTION_POINT, ID_CE_KEY_USAGE,
    ID_CE_NAME_CONSTRAINTS, ID_CE_POLICY_CONSTRAINTS, ID_CE_POLICY_MAPPINGS,
    ID_CE_SUBJECT_ALT_NAME, ID_CE_SUBJECT_DIRECTORY_ATTRIBUTES, ID_CE_SUBJECT_KEY_IDENTIFIER,
    ID_DSA, ID_EC_PUBLIC_KEY, ID_KP_CLIENT_AUTH, ID_KP_CODE_SIGNING, ID_KP_EMAIL_PROTECTION,
    ID_KP_OCSP_SIGNING, ID_KP_SERVER_AUTH, ID_KP_TIME_STAMPING, ID_MD_2, ID_MD_5, ID_MGF_1,
    ID_PE_AUTHORITY_INFO_ACCESS, ID_PE_SUBJECT_INFO_ACCESS, ID_RSAES_OAEP, ID_RSASSA_PSS, ID_SHA_1,
    ID_SHA_224, ID_SHA_256, ID_SHA_384, ID_SHA_512, MD_5_WITH_RSA_ENCRYPTION, RSA_ENCRYPTION,
    SECP_256_R_1, SECP_384_R_1, SECP_521_R_1, SHA_1_WITH_RSA_ENCRYPTION,
    SHA_224_WITH_RSA_ENCRYPTION, SHA_256_WITH_RSA_ENCRYPTION, SHA_384_WITH_RSA_ENCRYPTION,
    SHA_512_WITH_RSA_ENCRYPTION,
};
pub use const_oid::db::rfc6268::{
    ID_ALG_ZLIB_COMPRESS, ID_CT_COMPRESSED_DATA, ID_HMAC_WITH_SHA_224, ID_HMAC_WITH_SHA_256,
    ID_HMAC_WITH_SHA_384, ID_HMAC_WITH_SHA_512,
};
pub use const_oid::db::rfc7292::{
    PBEWITH_SHA_AND_40_BIT_RC_2_CBC, PBE_WITH_SHA_AND_128_BIT_RC_2_CBC,
    PBE_WITH_SHA_AND_128_BIT_RC_4, PBE_WITH_SHA_AND_2_KEY_TRIPLE_DES_CBC,
    PBE_WITH_SHA_AND_3_KEY_TRIPLE_DES_CBC, PBE_WITH_SHA_AND_40_BIT_RC_4,
};
pub use const_oid::db::rfc8410::{ID_ED_25519, ID_ED_448};
pub use const_oid::db::rfc9688::{ID_KMAC_128, ID_KMAC_256};

/// aes128-GMAC (RFC 9044 §2).
pub const AES_128_GMAC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.9");
/// aes192-GMAC (RFC 9044 §2).
pub const AES_192_GMAC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.29");
/// aes256-GMAC (RFC 9044 §2).
pub const AES_256_GMAC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.49");
/// id-aa-CMSAlgorithmProtection (RFC 6211 §2).
pub const CMS_ALGORITHM_PROTECTION: Oid = Oid::new_unwrap("1.2.840.113549.1.9.52");
/// id-alg-MD5-XOR-EXPERIMENT (RFC 6210 §2).
pub const ID_ALG_MD5_XOR_EXPERIMENT: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.3.13");
/// id-rsa-kem (RFC 9690 §3).
pub const ID_RSA_KEM: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.3.14");
/// id-KMACWithSHAKE128 (RFC 8702 §3.4).
pub const ID_KMAC_WITH_SHAKE_128: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.19");
/// id-KMACWithSHAKE256 (RFC 8702 §3.4).
pub const ID_KMAC_WITH_SHAKE_256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.20");
/// id-ori-keyTransPSK (RFC 8696 §3).
pub const ID_ORI_KEY_TRANS_PSK: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.13.1");
/// id-ori-keyAgreePSK (RFC 8696 §4).
pub const ID_ORI_KEY_AGREE_PSK: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.13.2");
/// id-ori-kem, KEMRecipientInfo (RFC 9629 §3).
pub const ID_ORI_KEM: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.13.3");
/// Camellia-128-CBC (RFC 3657).
pub const CAMELLIA_128_CBC: Oid = Oid::new_unwrap("1.2.392.200011.61.1.1.1.2");
/// Camellia-192-CBC (RFC 3657).
pub const CAMELLIA_192_CBC: Oid = Oid::new_unwrap("1.2.392.200011.61.1.1.1.3");
/// Camellia-256-CBC (RFC 3657).
pub const CAMELLIA_256_CBC: Oid = Oid::new_unwrap("1.2.392.200011.61.1.1.1.4");
/// PKCS #12 certBag (RFC 7292 §4.2.3).
pub const CERT_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.3");
/// PKCS #12 crlBag (RFC 7292 §4.2.4).
pub const CRL_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.4");
/// desCBC (OIW).
pub const DES_CBC: Oid = Oid::new_unwrap("1.3.14.3.2.7");
/// ecdsa-with-SHA1 (RFC 3279 §2.2.3).
pub const ECDSA_WITH_SHA_1: Oid = Oid::new_unwrap("1.2.840.10045.4.1");
/// id-alg-PWRI-KEK (RFC 3211 §2.3).
pub const ID_ALG_PWRI_KEK: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.3.9");
/// id-hmacWithSHA1 (RFC 8018 §B.1.1).
pub const ID_HMAC_WITH_SHA_1: Oid = Oid::new_unwrap("1.2.840.113549.2.7");
/// MD4 (RFC 1320).
pub const ID_MD_4: Oid = Oid::new_unwrap("1.2.840.113549.2.4");
/// id-PBES2 (RFC 8018 §A.4).
pub const ID_PBES_2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.13");
/// id-scrypt (RFC 7914 §7).
pub const ID_SCRYPT: Oid = Oid::new_unwrap("1.3.6.1.4.1.11591.4.11");
/// PKCS #12 keyBag (RFC 7292 §4.2.1).
pub const KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.1");
/// md4WithRSAEncryption (RFC 3279 §2.2.1).
pub const MD_4_WITH_RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.3");
/// organizationIdentifier (X.520).
pub const ORGANIZATION_IDENTIFIER: Oid = Oid::new_unwrap("2.5.4.97");
/// pbeWithMD5AndDES-CBC (RFC 8018 §A.3).
pub const PBE_WITH_MD_5_AND_DES_CBC: Oid = Oid::new_unwrap("1.2.840.113549.1.5.3");
/// pbeWithMD5AndRC2-CBC (RFC 8018 §A.3).
pub const PBE_WITH_MD_5_AND_RC_2_CBC: Oid = Oid::new_unwrap("1.2.840.113549.1.5.6");
/// pbeWithSHA1AndDES-CBC (RFC 8018 §A.3).
pub const PBE_WITH_SHA_1_AND_DES_CBC: Oid = Oid::new_unwrap("1.2.840.113549.1.5.10");
/// pbeWithSHA1AndRC2-CBC (RFC 8018 §A.3).
pub const PBE_WITH_SHA_1_AND_RC_2_CBC: Oid = Oid::new_unwrap("1.2.840.113549.1.5.11");
/// PKCS #12 pkcs8ShroudedKeyBag (RFC 7292 §4.2.2).
pub const PKCS_8_SHROUDED_KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.2");
/// PKCS #12 safeContentsBag (RFC 7292 §4.2.6).
pub const SAFE_CONTENTS_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.6");
/// PKCS #12 secretBag (RFC 7292 §4.2.5).
pub const SECRET_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.5");
/// SEED-CBC (RFC 4010).
pub const SEED_CBC: Oid = Oid::new_unwrap("1.2.410.200004.1.4");
/// sha1WithRSASignature (OIW).
pub const SHA_1_WITH_RSA_SIGNATURE: Oid = Oid::new_unwrap("1.3.14.3.2.29");
/// SM4 in CBC mode (GM/T 0006).
pub const SM4_CBC: Oid = Oid::new_unwrap("1.2.156.10197.1.104.2");
/// PKCS #9 x509Certificate certificate type (RFC 7292 §4.2.3).
pub const X_509_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.22.1");
/// The empty OID `0.0`, standing for an identifier that was missing or unreadable.
pub const NULL_OID: Oid = Oid::new_unwrap("0.0");
