//! What the hub computes from its shared records (the regional map's layers, the regional
//! figures), kept per node scope and rebuilt only when the hub's data have changed. Shared
//! records change only by a bundle import, which moves its node's checkpoint, or when a node is
//! registered; training summaries when a newer one is stored: the list of (node, checkpoint)
//! of the nodes in scope, with the `generated_at` of their training summaries, is the cache's
//! key.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use safeground_store::Backend;

use crate::db::Db;
use crate::error::{ApiError, ApiResult};

/// The state of the hub a value is built from.
pub struct HubState {
    /// The nodes it covers (None: every node; a national viewer: their own).
    pub scope: Option<Vec<String>>,
    /// (node, checkpoint) of the nodes in scope, by node.
    pub key: Vec<(String, u64)>,
    /// (node, name from its card) of the nodes in scope, by node.
    pub names: Vec<(String, String)>,
}

/// A value built from `key`, for `scope`.
struct Built<T> {
    scope: Option<Vec<String>>,
    key: Vec<(String, u64)>,
    training: Training,
    value: Arc<T>,
}

/// (node, `generated_at`) of the training summaries held, by node.
type Training = Vec<(String, DateTime<Utc>)>;

/// The newest value per node scope, built on first use and after each change of the hub.
pub struct HubCache<T> {
    db: Db,
    what: &'static str,
    built: Arc<RwLock<Vec<Built<T>>>>,
    rebuild: Arc<tokio::sync::Mutex<()>>,
}

impl<T> Clone for HubCache<T> {
    fn clone(&self) -> Self {
        HubCache {
            db: self.db.clone(),
            what: self.what,
            built: self.built.clone(),
            rebuild: self.rebuild.clone(),
        }
    }
}

impl<T: Send + Sync + 'static> HubCache<T> {
    /// An empty cache over a database; `what` names the value in the refusal of a programme
    /// that is not a hub ("regional map").
    pub fn new(db: Db, what: &'static str) -> Self {
        HubCache {
            db,
            what,
            built: Arc::new(RwLock::new(Vec::new())),
            rebuild: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    fn current(
        &self,
        scope: &Option<Vec<String>>,
        key: &[(String, u64)],
        training: &Training,
    ) -> Option<Arc<T>> {
        let built = self.built.read().unwrap_or_else(|p| p.into_inner());
        built
            .iter()
            .find(|b| b.scope == *scope && b.key == key && b.training == *training)
            .map(|b| b.value.clone())
    }

    /// The value for the hub's current data and the nodes in `scope`, built by `build` when
    /// the hub changed since the last one; 404 when the programme is not a hub.
    pub async fn get(
        &self,
        scope: Option<Vec<String>>,
        build: fn(&dyn Backend, HubState) -> ApiResult<T>,
    ) -> ApiResult<Arc<T>> {
        let what = self.what;
        let (nodes, training) = self
            .db
            .read(move |s| {
                if !s.is_hub()? {
                    return Err(ApiError::not_found(format!(
                        "this programme is not a regional hub, so it has no {what}: serve a hub \
                         database (`safeground hub init`, or `safeground demo --regional`)"
                    )));
                }
                let training: Training = (s.training_summaries(None)?.into_iter())
                    .map(|t| (t.node, t.generated_at))
                    .collect();
                Ok((s.hub_nodes()?, training))
            })
            .await?;
        let training: Training = (training.into_iter())
            .filter(|(n, _)| scope.as_ref().is_none_or(|s| s.contains(n)))
            .collect();
        let nodes: Vec<_> = (nodes.into_iter())
            .filter(|n| scope.as_ref().is_none_or(|s| s.contains(&n.node)))
            .collect();
        let key: Vec<(String, u64)> = (nodes.iter())
            .map(|n| (n.node.clone(), n.checkpoint))
            .collect();
        if let Some(v) = self.current(&scope, &key, &training) {
            return Ok(v);
        }
        let _guard = self.rebuild.lock().await;
        if let Some(v) = self.current(&scope, &key, &training) {
            return Ok(v);
        }
        let state = HubState {
            scope: scope.clone(),
            key: key.clone(),
            names: nodes.into_iter().map(|n| (n.node, n.name)).collect(),
        };
        let started = std::time::Instant::now();
        // A bundle imported after the key was read is in the data already; the next request
        // sees the newer checkpoints and builds again.
        let value = Arc::new(self.db.read(move |s| build(s, state)).await?);
        tracing::info!(
            what,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "hub data prepared"
        );
        let mut built = self.built.write().unwrap_or_else(|p| p.into_inner());
        // One value per scope: the newest replaces the scope's older one.
        built.retain(|b| b.scope != scope);
        built.push(Built {
            scope,
            key,
            training,
            value: value.clone(),
        });
        Ok(value)
    }
}
