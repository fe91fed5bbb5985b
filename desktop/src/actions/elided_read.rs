//! Reading a large opaque SignedData without keeping its content.
//!
//! When the first bytes of a file show a DER SignedData whose encapsulated content is large
//! ([`sealscope_core::crypto::prehash::elidable`]), the file is read in pieces by two threads
//! that take turns: each reads every other piece at its offset and passes it to the other, and
//! both see every piece in order. One hashes the whole input, the other the content, so the
//! kernel's copying of the file is shared between them as well as the hashing. Only the pieces
//! holding bytes the report can need are kept: everything before the content, its first
//! [`ELIDE_KEEP`](sealscope_core::crypto::prehash::ELIDE_KEEP) bytes and everything after it
//! are then copied into a buffer of the file's size whose other pages are never written, so
//! the system never has to provide them. Core then decides whether the report can do without
//! the elided bytes ([`sealscope_core::inspect_elided`]); when it cannot, the caller reads the
//! whole file again.

use sealscope_core::crypto::prehash::Prehashed;
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::io;
use std::ops::Range;
use std::sync::mpsc;
use std::sync::Arc;

/// Bytes per piece: small enough that a piece is still in the cache when the other thread
/// hashes it. Each piece is a fresh allocation: reusing pieces that the other core last read
/// measured a third slower (docs/performance.md, "Looked at again").
const PIECE: usize = 256 * 1024;
/// Pieces a thread reads ahead of the one it is hashing.
const LEAD: usize = 4;
/// Pieces one thread may have passed to the other and the other not yet taken. More than
/// `LEAD`, so that the two threads can never both be waiting to pass a piece to each other;
/// a thread waiting to take a piece always finds it passed, as the other reads `LEAD` ahead.
const AHEAD: usize = 2 * LEAD;
const _: () = assert!(AHEAD > LEAD, "the threads could deadlock");

/// A source read at given offsets, by two threads at once.
pub trait ReadAt: Sync {
    /// Reads into `buf` from byte `offset`; the count read, 0 at the end.
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>;
}

#[cfg(unix)]
impl ReadAt for std::fs::File {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
    }
}

#[cfg(windows)]
impl ReadAt for std::fs::File {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        std::os::windows::fs::FileExt::seek_read(self, buf, offset)
    }
}

/// One piece of the input and its offset.
type Piece = Arc<(usize, Vec<u8>)>;

/// What one thread ends with: its digest and the pieces it read that hold kept bytes. `None`
/// when the source ended early or the other thread stopped.
type Share = Option<([u8; 32], Vec<Piece>)>;

