//! Reading a large file while hashing it.
//!
//! The file is read into one buffer of its size in 1 MiB steps; each filled step is handed,
//! borrowed, to two scoped threads: one computes the SHA-256 of the whole input, the other the
//! SHA-256 of the signed content when the first step shows where it is
//! ([`sealscope_core::crypto::prehash::locate_content`]: a DER SignedData's encapsulated content, or
//! the signed part of a multipart/signed message, whose end is found as it streams by). Both
//! digests are ready shortly after the last byte arrives, instead of two passes that start
//! only after the read (the report needs the first, the messageDigest check the second).

use sealscope_core::crypto::prehash::{locate_content, ContentLocation, Prehashed};
use sha2::{Digest, Sha256};
use std::io::{self, Read};
use std::ops::Range;
use std::sync::mpsc;

/// Bytes asked for per read call.
const STEP: usize = 1 << 20;

/// What the content hasher receives: first where the content is, then pieces of the input.
enum Piece<'a> {
    Locate(ContentLocation),
    Bytes(usize, &'a [u8]),
}

/// Reads up to `size` bytes of `reader` (fewer if it ends first) and returns them with their
/// SHA-256 and, when found, the range and SHA-256 of the signed content. The caller
/// checks whether the source has more bytes than `size` (the file grew): then the input digest
/// no longer describes the input.
pub fn read_hashing(reader: &mut dyn Read, size: usize) -> io::Result<(Vec<u8>, Prehashed)> {
    let mut buf = vec![0u8; size];
    let (filled, input_digest, content) = std::thread::scope(|scope| -> io::Result<_> {
        let (to_input, input_pieces) = mpsc::channel::<&[u8]>();
        let input_hasher = scope.spawn(move || {
            let mut hasher = Sha256::new();
            for piece in input_pieces {
                hasher.update(piece);
            }
            <[u8; 32]>::from(hasher.finalize())
        });
        let (to_content, content_pieces) = mpsc::channel::<Piece<'_>>();
        let content_hasher = scope.spawn(move || hash_content(content_pieces));

        let mut to_content = Some(to_content);
        let mut rest: &mut [u8] = &mut buf;
        let mut offset = 0usize;
        while !rest.is_empty() {
            let want = rest.len().min(STEP);
            let n = match reader.read(&mut rest[..want]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let (piece, tail) = std::mem::take(&mut rest).split_at_mut(n);
            rest = tail;
            let piece: &[u8] = piece;
            if offset == 0 {
                match locate_content(piece, size) {
                    Some(location) => {
                        if let Some(tx) = &to_content {
                            // A send fails only when the hasher is gone; it then returns None.
                            let _ = tx.send(Piece::Locate(location));
                        }
                    }
                    None => to_content = None,
                }
            }
            let _ = to_input.send(piece);
            if let Some(tx) = &to_content {
                let _ = tx.send(Piece::Bytes(offset, piece));
            }
            offset += n;
        }
        drop(to_input);
        drop(to_content);
        let input_digest = input_hasher.join().ok();
        let content = content_hasher.join().ok().flatten();
        Ok((offset, input_digest, content))
    })?;
    buf.truncate(filled);
    Ok((
        buf,
        Prehashed {
            input: input_digest,
            content,
            elided: None,
        },
    ))
}

/// Hashes the content the first message locates; `None` if none was located or the pieces
/// ended before the content did.
fn hash_content(pieces: mpsc::Receiver<Piece<'_>>) -> Option<(Range<usize>, [u8; 32])> {
    let mut pieces = pieces.into_iter();
    let Some(Piece::Locate(location)) = pieces.next() else {
        return None;
    };
    match location {
        ContentLocation::Range(range) => hash_range(pieces, range),
        ContentLocation::UntilDelimiter { start, delimiter } => {
            hash_until(pieces, start, &delimiter)
        }
    }
}

/// Hashes the part of the pieces inside `range`.
fn hash_range<'a>(
    pieces: impl Iterator<Item = Piece<'a>>,
    range: Range<usize>,
) -> Option<(Range<usize>, [u8; 32])> {
    let mut hasher = Sha256::new();
    let mut next = range.start;
    for piece in pieces {
        let Piece::Bytes(at, bytes) = piece else {
            continue;
        };
        let end = at + bytes.len();
        let from = next.max(at);
        let to = range.end.min(end);
        if from < to && from == next {
            hasher.update(&bytes[from - at..to - at]);
            next = to;
        }
    }
    (next == range.end).then(|| (range, <[u8; 32]>::from(hasher.finalize())))
}

