//! Reports read back from a JSON Lines file that an earlier run wrote (`inspect --json`,
//! one report per line): what resuming a run needs of each, its input's name, its verdict
//! and its finding codes.

use super::Verdict;
use crate::Error;

/// The parts of one report line that resuming and tallying need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportLine {
    /// `input.name`: the input it reports on.
    pub name: String,
    /// `verdict`.
    pub verdict: Verdict,
    /// The `code` of every finding, in report order (repeats kept).
    pub codes: Vec<String>,
}

/// Reads one line of a JSON Lines report file. The error says whether the line is not JSON
/// or is JSON but not a report (no input name, or no verdict that reports use).
pub fn read_report_line(line: &[u8]) -> Result<ReportLine, Error> {
    let v: serde_json::Value = serde_json::from_slice(line)
        .map_err(|e| Error::Unrecognised(format!("not a JSON report: {e}")))?;
    let name = v.pointer("/input/name").and_then(|n| n.as_str());
    let verdict = v
        .get("verdict")
        .and_then(|n| serde_json::from_value::<Verdict>(n.clone()).ok());
    let (Some(name), Some(verdict)) = (name, verdict) else {
        return Err(Error::Unrecognised(
            "not a sealscope report (no input name or verdict)".into(),
        ));
    };
    let codes = v
        .get("findings")
        .and_then(|f| f.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|f| f.get("code").and_then(|c| c.as_str()))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(ReportLine {
        name: name.to_string(),
        verdict,
        codes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{inspect, Keyring, Options};

    /// A report the core wrote reads back with its name, verdict and codes.
    #[test]
    fn a_written_report_reads_back() {
        let input = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/fixtures/messages/tampered-content.eml"),
        )
        .expect("fixture");
        let opts = Options::new("tampered-content.eml", crate::UnixTime(1_800_000_000));
        let report = inspect(&input, &Keyring::new(), &opts);
        let line = read_report_line(report.to_json().as_bytes()).expect("reads back");
        assert_eq!(line.name, "tampered-content.eml");
        assert_eq!(line.verdict, Verdict::Invalid);
        let codes: Vec<String> = report.findings.iter().map(|f| f.code.clone()).collect();
        assert_eq!(line.codes, codes);
        assert!(line.codes.iter().any(|c| c == "content-digest-mismatch"));
    }

    #[test]
    fn lines_that_are_not_reports_say_why() {
        for (text, why) in [
            (&b"[1,2]"[..], "not a sealscope report"),
            (b"{\"input\":{\"name\":\"b\"}}", "not a sealscope report"),
            (
                b"{\"input\":{\"name\":\"b\"},\"verdict\":\"fine\"}",
                "not a sealscope report",
            ),
            (b"{\"input\":{\"name\":\"\xff\"}}", "not a JSON report"),
            (b"{\"input\":", "not a JSON report"),
        ] {
            let e = read_report_line(text).unwrap_err().to_string();
            assert!(e.contains(why), "{e}");
        }
    }
}
