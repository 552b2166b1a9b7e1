//! `safeground tiles pack`: an offline map of an area for field devices, as one PMTiles file
//! (the same pack the app's "Download this area" button fetches from the server);
//! `safeground tiles basemap`: a programme's own vector basemap (MBTiles) from its GeoJSON
//! layers, for packs and `serve --offline-basemap`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Subcommand;
use safeground_store::Location;
use safeground_tile_pack::{Area, Basemap, geojson_layer, write_mbtiles};

/// Actions of `safeground tiles`.
#[derive(Subcommand, Debug)]
pub enum TilesCommand {
    /// Pack an area's hazards, released areas and EO finds (and the programme's vector
    /// basemap) into one PMTiles file for offline maps.
    Pack {
        /// Database.
        db: Location,
        /// The area: minlon,minlat,maxlon,maxlat (WGS 84 degrees).
        #[arg(long, allow_hyphen_values = true)]
        bbox: Area,
        /// Highest zoom.
        #[arg(long, default_value_t = safeground_server::DEFAULT_MAX_ZOOM)]
        maxzoom: u8,
        /// The programme's vector basemap (MBTiles or PMTiles).
        #[arg(long)]
        basemap: Option<PathBuf>,
        /// The file to write (`.pmtiles`).
        #[arg(long)]
        out: PathBuf,
    },
    /// Make a programme's vector basemap (an MBTiles file of Mapbox Vector Tiles) from GeoJSON
    /// layers of its admin boundaries, roads, settlements, …, for `tiles pack --basemap` and
    /// `serve --offline-basemap`.
    Basemap {
        /// A layer: NAME=FILE.geojson, a GeoJSON FeatureCollection of any geometries in WGS 84
        /// (string, number and boolean properties are kept). Repeat it for each layer; they
        /// are drawn in the order given. OpenMapTiles' names let common map styles draw them:
        /// boundary (admin boundaries), transportation (roads), place (settlements), water.
        #[arg(long = "layer", required = true, value_name = "NAME=FILE.geojson", value_parser = layer_arg)]
        layers: Vec<(String, PathBuf)>,
        /// The area: minlon,minlat,maxlon,maxlat (WGS 84 degrees).
        #[arg(long, allow_hyphen_values = true)]
        bbox: Area,
        /// Lowest zoom.
        #[arg(long, default_value_t = 0)]
        minzoom: u8,
        /// Highest zoom (packs show no basemap above it).
        #[arg(long, default_value_t = 14)]
        maxzoom: u8,
        /// Attribution of the data, carried into packs (e.g. "© OpenStreetMap contributors").
        #[arg(long)]
        attribution: Option<String>,
        /// The file to write (`.mbtiles`).
        #[arg(long)]
        out: PathBuf,
    },
}

/// Reads `NAME=FILE` of `--layer`.
fn layer_arg(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((name, file)) if !name.trim().is_empty() && !file.is_empty() => {
            Ok((name.trim().to_owned(), PathBuf::from(file)))
        }
        _ => Err(format!(
            "`{text}` is not NAME=FILE.geojson, e.g. transportation=roads.geojson"
        )),
    }
}

/// Runs `safeground tiles`.
pub fn run(action: TilesCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match action {
        TilesCommand::Pack {
            db,
            bbox,
            maxzoom,
            basemap,
            out: path,
        } => {
            // Opened here first so that an unusable basemap is refused with its reason.
            if let Some(basemap) = &basemap {
                Basemap::open(basemap)?;
            }
            let store = db.open().with_context(|| format!("opening {db}"))?;
            // Written beside the target and renamed: a failed or interrupted pack leaves no
            // file at `path` (the temporary one is removed on failure).
            let mut builder = tempfile::Builder::new();
            builder.prefix(".safeground-pack-").suffix(".partial");
            // Readable like any new file (the umask applies), not by its owner only.
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
            let mut partial = builder
                .tempfile_in(folder_of(&path))
                .with_context(|| format!("writing {}", path.display()))?;
            let summary = safeground_server::pack_programme(
                store.as_ref(),
                &bbox,
                maxzoom,
                basemap.as_deref(),
                partial.as_file_mut(),
            )?;
            partial.as_file().sync_all()?;
            partial
                .persist(&path)
                .with_context(|| format!("writing {}", path.display()))?;
            writeln!(
                out,
                "wrote {}: {} tiles at zooms {}–{}, {} bytes ({} basemap tiles merged)",
                path.display(),
                summary.tiles,
                summary.zooms.0,
                summary.zooms.1,
                summary.bytes,
                summary.basemap_tiles
            )?;
        }
        TilesCommand::Basemap {
            layers,
            bbox,
            minzoom,
            maxzoom,
            attribution,
            out: path,
        } => {
            let mut indexes = Vec::with_capacity(layers.len());
            for (name, file) in &layers {
                if layers.iter().filter(|(n, _)| n == name).count() > 1 {
                    bail!("layer `{name}` is given twice: give each layer one name");
                }
                let text = std::fs::read_to_string(file)
                    .with_context(|| format!("reading layer `{name}` from {}", file.display()))?;
                let layer = geojson_layer(name, &text)
                    .with_context(|| format!("reading {}", file.display()))?;
                indexes.push(layer);
            }
            let refs: Vec<_> = indexes.iter().collect();
            let summary = write_mbtiles(
                &refs,
                &bbox,
                minzoom,
                maxzoom,
                &path,
                attribution.as_deref(),
            )?;
            let counts: Vec<String> = indexes
                .iter()
                .map(|l| format!("{} ({} features)", l.name(), l.len()))
                .collect();
            writeln!(
                out,
                "wrote {}: {} tiles at zooms {}–{}, {} bytes; layers {}",
                path.display(),
                summary.tiles,
                summary.zooms.0,
                summary.zooms.1,
                summary.bytes,
                counts.join(", ")
            )?;
        }
    }
    Ok(())
}

/// The folder of `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}
