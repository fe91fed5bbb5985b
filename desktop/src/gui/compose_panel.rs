//! The compose and listen panels: forms whose fields become the requests of
//! [`crate::actions`] (built here, without UI code, so tests check them directly). The
//! passwords, passcodes and tokens stay in memory.

use crate::actions::compose::{ComposeRequest, Payload, SignerFiles};
use crate::actions::connection::Connection;
use crate::actions::listen::ListenRequest;
use crate::actions::send::SendRequest;
use sealscope_core::compose::Template;
use std::path::PathBuf;

/// The compose-and-send form.
#[derive(Clone, Debug, Default)]
pub struct ComposeForm {
    /// Profile template: "" (plain), emi, ssm, bitrepo, scmp, scmp-error, scms-….
    pub template: String,
    /// The payload text.
    pub payload: String,
    /// Extra MIME headers, one "Name: value" per line.
    pub headers: String,
    /// Signer certificate file (PEM/DER; COER for SCMS).
    pub signer: String,
    /// Signer key file (or PKCS#12).
    pub signer_key: String,
    /// Its password (memory only).
    pub key_pass: String,
    /// Intermediate certificates to include, one path per line.
    pub chain: String,
    /// Recipient certificates, one path per line.
    pub recipients: String,
    /// Content cipher ("" = the template's or aes-256-cbc).
    pub cipher: String,
    /// Digest ("" = the template's or sha256).
    pub digest: String,
    /// Opaque signed-data instead of multipart/signed.
    pub opaque: bool,
    /// Output form ("" = the template's).
    pub outform: String,
    /// STOMP destination for the stomp form.
    pub destination: String,
    /// SCMS download file name.
    pub filename: String,
    /// Where to send: stomp://…, http(s)://…, ams://….
    pub target: String,
    /// STOMP login.
    pub login: String,
    /// STOMP passcode or AMS token (memory only).
    pub passcode: String,
}

/// Templates offered: plain S/MIME (empty) and every template the core knows.
pub fn templates() -> Vec<&'static str> {
    std::iter::once("")
        .chain(Template::ALL.iter().map(|t| t.name()))
        .collect()
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

fn text(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn path(value: &str) -> Option<PathBuf> {
    text(value).map(PathBuf::from)
}

/// Login and passcode (or the AMS token, for an ams:// URL) for a URL.
fn connection(url: &str, login: &str, passcode: &str) -> Connection {
    let secret = (!passcode.is_empty()).then(|| passcode.to_string());
    let ams = url.trim_start().starts_with("ams");
    Connection {
        login: text(login),
        passcode: if ams { None } else { secret.clone() },
        token: if ams { secret } else { None },
        ..Connection::default()
    }
}

impl ComposeForm {
    /// The composition the form describes, with the payload text as the payload.
    pub fn request(&self) -> ComposeRequest {
        ComposeRequest {
            profile: text(&self.template),
            signer: SignerFiles {
                cert: path(&self.signer),
                key: path(&self.signer_key),
                password: (!self.key_pass.is_empty()).then(|| self.key_pass.clone()),
                chain: lines(&self.chain).map(PathBuf::from).collect(),
                certs: None,
            },
            opaque: self.opaque,
            digest: text(&self.digest),
            recipients: lines(&self.recipients).map(PathBuf::from).collect(),
            cipher: text(&self.cipher),
            outform: text(&self.outform),
            headers: lines(&self.headers).map(str::to_string).collect(),
            destination: text(&self.destination),
            filename: text(&self.filename),
            payload: Some(Payload::Bytes(self.payload.as_bytes().to_vec())),
            ..ComposeRequest::default()
        }
    }

    /// Sending `bytes` to the form's target, with its login and passcode or token.
    pub fn send_request(&self, bytes: Vec<u8>) -> (SendRequest, Connection) {
        (
            SendRequest {
                url: self.target.trim().to_string(),
                bytes,
                ..SendRequest::default()
            },
            connection(&self.target, &self.login, &self.passcode),
        )
    }
}

/// The listen form.
#[derive(Clone, Debug, Default)]
pub struct ListenForm {
    /// stomp://host:61613/queue/x or http://127.0.0.1:PORT/ or ams://….
    pub url: String,
    /// STOMP login.
    pub login: String,
    /// STOMP passcode or AMS token (memory only).
    pub passcode: String,
}

impl ListenForm {
    /// Listening on the form's URL until stopped, with its login and passcode or token.
    pub fn request(&self) -> (ListenRequest, Connection) {
        (
            ListenRequest {
                url: self.url.trim().to_string(),
                ..ListenRequest::default()
            },
            connection(&self.url, &self.login, &self.passcode),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_become_requests_with_secrets_in_memory() {
        let f = ComposeForm {
            template: "ssm".into(),
            signer: "a.pem".into(),
            signer_key: "a.key".into(),
            key_pass: "k".into(),
            recipients: "r1.pem\n\n r2.pem ".into(),
            headers: "Subject: hi".into(),
            payload: "hello".into(),
            opaque: true,
            target: " stomp://127.0.0.1:61613/queue/x ".into(),
            login: "u".into(),
            passcode: "p".into(),
            ..Default::default()
        };
        let r = f.request();
        assert_eq!(r.profile.as_deref(), Some("ssm"));
        assert_eq!(r.signer.cert, Some(PathBuf::from("a.pem")));
        assert_eq!(r.signer.password.as_deref(), Some("k"));
        assert_eq!(
            r.recipients,
            [PathBuf::from("r1.pem"), PathBuf::from("r2.pem")]
        );
        assert_eq!(r.headers, ["Subject: hi"]);
        assert!(r.opaque);
        assert!(matches!(&r.payload, Some(Payload::Bytes(b)) if b == b"hello"));
        assert_eq!(r.digest, None);
        let (s, c) = f.send_request(b"m".to_vec());
        assert_eq!(s.url, "stomp://127.0.0.1:61613/queue/x");
        assert_eq!(s.bytes, b"m");
        assert_eq!(
            (
                c.login.as_deref(),
                c.passcode.as_deref(),
                c.token.as_deref()
            ),
            (Some("u"), Some("p"), None)
        );
        let l = ListenForm {
            url: "ams://h/v1/projects/p/subscriptions/s".into(),
            passcode: "t".into(),
            ..Default::default()
        };
        let (req, c) = l.request();
        assert_eq!(req.url, "ams://h/v1/projects/p/subscriptions/s");
        assert_eq!((req.count, req.idle), (None, None));
        assert_eq!(
            (c.passcode.as_deref(), c.token.as_deref()),
            (None, Some("t"))
        );
    }
}
