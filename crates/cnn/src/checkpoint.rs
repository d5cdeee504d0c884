//! Trained weights as safetensors (<https://github.com/huggingface/safetensors>),
//! the format PyTorch, candle and burn load. Tensors carry PyTorch's names and
//! layouts (`classifier.weight` is outputs × inputs); the header's metadata names
//! the model, its input, the dataset and its classes, so that a checkpoint is
//! neither loaded into another model nor used on another dataset.
//!
//! The header (a line of JSON) is written here rather than by the `safetensors`
//! crate, whose metadata is a hash map: in sorted order, the same weights give
//! the same bytes. Files are written whole or not at all ([`crate::output`]).
//! A `state_dict` saved by PyTorch (`safetensors.torch.save_file`) has no
//! metadata; it loads when the caller names the model, checked by tensor names
//! and shapes.

use crate::data::Dataset;
use crate::layers::{Cnn, Layer, NamedTensor};
#[cfg(not(target_arch = "wasm32"))]
use crate::output::{self, FileSystem};
use crate::Error;
use safetensors::tensor::Dtype;
use safetensors::SafeTensors;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// What a checkpoint says it was trained on.
#[derive(Clone, Debug, PartialEq)]
pub struct Info {
    /// The model's name (`tinyvgg`, …).
    pub model: String,
    /// Its input, e.g. `[1, 28, 28]`.
    pub input: String,
    /// The dataset (`Fashion-MNIST`, …); empty in files written before it was
    /// recorded.
    pub dataset: String,
    /// The class names.
    pub classes: Vec<String>,
}

/// A checkpoint's content.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    /// What it was trained on, or `None` for a file without this workspace's
    /// metadata (a PyTorch `state_dict`).
    pub info: Option<Info>,
    /// The F32 tensors, in file order.
    pub tensors: Vec<NamedTensor>,
    /// PyTorch's batch-norm counters: (`<layer>.num_batches_tracked`, value),
    /// scalar I64 tensors, in file order.
    pub counters: Vec<(String, i64)>,
}

/// `s` as a JSON string.
fn json(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The safetensors bytes of `model`, trained on `data`: an 8-byte little-endian
/// header length, the header (metadata with sorted keys, then the tensors
/// sorted by name, as the `safetensors` crate orders them), padded with spaces
/// to a multiple of 8 bytes, then every tensor's f32 values.
pub fn to_bytes(model: &Cnn, data: &Dataset) -> Vec<u8> {
    let metadata = BTreeMap::from([
        ("classes", data.classes.join(",")),
        ("dataset", data.source.clone()),
        ("format", "pt".to_string()),
        ("input", format!("{:?}", model.input)),
        ("model", model.name.clone()),
    ]);
    // (name, dtype, shape, little-endian bytes): the F32 state, and PyTorch's
    // I64 scalar `num_batches_tracked` for every batch norm, so that
    // `load_state_dict(strict=True)` finds every key it expects.
    let mut state: Vec<(String, &str, Vec<usize>, Vec<u8>)> = model
        .state()
        .into_iter()
        .map(|(name, shape, values)| {
            let bytes = values.iter().flat_map(|x| x.to_le_bytes()).collect();
            (name, "F32", shape, bytes)
        })
        .collect();
    for (name, layer) in &model.layers {
        if let Layer::BatchNorm(bn) = layer {
            let count = i64::try_from(bn.batches_tracked).unwrap_or(i64::MAX);
            state.push((
                format!("{name}.num_batches_tracked"),
                "I64",
                Vec::new(),
                count.to_le_bytes().to_vec(),
            ));
        }
    }
    state.sort_by(|a, b| a.0.cmp(&b.0));
    let entries: Vec<String> = metadata
        .iter()
        .map(|(k, v)| format!("{}:{}", json(k), json(v)))
        .collect();
    let mut header = format!("{{\"__metadata__\":{{{}}}", entries.join(","));
    let mut offset = 0;
    for (name, dtype, shape, bytes) in &state {
        let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
        let end = offset + bytes.len();
        let _ = write!(
            header,
            ",{}:{{\"dtype\":\"{dtype}\",\"shape\":[{}],\"data_offsets\":[{offset},{end}]}}",
            json(name),
            dims.join(",")
        );
        offset = end;
    }
    header.push('}');
    while !header.len().is_multiple_of(8) {
        header.push(' ');
    }
    let mut bytes = Vec::with_capacity(8 + header.len() + offset);
    bytes.extend((header.len() as u64).to_le_bytes());
    bytes.extend(header.as_bytes());
    for (_, _, _, data) in &state {
        bytes.extend(data);
    }
    bytes
}

/// Writes `model`'s parameters and batch-norm statistics to `path`, with the
/// dataset and classes of `data`, the set it was trained on.
#[cfg(not(target_arch = "wasm32"))]
pub fn save(model: &Cnn, data: &Dataset, path: &Path) -> Result<(), Error> {
    save_with(&output::Disk, model, data, path)
}

/// [`save`] through `fs` (a test passes a disk that fills up).
#[cfg(not(target_arch = "wasm32"))]
pub fn save_with(
    fs: &dyn FileSystem,
    model: &Cnn,
    data: &Dataset,
    path: &Path,
) -> Result<(), Error> {
    output::write_with(fs, path, &to_bytes(model, data))
}

/// Reads a checkpoint's metadata and tensors.
#[cfg(not(target_arch = "wasm32"))]
pub fn read(path: &Path) -> Result<Checkpoint, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse(&bytes, path)
}

