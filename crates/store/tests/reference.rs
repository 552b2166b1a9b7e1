//! Reference data (every backend runs the suite unchanged): a node trusts its hub, adopts
//! newer versions only, checks submitted and imported EO finds against the models adopted,
//! and refuses a version under which its current finds would no longer validate; a hub keeps
//! its publications in version order.

#[macro_use]
mod common;

use safeground_model::{CatalogueEntry, EoFind, OrdnanceCategory, Record};
use safeground_store::reference::{Adoption, ReferenceStore};
use safeground_store::{
    ApproveOptions, ImportBatch, NewReport, ProgrammeStore, ReportEntry, SqliteStore, StoreError,
    ValidReport,
};

backends!(
    a_node_adopts_newer_reference_data_and_checks_finds_with_it,
    a_version_that_would_invalidate_current_finds_is_refused,
    a_hub_publishes_versions_in_order,
);

const CARD: &str = r#"{"node":"ARMAC","public_key":"…"}"#;

fn pfm(category: OrdnanceCategory) -> CatalogueEntry {
    CatalogueEntry {
        model: "PFM-1".into(),
        category,
        description: "Soviet scatterable AP mine".into(),
        aliases: vec!["butterfly mine".into()],
    }
}

fn find(model: &str, category: OrdnanceCategory) -> NewReport {
    NewReport {
        organisation: None,
        title: "clearance".into(),
        source: None,
        date_of_information: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).expect("date"),
        entries: vec![ReportEntry::new(Record::EoFind(EoFind {
            local_id: format!("EO-{model}-{}", category.code()),
            activity: None,
            hazard: None,
            category,
            model: Some(model.into()),
            quantity: 1,
            condition: None,
            depth_cm: None,
            disposal: None,
            found_date: None,
            destroyed_date: None,
            location: Some(geo_types::Point::new(103.2, 13.1)),
        }))],
    }
}

fn submit<S: ProgrammeStore>(store: &mut S, r: &NewReport) -> Result<i64, StoreError> {
    let id = store.create_report("officer", r).expect("draft");
    store.submit_report("officer", id).map(|()| id)
}

fn a_node_adopts_newer_reference_data_and_checks_finds_with_it<
    S: ProgrammeStore + ReferenceStore,
