//! Rows of the training and certification register on PostgreSQL.

use chrono::NaiveDate;
use postgres::{GenericClient, Row};

use super::{Doing, PostgresStore, audit};
use crate::training::{
    Assessment, Certificate, CertificateStatus, Competency, CourseSession, Person, PersonalDetails,
    TrainingAudit, TrainingRows,
};
use crate::{Result, StoreError};

const DOING: &str = "reading the training register";

fn write_audit<C: GenericClient>(c: &mut C, a: &TrainingAudit<'_>, target: &str) -> Result<()> {
    audit(c, a.actor, a.action, target, Some(&a.detail))
}

fn ids<C: GenericClient>(c: &mut C, table: &str, session: i64) -> Result<Vec<String>> {
    c.query(
        &format!("SELECT person_id FROM {table} WHERE session_id = $1 ORDER BY person_id"),
        &[&session],
    )
    .doing(DOING)?
    .iter()
    .map(|r| r.try_get(0).doing(DOING))
    .collect()
}

fn decode_certificate(r: &Row) -> Result<Certificate> {
    let id: i64 = r.try_get(0).doing(DOING)?;
    let owner = || format!("training_certificate {id}");
    let competency: String = r.try_get(3).doing(DOING)?;
    let status: String = r.try_get(7).doing(DOING)?;
    Ok(Certificate {
        id,
        code: r.try_get(1).doing(DOING)?,
        person_id: r.try_get(2).doing(DOING)?,
        competency: Competency::stored(&competency, owner)?,
        issued_on: r.try_get(4).doing(DOING)?,
        expires_on: r.try_get(5).doing(DOING)?,
        assessment_id: r.try_get(6).doing(DOING)?,
        status: CertificateStatus::stored(&status, owner)?,
        status_reason: r.try_get(8).doing(DOING)?,
        status_date: r.try_get(9).doing(DOING)?,
        issued_by: r.try_get(10).doing(DOING)?,
    })
}

