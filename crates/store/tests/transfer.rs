//! Copying a programme between backends (`safeground migrate`): every kind of row survives
//! SQLite → PostgreSQL → SQLite with the same checksums and the same contract reads, a
//! non-empty target is refused, a failure mid-load leaves the target empty, and a copy that
//! does not verify names the table. PostgreSQL parts skip (saying why) without
//! SAFEGROUND_TEST_POSTGRES, unless SAFEGROUND_REQUIRE_POSTGRES=1.

use std::cell::Cell;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use geo_types::{LineString, MultiPolygon, Polygon};
use safeground_model::{
    Accident, Activity, ActivityStatus, ActivityType, CasualtyOutcome, Hazard, HazardClass,
    HazardStatus, Record, ReleaseMethod, ReleasedArea, Sex, Victim, VictimPersonalData,
};
use safeground_store::hub::{
    BundleSummary, EntriesError, IncomingBundle, NewHubNode, SharedChange, SharedEntry,
};
use safeground_store::postgres::testing::ScratchDatabase;
use safeground_store::transfer::{self, Dump, Load, RowSink, TableSum};
use safeground_store::{
    AccountAction, AccountRequests, AccountStore, ApproveOptions, AsOf, BreakGlassStore,
    Checkpoint, CredentialKind, EvidenceStore, FederationStore, FieldStore, HubStore,
    HubTrainingStore, ImportBatch, LibraryExchangeStore, LibraryStore, NewAccount, NewReport,
    OrdnancePageStore, PlanningStore, PostgresStore, ProgrammeStore, Reconcile, ReferenceStore,
    ReportEntry, Role, SqliteStore, StoreError, TrainingStore, ValidReport,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A lon/lat rectangle given in metres east/north of (103.2, 13.1).
fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    let m_lon = 111_320.0 * 13.1f64.to_radians().cos();
    let c = |x: f64, y: f64| (103.2 + x / m_lon, 13.1 + y / 110_574.0);
    MultiPolygon(vec![Polygon::new(
        LineString::from(vec![c(x0, y0), c(x1, y0), c(x1, y1), c(x0, y1), c(x0, y0)]),
        vec![],
    )])
}

fn hazard(local_id: &str, name: &str, geometry: MultiPolygon<f64>) -> Record {
    Record::Hazard(Hazard {
        local_id: local_id.into(),
        name: name.into(),
        class: HazardClass::Sha,
        status: HazardStatus::Open,
        status_change: None,
        organisation: None,
        admin_pcode: Some("KH02".into()),
        evidence: vec![],
        contamination: vec![],
        reported_area_m2: None,
        first_recorded: None,
        geometry: Some(geometry),
        comment: Some("näh – ស្រុក".into()),
    })
}

fn clearance(local_id: &str, hazard: Option<&str>, end: &str, area: MultiPolygon<f64>) -> Record {
    Record::Activity(Activity {
        local_id: local_id.into(),
        activity_type: ActivityType::Clearance,
        status: ActivityStatus::Ongoing,
        organisation: None,
        team: None,
        donor: None,
        hazard: hazard.map(Into::into),
        hazards: Vec::new(),
        admin_pcode: Some("KH02".into()),
        start_date: Some(d(end) - Duration::days(10)),
        end_date: Some(d(end)),
        released_areas: vec![ReleasedArea {
            method: ReleaseMethod::Cleared,
            asset_type: None,
            technical_asset_used: false,
            clearance_depth_cm: Some(13),
            reported_area_m2: None,
            geometry: area,
        }],
        assets: vec![],
        comment: None,
    })
}

fn report(date: &str, records: Vec<Record>) -> NewReport {
    NewReport {
        organisation: None,
        title: format!("report of {date}"),
        source: Some("test".into()),
        date_of_information: d(date),
        entries: records.into_iter().map(ReportEntry::new).collect(),
    }
}

fn submitted<S: ProgrammeStore>(store: &mut S, r: &NewReport) -> i64 {
    let id = store.create_report("officer", r).expect("create");
    store.submit_report("officer", id).expect("submit");
    id
}

fn approved<S: ProgrammeStore>(store: &mut S, r: &NewReport, backdated: bool) -> Vec<String> {
    let id = submitted(store, r);
    let options = ApproveOptions {
        comment: Some("ok".into()),
        allow_backdated: backdated,
        four_eyes: false,
    };
    store
        .approve_report("manager", id, &options)
        .expect("approve")
        .items
}

fn account(username: &str, role: Role) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: format!("User {username}"),
        organisation: "ORG-HALO".into(),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
    }
}

/// A programme with every kind of row: reports in every status (with reconciliation and link
/// decisions), items with several versions (one backdated), links, a victim's personal data,
/// the hazard cache, accounts, credentials, login failures, an import checkpoint, an account
/// request, a closed break-glass grant, audit.
/// A bundle from node LAO as the hub's store takes it: one record, then a withheld entry (the
/// federation crate's signed bundles are verified in `hub.rs`).
struct LaoBundle;

