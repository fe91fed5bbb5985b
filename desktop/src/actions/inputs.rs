//! The inputs named on the command line: files, directories (walked in name order), stdin,
//! tar and zip archives (their members, streamed: [`super::archive`]), and the dirq queues APEL SSM keeps (`Queue` elements are directories holding `body`,
//! `signer` and `empaid`; `QueueSimple` elements are files), recognised by their layout.

use crate::error::CliError;
use sealscope_core::crypto::prehash::Prehashed;
use sealscope_core::profiles::ssm::Stored;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files at least this large are hashed while they are read (two more threads).
const HASH_WHILE_READING_MIN: usize = 4 << 20;

/// Encapsulated content at least this large is hashed without being kept, when the report
/// can do without it ([`super::elided_read`]).
const ELIDE_MIN: usize = 16 << 20;

/// Deepest directory nesting walked.
const MAX_DIR_DEPTH: usize = 16;

/// Where an input's bytes come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// Standard input.
    Stdin,
    /// An archive, whose members [`flatten`] turns into inputs of their own.
    Archive(sealscope_core::archive::ArchiveKind, PathBuf),
    /// A member of an archive, already read.
    Held(Held),
}

/// An archive member as read.
#[derive(Debug, Clone)]
pub enum Held {
    /// Its bytes.
    Bytes(Vec<u8>),
    /// Larger than the input limit: its size and SHA-256 (hex).
    TooLarge {
        /// Size in bytes.
        size: u64,
        /// SHA-256, lower-case hex.
        sha256: String,
    },
    /// It (or the rest of its archive) could not be read: why.
    Failed(String),
}

/// One input to inspect.
#[derive(Debug, Clone)]
pub struct Input {
    /// Where the bytes are.
    pub source: Source,
    /// The name shown in reports.
    pub name: String,
    /// For a dirq element: what SSM stored beside the body.
    pub stored: Option<Stored>,
}

impl Input {
    fn file(p: PathBuf) -> Self {
        let source = match super::archive::kind(&p) {
            Some(kind) => Source::Archive(kind, p.clone()),
            None => Source::File(p.clone()),
        };
        Input {
            name: p.display().to_string(),
            source,
            stored: None,
        }
    }

    /// Reads the bytes like [`Input::read`], without copying those of an archive member.
    pub fn into_read(self, limit: usize) -> Result<Loaded, CliError> {
        match self.source {
            Source::Held(Held::Bytes(b)) => Ok(Loaded::Bytes(b, Prehashed::default())),
            _ => self.read(limit),
        }
    }

    /// Reads the bytes for a report only, like [`Input::into_read`], except that a large
    /// opaque SignedData file comes back as [`Loaded::Elided`]: its content hashed as it was
    /// read but not kept (the window, which shows every byte, uses [`Input::into_read`]).
    pub fn into_read_for_report(self, limit: usize) -> Result<Loaded, CliError> {
        if let Source::File(p) = &self.source {
            if let Some(loaded) = read_elided(p, limit)? {
                return Ok(loaded);
            }
        }
        self.into_read(limit)
    }

