//! A person's verdict on a detection.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DetectionError;

/// What a person decided about a detection (snake_case in JSON and the database).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Not yet looked at.
    #[default]
    Pending,
    /// An item is there (confirmed on the ground or on clear imagery).
    Confirmed,
    /// Nothing there: the detector was wrong.
    FalsePositive,
    /// Looked at, but cannot be told (image too poor, area not reachable).
    NotVerifiable,
}

impl Verdict {
    /// All verdicts, in order.
    pub const ALL: [Verdict; 4] = [
        Verdict::Pending,
        Verdict::Confirmed,
        Verdict::FalsePositive,
        Verdict::NotVerifiable,
    ];

    /// The snake_case name: `pending`, `confirmed`, `false_positive`, `not_verifiable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::FalsePositive => "false_positive",
            Self::NotVerifiable => "not_verifiable",
        }
    }

    /// Whether the verdict says yes or no (confirmed or false positive).
    pub fn is_verified(self) -> bool {
        matches!(self, Self::Confirmed | Self::FalsePositive)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Verdict {
    type Err = DetectionError;

    /// Reads the snake_case name; case and `-`/space for `_` are forgiven.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Verdict::ALL
            .into_iter()
            .find(|v| v.as_str() == norm)
            .ok_or_else(|| {
                DetectionError::Format(format!(
                    "unknown verdict `{s}`: use pending, confirmed, false_positive or not_verifiable"
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for v in Verdict::ALL {
            assert_eq!(v.as_str().parse::<Verdict>(), Ok(v));
            assert_eq!(
                serde_json::to_string(&v).ok(),
                Some(format!("\"{}\"", v.as_str()))
            );
        }
        assert_eq!(
            "False-Positive".parse::<Verdict>(),
            Ok(Verdict::FalsePositive)
        );
        assert!("maybe".parse::<Verdict>().is_err());
    }
}
