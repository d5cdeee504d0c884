//! Downloading CIFAR-10's binary version: streamed to disk behind a progress bar,
//! checked against its published MD5, then extracted.

use crate::Error;
use md5::{Digest, Md5};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The official archive.
pub const CIFAR10_URL: &str =
    "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
/// Its MD5, as published on <https://www.cs.toronto.edu/~kriz/cifar.html>.
pub const CIFAR10_MD5: &str = "c32a1d4ab5d03f1284b67883e8d87530";

/// Downloads `url` into `dir` (unless the archive is already there with the right
/// checksum), checks its MD5 against `md5`, and extracts it into `dir`. Returns
/// the folder holding the `.bin` files.
pub fn cifar10(url: &str, md5: &str, dir: &Path) -> Result<PathBuf, Error> {
    if let Some(found) = super::cifar::locate(dir) {
        return Ok(found);
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let archive = dir.join("cifar-10-binary.tar.gz");
    let have = archive.is_file() && file_md5(&archive)? == md5;
    if !have {
        fetch(url, md5, &archive)?;
    }
    extract(&archive, dir)?;
    super::cifar::locate(dir).ok_or_else(|| {
        Error::format(&archive, "was extracted but holds no test_batch.bin: it is not CIFAR-10's binary version")
    })
}

fn file_md5(path: &Path) -> Result<String, Error> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Md5::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Streams `url` to `dest` through a `.part` file, hashing as it goes; the file
/// takes its final name only once complete and verified.
fn fetch(url: &str, md5: &str, dest: &Path) -> Result<(), Error> {
    let fail = |problem: String| Error::Download {
        url: url.to_string(),
        problem,
    };
    let response = ureq::get(url).call().map_err(|e| fail(format!("{e}; check the address and your connection, or download the archive yourself and pass its folder with --data")))?;
    let total: Option<u64> = response
        .headers()
        .get("Content-Length")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let part = dest.with_extension("gz.part");
    let mut out = std::fs::File::create(&part).map_err(|e| Error::io(&part, e))?;
    let mut reader = response.into_body().into_reader();
    let mut hasher = Md5::new();
    let mut bar =
        sgd::ProgressBar::bytes("cifar-10-binary.tar.gz", total.unwrap_or(0));
    let mut buf = vec![0u8; 1 << 16];
    let mut received = 0u64;
    loop {
        let n = reader.read(&mut buf).map_err(|e| fail(format!("the connection broke after {received} bytes ({e}); run again to retry")))?;
        if n == 0 {
            break;
        }
        received += n as u64;
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(|e| Error::io(&part, e))?;
        bar.inc_by(n as u64);
    }
    bar.finish();
    if let Some(total) = total.filter(|&t| t != received) {
        return Err(fail(format!(
            "received {received} of {total} bytes; run again to retry"
        )));
    }
    let got = hex(&hasher.finalize());
    if got != md5 {
        let _ = std::fs::remove_file(&part);
        return Err(fail(format!("the MD5 is {got}, expected {md5}: the file is corrupt or not the official archive; nothing was kept")));
    }
    std::fs::rename(&part, dest).map_err(|e| Error::io(dest, e))
}

/// Extracts a `.tar.gz` into `dir`.
fn extract(archive: &Path, dir: &Path) -> Result<(), Error> {
    let file = std::fs::File::open(archive).map_err(|e| Error::io(archive, e))?;
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(dir)
        .map_err(|e| {
            Error::format(
                archive,
                format!("cannot be extracted ({e}); delete it and download again"),
            )
        })
}
