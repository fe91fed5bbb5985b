//! Certification path building and validation (RFC 5280 §6, simplified for S/MIME chains).
//!
//! From the signer certificate, issuers are searched by name (and key identifier where both
//! sides carry one) among the trust anchors, the message's certificates and the keyring's
//! extra certificates. Every path tried is checked for validity period, issuer signature,
//! CA constraints and revocation (when a CRL from the issuer is available). When no path is
//! trusted, the most specific failure across all paths is reported, ranked as rustls-webpki
//! ranks its errors: validity period over revocation over signature over CA constraints over
//! an unknown issuer (docs/decisions.md).
//!
//! Why one file of ~650 lines of code (~760 with its unit tests): path building and the
//! per-certificate checks share the problem ranking that chooses the reason reported; the
//! file is to be replaced by complete RFC 5280 §6 validation (name constraints, policies,
//! every CRL kind), which will split it.

use crate::crypto::signature::{self, PublicKey};
use crate::keyring::Keyring;
use crate::report::findings;
use crate::report::CertStatus;
use crate::report::{Chain, ChainCert, ChainStatus};
use crate::time::UnixTime;
use crate::x509::certificate::Cert;
use crate::x509::dn;
use crate::x509::name_constraints;
use crate::x509::namespaces;
use crate::x509::policies;
use crate::x509::profile;

/// Longest path tried (signer + intermediates + anchor).
pub const MAX_PATH_LEN: usize = 10;
/// Most issuer candidates examined in one search, bounding hostile certificate sets.
pub const MAX_CANDIDATES: usize = 2000;

/// One thing wrong with one certificate of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Before notBefore.
    NotYetValid {
        /// Position in the path (0 = signer).
        index: usize,
        /// notBefore.
        not_before: UnixTime,
    },
    /// After notAfter.
    Expired {
        /// Position in the path.
        index: usize,
        /// notAfter.
        not_after: UnixTime,
    },
    /// Listed in the issuer's CRL.
    Revoked {
        /// Position in the path.
        index: usize,
        /// revocationDate.
        date: UnixTime,
        /// Which CRL said so.
        crl: String,
    },
    /// The issuer's key does not verify this certificate's signature.
    BadSignature {
        /// Position in the path.
        index: usize,
        /// Why.
        why: String,
    },
    /// The certificate's signature uses an algorithm or key this validator cannot check:
    /// nothing was found wrong, and nothing was proved either.
    UnsupportedAlgorithm {
        /// Position in the path.
        index: usize,
        /// Why.
        why: String,
    },
    /// The issuing certificate is not a CA or its pathLenConstraint is exceeded.
    CaConstraint {
        /// Position in the path of the offending CA certificate.
        index: usize,
        /// Why.
        why: String,
        /// Whether it is the pathLenConstraint (else: not a CA at all).
        path_len: bool,
    },
    /// CRLs from the issuer were given but none can be relied on (RFC 5280 §6.3.3).
    RevocationUnknown {
        /// Position in the path.
        index: usize,
        /// Why each CRL was set aside.
        why: String,
    },
    /// A critical extension this validator does not process (RFC 5280 §4.2).
    CriticalExtension {
        /// Position in the path.
        index: usize,
        /// The extension's OID (with its name where known).
        extension: String,
    },
    /// A name of the certificate is outside the name constraints of a CA above it.
    NameConstraint {
        /// Position in the path.
        index: usize,
        /// Which name, and which constraint.
        why: String,
    },
    /// The certificate breaks a rule of the RFC 5280 §4 profile (always for rules that make
    /// it unusable, the rest with strict checking).
    Profile {
        /// Position in the path.
        index: usize,
        /// What is wrong, with the section.
        why: String,
    },
    /// The path's certificate policies fail at this certificate.
    Policy {
        /// Position in the path.
        index: usize,
        /// Why.
        why: String,
    },
    /// The certificate's subject is outside the namespace its CA may sign (IGTF
    /// `.namespaces` / `.signing_policy`).
    Namespace {
        /// Position in the path.
        index: usize,
        /// Which rule, and why.
        why: String,
    },
    /// Ends in a self-signed certificate that is not a trust anchor.
    UntrustedRoot {
        /// Position in the path.
        index: usize,
    },
    /// No issuer certificate found.
    Incomplete {
        /// Position of the certificate whose issuer is missing.
        index: usize,
    },
}

impl Problem {
    /// Specificity rank: higher is more specific (after rustls-webpki's `Error::rank`).
    pub fn rank(&self) -> u32 {
        match self {
            Problem::NotYetValid { .. } | Problem::Expired { .. } => 290,
            Problem::Revoked { .. } => 270,
            Problem::RevocationUnknown { .. } => 260,
            Problem::BadSignature { .. } => 250,
            Problem::UnsupportedAlgorithm { .. } => 240,
            Problem::CriticalExtension { .. } => 230,
            Problem::Profile { .. } => 225,
            Problem::NameConstraint { .. } => 220,
            Problem::Policy { .. } => 215,
            Problem::Namespace { .. } => 212,
            Problem::CaConstraint { .. } => 200,
            Problem::UntrustedRoot { .. } => 20,
            Problem::Incomplete { .. } => 10,
        }
    }

