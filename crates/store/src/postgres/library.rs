//! Rows of the document library on PostgreSQL.

use chrono::Utc;
use postgres::Transaction;

use super::{Doing, PostgresStore, audit};
use crate::Result;
use crate::library::{
    DocumentMeta, DocumentVersion, LibraryDocument, LibraryRows, VersionContent, audit_detail,
    target,
};

const DOING: &str = "reading the library";

fn insert_version_row(
    tx: &mut Transaction<'_>,
    actor: &str,
    id: i64,
    version: i64,
    c: &VersionContent,
    text: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO library_version (document, version, file_name, media_type, size_bytes, \
         sha256, link, note, text, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            &id,
            &version,
            &c.file_name,
            &c.media_type,
            &c.size_bytes,
            &c.sha256,
            &c.link,
            &c.note,
            &text,
            &actor,
            &Utc::now(),
        ],
    )
    .doing("storing a library version")?;
    Ok(())
}

impl LibraryRows for PostgresStore {
    fn insert_document(
        &mut self,
        actor: &str,
        uuid: &str,
        m: &DocumentMeta,
        content: &VersionContent,
        text: &str,
    ) -> Result<i64> {
        let doing = "adding a library document";
        let mut tx = self.write_tx()?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO library_document (uuid, title, language, country, doc_type, \
                 imas_topic, access, organisation, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                &[
                    &uuid,
                    &m.title,
                    &m.language,
                    &m.country,
                    &m.doc_type,
                    &m.imas_topic,
                    &m.access,
                    &m.organisation,
                    &actor,
                    &Utc::now(),
                ],
            )
            .doing(doing)?
            .try_get(0)
            .doing(doing)?;
        insert_version_row(&mut tx, actor, id, 1, content, text)?;
        audit(
            &mut tx,
            actor,
            "library.add",
            &target(id),
            Some(&format!("{}: {}", m.title, audit_detail(content))),
        )?;
        tx.commit().doing(doing)?;
        Ok(id)
    }

    fn insert_version(
        &mut self,
        actor: &str,
        id: i64,
        content: &VersionContent,
        text: &str,
    ) -> Result<i64> {
        let doing = "adding a library version";
        let mut tx = self.write_tx()?;
        // Versions of one document are numbered under its row lock.
        tx.execute(
            "SELECT 1 FROM library_document WHERE id = $1 FOR UPDATE",
            &[&id],
        )
        .doing(doing)?;
        let version: i64 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM library_version WHERE document = $1",
                &[&id],
            )
            .doing(doing)?
            .try_get(0)
            .doing(doing)?;
        insert_version_row(&mut tx, actor, id, version, content, text)?;
        audit(
            &mut tx,
            actor,
            "library.version",
            &target(id),
            Some(&format!("version {version}: {}", audit_detail(content))),
        )?;
        tx.commit().doing(doing)?;
        Ok(version)
    }

    fn update_meta(&mut self, actor: &str, id: i64, m: &DocumentMeta) -> Result<()> {
        let doing = "editing a library document";
        let mut tx = self.write_tx()?;
        tx.execute(
            "UPDATE library_document SET title = $2, language = $3, country = $4, \
             doc_type = $5, imas_topic = $6, access = $7, organisation = $8 WHERE id = $1",
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
        audit(&mut tx, actor, "library.edit", &target(id), Some(&m.title))?;
        tx.commit().doing(doing)?;
        Ok(())
    }

    fn document_rows(&self, id: Option<i64>) -> Result<Vec<LibraryDocument>> {
        let mut client = self.client()?;
        let mut docs = Vec::new();
        for r in client
            .query(
                "SELECT id, uuid, title, language, country, doc_type, imas_topic, access, \
                 organisation, created_by, created_at FROM library_document \
                 WHERE $1::bigint IS NULL OR id = $1 ORDER BY id DESC",
                &[&id],
            )
            .doing(DOING)?
        {
            docs.push(LibraryDocument {
                id: r.try_get(0).doing(DOING)?,
                uuid: r.try_get(1).doing(DOING)?,
                meta: DocumentMeta {
                    title: r.try_get(2).doing(DOING)?,
                    language: r.try_get(3).doing(DOING)?,
                    country: r.try_get(4).doing(DOING)?,
                    doc_type: r.try_get(5).doing(DOING)?,
                    imas_topic: r.try_get(6).doing(DOING)?,
                    access: r.try_get(7).doing(DOING)?,
                    organisation: r.try_get(8).doing(DOING)?,
                },
                created_by: r.try_get(9).doing(DOING)?,
                created_at: r.try_get(10).doing(DOING)?,
                versions: Vec::new(),
            });
        }
        let by_id: std::collections::HashMap<i64, usize> =
            docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
        for r in client
            .query(
                "SELECT document, version, file_name, media_type, size_bytes, sha256, link, \
                 note, uploaded_by, uploaded_at FROM library_version \
                 WHERE $1::bigint IS NULL OR document = $1 ORDER BY document, version",
                &[&id],
            )
            .doing(DOING)?
        {
            let document: i64 = r.try_get(0).doing(DOING)?;
            let version = DocumentVersion {
                version: r.try_get(1).doing(DOING)?,
                content: VersionContent {
                    file_name: r.try_get(2).doing(DOING)?,
                    media_type: r.try_get(3).doing(DOING)?,
                    size_bytes: r.try_get(4).doing(DOING)?,
                    sha256: r.try_get(5).doing(DOING)?,
                    link: r.try_get(6).doing(DOING)?,
                    note: r.try_get(7).doing(DOING)?,
                },
                uploaded_by: r.try_get(8).doing(DOING)?,
                uploaded_at: r.try_get(9).doing(DOING)?,
            };
            if let Some(&i) = by_id.get(&document) {
                docs[i].versions.push(version);
            }
        }
        Ok(docs)
    }

    fn holder_of(&self, sha256: Option<&str>, link: Option<&str>) -> Result<Option<(i64, i64)>> {
        let row = self
            .client()?
            .query_opt(
                "SELECT document, version FROM library_version \
                 WHERE ($1::text IS NOT NULL AND sha256 = $1) \
                    OR ($2::text IS NOT NULL AND link = $2) \
                 ORDER BY document, version LIMIT 1",
                &[&sha256, &link],
            )
            .doing(DOING)?;
        row.map(|r| Ok((r.try_get(0).doing(DOING)?, r.try_get(1).doing(DOING)?)))
            .transpose()
    }

    fn current_texts(&self, id: Option<i64>) -> Result<Vec<(i64, String)>> {
        self.client()?
            .query(
                "SELECT DISTINCT ON (document) document, text FROM library_version \
                 WHERE $1::bigint IS NULL OR document = $1 ORDER BY document, version DESC",
                &[&id],
            )
            .doing(DOING)?
            .iter()
            .map(|r| Ok((r.try_get(0).doing(DOING)?, r.try_get(1).doing(DOING)?)))
            .collect()
    }

    fn changed_item_rows(&self, after: i64) -> Result<Vec<(String, String)>> {
        let doing = "reading the items changed since the search index was brought up to date";
        self.client()?
            .query(
                "SELECT i.id, i.kind FROM item i \
                 WHERE i.id IN (SELECT item_id FROM item_version WHERE id > $1) ORDER BY i.id",
                &[&after],
            )
            .doing(doing)?
            .iter()
            .map(|r| Ok((r.try_get(0).doing(doing)?, r.try_get(1).doing(doing)?)))
            .collect()
    }
}
