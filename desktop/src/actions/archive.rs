//! Archives of messages given as inputs: tar (plain or gzip-compressed) and zip. The file is
//! opened here and read by `sealscope_core::archive` on a thread of its own; its members are
//! handed over as inputs named `archive!/member`, in archive order, a few ahead of the
//! inspection, so an archive of any size is inspected without being unpacked or held.
//!
//! A member larger than the input limit arrives hashed and reported as too large;
//! directories, links and other non-file entries are passed over; a damaged archive ends
//! with one input that carries the reason.

use super::inputs::{Held, Input, Source};
use sealscope_core::archive::{self, ArchiveKind, Member, MemberBytes, MemberSink};
use std::collections::HashSet;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};

/// Members read ahead of the inspection.
const READ_AHEAD: usize = 8;

/// The archive format a path's name says it has.
pub fn kind(path: &Path) -> Option<ArchiveKind> {
    ArchiveKind::from_file_name(path.file_name()?.to_str()?)
}

/// What reading an archive needs besides its path.
#[derive(Clone, Debug)]
pub struct Reading {
    /// Largest member kept in memory.
    pub limit: usize,
    /// Names (as reports show them) not to read again: already reported.
    pub skip: Arc<HashSet<String>>,
    /// Bytes of archive files read so far, for a progress display.
    pub consumed: Arc<AtomicU64>,
}

/// The name a member's report carries: `archive!/member` (core gives the member's path
/// without a leading `./`).
pub fn member_name(archive: &Path, member: &str) -> String {
    format!("{}!/{}", archive.display(), member)
}

/// The members of the archive at `path`, read on a thread of their own.
pub fn members(path: PathBuf, kind: ArchiveKind, reading: Reading) -> mpsc::IntoIter<Input> {
    let (tx, rx) = mpsc::sync_channel(READ_AHEAD);
    let spawned = std::thread::Builder::new()
        .name("sealscope-archive".into())
        .spawn({
            let tx = tx.clone();
            let path = path.clone();
            move || {
                if let Err(why) = read(&path, kind, &reading, &tx) {
                    let _ = tx.send(failed(&path, why));
                }
            }
        });
    if let Err(e) = spawned {
        let _ = tx.send(failed(&path, format!("cannot start its reader: {e}")));
    }
    drop(tx);
    rx.into_iter()
}

fn failed(path: &Path, why: String) -> Input {
    Input {
        name: path.display().to_string(),
        source: Source::Held(Held::Failed(why)),
        stored: None,
    }
}

/// Counts the archive's bytes as they are read.
struct Counting<R> {
    inner: R,
    consumed: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Hands the members of one archive over as inputs named `archive!/member`, skipping those
/// already reported and counting zip members' packed bytes for the progress display (a tar
/// stream's bytes are counted as they are read).
struct Handing<'a> {
    archive: &'a Path,
    reading: &'a Reading,
    count_packed: bool,
    tx: &'a mpsc::SyncSender<Input>,
}

impl MemberSink for Handing<'_> {
    fn wanted(&mut self, path: &str, packed: u64) -> bool {
        if self.count_packed {
            self.reading.consumed.fetch_add(packed, Ordering::Relaxed);
        }
        !self.reading.skip.contains(&member_name(self.archive, path))
    }

    fn take(&mut self, member: Member) -> bool {
        let held = match member.bytes {
            MemberBytes::Held(b) => Held::Bytes(b),
            MemberBytes::TooLarge { size, sha256 } => Held::TooLarge { size, sha256 },
            MemberBytes::Unreadable(why) => Held::Failed(why),
        };
        let input = Input {
            name: member_name(self.archive, &member.path),
            source: Source::Held(held),
            stored: None,
        };
        self.tx.send(input).is_ok()
    }
}

