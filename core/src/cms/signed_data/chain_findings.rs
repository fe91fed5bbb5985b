//! Findings about a signer's certificate and chain (RFC 5280, RFC 8550 key usage).

use crate::report::findings::{self, finding};
use crate::report::{ChainStatus, Finding, Severity};
use crate::x509::certificate::Cert;
use crate::x509::chain;

pub(super) fn chain_findings(
    result: &chain::ChainResult,
    label: &str,
    layer: usize,
) -> Vec<Finding> {
    let chain = &result.chain;
    let mut out = Vec::new();
    if chain.status == ChainStatus::Trusted {
        return out;
    }
    if !result.anchors_supplied {
        out.push(finding(
            Severity::Warning,
            findings::CHAIN_UNTRUSTED,
            format!(
                "{label}: no trust anchors were supplied, so nothing says whether to trust the signer (add --trust)"
            ),
            "RFC 5280 §6.1",
            Some(layer),
        ));
        if let Some(p) = &result.problem {
            if p.rank() >= 200 {
                out.push(finding(
                    Severity::Warning,
                    p.code(),
                    format!("{label}: {}", chain.reason),
                    p.reference(),
                    Some(layer),
                ));
            }
        }
        return out;
    }
    if let Some(p) = &result.problem {
        // A signature that could not be checked is not a failure; it leaves trust unproven.
        let severity = if matches!(p, chain::Problem::UnsupportedAlgorithm { .. }) {
            Severity::Warning
        } else {
            Severity::Error
        };
        out.push(finding(
            severity,
            p.code(),
            format!("{label}: {}", chain.reason),
            p.reference(),
            Some(layer),
        ));
        if p.code() != findings::CHAIN_UNTRUSTED {
            out.push(finding(
                severity,
                findings::CHAIN_UNTRUSTED,
                format!("{label}: the signer's chain does not validate to a supplied trust anchor"),
                "RFC 5280 §6.1",
                Some(layer),
            ));
        }
    }
    out
}

/// RFC 8550 §4.4.2 / §4.4.4: a signing certificate's keyUsage must allow digitalSignature
/// or nonRepudiation; extendedKeyUsage, when present, must allow emailProtection.
pub fn signer_usage_findings(cert: &Cert, label: &str, layer: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(ku) = cert.key_usage() {
        if !ku.contains(&"digitalSignature") && !ku.contains(&"nonRepudiation") {
            out.push(finding(
                Severity::Warning,
                findings::SIGNER_KEY_USAGE,
                format!(
                    "{label}: the signer certificate's keyUsage ({}) allows neither digitalSignature nor nonRepudiation",
                    ku.join(", ")
                ),
                "RFC 8550 §4.4.2",
                Some(layer),
            ));
        }
    }
    if let Some(eku) = cert.extended_key_usage() {
        if !eku
            .iter()
            .any(|e| e == "emailProtection" || e == "anyExtendedKeyUsage")
        {
            out.push(finding(
                Severity::Info,
                findings::SIGNER_KEY_USAGE,
                format!(
                    "{label}: the signer certificate's extendedKeyUsage ({}) does not include emailProtection; strict S/MIME agents (OpenSSL's default purpose) reject it",
                    eku.join(", ")
                ),
                "RFC 8550 §4.4.4",
                Some(layer),
            ));
        }
    }
    out
}
