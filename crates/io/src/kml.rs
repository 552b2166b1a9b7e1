//! KML 2.2: one Placemark per feature, its properties as ExtendedData.

use std::io::Write;

use geo_types::{Geometry, LineString, Polygon};
use safeground_store::Flow;

use crate::IoError;
use crate::collections::Feature;
use crate::export::{Selection, text};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn coords(r: &LineString<f64>) -> String {
    r.0.iter()
        .map(|c| format!("{},{}", c.x, c.y))
        .collect::<Vec<_>>()
        .join(" ")
}

fn polygon(p: &Polygon<f64>) -> String {
    let mut s = format!(
        "<Polygon><outerBoundaryIs><LinearRing><coordinates>{}</coordinates></LinearRing></outerBoundaryIs>",
        coords(p.exterior())
    );
    for hole in p.interiors() {
        s.push_str(&format!(
            "<innerBoundaryIs><LinearRing><coordinates>{}</coordinates></LinearRing></innerBoundaryIs>",
            coords(hole)
        ));
    }
    s.push_str("</Polygon>");
    s
}

fn geometry(g: &Geometry<f64>) -> String {
    match g {
        Geometry::Point(p) => format!(
            "<Point><coordinates>{},{}</coordinates></Point>",
            p.x(),
            p.y()
        ),
        Geometry::Polygon(p) => polygon(p),
        Geometry::MultiPolygon(mp) if mp.0.len() == 1 => polygon(&mp.0[0]),
        Geometry::MultiPolygon(mp) => format!(
            "<MultiGeometry>{}</MultiGeometry>",
            mp.0.iter().map(polygon).collect::<String>()
        ),
        _ => String::new(),
    }
}

/// Writes the selected features; returns the number of placemarks.
pub(crate) fn write(sel: &Selection<'_>, out: &mut dyn Write) -> Result<u64, IoError> {
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>{}</name>",
        esc(sel.collection.title)
    )?;
    let mut n = 0u64;
    sel.for_each(&mut |f: Feature| {
        let data: String = f
            .properties
            .iter()
            .map(|(k, v)| {
                format!(
                    "<Data name=\"{}\"><value>{}</value></Data>",
                    esc(k),
                    esc(&text(Some(v)))
                )
            })
            .collect();
        writeln!(
            out,
            "<Placemark id=\"{id}\"><name>{id}</name><ExtendedData>{data}</ExtendedData>{geom}</Placemark>",
            id = esc(&f.id),
            geom = f.geometry.as_ref().map(geometry).unwrap_or_default()
        )?;
        n += 1;
        Ok(Flow::Continue)
    })?;
    writeln!(out, "</Document></kml>")?;
    Ok(n)
}
