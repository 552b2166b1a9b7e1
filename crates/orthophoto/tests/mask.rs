//! GDAL internal transparency masks: pixels GDAL reports masked (its own mask band, read out
//! with gdal_translate, at full resolution and per overview) are transparent in our chips and
//! tiles, the others opaque with GDAL's colour. Masks this reader cannot use (wrong size) are
//! ignored without losing nodata; a damaged mask fails with an error naming the file; a mask
//! chunked unlike its image works. GDAL-made files skip with a printed reason without GDAL.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use safeground_orthophoto::{Orthophoto, OrthophotoError, Transparency, write_geotiff};

use common::{decode_png, have, run, texture};

const W: u32 = 300;
const H: u32 = 200;
/// UTM 48N, 10 cm pixels.
const GT: [f64; 6] = [488_000.0, 0.1, 0.0, 1_277_500.0, 0.0, -0.1];

/// Inside the flown area: an ellipse whose edge crosses bytes and chunks at all angles.
fn flown(x: u32, y: u32) -> bool {
    let (dx, dy) = (f64::from(x) + 0.5 - 150.0, f64::from(y) + 0.5 - 100.0);
    (dx / 140.0).powi(2) + (dy / 90.0).powi(2) <= 1.0
}

/// An RGB image black (0) outside the flown area, written by our writer.
fn collared(dir: &Path) -> PathBuf {
    let mut rgb = texture(W, H);
    for y in 0..H {
        for x in 0..W {
            if !flown(x, y) {
                let i = ((y * W + x) * 3) as usize;
                rgb[i..i + 3].fill(0);
            }
        }
    }
    let path = dir.join("collared.tif");
    write_geotiff(&path, W, H, &rgb, 32648, GT).expect("write");
    path
}

fn translate(args: &[&str], src: &Path, dst: &Path) {
    run(Command::new("gdal_translate")
        .arg("-q")
        .args(args)
        .arg(src)
        .arg(dst));
}

/// A binary PNM (P5 gray or P6 RGB) as (width, height, samples).
fn read_pnm(path: &Path) -> (usize, usize, Vec<u8>) {
    let bytes = std::fs::read(path).expect("pnm");
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    let (w, h): (usize, usize) = (fields[1].parse().expect("w"), fields[2].parse().expect("h"));
    let data = bytes[i + 1..].to_vec();
    let spp = if fields[0] == "P6" { 3 } else { 1 };
    assert_eq!(data.len(), w * h * spp, "{path:?}");
    (w, h, data)
}

/// GDAL's view of overview `ovr` (None: full resolution): its mask band and its RGB.
fn gdal_level(file: &Path, ovr: Option<usize>) -> (usize, usize, Vec<u8>, Vec<u8>) {
    let dir = file.parent().expect("dir");
    let tag = ovr.map_or("full".to_string(), |o| format!("ovr{o}"));
    let (m, c) = (
        dir.join(format!("mask-{tag}.pgm")),
        dir.join(format!("rgb-{tag}.ppm")),
    );
    let level = ovr.map(|o| o.to_string());
    let mut args = vec!["-of", "PNM"];
    if let Some(l) = &level {
        args.extend(["-ovr", l.as_str()]);
    }
    translate(&[&args[..], &["-b", "mask"]].concat(), file, &m);
    translate(
        &[&args[..], &["-b", "1", "-b", "2", "-b", "3"]].concat(),
        file,
        &c,
    );
    let (w, h, mask) = read_pnm(&m);
    let (_, _, rgb) = read_pnm(&c);
    (w, h, mask, rgb)
}

/// Chips that hit the pixel centres of the level `factor` times coarser than the image exactly
/// match GDAL's mask there (alpha 0 or 255) and, where opaque, its colour (`colour` false:
/// JPEG, whose YCbCr conversion differs slightly).
fn check_chip(o: &Orthophoto, factor: u32, gdal: &(usize, usize, Vec<u8>, Vec<u8>), colour: bool) {
    let (lw, lh, mask, rgb) = gdal;
    // Centre (152, 100), 152 px each way: the window starts at (0, -52), a multiple of 4.
    let out = 304 / factor;
    let (_, _, px) = decode_png(&o.chip(152.0, 100.0, 152, out).expect("chip"));
    let shift = 52 / factor as i64;
    let (mut hidden, mut shown) = (0, 0);
    for j in 0..out as i64 {
        for i in 0..out as i64 {
            let p = &px[((j * out as i64 + i) * 4) as usize..][..4];
            let (x, y) = (i, j - shift);
            if x >= *lw as i64 || y < 0 || y >= *lh as i64 {
                assert_eq!(p[3], 0, "outside the image at {i},{j}");
                continue;
            }
            let k = y as usize * lw + x as usize;
            assert_eq!(
                p[3], mask[k],
                "alpha vs GDAL mask at level pixel {x},{y} (1/{factor})"
            );
            if mask[k] == 255 {
                shown += 1;
                if colour {
                    assert_eq!(
                        &p[..3],
                        &rgb[k * 3..k * 3 + 3],
                        "colour at {x},{y} (1/{factor})"
                    );
                }
            } else {
                hidden += 1;
            }
        }
    }
    assert!(
        hidden > 0 && shown > 0,
        "1/{factor}: {hidden} masked, {shown} shown"
    );
}