    /// The name shown in reports.
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// Reads the bytes, keeping at most `limit` of them in memory: a larger input is read
    /// through once to measure and hash it and comes back as [`Loaded::TooLarge`].
    pub fn read(&self, limit: usize) -> Result<Loaded, CliError> {
        let path = match &self.source {
            Source::File(p) => p.clone(),
            Source::Stdin => PathBuf::from("-"),
            Source::Archive(_, p) => {
                return Err(CliError::Usage(format!(
                    "{}: an archive is read member by member (inputs::flatten)",
                    p.display()
                )))
            }
            Source::Held(Held::Bytes(b)) => {
                return Ok(Loaded::Bytes(b.clone(), Prehashed::default()))
            }
            Source::Held(Held::TooLarge { size, sha256 }) => {
                return Ok(Loaded::TooLarge {
                    size: *size,
                    sha256: sha256.clone(),
                })
            }
            Source::Held(Held::Failed(why)) => {
                return Err(CliError::Transport(format!("{}: {why}", self.name)))
            }
        };
        let fail = |e| CliError::Read(path.clone(), e);
        // A file's size is known: one allocation of that size, no regrowing and copying.
        let (mut reader, expected): (Box<dyn Read>, usize) = match &self.source {
            Source::File(p) => {
                let file = std::fs::File::open(p).map_err(fail)?;
                let size = file.metadata().map_err(fail)?.len();
                if size > limit as u64 {
                    return oversized(file, &path);
                }
                (Box::new(file), usize::try_from(size).unwrap_or(0))
            }
            _ => (Box::new(std::io::stdin()), 0),
        };
        // A large file is hashed while it is read; what a growing file adds afterwards is
        // read as below and leaves the input without a precomputed digest.
        let (mut buf, mut prehashed) = if expected >= HASH_WHILE_READING_MIN {
            super::hashed_read::read_hashing(&mut reader, expected).map_err(fail)?
        } else {
            (
                Vec::with_capacity(expected.saturating_add(1)),
                Prehashed::default(),
            )
        };
        let before = buf.len();
        let mut head = reader.take(
            (limit as u64)
                .saturating_add(1)
                .saturating_sub(before as u64),
        );
        head.read_to_end(&mut buf).map_err(fail)?;
        if buf.len() != before {
            prehashed = Prehashed::default();
        }
        if buf.len() <= limit {
            return Ok(Loaded::Bytes(buf, prehashed));
        }
        let rest = head.into_inner();
        let mut hasher = Sha256::new();
        hasher.update(&buf);
        let size = buf.len() as u64 + hash_rest(rest, &mut hasher, &path)?;
        Ok(Loaded::TooLarge {
            size,
            sha256: hex::encode(hasher.finalize()),
        })
    }
}

/// An input as read: its bytes, or its size and digest when it exceeds the limit.
#[derive(Debug)]
pub enum Loaded {
    /// Within the limit, with the digests computed while reading (large files only).
    Bytes(Vec<u8>, Prehashed),
    /// A large opaque SignedData read without most of its content (`prehashed.elided`),
    /// from the file at `path`, read whole if the report turns out to need those bytes.
    Elided {
        /// The input, zeros standing in for the elided bytes.
        bytes: Vec<u8>,
        /// The digests computed while reading, and which bytes were elided.
        prehashed: Prehashed,
        /// The file, to read again whole.
        path: PathBuf,
    },
    /// Larger than the limit: not kept.
    TooLarge {
        /// Size in bytes.
        size: u64,
        /// SHA-256, lower-case hex.
        sha256: String,
    },
}

impl Loaded {
    /// Reads the input in `session` (a draft, concluded in input order by the caller), or
    /// reports that it exceeds `opts.max_input`.
    pub fn draft(
        &self,
        session: &sealscope_core::Session,
        opts: &sealscope_core::Options,
    ) -> Result<sealscope_core::Draft, CliError> {
        match self {
            Loaded::Bytes(b, pre) => Ok(session.draft(b, opts, pre)),
            Loaded::TooLarge { size, sha256 } => {
                Ok(session.draft_oversized(*size, sha256.clone(), opts))
            }
            Loaded::Elided {
                bytes,
                prehashed,
                path,
            } => match session.draft_elided(bytes, opts, prehashed) {
                Some(draft) => Ok(draft),
                None => Input::file(path.clone())
                    .read(session.options().max_input)?
                    .draft(session, opts),
            },
        }
    }
}

/// Reads the file at `path` with its encapsulated content elided when its first bytes show a
/// DER SignedData whose content is at least [`ELIDE_MIN`] bytes; `None` for any other file,
/// and for one that changed size while it was read (it is then read the ordinary way).
fn read_elided(path: &Path, limit: usize) -> Result<Option<Loaded>, CliError> {
    let fail = |e| CliError::Read(path.to_path_buf(), e);
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(None);
    };
    let Ok(size) = usize::try_from(meta.len()) else {
        return Ok(None);
    };
    if !meta.is_file() || size < ELIDE_MIN || size > limit {
        return Ok(None);
    }
    let mut file = std::fs::File::open(path).map_err(fail)?;
    let mut prefix = Vec::with_capacity(4096);
    (&mut file)
        .take(4096)
        .read_to_end(&mut prefix)
        .map_err(fail)?;
    let Some((content, elided)) =
        sealscope_core::crypto::prehash::elidable(&prefix, size, ELIDE_MIN)
    else {
        return Ok(None);
    };
    let Some((bytes, prehashed)) =
        super::elided_read::read_eliding(&file, size, content, elided).map_err(fail)?
    else {
        return Ok(None);
    };
    Ok(Some(Loaded::Elided {
        bytes,
        prehashed,
        path: path.to_path_buf(),
    }))
}

