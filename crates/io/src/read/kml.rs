//! KML and KMZ: each Placemark a record with its name, description, ExtendedData values and
//! enclosing `folder`; Point, LineString, LinearRing, Polygon and MultiGeometry in 2D.
//!
//! Parsed with quick-xml as a flat event stream rather than with the `kml` crate, whose reader
//! (0.15) loops forever on a file cut inside a Placemark.

use std::path::Path;

use encoding_rs::Encoding;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde_json::{Map, Value, json};

use super::zipped::Archive;
use super::{ReadOptions, SourceRecord, encoding, feature, has_ext, read_bytes, usage};
use crate::IoError;

/// Deepest element nesting accepted (real files nest under 20).
const MAX_DEPTH: usize = 256;

/// The placemarks of a `.kml` file.
pub(super) fn read_kml(
    path: &Path,
    options: &ReadOptions,
    encoding: Option<&'static Encoding>,
) -> Result<Vec<SourceRecord>, IoError> {
    parse(&read_bytes(path)?, path, options, encoding)
}

/// The placemarks of a `.kmz`: its `doc.kml`, else its first `.kml`.
pub(super) fn read_kmz(
    path: &Path,
    options: &ReadOptions,
    encoding: Option<&'static Encoding>,
) -> Result<Vec<SourceRecord>, IoError> {
    let mut archive = Archive::open(path)?;
    let names = archive.names();
    let name = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| names.iter().find(|n| has_ext(n, "kml")))
        .cloned()
        .ok_or_else(|| usage(format!("{} holds no .kml file", path.display())))?;
    parse(&archive.read(&name)?, path, options, encoding)
}

/// A geometry being read.
struct Geo {
    kind: Kind,
    coords: Vec<[f64; 2]>,
    rings: Vec<Vec<[f64; 2]>>,
    parts: Vec<Value>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Point,
    LineString,
    LinearRing,
    Polygon,
    Multi,
}

impl Kind {
    fn of(element: &str) -> Option<Kind> {
        Some(match element {
            "Point" => Kind::Point,
            "LineString" => Kind::LineString,
            "LinearRing" => Kind::LinearRing,
            "Polygon" => Kind::Polygon,
            "MultiGeometry" => Kind::Multi,
            _ => return None,
        })
    }
}

impl Geo {
    fn into_value(self) -> Result<Value, String> {
        let line = |c: Vec<[f64; 2]>| json!(c);
        Ok(match self.kind {
            Kind::Point => match self.coords.first() {
                Some(p) => json!({"type": "Point", "coordinates": p}),
                None => return Err("a Point has no coordinates".into()),
            },
            Kind::LineString | Kind::LinearRing => {
                json!({"type": "LineString", "coordinates": line(self.coords)})
            }
            Kind::Polygon => {
                if self.rings.is_empty() {
                    return Err("a Polygon has no outerBoundaryIs".into());
                }
                json!({"type": "Polygon", "coordinates": self.rings})
            }
            Kind::Multi => multi(self.parts),
        })
    }
}

/// A MultiGeometry: MultiPoint, MultiLineString or MultiPolygon when its parts agree, else a
/// GeometryCollection; null when empty.
fn multi(parts: Vec<Value>) -> Value {
    let kind = |p: &Value| p.get("type").and_then(Value::as_str).map(str::to_string);
    let Some(first) = parts.first().and_then(kind) else {
        return Value::Null;
    };
    let same = parts
        .iter()
        .all(|p| kind(p).as_deref() == Some(first.as_str()));
    match (same, first.as_str()) {
        (true, "Point" | "LineString" | "Polygon") => {
            let coordinates: Vec<Value> = parts
                .into_iter()
                .map(|p| p["coordinates"].clone())
                .collect();
            json!({"type": format!("Multi{first}"), "coordinates": coordinates})
        }
        _ => json!({"type": "GeometryCollection", "geometries": parts}),
    }
}

