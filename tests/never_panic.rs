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
    let _ = facility::parse_file(&SourceFile::new("content/facilities/x.yaml", text), &|_| {
        true
    });
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
        let _ = ecosite::content::markdown::render(&text, false);
        let _ = ecosite::content::shortcode::extract(&text);
    }
}
