//! `safeground demo`: generate a realistic programme, put it through the real report workflow
//! (submit, approve), then print the land-release summary.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::Utc;
use safeground_demo::Country;
use safeground_federation::reference::{
    FoundIn, PublishedPage, codes_from_csv, image_type, ordnance_from_csv,
};
use safeground_federation::{NodeCard, NodeId, NodeKey, ReferenceSet};
use safeground_model::{ItemKind, PagePhoto, Record};
use safeground_store::hub::{HubStore, NewHubNode};
use safeground_store::{
    ApproveOptions, AsOf, FederationStore, Flow, Location, ProgrammeStore, ReferenceStore,
    ReportId, Role, SqliteStore,
};

use crate::federation::Since;
use crate::hub_training::Summary;
use crate::{Format, progress, summary};

/// Reports submitted per transaction.
const BATCH: usize = 500;

/// Builds the demo database at `db` (replacing it) and prints what it holds.
pub fn run(
    db: &Path,
    hazards: usize,
    seed: u64,
    serving: bool,
    listen: std::net::SocketAddr,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let (mut store, ids) = build(db, Country::CAMBODIA, hazards, seed)?;
    writeln!(
        out,
        "Demo programme written to {}: {} reports ({} hazards) submitted and approved in {:.1} s.\n",
        db.display(),
        ids.len(),
        hazards,
        started.elapsed().as_secs_f64()
    )?;
    let rows = store.land_release_summary(AsOf::now())?;
    summary::print(&rows, Format::Table, out)?;
    add_users(&mut store, &[], out)?;
    let t = safeground_demo::training::populate(
        &mut store,
        "training_officer",
        Utc::now().date_naive(),
    )?;
    writeln!(
        out,
        "\nTraining register: {} people, {} course sessions, {} certificates ({} suspended; \
         some expired, so team warnings show on reports).",
        t.people, t.sessions, t.certificates, t.suspended
    )?;
    let deadline =
        chrono::NaiveDate::from_ymd_opt(DEMO_DEADLINE.0, DEMO_DEADLINE.1, DEMO_DEADLINE.2)
            .context("the demo deadline")?;
    let p = safeground_demo::planning::populate(
        &mut store,
        "planner",
        Utc::now().date_naive(),
        deadline,
    )?;
    writeln!(
        out,
        "\nPlanning: {} task orders (every status; one completed with its activity linked), the \
         prioritisation criteria, a settlements layer of {} villages, the roads layer and the \
         Article 5 deadline {deadline}; see #/planning and `safeground plan forecast {}`.",
        p.tasks,
        p.settlements,
        db.display()
    )?;
    let basemap = basemap_path(db);
    let map = safeground_demo::basemap::write_basemap(&store, &basemap)?;
    writeln!(
        out,
        "\nOffline basemap: {} ({} tiles, zooms 0–{}: admin boundaries, national roads, \
         villages), served to the field app's map packs; see `safeground tiles basemap`.",
        basemap.display(),
        map.tiles,
        map.zooms.1
    )?;
    let documents = crate::demo_library::populate(db, &mut store)?;
    crate::demo_library::print(documents, db, out)?;
    let evidence = crate::demo_evidence::add(
        &mut store,
        &db.with_extension("evidence"),
        "approver",
        "reviewer",
    )?;
    crate::demo_evidence::print(evidence.as_ref(), db, out)?;
    let reference = adopt_demo_reference(&mut store, Country::CAMBODIA)?;
    writeln!(
        out,
        "\nReference data: version {} of a demo regional hub {HUB_NODE} adopted ({} ordnance \
         models beyond the built-in catalogue, {} regional terms for vocabulary codes, {} \
         ordnance reference pages with drawings and this programme's found counts; see \
         #/reference); reference data signed by a demo {HUB_NODE} key made for this demo and \
         not kept.",
        reference.version,
        reference.ordnance.len(),
        reference.codes.values().map(|t| t.len()).sum::<usize>(),
        reference.pages.len()
    )?;
    if serving {
        writeln!(
            out,
            "\nOpen http://{listen} and log in as one of these users (Ctrl-C stops the server)."
        )?;
    } else {
        writeln!(
            out,
            "\nServe it:  safeground serve {db}   (then open http://127.0.0.1:8080)\n\
             Try:       safeground summary {db} --as-of 2020-12-31\n           \
             safeground hazard {db} HAZ-000001\n           safeground check {db}",
            db = db.display()
        )?;
    }
    Ok(())
}

/// The regional demo hub's node id, which signs its reference data.
const HUB_NODE: &str = "ARMAC";

/// The name on the regional demo hub's card.
const HUB_NAME: &str = "ASEAN Regional Mine Action Centre";

