//! User accounts, sessions, API tokens and login failures on SQLite.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{SqliteStore, audit, decoded_row, decoded_rows, fmt_time, parse_time};
use crate::accounts::check_hub_role;
use crate::{
    Account, AccountStore, Credential, CredentialInfo, CredentialKind, NewAccount, Result, Role,
    StoreError,
};

const ACCOUNT_COLUMNS: &str = "username, display_name, organisation, role, disabled, created_at";

/// The columns of [`ACCOUNT_COLUMNS`].
type RawAccount = (String, String, String, String, bool, String);

fn decode_account(raw: RawAccount) -> Result<Account> {
    let (username, display_name, organisation, role, disabled, created_at) = raw;
    Ok(Account {
        role: Role::stored(&role, || format!("account {username}"))?,
        created_at: parse_time(&created_at)?,
        username,
        display_name,
        organisation,
        disabled,
    })
}

fn load_account(conn: &Connection, username: &str) -> Result<Option<Account>> {
    decoded_row(
        conn,
        &format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE username = ?1"),
        [username],
        decode_account,
    )
}

fn account_id(conn: &Connection, username: &str) -> Result<i64> {
    conn.query_row(
        "SELECT id FROM account WHERE username = ?1",
        [username],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| {
        StoreError::Account(format!(
            "no user `{username}`; list users with `safeground users list`"
        ))
    })
}

/// The node ids registered at this hub; None when the programme is no hub.
fn hub_nodes(conn: &Connection) -> Result<Option<Vec<String>>> {
    if !super::hub::is_hub(conn)? {
        return Ok(None);
    }
    let mut stmt = conn.prepare("SELECT node FROM hub_node ORDER BY node")?;
    let nodes = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(Some(nodes))
}

