//! Georeference against GDAL: files made by gdal_translate (several CRSs, PixelIsPoint, COG
//! with overviews) map pixels like gdaltransform to 1 cm; GDAL reads the writer's files.
//! Skips with a printed reason when the GDAL tools are missing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use safeground_orthophoto::{Orthophoto, write_geotiff};

use common::{decode_png, gdaltransform, have, metres, run, texture};

/// Writes a small textured base image (georeference is replaced by gdal_translate).
fn base(dir: &Path, w: u32, h: u32) -> PathBuf {
    let path = dir.join(format!("base-{w}x{h}.tif"));
    let gt = [500_000.0, 1.0, 0.0, 1_000_000.0, 0.0, -1.0];
    write_geotiff(&path, w, h, &texture(w, h), 32648, gt).expect("write base");
    path
}

/// Compares pixel -> map and pixel -> WGS 84 with gdaltransform, in metres.
fn check_against_gdal(file: &Path, geographic: bool) {
    let o = Orthophoto::open(file).expect("open");
    let (w, h) = (f64::from(o.info().width), f64::from(o.info().height));
    let pts = [
        (0.0, 0.0),
        (w, 0.0),
        (w, h),
        (0.0, h),
        (w / 2.0, h / 2.0),
        (17.25, 3.5),
        (w - 0.5, h / 3.0),
    ];
    let map = gdaltransform(file, &pts, false);
    let wgs = gdaltransform(file, &pts, true);
    assert_eq!(
        (map.len(), wgs.len()),
        (pts.len(), pts.len()),
        "gdaltransform output"
    );
    let mut worst: f64 = 0.0;
    for (i, &(px, py)) in pts.iter().enumerate() {
        let ours = o.pixel_to_map(px, py);
        let d_map = if geographic {
            metres(ours, map[i])
        } else {
            (ours.0 - map[i].0).hypot(ours.1 - map[i].1)
        };
        let ll = o.pixel_to_wgs84(px, py).expect("to wgs84");
        let d_wgs = metres(ll, wgs[i]);
        worst = worst.max(d_map).max(d_wgs);
        assert!(
            d_map < 0.01,
            "{file:?} px ({px},{py}): map {ours:?} vs gdal {:?}",
            map[i]
        );
        assert!(
            d_wgs < 0.01,
            "{file:?} px ({px},{py}): wgs84 {ll:?} vs gdal {:?}",
            wgs[i]
        );
        // And back.
        let (bx, by) = o.wgs84_to_pixel(ll.0, ll.1).expect("back");
        assert!(
            (bx - px).abs() < 1e-4 && (by - py).abs() < 1e-4,
            "inverse at ({px},{py})"
        );
    }
    eprintln!(
        "{}: worst difference to gdaltransform {worst:.2e} m",
        file.display()
    );
}

fn translate(src: &Path, dst: &Path, args: &[&str]) {
    run(Command::new("gdal_translate")
        .arg("-q")
        .args(args)
        .arg(src)
        .arg(dst));
}

