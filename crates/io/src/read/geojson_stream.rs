//! GeoJSON FeatureCollections read as they are walked: a first pass over the file checks its
//! syntax, counts the features and reads the top-level `type` and `crs` (in whatever order the
//! members come), then each walk re-reads the file and parses one feature at a time. Memory
//! does not grow with the file: a 1 GB collection is never held whole, as a `Value` tree of it
//! would take many times its size.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess};
use serde_json::Value;

use super::geojson::{crs_of, one};
use super::{SourceRecord, usage};
use crate::IoError;
use crate::reproject::Reprojection;

/// Bytes read from the file at a time.
const BUFFER: usize = 1 << 20;

/// The error text that stops a walk its caller ended (never shown).
const STOPPED: &str = "walk stopped by its caller";

/// A GeoJSON FeatureCollection, checked and counted, whose features are read one at a time by
/// [`GeoJsonFile::each`]: only one feature's `Value` is held at a time.
#[derive(Debug, Clone)]
pub struct GeoJsonFile {
    path: PathBuf,
    count: usize,
    crs: Box<Reprojection>,
}

/// The file, positioned after a UTF-8 byte order mark if it has one.
fn reader(path: &Path) -> Result<BufReader<File>, IoError> {
    let file =
        File::open(path).map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
    let mut r = BufReader::with_capacity(BUFFER, file);
    let head = r
        .fill_buf()
        .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
    if head.starts_with(b"\xef\xbb\xbf") {
        r.consume(3);
    }
    Ok(r)
}

/// The same message a whole read gives for a file that is not JSON.
fn not_json(path: &Path, e: &serde_json::Error) -> IoError {
    usage(format!(
        "{} is not valid JSON ({e}); check that the file is complete",
        path.display()
    ))
}

/// What the first pass found at the top level.
#[derive(Default)]
struct Summary {
    kind: Option<Value>,
    crs: Option<Value>,
    features: Option<usize>,
}

impl GeoJsonFile {
    /// Checks and counts `path` when it is a FeatureCollection with a `features` array; `None`
    /// when it is some other JSON (a single Feature, an XLSForm submission export, a collection
    /// without features), which is then read whole as before. A file that is not JSON is an
    /// error naming it.
    pub(super) fn open(path: &Path) -> Result<Option<GeoJsonFile>, IoError> {
        let mut de = serde_json::Deserializer::from_reader(reader(path)?);
        let summary = match de
            .deserialize_map(FirstPass)
            .and_then(|s| de.end().map(|()| s))
        {
            Ok(s) => s,
            // Not an object, `features` not an array or given twice: not for this reader.
            Err(e) if e.is_data() => return Ok(None),
            Err(e) => return Err(not_json(path, &e)),
        };
        match (
            summary.kind.as_ref().and_then(Value::as_str),
            summary.features,
        ) {
            (Some("FeatureCollection"), Some(count)) => Ok(Some(GeoJsonFile {
                path: path.to_owned(),
                count,
                crs: Box::new(crs_of(summary.crs.as_ref(), path)?),
            })),
            _ => Ok(None),
        }
    }

    /// Number of features.
    pub(super) fn len(&self) -> usize {
        self.count
    }

    /// Hands `each` the features from index `start` on ("feature N" is feature N − 1), in file
    /// order, until it returns false. Features before `start` are skipped unparsed.
    pub(super) fn each(
        &self,
        start: usize,
        each: &mut dyn FnMut(usize, SourceRecord) -> bool,
    ) -> Result<(), IoError> {
        let mut walk = Walk {
            start,
            next: 0,
            crs: &self.crs,
            each,
            stopped: false,
        };
        let mut de = serde_json::Deserializer::from_reader(reader(&self.path)?);
        match de.deserialize_map(Root(&mut walk)) {
            Ok(()) => Ok(()),
            Err(_) if walk.stopped => Ok(()),
            Err(e) => Err(usage(format!(
                "{} could not be read at feature {} ({e}); check that the file is complete and \
                 was not changed while it was imported",
                self.path.display(),
                walk.next + 1
            ))),
        }
    }
}

/// The first pass: the root object's `type`, `crs` and the number of `features`.
struct FirstPass;

impl<'de> de::Visitor<'de> for FirstPass {
    type Value = Summary;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Summary, A::Error> {
        let mut s = Summary::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => s.kind = Some(map.next_value()?),
                "crs" => s.crs = Some(map.next_value()?),
                "features" if s.features.is_some() => {
                    return Err(de::Error::custom("`features` given twice"));
                }
                "features" => s.features = Some(map.next_value_seed(Count)?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(s)
    }
}

/// Counts the elements of an array, parsing (and so checking) each without keeping it.
struct Count;

impl<'de> DeserializeSeed<'de> for Count {
    type Value = usize;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> de::Visitor<'de> for Count {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            n += 1;
        }
        Ok(n)
    }
}

/// A walk over the features: where it starts, the next index, what it hands them to.
struct Walk<'a> {
    start: usize,
    next: usize,
    crs: &'a Reprojection,
    each: &'a mut dyn FnMut(usize, SourceRecord) -> bool,
    stopped: bool,
}

/// The root object of a walk: its `features` walked, every other member skipped.
struct Root<'w, 'a>(&'w mut Walk<'a>);

impl<'de> de::Visitor<'de> for Root<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "features" {
                map.next_value_seed(Features(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `features` array of a walk.
struct Features<'w, 'a>(&'w mut Walk<'a>);

impl<'de> DeserializeSeed<'de> for Features<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> de::Visitor<'de> for Features<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let walk = self.0;
        loop {
            let i = walk.next;
            if i < walk.start {
                if seq.next_element::<IgnoredAny>()?.is_none() {
                    return Ok(());
                }
            } else {
                let Some(value) = seq.next_element::<Value>()? else {
                    return Ok(());
                };
                let record = SourceRecord {
                    label: format!("feature {}", i + 1),
                    feature: one(value, walk.crs),
                };
                if !(walk.each)(i, record) {
                    walk.stopped = true;
                    return Err(de::Error::custom(STOPPED));
                }
            }
            walk.next += 1;
        }
    }
}