>(
    mut store: S,
) {
    assert_eq!(store.reference().expect("state").version, 0);
    let e = (store.adopt_reference("admin", 1, "doc", &[pfm(OrdnanceCategory::ApMine)]))
        .expect_err("no hub trusted");
    assert!(e.to_string().contains("trust-hub"), "{e}");
    store.trust_hub("admin", "ARMAC", CARD).expect("trust");
    store
        .trust_hub("admin", "ARMAC", CARD)
        .expect("the same card again");

    // Before adoption, PFM-1 is unknown: any category goes.
    submit(&mut store, &find("PFM-1", OrdnanceCategory::Uxo)).expect("unknown model");
    let v1 = [pfm(OrdnanceCategory::ApMine)];
    assert_eq!(
        store
            .adopt_reference("admin", 1, "doc v1", &v1)
            .expect("adopt"),
        Adoption::Adopted {
            version: 1,
            models: 1
        }
    );
    assert_eq!(
        store
            .adopt_reference("admin", 1, "doc v1", &v1)
            .expect("again"),
        Adoption::UpToDate { held: 1 }
    );
    let state = store.reference().expect("state");
    assert_eq!(
        (
            state.hub.as_deref(),
            state.version,
            state.document.as_deref()
        ),
        (Some("ARMAC"), 1, Some("doc v1"))
    );
    assert_eq!(state.ordnance, v1);
    assert!(state.adopted_at.is_some());

    // Submitted finds are checked with it, by model or alias.
    let e = submit(
        &mut store,
        &find("Butterfly Mine", OrdnanceCategory::AtMine),
    )
    .expect_err("wrong category");
    let StoreError::Invalid(errors) = e else {
        panic!("not a validation error: {e}")
    };
    assert_eq!(errors.0[0].field, "entries[0].record.category");
    assert!(
        errors.0[0]
            .message
            .contains("PFM-1 is a anti-personnel mine")
            || errors.0[0].message.contains("PFM-1 is a"),
        "{}",
        errors.0[0].message
    );
    assert!(errors.0[0].message.contains("reference catalogue"));
    let id = submit(
        &mut store,
        &find("butterfly mine", OrdnanceCategory::ApMine),
    )
    .expect("ok");
    store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect("approve");
    // A batch is checked too.
    let e = store
        .submit_batch("officer", &[find("PFM 1", OrdnanceCategory::Submunition)])
        .expect_err("batch");
    assert!(
        e.to_string()
            .contains("reports[0].entries[0].record.category"),
        "{e}"
    );

    // So is an import (checked against the built-in catalogue before the store).
    let today = chrono::Utc::now().date_naive();
    let reports = [
        ValidReport::check(find("PFM-1", OrdnanceCategory::Uxo), today).expect("built-in ok"),
        ValidReport::check(find("PFM-1", OrdnanceCategory::ApMine), today).expect("ok"),
    ];
    let results = store
        .import_batch(
            "importer",
            &ImportBatch {
                reports: &reports,
                approve: Some(ApproveOptions::default()),
                checkpoint: None,
                all_or_nothing: false,
            },
        )
        .expect("batch");
    assert!(
        matches!(results[0], Err(StoreError::Invalid(_))),
        "{results:?}"
    );
    assert!(results[1].is_ok(), "{results:?}");

    // Another hub's card, once a version is adopted: refused.
    let e = store
        .trust_hub("admin", "ARMAC", r#"{"other":"card"}"#)
        .expect_err("another card");
    assert!(e.to_string().contains("not supported"), "{e}");
}

fn a_version_that_would_invalidate_current_finds_is_refused<S: ProgrammeStore + ReferenceStore>(
    mut store: S,
) {
    store.trust_hub("admin", "ARMAC", CARD).expect("trust");
    let v1 = [pfm(OrdnanceCategory::ApMine)];
    store.adopt_reference("admin", 1, "v1", &v1).expect("v1");
    let id = submit(&mut store, &find("PFM-1", OrdnanceCategory::ApMine)).expect("submit");
    let items = store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect("approve")
        .items;

    // Version 2 moves PFM-1 to another category: the approved find would no longer validate.
    let v2 = [pfm(OrdnanceCategory::AtMine)];
    let e = store
        .adopt_reference("admin", 2, "v2", &v2)
        .expect_err("conflict");
    let said = e.to_string();
    assert!(
        said.contains("version 2 not adopted") && said.contains(&items[0]),
        "{said}"
    );
    assert_eq!(
        store.reference().expect("state").version,
        1,
        "nothing written"
    );
    // A version that keeps it and adds a model is adopted.
    let mut v3 = v1.to_vec();
    v3.push(CatalogueEntry {
        model: "Type 59".into(),
        category: OrdnanceCategory::AtMine,
        description: String::new(),
        aliases: vec![],
    });
    store.adopt_reference("admin", 3, "v3", &v3).expect("v3");
    assert_eq!(store.reference().expect("state").ordnance.len(), 2);
    // A catalogue changing a built-in model is refused whatever the finds.
    let bad = [CatalogueEntry {
        model: "PMN-2".into(),
        category: OrdnanceCategory::AtMine,
        description: String::new(),
        aliases: vec![],
    }];
    let e = store
        .adopt_reference("admin", 4, "v4", &bad)
        .expect_err("builtin");
    assert!(e.to_string().contains("built-in"), "{e}");
    assert!(store.check_consistency().expect("check").is_empty());
}

fn a_hub_publishes_versions_in_order<S: ReferenceStore>(mut store: S) {
    assert_eq!(store.published_reference().expect("none"), None);
    let e = store.publish_reference("admin", 2, "v2").expect_err("gap");
    assert!(e.to_string().contains("publish version 1"), "{e}");
    store.publish_reference("admin", 1, "v1").expect("v1");
    store
        .publish_reference("admin", 1, "v1")
        .expect_err("twice");
    store.publish_reference("admin", 2, "v2").expect("v2");
    assert_eq!(
        store.published_reference().expect("latest"),
        Some((2, "v2".to_owned()))
    );
}
