//! How to reach a peer: credentials, TLS material, timeout and size bound, shared by send,
//! listen and the SCMP server. Secrets are held in memory only; the front ends fill them
//! from a form field, an option or an environment variable.

use crate::error::CliError;
use crate::transport::stomp_client::StompOptions;
use crate::transport::{TlsOptions, DEFAULT_MAX_MESSAGE};
use std::path::PathBuf;
use std::time::Duration;

/// Connection settings.
#[derive(Clone, Debug)]
pub struct Connection {
    /// STOMP login.
    pub login: Option<String>,
    /// STOMP passcode.
    pub passcode: Option<String>,
    /// STOMP virtual host (the CONNECT `host` header); default the URL's host.
    pub vhost: Option<String>,
    /// Extra CA certificates for TLS (PEM file or directory).
    pub ca: Vec<PathBuf>,
    /// Trust only `ca` for TLS, not the system's store.
    pub ca_only: bool,
    /// Client certificate for TLS (PEM).
    pub client_cert: Option<PathBuf>,
    /// Client key for TLS (PEM).
    pub client_key: Option<PathBuf>,
    /// ARGO AMS token, sent as `x-api-key`.
    pub token: Option<String>,
    /// How long to wait for a connection, a receipt or a reply.
    pub timeout: Duration,
    /// Largest message, frame, request or reply accepted from a peer, in bytes.
    pub max_size: usize,
}

impl Default for Connection {
    fn default() -> Self {
        Connection {
            login: None,
            passcode: None,
            vhost: None,
            ca: Vec::new(),
            ca_only: false,
            client_cert: None,
            client_key: None,
            token: None,
            timeout: Duration::from_secs(10),
            max_size: DEFAULT_MAX_MESSAGE,
        }
    }
}

impl Connection {
    /// TLS options; a client certificate needs its key and the other way round.
    pub fn tls(&self) -> Result<TlsOptions, CliError> {
        let client_cert = match (&self.client_cert, &self.client_key) {
            (Some(c), Some(k)) => Some((c.clone(), k.clone())),
            (None, None) => None,
            _ => {
                return Err(CliError::Usage(
                    "--client-cert and --client-key go together".into(),
                ))
            }
        };
        Ok(TlsOptions {
            ca: self.ca.clone(),
            ca_only: self.ca_only,
            client_cert,
        })
    }

    /// STOMP options.
    pub fn stomp(&self) -> StompOptions {
        StompOptions {
            login: self.login.clone(),
            passcode: self.passcode.clone(),
            vhost: self.vhost.clone(),
            timeout: self.timeout,
            max_frame: self.max_size,
        }
    }

    /// The `Content-Type: application/json` and `x-api-key` header fields of an AMS call.
    pub fn ams_headers(&self) -> Vec<(String, String)> {
        let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
        if let Some(t) = &self.token {
            headers.push(("x-api-key".into(), t.clone()));
        }
        headers
    }
}
