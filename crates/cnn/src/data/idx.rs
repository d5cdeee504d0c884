//! The idx format of MNIST and Fashion-MNIST (<http://yann.lecun.com/exdb/mnist/>):
//! a big-endian header `0x00 0x00 type ndim`, `ndim` 32-bit sizes, then the bytes.
//! Files may be gzipped (detected from their first bytes, not their name).

// The WebAssembly build (the book's lab) has no files: the readers are left out
// there, and what only they use goes unused.
#![cfg_attr(target_arch = "wasm32", allow(unused_imports))]

use super::{Dataset, Split, FASHION_MNIST_CLASSES, MNIST_CLASSES};
use crate::Error;
use flate2::read::GzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};

/// An idx array: its sizes and its bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Idx {
    /// The sizes, e.g. [60000, 28, 28].
    pub dims: Vec<usize>,
    /// The values (type 0x08, unsigned bytes), row-major.
    pub data: Vec<u8>,
}

/// Reads an idx file, gzipped or not.
#[cfg(not(target_arch = "wasm32"))]
pub fn read(path: &Path) -> Result<Idx, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse(&bytes, path)
}

/// The most a deflate stream can expand: 1 032 output bytes per input byte.
/// A gzipped header that promises more than its file can hold is refused before
/// anything is allocated.
const DEFLATE_MAX_RATIO: usize = 1032;

/// Parses idx bytes (gzipped or not); `path` only names the source in errors.
///
/// The sizes in the header are checked against the input's length before the
/// body is read, and the body is never allocated from the header's word alone:
/// bad bytes give an [`Error`], never a panic or a huge allocation.
pub fn parse(bytes: &[u8], path: &Path) -> Result<Idx, Error> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let most = bytes.len().saturating_mul(DEFLATE_MAX_RATIO);
        parse_stream(GzDecoder::new(bytes), most, path).map_err(|e| match e {
            Stop::Io(e) => Error::format(path, format!("is not a valid gzip file ({e}); it may be truncated: download it again")),
            Stop::Bad(e) => e,
        })
    } else {
        // Reading from the bytes themselves allocates no more than they hold.
        parse_stream(bytes, usize::MAX, path).map_err(|e| match e {
            Stop::Io(e) => Error::format(path, format!("cannot be read ({e})")),
            Stop::Bad(e) => e,
        })
    }
}

/// Why [`parse_stream`] stopped: the stream failed (a bad gzip), or its content
/// is not valid idx.
enum Stop {
    Io(std::io::Error),
    Bad(Error),
}

/// Reads up to `buf.len()` bytes; fewer only at the end of the stream.
fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> Result<usize, Stop> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Stop::Io(e)),
        }
    }
    Ok(got)
}

