//! Library documents through the federation (issue 25), as package folders (`manifest.json`,
//! `files/<sha256>`) carried on a USB stick or by e-mail:
//!
//! * up: `safeground federation export-library DB --key FILE --out DIR` (the node's own
//!   public and regional documents), then `safeground hub import-library HUB DIR`;
//! * down: `safeground hub export-library HUB --key FILE --out DIR` (the hub's and its nodes'),
//!   then `safeground federation adopt-library DB DIR` at every node.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use safeground_federation::NodeKey;
use safeground_library::Folder;
use safeground_server::library::{DEFAULT_MAX_BYTES, LibraryCell, library_dir};
use safeground_server::library_exchange::{
    Direction, ExchangeError, receive_package, write_package,
};
use safeground_store::library_exchange::LibraryReceipt;
use safeground_store::{Location, StoreError};

/// `export-library`: write a signed library package.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Database: a file, `sqlite:PATH`, or `postgres://…`.
    pub db: Location,
    /// The programme's node key file (`safeground federation init`).
    #[arg(long)]
    pub key: PathBuf,
    /// Package folder to create (never overwritten).
    #[arg(long)]
    pub out: PathBuf,
    /// The library's folder (default: beside the SQLite file, `demo.library/`).
    #[arg(long, env = "SAFEGROUND_LIBRARY_DIR")]
    pub library_dir: Option<PathBuf>,
}

/// `import-library` / `adopt-library`: receive a library package.
#[derive(Args, Debug)]
pub struct ReceiveArgs {
    /// Database: a file, `sqlite:PATH`, or `postgres://…`.
    pub db: Location,
    /// The package folder (`manifest.json` and `files/`).
    pub dir: PathBuf,
    /// The library's folder (default: beside the SQLite file, `demo.library/`).
    #[arg(long, env = "SAFEGROUND_LIBRARY_DIR")]
    pub library_dir: Option<PathBuf>,
    /// Who receives it (recorded in the audit log).
    #[arg(long, default_value = "cli")]
    pub actor: String,
}

/// Writes the package of the programme's shareable documents (with those it received when
/// `with_received`: a hub's).
pub fn export(args: &ExportArgs, with_received: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let key = NodeKey::load(&args.key).with_context(|| {
        format!(
            "reading the node key {} (made by `safeground federation init`)",
            args.key.display()
        )
    })?;
    let store = args
        .db
        .open()
        .with_context(|| format!("opening {}", args.db))?;
    // The files only: no search index, so a running server does not stand in the way.
    let Some(folder) = library_dir(args.library_dir.clone(), &args.db) else {
        anyhow::bail!(
            "{} is in PostgreSQL: give its library folder with --library-dir",
            args.db
        );
    };
    let written = write_package(
        store.as_ref(),
        &Folder::new(folder),
        &key,
        with_received,
        &args.out,
    )?;
    writeln!(
        out,
        "library package of {}: {} documents (public and regional; national ones are never \
         shared), {} files ({} bytes) written to {}",
        key.node(),
        written.documents,
        written.files,
        written.bytes,
        args.out.display()
    )?;
    Ok(())
}

