//! Verifying a 1609.2 signedData (IEEE 1609.2 §5.3.1): find the signer (a carried
//! certificate, a HashedId8 digest looked up in the keyring, or `self` tried against every
//! key the keyring holds), check the signature over tbsData, and build the chain by
//! HashedId8 to the supplied roots. The pipeline turns the outcome into a report.

use super::data::{Curve, Point, Signed, Signer};
use super::{build_chain_with_crls, verify, ChainOutcome, KeyringCert};
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
        /// That key (for an implicit certificate, the reconstructed one).
        key: (Curve, Point),
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
        let (curve, point) = match super::verification_key(cand, &pool) {
            Ok(k) => k,
            Err(f) => {
                last_failure = Some(f);
                continue;
            }
        };
        match verify::ecdsa(curve, &point, &e, &s.signature) {
            Ok(()) => {
                let crls: Vec<&super::crl::Crl> = keyring
                    .ieee1609_crls
                    .iter()
                    .filter(|c| c.check(&pool, &keyring.ieee1609_anchors, at).is_ok())
                    .collect();
                let chain =
                    build_chain_with_crls(cand, &pool, &keyring.ieee1609_anchors, at, &crls);
                return Outcome::Verified {
                    signer: Box::new(cand.clone()),
                    key: (curve, point),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ieee1609::data::{decode, Content, HashAlg};

    macro_rules! fixture {
        ($p:literal) => {
            include_bytes!(concat!("../../../tests/fixtures/ieee1609/", $p)).as_slice()
        };
    }
    const ROOT: &[u8] = fixture!("certs/root-p256.coer");
    const ECA: &[u8] = fixture!("certs/eca-p256.coer");
    const EE: &[u8] = fixture!("certs/ee-p256.coer");

    fn signed(bytes: &[u8]) -> Signed {
        let Content::Signed(s) = decode(bytes).unwrap().content else {
            panic!("not signedData")
        };
        *s
    }

    /// Verifies with the root as anchor and `certs` as keyring certificates, at 2025-06-01.
    fn check(bytes: &[u8], certs: &[&[u8]]) -> String {
        let mut k = Keyring::new();
        k.add_anchors(ROOT, "root").unwrap();
        for c in certs {
            k.add_certs(c, "cert").unwrap();
        }
        let s = signed(bytes);
        let carried: Vec<KeyringCert> = match &s.signer {
            Signer::Certificates(c) => c
                .iter()
                .map(|c| KeyringCert::from_coer(&c.bytes, "m").unwrap())
                .collect(),
            _ => Vec::new(),
        };
        match verify_signed(
            &s,
            &carried,
            &k,
            UnixTime::parse("2025-06-01T12:00:00Z").unwrap(),
        ) {
            Outcome::HashMismatch => "hash mismatch".into(),
            Outcome::SignerNotFound => "signer not found".into(),
            Outcome::Verified { signer, chain, .. } => {
                format!("{} {:?}", hex::encode(signer.id), chain.status)
            }
            Outcome::Failed {
                candidates,
                failure,
            } => format!("{} tried, {failure:?}", candidates.len()),
        }
    }

    #[test]
    fn hashed_id8_is_taken_over_the_x_only_form() {
        let id = |b: &[u8]| hex::encode(KeyringCert::from_coer(b, "t").unwrap().id);
        assert_eq!(
            (id(ROOT), id(EE)),
            ("9abe629c663f2e43".into(), "8ac46eedceee9b2f".into())
        );
        // The same certificate with rSig as a compressed point: other bytes, same HashedId8.
        let rc = fixture!("certs/ee-p256.r-compressed.coer");
        assert_ne!(rc, EE);
        assert_eq!(id(rc), "8ac46eedceee9b2f");
    }

    #[test]
    fn each_signer_identifier_kind() {
        // certificate: the first carried one.
        let cert = fixture!("signed/p256-certificate.coer");
        assert_eq!(check(cert, &[ECA]), "8ac46eedceee9b2f Trusted");
        // digest: the keyring certificate with that HashedId8, or none.
        let digest = fixture!("signed/p256-digest.coer");
        assert_eq!(check(digest, &[EE, ECA]), "8ac46eedceee9b2f Trusted");
        assert_eq!(check(digest, &[ECA]), "signer not found");
        let unknown = fixture!("signed/tampered-p256-unknown-digest.coer");
        assert_eq!(check(unknown, &[EE, ECA]), "signer not found");
        // self: every key known is tried (empty signer input); the root's verifies.
        let own = fixture!("signed/p256-self.coer");
        assert_eq!(check(own, &[EE, ECA]), "9abe629c663f2e43 Trusted");
    }

    #[test]
    fn failures() {
        let bad_s = fixture!("signed/tampered-p256-signature-s.coer");
        assert_eq!(check(bad_s, &[ECA]), "1 tried, Some(Invalid)");
        // Re-signed with e = H(tbsData) alone, without the signer part of §5.3.1.
        let rule = fixture!("signed/tampered-p256-hash-rule.coer");
        assert_eq!(check(rule, &[ECA]), "1 tried, Some(Invalid)");
        // hashId must be the hash the signature's curve goes with (P-256: SHA-256).
        let mut s = signed(fixture!("signed/p256-digest.coer"));
        s.hash = HashAlg::Sha384;
        let o = verify_signed(&s, &[], &Keyring::new(), UnixTime(0));
        assert!(matches!(o, Outcome::HashMismatch), "{o:?}");
    }
}
