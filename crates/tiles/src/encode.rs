//! Encoding of one tile from prepared layers.
//!
//! The tile is written straight into protobuf bytes (`Tile.layers` = field 3; `Layer`: version
//! 15, name 1, features 2, keys 3, values 4, extent 5; `Feature`: id 1, tags 2, type 3,
//! geometry 4), with reusable scratch buffers and the layer's pre-encoded values. Building
//! `geozero`'s prost structs per feature (`ToMvt` + `TagsBuilder` + `Message::encode`) cost
//! about 0.6 µs per feature, 14 ms for a z6 tile of 22,000 points, mostly allocation.

use geo_types::Geometry;

use crate::clip::tile_geometry;
use crate::commands::commands;
use crate::mercator::TileTransform;
use crate::pbf;
use crate::tags::TileTags;
use crate::tiny::{PointPixels, Reduction, TinyPolygons};
use crate::{EXTENT, LayerIndex, MAX_ZOOM, TileError};

/// MVT specification version written into every layer.
const VERSION: u64 = 2;

/// Encodes tile `z/x/y` (XYZ scheme, y = 0 at the north, as MapLibre and GDAL's MVT driver use)
/// as a Mapbox Vector Tile 2.1.
///
/// Each index with at least one feature in the tile becomes one layer (version 2, extent
/// [`EXTENT`], named after [`LayerIndex::name`], features in index order with their ids and
/// properties); layers with no feature there are omitted, so a tile where nothing intersects
/// encodes to an empty `Vec` (a valid empty tile). Geometry is kept up to [`crate::BUFFER`] tile
/// units outside the tile: polygons and lines are clipped to that buffered square, points
/// outside it are left out. Give distinct layer names: MVT readers expect them unique.
///
/// # Errors
/// [`TileError::ZoomOutOfRange`] for `z` above [`MAX_ZOOM`], [`TileError::TileOutOfRange`] when
/// `x` or `y` is not below 2^z.
pub fn encode_tile(layers: &[&LayerIndex], z: u8, x: u32, y: u32) -> Result<Vec<u8>, TileError> {
    if z > MAX_ZOOM {
        return Err(TileError::ZoomOutOfRange { z, max: MAX_ZOOM });
    }
    let limit = 1u32 << z;
    if x >= limit || y >= limit {
        return Err(TileError::TileOutOfRange { z, x, y, limit });
    }
    let transform = TileTransform::new(z, x, y);
    let mut scratch = Scratch::default();
    let mut tile = Vec::new();
    for index in layers {
        if encode_layer(index, z, &transform, &mut scratch) {
            pbf::bytes_field(&mut tile, 3, &scratch.layer);
        }
    }
    Ok(tile)
}

/// Buffers reused across features and layers.
#[derive(Default)]
struct Scratch {
    /// The encoded layer being built.
    layer: Vec<u8>,
    /// Command stream of the current feature.
    geometry: Vec<u32>,
    /// Tile-local tags of the current feature.
    tags: Vec<u32>,
}

/// Encodes the layer of `index` in the tile of `transform` into `scratch.layer`; `false` when
/// no feature is there.
fn encode_layer(
    index: &LayerIndex,
    z: u8,
    transform: &TileTransform,
    scratch: &mut Scratch,
) -> bool {
    let candidates = index.candidates(transform.buffered_envelope());
    if candidates.is_empty() {
        return false;
    }
    let mut tags = TileTags::new(index.tag_table(), 4 * candidates.len());
    scratch.layer.clear();
    pbf::varint_field(&mut scratch.layer, 15, VERSION);
    pbf::bytes_field(&mut scratch.layer, 1, index.name().as_bytes());
    let mut written = 0usize;
    // One running total and one set of taken pixels per group of the layer.
    let mut tiny: Vec<TinyPolygons> = Vec::new();
    let mut points: Vec<PointPixels> = Vec::new();
    let mut write = |i: usize, geometry: Geometry<f64>, scratch: &mut Scratch| {
        let Some(feature) = index.feature(i) else {
            return;
        };
        let kind = commands(&geometry, &mut scratch.geometry);
        if kind == 0 || scratch.geometry.is_empty() {
            return;
        }
        scratch.tags.clear();
        tags.remap(&feature.tags, &mut scratch.tags);
        write_feature(
            &mut scratch.layer,
            feature.id,
            &scratch.tags,
            kind,
            &scratch.geometry,
        );
        written += 1;
    };
    for i in candidates {
        let Some(feature) = index.feature(i) else {
            continue;
        };
        let g = feature.group;
        while tiny.len() <= g {
            tiny.push(TinyPolygons::new(z));
            points.push(PointPixels::new(z));
        }
        let reduced = match feature.area {
            Some(area) => tiny[g].offer(i, area, feature.bbox, transform),
            None => Reduction::Keep,
        };
        let geometry = match reduced {
            Reduction::Keep => tile_geometry(
                &feature.shape,
                &feature.generalisation,
                feature.bbox,
                transform,
                z,
            ),
            Reduction::Absorbed => None,
            Reduction::Square(square) => Some(square),
        };
        if let Some(geometry) = geometry.filter(|geometry| points[g].keep(geometry)) {
            write(i, geometry, scratch);
        }
    }
    for group in tiny {
        if let Some((i, square)) = group.finish() {
            write(i, square, scratch);
        }
    }
    if written == 0 {
        return false;
    }
    tags.write(&mut scratch.layer);
    pbf::varint_field(&mut scratch.layer, 5, u64::from(EXTENT));
    true
}

/// Appends one `Feature` message (field 2 of `Layer`).
fn write_feature(layer: &mut Vec<u8>, id: u64, tags: &[u32], kind: u64, geometry: &[u32]) {
    let tags_len = pbf::packed_len(tags);
    let geometry_len = pbf::packed_len(geometry);
    let mut len = 1 + pbf::varint_len(id) + 2 + pbf::delimited_size(4, geometry_len);
    if !tags.is_empty() {
        len += pbf::delimited_size(2, tags_len);
    }
    pbf::key(layer, 2, pbf::LEN);
    pbf::varint(layer, len as u64);
    pbf::varint_field(layer, 1, id);
    if !tags.is_empty() {
        pbf::packed_field(layer, 2, tags, tags_len);
    }
    pbf::varint_field(layer, 3, kind);
    pbf::packed_field(layer, 4, geometry, geometry_len);
}
