//! Reference data flowing down (issue 24): a regional hub publishes a signed reference set
//! (`safeground hub publish-reference`, served at `GET /api/hub/reference` and written to a
//! file by `hub reference-file`); a national node trusts the hub's card once
//! (`federation trust-hub`) and adopts newer versions, pulled over HTTPS
//! (`federation pull-reference`) or from a file (`federation adopt-reference`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use safeground_federation::reference::{MAX_DOCUMENT, codes_from_csv, ordnance_from_csv};
use safeground_federation::{NodeCard, NodeKey, ReferenceSet};
use safeground_server::federation::check_node;
use safeground_store::reference::Adoption;
use safeground_store::{AnyStore, Location};

use crate::hub_pull::{agent, problem_detail, transport};

/// Where the hub's API token is read from when `--token-file` is not given.
pub const TOKEN_VAR: &str = "SAFEGROUND_HUB_TOKEN";

/// The reference set's path under the hub's address.
const REFERENCE_PATH: &str = "/api/hub/reference";

/// Arguments of `safeground hub publish-reference`.
#[derive(Args, Debug)]
pub struct PublishArgs {
    /// The hub's database (its node id set by `safeground federation init`).
    pub db: Location,
    /// The hub's private key file (`federation init` on the hub).
    #[arg(long)]
    pub key: PathBuf,
    /// Ordnance models to add to the built-in catalogue: CSV with the columns `model`,
    /// `category` (code or name), and optionally `description` and `aliases` (separated by `;`).
    /// Without it, the models of the latest version published are published again.
    #[arg(long)]
    pub ordnance: Option<PathBuf>,
    /// Regional code lists: CSV with the columns `vocabulary` (as /api/vocabularies names it),
    /// `term` and `code`; imports at the nodes translate the terms in fields of that vocabulary.
    /// Without it, the code lists of the latest version published are published again.
    #[arg(long)]
    pub codes: Option<PathBuf>,
    /// Who publishes it (recorded in the audit log).
    #[arg(long, default_value = "cli")]
    pub actor: String,
    /// The hub's library folder, where the photos of its ordnance reference pages are
    /// (default: beside its SQLite file; needed for PostgreSQL when pages have photos).
    #[arg(long)]
    pub library_dir: Option<PathBuf>,
}

/// Arguments of `safeground federation pull-reference`.
#[derive(Args, Debug)]
pub struct PullArgs {
    /// The programme's database.
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
    /// Who adopts it (recorded in the audit log).
    #[arg(long, default_value = "cli")]
    pub actor: String,
}

fn open(db: &Location) -> anyhow::Result<AnyStore> {
    db.open().with_context(|| format!("opening {db}"))
}

/// Signs the models of `args.ordnance` as the hub's next reference version and records it.
pub fn publish(args: &PublishArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let key = NodeKey::load(&args.key)
        .with_context(|| format!("reading the hub's key {}", args.key.display()))?;
    let mut store = open(&args.db)?;
    if !store.is_hub()? {
        bail!(
            "{} is not a hub: reference data is published by a regional hub (`safeground hub \
             init`)",
            args.db
        );
    }
    check_node(store.as_ref(), &key)?;
    let read = |path: &Path| {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
    };
    let latest = store.published_reference()?;
    let ordnance = match (&args.ordnance, &latest) {
        (Some(path), _) => {
            ordnance_from_csv(&read(path)?).with_context(|| format!("in {}", path.display()))?
        }
        (None, Some((_, document))) => ReferenceSet::adopted(document)?.ordnance,
        (None, None) => Vec::new(),
    };
    let codes = match (&args.codes, &latest) {
        (Some(path), _) => {
            codes_from_csv(&read(path)?).with_context(|| format!("in {}", path.display()))?
        }
        (None, Some((_, document))) => ReferenceSet::adopted(document)?.codes,
        (None, None) => Default::default(),
    };
    let version = latest.map_or(0, |(v, _)| v) + 1;
    let catalogue = safeground_model::Catalogue::new(ordnance.clone())?;
    let folder = crate::reference_pages::folder(args.library_dir.clone(), &args.db).ok();
    let (pages, left_out) =
        crate::reference_pages::published_pages(store.as_ref(), folder.as_ref(), &catalogue)?;
    if args.ordnance.is_none() && args.codes.is_none() && pages.is_empty() {
        bail!(
            "nothing to publish: give --ordnance or --codes, or write ordnance reference pages \
             (`safeground reference page set`)"
        );
    }
    let set = ReferenceSet {
        publisher: key.node().clone(),
        version,
        published_at: chrono::Utc::now(),
        ordnance,
        codes,
        pages,
    };
    let document = set.sign(&key)?;
    if document.len() > MAX_DOCUMENT {
        bail!(
            "the reference document would be {} bytes, more than the {MAX_DOCUMENT} a node \
             accepts: remove or shrink photos of the ordnance reference pages",
            document.len()
        );
    }
    store.publish_reference(&args.actor, version, &document)?;
    writeln!(
        out,
        "reference version {version} published by {}: {} ordnance models, {} regional terms, \
         {} ordnance reference pages; nodes pull it from {REFERENCE_PATH} or adopt the file \
         `safeground hub reference-file` writes",
        key.node(),
        set.ordnance.len(),
        set.codes.values().map(|t| t.len()).sum::<usize>(),
        set.pages.len()
    )?;
    if !left_out.is_empty() {
        writeln!(
            out,
            "warning: the pages of {} are not published: this version's catalogue lacks their \
             models",
            left_out.join(", ")
        )?;
    }
    Ok(())
}

