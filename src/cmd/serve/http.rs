//! The preview server's HTTP side: maps a request path onto the in-memory output (never onto
//! the file system, so nothing outside the built site can be served), picks the content type,
//! and answers GET and HEAD only.

use crate::text::percent_decode_strict;

/// What a request path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file of the output, by its output path.
    File(String),
    /// A path that escapes, or that no sane browser sends: refused with 404.
    Forbidden,
}

/// The output path a URL path names: `/` → `index.html`, `/a/` → `a/index.html`. Anything
/// with `..`, `.` segments, backslashes, NUL or an encoded slash is refused.
pub fn resolve(url: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/')
        || path.to_ascii_lowercase().contains("%2f")
        || path.to_ascii_lowercase().contains("%5c")
    {
        return Target::Forbidden;
    }
    let Some(decoded) = percent_decode_strict(path) else {
        return Target::Forbidden;
    };
    if decoded.contains('\\') || decoded.contains('\0') || decoded.starts_with("//") {
        return Target::Forbidden;
    }
    let relative = &decoded[1..];
    if relative
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Target::Forbidden;
    }
    if relative.is_empty() || relative.ends_with('/') {
        Target::File(format!("{relative}index.html"))
    } else {
        Target::File(relative.to_string())
    }
}

/// The content type of an output file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_urls_resolve_to_index() {
        assert_eq!(resolve("/"), Target::File("index.html".into()));
        assert_eq!(
            resolve("/targets/"),
            Target::File("targets/index.html".into())
        );
        assert_eq!(
            resolve("/targets/pm25/?x=1#y"),
            Target::File("targets/pm25/index.html".into())
        );
        assert_eq!(
            resolve("/data/indicators.csv"),
            Target::File("data/indicators.csv".into())
        );
        assert_eq!(
            resolve("/summaries/air/%E8%93%9D%E5%A4%A9/"),
            Target::File("summaries/air/蓝天/index.html".into())
        );
    }

    #[test]
    fn escapes_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/x",
            "/a%2f..%2fb",
            "/..\\..\\windows",
            "/a%5c..",
            "//etc/passwd",
            "/./index.html",
            "etc/passwd",
            "/%zz",
            "/%00",
            "/a%ff",
        ] {
            assert_eq!(resolve(bad), Target::Forbidden, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a/chart.SVG"), "image/svg+xml");
        assert_eq!(
            content_type("data/indicators.csv"),
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            content_type("data/facilities.geojson"),
            "application/geo+json"
        );
        assert_eq!(content_type("x"), "application/octet-stream");
    }
}
