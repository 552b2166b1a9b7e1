//! The same report for a past as-of point gives byte-identical XLSX and CSV files after new
//! reports are approved, whatever the clock says.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;
use std::path::Path;

use common::programme::hazard;
use common::{approve, d, rect};
use safeground_model::{ContaminationType as C, HazardClass};
use safeground_report::{Report, ReportParams, write_csv, write_xlsx};
use safeground_store::{AsOf, ReportEntry, SqliteStore};

/// The workbook's bytes and every table's CSV bytes.
fn outputs(store: &SqliteStore, params: &ReportParams, xlsx: &Path) -> (Vec<u8>, Vec<Vec<u8>>) {
    let report = Report::build(store, params).unwrap();
    write_xlsx(&report, xlsx).unwrap();
    let csvs = report
        .tables
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            write_csv(t, &mut out).unwrap();
            out
        })
        .collect();
    (std::fs::read(xlsx).unwrap(), csvs)
}

fn new_hazard(store: &mut SqliteStore, day: &str, local_id: &str, backdated: bool) {
    let mut h = hazard(
        local_id,
        HazardClass::Sha,
        &[C::ApMines],
        "KH02",
        rect(102.9, 12.9, 102.905, 12.905),
    );
    if let safeground_model::Record::Hazard(h) = &mut h {
        h.organisation = Some("ORG-HALO".into());
    }
    approve(store, day, vec![ReportEntry::new(h)], backdated);
}

fn remaining_hazards(store: &SqliteStore, params: &ReportParams) -> Option<u64> {
    Report::build(store, params)
        .unwrap()
        .table("remaining_by_class")?
        .total_cell("total_hazards")?
        .count()
}

#[test]
fn a_past_report_is_byte_identical_after_later_reports_are_approved() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = common::demo(dir.path(), 15, 3);
    let params = ReportParams {
        treaty_deadline: Some(d("2025-12-31")),
        suppression_threshold: Some(5),
        ..ReportParams::as_of(d("2023-12-31"))
    };
    let (xlsx_a, csv_a) = outputs(&store, &params, &dir.path().join("a.xlsx"));
    let later = ReportParams::as_of(d("2025-12-31"));
    let before = remaining_hazards(&store, &later);

    // A second later, a report dated after the as-of date is approved.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    new_hazard(&mut store, "2025-12-31", "NEW-1", false);
    assert_eq!(
        remaining_hazards(&store, &later),
        before.map(|n| n + 1),
        "the new report counts from its date"
    );

    let (xlsx_b, csv_b) = outputs(&store, &params, &dir.path().join("b.xlsx"));
    assert_eq!(csv_a, csv_b, "CSV bytes");
    assert!(xlsx_a == xlsx_b, "XLSX bytes differ");

    // The workbook's creation time is the as-of date, not the clock.
    let file = std::fs::File::open(dir.path().join("b.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut core = String::new();
    zip.by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut core)
        .unwrap();
    assert!(core.contains("2023-12-31T00:00:00Z"), "{core}");
}

#[test]
fn with_a_known_at_time_even_backdated_reports_leave_a_past_report_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = common::demo(dir.path(), 10, 5);
    let date = d("2023-12-31");
    let known = ReportParams {
        as_of: AsOf {
            date,
            known_at: Some(chrono::Utc::now()),
        },
        ..ReportParams::as_of(date)
    };
    let (xlsx_a, csv_a) = outputs(&store, &known, &dir.path().join("a.xlsx"));
    let everything = ReportParams::as_of(date);
    let before = remaining_hazards(&store, &everything);

    // A hazard found in 2023 but reported only now.
    new_hazard(&mut store, "2023-06-01", "LATE-1", true);
    assert_eq!(
        remaining_hazards(&store, &everything),
        before.map(|n| n + 1)
    );

    let (xlsx_b, csv_b) = outputs(&store, &known, &dir.path().join("b.xlsx"));
    assert_eq!(csv_a, csv_b, "CSV bytes");
    assert!(xlsx_a == xlsx_b, "XLSX bytes differ");
}
