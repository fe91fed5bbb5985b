//! The inputs named on the command line: files, directories (walked in name order), stdin.

use crate::error::CliError;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Deepest directory nesting walked.
const MAX_DIR_DEPTH: usize = 16;

/// One input to inspect.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input.
    Stdin,
}

impl Input {
    /// The name shown in reports.
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".into(),
        }
    }

    /// Reads the bytes.
    pub fn read(&self) -> Result<Vec<u8>, CliError> {
        match self {
            Input::File(p) => std::fs::read(p).map_err(|e| CliError::Read(p.clone(), e)),
            Input::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buf)
                    .map_err(|e| CliError::Read(PathBuf::from("-"), e))?;
                Ok(buf)
            }
        }
    }
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
        if p.is_dir() {
            walk(&p, depth + 1, out)?;
        } else {
            out.push(Input::File(p));
        }
    }
    Ok(())
}

/// Expands the command line's inputs; a missing path is an error.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, CliError> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            walk(p, 0, &mut out)?;
        } else if p.exists() {
            out.push(Input::File(p.clone()));
        } else {
            return Err(CliError::Read(
                p.clone(),
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            ));
        }
    }
    Ok(out)
}
