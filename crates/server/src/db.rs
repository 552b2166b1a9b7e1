//! The store behind the server: a fixed pool of one writer connection and a few readers, on
//! SQLite (WAL lets readers work while the writer commits) or PostgreSQL (one connection each).
//! Every call runs on tokio's blocking pool: both backends' clients block.
//!
//! A PostgreSQL connection can be lost (the database server restarted, an administrator or a
//! firewall ended the session). A connection known to be lost is opened anew before it is
//! handed out, and a request that was running when its connection was lost is answered 503
//! (retry) instead of 500, so the service heals without a restart.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use safeground_store::{AnyStore, Backend, Location, StoreError};

use crate::error::{ApiError, ApiResult};

/// Shared handle on the programme database.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    location: Location,
    writer: Mutex<AnyStore>,
    readers: Vec<Mutex<AnyStore>>,
    next: AtomicUsize,
}

fn lock(m: &Mutex<AnyStore>) -> MutexGuard<'_, AnyStore> {
    // A panic while holding the lock leaves the connection usable: both backends roll back an
    // unfinished transaction before the next one begins.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Db {
    /// Opens the programme at `location` with `readers` read connections.
    pub fn open(location: &Location, readers: usize) -> Result<Self, StoreError> {
        let writer = location.open()?;
        let readers = (0..readers.max(1))
            .map(|_| location.open().map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Db {
            inner: Arc::new(Inner {
                location: location.clone(),
                writer: Mutex::new(writer),
                readers,
                next: AtomicUsize::new(0),
            }),
        })
    }

    /// Runs a read on one of the read connections.
    pub async fn read<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Backend) -> ApiResult<T> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.read_blocking(f))
            .await
            .map_err(ApiError::internal)?
    }

    /// Runs a read on the calling (blocking) thread.
    pub fn read_blocking<T>(&self, f: impl FnOnce(&dyn Backend) -> ApiResult<T>) -> ApiResult<T> {
        let n = self.inner.readers.len();
        let start = self.inner.next.fetch_add(1, Ordering::Relaxed);
        let mut guard = (0..n)
            .find_map(|i| self.inner.readers[(start + i) % n].try_lock().ok())
            .unwrap_or_else(|| lock(&self.inner.readers[start % n]));
        self.heal(&mut guard)?;
        let result = f(guard.as_ref());
        self.check_lost(&guard, result)
    }

    /// Replaces a connection known to be lost.
    fn heal(&self, store: &mut AnyStore) -> ApiResult<()> {
        if store.connection_lost() {
            tracing::warn!("database connection lost; reconnecting");
            *store = self
                .inner
                .location
                .open()
                .map_err(ApiError::database_unavailable)?;
        }
        Ok(())
    }

    /// A failure on a connection that was lost meanwhile is the database's unavailability,
    /// not an internal error: answered 503, and the connection is replaced on its next use.
    fn check_lost<T>(&self, store: &AnyStore, result: ApiResult<T>) -> ApiResult<T> {
        match result {
            Err(e) if store.connection_lost() => Err(ApiError::database_unavailable(format!(
                "{} ({})",
                e.status(),
                self.inner.location
            ))),
            other => other,
        }
    }

    /// Where the programme is.
    pub fn location(&self) -> &Location {
        &self.inner.location
    }

    /// Runs a change on the single writer connection.
    pub async fn write<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Backend) -> ApiResult<T> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = lock(&db.inner.writer);
            db.heal(&mut guard)?;
            let result = f(guard.as_mut());
            db.check_lost(&guard, result)
        })
        .await
        .map_err(ApiError::internal)?
    }
}
