//! Name constraints (RFC 5280 §4.2.1.10; path processing §6.1.3 (b), (c) and §6.1.4 (g)).
//!
//! Each CA's permittedSubtrees form one set per name form: a name of that form must fall in
//! at least one subtree of every such set on the path (the intersection of §6.1.4 (g)); the
//! excludedSubtrees of every CA accumulate, and a name in any of them fails. Forms: directory
//! names (the subject, and directoryName alternative names), rfc822Name (alternative names and
//! the subject's emailAddress attributes), dNSName, URI (by host) and iPAddress (address and
//! mask). A constraint on a form this code cannot evaluate (otherName, ediPartyName,
//! registeredID) fails closed when the certificate carries a name of that form.

use crate::x509::certificate::Cert;
use crate::x509::dn;
use x509_cert::ext::pkix::constraints::name::{GeneralSubtree, NameConstraints};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectAltName;

/// The constraints in force at one point of a path, from the CAs above it.
#[derive(Debug, Default)]
pub struct Subtrees {
    /// One entry per CA with permittedSubtrees: its subtrees.
    permitted: Vec<Vec<GeneralName>>,
    /// Every CA's excludedSubtrees together.
    excluded: Vec<GeneralName>,
}

/// The nameConstraints extension of a certificate, if it has one; an error when it cannot be
/// read (a CA whose constraints cannot be read cannot be relied on).
pub fn of(cert: &Cert) -> Result<Option<NameConstraints>, String> {
    cert.cert
        .tbs_certificate()
        .get_extension::<NameConstraints>()
        .map(|o| o.map(|(_, nc)| nc))
        .map_err(|e| format!("its nameConstraints extension cannot be read: {e}"))
}

/// The names a certificate carries, as general names: the subject (when not empty) and the
/// subject's emailAddress attributes, then its subjectAltName entries.
fn names_of(cert: &Cert) -> Result<Vec<GeneralName>, String> {
    let mut out = Vec::new();
    let subject = cert.subject();
    if !subject.is_empty() {
        out.push(GeneralName::DirectoryName(subject.clone()));
    }
    for e in dn::email_addresses(subject) {
        if let Ok(v) = der::asn1::Ia5String::new(&e) {
            out.push(GeneralName::Rfc822Name(v));
        }
    }
    match cert
        .cert
        .tbs_certificate()
        .get_extension::<SubjectAltName>()
    {
        Ok(Some((_, san))) => out.extend(san.0),
        Ok(None) => {}
        Err(e) => return Err(format!("its subjectAltName cannot be read: {e}")),
    }
    Ok(out)
}

/// Which form a general name has, as RFC 5280 names it.
fn form(n: &GeneralName) -> &'static str {
    match n {
        GeneralName::OtherName(_) => "otherName",
        GeneralName::Rfc822Name(_) => "rfc822Name",
        GeneralName::DnsName(_) => "dNSName",
        GeneralName::DirectoryName(_) => "directoryName",
        GeneralName::EdiPartyName(_) => "ediPartyName",
        GeneralName::UniformResourceIdentifier(_) => "uniformResourceIdentifier",
        GeneralName::IpAddress(_) => "iPAddress",
        GeneralName::RegisteredId(_) => "registeredID",
    }
}

/// A name as a report shows it.
fn show(n: &GeneralName) -> String {
    match n {
        GeneralName::Rfc822Name(v) | GeneralName::DnsName(v) => v.to_string(),
        GeneralName::UniformResourceIdentifier(v) => v.to_string(),
        GeneralName::DirectoryName(d) => dn::rfc4514(d),
        GeneralName::IpAddress(o) => ip_text(o.as_bytes()),
        other => form(other).to_string(),
    }
}

fn ip_text(b: &[u8]) -> String {
    match b.len() {
        4 => format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3]),
        16 => b
            .chunks(2)
            .map(|c| format!("{:x}", u16::from_be_bytes([c[0], c[1]])))
            .collect::<Vec<_>>()
            .join(":"),
        8 | 32 => format!(
            "{}/{}",
            ip_text(&b[..b.len() / 2]),
            ip_text(&b[b.len() / 2..])
        ),
        _ => hex::encode(b),
    }
}

/// Whether `name` is in the subtree `base` of the same form; `None` when the form cannot be
/// evaluated, or the name or the constraint is malformed (both fail closed). `excluded`
/// says which way a name that stands for many (a wildcard dNSName) is judged: against an
/// excluded subtree it is in when any name it covers could be.
fn within(name: &GeneralName, base: &GeneralName, excluded: bool) -> Option<bool> {
    Some(match (name, base) {
        (GeneralName::DirectoryName(n), GeneralName::DirectoryName(b)) => dn::within_subtree(n, b),
        (GeneralName::DnsName(n), GeneralName::DnsName(b)) => {
            return dns_name_within(n.as_str(), b.as_str(), excluded)
        }
        (GeneralName::Rfc822Name(n), GeneralName::Rfc822Name(b)) => {
            if n.as_str().matches('@').count() != 1 || b.as_str().matches('@').count() > 1 {
                return None;
            }
            mailbox_within(n.as_str(), b.as_str())
        }
        (GeneralName::UniformResourceIdentifier(n), GeneralName::UniformResourceIdentifier(b)) => {
            uri_host(n.as_str()).is_some_and(|h| host_within(&h, b.as_str()))
        }
        (GeneralName::IpAddress(n), GeneralName::IpAddress(b)) => {
            return ip_within(n.as_bytes(), b.as_bytes())
        }
        _ => return None,
    })
}

