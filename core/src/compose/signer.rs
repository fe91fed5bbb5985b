//! Putting a signer together from what a user gives.

use crate::crypto::keys::SecretKey;
use crate::x509::certificate::Cert;

/// A signer put together from what a user gives: a key file (maybe a bundle that also holds
/// certificates), optionally the signer certificate on its own, and chain certificates.
#[derive(Clone, Debug)]
pub struct Signer {
    /// The certificate that carries the key's public key.
    pub cert: Cert,
    /// The private key.
    pub key: SecretKey,
    /// Certificates to include with [`crate::compose::IncludeCerts::Chain`].
    pub chain: Vec<Cert>,
}

/// Why [`Signer::select`] could not put a signer together; each front end words it for
/// its own options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignerProblem {
    /// The key material holds no private key.
    NoKey,
    /// None of the candidate certificates carries the key's public key.
    NoMatchingCertificate,
}

impl Signer {
    /// Selects the signer. `bundle` holds what the key file held: its first private key
    /// signs. The certificate is the first of `certs` that carries that key's public key or,
    /// when no certificate was given on its own (`certs` is `None`), the first such of the
    /// bundle's certificates; then the bundle's other certificates join `chain`.
    pub fn select(
        bundle: &crate::keyring::Keyring,
        certs: Option<&[Cert]>,
        mut chain: Vec<Cert>,
    ) -> Result<Signer, SignerProblem> {
        let key = bundle.keys.first().ok_or(SignerProblem::NoKey)?;
        let candidates = certs.unwrap_or(&bundle.certs);
        let cert = candidates
            .iter()
            .find(|c| key.matches(c))
            .cloned()
            .ok_or(SignerProblem::NoMatchingCertificate)?;
        if certs.is_none() {
            chain.extend(bundle.certs.iter().filter(|c| **c != cert).cloned());
        }
        Ok(Signer {
            cert,
            key: key.key.clone(),
            chain,
        })
    }
}
