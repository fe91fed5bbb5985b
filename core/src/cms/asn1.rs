//! A small, bounded BER/DER reader and the BER → DER normaliser.
//!
//! Real peers (OpenSSL `-stream`, BouncyCastle, Java) send CMS in BER: indefinite lengths
//! (X.690 §8.1.3.6) and constructed OCTET STRINGs split into chunks (X.690 §8.7.3). The
//! RustCrypto `der` crate reads DER only, so everything passes through [`normalise`] first.
//! [`Tlv`] also lets the rest of the core slice raw encodings out of a structure (the signed
//! attributes of a SignerInfo are hashed exactly as they were sent, never re-encoded).

use crate::error::Error;

/// Deepest nesting of constructed encodings that is accepted (X.690 sets no limit; we do).
pub const MAX_DEPTH: usize = 64;

/// ASN.1 tag classes (X.690 §8.1.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// UNIVERSAL
    Universal,
    /// APPLICATION
    Application,
    /// context-specific (`[n]`)
    Context,
    /// PRIVATE
    Private,
}

/// One tag-length-value element located inside a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv {
    /// Tag class.
    pub class: Class,
    /// Whether the constructed bit is set.
    pub constructed: bool,
    /// Tag number.
    pub number: u32,
    /// Offset of the first identifier octet.
    pub start: usize,
    /// Offset of the first content octet.
    pub value_start: usize,
    /// Offset one past the last content octet (before the end-of-contents octets, if any).
    pub value_end: usize,
    /// Offset one past the whole element (including end-of-contents octets).
    pub end: usize,
    /// Whether the length was the indefinite form.
    pub indefinite: bool,
}

impl Tlv {
    /// The identifier octet for single-octet tags (numbers below 31), as DER writes it.
    pub fn first_octet(&self) -> Option<u8> {
        if self.number >= 31 {
            return None;
        }
        let class = match self.class {
            Class::Universal => 0x00,
            Class::Application => 0x40,
            Class::Context => 0x80,
            Class::Private => 0xC0,
        };
        let constructed = if self.constructed { 0x20 } else { 0 };
        Some(class | constructed | self.number as u8)
    }

    /// Whether this is `UNIVERSAL n`.
    pub fn is_universal(&self, number: u32) -> bool {
        self.class == Class::Universal && self.number == number
    }

    /// Whether this is `[n]` (context-specific).
    pub fn is_context(&self, number: u32) -> bool {
        self.class == Class::Context && self.number == number
    }

    /// The content octets.
    pub fn value<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        &buf[self.value_start..self.value_end]
    }

    /// The whole encoding, header included.
    pub fn raw<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        &buf[self.start..self.end]
    }
}

/// Universal tag numbers used here.
pub mod tag {
    /// BOOLEAN
    pub const BOOLEAN: u32 = 1;
    /// INTEGER
    pub const INTEGER: u32 = 2;
    /// BIT STRING
    pub const BIT_STRING: u32 = 3;
    /// OCTET STRING
    pub const OCTET_STRING: u32 = 4;
    /// OBJECT IDENTIFIER
    pub const OID: u32 = 6;
    /// SEQUENCE
    pub const SEQUENCE: u32 = 16;
    /// SET
    pub const SET: u32 = 17;
}

fn err(offset: usize, reason: impl Into<String>) -> Error {
    Error::Asn1 {
        offset,
        reason: reason.into(),
    }
}

