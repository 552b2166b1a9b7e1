//! Rows of the training and certification register on SQLite.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{SqliteStore, audit, fmt_date, fmt_time, parse_date, parse_time};
use crate::Result;
use crate::StoreError;
use crate::training::{
    Assessment, Certificate, CertificateStatus, Competency, CourseSession, Person, PersonalDetails,
    TrainingAudit, TrainingRows,
};

fn write_audit(conn: &Connection, a: &TrainingAudit<'_>, target: &str) -> Result<()> {
    audit(conn, a.actor, a.action, target, Some(&a.detail))
}

fn ids(conn: &Connection, table: &str, session: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT person_id FROM {table} WHERE session_id = ?1 ORDER BY person_id"
    ))?;
    let rows = stmt
        .query_map([session], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(rows)
}

type CertRaw = (
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
);

fn decode_certificate(r: CertRaw) -> Result<Certificate> {
    let (id, code, person_id, competency, issued, expires, assessment_id, status, reason, date, by) =
        r;
    let owner = || format!("training_certificate {id}");
    Ok(Certificate {
        id,
        code,
        person_id,
        competency: Competency::stored(&competency, owner)?,
        issued_on: parse_date(&issued)?,
        expires_on: parse_date(&expires)?,
        assessment_id,
        status: CertificateStatus::stored(&status, owner)?,
        status_reason: reason,
        status_date: date.map(|d| parse_date(&d)).transpose()?,
        issued_by: by,
    })
}

