//! Scale-out on a real broker: three `sealscope listen` processes share one queue of
//! Debian's ActiveMQ on 127.0.0.1 as competing consumers (client-individual ACKs, prefetch
//! 10), each publishing its reports to a results queue and passing messages that fail (an
//! invalid signature) to a dead-letter queue with the reason, as SSM's reject queue. One is killed (SIGKILL) mid-run. stomp.py
//! (tests/interop/stomp/peer.py) sends the messages, numbered in `correlation-id`, and reads
//! the results: every message must be reported exactly once and none lost, the killed
//! consumer's unacknowledged messages redelivered to the others. The broker's login comes
//! from the environment (STOMP_PASSCODE, SEALSCOPE_PASSCODE), never a command line.

mod common;

use common::{bin, fixtures, tmp};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Messages sent; every `DEAD_EVERY`-th has a signature that does not verify.
const N: usize = 450;
const DEAD_EVERY: usize = 30;

fn broker() -> Option<(String, String, String)> {
    let url = std::env::var("STOMP_URL").ok()?;
    Some((
        url,
        std::env::var("STOMP_LOGIN").unwrap_or_default(),
        std::env::var("STOMP_PASSCODE").unwrap_or_default(),
    ))
}

fn peer(args: &[&str]) -> Output {
    Command::new("python3")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/interop/stomp/peer.py"))
        .args(args)
        .output()
        .expect("python3 runs")
}

/// Reads the headers peer.py saved for each received message.
fn received(dir: &Path) -> Vec<BTreeMap<String, String>> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("receive dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "headers"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p).expect("headers")).expect("JSON"))
        .collect()
}

