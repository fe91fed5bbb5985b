//! Secrets given to options: a password, passcode, token or key never appears on the command
//! line itself, where every local user can read it (`ps`, `/proc/PID/cmdline`). An option
//! that takes one names where to find it instead:
//!
//! - `env:NAME`: the value of the environment variable NAME;
//! - `file:PATH`: the first line of the file at PATH, without its line break (a file
//!   with no line at all gives the empty secret, as an empty PKCS#12 password needs).
//!
//! Anything else is refused with a usage error that says so and never repeats the value.

use crate::error::CliError;
use std::path::PathBuf;

/// The secret `spec` names, for the option `option` (used in errors, e.g. `--key-pass`).
pub fn resolve(option: &str, spec: &str) -> Result<String, CliError> {
    if let Some(name) = spec.strip_prefix("env:") {
        if name.is_empty() {
            return Err(CliError::Usage(format!(
                "{option} env:: the environment variable's name is missing"
            )));
        }
        return match std::env::var(name) {
            Ok(v) => Ok(v),
            Err(std::env::VarError::NotPresent) => Err(CliError::Usage(format!(
                "{option} env:{name}: the environment variable {name} is not set"
            ))),
            Err(std::env::VarError::NotUnicode(_)) => Err(CliError::Usage(format!(
                "{option} env:{name}: the environment variable {name} is not valid UTF-8"
            ))),
        };
    }
    if let Some(path) = spec.strip_prefix("file:") {
        let path = PathBuf::from(path);
        let text = std::fs::read(&path).map_err(|e| CliError::Read(path.clone(), e))?;
        let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        return String::from_utf8(line.to_vec()).map_err(|_| {
            CliError::Usage(format!(
                "{option} file:{}: the first line is not valid UTF-8",
                path.display()
            ))
        });
    }
    Err(CliError::Usage(format!(
        "{option} takes env:NAME or file:PATH, not the secret itself: a command line can be \
         read by every user of this machine"
    )))
}

/// [`resolve`] for an optional option, falling back to the environment variable `fallback`
/// when the option is absent.
pub fn resolve_or_env(
    option: &str,
    spec: Option<&str>,
    fallback: &str,
) -> Result<Option<String>, CliError> {
    match spec {
        Some(s) => resolve(option, s).map(Some),
        None => Ok(std::env::var(fallback).ok()),
    }
}

/// `--kek KEKID:SOURCE`: the KEK identifier stays as given (it is not secret); the key comes
/// from SOURCE (`env:NAME` or `file:PATH`, holding the key in hex). Returns `KEKID:KEY` as
/// the keyring loader reads it.
pub fn resolve_kek(spec: &str) -> Result<String, CliError> {
    let Some((id, source)) = spec.split_once(':') else {
        return Err(CliError::Usage(
            "--kek takes KEKID:env:NAME or KEKID:file:PATH (the KEK identifier in hex, then \
             where its key is)"
                .into(),
        ));
    };
    let key = resolve("--kek", source)?;
    Ok(format!("{id}:{}", key.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_secret_is_refused_without_being_repeated() {
        let e = resolve("--key-pass", "hunter2").unwrap_err().to_string();
        assert!(e.contains("--key-pass takes env:NAME or file:PATH"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");
        let e = resolve_kek("0a0b:00112233").unwrap_err().to_string();
        assert!(!e.contains("00112233"), "{e}");
        assert!(resolve_kek("00112233").is_err());
    }

    #[test]
    fn files_give_their_first_line() {
        let dir = std::env::temp_dir().join(format!("sealscope-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        for (text, want) in [
            (&b"pass\n"[..], "pass"),
            (b"pass\r\nsecond\n", "pass"),
            (b"no newline", "no newline"),
            (b"", ""),
            (b"\n", ""),
        ] {
            let p = dir.join("s");
            std::fs::write(&p, text).expect("write");
            let spec = format!("file:{}", p.display());
            assert_eq!(resolve("--passcode", &spec).expect("reads"), want);
        }
        let missing = format!("file:{}", dir.join("absent").display());
        let e = resolve("--passcode", &missing).unwrap_err().to_string();
        assert!(e.contains("absent"), "{e}");
        std::fs::write(dir.join("kek"), "000102030405060708090a0b0c0d0e0f\n").expect("write");
        let kek = format!("0a0b:file:{}", dir.join("kek").display());
        assert_eq!(
            resolve_kek(&kek).expect("reads"),
            "0a0b:000102030405060708090a0b0c0d0e0f"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unset_variables_are_named() {
        let e = resolve("--token", "env:SEALSCOPE_TEST_SURELY_UNSET")
            .unwrap_err()
            .to_string();
        assert!(e.contains("SEALSCOPE_TEST_SURELY_UNSET is not set"), "{e}");
        let e = resolve("--token", "env:").unwrap_err().to_string();
        assert!(e.contains("name is missing"), "{e}");
    }
}
