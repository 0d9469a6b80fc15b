//! In-place edits of content files, the inverse of reading them: one entry of a list of
//! mappings (an indicator's quarter under `values:`, a summary's task under `tasks:`) is set to
//! new values, and every other byte of the file — comments, key order, quoting, layout — stays
//! as the editor wrote it. Only the lines of the entry change. The import of a collection form
//! writes through here; what it writes is read again by the content stage before it is kept,
//! so a slip here is caught, never published.

use std::ops::Range;

/// What to set in one entry of a list.
pub struct EntryEdit<'a> {
    /// The top-level key of the list (`values`, `tasks`).
    pub list: &'a str,
    /// The key that names an entry, and its value (`period` = `2024-Q3`).
    pub key: (&'a str, &'a str),
    /// The keys to set, as YAML scalars (see [`scalar`]), in the order a new entry writes
    /// them; `None` removes the key.
    pub set: Vec<(&'a str, Option<String>)>,
    /// Keep entries in the order of their key (quarters); otherwise a new entry goes last.
    pub ordered: bool,
    /// Where a list the file does not have yet goes: before this top-level key if present,
    /// otherwise at the end.
    pub before: Option<&'a str>,
}

/// A layout the editor does not change by itself; the message says what to write instead.
#[derive(Debug, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// `text` with the entry of `edit` set, changing only lines inside `region` (the YAML document:
/// the whole file, or a Markdown file's front matter).
pub fn set_entry(
    text: &str,
    region: Range<usize>,
    edit: &EntryEdit,
) -> Result<String, Unsupported> {
    let yaml = &text[region.clone()];
    let eol = if yaml.contains("\r\n") { "\r\n" } else { "\n" };
    let ends_with_newline = yaml.is_empty() || yaml.ends_with('\n');
    let mut lines: Vec<String> = yaml
        .strip_suffix('\n')
        .unwrap_or(yaml)
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .collect();
    if yaml.is_empty() {
        lines.clear();
    }
    apply(&mut lines, edit)?;
    let mut out = String::with_capacity(text.len() + 80);
    out.push_str(&text[..region.start]);
    out.push_str(&lines.join(eol));
    if ends_with_newline && !lines.is_empty() {
        out.push_str(eol);
    }
    out.push_str(&text[region.end..]);
    Ok(out)
}

/// A string as a YAML scalar that reads back as the same string: plain where YAML reads plain
/// text as that text, double-quoted (JSON's escapes, which YAML shares) otherwise.
pub fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !text.contains(|c: char| ",[]{}#\n\r\t\\".contains(c) || c.is_control())
        && !text.contains(": ")
        && !text.ends_with(':')
        && !looks_typed(text);
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// Plain scalars YAML would read as something other than a string.
fn looks_typed(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) || lower.parse::<f64>().is_ok()
        || lower.starts_with("0x")
        || lower.starts_with("0o")
        || lower.starts_with('.')
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// A top-level `key:` line: the text after the colon, comment removed.
fn top_level_value<'l>(line: &'l str, key: &str) -> Option<&'l str> {
    let rest = line.strip_prefix(key)?.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = rest.trim();
    Some(match rest.find(" #") {
        Some(i) => rest[..i].trim(),
        None if rest.starts_with('#') => "",
        None => rest,
    })
}

/// One entry of the list: its lines, and how it is written.
struct Entry {
    /// Lines `start..end` of the document, `end` exclusive, trailing blank lines left out.
    start: usize,
    end: usize,
    flow: bool,
    /// The entry's value of the naming key, unquoted.
    name: Option<String>,
}

