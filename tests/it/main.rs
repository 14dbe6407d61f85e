//! The integration suite: one binary, a module per command, fixture sites under `sites/`.

mod support;

mod build;
mod check;
mod cli;
mod docs;
mod front_matter;
mod highlight;
mod images;
mod init;
mod invalid;
mod languages;
mod layers;
mod new;
mod portable;
mod props;
mod publish;
mod review;
mod search;
mod sections;
mod serve;
mod sources;
