//! The TypeScript declarations of the report are generated from the core's Rust types.
//! This test regenerates them and fails when the committed file is stale
//! (`SEALSCOPE_UPDATE_TYPES=1 cargo test -p sealscope-wasm --test typescript` rewrites it).

use sealscope_core::report::*;
use ts_rs::TS;

fn generated() -> String {
    let decls = [
        Verdict::decl(),
        Severity::decl(),
        Finding::decl(),
        InputInfo::decl(),
        Layer::decl(),
        LayerContentType::decl(),
        Node::decl(),
        CertSummary::decl(),
        SignatureStatus::decl(),
        ChainStatus::decl(),
        CertStatus::decl(),
        ChainCert::decl(),
        Chain::decl(),
        SignatureReport::decl(),
        Content::decl(),
        RecipientReport::decl(),
        EncryptionReport::decl(),
        KeyCertificate::decl(),
        KeyReport::decl(),
        ProfileReport::decl(),
        FailureKind::decl(),
        Failure::decl(),
        headline::ActionKind::decl(),
        headline::Action::decl(),
        headline::Headline::decl(),
        Report::decl(),
    ];
    let mut out = String::from(
        "// Generated from sealscope-core's report types by wasm/tests/typescript.rs: do not edit.\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}

#[test]
fn report_declarations_are_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/types/report.d.ts");
    let want = generated();
    if std::env::var_os("SEALSCOPE_UPDATE_TYPES").is_some() {
        std::fs::write(path, &want).expect("write types/report.d.ts");
    }
    let have = std::fs::read_to_string(path).expect("read types/report.d.ts");
    assert_eq!(
        have, want,
        "wasm/types/report.d.ts is stale: run SEALSCOPE_UPDATE_TYPES=1 cargo test -p sealscope-wasm --test typescript"
    );
    // Every report type is declared once.
    for name in [
        "Report",
        "SignatureReport",
        "Chain",
        "CertSummary",
        "Finding",
        "Verdict",
    ] {
        assert_eq!(
            have.matches(&format!("type {name} ")).count(),
            1,
            "{name} declared once"
        );
    }
}