/// Tiles around the native zoom: where GDAL's mask of the level a tile reads from is 0 (or
/// 255) over the 3x3 neighbourhood of a tile pixel's source, the pixel is transparent (opaque).
fn check_tiles(o: &Orthophoto, levels: &[(usize, usize, Vec<u8>, Vec<u8>)]) {
    let info = o.info();
    let native = info.maxzoom - 2;
    let lat = (info.bbox[1] + info.bbox[3]) / 2.0;
    let mut seen = std::collections::BTreeSet::new();
    for z in native.saturating_sub(3).max(info.minzoom)..=native {
        let n = f64::from(1u32 << z);
        let tx = |lon: f64| ((lon + 180.0) / 360.0 * n).floor() as u32;
        let ty = |lat: f64| {
            ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n).floor() as u32
        };
        let mpp = 2.0 * std::f64::consts::PI * 6_378_137.0 * lat.to_radians().cos() / (256.0 * n);
        let ratio = mpp / info.resolution_m;
        // The level the tile reads (as the renderer picks it): the coarsest not coarser than
        // the tile pixels.
        let li = (0..levels.len())
            .filter(|&l| f64::from(1u32 << l) <= ratio * 1.01)
            .max()
            .unwrap_or(0);
        seen.insert(li);
        let (lw, lh, mask, _) = &levels[li];
        let scale = *lw as f64 / f64::from(info.width);
        let (mut hidden, mut shown) = (0, 0);
        for x in tx(info.bbox[0])..=tx(info.bbox[2]) {
            for y in ty(info.bbox[3])..=ty(info.bbox[1]) {
                let Some(png) = o.tile(z, x, y).expect("tile") else {
                    continue;
                };
                let (_, _, px) = decode_png(&png);
                for (k, p) in px.chunks(4).enumerate() {
                    let fx = f64::from(x) + ((k % 256) as f64 + 0.5) / 256.0;
                    let fy = f64::from(y) + ((k / 256) as f64 + 0.5) / 256.0;
                    let lon = fx / n * 360.0 - 180.0;
                    let la = (std::f64::consts::PI * (1.0 - 2.0 * fy / n))
                        .sinh()
                        .atan()
                        .to_degrees();
                    let (sx, sy) = o.wgs84_to_pixel(lon, la).expect("pixel");
                    let (u, v) = ((sx * scale).floor() as i64, (sy * scale).floor() as i64);
                    let mut around = Vec::new();
                    for dy in -1..=1 {
                        for dx in -1..=1 {
                            let (a, b) = (u + dx, v + dy);
                            if a >= 0 && b >= 0 && a < *lw as i64 && b < *lh as i64 {
                                around.push(mask[b as usize * lw + a as usize]);
                            }
                        }
                    }
                    if around.len() < 9 {
                        continue;
                    }
                    if around.iter().all(|&m| m == 0) {
                        assert_eq!(p[3], 0, "z{z} tile {x}/{y} pixel {k}: masked in GDAL");
                        hidden += 1;
                    } else if around.iter().all(|&m| m == 255) {
                        assert_eq!(p[3], 255, "z{z} tile {x}/{y} pixel {k}: shown in GDAL");
                        shown += 1;
                    }
                }
            }
        }
        eprintln!("z{z} (level {li}): {hidden} masked, {shown} shown tile pixels checked");
        assert!(
            hidden > 0 && shown > 0,
            "z{z}: {hidden} masked, {shown} shown"
        );
    }
    assert!(seen.len() >= 2, "tiles read levels {seen:?}");
}

