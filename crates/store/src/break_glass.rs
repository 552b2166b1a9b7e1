//! Break-glass: emergency access to victims' personal data that one person may open alone, but
//! that is loud, time-boxed, audited and reviewed afterwards. A grant says why (a reason of at
//! least [`MIN_REASON_CHARS`] characters), lasts [`MIN_MINUTES`]–[`MAX_MINUTES`] minutes, may be
//! closed early by its holder or an administrator, and is reviewed once over by an administrator
//! or victim-assistance officer other than its holder. Opening, closing and reviewing are each
//! written to the audit log in the same transaction as the grant; every personal-data read of a
//! holder is audited naming the grant.

use chrono::{DateTime, Duration, Utc};
use safeground_model::ValidationErrors;
use serde::Serialize;

use crate::{AccountStore, Result, Role, StoreError};

/// Fewest characters of a reason (after trimming).
pub const MIN_REASON_CHARS: usize = 20;
/// Longest reason kept.
pub const MAX_REASON_CHARS: usize = 1000;
/// Shortest grant, minutes.
pub const MIN_MINUTES: i64 = 1;
/// Longest grant, minutes.
pub const MAX_MINUTES: i64 = 240;
/// A grant's length when none is asked for, minutes.
pub const DEFAULT_MINUTES: i64 = 60;

/// One emergency access grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakGlass {
    /// Grant id.
    pub id: i64,
    /// The user who opened it (and holds it).
    pub holder: String,
    /// Why it was opened.
    pub reason: String,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// When it ends unless closed earlier.
    pub until: DateTime<Utc>,
    /// When it was closed early.
    pub closed_at: Option<DateTime<Utc>>,
    /// Who closed it early.
    pub closed_by: Option<String>,
    /// When it was reviewed.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Who reviewed it.
    pub reviewed_by: Option<String>,
    /// The reviewer's note.
    pub review_note: Option<String>,
}

impl BreakGlass {
    /// Whether the grant gives access at `at`.
    pub fn is_open_at(&self, at: DateTime<Utc>) -> bool {
        self.closed_at.is_none() && at < self.until
    }

    /// When the access ended or ends: its closing, else its end.
    pub fn ended_at(&self) -> DateTime<Utc> {
        self.closed_at.unwrap_or(self.until)
    }

    /// Whether the grant has ended at `at` and nobody has reviewed it yet.
    pub fn awaits_review_at(&self, at: DateTime<Utc>) -> bool {
        !self.is_open_at(at) && self.reviewed_at.is_none()
    }

    /// The audit detail of a read under this grant: `break-glass N: reason`.
    pub fn audit_detail(&self) -> String {
        format!("break-glass {}: {}", self.id, self.reason)
    }
}

/// An audit line written with a grant's row (its target is `break_glass:<id>`).
pub(crate) struct GrantAudit<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub detail: String,
}

/// The audit target of grant `id`.
pub(crate) fn target(id: i64) -> String {
    format!("break_glass:{id}")
}

