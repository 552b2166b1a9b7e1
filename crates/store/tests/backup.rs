//! Backups taken while another connection writes are one consistent snapshot the writer passed
//! through, and restore with the same checksums, accounts, tokens, personal data, drafts and
//! audit log included; existing outputs and programmes are never overwritten. The PostgreSQL
//! part skips (saying why) without SAFEGROUND_TEST_POSTGRES, unless
//! SAFEGROUND_REQUIRE_POSTGRES=1.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use chrono::{NaiveDate, Utc};
use geo_types::{LineString, MultiPolygon, Polygon};
use safeground_model::{
    Accident, CasualtyOutcome, Hazard, HazardClass, HazardStatus, Record, Sex, Victim,
    VictimPersonalData,
};
use safeground_store::backup::{self, BackupOptions};
use safeground_store::postgres::testing::ScratchDatabase;
use safeground_store::transfer::{self, TableSum};
use safeground_store::{
    AccountStore, ApproveOptions, CredentialKind, Location, NewAccount, NewReport, PostgresStore,
    ProgrammeStore, ReportEntry, ReportStatus, Role, SqliteStore,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A 50 m square hazard, the `n`-th one east of (103.2, 13.1).
fn hazard(n: u64) -> Record {
    let x = 103.2 + n as f64 * 0.001;
    let (dx, dy) = (50.0 / 108_460.0, 50.0 / 110_574.0);
    let ring = vec![
        (x, 13.1),
        (x + dx, 13.1),
        (x + dx, 13.1 + dy),
        (x, 13.1 + dy),
    ];
    let mut closed = ring.clone();
    closed.push(ring[0]);
    Record::Hazard(Hazard {
        local_id: format!("H{n}"),
        name: format!("Hazard {n}"),
        class: HazardClass::Sha,
        status: HazardStatus::Open,
        status_change: None,
        organisation: None,
        admin_pcode: Some("KH02".into()),
        evidence: vec![],
        contamination: vec![],
        reported_area_m2: None,
        first_recorded: None,
        geometry: Some(MultiPolygon(vec![Polygon::new(
            LineString::from(closed),
            vec![],
        )])),
        comment: None,
    })
}

fn report(title: &str, records: Vec<Record>) -> NewReport {
    NewReport {
        organisation: None,
        title: title.into(),
        source: None,
        date_of_information: d("2024-03-01"),
        entries: records.into_iter().map(ReportEntry::new).collect(),
    }
}

/// Writes, approves and returns nothing: one report through the whole workflow.
fn approve<S: ProgrammeStore + ?Sized>(store: &mut S, r: &NewReport) {
    let id = store.create_report("officer", r).expect("create");
    store.submit_report("officer", id).expect("submit");
    store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect("approve");
}

/// A programme with what an archive leaves out: accounts, a session and a token, a victim's
/// personal data, a draft, a submitted report, the audit log.
fn seed<S: ProgrammeStore + AccountStore + ?Sized>(store: &mut S) {
    let mut r = report(
        "accident",
        vec![
            Record::Accident(Accident {
                local_id: "ACC1".into(),
                date: Some(d("2024-02-01")),
                date_known: true,
                admin_pcode: Some("KH02".into()),
                device_category: None,
                location: None,
                description: None,
                hazard: None,
            }),
            Record::Victim(Victim {
                local_id: "VIC1".into(),
                accident: Some("ACC1".into()),
                sex: Sex::Female,
                age_at_accident: Some(34),
                outcome: CasualtyOutcome::Injured,
                activity_at_time: None,
                deminer: false,
            }),
        ],
    );
    r.entries[1].personal_data = Some(VictimPersonalData {
        full_name: "Sok Chenda".into(),
        address: Some("Ou Chrov village".into()),
        contact: None,
        date_of_birth: Some(d("1990-01-01")),
    });
    approve(store, &r);
    store
        .create_report("officer", &report("draft", vec![hazard(900)]))
        .expect("draft");
    let submitted = store
        .create_report("officer", &report("waiting", vec![hazard(901)]))
        .expect("create");
    store.submit_report("officer", submitted).expect("submit");
    store
        .add_account(
            "admin",
            &NewAccount {
                username: "sokha".into(),
                display_name: "Sokha".into(),
                organisation: "ORG-HALO".into(),
                role: Role::VictimAssistance,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            },
        )
        .expect("account");
    let expiry = Utc::now() + chrono::Duration::days(1);
    store
        .add_credential("sokha", "aa11", CredentialKind::Session, None, Some(expiry))
        .expect("session");
    store
        .add_credential(
            "sokha",
            "bb22",
            CredentialKind::ApiToken,
            Some("kobo"),
            None,
        )
        .expect("token");
}

fn rows(sums: &[TableSum], table: &str) -> u64 {
    sums.iter().find(|s| s.table == table).map_or(0, |s| s.rows)
}

/// The tables an archive would lose hold rows.
fn holds_everything(sums: &[TableSum]) {
    for table in [
        "account",
        "credential",
        "victim_personal_data",
        "audit",
        "report",
        "item_version",
    ] {
        assert!(rows(sums, table) > 0, "{table} is empty: {sums:?}");
    }
}

/// A writer that keeps approving new hazards into the programme until told to stop; returns
/// the number it approved.
struct Writer {
    stop: Arc<AtomicBool>,
    done: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<u64>,
}

impl Writer {
    fn start(mut store: Box<dyn safeground_store::Backend>) -> Writer {
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicU64::new(0));
        let (s, n) = (stop.clone(), done.clone());
        let thread = std::thread::spawn(move || {
            let mut i = 0;
            while !s.load(Ordering::Relaxed) {
                approve(store.as_mut(), &report("writer", vec![hazard(i)]));
                i += 1;
                n.store(i, Ordering::Relaxed);
            }
            i
        });
        Writer { stop, done, thread }
    }

    /// Waits until the writer has approved `more` reports since `from`.
    fn wait_for(&self, from: u64, more: u64) -> u64 {
        while self.done.load(Ordering::Relaxed) < from + more {
            std::thread::yield_now();
        }
        self.done.load(Ordering::Relaxed)
    }

    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("writer thread")
    }
}

