//! Shortcodes in Markdown: `{{ chart(id="pm25") }}` embeds an indicator's chart and
//! `{{ status(id="pm25") }}` its status badge, `{{ rule(id="pm25") }}` the rule its target is
//! judged by, in words. They are checked when the Markdown is read
//! (an unknown id is an error at its line), left in the HTML as markers, and expanded by the
//! renderer, which owns the charts.

use std::ops::Range;

use crate::model::body::{Body, Packed, EXCERPT_CHARS};

/// Private-use characters that cannot come from an editor's text by accident.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shortcode {
    Chart(String),
    Status(String),
    Rule(String),
}

impl Shortcode {
    pub fn id(&self) -> &str {
        match self {
            Shortcode::Chart(id) | Shortcode::Status(id) | Shortcode::Rule(id) => id,
        }
    }

    fn marker(&self) -> String {
        let (kind, id) = match self {
            Shortcode::Chart(id) => ("chart", id),
            Shortcode::Status(id) => ("status", id),
            Shortcode::Rule(id) => ("rule", id),
        };
        format!("{OPEN}{kind}:{id}{CLOSE}")
    }
}

/// A shortcode that could not be read, with its byte range in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub span: Range<usize>,
    pub text: String,
}

/// The shortcodes of a Markdown text.
pub struct Extracted {
    /// The text with each shortcode replaced by its marker.
    pub text: String,
    /// Each shortcode with its byte range in the original.
    pub found: Vec<(Shortcode, Range<usize>)>,
    pub malformed: Vec<Malformed>,
}

/// Finds the shortcodes of a Markdown text.
pub fn extract(markdown: &str) -> Extracted {
    let mut out = String::with_capacity(markdown.len());
    let mut found = Vec::new();
    let mut malformed = Vec::new();
    let mut rest = 0;
    while let Some(start) = markdown[rest..].find("{{").map(|i| rest + i) {
        let Some(end) = markdown[start..].find("}}").map(|i| start + i + 2) else {
            break;
        };
        let inner = markdown[start + 2..end - 2].trim();
        out.push_str(&markdown[rest..start]);
        match parse(inner) {
            Some(code) => {
                out.push_str(&code.marker());
                found.push((code, start..end));
            }
            None => {
                malformed.push(Malformed {
                    span: start..end,
                    text: markdown[start..end].to_string(),
                });
                out.push_str(&markdown[start..end]);
            }
        }
        rest = end;
    }
    out.push_str(&markdown[rest..]);
    Extracted {
        text: out,
        found,
        malformed,
    }
}

/// `chart(id="pm25")` (single quotes and spaces allowed).
fn parse(inner: &str) -> Option<Shortcode> {
    let (name, args) = inner.split_once('(')?;
    let args = args.trim().strip_suffix(')')?;
    let (key, value) = args.split_once('=')?;
    if key.trim() != "id" {
        return None;
    }
    let value = value.trim();
    let id = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))?;
    match name.trim() {
        "chart" => Some(Shortcode::Chart(id.to_string())),
        "status" => Some(Shortcode::Status(id.to_string())),
        "rule" => Some(Shortcode::Rule(id.to_string())),
        _ => None,
    }
}

