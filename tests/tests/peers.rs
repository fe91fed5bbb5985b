//! Other implementations' own test messages (tests/fixtures/peers, MANIFEST.tsv says where each
//! came from; EXPECT.tsv, made from it by tools/expect.py, what each producer's test expects
//! and what to give sealscope). Every message is inspected with the producer's trust anchors,
//! keys and verification time, and these must hold:
//!
//! - a message whose producer's test says the signature is bad (or the content changed, or the
//!   encapsulated content differs, or the chain is invalid) is never `valid` or `warning`;
//! - a signature the producer's test calls good is `valid`, and trusted with its test CA;
//! - every signature names its signer (subject, issuer and serial, or the SignerInfo's
//!   identifier when no certificate is at hand);
//! - a message the producer decrypts is decrypted, one it refuses is not;
//! - an AuthenticatedData MAC the producer checked verifies, an altered one is `invalid`;
//! - every key file given is used or refused with an error;
//! - nothing panics, and only the messages listed in [`UNREADABLE`] are `unreadable`.
//!
//! Where sealscope's answer differs from the producer's or OpenSSL's, docs/interop.md says
//! which is right and why; the exceptions below carry the same reasons.

use sealscope_core::report::{ChainStatus, Report, SignatureStatus, Verdict};
use sealscope_core::{Keyring, Options, UnixTime};
use sealscope_tests::{read, AT};

/// A row of EXPECT.tsv.
struct Case {
    file: String,
    expected: String,
    trust: Vec<String>,
    keys: Vec<(String, String)>,
    content: Option<String>,
    at: Option<String>,
    kek: Option<String>,
    password: Option<String>,
}

fn cases() -> Vec<Case> {
    let text = String::from_utf8(read("peers/EXPECT.tsv")).expect("EXPECT.tsv is UTF-8");
    let list = |s: &str| -> Vec<String> {
        s.split(';')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    text.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 8, "EXPECT.tsv row: {line}");
            Case {
                file: f[0].into(),
                expected: f[1].into(),
                trust: list(f[2]),
                keys: list(f[3])
                    .into_iter()
                    .map(|k| match k.split_once('#') {
                        Some((p, pw)) => (p.to_string(), pw.to_string()),
                        None => (k, String::new()),
                    })
                    .collect(),
                content: opt(f[4]),
                at: opt(f[5]),
                kek: opt(f[6]),
                password: opt(f[7]),
            }
        })
        .collect()
}

/// Where sealscope's answer differs from what the producer's test expects, with the reason
/// (the same rows as docs/interop.md). Each must still differ: a fixed one is taken off.
const DIFFERENCES: &[(&str, &str)] = &[
    (
        "kde/smime-cert.mbox",
        "the certs-only body is the text 'asdfasdf…', not base64 of a CMS structure; KMail shows the headers, sealscope reports the MIME layer and why the body cannot be read",
    ),
    (
        "openssl/25-test_pkcs7_data/malformed.pkcs7",
        "a SignedData ContentInfo with its [0] content missing; OpenSSL's test only checks that printing it does not crash, sealscope reports it unreadable with that reason",
    ),
    (
        "openssl/80-test_cms_data/dh-malformed.der",
        "X9.42 Diffie-Hellman keys (RFC 3370 §4.1.1) are not supported: the key file is refused with an error naming it; the message is not decrypted, as the producer expects",
    ),
];

fn at(case: &Case) -> UnixTime {
    match case.at.as_deref() {
        Some(t) if t.starts_with('@') => {
            UnixTime(t[1..].parse::<i64>().expect("unix time in EXPECT.tsv"))
        }
        Some(t) => UnixTime::parse(t).expect("RFC 3339 time in EXPECT.tsv"),
        None => UnixTime::parse(AT).expect("AT"),
    }
}

fn keyring(case: &Case, problems: &mut Vec<String>) -> Keyring {
    let mut k = Keyring::new();
    for t in &case.trust {
        if let Err(e) = k.add_anchors(&read(&format!("peers/{t}")), t) {
            problems.push(format!("{}: trust anchor {t} refused: {e}", case.file));
        }
    }
    for (path, pw) in &case.keys {
        let pw = (!pw.is_empty() && pw != "empty").then_some(pw.as_str());
        match k.add_private_keys(&read(&format!("peers/{path}")), pw, path) {
            Ok(0) => problems.push(format!("{}: key file {path} gave no key", case.file)),
            Ok(_) => {}
            Err(e) => problems.push(format!("{}: key file {path} refused: {e}", case.file)),
        }
    }
    if let Some(kek) = &case.kek {
        let (id, key) = kek.split_once(':').expect("KEKID:KEY");
        k.add_kek(
            &hex::decode(id).expect("hex KEK id"),
            &hex::decode(key).expect("hex KEK"),
        );
    }
    if let Some(p) = &case.password {
        k.add_password(p);
    }
    k
}

