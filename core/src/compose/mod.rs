//! Composition: a payload → (signed) → (encrypted) → MIME, DER or PEM, the inspection path
//! run backwards. Everything written is DER; S/MIME output uses CRLF throughout and signs
//! the canonical form (RFC 8551 §3.1.1), so it verifies with OpenSSL and with sealscope.
//!
//! Randomness (content keys, IVs, nonces, ephemeral ECDH keys, RSA padding, MIME boundaries)
//! comes from the caller's generator; signatures are deterministic (RSA PKCS#1 v1.5, ECDSA
//! per RFC 6979).

pub mod der_writer;
pub mod templates;

use crate::compose::der_writer as w;
use crate::crypto::algorithms::Digest;
use crate::crypto::ciphers;
use crate::crypto::keys::SecretKey;
use crate::error::Error;
use crate::time::UnixTime;
use crate::x509::certificate::Cert;
use base64::Engine;
use rand_core::CryptoRng;

/// How a signed message is shaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignForm {
    /// multipart/signed with a detached signature (RFC 8551 §3.5.3).
    Detached,
    /// application/pkcs7-mime; smime-type=signed-data (RFC 8551 §3.5.2).
    Opaque,
}

/// Which certificates a SignedData carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeCerts {
    /// None (the receiver must have the signer certificate).
    None,
    /// The signer certificate only.
    Signer,
    /// The signer certificate and the given chain.
    Chain,
}

impl IncludeCerts {
    /// Reads `none`, `signer` or `chain`; without a name, the chain when there is one to
    /// include, else the signer certificate. `None` for any other name.
    pub fn choose(name: Option<&str>, has_chain: bool) -> Option<Self> {
        Some(match name {
            None if has_chain => IncludeCerts::Chain,
            None | Some("signer") => IncludeCerts::Signer,
            Some("chain") => IncludeCerts::Chain,
            Some("none") => IncludeCerts::None,
            Some(_) => return None,
        })
    }
}

/// A signer put together from what a user gives: a key file (maybe a bundle that also holds
/// certificates), optionally the signer certificate on its own, and chain certificates.
#[derive(Clone, Debug)]
pub struct Signer {
    /// The certificate that carries the key's public key.
    pub cert: Cert,
    /// The private key.
    pub key: SecretKey,
    /// Certificates to include with [`IncludeCerts::Chain`].
    pub chain: Vec<Cert>,
}

/// Why [`Signer::select`] could not put a signer together; each front end words it for
/// its own options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignerProblem {
    /// The key material holds no private key.
    NoKey,
    /// None of the candidate certificates carries the key's public key.
    NoMatchingCertificate,
}

impl Signer {
    /// Selects the signer. `bundle` holds what the key file held: its first private key
    /// signs. The certificate is the first of `certs` that carries that key's public key or,
    /// when no certificate was given on its own (`certs` is `None`), the first such of the
    /// bundle's certificates; then the bundle's other certificates join `chain`.
    pub fn select(
        bundle: &crate::keyring::Keyring,
        certs: Option<&[Cert]>,
        mut chain: Vec<Cert>,
    ) -> Result<Signer, SignerProblem> {
        let key = bundle.keys.first().ok_or(SignerProblem::NoKey)?;
        let candidates = certs.unwrap_or(&bundle.certs);
        let cert = candidates
            .iter()
            .find(|c| key.matches(c))
            .cloned()
            .ok_or(SignerProblem::NoMatchingCertificate)?;
        if certs.is_none() {
            chain.extend(bundle.certs.iter().filter(|c| **c != cert).cloned());
        }
        Ok(Signer {
            cert,
            key: key.key.clone(),
            chain,
        })
    }
}

/// The signer and how to sign.
#[derive(Clone, Debug)]
pub struct SignOptions {
    /// The signer certificate.
    pub cert: Cert,
    /// Its private key.
    pub key: SecretKey,
    /// Intermediate certificates to include with [`IncludeCerts::Chain`].
    pub chain: Vec<Cert>,
    /// Digest: SHA-256, SHA-384 or SHA-512.
    pub digest: Digest,
    /// Detached or opaque.
    pub form: SignForm,
    /// Which certificates to include.
    pub include: IncludeCerts,
}

