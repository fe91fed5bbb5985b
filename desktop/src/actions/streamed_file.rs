//! The content of a detached signature read from a file on demand (`inspect --content
//! big.bin big.p7s`): only the digests the signatures need are computed, each while the file
//! is read in small pieces, so a file of any size is checked without holding it.
//!
//! One thread reads the next pieces while this one hashes the last, so reading and hashing
//! overlap; at most [`IN_FLIGHT`] pieces of [`PIECE`] bytes exist at any time.

use crate::error::CliError;
use sealscope_core::crypto::algorithms::Digest;
use sealscope_core::inspect::StreamedContent;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex};

/// Bytes read per call.
const PIECE: usize = 64 * 1024;
/// Pieces read ahead of the hasher.
const IN_FLIGHT: usize = 4;

/// A digest computed (or the reason it could not be), per algorithm.
type Computed = Vec<(Digest, Result<Vec<u8>, String>)>;

/// A content file, with the digests computed so far.
#[derive(Debug)]
pub struct FileContent {
    path: PathBuf,
    len: u64,
    digests: Mutex<Computed>,
}

impl FileContent {
    /// A regular file given as content; an error names the file and why it cannot be used.
    pub fn open(path: &Path) -> Result<Self, CliError> {
        let meta = std::fs::metadata(path).map_err(|e| CliError::Read(path.to_path_buf(), e))?;
        if !meta.is_file() {
            return Err(CliError::Usage(format!(
                "--content {}: not a regular file",
                path.display()
            )));
        }
        // Opening it now reports a permission problem before any inspection starts.
        std::fs::File::open(path).map_err(|e| CliError::Read(path.to_path_buf(), e))?;
        Ok(FileContent {
            path: path.to_path_buf(),
            len: meta.len(),
            digests: Mutex::new(Vec::new()),
        })
    }
}

impl StreamedContent for FileContent {
    fn len(&self) -> u64 {
        self.len
    }

    fn digest(&self, digest: Digest) -> Result<Vec<u8>, String> {
        // The lock is held while hashing: several workers asking for the same digest wait
        // for one pass instead of making their own.
        let mut done = self
            .digests
            .lock()
            .map_err(|_| "an earlier read of the content failed".to_string())?;
        if let Some((_, r)) = done.iter().find(|(d, _)| *d == digest) {
            return r.clone();
        }
        let r = hash_file(&self.path, self.len, digest);
        done.push((digest, r.clone()));
        r
    }

    fn bytes(&self, limit: usize) -> Option<Vec<u8>> {
        if self.len > limit as u64 {
            return None;
        }
        std::fs::read(&self.path)
            .ok()
            .filter(|b| b.len() as u64 == self.len)
    }
}

/// The digest of the file at `path`, which must still be `len` bytes long.
fn hash_file(path: &Path, len: u64, digest: Digest) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let mut file = std::fs::File::open(path).map_err(|e| format!("{shown}: {e}"))?;
    let mut hasher = digest.hasher();
    let (to_hasher, filled) = mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT);
    let (to_reader, spare) = mpsc::channel::<Vec<u8>>();
    let read = std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> Result<u64, std::io::Error> {
            let mut total = 0u64;
            loop {
                let mut buf = spare.try_recv().unwrap_or_else(|_| vec![0u8; PIECE]);
                buf.resize(PIECE, 0);
                let n = loop {
                    match file.read(&mut buf) {
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        r => break r?,
                    }
                };
                if n == 0 {
                    return Ok(total);
                }
                total += n as u64;
                buf.truncate(n);
                if to_hasher.send(buf).is_err() {
                    return Ok(total);
                }
            }
        });
        for piece in filled {
            hasher.update(&piece);
            // The reader may have finished; its spare buffers are then simply dropped.
            let _ = to_reader.send(piece);
        }
        reader.join()
    });
    let total = match read {
        Ok(Ok(n)) => n,
        Ok(Err(e)) => return Err(format!("reading {shown}: {e}")),
        Err(_) => return Err(format!("reading {shown}: the reader stopped")),
    };
    if total != len {
        return Err(format!(
            "{shown} changed while it was read ({len} bytes before, {total} read)"
        ));
    }
    Ok(hasher.finalize().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_match_one_pass_hashing() {
        let dir = std::env::temp_dir().join(format!("sealscope-streamed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("content.bin");
        // Not a multiple of the piece size, so the last piece is short.
        let data: Vec<u8> = (0..(PIECE * 5 + 1234))
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        std::fs::write(&path, &data).unwrap();
        let f = FileContent::open(&path).unwrap();
        assert_eq!(f.len(), data.len() as u64);
        for d in [Digest::Sha256, Digest::Sha384, Digest::Sha1] {
            assert_eq!(f.digest(d).unwrap(), d.hash(&data));
        }
        assert_eq!(f.bytes(data.len()).as_deref(), Some(&data[..]));
        assert_eq!(f.bytes(data.len() - 1), None);
        // A file that grows after it was opened is refused, not digested as it now is.
        std::fs::write(&path, [&data[..], b"x"].concat()).unwrap();
        let grown = f.digest(Digest::Sha512).unwrap_err();
        assert!(grown.contains("changed while it was read"), "{grown}");
        assert!(FileContent::open(&dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
