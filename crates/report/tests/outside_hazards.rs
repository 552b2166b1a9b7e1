//! Land released outside recorded hazards: the part of each released polygon outside every
//! hazard its activity is linked to, by method, in every output; compared with areas computed
//! independently (geodesic areas of the rectangles that lie outside).
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;

use common::programme::{self, hazard, released};
use common::{approve, close, d, rect};
use safeground_geo::geodesic_area;
use safeground_model::{
    ActivityType, ContaminationType, HazardClass, Record, ReleaseMethod, ReleasedArea,
};
use safeground_report::{Cell, Report, ReportParams, to_json, write_csv, write_xlsx};
use safeground_store::{ReportEntry, SqliteStore};

/// A completed activity of `organisation` on `hazards` (the first as `hazard`, the others as
/// `hazards`; none: it names no hazard).
fn activity(
    local_id: &str,
    activity_type: ActivityType,
    organisation: &str,
    hazards: &[&str],
    released: Vec<ReleasedArea>,
) -> ReportEntry {
    let mut a = match programme::activity(local_id, "H1", activity_type, "KH01", released) {
        Record::Activity(a) => a,
        _ => unreachable!(),
    };
    a.organisation = Some(organisation.into());
    a.hazard = hazards.first().map(|h| (*h).to_owned());
    a.hazards = hazards.iter().skip(1).map(|h| (*h).to_owned()).collect();
    ReportEntry::new(Record::Activity(a))
}

fn area(method: ReleaseMethod, shape: geo_types::MultiPolygon<f64>) -> ReleasedArea {
    released(method, None, false, shape)
}

/// Two rectangle hazards H1 and H2; a clearance of H1 half outside it (2021), a
/// non-technical survey naming no hazard entirely outside both (2022), a technical survey of
/// H1 and H2 that also reduces the land between them (2023, another organisation's).
fn programme(path: &std::path::Path) -> SqliteStore {
    let mut store = programme::base(path);
    let ap = [ContaminationType::ApMines];
    approve(
        &mut store,
        "2020-01-01",
        vec![
            ReportEntry::new(hazard(
                "H1",
                HazardClass::Cha,
                &ap,
                "KH01",
                rect(103.00, 13.00, 103.01, 13.01),
            )),
            ReportEntry::new(hazard(
                "H2",
                HazardClass::Cha,
                &ap,
                "KH01",
                rect(103.02, 13.00, 103.03, 13.01),
            )),
        ],
        false,
    );
    approve(
        &mut store,
        "2021-06-01",
        vec![activity(
            "A-CLEAR",
            ActivityType::Clearance,
            "ORG-OP",
            &["H1"],
            vec![area(
                ReleaseMethod::Cleared,
                rect(103.005, 13.00, 103.015, 13.004),
            )],
        )],
        false,
    );
    approve(
        &mut store,
        "2022-03-01",
        vec![activity(
            "A-NTS",
            ActivityType::Nts,
            "ORG-OP",
            &[],
            vec![area(
                ReleaseMethod::Cancelled,
                rect(103.10, 13.10, 103.11, 13.11),
            )],
        )],
        false,
    );
    approve(
        &mut store,
        "2023-05-01",
        vec![activity(
            "A-TS",
            ActivityType::Ts,
            "ORG-DON",
            &["H1", "H2"],
            vec![area(
                ReleaseMethod::Reduced,
                rect(103.008, 13.006, 103.022, 13.008),
            )],
        )],
        false,
    );
    store
}

fn params() -> ReportParams {
    ReportParams::as_of(d("2024-12-31"))
}

/// (area outside, activities, entirely outside) of a row (0 cancelled, 1 reduced, 2 cleared)
/// or of the total (None).
fn figures(r: &Report, row: Option<usize>) -> (f64, u64, u64) {
    let t = r.table("land_release_outside_hazards").unwrap();
    let cell = |key: &str| match row {
        Some(i) => t.cell(i, key).unwrap().clone(),
        None => t.total_cell(key).unwrap().clone(),
    };
    let (Cell::Area(a), Cell::Count(n), Cell::Count(e)) = (
        cell("outside_m2"),
        cell("activities"),
        cell("entirely_outside"),
    ) else {
        panic!("cells of {row:?}");
    };
    (a, n, e)
}

