//! CIFAR-10's binary version (<https://www.cs.toronto.edu/~kriz/cifar.html>):
//! `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`, each a run of
//! 3 073-byte records: one label byte, then 1 024 red, 1 024 green and 1 024 blue
//! bytes of a 32 × 32 image (already channel-first).

// The WebAssembly build (the book's lab) has no files: the readers are left out
// there, and what only they use goes unused.
#![cfg_attr(target_arch = "wasm32", allow(unused_imports))]

use super::{Dataset, Split, CIFAR10_CLASSES};
use crate::Error;
use std::path::{Path, PathBuf};

/// Bytes per record: the label and 3 × 32 × 32 pixels.
pub const RECORD: usize = 1 + 3 * 32 * 32;
/// The training files, in order.
pub const TRAIN_FILES: [&str; 5] = [
    "data_batch_1.bin",
    "data_batch_2.bin",
    "data_batch_3.bin",
    "data_batch_4.bin",
    "data_batch_5.bin",
];
/// The test file.
pub const TEST_FILE: &str = "test_batch.bin";

/// `dir` itself, or its `cifar-10-batches-bin` subfolder (where the official
/// archive extracts), whichever holds `test_batch.bin`.
#[cfg(not(target_arch = "wasm32"))]
pub fn locate(dir: &Path) -> Option<PathBuf> {
    [dir.to_path_buf(), dir.join("cifar-10-batches-bin")]
        .into_iter()
        .find(|d| d.join(TEST_FILE).is_file())
}

/// Appends the records of one file to `into`.
#[cfg(not(target_arch = "wasm32"))]
fn read_file(path: &Path, into: &mut Dataset) -> Result<(), Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse(&bytes, path, into)
}

/// Appends the records in `bytes` (one file's content) to `into`, or says what is
/// wrong with them; `path` only names the source in errors. Nothing is appended
/// unless every record is valid.
pub fn parse(bytes: &[u8], path: &Path, into: &mut Dataset) -> Result<(), Error> {
    if bytes.is_empty() || !bytes.len().is_multiple_of(RECORD) {
        return Err(Error::format(
            path,
            format!(
                "has {} bytes, not a whole number of {RECORD}-byte records: it is truncated or not CIFAR-10's binary version; download cifar-10-binary.tar.gz again",
                bytes.len()
            ),
        ));
    }
    for (i, record) in bytes.chunks_exact(RECORD).enumerate() {
        if usize::from(record[0]) >= CIFAR10_CLASSES.len() {
            return Err(Error::format(path, format!("record {i} has label {}, but CIFAR-10 has 10 classes: the file is corrupt", record[0])));
        }
    }
    into.labels.reserve(bytes.len() / RECORD);
    into.images.reserve(bytes.len() / RECORD * (RECORD - 1));
    for record in bytes.chunks_exact(RECORD) {
        into.labels.push(record[0]);
        into.images.extend_from_slice(&record[1..]);
    }
    Ok(())
}

/// An empty CIFAR-10 set named `name`, to [`parse`] records into.
pub fn empty(name: &str) -> Dataset {
    Dataset {
        name: name.to_string(),
        source: "CIFAR-10".to_string(),
        images: Vec::new(),
        labels: Vec::new(),
        shape: [3, 32, 32],
        classes: CIFAR10_CLASSES.iter().map(|c| c.to_string()).collect(),
    }
}

/// Loads the training and test sets from `dir` (or its `cifar-10-batches-bin`).
#[cfg(not(target_arch = "wasm32"))]
pub fn load_dir(dir: &Path) -> Result<Split, Error> {
    let root = locate(dir).ok_or_else(|| {
        Error::format(dir, "has no CIFAR-10 test_batch.bin (nor cifar-10-batches-bin/test_batch.bin): pass the folder where cifar-10-binary.tar.gz (https://www.cs.toronto.edu/~kriz/cifar.html) was extracted")
    })?;
    let mut train = empty("CIFAR-10 train");
    for name in TRAIN_FILES {
        let path = root.join(name);
        if !path.is_file() {
            return Err(Error::format(&root, format!("has test_batch.bin but no {name}: the extraction is incomplete; extract the archive again")));
        }
        read_file(&path, &mut train)?;
    }
    let mut test = empty("CIFAR-10 test");
    read_file(&root.join(TEST_FILE), &mut test)?;
    Ok(Split { train, test })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn record(label: u8, fill: u8) -> Vec<u8> {
        let mut r = vec![label];
        r.extend(std::iter::repeat_n(fill, RECORD - 1));
        r
    }

    #[test]
    fn loads_a_small_set_and_rejects_a_truncated_one() {
        let dir =
            std::env::temp_dir().join(format!("cifar-test-{}", std::process::id()));
        let sub = dir.join("cifar-10-batches-bin");
        std::fs::create_dir_all(&sub).unwrap();
        for (k, name) in TRAIN_FILES.iter().enumerate() {
            std::fs::write(
                sub.join(name),
                [record(k as u8, 10), record(9, 200)].concat(),
            )
            .unwrap();
        }
        std::fs::write(sub.join(TEST_FILE), record(3, 7)).unwrap();
        let split = load_dir(&dir).unwrap();
        assert_eq!((split.train.len(), split.test.len()), (10, 1));
        assert_eq!(&split.train.labels[..4], &[0, 9, 1, 9]);
        assert_eq!(split.test.image(0)[0], 7);
        std::fs::write(sub.join(TEST_FILE), &record(3, 7)[..100]).unwrap();
        let e = load_dir(&dir).unwrap_err().to_string();
        assert!(
            e.contains("test_batch.bin") && e.contains("truncated"),
            "{e}"
        );
        std::fs::write(sub.join(TEST_FILE), record(11, 7)).unwrap();
        let e = load_dir(&dir).unwrap_err().to_string();
        assert!(e.contains("label 11"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
