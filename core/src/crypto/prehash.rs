//! Digests computed by the caller while the input is read.
//!
//! A front end that reads a large file can hash it as the chunks arrive, on other threads, so
//! that the SHA-256 passes overlap the read instead of following it. [`locate_content`] finds
//! where the signed content will be from the first bytes alone — the encapsulated content of
//! a DER SignedData, or the first body part of a multipart/signed message up to its next
//! delimiter — so that the content can be hashed while it streams in too. The digests are only used for
//! exactly the bytes they were computed over: a content digest is offered to a signer whose
//! content slice starts at that offset of the input and has that length, so a wrong guess costs
//! a wasted pass, never a wrong answer.

use std::ops::Range;

/// SHA-256 digests of an input and of one of its byte ranges, computed while it was read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prehashed {
    /// SHA-256 of the whole input.
    pub input: Option<[u8; 32]>,
    /// A byte range of the input (offsets) and its SHA-256.
    pub content: Option<(Range<usize>, [u8; 32])>,
    /// Bytes of the input, inside `content`'s range, that the caller hashed as they streamed
    /// by but did not keep: zeros stand in for them (see [`crate::inspect::inspect_elided`]).
    pub elided: Option<Range<usize>>,
}

impl Prehashed {
    /// Whether nothing was computed.
    pub fn is_empty(&self) -> bool {
        self.input.is_none() && self.content.is_none()
    }
}

/// Bytes of an encapsulated content kept at its start when the rest is elided: the report
/// shows at most this much of it as text, and MIME is recognised from at most this much.
pub const ELIDE_KEEP: usize = crate::inspect::MAX_TEXT;

// What is kept must cover every prefix the report reads from a binary leaf: the MIME test,
// the text preview and the hex preview.
const _: () = assert!(
    crate::wire::mime::LOOKS_LIKE_MIME_SCAN <= ELIDE_KEEP
        && crate::inspect::MAX_TEXT <= ELIDE_KEEP
        && crate::inspect::MAX_HEX <= ELIDE_KEEP
);

/// Which bytes of an input of `total` bytes a reader may elide, judged from its first bytes
/// `prefix` (a few hundred suffice): all but the first [`ELIDE_KEEP`] bytes of a DER
/// SignedData's encapsulated content, when that is at least `min` bytes long. Whether the
/// report can do without them is decided later, by [`crate::inspect::inspect_elided`].
pub fn elidable(prefix: &[u8], total: usize, min: usize) -> Option<(Range<usize>, Range<usize>)> {
    let content = content_range(prefix, total)?;
    let elided = content.start.checked_add(ELIDE_KEEP)?..content.end;
    (content.len() >= min.max(ELIDE_KEEP + 1)).then_some((content, elided))
}

/// Where the signed content of an input lies, as far as its first bytes tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContentLocation {
    /// Exactly this range (the encapsulated content of a DER SignedData).
    Range(Range<usize>),
    /// From `start` up to the line break (CRLF or LF) before the first occurrence of
    /// `delimiter` (a LF, "--" and the boundary): the first body part of a multipart/signed
    /// message, which is what its signature covers when the part is already in canonical
    /// form.
    UntilDelimiter {
        /// Offset of the part's first byte.
        start: usize,
        /// The bytes that end the part: "\n--" and the boundary.
        delimiter: Vec<u8>,
    },
}

/// Where the signed content of an input of `total` bytes lies, from its first bytes
/// `prefix`: a DER SignedData's encapsulated content ([`content_range`]) or the signed part
/// of a top-level multipart/signed message. `None` for anything else.
pub fn locate_content(prefix: &[u8], total: usize) -> Option<ContentLocation> {
    if let Some(range) = content_range(prefix, total) {
        return Some(ContentLocation::Range(range));
    }
    if !crate::wire::mime::looks_like_mime(prefix) {
        return None;
    }
    let entity = crate::wire::mime::parse_entity(prefix).ok()?;
    if entity.content_type.media_type != "multipart/signed" {
        return None;
    }
    let boundary = entity.content_type.param("boundary")?;
    let start = crate::wire::mime::first_part_start(prefix, entity.body_start, boundary)?;
    let mut delimiter = b"\n--".to_vec();
    delimiter.extend_from_slice(boundary.as_bytes());
    Some(ContentLocation::UntilDelimiter { start, delimiter })
}

/// DER encoding of the signedData content type, 1.2.840.113549.1.7.2.
const SIGNED_DATA_OID: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
];

