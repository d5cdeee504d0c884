//! Downloading CIFAR-10's binary version: streamed to disk behind a progress bar,
//! checked against its published MD5, then extracted.

use crate::Error;
use md5::{Digest, Md5};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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
///
/// The bytes come from the system's `curl` (on every Linux distribution, macOS
/// and Windows 10 or later), so the workspace compiles no HTTPS client or TLS
/// stack of its own for the one file it ever downloads.
fn fetch(url: &str, md5: &str, dest: &Path) -> Result<(), Error> {
    let fail = |problem: String| Error::Download {
        url: url.to_string(),
        problem,
    };
    let mut curl = Command::new("curl")
        // Follow redirects, fail on an HTTP error status, print only errors,
        // and write the response headers before the body on standard output.
        .args(["--location", "--fail", "--silent", "--show-error", "--dump-header", "-"])
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            fail(if e.kind() == std::io::ErrorKind::NotFound {
                format!("needs the `curl` command, which is not on this machine (install it: `sudo apt-get install curl` on Debian or Ubuntu), or download the archive yourself into {} and run again", dest.parent().unwrap_or(dest).display())
            } else {
                format!("cannot start curl ({e})")
            })
        })?;
    let mut reader = std::io::BufReader::with_capacity(
        1 << 16,
        curl.stdout.take().expect("piped"),
    );
    let result = receive(&mut reader, dest);
    drop(reader);
    let mut stderr = String::new();
    if let Some(mut pipe) = curl.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let status = curl
        .wait()
        .map_err(|e| fail(format!("curl did not finish ({e})")))?;
    let curl_says = stderr.trim();
    let part = dest.with_extension("gz.part");
    match result {
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(e)
        }
        Ok(received)
            if !status.success()
                || received.total.is_some_and(|t| t != received.bytes) =>
        {
            let _ = std::fs::remove_file(&part);
            let why = if curl_says.is_empty() {
                format!("curl ended with {status}")
            } else {
                curl_says.to_string()
            };
            Err(fail(if received.bytes > 0 {
                format!("the connection broke after {} bytes ({why}); run again to retry", received.bytes)
            } else {
                format!("{why}; check the address and your connection, or download the archive yourself and pass its folder with --data")
            }))
        }
        Ok(received) => {
            if received.md5 != md5 {
                let _ = std::fs::remove_file(&part);
                return Err(fail(format!("the MD5 is {}, expected {md5}: the file is corrupt or not the official archive; nothing was kept", received.md5)));
            }
            std::fs::rename(&part, dest).map_err(|e| Error::io(dest, e))
        }
    }
}

/// What [`receive`] got: the body's length, the length the server announced
/// (if it did), and the body's MD5.
struct Body {
    bytes: u64,
    total: Option<u64>,
    md5: String,
}

/// Reads curl's output: the header blocks (one per redirect, and any `100
/// Continue`), then the body, into the `.part` file beside `dest`.
fn receive(curl: &mut impl BufRead, dest: &Path) -> Result<Body, Error> {
    let nothing = Body {
        bytes: 0,
        total: None,
        md5: String::new(),
    };
    // Header blocks until one whose status is final (not 1xx, not a redirect).
    let total = loop {
        let mut status = None;
        let mut length = None;
        let mut line = String::new();
        loop {
            line.clear();
            // No more output before a body: curl failed, and says why.
            if matches!(curl.read_line(&mut line), Ok(0) | Err(_)) {
                return Ok(nothing);
            }
            let text = line.trim_end();
            if text.is_empty() {
                break;
            }
            if status.is_none() {
                // "HTTP/1.1 200 OK", "HTTP/2 302"
                status = text
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse::<u16>().ok());
            } else if let Some((name, value)) = text.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<u64>().ok();
                }
            }
        }
        match status {
            Some(100..=199 | 300..=399) => continue,
            // An error page: curl (`--fail`) ends with its status and says why.
            Some(400..) => return Ok(nothing),
            _ => break length,
        }
    };
    let part = dest.with_extension("gz.part");
    let mut out = std::fs::File::create(&part).map_err(|e| Error::io(&part, e))?;
    let mut hasher = Md5::new();
    let mut bar =
        sgd::ProgressBar::bytes("cifar-10-binary.tar.gz", total.unwrap_or(0));
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = match curl.read(&mut buf) {
            // A broken connection: curl's exit status and message tell.
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        bytes += n as u64;
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(|e| Error::io(&part, e))?;
        bar.inc_by(n as u64);
    }
    bar.finish();
    Ok(Body {
        bytes,
        total,
        md5: hex(&hasher.finalize()),
    })
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
