//! The XLSForm mappings of land: hazardous areas and non-technical surveys from KoboToolbox JSON
//! exports (group paths, repeats, geoshapes), EOD spot tasks from a KoboToolbox XLSX export
//! (the `devices` repeat on its own sheet).

mod common;

use chrono::NaiveDate;
use common::{assert_refused, import, item, items, organisation, store};
use geo::BoundingRect;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use safeground_model::{
    ActivityStatus, ActivityType, ContaminationType, DisposalMethod, EvidenceType, HazardClass,
    HazardStatus, ItemCondition, ItemKind, OrdnanceCategory, Record, ReleaseMethod,
};
use safeground_store::{AsOf, ProgrammeStore, SqliteStore};
use serde_json::{Value, json};

const HAZARD_ID: &str = "HALO-HA-20240301-102200";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// An XLSForm geoshape (`lat lon alt accuracy;…`, closed) of a lon/lat rectangle.
fn geoshape(x0: f64, y0: f64, x1: f64, y1: f64) -> String {
    [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        .iter()
        .map(|(x, y)| format!("{y} {x} 0 0"))
        .collect::<Vec<_>>()
        .join(";")
}

fn kobo_export(path: &std::path::Path, submissions: Vec<Value>) {
    let export = json!({"count": submissions.len(), "next": null, "previous": null,
                        "results": submissions});
    std::fs::write(path, export.to_string()).expect("write export");
}

/// A hazardous-area submission as KoboToolbox exports it (group paths in the keys).
fn hazardous_area(id: &str, name: &str, class: &str, perimeter: &str) -> Value {
    json!({
        "_id": 4400, "start": "2024-03-01T10:22:00.000+07:00", "today": "2024-03-01",
        "test_submission": "no", "organisation": "HALO", "survey_date": "2024-03-01",
        "grp_site/admin_pcode": "KH020305", "grp_site/hazard_name": name,
        "grp_site/perimeter": perimeter, "grp_site/estimated_area_m2": "48000",
        "grp_hazard/hazard_class": class,
        "grp_hazard/evidence": "verbal_information former_records",
        "grp_hazard/contamination": "ap_mines uxo",
        "grp_hazard/comment": "Villagers avoid the field since 1985.",
        "hazard_id": id, "meta/instanceID": format!("uuid:{id}"), "_uuid": id,
    })
}

/// Imports the hazardous areas (one good) into `store`, and checks every refusal.
fn import_hazardous_areas(store: &mut SqliteStore, dir: &std::path::Path) {
    let square = geoshape(102.900, 13.000, 102.902, 13.002);
    let mut test = hazardous_area("HALO-HA-20240301-110000", "Test", "sha", &square);
    test["test_submission"] = "yes".into();
    let mut unnamed = hazardous_area("HALO-HA-20240304-090000", "", "sha", &square);
    unnamed
        .as_object_mut()
        .expect("object")
        .remove("grp_site/hazard_name");
    let path = dir.join("hazardous_area.json");
    kobo_export(
        &path,
        vec![
            hazardous_area(HAZARD_ID, "Kbal Spean", "sha", &square),
            test,
            hazardous_area(
                "HALO-HA-20240302-080000",
                "Ta Kream",
                "cha",
                "13.0 102.9 0 0;13.001 102.9 0 0",
            ),
            hazardous_area("HALO-HA-20240303-080000", "Ou Da", "minefield", &square),
            unnamed,
        ],
    );
    let out = import(store, &path, "xlsform-hazardous-area", true);
    assert_eq!(out.written.reports, 1, "{:#?}", out.plan.refusals);
    assert_eq!(out.plan.skipped, 1, "the test submission");
    assert_eq!(out.refused().len(), 3);
    let label = |n: usize, id: &str| format!("submission {n} ({id})");
    assert_refused(
        out.refusal(&label(3, "HALO-HA-20240302-080000")),
        "geometry",
        Some("grp_site/perimeter"),
        "a geoshape needs at least 3 distinct points",
    );
    assert_refused(
        out.refusal(&label(4, "HALO-HA-20240303-080000")),
        "class",
        Some("grp_hazard/hazard_class"),
        "`minefield` is not a known hazard class",
    );
    assert_refused(
        out.refusal(&label(5, "HALO-HA-20240304-090000")),
        "name",
        Some("hazard_name"),
        "is missing or empty, and a value is required",
    );
}

#[test]
fn hazardous_area_submissions_become_open_hazards() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = store();
    organisation(&mut store, "HALO");
    import_hazardous_areas(&mut store, dir.path());
    let version = item(&store, ItemKind::Hazard, HAZARD_ID);
    assert_eq!(version.valid_from, d("2024-03-01"));
    let Record::Hazard(h) = version.record else {
        panic!("{:?}", version.record)
    };
    assert_eq!(h.name, "Kbal Spean");
    assert_eq!((h.class, h.status), (HazardClass::Sha, HazardStatus::Open));
    assert_eq!(
        h.evidence,
        [EvidenceType::VerbalInformation, EvidenceType::FormerRecords]
    );
    assert_eq!(
        h.contamination,
        [ContaminationType::ApMines, ContaminationType::Uxo]
    );
    assert_eq!(h.reported_area_m2, Some(48_000.0));
    assert!(h.organisation.is_some_and(|o| o.starts_with("ORG-")));
    // The geoshape gives latitude first; the stored polygon is longitude first.
    let bounds = h
        .geometry
        .expect("perimeter")
        .bounding_rect()
        .expect("bounds");
    assert!((bounds.min().x - 102.900).abs() < 1e-9 && (bounds.max().y - 13.002).abs() < 1e-9);
}

