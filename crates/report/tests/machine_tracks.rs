//! Machine and robot tracks in the programme report (issue 28: "processed is not cleared, the
//! UI and reports show both"): each track of an activity dated in the period and selection,
//! its processed area and coverage beside the area its approved report cleared (the geodesic
//! area of the cleared rectangle); the period, the organisation and the known-at time select
//! them; CSV and XLSX carry the table.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;

use chrono::{DateTime, Utc};
use common::programme::{self, hazard, released};
use common::{approve, close, d, rect};
use geo_types::{MultiLineString, MultiPolygon};
use safeground_geo::geodesic_area;
use safeground_model::{ActivityType, ContaminationType, HazardClass, Record, ReleaseMethod};
use safeground_report::{Cell, Report, ReportParams, TRACKS_TABLE, Table, write_csv, write_xlsx};
use safeground_store::evidence::NewTrack;
use safeground_store::{EvidenceStore, ReportEntry, SqliteStore};

/// A completed clearance of H1 by `organisation` that cleared `cleared`.
fn clearance(local_id: &str, organisation: &str, cleared: MultiPolygon<f64>) -> ReportEntry {
    let released = vec![released(ReleaseMethod::Cleared, None, false, cleared)];
    let mut a = match programme::activity(local_id, "H1", ActivityType::Clearance, "KH01", released)
    {
        Record::Activity(a) => a,
        _ => unreachable!(),
    };
    a.organisation = Some(organisation.into());
    ReportEntry::new(Record::Activity(a))
}

/// A track of `machine` for `activity` that processed `processed_m2`, `coverage_pct` % of it.
fn track(
    activity: &str,
    machine: &str,
    kind: &str,
    processed_m2: f64,
    coverage_pct: f64,
) -> NewTrack {
    let started: DateTime<Utc> = "2021-05-20T07:00:00Z".parse().unwrap();
    NewTrack {
        activity: activity.into(),
        machine: machine.into(),
        kind: kind.into(),
        working_width_m: 2.2,
        source_name: format!("{machine}.gpx"),
        format: "gpx".into(),
        fixes: 100,
        fixes_used: 98,
        dropped: serde_json::json!({"zero_zero": 2}),
        task_m2: processed_m2 * 100.0 / coverage_pct,
        processed_m2,
        processed_outside_m2: 0.0,
        coverage_pct,
        overlap_m2: 0.0,
        gap_m2: 0.0,
        engaged_length_m: processed_m2 / 2.2,
        started_at: Some(started),
        ended_at: Some(started + chrono::Duration::hours(3)),
        task: rect(103.0, 13.0, 103.001, 13.001),
        processed: rect(103.0, 13.0, 103.001, 13.001),
        gaps: MultiPolygon(Vec::new()),
        overlaps: MultiPolygon(Vec::new()),
        line: MultiLineString(Vec::new()),
        organisation: None,
    }
}

const CLEARED_2021: (f64, f64, f64, f64) = (103.001, 13.001, 103.004, 13.003);
const CLEARED_2023: (f64, f64, f64, f64) = (103.005, 13.005, 103.006, 13.008);