/// Content ciphers sealscope composes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cipher {
    /// AES-128-CBC
    Aes128Cbc,
    /// AES-192-CBC
    Aes192Cbc,
    /// AES-256-CBC
    Aes256Cbc,
    /// AES-128-GCM (AuthEnvelopedData)
    Aes128Gcm,
    /// AES-256-GCM (AuthEnvelopedData)
    Aes256Gcm,
}

impl Cipher {
    /// Parses a report name (`aes-256-cbc`, `aes-128-gcm`, …).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "aes-128-cbc" | "aes128" => Cipher::Aes128Cbc,
            "aes-192-cbc" | "aes192" => Cipher::Aes192Cbc,
            "aes-256-cbc" | "aes256" => Cipher::Aes256Cbc,
            "aes-128-gcm" => Cipher::Aes128Gcm,
            "aes-256-gcm" => Cipher::Aes256Gcm,
            _ => return None,
        })
    }

    fn key_len(self) -> usize {
        match self {
            Cipher::Aes128Cbc | Cipher::Aes128Gcm => 16,
            Cipher::Aes192Cbc => 24,
            Cipher::Aes256Cbc | Cipher::Aes256Gcm => 32,
        }
    }

    fn is_gcm(self) -> bool {
        matches!(self, Cipher::Aes128Gcm | Cipher::Aes256Gcm)
    }

    fn oid(self) -> &'static str {
        match self {
            Cipher::Aes128Cbc => "2.16.840.1.101.3.4.1.2",
            Cipher::Aes192Cbc => "2.16.840.1.101.3.4.1.22",
            Cipher::Aes256Cbc => "2.16.840.1.101.3.4.1.42",
            Cipher::Aes128Gcm => "2.16.840.1.101.3.4.1.6",
            Cipher::Aes256Gcm => "2.16.840.1.101.3.4.1.46",
        }
    }
}

/// RSA key transport padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsaPadding {
    /// PKCS#1 v1.5 (RFC 3370 §4.2.1).
    Pkcs1v15,
    /// RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017, RFC 4055).
    OaepSha256,
}

/// Recipients and cipher.
#[derive(Clone, Debug)]
pub struct EncryptOptions {
    /// Recipient certificates: RSA ones get key transport, EC ones ECDH key agreement.
    pub recipients: Vec<Cert>,
    /// The content cipher.
    pub cipher: Cipher,
    /// Padding for RSA recipients.
    pub rsa_padding: RsaPadding,
}

/// The output encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// An S/MIME message (CRLF line ends).
    Mime,
    /// The outermost CMS ContentInfo as DER.
    Der,
    /// The same as PEM (`-----BEGIN CMS-----`).
    Pem,
}

/// Everything `compose` needs besides the payload and the generator.
#[derive(Clone, Debug)]
pub struct ComposeOptions {
    /// Sign (first).
    pub sign: Option<SignOptions>,
    /// Encrypt (after signing).
    pub encrypt: Option<EncryptOptions>,
    /// Output form.
    pub output: Output,
    /// signingTime.
    pub at: UnixTime,
    /// Extra header lines for the outer MIME entity (`From`, `To`, `Subject`, …).
    pub headers: Vec<(String, String)>,
}

fn err(reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: "composition".into(),
        reason: reason.into(),
    }
}

fn digest_oid(d: Digest) -> &'static str {
    match d {
        Digest::Md5 => "1.2.840.113549.2.5",
        Digest::Sha1 => "1.3.14.3.2.26",
        Digest::Sha224 => "2.16.840.1.101.3.4.2.4",
        Digest::Sha256 => "2.16.840.1.101.3.4.2.1",
        Digest::Sha384 => "2.16.840.1.101.3.4.2.2",
        Digest::Sha512 => "2.16.840.1.101.3.4.2.3",
    }
}

