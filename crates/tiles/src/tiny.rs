//! Tiny-polygon reduction at low zooms (tippecanoe's default, for the same reason).
//!
//! At zoom 8 a screen pixel (1/256 of a tile) is 611 m wide, so most hazards of a national
//! programme are smaller than one pixel there, yet each one costs a clip, a snap and a repair,
//! and the z6–z10 tiles of 100,000 hazards carry megabytes nobody can see. Below
//! [`DETAIL_ZOOM`], a polygon feature smaller than one screen pixel is therefore not written as
//! itself: its area is added to the tile's running total, and each time that total reaches one
//! screen pixel the feature that crossed the threshold is written as a one-pixel square at its
//! centre, with its own id and properties. The map keeps the density of contamination (so many
//! square pixels of small hazards in an area), the tile gets one small square instead of many
//! complex rings, and clicking the square still names a real hazard. A tiny feature is counted
//! in the one tile that holds its bounding-box centre, so the squares of neighbouring tiles
//! never count an area twice. The count is rounded to the nearest pixel, with at least one
//! square in a tile where any tiny polygon is counted: at the end of the layer the last
//! absorbed feature is written as a square when the remainder is half a pixel or more, or when
//! it would otherwise leave the tile empty. Without that floor a whole national programme
//! (a few hundred km² of hazards) is less than one z0–z2 pixel (1,500–24,000 km²) and the
//! low-zoom tiles were empty. From [`DETAIL_ZOOM`] on every feature is written as itself.
//!
//! Points get the same treatment in their own way: below [`DETAIL_ZOOM`] a single-point feature
//! is written only when no earlier point of the layer took its screen pixel in this tile (the
//! first in layer order stands for the others), so a z6 tile of 60,000 EO finds holds one point
//! per occupied pixel instead of all of them.

use std::collections::HashSet;

use geo_types::{Coord, Geometry, LineString, Polygon};

use crate::EXTENT;
use crate::mercator::{TileTransform, pixel_size};

/// The first zoom at which every polygon is written as itself.
pub const DETAIL_ZOOM: u8 = 12;

/// Tile units in one screen pixel (a 256-pixel tile).
const SCREEN_PIXEL: f64 = EXTENT as f64 / 256.0;

/// What to do with one polygon feature.
#[derive(Debug, PartialEq)]
pub(crate) enum Reduction {
    /// Not tiny here: encode it as usual.
    Keep,
    /// Tiny: counted in the running total (or in another tile), nothing written.
    Absorbed,
    /// Tiny, and the running total reached a pixel: write this square instead.
    Square(Geometry<f64>),
}

/// The running total of one layer in one tile.
#[derive(Debug)]
pub(crate) struct TinyPolygons {
    /// Area of one screen pixel in Mercator square metres; 0 when the reduction is off.
    pixel_area: f64,
    /// Area absorbed and not yet written, Mercator square metres.
    total: f64,
    /// Squares written so far in this tile.
    squares: usize,
    /// The last feature counted here and not written (its key and the square it would be).
    last: Option<(usize, Geometry<f64>)>,
}

impl TinyPolygons {
    /// The reduction for zoom `z` (off from [`DETAIL_ZOOM`]).
    pub(crate) fn new(z: u8) -> Self {
        let side = pixel_size(z) * SCREEN_PIXEL;
        Self {
            pixel_area: if z < DETAIL_ZOOM { side * side } else { 0.0 },
            total: 0.0,
            squares: 0,
            last: None,
        }
    }

    /// Decides for polygon feature `key` of Mercator area `area` and bounding box `bbox` in the
    /// tile of `t`.
    pub(crate) fn offer(
        &mut self,
        key: usize,
        area: f64,
        bbox: [f64; 4],
        t: &TileTransform,
    ) -> Reduction {
        if area >= self.pixel_area {
            return Reduction::Keep;
        }
        let centre = t.tile_coord(Coord {
            x: (bbox[0] + bbox[2]) / 2.0,
            y: (bbox[1] + bbox[3]) / 2.0,
        });
        let inside = |v: f64| (0.0..f64::from(EXTENT)).contains(&v);
        if !(inside(centre.x) && inside(centre.y)) {
            return Reduction::Absorbed;
        }
        self.total += area;
        if self.total < self.pixel_area {
            self.last = Some((key, square(centre)));
            return Reduction::Absorbed;
        }
        self.total -= self.pixel_area;
        self.squares += 1;
        self.last = None;
        Reduction::Square(square(centre))
    }