#[test]
fn pixel_mapping_matches_gdaltransform() {
    if !have("gdal_translate") || !have("gdaltransform") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let src = base(dir.path(), 300, 200);
    let cases: [(&str, [&str; 4], bool); 4] = [
        // Cambodia, UTM 48N, 5 cm pixels.
        ("32648", ["488000", "1277500", "488015", "1277490"], false),
        // Azerbaijan, UTM 38N, 10 cm pixels.
        ("32638", ["432000", "4430020", "432030", "4430000"], false),
        ("4326", ["104.90", "11.56", "104.9003", "11.5598"], true),
        (
            "3857",
            ["11677000", "1295020", "11677030", "1295000"],
            false,
        ),
    ];
    for (epsg, ullr, geographic) in cases {
        let dst = dir.path().join(format!("epsg{epsg}.tif"));
        let srs = format!("EPSG:{epsg}");
        let mut args = vec!["-a_srs", srs.as_str(), "-a_ullr"];
        args.extend(ullr);
        translate(&src, &dst, &args);
        let o = Orthophoto::open(&dst).expect("open");
        assert_eq!(o.info().epsg.to_string(), epsg);
        check_against_gdal(&dst, geographic);
    }
    // PixelIsPoint: GDAL shifts the origin by half a pixel; so must we.
    let point = dir.path().join("point.tif");
    translate(
        &src,
        &point,
        &[
            "-a_srs",
            "EPSG:32648",
            "-a_ullr",
            "488000",
            "1277500",
            "488015",
            "1277490",
            "-mo",
            "AREA_OR_POINT=Point",
        ],
    );
    let info = run(Command::new("gdalinfo").arg(&point));
    assert!(info.contains("AREA_OR_POINT=Point"), "{info}");
    check_against_gdal(&point, false);
    // Striped, LZW, gray.
    let gray = dir.path().join("gray.tif");
    translate(
        &src,
        &gray,
        &[
            "-b",
            "1",
            "-co",
            "COMPRESS=LZW",
            "-co",
            "TILED=NO",
            "-a_srs",
            "EPSG:32648",
            "-a_ullr",
            "488000",
            "1277500",
            "488015",
            "1277490",
        ],
    );
    let o = Orthophoto::open(&gray).expect("gray");
    assert_eq!((o.info().bands, o.info().tiled), (1, false));
    let (_, _, px) = decode_png(&o.chip(150.0, 100.0, 2, 4).expect("chip"));
    assert_eq!(px[3], 255);
    check_against_gdal(&gray, false);
}

#[test]
fn cog_with_overviews_renders_coarse_zooms() {
    if !have("gdal_translate") || !have("gdaltransform") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let src = base(dir.path(), 3000, 3000);
    let plain = dir.path().join("plain.tif");
    // 3000 px at 0.2 m: 600 m in UTM 48N.
    let ullr = [
        "-a_srs",
        "EPSG:32648",
        "-a_ullr",
        "488000",
        "1277600",
        "488600",
        "1277000",
    ];
    translate(&src, &plain, &ullr);
    let cog = dir.path().join("cog.tif");
    translate(
        &plain,
        &cog,
        &[
            "-of",
            "COG",
            "-co",
            "BLOCKSIZE=256",
            "-co",
            "COMPRESS=DEFLATE",
        ],
    );
    let flat = Orthophoto::open(&plain).expect("plain");
    let o = Orthophoto::open(&cog).expect("cog");
    assert!(o.info().tiled);
    assert!(o.info().overviews >= 2, "overviews {}", o.info().overviews);
    assert!(
        o.info().minzoom < flat.info().minzoom,
        "{} vs {}",
        o.info().minzoom,
        flat.info().minzoom
    );
    check_against_gdal(&cog, false);
    // Every zoom from minzoom to maxzoom renders the tile over the centre (once the 600 m
    // image is larger than a tile pixel: ~300 m at z9).
    let (lon, lat) = o.pixel_to_wgs84(1500.0, 1500.0).expect("centre");
    eprintln!(
        "cog: minzoom {}, maxzoom {}, plain minzoom {}",
        o.info().minzoom,
        o.info().maxzoom,
        flat.info().minzoom
    );
    for z in o.info().minzoom.max(10)..=o.info().maxzoom {
        let n = f64::from(1u32 << z);
        let x = ((lon + 180.0) / 360.0 * n) as u32;
        let y = ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n) as u32;
        let png = o.tile(z, x, y).expect("tile").expect("touches the image");
        let (_, _, px) = decode_png(&png);
        assert!(px.chunks(4).any(|p| p[3] == 255), "z{z} tile is empty");
    }
    // Tile pixels agree between the COG and the plain file where both render (z = maxzoom).
    let z = o.info().maxzoom - 2;
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n) as u32;
    let y = ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n) as u32;
    let a = decode_png(&o.tile(z, x, y).expect("cog").expect("some")).2;
    let b = decode_png(&flat.tile(z, x, y).expect("plain").expect("some")).2;
    assert_eq!(a, b);
    // JPEG (YCbCr) COG opens and renders.
    let jpeg = dir.path().join("jpeg.tif");
    translate(&plain, &jpeg, &["-of", "COG", "-co", "COMPRESS=JPEG"]);
    let j = Orthophoto::open(&jpeg).expect("jpeg cog");
    let t = j.tile(z, x, y).expect("jpeg tile").expect("some");
    let c = decode_png(&t).2;
    let diff = a
        .iter()
        .zip(&c)
        .map(|(p, q)| i32::from(*p).abs_diff(i32::from(*q)))
        .max();
    let mean = a
        .iter()
        .zip(&c)
        .map(|(p, q)| f64::from(p.abs_diff(*q)))
        .sum::<f64>()
        / a.len() as f64;
    eprintln!("jpeg vs deflate tile: max channel difference {diff:?}, mean {mean:.2}");
    assert!(mean < 8.0, "JPEG tile differs on average by {mean}");
}

