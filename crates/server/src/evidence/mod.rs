//! Evidence from drones, detectors and machines (issue 28): orthophotos kept in the
//! programme's evidence folder and served as raster tiles, AI detections triaged by people, and
//! machine or robot tracks turned into processed-area evidence for a clearance activity. The
//! HTTP handlers and the command line share this code.

pub mod demo;
pub mod detections;
pub mod orthophotos;
pub mod tracks;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use safeground_orthophoto::Orthophoto;
use safeground_store::Location;

use crate::error::{ApiError, ApiResult};

/// Orthophotos opened at most at once (each holds a few file handles and its chunk cache).
const OPEN_AT_ONCE: usize = 16;

/// What a stored orthophoto's file says beyond its database row.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageFacts {
    /// Lowest zoom its tiles are drawn at.
    pub minzoom: u8,
    /// Highest zoom.
    pub maxzoom: u8,
    /// The fixed datum shift that placed it, for a CRS on another datum than WGS 84.
    pub datum_shift: Option<String>,
}

/// The evidence folder of a programme, the orthophotos opened from it and their facts.
pub struct EvidenceCell {
    dir: Option<PathBuf>,
    opened: Mutex<HashMap<i64, Arc<Orthophoto>>>,
    /// What the list says of each orthophoto, kept for all of them (a stored file never
    /// changes): the list does not reopen every image once more than [`OPEN_AT_ONCE`] exist.
    facts: Mutex<HashMap<i64, ImageFacts>>,
}

impl EvidenceCell {
    /// The folder `dir`, or beside the SQLite file of `location` (`demo.sqlite` →
    /// `demo.evidence/`); a PostgreSQL programme needs `dir`.
    pub fn new(dir: Option<PathBuf>, location: &Location) -> Self {
        EvidenceCell::with_dir(evidence_dir(dir, location))
    }

    /// The folder `dir`.
    pub fn at(dir: PathBuf) -> Self {
        EvidenceCell::with_dir(Some(dir))
    }

    fn with_dir(dir: Option<PathBuf>) -> Self {
        EvidenceCell {
            dir,
            opened: Mutex::new(HashMap::new()),
            facts: Mutex::new(HashMap::new()),
        }
    }

    /// The folder, or why there is none.
    pub fn dir(&self) -> ApiResult<&Path> {
        self.dir.as_deref().ok_or_else(|| {
            ApiError::unavailable(
                "this server has no evidence folder: the programme is in PostgreSQL, so start \
                 it with --evidence-dir DIR (a folder the server may write)",
            )
        })
    }

    /// The orthophoto `id` stored as `file` in the folder, opened once and kept (call from a
    /// blocking thread).
    pub fn orthophoto(&self, id: i64, file: &str) -> ApiResult<Arc<Orthophoto>> {
        if let Some(o) = self.lock().get(&id) {
            return Ok(o.clone());
        }
        let path = self.dir()?.join(file);
        let opened = Arc::new(Orthophoto::open(&path).map_err(|e| {
            ApiError::unavailable(format!(
                "the orthophoto {id} cannot be read from {}: {e}",
                path.display()
            ))
        })?);
        let mut map = self.lock();
        if map.len() >= OPEN_AT_ONCE {
            map.clear();
        }
        map.insert(id, opened.clone());
        Ok(opened)
    }

    /// What the list says of the orthophoto `id` stored as `file` (zooms, datum shift); `None`
    /// when the file cannot be read (call from a blocking thread).
    pub fn facts(&self, id: i64, file: &str) -> Option<ImageFacts> {
        if let Some(f) = lock(&self.facts).get(&id) {
            return Some(f.clone());
        }
        let image = self.orthophoto(id, file).ok()?;
        let info = image.info();
        let facts = ImageFacts {
            minzoom: info.minzoom,
            maxzoom: info.maxzoom,
            datum_shift: info.datum_shift.clone(),
        };
        lock(&self.facts).insert(id, facts.clone());
        Some(facts)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<Orthophoto>>> {
        lock(&self.opened)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs `f` on a blocking thread, outside the database pool: decoding and drawing images
/// must not hold a database connection.
pub async fn off_pool<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
}

/// The evidence folder of the programme at `location`: `dir` when given, else beside its
/// SQLite file (`demo.sqlite` → `demo.evidence/`); none for PostgreSQL without `dir`.
pub fn evidence_dir(dir: Option<PathBuf>, location: &Location) -> Option<PathBuf> {
    dir.or_else(|| match location {
        Location::Sqlite(path) => Some(path.with_extension("evidence")),
        Location::Postgres(_) => None,
    })
}
