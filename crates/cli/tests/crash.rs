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
const BATCH: usize = 500;

#[test]
fn killed_import_keeps_whole_batches_and_resumes_without_twins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("big.geojson");
    big_file(&file);
    // Kill at 0, 40, 80, ... ms until an import runs to completion, so that some kills land
    // while batches are being written.
    let mut kills = 0;
    let mut resumed = 0;
    for i in 0..200u64 {
        let db = dir.path().join(format!("p{i}.sqlite"));
        ok(&["init", s(&db)]);
        let batch = BATCH.to_string();
        let args = [
            "import",
            s(&db),
            s(&file),
            "--date",
            "2024-01-15",
            "--batch-size",
            &batch,
        ];
        let killed = kill_after(&args, Duration::from_millis(40 * i));
        let n = count(&db, "submitted");
        assert!(n.is_multiple_of(BATCH), "half-written batch: {n} reports");
        ok(&["check", s(&db)]);
        if !killed {
            assert_eq!(
                n, FEATURES,
                "an import that finished must have written everything"
            );
            break;
        }
        kills += 1;
        // Running the same import again resumes after the last whole batch: no twins, none
        // missing.
        let out = ok(&args);
        if n == FEATURES {
            // Killed after its last batch was committed, before it exited.
            assert!(out.contains("already imported"), "{out}");
        } else if n > 0 {
            assert!(
                out.contains(&format!("resuming: the first {n} of")),
                "{out}"
            );
            resumed += 1;
        }
        assert_eq!(count(&db, "submitted"), FEATURES, "{out}");
    }
    assert!(resumed > 0, "no run was killed between two batches");
    assert!(kills > 0, "no run was killed while importing");
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
        let killed = kill_after(&["approve", s(&db), "--all"], Duration::from_millis(150));
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
