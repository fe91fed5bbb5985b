//! `sealscope inspect`: read the inputs on worker threads, conclude and print the reports
//! in input order (the session tracks duplicates in that order).

use super::check::{exit_code, CheckArgs};
use super::ordered;
use crate::actions::{inputs, streamed_file};
use crate::error::CliError;
use sealscope_core::Verdict;
use std::io::Write;
use std::path::PathBuf;

/// Options of `sealscope inspect`.
#[derive(clap::Args, Debug)]
pub struct InspectArgs {
    #[command(flatten)]
    check: CheckArgs,
    /// The content of a detached signature (.p7s) given on its own.
    #[arg(long, value_name = "PATH")]
    content: Option<PathBuf>,
    /// Messages to inspect: files, directories (every file inside; SSM dirq queues are
    /// recognised), or - for stdin. SCMP requests repeated across them are flagged.
    #[arg(value_name = "FILE|DIR|-", required = true)]
    inputs: Vec<PathBuf>,
    /// Inspect this many messages at once (default: one per CPU core). Reports are printed in
    /// input order whatever the number.
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Also write the reports as one self-contained HTML file (readable without any script)
    /// to hand on.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

/// Runs `sealscope inspect`.
pub fn run(args: InspectArgs) -> Result<u8, CliError> {
    let checker = args.check.checker(crate::now())?;
    // The content is read on demand, and only its digests are computed where they suffice,
    // so a detached signature over a file of any size is checked without holding the file.
    let detached: Option<std::sync::Arc<dyn sealscope_core::inspect::StreamedContent>> =
        match &args.content {
            Some(p) => Some(std::sync::Arc::new(streamed_file::FileContent::open(p)?)),
            None => None,
        };
    let files = inputs::expand(&args.inputs)?;
    let jobs = match args.jobs {
        Some(0) => return Err(CliError::Usage("--jobs must be 1 or more".into())),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut worst: u8 = 0;
    let session = &checker.session;
    let printer = checker.printer;
    let mut kept = Vec::new();
    // Reading, inspecting and rendering happen on the workers; this thread concludes the
    // drafts in input order (duplicates are tracked in that order), prints, and renders
    // again only a report the conclusion changed.
    let inspect_one = |input: &inputs::Input| {
        let run = || {
            let loaded = input.read(session.options().max_input)?;
            let mut opts = session.options_for(&input.name());
            opts.detached_stream = detached.clone();
            opts.ssm_stored = input.stored.clone();
            let draft = loaded.draft(session, &opts);
            let text = printer.render(draft.report());
            Ok::<_, CliError>((draft, text))
        };
        (input.name(), run())
    };
    ordered::for_each(&files, jobs, inspect_one, |(name, result)| {
        let (draft, mut text) = match result {
            Ok(r) => r,
            Err(e) => {
                eprintln!("sealscope: {e}");
                worst = 2;
                return true;
            }
        };
        let (report, changed) = session.conclude(draft);
        if changed {
            text = printer.render(&report);
        }
        worst = worst.max(exit_code(report.verdict));
        if args.html.is_some() {
            kept.push(report.clone());
        }
        if writeln!(out, "{text}").is_err() {
            // stdout closed (e.g. piped into head): stop quietly.
            return false;
        }
        if report.verdict == Verdict::Unreadable && !printer.json {
            if let Some(e) = &report.error {
                eprintln!("sealscope: {name}: unreadable: {e}");
            }
        }
        true
    });
    if let Some(path) = &args.html {
        std::fs::write(path, sealscope_core::report::html::document(&kept))
            .map_err(|e| CliError::Write(path.clone(), e))?;
    }
    Ok(worst)
}
