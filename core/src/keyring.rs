//! The keyring: trust anchors, extra certificates and CRLs the caller supplies.
//!
//! Loading from files and directories happens in the front ends; the keyring takes bytes.

use crate::certificate::{load_certificates, Cert};
use crate::crl::Crl;
use crate::error::Error;

/// Everything a caller hands in to verify with.
#[derive(Clone, Debug, Default)]
pub struct Keyring {
    /// Trust anchors (`--trust`).
    pub anchors: Vec<Cert>,
    /// Extra certificates: intermediates, signers a message excludes (`--cert`).
    pub certs: Vec<Cert>,
    /// CRLs (`--crl`, `*.r0` files of a hashed directory).
    pub crls: Vec<Crl>,
}

impl Keyring {
    /// An empty keyring.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds every certificate in `bytes` (DER, or PEM with one or more blocks) as an anchor.
    pub fn add_anchors(&mut self, bytes: &[u8], source: &str) -> Result<usize, Error> {
        Ok(add_unique(
            &mut self.anchors,
            load_certificates(bytes, source)?,
        ))
    }

    /// Adds every certificate in `bytes` as an untrusted certificate.
    pub fn add_certs(&mut self, bytes: &[u8], source: &str) -> Result<usize, Error> {
        Ok(add_unique(
            &mut self.certs,
            load_certificates(bytes, source)?,
        ))
    }

    /// Adds every CRL in `bytes` (DER, or PEM `X509 CRL` blocks).
    pub fn add_crls(&mut self, bytes: &[u8], source: &str) -> Result<usize, Error> {
        let crls = crate::crl::load_crls(bytes, source)?;
        let n = crls.len();
        self.crls.extend(crls);
        Ok(n)
    }

    /// Whether any trust anchor was supplied.
    pub fn has_anchors(&self) -> bool {
        !self.anchors.is_empty()
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
