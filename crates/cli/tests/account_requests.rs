//! Victim-assistance accounts on the command line need two administrators, as on the web:
//! one requests the account or a password reset, another confirms it.

mod common;

use std::process::{Command, Output};

use common::{ok, s, safeground};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn refused(args: &[&str], says: &str) {
    let out = safeground(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
}

fn with_password(args: &[&str], password: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args(args)
        .env("SAFEGROUND_PASSWORD", password)
        .output()
        .expect("run safeground")
}

fn password_line(out: &str) -> Option<&str> {
    out.lines().find_map(|l| l.strip_prefix("password: "))
}

#[test]
fn a_victim_assistance_account_is_requested_by_one_administrator_and_confirmed_by_another() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("p.sqlite");
    let db = s(&db);
    ok(&["init", db]);
    // The first administrator of an empty programme needs nobody else.
    let out = ok(&[
        "users",
        "add",
        db,
        "admin",
        "--role",
        "administrator",
        "--organisation",
        "ORG-CMAA",
    ]);
    assert!(password_line(&out).is_some(), "{out}");

    let va = [
        "users",
        "add",
        db,
        "channary",
        "--role",
        "victim-assistance",
        "--organisation",
        "ORG-CMAA",
    ];
    refused(&va, "name yourself with --actor NAME");
    refused(
        &[&va[..], &["--actor", "ghost"]].concat(),
        "`ghost` is not an active administrator",
    );
    let chosen = with_password(&[&va[..], &["--actor", "admin"]].concat(), "Tonle-Sap-2026");
    assert!(!chosen.status.success());
    assert!(
        stderr(&chosen).contains("takes no password"),
        "{}",
        stderr(&chosen)
    );

    let out = ok(&[&va[..], &["--actor", "admin"]].concat());
    assert!(
        out.contains("requested create of channary (request 1)"),
        "{out}"
    );
    assert!(password_line(&out).is_none(), "{out}");
    assert!(!ok(&["users", "list", db]).contains("channary"));
    let pending = ok(&["users", "requests", db]);
    assert!(
        pending.lines().any(|l| l.starts_with("1 ")
            && l.contains("create")
            && l.contains("channary")
            && l.contains("victim_assistance")
            && l.contains("admin")),
        "{pending}"
    );

    refused(
        &["users", "confirm", db, "1", "--actor", "admin"],
        "a second administrator must confirm it",
    );
    ok(&[
        "users",
        "add",
        db,
        "dara",
        "--role",
        "administrator",
        "--organisation",
        "ORG-CMAA",
        "--actor",
        "admin",
    ]);
    let out = ok(&["users", "confirm", db, "1", "--actor", "dara"]);
    assert!(
        out.contains("confirmed request 1 of admin: create of channary (victim_assistance"),
        "{out}"
    );
    assert_eq!(password_line(&out).map(str::len), Some(16), "{out}");
    let list = ok(&["users", "list", db]);
    assert!(
        list.contains("channary") && list.contains("victim_assistance"),
        "{list}"
    );
    refused(
        &["users", "confirm", db, "1", "--actor", "dara"],
        "no pending account request 1",
    );

    // A reset of its password goes the same way; the confirming administrator may set it.
    let reset = ["users", "reset-password", db, "channary"];
    refused(&reset, "--actor NAME");
    let out = ok(&[&reset[..], &["--actor", "dara"]].concat());
    assert!(
        out.contains("requested reset_password of channary (request 2)"),
        "{out}"
    );
    let confirmed = with_password(
        &["users", "confirm", db, "2", "--actor", "admin"],
        "Tonle-Sap-2026",
    );
    let out = String::from_utf8_lossy(&confirmed.stdout);
    assert!(confirmed.status.success(), "{}", stderr(&confirmed));
    assert!(out.contains("reset_password of channary"), "{out}");
    assert!(password_line(&out).is_none(), "{out}");
    assert_eq!(
        ok(&["users", "requests", db]).lines().count(),
        1,
        "only the header"
    );

    // Other accounts are still changed at once.
    let out = ok(&["users", "reset-password", db, "dara"]);
    assert!(password_line(&out).is_some(), "{out}");
}
