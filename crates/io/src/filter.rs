//! Which features an OGC API items request or an export keeps: a bounding box, a datetime
//! interval on the feature's date, and `name=value` equality on the collection's queryables.
//! Parsers refuse bad values with a message naming the parameter.

use chrono::NaiveDate;
use serde_json::Value;

use crate::IoError;
use crate::collections::{Collection, Feature};

/// A filter on features; the default keeps every feature.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// West, south, east, north (WGS 84); west > east crosses the antimeridian.
    pub bbox: Option<[f64; 4]>,
    /// Inclusive interval on the feature's date; open ends are `None`.
    pub datetime: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    /// `name=value` equality on properties (text ignoring case; numbers and booleans as JSON).
    pub properties: Vec<(String, String)>,
    /// The reader has no victim access: victims' and accidents' quasi-identifiers are
    /// generalised before the filter applies, and small groups of victims withheld (see
    /// [`crate::quasi`]). Exports read this; OGC items call [`crate::quasi`] themselves.
    pub generalised: bool,
}

fn date(raw: &str, whole: &str) -> Result<Option<NaiveDate>, IoError> {
    if raw.is_empty() || raw == ".." {
        return Ok(None);
    }
    let day = raw.get(..10).unwrap_or(raw);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            IoError::Usage(format!(
                "datetime `{whole}` is not an RFC 3339 date or interval (2024-01-31, \
                 2024-01-01/2024-12-31, ../2024-12-31)"
            ))
        })
}

impl Filter {
    /// Whether the filter keeps every feature.
    pub fn is_empty(&self) -> bool {
        self.bbox.is_none() && self.datetime.is_none() && self.properties.is_empty()
    }

    /// Parses `bbox`: `west,south,east,north` (or the six numbers of a 3D box).
    pub fn parse_bbox(v: &str) -> Result<[f64; 4], IoError> {
        let shape = || {
            IoError::Usage(format!(
                "bbox `{v}` must be four numbers: west,south,east,north"
            ))
        };
        let n: Vec<f64> = v
            .split(',')
            .map(|x| x.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| shape())?;
        let b = match n.as_slice() {
            [w, s, e, n] => [*w, *s, *e, *n],
            [w, s, _, e, n, _] => [*w, *s, *e, *n],
            _ => return Err(shape()),
        };
        if b.iter().any(|x| !x.is_finite()) || b[1] > b[3] || b[1] < -90.0 || b[3] > 90.0 {
            return Err(IoError::Usage(format!(
                "bbox `{v}`: latitudes must be within -90..90 with south ≤ north"
            )));
        }
        Ok(b)
    }

    /// Parses `datetime`: a date, or an interval `from/to` with `..` (or nothing) for an open end.
    pub fn parse_datetime(v: &str) -> Result<(Option<NaiveDate>, Option<NaiveDate>), IoError> {
        Ok(match v.split_once('/') {
            Some((a, b)) => (date(a, v)?, date(b, v)?),
            None => {
                let d = date(v, v)?;
                (d, d)
            }
        })
    }

    /// Parses `name=value` on a queryable of `c` (the CLI's `--where`) and adds it.
    pub fn add_where(&mut self, c: &Collection, expr: &str) -> Result<(), IoError> {
        let (name, value) = expr.split_once('=').ok_or_else(|| {
            IoError::Usage(format!(
                "where `{expr}` must be NAME=VALUE with NAME one of {}",
                c.queryables.join(", ")
            ))
        })?;
        let name = name.trim();
        if !self.set(c, name, value.trim())? {
            return Err(IoError::Usage(format!(
                "where `{expr}`: {} has no queryable `{name}`; use one of {}",
                c.id,
                c.queryables.join(", ")
            )));
        }
        Ok(())
    }