/// The copy is a state the writer passed through: its reports are created, submitted and
/// approved one transaction at a time, so at most the last of them is not yet approved, and
/// every approved one has its hazard's version.
fn a_state_the_writer_passed_through(copy: &dyn safeground_store::Backend) {
    assert_eq!(
        copy.check_consistency().expect("check"),
        Vec::<String>::new()
    );
    let all = safeground_store::ReportFilter {
        limit: 1_000_000,
        ..Default::default()
    };
    let writers: Vec<_> = (copy.list_reports(&all).expect("reports"))
        .into_iter()
        .filter(|r| r.title == "writer")
        .collect();
    let approved = writers
        .iter()
        .filter(|r| r.status == ReportStatus::Approved)
        .count();
    assert!(writers.len() - approved <= 1, "{writers:?}");
    for n in 0..approved as u64 {
        let versions = copy.versions(&format!("HAZ-{:06}", n + 1));
        assert!(versions.is_ok_and(|v| v.len() == 1), "hazard {n}");
    }
}

#[test]
fn sqlite_backups_taken_while_another_connection_writes_are_consistent_and_restore_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("programme.sqlite");
    seed(&mut SqliteStore::create(&path).expect("create"));
    let live = Location::Sqlite(path.clone());
    let writer = Writer::start(live.open().expect("writer's connection"));
    let mut seen = writer.wait_for(0, 2);
    let mut backups = Vec::new();
    for i in 0..3 {
        let out = dir.path().join(format!("backup-{i}.sqlite"));
        let taken = backup::backup(&live, &out, BackupOptions::default()).expect("backup");
        assert!(
            taken.verified.contains("integrity_check ok"),
            "{}",
            taken.verified
        );
        backups.push((out, taken));
        seen = writer.wait_for(seen, 2);
    }
    let written = writer.stop();
    assert!(written >= 6, "{written}");

    for (i, (out, taken)) in backups.iter().enumerate() {
        holds_everything(&taken.tables);
        // A backup is one file (no -wal beside it) whose own checksums are the snapshot's.
        assert!(!out.with_extension("sqlite-wal").exists());
        let copy = SqliteStore::open(out).expect("open the backup");
        assert_eq!(transfer::checksums(&copy).expect("sums"), taken.tables);
        a_state_the_writer_passed_through(&copy);
        drop(copy);

        let restored = dir.path().join(format!("restored-{i}.sqlite"));
        let done = backup::restore(out, &Location::Sqlite(restored.clone())).expect("restore");
        assert_eq!(done.tables, taken.tables, "backup {i}");
        let store = SqliteStore::open(&restored).expect("open");
        assert_eq!(transfer::checksums(&store).expect("sums"), taken.tables);
        let account = store.account("sokha").expect("read").expect("the account");
        assert_eq!(account.role, Role::VictimAssistance);
        assert!(
            store
                .credential("bb22", Utc::now())
                .expect("read")
                .is_some()
        );
        // The seeded draft (the writer's own report may be caught as a draft too).
        let drafts = safeground_store::ReportFilter {
            status: Some(ReportStatus::Draft),
            limit: 1_000,
            ..Default::default()
        };
        let titles: Vec<String> = (store.list_reports(&drafts).expect("drafts").into_iter())
            .map(|r| r.title)
            .filter(|t| t != "writer")
            .collect();
        assert_eq!(titles, ["draft"]);
    }
    // Later backups saw more of the writer's work.
    let approved = |t: &[TableSum]| rows(t, "item_version");
    assert!(approved(&backups[0].1.tables) < approved(&backups[2].1.tables));
}

