//! `safeground reference`: the ordnance reference library from the command line (issue 25).
//! Pages are written on the regional hub by an administrator (`--actor`), their photos stored
//! in the hub's library folder; `hub publish-reference` carries them, with the hub's found
//! counts and the photos' bytes, to the nodes. `reference pages` and `reference page show` read
//! them where they are: the hub's table, or the reference set a node adopted.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Subcommand;
use safeground_federation::ReferenceSet;
use safeground_federation::reference::{FoundIn, MAX_PHOTO_BYTES, PublishedPage};
use safeground_library::{FileKind, Folder};
use safeground_model::{Catalogue, OrdnancePage, PagePhoto};
use safeground_server::library::library_dir;
use safeground_store::ordnance_pages::{FoundCount, found_counts};
use safeground_store::{Backend, Location, StoreError};

/// Actions of `safeground reference`.
#[derive(Subcommand, Debug)]
pub enum ReferenceCommand {
    /// One ordnance reference page: `set` it, add a `photo`, `show` it.
    Page {
        #[command(subcommand)]
        action: PageCommand,
    },
    /// List the ordnance reference pages (the hub's, or those of the reference set adopted).
    Pages {
        /// The programme's database.
        db: Location,
    },
}

/// Actions on one page.
#[derive(Subcommand, Debug)]
pub enum PageCommand {
    /// Create or replace the page of MODEL (on the hub) from a JSON file with `summary`,
    /// `dimensions` {length_mm, width_mm, height_mm, diameter_mm, weight_g, explosive_g,
    /// explosive}, `fuzing`, `identification` [..], `hazards` and `render_safe`; its photos
    /// are kept.
    Set {
        /// The hub's database.
        db: Location,
        /// The model (designation or another name the catalogue knows).
        model: String,
        /// The page, JSON.
        #[arg(long)]
        file: PathBuf,
        /// An enabled administrator account of the hub (recorded in the audit log).
        #[arg(long, default_value = "admin")]
        actor: String,
    },
    /// Add a photo (PNG, JPEG or WebP, at most 2 MiB) to the page of MODEL (on the hub).
    Photo {
        /// The hub's database.
        db: Location,
        /// The model.
        model: String,
        /// The image file.
        file: PathBuf,
        /// What it shows.
        #[arg(long, default_value = "")]
        caption: String,
        /// An enabled administrator account of the hub.
        #[arg(long, default_value = "admin")]
        actor: String,
        /// The hub's library folder (default: beside its SQLite file; needed for PostgreSQL).
        #[arg(long)]
        library_dir: Option<PathBuf>,
    },
    /// Show the page of MODEL; `--render-safe` adds its render-safe notes for an EOD officer
    /// or a hub administrator (`--actor`), audited.
    Show {
        /// The programme's database.
        db: Location,
        /// The model.
        model: String,
        /// Show the render-safe notes.
        #[arg(long, requires = "actor")]
        render_safe: bool,
        /// Who reads them: an EOD officer, or an administrator of the hub.
        #[arg(long)]
        actor: Option<String>,
    },
}

/// Runs `safeground reference`.
pub fn run(action: ReferenceCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match action {
        ReferenceCommand::Pages { db } => list(&db, out),
        ReferenceCommand::Page { action } => match action {
            PageCommand::Set {
                db,
                model,
                file,
                actor,
            } => set(&db, &model, &file, &actor, out),
            PageCommand::Photo {
                db,
                model,
                file,
                caption,
                actor,
                library_dir: dir,
            } => {
                let folder = folder(dir, &db)?;
                let mut store = db.open().with_context(|| format!("opening {db}"))?;
                let page = add_photo(store.as_mut(), &folder, &model, &file, &caption, &actor)?;
                writeln!(
                    out,
                    "photo added to the page of {}: {} photo(s)",
                    page.model,
                    page.photos.len()
                )?;
                Ok(())
            }
            PageCommand::Show {
                db,
                model,
                render_safe,
                actor,
            } => show(&db, &model, render_safe.then_some(actor).flatten(), out),
        },
    }
}

