//! Transports (native only): STOMP 1.2 over TCP or TLS, HTTP/1.1 over TCP or TLS, ARGO AMS
//! over HTTP(S). Every read and connect has a timeout; every body has a size limit.

pub mod http_client;
pub mod http_server;
pub mod stomp_client;
pub mod tls;

use crate::error::CliError;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Largest message accepted from a peer by default.
pub const DEFAULT_MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// What a URL names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// `stomp://` or `stomp+ssl://`.
    Stomp,
    /// `http://` or `https://`.
    Http,
    /// `ams://` (HTTPS) or `ams+http://`: ARGO Messaging Service.
    Ams,
}

/// A parsed endpoint URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The protocol.
    pub scheme: Scheme,
    /// Whether TLS is used.
    pub tls: bool,
    /// Host name or address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Path (STOMP destination, HTTP target), starting with `/`.
    pub path: String,
    /// Query string without `?`, if any.
    pub query: Option<String>,
}

impl Endpoint {
    /// Parses `stomp://host:61613/queue/x`, `stomp+ssl://…`, `http(s)://host:port/path`,
    /// `ams://host/v1/projects/P/topics/T`.
    pub fn parse(url: &str) -> Result<Self, CliError> {
        let bad = |why: &str| CliError::Usage(format!("URL {url:?}: {why}"));
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("expected scheme://host[:port]/path"))?;
        let (scheme, tls, default_port) = match scheme.to_ascii_lowercase().as_str() {
            "stomp" | "tcp" => (Scheme::Stomp, false, 61613),
            "stomp+ssl" | "stomp+tls" | "stomps" | "ssl" => (Scheme::Stomp, true, 61614),
            "http" => (Scheme::Http, false, 80),
            "https" => (Scheme::Http, true, 443),
            "ams" | "ams+https" => (Scheme::Ams, true, 443),
            "ams+http" => (Scheme::Ams, false, 80),
            other => {
                return Err(bad(&format!(
                    "unknown scheme {other:?} (stomp, stomp+ssl, http, https, ams, ams+http)"
                )))
            }
        };
        let (authority, path) = match rest.find('/') {
            Some(p) => (&rest[..p], &rest[p..]),
            None => (rest, "/"),
        };
        let (path, query) = match path.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (path.to_string(), None),
        };
        if authority.contains('@') {
            return Err(bad("put credentials in --login/--passcode, not in the URL"));
        }
        let (host, port) = if let Some(h) = authority.strip_prefix('[') {
            let (h, p) = h.split_once(']').ok_or_else(|| bad("unclosed [ in host"))?;
            (h.to_string(), p.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (authority.to_string(), None),
            }
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let port = match port {
            Some(p) => p
                .parse()
                .map_err(|_| bad(&format!("port {p:?} is not a number")))?,
            None => default_port,
        };
        Ok(Endpoint {
            scheme,
            tls,
            host,
            port,
            path,
            query,
        })
    }

    /// `host:port` for Host headers and messages.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// TLS options.
#[derive(Clone, Debug, Default)]
pub struct TlsOptions {
    /// Extra CA certificates (PEM file or directory); the system's are used as well unless
    /// `ca_only`.
    pub ca: Vec<std::path::PathBuf>,
    /// Trust only `ca` (an SCMS EE's bootstrapped root), not the system's store.
    pub ca_only: bool,
    /// Client certificate and key (PEM) for brokers that ask for one.
    pub client_cert: Option<(std::path::PathBuf, std::path::PathBuf)>,
}

/// A connected stream, plain or TLS.
pub enum Conn {
    /// Plain TCP.
    Plain(TcpStream),
    /// TLS over TCP.
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Conn {
    /// Connects with a timeout, then sets read and write timeouts.
    pub fn connect(ep: &Endpoint, tls: &TlsOptions, timeout: Duration) -> Result<Self, CliError> {
        let addrs: Vec<_> = (ep.host.as_str(), ep.port)
            .to_socket_addrs()
            .map_err(|e| CliError::Transport(format!("cannot resolve {}: {e}", ep.host)))?
            .collect();
        let mut last = None;
        let mut stream = None;
        for a in addrs {
            match TcpStream::connect_timeout(&a, timeout) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let stream = stream.ok_or_else(|| {
            CliError::Transport(format!(
                "cannot connect to {}: {}",
                ep.authority(),
                last.map(|e| e.to_string())
                    .unwrap_or_else(|| "no address".into())
            ))
        })?;
        stream
            .set_read_timeout(Some(timeout))
            .and_then(|_| stream.set_write_timeout(Some(timeout)))
            .map_err(|e| CliError::Transport(format!("socket options: {e}")))?;
        let _ = stream.set_nodelay(true);
        if !ep.tls {
            return Ok(Conn::Plain(stream));
        }
        let conn = tls::client(&ep.host, tls)?;
        Ok(Conn::Tls(Box::new(rustls::StreamOwned::new(conn, stream))))
    }

    /// Changes the read timeout.
    pub fn set_read_timeout(&self, t: Duration) {
        let s = match self {
            Conn::Plain(s) => s,
            Conn::Tls(t) => t.get_ref(),
        };
        let _ = s.set_read_timeout(Some(t));
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

/// Whether an I/O error is a timeout.
pub fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let e = Endpoint::parse("stomp://127.0.0.1:61613/queue/a.b").unwrap();
        assert_eq!(
            (e.scheme.clone(), e.tls, e.port),
            (Scheme::Stomp, false, 61613)
        );
        assert_eq!(e.path, "/queue/a.b");
        let e = Endpoint::parse("stomp+ssl://broker.example/topic/x").unwrap();
        assert!(e.tls && e.port == 61614);
        let e = Endpoint::parse("https://h:8443/scmp?x=1").unwrap();
        assert_eq!(e.query.as_deref(), Some("x=1"));
        assert_eq!(e.authority(), "h:8443");
        assert!(Endpoint::parse("ftp://x/").is_err());
        assert!(Endpoint::parse("stomp://u:p@h/q").is_err());
        assert!(Endpoint::parse("http://h:xx/").is_err());
    }
}
