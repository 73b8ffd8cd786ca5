//! factbrief: a static site generator for fact-check briefings.
//!
//! Data flows one way:
//! [`load`] (files → typed documents) → [`link`] (the claim/source graph, quotes
//! resolved to passages) → [`render`] (Markdown + Tera) → [`write`] (atomic output).
//! [`build`] runs the four in order; [`check`] runs them in memory and checks
//! the result; [`init`] scaffolds a new briefing.

pub mod authoring;
pub mod build;
pub mod check;
pub mod diagnostic;
pub mod init;
pub mod link;
pub mod load;
pub mod markdown;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod site_path;
pub mod write;

pub use build::{build, BuildOptions, BuildReport};
pub use diagnostic::{Diagnostic, Error, Result, Severity};
