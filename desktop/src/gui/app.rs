//! The window: toolbar, message list and keyring on the left, the selected report in the
//! middle. State changes go through methods that tests drive as well.

use super::compose_panel::{ComposeForm, ListenForm};
use super::compose_view;
use super::jobs::{Job, Outcome, Source};
use super::model::{ItemStatus, KeyringState, MaterialKind, Message, Origin, Persisted};
use super::report_view;
use sealscope_core::{Keyring, Options, Session, UnixTime};
use std::path::PathBuf;
use std::sync::Arc;

mod panels;
mod transfer;

/// Key of the persisted settings in eframe's storage.
pub const STORAGE_KEY: &str = "sealscope.settings";

/// What the left panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeftTab {
    /// The message list.
    Messages,
    /// The keyring.
    Keyring,
    /// Compose, preview and send.
    Compose,
    /// Listen to a STOMP destination, an HTTP port or AMS.
    Listen,
}

/// A running listener: the thread listening through [`crate::actions::listen`], the flag
/// that stops it and what it has sent back.
pub struct Listener {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    events: std::sync::mpsc::Receiver<transfer::ListenEvent>,
    /// Messages received so far.
    pub received: usize,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The desktop app.
pub struct SealscopeApp {
    /// Messages opened, pasted or received, in order.
    pub messages: Vec<Message>,
    /// Index of the selected message.
    pub selected: Option<usize>,
    /// Selected layer of the selected message.
    pub selected_layer: usize,
    /// Selected ASN.1 element of that layer (byte range), if any.
    pub selected_element: Option<[usize; 2]>,
    /// The keyring's files and passwords.
    pub keyring: KeyringState,
    /// Status of each keyring item after the last load.
    pub keyring_status: Vec<ItemStatus>,
    session: Arc<Session>,
    /// The running job, if any.
    pub job: Option<Job>,
    /// The status line.
    pub status: String,
    /// The verification time typed by the user (RFC 3339), or empty for now.
    pub at_text: String,
    /// Forced profile name, or empty to detect.
    pub profile: String,
    /// Text in the paste box.
    pub paste: String,
    /// Whether the paste box is open.
    pub paste_open: bool,
    /// A path typed by hand: the fallback where no file dialog exists (no portal or zenity).
    pub path_text: String,
    /// The keyring, time or profile changed in the window: inspect the list again once the
    /// running job is done.
    pub reinspect_soon: bool,
    /// The selection (message, layer) to restore when the re-inspected list comes back.
    pub keep_selection: Option<(usize, usize)>,
    /// The verification time the list was last inspected at (as typed).
    pub at_text_applied: String,
    /// The password field of the key waiting for one.
    pub password: String,
    /// Left panel tab.
    pub tab: LeftTab,
    /// Dark theme (None: follow the system).
    pub dark: Option<bool>,
    /// Send targets remembered.
    pub targets: Vec<String>,
    /// The compose form.
    pub compose: ComposeForm,
    /// The last composed bytes.
    pub preview: Option<Vec<u8>>,
    /// What the last compose or send said.
    pub compose_result: String,
    /// The listen form.
    pub listen: ListenForm,
    /// The running listener.
    pub listener: Option<Listener>,
    sender: Option<std::sync::mpsc::Receiver<Result<crate::actions::send::Sent, String>>>,
    composed: usize,
    replies: usize,
    title: String,
    clock: fn() -> UnixTime,
}

impl SealscopeApp {
    /// The app with persisted settings (if any) and files to open at once.
    pub fn new(persisted: Option<Persisted>, files: Vec<PathBuf>, clock: fn() -> UnixTime) -> Self {
        let p = persisted.unwrap_or_default();
        let mut app = SealscopeApp {
            messages: Vec::new(),
            selected: None,
            selected_layer: 0,
            selected_element: None,
            keyring: KeyringState {
                items: p.keyring,
                ..Default::default()
            },
            keyring_status: Vec::new(),
            session: Arc::new(Session::new(Keyring::new(), Options::new("", clock()))),
            job: None,
            status: "Open files (Ctrl+O), drop them on the window, or paste a message.".into(),
            at_text: String::new(),
            profile: String::new(),
            paste: String::new(),
            paste_open: false,
            path_text: String::new(),
            reinspect_soon: false,
            keep_selection: None,
            at_text_applied: String::new(),
            password: String::new(),
            tab: LeftTab::Messages,
            dark: p.dark,
            targets: p.targets,
            compose: ComposeForm::default(),
            preview: None,
            compose_result: String::new(),
            listen: ListenForm::default(),
            listener: None,
            sender: None,
            composed: 0,
            replies: 0,
            title: String::new(),
            clock,
        };
        app.reload_keyring();
        if !files.is_empty() {
            app.open(files.into_iter().map(Source::Path).collect(), None);
        }
        app
    }

