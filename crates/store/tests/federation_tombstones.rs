//! Tombstones and re-sent records in the outbox (every backend runs the suite unchanged): an
//! item withdrawn from sharing and shared again, and the outbox aligned with a changed sharing
//! policy, each as entries in the one gap-free sequence the hub checks.

#[macro_use]
mod common;

use safeground_model::{ItemKind, Organisation, OrganisationKind, Record};
use safeground_store::{
    ApproveOptions, Cause, FederationStore, Flow, NewReport, OutboxEntry, PolicyTerms,
    ProgrammeStore, Reconcile, ReportEntry, SqliteStore, StoreError,
};

backends!(
    a_withdrawn_item_gets_a_tombstone_and_its_current_version_when_shared_again,
    a_changed_policy_tombstones_or_resends_whole_kinds,
);

fn organisation(local_id: &str, name: &str) -> Record {
    Record::Organisation(Organisation {
        local_id: local_id.into(),
        name: name.into(),
        acronym: local_id.into(),
        organisation_type: OrganisationKind::Operator,
    })
}

/// Approves `records` in one report (as `reconcile` says) and gives the items written.
fn approve<S: ProgrammeStore>(store: &mut S, records: Vec<(Record, Reconcile)>) -> Vec<String> {
    let report = NewReport {
        organisation: None,
        title: "operators".into(),
        source: None,
        date_of_information: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
        entries: (records.into_iter())
            .map(|(r, reconcile)| {
                let mut e = ReportEntry::new(r);
                e.reconcile = reconcile;
                e
            })
            .collect(),
    };
    let id = store.create_report("officer", &report).expect("create");
    store.submit_report("officer", id).expect("submit");
    let options = ApproveOptions {
        allow_backdated: true,
        ..ApproveOptions::default()
    };
    (store.approve_report("manager", id, &options))
        .expect("approve")
        .items
}

fn new(records: &[(&str, &str)]) -> Vec<(Record, Reconcile)> {
    (records.iter())
        .map(|(id, name)| (organisation(id, name), Reconcile::New))
        .collect()
}

/// (seq, item, revision, tombstone, cause, withdrawn) of the entries after `after`.
type Row = (u64, String, u64, bool, Cause, bool);

fn outbox<S: FederationStore>(store: &S, after: u64) -> Vec<Row> {
    let mut got = Vec::new();
    store
        .for_each_outbox(after, &mut |e: OutboxEntry| {
            got.push((
                e.seq,
                e.item,
                e.revision,
                e.version.is_none(),
                e.cause,
                e.withdrawn,
            ));
            Ok(Flow::Continue)
        })
        .expect("outbox");
    got
}

fn a_withdrawn_item_gets_a_tombstone_and_its_current_version_when_shared_again<
    S: ProgrammeStore + FederationStore,
>(
    mut store: S,
) {
    let items = approve(&mut store, new(&[("HALO", "HALO Trust"), ("MAG", "MAG")]));
    let (halo, mag) = (items[0].clone(), items[1].clone());
    approve(
        &mut store,
        vec![(
            organisation("HALO", "The HALO Trust"),
            Reconcile::Update {
                item: halo.clone(),
                base_version: None,
            },
        )],
    );
    assert_eq!(store.outbox_head().expect("head"), 3);

    let e = store.withdraw("admin", &halo, "  ").expect_err("no reason");
    assert!(e.to_string().contains("reason"), "{e}");
    let e = store
        .withdraw("admin", "ORG-999999", "gone")
        .expect_err("unknown");
    assert!(matches!(e, StoreError::ItemNotFound(_)), "{e}");
    assert_eq!(
        store.outbox_head().expect("head"),
        3,
        "refusals write nothing"
    );

    let seq = (store.withdraw("admin", &halo, "operator asked not to be named")).expect("withdraw");
    assert_eq!(seq, 4);
    let e = store.withdraw("admin", &halo, "again").expect_err("twice");
    assert!(e.to_string().contains("already"), "{e}");
    let listed = store.withdrawals().expect("list");
    assert_eq!(listed.len(), 1);
    let w = &listed[0];
    assert_eq!(
        (w.item.as_str(), w.kind, w.local_id.as_str()),
        (halo.as_str(), ItemKind::Organisation, "HALO")
    );
    assert_eq!(
        (w.reason.as_str(), w.by.as_str()),
        ("operator asked not to be named", "admin")
    );

    // The tombstone carries the item's revision then; its earlier upserts read as withdrawn.
    let rows = outbox(&store, 0);
    assert_eq!(
        rows,
        [
            (1, halo.clone(), 1, false, Cause::Approval, true),
            (2, mag.clone(), 1, false, Cause::Approval, false),
            (3, halo.clone(), 2, false, Cause::Approval, true),
            (4, halo.clone(), 2, true, Cause::Withdrawal, true),
        ]
    );
    // Approvals go on while it is withdrawn; they are flagged too.
    approve(
        &mut store,
        vec![(
            organisation("HALO", "HALO"),
            Reconcile::Update {
                item: halo.clone(),
                base_version: None,
            },
        )],
    );
    assert_eq!(
        outbox(&store, 4),
        [(5, halo.clone(), 3, false, Cause::Approval, true)]
    );

    let e = store.reshare("admin", &mag).expect_err("not withdrawn");
    assert!(e.to_string().contains("not withdrawn"), "{e}");
    assert_eq!(store.reshare("admin", &halo).expect("reshare"), 6);
    assert!(store.withdrawals().expect("list").is_empty());
    let rows = outbox(&store, 5);
    assert_eq!(rows, [(6, halo.clone(), 3, false, Cause::Reshare, false)]);
    // The re-sent entry is the current version.
    let mut current = None;
    store
        .for_each_outbox(5, &mut |e| {
            current = e.version;
            Ok(Flow::Stop)
        })
        .expect("outbox");
    let versions = store.versions(&halo).expect("versions");
    assert_eq!(current.as_ref(), versions.last());
    assert!(store.check_consistency().expect("check").is_empty());
}