#[test]
fn gdal_masks_are_transparent_at_every_level() {
    if !have("gdal_translate") || !have("gdaladdo") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let src = collared(dir.path());
    let nodata = dir.path().join("nodata.tif");
    translate(&["-a_nodata", "0"], &src, &nodata);
    // (name, creation options, overview levels, exact colours)
    let cases: [(&str, &[&str], bool); 3] = [
        (
            "tiled-deflate",
            &[
                "-co",
                "TILED=YES",
                "-co",
                "BLOCKXSIZE=128",
                "-co",
                "BLOCKYSIZE=128",
                "-co",
                "COMPRESS=DEFLATE",
            ],
            true,
        ),
        // Strips: rows of 300 bits, padded to 38 bytes.
        (
            "strips-lzw",
            &["-co", "TILED=NO", "-co", "COMPRESS=LZW"],
            true,
        ),
        // The usual drone delivery: JPEG image, Deflate mask.
        (
            "tiled-jpeg",
            &[
                "-co",
                "TILED=YES",
                "-co",
                "COMPRESS=JPEG",
                "-co",
                "PHOTOMETRIC=YCBCR",
            ],
            false,
        ),
    ];
    for (name, options, colour) in cases {
        let file = dir.path().join(format!("{name}.tif"));
        let mut args = vec![
            "-b",
            "1",
            "-b",
            "2",
            "-b",
            "3",
            "-mask",
            "1",
            "-a_nodata",
            "none",
        ];
        args.extend(options);
        args.extend(["--config", "GDAL_TIFF_INTERNAL_MASK", "YES"]);
        translate(&args, &nodata, &file);
        run(Command::new("gdaladdo")
            .args([
                "-q",
                "-r",
                "average",
                "--config",
                "GDAL_TIFF_INTERNAL_MASK",
                "YES",
            ])
            .arg(&file)
            .args(["2", "4"]));
        let info = run(Command::new("gdalinfo").arg(&file));
        assert!(info.contains("Mask Flags: PER_DATASET"), "{info}");
        assert!(
            info.contains("Overviews of mask band: 150x100, 75x50"),
            "{info}"
        );
        assert!(!info.contains("NoData"), "{info}");
        let o = Orthophoto::open(&file).expect("open");
        assert_eq!(o.info().transparency, Transparency::Mask, "{name}");
        assert_eq!(o.info().overviews, 2, "{name}");
        let levels = [
            gdal_level(&file, None),
            gdal_level(&file, Some(0)),
            gdal_level(&file, Some(1)),
        ];
        for (l, gdal) in levels.iter().enumerate() {
            check_chip(&o, 1 << l, gdal, colour);
        }
        check_tiles(&o, &levels);
        eprintln!(
            "{name}: chips and tiles agree with GDAL's mask at full resolution and 2 overviews"
        );
    }
}

#[test]
fn a_mask_of_no_levels_size_is_ignored_and_nodata_survives() {
    if !have("gdal_translate") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let src = collared(dir.path());
    let plain = dir.path().join("plain.tif");
    translate(&["-a_nodata", "0", "-co", "TILED=YES"], &src, &plain);
    // A mask of no level's size is ignored; nodata still hides the collar.
    let odd = dir.path().join("odd.tif");
    std::fs::copy(&plain, &odd).expect("copy");
    append_mask(&odd, W - 1, H, H, 1, None, |_, _| false);
    let o = Orthophoto::open(&odd).expect("open");
    assert_eq!(o.info().transparency, Transparency::Nodata(0));
    let (_, _, corner) = decode_png(&o.chip(2.0, 2.0, 2, 4).expect("chip"));
    assert!(corner.chunks(4).all(|p| p[3] == 0), "nodata lost");
    let (_, _, centre) = decode_png(&o.chip(150.0, 100.0, 2, 4).expect("chip"));
    assert!(
        centre.chunks(4).all(|p| p[3] == 255),
        "mask of the wrong size applied"
    );
}

/// Appends an uncompressed (or, with `stored`, arbitrary) 1-bit transparency mask IFD of
/// `w` x `h` pixels in strips of `rows` rows to a classic little-endian TIFF, chained after its
/// last IFD; `bits(x, y)` is true where a pixel shows.
fn append_mask(
    path: &Path,
    w: u32,
    h: u32,
    rows: u32,
    compression: u16,
    stored: Option<Vec<u8>>,
    bits: impl Fn(u32, u32) -> bool,
) {
    let mut file = std::fs::read(path).expect("read");
    assert_eq!(&file[..4], b"II*\0", "classic little-endian TIFF");
    let u16_at = |f: &[u8], o: usize| u16::from_le_bytes([f[o], f[o + 1]]) as usize;
    let u32_at =
        |f: &[u8], o: usize| u32::from_le_bytes([f[o], f[o + 1], f[o + 2], f[o + 3]]) as usize;
    let mut ifd = u32_at(&file, 4);
    let last_next = loop {
        let next_at = ifd + 2 + 12 * u16_at(&file, ifd);
        match u32_at(&file, next_at) {
            0 => break next_at,
            next => ifd = next,
        }
    };
    let row = w.div_ceil(8) as usize;
    let mut offsets = Vec::new();
    let mut counts = Vec::new();
    for s in 0..h.div_ceil(rows) {
        if file.len() % 2 == 1 {
            file.push(0);
        }
        offsets.push(file.len() as u32);
        let strip = match &stored {
            Some(bytes) => bytes.clone(),
            None => {
                let mut strip = Vec::new();
                for y in s * rows..(s * rows + rows).min(h) {
                    let mut packed = vec![0u8; row];
                    for x in 0..w {
                        if bits(x, y) {
                            packed[x as usize / 8] |= 0x80 >> (x % 8);
                        }
                    }
                    strip.extend(packed);
                }
                strip
            }
        };
        counts.push(strip.len() as u32);
        file.extend(strip);
    }
    let array = |values: &[u32], file: &mut Vec<u8>| {
        if values.len() == 1 {
            return values[0];
        }
        if file.len() % 2 == 1 {
            file.push(0);
        }
        let at = file.len() as u32;
        values.iter().for_each(|v| file.extend(v.to_le_bytes()));
        at
    };
    let n = offsets.len() as u32;
    let offsets_at = array(&offsets, &mut file);
    let counts_at = array(&counts, &mut file);
    if file.len() % 2 == 1 {
        file.push(0);
    }
    let at = file.len() as u32;
    let entries: [(u16, u16, u32, u32); 10] = [
        (254, 4, 1, 4),
        (256, 4, 1, w),
        (257, 4, 1, h),
        (258, 3, 1, 1),
        (259, 3, 1, u32::from(compression)),
        (262, 3, 1, 4),
        (273, 4, n, offsets_at),
        (277, 3, 1, 1),
        (278, 4, 1, rows),
        (279, 4, n, counts_at),
    ];
    file.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, count, value) in entries {
        file.extend(tag.to_le_bytes());
        file.extend(kind.to_le_bytes());
        file.extend(count.to_le_bytes());
        file.extend(value.to_le_bytes());
    }
    file.extend(0u32.to_le_bytes());
    file[last_next..last_next + 4].copy_from_slice(&at.to_le_bytes());
    std::fs::write(path, file).expect("write");
}

