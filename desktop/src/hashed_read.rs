//! Reading a large file while hashing it.
//!
//! The file is read into one buffer of its size in 1 MiB steps; each filled step is handed,
//! borrowed, to two scoped threads: one computes the SHA-256 of the whole input, the other the
//! SHA-256 of the encapsulated content when the first step shows a DER SignedData
//! ([`sealscope_core::prehash::content_range`]). Both digests are ready shortly after the last
//! byte arrives, instead of two passes that start only after the read (the report needs the
//! first, the messageDigest check the second).

use sealscope_core::prehash::{content_range, Prehashed};
use sha2::{Digest, Sha256};
use std::io::{self, Read};
use std::ops::Range;
use std::sync::mpsc;

/// Bytes asked for per read call.
const STEP: usize = 1 << 20;

/// What the content hasher receives: first where the content is, then pieces of the input.
enum Piece<'a> {
    Range(Range<usize>),
    Bytes(usize, &'a [u8]),
}

/// Reads up to `size` bytes of `reader` (fewer if it ends first) and returns them with their
/// SHA-256 and, when found, the range and SHA-256 of the encapsulated content. The caller
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
                match content_range(piece, size) {
                    Some(range) => {
                        if let Some(tx) = &to_content {
                            // A send fails only when the hasher is gone; it then returns None.
                            let _ = tx.send(Piece::Range(range));
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
        },
    ))
}

/// Hashes the part of the pieces inside the announced range; `None` if no range came or the
/// pieces did not cover all of it.
fn hash_content(pieces: mpsc::Receiver<Piece<'_>>) -> Option<(Range<usize>, [u8; 32])> {
    let mut range: Option<Range<usize>> = None;
    let mut hasher = Sha256::new();
    let mut next = 0usize;
    for piece in pieces {
        match piece {
            Piece::Range(r) => {
                next = r.start;
                range = Some(r);
            }
            Piece::Bytes(at, bytes) => {
                let Some(r) = &range else { continue };
                let end = at + bytes.len();
                let from = next.max(at);
                let to = r.end.min(end);
                if from < to && from == next {
                    hasher.update(&bytes[from - at..to - at]);
                    next = to;
                }
            }
        }
    }
    let r = range?;
    (next == r.end).then(|| (r, <[u8; 32]>::from(hasher.finalize())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per call.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = out.len().min(self.step).min(self.bytes.len());
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
    fn a_short_source_gives_what_it_had() {
        let data = vec![0x30u8; 1000];
        let (bytes, pre) = read_hashing(&mut data.as_slice(), 4000).expect("reads");
        assert_eq!(bytes.len(), 1000);
        assert_eq!(pre.input, Some(sha256(&data)));
        assert_eq!(pre.content, None);
    }
}
