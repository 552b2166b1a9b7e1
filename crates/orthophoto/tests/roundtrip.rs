//! GDAL-free tests: the writer's files read back, tiles line up with the XYZ grid, chips,
//! and clear errors for bad input.

mod common;

use std::f64::consts::PI;
use std::io::BufWriter;

use proj4rs::Proj;
use safeground_orthophoto::{Orthophoto, OrthophotoError, write_geotiff, write_geotiff_with};

use common::{decode_png, metres, texture};

const UTM48_GT: [f64; 6] = [490_000.0, 0.5, 0.0, 1_277_000.0, 0.0, -0.5];

#[test]
fn writer_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("rt.tif");
    let (w, h) = (700, 300);
    let rgb = texture(w, h);
    write_geotiff(&path, w, h, &rgb, 32648, UTM48_GT).expect("write");
    let o = Orthophoto::open(&path).expect("open");
    let info = o.info();
    assert_eq!(
        (info.width, info.height, info.bands, info.epsg),
        (w, h, 3, 32648)
    );
    assert_eq!(info.geotransform, UTM48_GT);
    assert!(info.tiled);
    assert_eq!(info.overviews, 2); // 350 x 150 and 175 x 75
    assert_eq!(info.minzoom, 0);
    assert!(
        (info.resolution_m - 0.5).abs() < 0.01,
        "{}",
        info.resolution_m
    );
    assert_eq!(info.footprint.exterior().0.len(), 65);
    assert_eq!(o.pixel_to_map(10.0, 20.0), (490_005.0, 1_276_990.0));
    let (lon, lat) = o.pixel_to_wgs84(350.0, 150.0).expect("wgs84");
    assert!(
        (104.9..105.0).contains(&lon) && (11.5..11.6).contains(&lat),
        "{lon} {lat}"
    );
    let (px, py) = o.wgs84_to_pixel(lon, lat).expect("pixel");
    assert!((px - 350.0).abs() < 1e-6 && (py - 150.0).abs() < 1e-6);
    assert!(info.bbox[0] < lon && lon < info.bbox[2] && info.bbox[1] < lat && lat < info.bbox[3]);
    assert!(info.maxzoom >= 19 && info.maxzoom <= 22, "{}", info.maxzoom);
    // A 1:1 chip returns the source pixels exactly.
    let png = o.chip(100.0, 50.0, 8, 16).expect("chip");
    let (cw, ch, px) = decode_png(&png);
    assert_eq!((cw, ch), (16, 16));
    for j in 0..16u32 {
        for i in 0..16u32 {
            let s = (((42 + j) * w + 92 + i) * 3) as usize;
            let d = ((j * 16 + i) * 4) as usize;
            assert_eq!(&px[d..d + 3], &rgb[s..s + 3], "chip pixel {i},{j}");
            assert_eq!(px[d + 3], 255);
        }
    }
    // Half outside: transparent there; fully outside: OutOfImage.
    let (_, _, edge) = decode_png(&o.chip(0.0, 0.0, 4, 8).expect("edge chip"));
    assert_eq!(edge[3], 0);
    assert_eq!(edge[(7 * 8 + 7) * 4 + 3], 255);
    assert!(matches!(
        o.chip(-100.0, 5.0, 4, 8),
        Err(OrthophotoError::OutOfImage)
    ));
}

#[test]
fn rotated_writer_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("rot.tif");
    let gt = [490_000.0, 0.4, 0.1, 1_277_000.0, 0.1, -0.4];
    write_geotiff(&path, 64, 48, &texture(64, 48), 32648, gt).expect("write");
    let o = Orthophoto::open(&path).expect("open");
    assert_eq!(o.info().geotransform, gt);
}

/// Standard XYZ tile coordinates (in tile pixels, fractional) of lon/lat at zoom z.
fn xyz(z: u8, lon: f64, lat: f64) -> (f64, f64) {
    let n = f64::from(1u32 << z) * 256.0;
    let x = (lon + 180.0) / 360.0 * n;
    let y = (1.0 - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / PI) / 2.0 * n;
    (x, y)
}

