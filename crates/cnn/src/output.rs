//! Writing outputs whole or not at all. A checkpoint, a report or a figure is
//! written to a temporary file in the same folder, then renamed over its final
//! name: a rename within a folder is atomic, so a full disk or an interrupted run
//! leaves the previous file as it was, never a truncated one.
//!
//! The file operations go through [`FileSystem`], so that a test can stand in a
//! disk that fills up.

use crate::Error;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The operations an atomic write needs. [`Disk`] is the real file system.
pub trait FileSystem {
    /// Creates the folder `dir` and its parents, if missing.
    fn create_dir_all(&self, dir: &Path) -> io::Result<()>;
    /// Creates (or truncates) `path`, writes `bytes` and flushes them to the device.
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    /// Renames `from` to `to`, replacing `to`.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Removes the file `path`.
    fn remove(&self, path: &Path) -> io::Result<()>;
}

/// The real file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct Disk;

impl FileSystem for Disk {
    fn create_dir_all(&self, dir: &Path) -> io::Result<()> {
        std::fs::create_dir_all(dir)
    }

    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut file = std::fs::File::create(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
}

/// The temporary file `path` is first written to: hidden, in the same folder
/// (a rename between file systems would not be atomic), and named after the
/// process so that two runs writing the same output do not share it.
pub fn temporary(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `bytes` to `path` through `fs`: to [`temporary`]`(path)`, then renamed
/// into place. On failure the temporary file is removed and the error names
/// `path`; whatever was at `path` before is unchanged.
pub fn write_with(
    fs: &dyn FileSystem,
    path: &Path,
    bytes: &[u8],
) -> Result<(), Error> {
    let failed = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs.create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let tmp = temporary(path);
    let written = fs
        .write_new(&tmp, bytes)
        .and_then(|()| fs.rename(&tmp, path));
    written.map_err(|e| {
        // Best effort: the error that matters is the one above.
        let _ = fs.remove(&tmp);
        failed(e)
    })
}

/// Writes `bytes` to `path` on the real disk, whole or not at all.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_with(&Disk, path, bytes)
}

/// A disk with room for `room` more bytes: a longer file is cut there and
/// the write fails with ENOSPC, as on a full disk. For tests of what a full
/// disk leaves behind.
#[derive(Clone, Copy, Debug)]
pub struct FullDisk {
    /// How many bytes still fit.
    pub room: usize,
}

impl FileSystem for FullDisk {
    fn create_dir_all(&self, dir: &Path) -> io::Result<()> {
        Disk.create_dir_all(dir)
    }
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(path, &bytes[..bytes.len().min(self.room)])?;
        if bytes.len() > self.room {
            return Err(io::Error::from_raw_os_error(28)); // ENOSPC
        }
        Ok(())
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        Disk.rename(from, to)
    }
    fn remove(&self, path: &Path) -> io::Result<()> {
        Disk.remove(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_leaves_the_previous_file_and_no_temporary() {
        let dir =
            std::env::temp_dir().join(format!("output-test-{}", std::process::id()));
        let path = dir.join("report.txt");
        write(&path, b"the first report").unwrap();
        let e = write_with(&FullDisk { room: 4 }, &path, b"a longer second report")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("cannot write") && e.contains("report.txt"),
            "{e}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"the first report");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "a temporary file was left: {left:?}");
        // With room enough, the new content replaces the old.
        write_with(&FullDisk { room: 100 }, &path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
