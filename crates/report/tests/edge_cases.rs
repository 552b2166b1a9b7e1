//! Edge cases on small hand-made programmes: overlapping releases, releases recorded in
//! another admin area, a report approved after the as-of point, a re-opened hazard, and the
//! small-number suppression of casualties and victim-assistance services, and the donor
//! filter. Every report is also checked against SQL.
#![allow(clippy::unwrap_used)]

mod common;

use common::programme::{accident, activity, base, hazard, released, service};
use common::{Selection, approve, close, d, rect, update};
use safeground_model::{
    ActivityAtTimeOfAccident as Doing, ActivityType, AssetType, AssistanceType as Va,
    CasualtyOutcome as Out, ContaminationType as C, HazardClass, OrdnanceCategory,
    ReleaseMethod as M, Sex,
};
use safeground_report::{Cell, Report, ReportParams, Table};
use safeground_store::{AsOf, ProgrammeStore, SqliteStore};

fn area(t: &Table, row: usize, key: &str) -> f64 {
    t.cell(row, key).and_then(Cell::area).unwrap()
}

fn total_area(t: &Table, key: &str) -> f64 {
    t.total_cell(key).and_then(Cell::area).unwrap()
}

/// Builds the report and checks it against SQL.
fn report(store: &SqliteStore, path: &std::path::Path, params: ReportParams) -> Report {
    let r = Report::build(store, &params).unwrap();
    let conn = common::sql(
        path,
        store,
        &Selection {
            as_of: params.as_of,
            from: None,
            to: None,
            admin: None,
            organisation: None,
            donor: None,
        },
    );
    common::check::every_table(&r, &conn);
    r
}

#[test]
fn overlapping_releases_count_once_in_the_hazards_admin_area() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    let mut store = base(&path);
    let whole = rect(103.000, 13.000, 103.010, 13.010);
    let reduced = rect(103.000, 13.000, 103.006, 13.010);
    let cleared = rect(103.004, 13.000, 103.010, 13.010);
    approve(
        &mut store,
        "2020-01-10",
        vec![safeground_store::ReportEntry::new(hazard(
            "H1",
            HazardClass::Cha,
            &[C::ApMines],
            "KH01",
            whole.clone(),
        ))],
        false,
    );
    // Both activities say they worked in KH02: the hazard's admin area counts.
    approve(
        &mut store,
        "2020-03-01",
        vec![safeground_store::ReportEntry::new(activity(
            "A1",
            "H1",
            ActivityType::Ts,
            "KH02",
            vec![released(
                M::Reduced,
                Some(AssetType::MineDetectionDog),
                true,
                reduced.clone(),
            )],
        ))],
        false,
    );
    approve(
        &mut store,
        "2020-06-01",
        vec![safeground_store::ReportEntry::new(activity(
            "A2",
            "H1",
            ActivityType::Completion,
            "KH02",
            vec![released(
                M::Cleared,
                Some(AssetType::Manual),
                false,
                cleared.clone(),
            )],
        ))],
        false,
    );
    let r = report(&store, &path, ReportParams::as_of(d("2020-12-31")));
    let geo = safeground_geo::geodesic_area;
    let by_admin = r.table("land_release_by_admin_area").unwrap();
    assert_eq!(by_admin.rows.len(), 1);
    assert_eq!(
        by_admin.cell(0, "admin_pcode"),
        Some(&Cell::Text("KH01".into()))
    );
    assert!(close(
        area(by_admin, 0, "reduced_technical_m2"),
        geo(&reduced)
    ));
    let not_overlapping = geo(&rect(103.006, 13.000, 103.010, 13.010));
    assert!(close(area(by_admin, 0, "cleared_m2"), not_overlapping));
    assert!(close(area(by_admin, 0, "released_m2"), geo(&whole)));
    assert!(
        geo(&reduced) + geo(&cleared) > geo(&whole) * 1.1,
        "the releases overlap"
    );
    let by_asset = r.table("land_release_by_asset").unwrap();
    let col = |k: &str| by_asset.column_index(k).unwrap();
    let dogs = by_asset.row_where("asset", "Mine detection dog").unwrap();
    assert!(close(
        dogs[col("reduced_technical_m2")].area().unwrap(),
        geo(&reduced)
    ));
    let manual = by_asset.row_where("asset", "Manual team").unwrap();
    assert!(close(
        manual[col("cleared_m2")].area().unwrap(),
        not_overlapping
    ));
    assert!(
        r.table("remaining_by_class").unwrap().rows.is_empty(),
        "closed by the completion report"
    );
    let fg = r.table("apmbc_form_f_g").unwrap();
    assert!(close(total_area(fg, "released_m2"), geo(&whole)));
}

