//! The window's panels: toolbar, message list, keyring, shortcuts, dropped files, and the
//! layout that places them around the report.

use super::*;

impl SealscopeApp {
    fn toolbar(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        ui.horizontal_wrapped(|ui| {
            if ui.button("Open files…").on_hover_text("Ctrl+O").clicked() {
                match rfd::FileDialog::new().pick_files() {
                    Some(files) => self.open(
                        files.into_iter().map(Source::Path).collect(),
                        Some(ctx.clone()),
                    ),
                    None => self.status =
                        "no file chosen (without a file dialog, type the path in the Path field)"
                            .into(),
                }
            }
            if ui.button("Open folder…").clicked() {
                if let Some(dir) = rfd::FileDialog::new().pick_folder() {
                    self.open(vec![Source::Path(dir)], Some(ctx.clone()));
                }
            }
            if ui.button("Paste…").clicked() {
                self.paste_open = !self.paste_open;
            }
            let label = ui.label("Path");
            ui.add(
                egui::TextEdit::singleline(&mut self.path_text)
                    .hint_text("a file or folder")
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
            if ui
                .button("Open path")
                .on_hover_text("Open the typed file or folder as messages")
                .clicked()
            {
                if let Some(p) = self.typed_path() {
                    self.open(vec![Source::Path(p)], Some(ctx.clone()));
                }
            }
            ui.separator();
            let label = ui.label("Verification time");
            let at_edit = ui
                .add(
                    egui::TextEdit::singleline(&mut self.at_text)
                        .hint_text("now (RFC 3339, UTC)")
                        .desired_width(170.0),
                )
                .labelled_by(label.id);
            // A new time applies when the field is left (or Enter pressed), not per keystroke.
            if at_edit.lost_focus() && self.at_text_applied != self.at_text {
                self.at_text_applied = self.at_text.clone();
                self.reinspect_soon = true;
            }
            let profiles = ["", "emi", "ssm", "bitrepo", "scmp"];
            let before = self.profile.clone();
            compose_view::choice(ui, "Profile", &mut self.profile, &profiles, "detect");
            if self.profile != before {
                self.reinspect_soon = true;
            }
            if ui.button("Inspect again").clicked() {
                self.reinspect(Some(ctx.clone()));
            }
            ui.separator();
            let has = self.current().is_some();
            if ui
                .add_enabled(has, egui::Button::new("Export JSON…"))
                .clicked()
            {
                if let Some(m) = self.current() {
                    let json = m.report.to_json_pretty();
                    let name = format!("{}.report.json", m.name);
                    self.save_dialog(&name, json.as_bytes());
                }
            }
            if ui
                .add_enabled(has, egui::Button::new("Save report…"))
                .on_hover_text(
                    "One self-contained HTML file to hand on (no script needed to read it)",
                )
                .clicked()
            {
                if let Some(m) = self.current() {
                    let html =
                        sealscope_core::report::html::document(std::slice::from_ref(&m.report));
                    let name = format!("{}.report.html", m.name);
                    self.save_dialog(&name, html.as_bytes());
                }
            }
            let content = self
                .current()
                .and_then(|m| m.content_bytes().map(<[u8]>::to_vec));
            if ui
                .add_enabled(content.is_some(), egui::Button::new("Save content…"))
                .clicked()
            {
                if let Some(bytes) = content {
                    self.save_dialog("content.bin", &bytes);
                }
            }
            ui.separator();
            let dark = ui.visuals().dark_mode;
            if ui.button(if dark { "Light" } else { "Dark" }).clicked() {
                self.dark = Some(!dark);
                ctx.set_theme(if dark {
                    egui::Theme::Light
                } else {
                    egui::Theme::Dark
                });
            }
        });
        if self.paste_open {
            ui.label("Paste a message (MIME, PEM, base64 or hex):");
            egui::ScrollArea::vertical()
                .id_salt("paste")
                .max_height(160.0)
                .show(ui, |ui| {
                    ui.add(
                        egui::TextEdit::multiline(&mut self.paste)
                            .code_editor()
                            .desired_rows(6)
                            .desired_width(f32::INFINITY),
                    );
                });
            if ui.button("Inspect pasted text").clicked() {
                self.inspect_paste(Some(ctx.clone()));
            }
        }
        ui.horizontal(|ui| {
            if let Some(job) = &self.job {
                ui.add(
                    egui::ProgressBar::new(job.fraction())
                        .desired_width(220.0)
                        .text(format!(
                            "{}/{}",
                            job.done.load(std::sync::atomic::Ordering::Relaxed),
                            job.total.load(std::sync::atomic::Ordering::Relaxed)
                        )),
                );
                if ui.button("Cancel").clicked() {
                    job.cancel();
                }
            }
            ui.label(&self.status);
        });
    }

    fn message_list(&mut self, ui: &mut egui::Ui) {
        if self.messages.is_empty() {
            ui.label("No messages yet.");
        }
        let dark = ui.visuals().dark_mode;
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .id_salt("messages")
            .show(ui, |ui| {
                for (i, m) in self.messages.iter().enumerate() {
                    let word = m.report.verdict.as_str();
                    let text =
                        egui::RichText::new(format!("{:<10} {}", word.to_uppercase(), m.name))
                            .monospace()
                            .color(report_view::status_colour(word, dark));
                    if ui
                        .selectable_label(self.selected == Some(i), text)
                        .clicked()
                    {
                        clicked = Some(i);
                    }
                }
            });
        if let Some(i) = clicked {
            self.select(i);
        }
    }

    fn keyring_panel(&mut self, ui: &mut egui::Ui) {
        ui.label(
            egui::RichText::new(
                "The file list is kept between runs; passwords stay in memory only.",
            )
            .weak(),
        );
        ui.horizontal_wrapped(|ui| {
            for (label, kind) in [
                ("Trust anchors…", MaterialKind::Trust),
                ("Certificates…", MaterialKind::Certificate),
                ("CRLs…", MaterialKind::Crl),
                ("Keys / PKCS#12…", MaterialKind::Key),
            ] {
                if ui.button(label).clicked() {
                    if let Some(files) = rfd::FileDialog::new().pick_files() {
                        self.add_keyring(files, kind);
                        self.reinspect_soon = true;
                    }
                }
            }
            if let Some(kind) = ui
                .menu_button("Add typed path as…", |ui| {
                    let mut chosen = None;
                    for kind in [
                        MaterialKind::Trust,
                        MaterialKind::Certificate,
                        MaterialKind::Crl,
                        MaterialKind::Key,
                    ] {
                        if ui.button(kind.label()).clicked() {
                            chosen = Some(kind);
                        }
                    }
                    chosen
                })
                .inner
                .flatten()
            {
                if let Some(p) = self.typed_path() {
                    self.add_keyring(vec![p], kind);
                    self.reinspect_soon = true;
                }
            }
            if ui
                .button("Trust a folder…")
                .on_hover_text(
                    "an OpenSSL hashed directory such as /etc/grid-security/certificates",
                )
                .clicked()
            {
                if let Some(dir) = rfd::FileDialog::new().pick_folder() {
                    self.add_keyring(vec![dir], MaterialKind::Trust);
                    self.reinspect_soon = true;
                }
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("Revocation:");
            let before = self.keyring.revocation_check;
            egui::ComboBox::from_id_salt("revocation-check")
                .selected_text(before.describe())
                .show_ui(ui, |ui| {
                    for c in sealscope_core::RevocationCheck::ALL {
                        ui.selectable_value(&mut self.keyring.revocation_check, c, c.describe());
                    }
                })
                .response
                .labelled_by(label.id);
            if self.keyring.revocation_check != before {
                self.reload_keyring();
                self.reinspect_soon = true;
            }
        });
        if ui
            .checkbox(
                &mut self.keyring.x509_strict,
                "Strict RFC 5280 profile (as openssl -x509_strict)",
            )
            .on_hover_text(
                "Reject certificates that break any rule of the RFC 5280 profile: missing key identifiers, extensions with the wrong criticality, non-positive serial numbers, malformed names",
            )
            .changed()
        {
            self.reload_keyring();
                self.reinspect_soon = true;
        }
        ui.collapsing("Certificate policies", |ui| {
            let mut changed = false;
            ui.horizontal(|ui| {
                let label = ui.label("Acceptable policies:");
                let edit = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.keyring.policy_text)
                            .hint_text("any (or OIDs, comma-separated)")
                            .desired_width(220.0),
                    )
                    .labelled_by(label.id)
                    .on_hover_text(
                        "RFC 5280 user-initial-policy-set, as openssl -policy: dotted OIDs separated by commas; empty means any policy",
                    );
                if edit.lost_focus() {
                    changed |= self.keyring.apply_policy_text();
                }
            });
            if let Some(e) = &self.keyring.policy_error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            changed |= ui
                .checkbox(
                    &mut self.keyring.policy.explicit_policy,
                    "Require an explicit policy (as openssl -explicit_policy)",
                )
                .changed();
            changed |= ui
                .checkbox(
                    &mut self.keyring.policy.inhibit_policy_mapping,
                    "Do not follow policy mappings (as openssl -inhibit_map)",
                )
                .changed();
            changed |= ui
                .checkbox(
                    &mut self.keyring.policy.inhibit_any_policy,
                    "Do not accept anyPolicy (as openssl -inhibit_any)",
                )
                .changed();
            if changed {
                self.reload_keyring();
                self.reinspect_soon = true;
            }
        });
        let mut remove = None;
        for (i, item) in self.keyring.items.iter().enumerate() {
            ui.horizontal(|ui| {
                let status = match self.keyring_status.get(i) {
                    Some(ItemStatus::Loaded) => egui::RichText::new("loaded").weak(),
                    Some(ItemStatus::NeedsPassword) => {
                        egui::RichText::new("needs its password").color(ui.visuals().warn_fg_color)
                    }
                    // An item that could not be used is an error: in the error colour, and
                    // without the path the line already shows.
                    Some(ItemStatus::Failed(e)) => {
                        let path = item.path.display().to_string();
                        let reason = e
                            .replace(&format!(" from {path}: "), ": ")
                            .replace(&format!("{path}: "), "");
                        egui::RichText::new(reason).color(ui.visuals().error_fg_color)
                    }
                    None => egui::RichText::new(""),
                };
                ui.label(egui::RichText::new(item.kind.label()).strong());
                ui.add(egui::Label::new(item.path.display().to_string()).truncate())
                    .on_hover_text(item.path.display().to_string());
                ui.label(status);
                if ui.small_button("remove").on_hover_text("Remove").clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.keyring.remove(i);
            self.reload_keyring();
            self.reinspect_soon = true;
        }
        if let Some(i) = self.waiting_for_password() {
            ui.separator();
            let label = ui.label(format!(
                "Password for {}",
                self.keyring.items[i].path.display()
            ));
            let resp = ui
                .add(egui::TextEdit::singleline(&mut self.password).password(true))
                .labelled_by(label.id);
            if ui.button("Open key").clicked()
                || (resp.lost_focus() && ui.input(|inp| inp.key_pressed(egui::Key::Enter)))
            {
                self.submit_password();
            }
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let open = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        let next = KeyboardShortcut::new(Modifiers::COMMAND, Key::ArrowDown);
        let prev = KeyboardShortcut::new(Modifiers::COMMAND, Key::ArrowUp);
        let copy = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::C);
        if ctx.input_mut(|i| i.consume_shortcut(&open)) {
            if let Some(files) = rfd::FileDialog::new().pick_files() {
                self.open(
                    files.into_iter().map(Source::Path).collect(),
                    Some(ctx.clone()),
                );
            }
        }
        if ctx.input_mut(|i| i.consume_shortcut(&next)) {
            self.step(1);
        }
        if ctx.input_mut(|i| i.consume_shortcut(&prev)) {
            self.step(-1);
        }
        if ctx.input_mut(|i| i.consume_shortcut(&copy)) {
            if let Some(m) = self.current() {
                ctx.copy_text(m.report.to_json_pretty());
                self.status = "Report copied as JSON.".into();
            }
        }
    }

    fn dropped(&mut self, ctx: &egui::Context) {
        let files: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !files.is_empty() {
            if self.tab == LeftTab::Keyring {
                self.add_keyring(files, MaterialKind::Trust);
                self.reinspect_soon = true;
            } else {
                self.open(
                    files.into_iter().map(Source::Path).collect(),
                    Some(ctx.clone()),
                );
            }
        }
    }

    /// Draws the window (also the entry point of the UI tests).
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.poll_job();
        if self.reinspect_soon && self.job.is_none() {
            self.reinspect_soon = false;
            self.reinspect(Some(ctx.clone()));
        }
        self.poll_sender(Some(ctx.clone()));
        self.poll_listener(Some(ctx.clone()));
        self.shortcuts(&ctx);
        self.dropped(&ctx);
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar(ui));
        // The left panel may be resized but never takes more than 40 % of the window, so a
        // long keyring path cannot widen it for good and the report keeps its room (960 px
        // windows included).
        let max_left = (ui.available_width() * 0.4).max(240.0);
        egui::Panel::left("left")
            .resizable(true)
            .default_size(380.0_f32.min(max_left))
            .size_range(200.0..=max_left)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(
                        &mut self.tab,
                        LeftTab::Messages,
                        format!("Messages ({})", self.messages.len()),
                    );
                    ui.selectable_value(
                        &mut self.tab,
                        LeftTab::Keyring,
                        format!("Keyring ({})", self.keyring.items.len()),
                    );
                    ui.selectable_value(&mut self.tab, LeftTab::Compose, "Compose");
                    ui.selectable_value(&mut self.tab, LeftTab::Listen, "Listen");
                });
                ui.separator();
                match self.tab {
                    LeftTab::Messages => self.message_list(ui),
                    LeftTab::Keyring => self.keyring_panel(ui),
                    LeftTab::Compose => {
                        // The form has the main area's room; the list stays here.
                        ui.label(
                            egui::RichText::new("The Compose form is in the main area.").weak(),
                        );
                        ui.separator();
                        self.message_list(ui);
                    }
                    LeftTab::Listen => {
                        compose_view::listen(self, ui);
                        ui.separator();
                        self.message_list(ui);
                    }
                }
            });
        let at = self.at().unwrap_or_else(|_| (self.clock)());
        egui::CentralPanel::default_margins().show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("report").show(ui, |ui| {
                // Compose in the main area, above the report of the selected (previewed)
                // message.
                if self.tab == LeftTab::Compose {
                    egui::CollapsingHeader::new("Compose")
                        .default_open(true)
                        .show(ui, |ui| compose_view::compose(self, ui));
                    ui.separator();
                }
                let sel = self.selected;
                match sel.and_then(|i| self.messages.get(i)) {
                    Some(m) => {
                        let mut layer = self.selected_layer;
                        let mut element = self.selected_element;
                        let clicked = report_view::show(ui, m, &mut layer, &mut element, at);
                        self.selected_layer = layer;
                        self.selected_element = element;
                        if let Some(kind) = clicked {
                            self.banner_action(kind);
                        }
                    }
                    None => {
                        ui.heading("Sealscope");
                        ui.label("Drop messages, certificates or keys here, or use Open files… (Ctrl+O).");
                        ui.label("Ctrl+Down / Ctrl+Up: next / previous message; Ctrl+Shift+C: copy the report as JSON.");
                    }
                }
            });
        });
        if self.job.is_some() || self.sender.is_some() || self.listener.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }
}
