//! Resampling: XYZ Web Mercator tiles and image chips, rendered from a window of the best
//! resolution level with bilinear interpolation (nodata, alpha and masks respected), encoded as
//! PNG.

use std::f64::consts::PI;

use crate::OrthophotoError;
use crate::raster::Raster;

/// Tile size in pixels.
pub(crate) const TILE: usize = 256;
/// Most chunks a tile may read before the zoom counts as too coarse...
pub(crate) const MAX_CHUNKS: usize = 64;
/// ...unless they hold at most this many pixels (small strips).
pub(crate) const MAX_PIXELS: usize = MAX_CHUNKS * TILE * TILE;

/// Whether reading `chunks` chunks of `pixels` decoded pixels stays within `scale` budgets.
pub(crate) fn within_budget(chunks: usize, pixels: usize, scale: usize) -> bool {
    chunks <= MAX_CHUNKS * scale || pixels <= MAX_PIXELS * scale
}
/// Spacing of exactly projected grid points inside a tile (pixels between them are interpolated).
const GRID: usize = 16;
/// Web Mercator sphere radius, metres.
const RADIUS: f64 = 6_378_137.0;

/// WGS 84 lon/lat of a point of the XYZ grid given in tile units at zoom `z`.
pub(crate) fn tile_to_lonlat(z: u8, tx: f64, ty: f64) -> (f64, f64) {
    let n = f64::from(1u32 << z);
    let lon = tx / n * 360.0 - 180.0;
    let lat = (PI * (1.0 - 2.0 * ty / n)).sinh().atan().to_degrees();
    (lon, lat)
}

/// Web Mercator ground metres per tile pixel at zoom `z` and latitude `lat`.
pub(crate) fn metres_per_pixel(z: u8, lat: f64) -> f64 {
    2.0 * PI * RADIUS * lat.to_radians().cos() / (TILE as f64 * f64::from(1u32 << z))
}

/// The coarsest level whose pixels are no larger than `ratio` full-resolution pixels.
pub(crate) fn pick_level(raster: &Raster, ratio: f64) -> usize {
    let mut best = 0;
    for (i, l) in raster.levels.iter().enumerate() {
        if l.factor <= ratio * 1.01 {
            best = i;
        }
    }
    best
}

/// Chunks of level `li` a window of `(x0..x1, y0..y1)` level pixels touches.
fn chunk_span(raster: &Raster, li: usize, win: [i64; 4]) -> (u32, u32, u32, u32) {
    let l = &raster.levels[li];
    let cx0 = (win[0] / i64::from(l.chunk_w)) as u32;
    let cy0 = (win[1] / i64::from(l.chunk_h)) as u32;
    let cx1 = ((win[2] - 1) / i64::from(l.chunk_w)) as u32;
    let cy1 = ((win[3] - 1) / i64::from(l.chunk_h)) as u32;
    (cx0, cy0, cx1, cy1)
}