fn a_changed_policy_tombstones_or_resends_whole_kinds<S: ProgrammeStore + FederationStore>(
    mut store: S,
) {
    let terms = |pairs: &[(ItemKind, &str)]| -> PolicyTerms {
        pairs.iter().map(|(k, t)| (*k, (*t).to_owned())).collect()
    };
    let items = approve(
        &mut store,
        new(&[("HALO", "HALO Trust"), ("MAG", "MAG"), ("NPA", "NPA")]),
    );
    let shared = terms(&[
        (ItemKind::Organisation, "precision=5"),
        (ItemKind::Hazard, "p5"),
    ]);
    let e = store
        .align_policy("admin", &shared)
        .expect_err("no node id");
    assert!(e.to_string().contains("node id"), "{e}");
    store.set_node("admin", "KHM").expect("node");

    // The first alignment records the terms and appends nothing.
    let first = store.align_policy("admin", &shared).expect("first");
    assert!(first.first && first.tombstones == 0 && first.upserts == 0);
    assert_eq!(store.outbox_head().expect("head"), 3);
    // The same terms again: nothing.
    let same = store.align_policy("admin", &shared).expect("same");
    assert!(!same.first && same.resent_kinds.is_empty() && same.withdrawn_kinds.is_empty());

    // A withdrawn item is left out of whole-kind changes (its tombstone went already).
    store
        .withdraw("admin", &items[2], "test")
        .expect("withdraw");
    // No longer shared: a tombstone per item, in item order.
    let narrowed = terms(&[(ItemKind::Hazard, "p5")]);
    let done = store.align_policy("admin", &narrowed).expect("narrowed");
    assert_eq!(done.withdrawn_kinds, [ItemKind::Organisation]);
    assert_eq!((done.tombstones, done.upserts), (2, 0));
    assert_eq!(
        outbox(&store, 4),
        [
            (5, items[0].clone(), 1, true, Cause::Policy, false),
            (6, items[1].clone(), 1, true, Cause::Policy, false),
        ]
    );
    // Shared again, then under other terms: the current version of each item, re-sent.
    let done = store.align_policy("admin", &shared).expect("widened");
    assert_eq!(done.resent_kinds, [ItemKind::Organisation]);
    assert_eq!((done.tombstones, done.upserts), (0, 2));
    let changed = terms(&[
        (ItemKind::Organisation, "precision=4"),
        (ItemKind::Hazard, "p5"),
    ]);
    let done = store.align_policy("admin", &changed).expect("changed");
    assert_eq!(done.upserts, 2);
    let rows = outbox(&store, 6);
    assert_eq!(
        rows.iter()
            .map(|r| (r.0, r.1.as_str(), r.3, r.4))
            .collect::<Vec<_>>(),
        [
            (7, items[0].as_str(), false, Cause::Policy),
            (8, items[1].as_str(), false, Cause::Policy),
            (9, items[0].as_str(), false, Cause::Policy),
            (10, items[1].as_str(), false, Cause::Policy),
        ]
    );
    // Every seq is there once; one approval upsert per version still holds.
    assert!(store.check_consistency().expect("check").is_empty());
    let audit = store.audit_log().expect("audit");
    let policy: Vec<_> = (audit.iter())
        .filter(|a| a.action == "federation.policy")
        .collect();
    assert_eq!(
        policy.len(),
        3,
        "one audit entry per alignment that appended"
    );
}