fn apply(lines: &mut Vec<String>, edit: &EntryEdit) -> Result<(), Unsupported> {
    let Some(list_line) = lines
        .iter()
        .position(|l| top_level_value(l, edit.list).is_some())
    else {
        let at = edit
            .before
            .and_then(|key| lines.iter().position(|l| top_level_value(l, key).is_some()))
            .unwrap_or(lines.len());
        let mut new = vec![format!("{}:", edit.list)];
        new.push(new_entry(edit, 2, true));
        lines.splice(at..at, new);
        return Ok(());
    };
    let inline = top_level_value(&lines[list_line], edit.list).unwrap_or_default();
    if inline == "[]" {
        lines[list_line] = format!("{}:", edit.list);
    } else if !inline.is_empty() {
        return Err(Unsupported(format!(
            "{} 写在了同一行（{}），请改为每行一项的写法：\n{}:\n  - {{ ... }}",
            edit.list, inline, edit.list
        )));
    }
    let (item_indent, entries) = entries(lines, list_line, edit.key.0);
    let found = entries
        .iter()
        .find(|e| e.name.as_deref() == Some(edit.key.1));
    match found {
        Some(entry) if entry.flow => {
            let line = &lines[entry.start];
            lines[entry.start] = set_flow(line, &edit.set)?;
        }
        Some(entry) => set_block(lines, entry, item_indent, &edit.set)?,
        None => {
            let flow = entries.last().is_none_or(|e| e.flow);
            let at = if edit.ordered {
                entries
                    .iter()
                    .rfind(|e| e.name.as_deref().is_some_and(|n| n < edit.key.1))
                    .map_or_else(
                        || entries.first().map_or(list_line + 1, |e| e.start),
                        |e| e.end,
                    )
            } else {
                entries.last().map_or(list_line + 1, |e| e.end)
            };
            let text = new_entry(edit, item_indent, flow);
            lines.splice(at..at, text.split('\n').map(str::to_string));
        }
    }
    Ok(())
}

/// The entries of the list whose key is at `list_line`, with the indentation of their `- `.
fn entries(lines: &[String], list_line: usize, key: &str) -> (usize, Vec<Entry>) {
    let first = lines[list_line + 1..]
        .iter()
        .position(|l| !is_blank(l))
        .map(|i| i + list_line + 1);
    let item_indent = first.map_or(2, |i| indent(&lines[i]));
    let is_item =
        |l: &str| indent(l) == item_indent && (l.trim() == "-" || l.trim_start().starts_with("- "));
    let Some(first) = first.filter(|&i| is_item(&lines[i])) else {
        return (2, Vec::new());
    };
    let mut end_of_list = lines.len();
    let mut starts = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(first) {
        if is_blank(line) {
            continue;
        }
        if is_item(line) {
            starts.push(i);
        } else if indent(line) <= item_indent {
            end_of_list = i;
            break;
        }
    }
    let entries = starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let limit = starts.get(n + 1).copied().unwrap_or(end_of_list);
            let end = (start + 1..limit)
                .rev()
                .find(|&i| !is_blank(&lines[i]))
                .map_or(start + 1, |i| i + 1);
            let rest = lines[start].trim_start()[1..].trim_start();
            let flow = rest.starts_with('{');
            let name = if flow {
                flow_pairs(rest)
                    .ok()
                    .and_then(|(pairs, _)| pairs.into_iter().find(|(k, _)| k == key))
                    .map(|(_, v)| unquote(&v))
            } else {
                lines[start..end].iter().enumerate().find_map(|(j, l)| {
                    let l = if j == 0 { rest } else { l.trim_start() };
                    block_value(l, key).map(unquote)
                })
            };
            Entry {
                start,
                end,
                flow,
                name,
            }
        })
        .collect();
    (item_indent, entries)
}

/// `key: value` → `value` (comment removed).
fn block_value<'l>(line: &'l str, key: &str) -> Option<&'l str> {
    top_level_value(line, key)
}

fn unquote(text: &str) -> String {
    let t = text.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        serde_json::from_str(t).unwrap_or_else(|_| t[1..t.len() - 1].to_string())
    } else if t.len() >= 2 && t.starts_with('\'') && t.ends_with('\'') {
        t[1..t.len() - 1].replace("''", "'")
    } else {
        t.to_string()
    }
}