impl IncomingBundle for LaoBundle {
    fn node(&self) -> &str {
        "LAO"
    }
    fn verify(&mut self, _card: &str) -> Result<BundleSummary, String> {
        Ok(BundleSummary {
            seq_from: 1,
            seq_to: 2,
            sha256: "5a".repeat(32),
        })
    }
    fn decide(&self, checkpoint: u64) -> Result<Option<u64>, String> {
        Ok((checkpoint < 2).then_some(checkpoint + 1))
    }
    fn entries(
        &mut self,
        f: &mut dyn FnMut(SharedEntry) -> safeground_store::Result<()>,
    ) -> Result<(), EntriesError> {
        let record = serde_json::json!({"kind": "hazard", "local_id": "LA-7", "area_m2": 1200.5});
        let upsert = SharedChange::Upsert {
            kind: safeground_model::ItemKind::Hazard,
            item: "3f1c2a9e-0b7d-4c35-9e21-6a8f0d4b7c12".into(),
            revision: 3,
            record,
        };
        for (seq, change) in [(1, upsert), (2, SharedChange::Withheld)] {
            f(SharedEntry { seq, change }).map_err(EntriesError::Store)?;
        }
        Ok(())
    }
}

fn build<
    S: ProgrammeStore
        + AccountStore
        + AccountRequests
        + BreakGlassStore
        + FederationStore
        + HubStore
        + HubTrainingStore
        + safeground_store::HubDetectorStore
        + LibraryStore
        + LibraryExchangeStore
        + OrdnancePageStore
        + PlanningStore
        + FieldStore
        + EvidenceStore
        + ReferenceStore
        + TrainingStore,
