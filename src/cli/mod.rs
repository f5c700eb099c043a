//! The command-line interface (SPEC §3). (Being written.)
pub fn main() -> i32 {
    0
}