/// Parses an idx stream of at most `most` bytes in all.
fn parse_stream(
    mut input: impl Read,
    most: usize,
    path: &Path,
) -> Result<Idx, Stop> {
    let bad = |problem: String| Stop::Bad(Error::format(path, problem));
    let mut magic = [0u8; 4];
    let got = read_up_to(&mut input, &mut magic)?;
    if got < 4 || magic[0] != 0 || magic[1] != 0 {
        return Err(bad("is not an idx file: it should start with two zero bytes (magic 0x0000..)".into()));
    }
    if magic[2] != 0x08 {
        return Err(bad(format!(
            "holds idx type 0x{:02x}; only unsigned bytes (0x08) are supported",
            magic[2]
        )));
    }
    let ndim = usize::from(magic[3]);
    let mut sizes = vec![0u8; 4 * ndim];
    let got = read_up_to(&mut input, &mut sizes)?;
    if ndim == 0 || got < sizes.len() {
        return Err(bad(format!(
            "has a truncated header ({} bytes, {ndim} dimensions)",
            4 + got
        )));
    }
    let dims: Vec<usize> = sizes
        .chunks_exact(4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .collect();
    let header = 4 + 4 * ndim;
    let Some(expected) = dims.iter().try_fold(1usize, |n, &d| n.checked_mul(d))
    else {
        return Err(bad(format!("the header's sizes {dims:?} overflow: it is corrupt or not an idx file; download it again")));
    };
    if expected > most.saturating_sub(header) {
        return Err(bad(format!(
            "the header promises {dims:?} = {expected} bytes, more than a gzip file of its size can hold: it is truncated or corrupt; download it again"
        )));
    }
    // Read one byte more than promised, to tell a longer file from an exact one;
    // the buffer grows with what actually arrives.
    let mut data = Vec::new();
    (&mut input)
        .take(expected as u64 + 1)
        .read_to_end(&mut data)
        .map_err(Stop::Io)?;
    if data.len() != expected {
        let body = data.len();
        return Err(bad(if body < expected {
            format!("the header promises {dims:?} = {expected} bytes but the file has {body}: it is truncated; download it again")
        } else {
            format!("the header promises {dims:?} = {expected} bytes but the file has more: it is longer than its header says; download it again")
        }));
    }
    Ok(Idx { dims, data })
}

/// Pairs an images file (N × H × W) with a labels file (N), checking they agree;
/// `source` names the dataset (`MNIST`, …). An error names the file it is
/// about: `paths` are the images' and the labels'.
pub fn labelled(
    name: &str,
    source: &str,
    images: Idx,
    labels: Idx,
    classes: &[&str],
    (images_path, labels_path): (&Path, &Path),
) -> Result<Dataset, Error> {
    if images.dims.len() != 3 {
        return Err(Error::format(
            images_path,
            format!(
                "{name}: the images file has dimensions {:?}, expected N × H × W",
                images.dims
            ),
        ));
    }
    if images.dims[1] == 0 || images.dims[2] == 0 {
        return Err(Error::format(
            images_path,
            format!(
                "{name}: the images file holds images of {}×{} pixels; an image needs at least one row and one column",
                images.dims[1], images.dims[2]
            ),
        ));
    }
    if labels.dims.len() != 1 {
        return Err(Error::format(
            labels_path,
            format!(
                "{name}: the labels file has dimensions {:?}, expected N",
                labels.dims
            ),
        ));
    }
    if images.dims[0] != labels.dims[0] {
        return Err(Error::format(
            labels_path,
            format!("{name}: {} images but {} labels; the two files do not belong together", images.dims[0], labels.dims[0]),
        ));
    }
    if let Some((i, &l)) = labels
        .data
        .iter()
        .enumerate()
        .find(|(_, &l)| usize::from(l) >= classes.len())
    {
        return Err(Error::format(
            labels_path,
            format!(
                "{name}: label {l} of image {i} is not one of the {} classes",
                classes.len()
            ),
        ));
    }
    Ok(Dataset {
        name: name.to_string(),
        source: source.to_string(),
        images: images.data,
        labels: labels.data,
        shape: [1, images.dims[1], images.dims[2]],
        classes: classes.iter().map(|c| c.to_string()).collect(),
    })
}

/// The first file that exists among the usual spellings of `stem`
/// (`train-images-idx3-ubyte` with or without `.gz`, or with a dot before `idx3`).
#[cfg(not(target_arch = "wasm32"))]
fn find(dir: &Path, stem: &str) -> Result<PathBuf, Error> {
    let dotted = stem.replacen("-idx", ".idx", 1);
    let candidates = [
        stem.to_string(),
        format!("{stem}.gz"),
        dotted.clone(),
        format!("{dotted}.gz"),
    ];
    candidates
        .iter()
        .map(|c| dir.join(c))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            Error::format(
                dir,
                format!("has no {stem}(.gz): expected the four idx files of MNIST or Fashion-MNIST (e.g. apt-get install dataset-fashion-mnist, then --data /usr/share/datasets/fashion-mnist)"),
            )
        })
}

/// Which class names an idx folder's labels stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Fashion-MNIST's clothes.
    FashionMnist,
    /// MNIST's digits.
    Mnist,
}

