//! Rows of the document library on SQLite.

use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, audit, fmt_time, parse_time};
use crate::Result;
use crate::library::{
    DocumentMeta, DocumentVersion, LibraryDocument, LibraryRows, VersionContent, audit_detail,
    target,
};

fn insert_version_row(
    tx: &rusqlite::Transaction<'_>,
    actor: &str,
    id: i64,
    version: i64,
    c: &VersionContent,
    text: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO library_version (document, version, file_name, media_type, size_bytes, \
         sha256, link, note, text, uploaded_by, uploaded_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            id,
            version,
            c.file_name,
            c.media_type,
            c.size_bytes,
            c.sha256,
            c.link,
            c.note,
            text,
            actor,
            fmt_time(chrono::Utc::now())
        ],
    )?;
    Ok(())
}

impl LibraryRows for SqliteStore {
    fn insert_document(
        &mut self,
        actor: &str,
        uuid: &str,
        m: &DocumentMeta,
        content: &VersionContent,
        text: &str,
    ) -> Result<i64> {
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO library_document (uuid, title, language, country, doc_type, imas_topic, \
             access, organisation, created_by, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                uuid,
                m.title,
                m.language,
                m.country,
                m.doc_type,
                m.imas_topic,
                m.access,
                m.organisation,
                actor,
                fmt_time(chrono::Utc::now())
            ],
        )?;
        let id = tx.last_insert_rowid();
        insert_version_row(&tx, actor, id, 1, content, text)?;
        audit(
            &tx,
            actor,
            "library.add",
            &target(id),
            Some(&format!("{}: {}", m.title, audit_detail(content))),
        )?;
        tx.commit()?;
        Ok(id)
    }

    fn insert_version(
        &mut self,
        actor: &str,
        id: i64,
        content: &VersionContent,
        text: &str,
    ) -> Result<i64> {
        let tx = self.write_tx()?;
        let version: i64 = tx.query_row(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM library_version WHERE document = ?1",
            [id],
            |r| r.get(0),
        )?;
        insert_version_row(&tx, actor, id, version, content, text)?;
        audit(
            &tx,
            actor,
            "library.version",
            &target(id),
            Some(&format!("version {version}: {}", audit_detail(content))),
        )?;
        tx.commit()?;
        Ok(version)
    }

    fn update_meta(&mut self, actor: &str, id: i64, m: &DocumentMeta) -> Result<()> {
        let tx = self.write_tx()?;
        tx.execute(
            "UPDATE library_document SET title = ?2, language = ?3, country = ?4, doc_type = ?5, \
             imas_topic = ?6, access = ?7, organisation = ?8 WHERE id = ?1",
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
        audit(&tx, actor, "library.edit", &target(id), Some(&m.title))?;
        tx.commit()?;
        Ok(())
    }

    fn document_rows(&self, id: Option<i64>) -> Result<Vec<LibraryDocument>> {
        let mut docs = Vec::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, uuid, title, language, country, doc_type, imas_topic, access, \
                 organisation, created_by, created_at FROM library_document \
                 WHERE ?1 IS NULL OR id = ?1 ORDER BY id DESC",
            )?;
            let mut rows = stmt.query([id])?;
            while let Some(r) = rows.next()? {
                let created: String = r.get(10)?;
                docs.push(LibraryDocument {
                    id: r.get(0)?,
                    uuid: r.get(1)?,
                    meta: DocumentMeta {
                        title: r.get(2)?,
                        language: r.get(3)?,
                        country: r.get(4)?,
                        doc_type: r.get(5)?,
                        imas_topic: r.get(6)?,
                        access: r.get(7)?,
                        organisation: r.get(8)?,
                    },
                    created_by: r.get(9)?,
                    created_at: parse_time(&created)?,
                    versions: Vec::new(),
                });
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT document, version, file_name, media_type, size_bytes, sha256, link, note, \
             uploaded_by, uploaded_at FROM library_version \
             WHERE ?1 IS NULL OR document = ?1 ORDER BY document, version",
        )?;
        let mut rows = stmt.query([id])?;
        let by_id: std::collections::HashMap<i64, usize> =
            docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
        while let Some(r) = rows.next()? {
            let document: i64 = r.get(0)?;
            let uploaded: String = r.get(9)?;
            let version = DocumentVersion {
                version: r.get(1)?,
                content: VersionContent {
                    file_name: r.get(2)?,
                    media_type: r.get(3)?,
                    size_bytes: r.get(4)?,
                    sha256: r.get(5)?,
                    link: r.get(6)?,
                    note: r.get(7)?,
                },
                uploaded_by: r.get(8)?,
                uploaded_at: parse_time(&uploaded)?,
            };
            if let Some(&i) = by_id.get(&document) {
                docs[i].versions.push(version);
            }
        }
        Ok(docs)
    }

    fn holder_of(&self, sha256: Option<&str>, link: Option<&str>) -> Result<Option<(i64, i64)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT document, version FROM library_version \
                 WHERE (?1 IS NOT NULL AND sha256 = ?1) OR (?2 IS NOT NULL AND link = ?2) \
                 ORDER BY document, version LIMIT 1",
                params![sha256, link],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    fn current_texts(&self, id: Option<i64>) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.document, v.text FROM library_version v \
             WHERE (?1 IS NULL OR v.document = ?1) \
               AND v.version = (SELECT MAX(version) FROM library_version w \
                                WHERE w.document = v.document)",
        )?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn changed_item_rows(&self, after: i64) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.kind FROM item i \
             WHERE i.id IN (SELECT item_id FROM item_version WHERE id > ?1) ORDER BY i.id",
        )?;
        let rows = stmt.query_map([after], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
