//! The inputs named on the command line: files, directories (walked in name order), stdin,
//! and the dirq queues APEL SSM keeps (`Queue` elements are directories holding `body`,
//! `signer` and `empaid`; `QueueSimple` elements are files), recognised by their layout.

use crate::error::CliError;
use sealscope_core::profiles::ssm::Stored;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Deepest directory nesting walked.
const MAX_DIR_DEPTH: usize = 16;

/// Where an input's bytes come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// Standard input.
    Stdin,
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
        Input {
            name: p.display().to_string(),
            source: Source::File(p),
            stored: None,
        }
    }

    /// The name shown in reports.
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// Reads the bytes.
    pub fn read(&self) -> Result<Vec<u8>, CliError> {
        match &self.source {
            Source::File(p) => std::fs::read(p).map_err(|e| CliError::Read(p.clone(), e)),
            Source::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buf)
                    .map_err(|e| CliError::Read(PathBuf::from("-"), e))?;
                Ok(buf)
            }
        }
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