/// Loads the four idx files of MNIST or Fashion-MNIST from `dir`.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_dir(dir: &Path, kind: Kind) -> Result<Split, Error> {
    let (title, classes): (&str, &[&str]) = match kind {
        Kind::FashionMnist => ("Fashion-MNIST", &FASHION_MNIST_CLASSES),
        Kind::Mnist => ("MNIST", &MNIST_CLASSES),
    };
    let load = |split: &str, name: &str| -> Result<(Dataset, PathBuf), Error> {
        let images_path = find(dir, &format!("{split}-images-idx3-ubyte"))?;
        let labels_path = find(dir, &format!("{split}-labels-idx1-ubyte"))?;
        let set = labelled(
            &format!("{title} {name}"),
            title,
            read(&images_path)?,
            read(&labels_path)?,
            classes,
            (&images_path, &labels_path),
        )?;
        Ok((set, images_path))
    };
    let (train, _) = load("train", "train")?;
    let (test, test_images) = load("t10k", "test")?;
    if train.shape != test.shape {
        let size = |s: [usize; 3]| format!("{}×{}", s[1], s[2]);
        return Err(Error::format(
            test_images,
            format!(
                "holds test images of {} pixels, but the training images are {}: the four files must come from the same dataset",
                size(test.shape),
                size(train.shape)
            ),
        ));
    }
    Ok(Split { train, test })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(dims: &[u32], data: &[u8]) -> Vec<u8> {
        let mut v = vec![0, 0, 8, dims.len() as u8];
        for d in dims {
            v.extend(d.to_be_bytes());
        }
        v.extend(data);
        v
    }

    #[test]
    fn parses_raw_and_gzipped() {
        let bytes = idx(&[2, 1, 2], &[1, 2, 3, 4]);
        let p = Path::new("x");
        assert_eq!(
            parse(&bytes, p).unwrap(),
            Idx {
                dims: vec![2, 1, 2],
                data: vec![1, 2, 3, 4]
            }
        );
        let mut gz =
            flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &bytes).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(parse(&gz, p).unwrap().data, vec![1, 2, 3, 4]);
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let p = Path::new("train-images-idx3-ubyte");
        let e = parse(&idx(&[2, 1, 2], &[1, 2, 3]), p)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("truncated") && e.contains("train-images-idx3-ubyte"),
            "{e}"
        );
        let e = parse(&[0x89, b'P', b'N', b'G'], p).unwrap_err().to_string();
        assert!(e.contains("not an idx file"), "{e}");
        let e = parse(&[0x1f, 0x8b, 0, 0], p).unwrap_err().to_string();
        assert!(e.contains("not a valid gzip"), "{e}");
        let images = parse(&idx(&[2, 1, 1], &[0, 0]), p).unwrap();
        let labels = parse(&idx(&[3], &[0, 1, 2]), p).unwrap();
        let e =
            labelled("t", "MNIST", images.clone(), labels, &MNIST_CLASSES, (p, p))
                .unwrap_err()
                .to_string();
        assert!(e.contains("2 images but 3 labels"), "{e}");
        let labels = parse(&idx(&[2], &[0, 12]), p).unwrap();
        let e = labelled("t", "MNIST", images, labels, &MNIST_CLASSES, (p, p))
            .unwrap_err()
            .to_string();
        assert!(e.contains("label 12 of image 1"), "{e}");
        // An error about the images names the images file, one about the
        // labels the labels file.
        let (ip, lp) = (
            Path::new("train-images-idx3-ubyte"),
            Path::new("train-labels-idx1-ubyte"),
        );
        let flat = parse(&idx(&[2, 0, 28], &[]), ip).unwrap();
        let labels = parse(&idx(&[2], &[0, 1]), lp).unwrap();
        let e = labelled("t", "MNIST", flat, labels, &MNIST_CLASSES, (ip, lp))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("train-images-idx3-ubyte") && !e.contains("labels-idx1"),
            "{e}"
        );
    }

    #[test]
    fn embedded_subset_is_real_fashion_mnist() {
        let split = super::super::embedded_fashion_mnist();
        assert_eq!((split.train.len(), split.test.len()), (6000, 1000));
        assert_eq!(split.train.shape, [1, 28, 28]);
        // The official first training label is 9 (Ankle boot), the first test one 9 too.
        assert_eq!((split.train.labels[0], split.test.labels[0]), (9, 9));
        let counts =
            (0..10).map(|c| split.train.labels.iter().filter(|&&l| l == c).count());
        assert!(
            counts.clone().all(|n| n > 500),
            "{:?}",
            counts.collect::<Vec<_>>()
        );
        let (x, y) = split.test.batch(&[0, 1]);
        assert_eq!(x.shape(), [2, 1, 28, 28]);
        assert!(x.data().iter().all(|v| (-1.0..=1.0).contains(v)));
        assert_eq!(y, vec![9, 2]);
    }
}
