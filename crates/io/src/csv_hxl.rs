//! CSV with HXL hashtags (Humanitarian Exchange Language): a header row, then a row of
//! hashtags that tools such as HDX read, then one row per feature. The geometry is a `WKT`
//! column (GDAL's CSV driver picks it up).

use std::io::Write;

use geo_types::Geometry;
use safeground_store::Flow;

use crate::IoError;
use crate::collections::Feature;
use crate::export::{Selection, text};

/// The HXL hashtag of a property.
pub(crate) fn hxl(column: &str) -> String {
    match column {
        "WKT" => "#geo+wkt".into(),
        "id" => "#meta+id".into(),
        "local_id" => "#meta+id+local".into(),
        "name" => "#loc+name".into(),
        "admin_pcode" => "#adm1+code".into(),
        "organisation" => "#org+id".into(),
        "status" => "#status".into(),
        "date_of_information" => "#date+reported".into(),
        "date" | "found_date" | "end_date" => format!("#date+{}", column.replace('_', "")),
        c if c.ends_with("_m2") => format!("#indicator+{}", c.replace('_', "")),
        c if c.contains("date") => format!("#date+{}", c.replace('_', "")),
        c => format!("#meta+{}", c.replace('_', "")),
    }
}

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Well-known text of the geometries features carry (points and multipolygons).
pub(crate) fn wkt(g: &Geometry<f64>) -> String {
    let ring = |r: &geo_types::LineString<f64>| {
        let pts: Vec<String> = r.0.iter().map(|c| format!("{} {}", c.x, c.y)).collect();
        format!("({})", pts.join(", "))
    };
    let polygon = |p: &geo_types::Polygon<f64>| {
        let rings: Vec<String> = std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(ring)
            .collect();
        format!("({})", rings.join(", "))
    };
    match g {
        Geometry::Point(p) => format!("POINT ({} {})", p.x(), p.y()),
        Geometry::Polygon(p) => format!("POLYGON {}", polygon(p)),
        Geometry::MultiPolygon(mp) => {
            let polys: Vec<String> = mp.0.iter().map(polygon).collect();
            format!("MULTIPOLYGON ({})", polys.join(", "))
        }
        _ => String::new(),
    }
}

/// Writes the selected features; returns their number. Never personal data.
pub(crate) fn write(sel: &Selection<'_>, out: &mut dyn Write) -> Result<u64, IoError> {
    if sel.personal.is_some() {
        return Err(IoError::Usage(
            "HXL exports never carry personal data".into(),
        ));
    }
    let cols = sel.columns()?;
    let mut header = vec!["WKT".to_owned(), "id".to_owned()];
    header.extend(cols.iter().map(|(k, _)| k.clone()));
    writeln!(
        out,
        "{}",
        header
            .iter()
            .map(|h| field(h))
            .collect::<Vec<_>>()
            .join(",")
    )?;
    writeln!(
        out,
        "{}",
        header.iter().map(|h| hxl(h)).collect::<Vec<_>>().join(",")
    )?;
    let mut n = 0u64;
    sel.for_each(&mut |f: Feature| {
        let mut row = vec![
            field(&f.geometry.as_ref().map(wkt).unwrap_or_default()),
            field(&f.id),
        ];
        row.extend(cols.iter().map(|(k, _)| field(&text(f.properties.get(k)))));
        writeln!(out, "{}", row.join(","))?;
        n += 1;
        Ok(Flow::Continue)
    })?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_and_quoting() {
        assert_eq!(hxl("admin_pcode"), "#adm1+code");
        assert_eq!(hxl("remaining_m2"), "#indicator+remainingm2");
        assert_eq!(hxl("destroyed_date"), "#date+destroyeddate");
        assert_eq!(hxl("category"), "#meta+category");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        let p = Geometry::Point(geo_types::Point::new(103.2, 13.1));
        assert_eq!(wkt(&p), "POINT (103.2 13.1)");
    }
}
