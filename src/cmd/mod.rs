//! One file per verb.

pub mod build;
