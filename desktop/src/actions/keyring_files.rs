//! Loading `--trust`, `--cert` and `--crl` from files, PEM bundles and OpenSSL hashed
//! directories (`*.0` certificates, `*.r0` CRLs, `*.namespaces` and `*.signing_policy` CA
//! namespace policies, as in /etc/grid-security/certificates).

use crate::error::CliError;
use sealscope_core::x509::namespaces::policy_file_kind;
use sealscope_core::Keyring;
use std::path::{Path, PathBuf};

fn read(p: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(p).map_err(|e| CliError::Read(p.to_path_buf(), e))
}

/// Whether a file name is `<hash>.<n>` (certificate) or `<hash>.r<n>` (CRL).
fn hashed_kind(name: &str) -> Option<bool> {
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.len() != 8 || !stem.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    if ext.chars().all(|c| c.is_ascii_digit()) && !ext.is_empty() {
        Some(true)
    } else if ext.len() > 1 && ext.starts_with('r') && ext[1..].chars().all(|c| c.is_ascii_digit())
    {
        Some(false)
    } else {
        None
    }
}

/// The files of a directory, by kind.
#[derive(Default)]
struct DirFiles {
    certs: Vec<PathBuf>,
    crls: Vec<PathBuf>,
    /// IGTF CA namespace policies (`<hash>.namespaces`, `<hash>.signing_policy`).
    policies: Vec<PathBuf>,
}

/// The files of a directory: hashed-layout certificates, CRLs and CA namespace policies,
/// plus `*.pem`, `*.crt`, `*.cer`, `*.der`, `*.coer`, `*.oer` (certificates; COER ones are
/// IEEE 1609.2) and `*.crl` (CRLs).
fn directory(dir: &Path) -> Result<DirFiles, CliError> {
    let mut out = DirFiles::default();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| CliError::Read(dir.to_path_buf(), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    for p in entries {
        let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if policy_file_kind(name).is_some() {
            out.policies.push(p);
            continue;
        }
        match hashed_kind(name) {
            Some(true) => out.certs.push(p),
            Some(false) => out.crls.push(p),
            None if lower.ends_with(".crl") || lower.ends_with(".crl.pem") => out.crls.push(p),
            None if [".pem", ".crt", ".cer", ".der", ".coer", ".oer"]
                .iter()
                .any(|e| lower.ends_with(e)) =>
            {
                out.certs.push(p)
            }
            None => {}
        }
    }
    Ok(out)
}

fn file_name(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or_default()
}

/// `--trust PATH`: anchors from a file or directory (whose CRLs and CA namespace policies
/// join the keyring too); a single `<hash>.namespaces` or `<hash>.signing_policy` file is a
/// namespace policy.
pub fn add_trust(keyring: &mut Keyring, path: &Path) -> Result<(), CliError> {
    if path.is_dir() {
        let files = directory(path)?;
        for c in files.certs {
            let bytes = read(&c)?;
            keyring
                .add_anchors(&bytes, &c.display().to_string())
                .map_err(|e| CliError::Load(c.clone(), e))?;
        }
        for c in files.crls {
            let bytes = read(&c)?;
            keyring
                .add_crls(&bytes, &c.display().to_string())
                .map_err(|e| CliError::Load(c.clone(), e))?;
        }
        for p in files.policies {
            let bytes = read(&p)?;
            keyring
                .add_namespace_policy(&bytes, file_name(&p), &p.display().to_string())
                .map_err(|e| CliError::Load(p.clone(), e))?;
        }
        return Ok(());
    }
    let bytes = read(path)?;
    keyring
        .add_trust_file(&bytes, file_name(path), &path.display().to_string())
        .map_err(|e| CliError::Load(path.to_path_buf(), e))?;
    Ok(())
}

/// The files behind a `--cert` / `--crl` path: the file itself, or the matching files of a
/// directory (`certs` picks certificates, otherwise CRLs).
fn files(path: &Path, certs: bool) -> Result<Vec<PathBuf>, CliError> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let files = directory(path)?;
    Ok(if certs { files.certs } else { files.crls })
}

/// `--cert PATH`: extra certificates from a file or directory.
pub fn add_certs(keyring: &mut Keyring, path: &Path) -> Result<(), CliError> {
    for f in files(path, true)? {
        let bytes = read(&f)?;
        keyring
            .add_certs(&bytes, &f.display().to_string())
            .map_err(|e| CliError::Load(f.clone(), e))?;
    }
    Ok(())
}

/// `--crl PATH`: CRLs from a file or directory.
pub fn add_crls(keyring: &mut Keyring, path: &Path) -> Result<(), CliError> {
    for f in files(path, false)? {
        let bytes = read(&f)?;
        keyring
            .add_crls(&bytes, &f.display().to_string())
            .map_err(|e| CliError::Load(f.clone(), e))?;
    }
    Ok(())
}

/// `--key PATH`: private keys from a file (PEM with several keys, or DER).
pub fn add_keys(
    keyring: &mut Keyring,
    path: &Path,
    password: Option<&str>,
) -> Result<(), CliError> {
    let bytes = read(path)?;
    keyring
        .add_private_keys(&bytes, password, &path.display().to_string())
        .map_err(|e| CliError::Load(path.to_path_buf(), e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::hashed_kind;

    #[test]
    fn hashed_names() {
        assert_eq!(hashed_kind("c2e44f19.0"), Some(true));
        assert_eq!(hashed_kind("3449d802.r0"), Some(false));
        assert_eq!(hashed_kind("ca.pem"), None);
        assert_eq!(hashed_kind("c2e44f19.signing_policy"), None);
    }
}
