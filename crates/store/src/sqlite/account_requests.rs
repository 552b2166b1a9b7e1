//! Rows of account requests on SQLite.

use rusqlite::params;

use super::{SqliteStore, decoded_row, decoded_rows, fmt_time, parse_time};
use crate::account_requests::{AccountAction, AccountRequest, RequestRows};
use crate::{Result, Role};

const COLUMNS: &str =
    "id, action, username, display_name, organisation, role, requested_by, requested_at";

type Raw = (i64, String, String, String, String, String, String, String);

fn decode(raw: Raw) -> Result<AccountRequest> {
    let (id, action, username, display_name, organisation, role, requested_by, at) = raw;
    Ok(AccountRequest {
        id,
        action: AccountAction::from_code(&action)?,
        role: Role::stored(&role, || format!("account request {id}"))?,
        requested_at: parse_time(&at)?,
        username,
        display_name,
        organisation,
        requested_by,
    })
}

impl RequestRows for SqliteStore {
    fn insert_request(&mut self, r: &AccountRequest) -> Result<i64> {
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO account_request (action, username, display_name, organisation, role, \
             requested_by, requested_at, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending')",
            params![
                r.action.code(),
                r.username,
                r.display_name,
                r.organisation,
                r.role.code(),
                r.requested_by,
                fmt_time(r.requested_at)
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    fn pending_requests(&self) -> Result<Vec<AccountRequest>> {
        decoded_rows(
            &self.conn,
            &format!("SELECT {COLUMNS} FROM account_request WHERE status = 'pending' ORDER BY id"),
            [],
            decode,
        )
    }

    fn set_request_status(
        &mut self,
        id: i64,
        from: &str,
        to: &str,
    ) -> Result<Option<AccountRequest>> {
        let tx = self.write_tx()?;
        let row = decoded_row(
            &tx,
            &format!(
                "UPDATE account_request SET status = ?3 WHERE id = ?1 AND status = ?2 \
                 RETURNING {COLUMNS}"
            ),
            params![id, from, to],
            decode,
        )?;
        tx.commit()?;
        Ok(row)
    }
}
