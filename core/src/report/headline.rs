//! The answer first: one sentence that says what decides the verdict, who signed and
//! whether the chain holds, and the next step as an action every front end can offer (a
//! button in the windows, the exact option on the command line).

use super::{ChainStatus, Report, Severity, SignatureStatus, Verdict};
use serde::{Deserialize, Serialize};

/// What the user can do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    /// Add a trust anchor (the root the chain should end at).
    AddTrustAnchor,
    /// Add a certificate: the missing issuer, or the signer a message leaves out.
    AddCertificate,
    /// Add a CRL from the issuer.
    AddCrl,
    /// Give the recipient's private key.
    AddKey,
    /// Give a content / pre-shared key.
    AddContentKey,
}

/// The next step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Action {
    /// Which keyring input it asks for.
    pub kind: ActionKind,
    /// The words of a button: "Add a trust anchor…".
    pub label: String,
    /// The command-line option that does it: `--trust FILE`.
    pub option: String,
}

/// The banner of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Headline {
    /// One sentence: the decisive reason first, then the signer and the chain in words.
    pub sentence: String,
    /// The code of the finding that decides the verdict, if one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub decisive: Option<String>,
    /// The next step, when one would change the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub action: Option<Action>,
}

fn action(kind: ActionKind, label: &str, option: &str) -> Option<Action> {
    Some(Action {
        kind,
        label: label.into(),
        option: option.into(),
    })
}

fn sentence_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The short name of a DN for a sentence: its CN, else the whole DN.
fn short_dn(dn: &str) -> String {
    dn.split(',')
        .find_map(|p| p.trim().strip_prefix("CN="))
        .map(str::to_string)
        .unwrap_or_else(|| dn.to_string())
}

/// A message without the command-line hints some carry ("(add --trust)"), for the windows:
/// the headline's action says it in the words of each front end.
pub fn without_option_hints(message: &str) -> String {
    let mut out = message.to_string();
    while let Some(open) = out.find(" (") {
        let Some(close) = out[open..].find(')').map(|c| open + c) else {
            break;
        };
        if out[open..close].contains(" --") || out[open..close].contains("(--") {
            out.replace_range(open..=close, "");
        } else {
            // Keep this parenthetical; look for a later one.
            let rest = without_option_hints(&out[close + 1..]);
            out.truncate(close + 1);
            out.push_str(&rest);
            break;
        }
    }
    out
}

