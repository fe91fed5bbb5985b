//! Profile templates: what each protocol's messages require of a composition (digest,
//! cipher, form, carrier, a signer) and what they refuse, decided once here for every front
//! end. The error texts name the command-line options (`--digest`, `--outform`, …) because
//! that is where templates are chosen; other front ends match on the variants.

use crate::compose::names::{named, Names};
use crate::compose::options::{Cipher, Output, RsaPadding, SignDigest, SignForm};
use crate::compose::scms::ScmsKind;
use crate::profiles::Profile;

/// The profile templates `compose --profile` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    /// EMI accounting messaging: multipart/signed, over STOMP.
    Emi,
    /// APEL SSM: multipart/signed, AES-128-CBC when encrypted, over STOMP with an empa-id.
    Ssm,
    /// Bit Repository: a detached SHA-512 signature without certificates in a STOMP header.
    Bitrepo,
    /// An SCMP request or reply.
    Scmp,
    /// An SCMP error (signed, never encrypted).
    ScmpError,
    /// An SCMS EE→RA request (IEEE 1609.2, not S/MIME).
    Scms(ScmsKind),
}

impl Template {
    /// Every template, in the order front ends offer them.
    pub const ALL: [Template; 9] = [
        Template::Emi,
        Template::Ssm,
        Template::Bitrepo,
        Template::Scmp,
        Template::ScmpError,
        Template::Scms(ScmsKind::Download),
        Template::Scms(ScmsKind::RaCert),
        Template::Scms(ScmsKind::Pseudonym),
        Template::Scms(ScmsKind::Id),
    ];

    pub(crate) const NAMES: Names<Template> = Names {
        what: "profile template",
        expected: "emi, ssm, bitrepo, scmp, scmp-error, scms-download, scms-ra-cert, scms-pseudonym or scms-id",
        fold_case: true,
        names: &[
            ("emi", Template::Emi),
            ("ssm", Template::Ssm),
            ("apel", Template::Ssm),
            ("bitrepo", Template::Bitrepo),
            ("bitrepository", Template::Bitrepo),
            ("scmp", Template::Scmp),
            ("scmp-error", Template::ScmpError),
            ("scms-download", Template::Scms(ScmsKind::Download)),
            ("scms-ra-cert", Template::Scms(ScmsKind::RaCert)),
            ("scms-pseudonym", Template::Scms(ScmsKind::Pseudonym)),
            ("scms-id", Template::Scms(ScmsKind::Id)),
        ],
    };

    /// The canonical name, e.g. `scmp-error`.
    pub fn name(self) -> &'static str {
        match self {
            Template::Emi => "emi",
            Template::Ssm => "ssm",
            Template::Bitrepo => "bitrepo",
            Template::Scmp => "scmp",
            Template::ScmpError => "scmp-error",
            Template::Scms(ScmsKind::Download) => "scms-download",
            Template::Scms(ScmsKind::RaCert) => "scms-ra-cert",
            Template::Scms(ScmsKind::Pseudonym) => "scms-pseudonym",
            Template::Scms(ScmsKind::Id) => "scms-id",
        }
    }

    /// The inspection profile whose rules the template's messages follow (none for SCMS).
    pub fn profile(self) -> Option<Profile> {
        match self {
            Template::Emi => Some(Profile::Emi),
            Template::Ssm => Some(Profile::Ssm),
            Template::Bitrepo => Some(Profile::Bitrepo),
            Template::Scmp | Template::ScmpError => Some(Profile::Scmp),
            Template::Scms(_) => None,
        }
    }

    /// The STOMP destination a message goes to unless another is given (`None` for the
    /// templates that do not travel over STOMP).
    pub fn default_destination(template: Option<Template>) -> Option<&'static str> {
        match template {
            None | Some(Template::Emi | Template::Ssm) => {
                Some("/queue/global.accounting.cpu.central")
            }
            Some(Template::Bitrepo) => Some("/topic/bitrepository.messages"),
            Some(_) => None,
        }
    }
}
named!(Template);

