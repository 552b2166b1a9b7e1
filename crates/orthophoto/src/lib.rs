//! Drone orthophotos (GeoTIFF / Cloud-Optimised GeoTIFF, any EPSG CRS `proj4rs` knows): their
//! georeference, on-demand XYZ raster tiles (256 px RGBA PNG, Web Mercator grid) and image chips
//! rendered by windowed reads through a bounded chunk cache (memory stays flat for any file
//! size), and a GeoTIFF writer. Pure Rust (`tiff`, `png`, `proj4rs`); no GDAL.
//!
//! Resampling is bilinear; nodata (GDAL_NODATA), alpha and GDAL internal transparency masks
//! (per level: the full-resolution mask and the overview masks) become transparent.

mod crs;
mod error;
mod georef;
mod mask;
mod raster;
mod render;
mod writer;

use std::path::Path;

use geo_types::{Coord, LineString, Polygon};

pub use error::OrthophotoError;
pub use writer::{write_geotiff, write_geotiff_with};

use crate::crs::Crs;
use crate::raster::Raster;
use crate::render::TILE;

/// Points per side of the densified WGS 84 footprint.
const FOOTPRINT_STEPS: u32 = 16;
/// Read budgets (see `render::within_budget`) one tile may use at run time (guards odd
/// projections; `minzoom` is computed with one).
const HARD_BUDGETS: usize = 4;

/// What an opened orthophoto is: size, bands, CRS, georeference, extent and zoom range.
#[derive(Debug, Clone, PartialEq)]
pub struct OrthoInfo {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Bands: 1 (gray), 3 (RGB) or 4 (RGBA).
    pub bands: u16,
    /// EPSG code of the image CRS.
    pub epsg: u32,
    /// GDAL order: x0, pixel width, row rotation, y0, column rotation, pixel height (negative).
    pub geotransform: [f64; 6],
    /// The image outline in WGS 84, each side densified.
    pub footprint: Polygon<f64>,
    /// West, south, east, north (WGS 84 degrees).
    pub bbox: [f64; 4],
    /// Ground metres per pixel at the image centre (approximate).
    pub resolution_m: f64,
    /// Number of overview levels in the file.
    pub overviews: usize,
    /// Whether the image is stored in tiles (else strips).
    pub tiled: bool,
    /// Lowest zoom a tile renders at (reading at most ~64 chunks, or 64 x 256 x 256 pixels of
    /// small strips, from the best level).
    pub minzoom: u8,
    /// Native resolution zoom + 2 (at most 22).
    pub maxzoom: u8,
    /// How pixels without data are marked.
    pub transparency: Transparency,
    /// For a CRS on another datum than WGS 84, the fixed shift used to place it (its EPSG
    /// definition's `+towgs84` parameters, or "none"): GDAL/PROJ may choose an area-specific
    /// transformation instead, hundreds of metres apart (Indian 1975 / UTM 47N near Bangkok:
    /// 188 m). None on WGS 84 (and datums that coincide with it).
    pub datum_shift: Option<String>,
}

/// How the file marks pixels without data (drawn transparent). Where it has several, the first
/// listed here wins: a mask, then alpha, then nodata; they all apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transparency {
    /// A GDAL internal transparency mask (1-bit, per dataset) at full resolution.
    Mask,
    /// A fourth (alpha) band.
    Alpha,
    /// Pixels whose bands all equal this GDAL nodata value.
    Nodata(u8),
    /// Every pixel is opaque.
    None,
}

/// An opened orthophoto; `Send + Sync`, so one can be shared by server threads in an `Arc`.
pub struct Orthophoto {
    info: OrthoInfo,
    inverse: [f64; 6],
    crs: Crs,
    raster: Raster,
}

impl std::fmt::Debug for Orthophoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Orthophoto")
            .field("info", &self.info)
            .finish()
    }
}

/// Great-circle distance in metres (spherical, mean radius; enough for a resolution figure).
fn haversine(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, la2) = (a.1.to_radians(), b.1.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.0 - a.0).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