/// The regional demo's national programmes: node id, name on its card, where it lies.
const NODES: [(&str, &str, Country); 3] = [
    ("KHM", "Cambodia (CMAA)", Country::CAMBODIA),
    ("LAO", "Lao PDR (NRA)", Country::LAO),
    ("AZE", "Azerbaijan (ANAMA)", Country::AZERBAIJAN),
];

/// Builds the regional demo: a hub at `hub_db` (replacing it) fed by three national
/// programmes of `hazards` hazards each, written beside it with their node keys (mode 0600) and
/// signed bundles; prints the nodes and the demo users of the hub.
pub fn regional(
    hub_db: &Path,
    hazards: usize,
    seed: u64,
    serving: bool,
    listen: std::net::SocketAddr,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let dir = hub_db.parent().unwrap_or(Path::new("."));
    remove_db(hub_db)?;
    let mut hub = SqliteStore::create(hub_db)?;
    hub.make_hub(crate::users::ACTOR)?;
    let hub_key = hub_identity(&mut hub, dir)?;
    let mut node_dbs = Vec::new();
    let mut bundles = Vec::new();
    let mut summaries = Vec::new();
    for (k, (code, name, country)) in NODES.into_iter().enumerate() {
        let db = dir.join(format!("safeground-demo-{code}.sqlite"));
        let (mut store, ids) = build(&db, country, hazards, seed.wrapping_add(k as u64))?;
        let key_path = dir.join(format!("safeground-demo-{code}.key"));
        let bundle = dir.join(format!("safeground-demo-{code}.sgb"));
        for file in [&key_path, &bundle] {
            if file.exists() {
                std::fs::remove_file(file)
                    .with_context(|| format!("cannot replace {}", file.display()))?;
            }
        }
        let key = NodeKey::create(&key_path, NodeId::new(code)?)?;
        store.set_node(crate::users::ACTOR, code)?;
        node_dbs.push(db.clone());
        let training = training_register(&mut store, k)?;
        let evidence = detector_evidence(&mut store, &db)?;
        drop(store);
        hub.add_node(
            crate::users::ACTOR,
            &NewHubNode {
                node: code.to_owned(),
                name: name.to_owned(),
                card: key.card(name)?.to_json(),
            },
        )?;
        writeln!(
            out,
            "{name}: {} reports approved in {}; node key {}; training register of {} people; \
             {} drone detections, {} judged",
            ids.len(),
            db.display(),
            key_path.display(),
            training.people,
            evidence.as_ref().map_or(0, |e| e.detections),
            evidence.as_ref().map_or(0, |e| e.verdicts),
        )?;
        let node_db = Location::Sqlite(db);
        crate::federation::export(&node_db, &key_path, Since::Seq(0), &bundle, None, out)?;
        bundles.push(bundle);
        for kind in [Summary::Training, Summary::Detector] {
            let summary = dir.join(format!("safeground-demo-{code}-{}.json", kind_file(kind)));
            if summary.exists() {
                std::fs::remove_file(&summary)
                    .with_context(|| format!("cannot replace {}", summary.display()))?;
            }
            crate::hub_training::write_summary(&node_db, &key_path, &summary, kind, out)?;
            summaries.push((kind, summary));
        }
    }
    let hub_location = Location::Sqlite(hub_db.to_owned());
    if crate::hub::import(&hub_location, &bundles, crate::users::ACTOR, out)?
        != std::process::ExitCode::SUCCESS
    {
        bail!("the hub refused a demo bundle (see above); run the demo again");
    }
    for (kind, summary) in &summaries {
        let files = std::slice::from_ref(summary);
        if crate::hub_training::import(&hub_location, files, *kind, crate::users::ACTOR, out)?
            != std::process::ExitCode::SUCCESS
        {
            bail!(
                "the hub refused a demo {} (see above); run the demo again",
                kind.what()
            );
        }
    }
    // The reference data, with ordnance pages counting the finds just shared; users first
    // (the pages are written by the hub's administrator), shown further down.
    let mut users = Vec::new();
    add_users(&mut hub, &HUB_USERS, &mut users)?;
    let folder = crate::reference_pages::folder(None, &hub_location)?;
    let pages = crate::reference_pages::write_demo_pages(&mut hub, &folder, "admin")?.len();
    let reference = publish_reference(&mut hub, hub_key, &folder)?;
    for db in &node_dbs {
        reference.adopt(&mut SqliteStore::open(db)?)?;
    }
    // Pages of the models this version added: on the hub now, published with the next one.
    let next = crate::reference_pages::write_demo_pages(&mut hub, &folder, "admin")?;
    // Lao PDR's regional SOP goes up to the hub and down to every node.
    let codes: Vec<&str> = NODES.iter().map(|n| n.0).collect();
    crate::library_exchange::demo_regional(
        dir,
        hub_db,
        &dir.join(format!("safeground-demo-{HUB_NODE}.key")),
        "LAO",
        &codes,
        out,
    )?;
    writeln!(
        out,
        "\nRegional hub written to {} in {:.1} s:\n",
        hub_db.display(),
        started.elapsed().as_secs_f64()
    )?;
    crate::hub::nodes(&hub_location, out)?;
    writeln!(
        out,
        "\nReference data: {HUB_NODE} published version {} ({} ordnance models beyond the \
         built-in catalogue, {} regional terms for vocabulary codes, {pages} ordnance \
         reference pages with drawings and found counts), adopted by every node. The pages \
         of {} are written on the hub for the next version (`safeground hub \
         publish-reference`).",
        reference.set.version,
        reference.set.ordnance.len(),
        reference.set.codes.values().map(|t| t.len()).sum::<usize>(),
        next.join(" and ")
    )?;
    out.write_all(&users)?;
    if serving {
        writeln!(
            out,
            "\nOpen http://{listen}/#/region and log in as one of these users (Ctrl-C stops the \
             server)."
        )?;
    } else {
        writeln!(
            out,
            "\nServe it:  safeground serve {}   (then open http://127.0.0.1:8080/#/region)",
            hub_db.display()
        )?;
    }
    Ok(())
}

