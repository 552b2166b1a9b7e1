//! `safeground training`: the training and certification register from the command line.
//! Writes need `--actor`, an enabled training-officer account (recorded in the audit log);
//! personal data are shown only with `--personal` to a training officer, audited.

use std::io::Write;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use safeground_model::Sex;
use safeground_store::Location;
use safeground_store::training::{
    Competency, NewAssessment, NewCertificate, NewCourseSession, NewPerson, PersonalDetails,
    age_band,
};

/// Who writes: an enabled training-officer account.
#[derive(Args, Debug)]
pub struct Actor {
    /// The training officer acting (recorded in the audit log).
    #[arg(long)]
    actor: String,
}

/// Actions of `safeground training`.
#[derive(Subcommand, Debug)]
pub enum TrainingCommand {
    /// People: `add` one, `list` them.
    Person {
        #[command(subcommand)]
        action: PersonCommand,
    },
    /// The courses: IMAS competencies with their labels.
    Course,
    /// Course sessions: `add` one, `list` them.
    Session {
        #[command(subcommand)]
        action: SessionCommand,
    },
    /// Enrol a participant in a session.
    Enrol {
        /// Database.
        db: Location,
        #[command(flatten)]
        actor: Actor,
        /// Session id.
        #[arg(long)]
        session: i64,
        /// Person id.
        #[arg(long)]
        person: String,
    },
    /// Record the assessment of an enrolled participant.
    Assess {
        /// Database.
        db: Location,
        #[command(flatten)]
        actor: Actor,
        /// Session id.
        #[arg(long)]
        session: i64,
        /// Person id.
        #[arg(long)]
        person: String,
        /// Failed (passed without it).
        #[arg(long)]
        failed: bool,
        /// Score, 0–100.
        #[arg(long)]
        score: Option<f64>,
        /// Day of the assessment (YYYY-MM-DD).
        #[arg(long)]
        date: NaiveDate,
        /// Who assessed.
        #[arg(long)]
        assessor: String,
    },
    /// Issue a certificate (needs a passed assessment in a session of the competency).
    Certify {
        /// Database.
        db: Location,
        #[command(flatten)]
        actor: Actor,
        /// Person id.
        #[arg(long)]
        person: String,
        /// Competency code.
        #[arg(long)]
        competency: String,
        /// Day of issue.
        #[arg(long)]
        issued: NaiveDate,
        /// Last day of validity.
        #[arg(long)]
        expires: NaiveDate,
    },
    /// Suspend a valid certificate, saying why.
    Suspend(StatusArgs),
    /// Withdraw a certificate, saying why.
    Withdraw(StatusArgs),
    /// Check a certificate code: competency, state today, valid until.
    Check {
        /// Database.
        db: Location,
        /// The certificate code.
        code: String,
    },
    /// Participants and certificates by organisation, competency, sex, age band and year.
    Figures {
        /// Database.
        db: Location,
        /// CSV instead of a table.
        #[arg(long)]
        csv: bool,
    },
}

/// A suspension or withdrawal.
#[derive(Args, Debug)]
pub struct StatusArgs {
    /// Database.
    db: Location,
    #[command(flatten)]
    actor: Actor,
    /// Certificate code.
    code: String,
    /// Why.
    #[arg(long)]
    reason: String,
    /// From when (default today).
    #[arg(long)]
    date: Option<NaiveDate>,
}

/// Actions of `safeground training person`.
#[derive(Subcommand, Debug)]
pub enum PersonCommand {
    /// Register a person.
    Add {
        /// Database.
        db: Location,
        #[command(flatten)]
        actor: Actor,
        /// Person id (`P-000123` or a UUID).
        #[arg(long)]
        id: String,
        /// Organisation local id.
        #[arg(long)]
        organisation: String,
        /// female, male or unknown.
        #[arg(long)]
        sex: String,
        /// Year of birth.
        #[arg(long)]
        birth_year: i32,
        /// Team local id.
        #[arg(long)]
        team: Option<String>,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Telephone or e-mail.
        #[arg(long)]
        contact: Option<String>,
        /// National ID number.
        #[arg(long)]
        national_id: Option<String>,
    },
    /// List people (names only with `--personal --actor OFFICER`, audited).
    List {
        /// Database.
        db: Location,
        /// Show names, contacts and national IDs.
        #[arg(long, requires = "actor")]
        personal: bool,
        /// The training officer reading personal data.
        #[arg(long)]
        actor: Option<String>,
    },
}

