//! `safeground export`: filters (`--bbox`, `--datetime`, `--where`), the victims export, and
//! victims' personal data only for an enabled victim-assistance account.

mod common;

use common::{ok, s, safeground};
use safeground_model::ItemKind;
use safeground_store::{AccountStore, AsOf, ProgrammeStore, SqliteStore};

fn demo(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("d.sqlite");
    ok(&["demo", "--db", s(&db), "--hazards", "20", "--no-serve"]);
    db
}

fn features(path: &std::path::Path) -> Vec<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    v["features"].as_array().expect("features").clone()
}

fn refused(args: &[&str], says: &str) {
    let out = safeground(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(stderr.contains(says), "{args:?}: {stderr}");
}

#[test]
fn export_filters_with_bbox_datetime_and_where() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = demo(dir.path());
    let cha = dir.path().join("cha.geojson");
    let out = ok(&[
        "export",
        s(&db),
        "--collection",
        "hazards",
        "--where",
        "class=cha",
        "--where",
        "admin_pcode=KH02",
        "--out",
        s(&cha),
    ]);
    assert!(out.contains("hazards: "), "{out}");
    let kept = features(&cha);
    assert!(kept.len() < 20);
    assert!(
        kept.iter()
            .all(|f| f["properties"]["class"] == "cha" && f["properties"]["admin_pcode"] == "KH02")
    );
    // bbox and datetime; a GeoPackage of every collection takes them too.
    let all = dir.path().join("all.geojson");
    ok(&[
        "export",
        s(&db),
        "--collection",
        "hazards",
        "--out",
        s(&all),
    ]);
    let first = &features(&all)[0];
    let c = &first["geometry"]["coordinates"][0][0][0];
    let (x, y) = (c[0].as_f64().expect("x"), c[1].as_f64().expect("y"));
    let bbox = format!("{},{},{},{}", x - 1e-4, y - 1e-4, x + 1e-4, y + 1e-4);
    let near = dir.path().join("near.geojson");
    ok(&[
        "export",
        s(&db),
        "--collection",
        "hazards",
        "--bbox",
        &bbox,
        "--datetime",
        "2015-01-01/..",
        "--out",
        s(&near),
    ]);
    let near = features(&near);
    assert!(!near.is_empty() && near.len() < 20);
    assert!(near.iter().any(|f| f["id"] == first["id"]));
    let gpkg = dir.path().join("near.gpkg");
    let out = ok(&[
        "export",
        s(&db),
        "--format",
        "gpkg",
        "--bbox",
        &bbox,
        "--out",
        s(&gpkg),
    ]);
    assert!(
        !out.contains("safeground_reports"),
        "a filtered export is no archive: {out}"
    );
    // Refusals name the parameter.
    let base = ["export", s(&db), "--collection", "hazards", "--out", "-"];
    refused(
        &[&base[..], &["--where", "colour=red"]].concat(),
        "no queryable `colour`",
    );
    refused(&[&base[..], &["--where", "class"]].concat(), "NAME=VALUE");
    refused(&[&base[..], &["--bbox", "1,2,3"]].concat(), "bbox `1,2,3`");
    refused(
        &[&base[..], &["--datetime", "soon"]].concat(),
        "datetime `soon`",
    );
    let other = dir.path().join("x.gpkg");
    refused(
        &[
            "export",
            s(&db),
            "--format",
            "gpkg",
            "--where",
            "class=cha",
            "--out",
            s(&other),
        ],
        "--where needs one --collection",
    );
}

fn names(db: &std::path::Path) -> Vec<String> {
    let mut store = SqliteStore::open(db).expect("open");
    let mut out = Vec::new();
    for v in store.items_of_kind(ItemKind::Victim).expect("victims") {
        if let Some(p) = store
            .victim_personal_data("test", &v, AsOf::now())
            .expect("read")
        {
            out.push(p.full_name);
        }
    }
    assert!(!out.is_empty());
    out
}

/// Every text cell of a GeoPackage table.
fn table_text(gpkg: &std::path::Path, table: &str) -> String {
    let conn = rusqlite::Connection::open(gpkg).expect("open");
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table}"))
        .expect("table");
    let n = stmt.column_count();
    let mut rows = stmt.query([]).expect("query");
    let mut text = String::new();
    while let Some(row) = rows.next().expect("row") {
        for i in 0..n {
            if let Ok(v) = row.get::<_, String>(i) {
                text.push_str(&v);
            }
        }
    }
    text
}