/// The hub's library folder.
pub fn folder(dir: Option<PathBuf>, db: &Location) -> anyhow::Result<Folder> {
    match library_dir(dir, db) {
        Some(d) => Ok(Folder::new(d)),
        None => {
            bail!("{db} is a PostgreSQL programme: give its library folder with --library-dir DIR")
        }
    }
}

/// The page fields of a JSON file: the page of `model` without photos.
fn read_page(model: &str, file: &Path) -> anyhow::Result<OrdnancePage> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let mut json: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", file.display()))?;
    let Some(object) = json.as_object_mut() else {
        bail!("{}: the page is a JSON object", file.display());
    };
    for field in ["model", "photos"] {
        if object.remove(field).is_some() {
            bail!(
                "{}: `{field}` is not a page field here (the model is named on the command \
                 line; photos are added with `reference page photo`)",
                file.display()
            );
        }
    }
    object.insert("model".into(), model.into());
    serde_json::from_value(json).with_context(|| format!("reading the page in {}", file.display()))
}

fn set(
    db: &Location,
    model: &str,
    file: &Path,
    actor: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut page = read_page(model, file)?;
    let mut store = db.open().with_context(|| format!("opening {db}"))?;
    if let Some(held) = store.page(model)? {
        page.photos = held.page.photos;
    }
    let stored = store.put_page(actor, &page).map_err(|e| match e {
        StoreError::Invalid(errors) => {
            anyhow::anyhow!("the page of {model} is not valid:\n{errors}")
        }
        other => other.into(),
    })?;
    writeln!(
        out,
        "page of {} written ({} identification features, {} photo(s)); publish it with \
         `safeground hub publish-reference`",
        stored.page.model,
        stored.page.identification.len(),
        stored.page.photos.len()
    )?;
    Ok(())
}

/// Stores `bytes` in `folder` by their SHA-256 (checked as a photo: PNG, JPEG or WebP, at most
/// 2 MiB); the photo to put on a page and whether the file is new to the folder.
pub fn store_photo(
    folder: &Folder,
    bytes: &[u8],
    caption: &str,
) -> anyhow::Result<(PagePhoto, bool)> {
    let mut intake = folder.intake(MAX_PHOTO_BYTES as u64)?;
    intake.write(bytes)?;
    let received = intake.finish()?;
    if !matches!(
        received.kind,
        FileKind::Png | FileKind::Jpeg | FileKind::Webp
    ) {
        bail!(
            "a {} is not a photo; give a PNG, JPEG or WebP image",
            received.kind.media_type()
        );
    }
    let photo = PagePhoto {
        sha256: received.sha256.clone(),
        media_type: received.kind.media_type().to_owned(),
        caption: caption.trim().to_owned(),
    };
    let new = folder.store(received)?;
    Ok((photo, new))
}

/// Adds the photo in `file` to the page of `model` as `actor`; the page written.
pub fn add_photo(
    store: &mut dyn Backend,
    folder: &Folder,
    model: &str,
    file: &Path,
    caption: &str,
    actor: &str,
) -> anyhow::Result<OrdnancePage> {
    let Some(held) = store.page(model)? else {
        bail!("there is no reference page of {model} yet: `safeground reference page set` first");
    };
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    if bytes.len() > MAX_PHOTO_BYTES {
        bail!(
            "{} is {} bytes; a page's photo is at most {MAX_PHOTO_BYTES} bytes",
            file.display(),
            bytes.len()
        );
    }
    let (photo, new) =
        store_photo(folder, &bytes, caption).with_context(|| format!("in {}", file.display()))?;
    let sha = photo.sha256.clone();
    let mut page = held.page;
    page.photos.push(photo);
    match store.put_page(actor, &page) {
        Ok(stored) => Ok(stored.page),
        Err(e) => {
            if new {
                let _ = folder.remove(&sha);
            }
            Err(e.into())
        }
    }
}

