//! Trained weights as safetensors (<https://github.com/huggingface/safetensors>),
//! the format PyTorch, candle and burn load. Tensors carry PyTorch's names and
//! layouts (`classifier.weight` is outputs × inputs); the header's metadata names
//! the model and its input, so a checkpoint cannot be loaded into another model.

use crate::layers::{Cnn, NamedTensor};
use crate::Error;
use safetensors::tensor::{Dtype, TensorView};
use safetensors::SafeTensors;
use std::collections::HashMap;
use std::path::Path;

/// Writes `model`'s parameters and batch-norm statistics to `path`, with `classes`
/// in the metadata.
pub fn save(model: &Cnn, classes: &[String], path: &Path) -> Result<(), Error> {
    let state = model.state();
    let bytes: Vec<Vec<u8>> = state
        .iter()
        .map(|(_, _, v)| v.iter().flat_map(|x| x.to_le_bytes()).collect())
        .collect();
    let views: Vec<(String, TensorView<'_>)> = state
        .iter()
        .zip(&bytes)
        .map(|((name, shape, _), b)| {
            let view = TensorView::new(Dtype::F32, shape.clone(), b)
                .expect("shape and byte count agree");
            (name.clone(), view)
        })
        .collect();
    let metadata = HashMap::from([
        ("model".to_string(), model.name.clone()),
        ("input".to_string(), format!("{:?}", model.input)),
        ("classes".to_string(), classes.join(",")),
        ("format".to_string(), "pt".to_string()),
    ]);
    let data = safetensors::serialize(views, Some(metadata.into_iter().collect()))
        .map_err(|e| {
        Error::format(path, format!("cannot be written as safetensors: {e}"))
    })?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(path, data).map_err(|e| Error::io(path, e))
}

/// What a checkpoint says about itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Info {
    /// The model's name (`tinyvgg`, …).
    pub model: String,
    /// Its input, e.g. `[1, 28, 28]`.
    pub input: String,
    /// The class names.
    pub classes: Vec<String>,
}

/// Reads a checkpoint's metadata and tensors.
pub fn read(path: &Path) -> Result<(Info, Vec<NamedTensor>), Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let bad = |problem: String| Error::Checkpoint {
        path: path.to_path_buf(),
        problem,
    };
    let (_, header) = SafeTensors::read_metadata(&bytes).map_err(|e| {
        bad(format!(
            "is not a safetensors file ({e}); it may be truncated or another format"
        ))
    })?;
    let meta = header.metadata().clone().unwrap_or_default();
    let get = |k: &str| meta.get(k).cloned();
    let info = Info {
        model: get("model").ok_or_else(|| bad("has no \"model\" in its metadata: it was not written by this workspace".into()))?,
        input: get("input").unwrap_or_default(),
        classes: get("classes").map(|c| c.split(',').map(str::to_string).collect()).unwrap_or_default(),
    };
    let tensors = SafeTensors::deserialize(&bytes)
        .map_err(|e| bad(format!("is not a valid safetensors file ({e})")))?;
    let mut out = Vec::new();
    for (name, view) in tensors.tensors() {
        if view.dtype() != Dtype::F32 {
            return Err(bad(format!(
                "tensor {name:?} is {:?}; only F32 is supported",
                view.dtype()
            )));
        }
        let values = view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
            .collect();
        out.push((name, view.shape().to_vec(), values));
    }
    Ok((info, out))
}

/// Loads a checkpoint into `model`, which must be the same model with the same
/// input; nothing changes unless every tensor fits.
pub fn load_into(model: &mut Cnn, path: &Path) -> Result<Info, Error> {
    let (info, tensors) = read(path)?;
    let bad = |problem: String| Error::Checkpoint {
        path: path.to_path_buf(),
        problem,
    };
    if info.model != model.name {
        return Err(bad(format!(
            "holds a {} model, not {}: pass --model {} or another checkpoint",
            info.model, model.name, info.model
        )));
    }
    let input = format!("{:?}", model.input);
    if info.input != input {
        return Err(bad(format!("was trained on {} inputs, this model takes {input}: use the same dataset", info.input)));
    }
    model.load_state(&tensors).map_err(bad)?;
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{convolutional_model, tiny_vgg};
    use rand::SeedableRng;

    #[test]
    fn round_trip_and_refusals() {
        let dir =
            std::env::temp_dir().join(format!("ckpt-test-{}", std::process::id()));
        let path = dir.join("tinyvgg.safetensors");
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let model = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
        let classes: Vec<String> = (0..10).map(|c| c.to_string()).collect();
        save(&model, &classes, &path).unwrap();
        let mut other = tiny_vgg([1, 28, 28], 10, 10, &mut rng);
        assert_ne!(other, model);
        let info = load_into(&mut other, &path).unwrap();
        assert_eq!(other, model);
        assert_eq!(info.classes, classes);
        // Another model: refused, and nothing changed.
        let mut cnn = convolutional_model([3, 32, 32], 10, &mut rng);
        let before = cnn.clone();
        let e = load_into(&mut cnn, &path).unwrap_err().to_string();
        assert!(
            e.contains("holds a tinyvgg model, not convolutional"),
            "{e}"
        );
        assert_eq!(cnn, before);
        // Same model, other input size.
        let mut wide = tiny_vgg([3, 28, 28], 10, 10, &mut rng);
        let e = load_into(&mut wide, &path).unwrap_err().to_string();
        assert!(e.contains("[1, 28, 28]"), "{e}");
        // Truncated file.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let e = load_into(&mut other, &path).unwrap_err().to_string();
        assert!(e.contains("tinyvgg.safetensors"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
