//! The window driven headlessly with egui_kittest: open fixtures, read what is shown, select
//! layers, add keys (with a password typed into the masked field), step through messages.

use super::app::{LeftTab, SealscopeApp};
use super::jobs::Source;
use super::model::{ItemStatus, MaterialKind, Persisted};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use sealscope_core::UnixTime;
use std::path::PathBuf;

fn fx(p: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures")).join(p)
}

fn clock() -> UnixTime {
    UnixTime::parse("2027-01-01T00:00:00Z").unwrap()
}

fn harness(app: SealscopeApp) -> Harness<'static, SealscopeApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 4000.0))
        .build_ui_state(|ui, app: &mut SealscopeApp| app.draw(ui), app);
    h.run_steps(2);
    h
}

fn open(h: &mut Harness<'static, SealscopeApp>, files: &[&str]) {
    let sources = files.iter().map(|f| Source::Path(fx(f))).collect();
    h.state_mut().open(sources, None);
    h.state_mut().wait_job();
    h.run_steps(3);
}

#[test]
fn a_signed_message_shows_verdict_signer_and_chain() {
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.add_keyring(vec![fx("pki/root-ca.pem")], MaterialKind::Trust);
    let mut h = harness(app);
    open(&mut h, &["messages/rsa-sha256.eml"]);
    assert_eq!(h.state().messages.len(), 1);
    assert_eq!(h.state().window_title(), "Sealscope — rsa-sha256.eml");
    h.get_by_label_contains("VALID      rsa-sha256.eml");
    h.get_by_label(
        "emailAddress=alice@sealscope.test,CN=Alice RSA,OU=Signers,O=Sealscope Test,C=GB",
    );
    h.get_by_label(
        "/C=GB/O=Sealscope Test/OU=Signers/CN=Alice RSA/emailAddress=alice@sealscope.test",
    );
    h.get_by_label("trusted");
    // Validity in words, relative to the verification time.
    h.get_by_label_contains("valid, expires in 8 years");
}

#[test]
fn selecting_a_layer_shows_its_fields_and_bytes() {
    let mut h = harness(SealscopeApp::new(None, Vec::new(), clock));
    open(&mut h, &["messages/rsa-sha256.eml"]);
    assert_eq!(h.state().selected_layer, 0);
    h.get_by_label_contains("cms-signed-data  CMS SignedData")
        .click();
    h.run_steps(2);
    let layer = h.state().selected_layer;
    let m = h.state().current().unwrap();
    assert_eq!(m.report.layers[layer].kind.as_str(), "cms-signed-data");
    let [start, end] = m.report.layers[layer].range;
    h.get_by_label_contains(&format!("bytes {start}..{end} of"));
    // Headers and bytes are folded until asked for.
    assert!(h
        .query_by_label_contains(&format!("{:08x}  ", (start / 16) * 16))
        .is_none());
    h.get_by_label_contains("Bytes (hex): ").click();
    h.run_steps(2);
    // The hex dump starts at the row holding the layer's first byte.
    h.get_by_label_contains(&format!("{:08x}  ", (start / 16) * 16));
}

#[test]
fn a_key_decrypts_and_the_content_is_shown() {
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.add_keyring(vec![fx("pki/recip-rsa.key")], MaterialKind::Key);
    let mut h = harness(app);
    open(&mut h, &["encrypted/ktri-aes128-cbc.eml"]);
    let m = h.state().current().unwrap();
    assert!(m.report.encryption[0].decrypted);
    h.get_by_label("decrypted");
    let text = m.report.content.as_ref().unwrap().text.clone().unwrap();
    h.get_by_label_contains(text.lines().next().unwrap());
}

