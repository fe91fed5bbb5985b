//! Certificate policies down a path (RFC 5280 §6.1.2 (a), (d)–(f), §6.1.3 (d)–(f),
//! §6.1.4 (a), (b), (g)–(j), §6.1.5 (a), (b), (g)) with the caller's initial inputs of
//! §6.1.1: user-initial-policy-set, initial-explicit-policy, initial-policy-mapping-inhibit
//! and initial-any-policy-inhibit ([`PolicySettings`], OpenSSL's `-policy`,
//! `-explicit_policy`, `-inhibit_map`, `-inhibit_any`).
//!
//! The valid_policy_tree is kept as RFC 9618's policy graph: one node per valid policy on
//! each level, with the set of its parents on the level above, so a path whose CAs assert
//! and map many policies cannot make it grow exponentially (the tree of RFC 5280 can).

use crate::x509::certificate::Cert;
use crate::x509::dn;
use der::asn1::ObjectIdentifier as Oid;
use std::collections::{BTreeMap, BTreeSet};
use x509_cert::ext::pkix::{
    CertificatePolicies, InhibitAnyPolicy, PolicyConstraints, PolicyMappings,
};

use crate::crypto::oids::ANY_POLICY;

/// A certificate policy identifier.
pub type PolicyOid = Oid;

/// The initial policy inputs of RFC 5280 §6.1.1 (c), (e), (f), (g). The default is RFC
/// 5280's: any policy acceptable, nothing required or inhibited.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicySettings {
    /// user-initial-policy-set: the policies the caller accepts (empty means anyPolicy).
    pub initial_policy_set: Vec<Oid>,
    /// initial-explicit-policy: the path must be valid for at least one policy of the set.
    pub explicit_policy: bool,
    /// initial-policy-mapping-inhibit: policy mappings are not followed.
    pub inhibit_policy_mapping: bool,
    /// initial-any-policy-inhibit: anyPolicy in a certificate is not taken as a match.
    pub inhibit_any_policy: bool,
}

impl PolicySettings {
    /// Whether every input is RFC 5280's default.
    pub fn is_default(&self) -> bool {
        *self == PolicySettings::default()
    }

    /// Reads policy OIDs given as text: dotted numbers separated by commas or white space
    /// (`anyPolicy` and `2.5.29.32.0` mean any policy).
    pub fn parse_policy_list(text: &str) -> Result<Vec<Oid>, String> {
        text.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(|s| {
                if s.eq_ignore_ascii_case("anyPolicy") {
                    return Ok(ANY_POLICY);
                }
                Oid::new(s).map_err(|e| format!("{s:?} is not a policy OID: {e}"))
            })
            .collect()
    }
}

/// One node of a level: its expected policy set and its parents (valid policies of the level
/// above).
#[derive(Clone, Debug)]
struct Node {
    expected: BTreeSet<Oid>,
    parents: BTreeSet<Oid>,
}

/// One level of the policy graph, by valid policy.
type Level = BTreeMap<Oid, Node>;

fn node(expected: BTreeSet<Oid>, parent: Oid) -> Node {
    Node {
        expected,
        parents: BTreeSet::from([parent]),
    }
}

/// Removes nodes that lost every parent (downwards), then nodes without children below
/// the last level (upwards): §6.1.3 (d)(3) and the deletions of (b)(2), §6.1.5 (g).
fn prune(levels: &mut [Level]) {
    for k in 1..levels.len() {
        let (above, below) = levels.split_at_mut(k);
        let above = &above[k - 1];
        for n in below[0].values_mut() {
            n.parents.retain(|p| above.contains_key(p));
        }
        below[0].retain(|_, n| !n.parents.is_empty());
    }
    for k in (0..levels.len().saturating_sub(1)).rev() {
        let (upper, lower) = levels.split_at_mut(k + 1);
        let used: BTreeSet<Oid> = lower[0]
            .values()
            .flat_map(|n| n.parents.iter().copied())
            .collect();
        upper[k].retain(|p, _| used.contains(p));
    }
}

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

