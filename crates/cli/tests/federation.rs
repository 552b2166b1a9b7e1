//! `safeground federation`: a node's identity, and bundles of the demo programme that verify
//! with its card, hold every outbox entry in order (withheld where the policy does not share),
//! carry no victim's personal data and no field outside the policy's allow-list.

mod common;

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use common::{ok, postgres_url, refused, s, safeground, square_feature, write_collection};
use safeground_federation::{BundleReader, Entry, Manifest, NodeCard, Operation, Policy};
use safeground_store::postgres::testing::ScratchDatabase;
use safeground_store::{Flow, Location};
use serde_json::Value;

/// The fields each kind shares under the default policy (top level, as shared).
const SHARED: &[(&str, &[&str])] = &[
    (
        "organisation",
        &["kind", "local_id", "name", "acronym", "organisation_type"],
    ),
    (
        "admin_area",
        &["kind", "pcode", "name", "level", "parent_pcode", "geometry"],
    ),
    (
        "hazard",
        &[
            "kind",
            "id",
            "local_id",
            "name",
            "class",
            "status",
            "status_change",
            "organisation",
            "admin_pcode",
            "evidence",
            "contamination",
            "reported_area_m2",
            "first_recorded",
            "geometry",
        ],
    ),
    (
        "activity",
        &[
            "kind",
            "local_id",
            "activity_type",
            "status",
            "organisation",
            "team",
            "donor",
            "hazard",
            "hazards",
            "admin_pcode",
            "start_date",
            "end_date",
            "released_areas",
            "assets",
        ],
    ),
    (
        "eo_find",
        &[
            "kind",
            "local_id",
            "activity",
            "hazard",
            "category",
            "model",
            "quantity",
            "condition",
            "depth_cm",
            "disposal",
            "found_date",
            "destroyed_date",
            "location",
        ],
    ),
    (
        "accident",
        &[
            "kind",
            "id",
            "local_id",
            "date_month",
            "date_known",
            "admin_pcode",
            "device_category",
            "location",
            "hazard",
        ],
    ),
    (
        "victim",
        &[
            "kind",
            "local_id",
            "accident",
            "sex",
            "age_band",
            "outcome",
            "activity_at_time",
            "deminer",
        ],
    ),
    (
        "risk_education",
        &[
            "kind",
            "local_id",
            "organisation",
            "donor",
            "date",
            "admin_pcode",
            "location",
            "method",
            "beneficiaries",
        ],
    ),
];

/// Field names that are never shared, at any depth.
const NEVER: &[&str] = &[
    "full_name",
    "address",
    "contact",
    "date_of_birth",
    "personal_data",
    "description",
    "comment",
    "corrective_action",
    "age_at_accident",
    "age",
    "date_of_information",
];

/// A demo programme (with victims and their personal data) in `dir`.
fn demo(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("demo.sqlite");
    ok(&[
        "demo",
        "--db",
        s(&db),
        "--hazards",
        "40",
        "--seed",
        "7",
        "--no-serve",
    ]);
    db
}

/// `federation init` of node KHM; the card it printed.
fn init(db: &Path, key: &Path) -> NodeCard {
    let card = ok(&[
        "federation",
        "init",
        s(db),
        "--node",
        "KHM",
        "--name",
        "Cambodia (CMAA)",
        "--key",
        s(key),
    ]);
    NodeCard::from_json(&card).expect("the card printed is a node card")
}

/// A bundle verified with `card`: its manifest, entries and decompressed payload.
fn read(path: &Path, card: &NodeCard) -> (Manifest, Vec<Entry>, String) {
    let bytes = std::fs::read(path).expect("bundle");
    let verified = BundleReader::open(Cursor::new(bytes.clone()))
        .and_then(|r| r.verify(card))
        .expect("the bundle verifies with the card");
    let manifest = verified.manifest().clone();
    let entries = (verified.entries().expect("entries"))
        .collect::<Result<Vec<_>, _>>()
        .expect("read");
    let end = 10 + manifest.payload_bytes as usize;
    let mut payload = String::new();
    flate2::read::GzDecoder::new(&bytes[10..end])
        .read_to_string(&mut payload)
        .expect("gzip");
    (manifest, entries, payload)
}

