//! How good each detector is, once people have given verdicts: precision, recall against the
//! programme's verified finds, and calibration of its confidences.

use std::collections::{BTreeMap, BTreeSet};

use geo::Intersects;
use geo_types::{MultiPolygon, Point};
use serde::{Deserialize, Serialize};

use crate::Verdict;

/// A detection with its verdict, as the metrics need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// Model name.
    pub model: String,
    /// Model version.
    pub model_version: String,
    /// Class name.
    pub class: String,
    /// Detector confidence, 0..1.
    pub confidence: f64,
    /// A person's verdict.
    pub verdict: Verdict,
    /// Location, WGS84.
    pub lon: f64,
    /// Latitude of the location.
    pub lat: f64,
}

/// The ground a model's runs covered (the footprints of the orthophotos it ran on).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Surveyed {
    /// Model name.
    pub model: String,
    /// Model version.
    pub model_version: String,
    /// Area covered, WGS84 (a GeoJSON geometry in JSON).
    #[serde(with = "crate::geojson_serde::multipolygon")]
    pub footprint: MultiPolygon<f64>,
}

/// One confidence bin of the calibration table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// Lower bound of the bin (included).
    pub from: f64,
    /// Upper bound (excluded, except 1.0 in the last bin).
    pub to: f64,
    /// Verified detections (confirmed + false positive) in the bin.
    pub count: usize,
    /// Mean confidence of those (0 when the bin is empty).
    pub mean_confidence: f64,
    /// Share of those confirmed (0 when the bin is empty).
    pub confirmed_share: f64,
}

/// The quality of one model version, for one class or for all (`class = "*"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelMetrics {
    /// Model name.
    pub model: String,
    /// Model version.
    pub model_version: String,
    /// Class name, or `*` for all classes.
    pub class: String,
    /// Detections, whatever their verdict.
    pub detections: usize,
    /// Confirmed detections.
    pub confirmed: usize,
    /// False positives.
    pub false_positive: usize,
    /// Not verifiable.
    pub not_verifiable: usize,
    /// Not yet looked at.
    pub pending: usize,
    /// confirmed / (confirmed + false_positive); `None` when nothing is verified.
    pub precision: Option<f64>,
    /// Verified finds of the programme inside the model's surveyed footprint.
    pub finds_in_footprint: usize,
    /// Those finds with a confirmed detection of the row within the match radius.
    pub finds_matched: usize,
    /// finds_matched / finds_in_footprint; `None` when no find lies in the footprint.
    pub recall: Option<f64>,
    /// Ten bins of 0.1 over verified detections.
    pub calibration: Vec<CalibrationBin>,
    /// Σ count_b / N × |mean_confidence_b − confirmed_share_b|; `None` when nothing is verified.
    pub expected_calibration_error: Option<f64>,
}

/// Metres per degree of latitude, at least (at the equator): a cheap bound before geodesics.
const MIN_M_PER_DEG_LAT: f64 = 110_574.0;

/// Precision, recall and calibration per model version and class.
///
/// finds: verified EO finds (lon, lat) of the programme; a find counts for a model when it lies in the
/// model's surveyed footprint; it is matched when a CONFIRMED detection of that model (and class, for a
/// class row) lies within match_radius_m. Rows: one per (model, version, class) and one "*" per (model, version).
///
/// Matching is one to one and greedy by distance (geodesic): the closest (find, detection)
/// pair is matched first, and neither is used again in that row. Model versions that surveyed
/// ground but detected nothing get a `*` row (recall 0 where finds lie in their footprint).
/// Rows are sorted by model, version, then `*` before the classes in name order.
pub fn metrics(
    scored: &[Scored],
    surveyed: &[Surveyed],
    finds: &[(f64, f64)],
    match_radius_m: f64,
) -> Vec<ModelMetrics> {
    type Key<'a> = (&'a str, &'a str);
    let mut groups: BTreeMap<Key, Vec<&Scored>> = BTreeMap::new();
    for s in scored {
        groups
            .entry((&s.model, &s.model_version))
            .or_default()
            .push(s);
    }
    let mut footprints: BTreeMap<Key, Vec<&MultiPolygon<f64>>> = BTreeMap::new();
    for s in surveyed {
        footprints
            .entry((&s.model, &s.model_version))
            .or_default()
            .push(&s.footprint);
        groups.entry((&s.model, &s.model_version)).or_default();
    }

    let mut rows = Vec::new();
    for ((model, version), dets) in groups {
        let fps = footprints
            .get(&(model, version))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let inside: Vec<(f64, f64)> = finds
            .iter()
            .copied()
            .filter(|&(lon, lat)| fps.iter().any(|f| f.intersects(&Point::new(lon, lat))))
            .collect();
        let classes: BTreeSet<&str> = dets.iter().map(|d| d.class.as_str()).collect();
        let all = std::iter::once(None).chain(classes.into_iter().map(Some));
        for class in all {
            let of_row: Vec<&Scored> = dets
                .iter()
                .copied()
                .filter(|d| class.is_none_or(|c| d.class == c))
                .collect();
            rows.push(row(
                model,
                version,
                class.unwrap_or("*"),
                &of_row,
                &inside,
                match_radius_m,
            ));
        }
    }
    rows
}