/// How a composed S/MIME message is written: a CMS output form, or a carrier around the
/// MIME message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutForm {
    /// The S/MIME message.
    Mime,
    /// The outermost CMS structure as DER (for bitrepo: the signature alone).
    Der,
    /// The same as PEM.
    Pem,
    /// A STOMP SEND frame (emi, ssm, bitrepo).
    Stomp,
    /// An HTTP request, or a response for scmp-error (scmp).
    Http,
}

impl OutForm {
    pub(crate) const NAMES: Names<OutForm> = Names {
        what: "output form",
        expected: "mime, der, pem, stomp or http",
        fold_case: false,
        names: &[
            ("mime", OutForm::Mime),
            ("der", OutForm::Der),
            ("pem", OutForm::Pem),
            ("stomp", OutForm::Stomp),
            ("http", OutForm::Http),
        ],
    };

    /// The canonical name.
    pub fn name(self) -> &'static str {
        match self {
            OutForm::Mime => "mime",
            OutForm::Der => "der",
            OutForm::Pem => "pem",
            OutForm::Stomp => "stomp",
            OutForm::Http => "http",
        }
    }

    /// What [`crate::compose::compose`] writes: the MIME message for the carriers.
    pub fn output(self) -> Output {
        match self {
            OutForm::Der => Output::Der,
            OutForm::Pem => Output::Pem,
            OutForm::Mime | OutForm::Stomp | OutForm::Http => Output::Mime,
        }
    }
}
named!(OutForm);

/// What the user chose (already parsed), before the template's defaults and rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Choices {
    /// The digest, if one was named.
    pub digest: Option<SignDigest>,
    /// The content cipher, if one was named.
    pub cipher: Option<Cipher>,
    /// The signature form, if one was asked for (`--opaque`).
    pub form: Option<SignForm>,
    /// The RSA padding, if one was asked for (`--oaep`).
    pub rsa_padding: Option<RsaPadding>,
    /// The output form, if one was named.
    pub outform: Option<OutForm>,
    /// Whether a signer (key) was given.
    pub signer: bool,
    /// Whether recipients were given.
    pub recipients: bool,
    /// Whether an SCMP request id was given.
    pub request_id: bool,
    /// Whether an SCMP error (`--error`) was given.
    pub error: bool,
}

/// The options a composition uses once the template has had its say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effective {
    /// The digest.
    pub digest: SignDigest,
    /// The signature form.
    pub form: SignForm,
    /// The content cipher (used when there are recipients).
    pub cipher: Cipher,
    /// The RSA padding (used for RSA recipients).
    pub rsa_padding: RsaPadding,
    /// The output form or carrier.
    pub outform: OutForm,
}

impl Effective {
    /// What a composition without a template uses when nothing is named: SHA-256,
    /// detached, AES-256-CBC, PKCS#1 v1.5, MIME.
    pub const DEFAULTS: Effective = Effective {
        digest: SignDigest::Sha256,
        form: SignForm::Detached,
        cipher: Cipher::Aes256Cbc,
        rsa_padding: RsaPadding::Pkcs1v15,
        outform: OutForm::Mime,
    };
}

/// Why a composition breaks its template's rules. The texts are the command line's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// Bit Repository signatures are SHA-512.
    #[error("--profile bitrepo signs with SHA-512 (seed 001); drop --digest")]
    BitrepoDigest,
    /// Only SCMP messages may be opaque.
    #[error(
        "--opaque: EMI and SSM messages are multipart/signed, Bit Repository signatures detached"
    )]
    OpaqueNotAllowed,
    /// Every message of a template is signed.
    #[error(
        "--profile {0}: every message of this profile is signed; give --signer-key (and --signer)"
    )]
    SignerRequired(Template),
    /// Bit Repository messages are signed, not encrypted.
    #[error("--profile bitrepo signs the XML; encryption is not part of the scheme here")]
    BitrepoEncryption,
    /// HTTP carries SCMP only.
    #[error("--outform http is for the scmp profiles")]
    HttpNotScmp,
    /// A Bit Repository message is a STOMP frame or its signature.
    #[error("--outform {0}: a Bit Repository message is a STOMP frame (stomp) or its signature alone (der)")]
    BitrepoOutForm(OutForm),
    /// STOMP does not carry SCMP.
    #[error("--outform stomp is for emi, ssm and bitrepo")]
    StompNotScmp,
    /// An SCMP error answers a request, whose id it repeats.
    #[error("--profile scmp-error answers a request: give its --request-id")]
    RequestIdRequired,
    /// An error text was given for a template that sends none.
    #[error("--error is for --profile scmp-error")]
    ErrorNotScmpError,
    /// The SCMP error is not `NUMBER text`.
    #[error("--error {0:?}: expected \"NUMBER text\"")]
    ErrorSpec(String),
    /// SCMS requests are IEEE 1609.2: [`resolve`] does not apply.
    #[error("--profile {0}: SCMS requests are IEEE 1609.2, not S/MIME")]
    NotSmime(Template),
    /// SCMS requests need the enrollment certificate and its key.
    #[error("SCMS requests are signed with the enrollment certificate (--signer, COER) and its P-256 key (--signer-key)")]
    ScmsSigner,
    /// A download request names a file.
    #[error("--profile scms-download needs --filename")]
    ScmsFilename,
    /// The core refused something the template builds.
    #[error(transparent)]
    Core(#[from] crate::error::Error),
}

