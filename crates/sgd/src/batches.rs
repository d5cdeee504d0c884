use rand::seq::SliceRandom;
use rand::Rng;

/// The indices `0..n`, shuffled by `rng`, cut into mini-batches of `batch_size`;
/// the last batch holds the remainder (PyTorch's `DataLoader(shuffle=True)` with
/// `drop_last=False`). 50 000 images at batch 64 give 782 batches.
///
/// # Panics
/// If `batch_size` is 0.
#[track_caller]
pub fn batches(n: usize, batch_size: usize, rng: &mut impl Rng) -> Vec<Vec<usize>> {
    assert!(batch_size > 0, "batches: batch_size must be at least 1");
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    order.chunks(batch_size).map(<[usize]>::to_vec).collect()
}

/// Splits `0..n` at random into (train, test) index sets, `test_fraction` of them
/// (rounded) for testing, each sorted.
///
/// # Panics
/// If `test_fraction` is not within [0, 1].
#[track_caller]
pub fn train_test_split(
    n: usize,
    test_fraction: f64,
    rng: &mut impl Rng,
) -> (Vec<usize>, Vec<usize>) {
    assert!(
        (0.0..=1.0).contains(&test_fraction),
        "train_test_split: test_fraction {test_fraction} is not within [0, 1]"
    );
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let n_test = (n as f64 * test_fraction).round() as usize;
    let (mut test, mut train) = (order[..n_test].to_vec(), order[n_test..].to_vec());
    train.sort_unstable();
    test.sort_unstable();
    (train, test)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn batches_cover_every_index_once() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let b = batches(50_000, 64, &mut rng);
        assert_eq!(b.len(), 782);
        assert_eq!(b.last().map(Vec::len), Some(50_000 - 781 * 64));
        let mut all: Vec<usize> = b.concat();
        assert_ne!(all[..10], (0..10).collect::<Vec<_>>()[..], "not shuffled");
        all.sort_unstable();
        assert_eq!(all, (0..50_000).collect::<Vec<_>>());
        // Same seed, same batches.
        let again = batches(50_000, 64, &mut rand::rngs::StdRng::seed_from_u64(3));
        assert_eq!(b, again);
    }

    #[test]
    fn split_is_disjoint_and_complete() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(0);
        let (train, test) = train_test_split(10, 0.3, &mut rng);
        assert_eq!((train.len(), test.len()), (7, 3));
        let mut all = [train, test].concat();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
    }
}
