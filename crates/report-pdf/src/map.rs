//! The cover map: remaining hazard polygons (GeoJSON, WGS 84) drawn as an SVG in an
//! equirectangular frame fitted to their bounding box.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PdfError;
use crate::labels::Labels;

/// Width of the SVG in user units; the height follows the frame's aspect ratio.
const WIDTH: f64 = 1000.0;
/// Frame height / width limits, so the map fits the cover page and is never a sliver.
const MIN_ASPECT: f64 = 0.45;
const MAX_ASPECT: f64 = 0.8;
/// Margin around the features' bounding box, as a share of its size.
const PAD: f64 = 0.06;
/// Smallest frame side, in degrees (about 550 m), for a single tiny area.
const MIN_SIZE_DEG: f64 = 0.005;
/// Features smaller than this (SVG units) also get a dot so they stay visible.
const DOT_BELOW: f64 = 6.0;
const DOT_RADIUS: f64 = 5.0;
/// Mean Earth radius in km, for the scale bar.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The prepared map for the template.
#[derive(Debug, Serialize)]
pub struct MapView {
    /// The SVG document.
    #[serde(skip)]
    pub svg: String,
    pub legend: Vec<LegendEntry>,
    pub total: String,
    pub note: String,
    /// Scale bar length as a share of the map width, and its label.
    pub scale_fraction: f64,
    pub scale_label: String,
}

/// One class in the legend.
#[derive(Debug, Serialize)]
pub struct LegendEntry {
    pub fill: &'static str,
    pub stroke: &'static str,
    pub label: &'static str,
    pub detail: String,
}

#[derive(Deserialize)]
struct FeatureCollection {
    #[serde(default)]
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    geometry: Option<Geometry>,
    #[serde(default)]
    properties: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum Geometry {
    Polygon {
        coordinates: Vec<Vec<Vec<f64>>>,
    },
    MultiPolygon {
        coordinates: Vec<Vec<Vec<Vec<f64>>>>,
    },
    #[serde(other)]
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Other,
    Sha,
    Cha,
}

impl Class {
    fn style(self, labels: &'static Labels) -> (&'static str, &'static str, &'static str) {
        match self {
            Class::Sha => ("#f2b233", "#9a6a08", labels.sha),
            Class::Cha => ("#d7301f", "#7f1a10", labels.cha),
            Class::Other => ("#a8a8a8", "#5a5a5a", labels.other),
        }
    }
}

/// A hazard to draw: class, rings of (lon, lat), remaining area.
struct Hazard {
    class: Class,
    rings: Vec<Vec<(f64, f64)>>,
    remaining_m2: f64,
}

/// The frame: lon/lat of the top-left corner, cos of mid-latitude, SVG units per degree.
struct Frame {
    west: f64,
    north: f64,
    east: f64,
    south: f64,
    cos_lat: f64,
    scale: f64,
}

impl Frame {
    fn project(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        (
            (lon - self.west) * self.cos_lat * self.scale,
            (self.north - lat) * self.scale,
        )
    }
}

/// Builds the map, or `None` when there is no map or it has no polygons.
pub fn build(map: Option<&Value>, labels: &'static Labels) -> Result<Option<MapView>, PdfError> {
    let Some(map) = map.filter(|m| !m.is_null()) else {
        return Ok(None);
    };
    let collection = FeatureCollection::deserialize(map)
        .map_err(|e| PdfError::Invalid(format!("map is not a GeoJSON FeatureCollection: {e}")))?;
    let mut hazards: Vec<Hazard> = collection.features.into_iter().filter_map(hazard).collect();
    if hazards.is_empty() {
        return Ok(None);
    }
    // Draw the more certain class on top; keep input order within a class.
    hazards.sort_by_key(|h| h.class);
    let frame = fit(&hazards);
    let height = (frame.north - frame.south) * frame.scale;

    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.1}\" \
         width=\"{WIDTH}\" height=\"{height:.1}\">\n\
         <rect width=\"{WIDTH}\" height=\"{height:.1}\" fill=\"#f4f6f3\"/>\n"
    );
    let mut dots = false;
    for hazard in &hazards {
        let (fill, stroke, _) = hazard.class.style(labels);
        let mut d = String::new();
        let (mut min, mut max) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
        for ring in &hazard.rings {
            let mut last = None;
            for &p in ring {
                let (x, y) = frame.project(p);
                min = (min.0.min(x), min.1.min(y));
                max = (max.0.max(x), max.1.max(y));
                let point = ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0);
                if last == Some(point) {
                    continue;
                }
                let cmd = if last.is_none() { 'M' } else { 'L' };
                let _ = write!(d, "{cmd}{:.1} {:.1}", point.0, point.1);
                last = Some(point);
            }
            d.push('Z');
        }
        let _ = writeln!(
            svg,
            "<path d=\"{d}\" fill=\"{fill}\" fill-opacity=\"0.85\" fill-rule=\"evenodd\" \
             stroke=\"{stroke}\" stroke-width=\"1.2\" stroke-linejoin=\"round\"/>"
        );
        if (max.0 - min.0).max(max.1 - min.1) < DOT_BELOW {
            dots = true;
            let _ = writeln!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{DOT_RADIUS}\" fill=\"{fill}\" \
                 stroke=\"{stroke}\" stroke-width=\"1.2\"/>",
                (min.0 + max.0) / 2.0,
                (min.1 + max.1) / 2.0
            );
        }
    }
    svg.push_str("</svg>\n");

    let width_km = (frame.east - frame.west).to_radians() * frame.cos_lat * EARTH_RADIUS_KM;
    let (scale_km, scale_label) = scale_bar(width_km, labels);
    let mut note = format!(
        "{}: {}–{}, {}–{} · {}",
        labels.extent,
        lon_text(frame.west, labels),
        lon_text(frame.east, labels),
        lat_text(frame.south, labels),
        lat_text(frame.north, labels),
        labels.projection
    );
    if dots {
        let _ = write!(note, " · {}", labels.small_areas);
    }
    Ok(Some(MapView {
        svg,
        legend: legend(&hazards, labels),
        total: summary(
            hazards.len(),
            hazards.iter().map(|h| h.remaining_m2).sum(),
            labels,
        ),
        note,
        scale_fraction: scale_km / width_km,
        scale_label,
    }))
}

