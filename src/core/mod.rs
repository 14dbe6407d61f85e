//! The bottom floor: what every other module may use, importing nothing above it (only
//! `diagnostic` and `platform`, which are on this floor too): the folder layout, the shared model types and
//! small file helpers, and the typed paths.

pub mod files;
pub mod layout;
pub mod model;
pub mod paths;
