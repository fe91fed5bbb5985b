//! A minimal DER writer for what sealscope composes (X.690 §10). Every function returns the
//! complete encoding of one element.

use crate::cms::asn1::encode_length;

/// Any element from its identifier octet and content.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    encode_length(content.len(), &mut out);
    out.extend_from_slice(content);
    out
}

/// SEQUENCE of already encoded elements.
pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// SET OF, sorted by encoding as DER requires (X.690 §11.6).
pub fn set_of(parts: &[&[u8]]) -> Vec<u8> {
    let mut sorted: Vec<&[u8]> = parts.to_vec();
    sorted.sort();
    tlv(0x31, &sorted.concat())
}

/// `[n] IMPLICIT` constructed SET OF (sorted), as certificates and signed attributes use.
pub fn implicit_set_of(n: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut v = set_of(parts);
    v[0] = 0xA0 | n;
    v
}

/// `[n] EXPLICIT` around one element.
pub fn explicit(n: u8, inner: &[u8]) -> Vec<u8> {
    tlv(0xA0 | n, inner)
}

/// `[n] IMPLICIT` primitive (e.g. an OCTET STRING under a context tag).
pub fn implicit_primitive(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0x80 | n, content)
}

/// OBJECT IDENTIFIER from dotted text (constants only).
pub fn oid(oid: der::asn1::ObjectIdentifier) -> Vec<u8> {
    tlv(0x06, oid.as_bytes())
}

/// INTEGER from a small non-negative number.
pub fn int(n: u64) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count().min(7);
    let mut v = bytes[skip..].to_vec();
    if v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    tlv(0x02, &v)
}

/// OCTET STRING.
pub fn octets(content: &[u8]) -> Vec<u8> {
    tlv(0x04, content)
}

/// BIT STRING with no unused bits.
pub fn bits(content: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(content.len() + 1);
    v.push(0);
    v.extend_from_slice(content);
    tlv(0x03, &v)
}

/// NULL.
pub fn null() -> Vec<u8> {
    vec![0x05, 0x00]
}

/// AlgorithmIdentifier with optional encoded parameters.
pub fn alg(algorithm: der::asn1::ObjectIdentifier, params: Option<&[u8]>) -> Vec<u8> {
    match params {
        Some(p) => seq(&[&oid(algorithm), p]),
        None => seq(&[&oid(algorithm)]),
    }
}

/// ContentInfo: the content type and the content under `[0] EXPLICIT`.
pub fn content_info(content_type: der::asn1::ObjectIdentifier, content: &[u8]) -> Vec<u8> {
    seq(&[&oid(content_type), &explicit(0, content)])
}

/// UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5).
pub fn time(t: crate::time::UnixTime) -> Vec<u8> {
    let s = t.to_rfc3339(); // YYYY-MM-DDTHH:MM:SSZ
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let year: i64 = digits.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2000);
    if (1950..2050).contains(&year) {
        tlv(0x17, format!("{}Z", &digits[2..]).as_bytes())
    } else {
        tlv(0x18, format!("{digits}Z").as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(int(0), [2, 1, 0]);
        assert_eq!(int(128), [2, 2, 0, 128]);
        assert_eq!(
            set_of(&[&[4, 1, 2], &[4, 1, 1]]),
            [0x31, 6, 4, 1, 1, 4, 1, 2]
        );
        assert_eq!(
            time(crate::time::UnixTime::parse("2027-01-02T03:04:05Z").unwrap()),
            tlv(0x17, b"270102030405Z")
        );
        assert_eq!(
            time(crate::time::UnixTime::parse("2050-01-01T00:00:00Z").unwrap()),
            tlv(0x18, b"20500101000000Z")
        );
    }
}
