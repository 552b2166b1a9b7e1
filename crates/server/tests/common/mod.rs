//! Test fixture: a small demo programme in a temporary database, users of every role in two
//! operators and the national authority, and an in-process client (tower `oneshot`).
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use chrono::Utc;
use http_body_util::BodyExt;
use safeground_model::{ItemKind, Record};
use safeground_server::auth::password::{hash_password, secret_digest};
use safeground_server::{AppState, Db, ServerConfig};
use safeground_store::postgres::testing::ScratchDatabase;
use safeground_store::{
    ApproveOptions, Backend, CredentialKind, Flow, HazardState, Location, NewAccount,
    ProgrammeStore, Role, SqliteStore,
};
use serde_json::Value;
use tower::ServiceExt;

/// Password of every fixture user.
pub const PASSWORD: &str = "fixture-password-1";

/// (user, role, organisation): ORG-CMAA is the national authority of the demo.
pub const USERS: [(&str, Role, &str); 9] = [
    ("admin", Role::Administrator, "ORG-CMAA"),
    ("approver", Role::Approver, "ORG-CMAA"),
    ("reviewer", Role::Reviewer, "ORG-CMAA"),
    ("va", Role::VictimAssistance, "ORG-CMAA"),
    ("viewer", Role::Viewer, "ORG-CMAA"),
    ("halo-entry", Role::DataEntry, "ORG-HALO"),
    ("halo-approver", Role::Approver, "ORG-HALO"),
    ("mag-entry", Role::DataEntry, "ORG-MAG"),
    ("mag-viewer", Role::Viewer, "ORG-MAG"),
];

/// (user, role, organisation) added by [`Fixture::make_hub`]: the hub-only roles.
pub const HUB_USERS: [(&str, Role, &str); 2] = [
    ("analyst", Role::RegionalAnalyst, "ARMAC"),
    ("khm-viewer", Role::NationalViewer, "KHM"),
];

/// Number of demo hazards in the fixture.
pub const HAZARDS: usize = 40;

/// The bearer token of a fixture user.
pub fn token(user: &str) -> String {
    format!("fixture-token-{user}")
}

/// Fills an empty store with the fixture programme and users.
fn populate(store: &mut dyn Backend) {
    let programme = safeground_demo::generate(HAZARDS, 7, Utc::now().date_naive());
    let ids = store.submit_batch("demo", &programme.reports).unwrap();
    for id in ids {
        store
            .approve_report("demo", id, &ApproveOptions::default())
            .unwrap();
    }
    let hash = hash_password(PASSWORD).unwrap();
    for (user, role, org) in USERS {
        add_user(store, &hash, user, role, org);
    }
}

/// Adds an account with the fixture password and its API token (`token(user)`).
fn add_user(store: &mut dyn Backend, hash: &str, user: &str, role: Role, org: &str) {
    store
        .add_account(
            "fixture",
            &NewAccount {
                username: user.into(),
                display_name: format!("Fixture {user}"),
                organisation: org.into(),
                role,
                password_hash: hash.to_owned(),
            },
        )
        .unwrap();
    store
        .add_credential(
            user,
            &secret_digest(&token(user)),
            CredentialKind::ApiToken,
            Some("tests"),
            None,
        )
        .unwrap();
}

fn template() -> &'static PathBuf {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("server-fixture-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("template.sqlite");
        let _ = std::fs::remove_file(&path);
        let mut store = SqliteStore::create(&path).unwrap();
        populate(&mut store);
        drop(store);
        path
    })
}

/// A fresh copy of the fixture database with a router over it.
pub struct Fixture {
    _dir: tempfile::TempDir,
    /// The database file.
    pub path: PathBuf,
    /// The service.
    pub app: Router,
    /// Its state.
    pub state: AppState,
}

/// A response, body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
    /// Asserts the status, showing the body when it differs.
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "body: {}",
            String::from_utf8_lossy(&self.bytes)
        );
        self
    }
}

impl Fixture {
    pub fn new() -> Self {
        Self::with_config(ServerConfig::default())
    }

