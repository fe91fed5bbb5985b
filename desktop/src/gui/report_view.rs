//! The selected message: summary, layer tree, the selected layer's fields and bytes,
//! signatures with chains, encryption, content, profiles and findings.

use super::asn1_view;
use super::hex;
use super::model::{pretty_xml, Message};
use egui::{Color32, RichText, Ui};
use sealscope_core::report::headline::{without_option_hints, ActionKind};
use sealscope_core::report::{CertSummary, Finding, Node, Severity, Verdict};
use sealscope_core::UnixTime;

/// Colour of a verdict or status word.
pub fn status_colour(word: &str, dark: bool) -> Color32 {
    let (ok, warn, bad) = if dark {
        (
            Color32::from_rgb(111, 211, 143),
            Color32::from_rgb(240, 192, 96),
            Color32::from_rgb(255, 138, 128),
        )
    } else {
        (
            Color32::from_rgb(27, 122, 61),
            Color32::from_rgb(138, 90, 0),
            Color32::from_rgb(179, 38, 30),
        )
    };
    match word {
        "valid" | "trusted" | "decrypted" | "conforms" | "MAC verified" => ok,
        "warning" | "unverifiable" | "untrusted-root" | "incomplete" | "not-checked"
        | "not decrypted" | "MAC not checked" | "not checked" => warn,
        _ => bad,
    }
}

/// The verdict as a coloured badge.
pub fn verdict_badge(ui: &mut Ui, verdict: Verdict) {
    let word = verdict.as_str();
    let dark = ui.visuals().dark_mode;
    ui.label(
        RichText::new(word.to_uppercase())
            .strong()
            .color(status_colour(word, dark)),
    );
}

/// The answer first: the headline's sentence in the verdict's colour and its next step as
/// a button (a content key has no keyring entry in the window: its option is named).
fn banner(ui: &mut Ui, r: &sealscope_core::Report) -> Option<ActionKind> {
    let dark = ui.visuals().dark_mode;
    let mut clicked = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.add(
            egui::Label::new(
                RichText::new(&r.headline.sentence)
                    .color(status_colour(r.verdict.as_str(), dark))
                    .strong(),
            )
            .wrap(),
        );
        if let Some(a) = &r.headline.action {
            if a.kind == ActionKind::AddContentKey {
                ui.label(format!("Next: {} (command line {})", a.label, a.option));
            } else if ui.button(&a.label).clicked() {
                clicked = Some(a.kind);
            }
        }
    });
    clicked
}

/// A name/value row with a copy button.
fn row(ui: &mut Ui, name: &str, value: &str) {
    ui.label(RichText::new(name).weak());
    ui.horizontal(|ui| {
        ui.add(egui::Label::new(RichText::new(value).monospace()).wrap());
        if ui
            .small_button("copy")
            .on_hover_text(format!("Copy {name}"))
            .clicked()
        {
            ui.ctx().copy_text(value.to_string());
        }
    });
    ui.end_row();
}

fn validity(ui: &mut Ui, c: &CertSummary, at: UnixTime) {
    let from = UnixTime::parse(&c.not_before).ok();
    let to = UnixTime::parse(&c.not_after).ok();
    let note = match (from, to) {
        (Some(f), _) if at.0 < f.0 => {
            format!(
                "not yet valid: starts {}",
                sealscope_core::time::relative(f, at)
            )
        }
        (_, Some(t)) if at.0 > t.0 => {
            format!("expired {}", sealscope_core::time::relative(t, at))
        }
        (_, Some(t)) => format!("valid, expires {}", sealscope_core::time::relative(t, at)),
        _ => String::new(),
    };
    row(
        ui,
        "Validity",
        &format!("{} .. {}  ({note})", c.not_before, c.not_after),
    );
}

fn cert_rows(ui: &mut Ui, c: &CertSummary, at: UnixTime) {
    row(ui, "Signer", &c.subject);
    row(ui, "Signer (one-line)", &c.subject_oneline);
    row(ui, "Issuer", &c.issuer);
    row(ui, "Serial", &c.serial);
    validity(ui, c, at);
    row(ui, "Key", &c.key);
    if let Some(h) = &c.hashed_id8 {
        row(ui, "HashedId8", h);
    }
    row(ui, "SHA-256", &c.sha256);
}

fn tree(ui: &mut Ui, node: &Node, depth: usize, selected: &mut usize) {
    ui.horizontal(|ui| {
        ui.add_space(depth as f32 * 14.0);
        // A long summary (a Content-Type with its boundary) is shortened here, so the tree
        // never widens the pane past the window; the selected layer shows it whole below.
        let summary: String = if node.summary.chars().count() > 72 {
            node.summary.chars().take(71).chain(['…']).collect()
        } else {
            node.summary.clone()
        };
        let text = RichText::new(format!("{}  {}", node.kind, summary)).monospace();
        if ui.selectable_label(*selected == node.layer, text).clicked() {
            *selected = node.layer;
        }
    });
    for c in &node.children {
        tree(ui, c, depth + 1, selected);
    }
}

