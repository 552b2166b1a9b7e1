//! The generated hazards as a GeoJSON text sequence (one feature per line), with the
//! attributes a national hazard layer carries under Safeground's field names, so that both
//! `ogr2ogr` and `safeground import` read the same file (after `ogr2ogr` made it a GeoPackage).

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use geo_types::MultiPolygon;

use crate::generate::Hazard;

/// Contamination types cycled through the hazards.
const CONTAMINATION: [&str; 4] = ["ap_mines", "cmr", "uxo", "ap_mines,at_mines"];

fn write_coordinates(w: &mut impl Write, mp: &MultiPolygon<f64>) -> std::io::Result<()> {
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
}
