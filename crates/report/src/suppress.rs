//! Small-number suppression of published casualty counts, so that no person can be
//! re-identified: counts from 1 to threshold − 1 are shown as "<threshold", and a total is
//! withheld when subtracting the published counts from it would give a suppressed count
//! exactly.

use crate::table::Cell;

/// Shown for a total withheld because it would reveal a suppressed count.
pub const WITHHELD: &str = "x";

/// The suppression rule of a report.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Suppression {
    /// None: publish every count.
    pub threshold: Option<u32>,
}

impl Suppression {
    /// Whether a count is published as "<threshold".
    fn small(&self, v: u64) -> bool {
        self.threshold.is_some_and(|t| v >= 1 && v < u64::from(t))
    }

    fn marker(&self) -> Cell {
        Cell::Suppressed(format!("<{}", self.threshold.unwrap_or(0)))
    }

    /// A count as published.
    pub fn cell(&self, v: u64) -> Cell {
        if self.small(v) {
            self.marker()
        } else {
            Cell::Count(v)
        }
    }

    /// The total of `parts` (the counts it adds up) as published: suppressed when small
    /// itself; withheld when the suppressed parts could be recovered from it exactly (one
    /// suppressed part, or suppressed parts that can only all be 1 or all be threshold − 1).
    pub fn total(&self, parts: &[u64]) -> Cell {
        let total: u64 = parts.iter().sum();
        let Some(t) = self.threshold else {
            return Cell::Count(total);
        };
        if self.small(total) {
            return self.marker();
        }
        let hidden: Vec<u64> = parts.iter().copied().filter(|v| self.small(*v)).collect();
        let k = hidden.len() as u64;
        let sum: u64 = hidden.iter().sum();
        if k > 0 && (k == 1 || sum == k || sum == k * (u64::from(t) - 1)) {
            Cell::Suppressed(WITHHELD.to_owned())
        } else {
            Cell::Count(total)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: u32) -> Suppression {
        Suppression { threshold: Some(t) }
    }

    #[test]
    fn small_counts_are_hidden_and_zero_is_not() {
        assert_eq!(s(5).cell(0), Cell::Count(0));
        for v in 1..5 {
            assert_eq!(s(5).cell(v), Cell::Suppressed("<5".into()));
        }
        assert_eq!(s(5).cell(5), Cell::Count(5));
        assert_eq!(Suppression { threshold: None }.cell(1), Cell::Count(1));
    }

    #[test]
    fn totals_that_would_reveal_a_small_count_are_withheld() {
        let x = Cell::Suppressed(WITHHELD.into());
        assert_eq!(s(5).total(&[3, 10]), x, "one hidden part");
        assert_eq!(s(5).total(&[1, 1, 10]), x, "hidden parts can only be 1");
        assert_eq!(s(5).total(&[4, 4, 10]), x, "hidden parts can only be 4");
        assert_eq!(s(5).total(&[2, 3, 10]), Cell::Count(15));
        assert_eq!(s(5).total(&[1, 2]), Cell::Suppressed("<5".into()));
        assert_eq!(s(5).total(&[0, 0]), Cell::Count(0));
        assert_eq!(s(5).total(&[6, 7]), Cell::Count(13));
    }
}