fn same_form(a: &GeneralName, b: &GeneralName) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn lower(s: &str) -> String {
    s.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether a dNSName is in the preferred name syntax (RFC 5280 §4.2.1.6, RFC 1034 §3.5):
/// letters, digits and hyphens in non-empty labels, with a `*` allowed as the whole leftmost
/// label of a name (not of a constraint) when `wildcard`.
fn dns_syntax_ok(name: &str, wildcard: bool) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let name = match name.strip_prefix("*.") {
        Some(rest) if wildcard => rest,
        _ => name,
    };
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-')
        })
}

/// A dNSName against a dNSName constraint, with the name's and the constraint's syntax
/// checked first: a malformed name, or a constraint with a wildcard, cannot be judged. A
/// constraint with a leading period is read as OpenSSL reads it (any name below the
/// domain). A wildcard name (`*.example.com`) is within a permitted subtree when every name
/// it covers is, and within an excluded one when any could be (CVE-2025-61727).
fn dns_name_within(name: &str, base: &str, excluded: bool) -> Option<bool> {
    let bare = base.strip_prefix('.').unwrap_or(base);
    if !(base.is_empty() || dns_syntax_ok(bare, false)) || !dns_syntax_ok(name, true) {
        return None;
    }
    let Some(domain) = name.strip_prefix("*.") else {
        return Some(dns_within(name, base));
    };
    if excluded {
        // Some name one label below `domain` is in the subtree when the subtree is above
        // the domain, or is itself one label below it.
        let base_bare = lower(bare);
        let one_below = base_bare
            .split_once('.')
            .is_some_and(|(_, parent)| parent == lower(domain));
        Some(dns_within(&format!("x.{domain}"), base) || one_below)
    } else {
        Some(dns_within(&format!("x.{domain}"), base))
    }
}

/// dNSName: the name is the base or the base with labels added on the left; a base with a
/// leading period needs at least one added label.
fn dns_within(name: &str, base: &str) -> bool {
    let (n, b) = (lower(name), lower(base));
    if b.is_empty() {
        return true;
    }
    match b.strip_prefix('.') {
        Some(domain) => n.ends_with(&format!(".{domain}")),
        None => n == b || n.ends_with(&format!(".{b}")),
    }
}

/// A host against a URI or rfc822Name host constraint: exactly the host, or (leading
/// period) any host inside the domain.
fn host_within(host: &str, base: &str) -> bool {
    let (h, b) = (lower(host), lower(base));
    match b.strip_prefix('.') {
        Some(_) => h.ends_with(&b),
        None => h == b,
    }
}

/// rfc822Name: a base with `@` is one mailbox; otherwise a host (exactly) or, with a leading
/// period, any host in the domain.
fn mailbox_within(name: &str, base: &str) -> bool {
    let Some((local, host)) = name.rsplit_once('@') else {
        return false;
    };
    match base.rsplit_once('@') {
        Some((blocal, bhost)) => local == blocal && lower(host) == lower(bhost),
        None => host_within(host, base),
    }
}

/// The host of a URI with an authority component (`scheme://[userinfo@]host[:port]/…`).
fn uri_host(uri: &str) -> Option<String> {
    let rest = uri.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host_port.split(':').next()?,
    };
    (!host.is_empty()).then(|| host.to_string())
}

/// iPAddress: the base is an address followed by a mask of the same length, and the mask is
/// a CIDR prefix (ones, then zeros); another base cannot be judged. An address of the other
/// family is not within it.
fn ip_within(name: &[u8], base: &[u8]) -> Option<bool> {
    let half = base.len() / 2;
    if !(base.len() == 8 || base.len() == 32) || !(name.len() == 4 || name.len() == 16) {
        return None;
    }
    let (addr, mask) = base.split_at(half);
    let bits: Vec<bool> = mask
        .iter()
        .flat_map(|m| (0..8).rev().map(move |i| m & (1 << i) != 0))
        .collect();
    if bits.windows(2).any(|w| !w[0] && w[1]) {
        return None;
    }
    if name.len() != half {
        return Some(false);
    }
    Some(
        name.iter()
            .zip(addr.iter().zip(mask))
            .all(|(n, (a, m))| n & m == a & m),
    )
}

impl Subtrees {
    /// Adds a CA's constraints below it.
    pub fn add(&mut self, nc: &NameConstraints) {
        let bases = |t: &Option<Vec<GeneralSubtree>>| -> Vec<GeneralName> {
            t.iter().flatten().map(|s| s.base.clone()).collect()
        };
        if nc.permitted_subtrees.is_some() {
            self.permitted.push(bases(&nc.permitted_subtrees));
        }
        self.excluded.extend(bases(&nc.excluded_subtrees));
    }

