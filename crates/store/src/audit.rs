//! The audit log's bounds and its paged reading.
//!
//! Whatever a request puts in the log (an attempted user name, a title, a comment) is cut to a
//! fixed length before it is written, so no request can make the log grow by more than a few
//! kilobytes; the log is read a page at a time, newest first.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Longest actor kept (a user name is at most 64 characters).
pub const MAX_ACTOR_CHARS: usize = 64;
/// Longest action kept.
pub const MAX_ACTION_CHARS: usize = 64;
/// Longest target kept.
pub const MAX_TARGET_CHARS: usize = 200;
/// Longest detail kept.
pub const MAX_DETAIL_CHARS: usize = 1000;

/// `text` cut to at most `max` characters; a cut text ends with `…`.
pub fn bounded(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let keep = text
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(text.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..keep]))
        }
    }
}

/// One audit line with every field within its bound.
pub(crate) struct BoundedAudit<'a> {
    pub actor: Cow<'a, str>,
    pub action: Cow<'a, str>,
    pub target: Cow<'a, str>,
    pub detail: Option<Cow<'a, str>>,
}

impl<'a> BoundedAudit<'a> {
    /// Cuts each field to its bound.
    pub(crate) fn new(
        actor: &'a str,
        action: &'a str,
        target: &'a str,
        detail: Option<&'a str>,
    ) -> Self {
        BoundedAudit {
            actor: bounded(actor, MAX_ACTOR_CHARS),
            action: bounded(action, MAX_ACTION_CHARS),
            target: bounded(target, MAX_TARGET_CHARS),
            detail: detail.map(|d| bounded(d, MAX_DETAIL_CHARS)),
        }
    }
}

/// Which audit lines to read: filters, and one page newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only lines of this actor (exact).
    pub actor: Option<String>,
    /// Only lines whose action starts with this (`login.` or `account.create`).
    pub action: Option<String>,
    /// Only lines at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only lines before this time.
    pub until: Option<DateTime<Utc>>,
    /// Only lines older than this id (the `next_before` of the previous page).
    pub before: Option<i64>,
    /// At most this many lines.
    pub limit: usize,
}

/// One page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditPage {
    /// The lines, newest first.
    pub entries: Vec<crate::AuditEntry>,
    /// Lines matching the filters, on every page.
    pub total: u64,
    /// The `before` of the next page (None: this is the last).
    pub next_before: Option<i64>,
}

impl AuditPage {
    /// A page from the lines read (up to `limit + 1`, to know whether more follow).
    pub(crate) fn from_rows(mut entries: Vec<crate::AuditEntry>, total: u64, limit: usize) -> Self {
        let more = entries.len() > limit;
        entries.truncate(limit);
        let next_before = more.then(|| entries.last().map(|e| e.id)).flatten();
        AuditPage {
            entries,
            total,
            next_before,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_to_their_bound_and_marked() {
        assert_eq!(bounded("short", 10), "short");
        assert_eq!(bounded("exactly10!", 10), "exactly10!");
        let long = "é".repeat(5000);
        let cut = bounded(&long, 64);
        assert_eq!(cut.chars().count(), 64);
        assert!(cut.ends_with('…'));
        let (actor, detail) = ("a".repeat(4 << 20), "d".repeat(9999));
        let b = BoundedAudit::new(&actor, "login.failure", "t", Some(&detail));
        assert_eq!(b.actor.chars().count(), MAX_ACTOR_CHARS);
        assert_eq!(b.detail.map(|d| d.chars().count()), Some(MAX_DETAIL_CHARS));
    }
}
