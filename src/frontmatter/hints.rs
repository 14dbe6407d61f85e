//! What to write instead of a field brief does not have: the names Hugo, Zola and Jekyll
//! use for brief's fields, and for what brief keeps under `extra:`.

/// The fix for `key`, a field another generator uses, naming brief's way of saying it.
pub(super) fn migration(key: &str) -> Option<String> {
    let fix = match key {
        "lastmod" | "last_modified_at" | "modified" | "lastModified" | "last_modified" => {
            "brief calls this `updated`: write `updated: YYYY-MM-DD` (a date and time is read too)"
        }
        "description" | "excerpt" => "brief calls this `summary`: rename the field `summary`",
        "categories" | "keywords" => {
            "brief has one kind of label, `tags`: put these in `tags: [first, second]`"
        }
        "publishDate" | "pubDate" | "publishdate" | "pubdate" | "published_at" => {
            "brief calls this `date`: write `date: YYYY-MM-DD` (a date and time is read too)"
        }
        "published" => {
            "brief publishes every file that is not a draft: write `draft: true` instead of `published: false`"
        }
        "expiryDate" | "expirydate" | "expires" | "unpublishDate" => {
            "brief has no expiry: set `draft: true` or delete the file"
        }
        "image" | "images" | "cover" | "featured_image" | "thumbnail" | "banner" => {
            return Some(format!(
                "brief has no image field: keep it under `extra:`, e.g. `extra: {{{key}: …}}`, where templates read it as `extra.{key}`"
            ))
        }
        "weight" => "articles are listed by date, newest first: remove `weight` (it orders pages)",
        "layout" | "template" | "type" => {
            "brief chooses the template by the kind of document: change the look in templates/ (see templates/README.md)"
        }
        "url" | "permalink" | "path" => {
            "brief makes the address from the file name or `slug:`; keep an old address working with `aliases: [/old/address/]`"
        }
        "redirect_from" => "brief calls this `aliases`: write `aliases: [/old/address/]`",
        "authors" => "brief has one `author:` (text); write `author: Name`",
        "taxonomies" => "write the tags at the top level: `tags: [first, second]`",
        "toc" | "math" | "katex" | "mathjax" | "mermaid" | "comments" | "series" | "hidden"
        | "sitemap" | "params" | "linkTitle" | "subtitle" => {
            return Some(format!(
                "brief has no `{key}` field: keep it under `extra:`, e.g. `extra: {{{key}: …}}`, where templates read it as `extra.{key}`"
            ))
        }
        _ => return None,
    };
    Some(fix.to_string())
}
