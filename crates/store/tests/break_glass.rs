//! Break-glass grants (every backend runs the suite unchanged), and that programme transfers
//! and backups carry and checksum grants and account requests.

#[macro_use]
mod common;

use chrono::{Duration, Utc};
use safeground_store::backup::{self, BackupOptions};
use safeground_store::postgres::testing::ScratchDatabase;
use safeground_store::transfer::{self, TableSum};
use safeground_store::{
    AccountAction, AccountRequests, AccountStore, BreakGlassStore, Location, NewAccount,
    ProgrammeStore, Role, SqliteStore, StoreError,
};

backends!(
    a_grant_is_opened_alone_closed_and_reviewed_by_someone_else,
    reasons_lengths_and_roles_are_checked,
    grants_and_account_requests_are_transferred_and_checksummed,
);

const REASON: &str = "Accident of 3 May in Kampong Cham: family asks for the referral";

fn new(username: &str, role: Role) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: format!("User {username}"),
        organisation: "ORG-NMAA".into(),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
    }
}

fn users<S: AccountStore>(store: &mut S) {
    for (name, role) in [
        ("approver", Role::Approver),
        ("admin", Role::Administrator),
        ("va", Role::VictimAssistance),
        ("viewer", Role::Viewer),
    ] {
        store
            .add_account("setup", &new(name, role))
            .expect("account");
    }
}

fn a_grant_is_opened_alone_closed_and_reviewed_by_someone_else<
    S: AccountStore + BreakGlassStore + ProgrammeStore,
>(
    mut store: S,
) {
    users(&mut store);
    let g = store
        .open_break_glass("approver", &format!("  {REASON}  "), Some(30))
        .expect("open");
    assert_eq!(g.reason, REASON, "trimmed");
    assert_eq!(g.until - g.opened_at, Duration::minutes(30));
    let now = Utc::now();
    let active = store.active_break_glass("approver", now).expect("active");
    assert_eq!(active.as_ref().map(|a| a.id), Some(g.id));
    assert!(
        (store.active_break_glass("approver", g.until + Duration::seconds(1)))
            .expect("later")
            .is_none(),
        "a grant expires on its own"
    );
    let err = store
        .open_break_glass("approver", REASON, None)
        .expect_err("one open grant per user");
    assert!(err.to_string().contains("already holds"), "{err}");

    let err = store
        .review_break_glass("admin", g.id, "checked")
        .expect_err("still open");
    assert!(err.to_string().contains("still open"), "{err}");
    store
        .close_break_glass("viewer", g.id)
        .expect_err("only the holder or an administrator closes it");
    let closed = store.close_break_glass("approver", g.id).expect("close");
    assert_eq!(closed.closed_by.as_deref(), Some("approver"));
    assert!(!closed.is_open_at(Utc::now()));
    assert!(closed.awaits_review_at(Utc::now()));
    assert!(
        (store.active_break_glass("approver", Utc::now()))
            .expect("active")
            .is_none()
    );
    store
        .close_break_glass("admin", g.id)
        .expect_err("closed once");

    let err = store
        .review_break_glass("approver", g.id, "all fine")
        .expect_err("not by the holder");
    assert!(err.to_string().contains("someone else"), "{err}");
    store
        .review_break_glass("viewer", g.id, "all fine")
        .expect_err("a viewer does not review");
    let err = store
        .review_break_glass("va", g.id, "   ")
        .expect_err("a note is needed");
    assert!(matches!(err, StoreError::Invalid(ref e) if e.on("note").count() == 1));
    let reviewed = store
        .review_break_glass("va", g.id, "reads match the referral")
        .expect("review");
    assert_eq!(reviewed.reviewed_by.as_deref(), Some("va"));
    assert!(!reviewed.awaits_review_at(Utc::now()));
    store
        .review_break_glass("admin", g.id, "again")
        .expect_err("reviewed once");

    // A second grant, closed by an administrator; newest first.
    let second = store
        .open_break_glass("approver", REASON, None)
        .expect("reopen");
    store.close_break_glass("admin", second.id).expect("close");
    let all = store.break_glass_grants(None).expect("list");
    assert_eq!(
        all.iter().map(|g| g.id).collect::<Vec<_>>(),
        [second.id, g.id]
    );
    assert!(
        (store.break_glass_grants(Some("admin")))
            .expect("own")
            .is_empty()
    );

    let log = store.audit_log().expect("log");
    let lines: Vec<String> = (log.iter())
        .filter(|e| e.action.starts_with("break_glass."))
        .map(|e| format!("{} {} {}", e.actor, e.action, e.target))
        .collect();
    let first = format!("break_glass:{}", g.id);
    assert_eq!(
        lines[..3],
        [
            format!("approver break_glass.open {first}"),
            format!("approver break_glass.close {first}"),
            format!("va break_glass.review {first}"),
        ]
    );
    let open = (log.iter())
        .find(|e| e.action == "break_glass.open")
        .and_then(|e| e.detail.clone())
        .unwrap_or_default();
    assert!(open.contains(REASON) && open.contains("until"), "{open}");
    let review = (log.iter())
        .find(|e| e.action == "break_glass.review")
        .and_then(|e| e.detail.clone())
        .unwrap_or_default();
    assert!(review.contains("reads match the referral"), "{review}");
}

