//! brief's CSL 1.0.2 processor: styles and locales parsed by `citationberg`, references in the
//! CSL-JSON shape of [`reference`], and one file per part of the specification.

pub mod reference;
