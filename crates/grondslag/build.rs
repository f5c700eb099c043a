//! The knowledge base is embedded into the binary (`src/kb.rs`); rebuild when any file under
//! `knowledge/` changes, is added or removed, so the binary never carries a stale one.

fn main() {
    println!("cargo:rerun-if-changed=../../knowledge");
    println!("cargo:rerun-if-changed=build.rs");
}