#[test]
fn a_pkcs12_password_is_asked_in_a_masked_field_and_never_saved() {
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.add_keyring(vec![fx("pki/recip-rsa.p12")], MaterialKind::Key);
    assert_eq!(app.tab, LeftTab::Keyring);
    assert_eq!(app.keyring_status, [ItemStatus::NeedsPassword]);
    let mut h = harness(app);
    h.get_by_label_contains("Password for");
    let field = h.get_by_role(egui::accesskit::Role::PasswordInput);
    field.focus();
    field.type_text("sealscope");
    h.run_steps(2);
    h.get_by_label("Open key").click();
    h.run_steps(2);
    assert_eq!(h.state().keyring_status, [ItemStatus::Loaded]);
    let saved = serde_json::to_string(&h.state().persisted()).unwrap();
    assert!(saved.contains("recip-rsa.p12"));
    assert!(!saved.contains("sealscope\""), "no password in {saved}");
    // The list survives a restart; the password does not.
    let restored: Persisted = serde_json::from_str(&saved).unwrap();
    let again = SealscopeApp::new(Some(restored), Vec::new(), clock);
    assert_eq!(again.keyring_status, [ItemStatus::NeedsPassword]);
}

#[test]
fn directories_open_in_the_background_and_shortcuts_step_through() {
    let mut h = harness(SealscopeApp::new(None, Vec::new(), clock));
    open(&mut h, &["profiles/emi"]);
    let n = h.state().messages.len();
    assert!(n >= 10, "{n} messages");
    assert_eq!(h.state().selected, Some(0));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(h.state().selected, Some(1));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::ArrowUp);
    h.run_steps(2);
    assert_eq!(h.state().selected, Some(0));
}

#[test]
fn pasted_base64_is_inspected() {
    let mut h = harness(SealscopeApp::new(None, Vec::new(), clock));
    let b64 = std::fs::read_to_string(fx("messages/rsa-opaque.b64")).unwrap();
    h.get_by_label("Paste…").click();
    h.run_steps(2);
    h.state_mut().paste = b64;
    h.get_by_label("Inspect pasted text").click_accesskit();
    h.run_steps(2);
    h.state_mut().wait_job();
    h.run_steps(2);
    let status = h.state().status.clone();
    let m = h.state().current().expect(&status);
    assert_eq!(m.name, "pasted-1");
    assert_eq!(m.report.layers[0].kind.as_str(), "base64");
    assert_eq!(m.report.signatures.len(), 1);
}

#[test]
fn findings_show_codes_and_citations() {
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.profile = "emi".into();
    let mut h = harness(app);
    open(&mut h, &["profiles/emi/not-signed.eml"]);
    h.get_by_label("INVALID    not-signed.eml");
    h.get_by_label("not-signed");
    let m = h.state().current().unwrap();
    let cited = m.report.profiles[0].findings[0].reference.clone();
    assert!(!cited.is_empty());
    h.get_by_label_contains(&cited);
}

fn composed_ssm(app: &mut SealscopeApp) {
    app.compose.template = "ssm".into();
    app.compose.payload = "APEL-summary-job-message: v0.2\nSite: TEST-SITE\n%%\n".into();
    app.compose.signer = fx("pki/signer-rsa.pem").display().to_string();
    app.compose.signer_key = fx("pki/signer-rsa.key").display().to_string();
    app.compose.chain = fx("pki/inter-ca.pem").display().to_string();
}

#[test]
fn compose_then_preview_inspects_the_result() {
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.add_keyring(vec![fx("pki/root-ca.pem")], MaterialKind::Trust);
    app.tab = LeftTab::Compose;
    composed_ssm(&mut app);
    let mut h = harness(app);
    h.get_by_label("Preview").click_accesskit();
    h.run_steps(2);
    h.state_mut().wait_job();
    h.run_steps(2);
    let status = h.state().compose_result.clone();
    let m = h.state().current().expect(&status);
    assert_eq!(m.name, "composed-1");
    assert_eq!(
        m.report.verdict,
        sealscope_core::Verdict::Valid,
        "{}",
        m.report.to_json()
    );
    let text = m
        .report
        .content
        .as_ref()
        .and_then(|c| c.text.clone())
        .unwrap_or_default();
    assert!(text.contains("APEL-summary-job-message"), "{text}");
    assert!(h.state().preview.is_some());
    h.get_by_label_contains("composed ");
    // The form is in the main area, right of the message list, with room to spare.
    let preview = h.get_by_label("Preview");
    assert!(preview.rect().min.x > 300.0, "{:?}", preview.rect());
    // A wrong option is one line in the panel, not a crash.
    h.state_mut().compose.cipher = "rot13".into();
    h.get_by_label("Preview").click_accesskit();
    h.run_steps(2);
    assert!(
        h.state().compose_result.contains("rot13"),
        "{}",
        h.state().compose_result
    );
}

