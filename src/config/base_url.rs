//! The site's address: site.toml's `base_url` and `--base-url`, checked and split into the
//! normalised URL (ending in `/`) and its path, which every link of the site starts with.

/// Splits a base URL into its normalised form (ending in `/`) and its path; the rule for
/// site.toml's `base_url` and for `--base-url`.
pub(crate) fn parse_base_url(url: &str) -> std::result::Result<(String, String), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("it must start with https:// or http://")?;
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains a space or a control character");
    }
    if url.contains('?') || url.contains('#') {
        return Err("it must not have a query or a fragment");
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.contains('@') {
        return Err("it must not hold a user name or password");
    }
    check_host(host)?;
    // `https://example.com//x/` would make every link `//x/…`, which browsers read as
    // another host.
    if path.contains("//") {
        return Err("its path has an empty segment (`//`), which would turn links into addresses on another host");
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err("its path must not contain . or ..");
    }
    if path.contains(['\\', '"', '\'', '<', '>', '`', '{', '}', '|', '^']) {
        return Err("its path must not contain \\ \" ' < > ` { } | or ^");
    }
    let mut path = path.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    let scheme_end = url.len() - rest.len();
    Ok((format!("{}{}{}", &url[..scheme_end], host, path), path))
}

/// A host name or `[IPv6]` address, with an optional port.
fn check_host(host: &str) -> std::result::Result<(), &'static str> {
    const NO_HOST: &str = "it has no valid host name";
    let (name, port) = match host.strip_prefix('[') {
        Some(inner) => {
            let (address, after) = inner.split_once(']').ok_or(NO_HOST)?;
            let is_address = address.contains(':')
                && address
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
            if !is_address || !(after.is_empty() || after.starts_with(':')) {
                return Err(NO_HOST);
            }
            (None, after.strip_prefix(':'))
        }
        None => match host.split_once(':') {
            Some((name, port)) => (Some(name), Some(port)),
            None => (Some(host), None),
        },
    };
    if port.is_some_and(|p| {
        p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.parse::<u16>().is_err()
    }) {
        return Err("its port must be a number up to 65535");
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if name.is_some_and(|n| !n.strip_suffix('.').unwrap_or(n).split('.').all(label_ok)) {
        return Err(NO_HOST);
    }
    Ok(())
}
