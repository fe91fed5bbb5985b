//! The command line's one error type: every message names the file and the reason.

use std::path::PathBuf;
use thiserror::Error;

/// What stops a command before any report is printed.
#[derive(Debug, Error)]
pub enum CliError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}", path = .0.display(), source = .1)]
    Read(PathBuf, std::io::Error),
    /// A file could not be written.
    #[error("cannot write {path}: {source}", path = .0.display(), source = .1)]
    Write(PathBuf, std::io::Error),
    /// Key material in a file could not be loaded.
    #[error("{}", load_message(.0, .1))]
    Load(PathBuf, sealscope_core::Error),
    /// An option value is wrong.
    #[error("{0}")]
    Usage(String),
    /// A network peer could not be reached, refused, timed out or answered with an error.
    #[error("{0}")]
    Transport(String),
}

/// A load error names its file once: the core's message when it already does, else the path
/// first.
fn load_message(path: &std::path::Path, e: &sealscope_core::Error) -> String {
    let text = e.to_string();
    let p = path.display().to_string();
    if text.contains(&p) {
        text
    } else {
        format!("{p}: {text}")
    }
}
