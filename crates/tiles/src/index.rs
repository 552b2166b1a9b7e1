//! A layer prepared for tiling: projected features, their R-tree and generalised copies.

use geo::Area;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::generalise::Generalisation;
use crate::mercator::unproject;
use crate::shape::Shape;
use crate::tags::{TagTable, TagTableBuilder};
use crate::{PropertyValue, TileFeature};

/// An R-tree entry: a feature's Mercator bounding box and its position in the layer.
type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// One feature after validation and projection.
#[derive(Debug)]
pub(crate) struct IndexedFeature {
    /// Feature id.
    pub(crate) id: u64,
    /// Properties as `[key, value, …]` indices into the layer's [`TagTable`].
    pub(crate) tags: Vec<u32>,
    /// Full geometry in Web Mercator metres.
    pub(crate) shape: Shape,
    /// Mercator bounding box of `shape`, `[min x, min y, max x, max y]`.
    pub(crate) bbox: [f64; 4],
    /// Per-zoom generalisation of `shape`.
    pub(crate) generalisation: Generalisation,
    /// Polygons only: area in square Mercator metres (for the tiny-polygon reduction).
    pub(crate) area: Option<f64>,
    /// The feature's group (0 in an ungrouped layer): tiny polygons and thinned points are
    /// reduced within their group only (see [`LayerIndex::grouped`]).
    pub(crate) group: usize,
}

/// A layer prepared for tiling.
///
/// [`LayerIndex::new`] projects the geometries once to Web Mercator (EPSG:3857), indexes their
/// bounding boxes in an R-tree, interns the properties in layer-wide key and value tables and
/// prepares the per-zoom generalisation (Douglas–Peucker with a tolerance of one tile pixel at
/// each zoom, stored as one importance per vertex; rings under one square pixel and lines under
/// one pixel are left out at that zoom) so that tiles at low zooms stay fast. The index is immutable, `Send` and `Sync`: share it between request
/// handlers (for example in an `Arc`) and rebuild it when the data change.
#[derive(Debug)]
pub struct LayerIndex {
    name: String,
    features: Vec<IndexedFeature>,
    tree: RTree<Entry>,
    tags: TagTable,
    bounds: Option<[f64; 4]>,
}

impl LayerIndex {
    /// Builds the index of layer `name` (the MVT layer name) from WGS 84 features.
    ///
    /// Never panics. Features with a non-finite coordinate, a longitude outside ±180° or a
    /// latitude outside ±90° are dropped, as are empty geometries; latitudes beyond ±85.0511°
    /// (the edge of Web Mercator) are clamped. Feature order is kept: it is the drawing order
    /// within a tile.
    pub fn new(name: &str, features: Vec<TileFeature>) -> Self {
        Self::build(name, features, None)
    }

    /// Builds the index like [`LayerIndex::new`], with the low-zoom reductions (tiny polygons
    /// summed into one-pixel squares, one point per screen pixel) done separately for each
    /// value of the string property `key`: features of different groups (e.g. the countries
    /// of a regional map) never stand for one another, so every group that has a feature in a
    /// tile keeps at least one square or point there, with its own properties. Features
    /// without that property form one group of their own.
    pub fn grouped(name: &str, features: Vec<TileFeature>, key: &str) -> Self {
        Self::build(name, features, Some(key))
    }