/// Parses safetensors bytes; `path` only names the source in errors. Bad bytes
/// give an [`Error`], never a panic: the `safetensors` crate checks every size
/// and offset in the header against the input's length.
pub fn parse(bytes: &[u8], path: &Path) -> Result<Checkpoint, Error> {
    let bad = |problem: String| Error::Checkpoint {
        path: path.to_path_buf(),
        problem,
    };
    let (n, header) = SafeTensors::read_metadata(bytes).map_err(|e| {
        bad(format!(
            "is not a safetensors file ({e}); it may be truncated or another format"
        ))
    })?;
    let meta = header.metadata().clone().unwrap_or_default();
    let info = meta.get("model").map(|model| {
        let get = |k: &str| meta.get(k).cloned().unwrap_or_default();
        let classes = get("classes");
        Info {
            model: model.clone(),
            input: get("input"),
            dataset: get("dataset"),
            classes: if classes.is_empty() {
                Vec::new()
            } else {
                classes.split(',').map(str::to_string).collect()
            },
        }
    });
    let data = &bytes[8 + n..];
    let (mut tensors, mut counters) = (Vec::new(), Vec::new());
    for name in header.offset_keys() {
        let Some(t) = header.info(&name) else {
            continue;
        };
        let (start, end) = t.data_offsets;
        match t.dtype {
            Dtype::F32 => {}
            Dtype::I64 if name.ends_with(".num_batches_tracked") => {
                let count = <[u8; 8]>::try_from(&data[start..end]).map_err(|_| {
                    bad(format!("tensor {name:?} is not one I64 value"))
                })?;
                counters.push((name, i64::from_le_bytes(count)));
                continue;
            }
            other => {
                return Err(bad(format!(
                    "tensor {name:?} is {other:?}; only F32 is supported (and PyTorch's I64 num_batches_tracked)"
                )))
            }
        }
        let values = data[start..end]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        tensors.push((name, t.shape.clone(), values));
    }
    Ok(Checkpoint {
        info,
        tensors,
        counters,
    })
}

/// How a checkpoint was loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// What it says it was trained on (`None`: it has no metadata).
    pub info: Option<Info>,
    /// What the user should be told: that a file without metadata could be
    /// checked against the model only, not against the dataset.
    pub warning: Option<String>,
}

/// The first classes, for messages: `T-shirt/top, Trouser, Pullover, …`.
fn some_classes(classes: &[String]) -> String {
    let mut shown = classes
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if classes.len() > 3 {
        shown += ", …";
    }
    shown
}

