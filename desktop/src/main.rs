//! `sealscope`: inspect, verify and debug signed and encrypted messages.
//!
//! The command line of DESIGN.md, and the desktop window: `sealscope` alone, or
//! `sealscope FILE…`, opens the window (feature `gui`). Exit status of the commands: 0 when
//! every report is `valid` or `warning`, 1 when any is `invalid`, 2 when any is
//! `unreadable` or the command line is wrong; errors go to stderr in one line naming the file.
//!
//! `cli/` parses arguments and prints, `gui/` draws the window, both over `actions/`
//! (inspect, compose, send, listen as library calls) and `transport/` (STOMP, HTTP, TLS).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod actions;
mod cli;
mod error;
#[cfg(feature = "gui")]
mod gui;
mod transport;

use sealscope_core::UnixTime;
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}

/// The current time.
pub fn now() -> UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    UnixTime(i64::try_from(secs).unwrap_or(i64::MAX))
}