/// Samples `points` (full-resolution pixel coordinates, pixel centres at .5; NaN = none) from
/// level `li` into RGBA. Returns the pixels and whether any is visible; `None` when the window
/// needs more than `scale` read budgets ([`within_budget`]).
pub(crate) fn sample(
    raster: &Raster,
    li: usize,
    points: &[(f64, f64)],
    scale: usize,
) -> Result<Option<(Vec<u8>, bool)>, OrthophotoError> {
    let level = &raster.levels[li];
    let (lw, lh) = (i64::from(level.width), i64::from(level.height));
    // Level pixels per full-resolution pixel, per axis (GDAL rounds overview sizes).
    let sx = f64::from(level.width) / f64::from(raster.levels[0].width);
    let sy = f64::from(level.height) / f64::from(raster.levels[0].height);
    // Window of level pixels the samples need (with the bilinear neighbours).
    let mut win = [i64::MAX, i64::MAX, i64::MIN, i64::MIN];
    for &(x, y) in points {
        let (u, v) = (x * sx, y * sy);
        if !(u >= 0.0 && v >= 0.0 && u < lw as f64 && v < lh as f64) {
            continue;
        }
        let (fx, fy) = ((u - 0.5).floor() as i64, (v - 0.5).floor() as i64);
        win[0] = win[0].min(fx);
        win[1] = win[1].min(fy);
        win[2] = win[2].max(fx + 2);
        win[3] = win[3].max(fy + 2);
    }
    let mut out = vec![0u8; points.len() * 4];
    if win[0] == i64::MAX {
        return Ok(Some((out, false)));
    }
    win = [win[0].max(0), win[1].max(0), win[2].min(lw), win[3].min(lh)];
    let (cx0, cy0, cx1, cy1) = chunk_span(raster, li, win);
    let chunks = ((cx1 - cx0 + 1) as usize) * ((cy1 - cy0 + 1) as usize);
    let pixels = chunks * level.chunk_w as usize * level.chunk_h as usize;
    let (ww, wh) = ((win[2] - win[0]) as usize, (win[3] - win[1]) as usize);
    if !within_budget(chunks, pixels, scale) || ww * wh > MAX_PIXELS * scale {
        return Ok(None);
    }
    // Assemble the window as RGBA (alpha 0 for nodata).
    let mut window = vec![0u8; ww * wh * 4];
    let spp = raster.spp;
    for cy in cy0..=cy1 {
        for cx in cx0..=cx1 {
            let chunk = raster.chunk(li, cx, cy)?;
            let ox = i64::from(cx * level.chunk_w);
            let oy = i64::from(cy * level.chunk_h);
            let x0 = win[0].max(ox);
            let x1 = win[2].min(ox + i64::from(chunk.w));
            let y0 = win[1].max(oy);
            let y1 = win[3].min(oy + i64::from(chunk.h));
            for y in y0..y1 {
                let src_row = (y - oy) as usize * chunk.stride as usize;
                let dst_row = (y - win[1]) as usize * ww;
                for x in x0..x1 {
                    let s = (src_row + (x - ox) as usize) * spp;
                    let d = (dst_row + (x - win[0]) as usize) * 4;
                    let px = &chunk.data[s..s + spp];
                    let rgba = match spp {
                        _ if raster.ycbcr => ycbcr_to_rgba(px[0], px[1], px[2]),
                        1 => [px[0], px[0], px[0], 255],
                        3 => [px[0], px[1], px[2], 255],
                        _ => [px[0], px[1], px[2], px[3]],
                    };
                    let hidden = raster
                        .nodata
                        .is_some_and(|n| px.iter().take(spp.min(3)).all(|&v| v == n));
                    window[d..d + 4].copy_from_slice(&rgba);
                    if hidden {
                        window[d + 3] = 0;
                    }
                }
            }
        }
    }
    if level.mask.is_some() {
        apply_mask(raster, li, win, &mut window)?;
    }
    let mut any = false;
    for (i, &(x, y)) in points.iter().enumerate() {
        let (u, v) = (x * sx, y * sy);
        if !(u >= 0.0 && v >= 0.0 && u < lw as f64 && v < lh as f64) {
            continue;
        }
        let (gx, gy) = (u - 0.5 - win[0] as f64, v - 0.5 - win[1] as f64);
        let (fx, fy) = (gx.floor(), gy.floor());
        let (tx, ty) = (gx - fx, gy - fy);
        let clampx = |c: f64| (c.max(0.0) as usize).min(ww - 1);
        let clampy = |c: f64| (c.max(0.0) as usize).min(wh - 1);
        let (xa, xb, ya, yb) = (clampx(fx), clampx(fx + 1.0), clampy(fy), clampy(fy + 1.0));
        let mut acc = [0f64; 4];
        for (xx, yy, w) in [
            (xa, ya, (1.0 - tx) * (1.0 - ty)),
            (xb, ya, tx * (1.0 - ty)),
            (xa, yb, (1.0 - tx) * ty),
            (xb, yb, tx * ty),
        ] {
            let p = &window[(yy * ww + xx) * 4..(yy * ww + xx) * 4 + 4];
            let wa = w * f64::from(p[3]);
            acc[0] += wa * f64::from(p[0]);
            acc[1] += wa * f64::from(p[1]);
            acc[2] += wa * f64::from(p[2]);
            acc[3] += wa;
        }
        if acc[3] > 0.0 {
            let o = &mut out[i * 4..i * 4 + 4];
            for c in 0..3 {
                o[c] = (acc[c] / acc[3]).round().clamp(0.0, 255.0) as u8;
            }
            o[3] = acc[3].round().clamp(0.0, 255.0) as u8;
            any |= o[3] > 0;
        }
    }
    Ok(Some((out, any)))
}

