//! SCMP duplicate detection across a batch or a listening session (seed 003 §4.2.2: "a
//! server MUST be capable of detecting a duplicate scmp-request-id … based on the
//! scmp-request-id and the distinguished name of the signer").

use super::scmp::codes::DUPLICATE_REQUEST;
use crate::report::{Finding, Report, Severity, Verdict};
use std::collections::{HashMap, VecDeque};

/// Most (request id, signer) pairs remembered; the oldest are forgotten first.
pub const DEFAULT_CAPACITY: usize = 1_000_000;

/// Remembers SCMP requests seen so far and flags repeats.
#[derive(Clone, Debug)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ProfileReport;
    use crate::{Keyring, Options, UnixTime};

    /// A valid report named `name` whose scmp profile read these details.
    fn report(name: &str, details: &[(&str, &str)]) -> Report {
        let mut r = crate::inspect(b"", &Keyring::new(), &Options::new(name, UnixTime(0)));
        r.verdict = Verdict::Valid;
        r.profiles = vec![ProfileReport {
            name: "scmp".into(),
            conforms: true,
            details: details
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            findings: Vec::new(),
        }];
        r
    }

    fn request(name: &str, id: &str, dn: &str) -> Report {
        report(
            name,
            &[
                ("message_kind", "request"),
                ("request_id", id),
                ("signer_dn", dn),
            ],
        )
    }

    #[test]
    fn same_request_id_and_signer_is_a_duplicate() {
        let mut t = DuplicateTracker::default();
        assert_eq!(t.observe(&mut request("a", "0001", "CN=A")), None);
        // The pair is the key: another signer or another id is not a repeat (§4.2.2).
        assert_eq!(t.observe(&mut request("b", "0001", "CN=B")), None);
        assert_eq!(t.observe(&mut request("c", "0002", "CN=A")), None);
        let mut dup = request("d", "0001", "CN=A");
        assert_eq!(t.observe(&mut dup).as_deref(), Some("a"));
        let p = &dup.profiles[0];
        assert_eq!((dup.verdict, p.conforms), (Verdict::Invalid, false));
        assert_eq!(p.findings.len(), 1);
        assert_eq!(
            (p.findings[0].code.as_str(), p.findings[0].severity),
            (DUPLICATE_REQUEST, Severity::Error)
        );
        assert!(p.findings[0]
            .message
            .starts_with("SCMP-request-id 0001 from CN=A was already seen in a;"));
    }

    #[test]
    fn only_signed_requests_are_tracked() {
        let mut t = DuplicateTracker::default();
        for _ in 0..2 {
            let mut reply = report(
                "r",
                &[
                    ("message_kind", "reply"),
                    ("request_id", "1"),
                    ("signer_dn", "CN=A"),
                ],
            );
            assert_eq!(t.observe(&mut reply), None);
            let mut unsigned = report("u", &[("message_kind", "request"), ("request_id", "1")]);
            assert_eq!(t.observe(&mut unsigned), None);
            let mut other = request("o", "1", "CN=A");
            other.profiles[0].name = "ssm".into();
            assert_eq!(t.observe(&mut other), None);
        }
        assert!(t.seen.is_empty());
    }

    #[test]
    fn the_oldest_request_is_forgotten_first() {
        let mut t = DuplicateTracker::new(0); // at least one is kept
        assert_eq!(t.capacity, 1);
        assert_eq!(t.observe(&mut request("a", "1", "CN=A")), None);
        assert_eq!(
            t.observe(&mut request("a2", "1", "CN=A")).as_deref(),
            Some("a")
        );
        assert_eq!(t.observe(&mut request("b", "2", "CN=A")), None);
        assert_eq!(t.observe(&mut request("a3", "1", "CN=A")), None); // "a" was evicted
    }
}
