//! What the hub does with a verified bundle, given its checkpoint for the node (the last seq
//! it applied; 0 before the first bundle).

use std::fmt;

use crate::{FederationError, Manifest};

/// The hub's decision for a verified manifest.
///
/// ```
/// use safeground_federation::sequence::{Decision, decide};
/// # let key = safeground_federation::NodeKey::generate(safeground_federation::NodeId::new("KHM")?)?;
/// # let mut w = safeground_federation::BundleWriter::new(Vec::new(), &key)?;
/// # for seq in 101..=150 {
/// #     w.push(&safeground_federation::Entry::tombstone(seq, safeground_model::ItemKind::Hazard,
/// #         &format!("h{seq}"), 1))?;
/// # }
/// # let (_, manifest) = w.finish()?;
/// // `manifest` covers seq 101–150.
/// assert_eq!(decide(100, &manifest)?, Decision::ApplyAll);
/// assert_eq!(decide(120, &manifest)?, Decision::ApplyFrom(121));
/// assert_eq!(decide(150, &manifest)?, Decision::NothingToDo);
/// let gap = decide(40, &manifest).unwrap_err().to_string();
/// assert!(gap.starts_with("missing sequence 41–100 from node KHM"));
/// # Ok::<(), safeground_federation::FederationError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The bundle starts right after the checkpoint: apply every entry.
    ApplyAll,
    /// The bundle overlaps what the hub holds: apply the entries from this seq on, skip the
    /// earlier ones.
    ApplyFrom(u64),
    /// The hub holds every entry already (the same bundle again, or an older one).
    NothingToDo,
}

impl Decision {
    /// The first seq to apply, if any.
    pub fn first_seq(self, manifest: &Manifest) -> Option<u64> {
        match self {
            Decision::ApplyAll => Some(manifest.seq_from),
            Decision::ApplyFrom(seq) => Some(seq),
            Decision::NothingToDo => None,
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::ApplyAll => f.write_str("apply every entry"),
            Decision::ApplyFrom(seq) => {
                write!(
                    f,
                    "apply from seq {seq} on (the earlier ones are held already)"
                )
            }
            Decision::NothingToDo => f.write_str("nothing to do: every entry is held already"),
        }
    }
}

/// Decides what to do with `manifest`'s entries when the hub has applied the node's entries up
/// to `checkpoint`; refuses a bundle that starts after `checkpoint + 1`, naming the missing
/// range.
pub fn decide(checkpoint: u64, manifest: &Manifest) -> Result<Decision, FederationError> {
    let next = checkpoint.saturating_add(1);
    if manifest.seq_to <= checkpoint {
        Ok(Decision::NothingToDo)
    } else if manifest.seq_from == next {
        Ok(Decision::ApplyAll)
    } else if manifest.seq_from < next {
        Ok(Decision::ApplyFrom(next))
    } else {
        Err(FederationError::Gap {
            node: manifest.node.clone(),
            checkpoint,
            from: next,
            to: manifest.seq_from - 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::Utc;

    use super::*;
    use crate::NodeId;

    fn manifest(from: u64, to: u64) -> Manifest {
        Manifest {
            format: 1,
            node: NodeId::new("LAO").expect("node"),
            seq_from: from,
            seq_to: to,
            counts: BTreeMap::new(),
            withheld: to - from + 1,
            payload_bytes: 0,
            payload_sha256: String::new(),
            compression: "gzip".into(),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn every_position_of_the_checkpoint() {
        let m = manifest(101, 150);
        assert_eq!(decide(100, &m).ok(), Some(Decision::ApplyAll));
        assert_eq!(decide(101, &m).ok(), Some(Decision::ApplyFrom(102)));
        assert_eq!(decide(149, &m).ok(), Some(Decision::ApplyFrom(150)));
        assert_eq!(decide(150, &m).ok(), Some(Decision::NothingToDo));
        assert_eq!(decide(900, &m).ok(), Some(Decision::NothingToDo));
        assert_eq!(decide(0, &manifest(1, 1)).ok(), Some(Decision::ApplyAll));
        assert_eq!(Decision::ApplyFrom(120).first_seq(&m), Some(120));
        assert_eq!(Decision::ApplyAll.first_seq(&m), Some(101));
        assert_eq!(Decision::NothingToDo.first_seq(&m), None);
    }

    #[test]
    fn a_gap_names_the_missing_range() {
        let m = manifest(150, 200);
        let e = decide(100, &m).expect_err("gap");
        assert!(matches!(
            e,
            FederationError::Gap {
                from: 101,
                to: 149,
                ..
            }
        ));
        assert_eq!(
            e.to_string(),
            "missing sequence 101–149 from node LAO: import the bundle(s) covering them first \
             (or export again from the hub's checkpoint 100)"
        );
        let e = decide(0, &manifest(2, 3)).expect_err("first bundle missing");
        assert!(e.to_string().starts_with("missing sequence 1–1 "), "{e}");
    }
}
