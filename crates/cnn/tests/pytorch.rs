//! A `state_dict` saved by PyTorch (`tests/fixtures/make_pytorch_state_dict.py`:
//! no metadata, an I64 `num_batches_tracked` per batch norm) loads into the
//! model the user names, checked by tensor names and shapes, and computes what
//! PyTorch computed.

use cnn::checkpoint;
use cnn::data::embedded_fashion_mnist;
use cnn::layers::Mode;
use cnn::models::{convolutional_model, tiny_vgg};
use cnn::train;
use rand::SeedableRng;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// PyTorch's accuracy (as printed, two decimals) and its logits for the first
/// eight test images.
fn pytorch_results() -> (String, Vec<Vec<f32>>) {
    let text =
        std::fs::read_to_string(fixture("convolutional_pytorch.txt")).unwrap();
    let mut lines = text.lines();
    let accuracy = lines.next().unwrap().strip_prefix("accuracy ").unwrap();
    let logits = lines
        .map(|l| l.split(' ').map(|v| v.parse().unwrap()).collect())
        .collect();
    (accuracy.to_string(), logits)
}

#[test]
fn a_pytorch_state_dict_loads_when_the_model_is_named() {
    let path = fixture("convolutional_pytorch.safetensors");
    let file = checkpoint::read(&path).unwrap();
    assert_eq!(file.info, None, "PyTorch writes no metadata");
    assert!(file
        .tensors
        .iter()
        .all(|(name, _, _)| !name.ends_with("num_batches_tracked")));
    let split = embedded_fashion_mnist();
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    let mut model = convolutional_model([1, 28, 28], 10, &mut rng);

    // Unnamed, it is refused: nothing says which model it holds.
    let before = model.clone();
    let e = checkpoint::load(&mut model, &file, &path, &split.test, false)
        .unwrap_err()
        .to_string();
    assert!(e.contains("has no metadata"), "{e}");
    assert_eq!(model, before);

    // Named, it loads, with a warning that the dataset is not checked.
    let loaded =
        checkpoint::load(&mut model, &file, &path, &split.test, true).unwrap();
    let warning = loaded.warning.unwrap();
    assert!(
        warning.contains("cannot be checked") && warning.contains("convolutional"),
        "{warning}"
    );
    assert_ne!(model, before);

    // It computes what PyTorch computed: the same logits, the same accuracy.
    let (accuracy, logits) = pytorch_results();
    let (x, _) = split.test.batch(&(0..logits.len()).collect::<Vec<_>>());
    let ours = model.forward(&x, Mode::Eval);
    for (i, row) in logits.iter().enumerate() {
        for (k, &want) in row.iter().enumerate() {
            let got = ours.data()[i * 10 + k];
            // Printed with 6 decimals; f32 sums in another order differ by ~1e-6.
            assert!(
                (got - want).abs() < 1e-4,
                "image {i}, class {k}: {got} vs {want}"
            );
        }
    }
    let eval = train::evaluate(&mut model, &split.test, 256);
    assert_eq!(format!("{:.2}", eval.accuracy * 100.0), accuracy);
}

#[test]
fn a_pytorch_state_dict_of_another_model_is_refused_by_its_names() {
    let path = fixture("convolutional_pytorch.safetensors");
    let split = embedded_fashion_mnist();
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    let mut model = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
    let e = checkpoint::load_into(&mut model, &path, &split.test, true)
        .unwrap_err()
        .to_string();
    assert!(e.contains("has no tensor \"block_1.0.weight\""), "{e}");
    // The same model for larger images: refused by a shape.
    let mut wide = convolutional_model([1, 32, 32], 10, &mut rng);
    let e = checkpoint::load_into(&mut wide, &path, &split.test, true)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("classifier.weight") && e.contains("[10, 64]"),
        "{e}"
    );
}
