//! The keyring: trust anchors, extra certificates and CRLs the caller supplies.
//!
//! Loading from files and directories happens in the front ends; the keyring takes bytes.

use crate::crypto::keys::PrivateKey;
use crate::error::Error;
use crate::ieee1609::KeyringCert;
use crate::x509::certificate::{load_certificates, Cert};
use crate::x509::crl::Crl;
use zeroize::Zeroizing;

/// Everything a caller hands in to verify with.
#[derive(Clone, Default)]
pub struct Keyring {
    /// Trust anchors (`--trust`).
    pub anchors: Vec<Cert>,
    /// Extra certificates: intermediates, signers a message excludes (`--cert`).
    pub certs: Vec<Cert>,
    /// CRLs (`--crl`, `*.r0` files of a hashed directory).
    pub crls: Vec<Crl>,
    /// Private keys for decryption (`--key`).
    pub keys: Vec<PrivateKey>,
    /// Pre-shared key-encryption keys by KEK identifier (`--kek ID:KEY`), wiped on drop.
    pub keks: Vec<(Vec<u8>, Zeroizing<Vec<u8>>)>,
    /// Passwords for password recipients (`--password`), wiped on drop.
    pub passwords: Vec<Zeroizing<String>>,
    /// Content-encryption keys for EncryptedData, which has no recipients
    /// (`--content-key`), wiped on drop.
    pub content_keys: Vec<Zeroizing<Vec<u8>>>,
    /// IEEE 1609.2 trust anchors (root certificates, COER), given with `--trust`.
    pub ieee1609_anchors: Vec<KeyringCert>,
    /// IEEE 1609.2 certificates (intermediates, signers named by digest), given with `--cert`.
    pub ieee1609_certs: Vec<KeyringCert>,
    /// IEEE 1609.2 CRLs (SecuredCrl, hash- or linkage-based), given with `--crl`.
    pub ieee1609_crls: Vec<crate::ieee1609::crl::Crl>,
    /// Which certificates need a revocation status from a CRL (`--crl-check`,
    /// `--crl-check-all`); by default a CRL is applied where one from the issuer is given.
    pub revocation_check: RevocationCheck,
    /// Whether every certificate of a path must keep the whole RFC 5280 §4 profile (key
    /// identifiers, criticality, positive serial numbers, name syntax), as OpenSSL's
    /// `-x509_strict` asks (`--x509-strict`); by default only the rules that make a
    /// certificate unusable are applied.
    pub x509_strict: bool,
    /// IGTF CA namespace policies (`<hash>.namespaces`, `<hash>.signing_policy` of a grid
    /// trust directory): which subject names each CA may sign.
    pub namespaces: Vec<crate::x509::namespaces::NamespaceFile>,
    /// The initial certificate-policy inputs of path validation (RFC 5280 §6.1.1):
    /// acceptable policies, explicit policy required, mapping or anyPolicy inhibited
    /// (`--policy`, `--explicit-policy`, `--inhibit-policy-mapping`, `--inhibit-any-policy`).
    pub policy: crate::x509::policies::PolicySettings,
}

/// Which X.509 certificates of a path must have a revocation status from a supplied CRL,
/// as OpenSSL's `-crl_check` / `-crl_check_all` choose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RevocationCheck {
    /// Where a CRL from the certificate's issuer is given, it is applied; a certificate
    /// with none counts as not revoked (the report says so).
    #[default]
    WhereAvailable,
    /// The signer's certificate must have a usable CRL from its issuer.
    Signer,
    /// Every certificate below the trust anchor must have one.
    All,
}

impl RevocationCheck {
    /// Every choice, in the order a front end lists them.
    pub const ALL: [RevocationCheck; 3] = [
        RevocationCheck::WhereAvailable,
        RevocationCheck::Signer,
        RevocationCheck::All,
    ];

    /// The name options use: `where-available`, `signer`, `all`.
    pub fn as_str(self) -> &'static str {
        match self {
            RevocationCheck::WhereAvailable => "where-available",
            RevocationCheck::Signer => "signer",
            RevocationCheck::All => "all",
        }
    }

    /// What it means, in words for a window.
    pub fn describe(self) -> &'static str {
        match self {
            RevocationCheck::WhereAvailable => "apply CRLs where one is given",
            RevocationCheck::Signer => "require a CRL for the signer",
            RevocationCheck::All => "require a CRL for every certificate",
        }
    }
}

impl std::str::FromStr for RevocationCheck {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown revocation check {s:?} (where-available, signer, all)"))
    }
}