#[test]
fn an_existing_backup_is_kept_unless_forced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("programme.sqlite");
    seed(&mut SqliteStore::create(&path).expect("create"));
    let out = dir.path().join("backup.sqlite");
    std::fs::write(&out, b"last week's backup").expect("write");
    let live = Location::Sqlite(path);
    let err = backup::backup(&live, &out, BackupOptions::default())
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(&out).expect("read"), b"last week's backup");

    backup::backup(&live, &out, BackupOptions { force: true }).expect("forced");
    assert_eq!(
        backup::format_of(&out).expect("format"),
        backup::BackupFormat::Sqlite
    );
    // Nothing but the programme and its backup is left in the folder (no partial file).
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("programme.sqlite"))
        .collect();
    names.sort();
    assert_eq!(names, ["backup.sqlite"]);
}

#[test]
fn a_restore_never_goes_over_a_programme_with_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("programme.sqlite");
    seed(&mut SqliteStore::create(&path).expect("create"));
    let out = dir.path().join("backup.sqlite");
    let live = Location::Sqlite(path.clone());
    let taken = backup::backup(&live, &out, BackupOptions::default()).expect("backup");

    let before = transfer::checksums(&SqliteStore::open(&path).expect("open")).expect("sums");
    let err = backup::restore(&out, &live)
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("holds a programme") && err.contains("report:"),
        "{err}"
    );
    let after = transfer::checksums(&SqliteStore::open(&path).expect("open")).expect("sums");
    assert_eq!(before, after);

    // A programme without data (`safeground init`) is replaced by the backup.
    let empty = dir.path().join("empty.sqlite");
    drop(SqliteStore::create(&empty).expect("init"));
    let done = backup::restore(&out, &Location::Sqlite(empty)).expect("restore");
    assert_eq!(done.tables, taken.tables);

    // A file that is no backup is named as such; a SQLite backup does not go to PostgreSQL.
    let err = backup::restore(&dir.path().join("empty.sqlite-none"), &live).expect_err("no file");
    assert!(err.to_string().contains("reading the backup"), "{err}");
    let to_pg: Location = "postgres://localhost/sg".parse().expect("location");
    let err = backup::restore(&out, &to_pg)
        .expect_err("wrong backend")
        .to_string();
    assert!(err.contains("safeground migrate"), "{err}");
}

#[test]
fn postgres_backup_while_writing_restores_with_the_same_checksums() {
    let Some(source) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let Some(target) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let live = Location::Postgres(source.connection_string());
    seed(&mut PostgresStore::create(&source.connection_string()).expect("create"));
    let writer = Writer::start(live.open().expect("writer's connection"));
    writer.wait_for(0, 2);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("programme.pgdump");
    let taken = backup::backup(&live, &out, BackupOptions::default()).expect("backup");
    writer.stop();
    holds_everything(&taken.tables);
    assert_eq!(
        backup::format_of(&out).expect("format"),
        backup::BackupFormat::PostgresCustom
    );

    let restored = Location::Postgres(target.connection_string());
    let done = backup::restore(&out, &restored).expect("restore");
    assert_eq!(done.tables, taken.tables);
    let store = restored.open().expect("open");
    a_state_the_writer_passed_through(store.as_ref());
    assert!(
        store
            .credential("aa11", Utc::now())
            .expect("read")
            .is_some()
    );

    // Once restored, it holds a programme: a second restore is refused, naming the tables.
    let err = backup::restore(&out, &restored)
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("holds a programme") && err.contains("report:"),
        "{err}"
    );
}
