//! Library documents received from another programme (every backend runs the suite
//! unchanged): stored with their UUID, version numbers and owner; a replay changes nothing;
//! new versions and descriptions are taken; a document owned here or by another node, a
//! version that differs from the one held and a file another document holds are refused naming
//! the document, writing nothing; only public and regional documents are shareable.

#[macro_use]
mod common;

use std::collections::HashMap;

use chrono::Utc;
use safeground_store::library::{DocumentMeta, VersionContent};
use safeground_store::library_exchange::{IncomingDocument, IncomingVersion, Plan};
use safeground_store::{LibraryExchangeStore, LibraryStore, ProgrammeStore, SqliteStore};

backends!(
    received_documents_keep_uuid_versions_and_owner,
    refusals_name_the_document_and_write_nothing,
    only_public_and_regional_documents_are_shared,
);

fn meta(title: &str, access: &str) -> DocumentMeta {
    DocumentMeta {
        title: title.into(),
        language: "lo".into(),
        country: Some("LAO".into()),
        doc_type: "sop".into(),
        imas_topic: Some("09.10".into()),
        access: access.into(),
        organisation: Some("NRA".into()),
    }
}

fn file(sha: char, name: &str) -> VersionContent {
    VersionContent {
        file_name: Some(name.into()),
        media_type: "application/pdf".into(),
        size_bytes: 2048,
        sha256: Some(sha.to_string().repeat(64)),
        link: None,
        note: None,
    }
}

fn incoming(uuid: &str, owner: &str, versions: &[char]) -> IncomingDocument {
    IncomingDocument {
        uuid: uuid.into(),
        owner: owner.into(),
        meta: meta("ມາດຕະຖານ ການກວດກູ້ລະເບີດ", "regional"),
        versions: versions
            .iter()
            .enumerate()
            .map(|(i, &c)| IncomingVersion {
                version: i as i64 + 1,
                content: file(c, &format!("sop-{}.pdf", i + 1)),
                uploaded_at: Utc::now(),
            })
            .collect(),
    }
}

fn texts(chars: &[char]) -> HashMap<String, String> {
    chars
        .iter()
        .map(|c| (c.to_string().repeat(64), format!("ລະເບີດ text {c}")))
        .collect()
}

const UUID: &str = "0b6f4a52-3f7e-4d7c-9a51-1a2b3c4d5e6f";

fn received_documents_keep_uuid_versions_and_owner<
    S: LibraryExchangeStore + LibraryStore + ProgrammeStore,
>(
    mut store: S,
) {
    let doc = incoming(UUID, "LAO", &['a']);
    let plan = store
        .plan_library_receipt(Some("ARMAC"), std::slice::from_ref(&doc))
        .expect("plan");
    assert_eq!(plan, vec![Plan::New]);
    let got = store
        .receive_library("hub", "LAO", Some("ARMAC"), &[doc], &texts(&['a']))
        .expect("received");
    assert_eq!((got.added, got.versions, got.changed.len()), (1, 1, 1));
    let id = got.changed[0];
    let held = store.library_document(id).expect("read").expect("held");
    assert_eq!(held.uuid, UUID);
    assert_eq!(held.versions[0].uploaded_by, "LAO");
    assert_eq!(
        store.library_owner(id).expect("owner").as_deref(),
        Some("LAO")
    );
    let index = store.library_for_index().expect("index");
    assert_eq!(index[0].text, "ລະເບີດ text a");

    // A replay changes nothing, not even the audit log.
    let audits = store.audit_log().expect("audit").len();
    let again = store
        .receive_library(
            "hub",
            "LAO",
            Some("ARMAC"),
            &[incoming(UUID, "LAO", &['a'])],
            &texts(&['a']),
        )
        .expect("replayed");
    assert_eq!(
        (again.unchanged, again.versions, again.changed.len()),
        (1, 0, 0)
    );
    assert_eq!(store.audit_log().expect("audit").len(), audits);

    // A second version and a new title arrive; the first is kept as it was.
    let mut doc = incoming(UUID, "LAO", &['a', 'b']);
    doc.meta.title = "SOP 2nd edition".into();
    let plan = store
        .plan_library_receipt(Some("ARMAC"), std::slice::from_ref(&doc))
        .expect("plan");
    assert_eq!(
        plan,
        vec![Plan::Update {
            id,
            first_new: 2,
            meta_changed: true
        }]
    );
    let got = store
        .receive_library("hub", "LAO", Some("ARMAC"), &[doc], &texts(&['b']))
        .expect("received");
    assert_eq!((got.updated, got.versions), (1, 1));
    let held = store.library_document(id).expect("read").expect("held");
    assert_eq!(held.meta.title, "SOP 2nd edition");
    assert_eq!(held.versions.len(), 2);
    assert_eq!(held.versions[1].version, 2);
    let log = store.audit_log().expect("audit");
    assert!(
        log.iter().any(|a| a.action == "library.receive"
            && a.detail
                .as_deref()
                .is_some_and(|d| d.contains("from LAO: version 2"))),
        "{log:?}"
    );

    // A document the receiver owns itself is skipped.
    let own = incoming("9d0e9f00-0000-4000-8000-00000000000a", "ARMAC", &['c']);
    let got = store
        .receive_library("hub", "KHM", Some("ARMAC"), &[own], &HashMap::new())
        .expect("received");
    assert_eq!((got.own, got.added), (1, 0));
}

