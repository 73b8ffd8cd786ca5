//! One module per page kind, each filling its page's template context.

pub(super) mod claim;
pub(super) mod claim_list;
pub(super) mod corrections;
pub(super) mod feed;
pub(super) mod free;
pub(super) mod index;
pub(super) mod matrix;
pub(super) mod outlet;
pub(super) mod search;
pub(super) mod sitemap;
pub(super) mod source;
pub(super) mod source_list;
pub(super) mod tag;
pub(super) mod terms;
pub(super) mod timeline;
pub(super) mod verdict;