/// Reads `size` bytes of `source`, keeping all but `elided` (a range inside `content`) and
/// hashing the whole input and `content` as they pass. `None` when the source does not hold
/// exactly `size` bytes (the file shrank or grew while it was read): the buffer would then
/// not be the input the digests describe.
pub fn read_eliding(
    source: &dyn ReadAt,
    size: usize,
    content: Range<usize>,
    elided: Range<usize>,
) -> io::Result<Option<(Vec<u8>, Prehashed)>> {
    let (input, content_share) = std::thread::scope(|scope| {
        let (to_content, from_input) = mpsc::sync_channel::<Piece>(AHEAD);
        let (to_input, from_content) = mpsc::sync_channel::<Piece>(AHEAD);
        let turn = Turn {
            source,
            size,
            elided: &elided,
        };
        let whole = 0..size;
        let content_range = content.clone();
        let content_thread = scope.spawn(move || turn.run(1, &content_range, to_input, from_input));
        // Each side's channel ends close when it returns, so neither can wait for the other
        // forever.
        let input = turn.run(0, &whole, to_content, from_content);
        let content_share = match content_thread.join() {
            Ok(share) => share,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (input, content_share)
    });
    let (Some((input_digest, mut kept)), Some((content_digest, more))) = (input?, content_share?)
    else {
        return Ok(None);
    };
    // A file that grew while it was read.
    let grew = loop {
        match source.read_at(&mut [0u8; 1], size as u64) {
            Ok(n) => break n != 0,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    };
    if grew {
        return Ok(None);
    }
    kept.extend(more);
    let mut buf = vec![0u8; size];
    for piece in &kept {
        keep(&mut buf, piece.0, &piece.1, &elided);
    }
    Ok(Some((
        buf,
        Prehashed {
            input: Some(input_digest),
            content: Some((content, content_digest)),
            elided: Some(elided),
        },
    )))
}

/// What both threads share: the source, its size and the elided range.
#[derive(Clone, Copy)]
struct Turn<'a> {
    source: &'a dyn ReadAt,
    size: usize,
    elided: &'a Range<usize>,
}

impl Turn<'_> {
    /// One thread's part: reads the pieces whose index has parity `me`, up to [`LEAD`] of
    /// them ahead of its hashing so that reading overlaps the other thread's hashing, and
    /// passes them to the other thread; receives the others; and hashes the bytes of every
    /// piece that fall in `hashed`, in order.
    fn run(
        self,
        me: usize,
        hashed: &Range<usize>,
        to_other: mpsc::SyncSender<Piece>,
        from_other: mpsc::Receiver<Piece>,
    ) -> io::Result<Share> {
        let count = self.size.div_ceil(PIECE);
        let mut hasher = Sha256::new();
        let mut kept = Vec::new();
        let mut own = VecDeque::new();
        let mut next_own = me;
        for index in 0..count {
            while next_own < count && next_own <= index + 2 * LEAD {
                let at = next_own * PIECE;
                let Some(bytes) = self.read_piece(at)? else {
                    return Ok(None);
                };
                let piece = Arc::new((at, bytes));
                let end = at + piece.1.len();
                if at < self.elided.start || end > self.elided.end {
                    kept.push(piece.clone());
                }
                if to_other.send(piece.clone()).is_err() {
                    return Ok(None);
                }
                own.push_back(piece);
                next_own += 2;
            }
            let piece = if index % 2 == me {
                own.pop_front()
            } else {
                from_other.recv().ok()
            };
            let Some(piece) = piece else {
                return Ok(None);
            };
            let at = piece.0;
            let from = hashed.start.max(at);
            let to = hashed.end.min(at + piece.1.len());
            if from < to {
                hasher.update(&piece.1[from - at..to - at]);
            }
        }
        Ok(Some((<[u8; 32]>::from(hasher.finalize()), kept)))
    }

    /// The piece at `at`, read whole; `None` when the source ends first.
    fn read_piece(&self, at: usize) -> io::Result<Option<Vec<u8>>> {
        let want = PIECE.min(self.size - at);
        let mut bytes = vec![0u8; want];
        let mut n = 0;
        while n < want {
            match self.source.read_at(&mut bytes[n..], (at + n) as u64) {
                Ok(0) => return Ok(None),
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(Some(bytes))
    }
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

    /// A source that hands out at most `step` bytes per call.
    struct Trickle<'a>(&'a [u8], usize);

    impl ReadAt for Trickle<'_> {
        fn read_at(&self, out: &mut [u8], offset: u64) -> io::Result<usize> {
            let at = usize::try_from(offset).expect("small").min(self.0.len());
            let n = (self.0.len() - at).min(out.len()).min(self.1);
            out[..n].copy_from_slice(&self.0[at..at + n]);
            Ok(n)
        }
    }

    /// A source whose reads starting in `bad` fail.
    struct Failing(Range<usize>);

    impl ReadAt for Failing {
        fn read_at(&self, out: &mut [u8], offset: u64) -> io::Result<usize> {
            if self.0.contains(&usize::try_from(offset).expect("small")) {
                return Err(io::Error::other("device gone"));
            }
            out.fill(7);
            Ok(out.len())
        }
    }

    #[test]
    fn keeps_all_but_the_elided_bytes_and_hashes_everything() {
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for step in [1000, 65_536, PIECE, 3_000_000] {
            let content = 1000..2_999_000;
            let elided = 70_000..2_999_000;
            let (buf, pre) = read_eliding(
                &Trickle(&data, step),
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
    fn a_source_of_another_size_gives_nothing() {
        let data = vec![5u8; 400_000];
        // Shorter than its size: the file shrank.
        let r = read_eliding(
            &Trickle(&data, 9_000),
            500_000,
            100..450_000,
            70_000..450_000,
        );
        assert!(r.expect("reads").is_none());
        // Longer than its size: the file grew.
        let r = read_eliding(
            &Trickle(&data, 9_000),
            300_000,
            100..290_000,
            70_000..290_000,
        );
        assert!(r.expect("reads").is_none());
    }

    #[test]
    fn a_read_error_on_either_thread_is_returned() {
        // The piece at PIECE is read by the content thread alone, the one at 2 * PIECE by the
        // input thread alone; the other thread then stops without an error of its own.
        for piece in [1, 2] {
            let bad = piece * PIECE..(piece + 1) * PIECE;
            let r = read_eliding(&Failing(bad), 1_000_000, 100..990_000, 70_000..990_000);
            let e = r.expect_err("the error comes back");
            assert_eq!(e.to_string(), "device gone", "failing piece {piece}");
        }
    }

    #[test]
    fn every_size_and_boundary_around_the_pieces() {
        let data: Vec<u8> = (0..4 * PIECE as u32 + 7).map(|i| (i % 253) as u8).collect();
        for size in [
            1000,
            PIECE - 1,
            PIECE,
            PIECE + 1,
            2 * PIECE,
            3 * PIECE,
            4 * PIECE + 7,
        ] {
            let data = &data[..size];
            let content = 10..size - 5;
            // Elided ranges starting and ending inside pieces and on their edges.
            let mut edges = vec![(20, size - 5), (size / 2, size - 6)];
            if size > PIECE + 10 {
                edges.push((PIECE, size - 5));
                edges.push((20, PIECE));
            }
            for (from, to) in edges {
                let elided = from..to;
                let (buf, pre) =
                    read_eliding(&Trickle(data, PIECE), size, content.clone(), elided.clone())
                        .expect("reads")
                        .expect("complete");
                assert_eq!(pre.input, Some(sha(data)), "size {size}");
                assert_eq!(
                    pre.content,
                    Some((content.clone(), sha(&data[content.clone()])))
                );
                assert_eq!(&buf[..from], &data[..from], "size {size}, {elided:?}");
                assert_eq!(&buf[to..], &data[to..], "size {size}, {elided:?}");
                assert!(buf[elided].iter().all(|&b| b == 0));
            }
        }
    }
}
