//! Memory stays flat: a 20000 x 20000 orthophoto (1.2 GB of pixels) is written and served as
//! tiles with peak RSS far below the image size (decoded chunks are cached up to 64 MiB).

mod common;

use safeground_orthophoto::{Orthophoto, write_geotiff_with};

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[test]
fn large_image_keeps_memory_flat() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("large.tif");
    let (w, h) = (20_000u32, 20_000u32);
    // 10 cm pixels: 2 km x 2 km in UTM 48N. Smooth texture (compresses well; small file).
    let gt = [488_000.0, 0.1, 0.0, 1_278_000.0, 0.0, -0.1];
    write_geotiff_with(&path, w, h, 32648, gt, |x0, y0, bw, _bh, buf| {
        for (j, row) in buf.chunks_exact_mut(bw as usize * 3).enumerate() {
            let y = y0 + j as u32;
            for (i, px) in row.chunks_exact_mut(3).enumerate() {
                let x = x0 + i as u32;
                px.copy_from_slice(&[(x / 80) as u8, (y / 80) as u8, 128]);
            }
        }
    })
    .expect("write");
    let size = std::fs::metadata(&path).expect("metadata").len();
    let after_write = peak_rss_mb();
    let o = Orthophoto::open(&path).expect("open");
    let info = o.info().clone();
    assert_eq!((info.width, info.height), (w, h));
    // Every tile of z12..=16 (read from overviews), then a grid of tiles at native zoom.
    let mut tiles = 0;
    let native = info.maxzoom - 2;
    for z in (info.minzoom.max(12)..=16).chain([native]) {
        let n = f64::from(1u32 << z);
        let tx = |lon: f64| ((lon + 180.0) / 360.0 * n) as u32;
        let ty = |lat: f64| {
            ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n) as u32
        };
        let (x0, x1) = (tx(info.bbox[0]), tx(info.bbox[2]));
        let (y0, y1) = (ty(info.bbox[3]), ty(info.bbox[1]));
        let step = if z == info.minzoom {
            1
        } else {
            ((y1 - y0) / 12).max(1)
        };
        for y in (y0..=y1).step_by(step as usize) {
            for x in (x0..=x1).step_by(step as usize) {
                if o.tile(z, x, y).expect("tile").is_some() {
                    tiles += 1;
                }
            }
        }
    }
    let peak = peak_rss_mb();
    eprintln!(
        "{w}x{h} px ({:.0} MB of pixels, {:.1} MB file): {tiles} tiles from z{}..=16 and z{}; \
         peak RSS after writing {after_write:?} MB, after serving {peak:?} MB",
        f64::from(w) * f64::from(h) * 3.0 / 1e6,
        size as f64 / 1e6,
        info.minzoom.max(12),
        native
    );
    assert_eq!(info.overviews, 7);
    assert!(tiles > 50, "{tiles} tiles");
    if let Some(peak) = peak {
        assert!(peak < 300.0, "peak RSS {peak} MB");
    }
}