fn row(
    model: &str,
    version: &str,
    class: &str,
    dets: &[&Scored],
    finds: &[(f64, f64)],
    radius: f64,
) -> ModelMetrics {
    let count = |v: Verdict| dets.iter().filter(|d| d.verdict == v).count();
    let (confirmed, false_positive) = (count(Verdict::Confirmed), count(Verdict::FalsePositive));
    let verified = confirmed + false_positive;
    let precision = (verified > 0).then(|| confirmed as f64 / verified as f64);
    let hits: Vec<(f64, f64)> = dets
        .iter()
        .filter(|d| d.verdict == Verdict::Confirmed)
        .map(|d| (d.lon, d.lat))
        .collect();
    let finds_matched = greedy_matches(finds, &hits, radius);
    let recall = (!finds.is_empty()).then(|| finds_matched as f64 / finds.len() as f64);
    let (calibration, expected_calibration_error) = calibrate(dets);
    ModelMetrics {
        model: model.to_owned(),
        model_version: version.to_owned(),
        class: class.to_owned(),
        detections: dets.len(),
        confirmed,
        false_positive,
        not_verifiable: count(Verdict::NotVerifiable),
        pending: count(Verdict::Pending),
        precision,
        finds_in_footprint: finds.len(),
        finds_matched,
        recall,
        calibration,
        expected_calibration_error,
    }
}

/// Number of finds matched one to one to detections within `radius` m, closest pairs first.
fn greedy_matches(finds: &[(f64, f64)], hits: &[(f64, f64)], radius: f64) -> usize {
    // Hits sorted by latitude: each find looks only at those within `radius` north or south.
    let mut by_lat: Vec<(usize, f64, f64)> = hits
        .iter()
        .enumerate()
        .map(|(i, &(lon, lat))| (i, lon, lat))
        .collect();
    by_lat.sort_by(|a, b| a.2.total_cmp(&b.2));
    let dlat = radius / MIN_M_PER_DEG_LAT;
    let mut pairs = Vec::new();
    for (fi, &(flon, flat)) in finds.iter().enumerate() {
        let start = by_lat.partition_point(|h| h.2 < flat - dlat);
        for &(hi, hlon, hlat) in by_lat[start..].iter().take_while(|h| h.2 <= flat + dlat) {
            let d =
                safeground_geo::geodesic_distance(Point::new(flon, flat), Point::new(hlon, hlat));
            if d <= radius {
                pairs.push((d, fi, hi));
            }
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut find_used, mut hit_used) = (vec![false; finds.len()], vec![false; hits.len()]);
    let mut matched = 0;
    for (_, fi, hi) in pairs {
        if !find_used[fi] && !hit_used[hi] {
            find_used[fi] = true;
            hit_used[hi] = true;
            matched += 1;
        }
    }
    matched
}

/// Ten bins of 0.1 over the verified detections, and the expected calibration error.
fn calibrate(dets: &[&Scored]) -> (Vec<CalibrationBin>, Option<f64>) {
    let mut sums = [(0usize, 0.0f64, 0usize); 10]; // (count, Σ confidence, confirmed)
    for d in dets
        .iter()
        .filter(|d| d.verdict.is_verified() && d.confidence.is_finite())
    {
        let c = d.confidence.clamp(0.0, 1.0);
        let b = ((c * 10.0).floor() as usize).min(9);
        sums[b].0 += 1;
        sums[b].1 += c;
        sums[b].2 += usize::from(d.verdict == Verdict::Confirmed);
    }
    let n: usize = sums.iter().map(|s| s.0).sum();
    let bins: Vec<CalibrationBin> = sums
        .iter()
        .enumerate()
        .map(|(i, &(count, sum, conf))| {
            let (mean_confidence, confirmed_share) = if count == 0 {
                (0.0, 0.0)
            } else {
                (sum / count as f64, conf as f64 / count as f64)
            };
            CalibrationBin {
                from: i as f64 / 10.0,
                to: (i + 1) as f64 / 10.0,
                count,
                mean_confidence,
                confirmed_share,
            }
        })
        .collect();
    let ece = (n > 0).then(|| {
        bins.iter()
            .map(|b| b.count as f64 / n as f64 * (b.mean_confidence - b.confirmed_share).abs())
            .sum()
    });
    (bins, ece)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_matching_is_one_to_one_and_closest_first() {
        // Two finds 4 m apart; one confirmed detection 1 m from the first: only one match.
        let finds = [(103.0, 13.0), (103.0, 13.000_036)];
        let hits = [(103.0, 13.000_009)];
        assert_eq!(greedy_matches(&finds, &hits, 10.0), 1);
        assert_eq!(greedy_matches(&finds, &hits, 0.5), 0);
        let two = [(103.0, 13.000_009), (103.0, 13.000_04)];
        assert_eq!(greedy_matches(&finds, &two, 10.0), 2);
    }

    #[test]
    fn bin_edges() {
        let s = |c: f64, v| Scored {
            model: "m".into(),
            model_version: "1".into(),
            class: "a".into(),
            confidence: c,
            verdict: v,
            lon: 0.0,
            lat: 0.0,
        };
        let d = [
            s(1.0, Verdict::Confirmed),
            s(0.1, Verdict::FalsePositive),
            s(0.5, Verdict::Pending),
        ];
        let refs: Vec<&Scored> = d.iter().collect();
        let (bins, ece) = calibrate(&refs);
        assert_eq!(bins.len(), 10);
        assert_eq!((bins[9].count, bins[1].count, bins[5].count), (1, 1, 0));
        // |1.0 − 1| × 1/2 + |0.1 − 0| × 1/2 = 0.05
        assert!((ece.unwrap_or(f64::NAN) - 0.05).abs() < 1e-12);
    }
}
