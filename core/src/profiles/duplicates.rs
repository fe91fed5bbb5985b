//! SCMP duplicate detection across a batch or a listening session (seed 003 §4.2.2: "a
//! server MUST be capable of detecting a duplicate scmp-request-id … based on the
//! scmp-request-id and the distinguished name of the signer").

use super::scmp::codes::DUPLICATE_REQUEST;
use crate::report::{Finding, Report, Severity, Verdict};
use std::collections::{HashMap, VecDeque};

/// Most (request id, signer) pairs remembered; the oldest are forgotten first.
pub const DEFAULT_CAPACITY: usize = 1_000_000;

/// Remembers SCMP requests seen so far and flags repeats.
#[derive(Debug)]
pub struct DuplicateTracker {
    seen: HashMap<(String, String), String>,
    order: VecDeque<(String, String)>,
    capacity: usize,
}

impl Default for DuplicateTracker {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

impl DuplicateTracker {
    /// A tracker remembering at most `capacity` requests.
    pub fn new(capacity: usize) -> Self {
        DuplicateTracker {
            seen: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Looks at one report: an SCMP request with a request id and a signer DN is recorded,
    /// or, when seen before, gets `scmp-duplicate-request` in its profile, `conforms`
    /// false and verdict `invalid`. Returns the name of the earlier message for a duplicate.
    pub fn observe(&mut self, report: &mut Report) -> Option<String> {
        let profile = report.profiles.iter_mut().find(|p| p.name == "scmp")?;
        if profile.detail("message_kind") != Some("request") {
            return None;
        }
        let id = profile.detail("request_id")?.to_string();
        let signer = profile.detail("signer_dn")?.to_string();
        let key = (id, signer);
        if let Some(first) = self.seen.get(&key) {
            let first = first.clone();
            profile.findings.push(Finding {
                severity: Severity::Error,
                code: DUPLICATE_REQUEST.into(),
                message: format!(
                    "SCMP-request-id {} from {} was already seen in {first}; a server replies with an SCMP error and does not process it",
                    key.0, key.1
                ),
                reference: "SCMP v1 draft (§4.2.2 Server Errors; §6.5 Request Id)".into(),
                layer: None,
            });
            profile.conforms = false;
            report.verdict = report.verdict.max(Verdict::Invalid);
            return Some(first);
        }
        if self.order.len() >= self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        self.seen.insert(key.clone(), report.input.name.clone());
        self.order.push_back(key);
        None
    }
}
