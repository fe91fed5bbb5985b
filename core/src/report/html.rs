//! A report to hand on: one self-contained HTML document (inline style, no script, nothing
//! fetched) with the headline, the signatures and chains, encryption, content, profiles and
//! findings of one or more reports. The same function serves the command line (`--html`),
//! the window and the browser page.

use super::{Finding, Report, Severity};
use std::fmt::Write;

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#1d1d1f}\
h1{font-size:1.4em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1.05em}\
.banner{border-left:.35em solid #8a5a00;background:#fbf6ec;padding:.6em .9em;font-weight:600}\
.valid{border-color:#1b7a3d;background:#eef7f1}.invalid,.unreadable{border-color:#b3261e;background:#fbeeed}\
.badge{display:inline-block;padding:0 .5em;border-radius:.8em;border:1px solid;font-size:.85em;text-transform:uppercase}\
.b-valid{color:#1b7a3d}.b-warning{color:#8a5a00}.b-invalid,.b-unreadable{color:#b3261e}\
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}\
th{background:#f4f4f6}code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{white-space:pre-wrap;background:#f6f6f8;padding:.6em}\
.error{color:#b3261e}.warning{color:#8a5a00}.info{color:#555}.next{font-weight:400}";

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn row(out: &mut String, name: &str, value: &str) {
    let _ = write!(
        out,
        "<tr><th>{}</th><td>{}</td></tr>",
        escape(name),
        escape(value)
    );
}

fn findings(out: &mut String, list: &[Finding]) {
    if list.is_empty() {
        out.push_str("<p>No findings.</p>");
        return;
    }
    let mut sorted: Vec<&Finding> = list.iter().collect();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out.push_str("<ul>");
    for f in sorted {
        let sev = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let _ = write!(
            out,
            "<li class=\"{sev}\"><strong>{sev}</strong> <code>{}</code>: {} <cite>({})</cite></li>",
            escape(&f.code),
            escape(&f.message),
            escape(&f.reference)
        );
    }
    out.push_str("</ul>");
}

fn one(out: &mut String, r: &Report) {
    let verdict = r.verdict.as_str();
    let _ = write!(
        out,
        "<section><h1>{} <span class=\"badge b-{verdict}\">{verdict}</span></h1>",
        escape(&r.input.name)
    );
    let _ = write!(
        out,
        "<p class=\"banner {verdict}\">{}",
        escape(&r.headline.sentence)
    );
    if let Some(a) = &r.headline.action {
        let _ = write!(
            out,
            "<br><span class=\"next\">Next: {} (command line: <code>{}</code>)</span>",
            escape(a.label.trim_end_matches('…')),
            escape(&a.option)
        );
    }
    out.push_str("</p><table>");
    row(out, "Input", &r.input.name);
    row(out, "Size", &format!("{} bytes", r.input.size));
    row(out, "SHA-256", &r.input.sha256);
    row(out, "Verified at", &r.verification_time);
    if let Some(e) = &r.error {
        row(out, "Error", e);
    }
    out.push_str("</table>");
    for (i, s) in r.signatures.iter().enumerate() {
        let _ = write!(
            out,
            "<h2>Signature {} — {}</h2><table>",
            i + 1,
            match s.status {
                super::SignatureStatus::Valid => "valid",
                super::SignatureStatus::Invalid => "invalid",
                super::SignatureStatus::Unverifiable => "unverifiable",
            }
        );
        row(out, "Result", &s.reason);
        if let Some(c) = &s.signer {
            row(out, "Signer", &c.subject);
            row(out, "Issuer", &c.issuer);
            row(out, "Serial", &c.serial);
            row(
                out,
                "Validity",
                &format!("{} .. {}", c.not_before, c.not_after),
            );
            row(out, "Key", &c.key);
        }
        if let Some(h) = &s.signer_hashed_id8 {
            row(out, "Signer HashedId8", h);
        }
        row(
            out,
            "Algorithms",
            &format!("{} / {}", s.digest_algorithm, s.signature_algorithm),
        );
        if let Some(t) = &s.signing_time {
            row(out, "Signing time", t);
        }
        row(
            out,
            "Chain",
            &format!("{}: {}", s.chain.status.as_str(), s.chain.reason),
        );
        out.push_str("</table>");
        if !s.chain.certificates.is_empty() {
            out.push_str("<table><tr><th>Certificate</th><th>Serial</th><th>Validity</th><th>Status</th><th>From</th></tr>");
            for c in &s.chain.certificates {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{} .. {}</td><td>{}</td><td>{}</td></tr>",
                    escape(&c.subject),
                    escape(&c.serial),
                    escape(&c.not_before),
                    escape(&c.not_after),
                    escape(c.status.as_str()),
                    escape(&c.source)
                );
            }
            out.push_str("</table>");
        }
    }
    for e in &r.encryption {
        let _ = write!(out, "<h2>Encryption — {}</h2><table>", escape(&e.kind));
        row(out, "Content algorithm", &e.content_algorithm);
        row(out, "Decrypted", if e.decrypted { "yes" } else { "no" });
        row(out, "Reason", &e.reason);
        for rc in &e.recipients {
            row(
                out,
                &format!("Recipient ({}, {})", rc.kind, rc.key_algorithm),
                &format!(
                    "{}{}",
                    rc.details,
                    rc.matched_key
                        .as_deref()
                        .map(|k| format!("; opened with {k}"))
                        .unwrap_or_default()
                ),
            );
        }
        out.push_str("</table>");
    }
    if let Some(c) = &r.content {
        let _ = write!(
            out,
            "<h2>Content</h2><p>{}, {} bytes, SHA-256 <code>{}</code></p>",
            escape(&c.media_type),
            c.size,
            escape(&c.sha256)
        );
        if let Some(t) = &c.text {
            let _ = write!(out, "<pre>{}</pre>", escape(t));
        } else if let Some(h) = &c.hex {
            let _ = write!(out, "<pre>{}</pre>", escape(h));
        }
    }
    for p in &r.profiles {
        let _ = write!(
            out,
            "<h2>Profile {} — {}</h2>",
            escape(&p.name),
            p.standing()
        );
        if !p.details.is_empty() {
            out.push_str("<table>");
            for (k, v) in &p.details {
                row(out, k, v);
            }
            out.push_str("</table>");
        }
        findings(out, &p.findings);
    }
    out.push_str("<h2>Findings</h2>");
    findings(out, &r.findings);
    out.push_str("</section>");
}

/// One HTML document holding `reports` (one section each), readable without any script.
pub fn document(reports: &[Report]) -> String {
    let title = match reports {
        [one] => format!("Sealscope report: {}", one.input.name),
        many => format!("Sealscope reports ({})", many.len()),
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>{}</title><style>{STYLE}</style></head><body>",
        escape(&title)
    );
    for r in reports {
        one(&mut out, r);
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<a href=\"x\">O'Neil & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;"
        );
    }
}