    /// After the last feature of the tile: the remainder rounded to the nearest pixel, at
    /// least one square in a tile where tiny polygons were counted. Gives the key of the last
    /// absorbed feature and its square, to write after the others.
    pub(crate) fn finish(self) -> Option<(usize, Geometry<f64>)> {
        let (key, square) = self.last?;
        (self.squares == 0 || self.total >= self.pixel_area / 2.0).then_some((key, square))
    }
}

/// The screen pixels already taken by a point in one layer of one tile.
#[derive(Debug)]
pub(crate) struct PointPixels {
    /// Whether thinning applies at this zoom.
    on: bool,
    taken: HashSet<(i64, i64)>,
}

impl PointPixels {
    /// The thinning for zoom `z` (off from [`DETAIL_ZOOM`]).
    pub(crate) fn new(z: u8) -> Self {
        Self {
            on: z < DETAIL_ZOOM,
            taken: HashSet::new(),
        }
    }

    /// Whether to write `geometry` (tile coordinates): always, except a single point whose
    /// screen pixel an earlier point took.
    pub(crate) fn keep(&mut self, geometry: &Geometry<f64>) -> bool {
        match geometry {
            Geometry::Point(p) if self.on => self.taken.insert((
                (p.x() / SCREEN_PIXEL).floor() as i64,
                (p.y() / SCREEN_PIXEL).floor() as i64,
            )),
            _ => true,
        }
    }
}