    fn index(&self) -> usize {
        match self {
            Problem::NotYetValid { index, .. }
            | Problem::Expired { index, .. }
            | Problem::Revoked { index, .. }
            | Problem::RevocationUnknown { index, .. }
            | Problem::BadSignature { index, .. }
            | Problem::UnsupportedAlgorithm { index, .. }
            | Problem::CaConstraint { index, .. }
            | Problem::CriticalExtension { index, .. }
            | Problem::NameConstraint { index, .. }
            | Problem::Profile { index, .. }
            | Problem::Policy { index, .. }
            | Problem::Namespace { index, .. }
            | Problem::UntrustedRoot { index }
            | Problem::Incomplete { index } => *index,
        }
    }

    /// The chain status this problem gives.
    pub fn status(&self) -> ChainStatus {
        match self {
            Problem::NotYetValid { .. } => ChainStatus::NotYetValid,
            Problem::Expired { .. } => ChainStatus::Expired,
            Problem::Revoked { .. } => ChainStatus::Revoked,
            Problem::BadSignature { .. } => ChainStatus::BadSignature,
            Problem::UnsupportedAlgorithm { .. } => ChainStatus::NotChecked,
            // A CA that may not issue makes the path untrusted.
            Problem::CaConstraint { .. }
            | Problem::CriticalExtension { .. }
            | Problem::NameConstraint { .. }
            | Problem::Profile { .. }
            | Problem::Policy { .. }
            | Problem::Namespace { .. }
            | Problem::RevocationUnknown { .. }
            | Problem::UntrustedRoot { .. } => ChainStatus::UntrustedRoot,
            Problem::Incomplete { .. } => ChainStatus::Incomplete,
        }
    }

    /// The finding code this problem gives.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::NotYetValid { .. } => findings::CERT_NOT_YET_VALID,
            Problem::Expired { .. } => findings::CERT_EXPIRED,
            Problem::Revoked { .. } => findings::CERT_REVOKED,
            Problem::RevocationUnknown { .. } => findings::CERT_REVOCATION_UNKNOWN,
            Problem::BadSignature { .. } => findings::CERT_SIGNATURE_INVALID,
            Problem::UnsupportedAlgorithm { .. } => findings::UNSUPPORTED_ALGORITHM,
            Problem::CaConstraint { .. } => findings::CA_CONSTRAINT_VIOLATED,
            Problem::CriticalExtension { .. } => findings::CERT_CRITICAL_EXTENSION,
            Problem::NameConstraint { .. } => findings::NAME_CONSTRAINT_VIOLATED,
            Problem::Profile { .. } => findings::CERTIFICATE_PROFILE_VIOLATED,
            Problem::Policy { .. } => findings::POLICY_CONSTRAINT_VIOLATED,
            Problem::Namespace { .. } => findings::NAMESPACE_VIOLATED,
            Problem::UntrustedRoot { .. } => findings::CHAIN_UNTRUSTED,
            Problem::Incomplete { .. } => findings::CHAIN_INCOMPLETE,
        }
    }

    /// The RFC 5280 section behind the check.
    pub fn reference(&self) -> &'static str {
        match self {
            Problem::NotYetValid { .. } | Problem::Expired { .. } => "RFC 5280 §6.1.3 (a)(2)",
            Problem::Revoked { .. } => "RFC 5280 §6.1.3 (a)(3)",
            Problem::RevocationUnknown { .. } => "RFC 5280 §6.3.3",
            Problem::BadSignature { .. } | Problem::UnsupportedAlgorithm { .. } => {
                "RFC 5280 §6.1.3 (a)(1)"
            }
            Problem::CaConstraint { .. } => "RFC 5280 §6.1.4 (k), (l), (m), (n)",
            Problem::CriticalExtension { .. } => "RFC 5280 §4.2, §6.1.4 (o)",
            Problem::NameConstraint { .. } => "RFC 5280 §4.2.1.10, §6.1.3 (b), (c)",
            Problem::Profile { .. } => "RFC 5280 §4",
            Problem::Policy { .. } => "RFC 5280 §6.1.3 (d)-(f), §6.1.4 (a), (b), (g)-(j), §6.1.5",
            Problem::Namespace { .. } => "EUGridPMA namespaces 1.0, Globus signing policy",
            Problem::UntrustedRoot { .. } | Problem::Incomplete { .. } => "RFC 5280 §6.1",
        }
    }

    fn cert_status(&self) -> CertStatus {
        match self {
            Problem::NotYetValid { .. } => CertStatus::NotYetValid,
            Problem::Expired { .. } => CertStatus::Expired,
            Problem::Revoked { .. } => CertStatus::Revoked,
            Problem::RevocationUnknown { .. } => CertStatus::RevocationUnknown,
            Problem::BadSignature { .. } => CertStatus::BadSignature,
            Problem::UnsupportedAlgorithm { .. } => CertStatus::SignatureNotChecked,
            Problem::CaConstraint { path_len: true, .. } => CertStatus::PathLengthExceeded,
            Problem::CaConstraint { .. } => CertStatus::NotACa,
            Problem::CriticalExtension { .. } => CertStatus::CriticalExtension,
            Problem::NameConstraint { .. } => CertStatus::NameConstraintViolated,
            Problem::Profile { .. } => CertStatus::ProfileViolated,
            Problem::Policy { .. } => CertStatus::PolicyConstraintViolated,
            Problem::Namespace { .. } => CertStatus::NamespaceViolated,
            Problem::UntrustedRoot { .. } => CertStatus::UntrustedRoot,
            Problem::Incomplete { .. } => CertStatus::IssuerMissing,
        }
    }

    /// One sentence naming the certificate and the reason.
    pub fn describe(&self, path: &[&Cert], at: UnixTime) -> String {
        let name = |i: usize| {
            path.get(i)
                .map(|c| format!("{} (serial {})", dn::rfc4514(c.subject()), c.serial_hex()))
                .unwrap_or_else(|| "certificate".into())
        };
        match self {
            Problem::NotYetValid { index, not_before } => format!(
                "certificate {} is not valid before {}, {} the verification time {}",
                name(*index),
                not_before.to_rfc3339(),
                crate::time::relative(*not_before, at).replace("in ", "") + " after",
                at.to_rfc3339()
            ),
            Problem::Expired { index, not_after } => format!(
                "certificate {} expired on {} ({}, verification time {})",
                name(*index),
                not_after.to_rfc3339(),
                crate::time::relative(*not_after, at),
                at.to_rfc3339()
            ),
            Problem::Revoked { index, date, crl } => format!(
                "certificate {} was revoked on {} according to the CRL from {}",
                name(*index),
                date.to_rfc3339(),
                crl
            ),
            Problem::BadSignature { index, why } => {
                format!(
                    "signature on certificate {} does not verify with its issuer's key: {why}",
                    name(*index)
                )
            }
            Problem::UnsupportedAlgorithm { index, why } => {
                format!(
                    "the signature on certificate {} could not be checked (nothing was found wrong with it): {why}",
                    name(*index)
                )
            }
            Problem::CaConstraint { index, why, .. } => {
                format!(
                    "certificate {} may not issue certificates: {why}",
                    name(*index)
                )
            }
            Problem::RevocationUnknown { index, why } => format!(
                "the revocation status of {} is unknown: no CRL from its issuer can be relied on ({why})",
                name(*index)
            ),
            Problem::CriticalExtension { index, extension } => format!(
                "certificate {} carries the critical extension {extension}, which is not processed here, so it may not be relied on",
                name(*index)
            ),
            Problem::NameConstraint { index, why } => format!(
                "certificate {} breaks the name constraints of a CA above it: {why}",
                name(*index)
            ),
            Problem::Profile { index, why } => format!(
                "certificate {} does not keep the RFC 5280 certificate profile: {why}",
                name(*index)
            ),
            Problem::Policy { why, .. } => format!("the certificate policies fail: {why}"),
            Problem::Namespace { index, why } => format!(
                "certificate {} is outside the namespace its CA may sign: {why}",
                name(*index)
            ),
            Problem::UntrustedRoot { index } => format!(
                "the chain ends at self-signed {}, which is not a trust anchor",
                name(*index)
            ),
            Problem::Incomplete { index } => format!(
                "no certificate of issuer {} was found for {}",
                path.get(*index)
                    .map(|c| dn::rfc4514(c.issuer()))
                    .unwrap_or_default(),
                name(*index)
            ),
        }
    }
}