/// The payload as a MIME entity in canonical form: kept as is when it already starts with
/// headers, else wrapped as text/plain (UTF-8 text) or base64 application/octet-stream.
pub fn entity(payload: &[u8]) -> Vec<u8> {
    if crate::wire::mime::looks_like_mime(payload) {
        return crate::wire::mime::canonicalise(payload).into_owned();
    }
    if std::str::from_utf8(payload).is_ok() {
        let mut v = b"Content-Type: text/plain; charset=utf-8\r\n\r\n".to_vec();
        v.extend_from_slice(&crate::wire::mime::canonicalise(payload));
        return v;
    }
    let mut v =
        b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            .to_vec();
    v.extend_from_slice(&base64_lines(payload));
    v
}

fn base64_lines(data: &[u8]) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = Vec::with_capacity(b64.len() + b64.len() / 32);
    for chunk in b64.as_bytes().chunks(64) {
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn content_info(oid: &str, content: &[u8]) -> Vec<u8> {
    w::seq(&[&w::oid(oid), &w::explicit(0, content)])
}

fn issuer_and_serial(cert: &Cert) -> Result<Vec<u8>, Error> {
    use der::Encode;
    let issuer = cert
        .issuer()
        .to_der()
        .map_err(|e| Error::der("issuer", e))?;
    let serial = cert.cert.tbs_certificate().serial_number().as_bytes();
    Ok(w::seq(&[&issuer, &w::tlv(0x02, serial)]))
}

/// Builds a SignedData ContentInfo over `content` (encapsulated when `encapsulate`).
pub fn signed_data(
    content: &[u8],
    opts: &SignOptions,
    at: UnixTime,
    encapsulate: bool,
) -> Result<Vec<u8>, Error> {
    let d = opts.digest;
    if d == Digest::Md5 {
        return Err(err(
            "MD5 is broken: sealscope reads MD5 signatures but does not make them",
        ));
    }
    let digest_alg = w::alg(digest_oid(d), None);
    let md = d.hash(content);
    let attrs = [
        w::seq(&[
            &w::oid("1.2.840.113549.1.9.3"),
            &w::set_of(&[&w::oid("1.2.840.113549.1.7.1")]),
        ]),
        w::seq(&[&w::oid("1.2.840.113549.1.9.5"), &w::set_of(&[&w::time(at)])]),
        w::seq(&[
            &w::oid("1.2.840.113549.1.9.4"),
            &w::set_of(&[&w::octets(&md)]),
        ]),
    ];
    let attr_refs: Vec<&[u8]> = attrs.iter().map(Vec::as_slice).collect();
    let signed_attrs = w::set_of(&attr_refs);
    let to_sign = d.hash(&signed_attrs);
    let (sig_alg, signature) = match &opts.key {
        SecretKey::Rsa(k) => {
            use rsa::Pkcs1v15Sign;
            let scheme = match d {
                Digest::Md5 => Pkcs1v15Sign::new::<md5::Md5>(),
                Digest::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
                Digest::Sha224 => Pkcs1v15Sign::new::<sha2::Sha224>(),
                Digest::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
                Digest::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
                Digest::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
            };
            let sig = k
                .sign(scheme, &to_sign)
                .map_err(|e| err(format!("RSA signing failed: {e}")))?;
            (w::alg("1.2.840.113549.1.1.1", Some(&w::null())), sig)
        }
        SecretKey::P256(k) => {
            use p256::ecdsa::signature::hazmat::PrehashSigner;
            let sk = p256::ecdsa::SigningKey::from(k.clone());
            let sig: p256::ecdsa::Signature = sk
                .sign_prehash(&to_sign)
                .map_err(|e| err(format!("ECDSA signing failed: {e}")))?;
            (ecdsa_alg(d), sig.to_der().as_bytes().to_vec())
        }
        SecretKey::P384(k) => {
            use p384::ecdsa::signature::hazmat::PrehashSigner;
            let sk = p384::ecdsa::SigningKey::from(k.clone());
            let sig: p384::ecdsa::Signature = sk
                .sign_prehash(&to_sign)
                .map_err(|e| err(format!("ECDSA signing failed: {e}")))?;
            (ecdsa_alg(d), sig.to_der().as_bytes().to_vec())
        }
    };
    let mut implicit_attrs = signed_attrs.clone();
    implicit_attrs[0] = 0xA0;
    let signer_info = w::seq(&[
        &w::int(1),
        &issuer_and_serial(&opts.cert)?,
        &digest_alg,
        &implicit_attrs,
        &sig_alg,
        &w::octets(&signature),
    ]);
    let mut certs: Vec<&[u8]> = Vec::new();
    if opts.include != IncludeCerts::None {
        certs.push(&opts.cert.der);
    }
    if opts.include == IncludeCerts::Chain {
        certs.extend(opts.chain.iter().map(|c| c.der.as_slice()));
    }
    let eci = if encapsulate {
        w::seq(&[
            &w::oid("1.2.840.113549.1.7.1"),
            &w::explicit(0, &w::octets(content)),
        ])
    } else {
        w::seq(&[&w::oid("1.2.840.113549.1.7.1")])
    };
    let mut fields: Vec<Vec<u8>> = vec![w::int(1), w::set_of(&[&digest_alg]), eci];
    if !certs.is_empty() {
        fields.push(w::implicit_set_of(0, &certs));
    }
    fields.push(w::set_of(&[&signer_info]));
    let refs: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
    Ok(content_info("1.2.840.113549.1.7.2", &w::seq(&refs)))
}

fn ecdsa_alg(d: Digest) -> Vec<u8> {
    let oid = match d {
        // Refused before signing; there is no ECDSA-with-MD5 identifier.
        Digest::Md5 | Digest::Sha1 => "1.2.840.10045.4.1",
        Digest::Sha224 => "1.2.840.10045.4.3.1",
        Digest::Sha256 => "1.2.840.10045.4.3.2",
        Digest::Sha384 => "1.2.840.10045.4.3.3",
        Digest::Sha512 => "1.2.840.10045.4.3.4",
    };
    w::alg(oid, None)
}

fn random(rng: &mut dyn CryptoRng, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rng.fill_bytes(&mut v);
    v
}

/// A KeyTransRecipientInfo (RSA) or KeyAgreeRecipientInfo (EC) for `cert`.
fn recipient_info(
    cert: &Cert,
    cek: &[u8],
    cipher: Cipher,
    padding: RsaPadding,
    rng: &mut dyn CryptoRng,
) -> Result<(Vec<u8>, bool), Error> {
    let who = crate::x509::dn::rfc4514(cert.subject());
    let public = cert
        .public_key()
        .map_err(|e| err(format!("recipient {who}: {e}")))?;
    match public {
        crate::crypto::signature::PublicKey::Dsa(_) => Err(err(format!(
            "recipient {who} has a DSA key, which can sign but not receive encrypted content"
        ))),
        crate::crypto::signature::PublicKey::Rsa(k) => {
            let (alg, enc) = match padding {
                RsaPadding::Pkcs1v15 => (
                    w::alg("1.2.840.113549.1.1.1", Some(&w::null())),
                    k.encrypt(rng, rsa::Pkcs1v15Encrypt, cek),
                ),
                RsaPadding::OaepSha256 => {
                    let sha256 = w::alg(digest_oid(Digest::Sha256), None);
                    let params = w::seq(&[
                        &w::explicit(0, &sha256),
                        &w::explicit(1, &w::alg("1.2.840.113549.1.1.8", Some(&sha256))),
                    ]);
                    (
                        w::alg("1.2.840.113549.1.1.7", Some(&params)),
                        k.encrypt(rng, rsa::Oaep::<sha2::Sha256>::new(), cek),
                    )
                }
            };
            let enc = enc.map_err(|e| err(format!("RSA key transport to {who} failed: {e}")))?;
            Ok((
                w::seq(&[
                    &w::int(0),
                    &issuer_and_serial(cert)?,
                    &alg,
                    &w::octets(&enc),
                ]),
                false,
            ))
        }
        crate::crypto::signature::PublicKey::P256(_)
        | crate::crypto::signature::PublicKey::P384(_) => {
            let point = cert
                .cert
                .tbs_certificate()
                .subject_public_key_info()
                .subject_public_key
                .as_bytes()
                .ok_or_else(|| err(format!("recipient {who}: malformed public key")))?
                .to_vec();
            // Ephemeral-static ECDH, X9.63 KDF with SHA-256, AES key wrap sized to the
            // content key (RFC 5753 §3.1, RFC 8418 style choices as OpenSSL makes them).
            let eph = SecretKey::generate_for_peer(&point, rng)
                .ok_or_else(|| err(format!("recipient {who}: unsupported EC point")))?;
            let z = eph.ecdh(&point).ok_or_else(|| {
                err(format!(
                    "recipient {who}: the public key is not a valid point"
                ))
            })?;
            let eph_point = eph.public_key_bits();
            let (wrap_oid, kek_len) = if cipher.key_len() <= 16 {
                ("2.16.840.1.101.3.4.1.5", 16)
            } else if cipher.key_len() <= 24 {
                ("2.16.840.1.101.3.4.1.25", 24)
            } else {
                ("2.16.840.1.101.3.4.1.45", 32)
            };
            let wrap_alg = w::alg(wrap_oid, None);
            let shared_info = w::seq(&[
                &wrap_alg,
                &w::explicit(2, &w::octets(&((kek_len * 8) as u32).to_be_bytes())),
            ]);
            let kek = ciphers::x963_kdf(Digest::Sha256, &z, &shared_info, kek_len);
            let wrapped = ciphers::aes_wrap(&kek, cek).map_err(err)?;
            let originator = w::explicit(
                0,
                &w::tlv(
                    0xA1,
                    &[w::alg("1.2.840.10045.2.1", None), w::bits(&eph_point)].concat(),
                ),
            );
            let kari = w::tlv(
                0xA1,
                &[
                    w::int(3),
                    originator,
                    w::alg("1.3.132.1.11.1", Some(&wrap_alg)),
                    w::seq(&[&w::seq(&[&issuer_and_serial(cert)?, &w::octets(&wrapped)])]),
                ]
                .concat(),
            );
            Ok((kari, true))
        }
    }
}

/// Builds an EnvelopedData (CBC) or AuthEnvelopedData (GCM) ContentInfo around `content`.
pub fn enveloped_data(
    content: &[u8],
    opts: &EncryptOptions,
    rng: &mut dyn CryptoRng,
) -> Result<Vec<u8>, Error> {
    if opts.recipients.is_empty() {
        return Err(err("encryption needs at least one recipient certificate"));
    }
    let cek = random(rng, opts.cipher.key_len());
    let mut ris = Vec::new();
    let mut any_kari = false;
    for r in &opts.recipients {
        let (ri, kari) = recipient_info(r, &cek, opts.cipher, opts.rsa_padding, rng)?;
        any_kari |= kari;
        ris.push(ri);
    }
    let ri_refs: Vec<&[u8]> = ris.iter().map(Vec::as_slice).collect();
    let data_oid = w::oid("1.2.840.113549.1.7.1");
    if opts.cipher.is_gcm() {
        let nonce = random(rng, 12);
        let (ct, tag) = ciphers::encrypt_gcm(&cek, &nonce, content, &[]).map_err(err)?;
        let params = w::seq(&[&w::octets(&nonce), &w::int(16)]);
        let eci = w::seq(&[
            &data_oid,
            &w::alg(opts.cipher.oid(), Some(&params)),
            &w::implicit_primitive(0, &ct),
        ]);
        let aed = w::seq(&[&w::int(0), &w::set_of(&ri_refs), &eci, &w::octets(&tag)]);
        return Ok(content_info("1.2.840.113549.1.9.16.1.23", &aed));
    }
    let iv = random(rng, 16);
    let cipher = ciphers::ContentCipher::AesCbc {
        key_len: opts.cipher.key_len(),
        iv: iv.clone(),
    };
    let ct = ciphers::encrypt_cbc(&cipher, &cek, content).map_err(err)?;
    let eci = w::seq(&[
        &data_oid,
        &w::alg(opts.cipher.oid(), Some(&w::octets(&iv))),
        &w::implicit_primitive(0, &ct),
    ]);
    // RFC 5652 §6.1: version 2 when any recipient is not a version-0 KTRI.
    let version = if any_kari { 2 } else { 0 };
    let ed = w::seq(&[&w::int(version), &w::set_of(&ri_refs), &eci]);
    Ok(content_info("1.2.840.113549.1.7.3", &ed))
}

fn boundary(rng: &mut dyn CryptoRng) -> String {
    format!("----=_sealscope_{}", hex::encode(random(rng, 12)))
}

fn header_block(extra: &[(String, String)], content_type: &str, more: &[&str]) -> Vec<u8> {
    let mut h = String::new();
    for (n, v) in extra {
        h.push_str(&format!("{n}: {v}\r\n"));
    }
    h.push_str("MIME-Version: 1.0\r\n");
    h.push_str(&format!("Content-Type: {content_type}\r\n"));
    for m in more {
        h.push_str(m);
        h.push_str("\r\n");
    }
    h.push_str("\r\n");
    h.into_bytes()
}

fn pkcs7_mime(extra: &[(String, String)], smime_type: &str, der: &[u8]) -> Vec<u8> {
    let mut v = header_block(
        extra,
        &format!("application/pkcs7-mime; smime-type={smime_type}; name=\"smime.p7m\""),
        &[
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"smime.p7m\"",
        ],
    );
    v.extend_from_slice(&base64_lines(der));
    v
}

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
        match s.form {
            SignForm::Detached => {
                let sd = signed_data(&inner, s, opts.at, false)?;
                let b = boundary(rng);
                let mut msg = header_block(
                    extra,
                    &format!(
                        "multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=\"{}\"; boundary=\"{b}\"",
                        s.digest.micalg()
                    ),
                    &[],
                );
                msg.extend_from_slice(b"This is an S/MIME signed message\r\n\r\n");
                msg.extend_from_slice(format!("--{b}\r\n").as_bytes());
                msg.extend_from_slice(&inner);
                msg.extend_from_slice(format!("\r\n--{b}\r\n").as_bytes());
                msg.extend_from_slice(
                    b"Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"smime.p7s\"\r\n\r\n",
                );
                msg.extend_from_slice(&base64_lines(&sd));
                msg.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
                inner = msg;
                outer_cms = Some(sd);
            }
            SignForm::Opaque => {
                let sd = signed_data(&inner, s, opts.at, true)?;
                inner = pkcs7_mime(extra, "signed-data", &sd);
                outer_cms = Some(sd);
            }
        }
    }
    if let Some(e) = &opts.encrypt {
        let env = enveloped_data(&inner, e, rng)?;
        let smime_type = if e.cipher.is_gcm() {
            "authEnveloped-data"
        } else {
            "enveloped-data"
        };
        inner = pkcs7_mime(&opts.headers, smime_type, &env);
        outer_cms = Some(env);
    }
    match opts.output {
        Output::Mime => Ok(inner),
        Output::Der => outer_cms.ok_or_else(|| err("no CMS structure was built")),
        Output::Pem => {
            let der = outer_cms.ok_or_else(|| err("no CMS structure was built"))?;
            let mut v = b"-----BEGIN CMS-----\n".to_vec();
            let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
            for chunk in b64.as_bytes().chunks(64) {
                v.extend_from_slice(chunk);
                v.push(b'\n');
            }
            v.extend_from_slice(b"-----END CMS-----\n");
            Ok(v)
        }
    }
}