/// H1; a clearance by ORG-OP (2021) with a flail and a robot track, one by ORG-DON (2023) with
/// a flail track; the instant between the approvals and the tracks.
fn programme(path: &std::path::Path) -> (SqliteStore, DateTime<Utc>) {
    let mut store = programme::base(path);
    let shape = |r: (f64, f64, f64, f64)| rect(r.0, r.1, r.2, r.3);
    approve(
        &mut store,
        "2020-01-01",
        vec![ReportEntry::new(hazard(
            "H1",
            HazardClass::Cha,
            &[ContaminationType::ApMines],
            "KH01",
            rect(103.00, 13.00, 103.01, 13.01),
        ))],
        false,
    );
    approve(
        &mut store,
        "2021-06-01",
        vec![clearance("A-2021", "ORG-OP", shape(CLEARED_2021))],
        false,
    );
    approve(
        &mut store,
        "2023-05-01",
        vec![clearance("A-2023", "ORG-DON", shape(CLEARED_2023))],
        false,
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    let before_tracks = Utc::now();
    std::thread::sleep(std::time::Duration::from_millis(20));
    for t in [
        track("A-2021", "Flail MV-4 #2", "machine", 20_512.25, 61.5),
        track("A-2021", "Robot R-1", "robot", 3_100.0, 9.3),
        track("A-2023", "Flail MV-4 #3", "machine", 30_000.0, 92.0),
    ] {
        store.add_track("t", &t).unwrap();
    }
    (store, before_tracks)
}

/// (activity, machine, kind, processed, coverage, cleared) of each row.
fn rows(t: &Table) -> Vec<(String, String, String, f64, f64, f64)> {
    (0..t.rows.len())
        .map(|i| {
            let text = |k: &str| t.cell(i, k).unwrap().text().unwrap().to_owned();
            let Cell::Percent(cov) = t.cell(i, "coverage_pct").unwrap() else {
                panic!("coverage of row {i}");
            };
            (
                text("activity"),
                text("machine"),
                text("kind"),
                t.cell(i, "processed_m2").unwrap().area().unwrap(),
                *cov,
                t.cell(i, "cleared_by_report_m2").unwrap().area().unwrap(),
            )
        })
        .collect()
}

#[test]
fn each_track_stands_beside_the_area_its_report_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = programme(&dir.path().join("p.sqlite"));
    let r = Report::build(&store, &ReportParams::as_of(d("2024-12-31"))).unwrap();
    let t = r.table(TRACKS_TABLE).unwrap();
    assert!(t.total.is_none(), "processed never adds up to cleared");
    assert!(t.notes.iter().any(|n| n.contains("IMAS 09.50")));
    assert!(t.counts.contains("known-at"), "{}", t.counts);
    let mut got = rows(t);
    got.sort_by(|a, b| a.1.cmp(&b.1));
    let area = |r: (f64, f64, f64, f64)| geodesic_area(&rect(r.0, r.1, r.2, r.3));
    let want = [
        (
            "A-2021",
            "Flail MV-4 #2",
            "Machine",
            20_512.25,
            61.5,
            area(CLEARED_2021),
        ),
        (
            "A-2023",
            "Flail MV-4 #3",
            "Machine",
            30_000.0,
            92.0,
            area(CLEARED_2023),
        ),
        (
            "A-2021",
            "Robot R-1",
            "Robot",
            3_100.0,
            9.3,
            area(CLEARED_2021),
        ),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!((g.0.as_str(), g.1.as_str(), g.2.as_str()), (w.0, w.1, w.2));
        assert!(
            close(g.3, w.3) && close(g.4, w.4) && close(g.5, w.5),
            "{g:?} {w:?}"
        );
    }
    // Independently: the 2021 rectangle is 0.003° × 0.002° at 13° N, about 325 m × 221 m.
    assert!(
        (area(CLEARED_2021) - 71_900.0).abs() < 700.0,
        "{}",
        area(CLEARED_2021)
    );
    // The first fix's day.
    assert_eq!(t.cell(0, "first_fix"), Some(&Cell::Date(d("2021-05-20"))));
}

#[test]
fn the_period_the_organisation_and_the_known_at_time_select_the_tracks() {
    let dir = tempfile::tempdir().unwrap();
    let (store, before_tracks) = programme(&dir.path().join("p.sqlite"));
    let machines = |p: &ReportParams| {
        let r = Report::build(&store, p).unwrap();
        let mut m: Vec<String> = rows(r.table(TRACKS_TABLE).unwrap())
            .into_iter()
            .map(|r| r.1)
            .collect();
        m.sort();
        m
    };
    let mut p = ReportParams::as_of(d("2024-12-31"));
    p.from = Some(d("2022-01-01"));
    assert_eq!(machines(&p), ["Flail MV-4 #3"]);
    let mut p = ReportParams::as_of(d("2024-12-31"));
    p.organisation = Some("ORG-OP".into());
    assert_eq!(machines(&p), ["Flail MV-4 #2", "Robot R-1"]);
    // As of a day before the 2023 clearance's report: its track is not there either.
    assert_eq!(
        machines(&ReportParams::as_of(d("2022-12-31"))),
        ["Flail MV-4 #2", "Robot R-1"]
    );
    // As known before the tracks were stored: none, with the activities still reported.
    let mut p = ReportParams::as_of(d("2024-12-31"));
    p.as_of.known_at = Some(before_tracks);
    assert!(machines(&p).is_empty());
    let r = Report::build(&store, &p).unwrap();
    assert!(
        r.table("land_release_by_year")
            .is_some_and(|t| !t.rows.is_empty())
    );
}

#[test]
fn csv_and_xlsx_carry_the_tracks() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = programme(&dir.path().join("p.sqlite"));
    let r = Report::build(&store, &ReportParams::as_of(d("2024-12-31"))).unwrap();
    let mut csv = Vec::new();
    write_csv(r.table(TRACKS_TABLE).unwrap(), &mut csv).unwrap();
    let text = String::from_utf8(csv).unwrap();
    assert!(
        text.contains("Flail MV-4 #2") && text.contains("20512.25"),
        "{text}"
    );
    let xlsx = dir.path().join("r.xlsx");
    write_xlsx(&r, &xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    assert!(strings.contains("Robot R-1"), "the XLSX has no track row");
    assert!(strings.contains("Processed is not cleared (IMAS 09.50)"));
}