/// The hub's pages as it publishes them under `catalogue`: with its found counts now and
/// their photos' bytes from `folder`; also the models of pages left out because `catalogue`
/// lacks them.
pub fn published_pages(
    store: &dyn Backend,
    folder: Option<&Folder>,
    catalogue: &Catalogue,
) -> anyhow::Result<(Vec<PublishedPage>, Vec<String>)> {
    let pages = store.pages()?;
    if pages.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut counts = found_counts(store, catalogue)?;
    let now = chrono::Utc::now();
    let (mut published, mut left_out) = (Vec::new(), Vec::new());
    for stored in pages {
        let page = stored.page;
        if catalogue.lookup(&page.model).map(|m| m.0) != Some(page.model.as_str()) {
            left_out.push(page.model);
            continue;
        }
        let found = (counts.remove(&page.model).unwrap_or_default().into_iter())
            .map(|FoundCount { node, name, items }| FoundIn { node, name, items })
            .collect();
        let mut p = PublishedPage {
            page,
            found,
            found_at: Some(now),
            photo_data: Default::default(),
        };
        for photo in p.page.photos.clone() {
            let Some(folder) = folder else {
                bail!(
                    "the page of {} has photos: give the hub's library folder with --library-dir",
                    p.page.model
                );
            };
            let path = folder.path(&photo.sha256);
            let bytes = std::fs::read(&path).with_context(|| {
                format!(
                    "reading photo {} of the page of {} ({})",
                    photo.sha256,
                    p.page.model,
                    path.display()
                )
            })?;
            let sha = p.insert_photo(&bytes);
            if sha != photo.sha256 {
                bail!(
                    "the library file {} no longer hashes to its name: restore it from a backup",
                    path.display()
                );
            }
        }
        published.push(p);
    }
    Ok((published, left_out))
}

fn list(db: &Location, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = db.open().with_context(|| format!("opening {db}"))?;
    if store.is_hub()? {
        let catalogue = store.page_catalogue()?;
        let counts = found_counts(store.as_ref(), &catalogue)?;
        let pages = store.pages()?;
        writeln!(
            out,
            "{} ordnance reference page(s) of this hub:",
            pages.len()
        )?;
        for p in pages {
            let found: u64 = (counts.get(&p.page.model).into_iter().flatten())
                .map(|c| c.items)
                .sum();
            writeln!(
                out,
                "{}\t{} photo(s)\t{found} found in the region\tupdated {} by {}",
                p.page.model,
                p.page.photos.len(),
                p.updated_at.format("%Y-%m-%d"),
                p.updated_by
            )?;
        }
        return Ok(());
    }
    let Some(set) = adopted(store.as_ref())? else {
        writeln!(
            out,
            "no reference set adopted yet, so no ordnance reference pages"
        )?;
        return Ok(());
    };
    writeln!(
        out,
        "{} ordnance reference page(s) of reference version {} from {}:",
        set.pages.len(),
        set.version,
        set.publisher
    )?;
    for p in &set.pages {
        let found: u64 = p.found.iter().map(|f| f.items).sum();
        writeln!(
            out,
            "{}\t{} photo(s)\t{found} found in the region",
            p.page.model,
            p.page.photos.len()
        )?;
    }
    Ok(())
}

fn adopted(store: &dyn Backend) -> anyhow::Result<Option<ReferenceSet>> {
    let held = store.reference()?;
    match held.document {
        Some(d) if held.version > 0 => Ok(Some(ReferenceSet::adopted(&d)?)),
        _ => Ok(None),
    }
}