>(
    store: &mut S,
) {
    let items = approved(
        store,
        &report(
            "2024-01-10",
            vec![
                hazard("H1", "North field", rect(0., 0., 200., 100.)),
                hazard("H2", "School path", rect(300., 0., 400., 100.)),
            ],
        ),
        false,
    );
    let mut update = report(
        "2024-03-01",
        vec![hazard("H1", "North field (CHA)", rect(0., 0., 200., 100.))],
    );
    update.entries[0].reconcile = Reconcile::Update {
        item: items[0].clone(),
        base_version: Some(1),
    };
    approved(store, &update, false);
    let mut old = report(
        "2023-12-01",
        vec![hazard(
            "H2",
            "School path (old)",
            rect(300., 0., 400., 100.),
        )],
    );
    old.entries[0].reconcile = Reconcile::Update {
        item: items[1].clone(),
        base_version: None,
    };
    approved(store, &old, true);
    approved(
        store,
        &report(
            "2024-06-01",
            vec![clearance(
                "A1",
                Some("H1"),
                "2024-05-30",
                rect(0., 0., 100., 100.),
            )],
        ),
        false,
    );
    let mut accident = report(
        "2024-02-05",
        vec![
            Record::Accident(Accident {
                local_id: "ACC1".into(),
                date: Some(d("2024-02-01")),
                date_known: true,
                admin_pcode: Some("KH02".into()),
                device_category: None,
                location: None,
                description: Some("cart".into()),
                hazard: None,
            }),
            Record::Victim(Victim {
                local_id: "VIC1".into(),
                accident: Some("ACC1".into()),
                sex: Sex::Female,
                age_at_accident: Some(34),
                outcome: CasualtyOutcome::Injured,
                activity_at_time: None,
                deminer: false,
            }),
        ],
    );
    accident.entries[1].personal_data = Some(VictimPersonalData {
        full_name: "Sok Chenda".into(),
        address: Some("Ou Chrov village".into()),
        contact: None,
        date_of_birth: Some(d("1990-01-01")),
    });
    let victim = approved(store, &accident, false)[1].clone();
    store
        .victim_personal_data("va-officer", &victim, AsOf::now())
        .expect("read personal data");

    let draft = store
        .create_report(
            "officer",
            &report(
                "2024-07-01",
                vec![hazard("H9", "Draft", rect(0., 500., 50., 550.))],
            ),
        )
        .expect("draft");
    store
        .update_draft(
            "officer",
            draft,
            &report(
                "2024-07-02",
                vec![hazard("H9", "Draft 2", rect(0., 500., 60., 550.))],
            ),
        )
        .expect("edit draft");
    let pending = submitted(
        store,
        &report(
            "2024-08-01",
            vec![
                hazard("H2", "School path (resurveyed)", rect(300., 0., 400., 90.)),
                clearance("A2", None, "2024-07-30", rect(300., 0., 350., 50.)),
            ],
        ),
    );
    store
        .reconcile_entry(
            "reviewer",
            pending,
            0,
            Reconcile::Update {
                item: items[1].clone(),
                base_version: Some(2),
            },
        )
        .expect("reconcile");
    store
        .link_entry("reviewer", pending, 1, "hazard", &items[1])
        .expect("link");
    let rejected = submitted(
        store,
        &report(
            "2024-08-02",
            vec![hazard("H7", "Twin", rect(0., 0., 10., 10.))],
        ),
    );
    store
        .reject_report("reviewer", rejected, "duplicate of H1")
        .expect("reject");
    store
        .import_batch(
            "importer",
            &ImportBatch {
                reports: &[ValidReport::check(
                    report(
                        "2024-09-01",
                        vec![hazard("H3", "Imported", rect(600., 0., 700., 100.))],
                    ),
                    chrono::Utc::now().date_naive(),
                )
                .expect("valid")],
                approve: None,
                checkpoint: Some(Checkpoint {
                    key: "file-a".into(),
                    position: 1,
                }),
                all_or_nothing: true,
            },
        )
        .expect("import");

    for (name, role) in [
        ("admin", Role::Administrator),
        ("sokha", Role::DataEntry),
        ("dara", Role::Viewer),
    ] {
        store
            .add_account("setup", &account(name, role))
            .expect("account");
    }
    let expiry = Utc
        .with_ymd_and_hms(2030, 1, 2, 3, 4, 5)
        .single()
        .expect("time");
    store
        .add_credential("sokha", "aa11", CredentialKind::Session, None, Some(expiry))
        .expect("session");
    store
        .add_credential(
            "admin",
            "bb22",
            CredentialKind::ApiToken,
            Some("kobo sync"),
            None,
        )
        .expect("token");
    store
        .set_account_disabled("admin", "dara", true)
        .expect("disable");
    store
        .record_login("sokha", false, "wrong password")
        .expect("failure");
    store
        .record_login("Sokha", false, "wrong password")
        .expect("failure");
    store.record_login("admin", true, "ok").expect("login");
    store
        .request_account_change(
            "admin",
            AccountAction::Create,
            &account("channary", Role::VictimAssistance),
        )
        .expect("account request");
    let grant = store
        .open_break_glass(
            "admin",
            "the family of a victim asked for a referral",
            Some(30),
        )
        .expect("break-glass");
    store.close_break_glass("admin", grant.id).expect("close");
    let meta = safeground_store::library::DocumentMeta {
        title: "ស្តង់ដារសកម្មភាពកំចាត់មីនជាតិ 09.10".into(),
        language: "km".into(),
        country: Some("KHM".into()),
        doc_type: "national_standard".into(),
        imas_topic: Some("09.10".into()),
        access: "regional".into(),
        organisation: Some("CMAA".into()),
    };
    let file = safeground_store::library::VersionContent {
        file_name: Some("cmaa-09-10.pdf".into()),
        media_type: "application/pdf".into(),
        size_bytes: 1234,
        sha256: Some("a".repeat(64)),
        link: None,
        note: None,
    };
    let doc = (store.add_document("admin", &meta, &file, "ការបោសសម្អាត")).expect("library");
    let link = safeground_store::library::VersionContent {
        file_name: None,
        sha256: None,
        link: Some("https://video.example.org/cmaa-09-10".into()),
        note: Some("training video".into()),
        ..file
    };
    (store.add_document_version("admin", doc.id, &link, "")).expect("library version");
    store
        .record_audit("admin", "export", "hazards", Some("gpkg"))
        .expect("audit");
    store.set_node("admin", "KHM").expect("node id");
    store.record_export(2).expect("an export shared 2 entries");
    let terms = [(safeground_model::ItemKind::Hazard, "precision=5".to_owned())];
    (store.align_policy("admin", &terms.into_iter().collect())).expect("policy terms");
    (store.withdraw("admin", &items[0], "disputed survey")).expect("withdrawn");
    store
        .trust_hub("admin", "ARMAC", "{}")
        .expect("hub trusted");
    let pfm = safeground_model::CatalogueEntry {
        model: "PFM-1".into(),
        category: safeground_model::OrdnanceCategory::ApMine,
        description: "scatterable AP mine".into(),
        aliases: vec!["butterfly".into()],
    };
    (store.adopt_reference("admin", 1, "signed v1", &[pfm])).expect("adopted");
    let published = r#"{"format":1,"payload":"{}","signature":""}"#;
    (store.publish_reference("admin", 1, published)).expect("published");
    training_rows(store);
    planning_rows(store);
    field_rows(store);
    evidence_rows(store);
    store.make_hub("admin").expect("hub");
    let card = r#"{"node":"LAO","name":"NRA Lao PDR",
        "public_key":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=","created":"2026-12-01T08:00:00Z"}"#;
    let node = NewHubNode {
        node: "LAO".into(),
        name: "NRA Lao PDR".into(),
        card: card.into(),
    };
    store.add_node("admin", &node).expect("node card");
    store
        .import_bundle("admin", &mut LaoBundle)
        .expect("bundle");
    hub_rows(store);
}

/// A row in each of the hub's later tables: an ordnance page, a node's training and detector
/// summaries and a library document received from a node.
fn hub_rows<
    S: HubStore
        + OrdnancePageStore
        + HubTrainingStore
        + safeground_store::HubDetectorStore
        + LibraryExchangeStore,
