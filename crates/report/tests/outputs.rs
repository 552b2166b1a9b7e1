//! The writers and the parameters: the JSON shape the PDF renderer reads, CSV formatting,
//! Khmer titles, workbook layout, and refused parameters.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use common::d;
use safeground_report::{Language, Report, ReportError, ReportParams, to_json, write_csv};
use safeground_store::{AsOf, ProgrammeStore};
use serde_json::Value;

const TABLES: [&str; 19] = [
    "land_release_by_admin_area",
    "land_release_by_asset",
    "land_release_by_contamination",
    "land_release_by_year",
    "land_release_outside_hazards",
    "machine_tracks",
    "remaining_by_class",
    "progress",
    "eo_destroyed",
    "eo_found",
    "casualties",
    "accidents",
    "risk_education",
    "victim_assistance",
    "apmbc_form_c",
    "apmbc_form_f_g",
    "ccm_contaminated",
    "ccm_clearance",
    "article5",
];

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn json_has_the_agreed_shape() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = common::demo(dir.path(), 12, 2);
    let params = ReportParams {
        from: Some(d("2018-01-01")),
        organisation: Some("ORG-HALO".into()),
        treaty_deadline: Some(d("2025-12-31")),
        suppression_threshold: Some(5),
        ..ReportParams::as_of(d("2024-12-31"))
    };
    let json = to_json(&Report::build(&store, &params).unwrap());
    assert_eq!(
        keys(&json),
        ["charts", "language", "map", "parameters", "tables", "title"]
    );
    assert_eq!(json["language"], "en");
    let p = &json["parameters"];
    assert_eq!(
        keys(p),
        [
            "admin_area",
            "as_of",
            "donor",
            "from",
            "known_at",
            "organisation",
            "suppression_threshold",
            "to",
            "treaty_deadline"
        ]
    );
    assert_eq!(p["as_of"], "2024-12-31");
    assert_eq!(p["from"], "2018-01-01");
    assert_eq!(p["to"], Value::Null);
    assert_eq!(p["suppression_threshold"], 5);
    let tables = json["tables"].as_array().unwrap();
    let ids: Vec<&str> = tables.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, TABLES);
    for t in tables {
        assert_eq!(
            keys(t),
            ["columns", "counts", "id", "notes", "rows", "title", "total"]
        );
        assert!(!t["counts"].as_str().unwrap().is_empty(), "{}", t["id"]);
        let columns: Vec<&str> = t["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                assert_eq!(keys(c), ["key", "kind", "title"]);
                assert!(
                    ["text", "count", "area_m2", "date", "percent"]
                        .contains(&c["kind"].as_str().unwrap())
                );
                c["key"].as_str().unwrap()
            })
            .collect();
        for row in t["rows"]
            .as_array()
            .unwrap()
            .iter()
            .chain(t["total"].as_object().map(|_| &t["total"]))
        {
            assert_eq!(
                keys(row),
                columns
                    .iter()
                    .copied()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
            );
        }
        assert!(!t["notes"].as_array().unwrap().is_empty(), "{}", t["id"]);
    }
    for chart in json["charts"].as_array().unwrap() {
        let t = tables.iter().find(|t| t["id"] == chart["table"]).unwrap();
        let has = |k: &Value| {
            t["columns"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| &c["key"] == k)
        };
        assert!(has(&chart["x"]));
        assert!(chart["series"].as_array().unwrap().iter().all(has));
    }
    assert_eq!(json["map"]["type"], "FeatureCollection");
    for f in json["map"]["features"].as_array().unwrap() {
        assert_eq!(keys(&f["properties"]), ["class", "id", "remaining_m2"]);
        assert_eq!(f["geometry"]["type"], "MultiPolygon");
    }
    let donor = tables[0]["notes"].as_array().unwrap();
    assert!(donor.iter().any(|n| n.as_str().unwrap().contains("donor")));
}

