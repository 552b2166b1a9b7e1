//! Rows of received library documents on PostgreSQL.

use chrono::Utc;

use super::{Doing, PostgresStore, audit};
use crate::Result;
use crate::library::target;
use crate::library_exchange::{Change, LibraryExchangeRows, audit_detail, moved};

const DOING: &str = "reading the library's origins";

impl LibraryExchangeRows for PostgresStore {
    fn origin_rows(&self) -> Result<Vec<(i64, String)>> {
        self.client()?
            .query("SELECT document, node FROM library_origin", &[])
            .doing(DOING)?
            .iter()
            .map(|r| Ok((r.try_get(0).doing(DOING)?, r.try_get(1).doing(DOING)?)))
            .collect()
    }

    fn id_of_uuid(&self, uuid: &str) -> Result<Option<i64>> {
        let row = self
            .client()?
            .query_opt("SELECT id FROM library_document WHERE uuid = $1", &[&uuid])
            .doing(DOING)?;
        row.map(|r| r.try_get(0).doing(DOING)).transpose()
    }

    fn write_received(
        &mut self,
        actor: &str,
        from: &str,
        changes: &[Change<'_>],
    ) -> Result<Vec<i64>> {
        let doing = "receiving library documents";
        let now = Utc::now();
        let mut tx = self.write_tx()?;
        let mut ids = Vec::with_capacity(changes.len());
        for c in changes {
            let m = &c.meta;
            let owner = &c.doc.owner;
            let id = match c.id {
                Some(id) => {
                    tx.execute(
                        "SELECT 1 FROM library_document WHERE id = $1 FOR UPDATE",
                        &[&id],
                    )
                    .doing(doing)?;
                    let found: i64 = tx
                        .query_one(
                            "SELECT COALESCE(MAX(version), 0)::bigint FROM library_version \
                             WHERE document = $1",
                            &[&id],
                        )
                        .doing(doing)?
                        .try_get(0)
                        .doing(doing)?;
                    if found != c.held {
                        return Err(moved(c, found));
                    }
                    if c.meta_changed {
                        tx.execute(
                            "UPDATE library_document SET title = $2, language = $3, \
                             country = $4, doc_type = $5, imas_topic = $6, access = $7, \
                             organisation = $8 WHERE id = $1",
                            &[
                                &id,
                                &m.title,
                                &m.language,
                                &m.country,
                                &m.doc_type,
                                &m.imas_topic,
                                &m.access,
                                &m.organisation,
                            ],
                        )
                        .doing(doing)?;
                    }
                    tx.execute(
                        "UPDATE library_origin SET received_at = $2 WHERE document = $1",
                        &[&id, &now],
                    )
                    .doing(doing)?;
                    id
                }
                None => {
                    let created = c
                        .doc
                        .versions
                        .first()
                        .map_or_else(Utc::now, |v| v.uploaded_at);
                    let id: i64 = tx
                        .query_one(
                            "INSERT INTO library_document (uuid, title, language, country, \
                             doc_type, imas_topic, access, organisation, created_by, created_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                            &[
                                &c.doc.uuid,
                                &m.title,
                                &m.language,
                                &m.country,
                                &m.doc_type,
                                &m.imas_topic,
                                &m.access,
                                &m.organisation,
                                owner,
                                &created,
                            ],
                        )
                        .doing(doing)?
                        .try_get(0)
                        .doing(doing)?;
                    tx.execute(
                        "INSERT INTO library_origin (document, node, received_at) \
                         VALUES ($1, $2, $3)",
                        &[&id, owner, &now],
                    )
                    .doing(doing)?;
                    id
                }
            };
            for (v, text) in &c.versions {
                let k = &v.content;
                tx.execute(
                    "INSERT INTO library_version (document, version, file_name, media_type, \
                     size_bytes, sha256, link, note, text, uploaded_by, uploaded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    &[
                        &id,
                        &v.version,
                        &k.file_name,
                        &k.media_type,
                        &k.size_bytes,
                        &k.sha256,
                        &k.link,
                        &k.note,
                        text,
                        owner,
                        &v.uploaded_at,
                    ],
                )
                .doing(doing)?;
            }
            audit(
                &mut tx,
                actor,
                "library.receive",
                &target(id),
                Some(&audit_detail(from, c)),
            )?;
            ids.push(id);
        }
        tx.commit().doing(doing)?;
        Ok(ids)
    }
}
