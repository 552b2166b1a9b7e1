//! The generated hazards as a GeoJSON text sequence (one feature per line), with the
//! attributes a national hazard layer carries under Safeground's field names, so that both
//! `ogr2ogr` and `safeground import` read the same file (after `ogr2ogr` made it a GeoPackage).

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use geo_types::MultiPolygon;

use crate::generate::{EO_CATEGORIES, EoFind, Hazard};

/// Contamination types cycled through the hazards.
const CONTAMINATION: [&str; 4] = ["ap_mines", "cmr", "uxo", "ap_mines,at_mines"];

/// Writes the coordinates array of a MultiPolygon.
pub fn write_coordinates(w: &mut impl Write, mp: &MultiPolygon<f64>) -> std::io::Result<()> {
    w.write_all(b"[")?;
    for (i, p) in mp.0.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        w.write_all(b"[")?;
        for (j, ring) in std::iter::once(p.exterior())
            .chain(p.interiors())
            .enumerate()
        {
            if j > 0 {
                w.write_all(b",")?;
            }
            w.write_all(b"[")?;
            for (k, c) in ring.0.iter().enumerate() {
                if k > 0 {
                    w.write_all(b",")?;
                }
                write!(w, "[{},{}]", c.x, c.y)?;
            }
            w.write_all(b"]")?;
        }
        w.write_all(b"]")?;
    }
    w.write_all(b"]")
}

/// The attributes of hazard `h`: local id, name, class, status, contamination, date.
pub fn properties(h: &Hazard) -> String {
    let class = if h.id % 4 == 0 { "cha" } else { "sha" };
    let contamination = CONTAMINATION[h.id as usize % CONTAMINATION.len()];
    format!(
        r#"{{"local_id":"HZ-{:06}","name":"Hazard {} (province {})","class":"{class}","status":"open","contamination":"{contamination}","date_of_information":"2024-01-{:02}"}}"#,
        h.id,
        h.id,
        h.admin,
        1 + h.id % 28
    )
}

/// Writes `hazards` to `path` as GeoJSONSeq (RFC 8142 without the record separator, as GDAL's
/// `GeoJSONSeq` driver reads it).
pub fn write(path: &Path, hazards: &[Hazard]) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    for h in hazards {
        write!(
            w,
            r#"{{"type":"Feature","properties":{},"geometry":{{"type":"MultiPolygon","coordinates":"#,
            properties(h)
        )?;
        write_coordinates(&mut w, &h.geometry)?;
        w.write_all(b"}}\n")?;
    }
    w.flush()?;
    Ok(())
}

/// The attributes of EO find `e`: local id, hazard (its local id), category, quantity, date.
pub fn eo_properties(e: &EoFind) -> String {
    format!(
        r#"{{"local_id":"EO-{:07}","hazard":"HZ-{:06}","category":"{}","quantity":{},"found_date":"2024-02-{:02}"}}"#,
        e.id,
        e.hazard,
        EO_CATEGORIES[e.id as usize % EO_CATEGORIES.len()],
        1 + e.id % 3,
        1 + e.id % 28
    )
}

/// Writes `finds` to `path` as GeoJSONSeq points.
pub fn write_eo_finds(path: &Path, finds: &[EoFind]) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    for e in finds {
        writeln!(
            w,
            r#"{{"type":"Feature","properties":{},"geometry":{{"type":"Point","coordinates":[{},{}]}}}}"#,
            eo_properties(e),
            e.location.x,
            e.location.y
        )?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_a_geojson_feature_with_the_generated_ring() {
        let ds = crate::generate::generate(3, 0, 5);
        let path = std::env::temp_dir().join(format!("sg-bench-{}.geojsonl", std::process::id()));
        write(&path, &ds.hazards).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        for (line, h) in lines.iter().zip(&ds.hazards) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["properties"]["local_id"], format!("HZ-{:06}", h.id));
            let ring = v["geometry"]["coordinates"][0][0].as_array().unwrap();
            let exterior = &h.geometry.0[0].exterior().0;
            assert_eq!(ring.len(), exterior.len());
            // Shortest round-trip text (serde_json's own float parsing is not exact).
            for c in exterior {
                assert!(line.contains(&format!("[{},{}]", c.x, c.y)));
                assert_eq!(format!("{}", c.x).parse::<f64>().unwrap(), c.x);
            }
        }
    }

    #[test]
    fn eo_finds_lie_in_their_hazards_and_are_written_as_points() {
        use geo::Contains;
        let ds = crate::generate::generate(20, 0, 5);
        let finds = crate::generate::eo_finds(&ds, 200, 5);
        assert_eq!(finds.len(), 200);
        for e in &finds {
            let h = ds.hazards.iter().find(|h| h.id == e.hazard).unwrap();
            assert!(h.geometry.contains(&geo_types::Point(e.location)), "{e:?}");
        }
        let path =
            std::env::temp_dir().join(format!("sg-bench-eo-{}.geojsonl", std::process::id()));
        write_eo_finds(&path, &finds).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["properties"]["local_id"], "EO-0000001");
        assert_eq!(
            first["properties"]["hazard"],
            format!("HZ-{:06}", finds[0].hazard)
        );
        assert_eq!(first["geometry"]["coordinates"][0], finds[0].location.x);
        assert_eq!(text.lines().count(), 200);
    }
}