#[test]
fn a_report_approved_after_the_as_of_point_counts_only_once_known() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    let mut store = base(&path);
    let whole = rect(103.100, 13.100, 103.105, 13.104);
    let ids = approve(
        &mut store,
        "2023-01-10",
        vec![safeground_store::ReportEntry::new(hazard(
            "H2",
            HazardClass::Sha,
            &[C::ApMines],
            "KH02",
            whole.clone(),
        ))],
        false,
    );
    let before = store.versions(&ids[0]).unwrap()[0].recorded_at;
    approve(
        &mut store,
        "2023-06-01",
        vec![safeground_store::ReportEntry::new(activity(
            "A3",
            "H2",
            ActivityType::Completion,
            "KH02",
            vec![released(
                M::Cleared,
                Some(AssetType::Machine),
                true,
                whole.clone(),
            )],
        ))],
        false,
    );
    let area_whole = safeground_geo::geodesic_area(&whole);
    let as_of = |known_at| ReportParams {
        as_of: AsOf {
            date: d("2023-12-31"),
            known_at,
        },
        ..ReportParams::as_of(d("2023-12-31"))
    };
    let then = report(&store, &path, as_of(Some(before)));
    assert!(then.table("land_release_by_year").unwrap().rows.is_empty());
    let remaining = then.table("remaining_by_class").unwrap();
    assert_eq!(remaining.total_cell("sha_hazards"), Some(&Cell::Count(1)));
    assert!(close(total_area(remaining, "sha_m2"), area_whole));
    let form_c = then.table("apmbc_form_c").unwrap();
    assert_eq!(
        form_c.cell(0, "admin_pcode"),
        Some(&Cell::Text("KH02".into()))
    );
    assert!(close(area(form_c, 0, "sha_m2"), area_whole));

    let now = report(&store, &path, as_of(None));
    let by_year = now.table("land_release_by_year").unwrap();
    assert_eq!(by_year.cell(0, "year"), Some(&Cell::Text("2023".into())));
    assert!(close(area(by_year, 0, "cleared_m2"), area_whole));
    assert!(now.table("remaining_by_class").unwrap().rows.is_empty());
    assert!(now.table("apmbc_form_c").unwrap().rows.is_empty());
}

#[test]
fn a_reopened_hazard_remains_with_its_new_area_and_keeps_its_clearance() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    let mut store = base(&path);
    let first = rect(103.200, 13.200, 103.210, 13.210);
    let grown = rect(103.200, 13.200, 103.220, 13.210);
    let strip = rect(103.210, 13.200, 103.220, 13.210);
    let h = hazard(
        "H3",
        HazardClass::Cha,
        &[C::ApMines, C::AtMines],
        "KH01",
        first.clone(),
    );
    approve(
        &mut store,
        "2020-02-01",
        vec![safeground_store::ReportEntry::new(h)],
        false,
    );
    approve(
        &mut store,
        "2021-03-01",
        vec![safeground_store::ReportEntry::new(activity(
            "A4",
            "H3",
            ActivityType::Completion,
            "KH01",
            vec![released(
                M::Cleared,
                Some(AssetType::Manual),
                false,
                first.clone(),
            )],
        ))],
        false,
    );
    let mut reopened = hazard(
        "H3",
        HazardClass::Cha,
        &[C::ApMines, C::AtMines],
        "KH01",
        grown,
    );
    if let safeground_model::Record::Hazard(h) = &mut reopened {
        h.comment = Some("Re-opened: mines found east of the cleared area".into());
    }
    approve(
        &mut store,
        "2022-05-01",
        vec![update(reopened, "H3")],
        false,
    );

    let geo = safeground_geo::geodesic_area;
    let closed = report(&store, &path, ReportParams::as_of(d("2021-12-31")));
    assert!(closed.table("remaining_by_class").unwrap().rows.is_empty());
    assert!(closed.table("apmbc_form_c").unwrap().rows.is_empty());

    let params = ReportParams {
        treaty_deadline: Some(d("2023-12-31")),
        ..ReportParams::as_of(d("2022-12-31"))
    };
    let open = report(&store, &path, params);
    let remaining = open.table("remaining_by_class").unwrap();
    assert_eq!(remaining.total_cell("cha_hazards"), Some(&Cell::Count(1)));
    assert!(close(total_area(remaining, "cha_m2"), geo(&strip)));
    let by_year = open.table("land_release_by_year").unwrap();
    assert_eq!(by_year.cell(0, "year"), Some(&Cell::Text("2021".into())));
    assert!(close(area(by_year, 0, "cleared_m2"), geo(&first)));
    let by_type = open.table("land_release_by_contamination").unwrap();
    assert_eq!(
        by_type.cell(0, "contamination"),
        Some(&Cell::Text(
            "Anti-personnel mines + Anti-vehicle mines".into()
        ))
    );
    // Progress: 2020–2022 released [0, first, 0]; projected from the mean.
    let progress = open.table("progress").unwrap();
    let mean = geo(&first) / 3.0;
    assert!(close(area(progress, 4, "area_m2"), mean));
    let days = (geo(&strip) / mean * 365.25).ceil() as u64;
    let projected = d("2022-12-31") + chrono::Days::new(days);
    assert_eq!(progress.cell(5, "date"), Some(&Cell::Date(projected)));
    assert_eq!(
        progress.cell(6, "assessment"),
        Some(&Cell::Text(
            if projected <= d("2023-12-31") {
                "met"
            } else {
                "not met"
            }
            .into()
        ))
    );
    let map = &Report::build(&store, &ReportParams::as_of(d("2022-12-31")))
        .unwrap()
        .map;
    assert_eq!(map["features"].as_array().map(Vec::len), Some(1));
    assert_eq!(map["features"][0]["properties"]["class"], "cha");
}

