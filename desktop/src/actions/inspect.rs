//! What every inspecting command starts from: the keyring loaded from files and the core's
//! [`Options`] set from their text forms, owned by one [`Session`] so that duplicate
//! tracking is part of every report returned.

use super::keyring_files;
use crate::error::CliError;
use sealscope_core::{Keyring, Options, RevocationCheck, Session, UnixTime};
use std::path::PathBuf;

/// Keyring files and inspection options as a front end collects them (paths and text).
#[derive(Clone, Debug, Default)]
pub struct InspectSetup {
    /// Trust anchors: a file, a PEM bundle or an OpenSSL hashed directory.
    pub trust: Vec<PathBuf>,
    /// Extra certificates.
    pub cert: Vec<PathBuf>,
    /// CRLs: files or directories.
    pub crl: Vec<PathBuf>,
    /// Private keys for decryption.
    pub key: Vec<PathBuf>,
    /// Password of encrypted keys (memory only).
    pub key_pass: Option<String>,
    /// Key-encryption keys as hex `KEKID:KEY`.
    pub kek: Vec<String>,
    /// Passwords for password (PWRI) recipients.
    pub password: Vec<String>,
    /// Content-encryption keys in hex, for EncryptedData.
    pub content_key: Vec<String>,
    /// Verification time (RFC 3339); default now.
    pub at: Option<String>,
    /// A profile to apply whatever the input looks like.
    pub profile: Option<String>,
    /// SSM sender allow-list file.
    pub allow_dn: Option<PathBuf>,
    /// SCMP replay window in seconds.
    pub replay_window: Option<u64>,
    /// SCMS time tolerance in seconds.
    pub time_tolerance: Option<u64>,
    /// SCMS blacklist file (HashedId8s).
    pub blacklist: Option<PathBuf>,
    /// Largest input read, in bytes.
    pub max_input: Option<usize>,
    /// Which certificates need a revocation status from a given CRL.
    pub revocation_check: RevocationCheck,
    /// Whether paths are held to the whole RFC 5280 certificate profile.
    pub x509_strict: bool,
    /// The initial certificate-policy inputs of path validation.
    pub policy: sealscope_core::x509::policies::PolicySettings,
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    hex::decode(s).ok()
}

fn read_text(p: &PathBuf) -> Result<String, CliError> {
    std::fs::read_to_string(p).map_err(|e| CliError::Read(p.clone(), e))
}

impl InspectSetup {
    /// The options from their text forms, without the list files.
    fn base_options(&self, now: UnixTime) -> Result<Options, CliError> {
        let mut o = Options::new("-", now);
        if let Some(t) = &self.at {
            o.set_at(t)
                .map_err(|e| CliError::Usage(format!("--at: {e}")))?;
        }
        if let Some(name) = &self.profile {
            o.set_profile(name).map_err(|_| {
                CliError::Usage(format!(
                    "--profile {name}: unknown profile (known: emi, ssm, bitrepo, scmp)"
                ))
            })?;
        }
        o.replay_window = self.replay_window;
        o.time_tolerance = self.time_tolerance;
        if let Some(limit) = self.max_input {
            o.max_input = limit;
        }
        Ok(o)
    }

    fn read_lists(&self, o: &mut Options) -> Result<(), CliError> {
        if let Some(p) = &self.blacklist {
            o.add_blacklist(&read_text(p)?)
                .map_err(|e| CliError::Usage(format!("--blacklist {}: {e}", p.display())))?;
        }
        if let Some(p) = &self.allow_dn {
            o.set_allow_list(&read_text(p)?);
        }
        Ok(())
    }

    /// The keyring: every file given loads, or the error names it.
    pub fn keyring(&self) -> Result<Keyring, CliError> {
        let mut keyring = Keyring::new();
        for p in &self.trust {
            keyring_files::add_trust(&mut keyring, p)?;
        }
        for p in &self.cert {
            keyring_files::add_certs(&mut keyring, p)?;
        }
        for p in &self.crl {
            keyring_files::add_crls(&mut keyring, p)?;
        }
        for p in &self.key {
            keyring_files::add_keys(&mut keyring, p, self.key_pass.as_deref())?;
        }
        for k in &self.kek {
            let (id, key) = k
                .split_once(':')
                .and_then(|(i, k)| Some((decode_hex(i)?, decode_hex(k)?)))
                .ok_or_else(|| {
                    CliError::Usage(
                        "--kek: expected the KEK identifier and the key in hex (KEKID:KEY, \
                         e.g. 0a0b:00112233…)"
                            .into(),
                    )
                })?;
            if ![16, 24, 32].contains(&key.len()) {
                return Err(CliError::Usage(format!(
                    "--kek: the key is {} bytes; an AES key-encryption key is 16, 24 or 32",
                    key.len()
                )));
            }
            keyring.add_kek(&id, &key);
        }
        for k in &self.content_key {
            let key = decode_hex(k).ok_or_else(|| {
                CliError::Usage("--content-key: expected the key in hex, e.g. 00112233…".into())
            })?;
            if ![5, 8, 16, 24, 32].contains(&key.len()) {
                return Err(CliError::Usage(format!(
                    "--content-key: the key is {} bytes; a content-encryption key is 16, 24 or 32 (AES), 24 (Triple DES) or 5 to 16 (RC2)",
                    key.len()
                )));
            }
            keyring.add_content_key(&key);
        }
        for pw in &self.password {
            keyring.add_password(pw);
        }
        keyring.revocation_check = self.revocation_check;
        keyring.x509_strict = self.x509_strict;
        keyring.policy = self.policy.clone();
        Ok(keyring)
    }

    /// A session over the keyring and options. A wrong time or profile is reported before
    /// any file is read, the keyring's files before the list files.
    pub fn session(&self, now: UnixTime) -> Result<Session, CliError> {
        let mut options = self.base_options(now)?;
        let keyring = self.keyring()?;
        self.read_lists(&mut options)?;
        Ok(Session::new(keyring, options))
    }
}
