//! User accounts, sessions, API tokens and login failures on PostgreSQL. User names compare
//! case-insensitively (`lower(username)`, with a unique index on it), as SQLite's NOCASE.

use chrono::{DateTime, Utc};
use postgres::{GenericClient, Row};

use super::{Doing, PostgresStore, audit};
use crate::accounts::check_hub_role;
use crate::{
    Account, AccountStore, Credential, CredentialInfo, CredentialKind, NewAccount, Result, Role,
    StoreError,
};

const ACCOUNT_COLUMNS: &str = "username, display_name, organisation, role, disabled, created_at";

/// Decodes [`ACCOUNT_COLUMNS`] starting at column 0.
fn decode_account(r: &Row) -> Result<Account> {
    let get = |e| StoreError::postgres("reading an account", e);
    let username: String = r.try_get(0).map_err(get)?;
    let role: String = r.try_get(3).map_err(get)?;
    Ok(Account {
        role: Role::stored(&role, || format!("account {username}"))?,
        display_name: r.try_get(1).map_err(get)?,
        organisation: r.try_get(2).map_err(get)?,
        disabled: r.try_get(4).map_err(get)?,
        created_at: r.try_get(5).map_err(get)?,
        username,
    })
}

fn load_account<C: GenericClient>(c: &mut C, username: &str) -> Result<Option<Account>> {
    c.query_opt(
        &format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE lower(username) = lower($1)"),
        &[&username],
    )
    .doing(&format!("reading account {username}"))?
    .as_ref()
    .map(decode_account)
    .transpose()
}

fn account_id<C: GenericClient>(c: &mut C, username: &str) -> Result<i64> {
    c.query_opt(
        "SELECT id FROM account WHERE lower(username) = lower($1)",
        &[&username],
    )
    .doing(&format!("reading account {username}"))?
    .map(|r| r.get(0))
    .ok_or_else(|| {
        StoreError::Account(format!(
            "no user `{username}`; list users with `safeground users list`"
        ))
    })
}

/// The node ids registered at this hub; None when the programme is no hub.
fn hub_nodes<C: GenericClient>(c: &mut C) -> Result<Option<Vec<String>>> {
    if !super::hub::is_hub(c)? {
        return Ok(None);
    }
    let rows = c
        .query("SELECT node FROM hub_node ORDER BY node", &[])
        .doing("reading the hub's nodes")?;
    rows.iter()
        .map(|r| {
            r.try_get(0)
                .map_err(|e| StoreError::postgres("reading the hub's nodes", e))
        })
        .collect::<Result<Vec<String>>>()
        .map(Some)
}