/// Reads one element starting at `pos`, which must lie within `buf[..limit]`.
///
/// Indefinite-length elements are scanned to their end-of-contents octets, which needs
/// recursion; `depth` bounds it.
pub fn read_tlv(buf: &[u8], pos: usize, limit: usize, depth: usize) -> Result<Tlv, Error> {
    if depth > MAX_DEPTH {
        return Err(err(pos, format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    let limit = limit.min(buf.len());
    let mut p = pos;
    let first = *buf
        .get(p)
        .filter(|_| p < limit)
        .ok_or_else(|| err(pos, "truncated: expected a tag"))?;
    p += 1;
    let class = match first >> 6 {
        0 => Class::Universal,
        1 => Class::Application,
        2 => Class::Context,
        _ => Class::Private,
    };
    let constructed = first & 0x20 != 0;
    let mut number = u32::from(first & 0x1F);
    if number == 0x1F {
        number = 0;
        loop {
            let b = *buf
                .get(p)
                .filter(|_| p < limit)
                .ok_or_else(|| err(p, "truncated inside a multi-octet tag"))?;
            p += 1;
            if number > (u32::MAX >> 7) {
                return Err(err(pos, "tag number too large"));
            }
            number = (number << 7) | u32::from(b & 0x7F);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let len_octet = *buf
        .get(p)
        .filter(|_| p < limit)
        .ok_or_else(|| err(p, "truncated: expected a length"))?;
    p += 1;
    if len_octet == 0x80 {
        if !constructed {
            return Err(err(pos, "indefinite length on a primitive element"));
        }
        let value_start = p;
        let mut q = p;
        loop {
            if q + 2 <= limit && buf[q] == 0 && buf[q + 1] == 0 {
                return Ok(Tlv {
                    class,
                    constructed,
                    number,
                    start: pos,
                    value_start,
                    value_end: q,
                    end: q + 2,
                    indefinite: true,
                });
            }
            if q >= limit {
                return Err(err(pos, "indefinite-length element has no end-of-contents"));
            }
            let child = read_tlv(buf, q, limit, depth + 1)?;
            q = child.end;
        }
    }
    let len = if len_octet & 0x80 == 0 {
        usize::from(len_octet)
    } else {
        let n = usize::from(len_octet & 0x7F);
        if n > 8 || n == 0x7F {
            return Err(err(p - 1, "length field too long"));
        }
        let mut len: u64 = 0;
        for _ in 0..n {
            let b = *buf
                .get(p)
                .filter(|_| p < limit)
                .ok_or_else(|| err(p, "truncated inside a length"))?;
            p += 1;
            len = (len << 8) | u64::from(b);
        }
        usize::try_from(len).map_err(|_| err(pos, "length does not fit in memory"))?
    };
    let value_end = p.checked_add(len).filter(|&e| e <= limit).ok_or_else(|| {
        err(
            pos,
            format!(
                "truncated: element claims {len} bytes but only {} remain",
                limit.saturating_sub(p)
            ),
        )
    })?;
    Ok(Tlv {
        class,
        constructed,
        number,
        start: pos,
        value_start: p,
        value_end,
        end: value_end,
        indefinite: false,
    })
}

/// Reads the single element that must fill `buf` exactly.
pub fn read_whole(buf: &[u8]) -> Result<Tlv, Error> {
    let tlv = read_tlv(buf, 0, buf.len(), 0)?;
    if tlv.end != buf.len() {
        return Err(err(
            tlv.end,
            format!("{} trailing bytes after the structure", buf.len() - tlv.end),
        ));
    }
    Ok(tlv)
}

/// The children of a constructed element, in order.
pub fn children(buf: &[u8], parent: &Tlv) -> Result<Vec<Tlv>, Error> {
    let mut out = Vec::new();
    let mut p = parent.value_start;
    while p < parent.value_end {
        let child = read_tlv(buf, p, parent.value_end, 0)?;
        p = child.end;
        out.push(child);
    }
    Ok(out)
}

/// Encodes a DER length.
pub fn encode_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

fn push_identifier(buf: &[u8], tlv: &Tlv, constructed: bool, out: &mut Vec<u8>) {
    // Copy the identifier octets as sent, adjusting only the constructed bit.
    let id_end = {
        let mut p = tlv.start + 1;
        if buf[tlv.start] & 0x1F == 0x1F {
            while buf[p] & 0x80 != 0 {
                p += 1;
            }
            p += 1;
        }
        p
    };
    let mut first = buf[tlv.start];
    if constructed {
        first |= 0x20;
    } else {
        first &= !0x20;
    }
    out.push(first);
    out.extend_from_slice(&buf[tlv.start + 1..id_end]);
}

/// Whether a constructed universal type is a string type that DER encodes primitively.
fn is_string_type(number: u32) -> bool {
    matches!(
        number,
        tag::BIT_STRING | tag::OCTET_STRING | 12 | 18..=22 | 25..=28 | 30
    )
}

/// Converts BER to DER: definite minimal lengths, constructed universal strings joined into
/// one primitive string. DER input comes out unchanged.
///
/// Constructed strings under an IMPLICIT context tag (EncryptedContentInfo's `[0]`) cannot be
/// told from a constructed type by the tag alone; they keep their chunks here and the
/// structure's reader joins them where the schema says so.
pub fn normalise(buf: &[u8]) -> Result<Vec<u8>, Error> {
    let tlv = read_whole(buf)?;
    let mut out = Vec::with_capacity(buf.len());
    normalise_tlv(buf, &tlv, 0, &mut out)?;
    Ok(out)
}

/// Like [`normalise`], but borrows `buf` when it is already DER-shaped (definite minimal
/// lengths, no constructed strings, nothing after the element), which is the common case and
/// saves a copy of what may be a very large message.
pub fn normalise_cow(buf: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, Error> {
    let tlv = read_whole(buf)?;
    if tlv.end == buf.len() && is_normal(buf, &tlv, 0)? {
        return Ok(std::borrow::Cow::Borrowed(buf));
    }
    let mut out = Vec::with_capacity(buf.len());
    normalise_tlv(buf, &tlv, 0, &mut out)?;
    Ok(std::borrow::Cow::Owned(out))
}

/// Whether normalising `tlv` would leave its bytes unchanged.
fn is_normal(buf: &[u8], tlv: &Tlv, depth: usize) -> Result<bool, Error> {
    if depth > MAX_DEPTH {
        return Err(err(
            tlv.start,
            format!("nesting deeper than {MAX_DEPTH} levels"),
        ));
    }
    if tlv.indefinite {
        return Ok(false);
    }
    let mut head = Vec::with_capacity(8);
    push_identifier(buf, tlv, tlv.constructed, &mut head);
    encode_length(tlv.value_end - tlv.value_start, &mut head);
    if buf.get(tlv.start..tlv.value_start) != Some(head.as_slice()) {
        return Ok(false);
    }
    if !tlv.constructed {
        return Ok(true);
    }
    if tlv.class == Class::Universal && is_string_type(tlv.number) {
        return Ok(false);
    }
    for child in children(buf, tlv)? {
        if !is_normal(buf, &child, depth + 1)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn join_string_chunks(buf: &[u8], tlv: &Tlv, depth: usize, out: &mut Vec<u8>) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(err(tlv.start, "string chunks nested too deeply"));
    }
    for child in children(buf, tlv)? {
        if child.constructed {
            join_string_chunks(buf, &child, depth + 1, out)?;
        } else {
            out.extend_from_slice(child.value(buf));
        }
    }
    Ok(())
}

fn normalise_tlv(buf: &[u8], tlv: &Tlv, depth: usize, out: &mut Vec<u8>) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(err(
            tlv.start,
            format!("nesting deeper than {MAX_DEPTH} levels"),
        ));
    }
    if !tlv.constructed {
        push_identifier(buf, tlv, false, out);
        encode_length(tlv.value_end - tlv.value_start, out);
        out.extend_from_slice(tlv.value(buf));
        return Ok(());
    }
    if tlv.class == Class::Universal && is_string_type(tlv.number) {
        let mut joined = Vec::new();
        join_string_chunks(buf, tlv, depth, &mut joined)?;
        if tlv.is_universal(tag::BIT_STRING) {
            // Each BER chunk of a BIT STRING carries its own unused-bits octet; only the
            // last may be non-zero. Rebuild as one string with the last chunk's count.
            let mut bits = Vec::new();
            let mut unused = 0u8;
            for child in children(buf, tlv)? {
                let v = child.value(buf);
                if let Some((&u, rest)) = v.split_first() {
                    unused = u;
                    bits.extend_from_slice(rest);
                }
            }
            joined = Vec::with_capacity(bits.len() + 1);
            joined.push(unused);
            joined.extend_from_slice(&bits);
        }
        push_identifier(buf, tlv, false, out);
        encode_length(joined.len(), out);
        out.extend_from_slice(&joined);
        return Ok(());
    }
    let mut inner = Vec::with_capacity(tlv.value_end - tlv.value_start);
    for child in children(buf, tlv)? {
        normalise_tlv(buf, &child, depth + 1, &mut inner)?;
    }
    push_identifier(buf, tlv, true, out);
    encode_length(inner.len(), out);
    out.extend_from_slice(&inner);
    Ok(())
}

/// Decodes the content octets of an OBJECT IDENTIFIER into dotted form.
pub fn oid_string(value: &[u8]) -> Option<String> {
    der::asn1::ObjectIdentifier::from_bytes(value)
        .ok()
        .map(|oid| oid.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_cow_borrows_der_and_rewrites_the_rest() {
        use std::borrow::Cow;
        let der = [0x30, 0x03, 0x02, 0x01, 0x05];
        assert!(matches!(normalise_cow(&der).unwrap(), Cow::Borrowed(_)));
        for not_der in [
            &[0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00][..],
            &[0x30, 0x81, 0x03, 0x02, 0x01, 0x05][..],
            &[0x30, 0x04, 0x02, 0x81, 0x01, 0x05][..],
        ] {
            let n = normalise_cow(not_der).unwrap();
            assert!(matches!(n, Cow::Owned(_)), "{not_der:02x?}");
            assert_eq!(&*n, &der[..]);
        }
        let chunked = [0x24, 0x80, 0x04, 0x01, 0xaa, 0x04, 0x01, 0xbb, 0x00, 0x00];
        assert_eq!(
            &*normalise_cow(&chunked).unwrap(),
            &[0x04, 0x02, 0xaa, 0xbb][..]
        );
    }

    #[test]
    fn indefinite_lengths_and_chunks_become_der() {
        // SEQUENCE (indefinite) { OCTET STRING (constructed, indefinite) { "ab", "c" } }
        let ber = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00, 0x00,
            0x00,
        ];
        let der = normalise(&ber).unwrap();
        assert_eq!(der, [0x30, 0x05, 0x04, 0x03, b'a', b'b', b'c']);
    }

    #[test]
    fn der_is_a_fixed_point() {
        let der = [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xFF];
        assert_eq!(normalise(&der).unwrap(), der);
    }

    #[test]
    fn non_minimal_lengths_are_shortened() {
        let ber = [0x04, 0x81, 0x02, 0xAA, 0xBB];
        assert_eq!(normalise(&ber).unwrap(), [0x04, 0x02, 0xAA, 0xBB]);
    }

    #[test]
    fn truncation_names_the_offset() {
        let e = normalise(&[0x30, 0x05, 0x02, 0x01]).unwrap_err();
        assert!(e.to_string().contains("byte 0"), "{e}");
    }

    #[test]
    fn implicit_tags_keep_their_chunks() {
        let ber = [0xA0, 0x80, 0x04, 0x01, 1, 0x04, 0x01, 2, 0x00, 0x00];
        assert_eq!(
            normalise(&ber).unwrap(),
            [0xA0, 0x06, 0x04, 0x01, 1, 0x04, 0x01, 2]
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut ber = Vec::new();
        for _ in 0..200 {
            ber.extend_from_slice(&[0x30, 0x80]);
        }
        for _ in 0..200 {
            ber.extend_from_slice(&[0x00, 0x00]);
        }
        assert!(normalise(&ber).is_err());
    }
}
