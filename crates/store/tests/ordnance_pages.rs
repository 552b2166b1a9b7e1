//! The ordnance reference pages (every backend runs the suite unchanged): written only on a
//! hub by an enabled administrator, checked field by field with nothing stored on a refusal,
//! stored under the model's designation, audited.

#[macro_use]
mod common;

use safeground_model::{Dimensions, OrdnancePage, PagePhoto};
use safeground_store::hub::HubStore;
use safeground_store::reference::ReferenceStore;
use safeground_store::{
    AccountStore, NewAccount, OrdnancePageStore, ProgrammeStore, Role, SqliteStore, StoreError,
};

backends!(
    pages_are_written_on_a_hub_by_its_administrators,
    a_refused_page_names_its_fields_and_stores_nothing,
    pages_follow_the_published_catalogue,
);

fn users<S: AccountStore>(store: &mut S) {
    for (name, role) in [
        ("admin", Role::Administrator),
        ("eod", Role::EodOfficer),
        ("viewer", Role::Viewer),
    ] {
        let account = NewAccount {
            username: name.into(),
            display_name: format!("User {name}"),
            organisation: "ARMAC".into(),
            role,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        };
        store.add_account("setup", &account).expect("account");
    }
}

fn page(model: &str) -> OrdnancePage {
    OrdnancePage {
        model: model.into(),
        summary: "Soviet circular blast anti-personnel mine.".into(),
        dimensions: Dimensions {
            diameter_mm: Some(121.0),
            height_mm: Some(54.0),
            weight_g: Some(420.0),
            ..Dimensions::default()
        },
        fuzing: "Integral pressure fuze.".into(),
        identification: vec!["Black rubber cross on the pressure plate".into()],
        hazards: "Blast.".into(),
        render_safe: Some("Destroy in situ by qualified EOD personnel.".into()),
        photos: vec![PagePhoto {
            sha256: "ab".repeat(32),
            media_type: "image/png".into(),
            caption: "Top view".into(),
        }],
    }
}

fn actions<S: ProgrammeStore>(store: &S, action: &str) -> Vec<(String, String)> {
    (store.audit_log().expect("audit").into_iter())
        .filter(|e| e.action == action)
        .map(|e| (e.actor, e.target))
        .collect()
}

fn pages_are_written_on_a_hub_by_its_administrators<
    S: OrdnancePageStore + HubStore + AccountStore + ProgrammeStore,
>(
    mut store: S,
) {
    users(&mut store);
    let e = store.put_page("admin", &page("PMN-2")).expect_err("no hub");
    assert!(e.to_string().contains("edited on the regional hub"), "{e}");
    store.make_hub("setup").expect("hub");
    let e = store
        .put_page("viewer", &page("PMN-2"))
        .expect_err("viewer");
    assert!(
        e.to_string().contains("only the hub's administrators"),
        "{e}"
    );
    assert!(store.put_page("eod", &page("PMN-2")).is_err());
    assert!(store.put_page("nobody", &page("PMN-2")).is_err());
    assert!(store.pages().expect("pages").is_empty());

    let stored = store.put_page("admin", &page("pmn 2")).expect("written");
    assert_eq!(stored.page.model, "PMN-2");
    assert_eq!(stored.updated_by, "admin");
    let mut edited = page("PMN2");
    edited.summary = "Edited.".into();
    store.put_page("admin", &edited).expect("replaced");
    store.put_page("admin", &page("TM-62")).expect("second");
    let all = store.pages().expect("pages");
    assert_eq!(
        all.iter()
            .map(|p| p.page.model.as_str())
            .collect::<Vec<_>>(),
        ["PMN-2", "TM-62"]
    );
    let got = store.page("Pmn-2").expect("read").expect("page");
    assert_eq!(got.page.summary, "Edited.");
    assert_eq!(store.page("PMN").expect("read"), None);
    assert_eq!(store.page("no such thing").expect("read"), None);
    let edits = actions(&store, "reference.page.edit");
    let targets: Vec<_> = edits.iter().map(|(a, t)| format!("{a} {t}")).collect();
    assert_eq!(targets, ["admin PMN-2", "admin PMN-2", "admin TM-62"]);
    store
        .audit_render_safe_read("eod", "PMN-2")
        .expect("audited");
    assert_eq!(
        actions(&store, "reference.render_safe.read"),
        [("eod".to_owned(), "PMN-2".to_owned())]
    );
    assert!(store.delete_page("viewer", "TM-62").is_err());
    assert!(store.delete_page("admin", "tm 62").expect("deleted"));
    assert!(!store.delete_page("admin", "TM-62").expect("none"));
    assert_eq!(store.pages().expect("pages").len(), 1);
    store
        .set_account_disabled("setup", "admin", true)
        .expect("disabled");
    assert!(store.put_page("admin", &page("PMN-2")).is_err());
}

fn a_refused_page_names_its_fields_and_stores_nothing<
    S: OrdnancePageStore + HubStore + AccountStore,
>(
    mut store: S,
) {
    users(&mut store);
    store.make_hub("setup").expect("hub");
    let mut bad = page("PMN-2");
    bad.dimensions.length_mm = Some(0.0);
    bad.hazards = " ".into();
    let Err(StoreError::Invalid(e)) = store.put_page("admin", &bad) else {
        panic!("refused as invalid");
    };
    let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["dimensions.length_mm", "hazards"]);
    let Err(StoreError::Invalid(e)) = store.put_page("admin", &page("PFM-1")) else {
        panic!("unknown model refused");
    };
    assert_eq!(e.0[0].field, "model");
    assert!(store.pages().expect("pages").is_empty());
}

fn pages_follow_the_published_catalogue<
    S: OrdnancePageStore + HubStore + AccountStore + ReferenceStore,
>(
    mut store: S,
) {
    users(&mut store);
    store.make_hub("setup").expect("hub");
    assert!(store.put_page("admin", &page("butterfly mine")).is_err());
    let payload = serde_json::json!({
        "publisher": "ARMAC", "version": 1, "published_at": "2026-01-01T00:00:00Z",
        "ordnance": [{"model": "PFM-1", "category": "ap_mine",
                      "aliases": ["butterfly mine"]}],
    });
    let document = serde_json::json!({"format": 1, "payload": payload.to_string(),
                                      "signature": ""});
    store
        .publish_reference("admin", 1, &document.to_string())
        .expect("published");
    let stored = store
        .put_page("admin", &page("Butterfly Mine"))
        .expect("written");
    assert_eq!(stored.page.model, "PFM-1");
    assert!(store.page("butterfly mine").expect("read").is_some());
    assert!(
        store
            .page_catalogue()
            .expect("catalogue")
            .lookup("PFM 1")
            .is_some()
    );
}
