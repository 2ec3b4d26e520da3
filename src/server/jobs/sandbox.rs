//! Extraction in a child process. Parsers read untrusted bytes: a file that makes one
//! loop, panic or allocate without end must cost one failed attempt, never the worker
//! (or, with the in-process worker, the web server). The worker runs `ledgerlens
//! extract` with the bytes on standard input and reads one JSON answer from standard
//! output. The child caps its own data size (`RLIMIT_DATA`, `EXTRACT_MEMORY_MB`) before
//! reading anything; the parent kills it when the job times out (the child dies with the
//! attempt). Both sides live here so the protocol is in one place.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::JobError;
use crate::extract::{self, Extraction, Format, Report};

/// What the child writes: the extraction, or the reason in words.
type Answer = Result<Extraction, String>;

/// Most bytes the child accepts on standard input (the upload limit, with room).
const MAX_INPUT: u64 = 64 * 1024 * 1024;

/// The child side (`ledgerlens extract --format F [--doc-type T]`): caps memory, reads
/// the document from standard input, writes the answer. `test_balloon` (tests only)
/// allocates until the cap stops it.
pub fn child_main(format: &str, doc_type: Option<&str>, test_balloon: bool) -> ExitCode {
    if let Some(mb) = std::env::var("EXTRACT_MEMORY_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        cap_memory(mb * 1024 * 1024);
    }
    let answer: Answer = (|| {
        let format = Format::parse(format).ok_or_else(|| format!("Unknown format {format}."))?;
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_INPUT)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("The file could not be read ({e})."))?;
        if test_balloon {
            balloon();
        }
        let report = doc_type.and_then(Report::for_doc_type);
        extract::extract(&bytes, format, report).map_err(|e| e.to_string())
    })();
    let mut out = std::io::stdout().lock();
    let written = serde_json::to_writer(&mut out, &answer).is_ok() && out.flush().is_ok();
    if written {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Limits this process's data segment and private writable mappings (the heap).
fn cap_memory(bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: bytes,
    };
    // SAFETY: setrlimit reads the struct we pass and changes only this process's limit;
    // no memory is shared with it.
    let _ = unsafe { libc::setrlimit(libc::RLIMIT_DATA, &limit) };
}

/// Allocates (and touches) memory until the cap ends the process.
fn balloon() {
    let mut held: Vec<Vec<u8>> = Vec::new();
    loop {
        held.push(vec![1u8; 16 * 1024 * 1024]);
        std::hint::black_box(&held);
    }
}

/// How the parent starts the child.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// The `ledgerlens` binary (the running one unless configured).
    pub bin: PathBuf,
    pub memory_mb: u32,
}

impl Sandbox {
    /// Extracts `bytes` in a child. Reasons the file gives are `Permanent` (it would fail
    /// the same way again); a child that could not start or answered nothing readable is
    /// `Retry`.
    pub async fn extract(
        &self,
        bytes: bytes::Bytes,
        format: &str,
        doc_type: &str,
        test_balloon: bool,
    ) -> Result<Extraction, JobError> {
        let mut command = tokio::process::Command::new(&self.bin);
        command
            .args(["extract", "--format", format, "--doc-type", doc_type])
            .env("EXTRACT_MEMORY_MB", self.memory_mb.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // An attempt stopped by its timeout takes its child with it.
            .kill_on_drop(true);
        if test_balloon {
            command.arg("--test-balloon");
        }
        let mut child = command
            .spawn()
            .map_err(|e| JobError::Retry(format!("The extractor could not start ({e}).")))?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| JobError::Retry("The extractor has no input.".into()))?;
        let feed = tokio::spawn(async move {
            // A child that dies early closes the pipe; its exit status says why.
            let _ = stdin.write_all(&bytes).await;
        });
        let mut stdout = child
            .stdout
            .take()
            .ok_or_else(|| JobError::Retry("The extractor has no output.".into()))?;
        let mut stderr = child
            .stderr
            .take()
            .ok_or_else(|| JobError::Retry("The extractor has no error output.".into()))?;
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let (read_out, read_err, status) = tokio::join!(
            stdout.read_to_end(&mut out),
            stderr.read_to_end(&mut err),
            child.wait()
        );
        let _ = feed.await;
        let status =
            status.map_err(|e| JobError::Retry(format!("The extractor was lost ({e}).")))?;
        if read_out.is_ok()
            && read_err.is_ok()
            && status.success()
            && let Ok(answer) = serde_json::from_slice::<Answer>(&out)
        {
            return answer.map_err(JobError::Permanent);
        }
        let err = String::from_utf8_lossy(&err);
        if err.contains("memory allocation") || err.contains("out of memory") {
            return Err(JobError::Permanent(format!(
                "The file needs more memory than extraction allows ({} MB). Split it, or \
                 export it again from the accounting system.",
                self.memory_mb
            )));
        }
        tracing::warn!(%status, stderr = %err.chars().take(500).collect::<String>(), "extractor child failed");
        Err(JobError::Permanent(
            "The file could not be read: the reader stopped on something in it it does not \
             understand. Export it again, or upload it as CSV or XLSX."
                .into(),
        ))
    }
}
