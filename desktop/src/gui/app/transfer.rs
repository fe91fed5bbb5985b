//! Composing, sending and listening from the window: composition runs in-process, `send`
//! and `listen` run as child processes (see `peer`), and what they bring back is inspected
//! like any other message.

use super::{Listener, SealscopeApp};
use crate::gui::jobs::Source;
use crate::gui::model::Origin;
use crate::gui::peer::{self, Process, Scratch};

impl SealscopeApp {
    /// Composes from the form; the result is inspected and listed as `composed-N`.
    pub fn preview_compose(&mut self, ctx: Option<egui::Context>) {
        let scratch = match Scratch::new("compose") {
            Ok(s) => s,
            Err(e) => {
                self.compose_result = format!("cannot make a scratch directory: {e}");
                return;
            }
        };
        let payload = scratch.dir.join("payload");
        if let Err(e) = std::fs::write(&payload, self.compose.payload.as_bytes()) {
            self.compose_result = format!("cannot write the payload: {e}");
            return;
        }
        let args = self.compose.compose_args(&payload);
        match peer::compose(&args, &scratch.dir.join("out")) {
            Ok(bytes) => {
                self.composed += 1;
                self.compose_result = format!(
                    "composed {} bytes (composed-{})",
                    bytes.len(),
                    self.composed
                );
                self.preview = Some(bytes.clone());
                self.selected = None;
                self.open(
                    vec![Source::Bytes {
                        name: format!("composed-{}", self.composed),
                        bytes,
                        origin: Origin::Composed,
                    }],
                    ctx,
                );
            }
            Err(e) => {
                self.preview = None;
                self.compose_result = e.clone();
                self.status = e;
            }
        }
    }

    /// Sends the composed bytes to the form's target with `sealscope send`.
    pub fn send_preview(&mut self) {
        let Some(bytes) = self.preview.clone() else {
            self.compose_result = "Compose first: nothing to send.".into();
            return;
        };
        let target = self.compose.target.trim().to_string();
        if target.is_empty() {
            self.compose_result =
                "Give a target: stomp://host:61613/queue/x, http(s)://host/path or ams://…".into();
            return;
        }
        let started = Scratch::new("send").and_then(|s| {
            std::fs::write(s.dir.join("message"), &bytes)?;
            Ok(s)
        });
        let scratch = match started {
            Ok(s) => s,
            Err(e) => {
                self.compose_result = format!("cannot write the message: {e}");
                return;
            }
        };
        let args = self
            .compose
            .send_args(&scratch.dir.join("message"), &scratch.dir.join("reply"));
        match Process::start(&self.exe, &args) {
            Ok(p) => {
                self.compose_result = format!("sending to {target}…");
                self.sender = Some((p, scratch));
                self.targets.retain(|t| *t != target);
                self.targets.insert(0, target);
                self.targets.truncate(10);
            }
            Err(e) => self.compose_result = e,
        }
    }

    /// Whether a send is under way.
    pub fn sending(&self) -> bool {
        self.sender.is_some()
    }

    /// Takes a finished send's answer: the broker's RECEIPT frame or the server's reply is
    /// listed as a received message and inspected.
    pub fn poll_sender(&mut self, ctx: Option<egui::Context>) {
        let Some((p, scratch)) = self.sender.as_mut() else {
            return;
        };
        if p.running() {
            return;
        }
        let out = p.output();
        let code = p.exit.unwrap_or(-1);
        let reply = std::fs::read(scratch.dir.join("reply")).ok();
        self.sender = None;
        let summary = out
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string();
        self.compose_result = if code == 0 {
            summary
        } else {
            format!("send failed: {}", out.lines().last().unwrap_or("no output"))
        };
        self.status = self.compose_result.clone();
        if let Some(bytes) = reply {
            self.replies += 1;
            let kind = if bytes.starts_with(b"RECEIPT") {
                "receipt"
            } else {
                "reply"
            };
            self.selected = None;
            self.open(
                vec![Source::Bytes {
                    name: format!("{kind}-{}", self.replies),
                    bytes,
                    origin: Origin::Received,
                }],
                ctx,
            );
        }
    }

    /// Starts `sealscope listen` on the form's URL.
    pub fn start_listening(&mut self) {
        self.stop_listening();
        let scratch = match Scratch::new("listen") {
            Ok(s) => s,
            Err(e) => {
                self.status = format!("cannot make a scratch directory: {e}");
                return;
            }
        };
        match Process::start(&self.exe, &self.listen.args(&scratch.dir)) {
            Ok(process) => {
                self.status = format!("Listening on {}…", self.listen.url.trim());
                self.listener = Some(Listener {
                    process,
                    scratch,
                    seen: Default::default(),
                    received: 0,
                });
            }
            Err(e) => self.status = e,
        }
    }

    /// Stops the listener.
    pub fn stop_listening(&mut self) {
        if let Some(mut l) = self.listener.take() {
            l.process.stop();
            self.status = format!("Stopped listening; {} message(s) received.", l.received);
        }
    }

    /// Inspects the messages the listener saved since the last call; reports its failure.
    pub fn poll_listener(&mut self, ctx: Option<egui::Context>) {
        let Some(l) = self.listener.as_mut() else {
            return;
        };
        let files = peer::new_files(&l.scratch.dir, &mut l.seen);
        let running = l.process.running();
        let mut sources = Vec::new();
        for f in files {
            if let Ok(bytes) = std::fs::read(&f) {
                l.received += 1;
                let name = f.file_name().and_then(|n| n.to_str()).map_or_else(
                    || format!("received-{}", l.received),
                    |n| format!("received-{n}"),
                );
                sources.push(Source::Bytes {
                    name,
                    bytes,
                    origin: Origin::Received,
                });
            }
        }
        if !running {
            let out = l.process.output();
            self.status = format!(
                "The listener stopped: {}",
                out.lines().last().unwrap_or("no output")
            );
            self.listener = None;
        }
        if !sources.is_empty() && self.job.is_none() {
            self.open(sources, ctx);
        } else if !sources.is_empty() {
            // A job is running: take these once it ends.
            if let Some(l) = self.listener.as_mut() {
                for s in &sources {
                    if let Source::Bytes { name, .. } = s {
                        l.seen
                            .retain(|p| !p.ends_with(name.trim_start_matches("received-")));
                    }
                }
                l.received -= sources.len();
            }
        }
    }
}