/// Everything still waiting on `queue` must be nothing: a receive of one message times out.
fn assert_empty(queue: &str, out: &Path) {
    let o = peer(&[
        "receive",
        "--destination",
        queue,
        "--count",
        "1",
        "--timeout",
        "3",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("0 of 1"),
        "{queue} still holds a message: {err}"
    );
}

fn consumer(url: &str, queue: &str, login: &str, pass: &str, dir: &Path, n: usize) -> Child {
    bin()
        .args([
            "listen",
            &format!("{url}{queue}"),
            "--reports",
            &format!("{queue}.reports"),
            "--dead-letter",
            &format!("{queue}.dead"),
            "--prefetch",
            "10",
            "--idle",
            "6",
            "--json",
            "--login",
            login,
            "--trust",
            "pki/root-ca.pem",
            "--save",
            dir.join(format!("saved-{n}")).to_str().expect("utf-8"),
        ])
        .env("SEALSCOPE_PASSCODE", pass)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sealscope listen starts")
}

#[test]
fn three_consumers_one_killed_every_message_reported_once() {
    let Some((url, login, pass)) = broker() else {
        if std::env::var("SEALSCOPE_REQUIRE_BROKER").is_ok_and(|v| v == "1") {
            panic!("SEALSCOPE_REQUIRE_BROKER=1 but STOMP_URL is not set");
        }
        eprintln!("skipped: no STOMP broker (set STOMP_URL, as scripts/test.sh does)");
        return;
    };
    let dir = tmp("broker-scale");
    let queue = format!("/queue/sealscope.scale.{}", std::process::id());
    // Valid signed messages, with a tampered one every DEAD_EVERY-th.
    let good = fixtures().join("messages/rsa-sha256.eml");
    let bad = fixtures().join("messages/tampered-content.eml");
    let files: Vec<String> = (1..=N)
        .map(|i| {
            let f = if i.is_multiple_of(DEAD_EVERY) {
                &bad
            } else {
                &good
            };
            f.to_str().expect("utf-8").to_string()
        })
        .collect();
    let mut args = vec![
        "send",
        "--destination",
        &queue,
        "--seq-header",
        "correlation-id",
    ];
    args.extend(files.iter().map(String::as_str));
    let o = peer(&args);
    assert!(
        o.status.success(),
        "peer.py send: {}",
        String::from_utf8_lossy(&o.stderr)
    );

    let mut consumers: Vec<Child> = (0..3)
        .map(|n| consumer(&url, &queue, &login, &pass, &dir, n))
        .collect();
    // Each consumer's reports are counted as they are printed (a reader per pipe, so no
    // consumer ever waits on a full pipe); the first one's count is also sent here.
    let (tx, first) = std::sync::mpsc::channel::<usize>();
    let readers: Vec<_> = consumers
        .iter_mut()
        .enumerate()
        .map(|(n, c)| {
            let out = c.stdout.take().expect("stdout");
            let err = c.stderr.take().expect("stderr");
            let tx = (n == 0).then(|| tx.clone());
            std::thread::spawn(move || {
                let errs = std::thread::spawn(move || {
                    let mut s = String::new();
                    let _ = std::io::Read::read_to_string(&mut BufReader::new(err), &mut s);
                    s
                });
                let mut reported = 0;
                for l in BufReader::new(out).lines().map_while(Result::ok) {
                    if l.starts_with('{') {
                        reported += 1;
                        if let Some(tx) = &tx {
                            let _ = tx.send(reported);
                        }
                    }
                }
                (reported, errs.join().unwrap_or_default())
            })
        })
        .collect();
    drop(tx);
    // Kill the first once it has reported 25 messages: it holds up to 10 more, delivered
    // and not acknowledged, which the broker must hand to the other two.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut before_kill = 0;
    while before_kill < 25 && Instant::now() < deadline {
        match first.recv_timeout(Duration::from_secs(1)) {
            Ok(n) => before_kill = n,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(_) => break,
        }
    }
    assert_eq!(before_kill, 25, "the first consumer reported too little");
    consumers[0].kill().expect("SIGKILL");
    for c in consumers.iter_mut() {
        let deadline = Instant::now() + Duration::from_secs(120);
        while c.try_wait().expect("wait").is_none() {
            if Instant::now() > deadline {
                let _ = c.kill();
                panic!("a consumer is still running after 120 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let mut worked = Vec::new();
    for (n, r) in readers.into_iter().enumerate() {
        let (reported, stderr) = r.join().expect("reader");
        if n > 0 {
            assert!(stderr.contains("prefetch 10"), "{stderr}");
            worked.push(reported);
        }
    }
    assert!(
        worked.iter().all(|&n| n > 0),
        "each surviving consumer took a share: {worked:?}"
    );

    // Every message reported exactly once (the report, the dead letter and the ACK are one
    // transaction), with the message's id and the sender's correlation-id.
    let reports = dir.join("reports");
    let o = peer(&[
        "receive",
        "--destination",
        &format!("{queue}.reports"),
        "--count",
        &N.to_string(),
        "--timeout",
        "60",
        "--out",
        reports.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = received(&reports);
    let mut seen: BTreeMap<usize, usize> = BTreeMap::new();
    let mut ids = std::collections::BTreeSet::new();
    let mut redelivered = 0;
    for h in &got {
        let seq: usize = h["correlation-id"].parse().expect("seq");
        *seen.entry(seq).or_default() += 1;
        assert!(h["sealscope-message-id"].starts_with("ID:"), "{h:?}");
        ids.insert(h["sealscope-message-id"].clone());
        assert_eq!(h["sealscope-source"], queue);
        let expect = if seq.is_multiple_of(DEAD_EVERY) {
            "invalid"
        } else {
            "valid"
        };
        assert_eq!(h["sealscope-verdict"], expect, "message {seq}");
        redelivered += usize::from(h.get("sealscope-redelivered").is_some());
    }
    assert_eq!(seen.len(), N, "messages reported");
    assert!(seen.values().all(|&c| c == 1), "reported twice: {seen:?}");
    assert_eq!(ids.len(), N);
    assert!(
        redelivered > 0,
        "the killed consumer's unacknowledged messages were redelivered"
    );
    let bodies: Vec<serde_json::Value> = (1..=N)
        .map(|i| {
            let b = std::fs::read(reports.join(format!("{i:03}.body"))).expect("report body");
            serde_json::from_slice(&b).expect("the report is JSON")
        })
        .collect();
    assert!(bodies.iter().all(|r| r["input"]["name"]
        .as_str()
        .is_some_and(|n| n.contains(" message ID:"))));
    assert_empty(&format!("{queue}.reports"), &dir.join("more-reports"));

    // The invalid ones, and only they, went to the dead-letter queue with the reason.
    let dead = dir.join("dead");
    let n_dead = N / DEAD_EVERY;
    let o = peer(&[
        "receive",
        "--destination",
        &format!("{queue}.dead"),
        "--count",
        &n_dead.to_string(),
        "--timeout",
        "30",
        "--out",
        dead.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tampered = std::fs::read(&bad).expect("fixture");
    for (i, h) in received(&dead).iter().enumerate() {
        let seq: usize = h["correlation-id"].parse().expect("seq");
        assert_eq!(seq % DEAD_EVERY, 0, "{h:?}");
        assert!(!h["sealscope-reason"].is_empty());
        let body = std::fs::read(dead.join(format!("{:03}.body", i + 1))).expect("body");
        assert_eq!(
            body, tampered,
            "the dead letter carries the message as sent"
        );
    }
    assert_empty(&format!("{queue}.dead"), &dir.join("more-dead"));
    // Nothing is left unconsumed on the input queue.
    assert_empty(&queue, &dir.join("more-input"));
    eprintln!(
        "{N} messages: killed consumer reported {before_kill} before SIGKILL, survivors {worked:?}, {redelivered} redelivered, {n_dead} dead-lettered"
    );
}

#[test]
fn reports_on_another_connection_are_sent_before_the_ack() {
    let Some((url, login, pass)) = broker() else {
        eprintln!("skipped: no STOMP broker");
        return;
    };
    // The broker's TLS port is another endpoint: reports go over a second connection.
    let (Ok(tls_url), Ok(ca)) = (std::env::var("STOMP_TLS_URL"), std::env::var("STOMP_CA")) else {
        eprintln!("skipped: the broker has no TLS connector");
        return;
    };
    let dir = tmp("broker-elsewhere");
    let queue = format!("/queue/sealscope.elsewhere.{}", std::process::id());
    let good = fixtures().join("messages/rsa-sha256.eml");
    let good = good.to_str().expect("utf-8");
    let o = peer(&[
        "send",
        "--destination",
        &queue,
        "--seq-header",
        "correlation-id",
        good,
        good,
        good,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = bin()
        .args([
            "listen",
            &format!("{url}{queue}"),
            "--reports",
            &format!("{tls_url}{queue}.reports"),
            "--ca",
            &ca,
            "--count",
            "3",
            "--idle",
            "20",
            "--login",
            &login,
            "--trust",
            "pki/root-ca.pem",
        ])
        .env("SEALSCOPE_PASSCODE", &pass)
        .output()
        .expect("listen runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let reports = dir.join("reports");
    let o = peer(&[
        "receive",
        "--destination",
        &format!("{queue}.reports"),
        "--count",
        "3",
        "--timeout",
        "20",
        "--out",
        reports.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let seqs: Vec<String> = received(&reports)
        .iter()
        .map(|h| h["correlation-id"].clone())
        .collect();
    assert_eq!(seqs, ["1", "2", "3"]);
    assert_empty(&queue, &dir.join("more-input"));
}
