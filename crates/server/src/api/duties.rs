//! Separation of duties: four-eyes approval of reports.

use safeground_store::Report;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// With four-eyes approval on, refuses (403) an approval by the user who created or submitted
/// the report: a second approver must approve it.
pub fn second_approver(four_eyes: bool, who: &Principal, r: &Report) -> ApiResult<()> {
    if !four_eyes {
        return Ok(());
    }
    let own = |u: Option<&str>| u.is_some_and(|u| u.eq_ignore_ascii_case(&who.username));
    let did = if own(Some(&r.created_by)) {
        "created"
    } else if own(r.submitted_by.as_deref()) {
        "submitted"
    } else {
        return Ok(());
    };
    Err(ApiError::forbidden(format!(
        "you {did} report {}, so a second approver is needed: four-eyes approval lets nobody \
         approve their own report; ask another approver to approve it",
        r.id
    )))
}