    /// What is saved between runs.
    pub fn persisted(&self) -> Persisted {
        Persisted {
            keyring: self.keyring.items.clone(),
            dark: self.dark,
            targets: self.targets.clone(),
        }
    }

    /// The verification time: the typed one, else now.
    pub fn at(&self) -> Result<UnixTime, String> {
        let t = self.at_text.trim();
        if t.is_empty() {
            Ok((self.clock)())
        } else {
            UnixTime::parse(t).map_err(|e| format!("verification time: {e}"))
        }
    }

    /// The inspection options of the window's fields (the core's text forms).
    pub fn options(&self) -> Result<Options, String> {
        let mut o = Options::new("", self.at()?);
        if !self.profile.is_empty() {
            o.set_profile(&self.profile)
                .map_err(|e| format!("profile: {e}"))?;
        }
        Ok(o)
    }

    /// The session the window inspects in: its keyring and the requests seen so far.
    pub fn session(&self) -> Arc<Session> {
        self.session.clone()
    }

    /// Reloads the keyring from its files; the status line says what failed.
    pub fn reload_keyring(&mut self) {
        let (ring, statuses) = self.keyring.build();
        self.session = Arc::new(self.session.with_keyring(ring));
        let failed: Vec<String> = self
            .keyring
            .items
            .iter()
            .zip(&statuses)
            .filter_map(|(i, s)| match s {
                // Each reason names its file already.
                ItemStatus::Failed(e) if e.contains(&i.path.display().to_string()) => {
                    Some(e.clone())
                }
                ItemStatus::Failed(e) => Some(format!("{}: {e}", i.path.display())),
                _ => None,
            })
            .collect();
        if !failed.is_empty() {
            self.status = failed.join("; ");
        }
        self.keyring_status = statuses;
    }

    /// The report banner's button: a file dialog for the keyring input it asks for, then
    /// the keyring reloaded and the messages inspected again.
    pub fn banner_action(&mut self, kind: sealscope_core::report::headline::ActionKind) {
        use sealscope_core::report::headline::ActionKind as A;
        let material = match kind {
            A::AddTrustAnchor => MaterialKind::Trust,
            A::AddCertificate => MaterialKind::Certificate,
            A::AddCrl => MaterialKind::Crl,
            A::AddKey => MaterialKind::Key,
            A::AddContentKey => return,
        };
        match rfd::FileDialog::new().pick_files() {
            Some(files) => {
                self.add_keyring(files, material);
                self.reinspect_soon = true;
            }
            None => {
                self.status = format!(
                    "no file chosen: type the {}'s path in the Path field of the Keyring tab",
                    material.label()
                );
                self.tab = LeftTab::Keyring;
            }
        }
    }

    /// The typed path, when it names something that exists; else the status says why.
    pub fn typed_path(&mut self) -> Option<PathBuf> {
        let text = self.path_text.trim();
        if text.is_empty() {
            self.status = "type a file or folder path first".into();
            return None;
        }
        let p = PathBuf::from(text);
        if !p.exists() {
            self.status = format!("{text}: no such file or folder");
            return None;
        }
        Some(p)
    }

    /// Adds keyring files and reloads.
    pub fn add_keyring(&mut self, paths: Vec<PathBuf>, kind: MaterialKind) {
        for p in paths {
            self.keyring.add(p, kind);
        }
        self.reload_keyring();
        if let Some(i) = self.waiting_for_password() {
            self.status = format!(
                "{} needs its password (Keyring tab).",
                self.keyring.items[i].path.display()
            );
            self.tab = LeftTab::Keyring;
        }
    }

    /// The first key that waits for a password.
    pub fn waiting_for_password(&self) -> Option<usize> {
        self.keyring_status
            .iter()
            .position(|s| *s == ItemStatus::NeedsPassword)
    }

    /// Gives the password of the waiting key (kept in memory only) and reloads.
    pub fn submit_password(&mut self) {
        if let Some(i) = self.waiting_for_password() {
            let path = self.keyring.items[i].path.clone();
            self.keyring
                .passwords
                .insert(path.clone(), std::mem::take(&mut self.password));
            self.reload_keyring();
            match self.keyring_status[i].clone() {
                ItemStatus::Loaded => self.status = format!("{} opened.", path.display()),
                ItemStatus::Failed(e) => {
                    self.keyring.passwords.remove(&path);
                    self.keyring_status[i] = ItemStatus::NeedsPassword;
                    self.status = format!("{}: {e}", path.display());
                }
                ItemStatus::NeedsPassword => {}
            }
        }
    }