>(
    store: &mut S,
) {
    use safeground_federation::training_summary::{ReceivedSummary, SummaryRow};
    use safeground_federation::{NodeId, NodeKey, TrainingSummary};
    use safeground_store::library::{DocumentMeta, VersionContent};
    use safeground_store::library_exchange::{IncomingDocument, IncomingVersion};
    let page = safeground_model::OrdnancePage {
        model: "pmn 2".into(),
        summary: "Soviet circular blast anti-personnel mine.".into(),
        dimensions: safeground_model::Dimensions {
            diameter_mm: Some(121.0),
            height_mm: Some(54.0),
            ..safeground_model::Dimensions::default()
        },
        fuzing: "Integral pressure fuze.".into(),
        identification: vec!["Black rubber cross on the pressure plate".into()],
        hazards: "Blast.".into(),
        render_safe: Some("Destroy in situ by qualified EOD personnel.".into()),
        photos: Vec::new(),
    };
    store.put_page("admin", &page).expect("ordnance page");
    let key = NodeKey::generate(NodeId::new("AZE").expect("id")).expect("key");
    let card = NewHubNode {
        node: "AZE".into(),
        name: "ANAMA".into(),
        card: key.card("ANAMA").expect("card").to_json(),
    };
    store.add_node("admin", &card).expect("AZE card");
    let summary = TrainingSummary {
        node: key.node().clone(),
        generated_at: Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
        rows: vec![SummaryRow {
            competency: safeground_store::training::Competency::Nts,
            sex: safeground_model::Sex::Male,
            age_band: "35_44".into(),
            year: 2026,
            participants: 6,
            certificates: 5,
        }],
        valid_certificates: Vec::new(),
    }
    .sign(&key)
    .expect("signed summary");
    let summary = ReceivedSummary::new(summary).expect("summary");
    (store.put_training_summary("admin", &summary)).expect("training summary");
    let detectors = safeground_federation::DetectorSummary::new(
        key.node().clone(),
        Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
        5.0,
        Vec::new(),
    )
    .sign(&key)
    .expect("signed detector summary");
    let detectors =
        safeground_federation::detector_summary::ReceivedDetectorSummary::new(detectors)
            .expect("detector summary");
    (store.put_detector_summary("admin", &detectors)).expect("detector summary");
    let sop = IncomingDocument {
        uuid: "5c3a9e1d-7b2f-4c1a-9e8d-2f6b4a1c0d9e".into(),
        owner: "LAO".into(),
        meta: DocumentMeta {
            title: "ມາດຕະຖານການປະຕິບັດງານ: ການເກັບກູ້".into(),
            language: "lo".into(),
            country: Some("LAO".into()),
            doc_type: "sop".into(),
            imas_topic: Some("09.10".into()),
            access: "regional".into(),
            organisation: Some("NRA".into()),
        },
        versions: vec![IncomingVersion {
            version: 1,
            content: VersionContent {
                file_name: None,
                media_type: "text/uri-list".into(),
                size_bytes: 0,
                sha256: None,
                link: Some("https://video.example.org/nra-sop".into()),
                note: None,
            },
            uploaded_at: Utc.with_ymd_and_hms(2026, 11, 29, 8, 0, 0).unwrap(),
        }],
    };
    (store.receive_library("admin", "LAO", Some("KHM"), &[sop], &Default::default()))
        .expect("received document");
}

/// A sample of contract reads, as text: equal text means equal answers.
fn reads<
    S: ProgrammeStore
        + AccountStore
        + AccountRequests
        + BreakGlassStore
        + FederationStore
        + HubStore
        + LibraryStore
        + ReferenceStore,
>(
    store: &S,
) -> String {
    let past = AsOf {
        date: d("2024-04-01"),
        known_at: None,
    };
    let mut out = String::new();
    for item in ["HAZ-000001", "HAZ-000002"] {
        out += &format!(
            "{:?}\n",
            store.hazard_state(item, AsOf::now()).expect("state")
        );
        out += &format!(
            "{:?}\n",
            store.hazard_state(item, past).expect("past state")
        );
        out += &format!("{:?}\n", store.versions(item).expect("versions"));
        out += &format!(
            "{:?}\n",
            store.release_credits(item, AsOf::now()).expect("credits")
        );
    }
    for id in 1..=9 {
        out += &format!("{:?}\n", store.report(id).expect("report"));
    }
    out += &format!(
        "{:?}\n",
        store
            .linked_items("ACC-000001", AsOf::now())
            .expect("links")
    );
    out += &format!(
        "{:?}\n",
        store.land_release_summary(AsOf::now()).expect("summary")
    );
    out += &format!("{:?}\n", store.audit_log().expect("audit"));
    out += &format!("{:?}\n", store.accounts().expect("accounts"));
    out += &format!("{:?}\n", store.account_requests().expect("requests"));
    out += &format!("{:?}\n", store.break_glass_grants(None).expect("grants"));
    out += &format!("{:?}\n", store.library_documents().expect("library"));
    out += &format!(
        "{:?}\n",
        store.import_checkpoint("file-a").expect("checkpoint")
    );
    let now = Utc
        .with_ymd_and_hms(2029, 1, 1, 0, 0, 0)
        .single()
        .expect("time");
    out += &format!(
        "{:?}\n",
        store
            .credential("aa11", now)
            .expect("session")
            .map(|c| (c.account, c.kind, c.expires_at))
    );
    out += &format!(
        "{:?}\n",
        store
            .credential("bb22", now)
            .expect("token")
            .map(|c| (c.label, c.kind))
    );
    let since = Utc::now() - Duration::hours(1);
    out += &format!(
        "{:?}\n",
        store
            .login_failures_since("SOKHA", since)
            .expect("failures")
    );
    out += &format!("{:?}\n", store.last_change().expect("last change"));
    out += &format!("{:?}\n", store.node().expect("node"));
    for item in ["HAZ-000001", "HAZ-000002", "ACC-000001"] {
        out += &format!("{:?}\n", store.item_uuid(item).expect("uuid"));
    }
    out += &format!("{:?}\n", store.outbox_head().expect("head"));
    out += &format!("{:?}\n", store.withdrawals().expect("withdrawals"));
    out += &format!("{:?}\n", store.reference().expect("reference"));
    out += &format!("{:?}\n", store.published_reference().expect("published"));
    store
        .for_each_outbox(0, &mut |e| {
            out += &format!("{e:?}\n");
            Ok(safeground_store::Flow::Continue)
        })
        .expect("outbox");
    out += &format!("{:?}\n", store.is_hub().expect("hub"));
    out += &format!("{:?}\n", store.hub_nodes().expect("nodes"));
    store
        .for_each_shared_record(safeground_model::ItemKind::Hazard, None, &mut |r| {
            out += &format!("{r:?}\n");
            Ok(safeground_store::Flow::Continue)
        })
        .expect("shared records");
    out
}