/// The result of validating one signer's chain.
#[derive(Clone, Debug)]
pub struct ChainResult {
    /// What goes into the report.
    pub chain: Chain,
    /// The deciding problem, if the chain is not trusted.
    pub problem: Option<Problem>,
    /// Whether trust anchors were supplied at all.
    pub anchors_supplied: bool,
}

struct Search<'a> {
    keyring: &'a Keyring,
    pool: Vec<&'a Cert>,
    at: UnixTime,
    examined: usize,
    /// Every path tried, each with its problems (empty = trusted).
    outcomes: Vec<(Vec<&'a Cert>, bool, Vec<Problem>)>,
    /// How many CRL-signer validations this search is nested in (bounded by
    /// [`MAX_CRL_SIGNER_DEPTH`]).
    crl_depth: u8,
    /// The CRL signer whose own path this (nested) search checks: a CRL it signs may vouch
    /// for its own certificate, as an indirect CRL that covers its issuer's CRL signer does.
    crl_signer: Option<&'a Cert>,
}

/// How deep the validation of a CRL signer's own path may nest (its CRLs' signers, …).
const MAX_CRL_SIGNER_DEPTH: u8 = 2;

fn key_ids_compatible(child: &Cert, issuer: &Cert) -> bool {
    match (child.authority_key_id(), issuer.subject_key_id()) {
        (Some(aki), Some(ski)) => aki == ski,
        _ => true,
    }
}

impl<'a> Search<'a> {
    fn is_anchor(&self, c: &Cert) -> bool {
        self.keyring.anchors.iter().any(|a| a.der == c.der)
    }

