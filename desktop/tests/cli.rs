//! The `sealscope inspect` command line: options, exit codes, stderr, JSON Lines.

mod common;

use common::{fixtures, json_lines, run, tmp};
use std::process::{Command, Output};

fn inspect(extra: &[&str]) -> Output {
    let mut args = vec!["inspect", "--at", "2027-01-01T00:00:00Z"];
    args.extend_from_slice(extra);
    run(&args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn valid_message_exits_zero_and_names_the_signer() {
    let o = inspect(&["--trust", "pki/root-ca.pem", "messages/rsa-sha256.eml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("VALID"), "{out}");
    assert!(out.contains("CN=Alice RSA,OU=Signers,O=Sealscope Test,C=GB"));
    assert!(out.contains("/C=GB/O=Sealscope Test/OU=Signers/CN=Alice RSA"));
    assert!(out.contains("serial     1001"));
    assert!(out.contains("sha256 / rsa-pkcs1v15"));
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn invalid_exits_one_unreadable_two() {
    let o = inspect(&[
        "--trust",
        "pki/root-ca.pem",
        "messages/tampered-content.eml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("content-digest-mismatch"));
    let o = inspect(&["unreadable/garbled.p7m"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unreadable/garbled.p7m"), "{err}");
    // Warning (no anchors) is still success.
    let o = inspect(&["messages/rsa-sha256.eml"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("WARNING"));
}

#[test]
fn json_lines_for_several_files_and_worst_exit_code() {
    let o = inspect(&[
        "--json",
        "--trust",
        "pki/root-ca.pem",
        "messages/rsa-sha256.eml",
        "messages/tampered-sig.eml",
        "messages/p256-sha256.eml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let reports: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON report"))
        .collect();
    assert_eq!(reports.len(), 3);
    let verdicts: Vec<&str> = reports
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["valid", "invalid", "valid"]);
    assert_eq!(reports[0]["schema"], "sealscope.report/1");
    assert_eq!(reports[0]["signatures"][0]["signer"]["serial"], "1001");
    assert_eq!(
        reports[1]["signatures"][0]["reason_code"],
        "signature-value-invalid"
    );
    assert_eq!(
        reports[2]["signatures"][0]["signature_algorithm"],
        "ecdsa-p256"
    );
}

#[test]
fn directory_input_gives_one_report_per_file() {
    let o = inspect(&["--json", "--trust", "pki/root-ca.pem", "unreadable"]);
    assert_eq!(o.status.code(), Some(2));
    let n = stdout(&o).lines().count();
    let files = std::fs::read_dir(fixtures().join("unreadable"))
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count();
    assert_eq!(n, files);
}

#[test]
fn hashed_directory_anchors_and_crls() {
    let o = inspect(&[
        "--json",
        "--trust",
        "pki/hashed",
        "messages/rsa-revoked.eml",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(r["signatures"][0]["chain"]["status"], "revoked");
    let o = inspect(&["--json", "--trust", "pki/hashed", "messages/rsa-sha256.eml"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn crl_cert_and_content_options() {
    let o = inspect(&[
        "--trust",
        "pki/bundle.pem",
        "--crl",
        "pki/inter-ca.crl.der",
        "messages/rsa-revoked.eml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("cert-revoked"));
    let o = inspect(&[
        "--trust",
        "pki/root-ca.pem",
        "--cert",
        "pki/signer-rsa.pem",
        "messages/rsa-nocerts.eml",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("VALID"));
    let o = inspect(&[
        "--trust",
        "pki/root-ca.pem",
        "--content",
        "content/content.txt",
        "messages/rsa-detached.p7s",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sealscope"))
        .current_dir(fixtures())
        .args(["inspect", "--json", "--at", "2027-01-01T00:00:00Z", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(fixtures().join("messages/rsa-opaque.der")).unwrap())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("\"name\":\"-\""));
}

#[test]
fn usage_errors_exit_two_with_one_line() {
    for args in [
        vec!["inspect", "no-such-file.eml"],
        vec![
            "inspect",
            "--trust",
            "no-such-ca.pem",
            "messages/rsa-sha256.eml",
        ],
        vec![
            "inspect",
            "--trust",
            "messages/rsa-sha256.eml",
            "messages/rsa-sha256.eml",
        ],
        vec!["inspect", "--at", "yesterday", "messages/rsa-sha256.eml"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("sealscope: "), "{err}");
    }
    // listen's scale-out options are checked before any connection is made.
    for (args, says) in [
        (
            vec!["listen", "http://127.0.0.1:1/", "--reports", "/queue/r"],
            "apply to a stomp:// URL",
        ),
        (
            vec![
                "listen",
                "stomp://127.0.0.1:1/queue/in",
                "--dead-letter",
                "stomp://127.0.0.2:61613/queue/dead",
            ],
            "must be a destination on the listened broker",
        ),
        (
            vec![
                "listen",
                "stomp://127.0.0.1:1/queue/in",
                "--reports",
                "http://127.0.0.1:1/r",
            ],
            "a STOMP destination is expected",
        ),
        (
            vec![
                "listen",
                "stomp://127.0.0.1:1/queue/in",
                "--dead-letter-on",
                "invalid",
            ],
            "--dead-letter-on needs --dead-letter",
        ),
        (
            vec!["listen", "stomp://127.0.0.1:1/queue/in", "--prefetch", "0"],
            "--prefetch must be 1 or more",
        ),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    let o = run(&["inspect", "--trust", "no-such-ca.pem", "x"]);
    assert!(stderr(&o).contains("no-such-ca.pem"));
    let o = run(&["inspect", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["inspect"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn compose_then_inspect_round_trip() {
    let dir = std::env::temp_dir().join(format!("sealscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("se.eml");
    let o = run(&[
        "compose",
        "--signer-key",
        "pki/recip-rsa.p12",
        "--key-pass",
        common::PASS,
        "--recipient",
        "pki/recip-p256.pem",
        "--cipher",
        "aes-256-gcm",
        "--header",
        "Subject: round trip",
        "--out",
        out.to_str().unwrap(),
        "content/content.txt",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = inspect(&[
        "--json",
        "--trust",
        "pki/root-ca.pem",
        "--key",
        "pki/recip-p256.p12",
        "--key-pass",
        common::PASS,
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let r: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    // Signed with a key-encipherment certificate: intact, and flagged for its keyUsage.
    assert_eq!(r["verdict"], "warning");
    assert_eq!(r["signatures"][0]["status"], "valid");
    assert_eq!(r["signatures"][0]["chain"]["status"], "trusted");
    let codes: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["signer-key-usage"]);
    assert_eq!(r["encryption"][0]["content_algorithm"], "aes-256-gcm");
    assert_eq!(
        r["encryption"][0]["recipients"][0]["key_algorithm"],
        "ecdh-p256"
    );
    assert_eq!(r["signatures"][0]["signer"]["serial"], "4001");
    assert_eq!(r["layers"][0]["headers"][0][0], "Subject");
}

#[test]
fn compose_is_reproducible_with_a_seed_and_checks_its_inputs() {
    let args = [
        "compose",
        "--signer",
        "pki/signer-p256.pem",
        "--signer-key",
        "pki/signer-p256.key",
        "--at",
        "2027-01-01T00:00:00Z",
        "--rng-seed",
        "42",
        "content/content.txt",
    ];
    let a = run(&args);
    let b = run(&args);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    // A certificate that does not match the key.
    let o = run(&[
        "compose",
        "--signer",
        "pki/signer-rsa.pem",
        "--signer-key",
        "pki/signer-p256.key",
        "content/content.txt",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("does not carry the public key"),
        "{}",
        stderr(&o)
    );
    let o = run(&["compose", "content/content.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing to do"), "{}", stderr(&o));
    let o = run(&[
        "compose",
        "--recipient",
        "pki/recip-rsa.pem",
        "--cipher",
        "rc4",
        "content/content.txt",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--cipher rc4"), "{}", stderr(&o));
}

#[test]
fn profile_option_applies_emi_rules() {
    let o = inspect(&[
        "--profile",
        "emi",
        "--trust",
        "pki/root-ca.pem",
        "--key",
        "pki/recip-rsa.key",
        "profiles/emi/cipher-des3.eml",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("profile    emi: does not conform"));
    assert!(stdout(&o).contains("cipher-not-allowed"));
    let o = inspect(&["--profile", "nonsense", "profiles/emi/signed.eml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown profile"), "{}", stderr(&o));
}

/// A file of 4 MiB or more is hashed while it is read: the digests reported are those of the
/// file and of its content, and a changed byte of content is still caught.
#[test]
fn large_files_hashed_while_read_report_the_right_digests() {
    use sha2::Digest;
    let dir = std::env::temp_dir().join(format!("sealscope-cli-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let payload_path = dir.join("payload.bin");
    let payload: Vec<u8> = (0..(5u32 << 20))
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&payload_path, &payload).unwrap();
    // Signs `payload` with the test RSA signer into `out`, with extra compose options.
    let sign = |payload: &std::path::Path, out: &std::path::Path, extra: &[&str]| {
        let mut args = vec![
            "compose",
            "--signer-key",
            "pki/signer-rsa.key",
            "--signer",
            "pki/signer-rsa.pem",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        args.push(payload.to_str().unwrap());
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    let signed = dir.join("big.p7m");
    sign(&payload_path, &signed, &["--opaque", "--outform", "der"]);
    let der = std::fs::read(&signed).unwrap();
    assert!(der.len() > 5 << 20);
    let o = inspect(&["--json", signed.to_str().unwrap()]);
    let r = &common::json_lines(&o.stdout)[0];
    assert_eq!(r["signatures"][0]["status"], "valid", "{r}");
    assert_eq!(r["input"]["size"], der.len());
    assert_eq!(
        r["input"]["sha256"],
        hex::encode(sha2::Sha256::digest(&der))
    );
    assert_eq!(
        r["content"]["sha256"],
        hex::encode(sha2::Sha256::digest(&payload))
    );
    // One content byte changed.
    let mut altered = der.clone();
    let at = altered.len() / 2;
    altered[at] ^= 0x80;
    let altered_path = dir.join("altered.p7m");
    std::fs::write(&altered_path, &altered).unwrap();
    let o = inspect(&["--json", altered_path.to_str().unwrap()]);
    let r = &common::json_lines(&o.stdout)[0];
    assert_eq!(
        r["signatures"][0]["reason_code"], "content-digest-mismatch",
        "{r}"
    );
    assert_eq!(
        r["input"]["sha256"],
        hex::encode(sha2::Sha256::digest(&altered))
    );
    // A multipart/signed message of the same size: its signed part is hashed as it streams by.
    let text: String = (0..120_000)
        .map(|i| format!("line {i:06} of a large signed text body\r\n"))
        .collect();
    let text_path = dir.join("payload.txt");
    std::fs::write(&text_path, &text).unwrap();
    let mime = dir.join("big.eml");
    sign(&text_path, &mime, &[]);
    let eml = std::fs::read(&mime).unwrap();
    assert!(eml.len() > 4 << 20);
    let o = inspect(&["--json", mime.to_str().unwrap()]);
    let r = &common::json_lines(&o.stdout)[0];
    assert_eq!(r["signatures"][0]["status"], "valid", "{r}");
    assert_eq!(
        r["input"]["sha256"],
        hex::encode(sha2::Sha256::digest(&eml))
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn max_input_refuses_larger_inputs_unread_with_their_size_and_digest() {
    let file = "encrypted/ktri-1m.der";
    let bytes = std::fs::read(fixtures().join(file)).unwrap();
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    let o = inspect(&[
        "--json",
        "--max-input",
        "64K",
        file,
        "messages/rsa-opaque.der",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let reports = common::json_lines(&o.stdout);
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["verdict"], "unreadable");
    assert_eq!(
        reports[0]["error"],
        format!("input of {} bytes exceeds the limit of 65536", bytes.len())
    );
    assert_eq!(reports[0]["input"]["size"], bytes.len());
    assert_eq!(reports[0]["input"]["sha256"], sha256);
    // The small file beside it is inspected as usual.
    assert_ne!(reports[1]["verdict"], "unreadable");
    // The same through stdin.
    let mut child = Command::new(env!("CARGO_BIN_EXE_sealscope"))
        .current_dir(fixtures())
        .args(["inspect", "--json", "--max-input", "1K", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let o = child.wait_with_output().unwrap();
    let reports = common::json_lines(&o.stdout);
    assert_eq!(reports[0]["input"]["size"], bytes.len());
    assert_eq!(reports[0]["input"]["sha256"], sha256);
    assert_eq!(
        reports[0]["error"],
        format!("input of {} bytes exceeds the limit of 1024", bytes.len())
    );
    // A bad size is a usage error in one line.
    let o = inspect(&["--max-input", "12X", file]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a size"), "{}", stderr(&o));
}

#[test]
fn parallel_inspection_prints_the_same_reports_in_the_same_order() {
    let args = |jobs: &'static str| {
        vec![
            "--json",
            "--trust",
            "pki/root-ca.pem",
            "--key",
            "pki/recip-rsa.key",
            "--jobs",
            jobs,
            "messages",
            "encrypted",
            "profiles/scmp",
        ]
    };
    let one = inspect(&args("1"));
    let four = inspect(&args("4"));
    assert_eq!(one.status.code(), four.status.code());
    let reports = common::json_lines(&one.stdout);
    assert!(reports.len() > 100, "{}", reports.len());
    assert_eq!(stdout(&one), stdout(&four));
    let o = inspect(&["--jobs", "0", "messages"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--jobs must be 1 or more"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn content_key_opens_encrypted_data_and_bad_keys_are_usage_errors() {
    let file = "verdicts/encrypted-data-aes256.der";
    let dir = tmp("content-key");
    let key_file = |name: &str, hex: &str| {
        let p = dir.join(name);
        std::fs::write(&p, format!("{hex}\n")).unwrap();
        format!("file:{}", p.display())
    };
    let key = key_file(
        "key",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    );
    let o = inspect(&["--json", "--content-key", &key, file]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("JSON");
    assert_eq!(report["encryption"][0]["kind"], "encrypted-data");
    assert_eq!(report["encryption"][0]["decrypted"], true);
    assert_eq!(
        report["content"]["sha256"],
        "c8304dffbf7988a028fa20d7d88bde02b9ae127a4e955df9d015089ce869fdb1"
    );
    for bad in ["zz", "0011"] {
        let o = inspect(&["--content-key", &key_file("bad", bad), file]);
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("--content-key"), "{err}");
        assert!(!err.contains(bad), "the key is not repeated: {err}");
    }
}

/// Secrets (key passwords, KEKs, content keys, PWRI passwords, STOMP passcodes, AMS tokens)
/// are named by where they are, never given on the command line, where every local user can
/// read them; a literal is refused before anything is read or sent, and never repeated.
#[test]
fn secrets_on_the_command_line_are_refused() {
    let msg = "encrypted/ktri-aes256-cbc.eml";
    for (args, option) in [
        (
            vec![
                "inspect",
                "--key",
                "pki/recip-rsa.p12",
                "--key-pass",
                "hunter2",
                msg,
            ],
            "--key-pass",
        ),
        (vec!["inspect", "--password", "hunter2", msg], "--password"),
        (
            vec!["inspect", "--content-key", "hunter2", msg],
            "--content-key",
        ),
        (vec!["inspect", "--kek", "0a0b:hunter2", msg], "--kek"),
        (
            vec![
                "send",
                "stomp://127.0.0.1:9/queue/x",
                msg,
                "--passcode",
                "hunter2",
            ],
            "--passcode",
        ),
        (
            vec![
                "send",
                "ams+http://127.0.0.1:9/v1/projects/p/topics/t",
                msg,
                "--token",
                "hunter2",
            ],
            "--token",
        ),
        (
            vec![
                "compose",
                "--signer-key",
                "pki/recip-rsa.p12",
                "--signer-pass",
                "hunter2",
                "content/content.txt",
            ],
            "--signer-pass",
        ),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(
            err,
            format!("sealscope: {option} takes env:NAME or file:PATH, not the secret itself: a command line can be read by every user of this machine\n"),
            "{args:?}"
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    // Named sources work, and a missing one is named.
    let o = run(&[
        "inspect",
        "--json",
        "--key",
        "pki/recip-rsa.p12",
        "--key-pass",
        common::PASS,
        msg,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"decrypted\":true"));
    let o = run(&[
        "inspect",
        "--key",
        "pki/recip-rsa.p12",
        "--key-pass",
        "env:SEALSCOPE_TEST_UNSET",
        msg,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "sealscope: --key-pass env:SEALSCOPE_TEST_UNSET: the environment variable SEALSCOPE_TEST_UNSET is not set\n"
    );
}

/// `--crl-check` requires a usable CRL for the signer's certificate, `--crl-check-all` for
/// every certificate below the anchor (as OpenSSL's -crl_check / -crl_check_all); by
/// default a certificate with no CRL from its issuer counts as not revoked.
#[test]
fn crl_check_options_require_a_revocation_status() {
    let base = ["--trust", "pki/root-ca.pem"];
    let run_with = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        args.push("messages/rsa-sha256.eml");
        inspect(&args)
    };
    assert_eq!(run_with(&[]).status.code(), Some(0));
    let o = run_with(&["--crl-check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("a revocation status is required"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("cert-revocation-unknown"));
    let inter = ["--crl", "pki/inter-ca.crl.pem"];
    let o = run_with(&[&["--crl-check"][..], &inter[..]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // The intermediate's status needs the root's CRL too.
    let o = run_with(&[&["--crl-check-all"][..], &inter[..]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let both = [
        "--crl-check-all",
        "--crl",
        "pki/inter-ca.crl.pem",
        "--crl",
        "pki/root-ca.crl.pem",
    ];
    let o = run_with(&both);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run_with(&["--crl-check", "--crl-check-all"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `--x509-strict` holds every certificate of the path to the whole RFC 5280 profile, as
/// `openssl cms -verify -x509_strict` does: NSS's test signer (Thunderbird's test suite) has
/// no authorityKeyIdentifier, which OpenSSL's strict mode also rejects ("Missing Authority
/// Key Identifier"); by default the message is valid.
#[test]
fn x509_strict_applies_the_whole_certificate_profile() {
    let args = |strict: bool| {
        let mut a = vec![
            "--json",
            "--trust",
            "peers/thunderbird/smime/TestCA.pem",
            "peers/thunderbird/smime/alice.dsig.SHA256.multipart.eml",
        ];
        if strict {
            a.insert(0, "--x509-strict");
        }
        a
    };
    let o = inspect(&args(false));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let report: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["signatures"][0]["chain"]["status"], "trusted");

    let o = inspect(&args(true));
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let report: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(report["verdict"], "invalid");
    let chain = &report["signatures"][0]["chain"];
    assert_eq!(chain["status"], "untrusted-root");
    assert!(
        chain["reason"]
            .as_str()
            .unwrap()
            .contains("it has no authorityKeyIdentifier (RFC 5280 §4.2.1.1)"),
        "{chain}"
    );
    assert_eq!(chain["certificates"][0]["status"], "profile-violated");
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"certificate-profile-violated"), "{codes:?}");
}

#[test]
fn grid_trust_directory_applies_ca_namespaces() {
    // A stand-in of a real IGTF CA (same subject name, so the same <hash>.0) with the real
    // CA's <hash>.namespaces and <hash>.signing_policy beside it.
    let dir = "igtf/shadow";
    let o = inspect(&["--json", "--trust", dir, "igtf/messages/KEK.inside.p7m"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let report: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(report["signatures"][0]["chain"]["status"], "trusted");

    let o = inspect(&["--json", "--trust", dir, "igtf/messages/KEK.outside.p7m"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let report: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(report["verdict"], "invalid");
    let chain = &report["signatures"][0]["chain"];
    assert_eq!(chain["certificates"][0]["status"], "namespace-violated");
    let reason = chain["reason"].as_str().unwrap();
    assert!(
        reason.contains(
            "/C=ZZ/O=Outside Every Namespace/CN=Namespace Probe Outside matches no PERMIT rule of "
        ) && reason.contains("2f2f573f.namespaces:1")
            && reason.contains("for issuer /C=JP/O=KEK/OU=CRC/CN=KEK GRID Certificate Authority"),
        "{reason}"
    );
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"namespace-violated"), "{codes:?}");

    // A policy file that cannot be read is an error naming it, not ignored.
    let tmp = std::env::temp_dir().join(format!("sealscope-ns-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let bad = tmp.join("0123abcd.namespaces");
    std::fs::write(&bad, "TO Issuer SELF ALLOW Subject \"/O=x/.*\"\n").unwrap();
    let o = run(&[
        "inspect",
        "--trust",
        bad.to_str().unwrap(),
        "igtf/messages/KEK.inside.p7m",
    ]);
    std::fs::remove_dir_all(&tmp).ok();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("0123abcd.namespaces")
            && stderr(&o).contains("expected PERMIT or DENY"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn initial_policy_inputs_as_openssl_names_them() {
    // PKITS 4.8.1: the path asserts NIST-test-policy-1 only.
    let dir = "vectors/cryptography/x509/PKITS_data";
    let msg = format!("{dir}/smime/SignedAllCertificatesSamePolicyTest1.eml");
    let trust = format!("{dir}/certs/TrustAnchorRootCertificate.crt");
    let ca = format!("{dir}/certs/GoodCACert.crt");
    let run_with = |extra: &[&str]| {
        let mut a = vec!["--json", "--trust", &trust, "--cert", &ca];
        a.extend_from_slice(extra);
        a.push(&msg);
        let o = inspect(&a);
        let report: serde_json::Value = serde_json::from_str(stdout(&o).trim())
            .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&o), stderr(&o)));
        report["signatures"][0]["chain"].clone()
    };
    let p1 = "2.16.840.1.101.3.2.1.48.1";
    let p2 = "2.16.840.1.101.3.2.1.48.2";
    assert_eq!(
        run_with(&["--explicit-policy", "--policy", p1])["status"],
        "trusted"
    );
    let both = format!("{p2},{p1}");
    assert_eq!(
        run_with(&["--explicit-policy", "--policy", &both])["status"],
        "trusted"
    );
    // Policy 2 alone: acceptable to nobody on the path, and an explicit policy is required.
    let chain = run_with(&["--explicit-policy", "--policy", p2]);
    assert_eq!(chain["status"], "untrusted-root", "{chain}");
    assert!(
        chain["reason"]
            .as_str()
            .unwrap()
            .contains("none of the acceptable policies (2.16.840.1.101.3.2.1.48.2) is valid"),
        "{chain}"
    );
    // Without an explicit policy required, the path stands (RFC 5280 §6.1.5 (g)).
    assert_eq!(run_with(&["--policy", p2])["status"], "trusted");
    // A malformed OID is refused before anything is read.
    let o = run(&["inspect", "--policy", "1.2.x", &msg]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a policy OID"), "{}", stderr(&o));
}

#[test]
fn text_output_starts_with_the_answer_and_the_next_step() {
    // Before any anchor: a warning, why, and the option that answers it.
    let o = inspect(&["messages/rsa-expired.eml"]);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("WARNING"), "{text}");
    assert!(
        lines[1].starts_with("  Warning: SignerInfo #1: no trust anchors were supplied")
            && lines[1].contains("Signed by Old Expired (expired 2021-01-01T00:00:00Z)")
            && lines[1].contains("chain expired"),
        "{text}"
    );
    assert_eq!(
        lines[2], "  next: Add a trust anchor (add --trust FILE)",
        "{text}"
    );
    // With the anchor the decisive reason is the expiry, and nothing more to add.
    let o = inspect(&["--trust", "pki/root-ca.pem", "messages/rsa-expired.eml"]);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[1].starts_with("  Invalid: SignerInfo #1: certificate CN=Old Expired")
            && lines[1].contains("expired on 2021-01-01T00:00:00Z"),
        "{text}"
    );
    assert!(!text.contains("next:"), "{text}");
    // Findings: errors before warnings.
    let at = |needle: &str| text.find(needle).unwrap_or(usize::MAX);
    let findings = at("  findings");
    assert!(findings < usize::MAX, "{text}");
    let tail = &text[findings..];
    let first_warning = tail.find("warning ").unwrap_or(usize::MAX);
    let last_error = tail.rfind("error ").unwrap_or(0);
    assert!(last_error < first_warning, "{tail}");
}

#[test]
fn html_report_to_hand_on() {
    let dir = std::env::temp_dir().join(format!("sealscope-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("reports.html");
    let o = inspect(&[
        "--trust",
        "pki/root-ca.pem",
        "--html",
        out.to_str().unwrap(),
        "messages/rsa-crlf.eml",
        "messages/p256-tampered-sig.eml",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<section>").count(), 2);
    assert!(!html.contains("<script"), "no script needed to read it");
    assert!(html.contains("default-src 'none'"), "nothing is fetched");
    assert!(html.contains(
        "Valid. Signed by Alice RSA (valid until 2035-01-01T00:00:00Z); signature intact; chain trusted to Sealscope Test Root CA."
    ));
    assert!(html.contains("<span class=\"badge b-invalid\">invalid</span>"));
    assert!(html.contains("<code>signature-value-invalid</code>"));
    // Text from the message is escaped.
    assert!(html.contains("&lt;d&gt; &quot;e&quot;"), "content escaped");
    // An unwritable path is an error naming it.
    let o = inspect(&["--html", "/nonexistent-dir/x.html", "messages/rsa-crlf.eml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write /nonexistent-dir/x.html"),
        "{}",
        stderr(&o)
    );
}

/// The explainer for a content digest mismatch names the form that was signed: OpenSSL's
/// detached signature over content.txt's LF bytes, checked against a copy whose line ends
/// became CRLF (as a Windows transfer does).
#[test]
fn a_digest_mismatch_names_the_form_that_was_signed() {
    let dir = tmp("explain");
    let crlf = std::fs::read(fixtures().join("content/content.txt"))
        .unwrap()
        .iter()
        .flat_map(|&b| {
            if b == b'\n' {
                vec![b'\r', b'\n']
            } else {
                vec![b]
            }
        })
        .collect::<Vec<u8>>();
    let copy = dir.join("content-crlf.txt");
    std::fs::write(&copy, crlf).unwrap();
    let out = run(&[
        "inspect",
        "--json",
        "--content",
        copy.to_str().unwrap(),
        "messages/rsa-detached.p7s",
    ]);
    let r = &json_lines(&out.stdout)[0];
    assert_eq!(r["verdict"], "invalid");
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "content-digest-mismatch")
        .unwrap();
    let m = f["message"].as_str().unwrap();
    assert!(
        m.contains("the signed digest is that of the content with LF line ends (423 bytes)"),
        "{m}"
    );
    // A changed byte is named as such.
    let mut changed = std::fs::read(fixtures().join("content/content.txt")).unwrap();
    changed[5] ^= 1;
    std::fs::write(&copy, changed).unwrap();
    let out = run(&[
        "inspect",
        "--json",
        "--content",
        copy.to_str().unwrap(),
        "messages/rsa-detached.p7s",
    ]);
    let r = &json_lines(&out.stdout)[0];
    let m = r["findings"].to_string();
    assert!(m.contains("the content was changed after signing"), "{m}");
}

/// A profile whose rules could not be checked (the SSM message's encrypted content was not
/// opened, no error found) says so, instead of "does not conform" beside a warning verdict.
#[test]
fn an_unchecked_profile_is_not_called_non_conforming() {
    let o = run(&[
        "inspect",
        "--trust",
        "pki/root-ca.pem",
        "--cert",
        "pki/inter-ca.pem",
        "profiles/ssm/receipt-missing.stomp",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("WARNING"), "{text}");
    assert!(
        text.contains("profile    ssm: not checked (the content was not opened)"),
        "{text}"
    );
}
