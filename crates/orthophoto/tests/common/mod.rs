//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Whether a GDAL command-line tool runs here; prints why a test skips when not.
pub fn have(tool: &str) -> bool {
    let ok = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping: {tool} not found (install gdal-bin)");
    }
    ok
}

/// Runs a command, panicking with its stderr when it fails; returns stdout.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("command starts");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A textured RGB image (smooth gradients and a grid), row-major.
pub fn texture(width: u32, height: u32) -> Vec<u8> {
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            rgb.extend_from_slice(&pixel(x, y));
        }
    }
    rgb
}

/// The synthetic texture's colour at (x, y): never pure red (markers are).
pub fn pixel(x: u32, y: u32) -> [u8; 3] {
    let g = if x.is_multiple_of(64) || y.is_multiple_of(64) {
        40
    } else {
        0
    };
    [
        (60 + (x / 4) % 40) as u8,
        (90 + (y / 4) % 60 + g) as u8,
        (70 + ((x + y) / 8) % 50) as u8,
    ]
}

/// Decodes an RGBA PNG into (width, height, pixels).
pub fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let dec = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = dec.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    assert_eq!(info.color_type, png::ColorType::Rgba);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Ground distance in metres between two lon/lat points close to each other.
pub fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    let k = 111_320.0;
    let dx = (a.0 - b.0) * k * a.1.to_radians().cos();
    let dy = (a.1 - b.1) * k;
    dx.hypot(dy)
}

/// Transforms pixel/line positions of `file` with gdaltransform (to the file's CRS, or to
/// lon/lat with `to_lonlat`).
pub fn gdaltransform(file: &Path, pts: &[(f64, f64)], to_lonlat: bool) -> Vec<(f64, f64)> {
    use std::io::Write;
    let mut cmd = Command::new("gdaltransform");
    if to_lonlat {
        cmd.args(["-t_srs", "+proj=longlat +datum=WGS84 +no_defs"]);
    }
    cmd.arg(file)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("gdaltransform starts");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        for (x, y) in pts {
            writeln!(stdin, "{x} {y}").expect("write");
        }
    }
    let out = child.wait_with_output().expect("gdaltransform output");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: Vec<f64> = l
                .split_whitespace()
                .map(|t| t.parse().expect("number"))
                .collect();
            (v[0], v[1])
        })
        .collect()
}
