//! The demo's land-release summary equals an independent recomputation from the stored
//! versions: plain SQL over the version table, `geo`'s boolean operations and GeographicLib's
//! polygon area — none of the store's or safeground-geo's code paths.

mod common;
use std::collections::{BTreeMap, HashMap};

use common::{ok, s};
use geo::BooleanOps;
use geo::geometry::MultiPolygon;
use geo_traits::GeometryTrait;
use geo_traits::to_geo::ToGeoMultiPolygon;
use geographiclib_rs::{Geodesic, PolygonArea, Winding};
use safeground_model::{ActivityStatus, ActivityType, HazardClass, Record, ReleaseMethod};

fn geodesic_area(mp: &MultiPolygon<f64>) -> f64 {
    let g = Geodesic::wgs84();
    let ring_area = |ring: &geo::LineString<f64>| {
        let mut pa = PolygonArea::new(&g, Winding::CounterClockwise);
        for c in &ring.0[..ring.0.len().saturating_sub(1)] {
            pa.add_point(c.y, c.x);
        }
        let (_, area, _) = pa.compute(true);
        area.abs()
    };
    mp.0.iter()
        .map(|p| ring_area(p.exterior()) - p.interiors().iter().map(ring_area).sum::<f64>())
        .sum()
}

#[derive(Default, Debug)]
struct Row {
    hazards: u64,
    suspected: f64,
    confirmed: f64,
    cancelled: f64,
    reduced: f64,
    cleared: f64,
    remaining: f64,
}

