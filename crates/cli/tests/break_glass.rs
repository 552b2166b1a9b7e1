//! `safeground break-glass list`: every emergency access grant with its holder, times, reviewer
//! and reason, and how many wait for a review.

mod common;

use common::{ok, s};
use safeground_store::{AccountStore, BreakGlassStore, NewAccount, Role, SqliteStore};

fn account(username: &str, role: Role) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: format!("User {username}"),
        organisation: "ORG-CMAA".into(),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
    }
}

#[test]
fn grants_are_listed_with_holder_times_reviewer_and_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    ok(&["init", s(&db)]);
    assert!(ok(&["break-glass", "list", s(&db)]).contains("no emergency access grant"));

    let mut store = SqliteStore::open(&db).expect("open");
    for (name, role) in [("sopheap", Role::Approver), ("va", Role::VictimAssistance)] {
        store
            .add_account("setup", &account(name, role))
            .expect("account");
    }
    let reviewed = store
        .open_break_glass(
            "sopheap",
            "referral of a victim asked by the ministry",
            Some(5),
        )
        .expect("open");
    store
        .close_break_glass("sopheap", reviewed.id)
        .expect("close");
    store
        .review_break_glass("va", reviewed.id, "one read, for the referral")
        .expect("review");
    let waiting = store
        .open_break_glass(
            "sopheap",
            "second grant: a family asked for the records",
            None,
        )
        .expect("open");
    store
        .close_break_glass("sopheap", waiting.id)
        .expect("close");
    store
        .open_break_glass(
            "sopheap",
            "third grant, still open for the hospital",
            Some(10),
        )
        .expect("open");
    drop(store);

    let out = ok(&["break-glass", "list", s(&db)]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert!(
        lines[1].contains("OPEN until") && lines[1].contains("still open"),
        "{out}"
    );
    assert!(
        lines[2].contains("closed") && lines[2].contains("WAITING FOR REVIEW"),
        "{out}"
    );
    assert!(
        lines[3].contains("reviewed by va") && lines[3].contains("sopheap"),
        "{out}"
    );
    assert!(
        lines[4].starts_with("3 grant(s), 1 waiting for review"),
        "{out}"
    );
}