impl AccountStore for PostgresStore {
    fn add_account(&mut self, actor: &str, account: &NewAccount) -> Result<Account> {
        account.check()?;
        let mut tx = self.write_tx()?;
        check_hub_role(account, hub_nodes(&mut tx)?.as_deref())?;
        if load_account(&mut tx, &account.username)?.is_some() {
            return Err(StoreError::Account(format!(
                "user `{}` already exists; choose another name or reset its password",
                account.username
            )));
        }
        tx.execute(
            "INSERT INTO account (username, display_name, organisation, role, password_hash, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &account.username,
                &account.display_name.trim(),
                &account.organisation.trim(),
                &account.role.code(),
                &account.password_hash,
                &Utc::now(),
            ],
        )
        .doing(&format!("creating account {}", account.username))?;
        audit(
            &mut tx,
            actor,
            "account.create",
            &format!("user:{}", account.username),
            Some(&format!(
                "role {}, organisation {}",
                account.role, account.organisation
            )),
        )?;
        let created = load_account(&mut tx, &account.username)?
            .ok_or_else(|| StoreError::corrupt("account", "vanished after insert"))?;
        tx.commit().doing("committing a new account")?;
        Ok(created)
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        self.client()?
            .query(
                &format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM account \
                     ORDER BY lower(username) COLLATE \"C\", username COLLATE \"C\""
                ),
                &[],
            )
            .doing("listing accounts")?
            .iter()
            .map(decode_account)
            .collect()
    }

    fn account(&self, username: &str) -> Result<Option<Account>> {
        load_account(&mut *self.client()?, username)
    }

    fn password_hash(&self, username: &str) -> Result<Option<String>> {
        self.client()?
            .query_opt(
                "SELECT password_hash FROM account \
                 WHERE lower(username) = lower($1) AND NOT disabled",
                &[&username],
            )
            .doing(&format!("reading account {username}"))?
            .map(|r| r.try_get(0))
            .transpose()
            .doing(&format!("reading account {username}"))
    }

    fn set_account_disabled(&mut self, actor: &str, username: &str, disabled: bool) -> Result<()> {
        let doing = format!("changing account {username}");
        let mut tx = self.write_tx()?;
        let id = account_id(&mut tx, username)?;
        tx.execute(
            "UPDATE account SET disabled = $1 WHERE id = $2",
            &[&disabled, &id],
        )
        .doing(&doing)?;
        if disabled {
            tx.execute("DELETE FROM credential WHERE account_id = $1", &[&id])
                .doing(&doing)?;
        }
        let action = if disabled {
            "account.disable"
        } else {
            "account.enable"
        };
        audit(&mut tx, actor, action, &format!("user:{username}"), None)?;
        tx.commit().doing(&doing)?;
        Ok(())
    }

    fn set_password_hash(&mut self, actor: &str, username: &str, hash: &str) -> Result<()> {
        let doing = format!("resetting the password of {username}");
        let mut tx = self.write_tx()?;
        let id = account_id(&mut tx, username)?;
        tx.execute(
            "UPDATE account SET password_hash = $1 WHERE id = $2",
            &[&hash, &id],
        )
        .doing(&doing)?;
        tx.execute("DELETE FROM credential WHERE account_id = $1", &[&id])
            .doing(&doing)?;
        audit(
            &mut tx,
            actor,
            "account.password_reset",
            &format!("user:{username}"),
            Some("sessions and API tokens revoked"),
        )?;
        tx.commit().doing(&doing)?;
        Ok(())
    }

    fn add_credential(
        &mut self,
        username: &str,
        token_hash: &str,
        kind: CredentialKind,
        label: Option<&str>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let doing = format!("storing a credential of {username}");
        let mut tx = self.write_tx()?;
        let id = account_id(&mut tx, username)?;
        tx.execute(
            "INSERT INTO credential (token_hash, account_id, kind, label, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &token_hash,
                &id,
                &kind.as_code(),
                &label,
                &Utc::now(),
                &expires_at,
            ],
        )
        .doing(&doing)?;
        if kind == CredentialKind::ApiToken {
            audit(
                &mut tx,
                username,
                "account.token_create",
                &format!("user:{username}"),
                label,
            )?;
        }
        tx.commit().doing(&doing)?;
        Ok(())
    }

    fn credential(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Credential>> {
        let doing = "reading a credential";
        let row = self
            .client()?
            .query_opt(
                "SELECT a.username, a.display_name, a.organisation, a.role, a.disabled, \
                 a.created_at, c.kind, c.label, c.expires_at \
                 FROM credential c JOIN account a ON a.id = c.account_id \
                 WHERE c.token_hash = $1 AND NOT a.disabled \
                 AND (c.expires_at IS NULL OR c.expires_at > $2)",
                &[&token_hash, &now],
            )
            .doing(doing)?;
        let Some(r) = row else {
            return Ok(None);
        };
        let kind: String = r.try_get(6).doing(doing)?;
        Ok(Some(Credential {
            account: decode_account(&r)?,
            kind: CredentialKind::from_code(&kind)
                .ok_or_else(|| StoreError::corrupt("credential", format!("kind {kind}")))?,
            label: r.try_get(7).doing(doing)?,
            expires_at: r.try_get(8).doing(doing)?,
        }))
    }

    fn credentials(&self, username: &str, now: DateTime<Utc>) -> Result<Vec<CredentialInfo>> {
        let doing = "listing credentials";
        let rows = self
            .client()?
            .query(
                "SELECT c.token_hash, c.kind, c.label, c.created_at, c.expires_at \
                 FROM credential c JOIN account a ON a.id = c.account_id \
                 WHERE lower(a.username) = lower($1) \
                 AND (c.expires_at IS NULL OR c.expires_at > $2) \
                 ORDER BY c.created_at DESC, c.token_hash",
                &[&username, &now],
            )
            .doing(doing)?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(1).doing(doing)?;
                Ok(CredentialInfo {
                    token_hash: r.try_get(0).doing(doing)?,
                    kind: CredentialKind::from_code(&kind)
                        .ok_or_else(|| StoreError::corrupt("credential", format!("kind {kind}")))?,
                    label: r.try_get(2).doing(doing)?,
                    created_at: r.try_get(3).doing(doing)?,
                    expires_at: r.try_get(4).doing(doing)?,
                })
            })
            .collect()
    }

    fn revoke_credential(&mut self, actor: &str, token_hash: &str) -> Result<()> {
        let doing = "revoking a credential";
        let mut tx = self.write_tx()?;
        let n = tx
            .execute(
                "DELETE FROM credential WHERE token_hash = $1",
                &[&token_hash],
            )
            .doing(doing)?;
        if n > 0 {
            audit(
                &mut tx,
                actor,
                "account.logout",
                &format!("user:{actor}"),
                None,
            )?;
        }
        tx.commit().doing(doing)?;
        Ok(())
    }

    fn login_failures_since(&self, username: &str, since: DateTime<Utc>) -> Result<u32> {
        let username = &*crate::bounded(username, crate::audit::MAX_ACTOR_CHARS);
        let n: i64 = self
            .client()?
            .query_one(
                "SELECT count(*) FROM login_failure WHERE lower(username) = lower($1) AND at > $2",
                &[&username, &since],
            )
            .doing("counting login failures")?
            .get(0);
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    fn record_login(&mut self, username: &str, success: bool, detail: &str) -> Result<()> {
        // An attempted name is whatever a stranger typed: never kept beyond a user name's length.
        let username = &*crate::bounded(username, crate::audit::MAX_ACTOR_CHARS);
        let doing = "recording a login";
        let mut tx = self.write_tx()?;
        if success {
            tx.execute(
                "DELETE FROM login_failure WHERE lower(username) = lower($1)",
                &[&username],
            )
            .doing(doing)?;
        } else {
            let now = Utc::now();
            // Failures older than a day no longer count for anything: keep the table small even
            // when someone tries many user names.
            tx.execute(
                "DELETE FROM login_failure WHERE at < $1",
                &[&(now - chrono::Duration::days(1))],
            )
            .doing(doing)?;
            tx.execute(
                "INSERT INTO login_failure (username, at) VALUES ($1, $2)",
                &[&username, &now],
            )
            .doing(doing)?;
        }
        let action = if success {
            "login.success"
        } else {
            "login.failure"
        };
        audit(
            &mut tx,
            username,
            action,
            &format!("user:{username}"),
            Some(detail),
        )?;
        tx.commit().doing(doing)?;
        Ok(())
    }

    fn record_audit(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.write_tx()?;
        audit(&mut tx, actor, action, target, detail)?;
        tx.commit().doing("writing the audit log")?;
        Ok(())
    }
}
