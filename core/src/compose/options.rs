//! The choices a composition is made of (digest, form, certificates, cipher, padding,
//! output) with their names, and the option structures `compose` takes.

use crate::compose::names::{named, Names};
use crate::crypto::algorithms::Digest;
use crate::crypto::keys::SecretKey;
use crate::crypto::oids;
use crate::time::UnixTime;
use crate::x509::certificate::Cert;

/// The digests sealscope signs with (it reads older ones but does not make them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignDigest {
    /// SHA-256 (the default).
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512 (what Bit Repository signatures use).
    Sha512,
}

impl SignDigest {
    pub(crate) const NAMES: Names<SignDigest> = Names {
        what: "digest",
        expected: "sha256, sha384 or sha512",
        fold_case: false,
        names: &[
            ("sha256", SignDigest::Sha256),
            ("sha384", SignDigest::Sha384),
            ("sha512", SignDigest::Sha512),
        ],
    };

    /// The canonical name (`sha256`, …), as [`Digest::name`] gives it.
    pub fn name(self) -> &'static str {
        self.digest().name()
    }

    /// The digest algorithm.
    pub fn digest(self) -> Digest {
        match self {
            SignDigest::Sha256 => Digest::Sha256,
            SignDigest::Sha384 => Digest::Sha384,
            SignDigest::Sha512 => Digest::Sha512,
        }
    }
}
named!(SignDigest);

impl From<SignDigest> for Digest {
    fn from(d: SignDigest) -> Digest {
        d.digest()
    }
}

/// How a signed message is shaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignForm {
    /// multipart/signed with a detached signature (RFC 8551 §3.5.3).
    Detached,
    /// application/pkcs7-mime; smime-type=signed-data (RFC 8551 §3.5.2).
    Opaque,
}

impl SignForm {
    pub(crate) const NAMES: Names<SignForm> = Names {
        what: "signature form",
        expected: "detached or opaque",
        fold_case: false,
        names: &[
            ("detached", SignForm::Detached),
            ("opaque", SignForm::Opaque),
        ],
    };

    /// The canonical name: `detached` or `opaque`.
    pub fn name(self) -> &'static str {
        match self {
            SignForm::Detached => "detached",
            SignForm::Opaque => "opaque",
        }
    }
}
named!(SignForm);

/// Which certificates a SignedData carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeCerts {
    /// None (the receiver must have the signer certificate).
    None,
    /// The signer certificate only.
    Signer,
    /// The signer certificate and the given chain.
    Chain,
}

impl IncludeCerts {
    pub(crate) const NAMES: Names<IncludeCerts> = Names {
        what: "certificate choice",
        expected: "none, signer or chain",
        fold_case: false,
        names: &[
            ("none", IncludeCerts::None),
            ("signer", IncludeCerts::Signer),
            ("chain", IncludeCerts::Chain),
        ],
    };

    /// The canonical name: `none`, `signer` or `chain`.
    pub fn name(self) -> &'static str {
        match self {
            IncludeCerts::None => "none",
            IncludeCerts::Signer => "signer",
            IncludeCerts::Chain => "chain",
        }
    }

    /// The choice when none is named: the chain when there is one to include, else the
    /// signer certificate.
    pub fn default_for(has_chain: bool) -> Self {
        if has_chain {
            IncludeCerts::Chain
        } else {
            IncludeCerts::Signer
        }
    }

    /// Reads `none`, `signer` or `chain`; without a name, [`IncludeCerts::default_for`].
    /// `None` for any other name (parse with `FromStr` for an error that lists the names).
    pub fn choose(name: Option<&str>, has_chain: bool) -> Option<Self> {
        match name {
            None => Some(Self::default_for(has_chain)),
            Some(n) => n.parse().ok(),
        }
    }
}
named!(IncludeCerts);

/// Content ciphers sealscope composes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cipher {
    /// AES-128-CBC
    Aes128Cbc,
    /// AES-192-CBC
    Aes192Cbc,
    /// AES-256-CBC
    Aes256Cbc,
    /// AES-128-GCM (AuthEnvelopedData)
    Aes128Gcm,
    /// AES-256-GCM (AuthEnvelopedData)
    Aes256Gcm,
}

