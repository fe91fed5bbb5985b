//! The readable text form of a report, with colour when stdout is a terminal.

use sealscope_core::report::LayerKind;
use sealscope_core::report::{Node, Report, Severity, SignatureStatus, Verdict};
use sealscope_core::time::relative;
use sealscope_core::UnixTime;
use std::fmt::Write;
use std::io::IsTerminal;

/// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
pub fn use_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn green(&self, s: &str) -> String {
        self.wrap("32;1", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.wrap("33;1", s)
    }
    fn red(&self, s: &str) -> String {
        self.wrap("31;1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
}

fn parse_time(s: &str) -> Option<UnixTime> {
    UnixTime::parse(s).ok()
}

fn tree(out: &mut String, node: &Node, depth: usize, p: &Paint) {
    let _ = writeln!(
        out,
        "    {}{} {}",
        "  ".repeat(depth),
        p.dim(&format!("[{}]", node.layer)),
        node.summary
    );
    for c in &node.children {
        tree(out, c, depth + 1, p);
    }
}

/// One finding: severity, code, message and reference.
fn finding_line(out: &mut String, f: &sealscope_core::report::Finding, p: &Paint) {
    let sev = match f.severity {
        Severity::Error => p.red("error  "),
        Severity::Warning => p.yellow("warning"),
        Severity::Info => p.dim("info   "),
    };
    let _ = writeln!(
        out,
        "    {sev} {}: {} {}",
        p.bold(&f.code),
        f.message,
        p.dim(&format!("({})", f.reference))
    );
}

/// Renders `report` as text for people.
pub fn text(report: &Report, at: UnixTime, colour: bool) -> String {
    let p = Paint(colour);
    let mut out = String::new();
    let verdict = match report.verdict {
        Verdict::Valid => p.green("VALID"),
        Verdict::Warning => p.yellow("WARNING"),
        Verdict::Invalid => p.red("INVALID"),
        Verdict::Unreadable => p.red("UNREADABLE"),
    };
    let _ = writeln!(
        out,
        "{}: {verdict}  {}",
        p.bold(&report.input.name),
        p.dim(&format!(
            "({} bytes, verified at {})",
            report.input.size, report.verification_time
        ))
    );
    // The answer first: the decisive reason, signer and chain, and the next step.
    if !report.headline.sentence.is_empty() {
        let _ = writeln!(out, "  {}", report.headline.sentence);
    }
    if let Some(a) = &report.headline.action {
        let _ = writeln!(
            out,
            "  {} {} (add {})",
            p.bold("next:"),
            a.label.trim_end_matches('…'),
            a.option
        );
    }
    if let Some(e) = &report.error {
        let _ = writeln!(out, "  error: {e}");
    }
    if let Some(t) = &report.tree {
        let _ = writeln!(out, "  structure");
        tree(&mut out, t, 0, &p);
    }
    for (i, s) in report.signatures.iter().enumerate() {
        let status = match s.status {
            SignatureStatus::Valid => p.green("valid"),
            SignatureStatus::Invalid => p.red("invalid"),
            SignatureStatus::Unverifiable => p.yellow("unverifiable"),
        };
        let which = match s.countersigns {
            Some(n) => format!("countersignature #{} on SignerInfo #{n}", s.signer_info),
            None => format!("SignerInfo #{}", s.signer_info),
        };
        let _ = writeln!(
            out,
            "  signature {} (layer {}, {which}): {status}{}",
            i + 1,
            s.layer,
            s.reason_code
                .as_deref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default()
        );
        if let Some(signer) = &s.signer {
            let _ = writeln!(out, "    signer     {}", signer.subject);
            let _ = writeln!(out, "               {}", p.dim(&signer.subject_oneline));
            let _ = writeln!(out, "    issuer     {}", signer.issuer);
            let _ = writeln!(out, "    serial     {}", signer.serial);
            let until = parse_time(&signer.not_after)
                .map(|t| {
                    if t < at {
                        format!("expired {}", relative(t, at))
                    } else {
                        format!("expires {}", relative(t, at))
                    }
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    validity   {} .. {} ({until})",
                signer.not_before, signer.not_after
            );
            let _ = writeln!(out, "    key        {}", signer.key);
        } else {
            let _ = writeln!(out, "    signer id  {}", s.signer_id);
            if let Some(sid) = &s.sid {
                let _ = writeln!(out, "    named as   {sid}");
            }
        }
        let _ = writeln!(
            out,
            "    algorithms {} / {}",
            s.digest_algorithm, s.signature_algorithm
        );
        if let Some(t) = &s.signing_time {
            let _ = writeln!(out, "    signed at  {t}");
        }
        if let Some(psid) = s.psid {
            let _ = writeln!(out, "    psid       {psid} (0x{psid:x})");
        }
        if let Some(us) = s.generation_time_us {
            let _ = writeln!(out, "    generated  Time64 {us} µs since 2004 (TAI)");
        }
        if let (Some(e), Some(us)) = (&s.expiry_time, s.expiry_time_us) {
            let _ = writeln!(out, "    expires    {e} (Time64 {us} µs)");
        }
        if let Some(id) = &s.signer_hashed_id8 {
            let _ = writeln!(
                out,
                "    HashedId8  {id} (signer, named by {})",
                s.signer_id
            );
        }
        let _ = writeln!(out, "    result     {}", s.reason);
        let chain_word = match s.chain.status.as_str() {
            "trusted" => p.green("trusted"),
            "not-checked" => p.yellow("not-checked"),
            other => p.red(other),
        };
        let _ = writeln!(out, "    chain      {chain_word}: {}", s.chain.reason);
        for c in &s.chain.certificates {
            let _ = writeln!(
                out,
                "               {} {} {}",
                p.dim(&format!("[{}]", c.status)),
                c.subject,
                p.dim(&format!("(serial {}, from {})", c.serial, c.source))
            );
        }
    }
    // IEEE 1609.2 headers and SCMS requests: their fields, since the structure shows only
    // one line per layer.
    for (i, l) in report.layers.iter().enumerate() {
        if matches!(l.kind, LayerKind::ScmsPdu | LayerKind::Ieee1609Data) {
            let _ = writeln!(out, "  [{i}] {}", l.summary);
            for (k, v) in &l.headers {
                let _ = writeln!(out, "    {} {v}", p.dim(&format!("{k:<20}")));
            }
        }
    }
    if let Some(c) = &report.content {
        let _ = writeln!(
            out,
            "  content    {}, {} bytes, sha256 {}",
            c.media_type, c.size, c.sha256
        );
        if let Some(t) = &c.text {
            for line in t.lines().take(12) {
                let _ = writeln!(out, "    {} {line}", p.dim("|"));
            }
            if t.lines().count() > 12 {
                let _ = writeln!(out, "    {} …", p.dim("|"));
            }
        }
        if let Some(h) = &c.hex {
            for (i, line) in h.as_bytes().chunks(64).take(4).enumerate() {
                let spaced: Vec<String> = line
                    .chunks(2)
                    .map(|b| String::from_utf8_lossy(b).to_string())
                    .collect();
                let _ = writeln!(
                    out,
                    "    {} {:04x}  {}",
                    p.dim("|"),
                    i * 32,
                    spaced.join(" ")
                );
            }
            if c.size > 128 {
                let _ = writeln!(out, "    {} …", p.dim("|"));
            }
        }
    }
    // The keys given with --key, so a user sees what was loaded and whose each is.
    if !report.keys.is_empty() {
        let _ = writeln!(out, "  keys");
        for k in &report.keys {
            let label = k
                .label
                .as_deref()
                .map(|l| format!(" \"{l}\""))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    {} {}{label} {}",
                k.key,
                k.source,
                p.dim(&format!("({})", k.form))
            );
            match &k.certificate {
                Some(c) => {
                    let _ = writeln!(
                        out,
                        "      certificate {} {}",
                        c.subject,
                        p.dim(&format!("(serial {}, from {})", c.serial, c.source))
                    );
                }
                None => {
                    let _ = writeln!(out, "      certificate {}", p.dim("none matches it"));
                }
            }
            for c in &k.bundle_certificates {
                let _ = writeln!(
                    out,
                    "      came with   {} {}",
                    c.subject,
                    p.dim(&format!("(serial {})", c.serial))
                );
            }
        }
    }
    for prof in &report.profiles {
        let word = match prof.standing() {
            "conforms" => p.green("conforms"),
            "not checked" => p.yellow("not checked (the content was not opened)"),
            other => p.red(other),
        };
        let _ = writeln!(out, "  profile    {}: {word}", prof.name);
        for (k, v) in &prof.details {
            let _ = writeln!(out, "    {} {v}", p.dim(&format!("{k:<18}")));
        }
        for f in &prof.findings {
            finding_line(&mut out, f, &p);
        }
    }
    if !report.findings.is_empty() {
        let _ = writeln!(out, "  findings");
        // Most severe first; equals in the order found.
        let mut sorted: Vec<_> = report.findings.iter().collect();
        sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
        for f in sorted {
            finding_line(&mut out, f, &p);
        }
    }
    out.trim_end().to_string()
}