    pub fn with_config(config: ServerConfig) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("programme.sqlite");
        std::fs::copy(template(), &path).unwrap();
        let state = AppState::new(
            Db::open(&Location::Sqlite(path.clone()), 2).unwrap(),
            config,
        );
        Fixture {
            _dir: dir,
            app: safeground_server::app(state.clone()),
            path,
            state,
        }
    }

    /// The same fixture on a fresh PostgreSQL database (None, with the reason printed, when no
    /// test server is configured; see `ScratchDatabase`).
    pub fn postgres() -> Option<(Self, ScratchDatabase)> {
        let db = ScratchDatabase::create().unwrap()?;
        let mut store = db.connect().unwrap();
        populate(&mut store);
        drop(store);
        let location = Location::Postgres(db.connection_string());
        let state = AppState::new(Db::open(&location, 2).unwrap(), ServerConfig::default());
        let fixture = Fixture {
            _dir: tempfile::tempdir().unwrap(),
            app: safeground_server::app(state.clone()),
            path: PathBuf::new(),
            state,
        };
        Some((fixture, db))
    }

    /// Serves the fixture over HTTP on a free local port, for outside clients (GDAL, OWSLib,
    /// Chromium); its address.
    pub async fn listen(&self) -> SocketAddr {
        let (listener, addr) = safeground_server::bind("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        tokio::spawn(safeground_server::serve_on(self.state.clone(), listener));
        addr
    }

    /// Asks to approve report `id` as `user`.
    pub async fn approve(&self, id: i64, user: &str) -> Reply {
        let uri = format!("/api/reports/{id}/approve");
        self.post(&uri, Some(user), &serde_json::json!({})).await
    }

    /// The current hazard with the most remaining area (where tests release land).
    pub fn largest_remaining_hazard(&self) -> HazardState {
        (self.store().current_hazards().unwrap().into_iter())
            .max_by(|a, b| a.remaining_m2.total_cmp(&b.remaining_m2))
            .unwrap()
    }

    /// Makes the fixture a regional hub fed by three small national programmes (KHM, LAO,
    /// AZE), each registered by its card and imported from one signed bundle of its whole
    /// outbox; the node ids with their outbox heads.
    pub fn make_hub(&self) -> Vec<(String, u64)> {
        use safeground_demo::Country;
        use safeground_store::HubStore;
        let dir = tempfile::tempdir().unwrap();
        let mut hub = self.store();
        hub.make_hub("test").unwrap();
        let mut heads = Vec::new();
        for (code, country) in [
            ("KHM", Country::CAMBODIA),
            ("LAO", Country::LAO),
            ("AZE", Country::AZERBAIJAN),
        ] {
            let (card, bytes, head) = national(dir.path(), code, country);
            assert!(hub.add_node("test", &card).unwrap());
            let mut bundle =
                safeground_server::federation::ReadBundle::new(std::io::Cursor::new(bytes))
                    .unwrap();
            hub.import_bundle("test", &mut bundle).unwrap();
            let doc =
                std::fs::read_to_string(dir.path().join(format!("{code}-training.json"))).unwrap();
            let received =
                safeground_federation::training_summary::ReceivedSummary::new(doc).unwrap();
            safeground_store::HubTrainingStore::put_training_summary(&mut hub, "test", &received)
                .unwrap();
            heads.push((code.to_owned(), head));
        }
        let hash = hash_password(PASSWORD).unwrap();
        for (user, role, org) in HUB_USERS {
            add_user(&mut hub, &hash, user, role, org);
        }
        heads
    }

    /// The programme trusts hub ARMAC and adopts its reference data ([`armac_reference`]);
    /// gives the hub's key, the set and its signed document.
    pub fn adopt_reference(
        &self,
    ) -> (
        safeground_federation::NodeKey,
        safeground_federation::ReferenceSet,
        String,
    ) {
        use safeground_store::reference::ReferenceStore;
        let (key, set, doc) = armac_reference();
        let mut store = self.store();
        let card = key.card("ARMAC").unwrap().to_json();
        store.trust_hub("test", "ARMAC", &card).unwrap();
        (store.adopt_reference("test", set.version, &doc, &set.ordnance)).unwrap();
        (key, set, doc)
    }

    /// Adds the planner `planner` of the national authority (bearer token `token("planner")`)
    /// and the demo's planning: criteria, settings (deadline 2030-12-31), layers and tasks.
    pub fn add_planning(&self) -> safeground_demo::planning::PlanningDemo {
        let mut store = self.store();
        let hash = hash_password(PASSWORD).unwrap();
        add_user(&mut store, &hash, "planner", Role::Planner, "ORG-CMAA");
        let deadline = chrono::NaiveDate::from_ymd_opt(2030, 12, 31).unwrap();
        safeground_demo::planning::populate(
            &mut store,
            "planner",
            Utc::now().date_naive(),
            deadline,
        )
        .unwrap()
    }

    /// The demo's evidence (an orthophoto over a machine clearance, a detector's output with
    /// some verdicts, the machine's track), imported as the demo does: files by `approver`,
    /// verdicts by `reviewer`.
    #[allow(dead_code)]
    pub fn add_evidence(&self) -> safeground_server::evidence::demo::Populated {
        use safeground_demo::evidence::{
            CLASSES, MODEL, MODEL_VERSION, Truth, WORKING_WIDTH_M, write_files,
        };
        use safeground_server::evidence::demo::{DemoEvidence, DemoVerdict, populate};
        use safeground_store::AccountStore;
        let mut store = self.store();
        let sources = tempfile::tempdir().unwrap();
        let files = write_files(&store, sources.path()).unwrap();
        let verdicts = (files.planned.iter())
            .map(|p| {
                let v = match (p.judged, p.truth, &p.recorded) {
                    (false, _, _) => DemoVerdict::Pending,
                    (true, Truth::Item(_), Some(find)) => DemoVerdict::Recorded(find.clone()),
                    (true, Truth::Item(c), None) => DemoVerdict::Confirmed(c),
                    (true, Truth::Nothing, _) => DemoVerdict::FalsePositive,
                    (true, Truth::Unclear, _) => DemoVerdict::NotVerifiable,
                };
                (p.location, v)
            })
            .collect();
        let principal = |store: &SqliteStore, name: &str| {
            let account = store.account(name).unwrap().unwrap();
            safeground_server::auth::Principal::of_account(store, account).unwrap()
        };
        let writer = principal(&store, "approver");
        let reviewer = principal(&store, "reviewer");
        let evidence = DemoEvidence {
            orthophoto: &files.orthophoto,
            activity: &files.activity,
            hazards: &files.hazards,
            detections: &files.detections,
            classes: &CLASSES,
            model: MODEL,
            model_version: MODEL_VERSION,
            verdicts,
            track: &files.track,
            machine: "Flail MV-4 #2",
            working_width_m: WORKING_WIDTH_M,
        };
        let dir = self.path.with_extension("evidence");
        populate(&mut store, &dir, &writer, &reviewer, &evidence).unwrap()
    }

    /// Opens the database directly (independent reads in assertions).
    pub fn store(&self) -> SqliteStore {
        SqliteStore::open(Path::new(&self.path)).unwrap()
    }

    /// Sends a request as `user` (None: anonymous) with extra headers and a raw body.
    pub async fn raw(
        &self,
        method: Method,
        uri: &str,
        user: Option<&str>,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(u) = user {
            req = req.header("authorization", format!("Bearer {}", token(u)));
        }
        let typed = headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
        if !body.is_empty() && !typed {
            req = req.header("content-type", "application/json");
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = self
            .app
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            bytes,
        }
    }

    pub async fn get(&self, uri: &str, user: Option<&str>) -> Reply {
        self.raw(Method::GET, uri, user, &[], Vec::new()).await
    }

    pub async fn post(&self, uri: &str, user: Option<&str>, body: &Value) -> Reply {
        self.raw(
            Method::POST,
            uri,
            user,
            &[],
            serde_json::to_vec(body).unwrap(),
        )
        .await
    }

    pub async fn put(
        &self,
        uri: &str,
        user: Option<&str>,
        if_match: Option<&str>,
        body: &Value,
    ) -> Reply {
        let headers: Vec<(&str, &str)> =
            if_match.map(|m| vec![("if-match", m)]).unwrap_or_default();
        self.raw(
            Method::PUT,
            uri,
            user,
            &headers,
            serde_json::to_vec(body).unwrap(),
        )
        .await
    }
}

