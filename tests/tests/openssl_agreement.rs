//! Our verdict side by side with `openssl cms -verify` over every fixture in MANIFEST.tsv.
//!
//! Two comparisons per fixture:
//! - full: OpenSSL with the root CA as CAfile (and the row's extra arguments) succeeds
//!   exactly when sealscope reports every signature valid and its chain trusted;
//! - signature only: `openssl cms -verify -noverify` succeeds exactly when sealscope reports
//!   every signature valid.
//!
//! Disagreements must be listed, with a reason, in `tests/interop/openssl-exceptions.tsv`;
//! a listed file that agrees fails the test too (stale exception). Without the OpenSSL CLI
//! the test is skipped, unless SEALSCOPE_REQUIRE_OPENSSL=1 (the README test command sets it).

use sealscope_core::report::{ChainStatus, SignatureStatus};
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{fixture, read, trusting_root, AT};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

struct Row {
    file: String,
    args: Vec<String>,
}

fn manifest() -> Vec<Row> {
    let text = String::from_utf8(read("MANIFEST.tsv")).expect("UTF-8 manifest");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Row {
                file: cols[0].to_string(),
                args: cols
                    .get(4)
                    .unwrap_or(&"")
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect()
}

fn exceptions() -> BTreeMap<(String, String), String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop/openssl-exceptions.tsv");
    let text = std::fs::read_to_string(&path).expect("exceptions file");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| {
            let cols: Vec<&str> = l.splitn(3, '\t').collect();
            assert_eq!(
                cols.len(),
                3,
                "exceptions row needs file, mode, reason: {l}"
            );
            assert!(
                !cols[2].trim().is_empty(),
                "exception without a reason: {l}"
            );
            (
                (cols[0].to_string(), cols[1].to_string()),
                cols[2].to_string(),
            )
        })
        .collect()
}

fn openssl_available() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn openssl_verify(row: &Row, noverify: bool, attime: i64) -> bool {
    let mut cmd = Command::new("openssl");
    cmd.current_dir(fixture(""))
        .args([
            "cms",
            "-verify",
            "-CAfile",
            "pki/root-ca.pem",
            "-purpose",
            "any",
        ])
        .args(["-attime", &attime.to_string()]);
    if noverify {
        cmd.arg("-noverify");
    }
    cmd.args(&row.args)
        .args(["-in", &row.file, "-out", "/dev/null"]);
    cmd.output().expect("openssl runs").status.success()
}

/// The keyring and options equivalent to the row's OpenSSL arguments.
fn ours(row: &Row, at: UnixTime) -> (bool, bool) {
    let mut keyring: Keyring = trusting_root();
    let mut opts = Options::new(row.file.clone(), at);
    let mut it = row.args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-certfile" => {
                let p = it.next().expect("-certfile value");
                keyring.add_certs(&read(p), p).expect("certfile loads");
            }
            "-content" => {
                let p = it.next().expect("-content value");
                opts.detached_content = Some(read(p));
            }
            "-CApath" => {
                let dir = it.next().expect("-CApath value");
                for e in std::fs::read_dir(fixture(dir)).expect("CApath dir") {
                    let p = e.expect("dir entry").path();
                    let name = p.file_name().unwrap().to_string_lossy().to_string();
                    let bytes = std::fs::read(&p).expect("hashed file");
                    if name.contains(".r") {
                        keyring.add_crls(&bytes, &name).expect("CRL loads");
                    } else {
                        keyring.add_anchors(&bytes, &name).expect("anchor loads");
                    }
                }
            }
            "-inform" => {
                it.next();
            }
            _ => {}
        }
    }
    let report = sealscope_core::inspect(&read(&row.file), &keyring, &opts);
    let sigs = &report.signatures;
    let sig_ok = !sigs.is_empty() && sigs.iter().all(|s| s.status == SignatureStatus::Valid);
    let full_ok = sig_ok && sigs.iter().all(|s| s.chain.status == ChainStatus::Trusted);
    (full_ok, sig_ok)
}

#[test]
fn agrees_with_openssl_cms_verify() {
    if !openssl_available() {
        assert!(
            std::env::var("SEALSCOPE_REQUIRE_OPENSSL").is_err(),
            "SEALSCOPE_REQUIRE_OPENSSL is set but the openssl CLI is not on PATH"
        );
        eprintln!("openssl CLI not found: agreement test skipped");
        return;
    }
    let at = UnixTime::parse(AT).unwrap();
    let exceptions = exceptions();
    let mut agreed = 0;
    let mut excused = Vec::new();
    let mut problems = Vec::new();
    let rows = manifest();
    assert!(rows.len() >= 50, "manifest has {} rows", rows.len());
    for row in &rows {
        let (full, sig) = ours(row, at);
        for (mode, mine, theirs) in [
            ("full", full, openssl_verify(row, false, at.0)),
            ("signature", sig, openssl_verify(row, true, at.0)),
        ] {
            let key = (row.file.clone(), mode.to_string());
            match (mine == theirs, exceptions.get(&key)) {
                (true, None) => agreed += 1,
                (true, Some(_)) => problems.push(format!(
                    "{} ({mode}): listed as an exception but both say {}",
                    row.file,
                    if mine { "ok" } else { "fail" }
                )),
                (false, Some(reason)) => excused.push(format!("{} ({mode}): {reason}", row.file)),
                (false, None) => problems.push(format!(
                    "{} ({mode}): sealscope says {}, openssl says {}",
                    row.file,
                    if mine { "ok" } else { "fail" },
                    if theirs { "ok" } else { "fail" }
                )),
            }
        }
    }
    eprintln!(
        "openssl agreement: {agreed} of {} comparisons agree, {} listed exceptions",
        rows.len() * 2,
        excused.len()
    );
    for e in &excused {
        eprintln!("  excused: {e}");
    }
    assert!(
        problems.is_empty(),
        "disagreements:\n{}",
        problems.join("\n")
    );
    for key in exceptions.keys() {
        assert!(
            rows.iter().any(|r| r.file == key.0),
            "exception for unknown fixture {}",
            key.0
        );
    }
}
