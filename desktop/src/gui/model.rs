//! The window's model, free of UI code: opened messages with their reports and decoded
//! buffers, the keyring's file list (persisted) and passwords (memory only).

use crate::actions::keyring_files;
use crate::error::CliError;
use sealscope_core::report::Report;
use sealscope_core::Keyring;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a message came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Opened from a file or directory.
    File,
    /// Pasted as text.
    Pasted,
    /// Received from a peer (a listener, or a server's reply).
    Received,
    /// Composed in the window.
    Composed,
}

/// One inspected message.
#[derive(Clone, Debug)]
pub struct Message {
    /// Name shown in the list and the title.
    pub name: String,
    /// Where it came from.
    pub origin: Origin,
    /// The bytes as read.
    pub bytes: Arc<Vec<u8>>,
    /// The report.
    pub report: Report,
    /// Decoded buffers the layer ranges refer to (entry 0 unused: the input).
    pub buffers: Vec<Vec<u8>>,
}

impl Message {
    /// The bytes of buffer `n` (0 is the input).
    pub fn buffer(&self, n: usize) -> &[u8] {
        if n == 0 {
            &self.bytes
        } else {
            self.buffers.get(n).map_or(&[][..], |b| b.as_slice())
        }
    }

    /// The bytes of the content the report names (the one a reader is shown).
    pub fn content_bytes(&self) -> Option<&[u8]> {
        let content = self.report.content.as_ref()?;
        let layer = self.report.layers.get(content.layer)?;
        self.buffer(layer.buffer)
            .get(layer.range[0]..layer.range[1])
    }
}

/// What a keyring file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MaterialKind {
    /// Trust anchors: a file, bundle or OpenSSL hashed directory.
    Trust,
    /// Untrusted certificates.
    Certificate,
    /// CRLs.
    Crl,
    /// Private keys or PKCS#12.
    Key,
}

impl MaterialKind {
    /// The word shown.
    pub fn label(self) -> &'static str {
        match self {
            MaterialKind::Trust => "trust",
            MaterialKind::Certificate => "certificate",
            MaterialKind::Crl => "CRL",
            MaterialKind::Key => "key",
        }
    }
}

/// One keyring file (persisted between runs; never its password).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyringItem {
    /// The file or directory.
    pub path: PathBuf,
    /// What it holds.
    pub kind: MaterialKind,
}

/// The keyring as the window keeps it.
#[derive(Clone, Debug, Default)]
pub struct KeyringState {
    /// Files, in the order added.
    pub items: Vec<KeyringItem>,
    /// Passwords typed for keys, by path: memory only.
    pub passwords: HashMap<PathBuf, String>,
    /// Which certificates need a revocation status from a CRL given.
    pub revocation_check: sealscope_core::RevocationCheck,
    /// Whether paths are held to the whole RFC 5280 certificate profile (`--x509-strict`).
    pub x509_strict: bool,
    /// The initial certificate-policy inputs (`--policy`, `--explicit-policy`, …).
    pub policy: sealscope_core::x509::policies::PolicySettings,
    /// The acceptable policies as typed (dotted OIDs), and why they were refused if so.
    pub policy_text: String,
    /// Why `policy_text` cannot be used, when it cannot.
    pub policy_error: Option<String>,
}

impl KeyringState {
    /// Takes `policy_text` as the acceptable policies; keeps the previous set and records
    /// the reason when an OID is malformed. Returns whether the settings changed.
    pub fn apply_policy_text(&mut self) -> bool {
        match sealscope_core::x509::policies::PolicySettings::parse_policy_list(&self.policy_text) {
            Ok(set) => {
                self.policy_error = None;
                let changed = set != self.policy.initial_policy_set;
                self.policy.initial_policy_set = set;
                changed
            }
            Err(e) => {
                self.policy_error = Some(e);
                false
            }
        }
    }
}

/// The result of loading one keyring item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemStatus {
    /// Loaded.
    Loaded,
    /// A key that needs its password.
    NeedsPassword,
    /// Could not be loaded, and why.
    Failed(String),
}

impl KeyringState {
    /// Adds an item unless it is already there.
    pub fn add(&mut self, path: PathBuf, kind: MaterialKind) {
        let item = KeyringItem { path, kind };
        if !self.items.contains(&item) {
            self.items.push(item);
        }
    }

