//! Two things the build of the program itself decides.
//!
//! - `brief` is linked at a fixed address (not as a position-independent executable). A PIE's
//!   124,000 relative relocations are applied at every start, copying 11 MB of read-only data
//!   tables (most of them Typst's) into private memory: about a fifth of a small brief's whole
//!   build. Only the final link changes; the code is compiled as before.
//! - `BRIEF_SOURCE_ID`, a fingerprint of the program's features, sources, built-in templates
//!   and assets, and its locked dependencies: the caches a build keeps are valid only for the
//!   program that wrote them, even between two builds of one version number.

use std::path::Path;

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    let mut files = Vec::new();
    for root in ["src", "templates", "static", "Cargo.lock", "Cargo.toml"] {
        println!("cargo:rerun-if-changed={root}");
        collect(Path::new(root), &mut files);
    }
    files.sort();
    // FNV-1a over the features, then each file's path and bytes.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut features: Vec<String> = std::env::vars()
        .map(|(name, _)| name)
        .filter(|name| name.starts_with("CARGO_FEATURE_"))
        .collect();
    features.sort();
    for byte in features.join(",").bytes().chain([0]) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_default();
        for byte in path.to_string_lossy().bytes().chain([0]).chain(bytes) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=BRIEF_SOURCE_ID={hash:016x}");
}

fn collect(path: &Path, files: &mut Vec<std::path::PathBuf>) {
    if path.is_file() {
        files.push(path.to_path_buf());
    } else if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            collect(&entry.path(), files);
        }
    }
}
