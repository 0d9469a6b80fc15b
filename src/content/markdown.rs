//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough and heading ids, and the
//! sanitising of raw HTML and unsafe link schemes (unless the site opts out with
//! `unsafe_html: true`).

use std::collections::HashMap;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Link schemes allowed in content; anything else (`javascript:`, `data:`, `vbscript:`) is
/// removed by the sanitiser.
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

fn has_unsafe_scheme(url: &str) -> bool {
    let url = url.trim_start();
    let scheme_end = url.find(|c: char| !(c.is_ascii_alphanumeric() || "+.-".contains(c)));
    match scheme_end {
        Some(end) if end > 0 && url[end..].starts_with(':') => {
            let scheme = url[..end].to_ascii_lowercase();
            !SAFE_SCHEMES.contains(&scheme.as_str())
        }
        // Browsers strip control characters and whitespace inside schemes ("java\tscript:").
        _ => url.chars().any(|c| c.is_control()),
    }
}

/// An anchor for a heading: its text with spaces as `-`, ASCII lower-cased, punctuation dropped;
/// Chinese kept, so that `## 一、主要进展` gets `#一主要进展`.
fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            id.extend(c.to_lowercase());
        } else if c.is_whitespace() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-');
    if id.is_empty() {
        "section".to_string()
    } else {
        id.to_string()
    }
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id", "class"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .url_schemes(SAFE_SCHEMES.iter().copied().collect())
            .link_rel(None);
        b
    })
}

/// Markdown as HTML. Raw HTML and unsafe links are sanitised unless `allow_raw_html`.
pub fn html(source: &str, allow_raw_html: bool) -> String {
    let (events, _, needs_sanitising) = read(source, true);
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if needs_sanitising && !allow_raw_html {
        html = sanitizer().clean(&html).to_string();
    }
    html
}

/// Markdown as plain text, for excerpts and search: its words with runs of white space made one
/// space.
pub fn plain_text(source: &str) -> String {
    read(source, false).1
}

/// Reads Markdown: its events, with unique heading ids when `for_html`, else its plain text
/// (each of the two needs only one of them), and whether its HTML needs sanitising.
fn read(source: &str, for_html: bool) -> (Vec<Event<'_>>, String, bool) {
    let mut events: Vec<Event> = Parser::new_ext(source, options()).collect();
    let mut needs_sanitising = false;
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut text = String::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) if for_html => {
                let (level, explicit, classes, attrs): (HeadingLevel, _, _, _) =
                    (*level, id.clone(), classes.clone(), attrs.clone());
                let mut heading_text = String::new();
                for e in &events[i + 1..] {
                    match e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => heading_text.push_str(t),
                        _ => {}
                    }
                }
                let base = explicit.map_or_else(|| heading_id(&heading_text), |id| id.to_string());
                let n = used_ids.entry(base.clone()).or_insert(0);
                let unique = if *n == 0 { base } else { format!("{base}-{n}") };
                *n += 1;
                events[i] = Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(unique)),
                    classes,
                    attrs,
                });
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                needs_sanitising |= has_unsafe_scheme(dest_url);
            }
            Event::Html(_) | Event::InlineHtml(_) => needs_sanitising = true,
            Event::Text(t) | Event::Code(t) if !for_html => text.push_str(t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) if !for_html => text.push(' '),
            _ => {}
        }
        i += 1;
    }
    (events, collapse_white_space(&text), needs_sanitising)
}

fn collapse_white_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_footnotes_strikethrough() {
        let r = html(
            "| 任务 | 进度 |\n|---|---|\n| 改造 | 50% |\n\n~~旧~~ 新[^1]\n\n[^1]: 注释\n",
            false,
        );
        assert!(r.contains("<table>"), "{}", r);
        assert!(r.contains("<del>旧</del>"), "{}", r);
        assert!(r.contains("footnote-reference"), "{}", r);
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = html(
            "## 一、主要进展\n\n## Next Steps\n\n## 一、主要进展\n\n## 自定义 {#custom}\n",
            false,
        );
        assert!(r.contains(r#"<h2 id="一主要进展">"#), "{}", r);
        assert!(r.contains(r#"<h2 id="next-steps">"#), "{}", r);
        assert!(r.contains(r#"<h2 id="一主要进展-1">"#), "{}", r);
        assert!(r.contains(r#"<h2 id="custom">"#), "{}", r);
    }

    #[test]
    fn raw_script_is_removed_by_default() {
        let md = "正文\n\n<script>alert(1)</script>\n\n<b onclick=\"x()\">粗</b>\n";
        let safe = html(md, false);
        assert!(!safe.contains("<script"), "{}", safe);
        assert!(!safe.contains("onclick"), "{}", safe);
        assert!(safe.contains("<b>粗</b>"), "{}", safe);
        let unsafe_ = html(md, true);
        assert!(unsafe_.contains("<script>alert(1)</script>"));
    }

    #[test]
    fn javascript_links_are_removed_and_safe_links_kept() {
        let r = html(
            "[点我](javascript:alert(1)) [邮件](mailto:a@b.cn) [相对](../p00001/)",
            false,
        );
        assert!(!r.contains("javascript:"), "{}", r);
        assert!(r.contains("mailto:a@b.cn"));
        assert!(r.contains("../p00001/"));
        let r = html("[x](JaVaScRiPt:alert(1))", false);
        assert!(!r.to_lowercase().contains("javascript"), "{}", r);
    }

    #[test]
    fn sanitising_keeps_heading_ids_and_footnotes() {
        let r = html("## 标题\n\n<span>x</span>[^a]\n\n[^a]: 注\n", false);
        assert!(r.contains(r#"id="标题""#), "{}", r);
        assert!(r.contains("footnote-definition"), "{}", r);
    }

    #[test]
    fn plain_text_for_descriptions() {
        let md = "# 标题\n\n第一段 **加粗**。\n第二行\n\n## 标题 {#x}\n\n- 项 `代码`\n";
        assert_eq!(plain_text(md), "标题 第一段 加粗。 第二行 标题 项 代码");
    }

    #[test]
    fn scheme_detection() {
        assert!(has_unsafe_scheme("javascript:x"));
        assert!(has_unsafe_scheme("data:text/html,x"));
        assert!(has_unsafe_scheme("java\tscript:x"));
        assert!(!has_unsafe_scheme("https://x"));
        assert!(!has_unsafe_scheme("../a:b/"));
        assert!(!has_unsafe_scheme("#fn"));
    }
}
