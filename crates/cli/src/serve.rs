//! `safeground serve`: the HTTP service over a programme database.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use safeground_federation::NodeKey;
use safeground_server::federation::{Sharing, align_policy, check_node};
use safeground_server::{AppState, Db, ServerConfig};
use safeground_store::Location;

/// Options of `safeground serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
    #[arg(required_unless_present = "database")]
    pub db: Option<Location>,
    /// The programme database instead of a file: `postgres://user@host/db`, a libpq
    /// `host=… dbname=…` string, or `sqlite:PATH`. Read from SAFEGROUND_DATABASE when set, which
    /// keeps a password off the command line.
    #[arg(long, env = "SAFEGROUND_DATABASE", conflicts_with = "db")]
    pub database: Option<Location>,
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "SAFEGROUND_LISTEN")]
    pub listen: SocketAddr,
    /// OGC collections and tile layers readable without login, comma-separated
    /// (e.g. `hazards,released-areas`). None by default.
    #[arg(long, value_delimiter = ',')]
    pub public_layers: Vec<String>,
    /// Mark the session cookie `Secure` (when served over HTTPS).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Lifetime of a login session, hours.
    #[arg(long, default_value_t = 12)]
    pub session_hours: i64,
    /// Largest accepted request body, MiB.
    #[arg(long, default_value_t = 16)]
    pub max_body_mib: usize,
    /// Time limit of a request, seconds.
    #[arg(long, default_value_t = 60)]
    pub timeout_s: u64,
    /// Read connections to the database.
    #[arg(long, default_value_t = 8)]
    pub readers: usize,
    /// Write logs as JSON lines (for log collectors) instead of text.
    #[arg(long)]
    pub log_json: bool,
    /// A raster basemap under the map, e.g. `https://tiles.example.org/{z}/{x}/{y}.png`
    /// (the programme's own or offline tile server). None by default.
    #[arg(long, env = "SAFEGROUND_BASEMAP_URL")]
    pub basemap_url: Option<String>,
    /// The programme's vector basemap (MBTiles or PMTiles, OpenMapTiles-style) put under the
    /// hazards in the field app's offline map packs. None by default.
    #[arg(long, env = "SAFEGROUND_OFFLINE_BASEMAP")]
    pub offline_basemap: Option<PathBuf>,
    /// The address users reach the server at, e.g. `https://mines.example.org` (behind a
    /// reverse proxy): links in OGC answers and the Origin check of the web UI use it. An
    /// https address also marks cookies Secure and sends HSTS.
    #[arg(long, env = "SAFEGROUND_PUBLIC_URL", value_parser = safeground_server::parse_public_url)]
    pub public_url: Option<String>,
    /// Read X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-For (only behind a reverse
    /// proxy that sets them; otherwise clients could forge them).
    #[arg(long)]
    pub trust_proxy: bool,
    /// Lifetime of a new API token, days (1–366).
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(i64).range(1..=366))]
    pub api_token_days: i64,
    /// Let an approver approve a report they created or submitted (turns four-eyes approval
    /// off; for programmes with a single approver).
    #[arg(long)]
    pub single_approver: bool,
    /// Turn break-glass off: no approver or administrator may open emergency access to
    /// victims' personal data (only victim-assistance officers read them).
    #[arg(long)]
    pub no_break_glass: bool,
    /// Regional federation: the node's private key file (`safeground federation init`);
    /// enables the feed a hub pulls, `GET /api/federation/feed`.
    #[arg(long, env = "SAFEGROUND_NODE_KEY")]
    pub node_key: Option<PathBuf>,
    /// The sharing policy the feed applies (TOML); default: the safe default policy.
    #[arg(long, requires = "node_key")]
    pub sharing_policy: Option<PathBuf>,
    /// The document library's folder (files and search index); default: beside the SQLite
    /// file (`demo.sqlite` → `demo.library/`); required to use the library on PostgreSQL.
    #[arg(long, env = "SAFEGROUND_LIBRARY_DIR")]
    pub library_dir: Option<PathBuf>,
    /// Largest document accepted by the library, MiB.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub library_max_mb: u64,
    /// The evidence folder (drone orthophotos); default: beside the SQLite file
    /// (`demo.sqlite` → `demo.evidence/`); required for orthophotos on PostgreSQL.
    #[arg(long, env = "SAFEGROUND_EVIDENCE_DIR")]
    pub evidence_dir: Option<PathBuf>,
}

