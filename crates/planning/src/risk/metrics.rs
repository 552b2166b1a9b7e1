//! Ranking figures: ROC AUC and precision at the top decile.

/// ROC AUC of scores against labels (the Mann–Whitney statistic): the chance that a random
/// positive cell scores above a random negative one, a tie counting one half. `None` when
/// there is no positive or no negative cell.
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let n = scores.len().min(labels.len());
    let pos = labels[..n].iter().filter(|l| **l).count();
    let neg = n - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Sum of the positives' ranks (1-based), tied scores sharing their mean rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        let tied_pos = order[i..=j].iter().filter(|&&k| labels[k]).count();
        rank_sum += mean_rank * tied_pos as f64;
        i = j + 1;
    }
    let (p, q) = (pos as f64, neg as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * q))
}

/// Share of positives among the top tenth of cells by score (⌈n/10⌉ cells). Cells tied
/// with the last one taken count in proportion, so the figure does not depend on the order
/// of ties. `None` for no cells.
pub fn precision_top_decile(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let n = scores.len().min(labels.len());
    if n == 0 {
        return None;
    }
    let k = n.div_ceil(10);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let cut = scores[order[k - 1]];
    let above: Vec<usize> = order.iter().copied().filter(|&i| scores[i] > cut).collect();
    let tied: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| scores[i] == cut)
        .collect();
    let pos_above = above.iter().filter(|&&i| labels[i]).count() as f64;
    let pos_tied = tied.iter().filter(|&&i| labels[i]).count() as f64;
    let from_tied = (k - above.len()) as f64;
    Some((pos_above + from_tied * pos_tied / tied.len() as f64) / k as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_known_answers() {
        let labels = [false, false, true, true];
        assert_eq!(roc_auc(&[0.1, 0.2, 0.8, 0.9], &labels), Some(1.0));
        assert_eq!(roc_auc(&[0.9, 0.8, 0.2, 0.1], &labels), Some(0.0));
        assert_eq!(roc_auc(&[0.5; 4], &labels), Some(0.5));
        // A positive tied with a negative: 3.5 of the 4 (positive, negative) pairs ordered.
        assert_eq!(roc_auc(&[0.1, 0.5, 0.5, 0.9], &labels), Some(0.875));
        assert_eq!(roc_auc(&[0.1, 0.2], &[true, true]), None);
        assert_eq!(roc_auc(&[0.1, 0.2], &[false, false]), None);
    }

    #[test]
    fn precision_at_top_decile_by_hand() {
        // 20 cells: top 2 by score; one of them positive.
        let scores: Vec<f64> = (0..20).map(|i| i as f64).collect();
        let mut labels = vec![false; 20];
        labels[19] = true;
        labels[0] = true;
        assert_eq!(precision_top_decile(&scores, &labels), Some(0.5));
        labels[18] = true;
        assert_eq!(precision_top_decile(&scores, &labels), Some(1.0));
        // 11 cells: ⌈1.1⌉ = 2 taken.
        let s11: Vec<f64> = (0..11).map(|i| i as f64).collect();
        let mut l11 = vec![false; 11];
        l11[10] = true;
        assert_eq!(precision_top_decile(&s11, &l11), Some(0.5));
        // All tied: the expected share is the base rate.
        let l = [
            true, false, false, false, false, false, false, false, false, false,
        ];
        assert_eq!(precision_top_decile(&[1.0; 10], &l), Some(0.1));
        assert_eq!(precision_top_decile(&[], &[]), None);
    }
}