fn sums(store: &dyn Dump) -> Vec<TableSum> {
    transfer::checksums(store).expect("checksums")
}

fn source() -> SqliteStore {
    let mut store = SqliteStore::in_memory().expect("store");
    build(&mut store);
    assert_eq!(
        store.check_consistency().expect("check"),
        Vec::<String>::new()
    );
    store
}

fn postgres() -> Option<(ScratchDatabase, PostgresStore)> {
    ScratchDatabase::store().expect("PostgreSQL test database")
}

#[test]
fn the_programme_has_a_row_in_every_table() {
    let empty: Vec<_> = sums(&source())
        .into_iter()
        .filter(|s| s.rows == 0)
        .map(|s| s.table)
        .collect();
    assert!(empty.is_empty(), "no rows in {empty:?}");
}

#[test]
fn sqlite_to_sqlite_keeps_every_row_and_read() {
    let from = source();
    let mut to = SqliteStore::in_memory().expect("store");
    let verified = transfer::copy(&from, &mut to).expect("copy");
    assert_eq!(verified, sums(&to));
    assert_eq!(reads(&from), reads(&to));
    assert_eq!(to.check_consistency().expect("check"), Vec::<String>::new());
}

#[test]
fn sqlite_to_postgres_and_back_is_lossless_and_writes_continue() {
    let Some((db, mut pg)) = postgres() else {
        return;
    };
    let mut from = source();
    let verified = transfer::copy(&from, &mut pg).expect("to PostgreSQL");
    assert_eq!(verified, sums(&from));
    // The copied tables are analysed: the planner knows their sizes (-1 = never analysed).
    let planned: f32 = (db.client().expect("client"))
        .query_one(
            "SELECT reltuples FROM pg_class WHERE oid = 'item_version'::regclass",
            &[],
        )
        .expect("reltuples")
        .get(0);
    let versions: i64 = (db.client().expect("client"))
        .query_one("SELECT count(*) FROM item_version", &[])
        .expect("count")
        .get(0);
    assert_eq!(f64::from(planned), versions as f64);
    assert_eq!(reads(&from), reads(&pg));
    assert_eq!(pg.check_consistency().expect("check"), Vec::<String>::new());

    let mut back = SqliteStore::in_memory().expect("store");
    transfer::copy(&pg, &mut back).expect("back to SQLite");
    assert_eq!(sums(&back), sums(&from));
    assert_eq!(reads(&back), reads(&from));
    assert_eq!(
        back.check_consistency().expect("check"),
        Vec::<String>::new()
    );

    // Ids, counters and sequences continue where the source's would.
    let next = report(
        "2024-10-01",
        vec![hazard("H4", "Later", rect(800., 0., 900., 100.))],
    );
    for store in [&mut from as &mut dyn Both, &mut pg, &mut back] {
        assert_eq!(store.approve_new(&next), vec!["HAZ-000003".to_owned()]);
        store
            .add_account("admin", &account("vanna", Role::Approver))
            .expect("account");
        store
            .record_audit("admin", "test.mark", "db", None)
            .expect("audit");
    }
    // (Times of these new writes differ; what they were given must not.)
    let shape = |s: &dyn Both| {
        let audit = s.audit_log().expect("audit");
        let accounts: Vec<_> = (s.accounts().expect("accounts").into_iter())
            .map(|a| a.username)
            .collect();
        (s.last_change().expect("last change"), audit.len(), accounts)
    };
    assert_eq!(shape(&pg), shape(&from));
    assert_eq!(shape(&back), shape(&from));
    let pd = |s: &mut dyn Both| s.personal("VIC-000001");
    assert_eq!(pd(&mut pg), pd(&mut from));
    assert_eq!(pd(&mut back), pd(&mut from));
}

