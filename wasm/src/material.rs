//! The keyring a page builds from dropped files: anchors, certificates, CRLs, private keys,
//! passwords and KEKs, with a one-line description of each entry for the page to list.

use crate::error::WasmError;
use sealscope_core::inspect::detect::{material, Material as Kind};
use sealscope_core::x509::namespaces::policy_file_kind;
use sealscope_core::{Options, Session, UnixTime};
use serde::Serialize;

/// One thing added to the keyring, as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// `trust`, `namespace-policy`, `certificate`, `crl`, `private-key`, `pkcs12`,
    /// `password`, `kek`, `content-key`.
    pub kind: String,
    /// The file name (or a label).
    pub name: String,
    /// How many objects the file gave.
    pub count: usize,
    /// One line per object: subject DNs, key types.
    pub description: Vec<String>,
}

/// A keyring with the list of what went into it, in the session that inspects with it (the
/// session also remembers what was inspected, for duplicate detection).
#[derive(Debug)]
pub struct Material {
    /// The core session: the keyring and the state kept between inspections.
    pub session: Session,
    /// What was added, in order.
    pub entries: Vec<Entry>,
}

impl Default for Material {
    fn default() -> Self {
        Material {
            session: Session::new(Default::default(), Options::new("", UnixTime(0))),
            entries: Vec::new(),
        }
    }
}

impl Material {
    /// Adds trust anchors (X.509 or IEEE 1609.2 certificates), or an IGTF CA namespace
    /// policy when `name` is `<hash>.namespaces` or `<hash>.signing_policy`.
    pub fn add_trust(&mut self, bytes: &[u8], name: &str) -> Result<&Entry, WasmError> {
        if policy_file_kind(name).is_some() {
            return self.add_namespace_policy(bytes, name);
        }
        let before = self.session.keyring().anchors.len();
        let n = self.session.keyring_mut().add_anchors(bytes, name)?;
        let description = describe_certs(&self.session.keyring().anchors[before..], n);
        Ok(self.push("trust", name, n, description))
    }

    /// Adds an IGTF CA namespace policy (`<hash>.namespaces` or `<hash>.signing_policy`).
    pub fn add_namespace_policy(&mut self, bytes: &[u8], name: &str) -> Result<&Entry, WasmError> {
        let n = self
            .session
            .keyring_mut()
            .add_namespace_policy(bytes, name, name)?;
        let description = self
            .session
            .keyring()
            .namespaces
            .last()
            .map(|f| {
                f.rules
                    .iter()
                    .map(|r| {
                        let verb = if r.permit { "permit" } else { "deny" };
                        format!("{verb} {}", r.subject)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(self.push("namespace-policy", name, n, description))
    }

    /// Adds untrusted certificates (intermediates, signers, recipients).
    pub fn add_certificates(&mut self, bytes: &[u8], name: &str) -> Result<&Entry, WasmError> {
        let before = self.session.keyring().certs.len();
        let n = self.session.keyring_mut().add_certs(bytes, name)?;
        let description = describe_certs(&self.session.keyring().certs[before..], n);
        Ok(self.push("certificate", name, n, description))
    }

    /// Adds CRLs.
    pub fn add_crls(&mut self, bytes: &[u8], name: &str) -> Result<&Entry, WasmError> {
        let n = self.session.keyring_mut().add_crls(bytes, name)?;
        Ok(self.push("crl", name, n, vec![format!("{n} CRL(s)")]))
    }

    /// Adds private keys (PKCS#8, PKCS#1, SEC1, or PKCS#12 with its certificates).
    pub fn add_keys(
        &mut self,
        bytes: &[u8],
        name: &str,
        password: Option<&str>,
    ) -> Result<&Entry, WasmError> {
        let before = self.session.keyring().keys.len();
        let certs_before = self.session.keyring().certs.len();
        let n = self
            .session
            .keyring_mut()
            .add_private_keys(bytes, password, name)?;
        // Each key with the certificate it belongs to, as the report's `keys` names it.
        let mut description: Vec<String> = self.session.keyring_mut().key_reports()[before..]
            .iter()
            .map(|k| match &k.certificate {
                Some(c) => format!("{} for {} (serial {})", k.key, c.subject, c.serial),
                None => k.key.clone(),
            })
            .collect();
        description.extend(
            self.session.keyring().certs[certs_before..]
                .iter()
                .map(|c| {
                    format!(
                        "certificate {}",
                        sealscope_core::x509::dn::rfc4514(c.subject())
                    )
                }),
        );
        let kind = if self.session.keyring().keys[before..]
            .iter()
            .any(|k| k.form == "pkcs12")
        {
            "pkcs12"
        } else {
            "private-key"
        };
        Ok(self.push(kind, name, n, description))
    }

    /// Adds a password for password-based (PWRI) recipients.
    pub fn add_password(&mut self, password: &str) -> &Entry {
        self.session.keyring_mut().add_password(password);
        self.push(
            "password",
            "password",
            1,
            vec!["for PWRI recipients".into()],
        )
    }

    /// Adds a key-encryption key with its identifier.
    pub fn add_kek(&mut self, id: &[u8], key: &[u8]) -> &Entry {
        self.session.keyring_mut().add_kek(id, key);
        let label = format!("KEK {}", hex::encode(id));
        self.push("kek", &label, 1, vec![format!("{}-bit key", key.len() * 8)])
    }

    /// Adds a content-encryption key for EncryptedData (no recipients).
    pub fn add_content_key(&mut self, key: &[u8]) -> &Entry {
        self.session.keyring_mut().add_content_key(key);
        self.push(
            "content-key",
            "content key",
            1,
            vec![format!("{}-bit key, for EncryptedData", key.len() * 8)],
        )
    }

    /// Adds a file by what it contains; certificates become anchors when `as_trust`.
    /// Messages are refused (they are inspected, not kept).
    pub fn add_file(
        &mut self,
        bytes: &[u8],
        name: &str,
        password: Option<&str>,
        as_trust: bool,
    ) -> Result<&Entry, WasmError> {
        if policy_file_kind(name).is_some() {
            return self.add_namespace_policy(bytes, name);
        }
        match material(bytes, name) {
            Some(Kind::Certificate | Kind::Ieee1609Certificate) if as_trust => {
                self.add_trust(bytes, name)
            }
            Some(Kind::Certificate | Kind::Ieee1609Certificate) => {
                self.add_certificates(bytes, name)
            }
            Some(Kind::Crl) => self.add_crls(bytes, name),
            Some(Kind::PrivateKey | Kind::Pkcs12) => self.add_keys(bytes, name, password),
            None => Err(WasmError::Material {
                name: name.to_string(),
                reason: "not a certificate, CRL or private key (inspect it as a message)".into(),
            }),
        }
    }

    fn push(&mut self, kind: &str, name: &str, count: usize, description: Vec<String>) -> &Entry {
        self.entries.push(Entry {
            kind: kind.to_string(),
            name: name.to_string(),
            count,
            description,
        });
        let last = self.entries.len() - 1;
        &self.entries[last]
    }
}

fn describe_certs(added: &[sealscope_core::x509::certificate::Cert], n: usize) -> Vec<String> {
    if added.is_empty() && n > 0 {
        return vec![format!("{n} IEEE 1609.2 certificate(s)")];
    }
    added
        .iter()
        .map(|c| sealscope_core::x509::dn::rfc4514(c.subject()))
        .collect()
}