/// Applies the template's defaults to `c` and checks its rules: Bit Repository signs with
/// SHA-512 and goes out as a STOMP frame, SSM encrypts with AES-128-CBC, everything else
/// defaults to SHA-256, AES-256-CBC and MIME; templates need a signer, only SCMP may be
/// opaque, and each carrier belongs to its templates. The first rule broken is returned.
pub fn resolve(template: Option<Template>, c: &Choices) -> Result<Effective, TemplateError> {
    use Template as T;
    if let Some(t @ T::Scms(_)) = template {
        return Err(TemplateError::NotSmime(t));
    }
    let bitrepo = template == Some(T::Bitrepo);
    let digest = match c.digest {
        Some(d) if bitrepo && d != SignDigest::Sha512 => return Err(TemplateError::BitrepoDigest),
        Some(d) => d,
        None if bitrepo => SignDigest::Sha512,
        None => Effective::DEFAULTS.digest,
    };
    let cipher = c.cipher.unwrap_or(if template == Some(T::Ssm) {
        Cipher::Aes128Cbc
    } else {
        Effective::DEFAULTS.cipher
    });
    let outform = c.outform.unwrap_or(if bitrepo {
        OutForm::Stomp
    } else {
        Effective::DEFAULTS.outform
    });
    let form = c.form.unwrap_or(Effective::DEFAULTS.form);
    if form == SignForm::Opaque && template.is_some() && template != Some(T::Scmp) {
        return Err(TemplateError::OpaqueNotAllowed);
    }
    if let Some(t) = template {
        if !c.signer {
            return Err(TemplateError::SignerRequired(t));
        }
    }
    match template {
        None | Some(T::Emi | T::Ssm) if outform == OutForm::Http => {
            return Err(TemplateError::HttpNotScmp)
        }
        Some(T::Bitrepo) if c.recipients => return Err(TemplateError::BitrepoEncryption),
        Some(T::Bitrepo) if !matches!(outform, OutForm::Der | OutForm::Stomp) => {
            return Err(TemplateError::BitrepoOutForm(outform))
        }
        Some(T::ScmpError) if !c.request_id => return Err(TemplateError::RequestIdRequired),
        Some(T::Scmp) if c.error => return Err(TemplateError::ErrorNotScmpError),
        Some(T::Scmp | T::ScmpError) if outform == OutForm::Stomp => {
            return Err(TemplateError::StompNotScmp)
        }
        _ => {}
    }
    Ok(Effective {
        digest,
        form,
        cipher,
        rsa_padding: c.rsa_padding.unwrap_or(Effective::DEFAULTS.rsa_padding),
        outform,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::names::tests::check;

    fn signed() -> Choices {
        Choices {
            signer: true,
            ..Choices::default()
        }
    }

    #[test]
    fn names_round_trip() {
        let all: Vec<&str> = Template::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(
            all,
            [
                "emi",
                "ssm",
                "bitrepo",
                "scmp",
                "scmp-error",
                "scms-download",
                "scms-ra-cert",
                "scms-pseudonym",
                "scms-id"
            ]
        );
        check(&Template::NAMES, &all);
        check(&OutForm::NAMES, &["mime", "der", "pem", "stomp", "http"]);
        assert_eq!(
            "x".parse::<Template>().unwrap_err().for_option("--profile"),
            "--profile x: expected emi, ssm, bitrepo, scmp, scmp-error, scms-download, scms-ra-cert, scms-pseudonym or scms-id"
        );
        assert_eq!("APEL".parse(), Ok(Template::Ssm));
        assert_eq!(Template::ScmpError.profile(), Some(Profile::Scmp));
        assert_eq!(OutForm::Stomp.output(), Output::Mime);
    }

    #[test]
    fn defaults_per_template() {
        let e = resolve(None, &Choices::default()).unwrap();
        assert_eq!(e, Effective::DEFAULTS);
        assert_eq!(
            (e.digest, e.cipher, e.form, e.rsa_padding, e.outform),
            (
                SignDigest::Sha256,
                Cipher::Aes256Cbc,
                SignForm::Detached,
                RsaPadding::Pkcs1v15,
                OutForm::Mime
            )
        );
        let e = resolve(Some(Template::Ssm), &signed()).unwrap();
        assert_eq!(e.cipher, Cipher::Aes128Cbc);
        let e = resolve(Some(Template::Bitrepo), &signed()).unwrap();
        assert_eq!((e.digest, e.outform), (SignDigest::Sha512, OutForm::Stomp));
        let mut c = signed();
        c.digest = Some(SignDigest::Sha512);
        c.outform = Some(OutForm::Der);
        assert!(resolve(Some(Template::Bitrepo), &c).is_ok());
        assert_eq!(
            Template::default_destination(Some(Template::Bitrepo)),
            Some("/topic/bitrepository.messages")
        );
        assert_eq!(Template::default_destination(Some(Template::Scmp)), None);
    }

    #[test]
    fn rules_give_the_command_line_texts() {
        let with = |f: &dyn Fn(&mut Choices)| {
            let mut c = signed();
            f(&mut c);
            c
        };
        let cases: Vec<(Option<Template>, Choices, &str)> = vec![
            (Some(Template::Bitrepo), with(&|c| c.digest = Some(SignDigest::Sha256)), "--profile bitrepo signs with SHA-512 (seed 001); drop --digest"),
            (Some(Template::Emi), with(&|c| c.form = Some(SignForm::Opaque)), "--opaque: EMI and SSM messages are multipart/signed, Bit Repository signatures detached"),
            (Some(Template::Ssm), Choices::default(), "--profile ssm: every message of this profile is signed; give --signer-key (and --signer)"),
            (Some(Template::Bitrepo), with(&|c| c.recipients = true), "--profile bitrepo signs the XML; encryption is not part of the scheme here"),
            (None, with(&|c| c.outform = Some(OutForm::Http)), "--outform http is for the scmp profiles"),
            (Some(Template::Bitrepo), with(&|c| c.outform = Some(OutForm::Pem)), "--outform pem: a Bit Repository message is a STOMP frame (stomp) or its signature alone (der)"),
            (Some(Template::Scmp), with(&|c| c.outform = Some(OutForm::Stomp)), "--outform stomp is for emi, ssm and bitrepo"),
            (Some(Template::ScmpError), signed(), "--profile scmp-error answers a request: give its --request-id"),
            (Some(Template::Scmp), with(&|c| c.error = true), "--error is for --profile scmp-error"),
            (Some(Template::Scms(ScmsKind::Id)), signed(), "--profile scms-id: SCMS requests are IEEE 1609.2, not S/MIME"),
        ];
        for (t, c, text) in cases {
            assert_eq!(resolve(t, &c).unwrap_err().to_string(), text);
        }
        // SCMP may be opaque, and no signer is needed without a template.
        let opaque = with(&|c| c.form = Some(SignForm::Opaque));
        assert_eq!(
            resolve(Some(Template::Scmp), &opaque).unwrap().form,
            SignForm::Opaque
        );
        assert!(resolve(None, &Choices::default()).is_ok());
        let answered = with(&|c| {
            c.request_id = true;
            c.error = true;
            c.outform = Some(OutForm::Http);
        });
        assert!(resolve(Some(Template::ScmpError), &answered).is_ok());
    }
}
