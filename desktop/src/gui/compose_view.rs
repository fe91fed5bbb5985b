//! The Compose and Listen tabs' widgets over the forms of `compose_panel`; the work
//! (composition, `send`, `listen`) is done by the app's methods.

use super::app::SealscopeApp;
use super::compose_panel::TEMPLATES;

/// The Compose tab: template, payload, headers, signer, recipients, algorithms; Preview,
/// Save, Copy; Send to a remembered target.
pub fn compose(app: &mut SealscopeApp, ui: &mut egui::Ui) {
    let ctx = ui.ctx().clone();
    let f = &mut app.compose;
    egui::ComboBox::from_label("Template")
        .selected_text(if f.template.is_empty() {
            "plain S/MIME"
        } else {
            &f.template
        })
        .show_ui(ui, |ui| {
            for t in TEMPLATES {
                ui.selectable_value(
                    &mut f.template,
                    t.to_string(),
                    if t.is_empty() { "plain S/MIME" } else { t },
                );
            }
        });
    let l = ui.label("Payload");
    ui.add(
        egui::TextEdit::multiline(&mut f.payload)
            .code_editor()
            .desired_rows(5),
    )
    .labelled_by(l.id);
    let l = ui.label("Headers (Name: value per line)");
    ui.add(egui::TextEdit::multiline(&mut f.headers).desired_rows(2))
        .labelled_by(l.id);
    for (label, value) in [
        ("Signer certificate", &mut f.signer),
        ("Signer key / PKCS#12", &mut f.signer_key),
    ] {
        ui.horizontal(|ui| {
            let l = ui.label(label);
            ui.add(egui::TextEdit::singleline(value).desired_width(180.0))
                .labelled_by(l.id);
            if ui
                .small_button("pick")
                .on_hover_text(format!("Choose the {label}"))
                .clicked()
            {
                if let Some(p) = rfd::FileDialog::new().pick_file() {
                    *value = p.display().to_string();
                }
            }
        });
    }
    ui.horizontal(|ui| {
        let l = ui.label("Key password");
        ui.add(
            egui::TextEdit::singleline(&mut f.key_pass)
                .password(true)
                .desired_width(140.0),
        )
        .labelled_by(l.id);
    });
    let l = ui.label("Chain certificates (one path per line)");
    ui.add(egui::TextEdit::multiline(&mut f.chain).desired_rows(1))
        .labelled_by(l.id);
    let recipients = ui.horizontal(|ui| {
        let l = ui.label("Recipients (one path per line)");
        if ui
            .small_button("add")
            .on_hover_text("Choose recipient certificates")
            .clicked()
        {
            if let Some(ps) = rfd::FileDialog::new().pick_files() {
                for p in ps {
                    f.recipients.push_str(&format!("{}\n", p.display()));
                }
            }
        }
        l
    });
    ui.add(egui::TextEdit::multiline(&mut f.recipients).desired_rows(1))
        .labelled_by(recipients.inner.id);
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_label("Cipher")
            .selected_text(if f.cipher.is_empty() {
                "default"
            } else {
                &f.cipher
            })
            .show_ui(ui, |ui| {
                for c in [
                    "",
                    "aes-128-cbc",
                    "aes-192-cbc",
                    "aes-256-cbc",
                    "aes-128-gcm",
                    "aes-256-gcm",
                ] {
                    ui.selectable_value(
                        &mut f.cipher,
                        c.to_string(),
                        if c.is_empty() { "default" } else { c },
                    );
                }
            });
        egui::ComboBox::from_label("Digest")
            .selected_text(if f.digest.is_empty() {
                "default"
            } else {
                &f.digest
            })
            .show_ui(ui, |ui| {
                for d in ["", "sha256", "sha384", "sha512"] {
                    ui.selectable_value(
                        &mut f.digest,
                        d.to_string(),
                        if d.is_empty() { "default" } else { d },
                    );
                }
            });
        egui::ComboBox::from_label("Output")
            .selected_text(if f.outform.is_empty() {
                "default"
            } else {
                &f.outform
            })
            .show_ui(ui, |ui| {
                for o in ["", "mime", "der", "pem", "stomp", "http", "base64", "hex"] {
                    ui.selectable_value(
                        &mut f.outform,
                        o.to_string(),
                        if o.is_empty() { "default" } else { o },
                    );
                }
            });
        ui.checkbox(&mut f.opaque, "Opaque");
    });
    ui.horizontal(|ui| {
        let l = ui.label("STOMP destination");
        ui.add(egui::TextEdit::singleline(&mut f.destination).desired_width(160.0))
            .labelled_by(l.id);
    });
    if f.template == "scms-download" {
        ui.horizontal(|ui| {
            let l = ui.label("File name");
            ui.add(egui::TextEdit::singleline(&mut f.filename).desired_width(160.0))
                .labelled_by(l.id);
        });
    }
    ui.horizontal(|ui| {
        if ui.button("Preview").clicked() {
            app.preview_compose(Some(ctx.clone()));
        }
        let has = app.preview.is_some();
        if ui.add_enabled(has, egui::Button::new("Save…")).clicked() {
            if let Some(b) = app.preview.clone() {
                app.save_dialog("composed.msg", &b);
            }
        }
        if ui.add_enabled(has, egui::Button::new("Copy")).clicked() {
            if let Some(b) = &app.preview {
                let text = match std::str::from_utf8(b) {
                    Ok(t) => t.to_string(),
                    Err(_) => {
                        use base64::Engine;
                        base64::engine::general_purpose::STANDARD.encode(b)
                    }
                };
                ctx.copy_text(text);
            }
        }
    });
    ui.separator();
    let f = &mut app.compose;
    ui.horizontal(|ui| {
        let l = ui.label("Send to");
        ui.add(
            egui::TextEdit::singleline(&mut f.target)
                .hint_text("stomp://host:61613/queue/x")
                .desired_width(220.0),
        )
        .labelled_by(l.id);
    });
    for t in app.targets.clone() {
        if ui
            .small_button(&t)
            .on_hover_text("Use this target again")
            .clicked()
        {
            app.compose.target = t;
        }
    }
    let f = &mut app.compose;
    ui.horizontal(|ui| {
        let l = ui.label("Login");
        ui.add(egui::TextEdit::singleline(&mut f.login).desired_width(90.0))
            .labelled_by(l.id);
        let l = ui.label("Passcode / token");
        ui.add(
            egui::TextEdit::singleline(&mut f.passcode)
                .password(true)
                .desired_width(90.0),
        )
        .labelled_by(l.id);
    });
    let can_send = app.preview.is_some() && !app.sending();
    if ui
        .add_enabled(can_send, egui::Button::new("Send"))
        .clicked()
    {
        app.send_preview();
    }
    if !app.compose_result.is_empty() {
        ui.label(egui::RichText::new(&app.compose_result).monospace());
    }
}

/// The Listen tab: URL, credentials, Start / Stop.
pub fn listen(app: &mut SealscopeApp, ui: &mut egui::Ui) {
    let f = &mut app.listen;
    ui.label("Every message that arrives is inspected and listed; repeated SCMP request ids are flagged.");
    ui.horizontal(|ui| {
        let l = ui.label("URL");
        ui.add(
            egui::TextEdit::singleline(&mut f.url)
                .hint_text("stomp://127.0.0.1:61613/queue/x or http://127.0.0.1:8089/")
                .desired_width(240.0),
        )
        .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        let l = ui.label("Login");
        ui.add(egui::TextEdit::singleline(&mut f.login).desired_width(90.0))
            .labelled_by(l.id);
        let l = ui.label("Passcode / token");
        ui.add(
            egui::TextEdit::singleline(&mut f.passcode)
                .password(true)
                .desired_width(90.0),
        )
        .labelled_by(l.id);
    });
    match &app.listener {
        None => {
            if ui.button("Start listening").clicked() {
                app.start_listening();
            }
        }
        Some(l) => {
            ui.label(format!("listening; {} received", l.received));
            if ui.button("Stop").clicked() {
                app.stop_listening();
            }
        }
    }
}