/// A square hazard polygon (GeoJSON) of about `side_m` metres near Battambang.
pub fn square(lon: f64, lat: f64, side_m: f64) -> Value {
    let dlat = side_m / 110_574.0;
    let dlon = side_m / (111_320.0 * lat.to_radians().cos());
    serde_json::json!({
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]]
    })
}

/// A new-hazard report body.
pub fn hazard_report(local_id: &str, organisation: Option<&str>, geometry: Value) -> Value {
    serde_json::json!({
        "organisation": organisation,
        "title": format!("NTS {local_id}"),
        "source": "test",
        "date_of_information": "2025-03-01",
        "entries": [{
            "record": {
                "kind": "hazard", "local_id": local_id, "name": format!("Test {local_id}"),
                "class": "sha", "status": "open", "admin_pcode": "KH02",
                "evidence": ["accident"], "contamination": ["ap_mines"],
                "geometry": geometry
            }
        }]
    })
}

/// Features of the `released-areas` collection: the released areas of current activities.
pub fn released_areas(store: &SqliteStore) -> usize {
    let mut released = 0;
    store
        .for_each_current(ItemKind::Activity, None, &mut |v| {
            if let Record::Activity(a) = v.record {
                released += a.released_areas.len();
            }
            Ok(Flow::Continue)
        })
        .unwrap();
    released
}