impl Cipher {
    pub(crate) const NAMES: Names<Cipher> = Names {
        what: "cipher",
        expected: "aes-128-cbc, aes-192-cbc, aes-256-cbc, aes-128-gcm or aes-256-gcm",
        fold_case: true,
        names: &[
            ("aes-128-cbc", Cipher::Aes128Cbc),
            ("aes128", Cipher::Aes128Cbc),
            ("aes-192-cbc", Cipher::Aes192Cbc),
            ("aes192", Cipher::Aes192Cbc),
            ("aes-256-cbc", Cipher::Aes256Cbc),
            ("aes256", Cipher::Aes256Cbc),
            ("aes-128-gcm", Cipher::Aes128Gcm),
            ("aes-256-gcm", Cipher::Aes256Gcm),
        ],
    };

    /// Parses a report name (`aes-256-cbc`, `aes-128-gcm`, …); the same as `FromStr`
    /// without the error.
    pub fn from_name(name: &str) -> Option<Self> {
        name.parse().ok()
    }

    /// The canonical (report) name, e.g. `aes-256-cbc`.
    pub fn name(self) -> &'static str {
        match self {
            Cipher::Aes128Cbc => "aes-128-cbc",
            Cipher::Aes192Cbc => "aes-192-cbc",
            Cipher::Aes256Cbc => "aes-256-cbc",
            Cipher::Aes128Gcm => "aes-128-gcm",
            Cipher::Aes256Gcm => "aes-256-gcm",
        }
    }

    pub(crate) fn key_len(self) -> usize {
        match self {
            Cipher::Aes128Cbc | Cipher::Aes128Gcm => 16,
            Cipher::Aes192Cbc => 24,
            Cipher::Aes256Cbc | Cipher::Aes256Gcm => 32,
        }
    }

    pub(crate) fn is_gcm(self) -> bool {
        matches!(self, Cipher::Aes128Gcm | Cipher::Aes256Gcm)
    }

    pub(crate) fn oid(self) -> der::asn1::ObjectIdentifier {
        match self {
            Cipher::Aes128Cbc => oids::ID_AES_128_CBC,
            Cipher::Aes192Cbc => oids::ID_AES_192_CBC,
            Cipher::Aes256Cbc => oids::ID_AES_256_CBC,
            Cipher::Aes128Gcm => oids::ID_AES_128_GCM,
            Cipher::Aes256Gcm => oids::ID_AES_256_GCM,
        }
    }
}
named!(Cipher);

/// RSA key transport padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsaPadding {
    /// PKCS#1 v1.5 (RFC 3370 §4.2.1).
    Pkcs1v15,
    /// RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017, RFC 4055).
    OaepSha256,
}

impl RsaPadding {
    pub(crate) const NAMES: Names<RsaPadding> = Names {
        what: "RSA padding",
        expected: "pkcs1v15 or oaep",
        fold_case: false,
        names: &[
            ("pkcs1v15", RsaPadding::Pkcs1v15),
            ("pkcs1", RsaPadding::Pkcs1v15),
            ("oaep", RsaPadding::OaepSha256),
            ("oaep-sha256", RsaPadding::OaepSha256),
        ],
    };

    /// The canonical name: `pkcs1v15` or `oaep`.
    pub fn name(self) -> &'static str {
        match self {
            RsaPadding::Pkcs1v15 => "pkcs1v15",
            RsaPadding::OaepSha256 => "oaep",
        }
    }
}
named!(RsaPadding);

/// The output encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// An S/MIME message (CRLF line ends).
    Mime,
    /// The outermost CMS ContentInfo as DER.
    Der,
    /// The same as PEM (`-----BEGIN CMS-----`).
    Pem,
}

impl Output {
    pub(crate) const NAMES: Names<Output> = Names {
        what: "output",
        expected: "mime, der or pem",
        fold_case: false,
        names: &[
            ("mime", Output::Mime),
            ("der", Output::Der),
            ("pem", Output::Pem),
        ],
    };