/// The rows of grants, per backend; each write and its audit line in one transaction.
pub(crate) trait GrantRows {
    /// Stores `g` unless its holder has a grant open at `g.opened_at`; its id, or None.
    fn insert_grant(&mut self, g: &BreakGlass, audit: &GrantAudit<'_>) -> Result<Option<i64>>;
    /// Grants (of `holder` only, when given), newest first.
    fn grant_rows(&self, holder: Option<&str>) -> Result<Vec<BreakGlass>>;
    /// Marks grant `id` closed at `at` by `by` unless it was closed already; whether it was.
    fn close_grant(
        &mut self,
        id: i64,
        by: &str,
        at: DateTime<Utc>,
        audit: &GrantAudit<'_>,
    ) -> Result<bool>;
    /// Records the review of grant `id` unless it was reviewed already; whether it was.
    fn review_grant(
        &mut self,
        id: i64,
        by: &str,
        at: DateTime<Utc>,
        note: &str,
        audit: &GrantAudit<'_>,
    ) -> Result<bool>;
}

/// Opening, closing, listing and reviewing break-glass grants.
pub trait BreakGlassStore {
    /// Opens a grant of `minutes` (default [`DEFAULT_MINUTES`]) for `actor`, an enabled
    /// account, saying `reason` (audited `break_glass.open`). Who may open one is the caller's
    /// decision; a user holds at most one open grant.
    fn open_break_glass(
        &mut self,
        actor: &str,
        reason: &str,
        minutes: Option<i64>,
    ) -> Result<BreakGlass>;
    /// The grant of `user` open at `at`, if any.
    fn active_break_glass(&self, user: &str, at: DateTime<Utc>) -> Result<Option<BreakGlass>>;
    /// Grants (of `holder` only, when given), newest first.
    fn break_glass_grants(&self, holder: Option<&str>) -> Result<Vec<BreakGlass>>;
    /// Closes grant `id` now, as its holder or an administrator (audited `break_glass.close`).
    fn close_break_glass(&mut self, actor: &str, id: i64) -> Result<BreakGlass>;
    /// Reviews grant `id` once it has ended, as an administrator or victim-assistance officer
    /// who is not its holder, with a `note` (audited `break_glass.review`).
    fn review_break_glass(&mut self, actor: &str, id: i64, note: &str) -> Result<BreakGlass>;
}

fn refused(message: String) -> StoreError {
    StoreError::Account(message)
}

fn invalid(field: &str, message: String) -> StoreError {
    let mut e = ValidationErrors::default();
    e.add(field, message);
    StoreError::Invalid(e)
}

/// Checks the reason and the minutes; the trimmed reason and the minutes.
fn checked(reason: &str, minutes: Option<i64>) -> Result<(String, i64)> {
    let reason = reason.trim();
    let chars = reason.chars().count();
    if chars < MIN_REASON_CHARS {
        return Err(invalid(
            "reason",
            format!(
                "say why you need emergency access, in at least {MIN_REASON_CHARS} characters \
                 (the case, the victim, who asked); {chars} given"
            ),
        ));
    }
    if chars > MAX_REASON_CHARS {
        return Err(invalid(
            "reason",
            format!("keep the reason under {MAX_REASON_CHARS} characters; {chars} given"),
        ));
    }
    let minutes = minutes.unwrap_or(DEFAULT_MINUTES);
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
        return Err(invalid(
            "minutes",
            format!(
                "a grant lasts {MIN_MINUTES} to {MAX_MINUTES} minutes; {minutes} asked; \
                 open another one when it ends if you still need it"
            ),
        ));
    }
    Ok((reason.to_owned(), minutes))
}

impl<S: AccountStore + GrantRows> BreakGlassStore for S {
    fn open_break_glass(
        &mut self,
        actor: &str,
        reason: &str,
        minutes: Option<i64>,
    ) -> Result<BreakGlass> {
        let (reason, minutes) = checked(reason, minutes)?;
        let account = self
            .account(actor)?
            .filter(|a| !a.disabled)
            .ok_or_else(|| refused(format!("no enabled account `{actor}`")))?;
        let opened_at = Utc::now();
        let mut grant = BreakGlass {
            id: 0,
            holder: account.username,
            reason,
            opened_at,
            until: opened_at + Duration::minutes(minutes),
            closed_at: None,
            closed_by: None,
            reviewed_at: None,
            reviewed_by: None,
            review_note: None,
        };
        let audit = GrantAudit {
            actor: &grant.holder,
            action: "break_glass.open",
            detail: format!(
                "until {} ({minutes} min): {}",
                grant.until.format("%Y-%m-%dT%H:%M:%SZ"),
                grant.reason
            ),
        };
        let Some(id) = self.insert_grant(&grant, &audit)? else {
            return Err(refused(format!(
                "`{}` already holds an open emergency access grant; close it first \
                 (POST /api/break-glass/{{id}}/close) or use it",
                grant.holder
            )));
        };
        grant.id = id;
        Ok(grant)
    }

