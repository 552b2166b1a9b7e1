#![allow(clippy::unwrap_used)]
#[path = "fixtures/mod.rs"]
mod fixtures;
use safeground_io::{ReadOptions, read_source};
#[test]
fn stats() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("s.gpkg");
    fixtures::gpkg(&gpkg, 32648, None);
    fixtures::shapefile(dir.path(), "s", Some(fixtures::PRJ_UTM48), true);
    let kml = fixtures::kml().into_bytes();
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        ("geojson", fixtures::geojson()), ("json", fixtures::kobo_json()),
        ("gpkg", std::fs::read(&gpkg).unwrap()), ("zip", fixtures::odk_zip()),
        ("zip", fixtures::zipped_shapefile(dir.path(), "s")),
        ("kmz", fixtures::zip(&[("doc.kml", &kml)])), ("kml", kml.clone()),
        ("csv", fixtures::csv()), ("xlsx", fixtures::kobo_xlsx()),
    ];
    let n: usize = std::env::var("N").ok().and_then(|n| n.parse().ok()).unwrap_or(300);
    let mut x = std::env::var("SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(12345u64);
    let mut rnd = || { x ^= x << 13; x ^= x >> 7; x ^= x << 17; x };
    for (ext, bytes) in &seeds {
        let (mut ok, mut okrec, mut err) = (0, 0, 0);
        for _ in 0..n {
            let mut b = bytes.clone();
            for _ in 0..(1 + rnd() % 3) { let i = (rnd() as usize) % b.len(); b[i] ^= (rnd() % 255 + 1) as u8; }
            let p = dir.path().join(format!("f{}.{ext}", rnd()));
            std::fs::write(&p, &b).unwrap();
            let r = std::panic::catch_unwind(|| read_source(&p, &ReadOptions::default()));
            match r {
                Ok(Ok(r)) => { ok += 1; okrec += r.iter().filter(|r| r.feature.is_ok()).count(); }
                Ok(Err(_)) => err += 1,
                Err(_) => { let keep = format!("/tmp/panic-{}.{ext}", rnd()); std::fs::copy(&p, &keep).unwrap(); println!("PANIC kept {keep}"); }
            }
            let _ = std::fs::remove_file(&p);
        }
        println!("{ext}: ok {ok} (ok records {okrec}) err {err}");
    }
}