impl AccountStore for SqliteStore {
    fn add_account(&mut self, actor: &str, account: &NewAccount) -> Result<Account> {
        account.check()?;
        let tx = self.write_tx()?;
        check_hub_role(account, hub_nodes(&tx)?.as_deref())?;
        if load_account(&tx, &account.username)?.is_some() {
            return Err(StoreError::Account(format!(
                "user `{}` already exists; choose another name or reset its password",
                account.username
            )));
        }
        tx.execute(
            "INSERT INTO account (username, display_name, organisation, role, password_hash, \
             created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                account.username,
                account.display_name.trim(),
                account.organisation.trim(),
                account.role.code(),
                account.password_hash,
                fmt_time(Utc::now()),
            ],
        )?;
        audit(
            &tx,
            actor,
            "account.create",
            &format!("user:{}", account.username),
            Some(&format!(
                "role {}, organisation {}",
                account.role, account.organisation
            )),
        )?;
        let created = load_account(&tx, &account.username)?
            .ok_or_else(|| StoreError::corrupt("account", "vanished after insert"))?;
        tx.commit()?;
        Ok(created)
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        decoded_rows(
            &self.conn,
            &format!("SELECT {ACCOUNT_COLUMNS} FROM account ORDER BY username"),
            [],
            decode_account,
        )
    }

    fn account(&self, username: &str) -> Result<Option<Account>> {
        load_account(&self.conn, username)
    }

    fn password_hash(&self, username: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT password_hash FROM account WHERE username = ?1 AND disabled = 0",
                [username],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn set_account_disabled(&mut self, actor: &str, username: &str, disabled: bool) -> Result<()> {
        let tx = self.write_tx()?;
        let id = account_id(&tx, username)?;
        tx.execute(
            "UPDATE account SET disabled = ?1 WHERE id = ?2",
            params![disabled, id],
        )?;
        if disabled {
            tx.execute("DELETE FROM credential WHERE account_id = ?1", [id])?;
        }
        let action = if disabled {
            "account.disable"
        } else {
            "account.enable"
        };
        audit(&tx, actor, action, &format!("user:{username}"), None)?;
        tx.commit()?;
        Ok(())
    }

    fn set_password_hash(&mut self, actor: &str, username: &str, hash: &str) -> Result<()> {
        let tx = self.write_tx()?;
        let id = account_id(&tx, username)?;
        tx.execute(
            "UPDATE account SET password_hash = ?1 WHERE id = ?2",
            params![hash, id],
        )?;
        tx.execute("DELETE FROM credential WHERE account_id = ?1", [id])?;
        audit(
            &tx,
            actor,
            "account.password_reset",
            &format!("user:{username}"),
            Some("sessions and API tokens revoked"),
        )?;
        tx.commit()?;
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
        let tx = self.write_tx()?;
        let id = account_id(&tx, username)?;
        tx.execute(
            "INSERT INTO credential (token_hash, account_id, kind, label, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                token_hash,
                id,
                kind.as_code(),
                label,
                fmt_time(Utc::now()),
                expires_at.map(fmt_time)
            ],
        )?;
        if kind == CredentialKind::ApiToken {
            audit(
                &tx,
                username,
                "account.token_create",
                &format!("user:{username}"),
                label,
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn credential(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Credential>> {
        let row = self
            .conn
            .query_row(
                "SELECT a.username, a.display_name, a.organisation, a.role, a.disabled, \
                 a.created_at, c.kind, c.label, c.expires_at \
                 FROM credential c JOIN account a ON a.id = c.account_id \
                 WHERE c.token_hash = ?1 AND a.disabled = 0 \
                 AND (c.expires_at IS NULL OR c.expires_at > ?2)",
                params![token_hash, fmt_time(now)],
                |r| {
                    Ok((
                        RawAccount::try_from(r)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, Option<String>>(7)?,
                        r.get::<_, Option<String>>(8)?,
                    ))
                },
            )
            .optional()?;
        let Some((account, kind, label, expires_at)) = row else {
            return Ok(None);
        };
        Ok(Some(Credential {
            account: decode_account(account)?,
            kind: CredentialKind::from_code(&kind)
                .ok_or_else(|| StoreError::corrupt("credential", format!("kind {kind}")))?,
            label,
            expires_at: expires_at.map(|t| parse_time(&t)).transpose()?,
        }))
    }

    fn credentials(&self, username: &str, now: DateTime<Utc>) -> Result<Vec<CredentialInfo>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.token_hash, c.kind, c.label, c.created_at, c.expires_at \
             FROM credential c JOIN account a ON a.id = c.account_id \
             WHERE a.username = ?1 AND (c.expires_at IS NULL OR c.expires_at > ?2) \
             ORDER BY c.created_at DESC, c.token_hash",
        )?;
        let rows = stmt
            .query_map(params![username, fmt_time(now)], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(token_hash, kind, label, created_at, expires_at)| {
                Ok(CredentialInfo {
                    kind: CredentialKind::from_code(&kind)
                        .ok_or_else(|| StoreError::corrupt("credential", format!("kind {kind}")))?,
                    token_hash,
                    label,
                    created_at: parse_time(&created_at)?,
                    expires_at: expires_at.map(|t| parse_time(&t)).transpose()?,
                })
            })
            .collect()
    }

    fn revoke_credential(&mut self, actor: &str, token_hash: &str) -> Result<()> {
        let tx = self.write_tx()?;
        let n = tx.execute("DELETE FROM credential WHERE token_hash = ?1", [token_hash])?;
        if n > 0 {
            audit(&tx, actor, "account.logout", &format!("user:{actor}"), None)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn login_failures_since(&self, username: &str, since: DateTime<Utc>) -> Result<u32> {
        let username = &*crate::bounded(username, crate::audit::MAX_ACTOR_CHARS);
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM login_failure WHERE username = ?1 AND at > ?2",
            params![username, fmt_time(since)],
            |r| r.get(0),
        )?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    fn record_login(&mut self, username: &str, success: bool, detail: &str) -> Result<()> {
        // An attempted name is whatever a stranger typed: never kept beyond a user name's length.
        let username = &*crate::bounded(username, crate::audit::MAX_ACTOR_CHARS);
        let tx = self.write_tx()?;
        if success {
            tx.execute("DELETE FROM login_failure WHERE username = ?1", [username])?;
        } else {
            let now = Utc::now();
            // Failures older than a day no longer count for anything: keep the table small even
            // when someone tries many user names.
            tx.execute(
                "DELETE FROM login_failure WHERE at < ?1",
                [fmt_time(now - chrono::Duration::days(1))],
            )?;
            tx.execute(
                "INSERT INTO login_failure (username, at) VALUES (?1, ?2)",
                params![username, fmt_time(now)],
            )?;
        }
        let action = if success {
            "login.success"
        } else {
            "login.failure"
        };
        audit(
            &tx,
            username,
            action,
            &format!("user:{username}"),
            Some(detail),
        )?;
        tx.commit()?;
        Ok(())
    }

    fn record_audit(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        audit(&tx, actor, action, target, detail)?;
        tx.commit()?;
        Ok(())
    }
}
