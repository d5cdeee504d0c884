//! The parsers of files a user hands the programs (idx, CIFAR-10's binary
//! records, safetensors) on arbitrary and on mutated bytes: an error, never a
//! panic, and never an allocation sized by a header's word alone.

use cnn::checkpoint;
use cnn::data::{cifar, embedded_fashion_mnist, idx};
use cnn::models::convolutional_model;
use proptest::prelude::*;
use rand::SeedableRng;
use std::path::Path;

/// An idx file of `dims` holding `data`.
fn idx_bytes(dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut v = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        v.extend(d.to_be_bytes());
    }
    v.extend(data);
    v
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz =
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, bytes).unwrap();
    gz.finish().unwrap()
}

fn checkpoint_bytes() -> Vec<u8> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    let model = convolutional_model([1, 16, 16], 3, &mut rng);
    checkpoint::to_bytes(&model, &embedded_fashion_mnist().test.take(1))
}

/// Byte edits: (where, new byte), the positions taken modulo the length, half
/// of them in the first 32 bytes (where the headers are).
fn edits() -> impl Strategy<Value = Vec<(bool, usize, u8)>> {
    proptest::collection::vec((any::<bool>(), any::<usize>(), any::<u8>()), 1..6)
}

/// `bytes` with `edits` applied, then cut to `keep` of its length (if < 1).
fn mutate(mut bytes: Vec<u8>, edits: &[(bool, usize, u8)], keep: f64) -> Vec<u8> {
    let len = bytes.len();
    for &(head, at, byte) in edits {
        let at = if head { at % len.min(32) } else { at % len };
        bytes[at] = byte;
    }
    bytes.truncate((len as f64 * keep).ceil() as usize);
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn idx_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = idx::parse(&bytes, Path::new("x"));
        let mut gz = vec![0x1f, 0x8b];
        gz.extend(&bytes);
        let _ = idx::parse(&gz, Path::new("x.gz"));
    }

    #[test]
    fn idx_never_panics_on_mutated_files(
        (n, h, w) in (0u32..4, 0u32..4, 0u32..4),
        edits in edits(),
        keep in 0.0f64..1.5,
        gzipped in any::<bool>(),
    ) {
        let data: Vec<u8> = (0..n * h * w).map(|i| i as u8).collect();
        let raw = idx_bytes(&[n, h, w], &data);
        let bytes = if gzipped { gzip(&raw) } else { raw };
        if let Ok(parsed) = idx::parse(&mutate(bytes, &edits, keep.min(1.0)), Path::new("x")) {
            // Whatever parses holds exactly what its header says.
            prop_assert_eq!(parsed.dims.iter().product::<usize>(), parsed.data.len());
        }
    }

    #[test]
    fn cifar_never_panics_and_takes_only_whole_valid_records(
        bytes in proptest::collection::vec(any::<u8>(), 0..7000),
    ) {
        let mut set = cifar::empty("t");
        match cifar::parse(&bytes, Path::new("x.bin"), &mut set) {
            Ok(()) => {
                prop_assert_eq!(bytes.len() % cifar::RECORD, 0);
                prop_assert_eq!(set.images.len(), set.len() * (cifar::RECORD - 1));
                prop_assert!(set.labels.iter().all(|&l| l < 10));
            }
            Err(_) => prop_assert!(set.is_empty(), "nothing appended on an error"),
        }
    }

    #[test]
    fn safetensors_never_panics_on_arbitrary_bytes(
        mut bytes in proptest::collection::vec(any::<u8>(), 0..256),
        header in 0u64..300,
    ) {
        let _ = checkpoint::parse(&bytes, Path::new("x"));
        // The same with a plausible header length in front.
        if bytes.len() >= 8 {
            bytes[..8].copy_from_slice(&header.to_le_bytes());
            let _ = checkpoint::parse(&bytes, Path::new("x"));
        }
    }

    #[test]
    fn safetensors_never_panics_on_mutated_checkpoints(
        edits in edits(),
        keep in 0.0f64..1.5,
        json in proptest::collection::vec((any::<usize>(), prop::sample::select(b"{}[]\",:0123456789 ".to_vec())), 1..4),
    ) {
        let good = checkpoint_bytes();
        let _ = checkpoint::parse(&mutate(good.clone(), &edits, keep.min(1.0)), Path::new("x"));
        // JSON punctuation and digits inside the header.
        let n = u64::from_le_bytes(good[..8].try_into().unwrap()) as usize;
        let mut bytes = good;
        for (at, c) in json {
            bytes[8 + at % n] = c;
        }
        if let Ok(file) = checkpoint::parse(&bytes, Path::new("x")) {
            for (_, shape, values) in &file.tensors {
                prop_assert_eq!(shape.iter().product::<usize>(), values.len());
            }
        }
    }
}

#[test]
fn sizes_in_a_header_are_checked_before_anything_is_allocated() {
    let p = Path::new("train-images-idx3-ubyte.gz");
    // 2³² − 1 cubed overflows: an error, not a panic.
    let e = idx::parse(&idx_bytes(&[u32::MAX; 3], &[]), p)
        .unwrap_err()
        .to_string();
    assert!(e.contains("overflow"), "{e}");
    // 60 000 images of 60 000 × 60 000 pixels promised by a 40-byte gzip file:
    // refused from the sizes, before reading.
    let e = idx::parse(&gzip(&idx_bytes(&[60_000, 60_000, 60_000], &[1, 2])), p)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("more than a gzip file of its size can hold"),
        "{e}"
    );
    // A raw file promising 4 GB and holding 2 bytes: truncated.
    let e = idx::parse(&idx_bytes(&[65_536, 65_536], &[1, 2]), p)
        .unwrap_err()
        .to_string();
    assert!(e.contains("truncated"), "{e}");
    // A safetensors header length of 2⁶³.
    let mut bytes = checkpoint_bytes();
    bytes[..8].copy_from_slice(&(1u64 << 63).to_le_bytes());
    let e = checkpoint::parse(&bytes, Path::new("x.safetensors"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a safetensors file"), "{e}");
}

#[test]
fn idx_images_of_odd_sizes_parse_and_empty_ones_are_refused() {
    let p = Path::new("x");
    for side in [1u32, 3] {
        let images = idx::parse(
            &idx_bytes(&[2, side, side], &vec![7; 2 * (side * side) as usize]),
            p,
        )
        .unwrap();
        let labels = idx::parse(&idx_bytes(&[2], &[0, 1]), p).unwrap();
        let set = idx::labelled(
            "t",
            "MNIST",
            images,
            labels,
            &cnn::data::MNIST_CLASSES,
            (p, p),
        )
        .unwrap();
        assert_eq!(set.shape, [1, side as usize, side as usize]);
    }
    let images = idx::parse(&idx_bytes(&[2, 0, 28], &[]), p).unwrap();
    let labels = idx::parse(&idx_bytes(&[2], &[0, 1]), p).unwrap();
    let e = idx::labelled(
        "t",
        "MNIST",
        images,
        labels,
        &cnn::data::MNIST_CLASSES,
        (p, p),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("0×28 pixels"), "{e}");
}
