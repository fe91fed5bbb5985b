//! The compose, send and listen panels' work, kept out of the UI code: composition runs the
//! `compose` command's code in-process; sending and listening run the `sealscope send` /
//! `sealscope listen` commands as child processes (the transports the command line tests
//! against the real broker), their output collected by threads.

use crate::compose_cmd::ComposeArgs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

#[derive(clap::Parser, Debug)]
#[command(name = "compose", no_binary_name = true)]
struct ComposeCli {
    #[command(flatten)]
    args: ComposeArgs,
}

/// A scratch directory for payloads, previews and received messages (removed on drop).
#[derive(Debug)]
pub struct Scratch {
    /// The directory.
    pub dir: PathBuf,
}

impl Scratch {
    /// A fresh directory under the system's temporary directory.
    pub fn new(what: &str) -> std::io::Result<Self> {
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("sealscope-{what}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch { dir })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs `sealscope compose ARGS… --out OUT` in-process and returns what it wrote.
pub fn compose(args: &[String], out: &Path) -> Result<Vec<u8>, String> {
    let mut argv: Vec<String> = args.to_vec();
    argv.push("--out".into());
    argv.push(out.display().to_string());
    let cli = <ComposeCli as clap::Parser>::try_parse_from(&argv).map_err(|e| {
        e.to_string()
            .lines()
            .next()
            .unwrap_or("bad compose options")
            .trim_start_matches("error: ")
            .to_string()
    })?;
    crate::compose_cmd::run(cli.args, crate::now()).map_err(|e| e.to_string())?;
    std::fs::read(out).map_err(|e| format!("cannot read {}: {e}", out.display()))
}

/// A `sealscope` child process with its output collected.
#[derive(Debug)]
pub struct Process {
    child: Child,
    /// Standard output so far.
    pub stdout: Arc<Mutex<String>>,
    /// Standard error so far.
    pub stderr: Arc<Mutex<String>>,
    /// Exit code once it ended.
    pub exit: Option<i32>,
}

fn collect(mut r: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut s) = into.lock() {
                s.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    });
}

impl Process {
    /// Starts `exe ARGS…`.
    pub fn start(exe: &Path, args: &[String]) -> Result<Self, String> {
        let mut child = Command::new(exe)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        if let Some(o) = child.stdout.take() {
            collect(o, stdout.clone());
        }
        if let Some(e) = child.stderr.take() {
            collect(e, stderr.clone());
        }
        Ok(Process {
            child,
            stdout,
            stderr,
            exit: None,
        })
    }

    /// Whether it is still running (records the exit code when it ended).
    pub fn running(&mut self) -> bool {
        if self.exit.is_some() {
            return false;
        }
        match self.child.try_wait() {
            Ok(Some(status)) => {
                self.exit = Some(status.code().unwrap_or(-1));
                false
            }
            Ok(None) => true,
            Err(_) => {
                self.exit = Some(-1);
                false
            }
        }
    }

    /// Stops it.
    pub fn stop(&mut self) {
        if self.running() {
            let _ = self.child.kill();
            let _ = self.child.wait();
            self.exit = Some(-1);
        }
    }

    /// The output so far (stdout, then stderr), trimmed.
    pub fn output(&self) -> String {
        let out = self.stdout.lock().map(|s| s.clone()).unwrap_or_default();
        let err = self.stderr.lock().map(|s| s.clone()).unwrap_or_default();
        format!("{}\n{}", out.trim(), err.trim()).trim().to_string()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The files of `dir` not in `seen` and not written in the last 300 ms (so a file still
/// being written waits for the next call), sorted; they are added to `seen`.
pub fn new_files(dir: &Path, seen: &mut std::collections::BTreeSet<PathBuf>) -> Vec<PathBuf> {
    let settled = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= std::time::Duration::from_millis(300))
    };
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && !seen.contains(p) && settled(p))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    for p in &out {
        seen.insert(p.clone());
    }
    out
}
