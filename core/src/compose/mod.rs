//! Composition: a payload → (signed) → (encrypted) → MIME, DER or PEM, the inspection path
//! run backwards. Everything written is DER; S/MIME output uses CRLF throughout and signs
//! the canonical form (RFC 8551 §3.1.1), so it verifies with OpenSSL and with sealscope.
//!
//! Randomness (content keys, IVs, nonces, ephemeral ECDH keys, RSA padding, MIME boundaries)
//! comes from the caller's generator; signatures are deterministic (RSA PKCS#1 v1.5, ECDSA
//! per RFC 6979).
//!
//! | module | what it does |
//! | --- | --- |
//! | [`options`] | the choices (digest, form, certificates, cipher, padding, output) and their names |
//! | [`signer`] | a signer from a key file, certificates and a chain |
//! | [`sign`] | SignedData |
//! | [`encrypt`] | EnvelopedData and AuthEnvelopedData |
//! | [`mime`] | the payload entity, multipart/signed, application/pkcs7-mime, PEM |
//! | [`profile`] | profile templates: their defaults and rules |
//! | [`scms`] | SCMS EE→RA requests: kinds, targets and output forms |
//! | [`templates`] | carriers and headers of each protocol (SCMP, SSM, Bit Repository, HTTP) |
//! | [`der_writer`] | the small DER writer for what is not yet typed |

pub mod der_writer;
pub mod encrypt;
pub mod mime;
pub(crate) mod names;
pub mod options;
pub mod profile;
pub mod scms;
pub mod sign;
pub mod signer;
pub mod templates;

pub use encrypt::enveloped_data;
pub use mime::entity;
pub use options::{
    Cipher, ComposeOptions, EncryptOptions, IncludeCerts, Output, RsaPadding, SignDigest, SignForm,
    SignOptions,
};
pub use profile::{Template, TemplateError};
pub use scms::ScmsKind;
pub use sign::signed_data;
pub use signer::{Signer, SignerProblem};

use crate::error::Error;
use rand_core::CryptoRng;
use sign::err;

/// Composes a message. Returns the bytes in the chosen output form.
pub fn compose(
    payload: &[u8],
    opts: &ComposeOptions,
    rng: &mut dyn CryptoRng,
) -> Result<Vec<u8>, Error> {
    if opts.sign.is_none() && opts.encrypt.is_none() {
        return Err(err("nothing to do: give a signer, recipients, or both"));
    }
    let mut inner = entity(payload);
    // The outermost CMS structure so far, for DER / PEM output.
    let mut outer_cms: Option<Vec<u8>> = None;
    if let Some(s) = &opts.sign {
        let last = opts.encrypt.is_none();
        let extra: &[(String, String)] = if last { &opts.headers } else { &[] };
        let sd = signed_data(&inner, s, opts.at, s.form == SignForm::Opaque)?;
        inner = match s.form {
            SignForm::Detached => {
                mime::multipart_signed(extra, s.digest.micalg(), &inner, &sd, rng)
            }
            SignForm::Opaque => mime::pkcs7_mime(extra, "signed-data", &sd),
        };
        outer_cms = Some(sd);
    }
    if let Some(e) = &opts.encrypt {
        let env = enveloped_data(&inner, e, rng)?;
        let smime_type = if e.cipher.is_gcm() {
            "authEnveloped-data"
        } else {
            "enveloped-data"
        };
        inner = mime::pkcs7_mime(&opts.headers, smime_type, &env);
        outer_cms = Some(env);
    }
    match opts.output {
        Output::Mime => Ok(inner),
        Output::Der => outer_cms.ok_or_else(|| err("no CMS structure was built")),
        Output::Pem => Ok(mime::pem(
            &outer_cms.ok_or_else(|| err("no CMS structure was built"))?,
        )),
    }
}