/// Replaces the markers of rendered HTML. A chart alone in a paragraph replaces the paragraph
/// (a figure cannot sit inside `<p>`).
pub fn expand(html: &str, render: impl Fn(&Shortcode) -> String) -> String {
    if !html.contains(OPEN) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() * 2);
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let Some(len) = rest[start..].find(CLOSE) else {
            break;
        };
        let marker = &rest[start + OPEN.len_utf8()..start + len];
        let after = &rest[start + len + CLOSE.len_utf8()..];
        let code = match marker.split_once(':') {
            Some(("chart", id)) => Shortcode::Chart(id.to_string()),
            Some(("rule", id)) => Shortcode::Rule(id.to_string()),
            Some((_, id)) => Shortcode::Status(id.to_string()),
            None => Shortcode::Status(marker.to_string()),
        };
        let before = &rest[..start];
        if matches!(code, Shortcode::Chart(_))
            && before.ends_with("<p>")
            && after.starts_with("</p>")
        {
            out.push_str(&before[..before.len() - 3]);
            out.push_str(&render(&code));
            rest = &after[4..];
        } else {
            out.push_str(before);
            out.push_str(&render(&code));
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Text without markers, for excerpts and feeds.
pub fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        match c {
            OPEN => inside = true,
            CLOSE => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// Reads a Markdown body of a file with its shortcodes checked: every unknown indicator id
/// and every unreadable shortcode is a diagnostic at its place in the file. Only its plain
/// text is made here, for the excerpt; [`html`] and [`text`] make the rest on demand.
pub fn render_body(
    file: &crate::source::SourceFile,
    body: Range<usize>,
    allow_raw_html: bool,
    indicator_exists: &dyn Fn(&str) -> bool,
) -> (Body, Vec<crate::diagnostic::Diagnostic>) {
    use crate::diagnostic::{Code, Diagnostic};
    let Extracted {
        text,
        found,
        malformed,
    } = extract(&file.text[body.clone()]);
    let mut errors = Vec::new();
    for bad in malformed {
        errors.push(
            Diagnostic::error(
                Code::BadValue,
                format!("无法识别的简码 {}", bad.text),
                "unreadable shortcode",
            )
            .at(file, body.start + bad.span.start..body.start + bad.span.end)
            .with_hint("简码的写法是 {{ chart(id=\"pm25\") }}、{{ status(id=\"pm25\") }} 或 {{ rule(id=\"pm25\") }}"),
        );
    }
    for (code, span) in &found {
        if !indicator_exists(code.id()) {
            errors.push(
                Diagnostic::error(
                    Code::UnknownIndicator,
                    format!(
                        "未知的指标“{}”：content/indicators/ 中没有这个 id",
                        code.id()
                    ),
                    format!("unknown indicator `{}`", code.id()),
                )
                .at(file, body.start + span.start..body.start + span.end)
                .with_hint("检查指标 id 的拼写，它是 content/indicators/<id>.yaml 的文件名"),
            );
        }
    }
    let plain = plain(&text, !found.is_empty());
    let body = Body {
        markdown: Packed::new(&file.text[body]),
        raw_html: allow_raw_html,
        excerpt: crate::text::excerpt(&plain, EXCERPT_CHARS),
    };
    (body, errors)
}

fn plain(marked: &str, has_markers: bool) -> String {
    let text = crate::content::markdown::plain_text(marked);
    if has_markers {
        strip(&text)
    } else {
        text
    }
}

/// A body's HTML, its shortcodes left as markers for [`expand`].
pub fn html(body: &Body) -> String {
    let marked = extract(&body.markdown()).text;
    crate::content::markdown::html(&marked, body.raw_html)
}

/// A body's plain text, without its shortcodes.
pub fn text(body: &Body) -> String {
    let marked = extract(&body.markdown());
    plain(&marked.text, !marked.found.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_shortcodes_with_their_spans() {
        let md = "前文\n\n{{ chart(id=\"pm25\") }}\n\n状态 {{status(id='pm25')}} 后文";
        let Extracted {
            text,
            found,
            malformed: bad,
        } = extract(md);
        assert!(bad.is_empty());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, Shortcode::Chart("pm25".into()));
        assert_eq!(&md[found[0].1.clone()], "{{ chart(id=\"pm25\") }}");
        assert_eq!(found[1].0, Shortcode::Status("pm25".into()));
        assert!(!text.contains("{{"));
        assert_eq!(strip(&text), "前文\n\n\n\n状态  后文");
    }

    #[test]
    fn malformed_shortcodes_are_reported() {
        let Extracted {
            found,
            malformed: bad,
            ..
        } = extract("{{ chart(pm25) }} {{ map(id=\"x\") }} {{ chart(id=\"a\") }}");
        assert_eq!(found.len(), 1);
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].span, 0..17);
    }

    #[test]
    fn expand_replaces_the_paragraph_of_a_chart() {
        let text = extract("{{ chart(id=\"pm25\") }}").text;
        let html = format!(
            "<p>{text}</p>\n<p>x {} y</p>",
            Shortcode::Status("a".into()).marker()
        );
        let out = expand(&html, |c| match c {
            Shortcode::Chart(id) => format!("<figure>{id}</figure>"),
            Shortcode::Status(id) => format!("<span>{id}</span>"),
            Shortcode::Rule(id) => format!("rule of {id}"),
        });
        assert_eq!(out, "<figure>pm25</figure>\n<p>x <span>a</span> y</p>");
    }

    #[test]
    fn rule_shortcodes_survive_the_round_trip() {
        let Extracted { text, found, .. } = extract("规则：{{ rule(id=\"r\") }}。");
        assert_eq!(found[0].0, Shortcode::Rule("r".into()));
        let out = expand(&text, |c| match c {
            Shortcode::Rule(id) => format!("<{id}>"),
            _ => String::new(),
        });
        assert_eq!(out, "规则：<r>。");
    }
}
