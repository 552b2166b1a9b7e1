//! What a collection holds under a filter: the number of matching features and their extent
//! (bounding box in CRS84, interval of their dates). One scan computes it; it is kept until the
//! data change (the store's last change), so a client paging through a collection gets
//! `numberMatched` on every page without a scan per page. Without a filter the database counts
//! them ([`plain_count`]), so the first page of a national collection is not a full scan.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use safeground_io::quasi::for_each_feature_seen;
use safeground_io::{Collection, Feature, Filter, Source};
use safeground_store::{Backend, Flow, RecordListQuery, RegisterQuery};
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};

/// Summaries kept at most; past that the cache starts afresh (filters are client-chosen).
const MAX_KEPT: usize = 256;

/// Count and extent of the features of a collection that pass a filter.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    /// Matching features.
    pub count: u64,
    /// West, south, east, north of their geometries.
    pub bbox: Option<[f64; 4]>,
    /// First and last of their dates.
    pub interval: Option<(NaiveDate, NaiveDate)>,
}

impl Summary {
    /// Adds one matching feature.
    pub fn add(&mut self, f: &Feature) {
        self.count += 1;
        if let Some([w, s, e, n]) = f.bbox() {
            self.bbox = Some(match self.bbox {
                Some([w0, s0, e0, n0]) => [w0.min(w), s0.min(s), e0.max(e), n0.max(n)],
                None => [w, s, e, n],
            });
        }
        if let Some(d) = f.date {
            self.interval = Some(match self.interval {
                Some((a, b)) => (a.min(d), b.max(d)),
                None => (d, d),
            });
        }
    }

    /// The OGC `extent` object (None for a collection without geometry or dates).
    pub fn extent(&self) -> Option<Value> {
        let mut extent = serde_json::Map::new();
        if let Some(b) = self.bbox {
            extent.insert(
                "spatial".into(),
                json!({"bbox": [b], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}),
            );
        }
        if let Some((a, b)) = self.interval {
            extent.insert(
                "temporal".into(),
                json!({
                    "interval": [[format!("{a}T00:00:00Z"), format!("{b}T23:59:59Z")]],
                    "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
                }),
            );
        }
        (!extent.is_empty()).then_some(Value::Object(extent))
    }
}

/// The number of features of a collection without a filter, counted by the database (`None`
/// for released areas, which only a scan of the activities counts).
pub fn plain_count(s: &dyn Backend, source: Source) -> ApiResult<Option<u64>> {
    let total = match source {
        Source::Hazards => {
            s.hazard_register(&RegisterQuery {
                limit: 1,
                ..RegisterQuery::default()
            })?
            .total
        }
        Source::Items(kind) => {
            s.record_list(&RecordListQuery {
                kind,
                text: None,
                filters: Vec::new(),
                sort: "id".into(),
                descending: false,
                offset: 0,
                limit: 1,
            })?
            .total
        }
        Source::ReleasedAreas => return Ok(None),
    };
    Ok(Some(u64::try_from(total).unwrap_or(u64::MAX)))
}

/// The cache key of a collection under a filter.
pub fn key(c: &Collection, filter: &Filter) -> String {
    let pairs = serde_urlencoded::to_string(filter.query_pairs()).unwrap_or_default();
    // Generalised readers count generalised features: never the exact readers' summary.
    let seen = if filter.generalised {
        "generalised"
    } else {
        "exact"
    };
    format!("{}?{pairs}#{seen}", c.id)
}

/// Summaries by key, each with the data generation it was computed on.
#[derive(Clone, Default)]
pub struct Summaries(Arc<Mutex<HashMap<String, (i64, Summary)>>>);

impl Summaries {
    /// The summary of `key` if it was computed on `generation`.
    pub fn get(&self, key: &str, generation: i64) -> Option<Summary> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, s)| *s)
    }

    /// Keeps a summary computed on `generation`.
    pub fn put(&self, key: String, generation: i64, summary: Summary) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_KEPT && !map.contains_key(&key) {
            map.clear();
        }
        map.insert(key, (generation, summary));
    }

    /// The summary of the features of `c` passing `filter`, from the cache or by one scan.
    pub fn summarise(
        &self,
        s: &dyn Backend,
        c: &Collection,
        filter: &Filter,
    ) -> ApiResult<Summary> {
        let generation = s.last_change()?;
        let key = key(c, filter);
        if let Some(cached) = self.get(&key, generation) {
            return Ok(cached);
        }
        let mut summary = Summary::default();
        for_each_feature_seen::<_, ApiError>(s, c.source, None, filter.generalised, &mut |f| {
            if filter.matches(&f) {
                summary.add(&f);
            }
            Ok(Flow::Continue)
        })?;
        self.put(key, generation, summary);
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Geometry, Point};

    fn feature(x: f64, y: f64, day: &str) -> Feature {
        Feature {
            id: "EO-000001".into(),
            geometry: Some(Geometry::Point(Point::new(x, y))),
            date: NaiveDate::parse_from_str(day, "%Y-%m-%d").ok(),
            properties: serde_json::Map::new(),
        }
    }

    #[test]
    fn extent_spans_every_feature() {
        let mut s = Summary::default();
        assert_eq!(s.extent(), None);
        s.add(&feature(103.0, 13.0, "2021-05-01"));
        s.add(&feature(102.5, 13.5, "2020-01-02"));
        assert_eq!(s.count, 2);
        let e = s.extent().expect("extent");
        assert_eq!(e["spatial"]["bbox"], json!([[102.5, 13.0, 103.0, 13.5]]));
        assert_eq!(
            e["temporal"]["interval"],
            json!([["2020-01-02T00:00:00Z", "2021-05-01T23:59:59Z"]])
        );
    }

    #[test]
    fn cache_answers_only_for_its_generation() {
        let cache = Summaries::default();
        let s = Summary {
            count: 3,
            ..Summary::default()
        };
        cache.put("hazards?".into(), 7, s);
        assert_eq!(cache.get("hazards?", 7), Some(s));
        assert_eq!(cache.get("hazards?", 8), None);
        assert_eq!(cache.get("hazards?class=cha", 7), None);
    }
}