/// Receives a package going `direction`; `Ok(false)` when it was refused (the reason on
/// stderr, nothing written).
pub fn receive(
    args: &ReceiveArgs,
    direction: Direction,
    out: &mut dyn Write,
) -> anyhow::Result<bool> {
    let mut store = args
        .db
        .open()
        .with_context(|| format!("opening {}", args.db))?;
    let Some(dir) = library_dir(args.library_dir.clone(), &args.db) else {
        anyhow::bail!(
            "{} is in PostgreSQL: give its library folder with --library-dir",
            args.db
        );
    };
    let folder = Folder::new(&dir);
    let cell = LibraryCell::new(Some(dir), &args.db, DEFAULT_MAX_BYTES);
    // A running server holds the search index: the documents are received all the same, and
    // indexed when the server next opens its index.
    let library = match cell.get() {
        Ok(library) => Some(library),
        Err(e) if e.to_string().contains("locked by another writer") => None,
        Err(e) => anyhow::bail!("{e}"),
    };
    let index = library.as_deref();
    match receive_package(
        store.as_mut(),
        &folder,
        index,
        &args.dir,
        direction,
        &args.actor,
    ) {
        Ok(r) => {
            writeln!(out, "{}: {}", args.dir.display(), said(&r))?;
            if index.is_none() && !r.changed.is_empty() {
                writeln!(
                    out,
                    "the search index is held by the running server: restart it to make these \
                     documents searchable (it indexes what changed when it opens the index)"
                )?;
            }
            Ok(true)
        }
        Err(e @ (ExchangeError::Refused(_) | ExchangeError::Store(StoreError::Federation(_)))) => {
            eprintln!("{}: refused, nothing written: {e}", args.dir.display());
            Ok(false)
        }
        Err(e) => Err(e).with_context(|| format!("receiving {}", args.dir.display())),
    }
}

/// `hub import-library`: exit code 2 when refused.
pub fn hub_import(args: &ReceiveArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    Ok(if receive(args, Direction::Up, out)? {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::hub::REFUSED)
    })
}

