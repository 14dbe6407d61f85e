//! Plain model types that loading, the site and rendering all speak of.

/// Whether a document is an article (dated, stamped, in the feed) or a standalone page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Article,
    Page,
}

/// Which call-to-action ends a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CtaChoice {
    /// Not set: articles take `default_cta`, pages none.
    Default,
    None,
    Id(String),
}

/// Which disclaimer a document shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisclaimerChoice {
    /// Not set: its section's, else `default_disclaimer` (for articles and stamped pages).
    Default,
    None,
    Id(String),
}

/// How a section's list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortBy {
    /// Newest first (articles), then by slug.
    Date,
    /// By title, A to Z.
    Title,
    /// By `weight:` (smallest first; none last), then title (pages).
    Weight,
}

/// The longest review period brief takes, in days (a hundred years): for an article, a
/// section and a tag alike.
pub const MAX_REVIEW_DAYS: i64 = 36_500;