fn read(
    path: &Path,
    kind: ArchiveKind,
    reading: &Reading,
    tx: &mpsc::SyncSender<Input>,
) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut sink = Handing {
        archive: path,
        reading,
        count_packed: kind == ArchiveKind::Zip,
        tx,
    };
    let r = match kind {
        ArchiveKind::Tar | ArchiveKind::TarGz => {
            let counted = Counting {
                inner: BufReader::with_capacity(1 << 16, file),
                consumed: reading.consumed.clone(),
            };
            archive::read_tar(
                counted,
                kind == ArchiveKind::TarGz,
                reading.limit,
                &mut sink,
            )
        }
        ArchiveKind::Zip => archive::read_zip(BufReader::new(file), reading.limit, &mut sink),
    };
    r.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Every member of the archive at `path`, gathered on a thread that must finish within
    /// ten seconds (a damaged archive may end early, never hang).
    fn gather(path: &Path, kind: ArchiveKind, limit: usize) -> Vec<Input> {
        let reading = Reading {
            limit,
            skip: Arc::new(HashSet::new()),
            consumed: Arc::new(AtomicU64::new(0)),
        };
        let (tx, rx) = mpsc::channel();
        let path = path.to_path_buf();
        std::thread::spawn(move || {
            let all: Vec<Input> = members(path, kind, reading).collect();
            let _ = tx.send(all);
        });
        rx.recv_timeout(Duration::from_secs(10))
            .expect("the archive reader finishes")
    }

    /// A deterministic byte stream (xorshift64) for the mutations.
    struct Noise(u64);

    impl Noise {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    /// Damaged archives (cut anywhere, bytes changed anywhere) give their readable members
    /// and at most one failure, which names the archive, and every member name is
    /// `archive!/member`: no panic, no hang, nothing dropped without a word.
    #[test]
    fn damaged_archives_end_with_a_reason_never_a_panic_or_a_hang() {
        let dir = std::env::temp_dir().join(format!("sealscope-archive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/archives");
        let mut noise = Noise(0x5ea1_5c0b_e000_0001);
        for (file, kind, count) in [
            ("messages.tar", ArchiveKind::Tar, 3),
            ("messages.tar.gz", ArchiveKind::TarGz, 2),
            ("messages.zip", ArchiveKind::Zip, 2),
        ] {
            let original = std::fs::read(fixtures.join(file)).expect("fixture");
            let intact = gather(&fixtures.join(file), kind, 1 << 20);
            assert_eq!(intact.len(), count, "{file}");
            assert!(intact
                .iter()
                .all(|i| matches!(i.source, Source::Held(Held::Bytes(_)))));
            let mut variants: Vec<Vec<u8>> = Vec::new();
            for k in 0..40 {
                variants.push(original[..original.len() * k / 40].to_vec());
            }
            for _ in 0..120 {
                let mut v = original.clone();
                for _ in 0..1 + noise.next() % 4 {
                    let at = (noise.next() % v.len() as u64) as usize;
                    v[at] ^= (noise.next() % 255 + 1) as u8;
                }
                variants.push(v);
            }
            let target = dir.join(file);
            for (n, bytes) in variants.iter().enumerate() {
                std::fs::write(&target, bytes).expect("write");
                // A small limit sends big members down the too-large path as well.
                let got = gather(&target, kind, if n % 2 == 0 { 1 << 20 } else { 64 });
                let failures = got
                    .iter()
                    .filter(|i| matches!(i.source, Source::Held(Held::Failed(_))))
                    .count();
                if kind == ArchiveKind::Zip {
                    assert!(failures <= count.max(1), "{file} variant {n}: {failures}");
                } else {
                    // A stream ends at its first failure, which is its last input.
                    assert!(failures <= 1, "{file} variant {n}: {failures} failures");
                    if failures == 1 {
                        assert!(matches!(
                            got.last().map(|i| &i.source),
                            Some(Source::Held(Held::Failed(_)))
                        ));
                    }
                }
                for i in &got {
                    let archive = target.display().to_string();
                    match &i.source {
                        Source::Held(Held::Failed(why)) => {
                            assert!(i.name.starts_with(&archive), "{}", i.name);
                            assert!(!why.is_empty());
                        }
                        Source::Held(_) => {
                            assert!(i.name.starts_with(&format!("{archive}!/")), "{}", i.name)
                        }
                        _ => panic!("{file} variant {n}: a member that is not held"),
                    }
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
