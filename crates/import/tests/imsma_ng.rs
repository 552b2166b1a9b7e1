//! The IMSMA NG / IMSMA Core mappings: hazards from a `hazard_poly` layer and from an NG "Land"
//! spreadsheet, and land release activities (hazreduc) releasing land of those hazards.

mod common;

use chrono::NaiveDate;
use common::{assert_refused, import, item, items, organisation, store};
use geo::BoundingRect;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use safeground_model::{
    ActivityStatus, ActivityType, AssetType, ContaminationType, HazardClass, HazardStatus,
    ItemKind, Record, ReleaseMethod,
};
use safeground_store::{AsOf, ProgrammeStore, ReportStatus};
use serde_json::json;

const HAZARD_LAYER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/imsma_core_hazard_poly.geojson"
);

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn hazard(store: &safeground_store::SqliteStore, local_id: &str) -> safeground_model::Hazard {
    match item(store, ItemKind::Hazard, local_id).record {
        Record::Hazard(h) => h,
        other => panic!("{other:?}"),
    }
}

#[test]
fn hazard_layer_imports_polygons_dates_and_ng_labels() {
    let mut store = store();
    organisation(&mut store, "ORG-HALO");
    let out = import(&mut store, HAZARD_LAYER.as_ref(), "imsma-ng-hazard", true);
    assert_eq!(out.written.reports, 3, "{:#?}", out.plan.refusals);
    assert_eq!(out.written.approved, 3);
    assert_eq!(out.refused(), ["feature 4", "feature 5"]);
    let r = out.refusal("feature 4");
    assert_eq!(r.local_id.as_deref(), Some("KH02-HA-00015"));
    assert_refused(
        r,
        "class",
        Some("hazardtype"),
        "`Minefield?` is not a known hazard class",
    );
    let r = out.refusal("feature 5");
    assert_refused(
        r,
        "date_of_information",
        Some("dateofinformation"),
        "`31/02/2024` is not a date",
    );

    let cha = hazard(&store, "KH02-HA-00012");
    assert_eq!(cha.name, "Kbal Spean");
    assert_eq!(
        (cha.class, cha.status),
        (HazardClass::Cha, HazardStatus::Open)
    );
    assert_eq!(
        cha.contamination,
        [ContaminationType::ApMines, ContaminationType::AtMines]
    );
    assert_eq!(cha.reported_area_m2, Some(48_000.0));
    assert_eq!(cha.admin_pcode.as_deref(), Some("KH0203"));
    assert_eq!(
        cha.comment.as_deref(),
        Some("Mined rice field east of the pagoda")
    );
    let org = cha.organisation.expect("organisation linked");
    assert!(org.starts_with("ORG-"), "resolved to the item id: {org}");
    let bounds = cha
        .geometry
        .expect("polygon")
        .bounding_rect()
        .expect("bounds");
    let near =
        |a: geo_types::Coord<f64>, x: f64, y: f64| (a.x - x).abs() < 1e-9 && (a.y - y).abs() < 1e-9;
    assert!(
        near(bounds.min(), 102.900, 13.000) && near(bounds.max(), 102.902, 13.002),
        "{bounds:?}"
    );
    let version = item(&store, ItemKind::Hazard, "KH02-HA-00012");
    assert_eq!(
        version.valid_from,
        d("2024-03-15"),
        "d/m/Y date of information"
    );

    let worked_on = hazard(&store, "KH02-HA-00013");
    assert_eq!(
        (worked_on.class, worked_on.status),
        (HazardClass::Sha, HazardStatus::WorkedOn)
    );
    let change = worked_on.status_change.expect("status change");
    assert_eq!(
        (change.reason.as_str(), change.date),
        ("Technical survey started", d("2024-03-20"))
    );
    assert_eq!(worked_on.contamination, [ContaminationType::Cmr]);
    assert_eq!(worked_on.geometry.expect("multipolygon").0.len(), 2);
    assert_eq!(
        item(&store, ItemKind::Hazard, "KH02-HA-00013").valid_from,
        d("2024-04-02")
    );

    let legacy = hazard(&store, "KH02-HA-00014");
    assert_eq!(legacy.class, HazardClass::Cha, "NG's old `Minefield` type");
    assert_eq!(
        legacy.admin_pcode.as_deref(),
        Some("KH02"),
        "province when no district"
    );
}