/// Whether `bytes` look like a COER IEEE 1609.2 certificate rather than X.509 (DER or PEM):
/// a one-byte preamble (0x00 or 0x80) then version 3.
pub fn looks_like_1609_certificate(bytes: &[u8]) -> bool {
    bytes.len() > 8 && (bytes[0] == 0x00 || bytes[0] == 0x80) && bytes[1] == 3
}

/// Shows what the keyring holds without any secret.
impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("anchors", &self.anchors.len())
            .field("certs", &self.certs.len())
            .field("crls", &self.crls.len())
            .field("keys", &self.keys)
            .field("keks", &self.keks.len())
            .field("passwords", &self.passwords.len())
            .field("ieee1609_anchors", &self.ieee1609_anchors.len())
            .field("ieee1609_certs", &self.ieee1609_certs.len())
            .field("revocation_check", &self.revocation_check)
            .field("x509_strict", &self.x509_strict)
            .field("namespaces", &self.namespaces.len())
            .field("policy", &self.policy)
            .finish()
    }
}

impl Keyring {
    /// An empty keyring.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds every certificate in `bytes` (DER, or PEM with one or more blocks) as an anchor;
    /// a COER IEEE 1609.2 certificate becomes a 1609.2 anchor.
    pub fn add_anchors(&mut self, bytes: &[u8], source: &str) -> Result<usize, Error> {
        if crate::ieee1609::ctl::looks_like_ctl(bytes) {
            return self.add_trust_list(bytes, source, true);
        }
        if looks_like_1609_certificate(bytes) {
            let c = KeyringCert::from_coer(bytes, source)?;
            if !self.ieee1609_anchors.iter().any(|a| a.id == c.id) {
                self.ieee1609_anchors.push(c);
            }
            return Ok(1);
        }
        Ok(add_unique(
            &mut self.anchors,
            load_certificates(bytes, source)?,
        ))
    }

    /// Adds every certificate in `bytes` as an untrusted certificate (COER IEEE 1609.2
    /// certificates too).
    pub fn add_certs(&mut self, bytes: &[u8], source: &str) -> Result<usize, Error> {
        if crate::ieee1609::ctl::looks_like_ctl(bytes) {
            return self.add_trust_list(bytes, source, false);
        }
        if looks_like_1609_certificate(bytes) {
            let c = KeyringCert::from_coer(bytes, source)?;
            if !self.ieee1609_certs.iter().any(|a| a.id == c.id) {
                self.ieee1609_certs.push(c);
            }
            return Ok(1);
        }
        Ok(add_unique(
            &mut self.certs,
            load_certificates(bytes, source)?,
        ))
    }

    /// Adds an IGTF CA namespace policy file; `file_name` (the name without directory,
    /// `<hash>.namespaces` or `<hash>.signing_policy`) says which CA and which format.
    /// Returns how many rules it holds.
    pub fn add_namespace_policy(
        &mut self,
        bytes: &[u8],
        file_name: &str,
        source: &str,
    ) -> Result<usize, Error> {
        let file = crate::x509::namespaces::NamespaceFile::parse(bytes, file_name, source)?;
        let n = file.rules.len();
        self.namespaces.push(file);
        Ok(n)
    }

    /// Adds one file given as trust: an IGTF CA policy file when `file_name` (without
    /// directory) is `<hash>.namespaces` or `<hash>.signing_policy`, otherwise trust
    /// anchors. Returns how many rules or certificates it gave.
    pub fn add_trust_file(
        &mut self,
        bytes: &[u8],
        file_name: &str,
        source: &str,
    ) -> Result<usize, Error> {
        if crate::x509::namespaces::policy_file_kind(file_name).is_some() {
            self.add_namespace_policy(bytes, file_name, source)
        } else {
            self.add_anchors(bytes, source)
        }
    }

    /// Adds an ETSI TS 102 941 certificate trust list (the EU ECTL a TLM signs, or a root
    /// CA's CTL) once its signature verifies: as trust input (`as_anchors`), its root CA and
    /// TLM certificates become 1609.2 anchors and its EA and AA certificates intermediates;
    /// otherwise every certificate it lists is an intermediate. Delete commands remove the
    /// certificates they name. Returns how many certificates were added.
    pub fn add_trust_list(
        &mut self,
        bytes: &[u8],
        source: &str,
        as_anchors: bool,
    ) -> Result<usize, Error> {
        use crate::ieee1609::ctl::{self, Command};
        let known: Vec<KeyringCert> = self
            .ieee1609_anchors
            .iter()
            .chain(self.ieee1609_certs.iter())
            .cloned()
            .collect();
        let (list, _signer) = ctl::load(bytes, source, &known)?;
        let mut added = 0;
        for c in &list.commands {
            match c {
                Command::Add {
                    kind,
                    cert: Some(k),
                    ..
                } => {
                    let to = if as_anchors && matches!(*kind, "rca" | "tlm") {
                        &mut self.ieee1609_anchors
                    } else {
                        &mut self.ieee1609_certs
                    };
                    if !to.iter().any(|a| a.id == k.id) {
                        to.push((**k).clone());
                        added += 1;
                    }
                }
                Command::Add { .. } => {}
                Command::Delete(what) => {
                    if let Some(id) = what.strip_prefix("certificate ") {
                        self.ieee1609_anchors.retain(|a| hex::encode(a.id) != id);
                        self.ieee1609_certs.retain(|a| hex::encode(a.id) != id);
                    }
                }
            }
        }
        Ok(added)
    }

