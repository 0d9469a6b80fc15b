//! Property tests: arbitrary bytes and arbitrary YAML shapes fed to every loader and to the
//! front matter splitter never panic; they give a value or diagnostics.

use proptest::prelude::*;

use ecosite::content::facility;
use ecosite::content::front_matter;
use ecosite::content::load::{text_from_bytes, SummaryFile};
use ecosite::model::area::Areas;
use ecosite::model::config::SiteConfig;
use ecosite::model::indicator::Indicator;
use ecosite::model::page::Page;
use ecosite::model::summary::Summary;
use ecosite::source::SourceFile;

fn areas() -> Areas {
    Areas::parse(&SourceFile::new(
        "content/areas.yaml",
        "- id: air\n  name: 蓝天\n",
    ))
    .unwrap()
}

/// Every loader on one text; the point is that none of them panics.
fn load_everything(text: &str) {
    let file = SourceFile::new("content/x.yaml", text);
    let _ = SiteConfig::parse(&file);
    let _ = Areas::parse(&file);
    let _ = Indicator::parse(
        &SourceFile::new("content/indicators/x.yaml", text),
        &areas(),
        2024,
    );
    let _ = facility::parse_file(
        &SourceFile::new("content/facilities/x.yaml", text),
        &Default::default(),
        &|_| true,
    );
    let _ = ecosite::content::environment_day::parse_year(
        &SourceFile::new("content/environment-day/2024.yaml", text),
        &|_| Some(1),
    );
    let md = SourceFile::new("content/summaries/air/x.md", text);
    let _ = front_matter::split(&md);
    let summary = SummaryFile {
        folder: "air".into(),
        stem: "x".into(),
        source: md.clone(),
    };
    let _ = Summary::parse(&summary, &areas(), &|id| id == "pm25", false);
    let _ = Page::parse(
        &SourceFile::new("content/pages/x.md", text),
        &|_| false,
        false,
    );
}

/// YAML-looking text built from the pieces editors type.
fn yaml_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_string()),
        Just("- ".to_string()),
        Just("  ".to_string()),
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just(": ".to_string()),
        Just("{ ".to_string()),
        Just(" }".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("\"".to_string()),
        Just(".nan".to_string()),
        Just("2024-Q5".to_string()),
        Just("2024-02-30".to_string()),
        "(id|name|title|date|area|kind|target|values|period|value|status|evidence|location|lat|lon|slug|tasks|image)".prop_map(String::from),
        "[a-z0-9\\-\\.]{0,8}".prop_map(String::from),
        "[\\u{4e00}-\\u{4e20}]{0,4}".prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(file) = text_from_bytes("content/x.md".into(), bytes) {
            load_everything(&file.text);
        }
    }

    #[test]
    fn arbitrary_yaml_shapes_never_panic(text in yaml_like()) {
        load_everything(&text);
    }

    #[test]
    fn markdown_never_panics(text in "(#|\\*|_|`|\\[|\\]|\\(|\\)|<|>|\\||-|\\n|[a-z]|[\\u{4e00}-\\u{4e10}]|\\{\\{ chart\\(id=\"x\"\\) \\}\\}){0,200}") {
        let _ = ecosite::content::markdown::html(&text, false);
        let _ = ecosite::content::markdown::plain_text(&text);
        let _ = ecosite::content::shortcode::extract(&text);
    }
}

proptest! {
    /// A key no data row has, at any place in a quarterly row, is reported at its own line and
    /// never dropped in silence (a typo must not change a published figure).
    #[test]
    fn an_unknown_key_in_a_value_row_is_an_error_at_its_line(
        key in "[a-z]{2,8}",
        position in 0usize..3,
        flow in any::<bool>(),
    ) {
        prop_assume!(!["period", "value", "flag", "note", "status", "evidence"].contains(&key.as_str()));
        let mut fields = vec!["period: 2024-Q3".to_string(), "value: 33.8".to_string()];
        fields.insert(position.min(2), format!("{key}: 1"));
        let row = if flow {
            format!("  - {{ {} }}\n", fields.join(", "))
        } else {
            format!("  - {}\n", fields.join("\n    "))
        };
        let text = format!(
            "id: n\nname: 测试\narea: air\nunit: 个\nkind: level\ntarget: {{ comparator: \"<=\", value: 10, text: x }}\nvalues:\n{row}"
        );
        let line = 8 + if flow { 0 } else { position.min(2) };
        let result = Indicator::parse(&SourceFile::new("content/indicators/n.yaml", &text), &areas(), 2024);
        let errors = result.expect_err("an unknown key is an error");
        prop_assert!(
            errors.iter().any(|d| d.code.as_str() == "E0204" && d.line == line && d.message.contains(&key)),
            "{:?}", errors
        );
    }
}