/// Every personal-data value stored for victims (approved and in reports).
fn personal_values(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT data FROM victim_personal_data UNION ALL SELECT data FROM report_personal_data",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<Result<Vec<_>, _>>()
        .expect("rows");
    let mut values = Vec::new();
    for data in rows {
        let v: Value = serde_json::from_str(&data).expect("json");
        for field in ["full_name", "address", "contact", "date_of_birth"] {
            if let Some(text) = v[field].as_str() {
                values.push(text.to_owned());
            }
        }
    }
    values
}

/// Every field name in `v`, at any depth.
fn keys<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.push(k);
                keys(x, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|x| keys(x, out)),
        _ => {}
    }
}

/// Checks a bundle's payload and entries against the demo's personal data and the default
/// policy's allow-lists.
fn assert_private(db: &Path, entries: &[Entry], payload: &str) {
    let personal = personal_values(db);
    assert!(personal.len() > 20, "the demo has personal data");
    for value in &personal {
        assert!(
            !payload.contains(value.as_str()),
            "`{value}` is in the payload"
        );
    }
    let allowed: HashMap<&str, &[&str]> = SHARED.iter().copied().collect();
    for e in entries.iter().filter(|e| e.operation == Operation::Upsert) {
        let kind = e.kind.expect("an upsert names its kind").code();
        let record = e.record.as_ref().expect("record");
        let list = allowed
            .get(kind)
            .unwrap_or_else(|| panic!("{kind} is not shared"));
        for k in record.as_object().expect("object").keys() {
            assert!(
                list.contains(&k.as_str()),
                "{kind}.{k} is not on the allow-list"
            );
        }
        let mut all = Vec::new();
        keys(record, &mut all);
        for k in all {
            assert!(!NEVER.contains(&k), "{kind} shares `{k}`");
        }
    }
}