#[test]
fn tiles_line_up_with_the_xyz_grid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("marker.tif");
    // 2000 x 2000 px at 0.5 m in UTM 48N (Phnom Penh), a red square of 40 m around a point.
    let (w, h) = (2000u32, 2000u32);
    let gt = [488_000.0, 0.5, 0.0, 1_277_500.0, 0.0, -0.5];
    let (lon, lat) = (104.8975f64, 11.5518f64);
    let wgs = Proj::from_proj_string("+proj=longlat +datum=WGS84").expect("wgs84");
    let utm = Proj::from_proj_string("+proj=utm +zone=48 +datum=WGS84").expect("utm");
    let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
    proj4rs::transform::transform(&wgs, &utm, &mut p).expect("project");
    let (mx, my) = ((p.0 - gt[0]) / gt[1], (p.1 - gt[3]) / gt[5]);
    let mut rgb = texture(w, h);
    for y in 0..h {
        for x in 0..w {
            if (f64::from(x) + 0.5 - mx).abs() < 40.0 && (f64::from(y) + 0.5 - my).abs() < 40.0 {
                let i = ((y * w + x) * 3) as usize;
                rgb[i..i + 3].copy_from_slice(&[255, 0, 0]);
            }
        }
    }
    write_geotiff(&path, w, h, &rgb, 32648, gt).expect("write");
    let o = Orthophoto::open(&path).expect("open");
    assert!(o.info().minzoom <= 12, "minzoom {}", o.info().minzoom);
    for z in 12..=18u8 {
        let (ex, ey) = xyz(z, lon, lat);
        let (tx, ty) = ((ex / 256.0).floor() as u32, (ey / 256.0).floor() as u32);
        // Red-weighted centroid over the 3 x 3 tiles around the marker.
        let (mut sx, mut sy, mut sw) = (0.0, 0.0, 0.0);
        for dy in 0..3u32 {
            for dx in 0..3u32 {
                let (x, y) = (tx + dx - 1, ty + dy - 1);
                let Some(png) = o.tile(z, x, y).expect("tile") else {
                    continue;
                };
                let (_, _, px) = decode_png(&png);
                for j in 0..256u32 {
                    for i in 0..256u32 {
                        let d = ((j * 256 + i) * 4) as usize;
                        let red = f64::from(px[d]) - f64::from(px[d + 1]).max(f64::from(px[d + 2]));
                        let wgt = (red - 100.0).max(0.0) * f64::from(px[d + 3]) / 255.0;
                        sx += wgt * (f64::from(x * 256 + i) + 0.5);
                        sy += wgt * (f64::from(y * 256 + j) + 0.5);
                        sw += wgt;
                    }
                }
            }
        }
        assert!(sw > 0.0, "marker not found at z{z}");
        let (cx, cy) = (sx / sw, sy / sw);
        let err = (cx - ex).hypot(cy - ey);
        eprintln!(
            "z{z}: marker at tile px ({cx:.2}, {cy:.2}), expected ({ex:.2}, {ey:.2}), off {err:.3} px"
        );
        assert!(err < 1.0, "z{z}: off by {err} px");
    }
    // Far away: no tile; too coarse: error.
    assert!(o.tile(14, 0, 0).expect("empty tile").is_none());
    assert!(matches!(
        o.tile(2, 3, 1),
        Err(OrthophotoError::TooCoarse { .. }) | Ok(None)
    ));
    let _ = metres((0.0, 0.0), (0.0, 0.0));
}