    /// Whether nothing constrains names yet.
    pub fn is_empty(&self) -> bool {
        self.permitted.is_empty() && self.excluded.is_empty()
    }

    /// Checks every name of `cert`: `Err` says which name and which constraint.
    pub fn check(&self, cert: &Cert) -> Result<(), String> {
        if self.is_empty() {
            return Ok(());
        }
        for name in names_of(cert)? {
            for base in self.excluded.iter().filter(|b| same_form(b, &name)) {
                match within(&name, base, true) {
                    Some(false) => {}
                    Some(true) => {
                        return Err(format!(
                            "its {} {} is in the excluded subtree {}",
                            form(&name),
                            show(&name),
                            show(base)
                        ))
                    }
                    None => {
                        return Err(format!(
                            "its {} cannot be checked against an excluded {} constraint",
                            form(&name),
                            form(base)
                        ))
                    }
                }
            }
            for set in &self.permitted {
                let bases: Vec<&GeneralName> = set.iter().filter(|b| same_form(b, &name)).collect();
                if bases.is_empty() {
                    continue;
                }
                let mut answers = bases.iter().map(|b| within(&name, b, false));
                if answers.clone().any(|a| a.is_none()) {
                    return Err(format!(
                        "its {} cannot be checked against a permitted {} constraint",
                        form(&name),
                        form(&name)
                    ));
                }
                if !answers.any(|a| a == Some(true)) {
                    return Err(format!(
                        "its {} {} is outside the permitted subtrees ({})",
                        form(&name),
                        show(&name),
                        bases.iter().map(|b| show(b)).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_email_uri_and_ip_forms() {
        assert!(dns_within("host.example.com", "example.com"));
        assert!(dns_within("example.com", "example.com"));
        assert!(!dns_within("badexample.com", "example.com"));
        assert!(!dns_within("example.com", ".example.com"));
        assert!(dns_within("a.Example.COM.", ".example.com"));
        assert!(dns_within("anything", ""));
        assert!(mailbox_within("alice@mail.example.com", "mail.example.com"));
        assert!(!mailbox_within(
            "alice@sub.mail.example.com",
            "mail.example.com"
        ));
        assert!(mailbox_within("alice@sub.example.com", ".example.com"));
        assert!(!mailbox_within("alice@example.com", ".example.com"));
        assert!(mailbox_within("alice@EXAMPLE.com", "alice@example.com"));
        assert!(!mailbox_within("bob@example.com", "alice@example.com"));
        assert!(!mailbox_within("no-at-sign", "example.com"));
        assert_eq!(
            uri_host("http://user@Host.example.com:8080/x?y").as_deref(),
            Some("Host.example.com")
        );
        assert_eq!(
            uri_host("https://[2001:db8::1]/").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(uri_host("urn:isbn:123"), None);
        assert!(host_within("host.example.com", ".example.com"));
        assert!(!host_within("example.com", ".example.com"));
        let net = [192, 168, 0, 0, 255, 255, 0, 0];
        assert_eq!(ip_within(&[192, 168, 5, 1], &net), Some(true));
        assert_eq!(ip_within(&[192, 169, 5, 1], &net), Some(false));
        assert_eq!(ip_within(&[0; 16], &net), Some(false));
        // A mask that is not a prefix, or a base of the wrong length, cannot be judged.
        assert_eq!(
            ip_within(&[192, 168, 5, 1], &[192, 168, 0, 0, 255, 0, 255, 0]),
            None
        );
        assert_eq!(ip_within(&[127, 0, 0, 1], &[127, 0, 0, 1]), None);
        // dNSName syntax: malformed names and wildcard constraints fail closed.
        assert_eq!(dns_name_within(".example.com", "example.com", false), None);
        assert_eq!(
            dns_name_within("foo_bar.example.com", "example.com", false),
            None
        );
        assert_eq!(
            dns_name_within("foo.example.com", "*.example.com", false),
            None
        );
        assert_eq!(
            dns_name_within("a.example.com", ".example.com", false),
            Some(true)
        );
        // A wildcard name: in an excluded subtree when any name it covers could be.
        assert_eq!(
            dns_name_within("*.example.com", "bar.example.com", true),
            Some(true)
        );
        assert_eq!(
            dns_name_within("*.example.com", "example.com", true),
            Some(true)
        );
        assert_eq!(
            dns_name_within("*.example.com", "a.b.example.com", true),
            Some(false)
        );
        assert_eq!(
            dns_name_within("*.example.com", "example.org", true),
            Some(false)
        );
        // … and in a permitted one only when every name it covers is.
        assert_eq!(
            dns_name_within("*.example.com", "example.com", false),
            Some(true)
        );
        assert_eq!(
            dns_name_within("*.example.com", "bar.example.com", false),
            Some(false)
        );
        assert_eq!(ip_text(&[10, 0, 0, 0, 255, 0, 0, 0]), "10.0.0.0/255.0.0.0");
    }
}
