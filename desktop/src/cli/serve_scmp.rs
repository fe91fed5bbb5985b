//! `sealscope serve-scmp`: a test SCMP server for integrators (seed 003). Each POSTed
//! request is inspected with the SCMP profile; the server answers with a signed reply that
//! echoes the request id, or with a signed, never encrypted, `SCMP <number> <text>` error.
//!
//! The decision and the answer are the core's ([`sealscope_core::profiles::scmp_server`],
//! which lists the error numbers); this module listens and prints.

use super::check::CheckArgs;
use super::compose::SignerArgs;
use super::send::ConnArgs;
use crate::actions::listen::bind;
use crate::error::CliError;
use crate::transport::http_server::{self, ServeLimits};
use crate::transport::{Endpoint, Scheme};
use sealscope_core::compose::SignForm;
use sealscope_core::crypto::algorithms::Digest;
use sealscope_core::profiles::{scmp_server, Profile};
use sealscope_core::UnixTime;
use std::io::Write;

/// Options of `sealscope serve-scmp`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Where to listen, e.g. http://127.0.0.1:8080/scmp (loopback unless --allow-remote).
    #[arg(value_name = "URL")]
    url: String,
    /// The server's signer.
    #[command(flatten)]
    signer: SignerArgs,
    /// Protocol versions accepted.
    #[arg(long, default_value = "2.0")]
    accept_version: Vec<String>,
    /// Stop after this many requests.
    #[arg(long)]
    count: Option<usize>,
    /// Stop after this many seconds without a request.
    #[arg(long, value_name = "SECS")]
    idle: Option<u64>,
    /// Allow a non-loopback address.
    #[arg(long)]
    allow_remote: bool,
    /// HTTPS (for an https:// URL).
    #[command(flatten)]
    tls: super::serve_ra::ServerTlsArgs,
    #[command(flatten)]
    conn: ConnArgs,
    #[command(flatten)]
    check: CheckArgs,
}

/// Runs the server.
pub fn run(args: ServeArgs, now: UnixTime) -> Result<u8, CliError> {
    let ep = Endpoint::parse(&args.url)?;
    if ep.scheme != Scheme::Http {
        return Err(CliError::Usage(
            "serve-scmp listens on http(s)://127.0.0.1:PORT/PATH".into(),
        ));
    }
    let tls = args.tls.config(&ep)?;
    let sign = args
        .signer
        .files()?
        .sign_options(Digest::Sha256, SignForm::Detached)?
        .ok_or_else(|| {
            CliError::Usage("serve-scmp signs every reply: give --signer and --signer-key".into())
        })?;
    let checker = args.check.checker(now)?;
    let (listener, url) = bind(&ep, args.allow_remote)?;
    eprintln!("sealscope: SCMP server on {url}");
    let conn = args.conn.connection()?;
    let limits = ServeLimits::new(args.count, args.idle, conn.timeout, conn.max_size);
    let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    let mut n = 0usize;
    http_server::serve(&listener, &limits, tls, |req| {
        n += 1;
        // A fixed --at is kept; otherwise each request is judged at its arrival.
        let at = if args.check.at.is_some() {
            checker.session.options().at
        } else {
            crate::now()
        };
        let mut opts = checker
            .session
            .options_for(&format!("request {n} from {}", req.peer));
        opts.at = at;
        opts.profile = Some(Profile::Scmp);
        let (report, text) = checker.inspect_with(&req.bytes, &opts);
        let _ = writeln!(std::io::stdout().lock(), "{text}");
        match scmp_server::answer(&report, &args.accept_version, &sign, at, &mut rng) {
            Ok((answer, refused)) => {
                if let Some(e) = refused {
                    eprintln!("sealscope: request {n}: {e}");
                }
                Some(answer)
            }
            Err(e) => Some(http_server::response(
                500,
                "Internal Server Error",
                &[],
                format!("cannot compose the reply: {e}\n").as_bytes(),
            )),
        }
    })?;
    eprintln!("sealscope: serve-scmp: {n} request(s) answered");
    Ok(0)
}
