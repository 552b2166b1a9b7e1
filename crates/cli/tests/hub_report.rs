//! `safeground hub report`: a hub fed by two nodes' signed bundles gives a workbook with a
//! column per country and the region, whose remaining area is the hazards' areas recomputed
//! here, and a PDF; other extensions and a programme that is not a hub are refused. On
//! PostgreSQL too when SAFEGROUND_TEST_POSTGRES is set.

mod common;

use std::path::Path;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use common::{ok, postgres_url, refused, s, safeground};
use safeground_federation::{BundleWriter, Entry, NodeId, NodeKey};
use safeground_model::ItemKind;

/// Registers node `code` at hub `db` and imports a bundle of open hazards of `areas` m² each
/// (no polygon: the form's area counts).
fn feed(db: &str, dir: &Path, code: &str, areas: &[f64]) {
    let key = NodeKey::generate(NodeId::new(code).expect("id")).expect("key");
    let card = dir.join(format!("{code}.json"));
    std::fs::write(&card, key.card(code).expect("card").to_json()).expect("card");
    let mut w = BundleWriter::new(Vec::new(), &key).expect("writer");
    for (i, m2) in areas.iter().enumerate() {
        let seq = i as u64 + 1;
        let record = serde_json::json!({"kind": "hazard", "id": format!("HAZ-{seq}"),
            "local_id": format!("{code}-H-{seq}"), "name": "Village", "class": "sha",
            "status": "open", "reported_area_m2": m2});
        let item = format!("00000000-0000-4000-8000-{seq:012}");
        (w.push(&Entry::upsert(seq, ItemKind::Hazard, &item, 1, record))).expect("push");
    }
    let bundle = dir.join(format!("{code}.sgb"));
    std::fs::write(&bundle, w.finish().expect("finish").0).expect("bundle");
    ok(&["hub", "add-node", db, s(&card)]);
    ok(&["hub", "import", db, s(&bundle)]);
}

/// The regional report of a hub at `db` (created here) fed by two nodes; files in `dir`.
fn regional_report(db: &str, dir: &Path) {
    ok(&["hub", "init", db]);
    feed(db, dir, "KHM", &[1500.0, 2500.0]);
    feed(db, dir, "LAO", &[700.0]);

    let xlsx = dir.join("region.xlsx");
    let said = ok(&["hub", "report", db, "--out", s(&xlsx)]);
    assert!(said.contains("2 countries"), "{said}");
    let mut book: Xlsx<_> = open_workbook(&xlsx).expect("workbook");
    let sheet = book.worksheet_range("regional_summary").expect("summary");
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let titles: Vec<String> = rows[4].iter().map(|c| c.to_string()).collect();
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(titles[1].starts_with("KHM KHM (received "), "{titles:?}");
    assert!(titles[2].starts_with("LAO LAO (received "), "{titles:?}");
    assert_eq!(titles[3], "Region");
    let row = |name: &str| {
        rows.iter()
            .find(|r| r[0].get_string() == Some(name))
            .map(|r| {
                r[1..]
                    .iter()
                    .map(|c| c.as_f64().unwrap_or(-1.0))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    assert_eq!(row("Hazards remaining"), [2.0, 1.0, 3.0]);
    assert_eq!(
        row("Remaining contaminated area (m²)"),
        [1500.0 + 2500.0, 700.0, 1500.0 + 2500.0 + 700.0]
    );

    let pdf = dir.join("region.pdf");
    ok(&["hub", "report", db, "--out", s(&pdf)]);
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF"));

    let csv = dir.join("region.csv");
    refused(
        &safeground(&["hub", "report", db, "--out", s(&csv)]),
        "ending in .xlsx or .pdf",
    );
    assert!(!csv.exists());

    let plain = dir.join("plain.sqlite");
    ok(&["init", s(&plain)]);
    let out = dir.join("plain.xlsx");
    refused(
        &safeground(&["hub", "report", s(&plain), "--out", s(&out)]),
        "not a regional hub",
    );
    assert!(!out.exists());
}

#[test]
fn the_regional_report_has_a_column_per_country_and_the_region() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("hub.sqlite");
    regional_report(s(&db), dir.path());
}

#[test]
fn a_postgres_hub_gives_the_same_report() {
    let Some(db) = safeground_store::postgres::testing::ScratchDatabase::create()
        .expect("PostgreSQL test database")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    regional_report(&postgres_url(&db), dir.path());
}