/// Loads `checkpoint` (read from `path`) into `model`, to be used on `data`.
///
/// Refused, with a message that says what the checkpoint was trained on: another
/// model ([`Error::WrongModel`]), dataset, classes or input size, a tensor whose
/// name or shape does not fit, or values that are NaN or infinite. A file without
/// metadata (a PyTorch `state_dict`) loads only when `model_named` says that the
/// user named the model it holds; then its tensors are checked by name and shape
/// and [`Loaded::warning`] says that the dataset cannot be. Nothing changes
/// unless every check passes.
pub fn load(
    model: &mut Cnn,
    checkpoint: &Checkpoint,
    path: &Path,
    data: &Dataset,
    model_named: bool,
) -> Result<Loaded, Error> {
    let bad = |problem: String| Error::Checkpoint {
        path: path.to_path_buf(),
        problem,
    };
    let input = format!("{:?}", model.input);
    let mut warning = None;
    match &checkpoint.info {
        Some(info) => {
            if info.model != model.name {
                return Err(Error::WrongModel {
                    path: path.to_path_buf(),
                    holds: info.model.clone(),
                    wanted: model.name.clone(),
                });
            }
            let trained_on = if info.dataset.is_empty() {
                format!("classes {}", some_classes(&info.classes))
            } else {
                format!(
                    "{} ({} classes: {})",
                    info.dataset,
                    info.classes.len(),
                    some_classes(&info.classes)
                )
            };
            let here = format!(
                "{} ({} classes: {})",
                data.source,
                data.classes.len(),
                some_classes(&data.classes)
            );
            let other_dataset =
                !info.dataset.is_empty() && info.dataset != data.source;
            let other_classes =
                !info.classes.is_empty() && info.classes != data.classes;
            if other_dataset || other_classes {
                return Err(bad(format!(
                    "was trained on {trained_on}, but the data here is {here}: use it on the data it was trained on, or use a checkpoint trained on {}",
                    data.source
                )));
            }
            if info.input != input {
                return Err(bad(format!(
                    "was trained on {} inputs, and this model takes {input} ({}): use it on images of the size it was trained on",
                    info.input, data.source
                )));
            }
        }
        None if !model_named => {
            return Err(bad(format!(
                "has no metadata saying which model it holds (a state_dict saved by PyTorch?): name the model to load it into as a {}",
                model.name
            )));
        }
        None => {
            warning = Some(format!(
                "{} has no metadata (a state_dict saved by PyTorch?): its tensors fit {} by name and shape, but the dataset it was trained on cannot be checked; it is used on {}",
                path.display(),
                model.name,
                data.source
            ));
        }
    }
    for (name, _, values) in &checkpoint.tensors {
        let broken = values.iter().filter(|v| !v.is_finite()).count();
        if broken > 0 {
            return Err(bad(format!(
                "tensor {name:?} holds {broken} NaN or infinite values (of {}): the training that wrote it diverged; train again with a lower learning rate",
                values.len()
            )));
        }
    }
    model.load_state(&checkpoint.tensors).map_err(bad)?;
    for (name, layer) in &mut model.layers {
        if let Layer::BatchNorm(bn) = layer {
            let key = format!("{name}.num_batches_tracked");
            if let Some((_, count)) = checkpoint.counters.iter().find(|c| c.0 == key)
            {
                bn.batches_tracked = u64::try_from(*count).unwrap_or(0);
            }
        }
    }
    Ok(Loaded {
        info: checkpoint.info.clone(),
        warning,
    })
}

