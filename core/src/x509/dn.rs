//! Distinguished names in the two forms operators meet them.
//!
//! - RFC 4514 (`CN=host.example.org,O=Example,C=GB`): last RDN first, `+` inside a
//!   multi-valued RDN, special characters escaped (RFC 4514 §2.4).
//! - OpenSSL's one-line form (`/C=GB/O=Example/CN=host.example.org`), in encoding order:
//!   what APEL stores as the sender DN and what grid tools print.

use crate::cms::asn1;
use crate::crypto::oids;
use der::Encode;
use x509_cert::name::Name;

/// The short name OpenSSL prints for an attribute type, if it has one.
fn short_name(oid: &der::asn1::ObjectIdentifier) -> Option<&'static str> {
    Some(match *oid {
        oids::CN => "CN",
        oids::C => "C",
        oids::L => "L",
        oids::ST => "ST",
        oids::STREET => "street",
        oids::O => "O",
        oids::OU => "OU",
        oids::SN => "SN",
        oids::GN => "GN",
        oids::INITIALS => "initials",
        oids::GENERATION_QUALIFIER => "generationQualifier",
        oids::DN_QUALIFIER => "dnQualifier",
        oids::SERIAL_NUMBER => "serialNumber",
        oids::TITLE => "title",
        oids::BUSINESS_CATEGORY => "businessCategory",
        oids::POSTAL_CODE => "postalCode",
        oids::PSEUDONYM => "pseudonym",
        oids::ORGANIZATION_IDENTIFIER => "organizationIdentifier",
        oids::PKCS_9_AT_EMAIL_ADDRESS => "emailAddress",
        oids::DC => "DC",
        oids::UID => "UID",
        _ => return None,
    })
}

/// Decodes a directory string value (any of the ASN.1 string types names use).
fn string_value(tag: u32, v: &[u8]) -> Option<String> {
    match tag {
        // UTF8String, PrintableString, IA5String, VisibleString, NumericString
        12 | 19 | 22 | 26 | 18 => String::from_utf8(v.to_vec()).ok(),
        // TeletexString: in practice Latin-1
        20 => Some(v.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UCS-2 big-endian
        30 if v.len().is_multiple_of(2) => {
            let units: Vec<u16> = v
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        // UniversalString: UCS-4 big-endian
        28 if v.len().is_multiple_of(4) => v
            .chunks_exact(4)
            .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
            .collect(),
        _ => None,
    }
}

/// One attribute of an RDN as (type, value, value-is-text).
struct Atv {
    name: String,
    value: String,
    text: bool,
}

fn atvs(name: &Name) -> Vec<Vec<Atv>> {
    name.iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|atv| {
                    let label =
                        short_name(&atv.oid).map_or_else(|| atv.oid.to_string(), str::to_string);
                    let der = atv.value.to_der().unwrap_or_default();
                    let decoded = asn1::read_whole(&der)
                        .ok()
                        .and_then(|t| string_value(t.number, t.value(&der)));
                    match decoded {
                        Some(value) => Atv {
                            name: label,
                            value,
                            text: true,
                        },
                        None => Atv {
                            name: label,
                            value: format!("#{}", hex::encode(&der)),
                            text: false,
                        },
                    }
                })
                .collect()
        })
        .collect()
}

fn escape_rfc4514(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=')
            || (i == 0 && (c == '#' || c == ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
            out.push(c);
        } else if c == '\0' {
            out.push_str("\\00");
        } else {
            out.push(c);
        }
    }
    out
}

/// RFC 4514 string of a name, e.g. `CN=Alice,O=Example,C=GB`.
pub fn rfc4514(name: &Name) -> String {
    atvs(name)
        .iter()
        .rev()
        .map(|rdn| {
            rdn.iter()
                .map(|a| {
                    let v = if a.text {
                        escape_rfc4514(&a.value)
                    } else {
                        a.value.clone()
                    };
                    format!("{}={}", a.name, v)
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// OpenSSL's one-line form, e.g. `/C=GB/O=Example/CN=Alice`.
pub fn oneline(name: &Name) -> String {
    let mut out = String::new();
    for rdn in atvs(name) {
        for a in rdn {
            out.push('/');
            out.push_str(&a.name);
            out.push('=');
            for c in a.value.chars() {
                if c.is_control() {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("\\x{b:02X}"));
                    }
                } else {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// Compares two names the way path building must: exact DER first, then the RFC 5280 §7.1
/// comparison relaxed to case-insensitive, whitespace-folded text values.
pub fn same_name(a: &Name, b: &Name) -> bool {
    if a == b {
        return true;
    }
    let (a, b) = (atvs(a), atvs(b));
    a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| same_rdn(x, y))
}

/// Whether `name` lies in the subtree rooted at `base`: base's RDNs are the first RDNs of
/// `name`, compared as [`same_name`] compares them (RFC 5280 §4.2.1.10, directoryName).
pub fn within_subtree(name: &Name, base: &Name) -> bool {
    let (n, b) = (atvs(name), atvs(base));
    b.len() <= n.len() && b.iter().zip(n.iter()).all(|(x, y)| same_rdn(x, y))
}

/// The emailAddress attributes of a name (PKCS #9), as text.
pub fn email_addresses(name: &Name) -> Vec<String> {
    atvs(name)
        .into_iter()
        .flatten()
        .filter(|a| a.text && a.name == "emailAddress")
        .map(|a| a.value)
        .collect()
}

fn same_rdn(x: &[Atv], y: &[Atv]) -> bool {
    let fold = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    x.len() == y.len()
        && x.iter()
            .zip(y.iter())
            .all(|(p, q)| p.name == q.name && fold(&p.value) == fold(&q.value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn both_forms() {
        let n = Name::from_str("CN=host.example.org,O=Example\\, Inc,C=GB").unwrap();
        assert_eq!(rfc4514(&n), "CN=host.example.org,O=Example\\, Inc,C=GB");
        assert_eq!(oneline(&n), "/C=GB/O=Example, Inc/CN=host.example.org");
    }

    #[test]
    fn case_folded_match() {
        let a = Name::from_str("CN=Test  CA,C=GB").unwrap();
        let b = Name::from_str("CN=test ca,C=GB").unwrap();
        assert!(same_name(&a, &b));
    }
}