#[test]
fn send_and_listen_through_the_real_broker() {
    let Ok(url) = std::env::var("STOMP_URL") else {
        assert!(
            std::env::var("SEALSCOPE_REQUIRE_BROKER").as_deref() != Ok("1"),
            "SEALSCOPE_REQUIRE_BROKER=1 but STOMP_URL is not set: start scripts/broker/start.sh"
        );
        eprintln!("skipped: no STOMP broker (set STOMP_URL, as scripts/test.sh does)");
        return;
    };
    let login = std::env::var("STOMP_LOGIN").unwrap_or_default();
    let passcode = std::env::var("STOMP_PASSCODE").unwrap_or_default();
    let queue = format!(
        "{}/queue/sealscope.gui.{}",
        url.trim_end_matches('/'),
        std::process::id()
    );
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.add_keyring(vec![fx("pki/root-ca.pem")], MaterialKind::Trust);
    app.listen.url = queue.clone();
    app.listen.login = login.clone();
    app.listen.passcode = passcode.clone();
    app.start_listening();
    assert!(app.listener.is_some(), "{}", app.status);

    composed_ssm(&mut app);
    app.compose.target = queue.clone();
    app.compose.login = login;
    app.compose.passcode = passcode;
    app.preview_compose(None);
    app.wait_job();
    app.send_preview();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(40);
    let received = loop {
        app.poll_sender(None);
        app.poll_listener(None);
        app.wait_job();
        let from_listener = app
            .messages
            .iter()
            .find(|m| m.origin == super::model::Origin::Received && m.name != "receipt-1");
        let receipt = app.messages.iter().any(|m| m.name == "receipt-1");
        if let (Some(m), true) = (from_listener, receipt) {
            break m.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "nothing received on {queue}: {} / {}",
            app.compose_result,
            app.status
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert!(
        app.compose_result.contains("RECEIPT"),
        "{}",
        app.compose_result
    );
    assert_eq!(app.targets, [queue]);
    assert_eq!(received.report.verdict, sealscope_core::Verdict::Valid);
    let signer = received.report.signatures[0].signer.as_ref().unwrap();
    assert!(
        signer.subject.contains("CN=Alice RSA"),
        "{}",
        signer.subject
    );
    app.stop_listening();
    assert!(app.listener.is_none());
}

#[test]
fn the_asn1_outline_selects_an_element_and_the_hex_view_follows() {
    let mut h = harness(SealscopeApp::new(None, Vec::new(), clock));
    open(&mut h, &["messages/rsa-opaque.der"]);
    // Layer 0 is the ContentInfo; its outline names the signedData content type.
    h.get_by_label_contains("ASN.1 (").click();
    h.run_steps(2);
    h.get_by_label_contains("OBJECT IDENTIFIER (9 bytes) 1.2.840.113549.1.7.2")
        .click();
    h.run_steps(2);
    let element = h.state().selected_element.expect("an element is selected");
    assert_eq!(element[1] - element[0], 11, "the OID's whole TLV");
    h.get_by_label_contains("Bytes (hex): 11 bytes").click();
    h.run_steps(2);
    h.get_by_label_contains(&format!("{:08x}  ", (element[0] / 16) * 16));
    // Choosing another message clears it.
    h.state_mut().select(0);
    assert_eq!(h.state().selected_element, None);
}

#[test]
fn an_archive_opens_as_its_members() {
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.add_keyring(vec![fx("pki/root-ca.pem")], MaterialKind::Trust);
    app.open(vec![Source::Path(fx("archives/messages.zip"))], None);
    app.wait_job();
    let got: Vec<(String, &str)> = app
        .messages
        .iter()
        .map(|m| (m.name.clone(), m.report.verdict.as_str()))
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].0.ends_with("rsa-sha256.eml"), "{got:?}");
    assert_eq!(got[0].1, "valid");
    assert_eq!(got[1].1, "invalid");
    assert!(got[1].0.ends_with("rsa-expired.eml"), "{got:?}");
}

