//! `sealscope inspect`: read the inputs on worker threads, conclude and print the reports
//! in input order (the session tracks duplicates in that order). Directory trees and tar or
//! zip archives are streamed member by member; long batches get a progress line, a summary
//! table, and can be resumed from their JSON Lines (`--resume`).

use super::check::{exit_code, CheckArgs};
use super::ordered;
use super::progress::Progress;
use super::tally::{Resume, Tally};
use crate::actions::{archive, inputs, streamed_file};
use crate::error::CliError;
use sealscope_core::Verdict;
use std::io::IsTerminal;
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
    /// Messages to inspect: files, directories (every file inside, at any depth; SSM dirq
    /// queues are recognised), tar, tar.gz or zip archives (every member, streamed), or - for
    /// stdin. SCMP requests repeated across them are flagged.
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
    /// Skip the inputs already reported in this JSON Lines file (an earlier, interrupted
    /// run's), and append the new reports to it. Archive members are named ARCHIVE!/MEMBER.
    #[arg(long, value_name = "FILE")]
    resume: Option<PathBuf>,
    /// Show a progress line on stderr (default: when stderr is a terminal).
    #[arg(long)]
    progress: bool,
    /// Print counts per verdict and per finding code on stderr at the end (default: when a
    /// directory or archive is given, or with --resume).
    #[arg(long)]
    summary: bool,
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
    let mut tally = Tally::default();
    let mut resume = match &args.resume {
        Some(p) => Some(Resume::open(p, &mut tally)?),
        None => None,
    };
    let batch = args.inputs.iter().any(|p| p.is_dir())
        || files
            .iter()
            .any(|i| matches!(i.source, inputs::Source::Archive(..)));
    let summary = args.summary || batch || resume.is_some();
    let consumed = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut progress = (args.progress || std::io::stderr().is_terminal()).then(|| {
        let total = files
            .iter()
            .filter_map(|i| match &i.source {
                inputs::Source::File(p) | inputs::Source::Archive(_, p) => {
                    std::fs::metadata(p).ok().map(|m| m.len())
                }
                _ => None,
            })
            .sum();
        Progress::new(total, consumed.clone())
    });
    let reading = archive::Reading {
        limit: checker.session.options().max_input,
        skip: std::sync::Arc::new(resume.as_ref().map(|r| r.done.clone()).unwrap_or_default()),
        consumed,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut worst: u8 = 0;
    let session = &checker.session;
    let printer = checker.printer;
    let mut kept = Vec::new();
    let mut failure = None;
    // Reading, inspecting and rendering happen on the workers; this thread concludes the
    // drafts in input order (duplicates are tracked in that order), prints, and renders
    // again only a report the conclusion changed.
    let inspect_one = |input: inputs::Input| {
        let name = input.name();
        let bytes = match &input.source {
            inputs::Source::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            _ => 0,
        };
        let detached = detached.clone();
        let run = move || {
            let mut opts = session.options_for(&input.name());
            opts.detached_stream = detached;
            opts.ssm_stored = input.stored.clone();
            let loaded = input.into_read_for_report(session.options().max_input)?;
            let draft = loaded.draft(session, &opts)?;
            let text = printer.render(draft.report());
            Ok::<_, CliError>((draft, text))
        };
        (name, bytes, run())
    };
    ordered::for_each(
        inputs::flatten(files, reading),
        jobs,
        inspect_one,
        |(name, bytes, result)| {
            if let Some(p) = &mut progress {
                p.step(bytes);
            }
            let (draft, mut text) = match result {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("sealscope: {e}");
                    tally.error();
                    worst = 2;
                    return true;
                }
            };
            let (report, changed) = session.conclude(draft);
            if changed {
                text = printer.render(&report);
            }
            worst = worst.max(exit_code(report.verdict));
            tally.add(&report);
            if let Some(r) = &mut resume {
                if let Err(e) = r.append(&report) {
                    failure = Some(e);
                    return false;
                }
            }
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
        },
    );
    if let Some(p) = &mut progress {
        p.finish();
    }
    if let Some(e) = failure {
        return Err(e);
    }
    if summary {
        eprint!("{}", tally.table());
    }
    if let Some(path) = &args.html {
        std::fs::write(path, sealscope_core::report::html::document(&kept))
            .map_err(|e| CliError::Write(path.clone(), e))?;
    }
    Ok(worst)
}