#[test]
fn victims_personal_data_only_for_a_victim_assistance_account() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = demo(dir.path());
    let names = names(&db);
    let out = |name: &str| dir.path().join(name);
    // Without personal data: any export, no names.
    let plain = out("victims.geojson");
    ok(&[
        "export",
        s(&db),
        "--collection",
        "victims",
        "--out",
        s(&plain),
    ]);
    let text = std::fs::read_to_string(&plain).expect("read");
    assert!(names.iter().all(|n| !text.contains(n.as_str())));
    let csv = ok(&[
        "export",
        s(&db),
        "--collection",
        "victims",
        "--format",
        "csv",
        "--out",
        "-",
    ]);
    assert!(names.iter().all(|n| !csv.contains(n.as_str())));
    let archive = out("plain.gpkg");
    ok(&["export", s(&db), "--format", "gpkg", "--out", s(&archive)]);
    let reports = table_text(&archive, "safeground_reports");
    assert!(names.iter().all(|n| !reports.contains(n.as_str())));

    // Refusals.
    let pd = |user: &str, format: &str, file: &std::path::Path| {
        vec![
            "export".to_owned(),
            s(&db).to_owned(),
            "--collection".into(),
            "victims".into(),
            "--format".into(),
            format.into(),
            "--personal-data".into(),
            "--as".into(),
            user.into(),
            "--out".into(),
            s(file).to_owned(),
        ]
    };
    let target = out("pd.xlsx");
    let run = |args: Vec<String>, says: &str| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&args, says);
    };
    run(
        pd("admin", "xlsx", &target),
        "only a victim_assistance account",
    );
    run(pd("nobody", "xlsx", &target), "no account `nobody`");
    run(
        pd("va-officer", "csv", &out("pd.csv")),
        "HXL exports never carry personal data",
    );
    run(
        pd("va-officer", "xlsx", std::path::Path::new("-")),
        "never to standard output",
    );
    ok(&["users", "disable", s(&db), "va-officer"]);
    run(pd("va-officer", "xlsx", &target), "disabled");
    ok(&["users", "enable", s(&db), "va-officer"]);
    refused(
        &[
            "export",
            s(&db),
            "--collection",
            "victims",
            "--personal-data",
            "--out",
            s(&target),
        ],
        "--as",
    );
    refused(
        &[
            "export",
            s(&db),
            "--collection",
            "hazards",
            "--personal-data",
            "--as",
            "va-officer",
            "--out",
            s(&target),
        ],
        "--personal-data goes with --collection victims",
    );
    assert!(!target.exists());
    let store = SqliteStore::open(&db).expect("open");
    let audited = |store: &SqliteStore| {
        store
            .audit_log()
            .expect("log")
            .into_iter()
            .filter(|e| e.action == "export.personal_data")
            .collect::<Vec<_>>()
    };
    assert!(audited(&store).is_empty());

    // The allowed path: geojson, xlsx and gpkg of the victims, and the archive.
    let geojson = out("pd.geojson");
    let args = pd("va-officer", "geojson", &geojson);
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let text = std::fs::read_to_string(&geojson).expect("read");
    assert!(names.iter().all(|n| text.contains(n.as_str())));
    let args = pd("va-officer", "xlsx", &target);
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let gpkg = out("pd.gpkg");
    let args = pd("va-officer", "gpkg", &gpkg);
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let text = table_text(&gpkg, "victims");
    assert!(names.iter().all(|n| text.contains(n.as_str())));
    let full = out("full.gpkg");
    let printed = ok(&[
        "export",
        s(&db),
        "--format",
        "gpkg",
        "--personal-data",
        "--as",
        "va-officer",
        "--out",
        s(&full),
    ]);
    assert!(printed.contains("safeground_reports:"), "{printed}");
    let reports = table_text(&full, "safeground_reports");
    assert!(names.iter().all(|n| reports.contains(n.as_str())));
    let log = audited(&store);
    assert_eq!(log.len(), 4, "{log:?}");
    assert!(log.iter().all(|e| e.actor == "va-officer"));
    assert!(store.account("va-officer").expect("account").is_some());
}