fn inspect(case: &Case, problems: &mut Vec<String>) -> Report {
    let keyring = keyring(case, problems);
    let mut opts = Options::new(case.file.clone(), at(case));
    if let Some(c) = &case.content {
        opts.detached_content = Some(read(&format!("peers/{c}")));
    }
    sealscope_core::inspect(&read(&format!("peers/{}", case.file)), &keyring, &opts)
}

/// The expectation of the outermost layer the producer's test judges.
fn outcomes(case: &Case) -> Vec<&str> {
    case.expected.split(';').collect()
}

const BAD: &[&str] = &[
    "signature-bad",
    "mac-bad",
    "digest-mismatch",
    "econtent-mismatch",
    "chain-invalid",
];

#[test]
fn every_peer_message_gets_the_producers_verdict() {
    let cases = cases();
    assert!(cases.len() >= 150, "{} cases", cases.len());
    let mut problems = Vec::new();
    let mut stale = Vec::new();
    let mut table = Vec::new();
    for case in &cases {
        let mut found = Vec::new();
        let r = inspect(case, &mut found);
        check(case, &r, &mut found);
        let decrypted = r.encryption.iter().any(|e| e.decrypted);
        let statuses: Vec<String> = r
            .signatures
            .iter()
            .map(|s| {
                let name = |v: serde_json::Result<String>| {
                    v.unwrap_or_default().trim_matches('"').to_string()
                };
                format!(
                    "{}/{}",
                    name(serde_json::to_string(&s.status)),
                    name(serde_json::to_string(&s.chain.status))
                )
            })
            .collect();
        table.push(format!(
            "{}\t{}\t{:?}\t{}\tdecrypted={}",
            case.file,
            case.expected,
            r.verdict,
            statuses.join(","),
            decrypted
        ));
        let listed = DIFFERENCES.iter().any(|(f, _)| *f == case.file);
        match (found.is_empty(), listed) {
            (true, true) => stale.push(case.file.clone()),
            (false, false) => problems.extend(found),
            _ => {}
        }
    }
    println!("{}", table.join("\n"));
    assert_none(&problems, &stale);
}

