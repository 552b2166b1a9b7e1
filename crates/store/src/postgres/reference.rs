//! Reference data on PostgreSQL ([`crate::reference`]).

use chrono::{DateTime, Utc};
use postgres::GenericClient;
use safeground_model::{Catalogue, CatalogueEntry};

use super::{Doing, PostgresStore, audit};
use crate::reference::{
    Adoption, CURRENT_FINDS, ReferenceState, ReferenceStore, adopted_catalogue, adoption_check,
    conflict_error, conflicts, decode_ordnance, encode_ordnance, publication_check, trust_change,
};
use crate::{Result, StoreError};

fn read_state<C: GenericClient>(c: &mut C) -> Result<ReferenceState> {
    let row = c
        .query_opt(
            "SELECT hub, card, version, document, ordnance::text, adopted_at \
             FROM reference_source WHERE id = 1",
            &[],
        )
        .doing("reading the reference data adopted")?;
    let Some(r) = row else {
        return Ok(ReferenceState::default());
    };
    let version: i64 = r.get(2);
    let ordnance: Option<String> = r.get(4);
    Ok(ReferenceState {
        hub: Some(r.get(0)),
        card: Some(r.get(1)),
        version: u64::try_from(version)
            .map_err(|_| StoreError::corrupt("reference_source.version", version))?,
        document: r.get(3),
        ordnance: decode_ordnance(ordnance.as_deref())?,
        adopted_at: r.get::<_, Option<DateTime<Utc>>>(5),
    })
}

/// The catalogue a node adopted, to check reports with (none before the first version).
pub(super) fn catalogue<C: GenericClient>(c: &mut C) -> Result<Option<Catalogue>> {
    read_state(c)?.catalogue()
}

fn sql_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl ReferenceStore for PostgresStore {
    fn trust_hub(&mut self, actor: &str, node: &str, card: &str) -> Result<()> {
        let mut tx = self.write_tx()?;
        if trust_change(&read_state(&mut tx)?, node, card)? {
            tx.execute(
                "INSERT INTO reference_source (id, hub, card) VALUES (1, $1, $2) \
                 ON CONFLICT (id) DO UPDATE SET hub = excluded.hub, card = excluded.card",
                &[&node, &card],
            )
            .doing("trusting the hub")?;
            audit(&mut tx, actor, "reference.trust", node, None)?;
        }
        tx.commit().doing("committing the hub's trust")?;
        Ok(())
    }

    fn reference(&self) -> Result<ReferenceState> {
        read_state(&mut *self.client()?)
    }

    fn adopt_reference(
        &mut self,
        actor: &str,
        version: u64,
        document: &str,
        ordnance: &[CatalogueEntry],
    ) -> Result<Adoption> {
        let catalogue = adopted_catalogue(version, ordnance)?;
        let mut tx = self.write_tx()?;
        if let Some(up_to_date) = adoption_check(&read_state(&mut tx)?, version)? {
            return Ok(up_to_date);
        }
        let sql = CURRENT_FINDS
            .replace("{model}", "(v.record->>'model')")
            .replace("{category}", "(v.record->>'category')");
        let rows = tx
            .query(&sql, &[])
            .doing("reading the current EO finds")?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect::<Vec<(String, String, String)>>();
        let found = conflicts(rows, &catalogue);
        if !found.is_empty() {
            return Err(conflict_error(version, &found));
        }
        tx.execute(
            "UPDATE reference_source SET version = $1, document = $2, \
             ordnance = $3::text::jsonb, adopted_at = $4 WHERE id = 1",
            &[
                &sql_int(version),
                &document,
                &encode_ordnance(ordnance)?,
                &Utc::now(),
            ],
        )
        .doing("adopting the reference data")?;
        audit(
            &mut tx,
            actor,
            "reference.adopt",
            &format!("version {version}"),
            Some(&format!("{} ordnance models", ordnance.len())),
        )?;
        tx.commit().doing("committing the reference data")?;
        Ok(Adoption::Adopted {
            version,
            models: ordnance.len(),
        })
    }

    fn publish_reference(&mut self, actor: &str, version: u64, document: &str) -> Result<()> {
        let mut tx = self.write_tx()?;
        let latest: i64 = tx
            .query_one(
                "SELECT coalesce(max(version), 0)::bigint FROM reference_published",
                &[],
            )
            .doing("reading the latest reference published")?
            .get(0);
        publication_check(latest.max(0) as u64, version)?;
        tx.execute(
            "INSERT INTO reference_published (version, document, published_by, published_at) \
             VALUES ($1, $2, $3, $4)",
            &[&sql_int(version), &document, &actor, &Utc::now()],
        )
        .doing("publishing the reference data")?;
        audit(
            &mut tx,
            actor,
            "reference.publish",
            &format!("version {version}"),
            None,
        )?;
        tx.commit().doing("committing the publication")?;
        Ok(())
    }

    fn published_reference(&self) -> Result<Option<(u64, String)>> {
        let row = self
            .client()?
            .query_opt(
                "SELECT version, document FROM reference_published \
                 ORDER BY version DESC LIMIT 1",
                &[],
            )
            .doing("reading the latest reference published")?;
        Ok(row.map(|r| (r.get::<_, i64>(0).max(0) as u64, r.get(1))))
    }
}
