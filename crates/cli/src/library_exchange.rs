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
    let cell = LibraryCell::new(args.library_dir.clone(), &args.db, DEFAULT_MAX_BYTES);
    let library = cell.get().map_err(|e| anyhow::anyhow!("{e}"))?;
    match receive_package(store.as_mut(), &library, &args.dir, direction, &args.actor) {
        Ok(r) => {
            writeln!(out, "{}: {}", args.dir.display(), said(&r))?;
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