#[test]
fn small_casualty_counts_are_suppressed_and_totals_do_not_reveal_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    let mut store = base(&path);
    let man = |o| (Sex::Male, 30, o, Doing::Farming);
    let boy = |o| (Sex::Male, 12, o, Doing::Playing);
    let woman = |o| (Sex::Female, 40, o, Doing::CollectingWoodOrFood);
    // Farming men: 1 killed, 2 injured (all small).
    let mut first = vec![man(Out::Killed)];
    first.extend([man(Out::Injured), man(Out::Injured)]);
    approve(
        &mut store,
        "2022-03-02",
        accident("ACC-1", "2022-03-01", OrdnanceCategory::ApMine, &first),
        false,
    );
    // Playing boys: 7 injured, none killed.
    approve(
        &mut store,
        "2022-05-02",
        accident(
            "ACC-2",
            "2022-05-01",
            OrdnanceCategory::Uxo,
            &[boy(Out::Injured); 7],
        ),
        false,
    );
    // Women collecting wood: 2 killed, 6 injured.
    let mut third = vec![woman(Out::Killed); 2];
    third.extend([woman(Out::Injured); 6]);
    approve(
        &mut store,
        "2022-08-02",
        accident("ACC-3", "2022-08-01", OrdnanceCategory::ApMine, &third),
        false,
    );
    let open = report(&store, &path, ReportParams::as_of(d("2022-12-31")));
    let t = open.table("casualties").unwrap();
    assert_eq!(t.total_cell("total"), Some(&Cell::Count(18)));

    let params = ReportParams {
        suppression_threshold: Some(5),
        ..ReportParams::as_of(d("2022-12-31"))
    };
    let r = Report::build(&store, &params).unwrap();
    let t = r.table("casualties").unwrap();
    let small = Cell::Suppressed("<5".into());
    let withheld = Cell::Suppressed(safeground_report::WITHHELD.into());
    // Rows in order: female adult, male child, male adult.
    let row = |i: usize| ["killed", "injured", "total"].map(|k| t.cell(i, k).cloned().unwrap());
    assert_eq!(t.cell(0, "sex"), Some(&Cell::Text("Female".into())));
    assert_eq!(row(0), [small.clone(), Cell::Count(6), withheld.clone()]);
    assert_eq!(row(1), [Cell::Count(0), Cell::Count(7), Cell::Count(7)]);
    assert_eq!(row(2), [small.clone(), small.clone(), small.clone()]);
    // Killed 2 + 0 + 1 = 3 (small); injured has one hidden cell (2); all: hidden 2, 1, 2.
    assert_eq!(t.total_cell("killed"), Some(&small));
    assert_eq!(t.total_cell("injured"), Some(&withheld));
    assert_eq!(t.total_cell("total"), Some(&Cell::Count(18)));
    let json = safeground_report::to_json(&r);
    let casualties = json["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "casualties")
        .unwrap();
    let rows = &casualties["rows"];
    assert_eq!(rows[0]["killed"], "<5");
    assert_eq!(rows[1]["killed"], 0);
    assert_eq!(casualties["total"]["injured"], "x");
}

