//! Verifying a 1609.2 signedData (IEEE 1609.2 §5.3.1): find the signer (a carried
//! certificate, a HashedId8 digest looked up in the keyring, or `self` tried against every
//! key the keyring holds), check the signature over tbsData, and build the chain by
//! HashedId8 to the supplied roots. The pipeline turns the outcome into a report.

use super::data::{Signed, Signer};
use super::{build_chain, verify, ChainOutcome, KeyringCert};
use crate::keyring::Keyring;
use crate::time::UnixTime;

/// What verifying one signedData found.
#[derive(Debug)]
pub enum Outcome {
    /// hashId names another hash than the signature's curve goes with.
    HashMismatch,
    /// No certificate holds the signer's key.
    SignerNotFound,
    /// The signature verifies with `signer`'s key; `chain` goes from it to the roots.
    Verified {
        /// The certificate whose key verified it.
        signer: Box<KeyringCert>,
        /// The chain from that certificate up.
        chain: ChainOutcome,
    },
    /// No candidate's key verifies the signature.
    Failed {
        /// The certificates tried.
        candidates: Vec<KeyringCert>,
        /// Why the last one failed (`None`: no candidate could be tried).
        failure: Option<verify::Failure>,
    },
}

/// The certificates the signer field may name: the first carried certificate, the keyring
/// certificate with the given HashedId8, or (for `self`) every 1609.2 certificate known.
fn candidates(s: &Signed, carried: &[KeyringCert], pool: &[KeyringCert]) -> Vec<KeyringCert> {
    match &s.signer {
        Signer::Certificates(_) => carried.first().cloned().into_iter().collect(),
        Signer::Digest(id) => pool
            .iter()
            .find(|c| c.id == *id)
            .cloned()
            .into_iter()
            .collect(),
        Signer::SelfSigned => pool.to_vec(),
    }
}

/// Verifies `s` with the certificates it carries (`carried`, decoded by the caller) and the
/// keyring's 1609.2 certificates and anchors, at time `at`.
pub fn verify_signed(
    s: &Signed,
    carried: &[KeyringCert],
    keyring: &Keyring,
    at: UnixTime,
) -> Outcome {
    if s.signature.curve.hash() != s.hash {
        return Outcome::HashMismatch;
    }
    let pool: Vec<KeyringCert> = carried
        .iter()
        .chain(keyring.ieee1609_certs.iter())
        .chain(keyring.ieee1609_anchors.iter())
        .cloned()
        .collect();
    let candidates = candidates(s, carried, &pool);
    if candidates.is_empty() {
        return Outcome::SignerNotFound;
    }
    let mut last_failure = None;
    for cand in &candidates {
        let signer_input = match &s.signer {
            Signer::SelfSigned => Vec::new(),
            _ => verify::canonical(&cand.cert),
        };
        let Some(e) = verify::signing_input(s.hash, &s.tbs, &signer_input) else {
            last_failure = Some(verify::Failure::Unsupported("SM3 is not supported".into()));
            continue;
        };
        let Some((curve, point)) = verify::key_of(&cand.cert) else {
            last_failure = Some(verify::Failure::Unsupported(format!(
                "certificate {} is implicit (ECQV): its key is not reconstructed by this version",
                hex::encode(cand.id)
            )));
            continue;
        };
        match verify::ecdsa(curve, point, &e, &s.signature) {
            Ok(()) => {
                let chain = build_chain(cand, &pool, &keyring.ieee1609_anchors, at);
                return Outcome::Verified {
                    signer: Box::new(cand.clone()),
                    chain,
                };
            }
            Err(f) => last_failure = Some(f),
        }
    }
    Outcome::Failed {
        candidates,
        failure: last_failure,
    }
}
