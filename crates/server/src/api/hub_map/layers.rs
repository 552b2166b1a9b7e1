//! The hub's map data: the hazards and EO finds its nodes share, prepared once as tile layers
//! (and as shapes for the border report), rebuilt when a node's checkpoint moves.

use std::sync::Arc;

use geo_types::{Geometry, MultiPolygon, Point};
use safeground_model::{ItemKind, Record};
use safeground_store::hub::SharedRecord;
use safeground_store::{Backend, Flow};
use safeground_tiles::{LayerIndex, PropertyValue, TileFeature};

use crate::api::hub_cache::HubCache;
use crate::error::ApiResult;

/// The hub's tile layers, with the properties each carries and their TileJSON types.
pub const HUB_LAYERS: [(&str, &[(&str, &str)]); 2] = [
    (
        "hazards",
        &[
            ("node", "String"),
            ("local_id", "String"),
            ("name", "String"),
            ("status", "String"),
            ("class", "String"),
            ("area_m2", "Number"),
        ],
    ),
    (
        "eo-finds",
        &[
            ("node", "String"),
            ("local_id", "String"),
            ("category", "String"),
            ("quantity", "Number"),
        ],
    ),
];

/// A shared hazard with a geometry, as the border report measures it.
#[derive(Debug)]
pub struct SharedHazard {
    /// The node sharing it.
    pub node: String,
    /// Its local id at the node.
    pub local_id: String,
    /// Its name.
    pub name: String,
    /// Its polygons, WGS 84, as the node's policy rounded them.
    pub geometry: MultiPolygon<f64>,
    /// `[west, south, east, north]` of `geometry`.
    pub bbox: [f64; 4],
}

/// A node's data on the map: its id, name and the extent of what it shares.
#[derive(Debug, Clone)]
pub struct MapNode {
    /// Node id.
    pub node: String,
    /// The programme's name.
    pub name: String,
    /// Hazards with a geometry.
    pub hazards: u64,
    /// EO finds with a location.
    pub eo_finds: u64,
    /// `[west, south, east, north]` of its hazards and finds, if it shares any.
    pub bounds: Option<[f64; 4]>,
}

/// The prepared map of one state of the hub, for the nodes a user may see.
pub struct HubMap {
    /// The nodes' checkpoints it was built from (node, checkpoint), by node.
    pub key: Vec<(String, u64)>,
    /// The nodes, by node id.
    pub nodes: Vec<MapNode>,
    /// Layer `hazards` (tiny polygons reduced per node).
    pub hazards: Arc<LayerIndex>,
    /// Layer `eo-finds` (points thinned per node).
    pub eo_finds: Arc<LayerIndex>,
    /// Every shared hazard with a geometry, by node and item.
    pub shapes: Vec<SharedHazard>,
}

impl HubMap {
    /// `[west, south, east, north]` of everything on the map, if anything is.
    pub fn bounds(&self) -> Option<[f64; 4]> {
        self.nodes.iter().filter_map(|n| n.bounds).reduce(union)
    }

    /// The entity tag of this state: the checkpoints.
    pub fn tag(&self) -> String {
        let parts: Vec<String> = (self.key.iter()).map(|(n, c)| format!("{n}.{c}")).collect();
        parts.join("-")
    }
}

fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// `[west, south, east, north]` of a geometry's coordinates.
pub fn bbox_of(g: &MultiPolygon<f64>) -> Option<[f64; 4]> {
    (g.0.iter())
        .flat_map(|p| p.exterior().0.iter())
        .map(|c| [c.x, c.y, c.x, c.y])
        .reduce(union)
}

fn s(v: &str) -> PropertyValue {
    PropertyValue::String(v.to_owned())
}

/// A shared record as a model record; None (logged) when it does not read as one.
fn model_record(r: &SharedRecord) -> Option<Record> {
    match serde_json::from_value::<Record>(r.record.clone()) {
        Ok(record) => Some(record),
        Err(e) => {
            tracing::warn!(node = %r.node, item = %r.item, error = %e,
                "a shared record is left off the hub's map: it does not read as a record");
            None
        }
    }
}