fn reasons_lengths_and_roles_are_checked<S: AccountStore + BreakGlassStore>(mut store: S) {
    users(&mut store);
    let err = store
        .open_break_glass("approver", "   urgent, sorry   ", None)
        .expect_err("too short");
    assert!(matches!(err, StoreError::Invalid(ref e) if e.on("reason").count() == 1));
    for minutes in [0, 241] {
        let err = store
            .open_break_glass("approver", REASON, Some(minutes))
            .expect_err("out of range");
        assert!(matches!(err, StoreError::Invalid(ref e) if e.on("minutes").count() == 1));
    }
    let g = store
        .open_break_glass("approver", REASON, None)
        .expect("default length");
    assert_eq!(g.until - g.opened_at, Duration::minutes(60));
    store
        .open_break_glass("nobody", REASON, None)
        .expect_err("no such account");
    assert!(store.break_glass_grants(None).expect("list").len() == 1);
}

fn grants_and_account_requests_are_transferred_and_checksummed<
    S: AccountStore + AccountRequests + BreakGlassStore + transfer::Dump,
>(
    mut store: S,
) {
    users(&mut store);
    store
        .request_account_change(
            "admin",
            AccountAction::Create,
            &new("va2", Role::VictimAssistance),
        )
        .expect("request");
    let g = store
        .open_break_glass("approver", REASON, Some(5))
        .expect("open");
    store.close_break_glass("approver", g.id).expect("close");
    store
        .review_break_glass("admin", g.id, "reviewed, nothing odd")
        .expect("review");

    let mut copy = SqliteStore::in_memory().expect("target");
    let sums = transfer::copy(&store, &mut copy).expect("copy");
    let rows = |name: &str| -> TableSum {
        (sums.iter().find(|t| t.table == name).cloned()).unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(rows("account_request").rows, 1);
    assert_eq!(rows("break_glass").rows, 1);
    assert_eq!(copy.account_requests().expect("requests").len(), 1);
    assert_eq!(
        copy.break_glass_grants(None).expect("grants"),
        store.break_glass_grants(None).expect("grants")
    );
    // The copies continue the ids (PostgreSQL's identity sequence is moved past them).
    let next = copy
        .open_break_glass("approver", REASON, None)
        .expect("open in the copy");
    assert!(next.id > g.id);
    if let Some((_db, mut pg)) = ScratchDatabase::store().expect("PostgreSQL test database") {
        transfer::copy(&store, &mut pg).expect("copy to PostgreSQL");
        let next = pg
            .open_break_glass("approver", REASON, None)
            .expect("open in the PostgreSQL copy");
        assert!(next.id > g.id);
    }

    // A backup's checksums cover both tables.
    let dir = tempfile::tempdir().expect("dir");
    let live = dir.path().join("live.sqlite");
    let mut file = SqliteStore::create(&live).expect("file");
    transfer::copy(&store, &mut file).expect("copy to a file");
    drop(file);
    let out = dir.path().join("backup.sqlite");
    let taken =
        backup::backup(&Location::Sqlite(live), &out, BackupOptions::default()).expect("backup");
    for name in ["account_request", "break_glass"] {
        let sum = (taken.tables.iter().find(|t| t.table == name))
            .unwrap_or_else(|| panic!("backup without {name}"));
        assert_eq!(sum.rows, 1, "{name}");
    }
}
