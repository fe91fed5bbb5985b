//! The certificate profile of RFC 5280 §4: the rules a conforming CA keeps when it issues a
//! certificate, checked for each certificate of a path.
//!
//! Two kinds of rule. Some make a certificate unusable for any verifier — an extension
//! given twice, an extension sealscope relies on that cannot be decoded — and are always
//! applied (OpenSSL rejects such certificates by default too). The rest are the profile's
//! other MUSTs (serial numbers, key identifiers, which extensions must or must not be
//! critical, the syntax of names); OpenSSL applies them with `-x509_strict`, and so does
//! sealscope when the keyring asks for strict checking ([`crate::Keyring::x509_strict`]).

use crate::crypto::oids;
use crate::x509::certificate::Cert;
use der::asn1::ObjectIdentifier;
use x509_cert::ext::pkix::constraints::name::NameConstraints;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, ExtendedKeyUsage, KeyUsage,
    PolicyConstraints, SubjectAltName, SubjectKeyIdentifier,
};

/// One rule a certificate breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// What is wrong, in words.
    pub why: String,
    /// The RFC 5280 section that sets the rule.
    pub section: &'static str,
    /// Whether only strict checking applies it.
    pub strict_only: bool,
}

fn always(why: impl Into<String>, section: &'static str) -> Violation {
    Violation {
        why: why.into(),
        section,
        strict_only: false,
    }
}

fn strict(why: impl Into<String>, section: &'static str) -> Violation {
    Violation {
        why: why.into(),
        section,
        strict_only: true,
    }
}

/// The extension's criticality, if the certificate has it.
fn critical(cert: &Cert, oid: ObjectIdentifier) -> Option<bool> {
    cert.cert
        .tbs_certificate()
        .extensions()
        .into_iter()
        .flatten()
        .find(|e| e.extn_id == oid)
        .map(|e| e.critical)
}

/// Whether a known extension decodes, as "name: error" when it does not.
fn undecodable(cert: &Cert) -> Vec<String> {
    let tbs = cert.cert.tbs_certificate();
    let mut out = Vec::new();
    let mut note = |name: &str, r: Result<(), der::Error>| {
        if let Err(e) = r {
            out.push(format!("its {name} extension cannot be decoded ({e})"));
        }
    };
    note(
        "basicConstraints",
        tbs.get_extension::<BasicConstraints>().map(|_| ()),
    );
    note("keyUsage", tbs.get_extension::<KeyUsage>().map(|_| ()));
    note(
        "extendedKeyUsage",
        tbs.get_extension::<ExtendedKeyUsage>().map(|_| ()),
    );
    note(
        "subjectAltName",
        tbs.get_extension::<SubjectAltName>().map(|_| ()),
    );
    note(
        "authorityKeyIdentifier",
        tbs.get_extension::<AuthorityKeyIdentifier>().map(|_| ()),
    );
    note(
        "subjectKeyIdentifier",
        tbs.get_extension::<SubjectKeyIdentifier>().map(|_| ()),
    );
    note(
        "nameConstraints",
        tbs.get_extension::<NameConstraints>().map(|_| ()),
    );
    note(
        "certificatePolicies",
        tbs.get_extension::<CertificatePolicies>().map(|_| ()),
    );
    note(
        "policyConstraints",
        tbs.get_extension::<PolicyConstraints>().map(|_| ()),
    );
    out
}

/// Whether a dNSName of a subjectAltName is in the preferred name syntax (RFC 1034 §3.5 as
/// RFC 1123 §2.1 relaxes it): non-empty labels of letters, digits and hyphens, not starting
/// or ending with a hyphen, and a last label that is not all digits (an IPv4 address written
/// as a dNSName is not one). A leftmost `*` label is let through (wildcard certificates).
fn preferred_dns_syntax(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let name = name.strip_prefix("*.").unwrap_or(name);
    let labels: Vec<&str> = name.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    !name.is_empty()
        && labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|l| !l.bytes().all(|c| c.is_ascii_digit()))
}