#[test]
fn csv_has_titles_then_rows_then_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = common::demo(dir.path(), 12, 2);
    let report = Report::build(&store, &ReportParams::as_of(d("2024-12-31"))).unwrap();
    let t = report.table("land_release_by_year").unwrap();
    let mut out = Vec::new();
    write_csv(t, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Year,Cancelled (m²),Reduced with technical asset (m²),Reduced without technical asset (m²),Cleared (m²),Total released (m²)"
    );
    assert_eq!(lines.len(), t.rows.len() + 3);
    assert!(lines[lines.len() - 2].starts_with("Total,"));
    assert_eq!(
        lines.last().unwrap(),
        &format!("\"{}\",,,,,", t.counts),
        "the last row says what the table counts"
    );
    for line in &lines[1..lines.len() - 1] {
        for value in line.split(',').skip(1) {
            let (whole, decimals) = value.split_once('.').unwrap();
            assert!(whole.chars().all(|c| c.is_ascii_digit()), "{value}");
            assert_eq!(decimals.len(), 2, "{value}");
        }
    }
}

#[test]
fn khmer_report_titles_every_table_and_column_in_khmer() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = common::demo(dir.path(), 12, 2);
    let params = ReportParams {
        treaty_deadline: Some(d("2030-12-31")),
        suppression_threshold: Some(3),
        ..ReportParams::as_of(d("2024-12-31"))
    };
    let en = Report::build(&store, &params).unwrap();
    let params = ReportParams {
        language: Language::Km,
        ..params
    };
    let km = Report::build(&store, &params).unwrap();
    let khmer = |s: &str| s.chars().any(|c| ('\u{1780}'..='\u{17FF}').contains(&c));
    assert!(khmer(&km.title));
    for (k, e) in km.tables.iter().zip(&en.tables) {
        assert_eq!(k.id, e.id);
        assert!(khmer(&k.title), "{}", k.title);
        assert!(khmer(&k.counts), "{}: {}", k.id, k.counts);
        for (kc, ec) in k.columns.iter().zip(&e.columns) {
            assert_eq!(kc.key, ec.key);
            assert!(khmer(&kc.title), "{}: {}", k.id, kc.title);
        }
        for note in &k.notes {
            assert!(khmer(note), "{}: {note}", k.id);
        }
        assert_eq!(k.rows.len(), e.rows.len(), "{}", k.id);
    }
    assert_eq!(to_json(&km)["language"], "km");
    let path = dir.path().join("km.xlsx");
    safeground_report::write_xlsx(&km, &path).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
}

#[test]
fn organisation_by_item_id_or_local_id_and_refused_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = common::demo(dir.path(), 12, 2);
    let by = |org: &str| {
        let params = ReportParams {
            organisation: Some(org.into()),
            ..ReportParams::as_of(d("2024-12-31"))
        };
        Report::build(&store, &params)
    };
    let local = by("ORG-HALO").unwrap();
    let id = store
        .items_of_kind(safeground_model::ItemKind::Organisation)
        .unwrap()
        .into_iter()
        .find(|i| store.versions(i).unwrap()[0].record.local_id() == "ORG-HALO")
        .unwrap();
    let by_id = by(&id).unwrap();
    assert_eq!(local.tables, by_id.tables);
    assert!(matches!(by("ORG-NOBODY"), Err(ReportError::Parameters(_))));
    let backwards = ReportParams {
        from: Some(d("2024-01-01")),
        to: Some(d("2023-01-01")),
        ..ReportParams::as_of(d("2024-12-31"))
    };
    assert!(matches!(
        Report::build(&store, &backwards),
        Err(ReportError::Parameters(_))
    ));
    let now = ReportParams {
        as_of: AsOf::now(),
        ..ReportParams::as_of(d("2024-12-31"))
    };
    assert!(matches!(
        Report::build(&store, &now),
        Err(ReportError::Parameters(_))
    ));
}