#[test]
fn init_prints_a_card_and_keeps_the_key_private() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    ok(&["init", s(&db)]);
    let key = dir.path().join("khm.key");
    let card = init(&db, &key);
    assert_eq!(card.node.as_str(), "KHM");
    assert_eq!(card.name, "Cambodia (CMAA)");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).expect("key").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = ok(&[
        "federation",
        "card",
        s(&db),
        "--key",
        s(&key),
        "--name",
        "Cambodia (CMAA)",
    ]);
    let again = NodeCard::from_json(&again).expect("card");
    assert_eq!(again.public_key, card.public_key);

    let out = safeground(&[
        "federation",
        "init",
        s(&db),
        "--node",
        "KHM",
        "--name",
        "x",
        "--key",
        s(&key),
    ]);
    refused(&out, "never overwritten");
    let out = safeground(&[
        "federation",
        "init",
        s(&db),
        "--node",
        "khm",
        "--name",
        "x",
        "--key",
        s(&dir.path().join("other.key")),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ISO 3166-1 alpha-3"), "{err}");
    assert!(!dir.path().join("other.key").exists());
}

#[test]
fn the_demo_programme_exports_verified_complete_and_de_identified() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    let key = dir.path().join("khm.key");
    let card = init(&db, &key);
    let first = dir.path().join("khm-1.sgb");
    let summary = ok(&[
        "federation",
        "export",
        s(&db),
        "--key",
        s(&key),
        "--since",
        "0",
        "--out",
        s(&first),
    ]);
    assert!(summary.contains("withheld"), "{summary}");
    let (manifest, entries, payload) = read(&first, &card);

    // Every outbox entry, in order; withheld exactly for the kinds the policy does not share.
    let store = Location::Sqlite(db.clone()).open().expect("open");
    let head = store.outbox_head().expect("head");
    assert_eq!((manifest.seq_from, manifest.seq_to), (1, head));
    let seqs: Vec<u64> = entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=head).collect::<Vec<_>>());
    let policy = Policy::default();
    let mut outbox = Vec::new();
    (store.for_each_outbox(0, &mut |e| {
        outbox.push(e);
        Ok(Flow::Continue)
    }))
    .expect("outbox");
    for (e, o) in entries.iter().zip(&outbox) {
        let kind = o.kind;
        if policy.shares(kind) {
            assert_eq!(e.target(), Some((kind, o.uuid.as_str(), o.revision)));
        } else {
            assert_eq!(e, &Entry::withheld(o.seq), "{kind} is not shared");
        }
    }
    assert!(manifest.withheld > 0, "the demo has teams and QA visits");
    for kind in ["hazard", "victim", "accident", "activity"] {
        assert!(
            manifest.counts.keys().any(|k| k.code() == kind),
            "{kind} shared"
        );
    }
    let hazard = entries
        .iter()
        .find_map(|e| {
            e.record
                .as_ref()
                .filter(|r| r["kind"] == "hazard" && r["geometry"].is_object())
        })
        .expect("a hazard with its polygon");
    assert_eq!(hazard["geometry"]["type"], "MultiPolygon");
    assert_private(&db, &entries, &payload);

    // Nothing new: no file.
    let again = dir.path().join("khm-none.sgb");
    let out = ok(&[
        "federation",
        "export",
        s(&db),
        "--key",
        s(&key),
        "--since",
        "last",
        "--out",
        s(&again),
    ]);
    assert!(out.contains("nothing to share"), "{out}");
    assert!(!again.exists());

    // A new approval: the next export holds it alone.
    let features = dir.path().join("new.geojson");
    write_collection(
        &features,
        vec![square_feature("KH02-HA-NEW", 103.2, 13.1, 150.0)],
    );
    ok(&[
        "import",
        s(&db),
        s(&features),
        "--date",
        "2025-01-15",
        "--approve-as-migration",
        "--accept-outside-programme-area",
    ]);
    let second = dir.path().join("khm-2.sgb");
    ok(&[
        "federation",
        "export",
        s(&db),
        "--key",
        s(&key),
        "--since",
        "last",
        "--out",
        s(&second),
    ]);
    let (m2, entries2, payload2) = read(&second, &card);
    let head2 = store.outbox_head().expect("head");
    assert_eq!((m2.seq_from, m2.seq_to), (head + 1, head2));
    assert!(entries2.iter().all(|e| e.seq > head));
    assert!(payload2.contains("KH02-HA-NEW"), "{payload2}");

    // Shared as KHM: the node id is fixed, and a bundle is never overwritten.
    let out = safeground(&[
        "federation",
        "init",
        s(&db),
        "--node",
        "LAO",
        "--name",
        "Lao",
        "--key",
        s(&dir.path().join("lao.key")),
    ]);
    refused(&out, "no longer");
    assert!(!dir.path().join("lao.key").exists());
    let out = safeground(&[
        "federation",
        "export",
        s(&db),
        "--key",
        s(&key),
        "--since",
        "0",
        "--out",
        s(&first),
    ]);
    refused(&out, "never overwritten");
}

#[test]
fn a_programme_moved_to_postgresql_exports_the_same_entries() {
    let Some(pg) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let url = postgres_url(&pg);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    let key = dir.path().join("khm.key");
    let card = init(&db, &key);
    ok(&["migrate", "--from", s(&db), "--to", &url]);
    let mut bundles = Vec::new();
    for (source, name) in [(s(&db), "sqlite.sgb"), (url.as_str(), "postgres.sgb")] {
        let file = dir.path().join(name);
        ok(&[
            "federation",
            "export",
            source,
            "--key",
            s(&key),
            "--since",
            "0",
            "--out",
            s(&file),
        ]);
        bundles.push(read(&file, &card));
    }
    let (sqlite, postgres) = (&bundles[0], &bundles[1]);
    assert_eq!(sqlite.0.seq_to, postgres.0.seq_to);
    assert_eq!(sqlite.1, postgres.1, "the same entries from either backend");
}