/// The XYZ tile (y down, as MapLibre and GDAL use) holding a lon/lat at zoom z.
pub fn tile_of(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let lat = lat.to_radians();
    let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor()
        as u32;
    (x, y)
}

/// A small national programme (3 hazards) in `country` as node `code`: its card and its whole
/// outbox as one signed bundle, with the outbox's head.
pub fn national(
    dir: &Path,
    code: &str,
    country: safeground_demo::Country,
) -> (safeground_store::hub::NewHubNode, Vec<u8>, u64) {
    use safeground_federation::{NodeId, NodeKey, Policy};
    use safeground_store::{AccountStore, FederationStore};
    let mut store = SqliteStore::create(&dir.join(format!("{code}.sqlite"))).unwrap();
    let programme = safeground_demo::generate_in(country, 3, 11, Utc::now().date_naive());
    for id in store.submit_batch("demo", &programme.reports).unwrap() {
        store
            .approve_report("demo", id, &ApproveOptions::default())
            .unwrap();
    }
    store.set_node("test", code).unwrap();
    let sharing = safeground_server::federation::Sharing {
        key: NodeKey::generate(NodeId::new(code).unwrap()).unwrap(),
        policy: Policy::default(),
    };
    // The node's training register (the demo's 40 people) and its signed summary, beside its
    // database for `make_hub`.
    store
        .add_account(
            "test",
            &NewAccount {
                username: "officer".into(),
                display_name: "Training officer".into(),
                organisation: "ORG-CMAA".into(),
                role: Role::TrainingOfficer,
                password_hash: hash_password(PASSWORD).unwrap(),
            },
        )
        .unwrap();
    safeground_demo::training::populate(&mut store, "officer", Utc::now().date_naive()).unwrap();
    let summary = safeground_federation::TrainingSummary::of_register(
        &store,
        sharing.key.node().clone(),
        Utc::now(),
    )
    .unwrap();
    std::fs::write(
        dir.join(format!("{code}-training.json")),
        summary.sign(&sharing.key).unwrap(),
    )
    .unwrap();
    let head = store.outbox_head().unwrap();
    let (bytes, _) =
        safeground_server::federation::write_bundle(&store, &sharing, 0, head, Vec::new()).unwrap();
    let card = safeground_store::hub::NewHubNode {
        node: code.into(),
        name: country.name.into(),
        card: sharing.key.card(country.name).unwrap().to_json(),
    };
    (card, bytes, head)
}

/// Version 1 of hub ARMAC's reference data: PFM-1 (an AP mine, also written "butterfly mine")
/// and the Vietnamese term for a suspected hazardous area; a new key of ARMAC, the set and its
/// signed document.
pub fn armac_reference() -> (
    safeground_federation::NodeKey,
    safeground_federation::ReferenceSet,
    String,
) {
    use safeground_federation::reference::{codes_from_csv, ordnance_from_csv};
    use safeground_federation::{NodeId, NodeKey, ReferenceSet};
    let key = NodeKey::generate(NodeId::new("ARMAC").unwrap()).unwrap();
    let set = ReferenceSet {
        publisher: key.node().clone(),
        version: 1,
        published_at: Utc::now(),
        ordnance: ordnance_from_csv(
            "model,category,description,aliases\n\
             PFM-1,ap_mine,Soviet scatterable AP mine,butterfly mine\n",
        )
        .unwrap(),
        codes: codes_from_csv("vocabulary,term,code\nhazard_class,Vùng nghi ngờ,sha\n").unwrap(),
        pages: Vec::new(),
    };
    let doc = set.sign(&key).unwrap();
    (key, set, doc)
}