#[test]
fn demo_summary_equals_independent_recomputation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite");
    let out = ok(&[
        "demo",
        "--db",
        s(&db),
        "--hazards",
        "250",
        "--seed",
        "7",
        "--no-serve",
    ]);
    assert!(out.contains("Land release by admin area"), "{out}");
    // One demo user per role, each with a printed password that logs in.
    for (user, role) in [
        ("admin", "administrator"),
        ("approver", "approver"),
        ("reviewer", "reviewer"),
        ("halo-entry", "data_entry"),
        ("mag-viewer", "viewer"),
        ("va-officer", "victim_assistance"),
    ] {
        let users = &out[out.find("Demo users").expect("users printed")..];
        let line = users
            .lines()
            .find(|l| l.split_whitespace().next() == Some(user))
            .unwrap_or_else(|| panic!("{user} not printed:\n{out}"));
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[1], role, "{line}");
        let hash = rusqlite::Connection::open(&db)
            .expect("open")
            .query_row(
                "SELECT password_hash FROM account WHERE username = ?1",
                [user],
                |r| r.get::<_, String>(0),
            )
            .expect("account stored");
        assert!(
            safeground_server::auth::password::verify_password(fields[3], &hash),
            "printed password of {user} logs in"
        );
    }
    ok(&["check", s(&db)]);

    // Latest version of every item (greatest date of information, then approval time).
    let conn = rusqlite::Connection::open(&db).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT v.item_id, v.valid_from, v.recorded_at, v.record, v.geometry \
             FROM item_version v \
             WHERE NOT EXISTS (SELECT 1 FROM item_version w WHERE w.item_id = v.item_id AND \
             (w.valid_from > v.valid_from OR (w.valid_from = v.valid_from AND w.recorded_at > v.recorded_at)))",
        )
        .expect("prepare");
    let latest: Vec<(String, String, String, Record)> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<Vec<u8>>>(4)?,
            ))
        })
        .expect("query")
        .map(|r| {
            let (id, from, at, json, wkb) = r.expect("row");
            let mut record: Record = serde_json::from_str(&json).expect("record");
            // A hazard's polygons are stored apart from its record, as WKB.
            if let (Record::Hazard(h), Some(wkb)) = (&mut record, wkb) {
                let geometry = wkb::reader::read_wkb(&wkb).expect("WKB");
                let geo_traits::GeometryType::MultiPolygon(mp) = geometry.as_type() else {
                    panic!("{id}: polygons stored as another geometry type")
                };
                h.geometry = Some(mp.to_multi_polygon());
            }
            (id, from, at, record)
        })
        .collect();
    let mut activities: HashMap<String, Vec<(String, String, &safeground_model::Activity)>> =
        HashMap::new();
    for (_, from, at, record) in &latest {
        if let Record::Activity(a) = record
            && let Some(h) = &a.hazard
        {
            activities
                .entry(h.clone())
                .or_default()
                .push((from.clone(), at.clone(), a));
        }
    }

    let mut expected: BTreeMap<String, Row> = BTreeMap::new();
    let mut released_total = 0usize;
    for (id, from, _, record) in &latest {
        let Record::Hazard(h) = record else { continue };
        let geometry = h.geometry.clone().expect("demo hazards have polygons");
        let original = geodesic_area(&geometry);
        let mut acts = activities.remove(id).unwrap_or_default();
        acts.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let mut row = Row::default();
        let mut remaining = geometry.clone();
        let mut class = h.class;
        for (act_from, _, a) in &acts {
            if matches!(a.status, ActivityStatus::Planned | ActivityStatus::Aborted) {
                continue;
            }
            for r in &a.released_areas {
                released_total += 1;
                // Released polygons really lie inside their hazard.
                let outside = geodesic_area(&r.geometry.difference(&geometry));
                assert!(
                    outside <= 1e-6 * geodesic_area(&r.geometry) + 1e-3,
                    "{}: released area {} has {outside} m² outside its hazard",
                    id,
                    a.local_id
                );
                let next = remaining.difference(&r.geometry);
                let credit = geodesic_area(&remaining) - geodesic_area(&next);
                match r.method {
                    ReleaseMethod::Cancelled => row.cancelled += credit,
                    ReleaseMethod::Reduced => row.reduced += credit,
                    ReleaseMethod::Cleared => row.cleared += credit,
                }
                remaining = next;
            }
            if act_from >= from
                && class == HazardClass::Sha
                && matches!(
                    a.activity_type,
                    ActivityType::Ts | ActivityType::Clearance | ActivityType::Progress
                )
            {
                class = HazardClass::Cha;
            }
        }
        row.hazards = 1;
        if matches!(class, HazardClass::Sha | HazardClass::Indication) {
            row.suspected = original;
        } else {
            row.confirmed = original;
        }
        row.remaining = geodesic_area(&remaining);
        let e = expected
            .entry(h.admin_pcode.clone().unwrap_or_default())
            .or_default();
        e.hazards += row.hazards;
        e.suspected += row.suspected;
        e.confirmed += row.confirmed;
        e.cancelled += row.cancelled;
        e.reduced += row.reduced;
        e.cleared += row.cleared;
        e.remaining += row.remaining;
    }
    assert!(
        released_total > 100,
        "the demo must release land ({released_total} areas)"
    );

    let json = ok(&["summary", s(&db), "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
    let got: BTreeMap<String, &serde_json::Value> = rows
        .iter()
        .filter(|r| r["admin_pcode"] != "TOTAL")
        .map(|r| (r["admin_pcode"].as_str().expect("pcode").to_owned(), r))
        .collect();
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (pcode, want) in &expected {
        let row = got[pcode];
        assert_eq!(row["hazards"].as_u64(), Some(want.hazards), "{pcode}");
        for (name, value) in [
            ("suspected", want.suspected),
            ("confirmed", want.confirmed),
            ("cancelled", want.cancelled),
            ("reduced", want.reduced),
            ("cleared", want.cleared),
            ("remaining", want.remaining),
        ] {
            let ours = row[format!("{name}_m2")].as_f64().expect("number");
            // 1e-6 relative, or 1 m² for figures near zero.
            let tolerance = (value.abs() * 1e-6).max(1.0);
            assert!(
                (ours - value).abs() <= tolerance,
                "{pcode} {name}: summary {ours} m², independent {value} m²"
            );
        }
    }
}

/// `demo --regional` builds a hub holding three national programmes: each registered, its
/// bundle imported through its outbox's head, its key private to its owner.
#[test]
fn regional_demo_builds_a_hub_fed_by_three_nodes() {
    use safeground_store::{FederationStore, HubStore, SqliteStore};
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().expect("tempdir");
    let hub = dir.path().join("hub.sqlite");
    let out = ok(&[
        "demo",
        "--regional",
        "--db",
        s(&hub),
        "--hazards",
        "20",
        "--no-serve",
    ]);
    assert!(out.contains("Regional hub written to"), "{out}");
    assert!(out.contains("Demo users"), "{out}");
    let store = SqliteStore::open(&hub).expect("open hub");
    assert!(store.is_hub().expect("is_hub"));
    // The hub's own roles are among its demo users.
    use safeground_store::{AccountStore, Role};
    let analyst = store.account("analyst").expect("read").expect("analyst");
    assert_eq!(analyst.role, Role::RegionalAnalyst);
    let viewer = store.account("khm-viewer").expect("read").expect("viewer");
    assert_eq!(
        (viewer.role, viewer.organisation.as_str()),
        (Role::NationalViewer, "KHM")
    );
    assert!(out.contains("national_viewer"), "{out}");
    let nodes = store.hub_nodes().expect("nodes");
    let codes: Vec<&str> = nodes.iter().map(|n| n.node.as_str()).collect();
    assert_eq!(codes, ["AZE", "KHM", "LAO"]);
    let counts = store.shared_record_counts().expect("counts");
    for n in &nodes {
        let node = SqliteStore::open(
            &dir.path()
                .join(format!("safeground-demo-{}.sqlite", n.node)),
        )
        .expect("open node");
        let head = node.outbox_head().expect("head");
        assert!(head > 0, "{}", n.node);
        assert_eq!(n.checkpoint, head, "{}", n.node);
        assert!(n.last_bundle_at.is_some(), "{}", n.node);
        assert!(
            counts.iter().any(|c| c.node == n.node && c.count > 0),
            "{}",
            n.node
        );
        let key = dir.path().join(format!("safeground-demo-{}.key", n.node));
        let mode = std::fs::metadata(&key).expect("key").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", key.display());
    }
}
