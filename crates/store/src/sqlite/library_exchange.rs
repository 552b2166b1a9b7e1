//! Rows of received library documents on SQLite.

use chrono::Utc;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, audit, fmt_time};
use crate::Result;
use crate::library::target;
use crate::library_exchange::{Change, LibraryExchangeRows, audit_detail, moved};

impl LibraryExchangeRows for SqliteStore {
    fn origin_rows(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT document, node FROM library_origin")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn id_of_uuid(&self, uuid: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM library_document WHERE uuid = ?1",
                [uuid],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn write_received(
        &mut self,
        actor: &str,
        from: &str,
        changes: &[Change<'_>],
    ) -> Result<Vec<i64>> {
        let now = fmt_time(Utc::now());
        let tx = self.write_tx()?;
        let mut ids = Vec::with_capacity(changes.len());
        for c in changes {
            let m = &c.meta;
            let owner = &c.doc.owner;
            let id = match c.id {
                Some(id) => {
                    let found: i64 = tx.query_row(
                        "SELECT COALESCE(MAX(version), 0) FROM library_version WHERE document = ?1",
                        [id],
                        |r| r.get(0),
                    )?;
                    if found != c.held {
                        return Err(moved(c, found));
                    }
                    if c.meta_changed {
                        tx.execute(
                            "UPDATE library_document SET title = ?2, language = ?3, country = ?4, \
                             doc_type = ?5, imas_topic = ?6, access = ?7, organisation = ?8 \
                             WHERE id = ?1",
                            params![
                                id,
                                m.title,
                                m.language,
                                m.country,
                                m.doc_type,
                                m.imas_topic,
                                m.access,
                                m.organisation
                            ],
                        )?;
                    }
                    tx.execute(
                        "UPDATE library_origin SET received_at = ?2 WHERE document = ?1",
                        params![id, now],
                    )?;
                    id
                }
                None => {
                    let created = c
                        .doc
                        .versions
                        .first()
                        .map_or_else(Utc::now, |v| v.uploaded_at);
                    tx.execute(
                        "INSERT INTO library_document (uuid, title, language, country, doc_type, \
                         imas_topic, access, organisation, created_by, created_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        params![
                            c.doc.uuid,
                            m.title,
                            m.language,
                            m.country,
                            m.doc_type,
                            m.imas_topic,
                            m.access,
                            m.organisation,
                            owner,
                            fmt_time(created)
                        ],
                    )?;
                    let id = tx.last_insert_rowid();
                    tx.execute(
                        "INSERT INTO library_origin (document, node, received_at) \
                         VALUES (?1, ?2, ?3)",
                        params![id, owner, now],
                    )?;
                    id
                }
            };
            for (v, text) in &c.versions {
                let k = &v.content;
                tx.execute(
                    "INSERT INTO library_version (document, version, file_name, media_type, \
                     size_bytes, sha256, link, note, text, uploaded_by, uploaded_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    params![
                        id,
                        v.version,
                        k.file_name,
                        k.media_type,
                        k.size_bytes,
                        k.sha256,
                        k.link,
                        k.note,
                        text,
                        owner,
                        fmt_time(v.uploaded_at)
                    ],
                )?;
            }
            audit(
                &tx,
                actor,
                "library.receive",
                &target(id),
                Some(&audit_detail(from, c)),
            )?;
            ids.push(id);
        }
        tx.commit()?;
        Ok(ids)
    }
}