/// Clears the alpha of the pixels of `window` (RGBA, level pixels `win`) that the mask of level
/// `li` hides. The mask may be chunked differently from the image.
fn apply_mask(
    raster: &Raster,
    li: usize,
    win: [i64; 4],
    window: &mut [u8],
) -> Result<(), OrthophotoError> {
    let Some(mask) = &raster.levels[li].mask else {
        return Ok(());
    };
    let (mw, mh) = (i64::from(mask.chunk_w), i64::from(mask.chunk_h));
    let ww = (win[2] - win[0]) as usize;
    for cy in (win[1] / mh) as u32..=((win[3] - 1) / mh) as u32 {
        for cx in (win[0] / mw) as u32..=((win[2] - 1) / mw) as u32 {
            let chunk = raster.mask_chunk(li, cx, cy)?;
            let (ox, oy) = (i64::from(cx) * mw, i64::from(cy) * mh);
            for y in win[1].max(oy)..win[3].min(oy + i64::from(chunk.h)) {
                let src = (y - oy) as usize * chunk.stride as usize;
                let dst = (y - win[1]) as usize * ww;
                for x in win[0].max(ox)..win[2].min(ox + i64::from(chunk.w)) {
                    if chunk.data[src + (x - ox) as usize] == 0 {
                        window[(dst + (x - win[0]) as usize) * 4 + 3] = 0;
                    }
                }
            }
        }
    }
    Ok(())
}

/// JPEG (JFIF) YCbCr to RGB.
fn ycbcr_to_rgba(y: u8, cb: u8, cr: u8) -> [u8; 4] {
    let (y, cb, cr) = (f32::from(y), f32::from(cb) - 128.0, f32::from(cr) - 128.0);
    let c = |v: f32| v.round().clamp(0.0, 255.0) as u8;
    [
        c(y + 1.402 * cr),
        c(y - 0.344_136 * cb - 0.714_136 * cr),
        c(y + 1.772 * cb),
        255,
    ]
}

/// Full-resolution pixel coordinates of the centres of a tile's pixels: projected exactly on a
/// grid every [`GRID`] pixels and interpolated bilinearly in between (sub-millimetre at these
/// scales). NaN where the projection fails.
pub(crate) fn tile_points(
    z: u8,
    x: u32,
    y: u32,
    to_pixel: impl Fn(f64, f64) -> Option<(f64, f64)>,
) -> Vec<(f64, f64)> {
    let n = TILE / GRID + 1;
    let mut grid = Vec::with_capacity(n * n);
    for gj in 0..n {
        for gi in 0..n {
            let tx = f64::from(x) + (gi * GRID) as f64 / TILE as f64 + 0.5 / TILE as f64;
            let ty = f64::from(y) + (gj * GRID) as f64 / TILE as f64 + 0.5 / TILE as f64;
            let (lon, lat) = tile_to_lonlat(z, tx, ty);
            grid.push(to_pixel(lon, lat).unwrap_or((f64::NAN, f64::NAN)));
        }
    }
    let mut pts = Vec::with_capacity(TILE * TILE);
    for j in 0..TILE {
        let (gj, fj) = (j / GRID, (j % GRID) as f64 / GRID as f64);
        for i in 0..TILE {
            let (gi, fi) = (i / GRID, (i % GRID) as f64 / GRID as f64);
            let a = grid[gj * n + gi];
            let b = grid[gj * n + gi + 1];
            let c = grid[(gj + 1) * n + gi];
            let d = grid[(gj + 1) * n + gi + 1];
            let lerp = |p: f64, q: f64, r: f64, s: f64| {
                (p * (1.0 - fi) + q * fi) * (1.0 - fj) + (r * (1.0 - fi) + s * fi) * fj
            };
            pts.push((lerp(a.0, b.0, c.0, d.0), lerp(a.1, b.1, c.1, d.1)));
        }
    }
    pts
}

/// Full-resolution pixels per output pixel around the middle of a tile's point grid.
pub(crate) fn points_ratio(pts: &[(f64, f64)], width: usize) -> f64 {
    let mid = (width / 2) * width + width / 2;
    let (a, b, c) = (pts[mid], pts[mid + 1], pts[mid + width]);
    let dx = (b.0 - a.0).hypot(b.1 - a.1);
    let dy = (c.0 - a.0).hypot(c.1 - a.1);
    let r = dx.min(dy);
    if r.is_finite() && r > 0.0 { r } else { 1.0 }
}

/// Encodes RGBA pixels as a PNG.
pub(crate) fn png_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, OrthophotoError> {
    let mut out = Vec::with_capacity(rgba.len() / 2);
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut w = enc
            .write_header()
            .map_err(|e| OrthophotoError::Encode(e.to_string()))?;
        w.write_image_data(rgba)
            .map_err(|e| OrthophotoError::Encode(e.to_string()))?;
    }
    Ok(out)
}