/// The part of a summary file's name that says its kind.
fn kind_file(kind: Summary) -> &'static str {
    match kind {
        Summary::Training => "training",
        Summary::Detector => "detectors",
    }
}

/// Gives a regional node the national demo's drone evidence (orthophoto, detections, some
/// judged, a machine track), entered and judged by its own approver and reviewer, so that its
/// detector summary has figures; beside `db` in `<db>.evidence/`.
fn detector_evidence(
    store: &mut SqliteStore,
    db: &Path,
) -> anyhow::Result<Option<safeground_server::evidence::demo::Populated>> {
    for (user, role, name) in [
        ("approver", Role::Approver, "Approver"),
        ("reviewer", Role::Reviewer, "Reviewer"),
    ] {
        crate::users::add(
            store,
            crate::users::ACTOR,
            user,
            role,
            "ORG-CMAA",
            Some(name),
            None,
        )?;
    }
    crate::demo_evidence::add(
        store,
        &db.with_extension("evidence"),
        "approver",
        "reviewer",
    )
}

/// Gives the `k`th regional node a training register (a training officer account and the
/// demo's people, courses and certificates, dated back `k` × 150 days so the nodes differ).
fn training_register(
    store: &mut SqliteStore,
    k: usize,
) -> anyhow::Result<safeground_demo::training::TrainingDemo> {
    let officer = "training_officer";
    crate::users::add(
        store,
        crate::users::ACTOR,
        officer,
        Role::TrainingOfficer,
        "ORG-CMAA",
        Some("Training officer"),
        None,
    )?;
    let today = Utc::now().date_naive() - chrono::Duration::days(150 * k as i64);
    Ok(safeground_demo::training::populate(store, officer, today)?)
}

/// The hub's reference data, signed, as each node adopts it.
struct Reference {
    card: NodeCard,
    set: ReferenceSet,
    document: String,
}

impl Reference {
    /// The node trusts the hub and adopts the reference data.
    fn adopt(&self, store: &mut SqliteStore) -> anyhow::Result<()> {
        let actor = crate::users::ACTOR;
        store.trust_hub(actor, self.card.node.as_str(), &self.card.to_json())?;
        store.adopt_reference(actor, self.set.version, &self.document, &self.set.ordnance)?;
        Ok(())
    }
}

/// Gives the hub its node identity (ARMAC, key beside it).
fn hub_identity(hub: &mut SqliteStore, dir: &Path) -> anyhow::Result<NodeKey> {
    let key_path = dir.join("safeground-demo-ARMAC.key");
    if key_path.exists() {
        std::fs::remove_file(&key_path)
            .with_context(|| format!("cannot replace {}", key_path.display()))?;
    }
    let key = NodeKey::create(&key_path, NodeId::new(HUB_NODE)?)?;
    hub.set_node(crate::users::ACTOR, HUB_NODE)?;
    Ok(key)
}

