//! `safeground break-glass`: the emergency access grants to victims' personal data, for the
//! review of who opened one, why, for how long, and who reviewed it.

use std::io::Write;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use safeground_store::{BreakGlass, Location};

/// Actions of `safeground break-glass`.
#[derive(Subcommand, Debug)]
pub enum BreakGlassCommand {
    /// List every grant, newest first: holder, opened, until or closed, reviewer, reason.
    List {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
    },
}

fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// One line of the listing.
fn line(g: &BreakGlass, now: DateTime<Utc>) -> String {
    let end = match (&g.closed_at, &g.closed_by) {
        (Some(at), Some(by)) => format!("closed {} by {by}", time(*at)),
        _ if g.is_open_at(now) => format!("OPEN until {}", time(g.until)),
        _ => format!("expired {}", time(g.until)),
    };
    let review = match &g.reviewed_by {
        Some(by) => format!("reviewed by {by}"),
        None if g.is_open_at(now) => "not reviewed yet".to_owned(),
        None => "WAITING FOR REVIEW".to_owned(),
    };
    format!(
        "{:>5}  {:<16} {}  {:<36} {:<24} {}",
        g.id,
        g.holder,
        time(g.opened_at),
        end,
        review,
        g.reason
    )
}

/// Runs a `break-glass` action.
pub fn run(action: BreakGlassCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match action {
        BreakGlassCommand::List { db } => {
            let store = db.open().with_context(|| format!("opening {db}"))?;
            let grants = store.break_glass_grants(None)?;
            if grants.is_empty() {
                writeln!(out, "no emergency access grant has been opened")?;
                return Ok(());
            }
            writeln!(
                out,
                "{:>5}  {:<16} {:<16}  {:<36} {:<24} reason",
                "id", "holder", "opened (UTC)", "until / closed", "review"
            )?;
            let now = Utc::now();
            for g in &grants {
                writeln!(out, "{}", line(g, now))?;
            }
            let waiting = grants.iter().filter(|g| g.awaits_review_at(now)).count();
            writeln!(
                out,
                "{} grant(s), {waiting} waiting for review (POST /api/break-glass/{{id}}/review \
                 or the UI's Emergency access page)",
                grants.len()
            )?;
        }
    }
    Ok(())
}
