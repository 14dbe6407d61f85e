//! The bottom floor: what every other module may use and what imports nothing above it.

pub mod files;