/// A one-pixel square around `centre` on the integer grid, wound as an MVT exterior ring
/// (positive area in y-down tile coordinates).
fn square(centre: Coord<f64>) -> Geometry<f64> {
    let half = SCREEN_PIXEL / 2.0;
    let (x0, y0) = ((centre.x - half).round(), (centre.y - half).round());
    let (x1, y1) = (x0 + SCREEN_PIXEL, y0 + SCREEN_PIXEL);
    Geometry::Polygon(Polygon::new(
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
        vec![],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mercator::TileTransform;
    use geo::Area;

    /// A Mercator bbox of side `side` metres centred in tile z/x/y.
    fn centred(t: &TileTransform, z: u8, side: f64) -> [f64; 4] {
        // The tile's buffered envelope minus its buffer gives the tile's own box.
        let [x0, y0, x1, y1] = t.buffered_envelope();
        let b = pixel_size(z) * f64::from(crate::BUFFER);
        let (cx, cy) = ((x0 + b + x1 - b) / 2.0, (y0 + b + y1 - b) / 2.0);
        [
            cx - side / 2.0,
            cy - side / 2.0,
            cx + side / 2.0,
            cy + side / 2.0,
        ]
    }

    #[test]
    fn tiny_polygons_add_up_to_one_square_per_pixel_of_area() {
        let (z, x, y) = (8, 201, 118);
        let t = TileTransform::new(z, x, y);
        let mut tiny = TinyPolygons::new(z);
        let pixel = tiny.pixel_area;
        // 611 m at z8 (Mercator metres at the equator scale).
        assert!((pixel.sqrt() - 611.5).abs() < 0.5, "{}", pixel.sqrt());
        let bbox = centred(&t, z, 100.0);
        // Ten polygons of a quarter pixel each: a square after the 4th and the 8th.
        let out: Vec<bool> = (0..10)
            .map(|_| matches!(tiny.offer(0, 0.25 * pixel, bbox, &t), Reduction::Square(_)))
            .collect();
        assert_eq!(
            out,
            [
                false, false, false, true, false, false, false, true, false, false
            ]
        );
        assert_eq!(tiny.offer(0, 2.0 * pixel, bbox, &t), Reduction::Keep);
        // Two quarters left over: half a pixel rounds up to a third square.
        assert!(tiny.finish().is_some());
    }

    #[test]
    fn a_tile_with_tiny_polygons_gets_at_least_one_square() {
        let (z, x, y) = (1, 1, 0);
        let t = TileTransform::new(z, x, y);
        let bbox = centred(&t, z, 1000.0);
        // A whole programme's hazards are a sliver of a z1 pixel (78 km wide): one square,
        // the last feature's.
        let mut alone = TinyPolygons::new(z);
        for key in 0..3 {
            assert_eq!(alone.offer(key, 1e6, bbox, &t), Reduction::Absorbed);
        }
        assert!(matches!(alone.finish(), Some((2, Geometry::Polygon(_)))));
        // Once a square is written, a remainder under half a pixel adds none.
        let mut rounded = TinyPolygons::new(z);
        let pixel = rounded.pixel_area;
        assert_eq!(rounded.offer(0, 0.6 * pixel, bbox, &t), Reduction::Absorbed);
        assert!(matches!(
            rounded.offer(1, 0.6 * pixel, bbox, &t),
            Reduction::Square(_)
        ));
        assert_eq!(rounded.offer(2, 0.2 * pixel, bbox, &t), Reduction::Absorbed);
        assert!(rounded.finish().is_none());
        // Nothing counted here, nothing written.
        assert!(TinyPolygons::new(z).finish().is_none());
    }

    #[test]
    fn the_square_is_one_screen_pixel_wound_as_an_exterior() {
        let Geometry::Polygon(p) = square(Coord { x: 100.3, y: 200.7 }) else {
            panic!("not a polygon")
        };
        assert_eq!(p.signed_area(), SCREEN_PIXEL * SCREEN_PIXEL);
        assert_eq!(p.exterior().0[0], Coord { x: 92.0, y: 193.0 });
    }

    #[test]
    fn a_tiny_feature_counts_only_in_the_tile_holding_its_centre() {
        let z = 8;
        let t = TileTransform::new(z, 201, 118);
        let neighbour = TileTransform::new(z, 202, 118);
        let bbox = centred(&t, z, 10.0);
        let mut here = TinyPolygons::new(z);
        let mut there = TinyPolygons::new(z);
        let pixel = here.pixel_area;
        assert!(matches!(
            here.offer(1, pixel * 0.999_999, bbox, &t),
            Reduction::Absorbed
        ));
        assert!(matches!(
            here.offer(2, pixel * 0.5, bbox, &t),
            Reduction::Square(_)
        ));
        for _ in 0..5 {
            assert_eq!(
                there.offer(1, pixel * 0.9, bbox, &neighbour),
                Reduction::Absorbed
            );
        }
    }

    #[test]
    fn one_point_per_screen_pixel_below_the_detail_zoom() {
        let point = |x: f64, y: f64| Geometry::Point(geo_types::Point::new(x, y));
        let mut pixels = PointPixels::new(8);
        assert!(pixels.keep(&point(100.0, 100.0)));
        assert!(!pixels.keep(&point(108.0, 110.0)), "same 16 × 16 pixel");
        assert!(pixels.keep(&point(116.0, 100.0)), "next pixel");
        assert!(
            pixels.keep(&point(-10.0, 100.0)),
            "in the buffer, its own pixel"
        );
        let mut detail = PointPixels::new(DETAIL_ZOOM);
        assert!(detail.keep(&point(100.0, 100.0)) && detail.keep(&point(100.0, 100.0)));
    }

    #[test]
    fn from_the_detail_zoom_everything_is_kept() {
        let z = DETAIL_ZOOM;
        let t = TileTransform::new(z, 0, 0);
        let mut tiny = TinyPolygons::new(z);
        assert_eq!(
            tiny.offer(0, 1e-6, [0.0, 0.0, 1.0, 1.0], &t),
            Reduction::Keep
        );
    }
}