/// Versions written before SQLite schema 5 hold a hazard's polygons inside the record's JSON;
/// they dump exactly as versions stored with their polygons apart, and copy both ways.
#[test]
fn versions_with_polygons_inside_their_records_copy_whole() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("old.sqlite");
    let mut store = SqliteStore::create(&path).expect("create");
    build(&mut store);
    let new_form = sums(&store);
    let conn = rusqlite::Connection::open(&path).expect("open");
    let items: Vec<String> = conn
        .prepare("SELECT DISTINCT item_id FROM item_version WHERE geometry IS NOT NULL")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("items")
        .collect::<Result<_, _>>()
        .expect("items");
    assert!(items.len() >= 2, "{items:?}");
    for item in &items {
        let ids: Vec<i64> = conn
            .prepare(
                "SELECT id FROM item_version WHERE item_id = ?1 ORDER BY valid_from, recorded_at",
            )
            .expect("prepare")
            .query_map([item], |r| r.get(0))
            .expect("ids")
            .collect::<Result<_, _>>()
            .expect("ids");
        let versions = store.versions(item).expect("versions");
        assert_eq!(ids.len(), versions.len());
        for (id, v) in ids.iter().zip(&versions) {
            let whole = serde_json::to_string(&v.record).expect("json");
            conn.execute(
                "UPDATE item_version SET record = ?1, geometry = NULL WHERE id = ?2",
                rusqlite::params![whole, id],
            )
            .expect("old form");
        }
    }
    drop(conn);
    let old = SqliteStore::open(&path).expect("open");
    assert_eq!(sums(&old), new_form);

    let mut to = SqliteStore::in_memory().expect("store");
    transfer::copy(&old, &mut to).expect("copy");
    assert_eq!(reads(&to), reads(&old));
    if let Some((_db, mut pg)) = postgres() {
        transfer::copy(&old, &mut pg).expect("to PostgreSQL");
        assert_eq!(reads(&pg), reads(&old));
    }
}

/// What the continuation check needs of each backend, as one object type.
trait Both: ProgrammeStore + AccountStore {
    fn approve_new(&mut self, r: &NewReport) -> Vec<String>;
    fn personal(&mut self, item: &str) -> Option<VictimPersonalData>;
}

impl<S: ProgrammeStore + AccountStore> Both for S {
    fn approve_new(&mut self, r: &NewReport) -> Vec<String> {
        approved(self, r, false)
    }
    fn personal(&mut self, item: &str) -> Option<VictimPersonalData> {
        self.victim_personal_data("va", item, AsOf::now())
            .expect("personal data")
    }
}

fn assert_refused(err: &StoreError, needle: &str) {
    assert!(matches!(err, StoreError::Transfer(_)), "{err}");
    assert!(err.to_string().contains(needle), "{err}");
}

#[test]
fn a_non_empty_target_is_refused_and_left_alone() {
    let from = source();
    let mut to = SqliteStore::in_memory().expect("store");
    to.record_audit("admin", "test.mark", "db", None)
        .expect("audit");
    let before = sums(&to);
    let err = transfer::copy(&from, &mut to).expect_err("not empty");
    assert_refused(&err, "audit: 1 rows");
    assert_eq!(sums(&to), before);

    let Some((_db, mut pg)) = postgres() else {
        return;
    };
    transfer::copy(&from, &mut pg).expect("first copy");
    let err = transfer::copy(&from, &mut pg).expect_err("second copy");
    assert_refused(&err, "not empty");
    assert_eq!(sums(&pg), sums(&from));
}

/// Dumps a store but writes every row of the last table twice: the target's key refuses the
/// second, after every other table has been written.
struct TwiceTheLastTable<'a>(&'a dyn Dump);

impl Dump for TwiceTheLastTable<'_> {
    fn dump(&self, f: &mut RowSink<'_>) -> safeground_store::Result<()> {
        self.0.dump(&mut |table, row| {
            f(table, row)?;
            if table.name == "import_checkpoint" {
                f(table, row)?;
            }
            Ok(())
        })
    }
}

/// Dumps a store, leaving out the audit log's last row the first time only.
struct ShortFirstDump<'a>(&'a dyn Dump, Cell<u32>);

impl Dump for ShortFirstDump<'_> {
    fn dump(&self, f: &mut RowSink<'_>) -> safeground_store::Result<()> {
        let call = self.1.get();
        self.1.set(call + 1);
        let mut audit = 0;
        let total = sums(self.0)
            .iter()
            .find(|s| s.table == "audit")
            .map_or(0, |s| s.rows);
        self.0.dump(&mut |table, row| {
            if table.name == "audit" {
                audit += 1;
                if call == 0 && audit == total {
                    return Ok(());
                }
            }
            f(table, row)
        })
    }
}

fn assert_empty(store: &dyn Dump) {
    let full: Vec<_> = sums(store).into_iter().filter(|s| s.rows > 0).collect();
    assert!(full.is_empty(), "{full:?}");
}

