//! The store behind the server: one writer connection and a few readers, on SQLite (WAL lets
//! readers work while the writer commits) or PostgreSQL (one connection each). Every call runs
//! on tokio's blocking pool: both backends' clients block.

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
        for i in 0..n {
            if let Ok(guard) = self.inner.readers[(start + i) % n].try_lock() {
                return f(guard.as_ref());
            }
        }
        f(lock(&self.inner.readers[start % n]).as_ref())
    }

    /// Runs a change on the single writer connection.
    pub async fn write<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Backend) -> ApiResult<T> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || f(lock(&db.inner.writer).as_mut()))
            .await
            .map_err(ApiError::internal)?
    }
}
