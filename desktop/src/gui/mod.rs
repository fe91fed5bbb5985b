//! The desktop window (egui/eframe): open, drop or paste messages and see their reports,
//! manage the keyring. UI code lives here; files and transports stay in the rest of the
//! crate, and `model` and `jobs` hold no UI code.

mod app;
mod asn1_view;
mod compose_panel;
mod compose_view;
mod hex;
mod jobs;
mod model;
mod report_view;
#[cfg(test)]
mod tests;

pub use app::SealscopeApp;

use crate::error::CliError;
use std::path::PathBuf;

/// Opens the window with `files` loaded; returns when it is closed.
pub fn run(files: Vec<PathBuf>) -> Result<u8, CliError> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Sealscope")
            .with_app_id("sealscope")
            .with_inner_size([1280.0, 820.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Sealscope",
        options,
        Box::new(move |cc| {
            let persisted = cc
                .storage
                .and_then(|s| eframe::get_value::<model::Persisted>(s, app::STORAGE_KEY));
            if let Some(dark) = persisted.as_ref().and_then(|p| p.dark) {
                cc.egui_ctx.set_theme(if dark {
                    egui::Theme::Dark
                } else {
                    egui::Theme::Light
                });
            }
            let mut app = SealscopeApp::new(persisted, Vec::new(), crate::now);
            if !files.is_empty() {
                app.open(
                    files.into_iter().map(jobs::Source::Path).collect(),
                    Some(cc.egui_ctx.clone()),
                );
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| CliError::Usage(format!("cannot open the window: {e}")))?;
    Ok(0)
}