    fn build(name: &str, features: Vec<TileFeature>, group_key: Option<&str>) -> Self {
        let mut groups: Vec<Option<String>> = Vec::new();
        let mut indexed = Vec::with_capacity(features.len());
        let mut bounds: Option<[f64; 4]> = None;
        let mut tags = TagTableBuilder::default();
        for feature in features {
            let Some(shape) = Shape::from_wgs84(feature.geometry) else {
                continue;
            };
            let b = shape.bbox();
            bounds = Some(match bounds {
                None => b,
                Some(a) => [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ],
            });
            let group = group_key.map_or(0, |key| {
                let value = feature.properties.iter().find_map(|(k, v)| match v {
                    PropertyValue::String(s) if *k == key => Some(s.clone()),
                    _ => None,
                });
                groups.iter().position(|g| *g == value).unwrap_or_else(|| {
                    groups.push(value);
                    groups.len() - 1
                })
            });
            let area = match &shape {
                Shape::Polygons(polygons) => Some(polygons.iter().map(|p| p.unsigned_area()).sum()),
                _ => None,
            };
            indexed.push(IndexedFeature {
                id: feature.id,
                area,
                group,
                tags: tags.intern(feature.properties),
                generalisation: Generalisation::new(&shape),
                shape,
                bbox: b,
            });
        }
        let entries = indexed
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let [x0, y0, x1, y1] = f.bbox;
                let rect = Rectangle::from_corners([x0, y0], [x1, y1]);
                // Feature counts are far below u32::MAX; saturate rather than wrap if not.
                GeomWithData::new(rect, u32::try_from(i).unwrap_or(u32::MAX))
            })
            .collect();
        Self {
            name: name.to_owned(),
            features: indexed,
            tree: RTree::bulk_load(entries),
            tags: tags.finish(),
            bounds: bounds.map(|[x0, y0, x1, y1]| {
                let (west, south) = unproject(x0, y0);
                let (east, north) = unproject(x1, y1);
                [west, south, east, north]
            }),
        }
    }

    /// The layer name, as written into each tile.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Number of features kept.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether no feature was kept.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// WGS 84 bounds `[west, south, east, north]` of the features kept (latitudes clamped to
    /// ±85.0511°), `None` when the layer is empty.
    pub fn bounds(&self) -> Option<[f64; 4]> {
        self.bounds
    }

    /// Positions of the features whose bounding box meets the Mercator box `env`
    /// (`[min x, min y, max x, max y]`), in layer order.
    pub(crate) fn candidates(&self, env: [f64; 4]) -> Vec<usize> {
        let envelope = AABB::from_corners([env[0], env[1]], [env[2], env[3]]);
        let found = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|e| e.data as usize);
        let mut found: Vec<usize> = found.collect();
        if found.len() > 1024 && found.len() * 32 > self.features.len() {
            // Many hits: a bit set puts them in order in linear time.
            let mut bits = vec![0u64; self.features.len().div_ceil(64)];
            for &i in &found {
                bits[i / 64] |= 1 << (i % 64);
            }
            found.clear();
            for (w, &word) in bits.iter().enumerate() {
                let mut word = word;
                while word != 0 {
                    found.push(w * 64 + word.trailing_zeros() as usize);
                    word &= word - 1;
                }
            }
        } else {
            found.sort_unstable();
        }
        found
    }

    /// The layer's key and value tables.
    pub(crate) fn tag_table(&self) -> &TagTable {
        &self.tags
    }

    /// The feature at position `i` (from [`LayerIndex::candidates`]).
    pub(crate) fn feature(&self, i: usize) -> Option<&IndexedFeature> {
        self.features.get(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Geometry, Point, polygon};

    fn feature(id: u64, geometry: Geometry<f64>) -> TileFeature {
        TileFeature {
            id,
            geometry,
            properties: vec![],
        }
    }

    #[test]
    fn invalid_features_are_dropped_and_bounds_kept() {
        let index = LayerIndex::new(
            "t",
            vec![
                feature(1, Point::new(104.0, 12.0).into()),
                feature(2, Point::new(f64::NAN, 12.0).into()),
                feature(3, Point::new(200.0, 12.0).into()),
                feature(
                    4,
                    polygon![(x: 103.0, y: 11.0), (x: 103.5, y: 11.0), (x: 103.5, y: 11.5)].into(),
                ),
                feature(5, Point::new(10.0, f64::INFINITY).into()),
            ],
        );
        assert_eq!(index.name(), "t");
        assert_eq!(index.len(), 2);
        assert!(!index.is_empty());
        let bounds = index.bounds().expect("two features");
        for (got, want) in bounds.iter().zip([103.0, 11.0, 104.0, 12.0]) {
            assert!((got - want).abs() < 1e-9, "{bounds:?}");
        }
        let empty = LayerIndex::new("e", vec![]);
        assert!(empty.is_empty());
        assert_eq!(empty.bounds(), None);
        let polar = LayerIndex::new("p", vec![feature(1, Point::new(0.0, 89.0).into())]);
        let [_, s, _, n] = polar.bounds().expect("kept");
        assert!(s < 85.06 && n < 85.06);
    }

    #[test]
    fn candidates_come_in_layer_order() {
        let features = (0..100)
            .map(|i| feature(i, Point::new(100.0 + i as f64 * 0.01, 12.0).into()))
            .collect();
        let index = LayerIndex::new("t", features);
        let all = index.candidates([-2e7, -2e7, 2e7, 2e7]);
        assert_eq!(all, (0..100).collect::<Vec<_>>());
        assert!(index.feature(99).is_some() && index.feature(100).is_none());
        let features = (0..5000)
            .map(|i| {
                feature(
                    i,
                    Point::new(100.0 + (i * 7919 % 5000) as f64 * 0.001, 12.0).into(),
                )
            })
            .collect();
        let index = LayerIndex::new("t", features);
        let all = index.candidates([-2e7, -2e7, 2e7, 2e7]);
        assert_eq!(all, (0..5000).collect::<Vec<_>>());
        assert!(index.candidates([0.0, 0.0, 1.0, 1.0]).is_empty());
    }
}
