//! Real transports on loopback: HTTP `send` ↔ `listen`, `serve-scmp` answering composed
//! requests (signed replies, duplicate detection, unencrypted signed errors), and — when the
//! test command has started a broker (STOMP_URL) — STOMP round trips through ActiveMQ in
//! both directions with stomp.py as the independent peer. Every wait is bounded.

use std::net::TcpListener;
use std::path::PathBuf;
mod common;

use common::{
    bin, finish, fixtures, free_port, json_lines, run, run_ok, tmp, wait_for_port, SIGNER,
};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn compose(dir: &std::path::Path, name: &str, extra: &[&str]) -> String {
    let out = dir.join(name).to_string_lossy().to_string();
    let mut args = vec!["compose", "--out", out.as_str()];
    args.extend_from_slice(&SIGNER);
    args.extend_from_slice(extra);
    run_ok(&args);
    out
}

/// `sealscope listen` over HTTP on a free loopback port for two messages, trusting the test
/// root, saving what arrives under `dir/saved`; returns its URL and the running process.
fn http_listener(dir: &std::path::Path, extra: &[&str]) -> (String, std::process::Child) {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/inbox");
    let mut listener = bin()
        .args(["listen", &url, "--count", "2", "--idle", "30", "--json"])
        .args(["--trust", "pki/root-ca.pem"])
        .args(extra)
        .args(["--save", dir.join("saved").to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_port(port, &mut listener);
    (url, listener)
}

/// A MIME message sent over HTTP keeps its verdict: its header block (LF line endings here,
/// with CRLF further down) becomes the request's fields once, with one Content-Type.
#[test]
fn http_send_of_mime_messages_keeps_their_verdict() {
    let dir = tmp("http-mime");
    let (url, listener) = http_listener(&dir, &["--at", "2027-01-01T00:00:00Z"]);
    for (file, verdict) in [
        ("messages/rsa-crlf.eml", "valid"),
        ("messages/p256-tampered-sig.eml", "invalid"),
    ] {
        let o = run(&["send", &url, file, "--json"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        // The listener answers with its report of what arrived.
        let reply = json_lines(&o.stdout).remove(0);
        let report: serde_json::Value =
            serde_json::from_str(reply["content"]["text"].as_str().unwrap()).unwrap();
        assert_eq!(report["verdict"], verdict, "{file}: {report}");
    }
    let out = listener.wait_with_output().unwrap();
    assert!(out.status.success() || out.status.code() == Some(1));
    let saved = std::fs::read_to_string(dir.join("saved/0002.http")).unwrap();
    let head = saved.split("\r\n\r\n").next().unwrap();
    let content_types = head
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("content-type:"))
        .count();
    assert_eq!(content_types, 1, "{head}");
    assert!(head.contains("Content-Type: multipart/signed;"), "{head}");
}

#[test]
fn http_send_to_listen() {
    let dir = tmp("http");
    let (url, listener) = http_listener(&dir, &["--key", "pki/recip-rsa.key"]);
    // An SCMP request over POST, then an AMS publish of an SSM message to the same server.
    let req = compose(
        &dir,
        "req.eml",
        &[
            "--profile",
            "scmp",
            "--recipient",
            "pki/recip-rsa.pem",
            "profiles/scmp/request.xml",
        ],
    );
    let o = run(&["send", &url, &req, "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let reply = json_lines(&o.stdout).remove(0);
    // The listener answers with the JSON report of what it received.
    assert!(reply["content"]["text"]
        .as_str()
        .unwrap()
        .contains("\"verdict\":\"valid\""));
    let authority = url
        .trim_start_matches("http://")
        .trim_end_matches("/inbox")
        .to_string();
    let ams_url = format!("ams+http://{authority}/v1/projects/accounting/topics/t1");
    let ssm = compose(
        &dir,
        "ssm.eml",
        &[
            "--profile",
            "ssm",
            "--recipient",
            "pki/recip-rsa.pem",
            "profiles/ssm/record.txt",
        ],
    );
    let o = run(&["send", &ams_url, &ssm, "--attribute", "empaid=abc/0001"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = finish(listener, 30);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports = json_lines(&out.stdout);
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["profiles"][0]["name"], "scmp");
    assert_eq!(reports[0]["verdict"], "valid");
    assert_eq!(
        reports[1]["layers"][1]["kind"], "ams-document",
        "{:#}",
        reports[1]["layers"]
    );
    assert_eq!(reports[1]["profiles"][0]["name"], "ssm");
    assert_eq!(reports[1]["verdict"], "valid", "{:#}", reports[1]);
    assert!(dir.join("saved/0001.http").is_file() && dir.join("saved/0002.http").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_scmp_replies_signed_and_flags_duplicates() {
    let dir = tmp("scmp");
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/scmp");
    let mut server = bin()
        .arg("serve-scmp")
        .arg(&url)
        .args([
            "--signer",
            "pki/signer-rsa3072.pem",
            "--signer-key",
            "pki/signer-rsa3072.key",
            "--chain",
            "pki/chain.pem",
        ])
        .args(["--trust", "pki/root-ca.pem", "--key", "pki/recip-rsa.key"])
        .args(["--count", "3", "--idle", "30", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_port(port, &mut server);
    let req = compose(
        &dir,
        "req.eml",
        &[
            "--profile",
            "scmp",
            "--recipient",
            "pki/recip-rsa.pem",
            "profiles/scmp/request.xml",
        ],
    );
    let send = |file: &str| {
        let o = run(&["send", &url, file, "--json", "--trust", "pki/root-ca.pem"]);
        json_lines(&o.stdout).remove(0)
    };
    let first = send(&req);
    let p = &first["profiles"][0];
    assert_eq!(p["name"], "scmp");
    assert_eq!(first["verdict"], "valid", "{first:#}");
    let kind = |r: &serde_json::Value, k: &str| {
        r["profiles"][0]["details"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d[0] == k)
            .map(|d| d[1].as_str().unwrap().to_string())
    };
    assert_eq!(kind(&first, "message_kind").as_deref(), Some("reply"));
    assert!(first["content"]["text"]
        .as_str()
        .unwrap()
        .contains("accepted"));
    let sent_id = {
        let o = run(&["inspect", "--json", "--key", "pki/recip-rsa.key", &req]);
        kind(&json_lines(&o.stdout)[0], "request_id").unwrap()
    };
    assert_eq!(
        kind(&first, "request_id").as_deref(),
        Some(sent_id.as_str())
    );
    assert!(first["signatures"][0]["signer"]["subject"]
        .as_str()
        .unwrap()
        .contains("3072"));
    // The same request again: a signed, unencrypted SCMP 105 error echoing the id.
    let second = send(&req);
    assert_eq!(kind(&second, "message_kind").as_deref(), Some("error"));
    assert_eq!(kind(&second, "error_number").as_deref(), Some("105"));
    assert_eq!(
        kind(&second, "request_id").as_deref(),
        Some(sent_id.as_str())
    );
    assert!(second["encryption"].as_array().unwrap().is_empty());
    assert_eq!(second["signatures"][0]["status"], "valid");
    // An unsigned request: error 106 (or 104 for what it lacks), still signed.
    let third = send("profiles/scmp/error-unsigned.http");
    assert_eq!(kind(&third, "message_kind").as_deref(), Some("error"));
    assert_eq!(third["signatures"][0]["status"], "valid");
    let out = finish(server, 30);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen = json_lines(&out.stdout);
    assert_eq!(seen.len(), 3);
    assert!(seen[1]["profiles"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "scmp-duplicate-request"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn refused_connections_keep_the_message() {
    let dir = tmp("refused");
    let port = free_port();
    let keep = dir.join("unsent");
    let o = run(&[
        "send",
        &format!("stomp://127.0.0.1:{port}/queue/x"),
        "profiles/emi/signed.eml",
        "--timeout",
        "2",
        "--keep-dir",
        keep.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot connect") && err.contains("kept in"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let kept: Vec<_> = std::fs::read_dir(&keep).unwrap().collect();
    assert_eq!(kept.len(), 1);
    // A server that accepts and never answers: bounded by --timeout.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let p = silent.local_addr().unwrap().port();
    let t = Instant::now();
    let o = run(&[
        "send",
        &format!("http://127.0.0.1:{p}/"),
        "profiles/emi/signed.eml",
        "--timeout",
        "2",
        "--keep-dir",
        keep.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(t.elapsed() < Duration::from_secs(15));
    drop(silent);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The broker the test command started, if any.
fn broker() -> Option<(String, String, String, String)> {
    let url = std::env::var("STOMP_URL").ok()?;
    Some((
        url,
        std::env::var("STOMP_LOGIN").unwrap_or_default(),
        std::env::var("STOMP_PASSCODE").unwrap_or_default(),
        std::env::var("STOMP_TLS_URL").unwrap_or_default(),
    ))
}

fn no_broker() -> bool {
    if std::env::var("SEALSCOPE_REQUIRE_BROKER").is_ok_and(|v| v == "1") {
        panic!(
            "SEALSCOPE_REQUIRE_BROKER=1 but STOMP_URL is not set: start scripts/broker/start.sh"
        );
    }
    eprintln!("skipped: no STOMP broker (set STOMP_URL, as scripts/test.sh does)");
    true
}

fn peer() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/interop/stomp/peer.py")
}

#[test]
fn stomp_round_trips_through_a_real_broker() {
    let Some((url, login, _, tls_url)) = broker() else {
        if no_broker() {
            return;
        }
        unreachable!()
    };
    let dir = tmp("stomp");
    let queue = format!("/queue/sealscope.test.{}", std::process::id());
    let dest_url = format!("{url}{queue}");
    // 1. sealscope sends two SSM messages (composed here) with receipts; sealscope listens.
    let a = compose(
        &dir,
        "a.stomp",
        &[
            "--profile",
            "ssm",
            "--recipient",
            "pki/recip-rsa.pem",
            "--outform",
            "stomp",
            "profiles/ssm/record.txt",
        ],
    );
    let b = compose(
        &dir,
        "b.stomp",
        &[
            "--profile",
            "ssm",
            "--recipient",
            "pki/recip-rsa.pem",
            "--outform",
            "stomp",
            "profiles/ssm/summary.txt",
        ],
    );
    for f in [&a, &b] {
        let o = run(&[
            "send",
            &dest_url,
            f,
            "--login",
            &login,
            "--passcode",
            "env:STOMP_PASSCODE",
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(String::from_utf8_lossy(&o.stdout).contains("RECEIPT"));
    }
    let o = bin()
        .args([
            "listen",
            &dest_url,
            "--count",
            "2",
            "--idle",
            "20",
            "--json",
            "--login",
            &login,
            "--passcode",
            "env:STOMP_PASSCODE",
        ])
        .args([
            "--trust",
            "pki/root-ca.pem",
            "--key",
            "pki/recip-rsa.key",
            "--allow-dn",
            "profiles/ssm/allowed-dns.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let reports = json_lines(&o.stdout);
    assert_eq!(reports.len(), 2);
    for r in &reports {
        assert_eq!(
            r["layers"][0]["summary"]
                .as_str()
                .unwrap()
                .split(' ')
                .nth(1),
            Some("MESSAGE")
        );
        assert_eq!(r["profiles"][0]["name"], "ssm");
        assert_eq!(r["verdict"], "valid", "{r:#}");
    }
    // A refused login is the broker's ERROR frame, in one line, and the message is kept.
    let keep = dir.join("unsent");
    let wrong = dir.join("wrong-passcode");
    std::fs::write(&wrong, "wrong\n").unwrap();
    let wrong = format!("file:{}", wrong.display());
    let o = run(&[
        "send",
        &dest_url,
        &a,
        "--login",
        &login,
        "--passcode",
        &wrong,
        "--keep-dir",
        keep.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("refused the connection") && err.contains("kept in"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&keep).unwrap().count(), 1);
    // 2. stomp.py sends the OpenSSL-made SSM message; sealscope receives and verifies it.
    let body = dir.join("ssm-body.eml");
    let frame = std::fs::read(fixtures().join("profiles/ssm/send.stomp")).unwrap();
    let start = frame.windows(2).position(|w| w == b"\n\n").unwrap() + 2;
    let end = frame.iter().rposition(|&b| b == 0).unwrap();
    std::fs::write(&body, &frame[start..end]).unwrap();
    let o = Command::new("python3")
        .arg(peer())
        .args([
            "send",
            "--url",
            &url,
            "--login",
            &login,
            "--destination",
            &queue,
        ])
        .args(["--header", "empa-id:6b001a20/6b001a20b71b00"])
        .arg(&body)
        .output()
        .expect("python3 runs");
    assert!(
        o.status.success(),
        "peer.py send: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = bin()
        .args([
            "listen",
            &dest_url,
            "--count",
            "1",
            "--idle",
            "20",
            "--json",
            "--login",
            &login,
            "--passcode",
            "env:STOMP_PASSCODE",
        ])
        .args(["--trust", "pki/root-ca.pem", "--key", "pki/recip-rsa.key"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r = json_lines(&o.stdout).remove(0);
    assert_eq!(r["verdict"], "valid", "{r:#}");
    assert!(r["signatures"][0]["signer"]["subject_oneline"]
        .as_str()
        .unwrap()
        .contains("/CN=Alice RSA"));
    // 3. sealscope sends over TLS; stomp.py receives the exact bytes.
    if !tls_url.is_empty() {
        let ca = std::env::var("STOMP_CA").unwrap();
        let o = run(&[
            "send",
            &format!("{tls_url}{queue}"),
            &a,
            "--login",
            &login,
            "--passcode",
            "env:STOMP_PASSCODE",
            "--ca",
            &ca,
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let out = dir.join("received");
        let o = Command::new("python3")
            .arg(peer())
            .args([
                "receive",
                "--url",
                &url,
                "--login",
                &login,
                "--destination",
                &queue,
            ])
            .args([
                "--count",
                "1",
                "--timeout",
                "20",
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "peer.py receive: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let got = std::fs::read(out.join("001.body")).unwrap();
        let sent = std::fs::read(&a).unwrap();
        let s = sent.windows(2).position(|w| w == b"\n\n").unwrap() + 2;
        let e = sent.iter().rposition(|&b| b == 0).unwrap();
        assert_eq!(got, &sent[s..e]);
        let headers: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("001.headers")).unwrap()).unwrap();
        assert!(headers["empa-id"].is_string(), "{headers}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// HTTPS with a real TLS server (Python's http.server and ssl, with the certificate the broker
/// script made for 127.0.0.1): `send` posts a composed SCMP request and inspects the reply.
#[test]
fn https_send_to_a_python_server() {
    if broker().is_none() {
        if no_broker() {
            return;
        }
        unreachable!()
    }
    let tls_dir = PathBuf::from(std::env::var("BROKER_DIR").unwrap()).join("tls");
    let ca = std::env::var("STOMP_CA").unwrap();
    let dir = tmp("https");
    let port = free_port();
    let script = r#"
import http.server, ssl, sys
port, cert, key, reply = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
raw = open(reply, 'rb').read()
served = []
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        served.append(1)
        n = int(self.headers.get('Content-Length', '0'))
        body = self.rfile.read(n)
        assert self.headers.get('SCMP-protocol-version') == '2.0', self.headers
        self.wfile.write(raw)
        self.wfile.flush()
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(('127.0.0.1', port), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.timeout = 1
import time
end = time.time() + 30
while not served and time.time() < end:
    try:
        srv.handle_request()
    except (ssl.SSLError, OSError):
        pass  # the test's port probe connects without TLS
sys.exit(0 if served else 1)
"#;
    let mut server = Command::new("python3")
        .args(["-c", script, &port.to_string()])
        .arg(tls_dir.join("server.pem"))
        .arg(tls_dir.join("server.key"))
        .arg(fixtures().join("profiles/scmp/reply.http"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    wait_for_port(port, &mut server);
    let req = compose(
        &dir,
        "req.eml",
        &[
            "--profile",
            "scmp",
            "--recipient",
            "pki/recip-rsa.pem",
            "profiles/scmp/request.xml",
        ],
    );
    let o = run(&[
        "send",
        &format!("https://127.0.0.1:{port}/scmp"),
        &req,
        "--ca",
        &ca,
        "--keep-dir",
        dir.join("unsent").to_str().unwrap(),
        "--json",
        "--trust",
        "pki/root-ca.pem",
        "--key",
        "pki/recip-rsa2.key",
        "--at",
        "2027-01-01T00:00:00Z",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r = json_lines(&o.stdout).remove(0);
    assert_eq!(r["profiles"][0]["name"], "scmp");
    assert_eq!(r["verdict"], "valid", "{r:#}");
    let out = finish(server, 30);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// ARGO AMS publish, pull and acknowledge. No AMS server can be installed, so the peer is
/// tests/interop/ams_emulator.py, which implements the three REST calls SSM uses.
#[test]
fn ams_publish_pull_acknowledge() {
    let dir = tmp("ams");
    let port = free_port();
    let emulator =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/interop/ams_emulator.py");
    let mut ams = Command::new("python3")
        .arg(&emulator)
        .args([&port.to_string(), "30"])
        .env("AMS_TOKEN", "t0k3n")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    wait_for_port(port, &mut ams);
    let ssm = compose(
        &dir,
        "ssm.eml",
        &[
            "--profile",
            "ssm",
            "--recipient",
            "pki/recip-rsa.pem",
            "profiles/ssm/record.txt",
        ],
    );
    let topic = format!("ams+http://127.0.0.1:{port}/v1/projects/accounting/topics/t1");
    let keep = dir.join("unsent");
    // Tokens come from files (a secret is never put on a command line).
    let token_file = |name: &str, token: &str| {
        let p = dir.join(name);
        std::fs::write(&p, format!("{token}\n")).unwrap();
        format!("file:{}", p.display())
    };
    let wrong = token_file("wrong-token", "wrong");
    let token = token_file("token", "t0k3n");
    let o = run(&[
        "send",
        &topic,
        &ssm,
        "--token",
        &wrong,
        "--keep-dir",
        keep.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("HTTP 401"));
    let o = run(&[
        "send",
        &topic,
        &ssm,
        "--token",
        &token,
        "--attribute",
        "empaid=6b001a20/6b001a20b71b00",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("messageIds"));
    let sub = format!("ams+http://127.0.0.1:{port}/v1/projects/accounting/subscriptions/s1");
    let o = run(&[
        "listen",
        &sub,
        "--token",
        &token,
        "--count",
        "1",
        "--idle",
        "10",
        "--json",
        "--trust",
        "pki/root-ca.pem",
        "--key",
        "pki/recip-rsa.key",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r = json_lines(&o.stdout).remove(0);
    assert_eq!(r["profiles"][0]["name"], "ssm");
    assert_eq!(r["verdict"], "valid", "{r:#}");
    assert!(r["layers"][1]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h[0] == "attributes.empaid" && h[1] == "6b001a20/6b001a20b71b00"));
    let out = finish(ams, 30);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        r#"{"published": 1, "acknowledged": 1}"#
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn oversize_requests_are_refused_and_kept() {
    let dir = tmp("oversize");
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/inbox");
    let mut listener = bin()
        .args(["listen", &url, "--idle", "4", "--max-size", "1000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_port(port, &mut listener);
    let keep = dir.join("unsent");
    let o = run(&[
        "send",
        &url,
        "profiles/emi/signed-encrypted.eml",
        "--keep-dir",
        keep.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("HTTP 413") && err.contains("kept in"), "{err}");
    let out = finish(listener, 30);
    assert!(String::from_utf8_lossy(&out.stderr).contains("request larger than 1000 bytes"));
    let _ = std::fs::remove_dir_all(&dir);
}
