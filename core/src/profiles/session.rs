//! A session: the keyring, the inspection options and what was seen so far (SCMP request
//! ids, for duplicate detection), owned together so that every report a front end gets is
//! final. The command line, the desktop window and the browser all inspect through one.
//!
//! One input at a time: [`Session::inspect`]. Many inputs on worker threads, concluded in
//! input order: [`Session::draft`] (takes `&self`, so any number run at once) then
//! [`Session::conclude`], the only way from a [`Draft`] to a [`Report`]. Both take `&self`
//! (the cross-message state sits behind a lock), so workers can draft while one thread
//! concludes in order.

use super::DuplicateTracker;
use crate::crypto::prehash::Prehashed;
use crate::inspect::{self, Options};
use crate::keyring::Keyring;
use crate::report::Report;
use std::sync::Mutex;

/// Keyring, options and cross-message state of one inspection session.
#[derive(Debug)]
pub struct Session {
    keyring: Keyring,
    options: Options,
    duplicates: Mutex<DuplicateTracker>,
}

/// A report whose cross-message checks have not run yet; [`Session::conclude`] finishes it.
#[derive(Debug)]
#[must_use = "a draft becomes a report only through Session::conclude"]
pub struct Draft {
    report: Report,
}

impl Draft {
    /// The report as read, before the cross-message checks (for work that may be redone
    /// when [`Session::conclude`] says the report changed, such as rendering it).
    pub fn report(&self) -> &Report {
        &self.report
    }
}

impl Session {
    /// A session over `keyring` with `options` as the default for every input.
    pub fn new(keyring: Keyring, options: Options) -> Self {
        Session {
            keyring,
            options,
            duplicates: Mutex::new(DuplicateTracker::default()),
        }
    }

    /// The keyring.
    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// The keyring, to add material to.
    pub fn keyring_mut(&mut self) -> &mut Keyring {
        &mut self.keyring
    }

    /// The default options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The default options, to change.
    pub fn options_mut(&mut self) -> &mut Options {
        &mut self.options
    }

    /// The default options with the input's name set.
    pub fn options_for(&self, name: &str) -> Options {
        let mut o = self.options.clone();
        o.name = name.to_string();
        o
    }

    /// Forgets what was seen (a new batch or listening run starts).
    pub fn forget_seen(&self) {
        *self
            .duplicates
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = DuplicateTracker::default();
    }

    /// The same session over another keyring: the options and what was seen so far are
    /// kept (a front end whose user adds a trust anchor or a key goes on where it was).
    pub fn with_keyring(&self, keyring: Keyring) -> Session {
        Session {
            keyring,
            options: self.options.clone(),
            duplicates: Mutex::new(
                self.duplicates
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .clone(),
            ),
        }
    }

    /// Inspects one input under the default options, named `name`.
    pub fn inspect(&mut self, input: &[u8], name: &str) -> Report {
        let opts = self.options_for(name);
        self.inspect_with(input, &opts)
    }

    /// Inspects one input under `opts` (this session's keyring and state).
    pub fn inspect_with(&mut self, input: &[u8], opts: &Options) -> Report {
        let draft = self.draft(input, opts, &Prehashed::default());
        self.conclude(draft).0
    }

    /// Like [`Session::inspect_with`], and also returns the decoded buffers the layers'
    /// ranges refer to (see [`inspect::inspect_with_buffers`]).
    pub fn inspect_with_buffers(&mut self, input: &[u8], opts: &Options) -> (Report, Vec<Vec<u8>>) {
        let (report, buffers) = inspect::inspect_with_buffers(input, &self.keyring, opts);
        (self.conclude(Draft { report }).0, buffers)
    }

    /// Reads one input without the cross-message checks; `prehashed` holds digests the
    /// caller computed while reading it (see [`inspect::inspect_prehashed`]).
    pub fn draft(&self, input: &[u8], opts: &Options, prehashed: &Prehashed) -> Draft {
        Draft {
            report: inspect::inspect_prehashed(input, &self.keyring, opts, prehashed),
        }
    }

    /// Like [`Session::draft`] for an input read with some of its content elided (see
    /// [`inspect::inspect_elided`]); `None` when the report needs the elided bytes and the
    /// caller must read the whole input and call [`Session::draft`].
    pub fn draft_elided(
        &self,
        input: &[u8],
        opts: &Options,
        prehashed: &Prehashed,
    ) -> Option<Draft> {
        inspect::inspect_elided(input, &self.keyring, opts, prehashed)
            .map(|report| Draft { report })
    }

    /// Like [`Session::draft`], and also returns the decoded buffers the layers' ranges
    /// refer to (see [`inspect::inspect_with_buffers`]).
    pub fn draft_with_buffers(&self, input: &[u8], opts: &Options) -> (Draft, Vec<Vec<u8>>) {
        let (report, buffers) = inspect::inspect_with_buffers(input, &self.keyring, opts);
        (Draft { report }, buffers)
    }

    /// The draft for an input that was not read because it exceeds `opts.max_input`
    /// (see [`inspect::oversized`]).
    pub fn draft_oversized(&self, size: u64, sha256: String, opts: &Options) -> Draft {
        Draft {
            report: inspect::oversized(size, sha256, &self.keyring, opts),
        }
    }

    /// Runs the cross-message checks on a draft, in the order drafts are concluded, and
    /// returns the final report, with whether the checks changed it.
    pub fn conclude(&self, draft: Draft) -> (Report, bool) {
        let mut report = draft.report;
        let changed = self
            .duplicates
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .observe(&mut report)
            .is_some();
        if changed {
            report.refresh_headline();
        }
        (report, changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::UnixTime;

    #[test]
    fn a_session_starts_empty_and_keeps_its_options() {
        let s = Session::new(Keyring::new(), Options::new("base", UnixTime(0)));
        assert!(!s.keyring().has_anchors());
        assert_eq!(s.options_for("m.eml").name, "m.eml");
        assert_eq!(s.options().name, "base");
    }

    #[test]
    fn unreadable_input_concludes_unchanged() {
        let s = Session::new(Keyring::new(), Options::new("x", UnixTime(0)));
        let draft = s.draft(b"", &s.options_for("empty"), &Prehashed::default());
        assert_eq!(draft.report().verdict, crate::report::Verdict::Unreadable);
        let (report, changed) = s.conclude(draft);
        assert!(!changed);
        assert_eq!(report.input.name, "empty");
    }
}