#[test]
fn gdal_reads_the_writer() {
    if !have("gdalinfo") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ours.tif");
    let gt = [488_000.0, 0.05, 0.0, 1_277_500.0, 0.0, -0.05];
    write_geotiff(&path, 600, 300, &texture(600, 300), 32648, gt).expect("write");
    let info = run(Command::new("gdalinfo").arg("-checksum").arg(&path));
    assert!(info.contains("Size is 600, 300"), "{info}");
    assert!(info.contains("ID[\"EPSG\",32648]"), "{info}");
    assert!(
        info.contains("Origin = (488000.000000000000000,1277500.000000000000000)"),
        "{info}"
    );
    assert!(
        info.contains("Pixel Size = (0.050000000000000,-0.050000000000000)"),
        "{info}"
    );
    assert!(info.contains("Block=256x256"), "{info}");
    assert!(info.contains("COMPRESSION=DEFLATE"), "{info}");
    assert!(info.contains("AREA_OR_POINT=Area"), "{info}");
    assert!(info.contains("Overviews: 300x150, 150x75"), "{info}");
    assert!(!info.contains("ERROR"), "{info}");
    // Pixel values survive: GDAL's checksum of ours equals that of a copy GDAL wrote itself.
    let copy = dir.path().join("copy.tif");
    translate(&path, &copy, &[]);
    let a: Vec<&str> = info.lines().filter(|l| l.contains("Checksum=")).collect();
    let other = run(Command::new("gdalinfo").arg("-checksum").arg(&copy));
    let b: Vec<&str> = other.lines().filter(|l| l.contains("Checksum=")).collect();
    assert_eq!(a, b);
    // Geographic CRS and a rotated geotransform.
    let geo = dir.path().join("geo.tif");
    write_geotiff(
        &geo,
        64,
        64,
        &texture(64, 64),
        4326,
        [104.9, 1e-6, 0.0, 11.56, 0.0, -1e-6],
    )
    .expect("write");
    let info = run(Command::new("gdalinfo").arg(&geo));
    assert!(info.contains("ID[\"EPSG\",4326]"), "{info}");
    if have("gdaltransform") {
        check_against_gdal(&geo, true);
        let rot = dir.path().join("rot.tif");
        write_geotiff(
            &rot,
            64,
            64,
            &texture(64, 64),
            32638,
            [432_000.0, 0.1, 0.02, 4_430_000.0, 0.02, -0.1],
        )
        .expect("write");
        check_against_gdal(&rot, false);
    }
}

/// A grey image GDAL stores with INTERLEAVE=BAND (planar, as old single-band scans often are)
/// draws exactly like the same image interleaved; several bands stored apart are refused with
/// the command that converts them.
#[test]
fn single_band_planar_reads_like_interleaved() {
    if !have("gdal_translate") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let src = base(dir.path(), 96, 64);
    let planar = dir.path().join("planar.tif");
    let pixel = dir.path().join("pixel.tif");
    translate(&src, &planar, &["-b", "1", "-co", "INTERLEAVE=BAND"]);
    translate(&src, &pixel, &["-b", "1", "-co", "INTERLEAVE=PIXEL"]);
    let a = Orthophoto::open(&planar).expect("planar grey opens");
    let b = Orthophoto::open(&pixel).expect("interleaved grey opens");
    for (x, y) in [(10.5, 10.5), (48.0, 32.0), (90.2, 60.7)] {
        assert_eq!(
            a.chip(x, y, 3, 6).expect("chip"),
            b.chip(x, y, 3, 6).expect("chip"),
            "chip at ({x}, {y})"
        );
    }
    let rgb_planar = dir.path().join("rgb-planar.tif");
    translate(&src, &rgb_planar, &["-co", "INTERLEAVE=BAND"]);
    let refused = Orthophoto::open(&rgb_planar).expect_err("planar RGB");
    assert!(
        refused.to_string().contains("INTERLEAVE=PIXEL"),
        "{refused}"
    );
}

