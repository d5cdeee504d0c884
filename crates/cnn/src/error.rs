use std::fmt;
use std::path::PathBuf;

/// Everything that can go wrong reading data or checkpoints, or training.
///
/// Each message names the file (or tensor) and says what to do about it.
#[derive(Debug)]
pub enum Error {
    /// A file could not be opened or read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A file was read but its content is not what it should be.
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong, and what to do.
        problem: String,
    },
    /// A download failed.
    Download {
        /// The address.
        url: String,
        /// What went wrong, and what to do.
        problem: String,
    },
    /// A checkpoint does not fit the model it is loaded into.
    Checkpoint {
        /// The file.
        path: PathBuf,
        /// What does not fit.
        problem: String,
    },
    /// A checkpoint of another model than the one it is loaded into.
    WrongModel {
        /// The file.
        path: PathBuf,
        /// The model the checkpoint holds (`mlp`, …).
        holds: String,
        /// The model it was to be loaded into.
        wanted: String,
    },
    /// An output could not be written; whatever was at `path` before is unchanged.
    Write {
        /// The file that was to be written.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Training diverged.
    Diverged(sgd::NonFiniteLoss),
}

impl Error {
    pub(crate) fn format(
        path: impl Into<PathBuf>,
        problem: impl Into<String>,
    ) -> Self {
        Error::Format {
            path: path.into(),
            problem: problem.into(),
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Format { path, problem } => {
                write!(f, "{}: {problem}", path.display())
            }
            Error::Download { url, problem } => {
                write!(f, "downloading {url}: {problem}")
            }
            Error::Checkpoint { path, problem } => {
                write!(f, "{}: {problem}", path.display())
            }
            Error::WrongModel {
                path,
                holds,
                wanted,
            } => write!(
                f,
                "{}: holds a {holds} model, not {wanted}: use a {wanted} checkpoint",
                path.display()
            ),
            Error::Write { path, source } => write!(
                f,
                "cannot write {}: {source}; the file that was there before, if any, \
                 is unchanged: check the disk's free space and the folder's \
                 permissions, or write to another folder",
                path.display()
            ),
            Error::Diverged(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } | Error::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<sgd::NonFiniteLoss> for Error {
    fn from(e: sgd::NonFiniteLoss) -> Self {
        Error::Diverged(e)
    }
}
