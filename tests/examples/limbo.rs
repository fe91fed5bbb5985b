//! Runs sealscope's path validation over an x509-limbo suite (`limbo.json`, made by the
//! suite's own `limbo compile`) and compares each answer with the suite's expected result.
//!
//! ```text
//! cargo run -p sealscope-tests --example limbo -- limbo.json [--check] [--all]
//! ```
//!
//! Which cases apply: S/MIME path validation is RFC 5280 §6, so the `webpki::` cases (the
//! CA/Browser Forum profile) are left out, and so are the `online::` cases (web server
//! chains whose outcome is decided by host-name matching). A case's answer is sealscope's
//! chain status: `trusted` is SUCCESS, anything else FAILURE. Cases whose expected
//! outcome rests on something an S/MIME verifier does not decide — matching a TLS peer
//! name, a TLS extended key usage, a caller's chain-depth limit — are listed in
//! `tests/fixtures/limbo/differences.tsv` with the reason, as is every real disagreement.
//! With `--check` the run fails when a difference is not listed, or a listed one no
//! longer happens. `--all` also prints the cases that agree.

use sealscope_core::x509::certificate::load_certificates;
use sealscope_core::x509::chain;
use sealscope_core::{Keyring, UnixTime};
use sealscope_tests::fixture;
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::ExitCode;

/// One case's outcome.
struct Outcome {
    id: String,
    expected_success: bool,
    got_success: bool,
    detail: String,
}

fn strings(case: &Value, key: &str) -> Vec<String> {
    case[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn run_case(case: &Value, strict: bool) -> Result<Outcome, String> {
    let id = case["id"].as_str().unwrap_or("?").to_string();
    let expected_success = case["expected_result"].as_str() == Some("SUCCESS");
    // Input the validator refuses is a FAILURE, with the reason.
    let refused = |detail: String| Outcome {
        id: id.clone(),
        expected_success,
        got_success: false,
        detail,
    };
    let mut keyring = Keyring::new();
    keyring.x509_strict = strict;
    for (i, pem) in strings(case, "trusted_certs").iter().enumerate() {
        if let Err(e) = keyring.add_anchors(pem.as_bytes(), &format!("trusted[{i}]")) {
            return Ok(refused(format!("anchor refused: {e}")));
        }
    }
    for (i, pem) in strings(case, "crls").iter().enumerate() {
        if let Err(e) = keyring.add_crls(pem.as_bytes(), &format!("crl[{i}]")) {
            return Ok(refused(format!("CRL refused: {e}")));
        }
    }
    let mut intermediates = Vec::new();
    for (i, pem) in strings(case, "untrusted_intermediates").iter().enumerate() {
        match load_certificates(pem.as_bytes(), &format!("intermediate[{i}]")) {
            Ok(c) => intermediates.extend(c),
            Err(e) => return Ok(refused(format!("intermediate refused: {e}"))),
        }
    }
    let peer = case["peer_certificate"].as_str().unwrap_or_default();
    let leaf = match load_certificates(peer.as_bytes(), "peer") {
        Ok(mut c) if !c.is_empty() => c.remove(0),
        Ok(_) => return Err(format!("{id}: no peer certificate")),
        Err(e) => return Ok(refused(format!("peer certificate refused: {e}"))),
    };
    let at = match case["validation_time"].as_str() {
        Some(t) => UnixTime::parse(t).map_err(|e| format!("{id}: validation_time: {e}"))?,
        None => UnixTime(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        ),
    };
    let result = chain::validate(&leaf, &intermediates, &keyring, at);
    let got_success = result.chain.status == sealscope_core::report::ChainStatus::Trusted;
    Ok(Outcome {
        id,
        expected_success,
        got_success,
        detail: format!("{}: {}", result.chain.status.as_str(), result.chain.reason),
    })
}

fn listed() -> BTreeMap<String, String> {
    std::fs::read_to_string(fixture("limbo/differences.tsv"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (id, reason) = l.split_once('\t')?;
            Some((id.to_string(), reason.to_string()))
        })
        .collect()
}

fn word(success: bool) -> &'static str {
    if success {
        "SUCCESS"
    } else {
        "FAILURE"
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: limbo LIMBO.json [--check] [--all] [--default]");
        return ExitCode::from(2);
    };
    let check = args.iter().any(|a| a == "--check");
    let all = args.iter().any(|a| a == "--all");
    // x509-limbo holds the RFC 5280 profile strictly; `--default` runs with sealscope's
    // default checks instead (strict checking off) to show what that changes.
    let default_checks = args.iter().any(|a| a == "--default");
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let suite: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{path}: not JSON: {e}");
            return ExitCode::from(2);
        }
    };
    let cases = suite["testcases"].as_array().cloned().unwrap_or_default();
    let listed = listed();
    let mut outcomes = Vec::new();
    let mut skipped = 0usize;
    for case in &cases {
        let id = case["id"].as_str().unwrap_or_default();
        if id.starts_with("webpki::") || id.starts_with("online::") {
            skipped += 1;
            continue;
        }
        match run_case(case, !default_checks) {
            Ok(o) => outcomes.push(o),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    let mut agree = 0usize;
    let mut not_applicable = 0usize;
    let mut problems = Vec::new();
    for o in &outcomes {
        let same = o.expected_success == o.got_success;
        let reason = listed.get(&o.id);
        if same {
            agree += 1;
            if all {
                println!("agree\t{}\t{}\t{}", o.id, word(o.got_success), o.detail);
            }
            if reason.is_some() {
                problems.push(format!(
                    "{}: listed as a difference but now agrees ({})",
                    o.id,
                    word(o.got_success)
                ));
            }
            continue;
        }
        match reason {
            Some(r) => {
                if r.starts_with("not applicable") {
                    not_applicable += 1;
                }
                println!(
                    "differ\t{}\texpected {}, sealscope {}\t{}\t{}",
                    o.id,
                    word(o.expected_success),
                    word(o.got_success),
                    o.detail,
                    r
                );
            }
            None => {
                println!(
                    "differ\t{}\texpected {}, sealscope {}\t{}\tNOT LISTED",
                    o.id,
                    word(o.expected_success),
                    word(o.got_success),
                    o.detail
                );
                problems.push(format!("{}: difference not listed", o.id));
            }
        }
    }
    let applicable = outcomes.len() - not_applicable;
    let accepted_invalid = outcomes
        .iter()
        .filter(|o| !o.expected_success && o.got_success)
        .filter(|o| {
            !listed
                .get(&o.id)
                .is_some_and(|r| r.starts_with("not applicable"))
        })
        .count();
    println!(
        "x509-limbo: {} cases, {skipped} left out (webpki::, online::), {} run, {not_applicable} not applicable to S/MIME; agreement {agree} of {applicable} applicable ({:.1} %); invalid paths accepted: {accepted_invalid}",
        cases.len(),
        outcomes.len(),
        if applicable == 0 { 0.0 } else { agree as f64 * 100.0 / applicable as f64 }
    );
    for id in listed.keys() {
        if !outcomes.iter().any(|o| &o.id == id) {
            problems.push(format!("{id}: listed but not in this suite"));
        }
    }
    if check && !problems.is_empty() {
        for p in &problems {
            eprintln!("{p}");
        }
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