fn fails_and_leaves_empty(from: &dyn Dump, to: &mut dyn Load) {
    let err = transfer::copy(&TwiceTheLastTable(from), to).expect_err("duplicate key");
    assert!(err.to_string().contains("import_checkpoint"), "{err}");
    assert_empty(to);
    // The same target takes the copy afterwards.
    transfer::copy(from, to).expect("copy after the failure");
}

#[test]
fn a_failure_in_the_last_table_leaves_the_target_empty() {
    let from = source();
    fails_and_leaves_empty(&from, &mut SqliteStore::in_memory().expect("store"));
    let Some((_db, mut pg)) = postgres() else {
        return;
    };
    fails_and_leaves_empty(&from, &mut pg);
}

#[test]
fn a_row_of_the_wrong_kind_is_refused() {
    struct Corrupt<'a>(&'a dyn Dump);
    impl Dump for Corrupt<'_> {
        fn dump(&self, f: &mut RowSink<'_>) -> safeground_store::Result<()> {
            self.0.dump(&mut |table, row| {
                let mut row = row.to_vec();
                if table.name == "import_checkpoint" {
                    row[1] = transfer::Value::Text("one".into());
                }
                f(table, &row)
            })
        }
    }
    let from = source();
    let mut to = SqliteStore::in_memory().expect("store");
    let err = transfer::copy(&Corrupt(&from), &mut to).expect_err("corrupt row");
    assert_refused(&err, "import_checkpoint.position");
    assert_empty(&to);
}

#[test]
fn a_copy_that_differs_is_not_verified_and_names_the_table() {
    let from = source();
    let mut to = SqliteStore::in_memory().expect("store");
    let err = transfer::copy(&ShortFirstDump(&from, Cell::new(0)), &mut to).expect_err("differs");
    assert_refused(&err, "table audit");
}

/// A row in every evidence table: an orthophoto of H1, a run of one detection confirmed with
/// its EO find, a machine track on A1.
fn evidence_rows<S: EvidenceStore>(store: &mut S) {
    use geo_types::{MultiLineString, Point, polygon};
    use safeground_store::evidence::{
        NewDetection, NewDetectionRun, NewOrthophoto, NewTrack, VerdictValue,
    };
    let area = polygon![(x: 104.0, y: 12.0), (x: 104.001, y: 12.0), (x: 104.001, y: 12.001),
        (x: 104.0, y: 12.0)];
    let photo = NewOrthophoto {
        name: "North field".into(),
        file: "north-field.tif".into(),
        sha256: "0f".repeat(32),
        size_bytes: 4096,
        width: 64,
        height: 64,
        bands: 3,
        epsg: 32648,
        geotransform: [500_000.0, 0.1, 0.0, 1_300_000.0, 0.0, -0.1],
        footprint: area.clone(),
        resolution_m: 0.1,
        captured_on: Some(d("2024-05-01")),
        hazards: vec!["H1".into()],
        activity: Some("A1".into()),
        organisation: None,
    };
    let photo = store.add_orthophoto("pilot", &photo).expect("orthophoto");
    let run = NewDetectionRun {
        orthophoto: Some(photo),
        model: "minefinder".into(),
        model_version: "1.0".into(),
        format: "coco".into(),
        source_name: "run.json".into(),
        organisation: None,
        detections: vec![NewDetection {
            class: "pfm_1".into(),
            confidence: 0.875,
            location: Point::new(104.0005, 12.0005),
            footprint: None,
            pixel_bbox: Some([1.0, 2.0, 3.0, 4.0]),
        }],
        dropped: vec![],
    };
    let run = store.add_detection_run("analyst", &run).expect("run");
    let found: Record = serde_json::from_value(serde_json::json!({"kind": "eo_find",
        "local_id": "EO-D1", "category": "ap_mine", "quantity": 1}))
    .expect("find");
    let detection = store.detections(&Default::default()).expect("detections")[0].id;
    assert_eq!(run.count, 1);
    (store.set_verdict(
        "deminer",
        detection,
        VerdictValue::Confirmed,
        Some("found"),
        Some(safeground_store::evidence::Confirmation::NewFind(&report(
            "2024-06-04",
            vec![found],
        ))),
    ))
    .expect("confirmed");
    let track = NewTrack {
        activity: "A1".into(),
        machine: "MV-4".into(),
        kind: "machine".into(),
        working_width_m: 2.0,
        source_name: "mv4.csv".into(),
        format: "csv".into(),
        fixes: 3,
        fixes_used: 3,
        dropped: serde_json::json!({}),
        task_m2: 5000.0,
        processed_m2: 2500.0,
        processed_outside_m2: 0.0,
        coverage_pct: 50.0,
        overlap_m2: 0.0,
        gap_m2: 2500.0,
        engaged_length_m: 120.0,
        started_at: None,
        ended_at: None,
        task: MultiPolygon(vec![area.clone()]),
        processed: MultiPolygon(vec![area.clone()]),
        gaps: MultiPolygon(vec![]),
        overlaps: MultiPolygon(vec![]),
        line: MultiLineString(vec![LineString::from(vec![(104.0, 12.0), (104.001, 12.0)])]),
        organisation: None,
    };
    store.add_track("operator", &track).expect("track");
}

