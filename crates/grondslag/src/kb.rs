//! The bundled knowledge base, embedded into the binary at build time.
use include_dir::{include_dir, Dir};

/// Everything under `knowledge/`.
pub static KNOWLEDGE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../knowledge");