/// Publishes the regional ordnance models, code lists and the hub's ordnance reference pages
/// (photos from `folder`, found counts from the shared finds) as reference version 1.
fn publish_reference(
    hub: &mut SqliteStore,
    key: NodeKey,
    folder: &safeground_library::Folder,
) -> anyhow::Result<Reference> {
    let ordnance = ordnance_from_csv(safeground_demo::REGIONAL_ORDNANCE_CSV)?;
    let catalogue = safeground_model::Catalogue::new(ordnance.clone())?;
    let (pages, _) = crate::reference_pages::published_pages(&*hub, Some(folder), &catalogue)?;
    let set = ReferenceSet {
        publisher: key.node().clone(),
        version: 1,
        published_at: Utc::now(),
        ordnance,
        codes: codes_from_csv(safeground_demo::REGIONAL_CODES_CSV)?,
        pages,
    };
    let document = set.sign(&key)?;
    hub.publish_reference(crate::users::ACTOR, set.version, &document)?;
    Ok(Reference {
        card: key.card(HUB_NAME)?,
        set,
        document,
    })
}

/// The national demo's reference data, as the regional demo's hub would publish it for this
/// programme: version 1 with the regional ordnance models and code lists and the demo pages
/// with their drawings, found counts from this programme's own approved EO finds under its
/// node id (`country`'s in [`NODES`]), signed by an [`HUB_NODE`] key made here and not kept.
/// The programme trusts that key's card and adopts the set through the store calls of any
/// node, so it is served as adopted reference data; returns the set.
fn adopt_demo_reference(store: &mut SqliteStore, country: Country) -> anyhow::Result<ReferenceSet> {
    let (node, name, _) = NODES
        .into_iter()
        .find(|n| n.2.code == country.code)
        .context("the demo country is none of the regional demo's nodes")?;
    let key = NodeKey::generate(NodeId::new(HUB_NODE)?)?;
    let ordnance = ordnance_from_csv(safeground_demo::REGIONAL_ORDNANCE_CSV)?;
    let catalogue = safeground_model::Catalogue::new(ordnance.clone())?;
    let mut counts = own_found_counts(store, &catalogue)?;
    let now = Utc::now();
    let mut pages = Vec::new();
    for demo in safeground_demo::ordnance_pages::pages().map_err(anyhow::Error::msg)? {
        if catalogue.lookup(&demo.page.model).map(|m| m.0) != Some(demo.page.model.as_str()) {
            continue;
        }
        let found = (counts.remove(&demo.page.model).into_iter())
            .map(|items| FoundIn {
                node: node.to_owned(),
                name: name.to_owned(),
                items,
            })
            .collect();
        let mut page = PublishedPage {
            page: demo.page,
            found,
            found_at: Some(now),
            photo_data: Default::default(),
        };
        for (caption, png) in &demo.drawings {
            let media_type = image_type(png)
                .with_context(|| format!("the drawing of {} is no image", page.page.model))?;
            let sha256 = page.insert_photo(png);
            page.page.photos.push(PagePhoto {
                sha256,
                media_type: media_type.to_owned(),
                caption: caption.clone(),
            });
        }
        pages.push(page);
    }
    let set = ReferenceSet {
        publisher: key.node().clone(),
        version: 1,
        published_at: now,
        ordnance,
        codes: codes_from_csv(safeground_demo::REGIONAL_CODES_CSV)?,
        pages,
    };
    let reference = Reference {
        card: key.card(HUB_NAME)?,
        document: set.sign(&key)?,
        set,
    };
    reference.adopt(store)?;
    Ok(reference.set)
}

/// EO items of each model (by its designation in `catalogue`; models it does not know left
/// out) in this programme's current approved EO finds, the finds' quantities summed: what
/// `safeground_store::ordnance_pages::found_counts` counts on a hub from the finds a node
/// shares, counted here from the programme's own store (it is no hub).
fn own_found_counts(
    store: &SqliteStore,
    catalogue: &safeground_model::Catalogue,
) -> anyhow::Result<BTreeMap<String, u64>> {
    let mut counts = BTreeMap::new();
    store.for_each_current(ItemKind::EoFind, None, &mut |v| {
        if let Record::EoFind(find) = &v.record
            && let Some((designation, _, _)) =
                find.model.as_deref().and_then(|m| catalogue.lookup(m))
        {
            *counts.entry(designation.to_owned()).or_default() += u64::from(find.quantity);
        }
        Ok(Flow::Continue)
    })?;
    Ok(counts)
}

