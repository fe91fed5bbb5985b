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
                    let label = label(&atv.oid);
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

/// The OpenSSL attribute label of `oid` in the form grid tools write it, or the dotted OID.
fn label(oid: &der::asn1::ObjectIdentifier) -> String {
    short_name(oid).map_or_else(|| oid.to_string(), str::to_string)
}

/// The attribute type an OpenSSL one-line label names (case-insensitive; `E`, `Email`,
/// `userid` as aliases; `SN` read as serialNumber, as grid middleware reads it).
fn oid_for_label(label: &str) -> Option<der::asn1::ObjectIdentifier> {
    let l = label.to_ascii_lowercase();
    Some(match l.as_str() {
        "e" | "email" | "emailaddress" => oids::PKCS_9_AT_EMAIL_ADDRESS,
        "userid" | "uid" => oids::UID,
        "sn" | "serialnumber" => oids::SERIAL_NUMBER,
        "surname" => oids::SN,
        "givenname" => oids::GN,
        "s" => oids::ST,
        _ => {
            let dotted = der::asn1::ObjectIdentifier::new(label).ok();
            return dotted.or_else(|| {
                [
                    oids::CN,
                    oids::C,
                    oids::L,
                    oids::ST,
                    oids::STREET,
                    oids::O,
                    oids::OU,
                    oids::GN,
                    oids::INITIALS,
                    oids::GENERATION_QUALIFIER,
                    oids::DN_QUALIFIER,
                    oids::TITLE,
                    oids::BUSINESS_CATEGORY,
                    oids::POSTAL_CODE,
                    oids::PSEUDONYM,
                    oids::ORGANIZATION_IDENTIFIER,
                    oids::DC,
                ]
                .into_iter()
                .find(|o| short_name(o).is_some_and(|n| n.eq_ignore_ascii_case(label)))
            });
        }
    })
}

/// OpenSSL's canonical form of a text value (`asn1_string_canon`): leading and trailing
/// white space removed, inner runs folded to one space, ASCII lower-cased.
fn canonical_text(value: &str) -> Vec<u8> {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let bytes = value.as_bytes();
    let start = bytes
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(start, |e| e + 1);
    let mut out = Vec::with_capacity(end - start);
    let mut in_space = false;
    for &b in &bytes[start..end] {
        if is_space(b) {
            if !in_space {
                out.push(b' ');
            }
            in_space = true;
        } else {
            out.push(b.to_ascii_lowercase());
            in_space = false;
        }
    }
    out
}

/// DER of a tag-length-value.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    asn1::encode_length(content.len(), &mut out);
    out.extend_from_slice(content);
    out
}

/// One canonical AttributeTypeAndValue: text values as lower-cased, space-folded
/// UTF8String, any other value as encoded.
fn canonical_atv(oid: &der::asn1::ObjectIdentifier, value: CanonValue) -> Vec<u8> {
    let mut body = oid.to_der().unwrap_or_default();
    match value {
        CanonValue::Text(t) => body.extend(tlv(0x0c, &canonical_text(&t))),
        CanonValue::Encoded(der) => body.extend(der),
    }
    tlv(0x30, &body)
}

enum CanonValue {
    Text(String),
    Encoded(Vec<u8>),
}

/// The hash OpenSSL names a CA's files by in a hashed directory (`X509_NAME_hash`, OpenSSL
/// 1.0 and later): the first four bytes of SHA-1 over the canonical encoding, little-endian.
fn canonical_hash(rdns: Vec<Vec<Vec<u8>>>) -> u32 {
    use sha1::Digest;
    let mut canon = Vec::new();
    for mut rdn in rdns {
        rdn.sort();
        canon.extend(tlv(0x31, &rdn.concat()));
    }
    let d = sha1::Sha1::digest(&canon);
    u32::from_le_bytes([d[0], d[1], d[2], d[3]])
}

/// `openssl x509 -hash` of a name: the stem of `<hash>.0`, `<hash>.namespaces`, ….
pub fn openssl_hash(name: &Name) -> u32 {
    let rdns = name
        .iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|atv| {
                    let der = atv.value.to_der().unwrap_or_default();
                    let text = asn1::read_whole(&der).ok().and_then(|t| {
                        // Only the string types OpenSSL canonicalises (not NumericString).
                        matches!(t.number, 12 | 19 | 20 | 22 | 26 | 28 | 30)
                            .then(|| string_value(t.number, t.value(&der)))
                            .flatten()
                    });
                    let value = match text {
                        Some(t) => CanonValue::Text(t),
                        None => CanonValue::Encoded(der),
                    };
                    canonical_atv(&atv.oid, value)
                })
                .collect()
        })
        .collect();
    canonical_hash(rdns)
}

/// Splits an OpenSSL one-line name (`/C=GB/O=Example/CN=A/B`) into (label, value) pairs,
/// in encoding order; a part without `=` belongs to the value before it, as grid tools read
/// it. `None` when it does not start with `/` or a part has no label.
pub fn parse_oneline(text: &str) -> Option<Vec<(String, String)>> {
    let rest = text.strip_prefix('/')?;
    let mut out: Vec<(String, String)> = Vec::new();
    for part in rest.split('/') {
        match part.split_once('=') {
            Some((l, v)) if !l.is_empty() => out.push((l.trim().to_string(), v.to_string())),
            _ => {
                let (_, v) = out.last_mut()?;
                v.push('/');
                v.push_str(part);
            }
        }
    }
    Some(out)
}

/// The OpenSSL hash of a name given in one-line text form, or `None` when a label is not
/// known.
pub fn openssl_hash_of_oneline(text: &str) -> Option<u32> {
    let rdns = parse_oneline(text)?
        .into_iter()
        .map(|(l, v)| {
            Some(vec![canonical_atv(
                &oid_for_label(&l)?,
                CanonValue::Text(v),
            )])
        })
        .collect::<Option<Vec<_>>>()?;
    Some(canonical_hash(rdns))
}

/// The one-line form grid middleware (EMI caNl) matches namespace patterns against: the
/// values of a multi-valued RDN in reverse order, each byte outside printable ASCII as
/// `\xHH`.
pub fn grid_oneline(name: &Name) -> String {
    let mut out = String::new();
    for rdn in name.iter_rdn() {
        out.push('/');
        let mut parts: Vec<String> = rdn
            .iter()
            .map(|atv| {
                let der = atv.value.to_der().unwrap_or_default();
                let value = asn1::read_whole(&der)
                    .ok()
                    .and_then(|t| string_value(t.number, t.value(&der)))
                    .unwrap_or_else(|| format!("#{}", hex::encode(&der)));
                let mut v = String::new();
                for b in value.bytes() {
                    if (0x20..0x80).contains(&b) {
                        v.push(char::from(b));
                    } else {
                        v.push_str(&format!("\\x{b:02X}"));
                    }
                }
                format!("{}={v}", label(&atv.oid))
            })
            .collect();
        parts.reverse();
        out.push_str(&parts.join("/"));
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
