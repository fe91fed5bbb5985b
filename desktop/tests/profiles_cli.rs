//! Profiles from the command line: SSM dirq batches with an allow-list, SCMP duplicates
//! across a batch, and `compose --profile` making messages that pass their own profile.

mod common;

use common::{fixtures, json_lines, run, run_ok, tmp, SIGNER};
use std::process::Output;

fn reports(o: &Output) -> Vec<serde_json::Value> {
    json_lines(&o.stdout)
}

fn profile(r: &serde_json::Value) -> &serde_json::Value {
    &r["profiles"][0]
}

fn detail<'a>(r: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    profile(r)["details"]
        .as_array()?
        .iter()
        .find(|d| d[0] == name)
        .and_then(|d| d[1].as_str())
}

fn codes(r: &serde_json::Value) -> Vec<String> {
    profile(r)["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn ssm_dirq_queues_as_a_batch() {
    let o = run(&[
        "inspect",
        "--json",
        "--at",
        "2027-01-01T00:00:00Z",
        "--allow-dn",
        "profiles/ssm/allowed-dns.txt",
        "profiles/ssm/dirq/incoming",
        "profiles/ssm/dirq/outgoing",
    ]);
    let reports = reports(&o);
    let expected = String::from_utf8(
        std::fs::read(fixtures().join("profiles/ssm/dirq/EXPECTED.tsv")).unwrap(),
    )
    .unwrap();
    let rows: Vec<Vec<&str>> = expected
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(
        reports.len(),
        rows.len(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut not_allowed = 0;
    for row in &rows {
        let (queue, element, sha, signer) = (row[0], row[1], row[2], row[3]);
        let r = reports
            .iter()
            .find(|r| detail(r, "element") == Some(element) && detail(r, "queue") == Some(queue))
            .unwrap_or_else(|| panic!("no report for {queue} {element}"));
        assert_eq!(profile(r)["name"], "ssm");
        assert_eq!(detail(r, "message_kind"), Some("stored"));
        assert_eq!(r["content"]["sha256"], sha, "{element}");
        if signer != "-" {
            assert_eq!(detail(r, "sender_dn"), Some(signer));
        }
        let c = codes(r);
        assert!(c.contains(&"ssm-stored-message".to_string()), "{c:?}");
        if c.contains(&"ssm-sender-not-allowed".to_string()) {
            not_allowed += 1;
            assert!(signer.contains("Mallory"), "{signer}");
            assert_eq!(r["verdict"], "invalid");
        } else {
            assert_ne!(r["verdict"], "invalid", "{element}: {c:?}");
        }
        assert!(detail(r, "apel_message_type").is_some_and(|t| t.starts_with("APEL-")));
    }
    assert_eq!(not_allowed, 1);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn scmp_duplicates_across_a_batch() {
    let o = run(&[
        "inspect",
        "--json",
        "--at",
        "2027-01-01T00:00:00Z",
        "--trust",
        "pki/root-ca.pem",
        "--key",
        "pki/recip-rsa.key",
        "profiles/scmp/duplicates",
    ]);
    let reports = reports(&o);
    assert_eq!(reports.len(), 2);
    assert_eq!(codes(&reports[0]), Vec::<String>::new());
    assert_eq!(reports[0]["verdict"], "valid");
    assert_eq!(codes(&reports[1]), ["scmp-duplicate-request"]);
    assert_eq!(reports[1]["verdict"], "invalid");
    assert_eq!(
        detail(&reports[0], "request_id"),
        detail(&reports[1], "request_id")
    );
    assert_eq!(o.status.code(), Some(1));
}

fn compose_then_inspect(compose: &[&str], inspect: &[&str], name: &str) -> serde_json::Value {
    let dir = tmp(&format!("compose-{name}"));
    let out = dir.join(name);
    let out_s = out.to_str().unwrap();
    let mut args = vec!["compose", "--out", out_s];
    args.extend_from_slice(compose);
    run_ok(&args);
    let mut args = vec![
        "inspect",
        "--json",
        "--trust",
        "pki/root-ca.pem",
        "--key",
        "pki/recip-rsa.key",
    ];
    args.extend_from_slice(inspect);
    args.push(out_s);
    let o = run(&args);
    let r = reports(&o).remove(0);
    let _ = std::fs::remove_dir_all(&dir);
    r
}

#[test]
fn composed_profile_messages_conform() {
    let mut emi = SIGNER.to_vec();
    emi.extend([
        "--profile",
        "emi",
        "--recipient",
        "pki/recip-rsa.pem",
        "--outform",
        "stomp",
        "content/content.txt",
    ]);
    let r = compose_then_inspect(&emi, &[], "emi.stomp");
    assert_eq!(profile(&r)["name"], "emi");
    assert_eq!(codes(&r), Vec::<String>::new(), "{r:#}");
    assert_eq!(r["verdict"], "valid");

    let mut ssm = SIGNER.to_vec();
    ssm.extend([
        "--profile",
        "ssm",
        "--recipient",
        "pki/recip-rsa.pem",
        "--outform",
        "stomp",
        "profiles/ssm/record.txt",
    ]);
    let r = compose_then_inspect(
        &ssm,
        &["--allow-dn", "profiles/ssm/allowed-dns.txt"],
        "ssm.stomp",
    );
    assert_eq!(profile(&r)["name"], "ssm");
    assert_eq!(codes(&r), Vec::<String>::new(), "{r:#}");
    assert_eq!(r["encryption"][0]["content_algorithm"], "aes-128-cbc");
    assert_eq!(r["verdict"], "valid");
    assert!(detail(&r, "sender_dn").is_some_and(|d| d.contains("/CN=Alice RSA")));

    let mut bitrepo = SIGNER.to_vec();
    bitrepo.extend(["--profile", "bitrepo", "profiles/bitrepo/message.xml"]);
    let r = compose_then_inspect(
        &bitrepo,
        &["--cert", "pki/signer-rsa.pem", "--cert", "pki/chain.pem"],
        "bitrepo.stomp",
    );
    assert_eq!(profile(&r)["name"], "bitrepo");
    assert_eq!(codes(&r), Vec::<String>::new(), "{r:#}");
    assert_eq!(r["signatures"][0]["digest_algorithm"], "sha512");
    assert_eq!(r["verdict"], "valid");

    let mut scmp = SIGNER.to_vec();
    scmp.extend([
        "--profile",
        "scmp",
        "--recipient",
        "pki/recip-rsa.pem",
        "--outform",
        "http",
        "profiles/scmp/request.xml",
    ]);
    let r = compose_then_inspect(&scmp, &[], "scmp.http");
    assert_eq!(profile(&r)["name"], "scmp");
    assert_eq!(codes(&r), Vec::<String>::new(), "{r:#}");
    let id = detail(&r, "request_id").unwrap();
    assert_eq!(id.len(), 22);
    assert_eq!(detail(&r, "message_kind"), Some("request"));
    assert_eq!(r["verdict"], "valid");

    let mut err = SIGNER.to_vec();
    err.extend([
        "--profile",
        "scmp-error",
        "--request-id",
        "0123456789012345678901",
        "--error",
        "105 duplicate scmp-request-id",
        "--outform",
        "http",
    ]);
    let r = compose_then_inspect(&err, &[], "error.http");
    assert_eq!(codes(&r), Vec::<String>::new(), "{r:#}");
    assert_eq!(detail(&r, "message_kind"), Some("error"));
    assert_eq!(detail(&r, "error_number"), Some("105"));
    assert_eq!(detail(&r, "request_id"), Some("0123456789012345678901"));
    assert!(r["encryption"].as_array().unwrap().is_empty());
}

#[test]
fn compose_refuses_what_a_profile_forbids() {
    let mut err = SIGNER.to_vec();
    err.extend([
        "--profile",
        "scmp-error",
        "--request-id",
        "0123456789012345678901",
        "--error",
        "105 x",
        "--recipient",
        "pki/recip-rsa.pem",
    ]);
    let mut args = vec!["compose"];
    args.extend_from_slice(&err);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("NOT encrypted"));
    let o = run(&["compose", "--profile", "emi", "content/content.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("signed"));
    let mut b = SIGNER.to_vec();
    b.extend([
        "--profile",
        "bitrepo",
        "--digest",
        "sha256",
        "profiles/bitrepo/message.xml",
    ]);
    let mut args = vec!["compose"];
    args.extend_from_slice(&b);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("SHA-512"));
}

/// SSM signs as `openssl smime -sign -text`: the signed part is the record under a plain
/// `Content-Type: text/plain` header, which `openssl smime -verify -text` takes off again.
#[test]
fn ssm_template_signs_as_openssl_smime_text() {
    let dir = tmp("ssm-text");
    let out = dir.join("ssm.eml");
    let mut args = vec!["compose"];
    args.extend(SIGNER);
    let out_s = out.to_str().unwrap().to_string();
    args.extend([
        "--profile",
        "ssm",
        "--out",
        &out_s,
        "profiles/ssm/record.txt",
    ]);
    run_ok(&args);
    let msg = std::fs::read(&out).unwrap();
    let record = std::fs::read(fixtures().join("profiles/ssm/record.txt")).unwrap();
    let mut signed_part = b"\r\nContent-Type: text/plain\r\n\r\n".to_vec();
    signed_part.extend(
        String::from_utf8(record.clone())
            .unwrap()
            .replace('\n', "\r\n")
            .as_bytes(),
    );
    assert!(
        msg.windows(signed_part.len())
            .any(|w| w == signed_part.as_slice()),
        "{}",
        String::from_utf8_lossy(&msg)
    );
    // The OpenSSL CLI, as SSM's receiver runs it, gives the record back.
    if let Ok(o) = std::process::Command::new("openssl")
        .args(["smime", "-verify", "-noverify", "-text", "-in", &out_s])
        .output()
    {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            String::from_utf8_lossy(&o.stdout).replace("\r\n", "\n"),
            String::from_utf8(record).unwrap()
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
