//! `sealscope inspect` over archives and directory trees: tar (GNU tar), tar.gz (Python's
//! tarfile) and zip (Python's zipfile, deflate) members streamed as JSON Lines in archive
//! order, the summary table, the progress line, and `--resume` after an interrupted run.

mod common;

use common::{json_lines, run, tmp};
use std::process::Output;

const AT: &str = "2027-01-01T00:00:00Z";

fn inspect(extra: &[&str]) -> Output {
    let mut args = vec![
        "inspect",
        "--json",
        "--at",
        AT,
        "--trust",
        "pki/root-ca.pem",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn names_and_verdicts(o: &Output) -> Vec<(String, String)> {
    json_lines(&o.stdout)
        .iter()
        .map(|r| {
            (
                r["input"]["name"].as_str().expect("name").to_string(),
                r["verdict"].as_str().expect("verdict").to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// GNU tar's long names (`././@LongLink`), POSIX pax headers with a non-ASCII directory, and
/// a tar.gz of two gzip members, all written by GNU tar and gzip: every member reported under
/// its full path with the verdict of the file it holds.
#[test]
fn long_names_pax_headers_and_gzip_members_written_by_gnu_tools() {
    let store = "accounting/2026/12/06/apel-ssm-outgoing-messages-from-the-site-accounting-database-réplica";
    let o = inspect(&[
        "archives/long-names.tar",
        "archives/pax.tar",
        "archives/two-gzip-members.tar.gz",
    ]);
    assert_eq!(o.status.code(), Some(1), "one member is invalid");
    let mut expected = Vec::new();
    for archive in ["long-names.tar", "pax.tar"] {
        expected.push((
            format!("archives/{archive}!/{store}/00000001-rsa-sha256-signed-accounting-record-from-site.eml"),
            "valid".to_string(),
        ));
        expected.push((
            format!("archives/{archive}!/{store}/00000002-tampered-content-signed-accounting-record.eml"),
            "invalid".to_string(),
        ));
    }
    expected.extend(pairs(&[
        (
            "archives/two-gzip-members.tar.gz!/messages/rsa-sha256.eml",
            "valid",
        ),
        (
            "archives/two-gzip-members.tar.gz!/messages/rsa-expired.eml",
            "invalid",
        ),
    ]));
    // rsa-expired is invalid at this time (its signer has expired), tampered-content always.
    assert_eq!(names_and_verdicts(&o), expected);
    let direct = inspect(&["messages/rsa-sha256.eml"]);
    let sha = |o: &Output, i: usize| json_lines(&o.stdout)[i]["input"]["sha256"].clone();
    for i in [0, 2, 4] {
        assert_eq!(sha(&o, i), sha(&direct, 0), "member {i}");
    }
}

#[test]
fn members_of_tar_tgz_and_zip_are_reported_in_order_with_a_summary() {
    let o = inspect(&[
        "archives/messages.tar",
        "archives/messages.tar.gz",
        "archives/messages.zip",
    ]);
    assert_eq!(o.status.code(), Some(2), "an unreadable member is exit 2");
    assert_eq!(
        names_and_verdicts(&o),
        pairs(&[
            ("archives/messages.tar!/messages/rsa-sha256.eml", "valid"),
            (
                "archives/messages.tar!/messages/tampered-content.eml",
                "invalid"
            ),
            (
                "archives/messages.tar!/unreadable/garbled.p7m",
                "unreadable"
            ),
            ("archives/messages.tar.gz!/messages/rsa-sha256.eml", "valid"),
            (
                "archives/messages.tar.gz!/messages/p256-opaque.p7m.eml",
                "valid"
            ),
            ("archives/messages.zip!/rsa-sha256.eml", "valid"),
            ("archives/messages.zip!/rsa-expired.eml", "invalid"),
        ])
    );
    // The member's bytes are the file's: the same digest as the file on its own.
    let direct = inspect(&["messages/rsa-sha256.eml"]);
    let sha = |o: &Output, i: usize| json_lines(&o.stdout)[i]["input"]["sha256"].clone();
    assert_eq!(sha(&o, 0), sha(&direct, 0));
    assert_eq!(sha(&o, 5), sha(&direct, 0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("summary: 7 report(s)"), "{err}");
    let row = |label: &str| {
        err.lines()
            .find(|l| l.split_whitespace().next() == Some(label))
            .and_then(|l| l.split_whitespace().last())
            .map(str::to_string)
    };
    assert_eq!(row("valid").as_deref(), Some("4"), "{err}");
    assert_eq!(row("invalid").as_deref(), Some("2"), "{err}");
    assert_eq!(row("unreadable").as_deref(), Some("1"), "{err}");
    assert_eq!(
        row("content-digest-mismatch").as_deref(),
        Some("1"),
        "{err}"
    );
    assert_eq!(row("cert-expired").as_deref(), Some("1"), "{err}");

    // A damaged archive is an error naming it; the members before the damage are reported.
    let dir = tmp("archives-damaged");
    let bytes = std::fs::read(common::fixtures().join("archives/messages.tar.gz")).unwrap();
    let cut = dir.join("cut.tar.gz");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let o = inspect(&[cut.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cut.tar.gz"), "{err}");
    assert!(err.contains("input(s) not read"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn progress_line_on_request() {
    let o = inspect(&[
        "--progress",
        "archives/messages.zip",
        "messages/rsa-sha256.eml",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("100% 3 report(s)"), "{err}");
    // Without --progress and with stderr not a terminal: no progress line, and no summary
    // for plain files.
    let o = inspect(&["messages/rsa-sha256.eml"]);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn resume_skips_what_is_reported_and_appends_the_rest() {
    let dir = tmp("archives-resume");
    let file = dir.join("reports.jsonl");
    let f = file.to_str().unwrap();
    let o = inspect(&["--resume", f, "archives/messages.tar"]);
    assert_eq!(names_and_verdicts(&o).len(), 3);
    // An interrupted run: the last report was cut off half-way.
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    let cut = format!("{}\n{}", lines[..2].join("\n"), &lines[2][..40]);
    std::fs::write(&file, cut).unwrap();
    let o = inspect(&[
        "--resume",
        f,
        "archives/messages.tar",
        "archives/messages.zip",
    ]);
    // Only the cut one and the zip's members are inspected again.
    assert_eq!(
        names_and_verdicts(&o),
        pairs(&[
            (
                "archives/messages.tar!/unreadable/garbled.p7m",
                "unreadable"
            ),
            ("archives/messages.zip!/rsa-sha256.eml", "valid"),
            ("archives/messages.zip!/rsa-expired.eml", "invalid"),
        ])
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("summary: 5 report(s) (2 from the resumed file, 3 new)"),
        "{err}"
    );
    // The file now holds each member once, every line a whole report.
    let all: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a whole report");
            v["input"]["name"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(all.len(), 5);
    let unique: std::collections::BTreeSet<_> = all.iter().collect();
    assert_eq!(unique.len(), 5);
    // Nothing left: a third run inspects nothing.
    let o = inspect(&[
        "--resume",
        f,
        "archives/messages.tar",
        "archives/messages.zip",
    ]);
    assert!(names_and_verdicts(&o).is_empty());
    // A file that is not a report list is refused with the line.
    std::fs::write(&file, "not json\n").unwrap();
    let o = inspect(&["--resume", f, "archives/messages.tar"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 1 is not a JSON report"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn directory_tree_with_an_archive_inside() {
    let dir = tmp("archives-tree");
    std::fs::create_dir_all(dir.join("2026/11")).unwrap();
    std::fs::copy(
        common::fixtures().join("messages/rsa-sha256.eml"),
        dir.join("2026/11/a.eml"),
    )
    .unwrap();
    std::fs::copy(
        common::fixtures().join("archives/messages.zip"),
        dir.join("2026/old.zip"),
    )
    .unwrap();
    let o = inspect(&[dir.to_str().unwrap()]);
    let got: Vec<String> = names_and_verdicts(&o)
        .into_iter()
        .map(|(n, v)| format!("{} {v}", n.trim_start_matches(dir.to_str().unwrap())))
        .collect();
    assert_eq!(
        got,
        [
            "/2026/11/a.eml valid",
            "/2026/old.zip!/rsa-sha256.eml valid",
            "/2026/old.zip!/rsa-expired.eml invalid",
        ]
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("summary: 3 report(s)"));
    std::fs::remove_dir_all(&dir).unwrap();
}