#[test]
fn concurrent_tiles_equal_sequential_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("conc.tif");
    let gt = [488_000.0, 0.2, 0.0, 1_277_500.0, 0.0, -0.2];
    write_geotiff(&path, 1500, 1500, &texture(1500, 1500), 32648, gt).expect("write");
    let o = std::sync::Arc::new(Orthophoto::open(&path).expect("open"));
    let (lon, lat) = o.pixel_to_wgs84(750.0, 750.0).expect("centre");
    let z = 19;
    let (cx, cy) = xyz(z, lon, lat);
    let (cx, cy) = ((cx / 256.0) as u32, (cy / 256.0) as u32);
    let tiles: Vec<(u32, u32)> = (0..4)
        .flat_map(|dy| (0..4).map(move |dx| (cx + dx - 2, cy + dy - 2)))
        .collect();
    let sequential: Vec<_> = tiles
        .iter()
        .map(|&(x, y)| o.tile(z, x, y).expect("tile"))
        .collect();
    let handles: Vec<_> = (0..4)
        .map(|k| {
            let (o, tiles) = (o.clone(), tiles.clone());
            std::thread::spawn(move || {
                tiles
                    .iter()
                    .cycle()
                    .skip(k * 3)
                    .take(tiles.len())
                    .map(|&(x, y)| ((x, y), o.tile(z, x, y).expect("tile")))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        for ((x, y), png) in h.join().expect("thread") {
            let i = tiles.iter().position(|&t| t == (x, y)).expect("known tile");
            assert_eq!(png, sequential[i], "tile {z}/{x}/{y}");
        }
    }
    assert!(sequential.iter().filter(|t| t.is_some()).count() >= 4);
}

#[test]
fn bad_input_gives_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Not a TIFF.
    let txt = dir.path().join("notes.tif");
    std::fs::write(&txt, b"hello, this is not an image").expect("write");
    let e = Orthophoto::open(&txt).expect_err("not a tiff");
    assert!(matches!(e, OrthophotoError::NotTiff(_)), "{e}");
    assert!(e.to_string().contains("gdal_translate"), "{e}");
    // A plain TIFF without georeference.
    let plain = dir.path().join("plain.tif");
    {
        let f = BufWriter::new(std::fs::File::create(&plain).expect("create"));
        let mut enc = tiff::encoder::TiffEncoder::new(f).expect("encoder");
        enc.write_image::<tiff::encoder::colortype::RGB8>(8, 8, &[7u8; 8 * 8 * 3])
            .expect("image");
    }
    let e = Orthophoto::open(&plain).expect_err("no georef");
    assert!(matches!(e, OrthophotoError::NoGeoreference), "{e}");
    assert!(e.to_string().contains("-a_srs"), "{e}");
    // 16-bit samples, georeferenced.
    let deep = dir.path().join("deep.tif");
    {
        let f = BufWriter::new(std::fs::File::create(&deep).expect("create"));
        let mut enc = tiff::encoder::TiffEncoder::new(f).expect("encoder");
        let mut img = enc
            .new_image::<tiff::encoder::colortype::Gray16>(8, 8)
            .expect("image");
        let d = img.encoder();
        d.write_tag(tiff::tags::Tag::ModelPixelScaleTag, &[1.0f64, 1.0, 0.0][..])
            .expect("tag");
        d.write_tag(
            tiff::tags::Tag::ModelTiepointTag,
            &[0.0f64, 0.0, 0.0, 500_000.0, 1_000_000.0, 0.0][..],
        )
        .expect("tag");
        d.write_tag(
            tiff::tags::Tag::GeoKeyDirectoryTag,
            &[1u16, 1, 0, 2, 1024, 0, 1, 1, 3072, 0, 1, 32648][..],
        )
        .expect("tag");
        img.write_data(&[1000u16; 64]).expect("data");
    }
    let e = Orthophoto::open(&deep).expect_err("16-bit");
    assert!(matches!(e, OrthophotoError::Unsupported(_)), "{e}");
    assert!(e.to_string().contains("-ot Byte"), "{e}");
    // A user-defined CRS.
    let user = dir.path().join("user.tif");
    write_geotiff(&user, 4, 4, &[0; 48], 32648, UTM48_GT).expect("write");
    let mut bytes = std::fs::read(&user).expect("read");
    let needle: Vec<u8> = [3072u16, 0, 1, 32648]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let at = bytes
        .windows(8)
        .position(|w| w == needle.as_slice())
        .expect("geokey");
    bytes[at + 6..at + 8].copy_from_slice(&32767u16.to_le_bytes());
    std::fs::write(&user, bytes).expect("write");
    let e = Orthophoto::open(&user).expect_err("user-defined");
    assert!(matches!(e, OrthophotoError::UnsupportedCrs(32767)), "{e}");
    // Writer argument checks.
    assert!(write_geotiff(&user, 4, 4, &[0; 10], 32648, UTM48_GT).is_err());
    assert!(write_geotiff_with(&user, 4, 4, 32767, UTM48_GT, |_, _, _, _, _| {}).is_err());
}