/// The rules `cert` breaks. `as_ca` says whether it stands as an issuer on the path (or
/// claims cA), which decides the rules for CA certificates; `is_anchor` whether it is the
/// path's trust anchor, whose own issuer is not on the path (a missing
/// authorityKeyIdentifier, which serves only to find that issuer, is then no matter, nor
/// is its serial number, nor a missing keyUsage: the anchor is used as configured).
pub fn violations(cert: &Cert, as_ca: bool, is_anchor: bool) -> Vec<Violation> {
    let tbs = cert.cert.tbs_certificate();
    let mut out = Vec::new();

    // An extension given twice (§4.2).
    let mut seen: Vec<ObjectIdentifier> = Vec::new();
    for e in tbs.extensions().into_iter().flatten() {
        if seen.contains(&e.extn_id) {
            out.push(always(
                format!("it carries the extension {} more than once", e.extn_id),
                "RFC 5280 §4.2",
            ));
        } else {
            seen.push(e.extn_id);
        }
    }
    for why in undecodable(cert) {
        out.push(always(why, "RFC 5280 §4.2"));
    }

    let bc = cert.basic_constraints();
    let is_ca = as_ca || bc.is_some_and(|(ca, _)| ca);
    let self_issued = cert.is_self_issued();

    // Serial number: a positive integer (§4.1.2.2), a rule for the issuer, which for an
    // anchor is not on the path.
    let serial = tbs.serial_number().as_bytes();
    if !is_anchor {
        if serial.first().is_some_and(|b| b & 0x80 != 0) {
            out.push(strict("its serial number is negative", "RFC 5280 §4.1.2.2"));
        } else if serial.iter().all(|&b| b == 0) {
            out.push(strict("its serial number is zero", "RFC 5280 §4.1.2.2"));
        }
    }

    // Subject (§4.1.2.6).
    let san_critical = critical(cert, oids::ID_CE_SUBJECT_ALT_NAME);
    if cert.subject().is_empty() {
        if is_ca {
            out.push(strict(
                "it is a CA certificate with an empty subject",
                "RFC 5280 §4.1.2.6",
            ));
        } else if san_critical != Some(true) {
            out.push(strict(
                "its subject is empty and its subjectAltName is not marked critical",
                "RFC 5280 §4.1.2.6",
            ));
        }
    }

    // Key identifiers (§4.2.1.1, §4.2.1.2).
    match critical(cert, oids::ID_CE_AUTHORITY_KEY_IDENTIFIER) {
        Some(true) => out.push(strict(
            "its authorityKeyIdentifier is marked critical",
            "RFC 5280 §4.2.1.1",
        )),
        Some(false) => {}
        None if !self_issued && !is_anchor => out.push(strict(
            "it has no authorityKeyIdentifier",
            "RFC 5280 §4.2.1.1",
        )),
        None => {}
    }
    match critical(cert, oids::ID_CE_SUBJECT_KEY_IDENTIFIER) {
        Some(true) => out.push(strict(
            "its subjectKeyIdentifier is marked critical",
            "RFC 5280 §4.2.1.2",
        )),
        None if is_ca => out.push(strict(
            "it is a CA certificate without a subjectKeyIdentifier",
            "RFC 5280 §4.2.1.2",
        )),
        _ => {}
    }

    // basicConstraints and keyUsage together (§4.2.1.3, §4.2.1.9).
    let cert_sign = cert
        .key_usage()
        .is_some_and(|ku| ku.contains(&"keyCertSign"));
    if cert_sign && !bc.is_some_and(|(ca, _)| ca) {
        out.push(strict(
            "its keyUsage asserts keyCertSign but basicConstraints does not assert cA",
            "RFC 5280 §4.2.1.9",
        ));
    }
    // A trust anchor without keyUsage is taken as configured: the rule is for CAs that
    // issue below an anchor (x509-limbo's crl::issuer-no-keyusage-extension expects this).
    if as_ca && !is_anchor && critical(cert, oids::ID_CE_KEY_USAGE).is_none() {
        out.push(strict(
            "it issues certificates but has no keyUsage",
            "RFC 5280 §4.2.1.3",
        ));
    }
    if as_ca {
        match critical(cert, oids::ID_CE_BASIC_CONSTRAINTS) {
            None => out.push(strict(
                "it issues certificates but has no basicConstraints",
                "RFC 5280 §4.2.1.9",
            )),
            Some(false) => out.push(strict(
                "its basicConstraints is not marked critical",
                "RFC 5280 §4.2.1.9",
            )),
            Some(true) => {}
        }
    }

    // nameConstraints (§4.2.1.10): CA certificates only, critical, well-formed.
    if let Some(crit) = critical(cert, oids::ID_CE_NAME_CONSTRAINTS) {
        if !bc.is_some_and(|(ca, _)| ca) {
            out.push(strict(
                "it carries nameConstraints but is not a CA certificate",
                "RFC 5280 §4.2.1.10",
            ));
        }
        if !crit {
            out.push(strict(
                "its nameConstraints is not marked critical",
                "RFC 5280 §4.2.1.10",
            ));
        }
        if let Ok(Some((_, nc))) = tbs.get_extension::<NameConstraints>() {
            let bases = nc
                .permitted_subtrees
                .iter()
                .chain(nc.excluded_subtrees.iter())
                .flatten()
                .map(|s| &s.base);
            for base in bases {
                if let GeneralName::DnsName(d) = base {
                    if d.as_str().starts_with('.') {
                        out.push(strict(
                            format!("its dNSName constraint {} starts with a period", d.as_str()),
                            "RFC 5280 §4.2.1.10",
                        ));
                    }
                }
            }
        }
    }

    // policyConstraints must be critical (§4.2.1.11).
    if critical(cert, oids::ID_CE_POLICY_CONSTRAINTS) == Some(false) {
        out.push(strict(
            "its policyConstraints is not marked critical",
            "RFC 5280 §4.2.1.11",
        ));
    }

    // extendedKeyUsage names at least one purpose (§4.2.1.12).
    if cert.extended_key_usage().is_some_and(|e| e.is_empty()) {
        out.push(strict(
            "its extendedKeyUsage lists no purpose",
            "RFC 5280 §4.2.1.12",
        ));
    }

    // authorityInfoAccess must not be critical (§4.2.2.1).
    if critical(cert, oids::ID_PE_AUTHORITY_INFO_ACCESS) == Some(true) {
        out.push(strict(
            "its authorityInfoAccess is marked critical",
            "RFC 5280 §4.2.2.1",
        ));
    }

    // subjectAltName entries in their syntax (§4.2.1.6).
    if let Ok(Some((_, san))) = tbs.get_extension::<SubjectAltName>() {
        for name in &san.0 {
            match name {
                GeneralName::DnsName(d) if !preferred_dns_syntax(d.as_str()) => out.push(strict(
                    format!(
                        "its subjectAltName dNSName {} is not in the preferred name syntax",
                        d.as_str()
                    ),
                    "RFC 5280 §4.2.1.6",
                )),
                GeneralName::Rfc822Name(m) if m.as_str().matches('@').count() != 1 => {
                    out.push(strict(
                        format!(
                            "its subjectAltName rfc822Name {} is not a mailbox",
                            m.as_str()
                        ),
                        "RFC 5280 §4.2.1.6",
                    ))
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_syntax() {
        assert!(preferred_dns_syntax("mail.example.com"));
        assert!(preferred_dns_syntax("*.example.com"));
        assert!(preferred_dns_syntax("1password.com"));
        assert!(!preferred_dns_syntax("foo_bar.example.com"));
        assert!(!preferred_dns_syntax("8.8.8.8"));
        assert!(!preferred_dns_syntax(".example.com"));
        assert!(!preferred_dns_syntax("-bad.example.com"));
        assert!(!preferred_dns_syntax(""));
    }
}
