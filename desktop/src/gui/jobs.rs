//! Long work off the UI thread: inspecting files, directories and pasted text in a worker
//! thread, with a progress count and cancellation; the window polls the results.

use super::model::{Message, Origin};
use crate::actions::inputs::{self, Loaded};
use sealscope_core::{Draft, Options, Session};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::Arc;
use std::thread::JoinHandle;

/// Something to inspect.
#[derive(Clone, Debug)]
pub enum Source {
    /// A file or directory (every file inside, SSM dirq queues recognised).
    Path(PathBuf),
    /// Bytes already in memory (pasted, received, composed).
    Bytes {
        /// Name shown.
        name: String,
        /// The bytes.
        bytes: Vec<u8>,
        /// Where they came from.
        origin: Origin,
    },
}

/// A message read by the worker, its report a draft the window concludes in order.
#[derive(Debug)]
pub struct Drafted {
    /// Name shown.
    pub name: String,
    /// Where it came from.
    pub origin: Origin,
    /// The bytes as read.
    pub bytes: Arc<Vec<u8>>,
    /// The report before the cross-message checks.
    pub draft: Draft,
    /// Decoded buffers the layer ranges refer to.
    pub buffers: Vec<Vec<u8>>,
}

impl Drafted {
    /// The message, with the report the session concluded.
    pub fn conclude(self, session: &Session) -> Message {
        let (report, _) = session.conclude(self.draft);
        Message {
            name: self.name,
            origin: self.origin,
            bytes: self.bytes,
            report,
            buffers: self.buffers,
        }
    }
}

/// What the worker sends back.
#[derive(Debug)]
pub enum Outcome {
    /// A message was read.
    Inspected(Box<Drafted>),
    /// A path could not be read.
    Failed(String),
}

/// One unit of work: the name, and either a file input or bytes with their origin.
type Work = (String, Option<inputs::Input>, Option<(Vec<u8>, Origin)>);

/// A running (or finished) inspection job.
#[derive(Debug)]
pub struct Job {
    /// What it does, for the status line.
    pub label: String,
    /// Inputs found so far.
    pub total: Arc<AtomicUsize>,
    /// Inputs done.
    pub done: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    rx: Receiver<Outcome>,
    handle: Option<JoinHandle<()>>,
    finished: bool,
}

impl Job {
    /// Starts inspecting `sources` in `session` with the options `base` (named per input);
    /// `wake` is called after each message (the window asks for a repaint).
    pub fn inspect(
        label: String,
        sources: Vec<Source>,
        session: Arc<Session>,
        base: Options,
        wake: Box<dyn Fn() + Send>,
    ) -> Job {
        let total = Arc::new(AtomicUsize::new(0));
        let done = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let (t, d, c) = (total.clone(), done.clone(), cancel.clone());
        let handle = std::thread::spawn(move || {
            // Expand first so the progress bar knows the total.
            let mut work: Vec<Work> = Vec::new();
            for s in sources {
                match s {
                    Source::Path(p) => match inputs::expand(std::slice::from_ref(&p)) {
                        Ok(list) => {
                            // Archive members are read here, one after another.
                            let reading = crate::actions::archive::Reading {
                                limit: base.max_input,
                                skip: Arc::default(),
                                consumed: Arc::default(),
                            };
                            for i in inputs::flatten(list, reading) {
                                work.push((i.name(), Some(i), None));
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Outcome::Failed(e.to_string()));
                        }
                    },
                    Source::Bytes {
                        name,
                        bytes,
                        origin,
                    } => work.push((name, None, Some((bytes, origin)))),
                }
                t.store(work.len(), Ordering::Relaxed);
            }
            t.store(work.len(), Ordering::Relaxed);
            wake();
            for (name, input, inline) in work {
                if c.load(Ordering::Relaxed) {
                    break;
                }
                let (bytes, origin, stored) = match (input, inline) {
                    (_, Some((b, o))) => (b, o, None),
                    (Some(i), None) => match (i.stored.clone(), i.into_read(base.max_input)) {
                        (stored, Ok(Loaded::Bytes(b, _))) => (b, Origin::File, stored),
                        (_, Ok(too_large)) => {
                            let mut opts = base.clone();
                            opts.name = name.clone();
                            let draft = match too_large.draft(&session, &opts) {
                                Ok(draft) => draft,
                                Err(e) => {
                                    let _ = tx.send(Outcome::Failed(e.to_string()));
                                    d.fetch_add(1, Ordering::Relaxed);
                                    continue;
                                }
                            };
                            let msg = Drafted {
                                name: short_name(&name),
                                origin: Origin::File,
                                bytes: Arc::new(Vec::new()),
                                draft,
                                buffers: Vec::new(),
                            };
                            if tx.send(Outcome::Inspected(Box::new(msg))).is_err() {
                                break;
                            }
                            d.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        (_, Err(e)) => {
                            let _ = tx.send(Outcome::Failed(e.to_string()));
                            d.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                    },
                    (None, None) => continue,
                };
                let mut opts = base.clone();
                opts.name = name.clone();
                opts.ssm_stored = stored;
                let (draft, buffers) = session.draft_with_buffers(&bytes, &opts);
                let msg = Drafted {
                    name: short_name(&name),
                    origin,
                    bytes: Arc::new(bytes),
                    draft,
                    buffers,
                };
                if tx.send(Outcome::Inspected(Box::new(msg))).is_err() {
                    break;
                }
                d.fetch_add(1, Ordering::Relaxed);
                wake();
            }
            wake();
        });
        Job {
            label,
            total,
            done,
            cancel,
            rx,
            handle: Some(handle),
            finished: false,
        }
    }

    /// Asks the worker to stop after the current message.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether cancellation was asked.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Results that arrived since the last call.
    pub fn poll(&mut self) -> Vec<Outcome> {
        let mut out = Vec::new();
        loop {
            match self.rx.try_recv() {
                Ok(o) => out.push(o),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.finished = true;
                    if let Some(h) = self.handle.take() {
                        let _ = h.join();
                    }
                    break;
                }
            }
        }
        out
    }

    /// Whether the worker has finished and every result was polled.
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// Blocks until the worker ends; returns the remaining results (tests).
    #[cfg(test)]
    pub fn wait(&mut self) -> Vec<Outcome> {
        let mut out: Vec<Outcome> = self.rx.iter().collect();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.finished = true;
        out.shrink_to_fit();
        out
    }

    /// Progress in 0..=1.
    pub fn fraction(&self) -> f32 {
        let t = self.total.load(Ordering::Relaxed);
        if t == 0 {
            0.0
        } else {
            self.done.load(Ordering::Relaxed) as f32 / t as f32
        }
    }
}

/// The file name without its directories, for the list (the report keeps the full name).
fn short_name(name: &str) -> String {
    std::path::Path::new(name)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(name)
        .to_string()
}
