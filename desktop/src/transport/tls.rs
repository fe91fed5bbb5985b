//! TLS configuration (rustls with the ring provider). Client: the system's trust store plus
//! any `--ca` files or directories (or those alone with `--ca-only`), and an optional client
//! certificate. Server: a PEM certificate chain and its key.

use super::TlsOptions;
use crate::error::CliError;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use std::path::Path;
use std::sync::Arc;

fn pem_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, CliError> {
    let files: Vec<std::path::PathBuf> = if path.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| CliError::Read(path.to_path_buf(), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).map_err(|e| CliError::Read(f.clone(), e))?;
        for c in CertificateDer::pem_slice_iter(&bytes).flatten() {
            out.push(c);
        }
    }
    if out.is_empty() && !path.is_dir() {
        return Err(CliError::Usage(format!(
            "--ca {}: no PEM certificate in it",
            path.display()
        )));
    }
    Ok(out)
}

/// A client connection for `host`.
pub fn client(host: &str, opts: &TlsOptions) -> Result<rustls::ClientConnection, CliError> {
    let mut roots = rustls::RootCertStore::empty();
    if opts.ca_only {
        if opts.ca.is_empty() {
            return Err(CliError::Usage(
                "--ca-only needs the root to trust: give it with --ca".into(),
            ));
        }
    } else {
        for c in rustls_native_certs::load_native_certs().certs {
            let _ = roots.add(c);
        }
    }
    for p in &opts.ca {
        for c in pem_certs(p)? {
            roots
                .add(c)
                .map_err(|e| CliError::Usage(format!("--ca {}: {e}", p.display())))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| CliError::Transport(format!("TLS setup: {e}")))?
        .with_root_certificates(roots);
    let config = match &opts.client_cert {
        Some((cert, key)) => {
            let chain = pem_certs(cert)?;
            let key_bytes = std::fs::read(key).map_err(|e| CliError::Read(key.clone(), e))?;
            let key_der = PrivateKeyDer::from_pem_slice(&key_bytes)
                .map_err(|e| CliError::Usage(format!("--client-key {}: {e}", key.display())))?;
            builder
                .with_client_auth_cert(chain, key_der)
                .map_err(|e| CliError::Usage(format!("client certificate: {e}")))?
        }
        None => builder.with_no_client_auth(),
    };
    let name = ServerName::try_from(host.to_string())
        .map_err(|e| CliError::Usage(format!("TLS server name {host:?}: {e}")))?;
    rustls::ClientConnection::new(Arc::new(config), name)
        .map_err(|e| CliError::Transport(format!("TLS setup for {host}: {e}")))
}

/// A server configuration from a PEM certificate chain (server certificate first) and its
/// PEM private key.
pub fn server(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, CliError> {
    let chain = pem_certs(cert).map_err(|e| match e {
        CliError::Usage(m) => CliError::Usage(m.replace("--ca", "--tls-cert")),
        other => other,
    })?;
    let key_bytes = std::fs::read(key).map_err(|e| CliError::Read(key.to_path_buf(), e))?;
    let key_der = PrivateKeyDer::from_pem_slice(&key_bytes)
        .map_err(|e| CliError::Usage(format!("--tls-key {}: {e}", key.display())))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| CliError::Transport(format!("TLS setup: {e}")))?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(|e| {
            CliError::Usage(format!(
                "--tls-cert {} / --tls-key {}: {e}",
                cert.display(),
                key.display()
            ))
        })?;
    Ok(Arc::new(config))
}
