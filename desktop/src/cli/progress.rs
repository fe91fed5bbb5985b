//! A progress line on stderr for long batches: reports made, bytes read of the total, rate
//! and time left, redrawn in place at most ten times a second and cleared at the end.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Width of the bar in characters.
const BAR: usize = 24;

/// The progress of one batch.
pub struct Progress {
    total_bytes: u64,
    /// Bytes of plain files done.
    files_done: u64,
    /// Bytes of archives read (shared with their readers).
    archives_read: Arc<AtomicU64>,
    reports: usize,
    started: Instant,
    drawn: Option<Instant>,
}

impl Progress {
    /// A progress line over `total_bytes` of input (files and archives).
    pub fn new(total_bytes: u64, archives_read: Arc<AtomicU64>) -> Self {
        Progress {
            total_bytes,
            files_done: 0,
            archives_read,
            reports: 0,
            started: Instant::now(),
            drawn: None,
        }
    }

    /// One input done; `file_bytes` is its size when it was a plain file (an archive
    /// member's bytes are counted as its archive is read).
    pub fn step(&mut self, file_bytes: u64) {
        self.reports += 1;
        self.files_done += file_bytes;
        if self
            .drawn
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100))
        {
            self.draw();
        }
    }

    /// The line as it would be drawn now.
    pub fn line(&self) -> String {
        let done =
            (self.files_done + self.archives_read.load(Ordering::Relaxed)).min(self.total_bytes);
        let fraction = if self.total_bytes == 0 {
            1.0
        } else {
            done as f64 / self.total_bytes as f64
        };
        let filled = ((fraction * BAR as f64) as usize).min(BAR);
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let rate = self.reports as f64 / secs;
        let left = if fraction > 0.0 && fraction < 1.0 {
            let rest = secs * (1.0 - fraction) / fraction;
            format!(", {} left", clock(rest))
        } else {
            String::new()
        };
        format!(
            "[{}{}] {:>3}% {} report(s), {:.1} of {:.1} MiB, {:.0}/s{left}",
            "#".repeat(filled),
            "-".repeat(BAR - filled),
            (fraction * 100.0) as u32,
            self.reports,
            done as f64 / 1048576.0,
            self.total_bytes as f64 / 1048576.0,
            rate,
        )
    }

    fn draw(&mut self) {
        self.drawn = Some(Instant::now());
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{}", self.line());
        let _ = err.flush();
    }

    /// Draws the final state (everything read) and ends the line.
    pub fn finish(&mut self) {
        self.files_done = self.total_bytes;
        self.draw();
        let _ = writeln!(std::io::stderr().lock());
    }
}

fn clock(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_counts_files_and_archive_bytes() {
        let read = Arc::new(AtomicU64::new(0));
        let mut p = Progress::new(4 << 20, read.clone());
        p.files_done = 1 << 20;
        p.reports = 3;
        read.store(1 << 20, Ordering::Relaxed);
        let l = p.line();
        assert!(
            l.starts_with("[############------------]  50% 3 report(s), 2.0 of 4.0 MiB"),
            "{l}"
        );
        assert!(l.contains("left"), "{l}");
        assert_eq!(clock(3725.0), "1:02:05");
        assert_eq!(clock(65.0), "1:05");
    }
}
