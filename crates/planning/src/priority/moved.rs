//! Who moved when the criteria changed: the hazards whose rank differs between two rankings.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Ranked;

/// A hazard's move between two rankings.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Move {
    /// Item id.
    pub item: String,
    /// Local id.
    pub local_id: String,
    /// Rank before (None: not ranked before).
    pub from: Option<usize>,
    /// Rank after (None: not ranked after).
    pub to: Option<usize>,
}

impl Move {
    /// Places gained (positive: moved up).
    pub fn gained(&self) -> i64 {
        match (self.from, self.to) {
            (Some(f), Some(t)) => f as i64 - t as i64,
            _ => 0,
        }
    }
}

/// The hazards ranked differently in `after` than in `before`, biggest moves first (then by
/// the new rank).
pub fn moves(before: &[Ranked], after: &[Ranked]) -> Vec<Move> {
    let old: BTreeMap<&str, &Ranked> = before.iter().map(|r| (r.item.as_str(), r)).collect();
    let new: BTreeMap<&str, &Ranked> = after.iter().map(|r| (r.item.as_str(), r)).collect();
    let mut out: Vec<Move> = old
        .keys()
        .chain(new.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter_map(|item| {
            let (o, n) = (old.get(item), new.get(item));
            let (from, to) = (o.map(|r| r.rank), n.map(|r| r.rank));
            (from != to).then(|| Move {
                item: (*item).to_owned(),
                local_id: o.or(n).map(|r| r.local_id.clone()).unwrap_or_default(),
                from,
                to,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.gained()
            .abs()
            .cmp(&a.gained().abs())
            .then(a.to.unwrap_or(usize::MAX).cmp(&b.to.unwrap_or(usize::MAX)))
    });
    out
}
