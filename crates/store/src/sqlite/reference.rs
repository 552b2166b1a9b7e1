//! Reference data on SQLite ([`crate::reference`]).

use rusqlite::{Connection, OptionalExtension, params};
use safeground_model::{Catalogue, CatalogueEntry};

use super::{SqliteStore, audit, fmt_time, parse_time};
use crate::reference::{
    Adoption, CURRENT_FINDS, ReferenceState, ReferenceStore, adopted_catalogue, adoption_check,
    conflict_error, conflicts, decode_ordnance, encode_ordnance, publication_check, trust_change,
};
use crate::{Result, StoreError};

fn read_state(conn: &Connection) -> Result<ReferenceState> {
    let row = conn
        .query_row(
            "SELECT hub, card, version, document, ordnance, adopted_at \
             FROM reference_source WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((hub, card, version, document, ordnance, adopted_at)) = row else {
        return Ok(ReferenceState::default());
    };
    Ok(ReferenceState {
        hub: Some(hub),
        card: Some(card),
        version: u64::try_from(version)
            .map_err(|_| StoreError::corrupt("reference_source.version", version))?,
        document,
        ordnance: decode_ordnance(ordnance.as_deref())?,
        adopted_at: adopted_at.as_deref().map(parse_time).transpose()?,
    })
}

/// The catalogue a node adopted, to check reports with (none before the first version).
pub(super) fn catalogue(conn: &Connection) -> Result<Option<Catalogue>> {
    read_state(conn)?.catalogue()
}

impl ReferenceStore for SqliteStore {
    fn trust_hub(&mut self, actor: &str, node: &str, card: &str) -> Result<()> {
        let tx = self.write_tx()?;
        if trust_change(&read_state(&tx)?, node, card)? {
            tx.execute(
                "INSERT INTO reference_source (id, hub, card) VALUES (1, ?1, ?2) \
                 ON CONFLICT (id) DO UPDATE SET hub = excluded.hub, card = excluded.card",
                [node, card],
            )?;
            audit(&tx, actor, "reference.trust", node, None)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn reference(&self) -> Result<ReferenceState> {
        read_state(self.connection())
    }

    fn adopt_reference(
        &mut self,
        actor: &str,
        version: u64,
        document: &str,
        ordnance: &[CatalogueEntry],
    ) -> Result<Adoption> {
        let catalogue = adopted_catalogue(version, ordnance)?;
        let tx = self.write_tx()?;
        if let Some(up_to_date) = adoption_check(&read_state(&tx)?, version)? {
            return Ok(up_to_date);
        }
        let sql = CURRENT_FINDS
            .replace("{model}", "json_extract(v.record, '$.model')")
            .replace("{category}", "json_extract(v.record, '$.category')");
        let rows = tx
            .prepare(&sql)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<(String, String, String)>>>()?;
        let found = conflicts(rows, &catalogue);
        if !found.is_empty() {
            return Err(conflict_error(version, &found));
        }
        tx.execute(
            "UPDATE reference_source SET version = ?1, document = ?2, ordnance = ?3, \
             adopted_at = ?4 WHERE id = 1",
            params![
                i64::try_from(version).unwrap_or(i64::MAX),
                document,
                encode_ordnance(ordnance)?,
                fmt_time(chrono::Utc::now())
            ],
        )?;
        audit(
            &tx,
            actor,
            "reference.adopt",
            &format!("version {version}"),
            Some(&format!("{} ordnance models", ordnance.len())),
        )?;
        tx.commit()?;
        Ok(Adoption::Adopted {
            version,
            models: ordnance.len(),
        })
    }

    fn publish_reference(&mut self, actor: &str, version: u64, document: &str) -> Result<()> {
        let tx = self.write_tx()?;
        let latest: i64 = tx.query_row(
            "SELECT coalesce(max(version), 0) FROM reference_published",
            [],
            |r| r.get(0),
        )?;
        publication_check(latest.max(0) as u64, version)?;
        tx.execute(
            "INSERT INTO reference_published (version, document, published_by, published_at) \
             VALUES (?1, ?2, ?3, ?4)",
            params![
                i64::try_from(version).unwrap_or(i64::MAX),
                document,
                actor,
                fmt_time(chrono::Utc::now())
            ],
        )?;
        audit(
            &tx,
            actor,
            "reference.publish",
            &format!("version {version}"),
            None,
        )?;
        tx.commit()?;
        Ok(())
    }

    fn published_reference(&self) -> Result<Option<(u64, String)>> {
        let row: Option<(i64, String)> = self
            .connection()
            .query_row(
                "SELECT version, document FROM reference_published \
                 ORDER BY version DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.map(|(v, d)| (v.max(0) as u64, d)))
    }
}