#[test]
fn a_mask_in_strips_serves_a_tiled_image() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("strips.tif");
    write_geotiff(&path, W, H, &texture(W, H), 32648, GT).expect("write");
    // 7-row strips of 300 bits (38 bytes a row) beside 256 px image tiles.
    append_mask(&path, W, H, 7, 1, None, flown);
    if have("gdalinfo") {
        let info = run(Command::new("gdalinfo").arg(&path));
        assert!(
            info.contains("Mask Flags: PER_DATASET"),
            "GDAL sees the mask: {info}"
        );
    }
    let o = Orthophoto::open(&path).expect("open");
    assert_eq!(o.info().transparency, Transparency::Mask);
    let (_, _, px) = decode_png(&o.chip(152.0, 100.0, 152, 304).expect("chip"));
    for y in 0..H {
        for x in 0..W {
            let a = px[(((y + 52) * 304 + x) * 4 + 3) as usize];
            assert_eq!(a, if flown(x, y) { 255 } else { 0 }, "pixel {x},{y}");
        }
    }
    // The writer's overviews have no mask: drawn opaque rather than guessed.
    let (_, _, coarse) = decode_png(&o.chip(152.0, 100.0, 152, 152).expect("chip"));
    assert_eq!(coarse[((26 * 152) * 4 + 3) as usize], 255);
    // A tile over the image renders with transparent collar pixels.
    let native = o.info().maxzoom - 2;
    let (lon, lat) = o.pixel_to_wgs84(1.0, 1.0).expect("corner");
    let n = f64::from(1u32 << native);
    let x = ((lon + 180.0) / 360.0 * n) as u32;
    let y = ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n) as u32;
    let tile = o.tile(native, x, y).expect("tile");
    let (_, _, t) = decode_png(&tile.expect("touches the image"));
    assert!(t.chunks(4).any(|p| p[3] == 0) && t.chunks(4).any(|p| p[3] == 255));
}

#[test]
fn a_damaged_mask_fails_with_the_file_name_and_never_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Deflate chunks of garbage.
    let garbage = dir.path().join("garbage.tif");
    write_geotiff(&garbage, W, H, &texture(W, H), 32648, GT).expect("write");
    append_mask(&garbage, W, H, 100, 8, Some(vec![0x5a; 40]), |_, _| true);
    // Too few bytes for an uncompressed strip.
    let short = dir.path().join("short.tif");
    write_geotiff(&short, W, H, &texture(W, H), 32648, GT).expect("write");
    append_mask(&short, W, H, H, 1, Some(vec![0xff; 100]), |_, _| true);
    for path in [&garbage, &short] {
        let o = Orthophoto::open(path).expect("opens: damage shows only when read");
        assert_eq!(o.info().transparency, Transparency::Mask);
        let err = o.chip(150.0, 100.0, 4, 8).expect_err("damaged mask");
        let msg = err.to_string();
        assert!(matches!(err, OrthophotoError::Decode(_)), "{msg}");
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(msg.contains("-mask none"), "{msg}");
        // Overviews have no mask, so they still draw.
        o.chip(150.0, 100.0, 100, 25).expect("overview chip");
    }
}