fn findings(ui: &mut Ui, list: &[Finding]) {
    if list.is_empty() {
        ui.label("No findings.");
        return;
    }
    let dark = ui.visuals().dark_mode;
    // Most severe first; equals in the order found.
    let mut sorted: Vec<&Finding> = list.iter().collect();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
    for f in sorted {
        let sev = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let colour = match f.severity {
            Severity::Error => status_colour("invalid", dark),
            Severity::Warning => status_colour("warning", dark),
            Severity::Info => ui.visuals().weak_text_color(),
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(sev).color(colour).strong());
            ui.label(RichText::new(&f.code).monospace());
            ui.label(without_option_hints(&f.message));
        });
        if !f.reference.is_empty() {
            ui.label(
                RichText::new(format!("    {}", f.reference))
                    .weak()
                    .italics(),
            );
        }
    }
}

/// Largest layer given an ASN.1 outline.
const MAX_OUTLINE: usize = 1 << 20;

/// Draws the whole report of `m`; `selected` is the selected layer and `element` the
/// selected ASN.1 element within it (its bytes are highlighted instead of the layer's).
/// Returns the banner's action when its button was clicked.
pub fn show(
    ui: &mut Ui,
    m: &Message,
    selected: &mut usize,
    element: &mut Option<[usize; 2]>,
    at: UnixTime,
) -> Option<ActionKind> {
    let r = &m.report;
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        ui.heading(&m.name);
        verdict_badge(ui, r.verdict);
    });
    let clicked = banner(ui, r);
    if let Some(e) = &r.error {
        ui.label(RichText::new(e).color(status_colour("invalid", dark)));
    }
    egui::Grid::new("summary").num_columns(2).show(ui, |ui| {
        row(ui, "Input", &r.input.name);
        row(ui, "Size", &format!("{} bytes", r.input.size));
        row(ui, "SHA-256", &r.input.sha256);
        row(ui, "Verified at", &r.verification_time);
    });

    egui::CollapsingHeader::new("Structure")
        .default_open(true)
        .show(ui, |ui| {
            if let Some(t) = &r.tree {
                let before = *selected;
                tree(ui, t, 0, selected);
                if *selected != before {
                    *element = None;
                }
            }
            if let Some(l) = r.layers.get(*selected) {
                ui.separator();
                ui.label(RichText::new(format!("{}  {}", l.kind, l.summary)).strong());
                let of = if l.buffer == 0 {
                    "the input".to_string()
                } else {
                    format!("the decoded content of layer {}", l.buffer - 1)
                };
                ui.label(format!("bytes {}..{} of {of}", l.range[0], l.range[1]));
                // Headers and bytes are folded until asked for (the answer, signatures and
                // findings come first); one id for every layer keeps them open once opened.
                if !l.headers.is_empty() {
                    egui::CollapsingHeader::new(format!(
                        "Headers and fields ({})",
                        l.headers.len()
                    ))
                    .id_salt("layer-headers")
                    .default_open(false)
                    .show(ui, |ui| {
                        egui::Grid::new(("headers", *selected))
                            .num_columns(2)
                            .striped(true)
                            .show(ui, |ui| {
                                for (k, v) in &l.headers {
                                    row(ui, k, v);
                                }
                            });
                    });
                }
                let buf = m.buffer(l.buffer);
                if l.range[1] - l.range[0] <= MAX_OUTLINE {
                    let lines = asn1_view::outline(buf, l.range);
                    if !lines.is_empty() {
                        egui::CollapsingHeader::new(format!("ASN.1 ({} elements)", lines.len()))
                            .id_salt(("asn1", *selected))
                            .show(ui, |ui| {
                                egui::ScrollArea::vertical()
                                    .id_salt("asn1-lines")
                                    .max_height(260.0)
                                    .show(ui, |ui| {
                                        for line in &lines {
                                            let text = RichText::new(format!(
                                                "{}{}  @{}",
                                                "  ".repeat(line.depth),
                                                line.text,
                                                line.range[0]
                                            ))
                                            .monospace();
                                            let on = *element == Some(line.range);
                                            if ui.selectable_label(on, text).clicked() {
                                                *element = Some(line.range);
                                            }
                                        }
                                    });
                            });
                    }
                }
                let [hs, he] = element
                    .filter(|e| e[0] >= l.range[0] && e[1] <= l.range[1])
                    .unwrap_or(l.range);
                if buf.len() >= l.range[1] && l.range[1] > l.range[0] {
                    let highlight = if dark {
                        Color32::from_rgb(107, 84, 0)
                    } else {
                        Color32::from_rgb(255, 224, 138)
                    };
                    let text = ui.visuals().text_color();
                    let first = hs / 16;
                    let rows = he.div_ceil(16) - first;
                    egui::CollapsingHeader::new(format!("Bytes (hex): {} bytes", he - hs))
                        .id_salt("layer-hex")
                        .default_open(false)
                        .show(ui, |ui| {
                            // Only the rows on screen are laid out, so any size scrolls; the
                            // scroll position belongs to this message, layer and range, so it
                            // starts at the top for each.
                            let row_height = ui.text_style_height(&egui::TextStyle::Monospace);
                            egui::ScrollArea::vertical()
                                .id_salt(("hex", &r.input.sha256, *selected, hs, he))
                                .max_height(260.0)
                                .show_rows(ui, row_height, rows, |ui, range| {
                                    for i in range {
                                        let job = hex::row(
                                            buf,
                                            (first + i) * 16,
                                            hs,
                                            he,
                                            highlight,
                                            text,
                                        );
                                        ui.label(job);
                                    }
                                });
                        });
                } else {
                    ui.label(RichText::new("The bytes of this layer are not available.").weak());
                }
            }
        });

    if !r.signatures.is_empty() {
        egui::CollapsingHeader::new(format!("Signatures ({})", r.signatures.len()))
            .default_open(true)
            .show(ui, |ui| {
                for (i, s) in r.signatures.iter().enumerate() {
                    let word = match s.status {
                        sealscope_core::report::SignatureStatus::Valid => "valid",
                        sealscope_core::report::SignatureStatus::Invalid => "invalid",
                        sealscope_core::report::SignatureStatus::Unverifiable => "unverifiable",
                    };
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(format!("Signature {}", i + 1)).strong());
                        ui.label(
                            RichText::new(word)
                                .color(status_colour(word, dark))
                                .strong(),
                        );
                    });
                    ui.label(without_option_hints(&s.reason));
                    egui::Grid::new(("sig", i)).num_columns(2).show(ui, |ui| {
                        if let Some(c) = &s.signer {
                            cert_rows(ui, c, at);
                        } else {
                            row(ui, "Signer", s.sid.as_deref().unwrap_or(&s.signer_id));
                        }
                        if let Some(n) = s.countersigns {
                            row(ui, "Countersigns", &format!("SignerInfo #{n}"));
                        }
                        row(ui, "Digest", &s.digest_algorithm);
                        row(ui, "Signature algorithm", &s.signature_algorithm);
                        if let Some(t) = &s.signing_time {
                            row(ui, "Signing time", t);
                        }
                        if let Some(p) = s.psid {
                            row(ui, "PSID", &p.to_string());
                        }
                        if let (Some(g), Some(us)) = (&s.generation_time, s.generation_time_us) {
                            row(ui, "Generation time", &format!("{g} (Time64 {us} µs)"));
                        }
                        if let (Some(e), Some(us)) = (&s.expiry_time, s.expiry_time_us) {
                            row(ui, "Expiry time", &format!("{e} (Time64 {us} µs)"));
                        }
                    });
                    let chain = s.chain.status.as_str();
                    ui.horizontal(|ui| {
                        ui.label("Chain");
                        ui.label(
                            RichText::new(chain)
                                .color(status_colour(chain, dark))
                                .strong(),
                        );
                        if let Some(a) = &s.chain.anchor {
                            ui.label(format!("to {a}"));
                        }
                    });
                    if !s.chain.reason.is_empty() {
                        ui.label(without_option_hints(&s.chain.reason));
                    }
                    for c in &s.chain.certificates {
                        ui.label(
                            RichText::new(format!(
                                "  [{}] {} (serial {}, {} .. {})",
                                c.status, c.subject, c.serial, c.not_before, c.not_after
                            ))
                            .monospace(),
                        );
                    }
                    ui.separator();
                }
            });
    }

    if !r.encryption.is_empty() {
        egui::CollapsingHeader::new("Encryption")
            .default_open(true)
            .show(ui, |ui| {
                for (i, e) in r.encryption.iter().enumerate() {
                    // An AuthenticatedData is readable; what it has is a MAC, checked or not.
                    let word = match (e.kind.as_str(), e.mac_verified, e.decrypted) {
                        ("authenticated-data", Some(true), _) => "MAC verified",
                        ("authenticated-data", Some(false), _) => "MAC invalid",
                        ("authenticated-data", None, _) => "MAC not checked",
                        (_, _, true) => "decrypted",
                        (_, _, false) => "not decrypted",
                    };
                    ui.horizontal(|ui| {
                        ui.label(
                            RichText::new(format!("{} ({})", e.kind, e.content_algorithm)).strong(),
                        );
                        ui.label(
                            RichText::new(word)
                                .color(status_colour(word, dark))
                                .strong(),
                        );
                    });
                    ui.label(without_option_hints(&e.reason));
                    egui::Grid::new(("recipients", i))
                        .num_columns(4)
                        .striped(true)
                        .show(ui, |ui| {
                            ui.label(RichText::new("type").weak());
                            ui.label(RichText::new("key algorithm").weak());
                            ui.label(RichText::new("recipient").weak());
                            ui.label(RichText::new("opened with").weak());
                            ui.end_row();
                            for rc in &e.recipients {
                                ui.label(&rc.kind);
                                ui.label(&rc.key_algorithm);
                                let who = [
                                    rc.issuer.as_deref().map(|v| format!("issuer {v}")),
                                    rc.serial.as_deref().map(|v| format!("serial {v}")),
                                    rc.ski.as_deref().map(|v| format!("id {v}")),
                                ]
                                .into_iter()
                                .flatten()
                                .collect::<Vec<_>>()
                                .join(", ");
                                ui.label(who);
                                ui.label(rc.matched_key.as_deref().unwrap_or("—"));
                                ui.end_row();
                            }
                        });
                }
            });
    }

    if !r.keys.is_empty() {
        egui::CollapsingHeader::new("Keys")
            .default_open(r.encryption.iter().any(|e| !e.decrypted))
            .show(ui, |ui| {
                egui::Grid::new("keys")
                    .num_columns(4)
                    .striped(true)
                    .show(ui, |ui| {
                        ui.label(RichText::new("key").weak());
                        ui.label(RichText::new("file").weak());
                        ui.label(RichText::new("certificate").weak());
                        ui.label(RichText::new("came with").weak());
                        ui.end_row();
                        for k in &r.keys {
                            ui.label(format!("{} ({})", k.key, k.form));
                            ui.label(&k.source);
                            ui.label(k.certificate.as_ref().map_or_else(
                                || "none matches it".to_string(),
                                |c| format!("{} (serial {})", c.subject, c.serial),
                            ));
                            ui.label(
                                k.bundle_certificates
                                    .iter()
                                    .map(|c| c.subject.as_str())
                                    .collect::<Vec<_>>()
                                    .join("\n"),
                            );
                            ui.end_row();
                        }
                    });
            });
    }

    egui::CollapsingHeader::new("Content")
        .default_open(true)
        .show(ui, |ui| match &r.content {
            None => {
                ui.label("No content was reached.");
            }
            Some(c) => {
                egui::Grid::new("content").num_columns(2).show(ui, |ui| {
                    row(ui, "Media type", &c.media_type);
                    row(ui, "Size", &format!("{} bytes", c.size));
                    row(ui, "SHA-256", &c.sha256);
                });
                if let Some(text) = &c.text {
                    let shown =
                        if c.media_type.contains("xml") || text.trim_start().starts_with("<?xml") {
                            pretty_xml(text).unwrap_or_else(|| text.clone())
                        } else {
                            text.clone()
                        };
                    egui::ScrollArea::vertical()
                        .id_salt("content-text")
                        .max_height(320.0)
                        .show(ui, |ui| {
                            ui.add(egui::Label::new(RichText::new(shown).monospace()).wrap());
                        });
                } else if let Some(bytes) = m.content_bytes() {
                    let job = hex::dump(
                        bytes,
                        0,
                        bytes.len(),
                        Color32::TRANSPARENT,
                        ui.visuals().text_color(),
                    );
                    egui::ScrollArea::vertical()
                        .id_salt("content-hex")
                        .max_height(320.0)
                        .show(ui, |ui| ui.label(job));
                }
            }
        });

    if !r.profiles.is_empty() {
        egui::CollapsingHeader::new("Profiles")
            .default_open(true)
            .show(ui, |ui| {
                for p in &r.profiles {
                    let word = p.standing();
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(&p.name).strong());
                        ui.label(RichText::new(word).color(status_colour(word, dark)));
                    });
                    if !p.details.is_empty() {
                        egui::Grid::new(("details", &p.name))
                            .num_columns(2)
                            .show(ui, |ui| {
                                for (k, v) in &p.details {
                                    row(ui, k, v);
                                }
                            });
                    }
                    findings(ui, &p.findings);
                }
            });
    }

    egui::CollapsingHeader::new(format!("Findings ({})", r.findings.len()))
        .default_open(true)
        .show(ui, |ui| findings(ui, &r.findings));
    clicked
}
