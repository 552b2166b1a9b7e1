//! What every handler shares.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::throttle::{LoginThrottle, ThrottleLimits};
use crate::db::Db;
use crate::tiles::TileCache;

/// Settings of a running server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// OGC collections and tile layers anyone may read without logging in (e.g. `hazards`).
    /// Empty by default: everything needs a login.
    pub public_layers: Vec<String>,
    /// Lifetime of a browser session.
    pub session_hours: i64,
    /// Mark cookies `Secure` (set when served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Time limit of one request (streams excepted once they have started).
    pub request_timeout: Duration,
    /// Failed logins per user name from one client address before each further try waits
    /// (30 s, doubling up to `login_window`).
    pub max_login_failures: u32,
    /// Failed logins from one client address, whatever the user names, within `login_window`.
    pub max_login_failures_per_address: u32,
    /// Window of the per-address count, and the longest wait.
    pub login_window: Duration,
    /// Lifetime of a new API token, in days.
    pub api_token_days: i64,
    /// An optional raster basemap (`https://…/{z}/{x}/{y}.png`, e.g. an offline tile server
    /// of the programme); none by default, so nothing is fetched from the internet.
    pub basemap_url: Option<String>,
    /// The server's public origin (`https://mines.example.org`, from
    /// `guard::parse_public_url`): links and the Origin check use it instead of the request's
    /// Host.
    pub public_url: Option<String>,
    /// Read X-Forwarded-Proto, -Host and -For (set only behind a reverse proxy that sets them);
    /// otherwise they are ignored.
    pub trust_proxy: bool,
    /// Four-eyes approval: nobody approves a report they created or submitted; a second
    /// approver must (on by default).
    pub four_eyes: bool,
    /// Break-glass: national approvers and administrators may open a short, audited grant to
    /// victims' personal data alone (on by default; `--no-break-glass` turns it off).
    pub break_glass: bool,
    /// Regional federation: the node's key and sharing policy, which enable the feed
    /// (`serve --node-key FILE`); none by default.
    pub sharing: Option<Arc<crate::federation::Sharing>>,
    /// The library's folder (files and search index); None: beside the SQLite file
    /// (`demo.sqlite` → `demo.library/`), required for PostgreSQL (`serve --library-dir`).
    pub library_dir: Option<std::path::PathBuf>,
    /// Largest library upload, bytes (`serve --library-max-mb`).
    pub library_max_bytes: u64,
    /// The programme's vector basemap (MBTiles or PMTiles) put into offline map packs
    /// (`serve --offline-basemap FILE`); none by default.
    pub offline_basemap: Option<std::path::PathBuf>,
    /// The evidence folder (orthophotos); None: beside the SQLite file (`demo.sqlite` →
    /// `demo.evidence/`), required for PostgreSQL (`serve --evidence-dir`).
    pub evidence_dir: Option<std::path::PathBuf>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            public_layers: Vec::new(),
            session_hours: 12,
            secure_cookies: false,
            max_body_bytes: 16 * 1024 * 1024,
            request_timeout: Duration::from_secs(60),
            max_login_failures: 5,
            max_login_failures_per_address: 50,
            login_window: Duration::from_secs(15 * 60),
            api_token_days: 90,
            basemap_url: None,
            public_url: None,
            trust_proxy: false,
            four_eyes: true,
            break_glass: true,
            sharing: None,
            library_dir: None,
            library_max_bytes: crate::library::DEFAULT_MAX_BYTES,
            offline_basemap: None,
            evidence_dir: None,
        }
    }
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    /// The programme database.
    pub db: Db,
    /// Settings.
    pub config: Arc<ServerConfig>,
    /// Prepared vector-tile layers.
    pub tiles: TileCache,
    /// The regional hub's prepared map (its nodes' shared hazards and EO finds).
    pub(crate) hub_map: crate::api::hub_map::HubMapCache,
    /// The regional figures, rebuilt when a node's checkpoint moves.
    pub(crate) hub_figures: crate::api::hub_dashboard::FiguresCache,
    /// The last dashboard computed, keyed by data generation and as-of time.
    pub dashboard: DashboardCache,
    /// Feature counts and extents of the OGC collections, keyed by filter and data generation.
    pub ogc_summaries: crate::ogc::Summaries,
    /// Failed logins by client address and user name.
    pub login_throttle: Arc<LoginThrottle>,
    /// The document library (folder and search index), opened on first use.
    pub library: Arc<crate::library::LibraryCell>,
    /// The evidence folder and the orthophotos opened from it.
    pub evidence: Arc<crate::evidence::EvidenceCell>,
}

/// Cache of the dashboard figures.
pub type DashboardCache = Arc<
    std::sync::Mutex<
        Option<(
            (
                i64,
                chrono::NaiveDate,
                Option<chrono::DateTime<chrono::Utc>>,
            ),
            serde_json::Value,
        )>,
    >,
>;

impl AppState {
    /// State over an open database.
    pub fn new(db: Db, config: ServerConfig) -> Self {
        AppState {
            login_throttle: Arc::new(LoginThrottle::new(ThrottleLimits {
                free_failures: config.max_login_failures,
                per_address: config.max_login_failures_per_address,
                window: config.login_window,
            })),
            tiles: TileCache::new(db.clone()),
            hub_map: crate::api::hub_map::HubMapCache::new(db.clone(), "regional map"),
            hub_figures: crate::api::hub_dashboard::FiguresCache::new(
                db.clone(),
                "regional figures",
            ),
            dashboard: DashboardCache::default(),
            ogc_summaries: crate::ogc::Summaries::default(),
            library: Arc::new(crate::library::LibraryCell::new(
                config.library_dir.clone(),
                db.location(),
                config.library_max_bytes,
            )),
            evidence: Arc::new(crate::evidence::EvidenceCell::new(
                config.evidence_dir.clone(),
                db.location(),
            )),
            db,
            config: Arc::new(config),
        }
    }

    /// Whether a layer or collection may be read anonymously.
    pub fn is_public(&self, layer: &str) -> bool {
        self.config.public_layers.iter().any(|l| l == layer)
    }
}
