//! The Compose and Listen tabs' widgets over the forms of `compose_panel`; the work
//! (composition, `send`, `listen`) is done by the app's methods.

use super::app::SealscopeApp;
use super::compose_panel::templates;

/// A combo box over `options`, where the empty option reads `empty`.
pub fn choice(ui: &mut egui::Ui, label: &str, value: &mut String, options: &[&str], empty: &str) {
    let shown = if value.is_empty() {
        empty
    } else {
        value.as_str()
    }
    .to_string();
    // The label before the control, as in every other row of the window.
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(label)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for o in options {
                let text = if o.is_empty() { empty } else { o };
                ui.selectable_value(value, o.to_string(), text);
            }
        })
        .response
        .labelled_by(l.id);
}

/// A labelled one-line field (masked when `secret`).
pub fn field(ui: &mut egui::Ui, label: &str, value: &mut String, width: f32, secret: bool) {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .password(secret)
            .desired_width(width),
    )
    .labelled_by(l.id);
}

/// A labelled multi-line field.
fn area(ui: &mut egui::Ui, label: &str, value: &mut String, rows: usize) {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::multiline(value)
            .code_editor()
            .desired_rows(rows),
    )
    .labelled_by(l.id);
}

/// Login and passcode (or AMS token) side by side.
fn credentials(ui: &mut egui::Ui, login: &mut String, passcode: &mut String) {
    ui.horizontal(|ui| {
        field(ui, "Login", login, 90.0, false);
        field(ui, "Passcode / token", passcode, 90.0, true);
    });
}

/// A path field with a button that picks files (appended one per line when `many`).
fn path(ui: &mut egui::Ui, label: &str, value: &mut String, many: bool) {
    ui.horizontal(|ui| {
        field(ui, label, value, 180.0, false);
        if ui
            .small_button("pick")
            .on_hover_text(format!("Choose: {label}"))
            .clicked()
        {
            if many {
                for p in rfd::FileDialog::new().pick_files().unwrap_or_default() {
                    if !value.is_empty() && !value.ends_with('\n') {
                        value.push('\n');
                    }
                    value.push_str(&p.display().to_string());
                }
            } else if let Some(p) = rfd::FileDialog::new().pick_file() {
                *value = p.display().to_string();
            }
        }
    });
}

/// The Compose tab: template, payload, headers, signer, recipients, algorithms; Preview,
/// Save, Copy; Send to a remembered target.
pub fn compose(app: &mut SealscopeApp, ui: &mut egui::Ui) {
    let ctx = ui.ctx().clone();
    let f = &mut app.compose;
    choice(
        ui,
        "Template",
        &mut f.template,
        &templates(),
        "plain S/MIME",
    );
    area(ui, "Payload", &mut f.payload, 5);
    area(ui, "Headers (Name: value per line)", &mut f.headers, 2);
    path(ui, "Signer certificate", &mut f.signer, false);
    path(ui, "Signer key / PKCS#12", &mut f.signer_key, false);
    ui.horizontal(|ui| field(ui, "Key password", &mut f.key_pass, 140.0, true));
    path(ui, "Chain certificates", &mut f.chain, true);
    path(ui, "Recipients", &mut f.recipients, true);
    ui.horizontal_wrapped(|ui| {
        let ciphers = [
            "",
            "aes-128-cbc",
            "aes-192-cbc",
            "aes-256-cbc",
            "aes-128-gcm",
            "aes-256-gcm",
        ];
        choice(ui, "Cipher", &mut f.cipher, &ciphers, "default");
        let digests = ["", "sha256", "sha384", "sha512"];
        choice(ui, "Digest", &mut f.digest, &digests, "default");
        let forms = ["", "mime", "der", "pem", "stomp", "http", "base64", "hex"];
        choice(ui, "Output", &mut f.outform, &forms, "default");
        ui.checkbox(&mut f.opaque, "Opaque");
    });
    ui.horizontal(|ui| field(ui, "STOMP destination", &mut f.destination, 160.0, false));
    if f.template == "scms-download" {
        ui.horizontal(|ui| field(ui, "File name", &mut f.filename, 160.0, false));
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
    ui.horizontal(|ui| field(ui, "Send to", &mut app.compose.target, 220.0, false));
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
    credentials(ui, &mut f.login, &mut f.passcode);
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
    ui.label(
        egui::RichText::new("stomp://127.0.0.1:61613/queue/x, http://127.0.0.1:8089/ or ams://…")
            .weak(),
    );
    ui.horizontal(|ui| field(ui, "URL", &mut f.url, 240.0, false));
    credentials(ui, &mut f.login, &mut f.passcode);
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
