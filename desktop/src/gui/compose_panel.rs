//! The compose and listen panels: forms whose fields become `sealscope compose`, `send` and
//! `listen` arguments (built here, without UI code, so tests check them directly).

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

/// Templates offered.
pub const TEMPLATES: [&str; 10] = [
    "",
    "emi",
    "ssm",
    "bitrepo",
    "scmp",
    "scmp-error",
    "scms-download",
    "scms-ra-cert",
    "scms-pseudonym",
    "scms-id",
];

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

impl ComposeForm {
    /// `sealscope compose` arguments for a payload file.
    pub fn compose_args(&self, payload: &std::path::Path) -> Vec<String> {
        let mut a: Vec<String> = Vec::new();
        let mut opt = |name: &str, value: &str| {
            if !value.trim().is_empty() {
                a.push(name.into());
                a.push(value.trim().into());
            }
        };
        opt("--profile", &self.template);
        opt("--signer", &self.signer);
        opt("--signer-key", &self.signer_key);
        opt("--signer-pass", &self.key_pass);
        opt("--cipher", &self.cipher);
        opt("--digest", &self.digest);
        opt("--outform", &self.outform);
        opt("--destination", &self.destination);
        opt("--filename", &self.filename);
        for c in lines(&self.chain) {
            a.push("--chain".into());
            a.push(c.into());
        }
        for r in lines(&self.recipients) {
            a.push("--recipient".into());
            a.push(r.into());
        }
        for h in lines(&self.headers) {
            a.push("--header".into());
            a.push(h.into());
        }
        if self.opaque {
            a.push("--opaque".into());
        }
        a.push(payload.display().to_string());
        a
    }

    /// `sealscope send` arguments for the composed file; the receipt or reply goes to `reply`.
    pub fn send_args(&self, file: &std::path::Path, reply: &std::path::Path) -> Vec<String> {
        let mut a = vec![
            "send".to_string(),
            self.target.trim().to_string(),
            file.display().to_string(),
            "--save-reply".into(),
            reply.display().to_string(),
        ];
        connection(&mut a, &self.target, &self.login, &self.passcode);
        a
    }
}

/// Login and passcode (or the AMS token) for a URL.
fn connection(a: &mut Vec<String>, url: &str, login: &str, passcode: &str) {
    if !login.trim().is_empty() {
        a.push("--login".into());
        a.push(login.trim().into());
    }
    if !passcode.is_empty() {
        a.push(
            if url.starts_with("ams") {
                "--token"
            } else {
                "--passcode"
            }
            .into(),
        );
        a.push(passcode.into());
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
    /// `sealscope listen` arguments saving every message into `dir`.
    pub fn args(&self, dir: &std::path::Path) -> Vec<String> {
        let mut a = vec![
            "listen".to_string(),
            self.url.trim().to_string(),
            "--save".into(),
            dir.display().to_string(),
        ];
        connection(&mut a, &self.url, &self.login, &self.passcode);
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn forms_become_command_lines() {
        let f = ComposeForm {
            template: "ssm".into(),
            signer: "a.pem".into(),
            signer_key: "a.key".into(),
            recipients: "r1.pem\n\n r2.pem ".into(),
            headers: "Subject: hi".into(),
            opaque: true,
            target: "stomp://127.0.0.1:61613/queue/x".into(),
            login: "u".into(),
            passcode: "p".into(),
            ..Default::default()
        };
        assert_eq!(
            f.compose_args(Path::new("payload")),
            [
                "--profile",
                "ssm",
                "--signer",
                "a.pem",
                "--signer-key",
                "a.key",
                "--recipient",
                "r1.pem",
                "--recipient",
                "r2.pem",
                "--header",
                "Subject: hi",
                "--opaque",
                "payload"
            ]
        );
        assert_eq!(
            f.send_args(Path::new("m"), Path::new("r")),
            [
                "send",
                "stomp://127.0.0.1:61613/queue/x",
                "m",
                "--save-reply",
                "r",
                "--login",
                "u",
                "--passcode",
                "p"
            ]
        );
        let l = ListenForm {
            url: "ams://h/v1/projects/p/subscriptions/s".into(),
            passcode: "t".into(),
            ..Default::default()
        };
        assert_eq!(
            l.args(Path::new("d")),
            [
                "listen",
                "ams://h/v1/projects/p/subscriptions/s",
                "--save",
                "d",
                "--token",
                "t"
            ]
        );
    }
}
