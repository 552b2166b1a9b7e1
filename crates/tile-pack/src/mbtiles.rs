//! Reading an MBTiles basemap (SQLite): its `metadata` rows and its `tiles` table or view, whose
//! rows are in the TMS scheme (row 0 at the south).

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

/// An open MBTiles file.
#[derive(Debug)]
pub(crate) struct MbTiles {
    connection: Connection,
}

impl MbTiles {
    /// Opens the file read-only and checks that it has a `tiles` table or view.
    ///
    /// # Errors
    /// A reason when SQLite cannot open it or it has no `tiles`.
    pub(crate) fn open(path: &Path) -> Result<Self, String> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags)
            .map_err(|e| format!("SQLite cannot open it ({e})"))?;
        let tiles: Option<String> = connection
            .query_row(
                "SELECT name FROM sqlite_master WHERE name = 'tiles' AND type IN ('table', 'view')",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| format!("SQLite cannot read it ({e})"))?;
        if tiles.is_none() {
            return Err("it is an SQLite file without a `tiles` table: not an MBTiles file".into());
        }
        Ok(Self { connection })
    }

    /// The value of metadata row `name`, `None` when absent (or without a metadata table).
    pub(crate) fn metadata(&self, name: &str) -> Option<String> {
        self.connection
            .query_row(
                "SELECT value FROM metadata WHERE name = ?1",
                [name],
                |row| row.get(0),
            )
            .ok()
    }

    /// Some tile of the file (to recognise its format), `None` when it has none.
    ///
    /// # Errors
    /// A reason when the query fails.
    pub(crate) fn any_tile(&self) -> Result<Option<Vec<u8>>, String> {
        self.connection
            .query_row("SELECT tile_data FROM tiles LIMIT 1", [], |row| row.get(0))
            .optional()
            .map_err(|e| format!("its tiles cannot be read ({e})"))
    }

    /// Lowest and highest zoom: the `minzoom`/`maxzoom` metadata, else those of the tiles.
    ///
    /// # Errors
    /// A reason when the query fails.
    pub(crate) fn zooms(&self) -> Result<(u8, u8), String> {
        let meta = |name| {
            self.metadata(name)
                .and_then(|v| v.trim().parse::<u8>().ok())
        };
        if let (Some(min), Some(max)) = (meta("minzoom"), meta("maxzoom")) {
            return Ok((min, max));
        }
        let (min, max): (Option<i64>, Option<i64>) = self
            .connection
            .query_row(
                "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|e| format!("its zoom levels cannot be read ({e})"))?;
        let zoom = |z: Option<i64>| z.and_then(|z| u8::try_from(z).ok()).unwrap_or(0);
        Ok((zoom(min), zoom(max)))
    }

    /// The stored bytes of XYZ tile `z/x/y`, `None` when absent.
    ///
    /// # Errors
    /// A reason when the query fails.
    pub(crate) fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, String> {
        let row = (1i64 << z) - 1 - i64::from(y);
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT tile_data FROM tiles \
                 WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
            )
            .map_err(|e| format!("its tiles cannot be read ({e})"))?;
        statement
            .query_row(params![z, i64::from(x), row], |row| row.get(0))
            .optional()
            .map_err(|e| format!("tile {z}/{x}/{y} cannot be read ({e})"))
    }
}