impl TrainingRows for SqliteStore {
    fn insert_person(
        &mut self,
        p: &Person,
        personal: &PersonalDetails,
        a: &TrainingAudit<'_>,
    ) -> Result<bool> {
        let tx = self.write_tx()?;
        let inserted = tx.execute(
            "INSERT INTO training_person (person_id, organisation, sex, birth_year, team, \
             created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            params![
                p.person_id,
                p.organisation,
                p.sex.code(),
                p.birth_year,
                p.team,
                fmt_time(p.created_at)
            ],
        )?;
        if inserted == 0 {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO training_personal (person_id, name, contact, national_id) \
             VALUES (?1, ?2, ?3, ?4)",
            params![
                p.person_id,
                personal.name,
                personal.contact,
                personal.national_id
            ],
        )?;
        write_audit(&tx, a, &a.target)?;
        tx.commit()?;
        Ok(true)
    }

    fn person_rows(&self) -> Result<Vec<Person>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT person_id, organisation, sex, birth_year, team, created_at \
             FROM training_person ORDER BY person_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i32>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(
                |(person_id, organisation, sex, birth_year, team, created)| {
                    Ok(Person {
                        sex: sex.parse().map_err(|e| {
                            StoreError::corrupt(format!("training_person {person_id}"), e)
                        })?,
                        person_id,
                        organisation,
                        birth_year,
                        team,
                        created_at: parse_time(&created)?,
                    })
                },
            )
            .collect()
    }

    fn personal_rows(
        &mut self,
        person: Option<&str>,
        a: &TrainingAudit<'_>,
    ) -> Result<Vec<(String, PersonalDetails)>> {
        let tx = self.write_tx()?;
        let rows = {
            let mut stmt = tx.prepare_cached(
                "SELECT person_id, name, contact, national_id FROM training_personal \
                 WHERE ?1 IS NULL OR person_id = ?1 ORDER BY person_id",
            )?;
            stmt.query_map([person], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    PersonalDetails {
                        name: r.get(1)?,
                        contact: r.get(2)?,
                        national_id: r.get(3)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        write_audit(&tx, a, &a.target)?;
        tx.commit()?;
        Ok(rows)
    }

    fn insert_session(&mut self, s: &CourseSession, a: &TrainingAudit<'_>) -> Result<i64> {
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO training_session (competency, organisation, place, start_date, \
             end_date, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                s.competency.code(),
                s.organisation,
                s.place,
                fmt_date(s.start_date),
                fmt_date(s.end_date),
                fmt_time(s.created_at)
            ],
        )?;
        let id = tx.last_insert_rowid();
        for person in &s.instructors {
            tx.execute(
                "INSERT INTO training_instructor (session_id, person_id) VALUES (?1, ?2)",
                params![id, person],
            )?;
        }
        write_audit(&tx, a, &format!("training_session:{id}"))?;
        tx.commit()?;
        Ok(id)
    }

    fn session_rows(&self) -> Result<Vec<CourseSession>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, competency, organisation, place, start_date, end_date, created_at \
             FROM training_session ORDER BY start_date DESC, id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(
                |(id, competency, organisation, place, start, end, created)| {
                    Ok(CourseSession {
                        id,
                        competency: Competency::stored(&competency, || {
                            format!("training_session {id}")
                        })?,
                        organisation,
                        place,
                        start_date: parse_date(&start)?,
                        end_date: parse_date(&end)?,
                        instructors: ids(&self.conn, "training_instructor", id)?,
                        participants: ids(&self.conn, "training_enrolment", id)?,
                        created_at: parse_time(&created)?,
                    })
                },
            )
            .collect()
    }

    fn insert_enrolment(
        &mut self,
        session: i64,
        person: &str,
        a: &TrainingAudit<'_>,
    ) -> Result<bool> {
        let tx = self.write_tx()?;
        let inserted = tx.execute(
            "INSERT INTO training_enrolment (session_id, person_id) VALUES (?1, ?2) \
             ON CONFLICT DO NOTHING",
            params![session, person],
        )?;
        if inserted == 0 {
            return Ok(false);
        }
        write_audit(&tx, a, &a.target)?;
        tx.commit()?;
        Ok(true)
    }

    fn insert_assessment(
        &mut self,
        x: &Assessment,
        actor: &str,
        a: &TrainingAudit<'_>,
    ) -> Result<Option<i64>> {
        let tx = self.write_tx()?;
        let inserted = tx.execute(
            "INSERT INTO training_assessment (session_id, person_id, passed, score, \
             assessed_on, assessor, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT DO NOTHING",
            params![
                x.session_id,
                x.person_id,
                x.passed,
                x.score,
                fmt_date(x.assessed_on),
                x.assessor,
                actor
            ],
        )?;
        if inserted == 0 {
            return Ok(None);
        }
        let id = tx.last_insert_rowid();
        write_audit(&tx, a, &a.target)?;
        tx.commit()?;
        Ok(Some(id))
    }

    fn assessment_rows(&self) -> Result<Vec<Assessment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, session_id, person_id, passed, score, assessed_on, assessor \
             FROM training_assessment ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, Option<f64>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, session_id, person_id, passed, score, on, assessor)| {
                Ok(Assessment {
                    id,
                    session_id,
                    person_id,
                    passed,
                    score,
                    assessed_on: parse_date(&on)?,
                    assessor,
                })
            })
            .collect()
    }

    fn insert_certificate(&mut self, c: &Certificate, a: &TrainingAudit<'_>) -> Result<i64> {
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO training_certificate (code, person_id, competency, issued_on, \
             expires_on, assessment_id, status, issued_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                c.code,
                c.person_id,
                c.competency.code(),
                fmt_date(c.issued_on),
                fmt_date(c.expires_on),
                c.assessment_id,
                c.status.code(),
                c.issued_by
            ],
        )?;
        let id = tx.last_insert_rowid();
        write_audit(&tx, a, &format!("training_certificate:{id}"))?;
        tx.commit()?;
        Ok(id)
    }

    fn certificate_rows(&self, code: Option<&str>) -> Result<Vec<Certificate>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, code, person_id, competency, issued_on, expires_on, assessment_id, \
             status, status_reason, status_date, issued_by FROM training_certificate \
             WHERE ?1 IS NULL OR code = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([code], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<CertRaw>>>()?;
        rows.into_iter().map(decode_certificate).collect()
    }

    fn set_certificate_status(
        &mut self,
        id: i64,
        from: &[CertificateStatus],
        to: CertificateStatus,
        reason: &str,
        date: NaiveDate,
        a: &TrainingAudit<'_>,
    ) -> Result<bool> {
        let tx = self.write_tx()?;
        let current: Option<String> = tx
            .query_row(
                "SELECT status FROM training_certificate WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        if !current.is_some_and(|s| from.iter().any(|f| f.code() == s)) {
            return Ok(false);
        }
        tx.execute(
            "UPDATE training_certificate SET status = ?2, status_reason = ?3, status_date = ?4 \
             WHERE id = ?1",
            params![id, to.code(), reason, fmt_date(date)],
        )?;
        write_audit(&tx, a, &a.target)?;
        tx.commit()?;
        Ok(true)
    }
}