/// The producer's expectations for one message, as problems found.
fn check(case: &Case, r: &Report, problems: &mut Vec<String>) {
    {
        let expected = outcomes(case);
        let decrypted = r.encryption.iter().any(|e| e.decrypted);
        if r.verdict == Verdict::Unreadable && case.expected != "parse-error" {
            problems.push(format!(
                "{}: unreadable: {}",
                case.file,
                r.error.as_deref().unwrap_or("")
            ));
        }
        // Never a good verdict where the producer says bad.
        if expected.iter().any(|e| BAD.contains(e))
            && matches!(r.verdict, Verdict::Valid | Verdict::Warning)
        {
            problems.push(format!(
                "{}: producer expects {} but sealscope says {:?}",
                case.file, case.expected, r.verdict
            ));
        }
        // Every signature the producer calls good verifies, and chains to its test CA.
        if expected.contains(&"signature-good") {
            if r.signatures.is_empty() {
                problems.push(format!("{}: no signature found", case.file));
            }
            // Layered expectations judge the innermost signature only (the producer's
            // tests break or ignore outer ones on purpose); a single one judges them all.
            let judged = if expected.len() > 1 {
                r.signatures.len().saturating_sub(1)
            } else {
                0
            };
            for s in &r.signatures[judged.min(r.signatures.len())..] {
                if s.status != SignatureStatus::Valid {
                    problems.push(format!(
                        "{}: good signature reported {:?}: {}",
                        case.file, s.status, s.reason
                    ));
                } else if !case.trust.is_empty() && s.chain.status != ChainStatus::Trusted {
                    problems.push(format!(
                        "{}: good signature not trusted with the producer's CA: {:?}: {}",
                        case.file, s.chain.status, s.chain.reason
                    ));
                }
            }
        }
        // Thunderbird: a signature over encrypted content (encrypt, then sign) is not good.
        if case.file.contains(".env.sig.")
            && !case.file.contains(".dave.")
            && expected.contains(&"signature-not-good")
            && !r.findings.iter().any(|f| f.code == "encrypt-before-sign")
        {
            problems.push(format!(
                "{}: a signature over ciphertext, but no encrypt-before-sign warning",
                case.file
            ));
        }
        // Thunderbird: a Date header far from signingTime makes the signature not good.
        if expected.contains(&"date-mismatch")
            && (r.verdict == Verdict::Valid
                || !r
                    .findings
                    .iter()
                    .any(|f| f.code == "signing-time-differs-from-date"))
        {
            problems.push(format!(
                "{}: the Date header is far from signingTime, but no warning says so",
                case.file
            ));
        }
        if expected.contains(&"decrypts") && !decrypted {
            problems.push(format!(
                "{}: the producer decrypts it, sealscope does not: {}",
                case.file,
                r.encryption
                    .iter()
                    .map(|e| e.reason.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        // An AuthenticatedData whose producer checked its MAC: the MAC verifies with the
        // key, KEK or password the producer's test gives.
        if expected.contains(&"mac-good")
            && !r
                .encryption
                .iter()
                .any(|e| e.kind == "authenticated-data" && e.mac_verified == Some(true))
        {
            problems.push(format!(
                "{}: the producer's MAC holds, sealscope does not verify it: {}",
                case.file,
                r.encryption
                    .iter()
                    .map(|e| e.reason.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        if expected.contains(&"not-decryptable") && decrypted {
            problems.push(format!(
                "{}: the producer refuses it, sealscope decrypts it",
                case.file
            ));
        }
        // The signer is never lost.
        for s in &r.signatures {
            if s.signer.is_none() && s.sid.as_deref().unwrap_or("").is_empty() {
                problems.push(format!(
                    "{}: SignerInfo #{} reported without its signer: {}",
                    case.file, s.signer_info, s.reason
                ));
            }
        }
    }
}

/// Key files that other producers' tests load, and that sealscope does not, with the reason
/// (docs/interop.md). Each must still fail: a fixed one is taken off.
const KEY_DIFFERENCES: &[(&str, &str)] = &[
    ("gnutls/p12/cert-ca.p12", "a DSA private key: DSA only signs, and --key takes keys that decrypt; refused naming the algorithm"),
    ("oscrypto/test-dsa.p12", "a DSA private key: DSA only signs, and --key takes keys that decrypt; refused naming the algorithm"),
    ("gnutls/p12/gost01.p12", "GOST R 34.11 MAC and GOST keys are not supported; refused naming the MAC digest"),
    ("gnutls/p12/gost12.p12", "GOST R 34.11-2012 MAC and GOST keys are not supported; refused naming the MAC digest"),
    ("gnutls/p12/gost12-2.p12", "GOST R 34.11-2012 MAC and GOST keys are not supported; refused naming the MAC digest"),
    ("gnutls/p12/key-corpus-rc2-1.p12", "PBES2 with RC2-CBC as the encryption scheme is not supported (PBES2 with AES or DES-EDE3 is); refused naming it"),
    ("gpgsm/32100C27173EF6E9C4E9A25D3D69F86D37A4F939.key", "a gpg-agent (libgcrypt S-expression) key file, not PKCS#8/PKCS#1/SEC1/PKCS#12; the corpus carries its PKCS#8 conversion, which loads"),
    ("kde/1AA8BA52430E51AE249AF0DA97D59F869E4101A8.key", "a gpg-agent (libgcrypt S-expression) key file, not PKCS#8/PKCS#1/SEC1/PKCS#12; the corpus carries its PKCS#8 conversion, which loads"),
    ("openssl/80-test_cms_data/dh-key.pem", "X9.42 Diffie-Hellman keys are not supported; refused naming the algorithm"),
    ("openssl/v3-certs-RC2.p12", "certificates only, one with a UTCTime that is not DER; --key reports the certificate it cannot read"),
    ("openssl/v3-certs-TDES.p12", "certificates only, one with a UTCTime that is not DER; --key reports the certificate it cannot read"),
    ("pyca/pkcs12/java-truststore.p12", "a trust store: certificates only, no key; pyca's test loads its certificates, --key says there is no private key"),
];

#[test]
fn every_peer_key_file_loads_or_is_refused_with_a_reason() {
    let text = String::from_utf8(read("peers/KEYS.tsv")).expect("KEYS.tsv is UTF-8");
    let mut problems = Vec::new();
    let mut stale = Vec::new();
    let (mut loaded, mut refused) = (0, 0);
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (file, expected, password) = (f[0], f[1], f.get(2).copied().unwrap_or("-"));
        let password = (password != "-").then_some(password);
        let mut k = Keyring::new();
        let outcome = k.add_private_keys(&read(&format!("peers/{file}")), password, file);
        let problem = match (&outcome, expected) {
            (Ok(n), "key-loads") if *n > 0 => None,
            (Err(e), "key-loads") => Some(format!("{file}: refused: {e}")),
            (Ok(_), "parse-error") => Some(format!("{file}: loaded, producer refuses it")),
            // Certificates only: `--key` must say there is no private key.
            (Err(e), "loads" | "certs-load") if !e.to_string().contains("no private key") => Some(
                format!("{file}: refused for another reason than no key: {e}"),
            ),
            (Ok(0), _) => Some(format!("{file}: no key and no error")),
            _ => None,
        };
        match &outcome {
            Ok(_) => loaded += 1,
            Err(e) => {
                refused += 1;
                // One line, naming the file.
                let msg = e.to_string();
                if msg.contains('\n') || !msg.contains(file) {
                    problems.push(format!(
                        "{file}: error is not one line naming the file: {msg}"
                    ));
                }
            }
        }
        let listed = KEY_DIFFERENCES.iter().any(|(f, _)| *f == file);
        match (problem, listed) {
            (Some(p), false) => problems.push(p),
            (None, true) => stale.push(file.to_string()),
            _ => {}
        }
    }
    println!("peer key files: {loaded} loaded, {refused} refused");
    assert_none(&problems, &stale);
}

/// Fails with every problem found, and every listed difference that no longer happens.
fn assert_none(problems: &[String], stale: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed differences that no longer happen:\n{}",
        stale.join("\n")
    );
}

/// A ContentInfo of type id-data (RFC 5652 §4; here the certificate bag content of RustCrypto
/// cms's example.pfx) is read: its OCTET STRING becomes the content, not a layer left unopened.
#[test]
fn id_data_content_info_is_read_as_content() {
    let r = sealscope_core::inspect(
        &read("peers/rustcrypto-cms/certData.bin"),
        &Keyring::new(),
        &Options::new("certData.bin", UnixTime::parse(AT).expect("AT")),
    );
    let kinds: Vec<String> = r.layers.iter().map(|l| l.kind.to_string()).collect();
    assert_eq!(kinds, ["cms-data", "content"]);
    assert!(!r.has_finding("layer-not-opened"));
    assert_eq!(r.content.expect("content").size, 781);
}

/// Detached content held by the test and handed over on demand, as the command line hands
/// over a content file too large to hold.
#[derive(Debug)]
struct Streamed(Vec<u8>);

impl sealscope_core::inspect::StreamedContent for Streamed {
    fn len(&self) -> u64 {
        self.0.len() as u64
    }
    fn digest(&self, d: sealscope_core::crypto::algorithms::Digest) -> Result<Vec<u8>, String> {
        Ok(d.hash(&self.0))
    }
    fn bytes(&self, _limit: usize) -> Option<Vec<u8>> {
        // As for content larger than what is read back: only digests are available.
        None
    }
}

#[test]
fn peer_detached_content_streamed_gets_the_same_verdicts() {
    let mut compared = 0;
    for case in cases().iter().filter(|c| c.content.is_some()) {
        let mut problems = Vec::new();
        let held = inspect(case, &mut problems);
        let keyring = keyring(case, &mut problems);
        let mut opts = Options::new(case.file.clone(), at(case));
        let content = read(&format!("peers/{}", case.content.as_deref().unwrap_or("")));
        opts.detached_stream = Some(std::sync::Arc::new(Streamed(content)));
        let streamed =
            sealscope_core::inspect(&read(&format!("peers/{}", case.file)), &keyring, &opts);
        let statuses = |r: &Report| -> Vec<SignatureStatus> {
            r.signatures.iter().map(|s| s.status).collect()
        };
        assert_eq!(held.verdict, streamed.verdict, "{}", case.file);
        assert_eq!(statuses(&held), statuses(&streamed), "{}", case.file);
        compared += 1;
    }
    // The BouncyCastle and pyca detached peers with content files.
    assert!(compared >= 5, "{compared} detached peer messages");
    eprintln!("{compared} detached peer messages: same verdicts streamed");
}