/// A non-technical survey submission, with its `cancelled_areas` repeat.
fn nts(id: &str, hazard: &str, start: &str, end: &str, cancelled: &[&str]) -> Value {
    let areas: Vec<Value> = cancelled
        .iter()
        .map(|shape| {
            json!({"cancelled_areas/cancelled_shape": shape,
                   "cancelled_areas/cancelled_area_m2": "24000"})
        })
        .collect();
    json!({
        "start": "2024-03-20T08:00:00.000+07:00", "today": end, "test_submission": "no",
        "organisation": "HALO", "hazard_id": hazard, "admin_pcode": "KH020305",
        "start_date": start, "end_date": end, "nts_status": "completed",
        "cancelled_areas": areas, "nts_id": id, "_uuid": id,
    })
}

#[test]
fn nts_submissions_cancel_land_of_the_hazard_surveyed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = store();
    organisation(&mut store, "HALO");
    import_hazardous_areas(&mut store, dir.path());
    let west = geoshape(102.900, 13.000, 102.901, 13.002);
    let path = dir.path().join("nts.json");
    kobo_export(
        &path,
        vec![
            nts(
                "HALO-NTS-1",
                HAZARD_ID,
                "2024-03-18",
                "2024-03-20",
                &[&west],
            ),
            nts("HALO-NTS-2", "", "2024-03-21", "2024-03-22", &[]),
            nts("HALO-NTS-3", HAZARD_ID, "2024-03-25", "2024-03-24", &[]),
            nts(
                "HALO-NTS-4",
                HAZARD_ID,
                "2024-03-25",
                "2024-03-26",
                &["13.0 abc 0 0"],
            ),
        ],
    );
    let out = import(&mut store, &path, "xlsform-nts", true);
    assert_eq!(out.written.reports, 2, "{:#?}", out.plan.refusals);
    assert_refused(
        out.refusal("submission 3 (HALO-NTS-3)"),
        "end_date",
        Some("end_date"),
        "before the start date",
    );
    assert_refused(
        out.refusal("submission 4 (HALO-NTS-4)"),
        "released_areas[0].geometry",
        Some("cancelled_areas/cancelled_shape"),
        "`abc` is not an angle",
    );

    let hazard = item(&store, ItemKind::Hazard, HAZARD_ID).item;
    let Record::Activity(a) = item(&store, ItemKind::Activity, "HALO-NTS-1").record else {
        panic!("not an activity")
    };
    assert_eq!(
        (a.activity_type, a.status),
        (ActivityType::Nts, ActivityStatus::Completed)
    );
    assert_eq!(a.hazard.as_deref(), Some(hazard.as_str()));
    assert_eq!(
        (a.start_date, a.end_date),
        (Some(d("2024-03-18")), Some(d("2024-03-20")))
    );
    assert_eq!(a.released_areas.len(), 1);
    assert_eq!(a.released_areas[0].method, ReleaseMethod::Cancelled);
    let Record::Activity(b) = item(&store, ItemKind::Activity, "HALO-NTS-2").record else {
        panic!("not an activity")
    };
    assert!(b.released_areas.is_empty() && b.hazard.is_none());
    let state = store
        .hazard_state(&hazard, AsOf::now())
        .expect("state")
        .expect("hazard");
    assert!(
        (state.cancelled_m2 - state.original_m2 / 2.0).abs() < 0.01 * state.original_m2,
        "{state:?}"
    );
}

