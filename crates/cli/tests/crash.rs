//! Killing the process during an import or an approval leaves the database consistent.

mod common;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{ok, s, square_feature, write_collection};

const FEATURES: usize = 3000;

fn count(db: &std::path::Path, status: &str) -> usize {
    ok(&["reports", s(db), "--status", status]).lines().count()
}

/// Starts `safeground args`, kills it (SIGKILL) after `after`; true if it was still running.
fn kill_after(args: &[&str], after: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(after);
    let running = child.try_wait().expect("wait").is_none();
    child.kill().ok();
    child.wait().ok();
    running
}

fn big_file(path: &std::path::Path) {
    let features = (0..FEATURES)
        .map(|i| {
            let (row, col) = ((i / 100) as f64, (i % 100) as f64);
            square_feature(
                &format!("H{i}"),
                102.5 + col * 0.01,
                12.6 + row * 0.01,
                60.0,
            )
        })
        .collect();
    write_collection(path, features);
}

/// Records per batch in the crash test: each batch is one transaction with its checkpoint.
const BATCH: usize = 250;

/// Kills one import of `file` into a new database `p{i}.sqlite` after `after`, checks that no
/// batch was half-written, and completes it by running it again. Returns what happened.
fn kill_and_resume(
    dir: &std::path::Path,
    file: &std::path::Path,
    i: usize,
    after: Duration,
) -> Run {
    let db = dir.join(format!("p{i}.sqlite"));
    ok(&["init", s(&db)]);
    let batch = BATCH.to_string();
    let args = [
        "import",
        s(&db),
        s(file),
        "--date",
        "2024-01-15",
        "--batch-size",
        &batch,
    ];
    let killed = kill_after(&args, after);
    let n = count(&db, "submitted");
    assert!(n.is_multiple_of(BATCH), "half-written batch: {n} reports");
    ok(&["check", s(&db)]);
    if !killed {
        assert_eq!(
            n, FEATURES,
            "an import that finished must have written everything"
        );
        return Run::Finished;
    }
    // Running the same import again resumes after the last whole batch: no twins, none
    // missing.
    let out = ok(&args);
    let run = if n == FEATURES {
        // Killed after its last batch was committed, before it exited.
        assert!(out.contains("already imported"), "{out}");
        Run::KilledAfterAll
    } else if n > 0 {
        assert!(
            out.contains(&format!("resuming: the first {n} of")),
            "{out}"
        );
        Run::KilledBetweenBatches
    } else {
        Run::KilledBeforeAny
    };
    assert_eq!(count(&db, "submitted"), FEATURES, "{out}");
    run
}

/// How one killed-and-resumed import went.
#[derive(Debug, PartialEq)]
enum Run {
    KilledBeforeAny,
    KilledBetweenBatches,
    KilledAfterAll,
    Finished,
}

#[test]
fn killed_import_keeps_whole_batches_and_resumes_without_twins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("big.geojson");
    big_file(&file);
    // Kill at 0, 40, 80, ... ms until an import runs to completion. Writing the batches may
    // take less than one step on a fast machine, so if no kill landed between two batches,
    // sweep the last two steps again 2 ms apart: the writing lies inside them.
    let mut runs = Vec::new();
    let mut finished_at = None;
    for i in 0..200usize {
        let after = Duration::from_millis(40 * i as u64);
        let run = kill_and_resume(dir.path(), &file, runs.len(), after);
        runs.push(run);
        if runs.last() == Some(&Run::Finished) {
            finished_at = Some(after);
            break;
        }
    }
    let end = finished_at.expect("the import never finished within 8 s");
    if !runs.contains(&Run::KilledBetweenBatches) {
        let start = end.saturating_sub(Duration::from_millis(80));
        let mut after = start;
        while after < end && !runs.contains(&Run::KilledBetweenBatches) {
            let run = kill_and_resume(dir.path(), &file, runs.len(), after);
            runs.push(run);
            after += Duration::from_millis(2);
        }
    }
    assert!(
        runs.contains(&Run::KilledBetweenBatches),
        "no run was killed between two batches: {runs:?}"
    );
}

#[test]
fn killed_approval_leaves_every_report_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("big.geojson");
    big_file(&file);
    let db = dir.path().join("p.sqlite");
    ok(&["init", s(&db)]);
    ok(&["import", s(&db), s(&file), "--date", "2024-01-15"]);
    // Approvals run back to back, one transaction each: every kill lands inside or between
    // them. Keep killing until everything is approved, checking the invariants each time.
    let mut kills = 0;
    loop {
        let killed = kill_after(
            &["approve", s(&db), "--all", "--single-approver"],
            Duration::from_millis(150),
        );
        // `check` verifies that every approved report has all its versions, no version belongs
        // to an unapproved report, and every hazard's cached state equals its recomputation.
        ok(&["check", s(&db)]);
        let approved = count(&db, "approved");
        assert_eq!(approved + count(&db, "submitted"), FEATURES);
        if !killed {
            assert_eq!(approved, FEATURES);
            break;
        }
        kills += 1;
        assert!(kills < 500, "approval makes no progress between kills");
    }
    assert!(kills > 0, "no run was killed while approving");
}