    fn candidates(&self, child: &Cert, path: &[&'a Cert]) -> Vec<(&'a Cert, bool)> {
        let mut out: Vec<(&'a Cert, bool)> = Vec::new();
        let in_path = |c: &Cert| path.iter().any(|p| p.der == c.der);
        for a in &self.keyring.anchors {
            if dn::same_name(a.subject(), child.issuer())
                && key_ids_compatible(child, a)
                && !in_path(a)
            {
                out.push((a, true));
            }
        }
        for &c in &self.pool {
            if dn::same_name(c.subject(), child.issuer())
                && key_ids_compatible(child, c)
                && !in_path(c)
                && !out.iter().any(|(o, _)| o.der == c.der)
            {
                out.push((c, self.is_anchor(c)));
            }
        }
        out
    }

    fn walk(&mut self, path: &mut Vec<&'a Cert>) {
        let Some(&last) = path.last() else { return };
        if self.is_anchor(last) {
            let problems = self.check(path, true);
            self.outcomes.push((path.clone(), true, problems));
            return;
        }
        let cands = if path.len() >= MAX_PATH_LEN || self.examined >= MAX_CANDIDATES {
            Vec::new()
        } else {
            self.candidates(last, path)
        };
        if cands.is_empty() {
            let mut problems = self.check(path, false);
            let index = path.len() - 1;
            if last.is_self_issued() {
                problems.push(Problem::UntrustedRoot { index });
            } else {
                problems.push(Problem::Incomplete { index });
            }
            self.outcomes.push((path.clone(), false, problems));
            return;
        }
        for (cand, _) in cands {
            self.examined += 1;
            path.push(cand);
            self.walk(path);
            path.pop();
            if self
                .outcomes
                .iter()
                .any(|(_, anchored, p)| *anchored && p.is_empty())
            {
                return;
            }
        }
    }

    /// Checks a path: every certificate's validity, each issuer's signature and CA status,
    /// revocation where a CRL from the issuer is at hand.
    fn check(&self, path: &[&'a Cert], anchored: bool) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (i, c) in path.iter().enumerate() {
            // The anchor's own extensions count too, as OpenSSL counts them: a trust anchor
            // with a critical extension nobody processes is not relied on.
            if let Some(extension) = c.unhandled_critical_extensions().into_iter().next() {
                problems.push(Problem::CriticalExtension {
                    index: i,
                    extension,
                });
            }
            // An anchor above the signer is exempt from the rules on how it was issued; a signer
            // that is itself an anchor is not (x509-limbo's rfc5280::serial::negative).
            let anchor_above = anchored && i > 0 && i + 1 == path.len();
            for v in profile::violations(c, i > 0, anchor_above) {
                if !v.strict_only || self.keyring.x509_strict {
                    problems.push(Problem::Profile {
                        index: i,
                        why: format!("{} ({})", v.why, v.section),
                    });
                }
            }
            if self.at < c.not_before() {
                problems.push(Problem::NotYetValid {
                    index: i,
                    not_before: c.not_before(),
                });
            } else if self.at > c.not_after() {
                problems.push(Problem::Expired {
                    index: i,
                    not_after: c.not_after(),
                });
            }
            let Some(issuer) = path.get(i + 1) else {
                continue;
            };
            match key_with_inherited_params(path, i + 1) {
                Ok(key) => {
                    let verified = signature::resolve(c.cert.signature_algorithm(), None)
                        .map_err(|u| signature::VerifyError::Unsupported(u.0))
                        .and_then(|alg| {
                            signature::verify_message(
                                &key,
                                &alg,
                                c.tbs_bytes(),
                                c.signature_bytes(),
                            )
                        });
                    match verified {
                        Ok(()) => {}
                        Err(signature::VerifyError::Invalid(why)) => {
                            problems.push(Problem::BadSignature { index: i, why })
                        }
                        Err(signature::VerifyError::Unsupported(why)) => {
                            problems.push(Problem::UnsupportedAlgorithm { index: i, why })
                        }
                    }
                    if let Some(p) = self.revocation(c, issuer, &key, i) {
                        problems.push(p);
                    }
                }
                Err(why) => problems.push(Problem::UnsupportedAlgorithm { index: i, why }),
            }
            let issuer_is_anchor = anchored && i + 1 == path.len() - 1;
            problems.extend(issuer_problems(
                path,
                i,
                issuer_is_anchor && !self.keyring.x509_strict,
            ));
        }
        problems.extend(name_constraint_problems(path, anchored));
        if let Err((index, why)) = policies::check(path, anchored, &self.keyring.policy) {
            problems.push(Problem::Policy { index, why });
        }
        let names: Vec<_> = path.iter().map(|c| (c.subject(), c.issuer())).collect();
        problems.extend(
            namespaces::check(&self.keyring.namespaces, &names)
                .into_iter()
                .map(|v| Problem::Namespace {
                    index: v.index,
                    why: v.why,
                }),
        );
        problems
    }

    /// Whether another certificate of the CRL's issuer (a key rollover's other key, or a
    /// separate CRL-signing certificate: same name, another key) signs `crl` and has a
    /// trusted path of its own (RFC 5280 §6.3.3 (f)). Its keyUsage, when present, must
    /// allow cRLSign.
    fn other_crl_signer(&self, crl: &crate::x509::crl::Crl) -> bool {
        if self.crl_depth >= MAX_CRL_SIGNER_DEPTH {
            return false;
        }
        let anchors = self.keyring.anchors.iter();
        anchors
            .chain(self.pool.iter().copied())
            .filter(|c| dn::same_name(c.subject(), crl.issuer()))
            .any(|signer| {
                let Ok(key) = signer.public_key() else {
                    return false;
                };
                crl.unusable_for(signer, &key, self.at).is_none()
                    && (self.crl_signer.is_some_and(|c| c.der == signer.der)
                        || self.trusted(signer))
            })
    }

    /// Whether `cert` has a trusted path of its own, found by a nested search.
    fn trusted(&self, cert: &'a Cert) -> bool {
        if self.is_anchor(cert) {
            return true;
        }
        let mut nested = Search {
            keyring: self.keyring,
            pool: self.pool.clone(),
            at: self.at,
            examined: 0,
            outcomes: Vec::new(),
            crl_depth: self.crl_depth + 1,
            crl_signer: Some(cert),
        };
        let mut path = vec![cert];
        nested.walk(&mut path);
        nested
            .outcomes
            .iter()
            .any(|(_, anchored, problems)| *anchored && problems.is_empty())
    }

    fn revocation(
        &self,
        cert: &Cert,
        issuer: &Cert,
        issuer_key: &signature::PublicKey,
        index: usize,
    ) -> Option<Problem> {
        let serial = cert.cert.tbs_certificate().serial_number().as_bytes();
        let mut unusable = Vec::new();
        let mut named = 0;
        // The revocation reasons the usable CRLs cover together (RFC 5280 §6.3.3).
        let mut covered = 0u16;
        // CRLs from the issuer itself, and indirect CRLs from a cRLIssuer its
        // cRLDistributionPoints names (RFC 5280 §4.2.1.13, §5.2.5).
        let crl_issuers = crl_issuers_named(cert);
        // Whether a CRL can speak for this certificate, and for which reasons.
        let usable = |crl: &crate::x509::crl::Crl| -> Result<u16, String> {
            let direct = dn::same_name(crl.issuer(), issuer.subject());
            // A certificate whose distribution points all name another CRL issuer is not
            // covered by its issuer's own CRLs (RFC 5280 §6.3.3 (b)(1)).
            if direct && !crl_issuers.is_empty() && !direct_crls_apply(cert) {
                return Err(format!(
                    "{}: the certificate's cRLDistributionPoints name another CRL issuer",
                    crl.source
                ));
            }
            if self.keyring.x509_strict {
                if let Some(why) = crl.profile_problem() {
                    return Err(why);
                }
            }
            let why = if direct {
                crl.unusable_for(issuer, issuer_key, self.at)
            } else {
                Some(format!(
                    "{}: no trusted certificate of its issuer {} signs it",
                    crl.source,
                    dn::rfc4514(crl.issuer())
                ))
            };
            match why {
                Some(why) if !self.other_crl_signer(crl) => Err(why),
                _ => crl.scope_for(cert),
            }
        };
        let relevant = |crl: &&crate::x509::crl::Crl| {
            dn::same_name(crl.issuer(), issuer.subject())
                || (crl.is_indirect() && crl_issuers.iter().any(|n| dn::same_name(crl.issuer(), n)))
        };
        let mut base_listed = None;
        let mut base_numbers = Vec::new();
        for crl in self.keyring.crls.iter().filter(relevant) {
            if crl.delta_base().is_some() {
                continue;
            }
            named += 1;
            let reasons = match usable(crl) {
                Ok(r) => r,
                Err(why) => {
                    unusable.push(why);
                    continue;
                }
            };
            if let Some(n) = crl.number() {
                base_numbers.push(n);
            }
            let listed = crl.entry_issued_by(serial, cert.issuer());
            if let Some((date, reason)) = listed.filter(|&(date, _)| date <= self.at) {
                base_listed.get_or_insert((date, reason, crl.source.clone()));
            }
            covered |= reasons;
        }
        // Delta CRLs (RFC 5280 §5.2.4, §6.3.3 (c)) update a complete CRL whose cRLNumber is
        // at least their BaseCRLNumber: an entry there revokes, or (removeFromCRL) releases
        // a certificate the base CRL holds.
        let mut delta_listed = None;
        for crl in self.keyring.crls.iter().filter(relevant) {
            let Some(base) = crl.delta_base() else {
                continue;
            };
            let updates_a_base = base_numbers
                .iter()
                .any(|n| crate::x509::crl::cmp_numbers(n, &base).is_ge());
            if !updates_a_base || usable(crl).is_err() {
                continue;
            }
            let listed = crl.entry_issued_by(serial, cert.issuer());
            if let Some((date, reason)) = listed.filter(|&(date, _)| date <= self.at) {
                delta_listed.get_or_insert((date, reason, crl.source.clone()));
            }
        }
        let revoked = match delta_listed {
            Some((_, Some(crate::x509::crl::REMOVE_FROM_CRL), _)) => None,
            Some(entry) => Some(entry),
            None => base_listed,
        };
        if let Some((date, _, source)) = revoked {
            return Some(Problem::Revoked {
                index,
                date,
                crl: source,
            });
        }
        let required = match self.keyring.revocation_check {
            crate::keyring::RevocationCheck::WhereAvailable => false,
            crate::keyring::RevocationCheck::Signer => index == 0,
            crate::keyring::RevocationCheck::All => true,
        };
        if named == 0 && required {
            return Some(Problem::RevocationUnknown {
                index,
                why: format!(
                    "no CRL from its issuer {} was given, and a revocation status is required",
                    dn::rfc4514(issuer.subject())
                ),
            });
        }
        // CRLs from this issuer were given, but together they do not cover every reason
        // (none usable, or each scoped to some reasons only): the status is unknown rather
        // than good.
        (named > 0 && covered != crate::x509::crl::ALL_REASONS).then(|| {
            if unusable.is_empty() {
                unusable.push(
                    "the CRLs from its issuer cover only some revocation reasons (onlySomeReasons)"
                        .into(),
                );
            }
            Problem::RevocationUnknown {
                index,
                why: unusable.join("; "),
            }
        })
    }
}

/// Whether CRLs from the certificate's own issuer can cover it: it has no
/// cRLDistributionPoints, or one of them has no cRLIssuer or names that issuer.
fn direct_crls_apply(cert: &Cert) -> bool {
    use x509_cert::ext::pkix::name::GeneralName;
    let dps = cert
        .cert
        .tbs_certificate()
        .get_extension::<x509_cert::ext::pkix::CrlDistributionPoints>()
        .ok()
        .flatten()
        .map(|(_, dps)| dps.0)
        .unwrap_or_default();
    dps.is_empty()
        || dps.iter().any(|dp| match &dp.crl_issuer {
            None => true,
            Some(names) => names.iter().any(
                |n| matches!(n, GeneralName::DirectoryName(d) if dn::same_name(d, cert.issuer())),
            ),
        })
}

/// The directory names a certificate's cRLDistributionPoints give as cRLIssuer: the
/// issuers of indirect CRLs that may cover it.
fn crl_issuers_named(cert: &Cert) -> Vec<x509_cert::name::Name> {
    use x509_cert::ext::pkix::name::GeneralName;
    cert.cert
        .tbs_certificate()
        .get_extension::<x509_cert::ext::pkix::CrlDistributionPoints>()
        .ok()
        .flatten()
        .map(|(_, dps)| dps.0)
        .unwrap_or_default()
        .into_iter()
        .flat_map(|dp| dp.crl_issuer.unwrap_or_default())
        .filter_map(|n| match n {
            GeneralName::DirectoryName(d) => Some(d),
            _ => None,
        })
        .collect()
}

/// Name constraints down the path (RFC 5280 §6.1.3 (b), (c), §6.1.4 (g)): each certificate
/// below a CA with nameConstraints is checked against them, except self-issued CA
/// certificates (the signer's own certificate is always checked). The trust anchor's own
/// constraints are not applied (RFC 5280 §6.1.1: they are not part of the anchor input).
fn name_constraint_problems(path: &[&Cert], anchored: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut subtrees = name_constraints::Subtrees::default();
    for (i, c) in path.iter().enumerate().rev() {
        let is_anchor = anchored && i + 1 == path.len();
        if !is_anchor && (i == 0 || !c.is_self_issued()) {
            if let Err(why) = subtrees.check(c) {
                problems.push(Problem::NameConstraint { index: i, why });
            }
        }
        if i > 0 {
            match name_constraints::of(c) {
                Ok(Some(nc)) => subtrees.add(&nc),
                Ok(None) => {}
                Err(why) => problems.push(Problem::NameConstraint { index: i, why }),
            }
        }
    }
    problems
}

/// What is wrong with `path[i + 1]` as the issuer of `path[i]`: basicConstraints cA,
/// keyUsage keyCertSign when keyUsage is present, and pathLenConstraint, which counts the
/// certificates between the issuer and the signer that are not self-issued (RFC 5280 §6.1.4
/// (k), (l), (m), (n)). A trust anchor is held to the same rules, as OpenSSL holds it,
/// except that without strict checking (`anchor_lenient`) an anchor with no
/// basicConstraints is taken as a CA when it is a version 1 certificate or its keyUsage
/// asserts keyCertSign (OpenSSL's `X509_check_ca`).
fn issuer_problems(path: &[&Cert], i: usize, anchor_lenient: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(issuer) = path.get(i + 1) else {
        return problems;
    };
    match issuer.basic_constraints() {
        Some((true, path_len)) => {
            let below = path
                .iter()
                .take(i + 1)
                .skip(1)
                .filter(|c| !c.is_self_issued())
                .count();
            if let Some(usage) = issuer.key_usage() {
                if !usage.contains(&"keyCertSign") {
                    problems.push(Problem::CaConstraint {
                        index: i + 1,
                        why: format!("its keyUsage ({}) lacks keyCertSign", usage.join(", ")),
                        path_len: false,
                    });
                }
            }
            if let Some(max) = path_len {
                if below > usize::from(max) {
                    problems.push(Problem::CaConstraint {
                        index: i + 1,
                        why: format!(
                            "pathLenConstraint {max} allows {max} intermediate certificate(s) below it, the path has {below}"
                        ),
                        path_len: true,
                    });
                }
            }
        }
        None if anchor_lenient
            && (issuer.cert.tbs_certificate().version() == x509_cert::Version::V1
                || issuer
                    .key_usage()
                    .is_some_and(|u| u.contains(&"keyCertSign"))) => {}
        _ => problems.push(Problem::CaConstraint {
            index: i + 1,
            why: "basicConstraints cA is not set".into(),
            path_len: false,
        }),
    }
    problems
}

/// Builds and validates the chain of `signer` at time `at`. `message_certs` are the
/// certificates the message carries.
pub fn validate(
    signer: &Cert,
    message_certs: &[Cert],
    keyring: &Keyring,
    at: UnixTime,
) -> ChainResult {
    let pool: Vec<&Cert> = message_certs.iter().chain(keyring.certs.iter()).collect();
    let mut search = Search {
        keyring,
        pool,
        at,
        examined: 0,
        outcomes: Vec::new(),
        crl_depth: 0,
        crl_signer: None,
    };
    let mut path = vec![signer];
    search.walk(&mut path);
    let anchors_supplied = keyring.has_anchors();

    let trusted = search
        .outcomes
        .iter()
        .find(|(_, anchored, p)| *anchored && p.is_empty());
    if let Some((path, _, _)) = trusted {
        let anchor = path.last().map(|a| dn::rfc4514(a.subject()));
        return ChainResult {
            chain: Chain {
                status: ChainStatus::Trusted,
                anchor: anchor.clone(),
                certificates: chain_certs(path, &[], true),
                reason: format!(
                    "chain of {} certificate(s) reaches trust anchor {}",
                    path.len(),
                    anchor.unwrap_or_default()
                ),
            },
            problem: None,
            anchors_supplied,
        };
    }

    // Pick the most specific failure over every path tried; prefer anchored paths on ties.
    let best = search
        .outcomes
        .iter()
        .max_by_key(|(_, anchored, problems)| {
            (
                problems.iter().map(Problem::rank).max().unwrap_or(0),
                *anchored,
            )
        });
    let Some((path, anchored, problems)) = best else {
        // Unreachable in practice: walk always records an outcome.
        return ChainResult {
            chain: Chain {
                status: ChainStatus::NotChecked,
                anchor: None,
                certificates: Vec::new(),
                reason: "no path could be examined".into(),
            },
            problem: None,
            anchors_supplied,
        };
    };
    // On equal rank, the problem nearest the signer is the one to report.
    let top = problems
        .iter()
        .max_by_key(|p| (p.rank(), std::cmp::Reverse(p.index())))
        .cloned();
    let certificates = chain_certs(path, problems, *anchored);
    let (status, mut reason, problem) = match &top {
        Some(p) if !anchors_supplied && p.rank() < 200 => (
            ChainStatus::NotChecked,
            format!("no trust anchors were supplied ({})", p.describe(path, at)),
            Some(p.clone()),
        ),
        Some(p) => (p.status(), p.describe(path, at), Some(p.clone())),
        None => (ChainStatus::NotChecked, "not checked".into(), None),
    };
    // The other candidate paths, and where each stops, so that a user sees every way the
    // chain could have gone (a cross-signed or renewed CA, a stale intermediate).
    let others: Vec<String> = search
        .outcomes
        .iter()
        .filter(|(p, _, _)| !std::ptr::eq(p, path))
        .take(5)
        .map(|(p, _, probs)| {
            let names: Vec<String> = p.iter().map(|c| short_name(c)).collect();
            let why = probs
                .iter()
                .max_by_key(|x| (x.rank(), std::cmp::Reverse(x.index())))
                .map(|x| x.describe(p, at))
                .unwrap_or_else(|| "no problem found".into());
            format!("{}: {why}", names.join(" → "))
        })
        .collect();
    if !others.is_empty() {
        reason.push_str(&format!(
            "; {} other candidate path(s): {}",
            search.outcomes.len() - 1,
            others.join("; ")
        ));
    }
    ChainResult {
        chain: Chain {
            status,
            anchor: if *anchored {
                path.last().map(|a| dn::rfc4514(a.subject()))
            } else {
                None
            },
            certificates,
            reason,
        },
        problem,
        anchors_supplied,
    }
}

/// A certificate's subject as a path shows it: its CN, or the whole name without one.
fn short_name(c: &Cert) -> String {
    let full = dn::rfc4514(c.subject());
    full.split(',')
        .find_map(|part| part.strip_prefix("CN="))
        .map(str::to_string)
        .unwrap_or(full)
}

fn chain_certs(path: &[&Cert], problems: &[Problem], anchored: bool) -> Vec<ChainCert> {
    path.iter()
        .enumerate()
        .map(|(i, c)| {
            let worst = problems
                .iter()
                .filter(|p| p.index() == i)
                .max_by_key(|p| p.rank());
            let status = match worst {
                Some(p) => p.cert_status(),
                None if anchored && i + 1 == path.len() => CertStatus::Anchor,
                None => CertStatus::Valid,
            };
            ChainCert {
                subject: dn::rfc4514(c.subject()),
                issuer: dn::rfc4514(c.issuer()),
                serial: c.serial_hex(),
                not_before: c.not_before().to_rfc3339(),
                not_after: c.not_after().to_rfc3339(),
                status,
                source: c.source.clone(),
            }
        })
        .collect()
}

/// The public key of `path[at]`; a DSA key that inherits its parameters (RFC 3279 §2.3.2)
/// takes them from the nearest certificate above it in the path whose DSA key carries them.
pub fn key_with_inherited_params(path: &[&Cert], at: usize) -> Result<PublicKey, String> {
    let cert = path.get(at).ok_or("no issuer certificate")?;
    let key = cert.public_key()?;
    match &key {
        PublicKey::Dsa(k) if k.params.is_none() => path[at + 1..]
            .iter()
            .find_map(|c| match c.public_key() {
                Ok(PublicKey::Dsa(up)) => up.params.clone(),
                _ => None,
            })
            .map(|p| PublicKey::Dsa(k.with_params(&p)))
            .ok_or_else(|| {
                format!(
                    "the DSA key of {} inherits its parameters, and no certificate above it in the path carries DSA parameters",
                    dn::rfc4514(cert.subject())
                )
            }),
        _ => Ok(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::certificate::load_certificates;

    macro_rules! pv {
        ($i:literal, $f:literal) => {
            include_bytes!(concat!(
                "../../../tests/fixtures/pathval/cases/",
                $i,
                "/",
                $f
            ))
        };
    }

    /// Validates at 2026-06-01, the time of every case used (CASES.tsv).
    fn run(leaf: &[u8], carried: &[u8], anchors: &[u8], crls: &[u8]) -> ChainResult {
        let leaf = load_certificates(leaf, "leaf.pem").unwrap().remove(0);
        let carried = load_certificates(carried, "m").unwrap_or_default();
        let mut k = Keyring::new();
        let _ = (k.add_anchors(anchors, "a"), k.add_crls(crls, "crls.pem"));
        validate(
            &leaf,
            &carried,
            &k,
            UnixTime::parse("2026-06-01T00:00:00Z").unwrap(),
        )
    }

    /// "<chain status> <status of the offending certificate>@<its index>: <detail>".
    fn brief(r: &ChainResult) -> String {
        let certs = &r.chain.certificates;
        let Some(p) = &r.problem else {
            let all: Vec<_> = certs.iter().map(|c| c.status).collect();
            return format!("{:?} {all:?}", r.chain.status);
        };
        let detail = match p {
            Problem::NotYetValid { not_before: t, .. }
            | Problem::Expired { not_after: t, .. }
            | Problem::Revoked { date: t, .. } => t.to_rfc3339(),
            Problem::BadSignature { why, .. }
            | Problem::CaConstraint { why, .. }
            | Problem::RevocationUnknown { why, .. } => why.clone(),
            _ => String::new(),
        };
        let i = p.index();
        format!("{:?} {:?}@{i}: {detail}", r.chain.status, certs[i].status)
    }

    macro_rules! check {
        ($($id:literal $(+ $crls:literal)? => $want:expr,)*) => {$(
            let crls: &[u8] = [$(&pv!($id, $crls)[..],)? &[][..]][0];
            let r = run(pv!($id, "leaf.pem"), pv!($id, "intermediates.pem"), pv!($id, "anchors.pem"), crls);
            assert_eq!(brief(&r), $want, "{}", $id);
        )*};
    }

    #[test]
    fn pathval_cases() {
        check! {
            "good-2ca" => "Trusted [Valid, Valid, Anchor]",
            // The validity period includes notAfter (RFC 5280 §4.1.2.5); a second later fails.
            "val-leaf-notafter-equals-at" => "Trusted [Valid, Valid, Anchor]",
            "val-leaf-expired-one-second" => "Expired Expired@0: 2026-05-31T23:59:59Z",
            "val-inter-not-yet-valid" => "NotYetValid NotYetValid@1: 2026-09-01T00:00:00Z",
            "sig-leaf-flipped" => "BadSignature BadSignature@0: ECDSA P-256 signature does not verify",
            // An anchor is a name and a key (§6.1.1(d)): its own signature is not checked.
            "sig-anchor-self-signature-flipped" => "Trusted [Valid, Valid, Anchor]",
            "bc-inter-missing" => "UntrustedRoot NotACa@1: basicConstraints cA is not set",
            "ku-inter-no-certsign" => "UntrustedRoot NotACa@1: its keyUsage (digitalSignature, cRLSign) lacks keyCertSign",
            // CA 1 (pathLen 0) issued CA 2, which issued the signer; a rollover does not count.
            "plen-0-ca-below" => "UntrustedRoot PathLengthExceeded@2: pathLenConstraint 0 allows 0 intermediate certificate(s) below it, the path has 1",
            "plen-self-issued-rollover" => "Trusted [Valid, Valid, Valid, Anchor]",
            "crl-leaf-revoked" + "crls.pem" => "Revoked Revoked@0: 2026-03-01T00:00:00Z",
            "crl-inter-revoked" + "crls.pem" => "Revoked Revoked@1: 2026-03-01T00:00:00Z",
            // A revocationDate after the validation time does not revoke at that time.
            "crl-revoked-after-at" + "crls.pem" => "Trusted [Valid, Valid, Anchor]",
            "crl-forged" + "crls.pem" => "UntrustedRoot RevocationUnknown@0: crls.pem: its signature does not verify with the issuer's key",
            "anchor-root-absent" => "Incomplete IssuerMissing@1: ",
            "anchor-root-not-trusted" => "UntrustedRoot UntrustedRoot@2: ",
            // Every candidate issuer is tried (RFC 4158): the wrong-key one first.
            "build-same-subject-two-keys" => "Trusted [Valid, Valid, Anchor]",
        }
    }

    #[test]
    fn most_specific_failure_across_paths() {
        // Two same-named intermediates and no way to the (unrelated) anchor: the expired
        // one's path (Expired, rank 290) is reported over the other's missing issuer (10).
        let leaf = pv!("build-two-inters-one-expired", "leaf.pem");
        let carried = pv!("build-two-inters-one-expired", "intermediates.pem");
        let r = run(leaf, carried, pv!("good-1ca", "anchors.pem"), b"");
        assert_eq!(brief(&r), "Expired Expired@1: 2026-01-01T00:00:00Z");
        assert_eq!(r.chain.anchor, None);
        // Without anchors an incomplete path is not a failure but "not checked".
        let leaf = pv!("good-2ca", "leaf.pem");
        let r = run(leaf, pv!("good-2ca", "intermediates.pem"), b"", b"");
        assert_eq!(brief(&r), "NotChecked IssuerMissing@1: ");
        let reason = &r.chain.reason;
        assert!(reason.starts_with("no trust anchors were supplied (no certificate of"));
    }
}