/// The `key: value` pairs of a one-line flow mapping `{ ... }` as written, and what follows
/// its closing brace (a comment).
fn flow_pairs(text: &str) -> Result<(Vec<(String, String)>, String), Unsupported> {
    let unsupported = || {
        Unsupported(format!(
            "无法读懂这一行：{text}\n请写成一行一项：- {{ period: 2025-Q3, value: 35.2 }}"
        ))
    };
    let mut pairs = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    let mut close = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some('"'), '\\') => current.push(c),
            (Some(q), c) if c == q => {
                // `\"` inside a double-quoted scalar does not close it.
                if q == '"' && current.ends_with('\\') && !current.ends_with("\\\\") {
                    current.push(c);
                    continue;
                }
                quote = None;
                current.push(c);
            }
            (Some(_), _) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                current.push(c);
            }
            (None, '{' | '[') => {
                depth += 1;
                if depth > 1 {
                    current.push(c);
                }
            }
            (None, '}' | ']') => {
                depth = depth.checked_sub(1).ok_or_else(unsupported)?;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
                current.push(c);
            }
            (None, ',') if depth == 1 => pairs.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    let close = close.ok_or_else(unsupported)?;
    if !current.trim().is_empty() {
        pairs.push(current);
    }
    let pairs = pairs
        .into_iter()
        .map(|p| {
            let p = p.trim();
            let colon = p
                .find(": ")
                .or_else(|| p.ends_with(':').then(|| p.len() - 1));
            match colon {
                Some(i) => Ok((p[..i].trim().to_string(), p[i + 1..].trim().to_string())),
                None => Err(unsupported()),
            }
        })
        .collect::<Result<_, _>>()?;
    Ok((pairs, text[close + 1..].to_string()))
}

/// The flow entry `line` with `set` applied: untouched pairs keep their text.
fn set_flow(line: &str, set: &[(&str, Option<String>)]) -> Result<String, Unsupported> {
    let dash = line.find('-').unwrap_or(0);
    let brace = line.find('{').unwrap_or(dash + 2);
    let (mut pairs, after) = flow_pairs(&line[brace..])?;
    for (key, value) in set {
        let at = pairs.iter().position(|(k, _)| k == key);
        match (at, value) {
            (Some(i), Some(v)) => pairs[i].1 = v.clone(),
            (Some(i), None) => {
                pairs.remove(i);
            }
            (None, Some(v)) => pairs.push((key.to_string(), v.clone())),
            (None, None) => {}
        }
    }
    let spaced = line[brace + 1..].starts_with(' ');
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(if spaced {
        format!("{}{{ {body} }}{after}", &line[..brace])
    } else {
        format!("{}{{{body}}}{after}", &line[..brace])
    })
}

/// The block entry with `set` applied: a key's line is replaced, removed, or added after the
/// entry's last line.
fn set_block(
    lines: &mut Vec<String>,
    entry: &Entry,
    item_indent: usize,
    set: &[(&str, Option<String>)],
) -> Result<(), Unsupported> {
    let first = &lines[entry.start];
    let key_indent = item_indent
        + 1
        + (first.trim_start()[1..].len() - first.trim_start()[1..].trim_start().len());
    let mut end = entry.end;
    for (key, value) in set {
        // The key's line and the deeper lines of a multi-line value that follow it.
        let at = (entry.start..end).find(|&i| {
            let l = &lines[i];
            let content = if i == entry.start {
                l.trim_start()[1..].trim_start()
            } else if indent(l) == key_indent {
                l.trim_start()
            } else {
                return false;
            };
            block_value(content, key).is_some()
        });
        match (at, value) {
            (Some(i), Some(v)) => {
                let continuation = (i + 1..end)
                    .take_while(|&j| is_blank(&lines[j]) || indent(&lines[j]) > key_indent)
                    .count();
                let prefix = if i == entry.start {
                    format!("{}- ", " ".repeat(item_indent))
                } else {
                    " ".repeat(key_indent)
                };
                lines.splice(i..i + 1 + continuation, [format!("{prefix}{key}: {v}")]);
                end -= continuation;
            }
            (Some(i), None) if i == entry.start => {
                return Err(Unsupported(format!(
                    "无法删除写在“-”同一行的 {key}：请把它移到下一行"
                )));
            }
            (Some(i), None) => {
                let continuation = (i + 1..end)
                    .take_while(|&j| is_blank(&lines[j]) || indent(&lines[j]) > key_indent)
                    .count();
                lines.drain(i..i + 1 + continuation);
                end -= 1 + continuation;
            }
            (None, Some(v)) => {
                lines.insert(end, format!("{}{key}: {v}", " ".repeat(key_indent)));
                end += 1;
            }
            (None, None) => {}
        }
    }
    Ok(())
}

