//! SCMS EE→RA requests from the command line: composed and signed with the enrollment
//! certificate, inspected back, decoded by asn1tools (an independent COER implementation)
//! when it is installed, and sent the way the seed describes (GET + Download-Req header,
//! POST + octet-stream body) to a listener that verifies them.

mod common;

use common::{bin, free_port, json_lines, run, run_ok, tmp, wait_for_port};
use std::process::{Command, Stdio};

const SIGN: [&str; 4] = [
    "--signer",
    "ieee1609/certs/ee-p256.coer",
    "--signer-key",
    "ieee1609/keys/ee-p256.pem",
];
const AT: &str = "2025-06-01T12:00:10Z";
const CHECK_AT: &str = "2025-06-01T12:00:30Z";

fn compose(out: &std::path::Path, extra: &[&str]) {
    let mut args = vec!["compose", "--at", AT, "--out", out.to_str().unwrap()];
    args.extend_from_slice(&SIGN);
    args.extend_from_slice(extra);
    run_ok(&args);
}

fn inspect(file: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "inspect",
        "--json",
        "--at",
        CHECK_AT,
        "--trust",
        "ieee1609/certs/root-p256.coer",
        "--cert",
        "ieee1609/certs/eca-p256.coer",
        "--time-tolerance",
        "60",
    ];
    args.extend_from_slice(extra);
    args.push(file.to_str().unwrap());
    json_lines(&run(&args).stdout).remove(0)
}

fn asn1tools() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import asn1tools"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok && std::env::var("SEALSCOPE_REQUIRE_ASN1TOOLS").is_ok_and(|v| v == "1") {
        panic!("SEALSCOPE_REQUIRE_ASN1TOOLS=1 but python3 asn1tools is missing");
    }
    ok
}

#[test]
fn composed_requests_verify_and_decode_independently() {
    let dir = tmp("compose");
    let cases = [
        (
            "download",
            vec!["--profile", "scms-download", "--filename", "ra-cert.oer"],
            "eeRaAuthenticatedDownloadRequest",
        ),
        (
            "ra-cert",
            vec!["--profile", "scms-ra-cert"],
            "eeRaCertRequest",
        ),
        (
            "pseudonym",
            vec![
                "--profile",
                "scms-pseudonym",
                "--start",
                "2025-06-08T00:00:00Z",
            ],
            "eeRaPseudonymCertProvisioningRequest",
        ),
        (
            "id",
            vec!["--profile", "scms-id"],
            "eeRaIdCertProvisioningRequest",
        ),
    ];
    let mut files = Vec::new();
    for (name, args, kind) in &cases {
        let out = dir.join(format!("{name}.coer"));
        compose(&out, args);
        let r = inspect(&out, &[]);
        assert_eq!(r["verdict"], "valid", "{name}: {r:#}");
        assert_eq!(r["signatures"][0]["signer_hashed_id8"], "8ac46eedceee9b2f");
        assert_eq!(r["signatures"][0]["chain"]["status"], "trusted");
        let pdu = r["layers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["kind"] == "scms-pdu")
            .unwrap();
        assert_eq!(pdu["summary"], format!("SCMS {kind}"));
        files.push((out, *kind));
    }
    // 60 s tolerance: the same request checked 5 minutes later is refused.
    let mut late = vec![
        "inspect",
        "--json",
        "--at",
        "2025-06-01T12:05:10Z",
        "--time-tolerance",
        "60",
    ];
    late.push(files[0].0.to_str().unwrap());
    let r = json_lines(&run(&late).stdout).remove(0);
    assert!(r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "time-outside-tolerance"));
    if asn1tools() {
        let script = common::fixtures().join("ieee1609/decode_check.py");
        let o = Command::new("python3")
            .arg(&script)
            .args(files.iter().map(|(f, _)| f.to_str().unwrap()))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let facts = json_lines(&o.stdout);
        for ((_, kind), f) in files.iter().zip(&facts) {
            assert_eq!(f["request"], *kind);
            assert_eq!(f["reencodes"], true, "{f}");
            assert_eq!(f["signer"], "certificate");
        }
        assert_eq!(facts[0]["filename"], "ra-cert.oer");
        // 2025-06-01T12:00:10Z as Time32: 675,864,010 s of UTC plus 5 leap seconds.
        assert_eq!(facts[0]["timestamp"], 675_864_015);
    } else {
        eprintln!("skipped the asn1tools cross-check: python3 asn1tools is not installed");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn requests_sent_over_http_are_verified_by_the_listener() {
    let dir = tmp("send");
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/");
    let mut listener = bin()
        .args([
            "listen", &url, "--count", "2", "--idle", "30", "--json", "--at", CHECK_AT,
        ])
        .args([
            "--trust",
            "ieee1609/certs/root-p256.coer",
            "--cert",
            "ieee1609/certs/eca-p256.coer",
        ])
        .args([
            "--time-tolerance",
            "60",
            "--blacklist",
            "ieee1609/blacklist.txt",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_port(port, &mut listener);
    let get = dir.join("get.http");
    compose(
        &get,
        &[
            "--profile",
            "scms-download",
            "--filename",
            "ra-cert.oer",
            "--outform",
            "http",
        ],
    );
    let post = dir.join("post.http");
    compose(&post, &["--profile", "scms-id", "--outform", "http"]);
    for f in [&get, &post] {
        let o = run(&["send", &url, f.to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let out = listener.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports = json_lines(&out.stdout);
    assert_eq!(reports.len(), 2);
    assert_eq!(
        reports[0]["layers"][0]["summary"]
            .as_str()
            .unwrap()
            .split(',')
            .next(),
        Some("HTTP GET /download/ra-cert.oer")
    );
    assert_eq!(reports[0]["layers"][1]["kind"], "http-header");
    assert_eq!(
        reports[1]["layers"][0]["summary"]
            .as_str()
            .unwrap()
            .split(',')
            .next(),
        Some("HTTP POST /provision-identity-certificate")
    );
    for r in &reports {
        assert_eq!(r["verdict"], "valid", "{r:#}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