    /// The canonical name: `mime`, `der` or `pem`.
    pub fn name(self) -> &'static str {
        match self {
            Output::Mime => "mime",
            Output::Der => "der",
            Output::Pem => "pem",
        }
    }
}
named!(Output);

/// The signer and how to sign.
#[derive(Clone, Debug)]
pub struct SignOptions {
    /// The signer certificate.
    pub cert: Cert,
    /// Its private key.
    pub key: SecretKey,
    /// Intermediate certificates to include with [`IncludeCerts::Chain`].
    pub chain: Vec<Cert>,
    /// Digest: SHA-256, SHA-384 or SHA-512.
    pub digest: Digest,
    /// Detached or opaque.
    pub form: SignForm,
    /// Which certificates to include.
    pub include: IncludeCerts,
}

/// Recipients and cipher.
#[derive(Clone, Debug)]
pub struct EncryptOptions {
    /// Recipient certificates: RSA ones get key transport, EC ones ECDH key agreement.
    pub recipients: Vec<Cert>,
    /// The content cipher.
    pub cipher: Cipher,
    /// Padding for RSA recipients.
    pub rsa_padding: RsaPadding,
}

/// Everything `compose` needs besides the payload and the generator.
#[derive(Clone, Debug)]
pub struct ComposeOptions {
    /// Sign (first).
    pub sign: Option<SignOptions>,
    /// Encrypt (after signing).
    pub encrypt: Option<EncryptOptions>,
    /// Output form.
    pub output: Output,
    /// signingTime.
    pub at: UnixTime,
    /// Extra header lines for the outer MIME entity (`From`, `To`, `Subject`, …).
    pub headers: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::names::tests::check;

    #[test]
    fn names_round_trip() {
        check(&SignDigest::NAMES, &["sha256", "sha384", "sha512"]);
        check(&SignForm::NAMES, &["detached", "opaque"]);
        check(&IncludeCerts::NAMES, &["none", "signer", "chain"]);
        check(
            &Cipher::NAMES,
            &[
                "aes-128-cbc",
                "aes-192-cbc",
                "aes-256-cbc",
                "aes-128-gcm",
                "aes-256-gcm",
            ],
        );
        check(&RsaPadding::NAMES, &["pkcs1v15", "oaep"]);
        check(&Output::NAMES, &["mime", "der", "pem"]);
    }

    #[test]
    fn errors_word_the_option_as_the_front_ends_did() {
        let e = "rc4".parse::<Cipher>().unwrap_err();
        assert_eq!(
            e.for_option("--cipher"),
            "--cipher rc4: expected aes-128-cbc, aes-192-cbc, aes-256-cbc, aes-128-gcm or aes-256-gcm"
        );
        assert_eq!(
            "sha1".parse::<SignDigest>().unwrap_err().to_string(),
            "unknown digest \"sha1\": expected sha256, sha384 or sha512"
        );
        // Digest names are exact, cipher names fold case, as before.
        assert!("SHA256".parse::<SignDigest>().is_err());
        assert_eq!("AES-128-GCM".parse(), Ok(Cipher::Aes128Gcm));
        assert_eq!(Cipher::from_name("aes192"), Some(Cipher::Aes192Cbc));
        assert_eq!(Cipher::from_name("des"), None);
    }

    #[test]
    fn include_defaults_to_the_chain_when_there_is_one() {
        assert_eq!(IncludeCerts::choose(None, true), Some(IncludeCerts::Chain));
        assert_eq!(
            IncludeCerts::choose(None, false),
            Some(IncludeCerts::Signer)
        );
        assert_eq!(
            IncludeCerts::choose(Some("none"), true),
            Some(IncludeCerts::None)
        );
        assert_eq!(IncludeCerts::choose(Some("all"), true), None);
        assert_eq!(SignDigest::Sha384.digest(), Digest::Sha384);
        assert_eq!(Digest::from(SignDigest::Sha512).name(), "sha512");
    }
}
