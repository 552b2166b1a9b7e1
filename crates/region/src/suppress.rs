//! The reports' small-number rule on published casualty counts: a count from 1 to threshold − 1
//! is published as "<threshold"; a total is withheld ("x") when subtracting the published
//! counts from it would give a suppressed count exactly.

use serde::Serialize;
use utoipa::ToSchema;

/// A published count: the number, or a string where it is suppressed ("<5") or withheld ("x").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Published {
    /// The count.
    Count(u64),
    /// "<N" for a small count, "x" for a total that would reveal one.
    Suppressed(String),
}

impl Default for Published {
    fn default() -> Self {
        Published::Count(0)
    }
}

impl Published {
    /// The number, if it is published.
    pub fn count(&self) -> Option<u64> {
        match self {
            Published::Count(n) => Some(*n),
            Published::Suppressed(_) => None,
        }
    }

    /// As text: the number or the marker.
    pub fn text(&self) -> String {
        match self {
            Published::Count(n) => n.to_string(),
            Published::Suppressed(s) => s.clone(),
        }
    }
}

/// Shown for a total withheld because it would reveal a suppressed count.
pub(crate) const WITHHELD: &str = "x";

/// Whether `v` is published as "<threshold".
fn small(threshold: u64, v: u64) -> bool {
    v >= 1 && v < threshold
}

/// A count as published.
pub(crate) fn cell(threshold: u64, v: u64) -> Published {
    if small(threshold, v) {
        Published::Suppressed(format!("<{threshold}"))
    } else {
        Published::Count(v)
    }
}

/// The total of `parts` as published: suppressed when small itself; withheld when the
/// suppressed parts could be recovered from it (one suppressed part, or suppressed parts that
/// can only all be 1 or all be threshold − 1).
pub(crate) fn total(threshold: u64, parts: &[u64]) -> Published {
    let sum: u64 = parts.iter().sum();
    if small(threshold, sum) {
        return cell(threshold, sum);
    }
    let hidden: Vec<u64> = parts
        .iter()
        .copied()
        .filter(|v| small(threshold, *v))
        .collect();
    let k = hidden.len() as u64;
    let hidden_sum: u64 = hidden.iter().sum();
    if k > 0 && (k == 1 || hidden_sum == k || hidden_sum == k * (threshold - 1)) {
        Published::Suppressed(WITHHELD.to_owned())
    } else {
        Published::Count(sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lt5() -> Published {
        Published::Suppressed("<5".into())
    }

    #[test]
    fn counts_from_one_to_four_are_published_as_below_five() {
        assert_eq!(cell(5, 0), Published::Count(0));
        for v in 1..5 {
            assert_eq!(cell(5, v), lt5());
        }
        assert_eq!(cell(5, 5), Published::Count(5));
    }

    #[test]
    fn a_total_that_gives_a_hidden_count_away_is_withheld() {
        let x = Published::Suppressed("x".into());
        // 3 + 10 = 13: 13 − 10 reveals the 3.
        assert_eq!(total(5, &[3, 10]), x);
        // Two hidden parts summing to 2 can only be 1 and 1.
        assert_eq!(total(5, &[1, 1, 10]), x);
        // Two hidden parts summing to 8 can only be 4 and 4.
        assert_eq!(total(5, &[4, 4, 10]), x);
        // 2 + 3: the hidden parts could be 1 + 4 as well.
        assert_eq!(total(5, &[2, 3, 10]), Published::Count(15));
        assert_eq!(total(5, &[1, 2]), lt5());
        assert_eq!(total(5, &[6, 7]), Published::Count(13));
        assert_eq!(total(5, &[]), Published::Count(0));
    }

    #[test]
    fn published_counts_serialise_as_numbers_or_markers() {
        let v = serde_json::to_value([Published::Count(7), lt5()]).expect("json");
        assert_eq!(v, serde_json::json!([7, "<5"]));
    }
}