    /// Adds every CRL in `bytes` (DER, or PEM `X509 CRL` blocks).
    pub fn add_crls(&mut self, bytes: &[u8], source: &str) -> Result<usize, Error> {
        if crate::ieee1609::data::looks_like_data(bytes) {
            let crl = crate::ieee1609::crl::load(bytes, source)?;
            self.ieee1609_crls.push(crl);
            return Ok(1);
        }
        let crls = crate::x509::crl::load_crls(bytes, source)?;
        let n = crls.len();
        self.crls.extend(crls);
        Ok(n)
    }

    /// Adds every private key in `bytes`: PKCS#8 (plain, or encrypted and opened with
    /// `password`), PKCS#1, SEC1 (plain or under OpenSSL's legacy PEM encryption), or a
    /// PKCS#12 bundle (opened with `password`, or the empty password when none is given; its
    /// certificates join the extra certificates). Returns how many keys were added.
    ///
    /// A file that yields no private key is an error, so nothing given is ignored silently:
    /// a PKCS#12 bundle with certificates only is refused with the reason.
    pub fn add_private_keys(
        &mut self,
        bytes: &[u8],
        password: Option<&str>,
        source: &str,
    ) -> Result<usize, Error> {
        if bytes.first() == Some(&0x30) && crate::crypto::pkcs12::looks_like_pfx(bytes) {
            let bundle = crate::crypto::pkcs12::load(bytes, password, source)?;
            if bundle.keys.is_empty() {
                let mut what = format!("{} certificate(s)", bundle.certs.len());
                if !bundle.skipped.is_empty() {
                    what.push_str(&format!(" and {}", bundle.skipped.join(", ")));
                }
                return Err(Error::Load {
                    what: "PKCS#12 bundle",
                    source_name: source.to_string(),
                    reason: format!("the bundle holds no private key, only {what}"),
                });
            }
            add_unique(&mut self.certs, bundle.certs);
            let n = bundle.keys.len();
            self.keys.extend(bundle.keys);
            return Ok(n);
        }
        let keys = crate::crypto::keys::load_private_keys(bytes, password, source)?;
        let n = keys.len();
        self.keys.extend(keys);
        Ok(n)
    }

    /// Adds a pre-shared key-encryption key with its KEK identifier.
    pub fn add_kek(&mut self, id: &[u8], key: &[u8]) {
        self.keks.push((id.to_vec(), Zeroizing::new(key.to_vec())));
    }

    /// Adds a content-encryption key for EncryptedData (RFC 5652 §8).
    pub fn add_content_key(&mut self, key: &[u8]) {
        self.content_keys.push(Zeroizing::new(key.to_vec()));
    }

    /// Adds a password for password-based recipients.
    pub fn add_password(&mut self, password: &str) {
        self.passwords.push(Zeroizing::new(password.to_string()));
    }

    /// The keys as the report lists them: form, algorithm, the certificate each matches
    /// (its own bundle's first, then the keyring's) and the certificates that came with it.
    pub fn key_reports(&self) -> Vec<crate::report::KeyReport> {
        self.keys
            .iter()
            .map(|k| {
                let certificate = k
                    .bundle_certs
                    .iter()
                    .chain(self.certs.iter())
                    .chain(self.anchors.iter())
                    .find(|c| k.matches(c))
                    .map(key_certificate);
                crate::report::KeyReport {
                    source: k.source.clone(),
                    form: k.form.clone(),
                    key: k.key.describe(),
                    label: k.label.clone(),
                    certificate,
                    bundle_certificates: k.bundle_certs.iter().map(key_certificate).collect(),
                }
            })
            .collect()
    }

    /// Whether any trust anchor was supplied.
    pub fn has_anchors(&self) -> bool {
        !self.anchors.is_empty() || !self.ieee1609_anchors.is_empty()
    }
}