/// A placemark being read.
struct Placemark {
    depth: usize,
    name: Option<String>,
    description: Option<String>,
    folder: Option<String>,
    in_layer: bool,
    data: Map<String, Value>,
    data_name: Option<String>,
    geometry: Option<Value>,
    error: Option<String>,
}

/// An open Folder or Document and its name, once read.
struct Container {
    folder: bool,
    name: Option<String>,
}

fn parse(
    bytes: &[u8],
    path: &Path,
    options: &ReadOptions,
    encoding: Option<&'static Encoding>,
) -> Result<Vec<SourceRecord>, IoError> {
    let text = encoding::decode(bytes, encoding.or_else(|| declared(bytes)), path)?;
    let bad = |why: String| {
        usage(format!(
            "{} is not well-formed KML ({why}); check that the file is complete",
            path.display()
        ))
    };
    let mut reader = Reader::from_str(&text);
    let mut stack: Vec<String> = Vec::new();
    let mut containers: Vec<Container> = Vec::new();
    let mut layers: Vec<String> = Vec::new();
    let mut geos: Vec<Geo> = Vec::new();
    let mut pm: Option<Placemark> = None;
    let mut content = String::new();
    let mut out = Vec::new();
    let mut count = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| bad(format!("{e} at byte {}", reader.error_position())))?;
        let (start, end) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::End(_) => (None, true),
            Event::Text(t) => {
                content.push_str(&t.xml10_content());
                continue;
            }
            Event::CData(c) => {
                content.push_str(c);
                continue;
            }
            Event::GeneralRef(r) => {
                match r.resolve_char_ref() {
                    Ok(Some(c)) => content.push(c),
                    _ => content.push_str(
                        quick_xml::escape::resolve_predefined_entity(r).unwrap_or_default(),
                    ),
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if let Some(e) = start {
            let name = local(e);
            content.clear();
            if stack.len() >= MAX_DEPTH {
                return Err(bad(format!("elements nested over {MAX_DEPTH} deep")));
            }
            match name.as_str() {
                "Folder" | "Document" => containers.push(Container {
                    folder: name == "Folder",
                    name: None,
                }),
                "Placemark" if pm.is_none() => {
                    count += 1;
                    pm = Some(Placemark {
                        depth: stack.len(),
                        name: None,
                        description: None,
                        folder: containers
                            .iter()
                            .rev()
                            .find(|c| c.folder)
                            .and_then(|c| c.name.clone()),
                        in_layer: options
                            .layer
                            .as_ref()
                            .is_none_or(|l| containers.iter().any(|c| c.name.as_ref() == Some(l))),
                        data: Map::new(),
                        data_name: None,
                        geometry: None,
                        error: None,
                    });
                }
                "Data" | "SimpleData" => {
                    if let Some(p) = &mut pm {
                        p.data_name = attribute(e, "name");
                    }
                }
                other => {
                    if let (Some(kind), Some(_)) = (Kind::of(other), &pm) {
                        geos.push(Geo {
                            kind,
                            coords: Vec::new(),
                            rings: Vec::new(),
                            parts: Vec::new(),
                        });
                    }
                }
            }
            stack.push(name);
        }
        if !end {
            continue;
        }
        let name = stack
            .pop()
            .ok_or_else(|| bad("an end tag without a start".into()))?;
        let parent = stack.last().map(String::as_str);
        let text = std::mem::take(&mut content).trim().to_string();
        match (name.as_str(), &mut pm) {
            ("name", _) if matches!(parent, Some("Folder" | "Document")) => {
                if let Some(c) = containers.last_mut() {
                    layers.push(text.clone());
                    c.name = Some(text);
                }
            }
            ("Folder" | "Document", _) => {
                containers.pop();
            }
            ("name", Some(p)) if parent == Some("Placemark") => p.name = Some(text),
            ("description", Some(p)) if parent == Some("Placemark") => {
                p.description = Some(text);
            }
            ("value", Some(p)) if parent == Some("Data") => {
                if let Some(n) = p.data_name.take() {
                    p.data.insert(n, Value::String(text));
                }
            }
            ("SimpleData", Some(p)) => {
                if let Some(n) = p.data_name.take() {
                    p.data.insert(n, Value::String(text));
                }
            }
            ("coordinates", Some(p)) => match (coordinates(&text), geos.last_mut()) {
                (Ok(c), Some(g)) => g.coords = c,
                (Err(e), _) => {
                    p.error.get_or_insert(e);
                }
                _ => {}
            },
            ("Placemark", Some(p)) if p.depth == stack.len() => {
                if let Some(p) = pm.take() {
                    geos.clear();
                    if p.in_layer {
                        out.push(record(count, p));
                    }
                }
            }
            (element, Some(p)) if Kind::of(element).is_some() => {
                let Some(g) = geos.pop() else { continue };
                let is_ring = g.kind == Kind::LinearRing;
                match (is_ring, parent, geos.last_mut()) {
                    (true, Some("outerBoundaryIs"), Some(poly)) => poly.rings.insert(0, g.coords),
                    (true, Some("innerBoundaryIs"), Some(poly)) => poly.rings.push(g.coords),
                    (_, _, parent) => match g.into_value() {
                        Ok(v) => match parent {
                            Some(m) if m.kind == Kind::Multi => m.parts.push(v),
                            _ => {
                                p.geometry.get_or_insert(v);
                            }
                        },
                        Err(e) => {
                            p.error.get_or_insert(e);
                        }
                    },
                }
            }
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(bad(format!("<{}> is not closed", stack.join("><"))));
    }
    if let Some(l) = options.layer.as_ref().filter(|l| !layers.contains(l)) {
        return Err(usage(format!(
            "{} has no folder or document `{l}`; its folders: {}",
            path.display(),
            layers.join(", ")
        )));
    }
    Ok(out)
}

fn record(n: usize, p: Placemark) -> SourceRecord {
    let label = match &p.name {
        Some(name) if !name.is_empty() => format!("placemark {n} ({name})"),
        _ => format!("placemark {n}"),
    };
    if let Some(e) = p.error {
        return SourceRecord {
            label,
            feature: Err(e),
        };
    }
    let mut props = p.data;
    // The Placemark's own fields win over ExtendedData of the same name, when it has them.
    for (key, value) in [
        ("name", p.name),
        ("description", p.description),
        ("folder", p.folder),
    ] {
        if let Some(v) = value {
            props.insert(key.into(), Value::String(v));
        } else {
            props.entry(key).or_insert(Value::Null);
        }
    }
    SourceRecord {
        label,
        feature: Ok(feature(props, p.geometry.unwrap_or(Value::Null))),
    }
}

/// The local name of an element (without namespace prefix).
fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// `lon,lat[,alt]` tuples separated by whitespace (spaces around commas tolerated); heights
/// are dropped.
fn coordinates(text: &str) -> Result<Vec<[f64; 2]>, String> {
    let mut tight = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && c != ',' && !tight.is_empty() && !tight.ends_with(',') {
                tight.push(' ');
            }
            space = false;
            tight.push(c);
        }
    }
    tight
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(|t| {
            let mut v = t.split(',').map(|n| n.parse::<f64>());
            match (v.next(), v.next()) {
                (Some(Ok(x)), Some(Ok(y))) if x.is_finite() && y.is_finite() => Ok([x, y]),
                _ => Err(format!(
                    "coordinates `{}` are not lon,lat[,alt] numbers",
                    t.chars().take(60).collect::<String>()
                )),
            }
        })
        .collect()
}

/// The encoding an XML declaration names (`<?xml version="1.0" encoding="ISO-8859-1"?>`).
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(200)];
    let head = std::str::from_utf8(head).ok().or_else(|| {
        let end = head.iter().position(|&b| b >= 0x80)?;
        std::str::from_utf8(&head[..end]).ok()
    })?;
    let decl = &head[head.find("<?xml")?..];
    let decl = &decl[..decl.find("?>")?];
    let after = &decl[decl.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next()?;
    let label = after.get(1..)?.split(quote).next()?;
    Encoding::for_label(label.as_bytes())
}