/// Hashes from `start` up to the line break before the first `delimiter` ("\n--boundary"),
/// holding back the last bytes of each piece until the next shows whether a delimiter
/// begins among them.
fn hash_until<'a>(
    pieces: impl Iterator<Item = Piece<'a>>,
    start: usize,
    delimiter: &[u8],
) -> Option<(Range<usize>, [u8; 32])> {
    let keep = delimiter.len() + 1;
    let mut hasher = Sha256::new();
    // Bytes at or after `start` not hashed yet, beginning at offset `held_at`.
    let mut held: Vec<u8> = Vec::with_capacity(2 * keep);
    let mut held_at = start;
    for piece in pieces {
        let Piece::Bytes(at, bytes) = piece else {
            continue;
        };
        let end = at + bytes.len();
        if end <= start {
            continue;
        }
        let bytes = &bytes[start.saturating_sub(at)..];
        // A delimiter starting in the held bytes (it may run into this piece), else one
        // inside this piece.
        let mut seam = held.clone();
        seam.extend_from_slice(&bytes[..bytes.len().min(delimiter.len())]);
        let found = memchr::memmem::find(&seam, delimiter)
            .filter(|&i| i < held.len())
            .map(|i| held_at + i)
            .or_else(|| memchr::memmem::find(bytes, delimiter).map(|i| held_at + held.len() + i));
        if let Some(lf) = found {
            // The line break before the delimiter belongs to it: LF, or CRLF. Bytes from
            // `held_at` on are in `held` then `bytes`; earlier ones are hashed already.
            let byte_at = |pos: usize| -> Option<u8> {
                let i = pos.checked_sub(held_at)?;
                held.get(i)
                    .or_else(|| bytes.get(i - held.len().min(i)))
                    .copied()
            };
            let mut content_end = lf;
            if lf > start && lf > held_at && byte_at(lf - 1) == Some(b'\r') {
                content_end -= 1;
            }
            if content_end < held_at {
                return None;
            }
            // Hash what is left from `held_at` to the end.
            let upto = content_end - held_at;
            if upto <= held.len() {
                hasher.update(&held[..upto]);
            } else {
                hasher.update(&held);
                hasher.update(&bytes[..upto - held.len()]);
            }
            return Some((start..content_end, <[u8; 32]>::from(hasher.finalize())));
        }
        // No delimiter yet: hash all but the last `keep` bytes of held + this piece.
        let total = held.len() + bytes.len();
        if total <= keep {
            held.extend_from_slice(bytes);
            continue;
        }
        let hash_len = total - keep;
        if hash_len <= held.len() {
            hasher.update(&held[..hash_len]);
            let mut rest = held[hash_len..].to_vec();
            rest.extend_from_slice(bytes);
            held = rest;
        } else {
            hasher.update(&held);
            let from_piece = hash_len - held.len();
            hasher.update(&bytes[..from_piece]);
            held = bytes[from_piece..].to_vec();
        }
        held_at += hash_len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `first` bytes on the first call and `step` after.
    struct Trickle<'a> {
        bytes: &'a [u8],
        first: usize,
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = out.len().min(self.first).min(self.bytes.len());
            self.first = self.step;
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn sha256(bytes: &[u8]) -> [u8; 32] {
        Sha256::digest(bytes).into()
    }

    #[test]
    fn digests_match_one_pass_hashes() {
        let der = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/encrypted/ktri-1m.der"
        ))
        .expect("fixture");
        // Not a SignedData: the input digest only.
        let (bytes, pre) = read_hashing(&mut der.as_slice(), der.len()).expect("reads");
        assert_eq!(bytes, der);
        assert_eq!(pre.input, Some(sha256(&der)));
        assert_eq!(pre.content, None);

        // An opaque SignedData, read in uneven steps: with 7 bytes first the content cannot
        // be located yet, and only the input digest comes back.
        let signed = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/messages/rsa-opaque.der"
        ))
        .expect("fixture");
        for step in [7usize, 4096, STEP, usize::MAX] {
            let mut reader = Trickle {
                bytes: &signed,
                first: step,
                step,
            };
            let (bytes, pre) = read_hashing(&mut reader, signed.len()).expect("reads");
            assert_eq!(bytes, signed);
            assert_eq!(pre.input, Some(sha256(&signed)));
            if step >= 4096 {
                let (range, digest) = pre.content.expect("content found");
                assert_eq!(digest, sha256(&signed[range.clone()]));
                assert!(range.len() > 100 && range.end < signed.len());
            } else {
                assert_eq!(pre.content, None);
            }
        }
    }

    #[test]
    fn the_signed_part_of_multipart_signed_is_hashed_up_to_its_delimiter() {
        let msg = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/messages/bench-rsa-4k.eml"
        ))
        .expect("fixture");
        let entity = sealscope_core::wire::mime::parse_entity(&msg).expect("parses");
        let part = entity.children[0].clone();
        let expect = sha256(&msg[part.start..part.end]);
        // The first read must reach the first delimiter line; after that any step size,
        // including ones that split the closing delimiter and its CRLF.
        let head = part.start;
        for step in [1usize, 2, 3, 5, 7, 13, 64, 1000, usize::MAX] {
            let mut reader = Trickle {
                bytes: &msg,
                first: head,
                step,
            };
            let (bytes, pre) = read_hashing(&mut reader, msg.len()).expect("reads");
            assert_eq!(bytes, msg);
            assert_eq!(pre.input, Some(sha256(&msg)));
            let (range, digest) = pre.content.expect("content found");
            assert_eq!(range, part.start..part.end, "step {step}");
            assert_eq!(digest, expect, "step {step}");
        }
        // The delimiter preceded by a bare LF: the part ends before the LF alone.
        let lf = b"Content-Type: multipart/signed; boundary=b\r\n\r\n--b\r\nA: 1\r\n\r\nx\n--b\r\nsig\r\n--b--\r\n";
        for step in [1usize, 2, 4, 100] {
            let mut reader = Trickle {
                bytes: lf,
                first: 51,
                step,
            };
            let (_, pre) = read_hashing(&mut reader, lf.len()).expect("reads");
            let (range, digest) = pre.content.expect("content found");
            assert_eq!(&lf[range.clone()], b"A: 1\r\n\r\nx", "step {step}");
            assert_eq!(digest, sha256(b"A: 1\r\n\r\nx"));
        }
        // A message cut before the second delimiter: no content digest.
        let cut = &msg[..part.end - 10];
        let (_, pre) = read_hashing(&mut &cut[..], cut.len()).expect("reads");
        assert_eq!(pre.content, None);
    }

    #[test]
    fn a_short_source_gives_what_it_had() {
        let data = vec![0x30u8; 1000];
        let (bytes, pre) = read_hashing(&mut data.as_slice(), 4000).expect("reads");
        assert_eq!(bytes.len(), 1000);
        assert_eq!(pre.input, Some(sha256(&data)));
        assert_eq!(pre.content, None);
    }
}