#[test]
fn a_long_job_can_be_cancelled() {
    let dir = std::env::temp_dir().join(format!("sealscope-gui-cancel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let msg = std::fs::read(fx("messages/bench-rsa-4k.eml")).unwrap();
    for i in 0..2000 {
        std::fs::write(dir.join(format!("{i:05}.eml")), &msg).unwrap();
    }
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.open(vec![Source::Path(dir.clone())], None);
    // Let some messages through, then cancel.
    let t = std::time::Instant::now();
    while app.messages.len() < 5 && t.elapsed() < std::time::Duration::from_secs(60) {
        app.poll_job();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    app.job.as_ref().expect("still running").cancel();
    app.wait_job();
    let n = app.messages.len();
    assert!((5..2000).contains(&n), "{n} messages after cancelling");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn listening_over_http_in_process_answers_lists_and_stops() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/inbox");
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.add_keyring(vec![fx("pki/root-ca.pem")], MaterialKind::Trust);
    app.add_keyring(vec![fx("pki/recip-rsa.key")], MaterialKind::Key);
    app.listen.url = url.clone();
    app.start_listening();
    assert!(app.listener.is_some(), "{}", app.status);
    // The same send action the window's Send button uses, from this thread.
    let request = crate::actions::send::SendRequest {
        url,
        bytes: std::fs::read(fx("profiles/scmp/request.http")).unwrap(),
        ..Default::default()
    };
    let conn = crate::actions::connection::Connection::default();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let sent = loop {
        match crate::actions::send::send(&request, &conn, clock()) {
            Ok(s) => break s,
            Err(e) => {
                assert!(std::time::Instant::now() < deadline, "{e}");
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
    };
    // The peer got the report the listener made, as JSON.
    assert!(sent.refusal().is_none(), "{}", sent.summary);
    let reply = sent.reply.unwrap();
    let body = &reply[reply.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..];
    let report: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(report["verdict"], "valid", "{report:#}");
    // The window lists and inspects the message.
    let received = loop {
        app.poll_listener(None);
        app.wait_job();
        if let Some(m) = app
            .messages
            .iter()
            .find(|m| m.name.starts_with("received-0001"))
        {
            break m.clone();
        }
        assert!(std::time::Instant::now() < deadline, "{}", app.status);
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(received.name, "received-0001.http");
    assert_eq!(received.report.verdict, sealscope_core::Verdict::Valid);
    app.stop_listening();
    assert!(app.listener.is_none());
    // The listening thread has let go of the port within a second or so.
    let free = loop {
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            break true;
        }
        if std::time::Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(free, "port {port} still held after stopping");
}

#[test]
fn a_repeated_scmp_request_is_flagged_across_opens_and_keyring_changes_until_inspected_again() {
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.add_keyring(vec![fx("pki/root-ca.pem")], MaterialKind::Trust);
    app.add_keyring(vec![fx("pki/recip-rsa.key")], MaterialKind::Key);
    app.open(
        vec![Source::Path(fx("profiles/scmp/duplicates/1-request.http"))],
        None,
    );
    app.wait_job();
    // A keyring change in between keeps what the session has seen.
    app.add_keyring(vec![fx("pki/inter-ca.pem")], MaterialKind::Certificate);
    app.open(
        vec![Source::Path(fx("profiles/scmp/duplicates/2-request.http"))],
        None,
    );
    app.wait_job();
    let codes = |m: &super::model::Message| -> Vec<String> {
        m.report
            .profiles
            .iter()
            .flat_map(|p| p.findings.iter().map(|f| f.code.clone()))
            .collect()
    };
    assert_eq!(app.messages.len(), 2);
    assert!(!codes(&app.messages[0]).contains(&"scmp-duplicate-request".to_string()));
    assert!(
        codes(&app.messages[1]).contains(&"scmp-duplicate-request".to_string()),
        "{:?}",
        codes(&app.messages[1])
    );
    assert_eq!(
        app.messages[1].report.verdict,
        sealscope_core::Verdict::Invalid
    );
    // Inspect again starts a new session: the first is no longer a repeat of anything,
    // the second again repeats the first.
    app.reinspect(None);
    app.wait_job();
    assert_eq!(app.messages.len(), 2);
    let repeats = app
        .messages
        .iter()
        .filter(|m| codes(m).contains(&"scmp-duplicate-request".to_string()))
        .count();
    assert_eq!(repeats, 1);
}

#[test]
fn the_report_banner_says_why_and_offers_the_next_step() {
    // No anchor: the banner says why it is only a warning and offers to add one.
    let app = SealscopeApp::new(None, Vec::new(), clock);
    let mut h = harness(app);
    open(&mut h, &["messages/rsa-expired.eml"]);
    h.get_by_label_contains(
        "Warning: SignerInfo #1: no trust anchors were supplied, so nothing says whether to trust the signer. Signed by Old Expired",
    );
    h.get_by_label("Add a trust anchor…");
    // The window speaks of buttons, not of command-line options.
    assert!(h.query_by_label_contains("add --trust").is_none());
    // With the anchor: the expiry decides, and there is nothing to add.
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.add_keyring(vec![fx("pki/root-ca.pem")], MaterialKind::Trust);
    let mut h = harness(app);
    open(&mut h, &["messages/rsa-expired.eml"]);
    h.get_by_label_contains("Invalid: SignerInfo #1: certificate CN=Old Expired");
    assert!(h.query_by_label("Add a trust anchor…").is_none());
}

#[test]
fn a_typed_path_opens_messages_and_adds_keyring_files_without_a_file_dialog() {
    let app = SealscopeApp::new(None, Vec::new(), clock);
    let mut h = harness(app);
    h.state_mut().path_text = fx("messages/rsa-sha256.eml").display().to_string();
    h.get_by_label("Open path").click();
    h.run_steps(2);
    h.state_mut().wait_job();
    h.run_steps(3);
    assert_eq!(h.state().messages.len(), 1);
    // A path that does not exist is named in the status line.
    h.state_mut().path_text = "/nonexistent/x.pem".into();
    h.get_by_label("Open path").click();
    h.run_steps(2);
    assert_eq!(
        h.state().status,
        "/nonexistent/x.pem: no such file or folder"
    );
    // The same field adds keyring files.
    h.state_mut().path_text = fx("pki/root-ca.pem").display().to_string();
    assert!(h.state_mut().typed_path().is_some());
}

#[test]
fn a_keyring_change_inspects_again_and_keeps_the_selection() {
    let app = SealscopeApp::new(None, Vec::new(), clock);
    let mut h = harness(app);
    open(
        &mut h,
        &["messages/rsa-crlf.eml", "messages/rsa-sha256.eml"],
    );
    h.state_mut().select(1);
    h.state_mut().selected_layer = 2;
    assert_eq!(
        h.state().messages[1].report.verdict,
        sealscope_core::Verdict::Warning
    );
    // As the Keyring tab does: add the anchor and ask for the list to be inspected again.
    h.state_mut()
        .add_keyring(vec![fx("pki/root-ca.pem")], MaterialKind::Trust);
    h.state_mut().reinspect_soon = true;
    h.run_steps(2);
    h.state_mut().wait_job();
    h.run_steps(3);
    let app = h.state();
    assert_eq!(app.messages.len(), 2);
    assert!(app
        .messages
        .iter()
        .all(|m| m.report.verdict == sealscope_core::Verdict::Valid));
    assert_eq!(app.selected, Some(1));
    assert_eq!(app.selected_layer, 2);
    // The banner no longer asks for an anchor.
    assert!(h.query_by_label("Add a trust anchor…").is_none());
}

#[test]
fn an_implicit_certificate_shows_its_reconstructed_key_and_permissions() {
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.add_keyring(
        vec![fx("ieee1609/scms-bundle/rca.coer")],
        MaterialKind::Trust,
    );
    app.add_keyring(
        vec![
            fx("ieee1609/scms-bundle/ica.coer"),
            fx("ieee1609/scms-bundle/pca.coer"),
        ],
        MaterialKind::Certificate,
    );
    let mut h = harness(app);
    open(&mut h, &["ieee1609/implicit/rse0-certificate.coer"]);
    h.get_by_label_contains(
        "ieee1609-certificate  IEEE 1609.2 implicit certificate 17d9c58c3ac798e3",
    )
    .click();
    h.run_steps(2);
    let layer = h.state().selected_layer;
    let m = h.state().current().unwrap();
    assert_eq!(m.report.layers[layer].kind.as_str(), "ieee1609-certificate");
    h.get_by_label_contains("Headers and fields (").click();
    h.run_steps(2);
    // The key reconstructed (ECQV) from the PCA's, in the layer's fields and the signer's
    // summary, and the certificate's permissions.
    assert_eq!(
        h.query_all_by_label_contains("0496077cc3bffc3ae73cc60bd7fe6b9d")
            .count(),
        2
    );
    h.get_by_label_contains("reconstructed key");
    h.get_by_label_contains("appPermissions");
}

#[test]
fn a_keyring_file_that_cannot_be_used_says_why_once_in_the_error_colour() {
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    app.add_keyring(vec![fx("messages/rsa-sha256.eml")], MaterialKind::Trust);
    let path = fx("messages/rsa-sha256.eml").display().to_string();
    // The status line names the file once.
    assert_eq!(app.status.matches(&path).count(), 1, "{}", app.status);
    let mut h = harness(app);
    h.state_mut().tab = LeftTab::Keyring;
    h.run_steps(2);
    // The keyring line shows the path, then the reason without it: the path is on screen
    // twice (that line and the status line), not three times.
    h.get_by_label_contains("cannot load certificate: no CERTIFICATE found");
    assert_eq!(h.query_all_by_label_contains(&path).count(), 2);
}

#[test]
fn a_960_px_window_keeps_the_report_in_view_with_a_long_keyring_path() {
    let mut app = SealscopeApp::new(None, Vec::new(), clock);
    // A keyring file in a deep directory: its path is far wider than the panel.
    let deep = std::env::temp_dir()
        .join(format!("sealscope-960-{}", std::process::id()))
        .join(
            "a-rather-long-directory-name-for-a-keyring-file-that-someone-keeps-their-anchors-in",
        );
    std::fs::create_dir_all(&deep).unwrap();
    let root = deep.join("root-ca.pem");
    std::fs::copy(fx("pki/root-ca.pem"), &root).unwrap();
    app.add_keyring(vec![root], MaterialKind::Trust);
    app.tab = LeftTab::Keyring;
    let mut h = Harness::builder()
        .with_size(egui::vec2(960.0, 1600.0))
        .build_ui_state(|ui, app: &mut SealscopeApp| app.draw(ui), app);
    h.run_steps(2);
    open(&mut h, &["messages/tampered-content.eml"]);
    h.state_mut().tab = LeftTab::Keyring;
    h.run_steps(3);
    // The report's heading and banner stay inside the window.
    let heading = h.get_by_label("tampered-content.eml");
    assert!(heading.rect().max.x <= 960.0, "{:?}", heading.rect());
    let banner = h.get_by_label_contains("Invalid: messageDigest");
    assert!(banner.rect().max.x <= 960.0, "{:?}", banner.rect());
    assert!(banner.rect().min.x < 960.0 * 0.45, "{:?}", banner.rect());
}