/// Actions of `safeground training session`.
#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    /// Record a course session.
    Add {
        /// Database.
        db: Location,
        #[command(flatten)]
        actor: Actor,
        /// Competency code.
        #[arg(long)]
        competency: String,
        /// Organisation giving it.
        #[arg(long)]
        organisation: String,
        /// Where.
        #[arg(long)]
        place: String,
        /// First day.
        #[arg(long)]
        start: NaiveDate,
        /// Last day.
        #[arg(long)]
        end: NaiveDate,
        /// Instructor person id (repeat for several).
        #[arg(long)]
        instructor: Vec<String>,
    },
    /// List sessions, newest first.
    List {
        /// Database.
        db: Location,
    },
}

fn open(db: &Location) -> anyhow::Result<safeground_store::AnyStore> {
    db.open().with_context(|| format!("opening {db}"))
}

fn competency(code: &str) -> anyhow::Result<Competency> {
    code.parse()
        .map_err(|e: String| anyhow::anyhow!("--competency: {e}"))
}

/// Runs a `training` action.
pub fn run(action: TrainingCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match action {
        TrainingCommand::Person { action } => person(action, out)?,
        TrainingCommand::Course => {
            for c in Competency::ALL {
                writeln!(out, "{:<28} {}", c.code(), c.label())?;
            }
        }
        TrainingCommand::Session { action } => session(action, out)?,
        TrainingCommand::Enrol {
            db,
            actor,
            session,
            person,
        } => {
            let s = open(&db)?.enrol(&actor.actor, session, &person)?;
            writeln!(
                out,
                "{person} enrolled in session {} ({} participants)",
                s.id,
                s.participants.len()
            )?;
        }
        TrainingCommand::Assess {
            db,
            actor,
            session,
            person,
            failed,
            score,
            date,
            assessor,
        } => {
            let a = NewAssessment {
                session_id: session,
                person_id: person,
                passed: !failed,
                score,
                assessed_on: date,
                assessor,
            };
            let a = open(&db)?.assess(&actor.actor, &a)?;
            writeln!(
                out,
                "assessment {}: {} {} in session {}",
                a.id,
                a.person_id,
                if a.passed { "passed" } else { "failed" },
                a.session_id
            )?;
        }
        TrainingCommand::Certify {
            db,
            actor,
            person,
            competency: code,
            issued,
            expires,
        } => {
            let c = NewCertificate {
                person_id: person,
                competency: competency(&code)?,
                issued_on: issued,
                expires_on: expires,
            };
            let c = open(&db)?.certify(&actor.actor, &c)?;
            writeln!(
                out,
                "certificate {} issued to {}: {} until {}",
                c.code, c.person_id, c.competency, c.expires_on
            )?;
        }
        TrainingCommand::Suspend(a) => status(a, false, out)?,
        TrainingCommand::Withdraw(a) => status(a, true, out)?,
        TrainingCommand::Check { db, code } => {
            let Some(c) = open(&db)?.certificate_by_code(&code)? else {
                anyhow::bail!("no certificate has the code `{code}`");
            };
            writeln!(
                out,
                "{}: {} ({}), valid until {}",
                c.code,
                c.state_on(Utc::now().date_naive()).code(),
                c.competency,
                c.expires_on
            )?;
        }
        TrainingCommand::Figures { db, csv } => {
            let rows = open(&db)?.training_figures()?;
            if csv {
                writeln!(
                    out,
                    "organisation,competency,sex,age_band,year,participants,certificates"
                )?;
            } else {
                writeln!(
                    out,
                    "{:<12} {:<28} {:<8} {:<9} {:>4} {:>12} {:>12}",
                    "organisation",
                    "competency",
                    "sex",
                    "age",
                    "year",
                    "participants",
                    "certificates"
                )?;
            }
            for r in &rows {
                if csv {
                    writeln!(
                        out,
                        "{},{},{},{},{},{},{}",
                        r.organisation,
                        r.competency,
                        r.sex.code(),
                        r.age_band,
                        r.year,
                        r.participants,
                        r.certificates
                    )?;
                } else {
                    writeln!(
                        out,
                        "{:<12} {:<28} {:<8} {:<9} {:>4} {:>12} {:>12}",
                        r.organisation,
                        r.competency.code(),
                        r.sex.code(),
                        r.age_band,
                        r.year,
                        r.participants,
                        r.certificates
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn status(a: StatusArgs, withdraw: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let date = a.date.unwrap_or_else(|| Utc::now().date_naive());
    let mut store = open(&a.db)?;
    let c = if withdraw {
        store.withdraw_certificate(&a.actor.actor, &a.code, &a.reason, date)?
    } else {
        store.suspend_certificate(&a.actor.actor, &a.code, &a.reason, date)?
    };
    writeln!(
        out,
        "certificate {} of {} is {} from {date}: {}",
        c.code,
        c.person_id,
        c.status.code(),
        a.reason.trim()
    )?;
    Ok(())
}

fn person(action: PersonCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match action {
        PersonCommand::Add {
            db,
            actor,
            id,
            organisation,
            sex,
            birth_year,
            team,
            name,
            contact,
            national_id,
        } => {
            let sex: Sex = sex.parse().map_err(|e| anyhow::anyhow!("--sex: {e}"))?;
            let p = NewPerson {
                person_id: id,
                organisation,
                sex,
                birth_year,
                team,
                personal: PersonalDetails {
                    name,
                    contact,
                    national_id,
                },
            };
            let p = open(&db)?.add_trainee(&actor.actor, &p)?;
            writeln!(out, "registered {} ({})", p.person_id, p.organisation)?;
        }
        PersonCommand::List {
            db,
            personal,
            actor,
        } => {
            let mut store = open(&db)?;
            let people = store.trainees()?;
            let names = match (personal, actor) {
                (true, Some(actor)) => store.trainee_personal(&actor, None)?,
                _ => Vec::new(),
            };
            let year = chrono::Datelike::year(&Utc::now());
            for p in &people {
                let name = names
                    .iter()
                    .find(|(id, _)| *id == p.person_id)
                    .map(|(_, d)| {
                        format!(
                            "  {} {} {}",
                            d.name,
                            d.contact.as_deref().unwrap_or("-"),
                            d.national_id.as_deref().unwrap_or("-")
                        )
                    })
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{:<12} {:<12} {:<8} {:<9} {:<24}{name}",
                    p.person_id,
                    p.organisation,
                    p.sex.code(),
                    age_band(p.birth_year, year),
                    p.team.as_deref().unwrap_or("-"),
                )?;
            }
            writeln!(out, "{} people", people.len())?;
        }
    }
    Ok(())
}

fn session(action: SessionCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match action {
        SessionCommand::Add {
            db,
            actor,
            competency: code,
            organisation,
            place,
            start,
            end,
            instructor,
        } => {
            let s = NewCourseSession {
                competency: competency(&code)?,
                organisation,
                place,
                start_date: start,
                end_date: end,
                instructors: instructor,
            };
            let s = open(&db)?.add_course_session(&actor.actor, &s)?;
            writeln!(
                out,
                "session {} recorded: {} at {}",
                s.id, s.competency, s.place
            )?;
        }
        SessionCommand::List { db } => {
            for s in open(&db)?.course_sessions()? {
                writeln!(
                    out,
                    "{:>5}  {:<28} {:<12} {} to {}  {:<24} {} participants",
                    s.id,
                    s.competency.code(),
                    s.organisation,
                    s.start_date,
                    s.end_date,
                    s.place,
                    s.participants.len()
                )?;
            }
        }
    }
    Ok(())
}
