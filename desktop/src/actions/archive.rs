//! Archives of messages given as inputs: tar (plain or gzip-compressed) and zip. Their
//! members are read one after another on a thread of their own and handed over as inputs
//! in archive order, a few ahead of the inspection, so an archive of any size is inspected
//! without being unpacked or held.
//!
//! A member larger than the input limit is hashed as it streams by and reported as too
//! large; directories, links and other non-file entries are passed over; a damaged archive
//! ends with one input that carries the reason.

use super::inputs::{Held, Input, Source};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};

/// Members read ahead of the inspection.
const READ_AHEAD: usize = 8;

/// The archive formats read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// POSIX / GNU tar.
    Tar,
    /// tar compressed with gzip (`.tar.gz`, `.tgz`).
    TarGz,
    /// zip (stored or deflated members).
    Zip,
}

/// The archive format a path's name says it has.
pub fn kind(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".tar") {
        Some(Kind::Tar)
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        Some(Kind::TarGz)
    } else if name.ends_with(".zip") {
        Some(Kind::Zip)
    } else {
        None
    }
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

/// The name a member's report carries: `archive!/member`.
pub fn member_name(archive: &Path, member: &str) -> String {
    format!("{}!/{}", archive.display(), member.trim_start_matches("./"))
}

/// The members of the archive at `path`, read on a thread of their own.
pub fn members(path: PathBuf, kind: Kind, reading: Reading) -> mpsc::IntoIter<Input> {
    let (tx, rx) = mpsc::sync_channel(READ_AHEAD);
    let spawned = std::thread::Builder::new()
        .name("sealscope-archive".into())
        .spawn({
            let tx = tx.clone();
            let path = path.clone();
            move || {
                let r = match kind {
                    Kind::Tar | Kind::TarGz => read_tar(&path, kind, &reading, &tx),
                    Kind::Zip => read_zip(&path, &reading, &tx),
                };
                if let Err(why) = r {
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

/// A member's bytes, or its size and digest when larger than `limit`.
fn hold(mut r: impl Read, limit: usize, size_hint: u64) -> Result<Held, String> {
    let mut buf = Vec::with_capacity(size_hint.min(limit as u64) as usize);
    (&mut r)
        .take(limit as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf.len() <= limit {
        return Ok(Held::Bytes(buf));
    }
    let mut hasher = Sha256::new();
    hasher.update(&buf);
    let mut size = buf.len() as u64;
    drop(buf);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = r.read(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        hasher.update(&chunk[..n]);
        size += n as u64;
    }
    Ok(Held::TooLarge {
        size,
        sha256: hex::encode(hasher.finalize()),
    })
}

/// What became of a member handed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Handed {
    /// Read and handed over.
    Read,
    /// Could not be read; the failure was handed over as the member's input.
    Failed,
    /// The consumer has stopped.
    Stopped,
}

/// Reads one member and hands it (or why it could not be read) to the consumer.
fn hand_over(
    entry: impl Read,
    size: u64,
    member: &str,
    name: String,
    reading: &Reading,
    tx: &mpsc::SyncSender<Input>,
) -> Handed {
    let (held, handed) = match hold(entry, reading.limit, size) {
        Ok(held) => (held, Handed::Read),
        Err(why) => (
            Held::Failed(format!("reading {member}: {why}")),
            Handed::Failed,
        ),
    };
    let input = Input {
        name,
        source: Source::Held(held),
        stored: None,
    };
    match tx.send(input) {
        Ok(()) => handed,
        Err(_) => Handed::Stopped,
    }
}

fn open(path: &Path, reading: &Reading) -> Result<Counting<BufReader<std::fs::File>>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    Ok(Counting {
        inner: BufReader::with_capacity(1 << 16, file),
        consumed: reading.consumed.clone(),
    })
}

fn read_tar(
    path: &Path,
    kind: Kind,
    reading: &Reading,
    tx: &mpsc::SyncSender<Input>,
) -> Result<(), String> {
    let file = open(path, reading)?;
    let reader: Box<dyn Read> = match kind {
        Kind::TarGz => Box::new(flate2::read::MultiGzDecoder::new(file)),
        _ => Box::new(file),
    };
    let mut archive = tar::Archive::new(reader);
    let entries = archive
        .entries()
        .map_err(|e| format!("not a tar archive: {e}"))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("damaged tar archive: {e}"))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let member = String::from_utf8_lossy(&entry.path_bytes()).to_string();
        let name = member_name(path, &member);
        if reading.skip.contains(&name) {
            continue; // its bytes are skipped by the next entries() step
        }
        let size = entry.size();
        // A member that cannot be read leaves the stream somewhere inside it: what follows
        // cannot be found, and its failure (already handed over) is the archive's last word.
        match hand_over(entry, size, &member, name, reading, tx) {
            Handed::Read => {}
            Handed::Failed | Handed::Stopped => return Ok(()),
        }
    }
    Ok(())
}

fn read_zip(path: &Path, reading: &Reading, tx: &mpsc::SyncSender<Input>) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut archive = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| format!("not a zip archive: {e}"))?;
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| format!("damaged zip archive (member {}): {e}", i + 1))?;
        if !entry.is_file() {
            continue;
        }
        let member = entry.name().to_string();
        let name = member_name(path, &member);
        reading
            .consumed
            .fetch_add(entry.compressed_size(), Ordering::Relaxed);
        if reading.skip.contains(&name) {
            continue;
        }
        let size = entry.size();
        // Zip members are found through the central directory, so one that cannot be read
        // (bad deflate data, wrong CRC) does not stop the others.
        if hand_over(entry, size, &member, name, reading, tx) == Handed::Stopped {
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Every member of the archive at `path`, gathered on a thread that must finish within
    /// ten seconds (a damaged archive may end early, never hang).
    fn gather(path: &Path, kind: Kind, limit: usize) -> Vec<Input> {
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
            ("messages.tar", Kind::Tar, 3),
            ("messages.tar.gz", Kind::TarGz, 2),
            ("messages.zip", Kind::Zip, 2),
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
                if kind == Kind::Zip {
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