fn refusals_name_the_document_and_write_nothing<
    S: LibraryExchangeStore + LibraryStore + ProgrammeStore,
>(
    mut store: S,
) {
    let mine = store
        .add_document(
            "im",
            &meta("Our SOP", "regional"),
            &file('f', "ours.pdf"),
            "x",
        )
        .expect("own document");
    store
        .receive_library(
            "hub",
            "LAO",
            Some("ARMAC"),
            &[incoming(UUID, "LAO", &['a'])],
            &texts(&['a']),
        )
        .expect("received");
    let before = store.library_documents().expect("list");
    let audits = store.audit_log().expect("audit").len();
    let refused = |store: &mut S, docs: &[IncomingDocument], want: &[&str]| {
        let e = store
            .receive_library(
                "hub",
                "LAO",
                Some("ARMAC"),
                docs,
                &texts(&['a', 'b', 'f', 'g']),
            )
            .expect_err("refused")
            .to_string();
        for w in want {
            assert!(e.contains(w), "`{w}` not in: {e}");
        }
    };
    let fresh = incoming("11111111-2222-4333-8444-555555555555", "LAO", &['g']);
    // The programme's own document under another owner.
    refused(
        &mut store,
        &[fresh.clone(), incoming(&mine.uuid, "LAO", &['f'])],
        &[&mine.uuid, "its own document"],
    );
    // Owned here by LAO, sent as KHM's.
    refused(
        &mut store,
        &[fresh.clone(), incoming(UUID, "KHM", &['a'])],
        &[UUID, "owned by LAO"],
    );
    // A version that differs from the one held.
    refused(
        &mut store,
        &[fresh.clone(), incoming(UUID, "LAO", &['b'])],
        &[UUID, "version 1", "differs"],
    );
    // A file another document holds.
    refused(
        &mut store,
        &[incoming(
            "11111111-2222-4333-8444-555555555556",
            "LAO",
            &['f'],
        )],
        &[
            "11111111-2222-4333-8444-555555555556",
            "field sha256",
            "same content",
        ],
    );
    // An unknown language, a national document, a file without its text.
    let mut bad = fresh.clone();
    bad.meta.language = "fr".into();
    refused(&mut store, &[bad], &[&fresh.uuid, "language"]);
    let mut national = fresh.clone();
    national.meta.access = "national".into();
    refused(&mut store, &[national], &[&fresh.uuid, "access"]);
    let e = store
        .receive_library(
            "hub",
            "LAO",
            Some("ARMAC"),
            std::slice::from_ref(&fresh),
            &HashMap::new(),
        )
        .expect_err("no text")
        .to_string();
    assert!(e.contains("was not received"), "{e}");

    assert_eq!(
        store.library_documents().expect("list"),
        before,
        "nothing written"
    );
    assert_eq!(store.audit_log().expect("audit").len(), audits);
}

fn only_public_and_regional_documents_are_shared<S: LibraryExchangeStore + LibraryStore>(
    mut store: S,
) {
    for (i, access) in ["public", "regional", "national"].into_iter().enumerate() {
        let sha = char::from(b'a' + i as u8);
        store
            .add_document("im", &meta(access, access), &file(sha, "f.pdf"), "")
            .expect("added");
    }
    store
        .receive_library(
            "hub",
            "LAO",
            Some("ARMAC"),
            &[incoming(UUID, "LAO", &['d'])],
            &texts(&['d']),
        )
        .expect("received");
    let own: Vec<String> = store
        .library_shareable(false)
        .expect("own")
        .into_iter()
        .map(|(d, owner)| {
            assert_eq!(owner, None);
            d.meta.access
        })
        .collect();
    assert_eq!(own, ["regional", "public"]);
    let all = store.library_shareable(true).expect("with received");
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].1.as_deref(), Some("LAO"));
    assert_eq!(store.library_owners().expect("owners").len(), 1);
}

#[test]
fn sqlite_survives_a_reopen_with_the_origin() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.sqlite");
    let mut store = SqliteStore::create(&path).expect("store");
    store
        .receive_library(
            "hub",
            "LAO",
            None,
            &[incoming(UUID, "LAO", &['a'])],
            &texts(&['a']),
        )
        .expect("received");
    drop(store);
    let store = SqliteStore::open(&path).expect("reopened");
    let docs = store.library_shareable(true).expect("list");
    assert_eq!(docs[0].1.as_deref(), Some("LAO"));
}
