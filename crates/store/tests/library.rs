//! The document library's records (every backend runs the suite unchanged): documents,
//! versions, duplicates refused naming the holder, descriptions checked field by field, every
//! write audited, and the texts the search index is built from.

#[macro_use]
mod common;

use chrono::NaiveDate;
use geo_types::{LineString, MultiPolygon, Polygon};
use safeground_model::{Hazard, HazardClass, HazardStatus, ItemKind, Record};
use safeground_store::library::{DocumentMeta, VersionContent};
use safeground_store::{
    ApproveOptions, LibraryStore, NewReport, ProgrammeStore, Reconcile, ReportEntry, SqliteStore,
    StoreError,
};

backends!(
    documents_get_versions_and_duplicates_are_refused,
    bad_descriptions_name_each_field_and_write_nothing,
    the_index_reads_one_text_and_the_items_changed_since_its_mark,
);

fn meta(title: &str) -> DocumentMeta {
    DocumentMeta {
        title: title.into(),
        language: "th".into(),
        country: Some("THA".into()),
        doc_type: "sop".into(),
        imas_topic: Some("09.10".into()),
        access: "regional".into(),
        organisation: Some("TMAC".into()),
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

fn documents_get_versions_and_duplicates_are_refused<S: LibraryStore + ProgrammeStore>(
    mut store: S,
) {
    let doc = store
        .add_document(
            "im",
            &meta("มาตรฐานการกวาดล้างทุ่นระเบิด"),
            &file('a', "sop.pdf"),
            "ทุ่นระเบิด",
        )
        .expect("added");
    assert_eq!(doc.versions.len(), 1);
    assert_eq!(doc.meta.language, "th");
    assert_eq!(doc.uuid.len(), 36);
    let mut v2 = file('b', "sop-v2.pdf");
    v2.note = Some("  chapter 4 rewritten ".into());
    let doc = store
        .add_document_version("im", doc.id, &v2, "ทุ่นระเบิด ฉบับที่ 2")
        .expect("version 2");
    assert_eq!(
        doc.versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(
        doc.current().and_then(|v| v.content.note.as_deref()),
        Some("chapter 4 rewritten")
    );

    // The same bytes again, as a new document or as a version: refused, naming the holder.
    let err = store
        .add_document("im", &meta("Copy"), &file('a', "copy.pdf"), "")
        .expect_err("refused");
    assert!(matches!(err, StoreError::Duplicate(_)), "{err}");
    assert!(
        err.to_string()
            .contains(&format!("document {} version 1", doc.id)),
        "{err}"
    );
    let err = store
        .add_document_version("im", doc.id, &file('b', "again.pdf"), "")
        .expect_err("refused");
    assert!(err.to_string().contains("version 2"), "{err}");
    let missing = store.add_document_version("im", 9999, &file('c', "x.pdf"), "");
    assert!(matches!(missing, Err(StoreError::ItemNotFound(_))));

    let link = VersionContent {
        file_name: None,
        media_type: String::new(),
        size_bytes: 0,
        sha256: None,
        link: Some("https://video.example.org/mre".into()),
        note: None,
    };
    let video = store
        .add_document("im", &meta("Risk education video"), &link, "")
        .expect("link");
    assert_eq!(video.versions[0].content.media_type, "text/uri-list");
    assert!(store.add_document("im", &meta("Again"), &link, "").is_err());

    let edited = store
        .edit_document(
            "im",
            video.id,
            &DocumentMeta {
                access: "national".into(),
                ..meta("Risk education video (Thai)")
            },
        )
        .expect("edited");
    assert_eq!(edited.meta.access, "national");
    assert_eq!(edited.versions, video.versions);

    let all = store.library_documents().expect("list");
    assert_eq!(
        all.iter().map(|d| d.id).collect::<Vec<_>>(),
        [video.id, doc.id]
    );
    let index = store.library_for_index().expect("texts");
    let text = |id| {
        index
            .iter()
            .find(|d| d.document.id == id)
            .map(|d| d.text.clone())
    };
    assert_eq!(
        text(doc.id).as_deref(),
        Some("ทุ่นระเบิด ฉบับที่ 2"),
        "current version's text"
    );
    assert_eq!(text(video.id).as_deref(), Some(""));
    assert_eq!(
        store.library_file_holder(&"b".repeat(64)).expect("holder"),
        Some((doc.id, 2))
    );
    let actions: Vec<String> = store
        .audit_log()
        .expect("audit")
        .into_iter()
        .filter(|a| a.target.starts_with("library:"))
        .map(|a| a.action)
        .collect();
    assert_eq!(
        actions,
        [
            "library.add",
            "library.version",
            "library.add",
            "library.edit"
        ]
    );
}

fn bad_descriptions_name_each_field_and_write_nothing<S: LibraryStore + ProgrammeStore>(
    mut store: S,
) {
    let bad = DocumentMeta {
        title: "  ".into(),
        language: "xx".into(),
        country: Some("Thailand".into()),
        doc_type: "poster".into(),
        imas_topic: Some("IMAS 9".into()),
        access: "secret".into(),
        organisation: None,
    };
    let err = store
        .add_document("im", &bad, &file('a', "a.pdf"), "")
        .expect_err("refused");
    let StoreError::Invalid(fields) = &err else {
        panic!("{err}");
    };
    let shown = err.to_string();
    assert!(
        shown.starts_with("invalid data, nothing was written:\ntitle: "),
        "a description is no report: {shown}"
    );
    let named: Vec<String> = fields.clone().into_iter().map(|f| f.field).collect();
    assert_eq!(
        named,
        [
            "title",
            "language",
            "doc_type",
            "access",
            "country",
            "imas_topic"
        ]
    );
    let mut both = file('a', "a.pdf");
    both.link = Some("https://example.org/v".into());
    assert!(store.add_document("im", &meta("t"), &both, "").is_err());
    assert!(store.library_documents().expect("list").is_empty());
    assert!(store.audit_log().expect("audit").is_empty());
}

fn hazard(local_id: &str, name: &str) -> Record {
    let ring = LineString::from(vec![
        (103.2, 13.1),
        (103.201, 13.1),
        (103.201, 13.101),
        (103.2, 13.101),
        (103.2, 13.1),
    ]);
    Record::Hazard(Hazard {
        local_id: local_id.into(),
        name: name.into(),
        class: HazardClass::Sha,
        status: HazardStatus::Open,
        status_change: None,
        organisation: None,
        admin_pcode: None,
        evidence: vec![],
        contamination: vec![],
        reported_area_m2: None,
        first_recorded: None,
        geometry: Some(MultiPolygon(vec![Polygon::new(ring, vec![])])),
        comment: None,
    })
}

fn approve<S: ProgrammeStore>(store: &mut S, date: &str, entries: Vec<ReportEntry>) -> Vec<String> {
    let report = NewReport {
        organisation: None,
        title: "survey".into(),
        source: None,
        date_of_information: NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date"),
        entries,
    };
    let id = store.create_report("officer", &report).expect("create");
    store.submit_report("officer", id).expect("submit");
    store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect("approve")
        .items
}

fn the_index_reads_one_text_and_the_items_changed_since_its_mark<
    S: LibraryStore + ProgrammeStore,
>(
    mut store: S,
) {
    let doc = store
        .add_document("im", &meta("SOP"), &file('a', "sop.pdf"), "first text")
        .expect("added");
    let other = store
        .add_document("im", &meta("Other"), &file('c', "other.pdf"), "other text")
        .expect("added");
    store
        .add_document_version("im", doc.id, &file('b', "sop-2.pdf"), "second text")
        .expect("version 2");
    assert_eq!(
        store
            .library_document_text(doc.id)
            .expect("text")
            .as_deref(),
        Some("second text"),
        "the current version's text"
    );
    assert_eq!(
        store
            .library_document_text(other.id)
            .expect("text")
            .as_deref(),
        Some("other text")
    );
    assert_eq!(store.library_document_text(9999).expect("text"), None);

    let hazards = [ItemKind::Hazard];
    assert!(
        store
            .items_changed_after(0, &hazards)
            .expect("changed")
            .is_empty()
    );
    let first = approve(
        &mut store,
        "2024-03-01",
        vec![
            ReportEntry::new(hazard("H1", "Rice field")),
            ReportEntry::new(hazard("H2", "School path")),
        ],
    );
    assert_eq!(first.len(), 2);
    assert_eq!(
        store.items_changed_after(0, &hazards).expect("changed"),
        first
    );
    let mark = store.last_change().expect("mark");
    assert!(
        store
            .items_changed_after(mark, &hazards)
            .expect("changed")
            .is_empty()
    );

    // One hazard changes: only it is read again, and only when its kind is asked for.
    approve(
        &mut store,
        "2024-04-01",
        vec![ReportEntry {
            record: hazard("H2", "School path, north"),
            reconcile: Reconcile::Update {
                item: first[1].clone(),
                base_version: None,
            },
            personal_data: None,
        }],
    );
    let changed = store.items_changed_after(mark, &hazards).expect("changed");
    assert_eq!(changed, [first[1].clone()]);
    assert!(
        store
            .items_changed_after(mark, &[ItemKind::Activity])
            .expect("changed")
            .is_empty()
    );
}
