//! The window and the command line do their work as library calls (`actions/`): no source
//! file of the binary starts a process, so no password, passcode or token can end up on a
//! command line that other local users can read in the process list.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_source_file_starts_a_process() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 20, "{} source files", files.len());
    let spawning = ["process::Command", "Command::new(", ".spawn()", "exec("];
    let found: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            spawning
                .iter()
                .filter(|s| text.contains(*s))
                .map(|s| format!("{}: {s}", f.display()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}