/// One definite-length header: (tag, header length, value length).
fn header(bytes: &[u8], at: usize) -> Option<(u8, usize, usize)> {
    let tag = *bytes.get(at)?;
    let first = *bytes.get(at + 1)?;
    if first < 0x80 {
        return Some((tag, 2, usize::from(first)));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 8 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..n {
        len = len
            .checked_mul(256)?
            .checked_add(usize::from(*bytes.get(at + 2 + i)?))?;
    }
    Some((tag, 2 + n, len))
}

/// Skips one element at `at` whose tag must be `tag`, returning the offset after it.
fn skip(bytes: &[u8], at: usize, tag: u8) -> Option<usize> {
    let (t, h, len) = header(bytes, at)?;
    (t == tag).then_some(at.checked_add(h)?.checked_add(len)?)
}

/// Enters the element at `at` whose tag must be `tag`, returning the offset of its value.
fn enter(bytes: &[u8], at: usize, tag: u8) -> Option<usize> {
    let (t, h, _) = header(bytes, at)?;
    (t == tag).then_some(at + h)
}

/// Where the encapsulated content of a DER ContentInfo/SignedData lies in an input of
/// `total` bytes, judged from its first bytes `prefix` (a few hundred suffice). `None` when the
/// prefix is not such a structure, uses indefinite lengths or a constructed OCTET STRING, or
/// the content would extend past the input.
pub fn content_range(prefix: &[u8], total: usize) -> Option<Range<usize>> {
    let at = enter(prefix, 0, 0x30)?;
    if prefix.get(at..at + SIGNED_DATA_OID.len())? != SIGNED_DATA_OID {
        return None;
    }
    let at = enter(prefix, at + SIGNED_DATA_OID.len(), 0xa0)?;
    let at = enter(prefix, at, 0x30)?;
    let at = skip(prefix, at, 0x02)?; // version
    let at = skip(prefix, at, 0x31)?; // digestAlgorithms
    let at = enter(prefix, at, 0x30)?; // encapContentInfo
    let at = skip(prefix, at, 0x06)?; // eContentType
    let at = enter(prefix, at, 0xa0)?;
    let (tag, h, len) = header(prefix, at)?;
    if tag != 0x04 {
        return None;
    }
    let start = at + h;
    let end = start.checked_add(len)?;
    (end <= total).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DER element with the given tag and value.
    fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let n = value.len();
        if n < 0x80 {
            out.push(n as u8);
        } else {
            let bytes: Vec<u8> = n
                .to_be_bytes()
                .iter()
                .copied()
                .skip_while(|&b| b == 0)
                .collect();
            out.push(0x80 | bytes.len() as u8);
            out.extend(bytes);
        }
        out.extend_from_slice(value);
        out
    }

    fn signed_data(content: &[u8]) -> Vec<u8> {
        let encap = tlv(
            0x30,
            &[
                tlv(
                    0x06,
                    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01],
                ),
                tlv(0xa0, &tlv(0x04, content)),
            ]
            .concat(),
        );
        let digest_algs = tlv(
            0x31,
            &tlv(0x30, &tlv(0x06, &[0x60, 0x86, 0x48, 1, 101, 3, 4, 2, 1])),
        );
        let sd = tlv(
            0x30,
            &[tlv(0x02, &[1]), digest_algs, encap, tlv(0x31, &[])].concat(),
        );
        tlv(0x30, &[SIGNED_DATA_OID.to_vec(), tlv(0xa0, &sd)].concat())
    }

    #[test]
    fn finds_the_content_of_short_and_long_forms() {
        for size in [0usize, 5, 127, 128, 300, 70_000] {
            let content: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let der = signed_data(&content);
            let range = content_range(&der[..der.len().min(200)], der.len()).expect("found");
            assert_eq!(&der[range], &content[..], "size {size}");
        }
    }

    #[test]
    fn locates_the_signed_part_of_multipart_signed() {
        let msg = b"MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"XYZ\"\r\n\r\nThis is an S/MIME signed message\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XYZ\r\nContent-Type: application/pkcs7-signature\r\n\r\nAAAA\r\n--XYZ--\r\n";
        let Some(ContentLocation::UntilDelimiter { start, delimiter }) =
            locate_content(&msg[..], msg.len())
        else {
            panic!("not located")
        };
        assert!(msg[start..].starts_with(b"Content-Type: text/plain\r\n"));
        assert_eq!(delimiter, b"\n--XYZ");
        // Only the first bytes are needed, up to the first delimiter line.
        let head = msg
            .windows(7)
            .position(|w| w == b"--XYZ\r\n")
            .expect("delimiter")
            + 7;
        assert!(locate_content(&msg[..head], msg.len()).is_some());
        assert!(locate_content(&msg[..head - 1], msg.len()).is_none());
        // Other MIME types and non-MIME inputs are not located.
        assert!(locate_content(b"Content-Type: text/plain\r\n\r\nhi\r\n", 30).is_none());
        assert!(locate_content(b"\x00\x01binary", 9).is_none());
        // A DER SignedData is located as a range.
        let der = signed_data(b"hello");
        assert!(matches!(
            locate_content(&der, der.len()),
            Some(ContentLocation::Range(_))
        ));
    }

    #[test]
    fn refuses_what_is_not_definite_der_signed_data() {
        let der = signed_data(b"hello");
        // Content past the end of the input.
        assert!(content_range(&der, 20).is_none());
        // Another content type.
        let mut other = der.clone();
        other[12] = 0x03;
        assert!(content_range(&other, other.len()).is_none());
        // Indefinite length outside.
        let mut indefinite = der.clone();
        indefinite[1] = 0x80;
        assert!(content_range(&indefinite, indefinite.len()).is_none());
        // A constructed OCTET STRING.
        let at = der
            .windows(7)
            .position(|w| w == [0x04, 5, b'h', b'e', b'l', b'l', b'o']);
        let mut constructed = der.clone();
        constructed[at.expect("content")] = 0x24;
        assert!(content_range(&constructed, constructed.len()).is_none());
        // Truncated prefixes and garbage.
        for n in 0..20 {
            assert!(content_range(&der[..n], der.len()).is_none());
        }
        assert!(content_range(&[0x30, 0x89, 0xff], 100).is_none());
        assert!(content_range(b"MIME-Version: 1.0\r\n", 100).is_none());
    }
}