/// Writes a programme of `hazards` hazards in `country` to `db` (replacing it), every report
/// submitted and approved; returns the store and the report ids.
fn build(
    db: &Path,
    country: Country,
    hazards: usize,
    seed: u64,
) -> anyhow::Result<(SqliteStore, Vec<ReportId>)> {
    remove_db(db)?;
    let programme = safeground_demo::generate_in(country, hazards, seed, Utc::now().date_naive());
    let mut store = SqliteStore::create(db)?;
    let reports = &programme.reports;

    let bar = progress(reports.len() as u64, "submitting");
    let mut ids = Vec::with_capacity(reports.len());
    for chunk in reports.chunks(BATCH) {
        ids.extend(store.submit_batch("demo-field-officer", chunk)?);
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();

    let bar = progress(ids.len() as u64, "approving");
    let options = ApproveOptions {
        comment: Some("demo programme".into()),
        allow_backdated: false,
        four_eyes: false,
    };
    for id in &ids {
        store
            .approve_report("demo-information-manager", *id, &options)
            .with_context(|| format!("approving demo report {id}"))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok((store, ids))
}

/// The demo's basemap beside database `db`: `<db stem>.basemap.mbtiles`.
pub fn basemap_path(db: &Path) -> PathBuf {
    db.with_extension("basemap.mbtiles")
}

/// Removes an SQLite database, its journal files, its library and evidence folders and its
/// basemap, if there.
fn remove_db(db: &Path) -> anyhow::Result<()> {
    for folder in ["library", "evidence"] {
        let folder = db.with_extension(folder);
        if folder.is_dir() {
            std::fs::remove_dir_all(&folder)
                .with_context(|| format!("cannot replace {}", folder.display()))?;
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", db.display());
        if Path::new(&path).exists() {
            std::fs::remove_file(&path).with_context(|| format!("cannot replace {path}"))?;
        }
    }
    let basemap = basemap_path(db);
    if basemap.exists() {
        std::fs::remove_file(&basemap)
            .with_context(|| format!("cannot replace {}", basemap.display()))?;
    }
    Ok(())
}

/// Adds the demo users, and `extra` ones, to `store` and prints their new passwords.
fn add_users(
    store: &mut SqliteStore,
    extra: &[DemoUser],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "\nDemo users (one per role; passwords are new on every run):"
    )?;
    writeln!(
        out,
        "  {:<16} {:<18} {:<10} password",
        "user", "role", "org"
    )?;
    for &(username, role, organisation, name) in DEMO_USERS.iter().chain(extra) {
        let (password, _) = crate::users::add(
            store,
            crate::users::ACTOR,
            username,
            role,
            organisation,
            Some(name),
            None,
        )?;
        writeln!(
            out,
            "  {username:<16} {:<18} {organisation:<10} {password}",
            role.code()
        )?;
    }
    Ok(())
}

/// A demo account: user name, role, organisation, display name.
type DemoUser = (&'static str, Role, &'static str, &'static str);

/// The regional hub's own roles: an analyst of the regional centre, and a national viewer who
/// sees Cambodia's shared data only (organisation: the node id).
const HUB_USERS: [DemoUser; 3] = [
    (
        "analyst",
        Role::RegionalAnalyst,
        "ARMAC",
        "Sopheap Ly (ARMAC regional analyst)",
    ),
    (
        "khm-viewer",
        Role::NationalViewer,
        "KHM",
        "Sothea Heng (CMAA, national viewer)",
    ),
    (
        "eod-officer",
        Role::EodOfficer,
        "ARMAC",
        "Vanna Keo (ARMAC EOD officer, reads render-safe notes)",
    ),
];

/// One demo account per role: the national authority's staff and one operator's.
const DEMO_USERS: [DemoUser; 8] = [
    (
        "admin",
        Role::Administrator,
        "ORG-CMAA",
        "Sokha Chan (administrator)",
    ),
    (
        "approver",
        Role::Approver,
        "ORG-CMAA",
        "Dara Keo (information manager)",
    ),
    (
        "reviewer",
        Role::Reviewer,
        "ORG-CMAA",
        "Vanna Lim (reviewer)",
    ),
    (
        "halo-entry",
        Role::DataEntry,
        "ORG-HALO",
        "Bopha Sok (HALO data entry)",
    ),
    (
        "mag-viewer",
        Role::Viewer,
        "ORG-MAG",
        "Rith Mao (MAG viewer)",
    ),
    (
        "va-officer",
        Role::VictimAssistance,
        "ORG-CMAA",
        "Channary Pich (victim assistance)",
    ),
    (
        "training_officer",
        Role::TrainingOfficer,
        "ORG-CMAA",
        "Sreyneang Ouk (training officer)",
    ),
    (
        "planner",
        Role::Planner,
        "ORG-CMAA",
        "Kosal Nhem (operations planner)",
    ),
];

/// The demo programme's Article 5 deadline.
const DEMO_DEADLINE: (i32, u32, u32) = (2030, 12, 31);