/// A KoboToolbox XLSX export of spot tasks: the main sheet and the `devices` repeat sheet
/// (`_parent_index` → `_index`), headers with group paths as Kobo writes them.
fn spot_task_export(path: &std::path::Path) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let main = book
        .add_worksheet()
        .set_name("EOD spot task")
        .expect("sheet");
    let header = [
        "start",
        "today",
        "test_submission",
        "organisation",
        "task_date",
        "admin_pcode",
        "gps",
        "_gps_latitude",
        "_gps_longitude",
        "task_id",
        "_uuid",
        "_index",
    ];
    for (c, h) in header.iter().enumerate() {
        main.write_string(0, c as u16, *h).expect("header");
    }
    let tasks = [
        (
            "no",
            "HALO-RO-20240602-083000",
            (2024, 6, 2),
            "13.1021 103.1987 18 5",
        ),
        (
            "no",
            "HALO-RO-20240603-090000",
            (2024, 6, 3),
            "13.2040 103.0511 12 4",
        ),
        (
            "yes",
            "HALO-RO-20240604-070000",
            (2024, 6, 4),
            "13.0 103.0 0 0",
        ),
    ];
    for (i, (test, id, (y, m, day), gps)) in tasks.iter().enumerate() {
        let r = i as u32 + 1;
        let day = ExcelDateTime::from_ymd(*y, *m, *day).expect("date");
        for (c, v) in [
            (0, "2024-06-02T08:30:00.000+07:00"),
            (1, "2024-06-04"),
            (2, *test),
            (3, "HALO"),
            (5, "KH020308"),
            (6, *gps),
            (9, *id),
            (10, *id),
        ] {
            main.write_string(r, c, v).expect("cell");
        }
        main.write_datetime_with_format(r, 4, &day, &date)
            .expect("date");
        main.write_number(r, 11, f64::from(r)).expect("index");
    }
    let devices = book.add_worksheet().set_name("devices").expect("sheet");
    let header = [
        "devices/device_category",
        "devices/device_model",
        "devices/quantity",
        "devices/condition",
        "devices/depth_cm",
        "devices/disposal",
        "devices/destroyed_date",
        "devices/device_gps",
        "_index",
        "_parent_table_name",
        "_parent_index",
    ];
    for (c, h) in header.iter().enumerate() {
        devices.write_string(0, c as u16, *h).expect("header");
    }
    let rows = [
        [
            "uxo",
            "82mm mortar",
            "2",
            "armed",
            "0",
            "destroyed_in_situ",
            "2024-06-02",
            "",
            "1",
        ],
        [
            "ap_mine",
            "PMN-2",
            "1",
            "armed",
            "5",
            "moved_and_destroyed",
            "2024-06-02",
            "13.1025 103.1990 0 0",
            "1",
        ],
        [
            "ap_mine",
            "TM-62",
            "1",
            "unknown",
            "10",
            "not_disposed",
            "",
            "",
            "2",
        ],
        [
            "uxo",
            "60mm mortar",
            "1",
            "armed",
            "0",
            "destroyed_in_situ",
            "2024-06-04",
            "",
            "3",
        ],
    ];
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, v) in row[..8].iter().enumerate() {
            if !v.is_empty() {
                devices.write_string(r, c as u16, *v).expect("cell");
            }
        }
        devices.write_number(r, 8, f64::from(r)).expect("index");
        devices.write_string(r, 9, "EOD spot task").expect("parent");
        devices.write_string(r, 10, row[8]).expect("parent index");
    }
    book.save(path).expect("save");
}

#[test]
fn spot_task_export_gives_a_task_and_its_finds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("eod_spot_task.xlsx");
    spot_task_export(&path);
    let mut store = store();
    organisation(&mut store, "HALO");
    let out = import(&mut store, &path, "xlsform-eo-spot-task", true);
    assert_eq!(out.written.reports, 1, "{:#?}", out.plan.refusals);
    assert_eq!(out.plan.skipped, 1);
    assert_eq!(out.refused(), ["row 3"]);
    assert_refused(
        out.refusal("row 3"),
        "category",
        Some("devices/device_category"),
        "TM-62 is a anti-vehicle mine",
    );

    let task = item(&store, ItemKind::Activity, "HALO-RO-20240602-083000");
    assert_eq!(
        task.valid_from,
        d("2024-06-04"),
        "the day the form was filled"
    );
    let Record::Activity(a) = &task.record else {
        panic!("{:?}", task.record)
    };
    assert_eq!(
        (a.activity_type, a.status),
        (ActivityType::EodSpotTask, ActivityStatus::Completed)
    );
    assert_eq!(
        (a.start_date, a.end_date),
        (Some(d("2024-06-02")), Some(d("2024-06-02")))
    );
    let finds = items(&store, ItemKind::EoFind);
    assert_eq!(finds.len(), 2);
    let find = |i: usize| match &finds[i].record {
        Record::EoFind(f) => f.clone(),
        other => panic!("{other:?}"),
    };
    let mortar = find(0);
    assert_eq!(mortar.local_id, "HALO-RO-20240602-083000-EO1");
    assert_eq!(
        mortar.activity.as_deref(),
        Some(task.item.as_str()),
        "linked to the task"
    );
    assert_eq!(
        (mortar.category, mortar.model.as_deref(), mortar.quantity),
        (OrdnanceCategory::Uxo, Some("82mm mortar"), 2)
    );
    assert_eq!(mortar.condition, Some(ItemCondition::Armed));
    assert_eq!(mortar.disposal, Some(DisposalMethod::DestroyedInSitu));
    assert_eq!(
        (mortar.found_date, mortar.destroyed_date),
        (Some(d("2024-06-02")), Some(d("2024-06-02")))
    );
    let at_task = mortar.location.expect("the task's point");
    assert_eq!((at_task.x(), at_task.y()), (103.1987, 13.1021), "lon, lat");
    let mine = find(1);
    assert_eq!(
        (mine.category, mine.depth_cm),
        (OrdnanceCategory::ApMine, Some(5))
    );
    let own = mine.location.expect("its own point");
    assert_eq!((own.x(), own.y()), (103.1990, 13.1025));
}