/// An NG "Land" export as Excel writes it: NG's labels as headers, dates as d/m/Y text or as
/// date cells, no geometry.
fn land_export(path: &std::path::Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Land").expect("sheet");
    let header = [
        "Hazard ID",
        "Hazard Name",
        "Hazard Type",
        "Status",
        "Type Of Contamination",
        "Estimated Area",
        "Province Pcode",
        "District Pcode",
        "Date Of Information",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let rows = [
        [
            "KH03-HA-00101",
            "Phum Thmei",
            "Suspected Hazardous Area",
            "Active",
            "UXO, Cluster Munition",
            "12000",
            "KH03",
            "KH0301",
            "05/02/2024",
        ],
        [
            "KH03-HA-00102",
            "Ou Ta Ki",
            "Confirmed Hazardous Area",
            "Active",
            "AP Mines",
            "5000",
            "KH03",
            "KH0302",
            "",
        ],
        [
            "",
            "Samraong",
            "Indication",
            "Active",
            "UXO",
            "800",
            "KH03",
            "KH0302",
            "07/02/2024",
        ],
        [
            "KH03-HA-00104",
            "Kouk Khpos",
            "Indication",
            "Pending",
            "UXO",
            "800",
            "KH03",
            "KH0302",
            "08/02/2024",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let (r, c) = (r as u32 + 1, c as u16);
            match v.parse::<f64>() {
                Ok(x) => sheet.write_number(r, c, x),
                Err(_) => sheet.write_string(r, c, *v),
            }
            .expect("cell");
        }
    }
    let date = ExcelDateTime::from_ymd(2024, 2, 6).expect("date");
    sheet
        .write_datetime_with_format(2, 8, &date, &Format::new().set_num_format("dd/mm/yyyy"))
        .expect("date cell");
    book.save(path).expect("save");
}

#[test]
fn land_spreadsheet_without_geometry_is_submitted_for_review() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ng_land.xlsx");
    land_export(&path);
    let mut store = store();
    let out = import(&mut store, &path, "imsma-ng-hazard", false);
    assert_eq!(out.written.reports, 2, "{:#?}", out.plan.refusals);
    assert_eq!(out.written.approved, 0);
    assert_eq!(out.refused(), ["row 4", "row 5"]);
    assert_refused(
        out.refusal("row 4"),
        "local_id",
        Some("hazard_localid / imsma_id / hazard_id / localid"),
        "is missing or empty, and a value is required",
    );
    assert_refused(
        out.refusal("row 5"),
        "status",
        Some("Status"),
        "`Pending` is not a known hazard status",
    );
    assert!(
        items(&store, ItemKind::Hazard).is_empty(),
        "nothing approved"
    );
    let submitted = store
        .reports_with_status(ReportStatus::Submitted)
        .expect("submitted");
    assert_eq!(submitted.len(), 2);
    let reports: Vec<_> = submitted
        .iter()
        .map(|id| store.report(*id).expect("report").content)
        .collect();
    assert_eq!(reports[0].date_of_information, d("2024-02-05"));
    assert_eq!(
        reports[1].date_of_information,
        d("2024-02-06"),
        "a date cell"
    );
    let Record::Hazard(h) = &reports[0].entries[0].record else {
        panic!("{:?}", reports[0].entries[0].record)
    };
    assert_eq!((h.class, h.status), (HazardClass::Sha, HazardStatus::Open));
    assert_eq!(
        h.contamination,
        [ContaminationType::Uxo, ContaminationType::Cmr]
    );
    assert_eq!(
        (h.reported_area_m2, h.geometry.as_ref()),
        (Some(12_000.0), None)
    );
    assert_eq!(h.admin_pcode.as_deref(), Some("KH0301"));
}

fn square(x0: f64, y0: f64, dx: f64, dy: f64) -> serde_json::Value {
    json!({"type": "Polygon", "coordinates": [[
        [x0, y0], [x0 + dx, y0], [x0 + dx, y0 + dy], [x0, y0 + dy], [x0, y0]
    ]]})
}