/// Builds the map of the nodes `names` (node, name) of the hub in `store`, keyed by `key`.
fn build(
    store: &dyn Backend,
    key: Vec<(String, u64)>,
    names: Vec<(String, String)>,
) -> ApiResult<HubMap> {
    let mut nodes: Vec<MapNode> = (names.into_iter())
        .map(|(node, name)| MapNode {
            node,
            name,
            hazards: 0,
            eo_finds: 0,
            bounds: None,
        })
        .collect();
    let codes: Vec<String> = nodes.iter().map(|n| n.node.clone()).collect();
    let mut grow = |node: &str, b: [f64; 4], hazard: bool| {
        if let Some(n) = nodes.iter_mut().find(|n| n.node == node) {
            n.bounds = Some(n.bounds.map_or(b, |a| union(a, b)));
            if hazard {
                n.hazards += 1;
            } else {
                n.eo_finds += 1;
            }
        }
    };
    let (mut hazards, mut shapes) = (Vec::new(), Vec::new());
    let mut finds = Vec::new();
    for code in &codes {
        store.for_each_shared_record(ItemKind::Hazard, Some(code), &mut |r| {
            if let Some(Record::Hazard(h)) = model_record(&r)
                && let Some(g) = h.geometry
                && let Some(bbox) = bbox_of(&g)
            {
                grow(&r.node, bbox, true);
                hazards.push(TileFeature {
                    id: hazards.len() as u64 + 1,
                    geometry: Geometry::MultiPolygon(g.clone()),
                    properties: vec![
                        ("node", s(&r.node)),
                        ("local_id", s(&h.local_id)),
                        ("name", s(&h.name)),
                        ("status", s(h.status.code())),
                        ("class", s(h.class.code())),
                        (
                            "area_m2",
                            PropertyValue::Double(safeground_geo::geodesic_area(&g).round()),
                        ),
                    ],
                });
                shapes.push(SharedHazard {
                    node: r.node,
                    local_id: h.local_id,
                    name: h.name,
                    geometry: g,
                    bbox,
                });
            }
            Ok(Flow::Continue)
        })?;
        store.for_each_shared_record(ItemKind::EoFind, Some(code), &mut |r| {
            if let Some(Record::EoFind(e)) = model_record(&r)
                && let Some(p) = e.location
            {
                grow(&r.node, [p.x(), p.y(), p.x(), p.y()], false);
                finds.push(TileFeature {
                    id: finds.len() as u64 + 1,
                    geometry: Geometry::Point(Point::new(p.x(), p.y())),
                    properties: vec![
                        ("node", s(&r.node)),
                        ("local_id", s(&e.local_id)),
                        ("category", s(e.category.code())),
                        ("quantity", PropertyValue::Int(i64::from(e.quantity))),
                    ],
                });
            }
            Ok(Flow::Continue)
        })?;
    }
    Ok(HubMap {
        key,
        nodes,
        hazards: Arc::new(LayerIndex::grouped("hazards", hazards, "node")),
        eo_finds: Arc::new(LayerIndex::grouped("eo-finds", finds, "node")),
        shapes,
    })
}

/// The hub's prepared maps (one per node scope asked for: every node, or a national viewer's
/// own), each rebuilt when a node's checkpoint has moved (a bundle was imported).
pub type HubMapCache = HubCache<HubMap>;

/// The map of the hub's current data, of the nodes in `scope` (None: every node); 404 when the
/// programme is not a hub.
pub async fn map(cache: &HubMapCache, scope: Option<Vec<String>>) -> ApiResult<Arc<HubMap>> {
    cache
        .get(scope, |s, hub| {
            let map = build(s, hub.key, hub.names)?;
            tracing::info!(
                hazards = map.hazards.len(),
                eo_finds = map.eo_finds.len(),
                "hub map built"
            );
            Ok(map)
        })
        .await
}