/// A field submission with a photo of its EO find.
fn field_rows<S: FieldStore>(store: &mut S) {
    use safeground_store::field::{FieldFile, FieldSubmission};
    let find: Record = serde_json::from_value(serde_json::json!({"kind": "eo_find",
        "local_id": "EO-F1", "category": "ap_mine", "quantity": 1}))
    .expect("find");
    let files = [FieldFile {
        part: "photo-0".into(),
        entry: 0,
        name: "IMG_0001.jpg".into(),
        media_type: "image/jpeg".into(),
        caption: Some("as found".into()),
        bytes: vec![0xFF, 0xD8, 0, 1, 2, 0xFF, 0xD9],
    }];
    let submission = FieldSubmission {
        uuid: "0b6f1f52-8c1e-4c5a-9d0e-3f2a1b4c5d6e",
        digest: "c0ffee",
        form_version: "0123456789abcdef",
        report: &report("2024-06-03", vec![find]),
        files: &files,
    };
    (store.submit_field("officer", &submission)).expect("field submission");
}

/// A row in every table of operations planning: a team's task order, the criteria and the
/// settings, a layer.
fn planning_rows<S: ProgrammeStore + AccountStore + PlanningStore>(store: &mut S) {
    use safeground_store::planning::{NewTask, PlanningSettings};
    let team = Record::Team(safeground_model::Team {
        local_id: "ORG-HALO-MANUAL".into(),
        name: "HALO manual 1".into(),
        organisation: "ORG-HALO".into(),
        team_type: safeground_model::TeamKind::Manual,
        assets: vec![safeground_model::Asset {
            asset_type: safeground_model::AssetType::Manual,
            identifier: "Section 1".into(),
        }],
    });
    let halo = Record::Organisation(safeground_model::Organisation {
        local_id: "ORG-HALO".into(),
        name: "The HALO Trust".into(),
        acronym: "HALO".into(),
        organisation_type: safeground_model::OrganisationKind::Operator,
    });
    approved(store, &report("2024-06-02", vec![halo, team]), false);
    store
        .add_account("setup", &account("planner", Role::Planner))
        .expect("planner");
    let task = NewTask {
        task_id: None,
        team: "ORG-HALO-MANUAL".into(),
        hazards: vec!["H2".into()],
        method: ActivityType::Clearance,
        assets: vec![safeground_model::AssetType::Manual],
        planned_start: d("2024-07-01"),
        planned_end: d("2024-08-15"),
        comment: Some("before the rains".into()),
    };
    store.add_task("planner", &task).expect("task");
    (store.put_planning_criteria("planner", "[[criterion]]\nid = 'a'")).expect("criteria");
    let settings = PlanningSettings {
        article5_deadline: Some(d("2025-12-31")),
        days_per_year: 230.0,
    };
    (store.put_planning_settings("planner", &settings)).expect("settings");
    let layer = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
        "geometry":{"type":"Point","coordinates":[103.2,13.1]}}]}"#;
    (store.put_planning_layer("planner", "settlements", layer, 1)).expect("layer");
}

/// A row in every table of the training register.
fn training_rows<S: AccountStore + TrainingStore>(store: &mut S) {
    use safeground_store::training::{
        Competency, NewAssessment, NewCertificate, NewCourseSession, NewPerson, PersonalDetails,
    };
    store
        .add_account("setup", &account("officer", Role::TrainingOfficer))
        .expect("training officer");
    for (id, name) in [("P-000001", "Sok Dara"), ("P-000002", "Chan Vanna")] {
        let person = NewPerson {
            person_id: id.into(),
            organisation: "ORG-HALO".into(),
            sex: Sex::Female,
            birth_year: 1988,
            team: Some("ORG-HALO-MANUAL".into()),
            personal: PersonalDetails {
                name: name.into(),
                contact: None,
                national_id: Some("0102".into()),
            },
        };
        store.add_trainee("officer", &person).expect("person");
    }
    let session = NewCourseSession {
        competency: Competency::ManualDeminer,
        organisation: "ORG-HALO".into(),
        place: "Siem Reap".into(),
        start_date: d("2024-01-08"),
        end_date: d("2024-02-02"),
        instructors: vec!["P-000001".into()],
    };
    let s = store
        .add_course_session("officer", &session)
        .expect("session");
    store.enrol("officer", s.id, "P-000002").expect("enrol");
    let assessment = NewAssessment {
        session_id: s.id,
        person_id: "P-000002".into(),
        passed: true,
        score: Some(87.5),
        assessed_on: d("2024-02-02"),
        assessor: "Sok Dara".into(),
    };
    store.assess("officer", &assessment).expect("assess");
    let c = NewCertificate {
        person_id: "P-000002".into(),
        competency: Competency::ManualDeminer,
        issued_on: d("2024-02-05"),
        expires_on: d("2026-02-04"),
    };
    let c = store.certify("officer", &c).expect("certify");
    store
        .suspend_certificate("officer", &c.code, "QA finding of 3 May", d("2024-05-03"))
        .expect("suspend");
}
