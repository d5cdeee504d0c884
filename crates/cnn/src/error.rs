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
            Error::Diverged(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<sgd::NonFiniteLoss> for Error {
    fn from(e: sgd::NonFiniteLoss) -> Self {
        Error::Diverged(e)
    }
}