fn show(
    db: &Location,
    model: &str,
    actor: Option<String>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut store = db.open().with_context(|| format!("opening {db}"))?;
    let hub = store.is_hub()?;
    let (page, found) = if hub {
        let catalogue = store.page_catalogue()?;
        let Some(stored) = store.page(model)? else {
            bail!("there is no reference page of {model}");
        };
        let found = (found_counts(store.as_ref(), &catalogue)?.remove(&stored.page.model))
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.node, c.name, c.items))
            .collect::<Vec<_>>();
        (stored.page, found)
    } else {
        let Some(set) = adopted(store.as_ref())? else {
            bail!("{db} has adopted no reference set, so it has no reference pages");
        };
        let catalogue = set.catalogue()?;
        let Some((designation, ..)) = catalogue.lookup(model) else {
            bail!("`{model}` is not a model of the ordnance catalogue in force");
        };
        let Some(p) = set.page(designation).cloned() else {
            bail!("there is no reference page of {designation}");
        };
        let found = p
            .found
            .into_iter()
            .map(|f| (f.node, f.name, f.items))
            .collect();
        (p.page, found)
    };
    let d = &page.dimensions;
    writeln!(out, "{}\n\n{}\n", page.model, page.summary)?;
    for (label, value, unit) in [
        ("length", d.length_mm, "mm"),
        ("width", d.width_mm, "mm"),
        ("height", d.height_mm, "mm"),
        ("diameter", d.diameter_mm, "mm"),
        ("weight", d.weight_g, "g"),
        ("explosive", d.explosive_g, "g"),
    ] {
        if let Some(v) = value {
            writeln!(out, "{label}: {v} {unit}")?;
        }
    }
    if let Some(x) = &d.explosive {
        writeln!(out, "explosive type: {x}")?;
    }
    writeln!(out, "\nFuzing: {}\n\nIdentification:", page.fuzing)?;
    for f in &page.identification {
        writeln!(out, "- {f}")?;
    }
    writeln!(out, "\nHazards: {}", page.hazards)?;
    for p in &page.photos {
        writeln!(out, "photo {} ({}) {}", p.sha256, p.media_type, p.caption)?;
    }
    for (node, name, items) in &found {
        writeln!(out, "found in {name} ({node}): {items} item(s)")?;
    }
    match (actor, &page.render_safe) {
        (None, Some(_)) => writeln!(
            out,
            "\nRender-safe notes: withheld (`--render-safe --actor USER`, an EOD officer)"
        )?,
        (Some(actor), Some(notes)) => {
            let account = store
                .account(&actor)?
                .filter(|a| !a.disabled)
                .with_context(|| format!("no enabled account `{actor}`"))?;
            let allowed = account.role == safeground_store::Role::EodOfficer
                || (hub && account.role == safeground_store::Role::Administrator);
            if !allowed {
                bail!(
                    "`{actor}` is {}: render-safe notes are read by EOD officers (and the hub's \
                     administrators)",
                    account.role
                );
            }
            store.audit_render_safe_read(&actor, &page.model)?;
            writeln!(out, "\nRender-safe notes: {notes}")?;
        }
        (_, None) => {}
    }
    Ok(())
}

/// Writes the demo's ordnance reference pages (`safeground_demo::ordnance_pages`) on the hub
/// as `actor` (an administrator), their drawings stored in `folder`: those of models in the
/// hub's catalogue now and without a page yet; the models written.
pub fn write_demo_pages(
    store: &mut dyn Backend,
    folder: &Folder,
    actor: &str,
) -> anyhow::Result<Vec<String>> {
    let pages = safeground_demo::ordnance_pages::pages().map_err(anyhow::Error::msg)?;
    let catalogue = store.page_catalogue()?;
    let mut written = Vec::new();
    for demo in pages {
        if catalogue.lookup(&demo.page.model).is_none() || store.page(&demo.page.model)?.is_some() {
            continue;
        }
        written.push(demo.page.model.clone());
        let mut page = demo.page;
        for (caption, png) in &demo.drawings {
            page.photos.push(store_photo(folder, png, caption)?.0);
        }
        store
            .put_page(actor, &page)
            .with_context(|| format!("the demo page of {}", page.model))?;
    }
    Ok(written)
}