    /// Starts inspecting `sources` in the background.
    pub fn open(&mut self, sources: Vec<Source>, ctx: Option<egui::Context>) {
        let opts = match self.options() {
            Ok(o) => o,
            Err(e) => {
                self.status = e;
                return;
            }
        };
        if let Some(j) = &self.job {
            j.cancel();
        }
        let label = if sources.len() == 1 {
            match &sources[0] {
                Source::Path(p) => p.display().to_string(),
                Source::Bytes { name, .. } => name.clone(),
            }
        } else {
            format!("{} inputs", sources.len())
        };
        let wake: Box<dyn Fn() + Send> = match ctx {
            Some(c) => Box::new(move || c.request_repaint()),
            None => Box::new(|| {}),
        };
        self.status = format!("Inspecting {label}…");
        self.job = Some(Job::inspect(label, sources, self.session(), opts, wake));
    }

    /// Inspects the pasted text.
    pub fn inspect_paste(&mut self, ctx: Option<egui::Context>) {
        let text = std::mem::take(&mut self.paste);
        if text.trim().is_empty() {
            self.status = "Nothing to inspect: the paste box is empty.".into();
            return;
        }
        let n = self
            .messages
            .iter()
            .filter(|m| m.origin == Origin::Pasted)
            .count();
        self.paste_open = false;
        self.open(
            vec![Source::Bytes {
                name: format!("pasted-{}", n + 1),
                bytes: text.into_bytes(),
                origin: Origin::Pasted,
            }],
            ctx,
        );
    }

    /// Inspects every listed message again (after a keyring, time or profile change).
    pub fn reinspect(&mut self, ctx: Option<egui::Context>) {
        let sources: Vec<Source> = self
            .messages
            .drain(..)
            .map(|m| Source::Bytes {
                name: m.report.input.name.clone(),
                bytes: Arc::try_unwrap(m.bytes).unwrap_or_else(|b| (*b).clone()),
                origin: m.origin,
            })
            .collect();
        self.keep_selection = self.selected.map(|i| (i, self.selected_layer));
        self.selected = None;
        self.session.forget_seen();
        if !sources.is_empty() {
            self.open(sources, ctx);
        }
    }

    /// Takes the job's results into the list.
    pub fn poll_job(&mut self) {
        let Some(job) = self.job.as_mut() else {
            return;
        };
        let outcomes = job.poll();
        let finished = job.finished();
        self.absorb(outcomes);
        if finished {
            if let Some(j) = self.job.take() {
                let n = j.done.load(std::sync::atomic::Ordering::Relaxed);
                self.status = if j.cancelled() {
                    format!("Cancelled after {n} message(s).")
                } else {
                    format!("Inspected {n} message(s) from {}.", j.label)
                };
            }
        }
    }

    /// Waits for the job to end and takes its results (tests; never on the UI thread).
    #[cfg(test)]
    pub fn wait_job(&mut self) {
        if let Some(mut j) = self.job.take() {
            let outcomes = j.wait();
            self.absorb(outcomes);
            self.status = format!("Inspected {} message(s).", self.messages.len());
        }
    }

    fn absorb(&mut self, outcomes: Vec<Outcome>) {
        for o in outcomes {
            match o {
                Outcome::Inspected(d) => {
                    let m = d.conclude(&self.session);
                    self.messages.push(m);
                    let last = self.messages.len() - 1;
                    match self.keep_selection {
                        // Inspected again: the same message and layer as before.
                        Some((i, layer)) if i == last => {
                            self.select(i);
                            self.selected_layer = layer;
                            self.keep_selection = None;
                        }
                        Some(_) => {}
                        None if self.selected.is_none() => self.select(last),
                        None => {}
                    }
                }
                Outcome::Failed(e) => self.status = e,
            }
        }
    }

    /// Selects a message.
    pub fn select(&mut self, i: usize) {
        if i < self.messages.len() {
            self.selected = Some(i);
            self.selected_layer = 0;
            self.selected_element = None;
        }
    }

    /// Moves the selection by `delta` messages.
    pub fn step(&mut self, delta: isize) {
        if self.messages.is_empty() {
            return;
        }
        let cur = self.selected.unwrap_or(0) as isize;
        let next = (cur + delta).clamp(0, self.messages.len() as isize - 1);
        self.select(next as usize);
    }

    /// The selected message.
    pub fn current(&self) -> Option<&Message> {
        self.selected.and_then(|i| self.messages.get(i))
    }

    /// The window title for the selection.
    pub fn window_title(&self) -> String {
        match self.current() {
            Some(m) => format!("Sealscope — {}", m.name),
            None => "Sealscope".into(),
        }
    }

    /// Asks where to save `bytes` and writes them.
    pub fn save_dialog(&mut self, default: &str, bytes: &[u8]) {
        if let Some(path) = rfd::FileDialog::new().set_file_name(default).save_file() {
            self.status = match std::fs::write(&path, bytes) {
                Ok(()) => format!("Saved {}.", path.display()),
                Err(e) => format!("cannot write {}: {e}", path.display()),
            };
        }
    }
}

impl eframe::App for SealscopeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.draw(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.persisted());
    }
}
