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

/// `scms-batch` over a deployed SCMS's pseudonym batch (tests/fixtures/ieee1609/scms-bundle):
/// all eight certificates match the seed; with the files renamed, i comes from the
/// certificate's linkageData and j is found by trying; a swapped .s file and another seed
/// are mismatches; the request-key form checks the RSE application certificate.
#[test]
fn scms_batch_checks_a_downloaded_batch() {
    const B: &str = "ieee1609/scms-bundle";
    let seed = format!("{B}/batch/dwnl_sgn.priv");
    let ck = format!("{B}/batch/sgn_expnsn.key");
    let pca = format!("{B}/pca.coer");
    let base = ["scms-batch", "--issuer", &pca, "--json"];
    let rows = |args: &[&str]| -> (Vec<serde_json::Value>, i32) {
        let mut a: Vec<&str> = base.to_vec();
        a.extend_from_slice(args);
        let out = run(&a);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (v.as_array().unwrap().clone(), out.status.code().unwrap())
    };
    let batch = format!("{B}/batch");
    let (all, code) = rows(&["--seed-key", &seed, "--expansion-key", &ck, &batch]);
    assert_eq!(code, 0);
    assert_eq!(all.len(), 8);
    for (j, r) in all.iter().enumerate() {
        assert_eq!(r["status"], "match", "{r}");
        assert_eq!(r["i"], 0x13a);
        assert_eq!(r["j"], j);
    }
    assert_eq!(all[3]["hashed_id8"], "4afb55ce000f8986");
    // Renamed: i from linkageData (iCert 314), j by trying; 13A_3.s beside 13A_5's cert.
    let dir = tmp("scms-batch");
    for (from, to) in [("13A_5", "pc-a"), ("13A_0", "pc-b")] {
        for ext in ["cert", "s"] {
            std::fs::copy(
                common::fixtures().join(format!("{B}/batch/{from}.{ext}")),
                dir.join(format!("{to}.{ext}")),
            )
            .unwrap();
        }
    }
    std::fs::copy(
        common::fixtures().join(format!("{B}/batch/13A_3.s")),
        dir.join("pc-b.s"),
    )
    .unwrap();
    let d = dir.to_str().unwrap();
    let (r, code) = rows(&["--seed-key", &seed, "--expansion-key", &ck, d]);
    assert_eq!(code, 1);
    assert_eq!(
        (r[0]["status"].as_str(), r[0]["j"].as_u64()),
        (Some("match"), Some(5))
    );
    assert_eq!(r[1]["status"], "mismatch", "{}", r[1]);
    assert!(r[1]["reason"]
        .as_str()
        .unwrap()
        .contains("no j from 0 to 31"));
    // Another seed: every certificate a mismatch.
    let other = format!("{B}/rse-0/dwnl_sgn.priv");
    let (r, code) = rows(&["--seed-key", &other, "--expansion-key", &ck, &batch]);
    assert_eq!(code, 1);
    assert!(r.iter().all(|r| r["status"] == "mismatch"));
    // No butterfly: the RSE application certificate and its request key.
    let app = dir.join("17d9c58c3ac798e3.cert");
    std::fs::copy(common::fixtures().join(format!("{B}/rse-0.coer")), &app).unwrap();
    std::fs::copy(
        common::fixtures().join(format!("{B}/rse-0/17d9c58c3ac798e3.s")),
        dir.join("17d9c58c3ac798e3.s"),
    )
    .unwrap();
    let (r, code) = rows(&["--seed-key", &other, app.to_str().unwrap()]);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(r[0]["hashed_id8"], "17d9c58c3ac798e3");
    assert!(r[0]["public_key"]
        .as_str()
        .unwrap()
        .starts_with("0496077cc3bffc3ae73cc60bd7fe6b9d"));
    // Unusable inputs are errors that name the file.
    let out = run(&["scms-batch", "--issuer", &pca, "--seed-key", &ck, &batch]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sgn_expnsn.key") && err.contains("32 raw bytes"),
        "{err}"
    );
    // Without the issuer's certificate nothing reconstructs.
    let ica = format!("{B}/ica.coer");
    let out = run(&[
        "scms-batch",
        "--json",
        "--issuer",
        &ica,
        "--seed-key",
        &seed,
        "--expansion-key",
        &ck,
        &batch,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["status"], "error");
    assert!(v[0]["reason"]
        .as_str()
        .unwrap()
        .contains("586c852974c7dba2"));
}

/// Sends raw request bytes and reads the whole answer (empty when the server closes the
/// connection without answering).
fn exchange(port: u16, request: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

fn status_of(answer: &[u8]) -> u16 {
    let text = String::from_utf8_lossy(answer);
    text.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn body_of(answer: &[u8]) -> &[u8] {
    let at = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
        .unwrap_or(answer.len());
    &answer[at..]
}

fn header_of(answer: &[u8], name: &str) -> Option<String> {
    String::from_utf8_lossy(answer)
        .lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
}

/// `serve-ra` over plain HTTP, driven with the generator's requests
/// (tests/fixtures/ieee1609/http): the authenticated download is served, the blacklisted
/// and stale ones are refused by closing the connection (logged with the failing check),
/// plain downloads honour Range and If-None-Match, the POSTed APDU is accepted, a POST with
/// another Content-Type is 415.
#[test]
fn serve_ra_answers_as_the_seed_says() {
    let dir = tmp("serve-ra");
    let zip: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    std::fs::write(dir.join("1E74DE9D628F161D_0.zip"), &zip).unwrap();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/");
    let d = dir.to_str().unwrap();
    let mut child = bin()
        .args([
            "serve-ra",
            &url,
            "--files",
            d,
            "--trust",
            "ieee1609/certs/root-p256.coer",
            "--cert",
            "ieee1609/certs/eca-p256.coer",
            "--blacklist",
            "ieee1609/blacklist.txt",
            "--time-tolerance",
            "60",
            "--at",
            CHECK_AT,
            "--count",
            "8",
            "--idle",
            "60",
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_port(port, &mut child);
    let req = |f: &str| std::fs::read(common::fixtures().join(f)).unwrap();
    // 1: every check passes: the named file.
    let a = exchange(port, &req("ieee1609/http/download-get.http"));
    assert_eq!(status_of(&a), 200, "{}", String::from_utf8_lossy(&a));
    assert_eq!(body_of(&a), zip.as_slice());
    let etag = header_of(&a, "ETag").unwrap();
    // 2, 3: blacklisted enrollment certificate, a timestamp 24 h old: closed, no answer.
    assert!(exchange(port, &req("ieee1609/http/download-get-blacklisted.http")).is_empty());
    assert!(exchange(port, &req("ieee1609/http/download-get-far-time.http")).is_empty());
    // 4, 5: plain downloads with Range and If-None-Match.
    let a = exchange(
        port,
        b"GET /1E74DE9D628F161D_0.zip HTTP/1.1\r\nHost: ra\r\nRange: bytes=1000-1009\r\n\r\n",
    );
    assert_eq!(status_of(&a), 206);
    assert_eq!(body_of(&a), &zip[1000..1010]);
    assert_eq!(
        header_of(&a, "Content-Range").as_deref(),
        Some("bytes 1000-1009/3000")
    );
    let a = exchange(
        port,
        format!(
            "GET /1E74DE9D628F161D_0.zip HTTP/1.1\r\nHost: ra\r\nIf-None-Match: {etag}\r\n\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(status_of(&a), 304);
    // 6: the RA-certificate request APDU: accepted, answered with the report.
    let a = exchange(port, &req("ieee1609/http/ra-cert-request-post.http"));
    assert_eq!(status_of(&a), 200, "{}", String::from_utf8_lossy(&a));
    let report: serde_json::Value = serde_json::from_slice(body_of(&a)).unwrap();
    assert_eq!(report["verdict"], "valid");
    // 7: the same APDU as text/plain: 415.
    let post = req("ieee1609/http/ra-cert-request-post.http");
    let text = String::from_utf8_lossy(&post).replacen("application/octet-stream", "text/plain", 1);
    let wrong: Vec<u8> = {
        let head_end = post.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let mut v = text.as_bytes()[..text.find("\r\n\r\n").unwrap() + 4].to_vec();
        v.extend_from_slice(&post[head_end..]);
        v
    };
    assert_eq!(status_of(&exchange(port, &wrong)), 415);
    // 8: a missing file.
    let a = exchange(port, b"GET /nothing.zip HTTP/1.1\r\nHost: ra\r\n\r\n");
    assert_eq!(status_of(&a), 404);
    let out = common::finish(child, 30);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        log.contains("request 2: connection closed at the blacklist check: cert-blacklisted"),
        "{log}"
    );
    assert!(
        log.contains(
            "request 3: connection closed at the time tolerance check: time-outside-tolerance"
        ),
        "{log}"
    );
    assert!(
        log.contains("authenticated download of 1E74DE9D628F161D_0.zip"),
        "{log}"
    );
}

/// `serve-ra` over HTTPS with the RA certificate of tests/fixtures/ieee1609/ra-tls, and
/// `send --ca-only`: the EE trusts its bootstrap root only, so the RA is reached with that
/// root and refused with an unrelated one (the system store is not consulted).
#[test]
fn serve_ra_over_https_with_a_bootstrapped_root() {
    let dir = tmp("serve-ra-tls");
    std::fs::write(dir.join("1E74DE9D628F161D_0.zip"), b"pseudonym batch").unwrap();
    let port = free_port();
    let url = format!("https://127.0.0.1:{port}/");
    let mut child = bin()
        .args([
            "serve-ra",
            &url,
            "--files",
            dir.to_str().unwrap(),
            "--tls-cert",
            "ieee1609/ra-tls/ra.pem",
            "--tls-key",
            "ieee1609/ra-tls/ra.key",
            "--trust",
            "ieee1609/certs/root-p256.coer",
            "--cert",
            "ieee1609/certs/eca-p256.coer",
            "--time-tolerance",
            "60",
            "--at",
            CHECK_AT,
            "--count",
            "1",
            "--idle",
            "60",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_port(port, &mut child);
    // An unrelated root: the TLS handshake fails before anything is sent.
    let out = run(&[
        "send",
        &url,
        "ieee1609/http/download-get.http",
        "--ca",
        "ieee1609/ra-tls/other-root.pem",
        "--ca-only",
        "--timeout",
        "10",
    ]);
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.to_lowercase().contains("certificate"), "{err}");
    // The bootstrap root: the download is served.
    let out = run(&[
        "send",
        &url,
        "ieee1609/http/download-get.http",
        "--ca",
        "ieee1609/ra-tls/bootstrap-root.pem",
        "--ca-only",
        "--timeout",
        "10",
    ]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("HTTP 200 with 15 body bytes"), "{text}");
    let out = common::finish(child, 30);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("test RA on https://127.0.0.1:"), "{log}");
    assert!(
        log.contains("authenticated download of 1E74DE9D628F161D_0.zip"),
        "{log}"
    );
    // --ca-only without --ca is refused by the option parser.
    let out = run(&["send", &url, "ieee1609/http/download-get.http", "--ca-only"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `listen` serves HTTPS too: a signed 1609.2 request sent over TLS (trusting the bootstrap
/// root only) arrives, is inspected, and the sender gets the report.
#[test]
fn listen_serves_https() {
    let port = free_port();
    let url = format!("https://127.0.0.1:{port}/");
    let mut child = bin()
        .args([
            "listen",
            &url,
            "--tls-cert",
            "ieee1609/ra-tls/ra.pem",
            "--tls-key",
            "ieee1609/ra-tls/ra.key",
            "--count",
            "1",
            "--idle",
            "60",
            "--json",
            "--trust",
            "ieee1609/certs/root-p256.coer",
            "--cert",
            "ieee1609/certs/eca-p256.coer",
            "--at",
            CHECK_AT,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_port(port, &mut child);
    let out = run(&[
        "send",
        &url,
        "ieee1609/http/ra-cert-request-post.http",
        "--ca",
        "ieee1609/ra-tls/bootstrap-root.pem",
        "--ca-only",
    ]);
    let sent = String::from_utf8_lossy(&out.stderr);
    assert!(sent.contains("HTTP 200"), "{sent}");
    let out = common::finish(child, 30);
    let reports = json_lines(&out.stdout);
    assert_eq!(reports.len(), 1, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(reports[0]["verdict"], "valid");
    // https:// without the server's certificate and key is refused with the reason.
    let out = run(&["listen", &url, "--count", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tls-cert"));
}
