//! The programme archive: the demo programme exported as a full GeoPackage and restored into
//! an empty database gives the same items, versions, hazard states and land-release summary;
//! GDAL opens the archive without warnings.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use chrono::Utc;
use safeground_io::{COLLECTIONS, Filter, Format, PersonalData, export_geopackage};
use safeground_model::ItemKind;
use safeground_store::{
    AccountStore, ApproveOptions, AsOf, NewAccount, ProgrammeStore, Role, SqliteStore,
};

fn demo(path: &std::path::Path) -> SqliteStore {
    let mut store = SqliteStore::create(path).unwrap();
    let programme = safeground_demo::generate(30, 11, Utc::now().date_naive());
    for id in store.submit_batch("t", &programme.reports).unwrap() {
        store
            .approve_report("t", id, &ApproveOptions::default())
            .unwrap();
    }
    store
        .add_account(
            "t",
            &NewAccount {
                username: "va".into(),
                display_name: "Victim assistance".into(),
                organisation: "ORG-CMAA".into(),
                role: Role::VictimAssistance,
                password_hash: "not-a-hash".into(),
            },
        )
        .unwrap();
    store
}

/// Asserts that `b` holds the same programme as `a` (transaction times aside).
fn assert_same_programme(a: &SqliteStore, b: &SqliteStore) -> usize {
    let mut versions = 0;
    for &kind in ItemKind::ALL {
        let ids = a.items_of_kind(kind).unwrap();
        assert_eq!(ids, b.items_of_kind(kind).unwrap(), "{kind:?} ids");
        for id in &ids {
            let (va, vb) = (a.versions(id).unwrap(), b.versions(id).unwrap());
            assert_eq!(va.len(), vb.len(), "versions of {id}");
            for (x, y) in va.iter().zip(&vb) {
                assert_eq!(x.valid_from, y.valid_from, "{id}");
                assert_eq!(x.record, y.record, "{id}");
            }
            versions += va.len();
            if kind == ItemKind::Hazard {
                let (sa, sb) = (
                    a.hazard_state(id, AsOf::now()).unwrap().unwrap(),
                    b.hazard_state(id, AsOf::now()).unwrap().unwrap(),
                );
                assert_eq!(sa, sb, "state of {id}");
            }
        }
    }
    assert_eq!(
        a.land_release_summary(AsOf::now()).unwrap(),
        b.land_release_summary(AsOf::now()).unwrap()
    );
    versions
}

fn gdal_opens_without_warnings(path: &std::path::Path) {
    let present = Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var("SAFEGROUND_REQUIRE_GDAL").is_err(),
            "SAFEGROUND_REQUIRE_GDAL is set but ogrinfo is missing"
        );
        eprintln!("skipped the GDAL check: ogrinfo (Debian gdal-bin) is not installed");
        return;
    }
    let out = Command::new("ogrinfo")
        .args(["-ro", "-al", "-so"])
        .arg(path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ogrinfo failed: {stderr}");
    assert!(
        !stderr.contains("Warning") && !stderr.contains("ERROR"),
        "GDAL complained: {stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Layer name: safeground_reports"),
        "{stdout}"
    );
    // Every row reads, the JSON content included.
    let rows = Command::new("ogrinfo")
        .args(["-ro", "-q", "-geom=NO"])
        .arg(path)
        .arg("safeground_reports")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&rows.stderr);
    assert!(
        rows.status.success() && !stderr.contains("Warning") && !stderr.contains("ERROR"),
        "GDAL on the archive rows: {stderr}"
    );
}

#[test]
fn the_full_geopackage_restores_the_programme_into_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let source = demo(&dir.path().join("source.sqlite"));
    let gpkg = dir.path().join("programme.gpkg");
    let all: Vec<_> = COLLECTIONS.iter().collect();
    let counts = export_geopackage(&source, &all, &Filter::default(), None, &gpkg).unwrap();
    let approved = source
        .reports_with_status(safeground_store::ReportStatus::Approved)
        .unwrap();
    assert_eq!(
        counts.last(),
        Some(&(safeground_io::archive::TABLE, approved.len() as u64))
    );
    eprintln!(
        "archive of {} approved reports: {} bytes",
        approved.len(),
        std::fs::metadata(&gpkg).unwrap().len()
    );
    gdal_opens_without_warnings(&gpkg);

    let archived = safeground_io::read_archive(&gpkg).unwrap().unwrap();
    assert_eq!(archived.len(), approved.len());
    assert!(
        archived
            .windows(2)
            .all(|w| w[0].decided_at <= w[1].decided_at),
        "approval order"
    );
    let mut target = SqliteStore::create(&dir.path().join("restored.sqlite")).unwrap();
    let summary = safeground_io::restore(&mut target, "migration", &archived).unwrap();
    assert_eq!(summary.reports, approved.len());
    assert_eq!(summary.personal_data, 0, "no personal data without a grant");
    let versions = assert_same_programme(&source, &target);
    assert_eq!(summary.versions, versions);
    assert!(target.check_consistency().unwrap().is_empty());
    let victim = &target.items_of_kind(ItemKind::Victim).unwrap()[0];
    assert_eq!(
        target
            .victim_personal_data("t", victim, AsOf::now())
            .unwrap(),
        None
    );
    // Restored reports are approved by the restoring actor, now.
    let first = target.report(1).unwrap();
    assert_eq!(first.decided_by.as_deref(), Some("migration"));

    // A second restore into the same database is refused, and nothing changes.
    let err = safeground_io::restore(&mut target, "migration", &archived).unwrap_err();
    assert!(err.to_string().contains("empty database"), "{err}");
    // A GeoPackage without the archive reads as None.
    let hazards = dir.path().join("hazards.gpkg");
    export_geopackage(&source, &all[..1], &Filter::default(), None, &hazards).unwrap();
    assert!(safeground_io::read_archive(&hazards).unwrap().is_none());
}

#[test]
fn with_a_grant_the_archive_carries_victims_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = demo(&dir.path().join("source.sqlite"));
    let pd = PersonalData::load(&mut source, "va", Format::GeoPackage).unwrap();
    let gpkg = dir.path().join("programme.gpkg");
    let all: Vec<_> = COLLECTIONS.iter().collect();
    export_geopackage(&source, &all, &Filter::default(), Some(&pd), &gpkg).unwrap();
    gdal_opens_without_warnings(&gpkg);
    let archived = safeground_io::read_archive(&gpkg).unwrap().unwrap();
    let mut target = SqliteStore::create(&dir.path().join("restored.sqlite")).unwrap();
    let summary = safeground_io::restore(&mut target, "migration", &archived).unwrap();
    assert!(summary.personal_data > 0);
    assert_same_programme(&source, &target);
    for victim in source.items_of_kind(ItemKind::Victim).unwrap() {
        assert_eq!(
            source
                .victim_personal_data("va", &victim, AsOf::now())
                .unwrap(),
            target
                .victim_personal_data("va", &victim, AsOf::now())
                .unwrap(),
            "{victim}"
        );
    }
}