impl Orthophoto {
    /// Opens a GeoTIFF and reads its georeference and overviews (no pixels are decoded).
    pub fn open(path: &Path) -> Result<Orthophoto, OrthophotoError> {
        let mut dec = raster::open_decoder(path)?;
        let georef = georef::read_georef(&mut dec)?;
        let raster = Raster::open(path, &mut dec)?;
        raster.park(dec);
        let crs = Crs::from_epsg(georef.epsg)?;
        let gt = georef.geotransform;
        let inverse = georef::invert(&gt).ok_or(OrthophotoError::NoGeoreference)?;
        let (width, height) = (raster.levels[0].width, raster.levels[0].height);
        let to_wgs = |px: f64, py: f64| {
            let (x, y) = georef::apply(&gt, px, py);
            crs.map_to_wgs84(x, y)
        };
        // Footprint: the image outline, densified, clockwise from the top-left corner.
        let (w, h) = (f64::from(width), f64::from(height));
        let mut ring = Vec::with_capacity(4 * FOOTPRINT_STEPS as usize + 1);
        let corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h), (0.0, 0.0)];
        for side in corners.windows(2) {
            for s in 0..FOOTPRINT_STEPS {
                let t = f64::from(s) / f64::from(FOOTPRINT_STEPS);
                let px = side[0].0 + (side[1].0 - side[0].0) * t;
                let py = side[0].1 + (side[1].1 - side[0].1) * t;
                let (lon, lat) =
                    to_wgs(px, py).ok_or(OrthophotoError::UnsupportedCrs(georef.epsg))?;
                ring.push(Coord { x: lon, y: lat });
            }
        }
        ring.push(ring[0]);
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for c in &ring {
            bbox = [
                bbox[0].min(c.x),
                bbox[1].min(c.y),
                bbox[2].max(c.x),
                bbox[3].max(c.y),
            ];
        }
        let footprint = Polygon::new(LineString::new(ring), vec![]);
        let centre =
            to_wgs(w / 2.0, h / 2.0).ok_or(OrthophotoError::UnsupportedCrs(georef.epsg))?;
        let right = to_wgs(w / 2.0 + 1.0, h / 2.0).unwrap_or(centre);
        let down = to_wgs(w / 2.0, h / 2.0 + 1.0).unwrap_or(centre);
        let resolution_m = 0.5 * (haversine(centre, right) + haversine(centre, down));
        let resolution_m = if resolution_m > 0.0 {
            resolution_m
        } else {
            1.0
        };
        let native = (render::metres_per_pixel(0, centre.1) / resolution_m)
            .log2()
            .ceil();
        let maxzoom = (native.clamp(0.0, 20.0) as u8 + 2).min(22);
        let minzoom = (0..=maxzoom)
            .find(|&z| fits_budget(&raster, z, centre.1, resolution_m))
            .unwrap_or(maxzoom);
        let transparency = match (&raster.levels[0].mask, raster.spp, raster.nodata) {
            (Some(_), _, _) => Transparency::Mask,
            (None, 4, _) => Transparency::Alpha,
            (None, _, Some(v)) => Transparency::Nodata(v),
            (None, _, None) => Transparency::None,
        };
        let info = OrthoInfo {
            width,
            height,
            bands: raster.spp as u16,
            epsg: georef.epsg,
            geotransform: gt,
            footprint,
            bbox,
            resolution_m,
            overviews: raster.levels.len() - 1,
            tiled: raster.tiled,
            minzoom,
            maxzoom,
            transparency,
            datum_shift: crs.datum_shift.clone(),
        };
        Ok(Orthophoto {
            info,
            inverse,
            crs,
            raster,
        })
    }

    /// What the file is.
    pub fn info(&self) -> &OrthoInfo {
        &self.info
    }

    /// Map coordinates (image CRS) of a pixel position. GDAL convention: (0,0) is the top-left
    /// corner of the top-left pixel.
    pub fn pixel_to_map(&self, px: f64, py: f64) -> (f64, f64) {
        georef::apply(&self.info.geotransform, px, py)
    }

    /// WGS 84 (lon, lat) of a pixel position; `None` where the projection fails.
    pub fn pixel_to_wgs84(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let (x, y) = self.pixel_to_map(px, py);
        self.crs.map_to_wgs84(x, y)
    }

    /// Pixel position of a WGS 84 (lon, lat); `None` where the projection fails. The position
    /// may lie outside the image.
    pub fn wgs84_to_pixel(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let (x, y) = self.crs.wgs84_to_map(lon, lat)?;
        Some(georef::apply(&self.inverse, x, y))
    }

    /// XYZ tile `z/x/y` (Web Mercator, the OSM/vector-tile grid) as a 256x256 RGBA PNG;
    /// `Ok(None)` when the tile does not touch the image (no pixel of it shows the image).
    /// `TooCoarse` below `info().minzoom`.
    pub fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, OrthophotoError> {
        if z > 30 || x >= 1u32 << z || y >= 1u32 << z {
            return Err(OrthophotoError::Invalid(format!("no tile {z}/{x}/{y}")));
        }
        if z < self.info.minzoom {
            return Err(OrthophotoError::TooCoarse {
                zoom: z,
                minzoom: self.info.minzoom,
            });
        }
        let (west, north) = render::tile_to_lonlat(z, f64::from(x), f64::from(y));
        let (east, south) = render::tile_to_lonlat(z, f64::from(x) + 1.0, f64::from(y) + 1.0);
        let b = &self.info.bbox;
        if east < b[0] || west > b[2] || north < b[1] || south > b[3] {
            return Ok(None);
        }
        let pts = render::tile_points(z, x, y, |lon, lat| self.wgs84_to_pixel(lon, lat));
        let ratio = render::points_ratio(&pts, TILE);
        let level = render::pick_level(&self.raster, ratio);
        match render::sample(&self.raster, level, &pts, HARD_BUDGETS)? {
            None => Err(OrthophotoError::TooCoarse {
                zoom: z,
                minzoom: self.info.minzoom,
            }),
            Some((_, false)) => Ok(None),
            Some((rgba, true)) => render::png_rgba(TILE as u32, TILE as u32, &rgba).map(Some),
        }
    }

    /// RGBA PNG crop centred on pixel (px, py), `half` source pixels each way, resampled
    /// (bilinear) to `out_px` x `out_px` (at most 1024). Parts outside the image are transparent;
    /// `OutOfImage` when the crop misses the image; `Invalid` when it would read more than
    /// ~16 million pixels (a smaller chip or overviews help).
    pub fn chip(
        &self,
        px: f64,
        py: f64,
        half: u32,
        out_px: u32,
    ) -> Result<Vec<u8>, OrthophotoError> {
        if half == 0 || out_px == 0 || out_px > 1024 || !px.is_finite() || !py.is_finite() {
            return Err(OrthophotoError::Invalid(format!(
                "chip half {half} px, output {out_px} px (1..=1024) at ({px}, {py})"
            )));
        }
        let step = 2.0 * f64::from(half) / f64::from(out_px);
        let (x0, y0) = (px - f64::from(half), py - f64::from(half));
        let (w, h) = (f64::from(self.info.width), f64::from(self.info.height));
        if x0 + 2.0 * f64::from(half) <= 0.0
            || y0 + 2.0 * f64::from(half) <= 0.0
            || x0 >= w
            || y0 >= h
        {
            return Err(OrthophotoError::OutOfImage);
        }
        let n = out_px as usize;
        let mut pts = Vec::with_capacity(n * n);
        for j in 0..n {
            for i in 0..n {
                pts.push((x0 + (i as f64 + 0.5) * step, y0 + (j as f64 + 0.5) * step));
            }
        }
        let level = render::pick_level(&self.raster, step);
        match render::sample(&self.raster, level, &pts, HARD_BUDGETS)? {
            Some((rgba, _)) => render::png_rgba(out_px, out_px, &rgba),
            None => Err(OrthophotoError::Invalid(format!(
                "a chip of {half} px half-size reads too much of this file; ask for a smaller one or add overviews (gdaladdo)"
            ))),
        }
    }
}

/// Whether a tile at zoom `z` (latitude `lat`) reads within one budget from its best level.
fn fits_budget(raster: &Raster, z: u8, lat: f64, resolution_m: f64) -> bool {
    let ratio = render::metres_per_pixel(z, lat) / resolution_m;
    let level = &raster.levels[render::pick_level(raster, ratio)];
    let span = TILE as f64 * ratio / level.factor + 2.0;
    let across = ((span / f64::from(level.chunk_w)).ceil() as usize + 1).min(level.across as usize);
    let down = ((span / f64::from(level.chunk_h)).ceil() as usize + 1).min(level.down as usize);
    let chunks = across * down;
    render::within_budget(chunks, chunks * (level.chunk_w * level.chunk_h) as usize, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn orthophoto_is_send_sync() {
        assert_send_sync::<Orthophoto>();
    }
}