#[test]
fn nodata_is_transparent() {
    if !have("gdal_translate") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("holes.tif");
    let (w, h) = (128, 128);
    let mut rgb = texture(w, h);
    // A black hole in the top-left quarter (all bands 0).
    for y in 0..64 {
        for x in 0..64 {
            let i = ((y * w + x) * 3) as usize;
            rgb[i..i + 3].fill(0);
        }
    }
    write_geotiff(
        &src,
        w,
        h,
        &rgb,
        32648,
        [488_000.0, 0.1, 0.0, 1_277_500.0, 0.0, -0.1],
    )
    .expect("write");
    let dst = dir.path().join("nodata.tif");
    translate(&src, &dst, &["-a_nodata", "0"]);
    let o = Orthophoto::open(&dst).expect("open");
    let (_, _, hole) = decode_png(&o.chip(20.0, 20.0, 2, 4).expect("chip"));
    assert!(
        hole.chunks(4).all(|p| p[3] == 0),
        "nodata pixels must be transparent"
    );
    let (_, _, solid) = decode_png(&o.chip(100.0, 100.0, 2, 4).expect("chip"));
    assert!(solid.chunks(4).all(|p| p[3] == 255));
}

#[test]
fn warped_rgba_has_transparent_corners() {
    if !have("gdalwarp") || !have("gdaltransform") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("utm.tif");
    let gt = [432_000.0, 0.1, 0.0, 4_430_000.0, 0.0, -0.1];
    write_geotiff(&src, 400, 400, &texture(400, 400), 32638, gt).expect("write");
    // Rotate into geographic coordinates with an alpha band (as drone pipelines deliver).
    let dst = dir.path().join("rgba.tif");
    run(Command::new("gdalwarp")
        .args(["-q", "-t_srs", "EPSG:4326", "-dstalpha", "-r", "bilinear"])
        .arg(&src)
        .arg(&dst));
    let o = Orthophoto::open(&dst).expect("open");
    assert_eq!((o.info().bands, o.info().epsg), (4, 4326));
    check_against_gdal(&dst, true);
    let (w, h) = (f64::from(o.info().width), f64::from(o.info().height));
    let (_, _, centre) = decode_png(&o.chip(w / 2.0, h / 2.0, 2, 4).expect("chip"));
    assert!(centre.chunks(4).all(|p| p[3] == 255));
    // The source pixel under the warped centre, seen through both files, is the same colour.
    let (lon, lat) = o.pixel_to_wgs84(w / 2.0, h / 2.0).expect("centre");
    let utm = Orthophoto::open(&src).expect("utm");
    let (px, py) = utm.wgs84_to_pixel(lon, lat).expect("pixel");
    let (_, _, a) = decode_png(&utm.chip(px, py, 1, 1).expect("chip"));
    let (_, _, b) = decode_png(&o.chip(w / 2.0, h / 2.0, 1, 1).expect("chip"));
    let diff = a.iter().zip(&b).take(3).map(|(p, q)| p.abs_diff(*q)).max();
    assert!(diff.is_some_and(|d| d <= 12), "{a:?} vs {b:?}");
    // Warping a north-up UTM square into lon/lat leaves transparent corner slivers.
    let (_, _, corner) = decode_png(&o.chip(0.5, 0.5, 1, 1).expect("corner"));
    assert_eq!(corner[3], 0, "corner pixel {corner:?}");
}