#[test]
fn services_are_counted_by_sex_and_age_suppressed_and_filtered_by_donor() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    let mut store = base(&path);
    // Rehabilitation: three men and a girl; medical care: a group of 8 and six women, the
    // group funded by the donor.
    let mut entries = vec![service(
        "R0",
        "2023-02-01",
        Va::Rehabilitation,
        Sex::Female,
        Some(9),
        1,
        None,
    )];
    for k in 1..4 {
        entries.push(service(
            &format!("R{k}"),
            "2023-02-01",
            Va::Rehabilitation,
            Sex::Male,
            Some(40),
            1,
            None,
        ));
    }
    entries.push(service(
        "M0",
        "2023-03-01",
        Va::MedicalCare,
        Sex::Unknown,
        None,
        8,
        Some("ORG-DON"),
    ));
    entries.push(service(
        "M1",
        "2023-03-01",
        Va::MedicalCare,
        Sex::Female,
        Some(30),
        6,
        None,
    ));
    approve(&mut store, "2023-03-05", entries, false);

    let open = report(&store, &path, ReportParams::as_of(d("2023-12-31")));
    let t = open.table("victim_assistance").unwrap();
    let keys = [
        "services",
        "persons",
        "female",
        "male",
        "sex_unknown",
        "children",
        "adults",
        "age_unknown",
    ];
    let row = |t: &Table, i: usize| keys.map(|k| t.cell(i, k).cloned().unwrap());
    let n = Cell::Count;
    // Rows in vocabulary order: medical care, then rehabilitation.
    assert_eq!(
        t.cell(0, "service"),
        Some(&Cell::Text("Medical care".into()))
    );
    assert_eq!(row(t, 0), [n(2), n(14), n(6), n(0), n(8), n(0), n(6), n(8)]);
    assert_eq!(row(t, 1), [n(4), n(4), n(1), n(3), n(0), n(1), n(3), n(0)]);

    let params = ReportParams {
        suppression_threshold: Some(5),
        ..ReportParams::as_of(d("2023-12-31"))
    };
    let r = Report::build(&store, &params).unwrap();
    let t = r.table("victim_assistance").unwrap();
    let small = Cell::Suppressed("<5".into());
    let withheld = Cell::Suppressed(safeground_report::WITHHELD.into());
    assert_eq!(row(t, 0), [n(2), n(14), n(6), n(0), n(8), n(0), n(6), n(8)]);
    assert_eq!(
        row(t, 1),
        [
            n(4),
            small.clone(),
            small.clone(),
            small.clone(),
            n(0),
            small.clone(),
            small.clone(),
            n(0)
        ]
    );
    let totals = keys.map(|k| t.total_cell(k).cloned().unwrap());
    // Female 6 + <5: withheld; male 0 + 3: small; children 0 + 1: small; adults 6 + <5: withheld.
    assert_eq!(
        totals,
        [
            n(6),
            n(18),
            withheld.clone(),
            small.clone(),
            n(8),
            small,
            withheld,
            n(8)
        ]
    );

    // The donor funded only the group's medical care.
    let params = ReportParams {
        donor: Some("ORG-DON".into()),
        ..ReportParams::as_of(d("2023-12-31"))
    };
    let r = Report::build(&store, &params).unwrap();
    let t = r.table("victim_assistance").unwrap();
    assert_eq!(t.rows.len(), 1);
    assert_eq!(row(t, 0), [n(1), n(8), n(0), n(0), n(8), n(0), n(0), n(8)]);
    let nobody = ReportParams {
        donor: Some("ORG-NOBODY".into()),
        ..ReportParams::as_of(d("2023-12-31"))
    };
    let e = Report::build(&store, &nobody).unwrap_err().to_string();
    assert!(
        e.contains("no donor has the id or local id `ORG-NOBODY`"),
        "{e}"
    );
}
