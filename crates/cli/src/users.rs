//! `safeground users`: accounts on the command line (the first administrator is made here).
//! As on the web, creating a victim-assistance account or resetting its password is only
//! requested by one administrator and done when another one confirms it.

use std::io::Write;

use anyhow::{Context, bail};
use clap::Subcommand;
use safeground_server::auth::password::{generate_password, hash_new_password};
use safeground_store::{AccountAction, Backend, Location, NewAccount, Role};

/// Actions of `safeground users`.
#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// Create an account; prints the password when none is given.
    Add {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Login name.
        username: String,
        /// Role: viewer, data_entry, reviewer, approver, administrator, victim_assistance,
        /// training_officer, eod_officer (reads render-safe notes of the ordnance reference); on a
        /// regional hub also regional_analyst, or national_viewer (ORGANISATION: the node id).
        #[arg(long)]
        role: Role,
        /// Organisation local id (e.g. ORG-HALO; the national authority's users see all).
        #[arg(long)]
        organisation: String,
        /// Name shown in the UI (default: the login name).
        #[arg(long)]
        name: Option<String>,
        /// Password (at least 12 characters, not a common one, not containing the user name);
        /// read from SAFEGROUND_PASSWORD, else generated. Not for a victim-assistance account:
        /// its password is set when the request is confirmed.
        #[arg(long, env = "SAFEGROUND_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// The administrator acting (recorded in the audit log; default `cli`). Required for a
        /// victim-assistance account, which is only requested: a second administrator confirms
        /// it with `safeground users confirm`.
        #[arg(long)]
        actor: Option<String>,
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
        /// New password; read from SAFEGROUND_PASSWORD, else generated. Not for a
        /// victim-assistance account: its password is set when the request is confirmed.
        #[arg(long, env = "SAFEGROUND_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// The administrator acting (recorded in the audit log; default `cli`). Required for a
        /// victim-assistance account, whose reset is only requested: a second administrator
        /// confirms it with `safeground users confirm`.
        #[arg(long)]
        actor: Option<String>,
    },
    /// List the victim-assistance account changes waiting for a second administrator.
    Requests {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
    },
    /// Confirm a request as a second administrator: the account is created, or its password
    /// reset, with the password printed (generated unless given).
    Confirm {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Request id (`safeground users requests`).
        id: i64,
        /// The confirming administrator: an active administrator account other than the one
        /// who asked.
        #[arg(long)]
        actor: String,
        /// Password of the account; read from SAFEGROUND_PASSWORD, else generated.
        #[arg(long, env = "SAFEGROUND_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

/// The actor recorded when none is named.
pub const ACTOR: &str = "cli";

/// The administrator behind a victim-assistance account change: `--actor`, which must name an
/// active administrator account.
fn administrator(store: &dyn Backend, actor: Option<&str>, doing: &str) -> anyhow::Result<String> {
    let Some(actor) = actor else {
        bail!(
            "{doing} needs two administrators: name yourself with --actor NAME; the request \
             is then confirmed by another administrator with `safeground users confirm`"
        );
    };
    match store.account(actor)? {
        Some(a) if a.role == Role::Administrator && !a.disabled => Ok(a.username),
        _ => bail!(
            "`{actor}` is not an active administrator account: {doing} is requested and \
             confirmed by two administrators (list the accounts with `safeground users list`)"
        ),
    }
}

/// An account as a request names it: its password is set on confirmation.
fn asked(username: String, display_name: String, organisation: String, role: Role) -> NewAccount {
    NewAccount {
        username,
        display_name,
        organisation,
        role,
        password_hash: String::new(),
    }
}

/// Records a request of a victim-assistance account change by `--actor` (the first of `by`;
/// the second, a password, is refused) and says what comes next.
fn request(
    store: &mut dyn Backend,
    action: AccountAction,
    account: &NewAccount,
    (actor, password): (Option<&str>, Option<&str>),
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let doing = match action {
        AccountAction::Create => "creating a victim-assistance account",
        AccountAction::ResetPassword => "resetting a victim-assistance account's password",
    };
    if password.is_some() {
        bail!(
            "{doing} takes no password: the second administrator sets it with \
             `safeground users confirm` (unset SAFEGROUND_PASSWORD)"
        );
    }
    let actor = administrator(store, actor, doing)?;
    let id = store.request_account_change(&actor, action, account)?;
    writeln!(
        out,
        "requested {} of {} (request {id}); another administrator confirms it with \
         `safeground users confirm DB {id} --actor NAME`",
        action.code(),
        account.username
    )?;
    Ok(())
}

fn password_or_generated(password: Option<String>) -> anyhow::Result<(String, bool)> {
    Ok(match password {
        Some(p) => (p, false),
        None => (generate_password()?, true),
    })
}

/// Creates an account at once (whatever its role: the demo's users) and returns its password.
pub fn add(
    store: &mut dyn Backend,
    actor: &str,
    username: &str,
    role: Role,
    organisation: &str,
    name: Option<&str>,
    password: Option<String>,
) -> anyhow::Result<(String, bool)> {
    let (password, generated) = password_or_generated(password)?;
    store.add_account(
        actor,
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
            actor,
        } => {
            let mut store = open(&db)?;
            if role == Role::VictimAssistance {
                let account = asked(
                    username.clone(),
                    name.unwrap_or(username),
                    organisation,
                    role,
                );
                let by = (actor.as_deref(), password.as_deref());
                return request(store.as_mut(), AccountAction::Create, &account, by, out);
            }
            let (password, generated) = add(
                store.as_mut(),
                actor.as_deref().unwrap_or(ACTOR),
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
            actor,
        } => {
            let mut store = open(&db)?;
            if let Some(a) = store.account(&username)?
                && a.role == Role::VictimAssistance
            {
                let account = asked(a.username, a.display_name, a.organisation, a.role);
                let by = (actor.as_deref(), password.as_deref());
                return request(
                    store.as_mut(),
                    AccountAction::ResetPassword,
                    &account,
                    by,
                    out,
                );
            }
            let (password, generated) = password_or_generated(password)?;
            let hash = hash_new_password(&username, &password)?;
            store.set_password_hash(actor.as_deref().unwrap_or(ACTOR), &username, &hash)?;
            writeln!(
                out,
                "password of {username} reset; its sessions and API tokens are revoked"
            )?;
            if generated {
                writeln!(out, "password: {password}")?;
            }
        }
        UsersCommand::Requests { db } => {
            let requests = open(&db)?.account_requests()?;
            writeln!(
                out,
                "{:<4} {:<15} {:<20} {:<18} {:<14} {:<20} requested at",
                "id", "action", "user", "role", "organisation", "requested by"
            )?;
            for r in requests {
                writeln!(
                    out,
                    "{:<4} {:<15} {:<20} {:<18} {:<14} {:<20} {}",
                    r.id,
                    r.action.code(),
                    r.username,
                    r.role.code(),
                    r.organisation,
                    r.requested_by,
                    r.requested_at.format("%Y-%m-%d %H:%M UTC")
                )?;
            }
        }
        UsersCommand::Confirm {
            db,
            id,
            actor,
            password,
        } => {
            let mut store = open(&db)?;
            let actor = administrator(
                store.as_ref(),
                Some(&actor),
                "a victim-assistance account change",
            )?;
            let pending = store.account_requests()?.into_iter().find(|r| r.id == id);
            let Some(request) = pending else {
                bail!(
                    "no pending account request {id}; list them with `safeground users requests`"
                );
            };
            let (password, generated) = password_or_generated(password)?;
            let hash = hash_new_password(&request.username, &password)?;
            let done = store.confirm_account_request(&actor, id, &hash)?;
            writeln!(
                out,
                "confirmed request {id} of {}: {} of {} ({}, {})",
                done.requested_by,
                done.action.code(),
                done.username,
                done.role,
                done.organisation
            )?;
            if generated {
                writeln!(out, "password: {password}")?;
            }
        }
    }
    Ok(())
}