/// A certificate as the key list names it.
pub fn key_certificate(c: &Cert) -> crate::report::KeyCertificate {
    crate::report::KeyCertificate {
        subject: crate::x509::dn::rfc4514(c.subject()),
        issuer: crate::x509::dn::rfc4514(c.issuer()),
        serial: c.serial_hex(),
        source: c.source.clone(),
    }
}

/// Appends the certificates not already present; returns how many were read.
fn add_unique(list: &mut Vec<Cert>, certs: Vec<Cert>) -> usize {
    let n = certs.len();
    for c in certs {
        if !list.contains(&c) {
            list.push(c);
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! fixture {
        ($p:literal) => {
            include_bytes!(concat!("../../tests/fixtures/", $p)).as_slice()
        };
    }

    #[test]
    fn certificates_x509_and_ieee1609() {
        let mut k = Keyring::new();
        assert!(!k.has_anchors());
        // bundle.pem holds two certificates; adding it again reads two but keeps two.
        assert_eq!(k.add_certs(fixture!("pki/bundle.pem"), "b").unwrap(), 2);
        assert_eq!(k.add_certs(fixture!("pki/bundle.pem"), "b").unwrap(), 2);
        assert_eq!(k.certs.len(), 2);
        // A PEM file with no CERTIFICATE block (a private key) is refused, not ignored.
        let e = k
            .add_anchors(fixture!("pki/recip-rsa.key"), "k.pem")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot load certificate from k.pem: no CERTIFICATE found (expected DER or PEM)"
        );
        // COER 1609.2 certificates go to their own lists, deduplicated by HashedId8: the
        // r-compressed form is the same certificate.
        assert_eq!(
            k.add_anchors(fixture!("ieee1609/certs/root-p256.coer"), "r")
                .unwrap(),
            1
        );
        assert!(k.has_anchors() && k.anchors.is_empty());
        k.add_certs(fixture!("ieee1609/certs/ee-p256.coer"), "ee")
            .unwrap();
        k.add_certs(
            fixture!("ieee1609/certs/ee-p256.r-compressed.coer"),
            "ee-rc",
        )
        .unwrap();
        assert_eq!((k.ieee1609_anchors.len(), k.ieee1609_certs.len()), (1, 1));
        let cut = &fixture!("ieee1609/certs/ee-p256.coer")[..100];
        assert!(matches!(k.add_certs(cut, "cut"), Err(Error::Asn1 { .. })));
        assert!(!looks_like_1609_certificate(&cut[..8]));
        assert!(!looks_like_1609_certificate(fixture!("pki/root-ca.der")));
        assert_eq!(
            k.add_crls(fixture!("pki/inter-ca.crl.pem"), "crl").unwrap(),
            1
        );
    }

    #[test]
    fn private_keys() {
        let mut k = Keyring::new();
        assert_eq!(
            k.add_private_keys(fixture!("pki/recip-rsa.key"), None, "a")
                .unwrap(),
            1
        );
        let enc = fixture!("pki/recip-rsa.enc.pem");
        assert!(k
            .add_private_keys(enc, None, "e")
            .unwrap_err()
            .needs_password());
        assert!(k
            .add_private_keys(enc, Some("wrong"), "e")
            .unwrap_err()
            .wrong_password());
        assert_eq!(k.add_private_keys(enc, Some("sealscope"), "e").unwrap(), 1);
        let e = k
            .add_private_keys(fixture!("pki/root-ca.pem"), None, "c")
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("no private key found (the file holds CERTIFICATE)"),
            "{e}"
        );
        // PKCS#12: the key, and its certificates join the extra certificates.
        assert_eq!(
            k.add_private_keys(fixture!("pki/recip-rsa.p12"), Some("sealscope"), "p")
                .unwrap(),
            1
        );
        assert_eq!((k.keys.len(), k.certs.len()), (3, 3));
        let nokey = fixture!("keys-peers/openssl-nokey.p12");
        let e = k
            .add_private_keys(nokey, Some("sealscope"), "n")
            .unwrap_err();
        assert_eq!(e.to_string(), "cannot load PKCS#12 bundle from n: the bundle holds no private key, only 1 certificate(s)");
    }

    #[test]
    fn debug_shows_no_secret() {
        let mut k = Keyring::new();
        k.add_password("hunter2");
        k.add_kek(b"kek-1", b"sixteen byte key");
        k.add_content_key(b"0123456789abcdef");
        let text = format!("{k:?}");
        assert!(
            text.contains("keks: 1") && text.contains("passwords: 1"),
            "{text}"
        );
        assert!(!text.contains("hunter2") && !text.contains("sixteen") && !text.contains("kek-1"));
    }
}
