//! Links the `brief` program at a fixed address (not as a position-independent executable).
//! A PIE's 124,000 relative relocations are applied at every start, copying 11 MB of
//! read-only data tables (most of them Typst's) into private memory: about a fifth of a
//! small brief's whole build. Only the final link changes; the code is compiled as before.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