    /// Removes an item and its password.
    pub fn remove(&mut self, index: usize) {
        if index < self.items.len() {
            let item = self.items.remove(index);
            self.passwords.remove(&item.path);
        }
    }

    /// Loads every item into a core keyring; reports each item's status.
    pub fn build(&self) -> (Keyring, Vec<ItemStatus>) {
        let mut ring = Keyring::new();
        let mut statuses = Vec::new();
        for item in &self.items {
            let result = match item.kind {
                MaterialKind::Trust => keyring_files::add_trust(&mut ring, &item.path),
                MaterialKind::Certificate => keyring_files::add_certs(&mut ring, &item.path),
                MaterialKind::Crl => keyring_files::add_crls(&mut ring, &item.path),
                MaterialKind::Key => keyring_files::add_keys(
                    &mut ring,
                    &item.path,
                    self.passwords.get(&item.path).map(String::as_str),
                ),
            };
            statuses.push(match result {
                Ok(()) => ItemStatus::Loaded,
                Err(CliError::Load(_, e))
                    if item.kind == MaterialKind::Key
                        && !self.passwords.contains_key(&item.path)
                        && e.needs_password() =>
                {
                    ItemStatus::NeedsPassword
                }
                Err(e) => ItemStatus::Failed(e.to_string()),
            });
        }
        ring.revocation_check = self.revocation_check;
        ring.x509_strict = self.x509_strict;
        ring.policy = self.policy.clone();
        (ring, statuses)
    }
}

/// Settings kept between runs (eframe storage): the keyring's file list, the theme and the
/// remembered send targets. Secrets are never part of it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Persisted {
    /// Keyring files.
    pub keyring: Vec<KeyringItem>,
    /// Dark theme chosen (None: follow the system).
    pub dark: Option<bool>,
    /// Send targets used before, most recent first.
    pub targets: Vec<String>,
}

/// Indents well-formed XML for reading; `None` when the text does not look like XML.
pub fn pretty_xml(text: &str) -> Option<String> {
    let t = text.trim();
    if !t.starts_with('<') || !t.ends_with('>') {
        return None;
    }
    let mut out = String::new();
    let mut depth: usize = 0;
    let mut rest = t;
    while !rest.is_empty() {
        if let Some(body) = rest.strip_prefix('<') {
            let end = body.find('>')?;
            let tag = &body[..end];
            rest = &body[end + 1..];
            let closing = tag.starts_with('/');
            let self_closing = tag.ends_with('/') || tag.starts_with('?') || tag.starts_with('!');
            if closing {
                depth = depth.checked_sub(1)?;
            }
            out.push_str(&"  ".repeat(depth));
            out.push('<');
            out.push_str(tag);
            out.push('>');
            // Keep short text on the same line as its element.
            let next = rest.find('<').unwrap_or(rest.len());
            let txt = rest[..next].trim();
            if !closing && !self_closing && !txt.is_empty() && rest[next..].starts_with("</") {
                let close_end = rest[next..].find('>').map(|e| next + e + 1)?;
                out.push_str(txt);
                out.push_str(&rest[next..close_end]);
                rest = &rest[close_end..];
            } else if !closing && !self_closing {
                depth += 1;
            }
            out.push('\n');
        } else {
            let next = rest.find('<').unwrap_or(rest.len());
            let txt = rest[..next].trim();
            if !txt.is_empty() {
                out.push_str(&"  ".repeat(depth));
                out.push_str(txt);
                out.push('\n');
            }
            rest = &rest[next..];
        }
    }
    Some(out.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_indented() {
        let x = "<?xml version=\"1.0\"?><a><b>text</b><c x=\"1\"/><d><e>1</e></d></a>";
        assert_eq!(
            pretty_xml(x).unwrap(),
            "<?xml version=\"1.0\"?>\n<a>\n  <b>text</b>\n  <c x=\"1\"/>\n  <d>\n    <e>1</e>\n  </d>\n</a>"
        );
        assert_eq!(pretty_xml("plain text"), None);
        assert_eq!(pretty_xml("</a>"), None);
    }
}
