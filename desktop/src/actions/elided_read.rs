//! Reading a large opaque SignedData without keeping its content.
//!
//! When the first bytes of a file show a DER SignedData whose encapsulated content is large
//! ([`sealscope_core::crypto::prehash::elidable`]), the file is read in small pieces that are
//! hashed by two threads, one for the whole input and one for the content, and only the
//! bytes the report can need are copied into the input buffer: everything before the
//! content, its first [`ELIDE_KEEP`](sealscope_core::crypto::prehash::ELIDE_KEEP) bytes and
//! everything after it. The buffer has the file's size, but the pages of the elided part are
//! never written, so the system never has to provide them; the pieces are reused, so the
//! hashers read from the cache. Core then decides whether the report can do without the
//! elided bytes ([`sealscope_core::inspect_elided`]); when it cannot, the caller reads the
//! whole file again.

use sealscope_core::crypto::prehash::Prehashed;
use sha2::{Digest, Sha256};
use std::io::{self, Read};
use std::ops::Range;
use std::sync::mpsc;
use std::sync::Arc;

/// Bytes read per call: small enough that a piece is still in the cache when hashed.
const PIECE: usize = 256 * 1024;
/// Pieces in use at once (being read, or waiting for a hasher).
const IN_FLIGHT: usize = 8;

/// One piece of the input and its offset.
type Piece = Arc<(usize, Vec<u8>)>;

/// Reads `size` bytes of `reader`, keeping all but `elided` (a range inside `content`) and
/// hashing the whole input and `content` as they pass. `None` when the reader ends before
/// `size` bytes (the file shrank): the buffer would then hold zeros that were never read.
pub fn read_eliding(
    reader: &mut dyn Read,
    size: usize,
    content: Range<usize>,
    elided: Range<usize>,
) -> io::Result<Option<(Vec<u8>, Prehashed)>> {
    // Zeroed memory of this size comes straight from the system as untouched pages.
    let mut buf = vec![0u8; size];
    let (filled, input_digest, content_digest) = std::thread::scope(|scope| {
        let (to_input, input_pieces) = mpsc::sync_channel::<Piece>(IN_FLIGHT);
        let (to_content, content_pieces) = mpsc::sync_channel::<Piece>(IN_FLIGHT);
        let (give_back, returned) = mpsc::channel::<Piece>();
        let back = give_back.clone();
        let input_hasher = scope.spawn(move || {
            let mut hasher = Sha256::new();
            for piece in input_pieces {
                hasher.update(&piece.1);
                let _ = back.send(piece);
            }
            <[u8; 32]>::from(hasher.finalize())
        });
        let wanted = content.clone();
        let content_hasher = scope.spawn(move || {
            let mut hasher = Sha256::new();
            for piece in content_pieces {
                let (at, bytes) = (piece.0, &piece.1);
                let from = wanted.start.max(at);
                let to = wanted.end.min(at + bytes.len());
                if from < to {
                    hasher.update(&bytes[from - at..to - at]);
                }
                let _ = give_back.send(piece);
            }
            <[u8; 32]>::from(hasher.finalize())
        });

        let read = read_pieces(reader, &mut buf, &elided, &to_input, &to_content, &returned);
        drop(to_input);
        drop(to_content);
        let input_digest = input_hasher.join().ok();
        let content_digest = content_hasher.join().ok();
        read.map(|filled| (filled, input_digest, content_digest))
    })?;
    if filled != size {
        return Ok(None);
    }
    let (Some(input), Some(digest)) = (input_digest, content_digest) else {
        return Ok(None);
    };
    Ok(Some((
        buf,
        Prehashed {
            input: Some(input),
            content: Some((content, digest)),
            elided: Some(elided),
        },
    )))
}

/// The reading side of [`read_eliding`]: fills pieces (reusing those the hashers gave back),
/// copies what is kept into `buf` and sends each piece to both hashers. Returns how many
/// bytes were read.
fn read_pieces(
    reader: &mut dyn Read,
    buf: &mut [u8],
    elided: &Range<usize>,
    to_input: &mpsc::SyncSender<Piece>,
    to_content: &mpsc::SyncSender<Piece>,
    returned: &mpsc::Receiver<Piece>,
) -> io::Result<usize> {
    let size = buf.len();
    let mut spare: Vec<Vec<u8>> = Vec::new();
    let mut made = 0usize;
    let mut offset = 0usize;
    while offset < size {
        // A piece both hashers are done with, a new one while fewer than IN_FLIGHT exist,
        // else wait for one to come back.
        while let Ok(p) = returned.try_recv() {
            if let Ok((_, v)) = Arc::try_unwrap(p) {
                spare.push(v);
            }
        }
        let mut piece = match spare.pop() {
            Some(v) => v,
            None if made < IN_FLIGHT => {
                made += 1;
                Vec::with_capacity(PIECE)
            }
            None => loop {
                match returned.recv() {
                    Ok(p) => {
                        if let Ok((_, v)) = Arc::try_unwrap(p) {
                            break v;
                        }
                    }
                    // Both hashers are gone (one panicked): nothing more can be hashed.
                    Err(_) => return Ok(offset),
                }
            },
        };
        let want = PIECE.min(size - offset);
        piece.resize(want, 0);
        let mut n = 0;
        while n < want {
            match reader.read(&mut piece[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        if n == 0 {
            break;
        }
        piece.truncate(n);
        keep(buf, offset, &piece, elided);
        let piece = Arc::new((offset, piece));
        if to_input.send(piece.clone()).is_err() || to_content.send(piece).is_err() {
            return Ok(offset);
        }
        offset += n;
    }
    Ok(offset)
}

/// Copies the bytes of `piece` (at `offset`) that lie outside `elided` into `buf`.
fn keep(buf: &mut [u8], offset: usize, piece: &[u8], elided: &Range<usize>) {
    let end = offset + piece.len();
    // Before the elided range, then after it.
    let spans = [
        (offset, end.min(elided.start)),
        (offset.max(elided.end), end),
    ];
    for (from, to) in spans {
        if from < to {
            buf[from..to].copy_from_slice(&piece[from - offset..to - offset]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(b: &[u8]) -> [u8; 32] {
        Sha256::digest(b).into()
    }

    /// A reader that hands out at most `step` bytes per call.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(out.len()).min(self.1);
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn keeps_all_but_the_elided_bytes_and_hashes_everything() {
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for step in [1000, 65_536, PIECE, 3_000_000] {
            let content = 1000..2_999_000;
            let elided = 70_000..2_999_000;
            let (buf, pre) = read_eliding(
                &mut Trickle(&data, step),
                data.len(),
                content.clone(),
                elided.clone(),
            )
            .expect("reads")
            .expect("complete");
            assert_eq!(pre.input, Some(sha(&data)), "step {step}");
            assert_eq!(
                pre.content,
                Some((content.clone(), sha(&data[content.clone()])))
            );
            assert_eq!(pre.elided, Some(elided.clone()));
            assert_eq!(&buf[..elided.start], &data[..elided.start]);
            assert_eq!(&buf[elided.end..], &data[elided.end..]);
            assert!(buf[elided].iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn a_source_shorter_than_its_size_gives_nothing() {
        let data = vec![5u8; 400_000];
        let r =
            read_eliding(&mut &data[..], 500_000, 100..450_000, 70_000..450_000).expect("reads");
        assert!(r.is_none());
    }
}