    /// Sets one query parameter (`bbox`, `datetime` or a queryable of `c`); `Ok(false)` when
    /// `name` is none of them.
    pub fn set(&mut self, c: &Collection, name: &str, value: &str) -> Result<bool, IoError> {
        match name {
            "bbox" => self.bbox = Some(Self::parse_bbox(value)?),
            "datetime" => self.datetime = Some(Self::parse_datetime(value)?),
            q if c.queryables.contains(&q) => {
                self.properties.push((q.to_owned(), value.to_owned()));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The parameters [`Filter::set`] accepts for `c`, for messages.
    pub fn parameters(c: &Collection) -> String {
        format!(
            "bbox, datetime and the properties {}",
            c.queryables.join(", ")
        )
    }

    /// Whether a feature passes the filter.
    pub fn matches(&self, f: &Feature) -> bool {
        if let Some([w, s, e, n]) = self.bbox {
            let Some([fw, fs, fe, fn_]) = f.bbox() else {
                return false;
            };
            let lon_ok = if w <= e {
                fw <= e && fe >= w
            } else {
                // Crosses the antimeridian.
                fe >= w || fw <= e
            };
            if !(lon_ok && fs <= n && fn_ >= s) {
                return false;
            }
        }
        if let Some((from, to)) = self.datetime {
            let Some(d) = f.date else {
                return false;
            };
            if from.is_some_and(|x| d < x) || to.is_some_and(|x| d > x) {
                return false;
            }
        }
        self.properties
            .iter()
            .all(|(k, want)| match f.properties.get(k) {
                Some(Value::String(s)) => s.eq_ignore_ascii_case(want),
                Some(Value::Null) | None => false,
                Some(other) => serde_json::from_str::<Value>(want).is_ok_and(|w| &w == other),
            })
    }

    /// The filter as query parameters (`bbox`, `datetime`, then the properties).
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(b) = self.bbox {
            let b: Vec<String> = b.iter().map(f64::to_string).collect();
            pairs.push(("bbox".into(), b.join(",")));
        }
        if let Some((a, b)) = self.datetime {
            let s = |d: Option<NaiveDate>| d.map_or_else(|| "..".into(), |d| d.to_string());
            pairs.push(("datetime".into(), format!("{}/{}", s(a), s(b))));
        }
        pairs.extend(self.properties.iter().cloned());
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection;
    use serde_json::{Map, json};

    fn feature(x: f64, y: f64, day: &str, class: &str) -> Feature {
        let mut properties = Map::new();
        properties.insert("class".into(), json!(class));
        properties.insert("reported_m2".into(), json!(12));
        Feature {
            id: "HAZ-000001".into(),
            geometry: Some(geo_types::Geometry::Point(geo_types::Point::new(x, y))),
            date: NaiveDate::parse_from_str(day, "%Y-%m-%d").ok(),
            properties,
        }
    }

    #[test]
    fn parses_and_matches() {
        let hazards = collection("hazards").expect("hazards");
        let mut f = Filter::default();
        assert!(f.is_empty());
        assert!(f.set(hazards, "bbox", "103,12,104,13").expect("bbox"));
        assert!(f.set(hazards, "datetime", "2024-01-01/..").expect("dt"));
        f.add_where(hazards, "class=CHA").expect("where");
        assert!(!f.set(hazards, "colour", "red").expect("unknown"));
        assert!(f.matches(&feature(103.5, 12.5, "2024-03-01", "cha")));
        assert!(!f.matches(&feature(105.0, 12.5, "2024-03-01", "cha")));
        assert!(!f.matches(&feature(103.5, 12.5, "2023-03-01", "cha")));
        assert!(!f.matches(&feature(103.5, 12.5, "2024-03-01", "sha")));
        let mut n = Filter::default();
        n.properties.push(("reported_m2".into(), "12".into()));
        assert!(n.matches(&feature(0.0, 0.0, "2024-03-01", "cha")));
        assert_eq!(
            f.query_pairs()[..2],
            [
                ("bbox".to_owned(), "103,12,104,13".to_owned()),
                ("datetime".to_owned(), "2024-01-01/..".to_owned())
            ]
        );
    }

    #[test]
    fn errors_name_the_parameter() {
        let hazards = collection("hazards").expect("hazards");
        for (k, v) in [
            ("bbox", "1,2,3"),
            ("bbox", "a,b,c,d"),
            ("bbox", "0,10,1,5"),
            ("datetime", "soon"),
        ] {
            let e = Filter::default().set(hazards, k, v).expect_err(v);
            assert!(e.to_string().starts_with(k), "{e}");
        }
        let e = Filter::default()
            .add_where(hazards, "colour=red")
            .expect_err("unknown");
        assert!(e.to_string().contains("class, status"), "{e}");
        assert!(
            Filter::default()
                .add_where(hazards, "class")
                .expect_err("no =")
                .to_string()
                .contains("NAME=VALUE")
        );
    }
}