/// `federation adopt-library`: an error when refused.
pub fn adopt(args: &ReceiveArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if !receive(args, Direction::Down, out)? {
        anyhow::bail!(
            "the library package {} was refused (see above)",
            display(&args.dir)
        );
    }
    Ok(())
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

/// One line about a received package.
pub fn said(r: &LibraryReceipt) -> String {
    let mut s = format!(
        "{} documents added, {} updated ({} versions stored), {} held already",
        r.added, r.updated, r.versions, r.unchanged
    );
    if r.own > 0 {
        s.push_str(&format!(", {} of this programme's own skipped", r.own));
    }
    s
}

/// The regional demo's document: Lao PDR's standard operating procedure, shared regionally.
const DEMO_SOP_TITLE: &str = "ມາດຕະຖານການປະຕິບັດງານ: ການເກັບກູ້ລະເບີດບໍ່ທັນແຕກ (NRA SOP)";
const DEMO_SOP_TEXT: &[&str] = &[
    "ມາດຕະຖານການປະຕິບັດງານ ສຳລັບການເກັບກູ້ລະເບີດບໍ່ທັນແຕກ ໃນແຂວງຊຽງຂວາງ ແລະ ແຂວງອັດຕະປື.",
    "ທີມງານຕ້ອງກວດກາພື້ນທີ່ທີ່ສົງໄສ ກ່ອນເລີ່ມການເກັບກູ້ ແລະ ບັນທຶກທຸກລູກລະເບີດທີ່ພົບ.",
    "Standing operating procedure of the National Regulatory Authority for UXO clearance.",
];

/// The regional demo's library flow: node `owner` (its database and key in `dir`) adds its
/// regional SOP, sends it up to the hub, and the hub's package goes down to every node in
/// `nodes`. Package folders are written beside the databases.
pub fn demo_regional(
    dir: &Path,
    hub_db: &Path,
    hub_key: &Path,
    owner: &str,
    nodes: &[&str],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use safeground_server::library::file_content;
    use safeground_store::library::DocumentMeta;

    let db = |code: &str| dir.join(format!("safeground-demo-{code}.sqlite"));
    let fresh = |path: PathBuf| -> anyhow::Result<PathBuf> {
        if path.exists() {
            std::fs::remove_dir_all(&path)
                .with_context(|| format!("cannot replace {}", path.display()))?;
        }
        Ok(path)
    };
    // The owner's SOP, stored as an upload is.
    let owner_db = Location::Sqlite(db(owner));
    let mut store = owner_db.open()?;
    let cell = LibraryCell::new(None, &owner_db, DEFAULT_MAX_BYTES);
    let library = cell.get().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut intake = library.folder.intake(DEFAULT_MAX_BYTES)?;
    intake.write(&safeground_library::samples::docx(DEMO_SOP_TEXT))?;
    let received = intake.finish()?;
    let (content, text) = file_content(&received, Some("nra-sop-uxo-clearance.docx".into()), None)?;
    let meta = DocumentMeta {
        title: DEMO_SOP_TITLE.into(),
        language: "lo".into(),
        country: Some("LAO".into()),
        doc_type: "sop".into(),
        imas_topic: Some("09.10".into()),
        access: "regional".into(),
        organisation: Some("NRA".into()),
    };
    library
        .commit_version(store.as_mut(), Some(received), &text, |s| {
            s.add_document("demo-information-manager", &meta, &content, &text)
        })
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // The index writer is released before the packages are received.
    drop((library, cell, store));
    let up = fresh(dir.join(format!("safeground-demo-{owner}-library")))?;
    export(
        &ExportArgs {
            db: owner_db,
            key: dir.join(format!("safeground-demo-{owner}.key")),
            out: up.clone(),
            library_dir: None,
        },
        false,
        out,
    )?;
    let hub = Location::Sqlite(hub_db.to_owned());
    let receive_at = |db: Location, package: &Path, direction, out: &mut dyn Write| {
        let args = ReceiveArgs {
            db,
            dir: package.to_owned(),
            library_dir: None,
            actor: crate::users::ACTOR.to_owned(),
        };
        if !receive(&args, direction, out)? {
            anyhow::bail!(
                "the demo's library package {} was refused",
                package.display()
            );
        }
        Ok(())
    };
    receive_at(hub.clone(), &up, Direction::Up, out)?;
    let down = fresh(dir.join("safeground-demo-ARMAC-library"))?;
    export(
        &ExportArgs {
            db: hub,
            key: hub_key.to_owned(),
            out: down.clone(),
            library_dir: None,
        },
        true,
        out,
    )?;
    for code in nodes {
        receive_at(Location::Sqlite(db(code)), &down, Direction::Down, out)?;
    }
    Ok(())
}

/// `federation pull-library`: the trusted hub's library over HTTP(S).
#[derive(Args, Debug)]
pub struct PullArgs {
    /// Database: a file, `sqlite:PATH`, or `postgres://…`.
    pub db: Location,
    /// The hub's address (`https://ims.armac.example`).
    pub url: String,
    /// File holding an API token of the programme's account at the hub (a national viewer's:
    /// `POST /api/tokens` on the hub). Without it, the token is read from
    /// SAFEGROUND_HUB_TOKEN; it is never given on the command line.
    #[arg(long)]
    pub token_file: Option<PathBuf>,
    /// Trust this certificate (PEM) instead of the public certificate authorities.
    #[arg(long)]
    pub ca_cert: Option<PathBuf>,
    /// The library's folder (default: beside the SQLite file, `demo.library/`).
    #[arg(long, env = "SAFEGROUND_LIBRARY_DIR")]
    pub library_dir: Option<PathBuf>,
    /// Who adopts it (recorded in the audit log).
    #[arg(long, default_value = "cli")]
    pub actor: String,
}

/// Downloads the hub's manifest, verifies it with the trusted hub's card, downloads the files
/// of the versions this programme lacks into a temporary package folder beside the library,
/// then adopts that package as `adopt-library` does (each file checked against its SHA-256).
pub fn pull(args: &PullArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    use safeground_federation::library_package::{FILES, LibraryPackage, MANIFEST, MAX_MANIFEST};

    let token = hub_token(args.token_file.as_deref())?;
    let base = args.url.trim_end_matches('/');
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        anyhow::bail!("`{}` is not an http(s) address of the hub", args.url);
    }
    let agent = crate::hub_pull::agent(args.ca_cert.as_deref(), "*/*")?;
    let get = |url: &str| -> anyhow::Result<ureq::http::Response<ureq::Body>> {
        let mut reply = agent
            .get(url)
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .map_err(|e| crate::hub_pull::transport(e, url, args.ca_cert.as_deref(), "hub"))?;
        let status = reply.status().as_u16();
        if status != 200 {
            let detail = crate::hub_pull::problem_detail(reply.body_mut());
            let what = match status {
                401 => "the hub did not accept the API token: ask the hub's operator for a new one",
                404 => "not found at the hub (is this a hub's address?)",
                503 => "the hub cannot serve its library now",
                _ => "unexpected answer",
            };
            anyhow::bail!("{url}: {status}: {what}\nthe hub says: {}", detail.trim());
        }
        Ok(reply)
    };
    let url = format!("{base}/api/hub/library/manifest");
    let manifest = get(&url)?
        .body_mut()
        .with_config()
        .limit(MAX_MANIFEST as u64)
        .read_to_string()
        .with_context(|| format!("reading the library manifest from {url}"))?;

    let store = args
        .db
        .open()
        .with_context(|| format!("opening {}", args.db))?;
    let publisher = LibraryPackage::claimed_publisher(&manifest)?;
    let card = safeground_server::library_exchange::card_for(
        store.as_ref(),
        Direction::Down,
        publisher.as_str(),
    )?;
    let package = LibraryPackage::verify(&manifest, &card)?;
    let docs = safeground_server::library_exchange::incoming_documents(&package);
    let local = store.node()?.map(|n| n.code);
    let plans = store.plan_library_receipt(local.as_deref(), &docs)?;
    drop(store);

    let Some(library) = library_dir(args.library_dir.clone(), &args.db) else {
        anyhow::bail!(
            "{} is in PostgreSQL: give its library folder with --library-dir",
            args.db
        );
    };
    std::fs::create_dir_all(&library)
        .with_context(|| format!("creating the library folder {}", library.display()))?;
    let temp = tempfile::Builder::new()
        .prefix("pull-")
        .tempdir_in(&library)
        .with_context(|| format!("creating a folder in {}", library.display()))?;
    let files = temp.path().join(FILES);
    std::fs::create_dir_all(&files)?;
    std::fs::write(temp.path().join(MANIFEST), &manifest)?;
    let (mut count, mut bytes) = (0usize, 0u64);
    for (doc, plan) in docs.iter().zip(&plans) {
        for v in plan.new_versions(doc) {
            let Some(sha) = &v.content.sha256 else {
                continue;
            };
            let path = files.join(sha);
            if path.exists() {
                continue;
            }
            let url = format!("{base}/api/hub/library/files/{sha}");
            let mut reply = get(&url)?;
            // One byte more than the manifest says, so that a longer file is refused later.
            let limit = u64::try_from(v.content.size_bytes).unwrap_or(0) + 1;
            let mut reader = reply.body_mut().with_config().limit(limit).reader();
            let mut file = std::fs::File::create(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            bytes += std::io::copy(&mut reader, &mut file)
                .with_context(|| format!("downloading {url}"))?;
            count += 1;
        }
    }
    writeln!(
        out,
        "{url}: {} documents listed by {publisher}; {count} files downloaded ({bytes} bytes)",
        docs.len()
    )?;
    let received = receive(
        &ReceiveArgs {
            db: args.db.clone(),
            dir: temp.path().to_owned(),
            library_dir: args.library_dir.clone(),
            actor: args.actor.clone(),
        },
        Direction::Down,
        out,
    )?;
    if !received {
        anyhow::bail!("the hub's library was refused (see above); nothing was written");
    }
    Ok(())
}

/// The hub's API token: from `file`, else from SAFEGROUND_HUB_TOKEN.
fn hub_token(file: Option<&Path>) -> anyhow::Result<String> {
    let text = match file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("reading the token file {}", path.display()))?,
        None => std::env::var(crate::reference::TOKEN_VAR).map_err(|_| {
            anyhow::anyhow!(
                "no API token: put the token of the programme's account at the hub in a file \
                 given with --token-file FILE, or in {}",
                crate::reference::TOKEN_VAR
            )
        })?,
    };
    let token = text.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        anyhow::bail!("the token must be alone, on one line");
    }
    Ok(token.to_owned())
}
