//! Protocol profiles: rules that read the finished layers and add findings, each citing the
//! section of the document it comes from.
//!
//! | profile | document | detected when |
//! | --- | --- | --- |
//! | `bitrepo` | Bit Repository message signing (seed 001) | a message carries `org.bitrepository.messages.signature` or is a Bit Repository XML message |
//! | `scmp` | SCMP v1 draft (seed 003) | a MIME or HTTP layer carries an `SCMP-…` header |
//! | `ssm` | APEL Secure STOMP Messenger (seed 002, SSM2 as deployed) | a STOMP frame carries `empa-id`, an AMS message the `empaid` attribute, or the input is a stored dirq element |
//! | `emi` | EMI accounting messaging (seed 000) | a STOMP SEND/MESSAGE frame carries S/MIME |
//!
//! The first row that matches wins; `--profile` forces one.

pub mod bitrepo;
pub mod duplicates;
pub mod emi;
pub mod scmp;
pub mod scmp_server;
pub mod session;
pub mod ssm;

use crate::inspect::Options;
use crate::report::{
    Content, EncryptionReport, Finding, Layer, LayerKind, ProfileReport, SignatureReport,
};

pub use duplicates::DuplicateTracker;
pub use session::{Draft, Session};

use crate::compose::names::{named, Names};

/// Profiles sealscope knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// EMI accounting messaging (seed 000).
    Emi,
    /// APEL Secure STOMP Messenger (seed 002).
    Ssm,
    /// Bit Repository message signing (seed 001).
    Bitrepo,
    /// Simple Commerce Messaging Protocol (seed 003).
    Scmp,
}

impl Profile {
    /// Every profile, in detection order.
    pub const ALL: [Profile; 4] = [Profile::Bitrepo, Profile::Scmp, Profile::Ssm, Profile::Emi];

    pub(crate) const NAMES: Names<Profile> = Names {
        what: "profile",
        expected: "emi, ssm, bitrepo or scmp",
        fold_case: true,
        names: &[
            ("emi", Profile::Emi),
            ("ssm", Profile::Ssm),
            ("apel", Profile::Ssm),
            ("bitrepo", Profile::Bitrepo),
            ("bitrepository", Profile::Bitrepo),
            ("scmp", Profile::Scmp),
        ],
    };

    /// Parses a `--profile` name; the same as `FromStr` without the error.
    pub fn from_name(name: &str) -> Option<Self> {
        name.parse().ok()
    }

    /// The report name.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Emi => "emi",
            Profile::Ssm => "ssm",
            Profile::Bitrepo => "bitrepo",
            Profile::Scmp => "scmp",
        }
    }
}

named!(Profile);

/// What the profile rules read.
pub struct Input<'a> {
    /// The layers, outermost first.
    pub layers: &'a [Layer],
    /// The signatures.
    pub signatures: &'a [SignatureReport],
    /// The encryption layers.
    pub encryption: &'a [EncryptionReport],
    /// The innermost content.
    pub content: Option<&'a Content>,
    /// Every payload found, with the index of its `content` layer.
    pub leaves: &'a [(usize, &'a [u8])],
    /// The inspection options (allow-lists, replay window, verification time, stored
    /// dirq element).
    pub opts: &'a Options,
}

impl Input<'_> {
    /// Whether some encryption layer stayed closed.
    pub fn unopened(&self) -> bool {
        self.encryption.iter().any(|e| !e.decrypted)
    }

    /// Indices of layers of a kind.
    pub fn layers_of(&self, kind: LayerKind) -> Vec<usize> {
        self.layers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.kind == kind)
            .map(|(i, _)| i)
            .collect()
    }
}

/// Detects a profile from the layers (and the options, for stored dirq elements).
pub fn detect(layers: &[Layer], opts: &Options) -> Option<Profile> {
    if opts.ssm_stored.is_some() {
        return Some(Profile::Ssm);
    }
    Profile::ALL.into_iter().find(|p| match p {
        Profile::Bitrepo => bitrepo::detect(layers),
        Profile::Scmp => scmp::detect(layers),
        Profile::Ssm => ssm::detect(layers),
        Profile::Emi => emi::detect(layers),
    })
}

/// Applies `profile` to the finished layers.
pub fn evaluate(profile: Profile, input: &Input<'_>) -> ProfileReport {
    let (details, findings) = match profile {
        Profile::Emi => (Vec::new(), emi::evaluate(input)),
        Profile::Ssm => ssm::evaluate(input),
        Profile::Bitrepo => bitrepo::evaluate(input),
        Profile::Scmp => scmp::evaluate(input),
    };
    ProfileReport {
        name: profile.name().into(),
        // Unopened encryption leaves the rules unchecked: that is not conformance either.
        conforms: !findings.iter().any(|f| {
            f.severity == crate::report::Severity::Error
                || f.code == crate::report::findings::NOT_DECRYPTED
        }),
        details,
        findings,
    }
}

/// Whether the profile says the message needs no signature (an SSM ping, a stored dirq
/// element whose signature SSM already checked).
pub fn exempt_from_signing(report: &ProfileReport) -> bool {
    matches!(report.detail("message_kind"), Some("ping" | "stored"))
}

/// Whether the profile already says, in its own terms, that the signature is missing (or
/// could not be reached), so the generic `not-signed` would repeat it.
pub fn reports_missing_signature(report: &ProfileReport) -> bool {
    report.findings.iter().any(|f| {
        [
            crate::report::findings::NOT_SIGNED,
            crate::report::findings::NOT_DECRYPTED,
            bitrepo::codes::SIGNATURE_MISSING,
            scmp::codes::NOT_SIGNED,
            scmp::codes::ERROR_UNSIGNED,
        ]
        .contains(&f.code.as_str())
    })
}

/// Whether layer `a` encloses layer `b`.
pub(crate) fn encloses(layers: &[Layer], a: usize, mut b: usize) -> bool {
    let mut steps = 0;
    while let Some(p) = layers.get(b).and_then(|l| l.parent) {
        if p == a {
            return true;
        }
        b = p;
        steps += 1;
        if steps > layers.len() {
            return false;
        }
    }
    false
}

/// A finding with a reference `"{document} ({section})"`.
pub(crate) fn cite(
    severity: crate::report::Severity,
    code: &str,
    message: String,
    document: &str,
    section: &str,
    layer: Option<usize>,
) -> Finding {
    Finding {
        severity,
        code: code.to_string(),
        message,
        reference: format!("{document} ({section})"),
        layer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        crate::compose::names::tests::check(&Profile::NAMES, &["emi", "ssm", "bitrepo", "scmp"]);
        assert_eq!(Profile::from_name("BitRepository"), Some(Profile::Bitrepo));
        assert_eq!(Profile::from_name("smime"), None);
        assert_eq!(
            "x".parse::<Profile>().unwrap_err().to_string(),
            "unknown profile \"x\": expected emi, ssm, bitrepo or scmp"
        );
        for p in Profile::ALL {
            assert_eq!(p.to_string().parse(), Ok(p));
        }
    }
}
