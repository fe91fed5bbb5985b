//! Certificate policies down a path (RFC 5280 §6.1.2 (a), (d)–(f), §6.1.3 (d)–(f),
//! §6.1.4 (a), (b), (g)–(j), §6.1.5 (a), (b), (g)), with the initial inputs of §6.1.1:
//! user-initial-policy-set {anyPolicy}, no initial explicit policy, policy mapping and
//! anyPolicy allowed.
//!
//! Only whether the valid_policy_tree is empty matters for the answer under these inputs, so
//! the tree is kept as its deepest level: for each valid policy, its expected policy set. A
//! level reached from several parents with the same valid policy carries the same expected
//! set ({P}, or P's mappings), so one entry per policy loses nothing.

use crate::x509::certificate::Cert;
use crate::x509::dn;
use der::asn1::ObjectIdentifier as Oid;
use std::collections::{BTreeMap, BTreeSet};
use x509_cert::ext::pkix::{
    CertificatePolicies, InhibitAnyPolicy, PolicyConstraints, PolicyMappings,
};

use crate::crypto::oids::ANY_POLICY;

/// Deepest level of the valid_policy_tree: valid policy → expected policy set.
type Level = BTreeMap<Oid, BTreeSet<Oid>>;

fn ext<'a, T>(cert: &'a Cert, what: &str) -> Result<Option<T>, String>
where
    T: der::Decode<'a> + const_oid::AssociatedOid,
{
    cert.cert
        .tbs_certificate()
        .get_extension::<T>()
        .map(|o| o.map(|(_, v)| v))
        .map_err(|e| format!("its {what} extension cannot be read: {e}"))
}

fn name(cert: &Cert) -> String {
    format!(
        "{} (serial {})",
        dn::rfc4514(cert.subject()),
        cert.serial_hex()
    )
}

/// Processes the policies of `path` (`path[0]` the signer; the last certificate the trust
/// anchor when `anchored`, whose own extensions are not inputs). `Err` gives the position of
/// the certificate where the path fails and why.
pub fn check(path: &[&Cert], anchored: bool) -> Result<(), (usize, String)> {
    let n = path.len() - usize::from(anchored);
    // §6.1.2: the counters start at n + 1 (nothing required, nothing inhibited).
    let (mut explicit, mut mapping, mut inhibit_any) = (n + 1, n + 1, n + 1);
    let mut tree: Option<Level> =
        Some(BTreeMap::from([(ANY_POLICY, BTreeSet::from([ANY_POLICY]))]));
    // From the certificate below the anchor down to the signer.
    for index in (0..n).rev() {
        let cert = path[index];
        let last = index == 0;
        let self_issued = cert.is_self_issued();
        let fail = |why: String| (index, why);
        let policies = ext::<CertificatePolicies>(cert, "certificatePolicies").map_err(fail)?;
        // §6.1.3 (d), (e).
        tree = match (tree.take(), &policies) {
            (Some(level), Some(cp)) => {
                let ids: Vec<Oid> = cp.0.iter().map(|p| p.policy_identifier).collect();
                let mut next = Level::new();
                let has_any_parent = level.contains_key(&ANY_POLICY);
                for p in ids.iter().filter(|p| **p != ANY_POLICY) {
                    let matched = level.values().any(|exp| exp.contains(p));
                    if matched || has_any_parent {
                        next.insert(*p, BTreeSet::from([*p]));
                    }
                }
                let any_allowed = inhibit_any > 0 || (!last && self_issued);
                if ids.contains(&ANY_POLICY) && any_allowed {
                    for exp in level.values() {
                        for p in exp {
                            next.entry(*p).or_insert_with(|| BTreeSet::from([*p]));
                        }
                    }
                }
                (!next.is_empty()).then_some(next)
            }
            _ => None,
        };
        // §6.1.3 (f).
        if explicit == 0 && tree.is_none() {
            return Err(fail(format!(
                "an explicit policy is required here, and no policy is valid for {} (its certificatePolicies {})",
                name(cert),
                match &policies {
                    Some(cp) => cp
                        .0
                        .iter()
                        .map(|p| p.policy_identifier.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    None => "are absent".into(),
                }
            )));
        }
        if last {
            break;
        }
        // §6.1.4 (a), (b): policy mappings.
        if let Some(maps) = ext::<PolicyMappings>(cert, "policyMappings").map_err(fail)? {
            if maps.0.iter().any(|m| {
                m.issuer_domain_policy == ANY_POLICY || m.subject_domain_policy == ANY_POLICY
            }) {
                return Err(fail(format!(
                    "{} maps to or from anyPolicy, which RFC 5280 §6.1.4 (a) forbids",
                    name(cert)
                )));
            }
            let mut by_issuer: BTreeMap<Oid, BTreeSet<Oid>> = BTreeMap::new();
            for m in &maps.0 {
                by_issuer
                    .entry(m.issuer_domain_policy)
                    .or_default()
                    .insert(m.subject_domain_policy);
            }
            if let Some(level) = tree.as_mut() {
                for (issuer, subjects) in by_issuer {
                    if mapping > 0 {
                        if let Some(exp) = level.get_mut(&issuer) {
                            *exp = subjects;
                        } else if level.contains_key(&ANY_POLICY) {
                            level.insert(issuer, subjects);
                        }
                    } else {
                        level.remove(&issuer);
                    }
                }
                if level.is_empty() {
                    tree = None;
                }
            }
        }
        // §6.1.4 (h)–(j).
        if !self_issued {
            explicit = explicit.saturating_sub(1);
            mapping = mapping.saturating_sub(1);
            inhibit_any = inhibit_any.saturating_sub(1);
        }
        if let Some(pc) = ext::<PolicyConstraints>(cert, "policyConstraints").map_err(fail)? {
            if let Some(r) = pc.require_explicit_policy {
                explicit = explicit.min(r as usize);
            }
            if let Some(m) = pc.inhibit_policy_mapping {
                mapping = mapping.min(m as usize);
            }
        }
        if let Some(InhibitAnyPolicy(skip)) =
            ext::<InhibitAnyPolicy>(cert, "inhibitAnyPolicy").map_err(fail)?
        {
            inhibit_any = inhibit_any.min(skip as usize);
        }
    }
    // §6.1.5 (a), (b), (g): wrap-up on the signer's certificate.
    let leaf = path[0];
    explicit = explicit.saturating_sub(1);
    if let Some(pc) = ext::<PolicyConstraints>(leaf, "policyConstraints").map_err(|w| (0, w))? {
        if pc.require_explicit_policy == Some(0) {
            explicit = 0;
        }
    }
    if explicit == 0 && tree.is_none() {
        return Err((
            0,
            format!(
                "a CA on the path requires an explicit policy, and no certificate policy is valid for the whole path down to {}",
                name(leaf)
            ),
        ));
    }
    Ok(())
}
