//! `safeground training`: a training officer registers people, records a session, enrols,
//! assesses and certifies; names are listed only with `--personal` by a training officer;
//! refusals name the field; the code is checked, suspended and counted in the figures.

mod common;

use common::{ok, refused, s, safeground};
use safeground_store::{AccountStore, NewAccount, Role, SqliteStore};

#[test]
fn a_training_officer_keeps_the_register_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    ok(&["init", s(&db)]);
    {
        let mut store = SqliteStore::open(&db).expect("open");
        for (name, role) in [
            ("trainer", Role::TrainingOfficer),
            ("admin", Role::Administrator),
        ] {
            let account = NewAccount {
                username: name.into(),
                display_name: format!("User {name}"),
                organisation: "ORG-CMAA".into(),
                role,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            };
            store.add_account("setup", &account).expect("account");
        }
    }
    let db = s(&db);
    assert!(ok(&["training", "course"]).contains("manual_deminer"));
    let add = |actor: &str, id: &str| {
        safeground(&[
            "training",
            "person",
            "add",
            db,
            "--actor",
            actor,
            "--id",
            id,
            "--organisation",
            "ORG-HALO",
            "--sex",
            "female",
            "--birth-year",
            "1990",
            "--team",
            "ORG-HALO-MANUAL",
            "--name",
            "Sokha Chan",
            "--national-id",
            "0102",
        ])
    };
    refused(&add("admin", "P-000001"), "only a training officer");
    assert!(add("trainer", "P-000001").status.success());
    let list = ok(&["training", "person", "list", db]);
    assert!(
        list.contains("P-000001") && !list.contains("Sokha"),
        "{list}"
    );
    let named = ok(&[
        "training",
        "person",
        "list",
        db,
        "--personal",
        "--actor",
        "trainer",
    ]);
    assert!(named.contains("Sokha Chan"), "{named}");

    refused(
        &safeground(&[
            "training",
            "session",
            "add",
            db,
            "--actor",
            "trainer",
            "--competency",
            "welding",
            "--organisation",
            "ORG-HALO",
            "--place",
            "Pailin",
            "--start",
            "2025-01-06",
            "--end",
            "2025-01-17",
        ]),
        "unknown competency",
    );
    refused(
        &safeground(&[
            "training",
            "session",
            "add",
            db,
            "--actor",
            "trainer",
            "--competency",
            "nts",
            "--organisation",
            "ORG-HALO",
            "--place",
            "Pailin",
            "--start",
            "2025-01-17",
            "--end",
            "2025-01-06",
        ]),
        "end_date",
    );
    let added = ok(&[
        "training",
        "session",
        "add",
        db,
        "--actor",
        "trainer",
        "--competency",
        "manual_deminer",
        "--organisation",
        "ORG-HALO",
        "--place",
        "Pailin",
        "--start",
        "2025-01-06",
        "--end",
        "2025-01-17",
    ]);
    assert!(added.starts_with("session 1 recorded"), "{added}");
    ok(&[
        "training",
        "enrol",
        db,
        "--actor",
        "trainer",
        "--session",
        "1",
        "--person",
        "P-000001",
    ]);
    refused(
        &safeground(&[
            "training",
            "enrol",
            db,
            "--actor",
            "trainer",
            "--session",
            "1",
            "--person",
            "P-000001",
        ]),
        "already enrolled",
    );
    let certify = || {
        safeground(&[
            "training",
            "certify",
            db,
            "--actor",
            "trainer",
            "--person",
            "P-000001",
            "--competency",
            "manual_deminer",
            "--issued",
            "2025-01-20",
            "--expires",
            "2027-01-19",
        ])
    };
    refused(&certify(), "passed no assessment");
    ok(&[
        "training",
        "assess",
        db,
        "--actor",
        "trainer",
        "--session",
        "1",
        "--person",
        "P-000001",
        "--score",
        "82",
        "--date",
        "2025-01-17",
        "--assessor",
        "Dara",
    ]);
    let out = certify();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8_lossy(&out.stdout).into_owned();
    let code = line.split_whitespace().nth(1).expect("code").to_owned();
    assert!(code.len() >= 16, "{line}");
    assert!(
        ok(&["training", "check", db, &code])
            .contains(": valid (manual_deminer), valid until 2027-01-19")
    );
    ok(&[
        "training",
        "suspend",
        db,
        "--actor",
        "trainer",
        &code,
        "--reason",
        "QA finding of 3 March",
        "--date",
        "2025-03-04",
    ]);
    assert!(ok(&["training", "check", db, &code]).contains(": suspended"));
    refused(
        &safeground(&["training", "check", db, "0000000000000000"]),
        "no certificate",
    );
    let figures = ok(&["training", "figures", db, "--csv"]);
    assert!(
        figures.contains("ORG-HALO,manual_deminer,female,35_44,2025,1,1"),
        "{figures}"
    );
}