/// A feature's class, rings and remaining area; `None` without polygon geometry.
fn hazard(feature: Feature) -> Option<Hazard> {
    let polygons = match feature.geometry? {
        Geometry::Polygon { coordinates } => vec![coordinates],
        Geometry::MultiPolygon { coordinates } => coordinates,
        Geometry::Other => return None,
    };
    let rings: Vec<Vec<(f64, f64)>> = polygons
        .into_iter()
        .flatten()
        .map(|ring| {
            ring.iter()
                .filter_map(|p| match p.as_slice() {
                    [lon, lat, ..] if lon.is_finite() && lat.is_finite() => Some((*lon, *lat)),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .filter(|ring| !ring.is_empty())
        .collect();
    if rings.is_empty() {
        return None;
    }
    let properties = feature.properties.unwrap_or_default();
    let class = match properties.get("class").and_then(Value::as_str) {
        Some(c) if c.eq_ignore_ascii_case("sha") => Class::Sha,
        Some(c) if c.eq_ignore_ascii_case("cha") => Class::Cha,
        _ => Class::Other,
    };
    let remaining_m2 = properties
        .get("remaining_m2")
        .and_then(Value::as_f64)
        .unwrap_or(0.0);
    Some(Hazard {
        class,
        rings,
        remaining_m2,
    })
}

/// Fits the frame to the hazards' bounding box, padded and with a bounded aspect ratio.
fn fit(hazards: &[Hazard]) -> Frame {
    let (mut west, mut south, mut east, mut north) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(lon, lat) in hazards.iter().flat_map(|h| h.rings.iter().flatten()) {
        west = west.min(lon);
        east = east.max(lon);
        south = south.min(lat);
        north = north.max(lat);
    }
    let mid_lat = (south + north) / 2.0;
    let cos_lat = mid_lat.to_radians().cos().max(0.05);
    let centre = ((west + east) / 2.0 * cos_lat, mid_lat);
    // Work in "equal" degrees: x = lon·cos(mid-lat), y = lat.
    let mut w = ((east - west) * cos_lat).max(MIN_SIZE_DEG) * (1.0 + 2.0 * PAD);
    let mut h = (north - south).max(MIN_SIZE_DEG) * (1.0 + 2.0 * PAD);
    if h < w * MIN_ASPECT {
        h = w * MIN_ASPECT;
    } else if h > w * MAX_ASPECT {
        w = h / MAX_ASPECT;
    }
    Frame {
        west: (centre.0 - w / 2.0) / cos_lat,
        east: (centre.0 + w / 2.0) / cos_lat,
        north: centre.1 + h / 2.0,
        south: centre.1 - h / 2.0,
        cos_lat,
        scale: WIDTH / w,
    }
}

/// A round scale bar length (1, 2 or 5 × 10ⁿ km) near a fifth of the map width.
fn scale_bar(width_km: f64, labels: &Labels) -> (f64, String) {
    let target = width_km / 5.0;
    let magnitude = 10_f64.powf(target.log10().floor());
    let step = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|s| s * magnitude)
        .find(|&s| s <= target)
        .unwrap_or(magnitude);
    let label = if step >= 1.0 {
        format!("{} {}", labels.integer(step.round() as i128), labels.km)
    } else {
        format!(
            "{} {}",
            labels.integer((step * 1000.0).round() as i128),
            labels.m
        )
    };
    (step, label)
}

fn legend(hazards: &[Hazard], labels: &'static Labels) -> Vec<LegendEntry> {
    let mut entries = Vec::new();
    for class in [Class::Sha, Class::Cha, Class::Other] {
        let of_class: Vec<&Hazard> = hazards.iter().filter(|h| h.class == class).collect();
        // SHA and CHA always appear; "other" only when present.
        if of_class.is_empty() && class == Class::Other {
            continue;
        }
        let (fill, stroke, label) = class.style(labels);
        let area = of_class.iter().map(|h| h.remaining_m2).sum();
        entries.push(LegendEntry {
            fill,
            stroke,
            label,
            detail: summary(of_class.len(), area, labels),
        });
    }
    entries
}

fn summary(count: usize, area_m2: f64, labels: &Labels) -> String {
    let noun = if count == 1 {
        labels.area_one
    } else {
        labels.areas
    };
    format!(
        "{} {noun} · {}",
        labels.integer(count as i128),
        labels.area(area_m2)
    )
}

fn lon_text(lon: f64, labels: &Labels) -> String {
    let hemisphere = if lon < 0.0 { "W" } else { "E" };
    format!("{}° {hemisphere}", labels.decimal(lon.abs(), 3))
}

fn lat_text(lat: f64, labels: &Labels) -> String {
    let hemisphere = if lat < 0.0 { "S" } else { "N" };
    format!("{}° {hemisphere}", labels.decimal(lat.abs(), 3))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::input::Language;
    use serde_json::json;

    fn square(lon: f64, lat: f64, d: f64, class: &str) -> Value {
        json!({"type": "Feature",
            "properties": {"id": "h", "class": class, "remaining_m2": 1000.0},
            "geometry": {"type": "Polygon", "coordinates": [[
                [lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]}})
    }

    #[test]
    fn empty_or_missing_map_is_none() {
        let labels = Language::En.labels();
        assert!(build(None, labels).unwrap().is_none());
        assert!(build(Some(&Value::Null), labels).unwrap().is_none());
        let empty = json!({"type": "FeatureCollection", "features": []});
        assert!(build(Some(&empty), labels).unwrap().is_none());
        assert!(build(Some(&json!(3)), labels).is_err());
    }

    #[test]
    fn frame_fits_and_classes_are_coloured() {
        let labels = Language::En.labels();
        let map = json!({"type": "FeatureCollection", "features": [
            square(103.0, 13.0, 0.01, "sha"),
            square(103.3, 13.1, 0.0001, "cha"),
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
        ]});
        let view = build(Some(&map), labels).unwrap().unwrap();
        assert_eq!(view.svg.matches("<path").count(), 2);
        assert!(view.svg.contains("#f2b233") && view.svg.contains("#d7301f"));
        // The tiny CHA also gets a dot, and the note says so.
        assert_eq!(view.svg.matches("<circle").count(), 1);
        assert!(view.note.contains("dots"));
        assert_eq!(view.legend.len(), 2);
        assert_eq!(view.legend[0].detail, "1 area · 1,000 m² (0.1 ha)");
        assert!(view.scale_fraction > 0.07 && view.scale_fraction <= 0.2);
        // Every projected coordinate lies inside the frame.
        let frame = fit(&[Hazard {
            class: Class::Sha,
            rings: vec![vec![(103.0, 13.0), (103.31, 13.11)]],
            remaining_m2: 0.0,
        }]);
        for p in [(103.0, 13.0), (103.31, 13.11)] {
            let (x, y) = frame.project(p);
            assert!((0.0..=WIDTH).contains(&x) && y >= 0.0);
            assert!(y <= (frame.north - frame.south) * frame.scale);
        }
    }

    #[test]
    fn scale_bar_is_round() {
        let labels = Language::En.labels();
        assert_eq!(scale_bar(33.0, labels), (5.0, "5 km".to_string()));
        assert_eq!(scale_bar(1.2, labels), (0.2, "200 m".to_string()));
    }
}
