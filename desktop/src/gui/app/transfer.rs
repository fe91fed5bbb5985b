//! Composing, sending and listening from the window, through the same library calls as the
//! command line ([`crate::actions`]): composition runs at once, sending and listening on
//! threads whose results arrive over channels. Nothing runs as a child process, so no
//! passcode or token is ever on a command line.

use super::{Listener, SealscopeApp};
use crate::actions::compose::compose;
use crate::actions::listen::{listen, Carrier, Sink};
use crate::actions::send::{send, Sent};
use crate::error::CliError;
use crate::gui::jobs::Source;
use crate::gui::model::Origin;
use sealscope_core::crypto::prehash::Prehashed;
use sealscope_core::{Options, Report, Session};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

/// What the listening thread tells the window.
#[derive(Debug)]
pub enum ListenEvent {
    /// A line about the session (subscribed, listening on …).
    Notice(String),
    /// A message arrived.
    Message {
        /// Its name (`received-0001.stomp`, …).
        name: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// The session ended: messages taken, or why it failed.
    Ended(Result<usize, String>),
}

/// The window's sink: each message goes to the window, which inspects and lists it in its
/// session; an HTTP peer is answered at once with the report of the window's keyring and
/// options as they were when listening started (read, not yet concluded: the window
/// concludes it when it lists the message).
struct ToWindow {
    events: mpsc::Sender<ListenEvent>,
    session: Arc<Session>,
    options: Options,
    seen: usize,
}

impl Sink for ToWindow {
    fn notice(&mut self, line: &str) {
        let _ = self.events.send(ListenEvent::Notice(line.to_string()));
    }

    fn take(&mut self, bytes: &[u8], carrier: Carrier, name: String) -> Result<Report, CliError> {
        self.seen += 1;
        let mut opts = self.options.clone();
        opts.name = name;
        let report = self
            .session
            .draft(bytes, &opts, &Prehashed::default())
            .report()
            .clone();
        self.events
            .send(ListenEvent::Message {
                name: format!("received-{:04}.{}", self.seen, carrier.extension()),
                bytes: bytes.to_vec(),
            })
            .map_err(|_| CliError::Transport("the window closed".into()))?;
        Ok(report)
    }
}

impl SealscopeApp {
    /// Composes from the form; the result is inspected and listed as `composed-N`.
    pub fn preview_compose(&mut self, ctx: Option<egui::Context>) {
        let request = self.compose.request();
        match compose(&request, crate::now()) {
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
                self.compose_result = e.to_string();
                self.status = e.to_string();
            }
        }
    }

    /// Sends the composed bytes to the form's target on a thread.
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
        let (request, conn) = self.compose.send_request(bytes);
        let (tx, rx) = mpsc::channel();
        let started = std::thread::Builder::new()
            .name("sealscope-send".into())
            .spawn(move || {
                let _ = tx.send(send(&request, &conn, crate::now()).map_err(|e| e.to_string()));
            });
        match started {
            Ok(_) => {
                self.compose_result = format!("sending to {target}…");
                self.sender = Some(rx);
                self.targets.retain(|t| *t != target);
                self.targets.insert(0, target);
                self.targets.truncate(10);
            }
            Err(e) => self.compose_result = format!("cannot start sending: {e}"),
        }
    }

    /// Whether a send is under way.
    pub fn sending(&self) -> bool {
        self.sender.is_some()
    }

    /// Takes a finished send's answer: the broker's RECEIPT frame or the server's reply is
    /// listed as a received message and inspected.
    pub fn poll_sender(&mut self, ctx: Option<egui::Context>) {
        let Some(rx) = self.sender.as_ref() else {
            return;
        };
        let result: Result<Sent, String> = match rx.try_recv() {
            Ok(r) => r,
            Err(mpsc::TryRecvError::Empty) => return,
            Err(mpsc::TryRecvError::Disconnected) => Err("the sending thread stopped".into()),
        };
        self.sender = None;
        let sent = match result {
            Ok(sent) => sent,
            Err(e) => {
                self.compose_result = format!("send failed: {e}");
                self.status = self.compose_result.clone();
                return;
            }
        };
        self.compose_result = match sent.refusal() {
            Some(e) => format!("send failed: {e}"),
            None => sent.summary.clone(),
        };
        self.status = self.compose_result.clone();
        if let Some(bytes) = sent.reply {
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

    /// Starts listening on the form's URL, on a thread.
    pub fn start_listening(&mut self) {
        self.stop_listening();
        let options = match self.options() {
            Ok(o) => o,
            Err(e) => {
                self.status = e;
                return;
            }
        };
        let (request, conn) = self.listen.request();
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let mut sink = ToWindow {
            events: tx.clone(),
            session: self.session(),
            options,
            seen: 0,
        };
        let flag = stop.clone();
        let started = std::thread::Builder::new()
            .name("sealscope-listen".into())
            .spawn(move || {
                let result = listen(&request, &conn, &flag, &mut sink).map_err(|e| e.to_string());
                let _ = tx.send(ListenEvent::Ended(result));
            });
        match started {
            Ok(_) => {
                self.status = format!("Listening on {}…", self.listen.url.trim());
                self.listener = Some(Listener {
                    stop,
                    events: rx,
                    received: 0,
                });
            }
            Err(e) => self.status = format!("cannot start listening: {e}"),
        }
    }

    /// Stops the listener (its thread ends at its next check, within half a second).
    pub fn stop_listening(&mut self) {
        if let Some(l) = self.listener.take() {
            l.stop.store(true, Ordering::Relaxed);
            self.status = format!("Stopped listening; {} message(s) received.", l.received);
        }
    }

    /// Inspects the messages the listener received since the last call; reports its end.
    pub fn poll_listener(&mut self, ctx: Option<egui::Context>) {
        if self.job.is_some() {
            // A job is running: take the messages once it ends.
            return;
        }
        let Some(l) = self.listener.as_mut() else {
            return;
        };
        let mut sources = Vec::new();
        let mut ended = None;
        while let Ok(event) = l.events.try_recv() {
            match event {
                ListenEvent::Notice(line) => self.status = line,
                ListenEvent::Message { name, bytes } => {
                    l.received += 1;
                    sources.push(Source::Bytes {
                        name,
                        bytes,
                        origin: Origin::Received,
                    });
                }
                ListenEvent::Ended(result) => ended = Some(result),
            }
        }
        if let Some(result) = ended {
            self.status = match result {
                Ok(n) => format!("The listener stopped after {n} message(s)."),
                Err(e) => format!("The listener stopped: {e}"),
            };
            self.listener = None;
        }
        if !sources.is_empty() {
            self.open(sources, ctx);
        }
    }
}