/// Computes the headline of `report` from its verdict, findings, signatures and encryption.
pub fn headline(report: &Report) -> Headline {
    if report.verdict == Verdict::Unreadable {
        return Headline {
            sentence: format!(
                "Unreadable: {}.",
                report
                    .error
                    .as_deref()
                    .unwrap_or("the input could not be read")
            ),
            decisive: Some("unreadable".into()),
            action: None,
        };
    }
    // The finding that decides: the most severe one, the first of equals (profile findings
    // count as their profile reports them).
    let all = report
        .findings
        .iter()
        .chain(report.profiles.iter().flat_map(|p| p.findings.iter()));
    let decisive = all.filter(|f| f.severity != Severity::Info).fold(
        None,
        |best: Option<&super::Finding>, f| match best {
            Some(b) if b.severity >= f.severity => Some(b),
            _ => Some(f),
        },
    );
    let mut parts = Vec::new();
    match (report.verdict, decisive) {
        (Verdict::Valid, _) => parts.push("Valid".to_string()),
        (v, Some(f)) => parts.push(format!(
            "{}: {}",
            sentence_case(v.as_str()),
            without_option_hints(&f.message).trim_end_matches('.')
        )),
        (v, None) => parts.push(sentence_case(v.as_str())),
    }
    if let Some(s) = report.signatures.first() {
        let who = s
            .signer
            .as_ref()
            .map(|c| {
                let until = if report.verification_time.as_str() > c.not_after.as_str() {
                    format!("expired {}", c.not_after)
                } else {
                    format!("valid until {}", c.not_after)
                };
                format!("signed by {} ({until})", short_dn(&c.subject))
            })
            .or_else(|| {
                s.signer_hashed_id8
                    .as_ref()
                    .map(|h| format!("signed by the certificate with HashedId8 {h}"))
            })
            .unwrap_or_else(|| "the signer's certificate is not at hand".into());
        let sig = match s.status {
            SignatureStatus::Valid => "signature intact",
            SignatureStatus::Invalid => "signature does not verify",
            SignatureStatus::Unverifiable => "signature not checked",
        };
        let chain = match s.chain.status {
            ChainStatus::Trusted => format!(
                "chain trusted to {}",
                s.chain.anchor.as_deref().map(short_dn).unwrap_or_default()
            ),
            ChainStatus::NotChecked => "chain not checked".to_string(),
            other => format!("chain {}", other.as_str().replace('-', " ")),
        };
        let more = if report.signatures.len() > 1 {
            format!(" (1 of {} signatures)", report.signatures.len())
        } else {
            String::new()
        };
        parts.push(sentence_case(&format!("{who}; {sig}; {chain}{more}")));
    }
    let code = decisive.map(|f| f.code.as_str()).unwrap_or_default();
    let no_anchor = report.signatures.iter().any(|s| {
        s.chain.status == ChainStatus::NotChecked && s.chain.reason.contains("no trust anchors")
    });
    // The action answers the decisive finding; with none, a missing anchor is the one step
    // that would turn a warning into an answer.
    let act = match code {
        "chain-incomplete" => {
            let issuer = report
                .signatures
                .iter()
                .filter_map(|s| {
                    s.chain
                        .certificates
                        .last()
                        .map(|c| c.issuer.clone())
                        .or_else(|| s.signer.as_ref().map(|c| c.issuer.clone()))
                })
                .map(|i| short_dn(&i))
                .find(|i| !i.is_empty());
            let label = match issuer {
                Some(i) => format!("Add the issuer's certificate ({i})…"),
                None => "Add the issuer's certificate…".to_string(),
            };
            action(ActionKind::AddCertificate, &label, "--cert FILE")
        }
        "signer-cert-not-found" => action(
            ActionKind::AddCertificate,
            "Add the signer's certificate…",
            "--cert FILE",
        ),
        "chain-untrusted" => action(
            ActionKind::AddTrustAnchor,
            "Add a trust anchor…",
            "--trust FILE",
        ),
        "cert-revocation-unknown" => {
            action(ActionKind::AddCrl, "Add the issuer's CRL…", "--crl FILE")
        }
        "not-decrypted" => {
            let symmetric = report.encryption.iter().any(|e| {
                e.kind == "encrypted-data"
                    || e.recipients.iter().any(|r| {
                        r.kind == "pskRecipInfo" || r.kind == "symmRecipInfo" || r.kind == "kekri"
                    })
            });
            if symmetric {
                action(
                    ActionKind::AddContentKey,
                    "Give the content key…",
                    "--content-key HEX",
                )
            } else {
                action(
                    ActionKind::AddKey,
                    "Give the recipient's key…",
                    "--key FILE",
                )
            }
        }
        _ if no_anchor && report.verdict == Verdict::Warning => action(
            ActionKind::AddTrustAnchor,
            "Add a trust anchor…",
            "--trust FILE",
        ),
        _ => None,
    };
    let mut sentence = parts.join(". ");
    sentence.push('.');
    if no_anchor && code != "chain-untrusted" && report.verdict != Verdict::Invalid {
        sentence.push_str(" No trust anchor was given, so the chain was not judged.");
    }
    Headline {
        sentence,
        decisive: decisive.map(|f| f.code.clone()),
        action: act,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        assert_eq!(short_dn("CN=Alice RSA,O=Example,C=GB"), "Alice RSA");
        assert_eq!(short_dn("O=Example,C=GB"), "O=Example,C=GB");
        assert_eq!(sentence_case("invalid"), "Invalid");
        assert_eq!(
            without_option_hints("no trust anchors were supplied (add --trust), see (RFC 5652)"),
            "no trust anchors were supplied, see (RFC 5652)"
        );
    }
}