/// Writes the hub's latest signed reference document to `file`.
pub fn write_file(db: &Location, file: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = open(db)?;
    let Some((version, document)) = store.published_reference()? else {
        bail!("{db} has published no reference data yet: `safeground hub publish-reference`");
    };
    if file.exists() {
        bail!("{} exists; choose another file", file.display());
    }
    std::fs::write(file, document).with_context(|| format!("writing {}", file.display()))?;
    writeln!(
        out,
        "reference version {version} written to {}",
        file.display()
    )?;
    Ok(())
}

/// Trusts the hub whose card is in `card` for reference data.
pub fn trust_hub(
    db: &Location,
    card: &Path,
    actor: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(card)
        .with_context(|| format!("reading the hub's card {}", card.display()))?;
    let parsed =
        NodeCard::from_json(&text).with_context(|| format!("reading {}", card.display()))?;
    let mut store = open(db)?;
    store.trust_hub(actor, parsed.node.as_str(), &parsed.to_json())?;
    writeln!(
        out,
        "hub {} ({}) trusted for reference data; key fingerprint {} (confirm it with the hub's \
         operator by another channel)",
        parsed.node,
        parsed.name,
        parsed.fingerprint()
    )?;
    Ok(())
}

/// Verifies `document` with the trusted hub's card and adopts it.
fn adopt(db: &Location, document: &str, actor: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut store = open(db)?;
    let held = store.reference()?;
    let Some(card) = held.card.as_deref() else {
        bail!(
            "no hub is trusted yet: run `safeground federation trust-hub {db} HUB-CARD.json` \
             with the card the hub's operator gave you"
        );
    };
    let card = NodeCard::from_json(card)?;
    let set = ReferenceSet::verify(document, &card)?;
    match store.adopt_reference(actor, set.version, document, &set.ordnance)? {
        Adoption::Adopted { version, models } => writeln!(
            out,
            "reference version {version} from {} adopted: {models} ordnance models (published \
             {})",
            set.publisher,
            set.published_at.format("%Y-%m-%d %H:%M UTC")
        )?,
        Adoption::UpToDate { held } => writeln!(
            out,
            "up to date: version {held} is held, the hub's is {}; nothing changed",
            set.version
        )?,
    }
    Ok(())
}

/// Adopts the reference document in `file` (USB stick, e-mail).
pub fn adopt_file(
    db: &Location,
    file: &Path,
    actor: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let meta = std::fs::metadata(file).with_context(|| format!("reading {}", file.display()))?;
    if meta.len() > MAX_DOCUMENT as u64 {
        bail!("{} is too large for a reference document", file.display());
    }
    let document =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    adopt(db, &document, actor, out).with_context(|| format!("adopting {}", file.display()))
}

/// Pulls the hub's latest reference document and adopts it.
pub fn pull(args: &PullArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let token = token(args.token_file.as_deref())?;
    let base = args.url.trim_end_matches('/');
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        bail!("`{}` is not an http(s) address of the hub", args.url);
    }
    let url = format!("{base}{REFERENCE_PATH}");
    let agent = agent(args.ca_cert.as_deref(), "application/json")?;
    let reply = agent
        .get(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .call();
    let mut reply = match reply {
        Ok(r) => r,
        Err(e) => return Err(transport(e, &url, args.ca_cert.as_deref(), "hub")),
    };
    let status = reply.status().as_u16();
    if status != 200 {
        let detail = problem_detail(reply.body_mut());
        let what = match status {
            401 => "the hub did not accept the API token: ask the hub's operator for a new one",
            404 => "the hub has published no reference data, or this is not a hub's address",
            _ => "unexpected answer",
        };
        bail!("{url}: {status}: {what}\nthe hub says: {}", detail.trim());
    }
    let document = reply
        .body_mut()
        .with_config()
        .limit(MAX_DOCUMENT as u64)
        .read_to_string()
        .with_context(|| format!("reading the reference document from {url}"))?;
    adopt(&args.db, &document, &args.actor, out)
}

/// Prints the reference data adopted: the models (model, category, description, aliases),
/// then the code lists (`code`, vocabulary, term, code), tab-separated.
pub fn show(db: &Location, out: &mut dyn Write) -> anyhow::Result<()> {
    let held = open(db)?.reference()?;
    match (&held.hub, held.version) {
        (None, _) => writeln!(out, "no hub trusted for reference data")?,
        (Some(hub), 0) => writeln!(out, "hub {hub} trusted; no reference version adopted yet")?,
        (Some(hub), v) => writeln!(
            out,
            "reference version {v} from hub {hub}, adopted {}",
            held.adopted_at
                .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        )?,
    }
    for m in &held.ordnance {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            m.model,
            m.category.code(),
            m.description,
            m.aliases.join("; ")
        )?;
    }
    if let Some(document) = &held.document {
        for (vocabulary, terms) in ReferenceSet::adopted(document)?.codes {
            for (term, code) in terms {
                writeln!(out, "code\t{vocabulary}\t{term}\t{code}")?;
            }
        }
    }
    Ok(())
}

/// The hub's API token: from `--token-file`, else from SAFEGROUND_HUB_TOKEN.
fn token(file: Option<&Path>) -> anyhow::Result<String> {
    let text = match file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("reading the token file {}", path.display()))?,
        None => std::env::var(TOKEN_VAR).map_err(|_| {
            anyhow::anyhow!(
                "no API token: put the token of the programme's account at the hub in a file \
                 given with --token-file FILE, or in {TOKEN_VAR}"
            )
        })?,
    };
    let token = text.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        bail!("the token must be alone, on one line");
    }
    Ok(token.to_owned())
}
