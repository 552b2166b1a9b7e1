//! `safeground tiles pack`: an offline map of an area for field devices, as one PMTiles file
//! (the same pack the app's "Download this area" button fetches from the server).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use safeground_store::Location;
use safeground_tile_pack::Area;

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
            let store = db.open().with_context(|| format!("opening {db}"))?;
            // Written beside the target and renamed: an interrupted pack leaves no half file.
            let partial = path.with_extension("pmtiles.partial");
            let mut file = std::fs::File::create(&partial)
                .with_context(|| format!("creating {}", partial.display()))?;
            let summary = safeground_server::pack_programme(
                store.as_ref(),
                &bbox,
                maxzoom,
                basemap.as_deref(),
                &mut file,
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            file.sync_all()?;
            std::fs::rename(&partial, &path)
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
    }
    Ok(())
}
