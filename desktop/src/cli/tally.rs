//! The end of a batch: counts per verdict and per finding code, as a table on stderr, and
//! `--resume FILE`, the JSON Lines file of an earlier run whose reports are not made again
//! (their names are skipped) and to which the new reports are appended.

use crate::error::CliError;
use sealscope_core::report::lines::read_report_line;
use sealscope_core::{Report, Verdict};
use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Counts of verdicts and finding codes.
#[derive(Debug, Default)]
pub struct Tally {
    /// Reports per verdict.
    verdicts: BTreeMap<&'static str, usize>,
    /// Reports carrying each finding code (a report counts once per code).
    codes: BTreeMap<String, usize>,
    /// Inputs that could not be read at all (no report).
    errors: usize,
    /// Reports counted from the resumed file.
    earlier: usize,
}

impl Tally {
    /// Counts one report.
    pub fn add(&mut self, report: &Report) {
        self.add_parts(
            report.verdict,
            report.findings.iter().map(|f| f.code.as_str()),
        );
    }

    fn add_parts<'a>(&mut self, verdict: Verdict, codes: impl Iterator<Item = &'a str>) {
        *self.verdicts.entry(verdict.as_str()).or_default() += 1;
        let codes: std::collections::BTreeSet<&str> = codes.collect();
        for c in codes {
            *self.codes.entry(c.to_string()).or_default() += 1;
        }
    }

    /// Counts an input that gave no report.
    pub fn error(&mut self) {
        self.errors += 1;
    }

    /// The reports counted.
    pub fn reports(&self) -> usize {
        self.verdicts.values().sum()
    }

    /// The table: verdicts in their order of severity, then finding codes by count.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let total = self.reports();
        out.push_str(&format!("summary: {total} report(s)"));
        if self.earlier > 0 {
            out.push_str(&format!(
                " ({} from the resumed file, {} new)",
                self.earlier,
                total - self.earlier
            ));
        }
        if self.errors > 0 {
            out.push_str(&format!(", {} input(s) not read", self.errors));
        }
        out.push('\n');
        let order = ["valid", "warning", "invalid", "unreadable"];
        let width = self
            .codes
            .keys()
            .map(String::len)
            .max()
            .unwrap_or(0)
            .max(12);
        out.push_str(&format!("  {:<width$}  {:>8}\n", "verdict", "reports"));
        for v in order {
            if let Some(n) = self.verdicts.get(v) {
                out.push_str(&format!("  {v:<width$}  {n:>8}\n"));
            }
        }
        if !self.codes.is_empty() {
            out.push_str(&format!("  {:<width$}  {:>8}\n", "finding code", "reports"));
            let mut codes: Vec<_> = self.codes.iter().collect();
            codes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (c, n) in codes {
                out.push_str(&format!("  {c:<width$}  {n:>8}\n"));
            }
        }
        out
    }
}

/// An earlier run's JSON Lines, opened to skip what it reported and append what follows.
pub struct Resume {
    path: PathBuf,
    file: std::fs::File,
    /// Input names already reported.
    pub done: HashSet<String>,
}

impl Resume {
    /// Opens (or creates) `path`, reads the reports in it into `tally`, and drops a last
    /// line cut short by an interrupted run, so appending starts on a fresh line.
    pub fn open(path: &Path, tally: &mut Tally) -> Result<Self, CliError> {
        let fail = |e| CliError::Read(path.to_path_buf(), e);
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(fail)?;
        let mut text = Vec::new();
        file.read_to_end(&mut text).map_err(fail)?;
        let complete = text.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        if complete < text.len() {
            file.set_len(complete as u64).map_err(fail)?;
            file.seek(std::io::SeekFrom::End(0)).map_err(fail)?;
        }
        let mut done = HashSet::new();
        for (n, line) in text[..complete].split(|&b| b == b'\n').enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let report = read_report_line(line).map_err(|e| {
                let why = match e {
                    sealscope_core::Error::Unrecognised(why) => why,
                    other => other.to_string(),
                };
                CliError::Usage(format!(
                    "--resume {}: line {} is {why}",
                    path.display(),
                    n + 1
                ))
            })?;
            tally.add_parts(report.verdict, report.codes.iter().map(String::as_str));
            done.insert(report.name);
            tally.earlier += 1;
        }
        Ok(Resume {
            path: path.to_path_buf(),
            file,
            done,
        })
    }

    /// Appends one report as a line (written through, so an interrupted run loses at most
    /// the report being written).
    pub fn append(&mut self, report: &Report) -> Result<(), CliError> {
        let mut line = report.to_json();
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|_| self.file.flush())
            .map_err(|e| CliError::Write(self.path.clone(), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_with(name: &str, text: &[u8]) -> (Result<Resume, CliError>, Tally, Vec<u8>) {
        let dir = std::env::temp_dir().join(format!("sealscope-resume-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        let mut tally = Tally::default();
        let r = Resume::open(&path, &mut tally);
        let after = std::fs::read(&path).expect("read back");
        (r, tally, after)
    }

    const LINE: &[u8] =
        br#"{"input":{"name":"a.eml"},"verdict":"invalid","findings":[{"code":"bad-signature"},{"code":"bad-signature"}]}"#;

    #[test]
    fn reports_are_counted_and_a_cut_last_line_is_dropped() {
        let mut text = LINE.to_vec();
        text.extend_from_slice(b"\n\n");
        text.extend_from_slice(&LINE[..40]);
        let (r, tally, after) = open_with("cut.jsonl", &text);
        let r = r.expect("opens");
        assert_eq!(r.done.len(), 1);
        assert!(r.done.contains("a.eml"));
        assert_eq!(tally.earlier, 1);
        assert_eq!(tally.verdicts.get("invalid"), Some(&1));
        // A report counts once per code.
        assert_eq!(tally.codes.get("bad-signature"), Some(&1));
        assert_eq!(after.len(), LINE.len() + 2, "the cut line is gone");
    }

    /// Whatever the file holds, opening it gives reports or a one-line error naming the
    /// file and the line, never a panic.
    #[test]
    fn foreign_files_are_refused_with_the_line() {
        // Bytes of every value in a scrambled order (a multiplicative hash of the index).
        let mut junk: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        junk.push(b'\n');
        for (name, text, line) in [
            ("junk.jsonl", junk.clone(), 1),
            ("array.jsonl", b"[1,2]\n".to_vec(), 1),
            (
                "no-verdict.jsonl",
                [LINE, b"\n{\"input\":{\"name\":\"b\"}}\n"].concat(),
                2,
            ),
            (
                "odd-verdict.jsonl",
                b"{\"input\":{\"name\":\"b\"},\"verdict\":\"fine\"}\n".to_vec(),
                1,
            ),
            (
                "not-utf8.jsonl",
                b"{\"input\":{\"name\":\"\xff\"}}\n".to_vec(),
                1,
            ),
        ] {
            let (r, _, _) = open_with(name, &text);
            let e = r.err().expect(name).to_string();
            assert!(e.contains(name), "{e}");
            assert!(e.contains(&format!("line {line} ")), "{e}");
            assert_eq!(e.lines().count(), 1, "{e}");
        }
    }
}
