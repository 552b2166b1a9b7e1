//! `safeground users`: accounts on the command line (the first administrator is made here).

use std::io::Write;

use anyhow::Context;
use clap::Subcommand;
use safeground_server::auth::password::{generate_password, hash_new_password};
use safeground_store::{Backend, Location, NewAccount, Role};

/// Actions of `safeground users`.
#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// Create an account; prints the password when none is given.
    Add {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Login name.
        username: String,
        /// Role: viewer, data_entry, reviewer, approver, administrator, victim_assistance.
        #[arg(long)]
        role: Role,
        /// Organisation local id (e.g. ORG-HALO; the national authority's users see all).
        #[arg(long)]
        organisation: String,
        /// Name shown in the UI (default: the login name).
        #[arg(long)]
        name: Option<String>,
        /// Password (at least 12 characters, not a common one, not containing the user name);
        /// read from SAFEGROUND_PASSWORD, else generated.
        #[arg(long, env = "SAFEGROUND_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// List accounts.
    List {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
    },
    /// Disable an account (its sessions and tokens stop working).
    Disable {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Login name.
        username: String,
    },
    /// Re-enable an account.
    Enable {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Login name.
        username: String,
    },
    /// Set a new password (generated unless given) and revoke the account's sessions.
    ResetPassword {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Login name.
        username: String,
        /// New password; read from SAFEGROUND_PASSWORD, else generated.
        #[arg(long, env = "SAFEGROUND_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

const ACTOR: &str = "cli";

fn password_or_generated(password: Option<String>) -> anyhow::Result<(String, bool)> {
    Ok(match password {
        Some(p) => (p, false),
        None => (generate_password()?, true),
    })
}

/// Creates an account and returns its password.
pub fn add(
    store: &mut dyn Backend,
    username: &str,
    role: Role,
    organisation: &str,
    name: Option<&str>,
    password: Option<String>,
) -> anyhow::Result<(String, bool)> {
    let (password, generated) = password_or_generated(password)?;
    store.add_account(
        ACTOR,
        &NewAccount {
            username: username.to_owned(),
            display_name: name.unwrap_or(username).to_owned(),
            organisation: organisation.to_owned(),
            role,
            password_hash: hash_new_password(username, &password)?,
        },
    )?;
    Ok((password, generated))
}

/// Runs a `users` action.
pub fn run(action: UsersCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    let open = |db: &Location| db.open().with_context(|| format!("opening {db}"));
    match action {
        UsersCommand::Add {
            db,
            username,
            role,
            organisation,
            name,
            password,
        } => {
            let mut store = open(&db)?;
            let (password, generated) = add(
                store.as_mut(),
                &username,
                role,
                &organisation,
                name.as_deref(),
                password,
            )?;
            writeln!(out, "created {username} ({role}, {organisation})")?;
            if generated {
                writeln!(out, "password: {password}")?;
            }
        }
        UsersCommand::List { db } => {
            let store = open(&db)?;
            writeln!(
                out,
                "{:<20} {:<18} {:<14} {:<9} name",
                "user", "role", "organisation", "state"
            )?;
            for a in store.accounts()? {
                writeln!(
                    out,
                    "{:<20} {:<18} {:<14} {:<9} {}",
                    a.username,
                    a.role.code(),
                    a.organisation,
                    if a.disabled { "disabled" } else { "active" },
                    a.display_name
                )?;
            }
        }
        UsersCommand::Disable { db, username } => {
            open(&db)?.set_account_disabled(ACTOR, &username, true)?;
            writeln!(
                out,
                "disabled {username}; its sessions and API tokens are revoked"
            )?;
        }
        UsersCommand::Enable { db, username } => {
            open(&db)?.set_account_disabled(ACTOR, &username, false)?;
            writeln!(out, "enabled {username}")?;
        }
        UsersCommand::ResetPassword {
            db,
            username,
            password,
        } => {
            let mut store = open(&db)?;
            let (password, generated) = password_or_generated(password)?;
            store.set_password_hash(ACTOR, &username, &hash_new_password(&username, &password)?)?;
            writeln!(
                out,
                "password of {username} reset; its sessions and API tokens are revoked"
            )?;
            if generated {
                writeln!(out, "password: {password}")?;
            }
        }
    }
    Ok(())
}