impl TrainingRows for PostgresStore {
    fn insert_person(
        &mut self,
        p: &Person,
        personal: &PersonalDetails,
        a: &TrainingAudit<'_>,
    ) -> Result<bool> {
        let doing = "registering a person for training";
        let mut tx = self.write_tx()?;
        let inserted = tx
            .execute(
                "INSERT INTO training_person (person_id, organisation, sex, birth_year, team, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[
                    &p.person_id,
                    &p.organisation,
                    &p.sex.code(),
                    &p.birth_year,
                    &p.team,
                    &p.created_at,
                ],
            )
            .doing(doing)?;
        if inserted == 0 {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO training_personal (person_id, name, contact, national_id) \
             VALUES ($1, $2, $3, $4)",
            &[
                &p.person_id,
                &personal.name,
                &personal.contact,
                &personal.national_id,
            ],
        )
        .doing(doing)?;
        write_audit(&mut tx, a, &a.target)?;
        tx.commit().doing(doing)?;
        Ok(true)
    }

    fn person_rows(&self) -> Result<Vec<Person>> {
        self.client()?
            .query(
                "SELECT person_id, organisation, sex, birth_year, team, created_at \
                 FROM training_person ORDER BY person_id COLLATE \"C\"",
                &[],
            )
            .doing(DOING)?
            .iter()
            .map(|r| {
                let person_id: String = r.try_get(0).doing(DOING)?;
                let sex: String = r.try_get(2).doing(DOING)?;
                Ok(Person {
                    sex: sex.parse().map_err(|e| {
                        StoreError::corrupt(format!("training_person {person_id}"), e)
                    })?,
                    person_id,
                    organisation: r.try_get(1).doing(DOING)?,
                    birth_year: r.try_get(3).doing(DOING)?,
                    team: r.try_get(4).doing(DOING)?,
                    created_at: r.try_get(5).doing(DOING)?,
                })
            })
            .collect()
    }

    fn personal_rows(
        &mut self,
        person: Option<&str>,
        a: &TrainingAudit<'_>,
    ) -> Result<Vec<(String, PersonalDetails)>> {
        let doing = "reading personal data of the training register";
        let mut tx = self.write_tx()?;
        let rows = tx
            .query(
                "SELECT person_id, name, contact, national_id FROM training_personal \
                 WHERE $1::text IS NULL OR person_id = $1 ORDER BY person_id COLLATE \"C\"",
                &[&person],
            )
            .doing(doing)?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get(0).doing(doing)?,
                    PersonalDetails {
                        name: r.try_get(1).doing(doing)?,
                        contact: r.try_get(2).doing(doing)?,
                        national_id: r.try_get(3).doing(doing)?,
                    },
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        write_audit(&mut tx, a, &a.target)?;
        tx.commit().doing(doing)?;
        Ok(rows)
    }

    fn insert_session(&mut self, s: &CourseSession, a: &TrainingAudit<'_>) -> Result<i64> {
        let doing = "recording a course session";
        let mut tx = self.write_tx()?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO training_session (competency, organisation, place, start_date, \
                 end_date, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[
                    &s.competency.code(),
                    &s.organisation,
                    &s.place,
                    &s.start_date,
                    &s.end_date,
                    &s.created_at,
                ],
            )
            .and_then(|r| r.try_get(0))
            .doing(doing)?;
        for person in &s.instructors {
            tx.execute(
                "INSERT INTO training_instructor (session_id, person_id) VALUES ($1, $2)",
                &[&id, person],
            )
            .doing(doing)?;
        }
        write_audit(&mut tx, a, &format!("training_session:{id}"))?;
        tx.commit().doing(doing)?;
        Ok(id)
    }

    fn session_rows(&self) -> Result<Vec<CourseSession>> {
        let mut client = self.client()?;
        let rows = client
            .query(
                "SELECT id, competency, organisation, place, start_date, end_date, created_at \
                 FROM training_session ORDER BY start_date DESC, id DESC",
                &[],
            )
            .doing(DOING)?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get(0).doing(DOING)?;
                let competency: String = r.try_get(1).doing(DOING)?;
                Ok(CourseSession {
                    id,
                    competency: Competency::stored(&competency, || {
                        format!("training_session {id}")
                    })?,
                    organisation: r.try_get(2).doing(DOING)?,
                    place: r.try_get(3).doing(DOING)?,
                    start_date: r.try_get(4).doing(DOING)?,
                    end_date: r.try_get(5).doing(DOING)?,
                    instructors: ids(&mut *client, "training_instructor", id)?,
                    participants: ids(&mut *client, "training_enrolment", id)?,
                    created_at: r.try_get(6).doing(DOING)?,
                })
            })
            .collect()
    }

    fn insert_enrolment(
        &mut self,
        session: i64,
        person: &str,
        a: &TrainingAudit<'_>,
    ) -> Result<bool> {
        let doing = "enrolling a participant";
        let mut tx = self.write_tx()?;
        let inserted = tx
            .execute(
                "INSERT INTO training_enrolment (session_id, person_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
                &[&session, &person],
            )
            .doing(doing)?;
        if inserted == 0 {
            return Ok(false);
        }
        write_audit(&mut tx, a, &a.target)?;
        tx.commit().doing(doing)?;
        Ok(true)
    }

    fn insert_assessment(
        &mut self,
        x: &Assessment,
        actor: &str,
        a: &TrainingAudit<'_>,
    ) -> Result<Option<i64>> {
        let doing = "recording an assessment";
        let mut tx = self.write_tx()?;
        let row = tx
            .query_opt(
                "INSERT INTO training_assessment (session_id, person_id, passed, score, \
                 assessed_on, assessor, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT DO NOTHING RETURNING id",
                &[
                    &x.session_id,
                    &x.person_id,
                    &x.passed,
                    &x.score,
                    &x.assessed_on,
                    &x.assessor,
                    &actor,
                ],
            )
            .doing(doing)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: i64 = row.try_get(0).doing(doing)?;
        write_audit(&mut tx, a, &a.target)?;
        tx.commit().doing(doing)?;
        Ok(Some(id))
    }

    fn assessment_rows(&self) -> Result<Vec<Assessment>> {
        self.client()?
            .query(
                "SELECT id, session_id, person_id, passed, score, assessed_on, assessor \
                 FROM training_assessment ORDER BY id",
                &[],
            )
            .doing(DOING)?
            .iter()
            .map(|r| {
                Ok(Assessment {
                    id: r.try_get(0).doing(DOING)?,
                    session_id: r.try_get(1).doing(DOING)?,
                    person_id: r.try_get(2).doing(DOING)?,
                    passed: r.try_get(3).doing(DOING)?,
                    score: r.try_get(4).doing(DOING)?,
                    assessed_on: r.try_get(5).doing(DOING)?,
                    assessor: r.try_get(6).doing(DOING)?,
                })
            })
            .collect()
    }

    fn insert_certificate(&mut self, c: &Certificate, a: &TrainingAudit<'_>) -> Result<i64> {
        let doing = "issuing a certificate";
        let mut tx = self.write_tx()?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO training_certificate (code, person_id, competency, issued_on, \
                 expires_on, assessment_id, status, issued_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                &[
                    &c.code,
                    &c.person_id,
                    &c.competency.code(),
                    &c.issued_on,
                    &c.expires_on,
                    &c.assessment_id,
                    &c.status.code(),
                    &c.issued_by,
                ],
            )
            .and_then(|r| r.try_get(0))
            .doing(doing)?;
        write_audit(&mut tx, a, &format!("training_certificate:{id}"))?;
        tx.commit().doing(doing)?;
        Ok(id)
    }

    fn certificate_rows(&self, code: Option<&str>) -> Result<Vec<Certificate>> {
        self.client()?
            .query(
                "SELECT id, code, person_id, competency, issued_on, expires_on, \
                 assessment_id, status, status_reason, status_date, issued_by \
                 FROM training_certificate WHERE $1::text IS NULL OR code = $1 ORDER BY id",
                &[&code],
            )
            .doing(DOING)?
            .iter()
            .map(decode_certificate)
            .collect()
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
        let doing = "changing a certificate's status";
        let from: Vec<&str> = from.iter().map(|s| s.code()).collect();
        let mut tx = self.write_tx()?;
        let changed = tx
            .execute(
                "UPDATE training_certificate SET status = $2, status_reason = $3, \
                 status_date = $4 WHERE id = $1 AND status = ANY($5)",
                &[&id, &to.code(), &reason, &date, &from],
            )
            .doing(doing)?;
        if changed == 0 {
            return Ok(false);
        }
        write_audit(&mut tx, a, &a.target)?;
        tx.commit().doing(doing)?;
        Ok(true)
    }
}
