//! No code: see this crate's `Cargo.toml`. It exists so that every command of
//! the course builds each dependency once, with one set of features.
