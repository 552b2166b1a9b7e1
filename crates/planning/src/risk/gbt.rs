//! The learned model: gradient-boosted regression trees on the logistic loss.
//!
//! Each round fits one tree of depth ≤ 3 to the loss's gradient (p − y) and Hessian
//! (p(1 − p)) with Newton leaf values −ΣG / (ΣH + λ), shrunk by the learning rate. Split
//! candidates are at most 32 quantile thresholds per feature, taken from the training cells;
//! a split is kept only if it lowers the loss. There is no sampling, and ties between splits
//! go to the first feature and lowest threshold, so the same data give the same trees.

use super::features::FEATURES;
use super::{CellFeatures, RiskModel};
use crate::PlanningError;

/// Boosted trees with their settings; [`RiskModel::fit`] replaces the trees.
#[derive(Debug, Clone)]
pub struct BoostedTrees {
    /// Boosting rounds (trees).
    pub rounds: usize,
    /// Tree depth (at most 3).
    pub depth: usize,
    /// Learning rate each tree's leaves are multiplied by.
    pub shrinkage: f64,
    /// Most split thresholds per feature.
    pub bins: usize,
    /// L2 penalty on leaf values (λ).
    pub lambda: f64,
    base: f64,
    trees: Vec<Tree>,
}

impl Default for BoostedTrees {
    fn default() -> Self {
        Self {
            rounds: 40,
            depth: 3,
            shrinkage: 0.2,
            bins: 32,
            lambda: 1.0,
            base: 0.0,
            trees: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
enum Node {
    Split {
        feature: usize,
        threshold: f64,
        left: usize,
        right: usize,
    },
    Leaf(f64),
}

#[derive(Debug, Clone)]
struct Tree(Vec<Node>);

impl Tree {
    fn eval(&self, x: &[f64; FEATURES]) -> f64 {
        let mut i = 0;
        loop {
            match self.0.get(i) {
                Some(Node::Split {
                    feature,
                    threshold,
                    left,
                    right,
                }) => {
                    i = if x[*feature] <= *threshold {
                        *left
                    } else {
                        *right
                    };
                }
                Some(Node::Leaf(v)) => return *v,
                None => return 0.0,
            }
        }
    }
}

/// Training state shared by the nodes of one tree.
struct Round<'a> {
    bins: &'a [[u8; FEATURES]],
    thresholds: &'a [Vec<f64>; FEATURES],
    grad: &'a [f64],
    hess: &'a [f64],
    lambda: f64,
    shrinkage: f64,
}

impl Round<'_> {
    /// Grows the node over `idx` at `depth`, pushing it into `nodes`; adds its leaves' values
    /// to `raw`. Returns the node's index.
    fn grow(&self, idx: Vec<usize>, depth: usize, nodes: &mut Vec<Node>, raw: &mut [f64]) -> usize {
        let at = nodes.len();
        nodes.push(Node::Leaf(0.0));
        let g: f64 = idx.iter().map(|&i| self.grad[i]).sum();
        let h: f64 = idx.iter().map(|&i| self.hess[i]).sum();
        let split = if depth == 0 || idx.len() < 2 {
            None
        } else {
            self.best_split(&idx, g, h)
        };
        match split {
            None => {
                let v = -g / (h + self.lambda) * self.shrinkage;
                for &i in &idx {
                    raw[i] += v;
                }
                nodes[at] = Node::Leaf(v);
            }
            Some((feature, k)) => {
                let (l, r): (Vec<usize>, Vec<usize>) = idx
                    .into_iter()
                    .partition(|&i| (self.bins[i][feature] as usize) <= k);
                let left = self.grow(l, depth - 1, nodes, raw);
                let right = self.grow(r, depth - 1, nodes, raw);
                nodes[at] = Node::Split {
                    feature,
                    threshold: self.thresholds[feature][k],
                    left,
                    right,
                };
            }
        }
        at
    }

    /// The (feature, threshold index) lowering the loss most, if any split lowers it.
    fn best_split(&self, idx: &[usize], g: f64, h: f64) -> Option<(usize, usize)> {
        let parent = g * g / (h + self.lambda);
        // One pass fills every feature's histogram: feature f's bins start at offset[f].
        let mut offset = [0usize; FEATURES + 1];
        for f in 0..FEATURES {
            offset[f + 1] = offset[f] + self.thresholds[f].len() + 1;
        }
        let mut hist = vec![(0.0f64, 0.0f64, 0usize); offset[FEATURES]];
        for &i in idx {
            let (gi, hi, row) = (self.grad[i], self.hess[i], &self.bins[i]);
            for f in 0..FEATURES {
                let slot = &mut hist[offset[f] + row[f] as usize];
                slot.0 += gi;
                slot.1 += hi;
                slot.2 += 1;
            }
        }
        let mut best: Option<(f64, usize, usize)> = None;
        for f in 0..FEATURES {
            let t = self.thresholds[f].len();
            let (mut gl, mut hl, mut nl) = (0.0, 0.0, 0usize);
            for (k, &(gb, hb, nb)) in hist[offset[f]..offset[f] + t].iter().enumerate() {
                gl += gb;
                hl += hb;
                nl += nb;
                if nl == 0 || nl == idx.len() {
                    continue;
                }
                let (gr, hr) = (g - gl, h - hl);
                let gain = gl * gl / (hl + self.lambda) + gr * gr / (hr + self.lambda) - parent;
                if gain > 1e-12 && best.is_none_or(|(b, _, _)| gain > b) {
                    best = Some((gain, f, k));
                }
            }
        }
        best.map(|(_, f, k)| (f, k))
    }
}

impl BoostedTrees {
    fn raw(&self, x: &[f64; FEATURES]) -> f64 {
        self.base + self.trees.iter().map(|t| t.eval(x)).sum::<f64>()
    }
}

/// Up to `bins` thresholds splitting the values into quantile groups (left: x ≤ threshold).
fn thresholds(values: &mut [f64], bins: usize) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let mut out: Vec<f64> = Vec::new();
    for q in 1..=bins {
        let i = (q * n / (bins + 1)).min(n.saturating_sub(1));
        let v = values[i];
        // A threshold must leave something on its right.
        if v < values[n - 1] && out.last().is_none_or(|&last| v > last) {
            out.push(v);
        }
    }
    out
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl RiskModel for BoostedTrees {
    fn name(&self) -> &'static str {
        "gbt"
    }