/// A new entry: the naming key first, then the keys set, in the style of its neighbours.
fn new_entry(edit: &EntryEdit, item_indent: usize, flow: bool) -> String {
    let mut pairs = vec![(edit.key.0.to_string(), scalar(edit.key.1))];
    pairs.extend(
        edit.set
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k.to_string(), v.clone()))),
    );
    let pad = " ".repeat(item_indent);
    if flow {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!("{pad}- {{ {body} }}")
    } else {
        pairs
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                let lead = if i == 0 { "- " } else { "  " };
                format!("{pad}{lead}{k}: {v}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values_edit<'a>(period: &'a str, set: Vec<(&'a str, Option<String>)>) -> EntryEdit<'a> {
        EntryEdit {
            list: "values",
            key: ("period", period),
            set,
            ordered: true,
            before: Some("history"),
        }
    }

    fn edit(text: &str, e: &EntryEdit) -> String {
        set_entry(text, 0..text.len(), e).unwrap()
    }

    const PM25: &str = "# 示例数据\nid: pm25\nvalues:\n  - { period: 2024-Q1, value: 41.2, note: 冬季 }  # 一季度\n  - { period: 2024-Q2, value: 34.9, flag: provisional, date: 2024-07-19 }\n\n  # 三季度待报\nhistory:\n  - { period: 2023, value: 36.1 }\n";

    #[test]
    fn an_existing_flow_entry_changes_on_its_line_only() {
        let out = edit(
            PM25,
            &values_edit(
                "2024-Q2",
                vec![
                    ("value", Some("35".into())),
                    ("flag", None),
                    ("note", Some(scalar("受降水影响"))),
                    ("date", Some("2024-10-18".into())),
                ],
            ),
        );
        let changed: Vec<_> = PM25
            .lines()
            .zip(out.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(
            changed,
            [(
                "  - { period: 2024-Q2, value: 34.9, flag: provisional, date: 2024-07-19 }",
                "  - { period: 2024-Q2, value: 35, date: 2024-10-18, note: 受降水影响 }"
            )]
        );
        assert_eq!(out.lines().count(), PM25.lines().count());
    }

    #[test]
    fn a_new_quarter_goes_after_the_earlier_ones_before_comments_and_history() {
        let out = edit(
            PM25,
            &values_edit(
                "2024-Q3",
                vec![("value", Some("33.8".into())), ("flag", None)],
            ),
        );
        assert_eq!(
            out,
            PM25.replace(
                "date: 2024-07-19 }\n",
                "date: 2024-07-19 }\n  - { period: 2024-Q3, value: 33.8 }\n"
            )
        );
        let first = edit(
            PM25,
            &values_edit("2023-Q4", vec![("value", Some("1".into()))]),
        );
        assert!(first.contains("values:\n  - { period: 2023-Q4, value: 1 }\n  - { period: 2024-Q1"));
    }

    #[test]
    fn a_file_without_values_gets_the_list_before_history() {
        let text = "id: x\nvalues: []\nhistory: []\n";
        let out = edit(
            text,
            &values_edit("2024-Q1", vec![("value", Some("2".into()))]),
        );
        assert_eq!(
            out,
            "id: x\nvalues:\n  - { period: 2024-Q1, value: 2 }\nhistory: []\n"
        );
        let text = "id: x\nhistory: []\n";
        let out = edit(
            text,
            &values_edit("2024-Q1", vec![("value", Some("2".into()))]),
        );
        assert_eq!(
            out,
            "id: x\nvalues:\n  - { period: 2024-Q1, value: 2 }\nhistory: []\n"
        );
    }

    #[test]
    fn block_entries_keep_their_style() {
        let text = "values:\n- period: 2024-Q1\n  value: 41.2\n  note: |\n    两行\n    说明\n  date: 2024-04-19\nhistory: []\n";
        let out = edit(
            text,
            &values_edit(
                "2024-Q1",
                vec![
                    ("value", Some("40".into())),
                    ("note", None),
                    ("flag", Some("revised".into())),
                ],
            ),
        );
        assert_eq!(
            out,
            "values:\n- period: 2024-Q1\n  value: 40\n  date: 2024-04-19\n  flag: revised\nhistory: []\n"
        );
        let out = edit(
            text,
            &values_edit("2024-Q2", vec![("value", Some("3".into()))]),
        );
        assert!(
            out.contains("  date: 2024-04-19\n- period: 2024-Q2\n  value: 3\nhistory"),
            "{out}"
        );
    }

    #[test]
    fn quoted_values_commas_in_quotes_and_crlf() {
        let text = "values:\r\n  - {period: \"2024-Q1\", note: \"a, b\", value: 1}\r\n";
        let out = edit(
            text,
            &values_edit("2024-Q1", vec![("value", Some("2".into()))]),
        );
        assert_eq!(
            out,
            "values:\r\n  - {period: \"2024-Q1\", note: \"a, b\", value: 2}\r\n"
        );
    }

    #[test]
    fn a_flow_list_on_one_line_is_refused() {
        let text = "values: [{ period: 2024-Q1, value: 1 }]\n";
        assert!(set_entry(text, 0..text.len(), &values_edit("2024-Q1", vec![])).is_err());
    }

    #[test]
    fn a_front_matter_region_is_edited_alone() {
        let text =
            "---\ntitle: t\ntasks:\n  - { task: air-03, status: done }\n---\n正文\n- { task: x }\n";
        let region = 4..text.find("---\n正文").unwrap();
        let e = EntryEdit {
            list: "tasks",
            key: ("task", "air-05"),
            set: vec![
                ("status", Some("in_progress".into())),
                ("note", Some(scalar("3家"))),
            ],
            ordered: false,
            before: None,
        };
        let out = set_entry(text, region.clone(), &e).unwrap();
        assert_eq!(
            out,
            text.replace(
                "done }\n",
                "done }\n  - { task: air-05, status: in_progress, note: 3家 }\n"
            )
        );
        let none = "---\ntitle: t\n---\n正文\n";
        let out = set_entry(none, 4..none.find("---\n正文").unwrap(), &e).unwrap();
        assert_eq!(out, "---\ntitle: t\ntasks:\n  - { task: air-05, status: in_progress, note: 3家 }\n---\n正文\n");
    }

    #[test]
    fn scalars_read_back_as_the_same_string() {
        for s in [
            "受降水影响",
            "a: b",
            "2024",
            "yes",
            "#1",
            "x, y",
            "{a}",
            "引号\"内",
            "  空格",
            "行\n二",
            "-1",
            ".5",
        ] {
            let yaml = format!("k: {}\n", scalar(s));
            let file = crate::source::SourceFile::new("x.yaml", &yaml);
            let back: std::collections::BTreeMap<String, String> =
                crate::content::yaml::parse(&file, 0..yaml.len()).unwrap();
            assert_eq!(back["k"], s, "{yaml}");
        }
        assert_eq!(scalar("受降水影响"), "受降水影响");
    }
}