impl ServeArgs {
    /// The defaults of `safeground serve DB --listen ADDR`, with the demo's basemap beside
    /// `db` as `--offline-basemap` when there is one (`safeground demo` serves with these).
    pub fn defaults(db: PathBuf, listen: SocketAddr) -> Self {
        let basemap = crate::demo::basemap_path(&db);
        ServeArgs {
            db: Some(Location::Sqlite(db)),
            database: None,
            listen,
            public_layers: Vec::new(),
            secure_cookies: false,
            session_hours: 12,
            max_body_mib: 16,
            timeout_s: 60,
            readers: 8,
            log_json: false,
            basemap_url: None,
            offline_basemap: basemap.is_file().then_some(basemap),
            public_url: None,
            trust_proxy: false,
            api_token_days: 90,
            single_approver: false,
            no_break_glass: false,
            node_key: None,
            sharing_policy: None,
            library_dir: None,
            evidence_dir: None,
            library_max_mb: 100,
        }
    }
}

/// Runs the server until Ctrl-C or SIGTERM.
pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SAFEGROUND_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if args.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
    let known = [
        "hazards",
        "released-areas",
        "activities",
        "eo-finds",
        "accidents",
        "risk-education",
    ];
    if let Some(bad) = args
        .public_layers
        .iter()
        .find(|l| !known.contains(&l.as_str()))
    {
        anyhow::bail!(
            "--public-layers: `{bad}` is not a layer; use some of {}",
            known.join(", ")
        );
    }
    let location = match (args.database, args.db) {
        (Some(location), _) => location,
        (None, Some(location)) => location,
        (None, None) => anyhow::bail!("give a database file or --database"),
    };
    let db = Db::open(&location, args.readers).with_context(|| format!("opening {location}"))?;
    let sharing = match &args.node_key {
        Some(path) => {
            let sharing = Sharing {
                key: NodeKey::load(path)
                    .with_context(|| format!("reading the node key {}", path.display()))?,
                policy: crate::federation::load_policy(args.sharing_policy.as_deref())?,
            };
            let mut store = location.open()?;
            check_node(store.as_ref(), &sharing.key)?;
            let aligned = align_policy(store.as_mut(), "serve: sharing policy", &sharing.policy)?;
            crate::federation::report_alignment(&aligned, &mut std::io::stderr())?;
            Some(Arc::new(sharing))
        }
        None => None,
    };
    let config = ServerConfig {
        public_layers: args.public_layers,
        session_hours: args.session_hours,
        secure_cookies: args.secure_cookies
            || args
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://")),
        max_body_bytes: args.max_body_mib * 1024 * 1024,
        request_timeout: Duration::from_secs(args.timeout_s),
        basemap_url: args.basemap_url,
        offline_basemap: args.offline_basemap,
        four_eyes: !args.single_approver,
        break_glass: !args.no_break_glass,
        public_url: args.public_url,
        trust_proxy: args.trust_proxy,
        api_token_days: args.api_token_days,
        sharing,
        library_dir: args.library_dir,
        evidence_dir: args.evidence_dir,
        library_max_bytes: args.library_max_mb * 1024 * 1024,
        ..ServerConfig::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        eprintln!(
            "Safeground serving {location} on http://{} (open it in a browser; Ctrl-C stops)",
            args.listen
        );
        eprintln!("  API: http://{0}/api/openapi.json   OGC API: http://{0}/ogc   tiles: http://{0}/tiles/hazards.json", args.listen);
        safeground_server::serve(AppState::new(db, config), args.listen)
            .await
            .with_context(|| format!("listening on {}", args.listen))
    })
}