fn oversized(file: std::fs::File, path: &Path) -> Result<Loaded, CliError> {
    let mut hasher = Sha256::new();
    let size = hash_rest(Box::new(file), &mut hasher, path)?;
    Ok(Loaded::TooLarge {
        size,
        sha256: hex::encode(hasher.finalize()),
    })
}

/// Hashes the rest of `reader` in fixed-size chunks; returns how many bytes it read.
fn hash_rest(mut reader: Box<dyn Read>, hasher: &mut Sha256, path: &Path) -> Result<u64, CliError> {
    let mut chunk = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CliError::Read(path.to_path_buf(), e)),
        };
        hasher.update(&chunk[..n]);
        total += n as u64;
    }
}

fn hex_name(p: &Path, len: usize) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.len() == len && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `(queue name, element name)` when `p` sits at `<queue>/<8 hex>/<14 hex>`.
fn dirq_position(p: &Path) -> Option<(String, String)> {
    let parent = p.parent()?;
    if !hex_name(p, 14) || !hex_name(parent, 8) {
        return None;
    }
    let queue = parent
        .parent()
        .and_then(|q| q.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("queue")
        .to_string();
    let element = format!(
        "{}/{}",
        parent.file_name()?.to_str()?,
        p.file_name()?.to_str()?
    );
    Some((queue, element))
}

fn read_small(p: &Path) -> Option<String> {
    let meta = std::fs::metadata(p).ok()?;
    if meta.len() > 64 * 1024 {
        return None;
    }
    std::fs::read_to_string(p)
        .ok()
        .map(|s| s.trim_end_matches(['\r', '\n']).to_string())
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<Input>) -> Result<(), CliError> {
    if depth > MAX_DIR_DEPTH {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| CliError::Read(dir.to_path_buf(), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    entries.sort();
    for p in entries {
        let dirq = dirq_position(&p);
        if p.is_dir() {
            if let (Some((queue, element)), true) = (&dirq, p.join("body").is_file()) {
                // A dirq Queue element: body + signer (+ empaid, + error when rejected).
                out.push(Input {
                    name: p.join("body").display().to_string(),
                    source: Source::File(p.join("body")),
                    stored: Some(Stored {
                        queue: queue.clone(),
                        element: element.clone(),
                        signer: read_small(&p.join("signer")),
                        empa_id: read_small(&p.join("empaid")),
                        error: read_small(&p.join("error")),
                    }),
                });
                continue;
            }
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            // dirq's own working directories and lock directories hold no messages.
            if name == "temporary" || name == "obsolete" || name.ends_with(".lck") {
                continue;
            }
            walk(&p, depth + 1, out)?;
        } else if let Some((queue, element)) = dirq {
            // A QueueSimple element: the file is the message.
            out.push(Input {
                name: p.display().to_string(),
                source: Source::File(p.clone()),
                stored: Some(Stored {
                    queue,
                    element,
                    ..Stored::default()
                }),
            });
        } else if p.extension().is_some_and(|e| e == "tmp" || e == "lck")
            && p.parent().is_some_and(|d| hex_name(d, 8))
        {
            continue;
        } else {
            out.push(Input::file(p));
        }
    }
    Ok(())
}

/// Expands the command line's inputs; a missing path is an error.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, CliError> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input {
                source: Source::Stdin,
                name: "-".into(),
                stored: None,
            });
        } else if p.is_dir() {
            walk(p, 0, &mut out)?;
        } else if p.exists() {
            out.push(Input::file(p.clone()));
        } else {
            return Err(CliError::Read(
                p.clone(),
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            ));
        }
    }
    Ok(out)
}

/// The inputs with every archive replaced by its members, read as the iterator is advanced
/// (see [`super::archive`]). Inputs whose name is in `reading.skip` are left out.
pub fn flatten(
    list: Vec<Input>,
    reading: super::archive::Reading,
) -> impl Iterator<Item = Input> + Send {
    let skip = reading.skip.clone();
    list.into_iter()
        .filter(move |i| !skip.contains(&i.name) || matches!(i.source, Source::Archive(..)))
        .flat_map(move |i| -> Box<dyn Iterator<Item = Input> + Send> {
            match i.source {
                Source::Archive(kind, path) => {
                    Box::new(super::archive::members(path, kind, reading.clone()))
                }
                _ => Box::new(std::iter::once(i)),
            }
        })
}
