//! Rows of account requests on PostgreSQL.

use postgres::Row;

use super::{Doing, PostgresStore};
use crate::account_requests::{AccountAction, AccountRequest, RequestRows};
use crate::{Result, Role};

const COLUMNS: &str =
    "id, action, username, display_name, organisation, role, requested_by, requested_at";

const DOING: &str = "reading account requests";

fn decode(r: &Row) -> Result<AccountRequest> {
    let id: i64 = r.try_get(0).doing(DOING)?;
    let action: String = r.try_get(1).doing(DOING)?;
    let role: String = r.try_get(5).doing(DOING)?;
    Ok(AccountRequest {
        id,
        action: AccountAction::from_code(&action)?,
        username: r.try_get(2).doing(DOING)?,
        display_name: r.try_get(3).doing(DOING)?,
        organisation: r.try_get(4).doing(DOING)?,
        role: Role::stored(&role, || format!("account request {id}"))?,
        requested_by: r.try_get(6).doing(DOING)?,
        requested_at: r.try_get(7).doing(DOING)?,
    })
}

impl RequestRows for PostgresStore {
    fn insert_request(&mut self, r: &AccountRequest) -> Result<i64> {
        let doing = "writing an account request";
        let mut tx = self.write_tx()?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO account_request (id, action, username, display_name, organisation, \
                 role, requested_by, requested_at, status) \
                 VALUES ((SELECT coalesce(max(id), 0) + 1 FROM account_request), \
                 $1, $2, $3, $4, $5, $6, $7, 'pending') RETURNING id",
                &[
                    &r.action.code(),
                    &r.username,
                    &r.display_name,
                    &r.organisation,
                    &r.role.code(),
                    &r.requested_by,
                    &r.requested_at,
                ],
            )
            .doing(doing)?
            .get(0);
        tx.commit().doing(doing)?;
        Ok(id)
    }

    fn pending_requests(&self) -> Result<Vec<AccountRequest>> {
        self.client()?
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM account_request WHERE status = 'pending' ORDER BY id"
                ),
                &[],
            )
            .doing(DOING)?
            .iter()
            .map(decode)
            .collect()
    }

    fn set_request_status(
        &mut self,
        id: i64,
        from: &str,
        to: &str,
    ) -> Result<Option<AccountRequest>> {
        let doing = "deciding an account request";
        let mut tx = self.write_tx()?;
        let row = tx
            .query_opt(
                &format!(
                    "UPDATE account_request SET status = $3 WHERE id = $1 AND status = $2 \
                     RETURNING {COLUMNS}"
                ),
                &[&id, &from, &to],
            )
            .doing(doing)?;
        tx.commit().doing(doing)?;
        row.as_ref().map(decode).transpose()
    }
}
