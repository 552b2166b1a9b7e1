//! What can go wrong while planning, with what to do next.

/// A planning computation that cannot give a trustworthy answer.
#[derive(Debug, thiserror::Error)]
pub enum PlanningError {
    /// The criteria file does not parse or names an unknown criterion or parameter.
    #[error("criteria: {0}")]
    Criteria(String),
    /// Not enough data for the figure asked for (no productivity for a team's assets, too few
    /// events to validate a model, ...).
    #[error("not enough data: {0}")]
    NotEnoughData(String),
    /// A parameter out of its range (zero runs, a deadline before today, ...).
    #[error("{0}")]
    Parameter(String),
}