/// [`read`] then [`load`].
#[cfg(not(target_arch = "wasm32"))]
pub fn load_into(
    model: &mut Cnn,
    path: &Path,
    data: &Dataset,
    model_named: bool,
) -> Result<Loaded, Error> {
    load(model, &read(path)?, path, data, model_named)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::embedded_fashion_mnist;
    use crate::models::{convolutional_model, tiny_vgg};
    use crate::output::FullDisk;
    use rand::SeedableRng;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("ckpt-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn round_trip_and_refusals() {
        let dir = scratch("round-trip");
        let path = dir.join("tinyvgg.safetensors");
        let fashion = embedded_fashion_mnist().test.take(1);
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let model = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
        save(&model, &fashion, &path).unwrap();
        let mut other = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
        assert_ne!(other, model);
        let loaded = load_into(&mut other, &path, &fashion, false).unwrap();
        assert_eq!(other, model);
        let info = loaded.info.unwrap();
        assert_eq!(info.classes, fashion.classes);
        assert_eq!(info.dataset, "Fashion-MNIST");
        assert_eq!(loaded.warning, None);
        // Another model: refused, and nothing changed.
        let mut cnn = convolutional_model([3, 32, 32], 10, &mut rng);
        let before = cnn.clone();
        let e = load_into(&mut cnn, &path, &fashion, false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("holds a tinyvgg model, not convolutional"),
            "{e}"
        );
        assert_eq!(cnn, before);
        // Same model, other input size.
        let mut wide = tiny_vgg([3, 28, 28], 10, 10, &mut rng);
        let e = load_into(&mut wide, &path, &fashion, false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("[1, 28, 28]"), "{e}");
        // Truncated file.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let e = load_into(&mut other, &path, &fashion, false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("tinyvgg.safetensors"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn batch_norm_counters_travel_as_pytorch_writes_them() {
        // Three training batches through ConvolutionalModel: each of its five
        // batch norms has seen 3, written as PyTorch's scalar I64 tensor.
        let fashion = embedded_fashion_mnist().test.take(4);
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        let mut model = convolutional_model([1, 28, 28], 10, &mut rng);
        let (x, _) = fashion.batch(&[0, 1, 2, 3]);
        for _ in 0..3 {
            model.forward(&x, crate::layers::Mode::Train);
        }
        let bytes = to_bytes(&model, &fashion);
        let p = Path::new("c.safetensors");
        let checkpoint = parse(&bytes, p).unwrap();
        assert_eq!(checkpoint.counters.len(), 5);
        assert!(checkpoint
            .counters
            .contains(&("stem.1.num_batches_tracked".into(), 3)));
        let (_, header) = SafeTensors::read_metadata(&bytes).unwrap();
        let info = header.info("blocks.0.1.num_batches_tracked").unwrap();
        assert_eq!((info.dtype, info.shape.as_slice()), (Dtype::I64, &[][..]));
        // Loaded into a fresh model, the counts come back with the weights.
        let mut fresh = convolutional_model([1, 28, 28], 10, &mut rng);
        load(&mut fresh, &checkpoint, p, &fashion, false).unwrap();
        assert_eq!(fresh, model);
    }

    #[test]
    fn a_checkpoint_of_another_dataset_says_what_it_was_trained_on() {
        let dir = scratch("dataset");
        let path = dir.join("tinyvgg.safetensors");
        let fashion = embedded_fashion_mnist().test.take(1);
        let mut mnist = fashion.clone();
        mnist.source = "MNIST".into();
        mnist.classes = crate::data::MNIST_CLASSES.map(String::from).to_vec();
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        let model = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
        save(&model, &mnist, &path).unwrap();
        let mut here = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
        let before = here.clone();
        let e = load_into(&mut here, &path, &fashion, true)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("was trained on MNIST (10 classes: 0, 1, 2, …)")
                && e.contains("the data here is Fashion-MNIST"),
            "{e}"
        );
        assert_eq!(here, before);
        load_into(&mut here, &path, &mnist, false).unwrap();
        assert_eq!(here, model);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_checkpoint_full_of_nan_is_refused() {
        let dir = scratch("nan");
        let path = dir.join("tinyvgg.safetensors");
        let fashion = embedded_fashion_mnist().test.take(1);
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let mut model = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
        for p in model.parameters() {
            p.value.iter_mut().for_each(|v| *v = f32::NAN);
        }
        save(&model, &fashion, &path).unwrap();
        let mut fresh = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
        let e = load_into(&mut fresh, &path, &fashion, false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("NaN or infinite") && e.contains("diverged"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_same_weights_give_the_same_bytes() {
        let fashion = embedded_fashion_mnist().test.take(1);
        let build = || {
            let mut rng = rand::rngs::StdRng::seed_from_u64(4);
            convolutional_model([1, 28, 28], 10, &mut rng)
        };
        let (a, b) = (to_bytes(&build(), &fashion), to_bytes(&build(), &fashion));
        assert_eq!(a, b);
        // Saved twice to disk: the same bytes again.
        let dir = scratch("bytes");
        let (p, q) = (dir.join("a.safetensors"), dir.join("b.safetensors"));
        save(&build(), &fashion, &p).unwrap();
        save(&build(), &fashion, &q).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), std::fs::read(&q).unwrap());
        // What the safetensors crate reads back is what was written, and the
        // metadata's keys are in sorted order.
        let file = SafeTensors::deserialize(&a).unwrap();
        let model = build();
        for (name, shape, values) in model.state() {
            let view = file.tensor(&name).unwrap();
            assert_eq!(view.shape(), shape.as_slice(), "{name}");
            let back: Vec<f32> = view
                .data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
                .collect();
            assert_eq!(back, values, "{name}");
        }
        let n = u64::from_le_bytes(a[..8].try_into().unwrap()) as usize;
        let header = std::str::from_utf8(&a[8..8 + n]).unwrap();
        let keys = ["classes", "dataset", "format", "input", "model"]
            .map(|k| header.find(&format!("\"{k}\"")).unwrap());
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{header}");
        assert_eq!(header.len() % 8, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_full_disk_keeps_the_previous_checkpoint() {
        let dir = scratch("full-disk");
        let path = dir.join("tinyvgg.safetensors");
        let fashion = embedded_fashion_mnist().test.take(1);
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let first = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
        save(&first, &fashion, &path).unwrap();
        let good = std::fs::read(&path).unwrap();
        let second = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
        let e = save_with(&FullDisk { room: 8192 }, &second, &fashion, &path)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("cannot write") && e.contains("tinyvgg.safetensors"),
            "{e}"
        );
        assert!(e.contains("os error 28"), "{e}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            good,
            "the old one was replaced"
        );
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|f| f.unwrap().file_name())
            .collect();
        assert_eq!(names, ["tinyvgg.safetensors"], "a temporary file was left");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