    fn active_break_glass(&self, user: &str, at: DateTime<Utc>) -> Result<Option<BreakGlass>> {
        Ok(self
            .grant_rows(Some(user))?
            .into_iter()
            .find(|g| g.is_open_at(at)))
    }

    fn break_glass_grants(&self, holder: Option<&str>) -> Result<Vec<BreakGlass>> {
        self.grant_rows(holder)
    }

    fn close_break_glass(&mut self, actor: &str, id: i64) -> Result<BreakGlass> {
        let grant = find(self, id)?;
        let role = role_of(self, actor)?;
        if !grant.holder.eq_ignore_ascii_case(actor) && role != Role::Administrator {
            return Err(refused(format!(
                "grant {id} is {}'s: only its holder or an administrator may close it",
                grant.holder
            )));
        }
        let now = Utc::now();
        if !grant.is_open_at(now) {
            return Err(refused(format!("grant {id} has already ended")));
        }
        let audit = GrantAudit {
            actor,
            action: "break_glass.close",
            detail: format!(
                "grant of {} closed before its end {}: {}",
                grant.holder,
                grant.until.format("%Y-%m-%dT%H:%M:%SZ"),
                grant.reason
            ),
        };
        if !self.close_grant(id, actor, now, &audit)? {
            return Err(refused(format!("grant {id} was closed meanwhile")));
        }
        find(self, id)
    }

    fn review_break_glass(&mut self, actor: &str, id: i64, note: &str) -> Result<BreakGlass> {
        let note = note.trim();
        if note.is_empty() {
            return Err(invalid(
                "note",
                "write what you checked (the reads in the audit log against the reason) and \
                 what you found"
                    .into(),
            ));
        }
        if note.chars().count() > MAX_REASON_CHARS {
            return Err(invalid(
                "note",
                format!("keep the note under {MAX_REASON_CHARS} characters"),
            ));
        }
        let grant = find(self, id)?;
        if grant.holder.eq_ignore_ascii_case(actor) {
            return Err(refused(format!(
                "grant {id} is yours: someone else must review it"
            )));
        }
        if !matches!(
            role_of(self, actor)?,
            Role::Administrator | Role::VictimAssistance
        ) {
            return Err(refused(
                "only an administrator or a victim-assistance officer reviews emergency access"
                    .into(),
            ));
        }
        let now = Utc::now();
        if grant.is_open_at(now) {
            return Err(refused(format!(
                "grant {id} is still open until {}: review it once it is closed or has expired",
                grant.until.format("%Y-%m-%dT%H:%M:%SZ")
            )));
        }
        let audit = GrantAudit {
            actor,
            action: "break_glass.review",
            detail: format!("grant of {}: {note}", grant.holder),
        };
        if !self.review_grant(id, actor, now, note, &audit)? {
            return Err(refused(format!("grant {id} has already been reviewed")));
        }
        find(self, id)
    }
}

fn find<S: GrantRows + ?Sized>(store: &S, id: i64) -> Result<BreakGlass> {
    store
        .grant_rows(None)?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| refused(format!("no emergency access grant {id}; list them first")))
}

fn role_of<S: AccountStore + ?Sized>(store: &S, actor: &str) -> Result<Role> {
    store
        .account(actor)?
        .filter(|a| !a.disabled)
        .map(|a| a.role)
        .ok_or_else(|| refused(format!("no enabled account `{actor}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_and_lengths_are_checked() {
        let err = checked("  too short  ", None).expect_err("short");
        assert!(err.to_string().contains("reason"), "{err}");
        assert_eq!(
            checked("the accident of 3 May, family asks", None)
                .expect("ok")
                .1,
            DEFAULT_MINUTES
        );
        for bad in [0, 241, -5] {
            let err = checked("the accident of 3 May, family asks", Some(bad)).expect_err("bad");
            assert!(err.to_string().contains("minutes"), "{err}");
        }
    }
}