/// A `hazreduc_poly` layer: activities on hazard KH02-HA-00012 (102.900–102.902 E,
/// 13.000–13.002 N), good and bad.
fn hazreduc_layer(path: &std::path::Path) {
    let feature = |id: &str, kind: &str, status: &str, start: &str, end: &str, geometry| {
        json!({"type": "Feature", "properties": {
            "hazreduc_localid": id, "hazard_localid": "KH02-HA-00012", "hazreductype": kind,
            "status": status, "startdate": start, "enddate": end, "deployed_asset": "MDD",
            "area_released": 24000, "organisation_localid": "ORG-HALO",
            "province_pcode": "KH02", "district_pcode": "KH0203"
        }, "geometry": geometry})
    };
    let west = square(102.900, 13.000, 0.001, 0.002);
    let east = square(102.901, 13.000, 0.001, 0.002);
    let mut ts = feature(
        "KH02-TS-0001",
        "Technical Survey",
        "Completed",
        "01/04/2024",
        "10/04/2024",
        west.clone(),
    );
    ts["properties"]["dateofinformation"] = "12/04/2024".into();
    let mut clearance = feature(
        "KH02-CL-0002",
        "Clearance",
        "Completed",
        "11/04/2024",
        "30/04/2024",
        east.clone(),
    );
    clearance["properties"]["deployed_asset"] = "Manual".into();
    clearance["properties"]["clearance_depth"] = "13".into();
    let collection = json!({"type": "FeatureCollection", "features": [
        ts,
        clearance,
        feature("KH02-TS-0003", "Technical Survey", "Ongoing", "2024/13/01", "", west.clone()),
        feature("KH02-TS-0004", "Technical Survey", "Completed", "20/04/2024", "10/04/2024", west.clone()),
        feature("KH02-PR-0005", "Progress Report", "Completed", "01/04/2024", "02/04/2024", serde_json::Value::Null),
        feature("KH02-TS-0006", "Technical Survey", "Postponed", "01/04/2024", "02/04/2024", east),
    ]});
    std::fs::write(path, collection.to_string()).expect("write layer");
}

#[test]
fn hazard_reduction_releases_land_of_the_linked_hazard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = store();
    organisation(&mut store, "ORG-HALO");
    let hazards = import(&mut store, HAZARD_LAYER.as_ref(), "imsma-ng-hazard", true);
    assert_eq!(hazards.written.reports, 3);
    let path = dir.path().join("hazreduc_poly.geojson");
    hazreduc_layer(&path);
    let out = import(&mut store, &path, "imsma-ng-hazard-reduction", true);
    assert_eq!(out.written.reports, 2, "{:#?}", out.plan.refusals);
    assert_eq!(
        out.refused(),
        ["feature 3", "feature 4", "feature 5", "feature 6"]
    );
    assert_refused(
        out.refusal("feature 3"),
        "start_date",
        Some("startdate"),
        "`2024/13/01` is not a date",
    );
    assert_refused(
        out.refusal("feature 4"),
        "end_date",
        Some("enddate"),
        "before the start date",
    );
    assert_refused(
        out.refusal("feature 5"),
        "released_areas[0].geometry",
        None,
        "no geometry",
    );
    assert_refused(
        out.refusal("feature 6"),
        "status",
        Some("status"),
        "`Postponed` is not a known activity status",
    );

    let hazard_id = item(&store, ItemKind::Hazard, "KH02-HA-00012").item;
    let activity = |local_id| match item(&store, ItemKind::Activity, local_id).record {
        Record::Activity(a) => a,
        other => panic!("{other:?}"),
    };
    let ts = activity("KH02-TS-0001");
    assert_eq!(
        (ts.activity_type, ts.status),
        (ActivityType::Ts, ActivityStatus::Completed)
    );
    assert_eq!(
        ts.hazard.as_deref(),
        Some(hazard_id.as_str()),
        "linked by local id"
    );
    assert_eq!(
        (ts.start_date, ts.end_date),
        (Some(d("2024-04-01")), Some(d("2024-04-10")))
    );
    assert_eq!(ts.assets, [AssetType::MineDetectionDog]);
    let released = &ts.released_areas[0];
    assert_eq!(
        released.method,
        ReleaseMethod::Reduced,
        "from the activity type"
    );
    assert_eq!(released.asset_type, Some(AssetType::MineDetectionDog));
    assert_eq!(released.reported_area_m2, Some(24_000.0));
    let cl = activity("KH02-CL-0002");
    assert_eq!(cl.released_areas[0].method, ReleaseMethod::Cleared);
    assert_eq!(cl.released_areas[0].clearance_depth_cm, Some(13));
    assert_eq!(cl.released_areas[0].asset_type, Some(AssetType::Manual));

    let state = store
        .hazard_state(&hazard_id, AsOf::now())
        .expect("state")
        .expect("hazard");
    let near = |a: f64, b: f64| (a - b).abs() < 0.01 * b;
    assert!(near(state.reduced_m2, state.original_m2 / 2.0), "{state:?}");
    assert!(near(state.cleared_m2, state.original_m2 / 2.0), "{state:?}");
    assert!(state.remaining_m2 < 1.0, "{state:?}");
}