    fn fit(&mut self, train: &[CellFeatures], labels: &[bool]) -> Result<(), PlanningError> {
        if train.len() != labels.len() {
            return Err(PlanningError::Parameter(format!(
                "{} training cells but {} labels",
                train.len(),
                labels.len()
            )));
        }
        if !(1..=3).contains(&self.depth) || self.bins == 0 || self.bins > 255 {
            return Err(PlanningError::Parameter(
                "boosted trees: depth must be 1–3 and bins 1–255".into(),
            ));
        }
        let pos = labels.iter().filter(|l| **l).count();
        if pos == 0 || pos == labels.len() {
            return Err(PlanningError::NotEnoughData(format!(
                "the {} training cells are all {}: a model needs cells with and without events to learn from",
                labels.len(),
                if pos == 0 {
                    "without an event"
                } else {
                    "with an event"
                }
            )));
        }
        let x: Vec<[f64; FEATURES]> = train.iter().map(CellFeatures::values).collect();
        let thresholds: [Vec<f64>; FEATURES] = std::array::from_fn(|f| {
            let mut col: Vec<f64> = x.iter().map(|r| r[f]).collect();
            thresholds(&mut col, self.bins)
        });
        let bins: Vec<[u8; FEATURES]> = x
            .iter()
            .map(|r| std::array::from_fn(|f| thresholds[f].partition_point(|&t| t < r[f]) as u8))
            .collect();
        let y: Vec<f64> = labels.iter().map(|&l| if l { 1.0 } else { 0.0 }).collect();
        let rate = pos as f64 / labels.len() as f64;
        self.base = (rate / (1.0 - rate)).ln();
        self.trees.clear();
        let mut raw = vec![self.base; x.len()];
        for _ in 0..self.rounds {
            let p: Vec<f64> = raw.iter().map(|&z| sigmoid(z)).collect();
            let grad: Vec<f64> = p.iter().zip(&y).map(|(p, y)| p - y).collect();
            let hess: Vec<f64> = p.iter().map(|p| p * (1.0 - p)).collect();
            let round = Round {
                bins: &bins,
                thresholds: &thresholds,
                grad: &grad,
                hess: &hess,
                lambda: self.lambda,
                shrinkage: self.shrinkage,
            };
            let mut nodes = Vec::new();
            round.grow((0..x.len()).collect(), self.depth, &mut nodes, &mut raw);
            self.trees.push(Tree(nodes));
        }
        Ok(())
    }

    fn score(&self, cells: &[CellFeatures]) -> Vec<f64> {
        cells
            .iter()
            .map(|c| sigmoid(self.raw(&c.values())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(a: f64, b: f64) -> CellFeatures {
        CellFeatures {
            dist_event_m: a,
            kde: b,
            ..CellFeatures::default()
        }
    }

    #[test]
    fn learns_a_threshold_and_an_interaction() {
        // Positive when close to an event AND dense: neither feature alone separates.
        let mut cells = Vec::new();
        let mut labels = Vec::new();
        for i in 0..20 {
            for j in 0..20 {
                cells.push(cell(i as f64 * 100.0, j as f64));
                labels.push(i < 5 && j >= 15);
            }
        }
        let mut m = BoostedTrees::default();
        m.fit(&cells, &labels).expect("fit");
        let s = m.score(&cells);
        let auc = crate::risk::metrics::roc_auc(&s, &labels).expect("auc");
        assert!(auc > 0.99, "{auc}");
        assert!(s.iter().all(|p| (0.0..=1.0).contains(p)));
        assert_eq!(m.trees.len(), 40);
        // Deterministic.
        let mut again = BoostedTrees::default();
        again.fit(&cells, &labels).expect("fit");
        assert_eq!(again.score(&cells), s);
    }

    #[test]
    fn refuses_one_class_and_bad_settings() {
        let cells = vec![cell(1.0, 1.0), cell(2.0, 2.0)];
        let e = BoostedTrees::default()
            .fit(&cells, &[false, false])
            .expect_err("one class");
        assert!(e.to_string().contains("all without an event"), "{e}");
        let mut deep = BoostedTrees {
            depth: 4,
            ..BoostedTrees::default()
        };
        assert!(matches!(
            deep.fit(&cells, &[true, false]),
            Err(PlanningError::Parameter(_))
        ));
    }

    #[test]
    fn thresholds_are_quantiles_leaving_values_on_the_right() {
        let mut v: Vec<f64> = (0..100).map(f64::from).collect();
        let t = thresholds(&mut v, 3);
        assert_eq!(t, vec![25.0, 50.0, 75.0]);
        let mut same = vec![1.0; 10];
        assert!(thresholds(&mut same, 8).is_empty());
    }
}