#[test]
fn land_outside_hazards_is_counted_by_method() {
    let dir = tempfile::tempdir().unwrap();
    let store = programme(&dir.path().join("p.sqlite"));
    let r = Report::build(&store, &params()).unwrap();

    // Independently: the rectangles of each release that lie outside both hazards.
    let cleared = geodesic_area(&rect(103.01, 13.00, 103.015, 13.004));
    let cancelled = geodesic_area(&rect(103.10, 13.10, 103.11, 13.11));
    let reduced = geodesic_area(&rect(103.01, 13.006, 103.02, 13.008));
    let (a, n, e) = figures(&r, Some(0));
    assert!(close(a, cancelled), "cancelled {a} vs {cancelled}");
    assert_eq!((n, e), (1, 1));
    let (a, n, e) = figures(&r, Some(1));
    assert!(close(a, reduced), "reduced {a} vs {reduced}");
    assert_eq!((n, e), (1, 0));
    let (a, n, e) = figures(&r, Some(2));
    assert!(close(a, cleared), "cleared {a} vs {cleared}");
    assert_eq!((n, e), (1, 0));
    let (a, n, e) = figures(&r, None);
    assert!(close(a, cancelled + reduced + cleared), "total {a}");
    assert_eq!((n, e), (3, 1));

    // The hazard-based figures hold the rest of the land released, and only the rest.
    let by_year = r.table("land_release_by_year").unwrap();
    let Some(Cell::Area(credited)) = by_year.total_cell("released_m2") else {
        panic!("released total");
    };
    let all: f64 = [
        rect(103.005, 13.00, 103.015, 13.004),
        rect(103.10, 13.10, 103.11, 13.11),
        rect(103.008, 13.006, 103.022, 13.008),
    ]
    .iter()
    .map(geodesic_area)
    .sum();
    // Split rectangles have other geodesic edges than whole ones: a few m² apart in 2 km².
    assert!(
        (credited + cancelled + reduced + cleared - all).abs() < 10.0,
        "{credited} + {} = {all}",
        cancelled + reduced + cleared
    );
}

#[test]
fn the_period_and_organisation_select_the_activities() {
    let dir = tempfile::tempdir().unwrap();
    let store = programme(&dir.path().join("p.sqlite"));
    let since_2022 = Report::build(
        &store,
        &ReportParams {
            from: Some(d("2022-01-01")),
            ..params()
        },
    )
    .unwrap();
    assert_eq!(figures(&since_2022, Some(2)), (0.0, 0, 0), "2021 clearance");
    assert_eq!(figures(&since_2022, None).1, 2);

    let operator = Report::build(
        &store,
        &ReportParams {
            organisation: Some("ORG-OP".into()),
            ..params()
        },
    )
    .unwrap();
    assert_eq!(figures(&operator, Some(1)), (0.0, 0, 0), "another's survey");
    assert_eq!(figures(&operator, None).1, 2);

    let other_area = Report::build(
        &store,
        &ReportParams {
            admin_area: Some("KH02".into()),
            ..params()
        },
    )
    .unwrap();
    assert_eq!(figures(&other_area, None), (0.0, 0, 0));
}

#[test]
fn the_table_and_its_statement_are_in_json_csv_and_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let store = programme(&dir.path().join("p.sqlite"));
    let r = Report::build(&store, &params()).unwrap();
    let t = r.table("land_release_outside_hazards").unwrap();
    assert_eq!(t.title, "Land released outside recorded hazards");
    assert!(
        t.counts
            .contains("not in the hazard-based land-release figures"),
        "{}",
        t.counts
    );

    let json = to_json(&r);
    let j = json["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "land_release_outside_hazards")
        .unwrap();
    assert_eq!(j["counts"], t.counts);
    assert_eq!(j["total"]["activities"], 3);
    assert_eq!(j["total"]["entirely_outside"], 1);
    assert_eq!(j["rows"].as_array().unwrap().len(), 3);

    let mut out = Vec::new();
    write_csv(t, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.trim_end().ends_with(&format!("\"{}\"", t.counts)) || text.contains(&t.counts));

    let path = dir.path().join("r.xlsx");
    write_xlsx(&r, &path).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut book = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut book)
        .unwrap();
    assert!(book.contains("name=\"land_release_outside_hazards\""));
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    assert!(strings.contains(&t.counts));
}