fn list(set: &[Oid]) -> String {
    set.iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Processes the policies of `path` (`path[0]` the signer; the last certificate the trust
/// anchor when `anchored`, whose own extensions are not inputs) under `settings`. `Err`
/// gives the position of the certificate where the path fails and why.
pub fn check(
    path: &[&Cert],
    anchored: bool,
    settings: &PolicySettings,
) -> Result<(), (usize, String)> {
    let n = path.len() - usize::from(anchored);
    // §6.1.2 (d)-(f): n + 1, or 0 when the caller's input asks for it.
    let start = |set: bool| if set { 0 } else { n + 1 };
    let mut explicit = start(settings.explicit_policy);
    let mut mapping = start(settings.inhibit_policy_mapping);
    let mut inhibit_any = start(settings.inhibit_any_policy);
    let root = node(BTreeSet::from([ANY_POLICY]), ANY_POLICY);
    // levels[0] is the root; levels[i] belongs to the i-th certificate from the anchor.
    // An empty last level is the NULL tree.
    let mut levels: Vec<Level> = vec![BTreeMap::from([(ANY_POLICY, root)])];
    // From the certificate below the anchor down to the signer.
    for index in (0..n).rev() {
        let cert = path[index];
        let last = index == 0;
        let self_issued = cert.is_self_issued();
        let fail = |why: String| (index, why);
        let policies = ext::<CertificatePolicies>(cert, "certificatePolicies").map_err(fail)?;
        let level = levels.last().cloned().unwrap_or_default();
        let mut next = Level::new();
        // §6.1.3 (d), (e): no certificatePolicies makes the tree NULL.
        if let (Some(cp), false) = (&policies, level.is_empty()) {
            let ids: Vec<Oid> = cp.0.iter().map(|p| p.policy_identifier).collect();
            for p in ids.iter().filter(|p| **p != ANY_POLICY) {
                let parents: BTreeSet<Oid> = level
                    .iter()
                    .filter(|(_, nd)| nd.expected.contains(p))
                    .map(|(v, _)| *v)
                    .collect();
                if !parents.is_empty() {
                    next.insert(
                        *p,
                        Node {
                            expected: BTreeSet::from([*p]),
                            parents,
                        },
                    );
                } else if level.contains_key(&ANY_POLICY) {
                    next.insert(*p, node(BTreeSet::from([*p]), ANY_POLICY));
                }
            }
            let any_allowed = inhibit_any > 0 || (!last && self_issued);
            if ids.contains(&ANY_POLICY) && any_allowed {
                for (v, nd) in &level {
                    for p in &nd.expected {
                        next.entry(*p)
                            .or_insert_with(|| Node {
                                expected: BTreeSet::from([*p]),
                                parents: BTreeSet::new(),
                            })
                            .parents
                            .insert(*v);
                    }
                }
            }
        }
        levels.push(next);
        prune(&mut levels);
        let null = levels.last().is_none_or(BTreeMap::is_empty);
        // §6.1.3 (f).
        if explicit == 0 && null {
            return Err(fail(format!(
                "an explicit policy is required here, and no policy is valid for {} (its certificatePolicies {})",
                name(cert),
                match &policies {
                    Some(cp) => list(&cp.0.iter().map(|p| p.policy_identifier).collect::<Vec<_>>()),
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
            let depth = levels.len() - 1;
            let any_parents = levels[depth].get(&ANY_POLICY).map(|a| a.parents.clone());
            for (issuer, subjects) in by_issuer {
                let level = &mut levels[depth];
                if mapping > 0 {
                    if let Some(nd) = level.get_mut(&issuer) {
                        nd.expected = subjects;
                    } else if let Some(parents) = &any_parents {
                        level.insert(
                            issuer,
                            Node {
                                expected: subjects,
                                parents: parents.clone(),
                            },
                        );
                    }
                } else {
                    level.remove(&issuer);
                }
            }
            prune(&mut levels);
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
    // §6.1.5 (a), (b): wrap-up on the signer's certificate.
    let leaf = path[0];
    explicit = explicit.saturating_sub(1);
    if let Some(pc) = ext::<PolicyConstraints>(leaf, "policyConstraints").map_err(|w| (0, w))? {
        if pc.require_explicit_policy == Some(0) {
            explicit = 0;
        }
    }
    // §6.1.5 (g): the intersection with the user-initial-policy-set.
    let user: BTreeSet<Oid> = settings.initial_policy_set.iter().copied().collect();
    let constrained = !user.is_empty() && !user.contains(&ANY_POLICY);
    if constrained && levels.len() > 1 {
        intersect(&mut levels, &user);
    }
    let null = levels.last().is_none_or(BTreeMap::is_empty);
    if explicit == 0 && null {
        let why = if constrained {
            format!(
                "an explicit policy is required, and none of the acceptable policies ({}) is valid for the whole path down to {}",
                list(&settings.initial_policy_set),
                name(leaf)
            )
        } else {
            format!(
                "a CA on the path requires an explicit policy, and no certificate policy is valid for the whole path down to {}",
                name(leaf)
            )
        };
        return Err((0, why));
    }
    Ok(())
}

/// §6.1.5 (g)(iii): keeps the parts of the graph that the user-initial-policy-set accepts.
fn intersect(levels: &mut [Level], user: &BTreeSet<Oid>) {
    // (1), (2): a node whose parent is anyPolicy marks where a policy first became explicit;
    // the ones the caller does not accept go, with what hangs only from them.
    for level in levels.iter_mut().skip(1) {
        level.retain(|v, nd| {
            *v == ANY_POLICY || !nd.parents.contains(&ANY_POLICY) || user.contains(v)
        });
    }
    // (3): an anyPolicy leaf stands for every acceptable policy not already on the last level.
    let last = levels.len() - 1;
    if let Some(any) = levels[last].remove(&ANY_POLICY) {
        for p in user {
            levels[last].entry(*p).or_insert_with(|| Node {
                expected: BTreeSet::from([*p]),
                parents: any.parents.clone(),
            });
        }
    }
    // (4).
    prune(levels);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_lists() {
        let l = PolicySettings::parse_policy_list(" 1.2.3, 2.5.29.32.0 anyPolicy,,").unwrap();
        assert_eq!(l, vec![Oid::new_unwrap("1.2.3"), ANY_POLICY, ANY_POLICY]);
        assert!(PolicySettings::parse_policy_list("").unwrap().is_empty());
        assert!(PolicySettings::parse_policy_list("1.2.x").is_err());
        assert!(PolicySettings::default().is_default());
    }
}
