//! One file per verb.

pub mod build;
pub mod new;
pub mod serve;
