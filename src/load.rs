//! Loading: files and directories from disk, the embedded knowledge base. (Being written.)
